"""Device clients for FLIR automation cameras and Frigate NVR (no Home Assistant imports)."""
