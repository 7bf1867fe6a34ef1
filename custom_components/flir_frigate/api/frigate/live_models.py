"""Messages of Frigate's websocket `/ws`, decoded into frozen models, and what each version has.

The websocket carries the dispatcher's topics without MQTT's `frigate/` prefix, each message
an envelope `{"topic": ..., "payload": ...}`. JSON topics (`events`, `reviews`,
`camera_activity`, `stats`, ...) carry their payload as a JSON string inside the envelope;
counts and levels are numbers, switches `ON`/`OFF`. `decode` turns one envelope into one of
the models below or None: a topic the integration does not use, or a payload that does not
parse, is dropped with a debug line, never raised, because the protocol is internal to
Frigate's UI and changes between releases (frigate/comms/dispatcher.py per tag).
"""

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal

from .events import FrigateEvent
from .live_recognition import RecognitionMessage, decode_recognition
from .parsing import JsonObject, as_bool, as_float, as_int, as_mapping, as_str, as_str_tuple
from .paths import validate_camera, validate_event_id, validate_label
from .server import FrigateProfile
from .stats import FrigateStats
from .version import FrigateVersion

_LOGGER = logging.getLogger(__name__)

type UpdateKind = Literal["new", "update", "end"]
_KINDS: Final = frozenset({"new", "update", "end"})

# `<camera>/<setting>/set` commands and the version that brought each (dispatcher.py per tag).
SETTING_SINCE: Final[Mapping[str, tuple[int, int, int]]] = {
    "detect": (0, 12, 0),
    "motion": (0, 12, 0),
    "improve_contrast": (0, 12, 0),
    "motion_threshold": (0, 12, 0),
    "motion_contour_area": (0, 12, 0),
    "recordings": (0, 12, 0),
    "snapshots": (0, 12, 0),
    "audio": (0, 13, 0),
    "ptz_autotracker": (0, 13, 0),
    "review_alerts": (0, 15, 0),
    "review_detections": (0, 15, 0),
    "enabled": (0, 16, 0),
    "object_descriptions": (0, 17, 0),  # GenAI descriptions (live_recognition.py)
    "review_descriptions": (0, 17, 0),
}
NUMBER_SETTINGS: Final = frozenset({"motion_threshold", "motion_contour_area"})
# The `config` block of `camera_activity` (0.14+) names some settings differently.
_ACTIVITY_SETTINGS: Final = {
    "detect": "detect",
    "enabled": "enabled",
    "snapshots": "snapshots",
    "record": "recordings",
    "audio": "audio",
    "autotracking": "ptz_autotracker",
    "alerts": "review_alerts",
    "detections": "review_detections",
    "object_descriptions": "object_descriptions",
    "review_descriptions": "review_descriptions",
}
PTZ_MOVES: Final = frozenset(
    {"MOVE_UP", "MOVE_DOWN", "MOVE_LEFT", "MOVE_RIGHT", "ZOOM_IN", "ZOOM_OUT", "STOP"}
)
ROLE_CHECKS_SINCE: Final = FrigateVersion.of(0, 17, 2)


@dataclass(frozen=True, kw_only=True, slots=True)
class LiveFeatures:
    """What a Frigate version's websocket carries (None of it before 0.12)."""

    websocket: bool
    camera_activity: bool  # onConnect answered with `camera_activity` (0.14+)
    reviews: bool  # `reviews` topic (0.14+)
    audio: bool  # `<camera>/audio/...` (0.13+)
    review_status: bool  # `<camera>/review_status` (0.16+)
    role_checks: bool  # commands of non-admins dropped (0.17.2+)
    settings: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, version: FrigateVersion) -> LiveFeatures:
        """The features of one server version."""
        return cls(
            websocket=version.at_least(0, 12),
            camera_activity=version.at_least(0, 14),
            reviews=version.at_least(0, 14),
            audio=version.at_least(0, 13),
            review_status=version.at_least(0, 16),
            role_checks=version >= ROLE_CHECKS_SINCE,
            settings=frozenset(
                name for name, since in SETTING_SINCE.items() if version.at_least(*since)
            ),
        )


def may_control(version: FrigateVersion, profile: FrigateProfile | None) -> bool:
    """Whether the user's commands take effect: any user before 0.17.2, admins after."""
    if version < ROLE_CHECKS_SINCE:
        return True
    return profile is None or profile.is_admin is not False


def may_ptz(version: FrigateVersion, profile: FrigateProfile | None, camera: str) -> bool:
    """Whether the user may move a camera: admins, and from 0.17.2 roles that see it."""
    if may_control(version, profile):
        return True
    assert profile is not None  # may_control is True without a profile
    return profile.allowed_cameras is None or camera in profile.allowed_cameras


def validate_setting(setting: str) -> str:
    """A setting the library knows how to send, else ValueError."""
    if setting not in SETTING_SINCE:
        raise ValueError("unknown Frigate setting")
    return setting


def ptz_payload(command: str) -> str:
    """`MOVE_*`, `ZOOM_*`, `STOP` or `preset_<name>` (name validated), else ValueError."""
    if command in PTZ_MOVES:
        return command
    if command.startswith("preset_"):
        return f"preset_{validate_label(command.removeprefix('preset_'))}"
    raise ValueError("invalid PTZ command")


