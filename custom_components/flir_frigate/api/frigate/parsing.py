"""Defensive readers for values in Frigate's JSON, shared by every payload model.

Frigate's answers change shape between 0.12 and 0.18 and a server may send anything, so no
model reads a value directly: these helpers turn whatever arrived into the expected type or
`None`. A value that is not a number becomes `None` (never 0); numeric strings such as
`"19 %"`, `"3.5"` or `"57.0%"` are parsed; a value that is not a JSON object reads as an
empty one. They live apart from the models so that the stats, config, event and server
models can share them without importing one another.
"""

import logging
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from .exceptions import FrigateUnexpectedDeviceError

type JsonObject = Mapping[str, Any]

_LOGGER = logging.getLogger(__name__)
_NUMBER_RE = re.compile(r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*%?\s*$")


def as_float(value: object) -> float | None:
    """Return a finite float from a number or numeric string (`"19 %"`), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:  # an integer beyond float range, e.g. 400 digits of JSON
            return None
    elif isinstance(value, str):
        match = _NUMBER_RE.match(value)
        if match is None:
            return None
        number = float(match[1])
    else:
        return None
    return number if math.isfinite(number) else None


def as_int(value: object) -> int | None:
    """Return an int from an integral number or numeric string, else None."""
    number = as_float(value)
    if number is None or not number.is_integer():
        return None
    return int(number)


def as_bool(value: object) -> bool | None:
    """Return a bool from a bool, 0/1 or `"true"`/`"false"`, else None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in {0, 1}:
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in {"true", "false", "1", "0"}:
        return value.strip().lower() in {"true", "1"}
    return None


def as_str(value: object) -> str | None:
    """Return a non-empty string, else None."""
    return value if isinstance(value, str) and value else None


def as_mapping(value: object) -> JsonObject:
    """Return the value if it is a JSON object, else an empty mapping."""
    return value if isinstance(value, Mapping) else {}


def as_str_tuple(value: object) -> tuple[str, ...]:
    """Return the strings of a JSON list (other items dropped), else an empty tuple."""
    if not isinstance(value, list | tuple):
        return ()
    return tuple(item for item in value if isinstance(item, str) and item)


def parse_rows[T](data: object, parse: Callable[[JsonObject], T], what: str) -> list[T]:
    """The rows of a JSON list answer parsed with `parse`, in order.

    FrigateUnexpectedDeviceError when the answer is not a list; rows that are not objects or
    that `parse` refuses (ValueError) are skipped, so one bad row costs only itself.
    """
    if not isinstance(data, list):
        raise FrigateUnexpectedDeviceError(f"the Frigate {what} are not a JSON list")
    rows: list[T] = []
    for row in data:
        try:
            if isinstance(row, Mapping):
                rows.append(parse(row))
                continue
        except ValueError:
            pass
        _LOGGER.debug("Skipping a malformed row of the Frigate %s", what)
    return rows
