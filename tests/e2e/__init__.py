"""End-to-end tests: fake devices and a real Home Assistant (see tests/e2e/stack.py)."""
