"""The fake Ax8's resource tree: what res.php and /prod/res read and write.

Values are computed from the shared scene of the :class:`FakeFlirCamera` and written as the
Ax8 writes them (see ``tests/fakes/flir_ax8.py``).
"""

import contextlib
import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Final

import numpy as np
from aiohttp import web

from custom_components.flir_frigate.api.flir.measure import measure_area

if TYPE_CHECKING:
    from tests.fakes.flir_camera import FakeFlirCamera

KELVIN: Final = 273.15
RANGE_C: Final = (-10.0, 150.0)
SPOT_SLOTS: Final = 5
BOX_SLOTS: Final = 6
DIFF_SLOTS: Final = 6
ALARM_SLOTS: Final = 5
_STAT_RES = {"max": "maxT", "min": "minT", "avg": "avgT"}
_KIND_TYPE = {"spot": "spot", "box": "mbox", "line": "line"}


def kelvin(value_c: float) -> str:
    """A temperature as the camera writes it: Kelvin with its unit character."""
    return f"{value_c + KELVIN:.2f}K"


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _clip(value_c: float | None) -> tuple[float, str]:
    """The value inside the camera's range and its validity flag."""
    if value_c is None or math.isnan(value_c):
        return RANGE_C[0], "<"
    if value_c > RANGE_C[1]:
        return RANGE_C[1], ">"
    if value_c < RANGE_C[0]:
        return RANGE_C[0], "<"
    return value_c, "="


@dataclass
class Ax8State:
    """What only the Ax8 has: its resource tree beyond the scene, files, sessions, pushes."""

    deltas: dict[int, tuple[str, int, str, int]] = field(
        default_factory=lambda: {1: ("spot", 1, "reftemp", 1)}
    )
    reftemp_c: float = 25.0
    object_params: dict[str, float] = field(
        default_factory=lambda: {
            "emissivity": 0.95,
            "objectDistance": 1.0,
            "ambTemp": 293.15,
            "atmTemp": 293.15,
            "relHum": 0.5,
            "extOptTemp": 293.15,
            "extOptTransm": 1.0,
        }
    )
    settings: dict[str, str] = field(
        default_factory=lambda: {
            ".resmon.config.hideGraphics": "false",
            ".system.vcam.torch": "false",
            ".image.sysimg.palette.readFile": "iron.pal",
            ".image.sysimg.fusion.fusionData.fusionMode": "1",
            ".image.contadj.adjMode": "auto",
            ".power.states.digin1": "false",
        }
    )
    store: dict[str, str] = field(default_factory=dict)
    files: dict[str, tuple[float, bytes]] = field(default_factory=dict)
    stores: int = 0
    downloads: int = 0
    deletes: int = 0
    store_delay: float = 0.05
    internal_c: float = 38.0
    tempsens_threshold_c: float = 70.0
    sessions: dict[str, float] = field(default_factory=dict)
    require_login: bool = False
    subscriptions: set[str] = field(default_factory=set)
    sockets: list[web.WebSocketResponse] = field(default_factory=list)
    push_interval: float = 0.2
    snapshot_frozen: bytes | None = None


