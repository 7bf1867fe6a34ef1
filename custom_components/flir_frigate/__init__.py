"""The FLIR & Frigate Cameras integration.

The setup modules are imported when an entry is set up (Home Assistant has imported them with the
platforms by then), so that the device clients' command lines (``python -m ...``) do not import
them twice.
"""

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant

from .const import CONF_KIND, KIND_FRIGATE

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.CAMERA,
    Platform.EVENT,
    Platform.IMAGE,
    Platform.SENSOR,
    Platform.UPDATE,
]


async def async_setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Set up a FLIR camera or a Frigate server from a config entry."""
    if entry.data.get(CONF_KIND) == KIND_FRIGATE:
        from .frigate_setup import async_setup_frigate_entry  # noqa: PLC0415

        return await async_setup_frigate_entry(hass, entry, PLATFORMS)
    from .flir_setup import async_setup_flir_entry  # noqa: PLC0415

    return await async_setup_flir_entry(hass, entry, PLATFORMS)


async def async_unload_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Unload a config entry."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
