"""Frigate NVR HTTP client."""
