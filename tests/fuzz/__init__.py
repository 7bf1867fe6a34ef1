"""Fuzzing of every parser of the device libraries: ``scripts/fuzz`` and ``tests/fuzz``."""
