"""Setting up a FLIR camera entry."""

from collections.abc import Callable

from homeassistant.config_entries import SIGNAL_CONFIG_ENTRY_CHANGED, ConfigEntry, ConfigEntryChange
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_USERNAME, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.dispatcher import async_dispatcher_connect

from ..api.flir.client import FlirClient
from ..errors import Stage
from .coordinator import (
    FlirConfigEntry,
    FlirCoordinator,
    FlirRuntimeData,
    async_identify,
    render_settings,
)
from .entity import flir_device_info
from .errors import flir_errors, flir_settings_errors


async def async_setup_flir_entry(
    hass: HomeAssistant, entry: FlirConfigEntry, platforms: list[Platform]
) -> bool:
    """Set up a FLIR camera."""
    session = async_get_clientsession(hass)
    with flir_settings_errors():
        client = FlirClient(
            entry.data[CONF_HOST],
            session=session,
            username=entry.data.get(CONF_USERNAME),
            password=entry.data.get(CONF_PASSWORD),
        )
    with flir_errors(Stage.SETUP):
        device = await async_identify(hass, client)

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
