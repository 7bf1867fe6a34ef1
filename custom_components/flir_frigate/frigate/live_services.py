"""The `flir_frigate.ptz` action on a Frigate camera entity: move, zoom, stop, go to a preset.

Sent over the entry's websocket as Frigate's own UI does (`<camera>/ptz`); Frigate answers
nothing to a PTZ command, so the action succeeds once the command is sent. Only cameras with
ONVIF PTZ, for users allowed to move them, accept it.
"""

from typing import Any, Final

import probatio as vol
from homeassistant.components.camera.const import DOMAIN as CAMERA_DOMAIN
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.service import async_register_platform_entity_service

from ..const import DOMAIN
from .entity import FrigateCameraEntity

SERVICE_PTZ: Final = "ptz"
ATTR_ACTION: Final = "action"
ATTR_ARGUMENT: Final = "argument"
_DIRECTIONS: Final = ("up", "down", "left", "right")
_ZOOMS: Final = ("in", "out")
PTZ_SCHEMA: Final[dict[Any, Any]] = {
    vol.Required(ATTR_ACTION): vol.In(("move", "zoom", "stop", "preset")),
    vol.Optional(ATTR_ARGUMENT, default=""): cv.string,
}
PTZ_NOT_AVAILABLE: Final = "ptz_not_available"
PTZ_INVALID_ARGUMENT: Final = "ptz_invalid_argument"


def ptz_command(action: str, argument: str) -> str:
    """Frigate's payload for an action; ServiceValidationError for a bad argument."""
    argument = argument.strip()
    if action == "stop":
        return "STOP"
    if action == "move" and argument.lower() in _DIRECTIONS:
        return f"MOVE_{argument.upper()}"
    if action == "zoom" and argument.lower() in _ZOOMS:
        return f"ZOOM_{argument.upper()}"
    if action == "preset" and argument:
        return f"preset_{argument}"
    raise ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=PTZ_INVALID_ARGUMENT,
        translation_placeholders={"action": action},
    )


async def _async_ptz(entity: Entity, call: ServiceCall) -> None:
    data: dict[str, Any] = dict(call.data)
    live_data = entity.camera_data.live if isinstance(entity, FrigateCameraEntity) else None
    if not isinstance(entity, FrigateCameraEntity) or live_data is None or not live_data.ptz:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key=PTZ_NOT_AVAILABLE,
            translation_placeholders={"entity_id": entity.entity_id},
        )
    command = ptz_command(data[ATTR_ACTION], data[ATTR_ARGUMENT])
    if command.startswith("preset_") and command.removeprefix("preset_") not in live_data.presets:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key=PTZ_INVALID_ARGUMENT,
            translation_placeholders={"action": data[ATTR_ACTION]},
        )
    bridge = entity.coordinator.hub.live
    assert bridge is not None  # live data exists only with the websocket
    await bridge.async_ptz(entity.coordinator.camera, command)


def async_setup_ptz_service(hass: HomeAssistant) -> None:
    """Register `flir_frigate.ptz` for this integration's camera entities."""
    async_register_platform_entity_service(
        hass,
        DOMAIN,
        SERVICE_PTZ,
        entity_domain=CAMERA_DOMAIN,
        schema=PTZ_SCHEMA,
        func=_async_ptz,
    )