class Ax8Tree:
    """The resource tree over the camera's scene, tools and alarms."""

    camera: FakeFlirCamera
    state: Ax8State

    def _store(self) -> None:
        """Store a radiometric still (the images part of the fake)."""
        raise NotImplementedError

    # --------------------------------------------------------------- the tree

    def _spot_values(self, n: int) -> dict[str, str]:
        camera = self.camera
        if n not in camera.spots:
            return {"active": "false", "x": "0", "y": "0", "valueT": kelvin(0), "valueValid": "<"}
        spot = camera.spots[n]
        stats = measure_area(camera.temperatures(), camera.area("spot", n))
        value, flag = _clip(stats.max)
        return {
            "active": "true",
            "x": str(spot.x),
            "y": str(spot.y),
            "valueT": kelvin(value),
            "valueValid": flag,
            "label": str(n),
        }

    def _box_values(self, n: int) -> dict[str, str]:
        camera = self.camera
        if n not in camera.boxes:
            return {"active": "false", "x": "0", "y": "0", "width": "0", "height": "0"}
        box = camera.boxes[n]
        region = camera.temperatures()[box.y : box.y + box.height, box.x : box.x + box.width]
        values: dict[str, str] = {
            "active": "true",
            "x": str(box.x),
            "y": str(box.y),
            "width": str(box.width),
            "height": str(box.height),
            "calcMask": "0x1bfc",
            "label": str(n),
        }
        low_y, low_x = np.unravel_index(int(np.argmin(region)), region.shape)
        high_y, high_x = np.unravel_index(int(np.argmax(region)), region.shape)
        for name, stat in (
            ("min", float(region.min())),
            ("max", float(region.max())),
            ("avg", float(region.mean())),
            ("median", float(np.median(region))),
        ):
            value, flag = _clip(stat)
            values[f"{name}T"] = kelvin(value)
            values[f"{name}Valid"] = flag
        values |= {
            "minX": str(box.x + int(low_x)),
            "minY": str(box.y + int(low_y)),
            "maxX": str(box.x + int(high_x)),
            "maxY": str(box.y + int(high_y)),
            "isoCoverage": "0",
            "isoValid": "=",
        }
        return values

    def _tool_value(self, kind: str, n: int) -> float | None:
        if kind == "reftemp":
            return self.state.reftemp_c
        values = self._spot_values(n) if kind == "spot" else self._box_values(n)
        if values.get("active") != "true":
            return None
        return float(values.get("valueT", values.get("maxT", "0K"))[:-1]) - KELVIN

    def _diff_values(self, n: int) -> dict[str, str]:
        if n not in self.state.deltas:
            return {"active": "false", "valueT": "0.00K", "valueValid": "<"}
        type0, id0, type1, id1 = self.state.deltas[n]
        first, second = self._tool_value(type0, id0), self._tool_value(type1, id1)
        valid = first is not None and second is not None
        difference = (first or 0.0) - (second or 0.0)
        return {
            "active": "true",
            "type0": type0,
            "id0": str(id0),
            "type1": type1,
            "id1": str(id1),
            "valueT": f"{difference:.2f}K",
            "valueValid": "=" if valid else "<",
        }

    def _alarm_values(self, n: int) -> dict[str, str]:
        alarm = self.camera.alarms.get(n)
        if alarm is None:
            return {"active": "false", "trig": "false", "measFuncType": "spot", "measFuncId": "1"}
        res_type = "valueT" if alarm.roi_kind == "spot" else _STAT_RES[alarm.stat]
        return {
            "active": "true",
            "trig": _bool(alarm.triggered),
            "measFuncType": _KIND_TYPE[alarm.roi_kind],
            "measFuncId": str(alarm.roi_instance),
            "measFuncResType": res_type,
            "condition": "ABOVE",
            "threshold": kelvin(alarm.threshold_c),
            "hysteresis": f"{alarm.hysteresis_c:g}",
            "name": alarm.name,
        }

    def internal_c(self) -> float:
        """The camera's own (FPA) temperature, drifting slowly."""
        tick = self.camera._tick()
        return self.state.internal_c + 0.3 * math.sin(2 * math.pi * tick / 300.0)

    def _monitor_values(self, key: str) -> dict[str, str]:
        if key.isdigit():
            alarm = self._alarm_values(int(key))
            return {"active": alarm["active"], "trigged": alarm["trig"], "type": "measfunc"}
        if key == "tempsens":
            hot = self.internal_c() > self.state.tempsens_threshold_c
            return {"active": "true", "trigged": _bool(hot), "type": "tempsens"}
        if key == "digin":
            return {
                "active": "true",
                "trigged": self.state.settings[".power.states.digin1"],
                "type": "digin",
            }
        return {}

    def _group(self, kind: str, n: int) -> dict[str, str]:
        match kind:
            case "spot":
                return self._spot_values(n) if 1 <= n <= SPOT_SLOTS else {}
            case "mbox":
                return self._box_values(n) if 1 <= n <= BOX_SLOTS else {}
            case "diff":
                return self._diff_values(n) if 1 <= n <= DIFF_SLOTS else {}
            case "reftemp":
                if n != 1:
                    return {}
                return {"active": "true", "valueT": kelvin(self.state.reftemp_c)}
        return {}

    def get(self, resource: str) -> str | None:  # noqa: PLR0911
        """The value of a dotted resource as res.php writes it, or None when unknown."""
        parts = resource.strip(".").split(".")
        state = self.state
        if resource in state.settings:
            return state.settings[resource]
        if resource == ".version.product.name":
            return self.camera.model
        if resource == ".system.tempsens.TSFpa":
            return kelvin(self.internal_c())
        if resource.startswith(".image.services.store."):
            return state.store.get(parts[-1], "")
        if parts[:4] == ["image", "sysimg", "basicImgData", "objectParams"] and len(parts) == 5:
            value = state.object_params.get(parts[4])
            if value is None:
                return None
            return f"{value:.2f}K" if parts[4].endswith("Temp") else f"{value:g}"
        values: dict[str, str] = {}
        if parts[:3] == ["image", "sysimg", "measureFuncs"] and len(parts) == 6:
            values = self._group(parts[3], int(parts[4]) if parts[4].isdigit() else 0)
        elif parts[:3] == ["image", "sysimg", "alarms"] and len(parts) == 6:
            n = int(parts[4]) if parts[4].isdigit() else 0
            values = self._alarm_values(n) if 1 <= n <= ALARM_SLOTS else {}
        elif parts[:2] == ["resmon", "items"] and len(parts) == 4:
            values = self._monitor_values(parts[2])
        return values.get(parts[-1])

    def set(self, resource: str, value: str) -> None:
        """Write a dotted resource (what the web page and the public clients write)."""
        parts = resource.strip(".").split(".")
        state = self.state
        camera = self.camera
        if resource in state.settings:
            state.settings[resource] = value
        elif resource.startswith(".image.services.store."):
            state.store[parts[-1]] = value
            if parts[-1] == "commit" and value == "true":
                self._store()
        elif parts[:4] == ["image", "sysimg", "basicImgData", "objectParams"]:
            with contextlib.suppress(ValueError):
                state.object_params[parts[4]] = float(value.rstrip("K"))
                self._apply_object_params()
        elif parts[:3] == ["image", "sysimg", "measureFuncs"] and parts[-1] == "active":
            self._activate(parts[3], int(parts[4]), value == "true")
        elif parts[:3] == ["image", "sysimg", "measureFuncs"] and parts[3] == "spot":
            spot = camera.spots.get(int(parts[4]))
            if spot is not None and parts[5] in {"x", "y"}:
                camera.spots[int(parts[4])] = replace(spot, **{parts[5]: int(float(value))})
                camera._version += 1
        elif parts[:3] == ["image", "sysimg", "alarms"] and parts[-1] == "threshold":
            alarm = camera.alarms.get(int(parts[4]))
            if alarm is not None:
                alarm.threshold_c = float(value.rstrip("K")) - KELVIN

    def _activate(self, kind: str, n: int, active: bool) -> None:
        from tests.fakes.flir_camera import BoxRoi, SpotRoi

        camera = self.camera
        if kind == "spot":
            if active:
                camera.spots.setdefault(n, SpotRoi(x=40, y=30))
            else:
                camera.spots.pop(n, None)
        elif kind == "mbox":
            if active:
                camera.boxes.setdefault(n, BoxRoi(x=30, y=20, width=20, height=20))
            else:
                camera.boxes.pop(n, None)
        elif kind == "diff":
            if active:
                self.state.deltas.setdefault(n, ("spot", 1, "reftemp", 1))
            else:
                self.state.deltas.pop(n, None)
        camera._version += 1

    def measurement(self, kind: str, ident: str) -> dict[str, str] | str:
        """The web page's ``measurement`` action: every field of one tool at once."""
        values = self._group(kind, int(ident) if ident.isdigit() else 0)
        return values or ""

    def alarm(self, ident: str) -> dict[str, str] | str:
        """The web page's ``alarm`` action."""
        n = int(ident) if ident.isdigit() else 0
        return self._alarm_values(n) if 1 <= n <= ALARM_SLOTS else ""

    def global_parameters(self) -> dict[str, str]:
        """The web page's ``global-parameters`` action."""
        params = self.state.object_params
        return {
            "emissivity": f"{params['emissivity']:g}",
            "objectDistance": f"{params['objectDistance']:g}",
            "ambTemp": f"{params['ambTemp']:.2f}K",
            "atmTemp": f"{params['atmTemp']:.2f}K",
            "relHum": f"{params['relHum']:g}",
            "extOptTemp": f"{params['extOptTemp']:.2f}K",
            "extOptTransmAltVal": f"{params['extOptTransm']:g}",
            "extOptTransmAltActive": "false",
        }

    def tree(self, resource: str) -> list[str] | str:
        """The children of a node (inferred: the page's ``getTree``)."""
        slots = {
            ".image.sysimg.measureFuncs.spot": SPOT_SLOTS,
            ".image.sysimg.measureFuncs.mbox": BOX_SLOTS,
            ".image.sysimg.measureFuncs.diff": DIFF_SLOTS,
            ".image.sysimg.measureFuncs.reftemp": 1,
            ".image.sysimg.alarms.measfunc": ALARM_SLOTS,
        }
        if resource == ".resmon.items":
            return [*(str(n) for n in range(1, ALARM_SLOTS + 1)), "tempsens", "digin"]
        count = slots.get(resource.rstrip("."))
        return "" if count is None else [str(n) for n in range(1, count + 1)]

    def _apply_object_params(self) -> None:
        """The radiometric image carries the camera's object parameters."""
        params = self.state.object_params
        camera = self.camera
        camera.camera_info = replace(
            camera.camera_info,
            emissivity=params["emissivity"],
            object_distance=params["objectDistance"],
            reflected_temp_c=params["ambTemp"] - KELVIN,
            atmospheric_temp_c=params["atmTemp"] - KELVIN,
            relative_humidity=params["relHum"],
        )
        camera._version += 1
