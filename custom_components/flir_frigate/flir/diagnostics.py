"""Diagnostics of a FLIR camera entry, with credentials, host, serial and MAC redacted."""

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_HOST, CONF_MAC, CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant

from ..api.flir.ax8 import Ax8Client
from .const import CONF_RTSP_PASSWORD, CONF_RTSP_USERNAME
from .coordinator import FlirConfigEntry

TO_REDACT = {
    CONF_HOST,
    CONF_USERNAME,
    CONF_PASSWORD,
    CONF_RTSP_USERNAME,
    CONF_RTSP_PASSWORD,
    "serial",
    "serial_number",
    "unique_id",
    "title",
    "base_url",
    CONF_MAC,
    "discovery_keys",  # DHCP's discovery key is the MAC address
}


async def async_get_flir_diagnostics(hass: HomeAssistant, entry: FlirConfigEntry) -> dict[str, Any]:
    """The entry, the camera's identity and capabilities, the last cycle and the real period."""
    runtime = entry.runtime_data
    coordinator = runtime.coordinator
    data = coordinator.data
    caps = runtime.client.capabilities
    frame = None
    if data.frame is not None:
        frame = {
            "stats": asdict(data.frame.stats),
            "areas": {key: asdict(stats) for key, stats in data.frame.areas.items()},
            "picture_bytes": len(data.frame.picture),
        }
    return async_redact_data(
        {
            "entry": entry.as_dict(),
            "device": asdict(runtime.device),
            "capabilities": None if caps is None else asdict(caps),
            "verify_ssl": runtime.client.verify_ssl,
            "last_update_success": coordinator.last_update_success,
            # Seconds: the interval asked for, and what the camera's answers made of it.
            "polling": coordinator.polling.as_dict(),
            "temperature_deadband": coordinator.deadband,
            "measurements": asdict(data.measurements),
            "frame": frame,
            "frame_error": data.frame_error,
            "visual_image_bytes": None if data.visual is None else len(data.visual),
            "ax8": _ax8(runtime),
        },
        TO_REDACT,
    )


def _ax8(runtime: Any) -> dict[str, Any] | None:
    """An Ax8's stills (flash writes) and push: how often and how fresh."""
    client = runtime.client
    if not isinstance(client, Ax8Client):
        return None
    push = runtime.push
    age = client.image_age
    return {
        "image_interval": client.image_interval,
        "stills": client.stills,
        "image_age": None if age is None else round(age, 1),
        "push_connected": None if push is None else push.connected,
        "push_messages": None if push is None else push.messages,
    }
