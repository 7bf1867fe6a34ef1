"""Validation of the values that go into Frigate URLs: path segments, query values, ranges.

Camera names, labels and event ids come from the server's own answers or from the caller's
URLs. Each is checked against what Frigate itself allows before it is quoted into a path, so
none can climb out of `/api/...` (`..`, `/`, `%2F`) or smuggle a header. Every check raises
ValueError, before any request is sent.
"""

import re
from collections.abc import Callable, Mapping
from typing import Final

# Frigate's config only allows these characters in camera names; labels come from label maps
# (COCO has "traffic light", hence single inner spaces). Event ids: "<start ts>.<µs>-<random>".
_CAMERA_RE: Final = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
_LABEL_RE: Final = re.compile(r"^[A-Za-z0-9_-]{1,64}(?: [A-Za-z0-9_-]{1,64}){0,4}$")
_EVENT_ID_RE: Final = re.compile(r"^[0-9]{1,12}(?:\.[0-9]{1,9})?-[A-Za-z0-9]{1,32}$")
_QUERY_VALUE_RE: Final = re.compile(r"^[^\x00-\x1f\x7f,]{1,128}$")
# One byte range: `bytes=START-END`, `bytes=START-` or `bytes=-SUFFIX` (RFC 9110 §14.1.2).
_BYTE_RANGE_RE: Final = re.compile(r"^bytes=(?:([0-9]{1,18})-([0-9]{0,18})|-[0-9]{1,18})$")
# IANA zone names (`Europe/Berlin`, `America/Argentina/Buenos_Aires`, `UTC`, `Etc/GMT+1`).
_TIMEZONE_RE: Final = re.compile(r"^[A-Za-z0-9_+-]{1,32}(?:/[A-Za-z0-9_+-]{1,32}){0,2}$")

type Params = dict[str, str]


def matching(value: str, pattern: re.Pattern[str], what: str) -> str:
    """`value` if it is a string that `pattern` matches whole and has no `..`; else ValueError.

    The one check behind every validator here and in the models (export files, time zones).
    """
    if not isinstance(value, str) or not pattern.fullmatch(value) or ".." in value:
        raise ValueError(f"invalid {what}")
    return value


def validate_camera(name: str) -> str:
    """Return a valid Frigate camera name, else raise ValueError."""
    return matching(name, _CAMERA_RE, "Frigate camera name")


def validate_label(label: str) -> str:
    """Return a valid object label (`any` included), else raise ValueError."""
    return matching(label, _LABEL_RE, "Frigate object label")


def validate_event_id(event_id: str) -> str:
    """Return a valid event id such as `1718000000.123456-abc123`, else raise ValueError."""
    return matching(event_id, _EVENT_ID_RE, "Frigate event id")


def validate_zone(zone: str) -> str:
    """Return a zone name usable as a query value (no control characters, no comma, no `..`)."""
    return matching(zone, _QUERY_VALUE_RE, "Frigate zone name")


def validate_timezone(name: str) -> str:
    """Return an IANA zone name as a query value (`Europe/Berlin`, `utc`), else ValueError."""
    return matching(name, _TIMEZONE_RE, "time zone name")


def validate_byte_range(byte_range: str) -> str:
    """Return a single byte range (`bytes=0-99`, `bytes=100-`, `bytes=-500`), else ValueError.

    Multiple ranges, other units, whitespace and `START > END` are refused.
    """
    if not isinstance(byte_range, str) or (match := _BYTE_RANGE_RE.fullmatch(byte_range)) is None:
        raise ValueError("invalid byte range")
    first, last = match.groups()
    if first is not None and last and int(last) < int(first):
        raise ValueError("invalid byte range")
    return byte_range


# ------------------------------------------------------------------ query values


def positive(value: int, what: str) -> str:
    """A positive integer as a query value; ValueError naming `what` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{what} must be a positive integer")
    return str(value)


def flag(value: bool) -> str:
    """A boolean as Frigate's `1`/`0`."""
    return "1" if value else "0"


def epoch(value: float) -> str:
    """A Unix time as a query value."""
    return repr(float(value))


def optional[T](value: T | None, convert: Callable[[T], str]) -> str | None:
    """`convert(value)`, or None when there is no value."""
    return None if value is None else convert(value)


def present(values: Mapping[str, str | None]) -> Params:
    """The query values that are given (None: left out)."""
    return {key: value for key, value in values.items() if value is not None}


def height_params(height: int | None) -> Params:
    """Height as `height` (0.15+, FastAPI) and `h` (up to 0.14): each ignores the other."""
    if height is None:
        return {}
    value = positive(height, "height")
    return {"height": value, "h": value}


def mjpeg_params(fps: int | None, height: int | None) -> Params:
    """Query of the MJPEG debug stream."""
    params = height_params(height)
    if fps is not None:
        params["fps"] = positive(fps, "fps")
    return params
