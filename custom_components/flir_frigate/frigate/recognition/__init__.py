"""Frigate's recognition features: the hub that follows them, its data, the base entities."""
