"""The camera platform of FLIR cameras."""

import pytest
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import snapshot_platform
from syrupy.assertion import SnapshotAssertion

from tests.conftest import SMART_SERIAL, STREAMING_SERIAL, flir_entry, setup_platform
from tests.fakes.flir_camera import FakeFlirCamera


@pytest.mark.freeze_time("2026-11-21 12:00:00+00:00")
@pytest.mark.usefixtures("entity_registry_enabled_by_default", "fixed_access_tokens")
async def test_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    flir_camera: FakeFlirCamera,
) -> None:
    """The camera entities of each camera profile."""
    entry = await setup_platform(hass, flir_entry(flir_camera, flir_camera.serial), Platform.CAMERA)
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)


JPEG_START = b"\xff\xd8"


async def test_still_and_stream(hass: HomeAssistant, flir_smart, smart_entry, hass_client) -> None:
    """The camera serves the radiometric still and an MJPEG stream of stills."""
    from homeassistant.components.camera import async_get_image

    from custom_components.flir_frigate.api.flir.rjpeg import decode_rjpeg
    from custom_components.flir_frigate.const import DOMAIN

    entity_id = er.async_get(hass).async_get_entity_id(
        "camera", DOMAIN, f"{SMART_SERIAL}_thermal_camera"
    )
    image = await async_get_image(hass, entity_id)
    assert image.content.startswith(JPEG_START)
    assert decode_rjpeg(image.content).camera.serial == SMART_SERIAL

    client = await hass_client()
    response = await client.get(f"/api/camera_proxy_stream/{entity_id}")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("multipart/x-mixed-replace")
    chunk = await response.content.read(4096)
    assert JPEG_START in chunk
    response.close()


async def test_still_error(hass: HomeAssistant, flir_smart, smart_entry) -> None:
    """A camera that cannot deliver a still raises a translated error that says why."""
    from homeassistant.components.camera import async_get_image
    from homeassistant.exceptions import HomeAssistantError

    from custom_components.flir_frigate.const import DOMAIN

    entity_id = er.async_get(hass).async_get_entity_id(
        "camera", DOMAIN, f"{SMART_SERIAL}_thermal_camera"
    )
    flir_smart.faults.status = 500
    with pytest.raises(HomeAssistantError) as raised:
        await async_get_image(hass, entity_id)
    cause = raised.value.__cause__
    assert cause is not None
    assert raised.value.translation_domain == DOMAIN
    assert raised.value.translation_key == "image_failed"
    assert raised.value.translation_placeholders == {"error": str(cause)}
    assert str(cause).strip()


async def test_rtsp_stream_source(hass: HomeAssistant, flir_streaming) -> None:
    """With RTSP in the options the camera offers the RTSP stream, credentials quoted."""
    from homeassistant.components.camera import CameraEntityFeature, async_get_stream_source
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from custom_components.flir_frigate.const import DOMAIN
    from custom_components.flir_frigate.flir.const import (
        CONF_RTSP_ENABLED,
        CONF_RTSP_PASSWORD,
        CONF_RTSP_PATH,
        CONF_RTSP_USERNAME,
    )
    from tests.conftest import setup_entry

    base = flir_entry(flir_streaming, STREAMING_SERIAL)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=base.title,
        unique_id=STREAMING_SERIAL,
        data=dict(base.data),
        options={
            CONF_RTSP_ENABLED: True,
            CONF_RTSP_PATH: "avc",
            CONF_RTSP_USERNAME: "rtsp",
            CONF_RTSP_PASSWORD: "p@ss/word",
        },
    )
    await setup_entry(hass, entry)
    entity_id = er.async_get(hass).async_get_entity_id(
        "camera", DOMAIN, f"{STREAMING_SERIAL}_thermal_camera"
    )
    assert hass.states.get(entity_id).attributes["supported_features"] == CameraEntityFeature.STREAM
    assert (
        await async_get_stream_source(hass, entity_id)
        == "rtsp://rtsp:p%40ss%2Fword@127.0.0.1:554/avc"
    )
