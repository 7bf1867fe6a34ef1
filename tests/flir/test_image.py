"""The image platform of FLIR cameras."""

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
    """The image entities of each camera profile."""
    entry = await setup_platform(hass, flir_entry(flir_camera, flir_camera.serial), Platform.IMAGE)
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)


async def test_visual_image_changes_only_with_bytes(
    hass: HomeAssistant, flir_smart, smart_entry, freezer, hass_client
) -> None:
    """The visual image is served; its timestamp moves only when the bytes change."""
    from custom_components.flir_frigate.const import DOMAIN
    from tests.conftest import advance

    entity_id = er.async_get(hass).async_get_entity_id(
        "image", DOMAIN, f"{SMART_SERIAL}_visual_image"
    )
    first = hass.states.get(entity_id).state
    client = await hass_client()
    response = await client.get(f"/api/image_proxy/{entity_id}")
    assert response.status == 200
    assert (await response.read()).startswith(b"\xff\xd8")

    await advance(hass, freezer, 31)
    assert hass.states.get(entity_id).state == first  # same scene, same picture

    flir_smart.visual_revision += 1
    await advance(hass, freezer, 31)
    assert hass.states.get(entity_id).state != first


async def test_thermal_picture(
    hass: HomeAssistant, flir_streaming, streaming_entry, hass_client
) -> None:
    """The rendered thermal picture is a JPEG."""
    from custom_components.flir_frigate.const import DOMAIN

    entity_id = er.async_get(hass).async_get_entity_id(
        "image", DOMAIN, f"{STREAMING_SERIAL}_thermal_picture"
    )
    client = await hass_client()
    response = await client.get(f"/api/image_proxy/{entity_id}")
    assert response.status == 200
    assert (await response.read()).startswith(b"\xff\xd8")
