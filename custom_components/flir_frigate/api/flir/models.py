"""Data returned by the FLIR REST client.

Every model is a frozen dataclass built by a defensive ``from_dict``: unknown fields are ignored,
missing optional fields become ``None`` and a value that is not a finite number becomes ``None``
(invalid), never ``0``. The JSON shapes follow ``flir-camera-rest-openapi.yml``; no real camera is
known to serve them, so nothing in them is trusted.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal, Self

from .exceptions import FlirUnexpectedDeviceError

type AuthMode = Literal["none", "basic", "digest", "login"]
"""How a camera wants to be authenticated: HTTP Basic or Digest, or an Ax8's web-form login."""
type Interface = Literal["rest", "ax8"]
type AlarmState = Literal["active", "inactive", "acknowledged"]

ALARM_STATES: frozenset[str] = frozenset({"active", "inactive", "acknowledged"})
VALID: Final = "="
"""The Ax8's validity flag of a value inside the camera's range; anything else is invalid."""

_TRUE = frozenset({"true", "1", "yes", "on", "active", "triggered"})
_FALSE = frozenset({"false", "0", "no", "off", "inactive"})

# Accepted spellings of a temperature unit, mapped to C, F or K.
_UNITS: dict[str, str] = {
    "c": "C",
    "°c": "C",
    "degc": "C",
    "celsius": "C",
    "f": "F",
    "°f": "F",
    "degf": "F",
    "fahrenheit": "F",
    "k": "K",
    "kelvin": "K",
}


def as_float(value: Any) -> float | None:
    """Return ``value`` as a finite float, or ``None`` when it is not a finite number."""
    if type(value) is float:  # the common case (a line has hundreds of points a cycle)
        return value if math.isfinite(value) else None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:  # a JSON integer beyond float range
            return None
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def as_int(value: Any) -> int | None:
    """Return ``value`` as an int (finite floats are rounded), or ``None``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    number = as_float(value)
    return round(number) if number is not None else None


def as_bool(value: Any) -> bool | None:
    """Return ``value`` as a bool (JSON booleans, 0/1 and the usual strings), or ``None``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in {0, 1}:
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    return None


def as_str(value: Any) -> str | None:
    """Return a non-empty stripped string, or ``None``."""
    if isinstance(value, str) and (text := value.strip()):
        return text
    return None


def as_unit(value: Any) -> str | None:
    """Return ``C``, ``F`` or ``K`` for a recognised unit, the raw text otherwise, or ``None``."""
    text = as_str(value)
    if text is None:
        return None
    return _UNITS.get(text.lower(), text)


def to_celsius(value: float | None, unit: str | None) -> float | None:
    """Convert a temperature to °C; ``None`` unit means °C; an unknown unit gives ``None``."""
    if value is None:
        return None
    match unit:
        case None | "C":
            return value
        case "K":
            return value - 273.15
        case "F":
            return (value - 32.0) * 5.0 / 9.0
        case _:
            return None


