"""The recognition messages of Frigate's websocket: faces, plates, classes, descriptions, profiles.

Frigate publishes what its enrichments find as `tracked_object_update` (a JSON string inside
the envelope, `type` one of `face`, `lpr`, `classification`, `description`; 0.16+), the result
of a state classification model as `<camera>/classification/<model>` (the class as text,
0.17+) and the active profile as `profile/state` (`none` without one, 0.18). A face or plate
update without a name is Frigate clearing the camera (the person or car left). Shapes as
`frigate/data_processing/real_time/{face,license_plate,custom_classification}.py` and
`frigate/comms/dispatcher.py` send them at the release tags. `decode_recognition` returns None
for anything else; `live_models.decode` asks it for the topics it does not know itself.
"""

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, TypedDict

from .parsing import JsonObject, as_float, as_mapping, as_str
from .paths import validate_camera, validate_event_id

if TYPE_CHECKING:
    from .live import FrigateLive

PROFILE_STATE: Final = "profile/state"
PROFILE_SET: Final = "profile/set"
NO_PROFILE: Final = "none"
_MAX_TEXT: Final = 4096  # a description is a paragraph; longer is cut, not refused


@dataclass(frozen=True, kw_only=True, slots=True)
class FaceUpdate:
    """A face recognized on a tracked person (or, without a name, the camera cleared)."""

    camera: str
    event_id: str | None = None
    name: str | None = None
    score: float | None = None
    timestamp: float | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class PlateUpdate:
    """A plate read on a tracked car; `name` when it matched one of `lpr.known_plates`."""

    camera: str
    event_id: str | None = None
    plate: str | None = None
    name: str | None = None
    score: float | None = None
    timestamp: float | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class ObjectClassUpdate:
    """An object classification model's verdict on a tracked object (0.17+)."""

    camera: str
    model: str  # the model's name
    value: str  # the sub label, or the attribute
    event_id: str | None = None
    score: float | None = None
    timestamp: float | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class DescriptionUpdate:
    """GenAI's description of a tracked object, after it ended (0.17+)."""

    camera: str
    event_id: str
    description: str


@dataclass(frozen=True, kw_only=True, slots=True)
class StateClassUpdate:
    """`<camera>/classification/<model>`: a state model's class of the camera's crop."""

    camera: str
    model: str
    state: str


@dataclass(frozen=True, kw_only=True, slots=True)
class ProfileUpdate:
    """`profile/state` (0.18): the active profile, None for none."""

    profile: str | None


type RecognitionMessage = (
    FaceUpdate
    | PlateUpdate
    | ObjectClassUpdate
    | DescriptionUpdate
    | StateClassUpdate
    | ProfileUpdate
)


def _text(value: object, limit: int = 128) -> str | None:
    text = as_str(value)
    if text is None or not text.strip():
        return None
    return text.strip()[:limit]


def _event_id(data: JsonObject) -> str | None:
    value = as_str(data.get("id"))
    try:
        return None if value is None else validate_event_id(value)
    except ValueError:
        return None


def _face(data: JsonObject, common: _Common) -> FaceUpdate:
    return FaceUpdate(name=_text(data.get("name")), **common)


def _plate(data: JsonObject, common: _Common) -> PlateUpdate:
    return PlateUpdate(plate=_text(data.get("plate")), name=_text(data.get("name")), **common)


def _object_class(data: JsonObject, common: _Common) -> ObjectClassUpdate | None:
    model = _text(data.get("model"))
    value = _text(data.get("sub_label")) or _text(data.get("attribute"))
    if model is None or value is None:
        return None
    return ObjectClassUpdate(model=model, value=value, **common)


def _description(data: JsonObject, common: _Common) -> DescriptionUpdate | None:
    description = _text(data.get("description"), _MAX_TEXT)
    event_id = common["event_id"]
    if event_id is None or description is None:
        return None
    return DescriptionUpdate(camera=common["camera"], event_id=event_id, description=description)


class _Common(TypedDict):
    camera: str
    event_id: str | None
    score: float | None
    timestamp: float | None


_KINDS: Final[Mapping[str, Callable[[JsonObject, _Common], RecognitionMessage | None]]] = {
    "face": _face,
    "lpr": _plate,
    "classification": _object_class,
    "description": _description,
}


def _tracked_object_update(payload: object) -> RecognitionMessage | None:
    if isinstance(payload, str):
        try:
            payload = json.loads(payload)
        except ValueError, RecursionError:
            return None
    data = as_mapping(payload)
    parse = _KINDS.get(str(data.get("type")))
    if parse is None:
        return None
    common: _Common = {
        "camera": validate_camera(str(data.get("camera"))),
        "event_id": _event_id(data),
        "score": as_float(data.get("score")),
        "timestamp": as_float(data.get("timestamp")),
    }
    return parse(data, common)


def decode_recognition(topic: str, payload: object) -> RecognitionMessage | None:
    """A recognition message, or None; ValueError for a camera name Frigate would not allow."""
    if topic == "tracked_object_update":
        return _tracked_object_update(payload)
    if topic == PROFILE_STATE:
        profile = _text(payload)
        return ProfileUpdate(profile=None if profile in {None, NO_PROFILE} else profile)
    parts = topic.split("/")
    if len(parts) == 3 and parts[1] == "classification":  # noqa: PLR2004
        state = _text(payload)
        model = _text(parts[2])
        if state is None or model is None:
            return None
        return StateClassUpdate(camera=validate_camera(parts[0]), model=model, state=state)
    return None


def profile_payload(profile: str | None) -> str:
    """The payload of `profile/set`: the profile's name, `none` to deactivate."""
    if profile is None or profile == NO_PROFILE:
        return NO_PROFILE
    if not isinstance(profile, str) or not profile.strip() or len(profile) > 128:  # noqa: PLR2004
        raise ValueError("invalid Frigate profile name")
    return profile


async def set_profile(live: FrigateLive, profile: str | None) -> None:
    """Send `profile/set` (0.18, admins); Frigate answers with `profile/state` once it is on.

    ValueError for a bad name; FrigateConnectionError while the socket is down.
    """
    await live._send(PROFILE_SET, profile_payload(profile))  # noqa: SLF001
