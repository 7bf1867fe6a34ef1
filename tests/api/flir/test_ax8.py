"""The Ax8 client against the fake Ax8 over loopback: discovery, cycles, validity, logins."""

from collections.abc import Callable
from typing import Any

import aiohttp
import pytest

from custom_components.flir_frigate.api.flir import ax8 as ax8_module
from custom_components.flir_frigate.api.flir.ax8 import Ax8Client
from custom_components.flir_frigate.api.flir.ax8_still import StillRecord
from custom_components.flir_frigate.api.flir.exceptions import (
    FlirAuthenticationError,
    FlirConnectionError,
    FlirUnexpectedDeviceError,
)
from custom_components.flir_frigate.api.flir.measure import measure_area
from tests.api.flir.conftest import CameraFactory
from tests.fakes.flir_camera import FakeFlirCamera

type Ax8Factory = Callable[..., Ax8Client]


@pytest.fixture
async def ax8(camera_factory: CameraFactory) -> FakeFlirCamera:
    """A fake Ax8 with a frozen scene; the store is ready at once."""
    camera = await camera_factory(profile="ax8")
    assert camera.ax8 is not None
    camera.ax8.state.store_delay = 0.0
    return camera


@pytest.fixture
def make_ax8(session: aiohttp.ClientSession) -> Ax8Factory:
    """An Ax8 client for a fake camera."""

    def make(camera: FakeFlirCamera, **kwargs: Any) -> Ax8Client:
        kwargs.setdefault("request_timeout", 5.0)
        return Ax8Client(camera.url, session=session, **kwargs)

    return make


def fake(camera: FakeFlirCamera) -> Any:
    """The camera's Ax8 part."""
    assert camera.ax8 is not None
    return camera.ax8


async def test_discovery_finds_the_active_tools(ax8: FakeFlirCamera, make_ax8: Ax8Factory) -> None:
    client = make_ax8(ax8)
    caps = await client.discover()
    assert caps.interface == "ax8"
    assert (caps.spots, caps.boxes, caps.deltas, caps.references) == ((1, 2), (1, 2), (1,), (1,))
    assert caps.alarms == (1, 2)
    assert caps.monitors == ("tempsens", "digin")
    assert caps.temp_sensors == (1,)
    assert not client.rediscovery_needed
    assert await client.check() == "FLIR AX8"


async def test_cycle_values_in_celsius(ax8: FakeFlirCamera, make_ax8: Ax8Factory) -> None:
    client = make_ax8(ax8)
    data = await client.measurements()
    temps = ax8.temperatures()
    spot = data.spots[1]
    assert spot.valid == "="
    expected = measure_area(temps, ax8.area("spot", 1)).max
    assert spot.temperature == pytest.approx(expected, abs=0.01)
    box = data.boxes[1]
    area = ax8.area("box", 1)
    stats = measure_area(temps, area)
    assert box.max == pytest.approx(stats.max, abs=0.01)
    assert box.min == pytest.approx(stats.min, abs=0.01)
    assert box.median is not None
    assert box.min < box.median < box.max
    assert box.max_x is not None
    assert box.max_y is not None
    assert temps[box.max_y, box.max_x] == pytest.approx(stats.max, abs=0.01)
    assert (box.x, box.y) == (area.x, area.y)
    assert data.deltas[1].value == pytest.approx(spot.temperature - 25.0, abs=0.02)
    assert data.deltas[1].first == "spot1"
    assert data.references[1].temperature == pytest.approx(25.0)
    alarm = data.alarms[1]
    assert (alarm.threshold, alarm.condition, alarm.roi) == (
        pytest.approx(60.0),
        "ABOVE",
        "mbox1.maxT",
    )
    assert alarm.triggered is False
    assert data.monitors["tempsens"].triggered is False
    assert data.temp_sensors[1].temperature == pytest.approx(38.0, abs=0.5)
    params = data.object_parameters
    assert params is not None
    assert (params.emissivity, params.distance, params.humidity) == (0.95, 1.0, 0.5)
    assert params.reflected_c == pytest.approx(20.0)
    assert data.failed == ()


async def test_one_request_per_tool(ax8: FakeFlirCamera, make_ax8: Ax8Factory) -> None:
    client = make_ax8(ax8)
    await client.discover(keep_readings=True)
    before = ax8.requests["/res.php"]
    await client.measurements()  # the discovery's readings serve the tools
    assert ax8.requests["/res.php"] - before == 4  # monitors 2, internal, parameters
    before = ax8.requests["/res.php"]
    await client.measurements()
    # spots 2, boxes 2, delta, reference, alarms 2, monitors 2, internal; the parameters are kept
    assert ax8.requests["/res.php"] - before == 11
    assert ax8.max_concurrency == 1


