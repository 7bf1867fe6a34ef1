"""Diagnostics of both kinds of device: each entry is handed to its wing."""

from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

from . import kind_of
from .const import KIND_FRIGATE
from .flir.diagnostics import async_get_flir_diagnostics
from .frigate.diagnostics import async_get_frigate_diagnostics


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: ConfigEntry
) -> dict[str, Any]:
    """The entry, the device's identity and its last cycle, with secrets redacted."""
    if kind_of(entry) == KIND_FRIGATE:
        return await async_get_frigate_diagnostics(hass, entry)
    return await async_get_flir_diagnostics(hass, entry)
