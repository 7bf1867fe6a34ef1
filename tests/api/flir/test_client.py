"""FlirClient against the fake FLIR camera over real loopback HTTP."""

import asyncio
import contextlib
import logging
import socket
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import pytest
from aiohttp import web

from custom_components.flir_frigate.api.flir import client as client_module
from custom_components.flir_frigate.api.flir.client import (
    MAX_INSTANCES,
    FlirClient,
    _parse_alarm_list,
)
from custom_components.flir_frigate.api.flir.exceptions import (
    FlirAuthenticationError,
    FlirConnectionError,
    FlirDecodeError,
    FlirError,
    FlirUnexpectedDeviceError,
)
from custom_components.flir_frigate.api.flir.host import normalize_host
from custom_components.flir_frigate.api.flir.measure import Area, measure_area
from custom_components.flir_frigate.api.flir.models import (
    Alarm,
    BoxMeasurement,
    Capabilities,
    LineMeasurement,
    SpotMeasurement,
    TempSensor,
)
from custom_components.flir_frigate.api.flir.rjpeg import decode_rjpeg, is_radiometric
from custom_components.flir_frigate.api.flir.transport import retry_delay

if TYPE_CHECKING:
    from tests.fakes.flir_camera import FakeFlirCamera

    from .conftest import CameraFactory, ClientFactory

# Encoding to raw counts and back costs a few hundredths of a degree at most.
TOLERANCE = 0.06


def needs_rediscovery(client: FlirClient) -> bool:
    """Read the flag through a call, so type narrowing does not stick between assertions."""
    return client.rediscovery_needed


def json_requests(camera: FakeFlirCamera) -> list[str]:
    return [
        entry for entry in camera.request_log if entry.endswith(".json") or "/api/alarms" in entry
    ]


# ---------------------------------------------------------------- host handling


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("192.168.0.100", "http://192.168.0.100"),
        ("  192.168.0.100  ", "http://192.168.0.100"),
        ("192.168.0.100:8080", "http://192.168.0.100:8080"),
        ("flir-a400.local", "http://flir-a400.local"),
        ("Camera_1.lan:81", "http://camera_1.lan:81"),
        ("http://192.168.0.100/", "http://192.168.0.100"),
        ("https://cam.example.com", "https://cam.example.com"),
        ("https://cam.example.com:8443/", "https://cam.example.com:8443"),
        ("http://192.168.0.100/api/image/current?imgformat=JPEG", "http://192.168.0.100"),
        ("http://proxy.lan/flir/api", "http://proxy.lan/flir"),
        ("http://proxy.lan/flir/", "http://proxy.lan/flir"),
        ("fe80::1", "http://[fe80::1]"),
        ("[fe80::1]:8080", "http://[fe80::1]:8080"),
    ],
)
def test_normalize_host(host: str, expected: str) -> None:
    assert normalize_host(host) == expected


@pytest.mark.parametrize(
    "host",
    [
        "",
        "   ",
        "http://",
        "ftp://192.168.0.100",
        "rtsp://192.168.0.100/avc",
        "192.168.0.100:99999",
        "192.168.0.100:port",
        "999.1.1.1",
        "cam era.local",
        "-bad-.local",
        "http://user:secret@192.168.0.100",
        "<script>",
        "a..b",
    ],
)
def test_normalize_host_rejects_garbage(host: str) -> None:
    with pytest.raises(ValueError) as err:
        normalize_host(host)
    assert "secret" not in str(err.value)


async def test_client_rejects_bad_arguments(make_client: ClientFactory) -> None:
    with pytest.raises(ValueError):
        make_client("not a host")
    with pytest.raises(ValueError):
        make_client("127.0.0.1", request_timeout=0)
    with pytest.raises(ValueError):
        make_client("127.0.0.1", username="a:b", password="x")
    client = make_client("http://127.0.0.1:1/")
    assert client.base_url == "http://127.0.0.1:1"
    assert client.capabilities is None
    assert not needs_rediscovery(client)
    with pytest.raises(ValueError):
        await client.spot(0)
    with pytest.raises(ValueError):
        await client.image(width=0)


# -------------------------------------------------------------------- discovery


async def test_discover_smart_sensor(camera: FakeFlirCamera, make_client: ClientFactory) -> None:
    client = make_client(camera)
    caps = await client.discover()
    assert caps == Capabilities(
        spots=(1, 2),
        boxes=(1, 2),
        lines=(1,),
        temp_sensors=(1, 2),
        alarms=(1, 2),
        has_alarms_endpoint=True,
        visual_format="VISIBLE",
        auth="none",
    )
    assert client.capabilities == caps
    assert caps.has_measurements
    # Probing stops at the first gap; one request for the whole alarm list.
    assert camera.requests["/api/spot/3.json"] == 1
    assert camera.requests["/api/spot/4.json"] == 0
    assert camera.requests["/api/line/2.json"] == 1
    assert camera.requests["/api/alarms"] == 1
    assert camera.requests["/api/alarm/1.json"] == 0