async def test_object_parameters_once_per_discovery(
    ax8: FakeFlirCamera, make_ax8: Ax8Factory
) -> None:
    """They change only when written: read after a discovery and after a write, else kept."""
    client = make_ax8(ax8)
    await client.discover()
    await client.measurements()
    await client.measurements()
    assert fake(ax8).requests_by_action["global-parameters"] == 1
    await client.set_object_parameters(emissivity=0.8)
    assert (await client.measurements()).object_parameters.emissivity == 0.8  # type: ignore[union-attr]
    await client.discover()
    await client.measurements()
    assert fake(ax8).requests_by_action["global-parameters"] == 3


async def test_out_of_range_values_are_invalid(ax8: FakeFlirCamera, make_ax8: Ax8Factory) -> None:
    client = make_ax8(ax8)
    spot = ax8.spots[1]
    ax8.set_hotspot(spot.x, spot.y, 400.0, radius=2.0)
    box = ax8.boxes[1]
    ax8.set_hotspot(box.x + 2, box.y + 2, 250.0, radius=1.0)
    data = await client.measurements()
    assert data.spots[1].temperature is None
    assert data.spots[1].valid == ">"
    assert data.boxes[1].max is None
    assert data.boxes[1].max_valid == ">"
    assert data.boxes[1].min is not None
    assert data.alarms[1].triggered is True
    assert data.deltas[1].value is not None  # a difference of clipped values is still given


