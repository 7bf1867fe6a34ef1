"""Constants of the FLIR & Frigate Cameras integration."""

import logging
from typing import Final

DOMAIN: Final = "flir_frigate"
LOGGER = logging.getLogger(__package__)

CONF_KIND: Final = "kind"
KIND_FLIR: Final = "flir"
KIND_FRIGATE: Final = "frigate"
