"""The Ax8's push socket against the fake, applying pushes, parsing values, and the probe."""

import asyncio
from typing import Any

import aiohttp
import pytest

from custom_components.flir_frigate.api.flir import ax8_push
from custom_components.flir_frigate.api.flir import ax8_resources as res
from custom_components.flir_frigate.api.flir.ax8 import Ax8Client
from custom_components.flir_frigate.api.flir.ax8_probe import probe_flir_or_ax8
from custom_components.flir_frigate.api.flir.ax8_push import Ax8Push, apply_push
from custom_components.flir_frigate.api.flir.client import FlirClient
from custom_components.flir_frigate.api.flir.exceptions import FlirUnexpectedDeviceError
from custom_components.flir_frigate.api.flir.models import (
    AlarmMonitor,
    Measurements,
)
from tests.api.flir.conftest import CameraFactory
from tests.fakes.flir_camera import FakeFlirCamera


@pytest.fixture
async def ax8(camera_factory: CameraFactory) -> FakeFlirCamera:
    """A fake Ax8 pushing every 20 ms."""
    camera = await camera_factory(profile="ax8")
    assert camera.ax8 is not None
    camera.ax8.state.store_delay = 0.0
    camera.ax8.state.push_interval = 0.02
    return camera


async def _until(condition: Any, seconds: float = 3.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("timed out")


async def test_push_reaches_the_callback(
    ax8: FakeFlirCamera, session: aiohttp.ClientSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ax8_push, "RETRY_DELAYS", (0.05,))
    client = Ax8Client(ax8.url, session=session)
    data = await client.measurements()
    received: list[dict[str, Any]] = []
    push = Ax8Push(client, session, received.append)
    task = asyncio.create_task(push.run())
    try:
        await _until(lambda: push.connected and received)
        assert ax8.requests["/home/subscribe"] == 1
        first = {k: v for message in received for k, v in message.items()}
        assert ".image.sysimg.measureFuncs.spot.1.valueT" in first
        ax8.set_hotspot(*ax8.alarm_hotspot(1))
        await _until(lambda: any(".resmon.items.1.trigged" in m for m in received[1:]))
        merged = {k: v for message in received for k, v in message.items()}
        updated, plan_changed = apply_push(data, merged)
        assert updated.alarms[1].triggered is True
        assert not plan_changed
        assert updated.boxes[1].max != data.boxes[1].max
        # The camera restarts: the socket comes back and subscribes again.
        assert ax8.ax8 is not None
        await ax8.ax8.close_sockets()
        await _until(lambda: ax8.requests["/home/subscribe"] >= 2)
        assert push.messages >= 2
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_push_stops_and_retries_on_failure(
    ax8: FakeFlirCamera, session: aiohttp.ClientSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ax8_push, "RETRY_DELAYS", (0.05,))
    client = Ax8Client(ax8.url, session=session)
    ax8.faults.status = 500
    ax8.faults.paths = ("/home/subscribe",)
    push = Ax8Push(client, session, lambda _values: None)
    task = asyncio.create_task(push.run())
    try:
        await _until(lambda: ax8.requests["/home/subscribe"] >= 2)
        assert not push.connected
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


def test_apply_push_values_and_flags() -> None:
    data = Measurements(
        spots={1: res.parse_spot(1, {"valueT": "300.15K", "valueValid": "="})},
        boxes={
            1: res.parse_box(
                1,
                {"maxT": "310.15K", "maxValid": "=", "minT": "290.15K", "minValid": "="},
            )
        },
        deltas={1: res.parse_delta(1, {"valueT": "2.5K", "valueValid": "="})},
        monitors={"tempsens": AlarmMonitor(key="tempsens", active=True, triggered=False)},
    )
    prefix = ".image.sysimg.measureFuncs"
    updated, changed = apply_push(
        data,
        {
            f"{prefix}.spot.1.valueT": "310.15K",
            f"{prefix}.mbox.1.maxValid": ">",
            f"{prefix}.mbox.1.minT": "280.15K",
            f"{prefix}.diff.1.valueT": "4.0K",
            f"{prefix}.diff.1.other": "x",
            ".resmon.items.tempsens.trigged": "true",
            ".resmon.items.9.trigged": "true",
            ".unknown.thing": 1,
        },
    )
    assert updated.spots[1].temperature == pytest.approx(37.0)
    assert updated.boxes[1].max is None
    assert updated.boxes[1].max_valid == ">"
    assert updated.boxes[1].min == pytest.approx(7.0)
    assert updated.deltas[1].value == 4.0
    assert updated.monitors["tempsens"].triggered is True
    assert not changed
    flagged, _ = apply_push(updated, {f"{prefix}.spot.1.valueValid": "<"})
    assert flagged.spots[1].temperature is None
    back, _ = apply_push(flagged, {f"{prefix}.spot.1.valueValid": "="})
    assert back.spots[1].valid == "="
    invalid_delta, _ = apply_push(updated, {f"{prefix}.diff.1.valueValid": "<"})
    assert invalid_delta.deltas[1].value is None
    valid_box, _ = apply_push(updated, {f"{prefix}.mbox.1.maxValid": "="})
    assert valid_box.boxes[1].max_valid == "="
    _, gone = apply_push(updated, {f"{prefix}.spot.1.active": "false"})
    _, new = apply_push(updated, {f"{prefix}.spot.3.active": "true"})
    assert gone
    assert new


def test_values_as_the_camera_writes_them() -> None:
    assert res.number("296.15K") == 296.15
    assert res.number(12) == 12.0
    assert res.number("K") is None
    assert res.celsius("273.15K") == 0.0
    assert res.celsius("-5K") is None
    assert res.checked(20.0, ">") is None
    assert res.checked(20.0, None) == 20.0
    assert res.instance_names(["1", "3", "tempsens", 4, "01"]) == (1, 3)
    with pytest.raises(FlirUnexpectedDeviceError):
        res.instance_names("")
    with pytest.raises(FlirUnexpectedDeviceError):
        res.parse_spot(1, "nonsense")
    assert res.parse_alarm(3, {"active": "false"}).state == "inactive"
    assert res.parse_alarm(3, {}).roi is None
    assert res.parse_xml_value(b"<res><other/></res>") is None
    with pytest.raises(FlirUnexpectedDeviceError):
        res.parse_xml_value(b"<html")
    assert res.object_parameter_value("reflected_c", 20.0) == "293.15"
    assert res.object_parameter_value("emissivity", 0.9) == "0.9"
    with pytest.raises(ValueError, match="safe"):
        res.file_name("/FLIR/images/../x y.jpg")
    assert res.file_name("/FLIR/images/a.jpg") == "a.jpg"


async def test_probe_finds_an_ax8(ax8: FakeFlirCamera, session: aiohttp.ClientSession) -> None:
    rest = FlirClient(ax8.url, session=session)
    found = await probe_flir_or_ax8(rest, Ax8Client(ax8.url, session=session))
    assert found.model == "FLIR AX8"
    assert found.serial == ax8.serial
    assert found.capabilities.interface == "ax8"
    assert found.measurements is not None
    assert found.measurements.deltas
    assert any(endpoint.request.endswith("mbox") for endpoint in found.endpoints)


async def test_probe_neither(camera_factory: CameraFactory, session: aiohttp.ClientSession) -> None:
    other = await camera_factory(profile="smart_sensor")
    other.faults.not_flir = "html"
    with pytest.raises(FlirUnexpectedDeviceError, match="image"):
        await probe_flir_or_ax8(
            FlirClient(other.url, session=session), Ax8Client(other.url, session=session)
        )