async def test_discover_image_streaming(
    streaming_camera: FakeFlirCamera, make_client: ClientFactory
) -> None:
    client = make_client(streaming_camera)
    caps = await client.discover()
    assert caps == Capabilities(has_alarms_endpoint=False, visual_format="JPEG_visual", auth="none")
    assert not caps.has_measurements
    measurements = await client.measurements()
    assert measurements.spots == {}
    assert measurements.boxes == {}
    assert measurements.alarms == {}
    assert measurements.failed == ()


async def test_discover_bounded_by_model_limits(
    camera_factory: CameraFactory, make_client: ClientFactory
) -> None:
    camera = await camera_factory(spots=12, boxes=11, lines=0, temp_sensors=0, alarms=12)
    caps = await make_client(camera).discover()
    assert caps.spots == tuple(range(1, MAX_INSTANCES + 1))
    assert caps.boxes == tuple(range(1, MAX_INSTANCES + 1))
    assert caps.alarms == tuple(range(1, MAX_INSTANCES + 1))
    assert caps.lines == caps.temp_sensors == ()
    assert camera.requests["/api/spot/11.json"] == 0
    assert camera.requests["/api/box/11.json"] == 0


async def test_discover_stops_at_first_gap(
    camera_factory: CameraFactory, make_client: ClientFactory
) -> None:
    camera = await camera_factory(spots=4, boxes=2)
    camera.delete_roi("spot", 2)
    camera.delete_roi("box", 1)
    caps = await make_client(camera).discover()
    assert caps.spots == (1,)
    assert caps.boxes == ()
    assert camera.requests["/api/spot/3.json"] == 0


async def test_discover_without_alarm_list_probes_instances(
    camera: FakeFlirCamera, make_client: ClientFactory
) -> None:
    camera.faults.status = 404
    camera.faults.paths = ("/api/alarms",)
    client = make_client(camera)
    caps = await client.discover()
    assert caps.alarms == (1, 2)
    assert caps.has_alarms_endpoint is False
    camera.requests.clear()
    measurements = await client.measurements()
    assert set(measurements.alarms) == {1, 2}
    assert camera.requests["/api/alarm/1.json"] == 1
    assert camera.requests["/api/alarms"] == 0


async def test_discover_treats_server_errors_as_absent(
    camera: FakeFlirCamera, make_client: ClientFactory
) -> None:
    """Some embedded servers answer 500 for paths they do not know."""
    camera.faults.status = 500
    camera.faults.paths = ("/api/spot/", "/api/alarms", "/api/alarm/")
    caps = await make_client(camera).discover()
    assert caps.spots == caps.alarms == ()
    assert caps.boxes == (1, 2)
    assert camera.requests["/api/spot/1.json"] == 1  # not retried


async def test_discover_fails_while_the_camera_is_busy(
    camera: FakeFlirCamera, make_client: ClientFactory
) -> None:
    camera.faults.status = 503
    camera.faults.retry_after = 0
    camera.faults.paths = ("/api/box/",)
    with pytest.raises(FlirConnectionError):
        await make_client(camera).discover()


async def test_discover_ignores_json_endpoints_that_answer_html(
    camera: FakeFlirCamera, make_client: ClientFactory
) -> None:
    camera.faults.malformed_json = True
    caps = await make_client(camera).discover()
    assert caps.spots == caps.boxes == caps.alarms == ()
    assert caps.visual_format == "VISIBLE"


# ------------------------------------------------------------------ measurements


