"""Setting up a Frigate NVR entry (placeholder until the Frigate layer lands)."""

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant


async def async_setup_frigate_entry(
    hass: HomeAssistant, entry: ConfigEntry, platforms: list[Platform]
) -> bool:
    """Set up a Frigate server."""
    raise NotImplementedError
