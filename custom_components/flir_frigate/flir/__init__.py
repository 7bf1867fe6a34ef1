"""FLIR automation thermal cameras: setup, polling, entities, flow steps, diagnostics."""
