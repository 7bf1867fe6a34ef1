"""Tests of the Frigate wing in Home Assistant."""