def ptz_presets(data: object) -> tuple[str, ...]:
    """The presets of `/api/<camera>/ptz/info` whose names can go into a command."""
    presets: list[str] = []
    for name in as_str_tuple(as_mapping(data).get("presets")):
        try:
            presets.append(validate_label(name))
        except ValueError:
            _LOGGER.debug("Skipping a PTZ preset whose name cannot be sent")
    return tuple(presets)


# ------------------------------------------------------------------ models


@dataclass(frozen=True, kw_only=True, slots=True)
class EventUpdate:
    """`events`: a tracked object started, changed or ended."""

    kind: UpdateKind
    event: FrigateEvent  # the `after` state


@dataclass(frozen=True, kw_only=True, slots=True)
class ReviewItem:
    """One review segment (`reviews` topic, 0.14+)."""

    id: str
    camera: str
    severity: str  # alert or detection
    start_time: float | None = None
    end_time: float | None = None
    labels: tuple[str, ...] = ()
    zones: tuple[str, ...] = ()
    sub_labels: tuple[str, ...] = ()
    detections: tuple[str, ...] = ()  # event ids

    @classmethod
    def from_dict(cls, data: JsonObject) -> ReviewItem:
        """Parse a segment; ValueError without id, camera or severity."""
        review_id, camera, severity = (as_str(data.get(k)) for k in ("id", "camera", "severity"))
        if review_id is None or camera is None or severity not in {"alert", "detection"}:
            raise ValueError("incomplete review item")
        extra = as_mapping(data.get("data"))
        return cls(
            id=validate_event_id(review_id),
            camera=validate_camera(camera),
            severity=severity,
            start_time=as_float(data.get("start_time")),
            end_time=as_float(data.get("end_time")),
            labels=as_str_tuple(extra.get("objects")) + as_str_tuple(extra.get("audio")),
            zones=as_str_tuple(extra.get("zones")),
            sub_labels=as_str_tuple(extra.get("sub_labels")),
            detections=as_str_tuple(extra.get("detections")),
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class ReviewUpdate:
    """`reviews`: a review segment started, changed or ended."""

    kind: UpdateKind
    review: ReviewItem


@dataclass(frozen=True, kw_only=True, slots=True)
class ActiveObject:
    """An object in a camera's view (`camera_activity`)."""

    label: str
    stationary: bool = False
    zones: tuple[str, ...] = ()  # current_zones


@dataclass(frozen=True, kw_only=True, slots=True)
class CameraActivity:
    """One camera in `camera_activity`: motion, objects in view, its switches' states."""

    motion: bool | None = None
    objects: tuple[ActiveObject, ...] = ()
    settings: Mapping[str, bool] = field(default_factory=dict)  # setting name -> on


@dataclass(frozen=True, kw_only=True, slots=True)
class ActivityUpdate:
    """`camera_activity` (0.14+): every camera, sent after `onConnect`."""

    cameras: Mapping[str, CameraActivity]


@dataclass(frozen=True, kw_only=True, slots=True)
class CountUpdate:
    """`<camera or zone>/<label>[/active]`: objects of a label now in view (moving ones)."""

    scope: str  # a camera or a zone name
    label: str  # `all` for every label
    count: int
    active: bool


@dataclass(frozen=True, kw_only=True, slots=True)
class MotionUpdate:
    """`<camera>/motion`: ON while Frigate sees motion."""

    camera: str
    on: bool


@dataclass(frozen=True, kw_only=True, slots=True)
class SettingUpdate:
    """`<camera>/<setting>/state`: a switch (bool) or a number (int)."""

    camera: str
    setting: str
    value: bool | int


@dataclass(frozen=True, kw_only=True, slots=True)
class AudioUpdate:
    """`<camera>/audio/<label>` (ON/OFF) or `<camera>/audio/dBFS` (a level), 0.13+."""

    camera: str
    label: str | None = None  # None: the level
    on: bool | None = None
    dbfs: float | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class ReviewStatusUpdate:
    """`<camera>/review_status` (0.16+): NONE, DETECTION or ALERT."""

    camera: str
    status: str


@dataclass(frozen=True, kw_only=True, slots=True)
class StatsUpdate:
    """`stats`: the same document as `/api/stats`, every `stats_interval`."""

    stats: FrigateStats


type LiveMessage = (
    EventUpdate
    | ReviewUpdate
    | ActivityUpdate
    | CountUpdate
    | MotionUpdate
    | SettingUpdate
    | AudioUpdate
    | ReviewStatusUpdate
    | StatsUpdate
    | RecognitionMessage
)


# ------------------------------------------------------------------ decoding


def _json_payload(payload: object) -> JsonObject | None:
    """A JSON topic's payload: a JSON string inside the envelope (or, tolerated, an object)."""
    if isinstance(payload, str):
        try:
            payload = json.loads(payload)
        except ValueError, RecursionError:
            return None
    return payload if isinstance(payload, Mapping) else None


def _switch(payload: object) -> bool | None:
    if payload in {"ON", "OFF"}:
        return payload == "ON"
    return None


def _object_state(data: JsonObject) -> FrigateEvent:
    """A tracked object's state (`events` before/after) as an event row."""
    row = dict(data)
    row["zones"] = data.get("entered_zones", data.get("zones", []))
    return FrigateEvent.from_dict(row)


def _event(payload: object) -> EventUpdate | None:
    data = _json_payload(payload)
    if data is None or (kind := data.get("type")) not in _KINDS:
        return None
    return EventUpdate(kind=kind, event=_object_state(as_mapping(data.get("after"))))


def _review(payload: object) -> ReviewUpdate | None:
    data = _json_payload(payload)
    if data is None or (kind := data.get("type")) not in _KINDS:
        return None
    return ReviewUpdate(kind=kind, review=ReviewItem.from_dict(as_mapping(data.get("after"))))


def _activity(payload: object) -> ActivityUpdate | None:
    data = _json_payload(payload)
    if data is None:
        return None
    cameras: dict[str, CameraActivity] = {}
    for name, block in data.items():
        if not isinstance(block, Mapping):
            continue
        config = as_mapping(block.get("config"))
        settings = {
            setting: value
            for key, setting in _ACTIVITY_SETTINGS.items()
            if (value := as_bool(config.get(key))) is not None
        }
        objects = tuple(
            ActiveObject(
                label=label,
                stationary=as_bool(item.get("stationary")) is True,
                zones=as_str_tuple(item.get("current_zones")),
            )
            for item in block.get("objects") or ()
            if isinstance(item, Mapping) and (label := as_str(item.get("label"))) is not None
        )
        cameras[validate_camera(str(name))] = CameraActivity(
            motion=as_bool(block.get("motion")), objects=objects, settings=settings
        )
    return ActivityUpdate(cameras=cameras)


def _stats(payload: object) -> StatsUpdate | None:
    """A stats document, both layouts; anything else is no stats (it would blank every value)."""
    data = _json_payload(payload)
    if data is None or not isinstance(data.get("service"), Mapping):
        return None
    if not isinstance(data.get("cameras", {}), Mapping):
        return None
    return StatsUpdate(stats=FrigateStats.from_dict(data))


def _setting(camera: str, setting: str, payload: object) -> SettingUpdate | None:
    if setting in NUMBER_SETTINGS:
        if (number := as_int(payload)) is None:
            return None
        return SettingUpdate(camera=camera, setting=setting, value=number)
    if setting not in SETTING_SINCE or (on := _switch(payload)) is None:
        return None
    return SettingUpdate(camera=camera, setting=setting, value=on)


def _count(scope: str, label: str, payload: object, *, active: bool) -> CountUpdate | None:
    count = as_int(payload)
    if count is None or count < 0 or isinstance(payload, bool):
        return None
    return CountUpdate(scope=scope, label=validate_label(label), count=count, active=active)


def _three_parts(first: str, second: str, third: str, payload: object) -> LiveMessage | None:
    if third == "state":
        return _setting(first, second, payload)
    if third == "active":
        return _count(first, second, payload, active=True)
    if second == "audio":
        if third == "dBFS":
            return AudioUpdate(camera=first, dbfs=as_float(payload))
        if (on := _switch(payload)) is not None:
            return AudioUpdate(camera=first, label=validate_label(third), on=on)
    return None


def _two_parts(first: str, second: str, payload: object) -> LiveMessage | None:
    if second == "motion":
        on = _switch(payload)
        return None if on is None else MotionUpdate(camera=first, on=on)
    if second == "review_status":
        status = as_str(payload)
        return None if status is None else ReviewStatusUpdate(camera=first, status=status.upper())
    return _count(first, second, payload, active=False)


_JSON_TOPICS: Final = {
    "events": _event,
    "reviews": _review,
    "camera_activity": _activity,
    "stats": _stats,
}


def decode(text: str | bytes) -> LiveMessage | None:
    """One websocket message as a model; None (with a debug line) for anything else."""
    try:
        envelope = json.loads(text)
    except ValueError, RecursionError:
        _LOGGER.debug("Ignoring a websocket message that is not JSON")
        return None
    if not isinstance(envelope, Mapping) or not isinstance(topic := envelope.get("topic"), str):
        _LOGGER.debug("Ignoring a websocket message without a topic")
        return None
    payload = envelope.get("payload")
    try:
        message = _decode_topic(topic, payload)
    except ValueError, TypeError:
        message = None
    if message is None:
        _LOGGER.debug("Ignoring websocket topic %.80s", topic)
    return message


def _decode_topic(topic: str, payload: object) -> LiveMessage | None:
    if (parse := _JSON_TOPICS.get(topic)) is not None:
        return parse(payload)
    if (recognized := decode_recognition(topic, payload)) is not None:
        return recognized
    parts = topic.split("/")
    if not 2 <= len(parts) <= 3:  # noqa: PLR2004
        return None
    first = validate_camera(parts[0])  # zones follow the same rule as cameras
    if len(parts) == 2:  # noqa: PLR2004
        return _two_parts(first, parts[1], payload)
    return _three_parts(first, parts[1], parts[2], payload)
