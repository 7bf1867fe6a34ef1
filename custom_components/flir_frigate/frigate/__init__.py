"""Frigate NVR servers without MQTT: setup, polling, entities, media views, flows."""
