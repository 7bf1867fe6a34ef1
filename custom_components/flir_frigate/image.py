"""Image entities of both kinds of device: each entry is handed to its wing."""

from . import wing_platform
from .const import KIND_FLIR, KIND_FRIGATE
from .flir import image as flir
from .frigate import image as frigate

PARALLEL_UPDATES = 0

async_setup_entry = wing_platform(
    {KIND_FLIR: flir.async_setup_entry, KIND_FRIGATE: frigate.async_setup_entry}
)
