"""Diagnostics of a Frigate entry: URL, host, credentials, tokens and MAC addresses redacted."""

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_MAC, CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant

from .const import CONF_TOKEN, CONF_URL
from .coordinator import FrigateConfigEntry

TO_REDACT = {
    CONF_URL,
    CONF_USERNAME,
    CONF_PASSWORD,
    CONF_TOKEN,
    "title",
    "unique_id",
    "configuration_url",
    "mqtt_client_id",
    CONF_MAC,
    "discovery_keys",  # a DHCP discovery key is a MAC address
}


async def async_get_frigate_diagnostics(
    hass: HomeAssistant, entry: FrigateConfigEntry
) -> dict[str, Any]:
    """The entry, what the probe found, the last cycle and each camera's state."""
    runtime = entry.runtime_data
    hub = runtime.hub
    data = hub.data
    info = runtime.info
    return async_redact_data(
        {
            "entry": entry.as_dict(),
            "server": {
                "version": str(info.version),
                "auth_mode": info.auth_mode,
                "role": None if info.profile is None else info.profile.role,
                "verify_ssl": runtime.client.verify_ssl,
            },
            # The websocket: state and counters only (no URL, no token).
            "websocket": None if hub.live is None else hub.live.diagnostics(),
            "last_update_success": hub.last_update_success,
            "last_exception": None if hub.last_exception is None else repr(hub.last_exception),
            "config": asdict(data.config),
            "stats": asdict(data.stats),
            "cameras": {
                name: {
                    "online": coordinator.data.online,
                    "labels": list(coordinator.data.labels),
                    "in_progress": [event.id for event in coordinator.data.in_progress],
                    "latest_event": None
                    if coordinator.data.latest_event is None
                    else asdict(coordinator.data.latest_event),
                    "events_today": coordinator.data.events_today,
                }
                for name, coordinator in hub.cameras.items()
            },
        },
        TO_REDACT,
    )