async def test_measurements_agree_with_the_image(
    camera: FakeFlirCamera, make_client: ClientFactory
) -> None:
    client = make_client(camera)
    measurements = await client.measurements()  # discovers first
    assert client.capabilities is not None
    image = await client.image()
    decoded = decode_rjpeg(image)
    assert decoded.camera.serial == camera.serial
    assert decoded.camera.model == camera.model
    assert (decoded.width, decoded.height) == (camera.width, camera.height)
    temps = decoded.temperatures()

    assert measurements.failed == ()
    assert set(measurements.spots) == {1, 2}
    for spot in measurements.spots.values():
        assert spot.unit == "C"
        assert spot.x is not None
        assert spot.y is not None
        expected = measure_area(temps, Area(kind="spot", x=spot.x, y=spot.y))
        assert spot.temperature == pytest.approx(expected.max, abs=TOLERANCE)
    for box in measurements.boxes.values():
        assert None not in (box.x, box.y, box.width, box.height)
        assert box.x is not None
        assert box.y is not None
        assert box.width is not None
        assert box.height is not None
        area = Area(
            kind="box", x=box.x, y=box.y, x2=box.x + box.width - 1, y2=box.y + box.height - 1
        )
        expected = measure_area(temps, area)
        assert box.max == pytest.approx(expected.max, abs=TOLERANCE)
        assert box.min == pytest.approx(expected.min, abs=TOLERANCE)
        assert box.avg == pytest.approx(expected.avg, abs=TOLERANCE)
    line = measurements.lines[1]
    expected = measure_area(temps, camera.area("line", 1))
    assert line.max == pytest.approx(expected.max, abs=TOLERANCE)
    assert line.avg == pytest.approx(expected.avg, abs=TOLERANCE)
    assert line.points
    assert max(p for p in line.points if p is not None) == pytest.approx(line.max, abs=0.01)
    # The hottest blob sits in box 1, the second one under spot 1.
    assert measurements.boxes[1].max is not None
    assert 40 < measurements.boxes[1].max < 50
    assert measurements.spots[1].temperature is not None
    assert 30 < measurements.spots[1].temperature < 40
    assert {sensor.name for sensor in measurements.temp_sensors.values()} == {"Internal", "FPA"}
    assert all(alarm.state == "inactive" for alarm in measurements.alarms.values())


async def test_one_alarm_request_per_cycle_and_celsius_always(
    camera: FakeFlirCamera, make_client: ClientFactory
) -> None:
    client = make_client(camera)
    await client.discover()
    camera.requests.clear()
    camera.request_log.clear()
    for _ in range(3):
        measurements = await client.measurements()
        assert set(measurements.alarms) == {1, 2}
    assert camera.requests["/api/alarms"] == 3
    assert not any(path.startswith("/api/alarm/") for path in camera.requests)
    for path in ("/api/spot/1.json", "/api/spot/2.json", "/api/box/2.json", "/api/line/1.json"):
        assert camera.requests[path] == 3
    assert camera.requests["/api/spot/3.json"] == 0
    assert sum(camera.requests.values()) == 3 * (2 + 2 + 1 + 2 + 1)
    assert all("tempUnit=C" in entry for entry in json_requests(camera))


async def test_single_reads(camera: FakeFlirCamera, make_client: ClientFactory) -> None:
    client = make_client(camera)
    assert isinstance(await client.spot(1), SpotMeasurement)
    assert isinstance(await client.box(2), BoxMeasurement)
    assert isinstance(await client.line(1), LineMeasurement)
    sensor = await client.temp_sensor(1)
    assert isinstance(sensor, TempSensor)
    assert sensor.temperature == pytest.approx(38.5)
    alarm = await client.alarm(1)
    assert alarm == Alarm(
        instance=1,
        name="Alarm 1",
        state="inactive",
        triggered=False,
        threshold=60.0,
        unit="C",
        roi="Bx1",
    )
    assert (await client.alarms())[1] == alarm
    with pytest.raises(FlirUnexpectedDeviceError):
        await client.spot(7)


@pytest.mark.parametrize(
    ("switch", "value"),
    [("status", 500), ("status", 400), ("malformed_json", True)],
)
async def test_one_failing_roi_does_not_fail_the_cycle(
    camera: FakeFlirCamera, make_client: ClientFactory, switch: str, value: object
) -> None:
    client = make_client(camera)
    await client.discover()
    setattr(camera.faults, switch, value)
    camera.faults.paths = ("/api/box/2.json",)
    measurements = await client.measurements()
    assert measurements.failed == ("box/2",)
    assert set(measurements.boxes) == {1}
    assert set(measurements.spots) == {1, 2}
    assert set(measurements.alarms) == {1, 2}
    assert not needs_rediscovery(client)


async def test_one_roi_timing_out_does_not_fail_the_cycle(
    camera: FakeFlirCamera, make_client: ClientFactory
) -> None:
    client = make_client(camera, request_timeout=0.3)
    await client.discover()
    camera.faults.timeout = True
    camera.faults.paths = ("/api/spot/2.json",)
    measurements = await client.measurements()
    assert measurements.failed == ("spot/2",)
    assert set(measurements.spots) == {1}
    assert set(measurements.boxes) == {1, 2}


async def test_failed_alarm_list(camera: FakeFlirCamera, make_client: ClientFactory) -> None:
    client = make_client(camera)
    await client.discover()
    camera.faults.malformed_json = True
    camera.faults.paths = ("/api/alarms",)
    measurements = await client.measurements()
    assert measurements.failed == ("alarms",)
    assert measurements.alarms == {}


