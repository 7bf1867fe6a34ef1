"""Setting up a Frigate NVR entry: client, probe, coordinators, devices, views, platforms."""

from collections.abc import Mapping
from typing import Any

import aiohttp
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.aiohttp_client import async_create_clientsession

from ..api.frigate.client import FrigateClient
from ..api.frigate.live_models import LiveFeatures
from ..const import DOMAIN
from ..errors import Stage
from .const import CONF_TOKEN, CONF_URL, CONF_VERIFY_SSL
from .coordinator import (
    FrigateConfigEntry,
    FrigateHub,
    FrigateRuntimeData,
    camera_device_id,
    server_device_id,
)
from .entity import server_device_info
from .errors import INVALID_CONFIG, frigate_errors
from .live import FrigateLiveBridge
from .recognition.entity import async_setup_recognition
from .views import async_register_views


def create_client(session: aiohttp.ClientSession, data: Mapping[str, Any]) -> FrigateClient:
    """A client from an entry's (or a form's) data; ValueError when it does not fit together."""
    return FrigateClient(
        str(data[CONF_URL]),
        session=session,
        username=data.get(CONF_USERNAME) or None,
        password=data.get(CONF_PASSWORD) or None,
        token=data.get(CONF_TOKEN) or None,
        verify_ssl=bool(data.get(CONF_VERIFY_SSL, True)),
    )


async def async_setup_frigate_entry(
    hass: HomeAssistant, entry: FrigateConfigEntry, platforms: list[Platform]
) -> bool:
    """Set up a Frigate server."""
    session = async_create_clientsession(
        hass,
        verify_ssl=bool(entry.data.get(CONF_VERIFY_SSL, True)),
        cookie_jar=aiohttp.DummyCookieJar(),  # the token goes in a header, never in a jar
    )
    try:
        client = create_client(session, entry.data)
    except ValueError as err:
        # Stored data the flow would not have accepted: no request can fix that.
        raise ConfigEntryError(translation_domain=DOMAIN, translation_key=INVALID_CONFIG) from err
    with frigate_errors(Stage.SETUP):
        info = await client.probe()

    hub = FrigateHub(hass, entry, client, info)
    if LiveFeatures.of(info.version).websocket:
        hub.live = FrigateLiveBridge(hass, entry, hub, client)
    entry.runtime_data = FrigateRuntimeData(client=client, info=info, hub=hub, live=hub.live)
    dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, **server_device_info(entry)
    )
    await hub.async_config_entry_first_refresh()
    async_remove_stale_registry_entries(hass, entry)
    async_register_views(hass)
    if hub.live is not None and not await hub.live.async_start():  # the websocket's task
        hub.live = entry.runtime_data.live = None  # a proxy that does not pass /ws: polling
        hub.async_push_live()
    await async_setup_recognition(hass, entry)  # faces, plates, classes, profiles
    await hass.config_entries.async_forward_entry_setups(entry, platforms)
    return True


@callback
def async_remove_stale_registry_entries(hass: HomeAssistant, entry: FrigateConfigEntry) -> None:
    """Remove devices of cameras that are gone and entities of labels the user turned off."""
    hub = entry.runtime_data.hub
    device_registry = dr.async_get(hass)
    keep = {server_device_id(entry)} | {camera_device_id(entry, name) for name in hub.cameras}
    for device in dr.async_entries_for_config_entry(device_registry, entry.entry_id):
        if not any(domain == DOMAIN and ident in keep for domain, ident in device.identifiers):
            device_registry.async_remove_device(device.id)
    if not hub.ignored_labels:
        return
    entity_registry = er.async_get(hass)
    prefix = f"{entry.entry_id}:"
    for entity in er.async_entries_for_config_entry(entity_registry, entry.entry_id):
        parts = entity.unique_id.removeprefix(prefix).split(":")
        if len(parts) == 3 and parts[1].startswith("label_") and parts[2] in hub.ignored_labels:  # noqa: PLR2004
            entity_registry.async_remove(entity.entity_id)
