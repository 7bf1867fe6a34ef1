"""Update entities: Frigate's version against its latest release (FLIR cameras have none)."""

from . import wing_platform
from .const import KIND_FRIGATE
from .frigate import update as frigate

PARALLEL_UPDATES = 0

async_setup_entry = wing_platform({KIND_FRIGATE: frigate.async_setup_entry})
