"""Frigate actions: create and end events, keep events, export recordings, mark reviewed.

Domain actions with a `config_entry_id` (any loaded Frigate entry of this integration, not
just the first), so they work with several servers. Input is checked before Frigate is asked:
the entry, a camera of that server the user's role may see, labels and ids by the rules the
views use, times in order, and the version that has the endpoint. Frigate's refusals are
translated: a role that may not (a 0.16+ viewer, a 0.17 role limited to other cameras) is
explained rather than shown as a failure, missing recordings or unknown ids are the user's.
"""

from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import partial
from typing import Any, Final

import probatio as vol
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_CONFIG_ENTRY_ID
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.util import dt as dt_util

from ..api.frigate.exceptions import (
    FrigateError,
    FrigateFeatureUnavailableError,
    FrigateForbiddenError,
    FrigateNotFoundError,
    FrigateRequestRejectedError,
)
from ..api.frigate.media import FrigateMedia
from ..api.frigate.paths import validate_camera, validate_event_id, validate_label
from ..api.frigate.review import validate_review_id
from ..const import DOMAIN, KIND_FRIGATE
from .coordinator import FrigateConfigEntry, FrigateRuntimeData
from .errors import action_error

SERVICE_CREATE_EVENT: Final = "create_event"
SERVICE_END_EVENT: Final = "end_event"
SERVICE_RETAIN_EVENT: Final = "retain_event"
SERVICE_EXPORT_RECORDING: Final = "export_recording"
SERVICE_MARK_REVIEWED: Final = "mark_reviewed"

ATTR_CAMERA: Final = "camera"
ATTR_LABEL: Final = "label"
ATTR_SUB_LABEL: Final = "sub_label"
ATTR_DURATION: Final = "duration"
ATTR_INCLUDE_RECORDING: Final = "include_recording"
ATTR_EVENT_ID: Final = "event_id"
ATTR_RETAIN: Final = "retain"
ATTR_START: Final = "start"
ATTR_END: Final = "end"
ATTR_NAME: Final = "name"
ATTR_PLAYBACK: Final = "playback"
ATTR_REVIEW_IDS: Final = "review_ids"
MAX_EXPORT_SECONDS: Final = 86400

_ENTRY: dict[Any, Any] = {vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string}
CREATE_EVENT_SCHEMA: Final = vol.Schema(
    {
        **_ENTRY,
        vol.Required(ATTR_CAMERA): cv.string,
        vol.Required(ATTR_LABEL): cv.string,
        vol.Optional(ATTR_SUB_LABEL): vol.All(cv.string, vol.Length(min=1, max=100)),
        vol.Optional(ATTR_DURATION): vol.All(vol.Coerce(int), vol.Range(min=1, max=86400)),
        vol.Optional(ATTR_INCLUDE_RECORDING, default=True): cv.boolean,
    }
)
EVENT_SCHEMA: Final = vol.Schema({**_ENTRY, vol.Required(ATTR_EVENT_ID): cv.string})
RETAIN_SCHEMA: Final = EVENT_SCHEMA.extend({vol.Optional(ATTR_RETAIN, default=True): cv.boolean})
EXPORT_SCHEMA: Final = vol.Schema(
    {
        **_ENTRY,
        vol.Required(ATTR_CAMERA): cv.string,
        vol.Required(ATTR_START): cv.datetime,
        vol.Required(ATTR_END): cv.datetime,
        vol.Optional(ATTR_NAME): vol.All(cv.string, vol.Length(min=1, max=100)),
        vol.Optional(ATTR_PLAYBACK, default="realtime"): vol.In(["realtime", "timelapse"]),
    }
)
MARK_REVIEWED_SCHEMA: Final = vol.Schema(
    {
        **_ENTRY,
        vol.Required(ATTR_REVIEW_IDS): vol.All(
            cv.ensure_list, [cv.string], vol.Length(min=1, max=1000)
        ),
    }
)


def _invalid(key: str, **placeholders: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders or None,
    )


def _entry(hass: HomeAssistant, call: ServiceCall) -> FrigateConfigEntry:
    """The loaded Frigate entry the call names."""
    entry_id = call.data[ATTR_CONFIG_ENTRY_ID]
    entry: FrigateConfigEntry | None = hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != DOMAIN or entry.data.get("kind") != KIND_FRIGATE:
        raise _invalid("service_not_frigate_entry")
    if entry.state is not ConfigEntryState.LOADED or not isinstance(
        getattr(entry, "runtime_data", None), FrigateRuntimeData
    ):
        raise _invalid("service_entry_not_loaded", title=entry.title)
    return entry


def _media(entry: FrigateConfigEntry) -> FrigateMedia:
    return FrigateMedia(entry.runtime_data.client, entry.runtime_data.info.version)