async def test_camera_in_trouble_fails_the_cycle(
    camera: FakeFlirCamera, make_client: ClientFactory
) -> None:
    client = make_client(camera)
    await client.discover()
    camera.requests.clear()
    camera.faults.status = 503
    camera.faults.retry_after = 0
    with pytest.raises(FlirConnectionError):
        await client.measurements()
    # Two requests, each tried three times, then the cycle gave up.
    assert camera.requests["/api/spot/1.json"] == 3
    assert camera.requests["/api/spot/2.json"] == 3
    assert camera.requests["/api/box/1.json"] == 0


async def test_camera_gone_fails_the_cycle(
    camera_factory: CameraFactory, make_client: ClientFactory
) -> None:
    camera = await camera_factory()
    client = make_client(camera)
    await client.discover()
    await camera.stop()
    with pytest.raises(FlirConnectionError):
        await client.measurements()


async def test_deleted_roi_needs_rediscovery(
    camera: FakeFlirCamera, make_client: ClientFactory
) -> None:
    client = make_client(camera)
    await client.discover()
    camera.delete_roi("box", 2)
    measurements = await client.measurements()
    assert needs_rediscovery(client)
    assert set(measurements.boxes) == {1}
    assert measurements.failed == ("box/2",)
    caps = await client.discover()
    assert caps.boxes == (1,)
    assert not needs_rediscovery(client)
    measurements = await client.measurements()
    assert measurements.failed == ()
    assert not needs_rediscovery(client)


async def test_deleted_alarm_needs_rediscovery(
    camera: FakeFlirCamera, make_client: ClientFactory
) -> None:
    client = make_client(camera)
    await client.discover()
    camera.delete_roi("alarm", 1)
    measurements = await client.measurements()
    assert set(measurements.alarms) == {2}
    assert needs_rediscovery(client)
    assert (await client.discover()).alarms == (2,)


