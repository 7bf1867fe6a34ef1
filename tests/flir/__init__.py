"""Tests of the FLIR wing in Home Assistant."""
