"""The shape of the Frigate media tree: identifiers, time ranges and counts from the summary.

Identifiers are `/`-separated and every segment is URL-quoted, so labels with spaces and zone
names with any character survive. Time ranges (today, yesterday, this week, this month,
earlier) are days in the entry's zone (the server's `ui.timezone`, else Home Assistant's), the
zone the summary is asked for, so each row's `day` falls into its range without conversion.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final
from urllib.parse import quote, unquote

from ..api.frigate.events import EventSummaryRow

CLIPS: Final = "clips"
SNAPSHOTS: Final = "snapshots"
REVIEW: Final = "review"
RECORDINGS: Final = "recordings"
EXPORTS: Final = "exports"
EVENT: Final = "event"
REVIEW_ITEM: Final = "review_item"
RECORDING: Final = "recording"
EXPORT: Final = "export"
ALL_ZONES: Final = "_all"
RANGES: Final = ("today", "yesterday", "this_week", "this_month", "earlier")
PAGE_SIZE: Final = 50


def make_id(*segments: str) -> str:
    """An identifier from raw segments (each quoted)."""
    return "/".join(quote(segment, safe="") for segment in segments)


def split_id(identifier: str) -> list[str]:
    """The raw segments of an identifier."""
    return [unquote(segment) for segment in identifier.split("/")] if identifier else []


@dataclass(frozen=True, slots=True)
class DayRange:
    """A range of days: first included, last excluded (None: open)."""

    first: dt.date | None
    last: dt.date | None

    def contains(self, day: str) -> bool:
        """Whether a `YYYY-MM-DD` day lies in the range."""
        try:
            date = dt.date.fromisoformat(day)
        except ValueError:
            return False
        return (self.first is None or date >= self.first) and (
            self.last is None or date < self.last
        )

    def bounds(self, zone: dt.tzinfo) -> tuple[float | None, float | None]:
        """The range as Unix times for `after`/`before` (strict in Frigate: nudged)."""
        after = None if self.first is None else _midnight(self.first, zone) - 0.001
        before = None if self.last is None else _midnight(self.last, zone)
        return after, before


def _midnight(day: dt.date, zone: dt.tzinfo) -> float:
    return dt.datetime.combine(day, dt.time(), tzinfo=zone).timestamp()


def day_range(name: str, today: dt.date) -> DayRange:
    """The days of a named range; ValueError for an unknown name."""
    tomorrow = today + dt.timedelta(days=1)
    month = today.replace(day=1)
    ranges = {
        "today": DayRange(today, tomorrow),
        "yesterday": DayRange(today - dt.timedelta(days=1), today),
        "this_week": DayRange(today - dt.timedelta(days=today.weekday()), tomorrow),
        "this_month": DayRange(month, tomorrow),
        "earlier": DayRange(None, month),
    }
    if name not in ranges:
        raise ValueError("unknown range")
    return ranges[name]


def day_bounds(day: str, zone: dt.tzinfo) -> tuple[float, float]:
    """Unix times of a day's start and the next day's start in `zone`."""
    date = dt.date.fromisoformat(day)
    return _midnight(date, zone), _midnight(date + dt.timedelta(days=1), zone)


@dataclass(frozen=True, slots=True)
class SummaryFilter:
    """Which summary rows a folder counts."""

    days: DayRange
    camera: str | None = None
    label: str | None = None

    def rows(self, rows: Iterable[EventSummaryRow]) -> list[EventSummaryRow]:
        """The rows in this folder."""
        return [
            row
            for row in rows
            if self.days.contains(row.day)
            and (self.camera is None or row.camera == self.camera)
            and (self.label is None or row.label == self.label)
        ]


def count_by(rows: Iterable[EventSummaryRow], key: str) -> Counter[str]:
    """Events per camera, label or zone (an event in several zones counts in each)."""
    counts: Counter[str] = Counter()
    for row in rows:
        if key == "zone":
            for zone in row.zones:
                counts[zone] += row.count
        else:
            counts[getattr(row, key)] += row.count
    return counts