async def test_tools_come_and_go(
    ax8: FakeFlirCamera, make_ax8: Ax8Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = make_ax8(ax8)
    await client.discover()
    fake(ax8).set(".image.sysimg.measureFuncs.spot.2.active", "false")
    data = await client.measurements()
    assert 2 not in data.spots
    assert client.rediscovery_needed
    assert (await client.discover()).spots == (1,)
    fake(ax8).set(".image.sysimg.measureFuncs.mbox.4.active", "true")
    assert not client.rediscovery_needed
    monkeypatch.setattr(ax8_module, "REDISCOVER_AFTER", 0.0)
    assert client.rediscovery_needed  # a minute later, the tree is read again
    assert (await client.discover()).boxes == (1, 2, 4)


async def test_tree_refused_probes_instances(ax8: FakeFlirCamera, make_ax8: Ax8Factory) -> None:
    fake(ax8).tree = lambda resource: ""
    caps = await make_ax8(ax8).discover()
    assert caps.spots == (1, 2)
    assert caps.alarms == (1, 2)


async def test_image_sequence_and_interval(ax8: FakeFlirCamera, make_ax8: Ax8Factory) -> None:
    from custom_components.flir_frigate.api.flir.rjpeg import decode_rjpeg

    client = make_ax8(ax8, username="admin", password="admin", image_interval=60)
    first = await client.image()
    state = fake(ax8).state
    assert (state.stores, state.downloads, state.deletes) == (1, 1, 1)
    assert state.files == {}
    assert state.store["overlay"] == "false"
    decoded = decode_rjpeg(first)
    assert (decoded.width, decoded.height) == (80, 60)
    assert decoded.camera.serial == ax8.serial
    assert await client.image() is first  # within the interval: no flash write
    assert state.stores == 1
    client._stills.stored_at -= 61  # type: ignore[operator]
    await client.image()
    assert (state.stores, state.deletes, client.stills) == (2, 2, 2)


async def test_clients_of_one_camera_share_their_stills(
    ax8: FakeFlirCamera, make_ax8: Ax8Factory
) -> None:
    """A flow's client, then the entry's, then the entry's after reloads: one store in all."""
    record = StillRecord()
    first = await make_ax8(ax8, still_record=record).image()
    for _ in range(3):
        client = make_ax8(ax8, still_record=record)
        assert await client.image() is first
        assert client.image_age is not None
    assert (fake(ax8).state.stores, record.stores) == (1, 1)
    record.stored_at -= 60  # type: ignore[operator]
    assert await make_ax8(ax8, still_record=record).image() is not first
    assert fake(ax8).state.stores == 2


async def test_a_failed_delete_keeps_the_still(ax8: FakeFlirCamera, make_ax8: Ax8Factory) -> None:
    """Refused credentials fail the delete; the still downloaded before it is served after."""
    client = make_ax8(ax8, username="admin", password="wrong")
    with pytest.raises(FlirAuthenticationError):
        await client.image()
    assert (await client.image()).startswith(b"\xff\xd8")
    assert (fake(ax8).state.stores, fake(ax8).state.deletes) == (1, 0)


async def test_a_failed_still_counts_as_stored(
    ax8: FakeFlirCamera, make_ax8: Ax8Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store whose download never came is not repeated before the interval is over."""
    monkeypatch.setattr(ax8_module, "STORE_WAIT", (0.0, 0.0))
    fake(ax8).state.store_delay = 60.0
    record = StillRecord()
    with pytest.raises(FlirConnectionError, match="did not store"):
        await make_ax8(ax8, still_record=record).image()
    with pytest.raises(FlirConnectionError, match="no still yet"):
        await make_ax8(ax8, still_record=record).image()
    assert fake(ax8).state.stores == 1


async def test_image_waits_for_the_store(ax8: FakeFlirCamera, make_ax8: Ax8Factory) -> None:
    fake(ax8).state.store_delay = 0.12
    client = make_ax8(ax8, username="admin", password="admin")
    assert (await client.image()).startswith(b"\xff\xd8")
    assert ax8.requests["/download.php"] >= 2  # 404 until written


async def test_image_never_stored(
    ax8: FakeFlirCamera, make_ax8: Ax8Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ax8_module, "STORE_WAIT", (0.0, 0.0))
    fake(ax8).state.store_delay = 60.0
    with pytest.raises(FlirConnectionError):
        await make_ax8(ax8).image()


async def test_image_without_credentials_stays(ax8: FakeFlirCamera, make_ax8: Ax8Factory) -> None:
    await make_ax8(ax8).image()
    state = fake(ax8).state
    assert state.deletes == 0
    assert list(state.files) == ["/FLIR/images/flir_frigate.jpg"]


async def test_snapshot_keeps_its_session(ax8: FakeFlirCamera, make_ax8: Ax8Factory) -> None:
    client = make_ax8(ax8, username="admin", password="admin")
    assert (await client.snapshot()).startswith(b"\xff\xd8")
    assert len(fake(ax8).state.sessions) == 1
    await client.snapshot()
    assert ax8.requests["/login/dologin"] == 1  # refreshed only after a few seconds
    with pytest.raises(FlirUnexpectedDeviceError):
        await client.visual_image()


async def test_login_when_the_camera_asks(ax8: FakeFlirCamera, make_ax8: Ax8Factory) -> None:
    fake(ax8).state.require_login = True
    assert (await make_ax8(ax8, username="admin", password="admin").discover()).spots == (1, 2)
    with pytest.raises(FlirAuthenticationError):
        await make_ax8(ax8).discover()
    with pytest.raises(FlirAuthenticationError):
        await make_ax8(ax8, username="admin", password="wrong").discover()
    assert await make_ax8(ax8).login() is False


async def test_object_parameters_written(ax8: FakeFlirCamera, make_ax8: Ax8Factory) -> None:
    client = make_ax8(ax8)
    await client.set_object_parameters(
        emissivity=0.8, distance=3.5, reflected_c=30.0, atmospheric_c=15.0, humidity=0.3
    )
    params = fake(ax8).state.object_params
    assert params["emissivity"] == 0.8
    assert params["ambTemp"] == pytest.approx(303.15)
    assert params["atmTemp"] == pytest.approx(288.15)
    read = await client.object_parameters()
    assert (read.emissivity, read.distance, read.humidity) == (0.8, 3.5, 0.3)
    assert ax8.camera_info.emissivity == 0.8  # the next still carries them
    with pytest.raises(ValueError, match="unknown"):
        await client.set_object_parameters(colour=1.0)


async def test_not_an_ax8(camera_factory: CameraFactory, make_ax8: Ax8Factory) -> None:
    rest = await camera_factory(profile="smart_sensor")
    with pytest.raises(FlirUnexpectedDeviceError):
        await make_ax8(rest).check()


async def test_failing_camera(ax8: FakeFlirCamera, make_ax8: Ax8Factory) -> None:
    client = make_ax8(ax8)
    await client.discover()
    ax8.faults.status = 500
    with pytest.raises(FlirConnectionError):
        await client.measurements()
    ax8.faults.status = 500
    ax8.faults.status_count = 1
    data = await client.measurements()
    assert data.failed == ("spot/1",)
    ax8.faults.reset()
    ax8.faults.malformed_json = True
    data = await client.measurements()
    assert "spot/1" in data.failed
    ax8.faults.reset()
    await ax8.stop()
    with pytest.raises(FlirConnectionError):
        await client.measurements()


def test_client_settings(session: aiohttp.ClientSession) -> None:
    with pytest.raises(ValueError, match="interval"):
        Ax8Client("127.0.0.1", session=session, image_interval=0)
    with pytest.raises(ValueError, match="timeout"):
        Ax8Client("127.0.0.1", session=session, request_timeout=0)
    client = Ax8Client("https://cam.local:8443", session=session)
    assert client.websocket_url == "wss://cam.local:8443/"
    assert client.image_age is None


async def test_hostile_answers(ax8: FakeFlirCamera, make_ax8: Ax8Factory) -> None:
    """Answers no Ax8 gives: each becomes the library's error, nothing else leaves it."""
    from custom_components.flir_frigate.api.flir import ax8_transport
    from custom_components.flir_frigate.api.flir.ax8_transport import Ax8Reply, check

    client = make_ax8(ax8, username="admin", password="admin")
    for status, error in (
        (503, FlirConnectionError),
        (403, FlirAuthenticationError),
        (418, FlirUnexpectedDeviceError),
    ):
        with pytest.raises(error):
            check(Ax8Reply(status=status, content_type="text/plain", body=b""), "x")
    assert await client.get(".no.such.resource") is None  # the camera answers ""
    original_get = fake(ax8).get
    fake(ax8).get = lambda resource: ["a", "list"]  # type: ignore[method-assign,assignment,return-value]
    with pytest.raises(FlirUnexpectedDeviceError, match="not a value"):
        await client.get(".anything")
    fake(ax8).get = original_get  # type: ignore[method-assign]
    original = fake(ax8).alarm
    fake(ax8).alarm = lambda ident: "not an object"
    await client.discover()
    fake(ax8).alarm = original
    transport = client._transport
    with pytest.raises(FlirUnexpectedDeviceError, match="too large"):
        await transport.request("GET", "/prod/res/version/product/name", limit=10)
    with pytest.raises(FlirUnexpectedDeviceError, match="too large"):
        await transport.request("GET", "/snapshot.jpg", limit=ax8_transport.MAX_TEXT_BYTES // 64)


async def test_keeps_asking_for_the_login(ax8: FakeFlirCamera, make_ax8: Ax8Factory) -> None:
    """A camera that takes the login but still redirects to it is a refusal."""
    state = fake(ax8).state
    state.require_login = True
    client = make_ax8(ax8, username="admin", password="admin")
    fake(ax8)._session = lambda request: False  # type: ignore[method-assign]
    with pytest.raises(FlirAuthenticationError, match="keeps asking"):
        await client.discover()


async def test_not_a_jpeg(ax8: FakeFlirCamera, make_ax8: Ax8Factory) -> None:
    """A still or a snapshot that is not a JPEG is refused."""
    client = make_ax8(ax8, username="admin", password="admin")
    ax8.faults.truncated_image = True
    state = fake(ax8).state
    state.snapshot_frozen = b"GIF89a"
    state.sessions.clear()
    await client.snapshot()  # a fresh session: a real frame again
    fake(ax8)._fresh_session = lambda: False  # type: ignore[method-assign]
    state.snapshot_frozen = b"GIF89a"
    with pytest.raises(FlirUnexpectedDeviceError, match="snapshot"):
        await client.snapshot()
    original = ax8._radiometric
    ax8._radiometric = lambda: b"GIF89a"  # type: ignore[method-assign]
    with pytest.raises(FlirUnexpectedDeviceError, match="stored image"):
        await client.image()
    ax8._radiometric = original  # type: ignore[method-assign]


async def test_timeouts_fail_the_cycle(ax8: FakeFlirCamera, make_ax8: Ax8Factory) -> None:
    """A camera that stops answering fails the cycle after two timeouts, not after all."""
    client = make_ax8(ax8, request_timeout=0.2)
    await client.discover()
    ax8.faults.timeout = True
    with pytest.raises(FlirConnectionError, match="keeps failing"):
        await client.measurements()
    assert ax8.requests["/res.php"] < 40  # gave up early
    ax8.faults.reset()
    assert (await client.measurements()).spots