def _camera(entry: FrigateConfigEntry, camera: str) -> str:
    """A camera of the entry's server that the user's role may see."""
    hub = entry.runtime_data.hub
    try:
        validate_camera(camera)
    except ValueError:
        raise _invalid("service_unknown_camera", camera=camera) from None
    if camera not in hub.visible_cameras(hub.data.config):
        raise _invalid("service_unknown_camera", camera=camera)
    return camera


def _checked(check: Callable[[str], str], value: str, key: str) -> str:
    try:
        return check(value)
    except ValueError:
        raise _invalid(key, value=value) from None


@contextmanager
def _frigate_refusals(entry: FrigateConfigEntry) -> Iterator[None]:
    """Frigate's refusals as translated errors (the user's, or Frigate's failure)."""
    try:
        yield
    except FrigateFeatureUnavailableError as err:
        version = entry.runtime_data.info.version.short
        raise _invalid("service_needs_version", needed=err.needed, version=version) from err
    except FrigateForbiddenError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN, translation_key="service_forbidden"
        ) from err
    except FrigateNotFoundError as err:
        raise _invalid("service_not_found") from err
    except FrigateRequestRejectedError as err:
        raise _invalid("service_rejected", status=str(err.status)) from err
    except FrigateError as err:  # refused credentials, unreachable, not Frigate's answer, ...
        raise action_error(err) from err


async def _create_event(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    entry = _entry(hass, call)
    camera = _camera(entry, call.data[ATTR_CAMERA])
    label = _checked(validate_label, call.data[ATTR_LABEL], "service_invalid_label")
    with _frigate_refusals(entry):
        event_id = await _media(entry).create_event(
            camera,
            label,
            sub_label=call.data.get(ATTR_SUB_LABEL),
            duration=call.data.get(ATTR_DURATION),
            include_recording=call.data[ATTR_INCLUDE_RECORDING],
        )
    return {ATTR_EVENT_ID: event_id}


async def _end_event(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    entry = _entry(hass, call)
    event_id = _checked(validate_event_id, call.data[ATTR_EVENT_ID], "service_invalid_id")
    with _frigate_refusals(entry):
        await _media(entry).end_event(event_id)
    return None


async def _retain_event(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    entry = _entry(hass, call)
    event_id = _checked(validate_event_id, call.data[ATTR_EVENT_ID], "service_invalid_id")
    with _frigate_refusals(entry):
        await _media(entry).retain_event(event_id, retain=call.data[ATTR_RETAIN])
    return None


async def _export_recording(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    entry = _entry(hass, call)
    camera = _camera(entry, call.data[ATTR_CAMERA])
    start: datetime = call.data[ATTR_START]
    end: datetime = call.data[ATTR_END]
    first, last = _timestamp(hass, start), _timestamp(hass, end)
    if not first < last:
        raise _invalid("service_times_order")
    if last - first > MAX_EXPORT_SECONDS:
        raise _invalid("service_export_too_long")
    with _frigate_refusals(entry):
        export_id = await _media(entry).export_recording(
            camera, first, last, playback=call.data[ATTR_PLAYBACK], name=call.data.get(ATTR_NAME)
        )
    return {"export_id": export_id}


def _timestamp(hass: HomeAssistant, moment: datetime) -> float:
    """A time from the form: naive times are Home Assistant's local time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt_util.get_default_time_zone())
    return moment.timestamp()


async def _mark_reviewed(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    entry = _entry(hass, call)
    ids = [
        _checked(validate_review_id, review_id, "service_invalid_id")
        for review_id in call.data[ATTR_REVIEW_IDS]
    ]
    with _frigate_refusals(entry):
        await _media(entry).mark_reviewed(ids)
    return None


type _Handler = Callable[[HomeAssistant, ServiceCall], Coroutine[Any, Any, ServiceResponse]]
_SERVICES: Final[dict[str, tuple[vol.Schema, _Handler, SupportsResponse]]] = {
    SERVICE_CREATE_EVENT: (CREATE_EVENT_SCHEMA, _create_event, SupportsResponse.OPTIONAL),
    SERVICE_END_EVENT: (EVENT_SCHEMA, _end_event, SupportsResponse.NONE),
    SERVICE_RETAIN_EVENT: (RETAIN_SCHEMA, _retain_event, SupportsResponse.NONE),
    SERVICE_EXPORT_RECORDING: (EXPORT_SCHEMA, _export_recording, SupportsResponse.OPTIONAL),
    SERVICE_MARK_REVIEWED: (MARK_REVIEWED_SCHEMA, _mark_reviewed, SupportsResponse.NONE),
}


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the Frigate actions (once, when the integration loads)."""
    for name, (schema, handler, supports) in _SERVICES.items():
        hass.services.async_register(
            DOMAIN, name, partial(handler, hass), schema=schema, supports_response=supports
        )