async def test_alarm_trigger_acknowledge_clear(
    camera: FakeFlirCamera, make_client: ClientFactory
) -> None:
    client = make_client(camera)
    await client.discover()
    box = camera.boxes[1]
    centre = (box.x + box.width // 2, box.y + box.height // 2)

    camera.set_hotspot(*centre, temp_c=80.0, radius=3)
    measurements = await client.measurements()
    assert measurements.boxes[1].max == pytest.approx(80.0, abs=0.01)
    alarm = measurements.alarms[1]
    assert (alarm.state, alarm.triggered, alarm.roi) == ("active", True, "Bx1")
    assert measurements.alarms[2].state == "inactive"

    assert camera.acknowledge(1) is True
    alarm = (await client.measurements()).alarms[1]
    assert (alarm.state, alarm.triggered) == ("acknowledged", True)

    camera.clear_hotspots()
    alarm = (await client.measurements()).alarms[1]
    assert (alarm.state, alarm.triggered) == ("inactive", False)
    assert camera.acknowledge(1) is False


async def test_alarm_hysteresis(camera: FakeFlirCamera, make_client: ClientFactory) -> None:
    client = make_client(camera)
    await client.discover()
    spot = camera.spots[1]  # alarm 2: spot 1 above 50 °C, hysteresis 2 °C

    async def state_at(temp_c: float) -> str | None:
        camera.clear_hotspots()
        camera.set_hotspot(spot.x, spot.y, temp_c=temp_c, radius=2)
        measurements = await client.measurements()
        assert measurements.spots[1].temperature == pytest.approx(temp_c, abs=0.01)
        return measurements.alarms[2].state

    assert await state_at(49.0) == "inactive"
    assert await state_at(51.0) == "active"
    assert await state_at(48.5) == "active"  # within the hysteresis band
    assert await state_at(47.5) == "inactive"


# -------------------------------------------------------------------------- images


async def test_image_and_check(camera: FakeFlirCamera, make_client: ClientFactory) -> None:
    client = make_client(camera)
    image = await client.check()
    assert is_radiometric(image)
    assert image == await client.image()  # same scene, cached frame
    assert camera.requests["/api/image/current"] == 2
    assert camera.request_log[0] == "/api/image/current?imgformat=JPEG"


async def test_image_streaming_check(
    streaming_camera: FakeFlirCamera, make_client: ClientFactory
) -> None:
    image = await make_client(streaming_camera).check()
    decoded = decode_rjpeg(image)
    assert (decoded.width, decoded.height) == (640, 480)
    assert decoded.camera.model == "FLIR A50"


async def test_visual_image_falls_back_to_jpeg_visual(
    streaming_camera: FakeFlirCamera, make_client: ClientFactory
) -> None:
    client = make_client(streaming_camera)
    visual = await client.visual_image()
    assert visual.startswith(b"\xff\xd8")
    assert not is_radiometric(visual)
    assert streaming_camera.request_log == [
        "/api/image/current?imgformat=VISIBLE",
        "/api/image/current?imgformat=JPEG_visual",
    ]
    await client.visual_image()
    assert streaming_camera.request_log[-1] == "/api/image/current?imgformat=JPEG_visual"
    assert len(streaming_camera.request_log) == 3  # remembered: VISIBLE not tried again
    caps = await client.discover()
    assert caps.visual_format == "JPEG_visual"


async def test_visual_image_smart_sensor_and_size(
    camera: FakeFlirCamera, make_client: ClientFactory
) -> None:
    client = make_client(camera)
    visual = await client.visual_image(width=160, height=120)
    assert visual.startswith(b"\xff\xd8")
    assert camera.request_log == ["/api/image/current?imgformat=VISIBLE&width=160&height=120"]


async def test_no_visual_image(camera: FakeFlirCamera, make_client: ClientFactory) -> None:
    camera.faults.status = 400
    camera.faults.paths = ("/api/image/current",)
    client = make_client(camera)
    with pytest.raises(FlirUnexpectedDeviceError):
        await client.visual_image()
    camera.faults.paths = ("/api/image",)  # discovery carries on without a visual image
    assert (await client.discover()).visual_format is None


# ---------------------------------------------------------------------------- auth


@pytest.mark.parametrize("auth", ["basic", "digest"])
async def test_auth_right_credentials(
    camera_factory: CameraFactory, make_client: ClientFactory, auth: str
) -> None:
    camera = await camera_factory(auth=auth, username="admin", password="pa:ss wörd")
    client = make_client(camera, username="admin", password="pa:ss wörd")
    assert (await client.check()).startswith(b"\xff\xd8")
    caps = await client.discover()
    assert caps.auth == auth
    measurements = await client.measurements()
    assert measurements.failed == ()
    assert set(measurements.spots) == {1, 2}


@pytest.mark.parametrize("auth", ["basic", "digest"])
async def test_auth_wrong_or_missing_credentials(
    camera_factory: CameraFactory,
    make_client: ClientFactory,
    auth: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    camera = await camera_factory(auth=auth, username="admin", password="right-secret")
    with pytest.raises(FlirAuthenticationError) as wrong:
        await make_client(camera, username="admin", password="wrong-secret").check()
    with pytest.raises(FlirAuthenticationError) as wrong_user:
        await make_client(camera, username="root", password="right-secret").discover()
    with pytest.raises(FlirAuthenticationError):
        await make_client(camera).check()
    with pytest.raises(FlirAuthenticationError):
        await make_client(camera).measurements()
    for err in (wrong, wrong_user):
        assert "secret" not in str(err.value)
        assert "secret" not in repr(err.value.__cause__)
    assert "secret" not in caplog.text


async def test_credentials_for_an_open_camera(
    camera: FakeFlirCamera, make_client: ClientFactory
) -> None:
    caps = await make_client(camera, username="admin", password="admin").discover()
    assert caps.auth == "none"


async def test_login_redirect_is_an_auth_error(
    camera: FakeFlirCamera, make_client: ClientFactory
) -> None:
    camera.faults.login_redirect = True
    with pytest.raises(FlirAuthenticationError):
        await make_client(camera).check()


# -------------------------------------------------------------------------- faults


async def test_latency_within_timeout(camera: FakeFlirCamera, make_client: ClientFactory) -> None:
    camera.faults.latency = 0.1
    client = make_client(camera, request_timeout=2.0)
    assert (await client.spot(1)).temperature is not None


async def test_latency_beyond_timeout(camera: FakeFlirCamera, make_client: ClientFactory) -> None:
    camera.faults.latency = 1.0
    with pytest.raises(FlirConnectionError):
        await make_client(camera, request_timeout=0.2).image()


async def test_hanging_camera_times_out(camera: FakeFlirCamera, make_client: ClientFactory) -> None:
    camera.faults.timeout = True
    client = make_client(camera, request_timeout=0.2)
    with pytest.raises(FlirConnectionError):
        await client.check()
    with pytest.raises(FlirConnectionError):
        await client.discover()
    camera.faults.timeout = False
    assert (await client.discover()).spots == (1, 2)


async def test_retry_after_then_success(camera: FakeFlirCamera, make_client: ClientFactory) -> None:
    camera.faults.status = 503
    camera.faults.retry_after = 0
    camera.faults.status_count = 2
    image = await make_client(camera).image()
    assert is_radiometric(image)
    assert camera.requests["/api/image/current"] == 3


@pytest.mark.parametrize("status", [429, 502, 503, 504])
async def test_persistent_busy_is_a_connection_error(
    camera: FakeFlirCamera, make_client: ClientFactory, status: int
) -> None:
    camera.faults.status = status
    camera.faults.retry_after = "0"
    with pytest.raises(FlirConnectionError):
        await make_client(camera).check()
    assert camera.requests["/api/image/current"] == 3  # two retries at most


async def test_server_error_is_not_retried(
    camera: FakeFlirCamera, make_client: ClientFactory
) -> None:
    camera.faults.status = 500
    with pytest.raises(FlirConnectionError):
        await make_client(camera).image()
    assert camera.requests["/api/image/current"] == 1


@pytest.mark.parametrize(
    ("attempt", "header", "expected"),
    [
        (0, None, 0.5),
        (1, None, 1.0),
        (5, None, 1.0),
        (0, "1", 1.0),
        (1, "0", 0.0),
        (0, "30", 2.0),
        (0, "-3", 0.0),
        (0, "soon", 0.5),
        (0, "Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
        (1, "Wed, 21 Oct 2015 07:28:01 GMT", 1.0),
    ],
)
def test_retry_delay(attempt: int, header: str | None, expected: float) -> None:
    assert retry_delay(attempt, header, now=1445412480.0) == pytest.approx(expected)


async def test_malformed_json(camera: FakeFlirCamera, make_client: ClientFactory) -> None:
    camera.faults.malformed_json = True
    client = make_client(camera)
    with pytest.raises(FlirUnexpectedDeviceError):
        await client.spot(1)
    with pytest.raises(FlirUnexpectedDeviceError):
        await client.alarms()


async def test_truncated_image(camera: FakeFlirCamera, make_client: ClientFactory) -> None:
    full = await make_client(camera).image()
    camera.faults.truncated_image = True
    truncated = await make_client(camera).image()
    assert 0 < len(truncated) < len(full)
    with pytest.raises(FlirDecodeError):
        decode_rjpeg(truncated)


@pytest.mark.parametrize("kind", [True, "html", "json"])
async def test_not_a_flir_camera(
    camera: FakeFlirCamera, make_client: ClientFactory, kind: object
) -> None:
    camera.faults.not_flir = kind  # type: ignore[assignment]
    client = make_client(camera)
    with pytest.raises(FlirUnexpectedDeviceError):
        await client.check()
    with pytest.raises(FlirUnexpectedDeviceError):
        await client.visual_image()


async def test_image_endpoint_404_is_not_a_flir_camera(
    camera: FakeFlirCamera, make_client: ClientFactory
) -> None:
    camera.faults.status = 404
    camera.faults.paths = ("/api/image/current",)
    with pytest.raises(FlirUnexpectedDeviceError):
        await make_client(camera).check()


async def test_plain_jpeg_is_accepted_by_check_but_not_radiometric(
    camera: FakeFlirCamera, make_client: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = make_client(camera)
    visual = await client.visual_image()

    async def plain(**_: object) -> bytes:
        return visual

    monkeypatch.setattr(client, "image", plain)
    image = await client.check()
    assert not is_radiometric(image)


async def test_unreachable_port(make_client: ClientFactory) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = make_client(f"127.0.0.1:{port}", request_timeout=2.0)
    with pytest.raises(FlirConnectionError) as err:
        await client.check()
    assert not isinstance(err.value, FlirUnexpectedDeviceError)
    with pytest.raises(FlirConnectionError):
        await client.discover()
    with pytest.raises(FlirConnectionError):
        await client.measurements()


async def test_every_error_is_a_flir_error(
    camera: FakeFlirCamera, make_client: ClientFactory
) -> None:
    client = make_client(camera, request_timeout=0.2)
    for switch, value in (
        ("timeout", True),
        ("not_flir", True),
        ("status", 418),
        ("truncated_image", True),
    ):
        camera.faults.reset()
        setattr(camera.faults, switch, value)
        for call in (client.spot(1), client.alarms(), client.visual_image()):
            with contextlib.suppress(FlirError):
                await call


# --------------------------------------------------------------------- concurrency


async def test_requests_are_serialized(camera: FakeFlirCamera, make_client: ClientFactory) -> None:
    client = make_client(camera)
    await client.discover()
    camera.faults.latency = 0.02
    camera.max_concurrency = 0
    results = await asyncio.gather(
        client.measurements(),
        client.image(),
        client.visual_image(),
        client.spot(1),
        client.box(1),
        client.alarms(),
        client.measurements(),
    )
    assert len(results) == 7
    assert camera.max_concurrency == 1


async def test_requests_from_two_clients_are_not_serialized_together(
    camera: FakeFlirCamera, make_client: ClientFactory
) -> None:
    # The lock is per client: the Home Assistant layer must keep one client per camera.
    camera.faults.latency = 0.05
    first, second = make_client(camera), make_client(camera)
    await asyncio.gather(first.spot(1), second.spot(1))
    assert camera.max_concurrency == 2


async def test_flir_client_is_reusable_after_errors(
    camera: FakeFlirCamera, make_client: ClientFactory
) -> None:
    client: FlirClient = make_client(camera, request_timeout=0.2)
    camera.faults.timeout = True
    with pytest.raises(FlirConnectionError):
        await client.spot(1)
    camera.faults.reset()
    assert (await client.spot(1)).instance == 1


# -------------------------------------------------------------------------- models


def test_spot_from_dict_is_defensive() -> None:
    spot = SpotMeasurement.from_dict(
        {"name": " Sp1 ", "temperature": "23.5", "x": "12", "y": 7.6, "unit": "°C", "new": 1},
        instance=3,
    )
    assert spot == SpotMeasurement(instance=3, name="Sp1", temperature=23.5, x=12, y=8, unit="C")
    bad: object
    for bad in (None, "NaN", "inf", float("nan"), float("inf"), True, "", "23.5 C", [1], {}):
        parsed = SpotMeasurement.from_dict({"temperature": bad, "x": bad}, instance=1)
        assert parsed.temperature is None
        assert parsed.x is None
    empty = SpotMeasurement.from_dict({}, instance=1)
    assert empty == SpotMeasurement(instance=1)
    assert SpotMeasurement.from_dict({"temperature": 0}, instance=1).temperature == 0.0


def test_box_and_line_from_dict() -> None:
    nested = BoxMeasurement.from_dict(
        {"max": 50, "min": 20.5, "avg": None, "area": {"x": 1, "y": 2, "width": 3, "height": 4}},
        instance=1,
    )
    assert (nested.max, nested.min, nested.avg) == (50.0, 20.5, None)
    assert (nested.x, nested.y, nested.width, nested.height) == (1, 2, 3, 4)
    flat = BoxMeasurement.from_dict({"x": 5, "y": 6, "width": "7", "height": 8}, instance=2)
    assert (flat.x, flat.y, flat.width, flat.height) == (5, 6, 7, 8)
    line = LineMeasurement.from_dict(
        {"max": 3, "points": [1, "2", None, "x", float("nan")], "unit": "K"}, instance=1
    )
    assert line.points == (1.0, 2.0, None, None, None)
    assert LineMeasurement.from_dict({"points": "1,2"}, instance=1).points == ()
    celsius = line.in_celsius()
    assert celsius.unit == "C"
    assert celsius.max == pytest.approx(3 - 273.15)
    assert celsius.points[2] is None
    assert celsius.points[:2] == pytest.approx((1 - 273.15, 2 - 273.15))


def test_alarm_from_dict() -> None:
    alarm = Alarm.from_dict(
        {
            "instance": "4",
            "name": "Motor",
            "state": "ACTIVE",
            "triggered": "true",
            "threshold": "140",
            "unit": "F",
            "associatedROI": "Bx1",
            "extra": {"x": 1},
        }
    )
    assert alarm == Alarm(
        instance=4,
        name="Motor",
        state="active",
        triggered=True,
        threshold=140.0,
        unit="F",
        roi="Bx1",
    )
    assert alarm.in_celsius().threshold == pytest.approx(60.0)
    assert alarm.in_celsius().unit == "C"
    for raw, expected in (
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        ("False", False),
        ("yes", True),
        ("off", False),
        ("maybe", None),
        (2, None),
        (None, None),
    ):
        assert Alarm.from_dict({"triggered": raw}, instance=1).triggered is expected
    assert Alarm.from_dict({"state": "exploded"}, instance=1).state is None
    assert Alarm.from_dict({"state": " acknowledged "}, instance=1).state == "acknowledged"
    assert Alarm.from_dict({"associatedROI": 3}, instance=1).roi is None
    with pytest.raises(FlirUnexpectedDeviceError):
        Alarm.from_dict({"name": "no instance"})
    with pytest.raises(FlirUnexpectedDeviceError):
        Alarm.from_dict(["not", "an", "object"], instance=1)


def test_units_are_converted_to_celsius() -> None:
    kelvin = TempSensor.from_dict({"temperature": 300.15, "unit": "K"}, instance=1).in_celsius()
    assert kelvin.temperature == pytest.approx(27.0)
    assert kelvin.unit == "C"
    missing = TempSensor.from_dict({"temperature": 30}, instance=1).in_celsius()
    assert (missing.temperature, missing.unit) == (30.0, "C")
    unknown = SpotMeasurement.from_dict({"temperature": 30, "unit": "R"}, instance=1).in_celsius()
    assert (unknown.temperature, unknown.unit) == (None, "R")
    box = BoxMeasurement.from_dict({"max": 212, "min": 32, "unit": "fahrenheit"}, instance=1)
    assert box.in_celsius().max == pytest.approx(100.0)
    assert box.in_celsius().min == pytest.approx(0.0)


@pytest.mark.parametrize("unit", ["K", "F"])
async def test_client_converts_other_units(
    camera: FakeFlirCamera, make_client: ClientFactory, monkeypatch: pytest.MonkeyPatch, unit: str
) -> None:
    """A camera answering in another unit (ignoring tempUnit=C) still gives °C."""
    client = make_client(camera)
    celsius = await client.measurements()
    monkeypatch.setattr(client_module, "_TEMP_UNIT", {"tempUnit": unit})
    other = await client.measurements()
    assert unit in camera.request_log[-1]
    assert other.spots[1].unit == "C"
    assert other.spots[1].temperature == pytest.approx(celsius.spots[1].temperature, abs=0.01)
    assert other.boxes[1].avg == pytest.approx(celsius.boxes[1].avg, abs=0.01)
    assert other.alarms[1].threshold == pytest.approx(60.0)


def test_alarm_list_without_instances() -> None:
    alarms = _parse_alarm_list(
        {"alarms": [{"name": "a"}, "junk", {"name": "c", "instance": 7}, {"instance": 0}]}
    )
    assert sorted(alarms) == [1, 4, 7]
    assert alarms[1].name == "a"
    assert _parse_alarm_list([{"instance": 2}]).keys() == {2}
    with pytest.raises(FlirUnexpectedDeviceError):
        _parse_alarm_list({"alarms": "none"})


# ------------------------------------------------------- odd servers (not the fake)


@pytest.fixture
async def odd_server() -> AsyncIterator[str]:
    """A small server that answers in ways no FLIR camera should."""

    async def png(request: web.Request) -> web.Response:
        fmt = request.query.get("imgformat")
        if fmt == "JPEG":
            return web.Response(body=b"\x89PNG\r\n\x1a\n", content_type="image/png")
        if fmt == "VISIBLE":
            return web.Response(body=b"", content_type="image/jpeg")
        return web.Response(status=415)

    async def listing(request: web.Request) -> web.Response:
        return web.json_response([1, 2, 3])

    async def bearer(request: web.Request) -> web.Response:
        return web.Response(status=401, headers={"WWW-Authenticate": 'Bearer realm="x"'})

    async def huge(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        response.content_type = "application/json"
        await response.prepare(request)
        for _ in range(40):
            await response.write(b" " * 65536)
        await response.write_eof()
        return response

    async def broken(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        response.content_length = 1000
        response.content_type = "application/json"
        await response.prepare(request)
        await response.write(b'{"name": ')
        assert request.transport is not None
        request.transport.close()
        return response

    app = web.Application()
    app.router.add_get("/api/image/current", png)
    app.router.add_get("/api/spot/1.json", listing)
    app.router.add_get("/api/box/1.json", bearer)
    app.router.add_get("/api/line/1.json", huge)
    app.router.add_get("/api/tempsensor/1.json", broken)
    runner = web.AppRunner(app, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"127.0.0.1:{port}"
    await runner.cleanup()


async def test_odd_server(odd_server: str, make_client: ClientFactory) -> None:
    client = make_client(odd_server, username="admin", password="pw")
    with pytest.raises(FlirUnexpectedDeviceError, match="not a JPEG"):
        await client.check()
    with pytest.raises(FlirUnexpectedDeviceError, match="no visual image"):
        await client.visual_image()
    with pytest.raises(FlirAuthenticationError):
        await client.box(1)  # a scheme we cannot answer
    with pytest.raises(FlirUnexpectedDeviceError, match="too large"):
        await client.line(1)
    with pytest.raises(FlirConnectionError):
        await client.temp_sensor(1)
    assert await make_client(odd_server)._probe("spot") == ()  # a JSON list is not a spot


def test_normalize_host_limits() -> None:
    with pytest.raises(ValueError, match="port"):
        normalize_host("192.168.0.100:0")
    with pytest.raises(ValueError):
        normalize_host("a" * 64 + ".local")
    with pytest.raises(ValueError):
        normalize_host(".".join(["abc"] * 70))


@pytest.mark.parametrize("image_format", ["JPEG", "RJPEG", "FLAME", "VISIBLE", "FUSION"])
async def test_every_image_format_of_the_api(camera, session, image_format) -> None:
    """Every imgformat of the API description returns a JPEG from a smart-sensor camera."""
    client = FlirClient(camera.url, session=session)
    data = await client.image(image_format=image_format, width=160, height=120)
    assert data.startswith(b"\xff\xd8")
    assert f"imgformat={image_format}" in camera.request_log[-1]


async def test_unknown_image_format_refused(camera, session) -> None:
    """A format outside the API description is refused before any request."""
    client = FlirClient(camera.url, session=session)
    with pytest.raises(ValueError, match="unknown image format"):
        await client.image(image_format="PNG")  # type: ignore[arg-type]
