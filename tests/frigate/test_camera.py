"""Frigate cameras: stills at the asked size, the proxied MJPEG stream, the RTSP restream."""

import io
from http import HTTPStatus

import pytest
from homeassistant.components.camera import (
    CameraEntityFeature,
    CameraState,
    async_get_image,
    async_get_stream_source,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from PIL import Image
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.flir_frigate.frigate.camera import rtsp_url
from tests.fakes.frigate_server import FakeFrigateServer
from tests.frigate.common import FrigateFactory, make_frigate_entry, setup_frigate

JPEG_START = b"\xff\xd8"


@pytest.mark.parametrize(
    ("version", "size", "expected"),
    [
        ("0.17", {"height": 120}, (213, 120)),
        ("0.17", {"width": 320}, (320, 180)),
        ("0.14", {"height": 90}, (160, 90)),  # before 0.15 Frigate reads `h`
        ("0.17", {}, (640, 360)),
    ],
)
async def test_still_size(
    hass: HomeAssistant,
    frigate_factory: FrigateFactory,
    version: str,
    size: dict[str, int],
    expected: tuple[int, int],
) -> None:
    """Frigate scales the still to the size the frontend asks for."""
    server = await frigate_factory(version)
    await setup_frigate(hass, make_frigate_entry(server))
    image = await async_get_image(hass, "camera.front_door", **size)
    assert image.content.startswith(JPEG_START)
    assert Image.open(io.BytesIO(image.content)).size == expected


async def test_still_error(
    hass: HomeAssistant, frigate: FakeFrigateServer, frigate_entry: MockConfigEntry
) -> None:
    """A still Frigate cannot give raises a translated error."""
    frigate.faults.paths = ("/api/front_door/latest.jpg",)
    frigate.faults.status = 500
    with pytest.raises(HomeAssistantError) as err:
        await async_get_image(hass, "camera.front_door")
    assert err.value.translation_key == "frigate_image_failed"


async def test_mjpeg_stream(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """The MJPEG stream is Frigate's own, proxied."""
    client = await hass_client()
    response = await client.get("/api/camera_proxy_stream/camera.front_door")
    assert response.status == HTTPStatus.OK
    assert response.headers["Content-Type"] == "multipart/x-mixed-replace;boundary=frame"
    chunk = await response.content.readuntil(b"\xff\xd9")
    assert chunk.startswith(b"--frame\r\nContent-Type: image/jpeg\r\n\r\n" + JPEG_START)
    response.close()
    assert frigate.requests["/api/front_door"] == 1


async def test_mjpeg_stream_error(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """A stream Frigate refuses is a bad gateway."""
    frigate.faults.paths = ("/api/front_door",)
    frigate.faults.status = 500
    client = await hass_client()
    response = await client.get("/api/camera_proxy_stream/camera.front_door")
    assert response.status == HTTPStatus.BAD_GATEWAY


@pytest.mark.parametrize("version", ["0.12", "0.17"])
async def test_stream_source(
    hass: HomeAssistant, frigate_factory: FrigateFactory, version: str
) -> None:
    """go2rtc's restream (0.12: live.stream_name, 0.16+: live.streams) is the stream source."""
    server = await frigate_factory(version)
    await setup_frigate(hass, make_frigate_entry(server))
    state = hass.states.get("camera.front_door")
    assert state.attributes["supported_features"] == CameraEntityFeature.STREAM
    assert await async_get_stream_source(hass, "camera.front_door") == (
        "rtsp://127.0.0.1:8554/front_door"
    )


def test_rtsp_url() -> None:
    """IPv6 hosts are bracketed, names quoted; no restream, no URL."""
    assert rtsp_url("http://[fd00::5]:5000", "front door") == "rtsp://[fd00::5]:8554/front%20door"
    assert rtsp_url("https://nvr.local:8971", None) is None


@pytest.mark.freeze_time("2026-11-21 12:00:00+00:00")
async def test_offline_frame(hass: HomeAssistant, frigate_factory: FrigateFactory) -> None:
    """0.18's last preview frame of an offline camera is returned, but not passed off as live.

    The stats still say online (they refresh every 15 s); the still says otherwise.
    """
    server = await frigate_factory("0.18")
    await setup_frigate(hass, make_frigate_entry(server))
    state = hass.states.get("camera.backyard")
    assert state.state == CameraState.RECORDING
    assert state.attributes["offline_frame"] is False
    assert state.attributes["offline_since"] is None
    server.set_camera_offline("backyard")
    image = await async_get_image(hass, "camera.backyard")
    assert Image.open(io.BytesIO(image.content)).size == (320, 180)  # a preview frame
    state = hass.states.get("camera.backyard")
    assert state.state == CameraState.IDLE
    assert state.attributes["offline_frame"] is True
    assert state.attributes["offline_since"] == "2026-11-21T12:00:00+00:00"
    await async_get_image(hass, "camera.backyard", height=90)  # still offline: unchanged
    assert hass.states.get("camera.backyard").attributes["offline_since"] == (
        "2026-11-21T12:00:00+00:00"
    )
    server.set_camera_offline("backyard", offline=False)
    image = await async_get_image(hass, "camera.backyard")
    assert Image.open(io.BytesIO(image.content)).size == (640, 360)
    state = hass.states.get("camera.backyard")
    assert state.state == CameraState.RECORDING
    assert state.attributes["offline_frame"] is False
    assert hass.states.get("camera.front_door").attributes["offline_frame"] is False


async def test_no_offline_frame_before_0_18(
    hass: HomeAssistant, frigate_factory: FrigateFactory
) -> None:
    """Before 0.18 Frigate does not mark the still of an offline camera: nothing to tell."""
    server = await frigate_factory("0.17")
    await setup_frigate(hass, make_frigate_entry(server))
    server.set_camera_offline("backyard")
    await async_get_image(hass, "camera.backyard")
    assert hass.states.get("camera.backyard").attributes["offline_frame"] is False
