"""Models of tracked-object events: `/api/events` rows, one event, and the daily summary.

Event rows differ between versions (scores moved into `data` in 0.13, thumbnails left the
rows after 0.15, `sub_label` may be a `[name, score]` pair) and, unlike the other payloads,
a row without its identity (id, camera, label; or camera, label, day for the summary) is
useless, so these parsers raise ValueError for it: the client skips such a row in a list and
refuses such a single event. This module holds the two event models and the helpers only
they use.
"""

from dataclasses import dataclass
from typing import Self

from .parsing import JsonObject, as_bool, as_float, as_int, as_mapping, as_str, as_str_tuple
from .paths import validate_camera, validate_event_id


def _sub_label(value: object) -> tuple[str | None, float | None]:
    """`sub_label` is a string, or `[name, score]` in some payloads."""
    if isinstance(value, list | tuple):
        name = as_str(value[0]) if value else None
        score = as_float(value[1]) if len(value) > 1 else None
        return name, score
    return as_str(value), None


def _plate(value: object) -> str | None:
    """A plate as text (a string, or the first item of `[plate, score]`)."""
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    return as_str(value)


def _required_str(data: JsonObject, key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise ValueError(f"missing {key}")
    return value


@dataclass(frozen=True, kw_only=True, slots=True)
class FrigateEvent:
    """A tracked-object event (`/api/events` rows and `/api/events/<id>`), any version."""

    id: str
    camera: str
    label: str
    sub_label: str | None = None
    sub_label_score: float | None = None
    score: float | None = None  # data.score (0.13+) or the score column
    top_score: float | None = None  # data.top_score (0.13+) or the top_score column
    start_time: float | None = None
    end_time: float | None = None  # None while the event is in progress
    has_snapshot: bool = False
    has_clip: bool = False
    zones: tuple[str, ...] = ()
    has_thumbnail: bool | None = None  # row carries base64 thumbnail data (<= 0.15)
    false_positive: bool | None = None
    retain_indefinitely: bool | None = None
    event_type: str | None = None  # data.type: object, audio, api/manual, ...
    # 0.16+: the plate LPR read on the object (known or not); 0.17+: GenAI's description.
    recognized_license_plate: str | None = None
    recognized_license_plate_score: float | None = None
    description: str | None = None

    @classmethod
    def from_dict(cls, data: JsonObject) -> Self:
        """Parse an event row; ValueError when id, camera or label is missing or invalid.

        The id and the camera go into media URLs, so they must be what Frigate makes.
        """
        extra = as_mapping(data.get("data"))
        sub_label, sub_label_score = _sub_label(data.get("sub_label"))
        if sub_label_score is None:
            sub_label_score = as_float(extra.get("sub_label_score"))
        score = as_float(extra.get("score"))
        top_score = as_float(extra.get("top_score"))
        thumbnail = data.get("thumbnail")
        return cls(
            id=validate_event_id(_required_str(data, "id")),
            camera=validate_camera(_required_str(data, "camera")),
            label=_required_str(data, "label"),
            sub_label=sub_label,
            sub_label_score=sub_label_score,
            score=score if score is not None else as_float(data.get("score")),
            top_score=top_score if top_score is not None else as_float(data.get("top_score")),
            start_time=as_float(data.get("start_time")),
            end_time=as_float(data.get("end_time")),
            has_snapshot=as_bool(data.get("has_snapshot")) is True,
            has_clip=as_bool(data.get("has_clip")) is True,
            zones=as_str_tuple(data.get("zones")),
            has_thumbnail=None if "thumbnail" not in data else bool(as_str(thumbnail)),
            false_positive=as_bool(data.get("false_positive")),
            retain_indefinitely=as_bool(data.get("retain_indefinitely")),
            event_type=as_str(extra.get("type")),
            recognized_license_plate=_plate(extra.get("recognized_license_plate")),
            recognized_license_plate_score=as_float(extra.get("recognized_license_plate_score")),
            description=as_str(extra.get("description")),
        )

    @property
    def in_progress(self) -> bool:
        """True while the event has no end time."""
        return self.end_time is None


@dataclass(frozen=True, kw_only=True, slots=True)
class EventSummaryRow:
    """One `/api/events/summary` row (sub_label from 0.12, data from 0.16)."""

    camera: str
    label: str
    day: str  # YYYY-MM-DD in the requested timezone
    count: int = 0
    sub_label: str | None = None
    zones: tuple[str, ...] = ()
    event_type: str | None = None  # data.type (0.16+)

    @classmethod
    def from_dict(cls, data: JsonObject) -> Self:
        """Parse a row; ValueError when camera, label or day is missing."""
        sub_label, _ = _sub_label(data.get("sub_label"))
        return cls(
            camera=_required_str(data, "camera"),
            label=_required_str(data, "label"),
            day=_required_str(data, "day"),
            count=as_int(data.get("count")) or 0,
            sub_label=sub_label,
            zones=as_str_tuple(data.get("zones")),
            event_type=as_str(as_mapping(data.get("data")).get("type")),
        )
