"""The Ax8's resource tree: names, how its values are written, and parsing into the models.

The Ax8 (FLIR's older "Cronos" platform) keeps its measurement tools, alarms and settings in a
tree of dotted resources (``.image.sysimg.measureFuncs.spot.1.valueT``) read through ``res.php``.
Every value arrives as text: booleans as ``"true"``/``"false"``, temperatures in Kelvin with a
trailing unit character (public clients strip one character after the number), and each
measured value has a validity flag beside it (``=`` inside the camera's range, ``<`` or ``>``
outside). Here the Kelvin is converted once, and a value whose flag is not ``=`` becomes
``None`` with its flag kept, so nothing downstream mistakes an out-of-range reading for a
temperature. Nothing here sends a request.
"""

import re
from collections.abc import Mapping
from typing import Any, Final
from xml.etree import ElementTree as ET

from .exceptions import FlirUnexpectedDeviceError
from .models import (
    VALID,
    Alarm,
    AlarmMonitor,
    BoxMeasurement,
    CameraObjectParameters,
    DeltaMeasurement,
    SpotMeasurement,
    TempSensor,
    as_bool,
    as_float,
    as_int,
    as_str,
)

KELVIN: Final = 273.15
MEASURE_FUNCS: Final = ".image.sysimg.measureFuncs"
ALARMS: Final = ".image.sysimg.alarms.measfunc"
MONITOR: Final = ".resmon.items"
OBJECT_PARAMS: Final = ".image.sysimg.basicImgData.objectParams"
INTERNAL_TEMPERATURE: Final = ".system.tempsens.TSFpa"
PRODUCT_NAME: Final = ".version.product.name"
HIDE_GRAPHICS: Final = ".resmon.config.hideGraphics"
STORE: Final = ".image.services.store"
TOOL_TYPES: Final = {"spot": "spot", "box": "mbox", "delta": "diff", "reference": "reftemp"}
"""Our name of each measurement tool and its name in the tree."""
MONITOR_ITEMS: Final = ("tempsens", "digin")
"""Alarm monitor items that are not measurement alarms (those are numbered like the alarms)."""
XSI: Final = "{http://www.w3.org/2001/XMLSchema-instance}value"
_NUMBER: Final = re.compile(r"\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)")
_INSTANCE: Final = re.compile(r"[1-9]\d{0,2}")
OBJECT_PARAMETER_RESOURCES: Final = {
    "emissivity": "emissivity",
    "distance": "objectDistance",
    "reflected_c": "ambTemp",
    "atmospheric_c": "atmTemp",
    "humidity": "relHum",
}
"""Our object parameter and its resource (``ambTemp`` is the reflected temperature)."""


def number(value: Any) -> float | None:
    """The number at the start of a value (``"296.15K"`` -> 296.15), or None."""
    if not isinstance(value, str):
        return as_float(value)
    match = _NUMBER.match(value)
    return None if match is None else as_float(match.group(1))


def celsius(value: Any) -> float | None:
    """A Kelvin value as the camera writes it, in °C (the one place Kelvin is converted)."""
    kelvin = number(value)
    return None if kelvin is None or kelvin < 0 else round(kelvin - KELVIN, 3)


def flag(value: Any) -> str | None:
    """A validity flag (``=``, ``<``, ``>``, ...), or None when there is none."""
    return as_str(value)


def checked(value: float | None, valid: str | None) -> float | None:
    """The value when its flag says valid (or there is no flag), else None."""
    return value if valid in {None, VALID} else None


def instance_names(data: Any) -> tuple[int, ...]:
    """The numbered children a ``tree`` answer lists, in order; other names are left out."""
    if not isinstance(data, list):
        raise FlirUnexpectedDeviceError("tree: expected a list of names")
    found = {int(name) for name in data if isinstance(name, str) and _INSTANCE.fullmatch(name)}
    return tuple(sorted(found))


