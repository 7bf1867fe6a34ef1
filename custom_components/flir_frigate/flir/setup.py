"""Setting up a FLIR camera entry."""

from collections.abc import Callable

from homeassistant.config_entries import SIGNAL_CONFIG_ENTRY_CHANGED, ConfigEntry, ConfigEntryChange
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.dispatcher import async_dispatcher_connect

from ..errors import Stage
from .ax8 import async_identify_any, async_start_push, make_client
from .coordinator import (
    FlirConfigEntry,
    FlirCoordinator,
    FlirRuntimeData,
    render_settings,
)
from .entity import flir_device_info
from .errors import flir_errors, flir_settings_errors


async def async_setup_flir_entry(
    hass: HomeAssistant, entry: FlirConfigEntry, platforms: list[Platform]
) -> bool:
    """Set up a FLIR camera."""
    with flir_settings_errors():
        client = make_client(hass, entry.data, entry.options)
    with flir_errors(Stage.SETUP):
        device = await async_identify_any(hass, client)

    entry.runtime_data = FlirRuntimeData(
        client=client,
        device=device,
        coordinator=FlirCoordinator(hass, entry, client, device),
    )
    await entry.runtime_data.coordinator.async_config_entry_first_refresh()

    dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, **flir_device_info(entry)
    )
    entry.async_on_unload(
        async_dispatcher_connect(
            hass, SIGNAL_CONFIG_ENTRY_CHANGED, _reload_on_new_areas(hass, entry)
        )
    )
    await hass.config_entries.async_forward_entry_setups(entry, platforms)
    entry.runtime_data.push = async_start_push(hass, entry)
    return True


def _reload_on_new_areas(
    hass: HomeAssistant, entry: FlirConfigEntry
) -> Callable[[ConfigEntryChange, ConfigEntry], None]:
    """Reload the entry when its measurement areas (subentries) change."""

    @callback
    def _changed(change: ConfigEntryChange, changed: ConfigEntry) -> None:
        if change is not ConfigEntryChange.UPDATED or changed.entry_id != entry.entry_id:
            return
        if render_settings(changed).areas != entry.runtime_data.coordinator.settings.areas:
            hass.config_entries.async_schedule_reload(entry.entry_id)

    return _changed