def _mapping(data: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise FlirUnexpectedDeviceError(f"{what}: expected a JSON object")
    return data


def _instance(data: Mapping[str, Any], instance: int | None, what: str) -> int:
    if instance is not None:
        return instance
    if (found := as_int(data.get("instance"))) is not None:
        return found
    raise FlirUnexpectedDeviceError(f"{what}: no instance number")


def _celsius_unit(unit: str | None) -> str | None:
    """Return the unit after conversion: ``C`` when convertible, else unchanged."""
    return "C" if unit in {None, "C", "F", "K"} else unit


@dataclass(frozen=True, kw_only=True, slots=True)
class SpotMeasurement:
    """Temperature at one spot (``/api/spot/{n}.json``)."""

    instance: int
    name: str | None = None
    temperature: float | None = None
    x: int | None = None
    y: int | None = None
    unit: str | None = None
    valid: str | None = None
    """The camera's validity flag (Ax8: ``=`` valid, ``<``/``>`` out of range); None: no flag."""

    @classmethod
    def from_dict(cls, data: Any, *, instance: int | None = None) -> Self:
        """Build from the camera's JSON; ``instance`` wins over a field of the same name."""
        obj = _mapping(data, "spot")
        return cls(
            instance=_instance(obj, instance, "spot"),
            name=as_str(obj.get("name")),
            temperature=as_float(obj.get("temperature", obj.get("value"))),
            x=as_int(obj.get("x")),
            y=as_int(obj.get("y")),
            unit=as_unit(obj.get("unit")),
        )

    def in_celsius(self) -> Self:
        """Return a copy with the temperature in °C."""
        return replace(
            self,
            temperature=to_celsius(self.temperature, self.unit),
            unit=_celsius_unit(self.unit),
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class BoxMeasurement:
    """Statistics of one box (``/api/box/{n}.json``)."""

    instance: int
    name: str | None = None
    max: float | None = None
    min: float | None = None
    avg: float | None = None
    x: int | None = None
    y: int | None = None
    width: int | None = None
    height: int | None = None
    unit: str | None = None
    median: float | None = None
    min_x: int | None = None
    min_y: int | None = None
    max_x: int | None = None
    max_y: int | None = None
    min_valid: str | None = None
    max_valid: str | None = None
    avg_valid: str | None = None
    median_valid: str | None = None

    @classmethod
    def from_dict(cls, data: Any, *, instance: int | None = None) -> Self:
        """Build from the camera's JSON (``area`` object or flat coordinates)."""
        obj = _mapping(data, "box")
        area = obj.get("area")
        geometry: Mapping[str, Any] = area if isinstance(area, Mapping) else obj
        return cls(
            instance=_instance(obj, instance, "box"),
            name=as_str(obj.get("name")),
            max=as_float(obj.get("max")),
            min=as_float(obj.get("min")),
            avg=as_float(obj.get("avg", obj.get("average"))),
            x=as_int(geometry.get("x")),
            y=as_int(geometry.get("y")),
            width=as_int(geometry.get("width")),
            height=as_int(geometry.get("height")),
            unit=as_unit(obj.get("unit")),
        )

    def in_celsius(self) -> Self:
        """Return a copy with the temperatures in °C."""
        return replace(
            self,
            max=to_celsius(self.max, self.unit),
            min=to_celsius(self.min, self.unit),
            avg=to_celsius(self.avg, self.unit),
            unit=_celsius_unit(self.unit),
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class LineMeasurement:
    """Statistics and profile of one line (``/api/line/{n}.json``)."""

    instance: int
    name: str | None = None
    max: float | None = None
    min: float | None = None
    avg: float | None = None
    points: tuple[float | None, ...] = ()
    unit: str | None = None

    @classmethod
    def from_dict(cls, data: Any, *, instance: int | None = None) -> Self:
        """Build from the camera's JSON; each invalid point becomes ``None``."""
        obj = _mapping(data, "line")
        raw_points = obj.get("points")
        points = (
            tuple(as_float(point) for point in raw_points) if isinstance(raw_points, list) else ()
        )
        return cls(
            instance=_instance(obj, instance, "line"),
            name=as_str(obj.get("name")),
            max=as_float(obj.get("max")),
            min=as_float(obj.get("min")),
            avg=as_float(obj.get("avg", obj.get("average"))),
            points=points,
            unit=as_unit(obj.get("unit")),
        )

    def in_celsius(self) -> Self:
        """Return a copy with the temperatures in °C."""
        return replace(
            self,
            max=to_celsius(self.max, self.unit),
            min=to_celsius(self.min, self.unit),
            avg=to_celsius(self.avg, self.unit),
            points=self.points
            if self.unit in {None, "C"}
            else tuple(to_celsius(point, self.unit) for point in self.points),
            unit=_celsius_unit(self.unit),
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class TempSensor:
    """One internal temperature sensor (``/api/tempsensor/{n}.json``)."""

    instance: int
    name: str | None = None
    temperature: float | None = None
    unit: str | None = None

    @classmethod
    def from_dict(cls, data: Any, *, instance: int | None = None) -> Self:
        """Build from the camera's JSON."""
        obj = _mapping(data, "temperature sensor")
        return cls(
            instance=_instance(obj, instance, "temperature sensor"),
            name=as_str(obj.get("name")),
            temperature=as_float(obj.get("temperature", obj.get("value"))),
            unit=as_unit(obj.get("unit")),
        )

    def in_celsius(self) -> Self:
        """Return a copy with the temperature in °C."""
        return replace(
            self,
            temperature=to_celsius(self.temperature, self.unit),
            unit=_celsius_unit(self.unit),
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class Alarm:
    """One alarm (an entry of ``/api/alarms`` or ``/api/alarm/{n}.json``)."""

    instance: int
    name: str | None = None
    state: AlarmState | None = None
    triggered: bool | None = None
    threshold: float | None = None
    unit: str | None = None
    roi: str | None = None
    condition: str | None = None
    """Ax8: ``ABOVE`` or ``BELOW`` the threshold."""

    @classmethod
    def from_dict(cls, data: Any, *, instance: int | None = None) -> Self:
        """Build from the camera's JSON; an unknown ``state`` becomes ``None``."""
        obj = _mapping(data, "alarm")
        state_text = as_str(obj.get("state"))
        state: AlarmState | None = None
        match state_text.lower() if state_text else None:
            case "active":
                state = "active"
            case "inactive":
                state = "inactive"
            case "acknowledged":
                state = "acknowledged"
            case _:
                state = None
        roi = obj.get("associatedROI", obj.get("roi"))
        return cls(
            instance=_instance(obj, instance, "alarm"),
            name=as_str(obj.get("name")),
            state=state,
            triggered=as_bool(obj.get("triggered")),
            threshold=as_float(obj.get("threshold")),
            unit=as_unit(obj.get("unit")),
            roi=as_str(roi),
        )

    def in_celsius(self) -> Self:
        """Return a copy with the threshold in °C."""
        return replace(
            self,
            threshold=to_celsius(self.threshold, self.unit),
            unit=_celsius_unit(self.unit),
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class Capabilities:
    """What :meth:`FlirClient.discover` found: the plan for every measurement cycle."""

    spots: tuple[int, ...] = ()
    boxes: tuple[int, ...] = ()
    lines: tuple[int, ...] = ()
    temp_sensors: tuple[int, ...] = ()
    alarms: tuple[int, ...] = ()
    has_alarms_endpoint: bool = False
    visual_format: str | None = None
    auth: AuthMode = "none"
    interface: Interface = "rest"
    deltas: tuple[int, ...] = ()
    references: tuple[int, ...] = ()
    monitors: tuple[str, ...] = ()

    @property
    def has_measurements(self) -> bool:
        """Whether any JSON measurement endpoint (or alarm) was found."""
        return bool(self.spots or self.boxes or self.lines or self.temp_sensors or self.alarms)


@dataclass(frozen=True, kw_only=True, slots=True)
class Measurements:
    """One measurement cycle; instances that failed or vanished are missing from the dicts."""

    spots: dict[int, SpotMeasurement] = field(default_factory=dict)
    boxes: dict[int, BoxMeasurement] = field(default_factory=dict)
    lines: dict[int, LineMeasurement] = field(default_factory=dict)
    temp_sensors: dict[int, TempSensor] = field(default_factory=dict)
    alarms: dict[int, Alarm] = field(default_factory=dict)
    failed: tuple[str, ...] = ()
    deltas: dict[int, DeltaMeasurement] = field(default_factory=dict)
    references: dict[int, TempSensor] = field(default_factory=dict)
    monitors: dict[str, AlarmMonitor] = field(default_factory=dict)
    object_parameters: CameraObjectParameters | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class DeltaMeasurement:
    """The difference between two Ax8 measurements (a temperature difference, °C = K)."""

    instance: int
    value: float | None = None
    valid: str | None = None
    first: str | None = None
    second: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class AlarmMonitor:
    """An Ax8 alarm monitor item that is not a measurement alarm (internal temperature, input)."""

    key: str
    active: bool | None = None
    triggered: bool | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class CameraObjectParameters:
    """The object parameters a camera computes its temperatures with (°C, m, fraction)."""

    emissivity: float | None = None
    distance: float | None = None
    reflected_c: float | None = None
    atmospheric_c: float | None = None
    humidity: float | None = None
