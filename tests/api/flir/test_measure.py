"""Spot, box and line statistics, frame statistics and area validation."""

import math

import numpy as np
import pytest

from custom_components.flir_frigate.api.flir.measure import (
    Area,
    AreaStats,
    FrameStats,
    frame_stats,
    line_points,
    measure_area,
    validate_area,
)

# 6 rows x 8 columns, value = 10 * row + column.
FRAME = (10.0 * np.arange(6)[:, None] + np.arange(8)[None, :]).astype(np.float64)
NONE = AreaStats(max=None, min=None, avg=None)


def test_spot():
    assert measure_area(FRAME, Area(kind="spot", x=3, y=2)) == AreaStats(
        max=23.0, min=23.0, avg=23.0
    )
    assert measure_area(FRAME, Area(kind="spot", x=8, y=0)) == NONE
    assert measure_area(FRAME, Area(kind="spot", x=-1, y=0)) == NONE


def test_box_inclusive_corners():
    stats = measure_area(FRAME, Area(kind="box", x=1, y=1, x2=3, y2=2))
    assert stats == AreaStats(max=23.0, min=11.0, avg=17.0)


def test_box_swapped_corners_and_clipping():
    assert measure_area(FRAME, Area(kind="box", x=3, y=2, x2=1, y2=1)) == measure_area(
        FRAME, Area(kind="box", x=1, y=1, x2=3, y2=2)
    )
    clipped = measure_area(FRAME, Area(kind="box", x=-5, y=4, x2=100, y2=100))
    assert clipped == AreaStats(max=57.0, min=40.0, avg=48.5)
    assert measure_area(FRAME, Area(kind="box", x=20, y=20, x2=30, y2=30)) == NONE
    assert measure_area(FRAME, Area(kind="box", x=2, y=3)) == AreaStats(
        max=32.0, min=32.0, avg=32.0
    )


def test_line_samples_one_pixel_per_step():
    xs, ys = line_points(Area(kind="line", x=0, y=0, x2=7, y2=3), 8, 6)
    assert xs.tolist() == list(range(8))
    assert ys.tolist() == [0, 0, 1, 1, 2, 2, 3, 3]
    stats = measure_area(FRAME, Area(kind="line", x=0, y=0, x2=7, y2=3))
    assert stats.max == 37.0
    assert stats.min == 0.0
    assert stats.avg == pytest.approx(np.mean([v + 10 * r for v, r in zip(xs, ys, strict=True)]))


def test_line_directions_and_steep():
    xs, ys = line_points(Area(kind="line", x=2, y=5, x2=2, y2=0), 8, 6)
    assert xs.tolist() == [2] * 6
    assert ys.tolist() == [5, 4, 3, 2, 1, 0]
    xs, ys = line_points(Area(kind="line", x=7, y=5, x2=0, y2=0), 8, 6)
    assert len(xs) == 8
    assert (xs[0], ys[0], xs[-1], ys[-1]) == (7, 5, 0, 0)


def test_line_clipped_to_frame():
    full_x, full_y = line_points(Area(kind="line", x=-10, y=-10, x2=20, y2=20), 8, 6)
    assert full_x.tolist() == full_y.tolist() == list(range(6))
    huge_x, _ = line_points(Area(kind="line", x=-(10**9), y=3, x2=10**9, y2=3), 8, 6)
    assert huge_x.tolist() == list(range(8))
    out_x, _ = line_points(Area(kind="line", x=-50, y=-50, x2=-10, y2=-1), 8, 6)
    assert out_x.size == 0
    assert measure_area(FRAME, Area(kind="line", x=-50, y=-50, x2=-10, y2=-1)) == NONE
    assert measure_area(FRAME, Area(kind="line", x=4, y=4, x2=4, y2=4)).avg == 44.0


def test_nan_pixels_are_ignored():
    frame = FRAME.copy()
    frame[1, 1] = np.nan
    stats = measure_area(frame, Area(kind="box", x=0, y=0, x2=1, y2=1))
    assert (stats.max, stats.min) == (10.0, 0.0)
    assert stats.avg == pytest.approx(11 / 3)
    assert measure_area(frame, Area(kind="spot", x=1, y=1)) == NONE
    frame[:] = np.nan
    assert measure_area(frame, Area(kind="line", x=0, y=0, x2=7, y2=5)) == NONE


def test_values_are_python_floats():
    stats = measure_area(FRAME.astype(np.float32), Area(kind="box", x=0, y=0, x2=2, y2=2))
    assert type(stats.max) is float
    assert type(stats.avg) is float


def test_frame_stats():
    frame = FRAME.copy()
    frame[2, 5] = 99.0
    frame[4, 1] = -7.0
    stats = frame_stats(frame)
    assert stats == FrameStats(
        max=99.0, min=-7.0, mean=stats.mean, hot_x=5, hot_y=2, cold_x=1, cold_y=4
    )
    assert stats.mean == pytest.approx(frame.mean())
    assert type(stats.max) is float
    assert type(stats.hot_x) is int


def test_frame_stats_ignores_nan():
    frame = FRAME.copy()
    frame[0, 0] = np.nan
    frame[5, 7] = np.nan
    stats = frame_stats(frame)
    assert (stats.max, stats.hot_x, stats.hot_y) == (56.0, 6, 5)
    assert (stats.min, stats.cold_x, stats.cold_y) == (1.0, 1, 0)
    assert stats.mean == pytest.approx(np.nanmean(frame))
    empty = frame_stats(np.full((3, 3), np.nan))
    assert math.isnan(empty.max)
    assert math.isnan(empty.min)
    assert math.isnan(empty.mean)


@pytest.mark.parametrize("bad", [np.zeros(5), np.zeros((0, 3)), np.zeros((2, 2, 2))])
def test_bad_frames(bad):
    with pytest.raises(ValueError):
        frame_stats(bad)
    with pytest.raises(ValueError):
        measure_area(bad, Area(kind="spot", x=0, y=0))


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        (Area(kind="spot", x=0, y=0), None),
        (Area(kind="spot", x=79, y=59), None),
        (Area(kind="spot", x=80, y=0), "out_of_bounds"),
        (Area(kind="spot", x=0, y=-1), "out_of_bounds"),
        (Area(kind="box", x=0, y=0, x2=79, y2=59), None),
        (Area(kind="box", x=5, y=5, x2=5, y2=5), None),
        (Area(kind="box", x=5, y=5, x2=4, y2=9), "empty_area"),
        (Area(kind="box", x=5, y=5, x2=9, y2=4), "empty_area"),
        (Area(kind="box", x=5, y=5, x2=80, y2=9), "out_of_bounds"),
        (Area(kind="box", x=5, y=5), "empty_area"),
        (Area(kind="line", x=0, y=0, x2=79, y2=59), None),
        (Area(kind="line", x=9, y=9, x2=0, y2=0), None),
        (Area(kind="line", x=3, y=3, x2=3, y2=3), "empty_area"),
        (Area(kind="line", x=3, y=3, x2=3, y2=60), "out_of_bounds"),
        (Area(kind="line", x=3, y=3, y2=3), "empty_area"),
    ],
)
def test_validate_area(area, expected):
    assert validate_area(area, 80, 60) == expected
