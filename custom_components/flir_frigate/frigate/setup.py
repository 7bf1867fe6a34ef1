"""Setting up a Frigate NVR entry: client, probe, coordinators, devices, views, platforms."""

from collections.abc import Mapping
from typing import Any

import aiohttp
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.aiohttp_client import async_create_clientsession

from ..api.frigate.client import FrigateClient
from ..const import DOMAIN
from ..errors import Stage
from .const import CONF_TOKEN, CONF_URL, CONF_VERIFY_SSL
from .coordinator import (
    FrigateConfigEntry,
    FrigateHub,
    FrigateRuntimeData,
    async_remove_stale_registry_entries,
)
from .entity import server_device_info
from .errors import INVALID_CONFIG, frigate_errors
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
    entry.runtime_data = FrigateRuntimeData(client=client, info=info, hub=hub)
    dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, **server_device_info(entry)
    )
    await hub.async_config_entry_first_refresh()
    async_remove_stale_registry_entries(hass, entry)
    async_register_views(hass)
    await hass.config_entries.async_forward_entry_setups(entry, platforms)
    return True
