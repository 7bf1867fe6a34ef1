"""What discovery reads serves the cycle right after it: one read of each instance, not two.

Also the cheap paths a cycle takes for every value (floats, °C lines) and the statistics the
renderer can take from its caller.
"""

import math
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pytest

from custom_components.flir_frigate.api.flir import base as base_module
from custom_components.flir_frigate.api.flir.measure import frame_stats
from custom_components.flir_frigate.api.flir.models import LineMeasurement, as_float
from custom_components.flir_frigate.api.flir.render import render_thermal

if TYPE_CHECKING:
    from tests.fakes.flir_camera import FakeFlirCamera

    from .conftest import ClientFactory


def _json_reads(camera: FakeFlirCamera) -> int:
    return sum(1 for entry in camera.request_log if ".json" in entry or "/api/alarms" in entry)


async def test_cycle_after_discovery_reads_nothing_twice(
    camera: FakeFlirCamera, make_client: ClientFactory
) -> None:
    """With keep_readings the first cycle takes discovery's answers; the next one asks again."""
    client = make_client(camera)
    await client.discover(keep_readings=True)
    assert camera.requests["/api/spot/1.json"] == 1
    camera.request_log.clear()
    camera.requests.clear()

    first = await client.measurements()
    assert _json_reads(camera) == 0
    assert set(first.spots) == {1, 2}
    assert set(first.alarms) == {1, 2}
    assert first.boxes[1].max is not None
    assert not first.failed

    second = await client.measurements()
    assert _json_reads(camera) == 2 + 2 + 1 + 2 + 1  # spots, boxes, line, sensors, alarm list
    assert second.spots == first.spots  # a frozen scene: the same values
    assert second.boxes == first.boxes


async def test_discovery_without_keep_readings_is_not_reused(
    camera: FakeFlirCamera, make_client: ClientFactory
) -> None:
    """A plain discover() (the flow, the probe) leaves the cycle to ask the camera."""
    client = make_client(camera)
    await client.discover()
    camera.requests.clear()
    await client.measurements()
    assert camera.requests["/api/spot/1.json"] == 1
    assert camera.requests["/api/alarms"] == 1


async def test_visual_image_read_by_discovery_is_used_once(
    camera: FakeFlirCamera, make_client: ClientFactory
) -> None:
    """The visual image discovery fetched serves the next plain call, after the cycle too."""
    client = make_client(camera)
    await client.discover(keep_readings=True)
    await client.measurements()
    camera.requests.clear()
    kept = await client.visual_image()
    assert camera.requests["/api/image/current"] == 0
    assert kept.startswith(b"\xff\xd8")
    assert await client.visual_image() == kept  # the scene has not changed
    assert camera.requests["/api/image/current"] == 1


async def test_sized_visual_image_is_always_asked(
    camera: FakeFlirCamera, make_client: ClientFactory
) -> None:
    """A still at another size never comes from discovery."""
    client = make_client(camera)
    await client.discover(keep_readings=True)
    camera.request_log.clear()
    await client.visual_image(width=160)
    assert camera.request_log == ["/api/image/current?imgformat=VISIBLE&width=160"]


async def test_readings_expire(
    camera: FakeFlirCamera, make_client: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Answers older than READINGS_FOR are not used: the cycle asks the camera."""
    monkeypatch.setattr(base_module, "READINGS_FOR", -1.0)  # already stale when kept
    client = make_client(camera)
    await client.discover(keep_readings=True)
    camera.requests.clear()
    await client.measurements()
    await client.visual_image()
    assert camera.requests["/api/spot/1.json"] == 1
    assert camera.requests["/api/image/current"] == 1


async def test_rediscovery_reads_each_instance_once(
    camera: FakeFlirCamera, make_client: ClientFactory
) -> None:
    """A deleted instance: rediscovery and the cycle after it read each instance once."""
    client = make_client(camera)
    await client.discover(keep_readings=True)
    await client.measurements()
    camera.delete_roi("spot", 2)
    measurements = await client.measurements()
    assert "spot/2" in measurements.failed
    assert client.rediscovery_needed
    camera.requests.clear()
    caps = await client.discover(keep_readings=True)
    measurements = await client.measurements()
    assert caps.spots == (1,)
    assert set(measurements.spots) == {1}
    assert camera.requests["/api/spot/1.json"] == 1
    assert camera.requests["/api/box/1.json"] == 1


def test_as_float_fast_path_keeps_the_rules() -> None:
    """Plain floats take a shortcut; NaN and infinity are still not numbers."""
    assert as_float(21.5) == 21.5
    assert as_float(math.nan) is None
    assert as_float(math.inf) is None
    assert as_float(True) is None
    assert as_float("21.5") == 21.5


def test_celsius_line_keeps_its_points() -> None:
    """A line already in °C keeps its profile as it is; one in kelvin is converted."""
    celsius = LineMeasurement.from_dict(
        {"max": 30.0, "points": [20.0, None, 30.0], "unit": "C"}, instance=1
    ).in_celsius()
    assert celsius.points == (20.0, None, 30.0)
    kelvin = LineMeasurement.from_dict(
        {"max": 300.0, "points": [293.15, 303.15], "unit": "K"}, instance=1
    ).in_celsius()
    assert kelvin.points == pytest.approx((20.0, 30.0))
    assert kelvin.unit == "C"


def test_render_takes_the_callers_statistics() -> None:
    """Statistics given by the caller are the ones drawn: same frame, same picture."""
    rng = np.random.default_rng(3)
    temps = 20 + rng.normal(0, 0.05, (24, 32))
    temps[5, 7] = 40.0
    stats = frame_stats(temps)
    assert render_thermal(temps, stats=stats) == render_thermal(temps)
    moved = replace(stats, hot_x=25, hot_y=18)
    assert render_thermal(temps, stats=moved) != render_thermal(temps)
