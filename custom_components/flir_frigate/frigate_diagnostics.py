"""Diagnostics of a Frigate entry (placeholder until the Frigate layer lands)."""

from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant


async def async_get_frigate_diagnostics(hass: HomeAssistant, entry: ConfigEntry) -> dict[str, Any]:
    """Diagnostics of a Frigate server."""
    raise NotImplementedError