def _fields(data: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise FlirUnexpectedDeviceError(f"{what}: expected a JSON object")
    return data


def is_active(data: Any) -> bool:
    """Whether a tool's or an alarm's fields say it is active."""
    return isinstance(data, Mapping) and as_bool(data.get("active")) is True


def parse_spot(instance: int, data: Any) -> SpotMeasurement:
    """A spot from the ``measurement`` action's fields."""
    obj = _fields(data, "spot")
    valid = flag(obj.get("valueValid"))
    return SpotMeasurement(
        instance=instance,
        name=as_str(obj.get("label")),
        temperature=checked(celsius(obj.get("valueT")), valid),
        x=as_int(number(obj.get("x"))),
        y=as_int(number(obj.get("y"))),
        unit="C",
        valid=valid,
    )


def parse_box(instance: int, data: Any) -> BoxMeasurement:
    """A box: its statistics (each with its flag) and where its minimum and maximum are."""
    obj = _fields(data, "box")
    flags = {name: flag(obj.get(f"{name}Valid")) for name in ("min", "max", "avg", "median")}

    def stat(name: str) -> float | None:
        return checked(celsius(obj.get(f"{name}T")), flags[name])

    def pixel(name: str) -> int | None:
        return as_int(number(obj.get(name)))

    return BoxMeasurement(
        instance=instance,
        name=as_str(obj.get("label")),
        max=stat("max"),
        min=stat("min"),
        avg=stat("avg"),
        median=stat("median"),
        x=pixel("x"),
        y=pixel("y"),
        width=pixel("width"),
        height=pixel("height"),
        min_x=pixel("minX"),
        min_y=pixel("minY"),
        max_x=pixel("maxX"),
        max_y=pixel("maxY"),
        unit="C",
        min_valid=flags["min"],
        max_valid=flags["max"],
        avg_valid=flags["avg"],
        median_valid=flags["median"],
    )


def parse_delta(instance: int, data: Any) -> DeltaMeasurement:
    """A delta: a difference of temperatures, so Kelvin and °C are the same number."""
    obj = _fields(data, "delta")
    valid = flag(obj.get("valueValid"))

    def operand(index: int) -> str | None:
        kind, ident = as_str(obj.get(f"type{index}")), as_str(obj.get(f"id{index}"))
        return None if kind is None or ident is None else f"{kind}{ident}"

    return DeltaMeasurement(
        instance=instance,
        value=checked(number(obj.get("valueT")), valid),
        valid=valid,
        first=operand(0),
        second=operand(1),
    )


def parse_reference(instance: int, data: Any) -> TempSensor:
    """The reference temperature (a value the user sets, which deltas compare against)."""
    obj = _fields(data, "reference temperature")
    return TempSensor(
        instance=instance, name="reference", temperature=celsius(obj.get("valueT")), unit="C"
    )


def parse_alarm(instance: int, data: Any) -> Alarm:
    """A measurement alarm: which tool and value it watches, its condition and threshold."""
    obj = _fields(data, "alarm")
    active = as_bool(obj.get("active"))
    kind, ident = as_str(obj.get("measFuncType")), as_str(obj.get("measFuncId"))
    result = as_str(obj.get("measFuncResType"))
    roi = None if kind is None or ident is None else f"{kind}{ident}"
    if roi is not None and result is not None:
        roi = f"{roi}.{result}"
    condition = as_str(obj.get("condition"))
    return Alarm(
        instance=instance,
        name=as_str(obj.get("name")),
        state=None if active is None else ("active" if active else "inactive"),
        triggered=as_bool(obj.get("trig")),
        threshold=celsius(obj.get("threshold")),
        unit="C",
        roi=roi,
        condition=None if condition is None else condition.upper(),
    )


def parse_monitor(key: str, active: Any, triggered: Any) -> AlarmMonitor:
    """An alarm monitor item from its ``active`` and ``trigged`` resources."""
    return AlarmMonitor(key=key, active=as_bool(active), triggered=as_bool(triggered))


def parse_object_parameters(data: Any) -> CameraObjectParameters:
    """The ``global-parameters`` answer: emissivity, distance (m), temperatures, humidity."""
    obj = _fields(data, "global parameters")
    return CameraObjectParameters(
        emissivity=number(obj.get("emissivity")),
        distance=number(obj.get("objectDistance")),
        reflected_c=celsius(obj.get("ambTemp")),
        atmospheric_c=celsius(obj.get("atmTemp")),
        humidity=number(obj.get("relHum")),
    )


def object_parameter_value(name: str, value: float) -> str:
    """How an object parameter is written: temperatures back to Kelvin, the rest as is."""
    if name not in OBJECT_PARAMETER_RESOURCES:
        raise ValueError(f"unknown object parameter {name!r}")
    if name.endswith("_c"):
        return f"{value + KELVIN:.2f}"
    return f"{value:g}"


def parse_xml_value(body: bytes) -> str | None:
    """The ``xsi:value`` of a ``/prod/res`` answer, or None when it has none."""
    try:
        root = ET.fromstring(body)  # noqa: S314 - a small answer, no entities expanded
    except ET.ParseError as err:
        raise FlirUnexpectedDeviceError("/prod/res: the answer is not XML") from err
    found = root if root.tag == XSI else root.find(f".//{XSI}")
    return None if found is None else (found.text or "").strip()


def tool_resource(kind: str, instance: int) -> str:
    """The tree node of one tool instance."""
    return f"{MEASURE_FUNCS}.{TOOL_TYPES[kind]}.{instance}"


def file_name(path: str) -> str:
    """The last segment of a stored file's path, checked before it goes into a URL."""
    name = path.rsplit("/", 1)[-1]
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", name) or name.startswith("."):
        raise ValueError(f"not a safe file name: {name!r}")
    return name
