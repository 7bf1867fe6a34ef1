"""Setting up a Frigate NVR entry: client, probe, coordinators, devices, views, platforms."""

from collections.abc import Mapping
from typing import Any

import aiohttp
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryError, ConfigEntryNotReady
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.aiohttp_client import async_create_clientsession

from ..api.frigate.client import FrigateClient
from ..api.frigate.exceptions import (
    FrigateAuthenticationError,
    FrigateError,
    FrigateRateLimitedError,
    FrigateUnsupportedVersionError,
)
from ..const import DOMAIN
from .const import CONF_TOKEN, CONF_URL, CONF_VERIFY_SSL
from .coordinator import (
    FrigateHub,
    FrigateRuntimeData,
    async_remove_stale_registry_entries,
)
from .entity import frigate_entry, server_device_info
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
    hass: HomeAssistant, entry: ConfigEntry, platforms: list[Platform]
) -> bool:
    """Set up a Frigate server."""
    frigate = frigate_entry(entry)
    session = async_create_clientsession(
        hass,
        verify_ssl=bool(entry.data.get(CONF_VERIFY_SSL, True)),
        cookie_jar=aiohttp.DummyCookieJar(),  # the token goes in a header, never in a jar
    )
    try:
        client = create_client(session, entry.data)
    except ValueError as err:
        raise ConfigEntryError(
            translation_domain=DOMAIN, translation_key="frigate_invalid_config"
        ) from err
    try:
        info = await client.probe()
    except FrigateAuthenticationError as err:
        raise ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="frigate_invalid_auth"
        ) from err
    except FrigateUnsupportedVersionError as err:
        raise ConfigEntryError(
            translation_domain=DOMAIN,
            translation_key="frigate_unsupported_version",
            translation_placeholders={"version": err.version},
        ) from err
    except FrigateRateLimitedError as err:
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="frigate_rate_limited",
            translation_placeholders={"seconds": f"{err.retry_after:.0f}"},
        ) from err
    except FrigateError as err:
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="frigate_communication_error",
            translation_placeholders={"error": str(err)},
        ) from err

    hub = FrigateHub(hass, frigate, client, info)
    frigate.runtime_data = FrigateRuntimeData(client=client, info=info, hub=hub)
    dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, **server_device_info(frigate)
    )
    await hub.async_config_entry_first_refresh()
    async_remove_stale_registry_entries(hass, frigate)
    async_register_views(hass)
    await hass.config_entries.async_forward_entry_setups(entry, platforms)
    return True
