"""Selects: each entry is handed to its wing (Frigate's profile; FLIR has none)."""

from . import wing_platform
from .const import KIND_FRIGATE
from .frigate import select as frigate

PARALLEL_UPDATES = 0

async_setup_entry = wing_platform({KIND_FRIGATE: frigate.async_setup_entry})
