"""Switches of Frigate servers (FLIR cameras have none): each entry is handed to its wing."""

from . import wing_platform
from .const import KIND_FRIGATE
from .frigate import switch as frigate

PARALLEL_UPDATES = 0

async_setup_entry = wing_platform({KIND_FRIGATE: frigate.async_setup_entry})
