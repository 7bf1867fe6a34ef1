"""Spot, box and line statistics and whole-frame statistics on a temperature array."""

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

type _Floats = npt.NDArray[np.float64]
type _Ints = npt.NDArray[np.intp]


@dataclass(frozen=True, kw_only=True)
class Area:
    """A local measurement: spot (x, y), box (inclusive corners) or line (endpoints)."""

    kind: Literal["spot", "box", "line"]
    x: int
    y: int
    x2: int | None = None
    y2: int | None = None


@dataclass(frozen=True, kw_only=True)
class AreaStats:
    """Statistics of an area; None when no valid pixel lies inside the frame."""

    max: float | None
    min: float | None
    avg: float | None


@dataclass(frozen=True, kw_only=True)
class FrameStats:
    """Whole-frame statistics and the pixel positions of the extremes."""

    max: float
    min: float
    mean: float
    hot_x: int
    hot_y: int
    cold_x: int
    cold_y: int


def _end(area: Area) -> tuple[int, int]:
    return (area.x if area.x2 is None else area.x2, area.y if area.y2 is None else area.y2)


def validate_area(area: Area, width: int, height: int) -> str | None:
    """Return an error key ("out_of_bounds", "empty_area") for an area on a frame, or None."""
    points = [(area.x, area.y)]
    if area.kind != "spot":
        if area.x2 is None or area.y2 is None:
            return "empty_area"
        points.append((area.x2, area.y2))
    if not all(0 <= x < width and 0 <= y < height for x, y in points):
        return "out_of_bounds"
    x2, y2 = _end(area)
    if area.kind == "box" and (x2 < area.x or y2 < area.y):
        return "empty_area"
    if area.kind == "line" and (x2, y2) == (area.x, area.y):
        return "empty_area"
    return None


def line_points(area: Area, width: int, height: int) -> tuple[_Ints, _Ints]:
    """Pixels of a line (rounded linear steps, one per pixel of the major axis), in frame only."""
    x0, y0 = area.x, area.y
    x1, y1 = _end(area)
    dx, dy = x1 - x0, y1 - y0
    steps = max(abs(dx), abs(dy))
    first, last = 0, steps
    if steps:
        # Only step indices that can round into the frame (keeps huge lines cheap).
        for start, delta, size in ((x0, dx, width), (y0, dy, height)):
            if delta:
                lo, hi = sorted(((-1 - start) * steps / delta, (size - start) * steps / delta))
                first, last = max(first, math.floor(lo)), min(last, math.ceil(hi))
    index = np.arange(first, last + 1, dtype=np.float64)
    divisor = steps or 1
    xs = np.rint(x0 + dx * index / divisor).astype(np.intp)
    ys = np.rint(y0 + dy * index / divisor).astype(np.intp)
    inside = (xs >= 0) & (xs < width) & (ys >= 0) & (ys < height)
    return xs[inside], ys[inside]


def _region(temps: _Floats, area: Area) -> _Floats:
    height, width = temps.shape
    if area.kind == "spot":
        if 0 <= area.x < width and 0 <= area.y < height:
            return temps[area.y, area.x : area.x + 1]
        return temps[0:0, 0]
    if area.kind == "box":
        x2, y2 = _end(area)
        left, right = max(min(area.x, x2), 0), min(max(area.x, x2), width - 1)
        top, bottom = max(min(area.y, y2), 0), min(max(area.y, y2), height - 1)
        return temps[top : bottom + 1, left : right + 1]
    xs, ys = line_points(area, width, height)
    return temps[ys, xs]


def _as_frame(temps: npt.NDArray[np.generic]) -> _Floats:
    frame = np.asarray(temps, dtype=np.float64)
    if frame.ndim != 2 or frame.size == 0:  # noqa: PLR2004
        raise ValueError("expected a non-empty 2-D temperature array")
    return frame


def measure_area(temps: npt.NDArray[np.generic], area: Area) -> AreaStats:
    """Max, min and mean of the in-frame, non-NaN pixels of an area (box corners may be swapped)."""
    values = _region(_as_frame(temps), area)
    if values.size and math.isnan(float(values.sum())):
        values = values[~np.isnan(values)]
    if not values.size:
        return AreaStats(max=None, min=None, avg=None)
    return AreaStats(max=float(values.max()), min=float(values.min()), avg=float(values.mean()))


def frame_stats(temps: npt.NDArray[np.generic]) -> FrameStats:
    """Whole-frame max, min, mean and hot/cold pixel positions, ignoring NaN pixels."""
    frame = _as_frame(temps)
    flat = frame.ravel()
    mean = float(flat.mean())
    if math.isnan(mean):
        valid = ~np.isnan(flat)
        if not valid.any():
            return FrameStats(
                max=math.nan, min=math.nan, mean=math.nan, hot_x=0, hot_y=0, cold_x=0, cold_y=0
            )
        mean = float(flat[valid].mean())
        hot = int(np.argmax(np.where(valid, flat, -np.inf)))
        cold = int(np.argmin(np.where(valid, flat, np.inf)))
    else:
        hot, cold = int(flat.argmax()), int(flat.argmin())
    width = frame.shape[1]
    return FrameStats(
        max=float(flat[hot]),
        min=float(flat[cold]),
        mean=mean,
        hot_x=hot % width,
        hot_y=hot // width,
        cold_x=cold % width,
        cold_y=cold // width,
    )
