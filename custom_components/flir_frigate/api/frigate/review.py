"""Models of Frigate's review items (0.14+) and recordings summaries, and the ids they carry.

Review items replaced events as what Frigate's UI shows (alerts and detections, grouped by
camera and time). `/api/review/summary?timezone=` counts them per day of the zone: an object
keyed by day (plus `last24Hours`), the last 30 days up to 0.16 (today's offset for every day),
every day with items from 0.17 (the offset in force at the time). The recordings summary
(`/api/<camera>/recordings/summary?timezone=`) gives, per day of the requested zone, the hours
that have recordings; up to 0.16 Frigate shifts every row by the zone's offset of today (hours
around a daylight-saving change come out an hour off), from 0.17 by the offset in force at the
time, so callers should convert a day and hour back to UTC with the zone's rules rather than
trust the offset of the moment.
"""

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final, Self

from .parsing import JsonObject, as_bool, as_float, as_int, as_mapping, as_str, as_str_tuple
from .paths import validate_camera, validate_event_id

_DAY_RE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SEVERITIES: Final = ("alert", "detection")


def validate_review_id(review_id: str) -> str:
    """Return a valid review id (same form as an event id), else raise ValueError."""
    try:
        return validate_event_id(review_id)
    except ValueError:
        raise ValueError("invalid Frigate review id") from None


@dataclass(frozen=True, kw_only=True, slots=True)
class ReviewItem:
    """One review segment: an alert or a detection on one camera."""

    id: str
    camera: str
    start_time: float
    end_time: float | None = None  # None while in progress
    severity: str | None = None  # alert, detection
    reviewed: bool = False
    objects: tuple[str, ...] = ()
    zones: tuple[str, ...] = ()
    detections: tuple[str, ...] = ()  # event ids
    thumb_path: str | None = None  # path on the server: /media/frigate/clips/review/...

    @classmethod
    def from_dict(cls, data: JsonObject) -> Self:
        """Parse a row; ValueError without a valid id, camera or start time."""
        extra = as_mapping(data.get("data"))
        start = as_float(data.get("start_time"))
        if start is None:
            raise ValueError("missing start_time")
        return cls(
            id=validate_review_id(str(data.get("id"))),
            camera=validate_camera(str(data.get("camera"))),
            start_time=start,
            end_time=as_float(data.get("end_time")),
            severity=as_str(data.get("severity")),
            reviewed=as_bool(data.get("has_been_reviewed")) is True,
            objects=as_str_tuple(extra.get("objects")),
            zones=as_str_tuple(extra.get("zones")),
            detections=as_str_tuple(extra.get("detections")),
            thumb_path=as_str(data.get("thumb_path")),
        )

    @property
    def thumbnail_file(self) -> str | None:
        """The file name of the thumbnail under `/clips/review/`, when it looks like Frigate's."""
        if self.thumb_path is None:
            return None
        name = self.thumb_path.rsplit("/", 1)[-1]
        expected = f"thumb-{self.camera}-{self.id}.webp"
        return name if name == expected else None


@dataclass(frozen=True, kw_only=True, slots=True)
class ReviewDay:
    """One day of the review summary: its alerts and detections (of the user, from 0.16)."""

    day: str  # YYYY-MM-DD in the zone asked for
    alerts: int = 0
    detections: int = 0
    reviewed_alerts: int = 0
    reviewed_detections: int = 0


def parse_review_summary(data: JsonObject) -> list[ReviewDay]:
    """The days with alerts or detections, newest first.

    `last24Hours` and keys that are not days are skipped, and so are days that only count
    significant motion (0.14/0.15 sum that severity too).
    """
    days: list[ReviewDay] = []
    for key, value in data.items():
        row = as_mapping(value)
        if not _DAY_RE.fullmatch(str(key)) or not row:
            continue
        day = ReviewDay(
            day=str(key),
            alerts=as_int(row.get("total_alert")) or 0,
            detections=as_int(row.get("total_detection")) or 0,
            reviewed_alerts=as_int(row.get("reviewed_alert")) or 0,
            reviewed_detections=as_int(row.get("reviewed_detection")) or 0,
        )
        if day.alerts > 0 or day.detections > 0:
            days.append(day)
    return sorted(days, key=lambda day: day.day, reverse=True)


@dataclass(frozen=True, kw_only=True, slots=True)
class RecordingHour:
    """One hour of a day with recordings."""

    hour: int  # 0-23, in the zone asked for
    duration: float | None = None  # seconds recorded
    events: int = 0


@dataclass(frozen=True, kw_only=True, slots=True)
class RecordingDay:
    """One day of a camera's recordings summary."""

    day: str  # YYYY-MM-DD in the zone asked for
    events: int = 0
    hours: tuple[RecordingHour, ...] = ()

    @classmethod
    def from_dict(cls, data: JsonObject) -> Self:
        """Parse a row; ValueError without a day. Hours that are not 0-23 are skipped."""
        day = as_str(data.get("day"))
        if day is None or not _DAY_RE.fullmatch(day):
            raise ValueError("missing day")
        hours: dict[int, RecordingHour] = {}
        raw_hours = data.get("hours")
        for row in raw_hours if isinstance(raw_hours, list) else ():
            row_map = as_mapping(row)
            hour = as_int(row_map.get("hour"))
            if hour is None or not 0 <= hour <= 23:  # noqa: PLR2004
                continue
            parsed = RecordingHour(
                hour=hour,
                duration=as_float(row_map.get("duration")),
                events=as_int(row_map.get("events")) or 0,
            )
            # 0.17+ list the hour that comes twice (clocks going back) twice: one row.
            hours[hour] = parsed if hour not in hours else _merged(hours[hour], parsed)
        return cls(
            day=day,
            events=as_int(data.get("events")) or 0,
            hours=tuple(hours[hour] for hour in sorted(hours, reverse=True)),
        )


def _merged(first: RecordingHour, second: RecordingHour) -> RecordingHour:
    """One row for an hour listed twice: durations and events added."""
    duration = None
    if first.duration is not None or second.duration is not None:
        duration = (first.duration or 0.0) + (second.duration or 0.0)
    return RecordingHour(hour=first.hour, duration=duration, events=first.events + second.events)


def hour_span(day: str, hour: int, zone: dt.tzinfo) -> tuple[float, float]:
    """UTC start and end of a wall-clock hour of `day` in `zone`, with that day's own rules.

    It runs to the start of the next wall-clock hour: the hour that comes twice when clocks
    go back is two hours long (both are recorded under the same name), the one before a
    skipped hour ends where the clocks jump.
    """
    date = dt.date.fromisoformat(day)
    start = dt.datetime(date.year, date.month, date.day, hour, tzinfo=zone)
    following = dt.datetime.combine(date, dt.time(), tzinfo=zone) + dt.timedelta(hours=hour + 1)
    return start.timestamp(), following.timestamp()
