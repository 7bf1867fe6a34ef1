"""The sensor platform of FLIR cameras."""

import pytest
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import snapshot_platform
from syrupy.assertion import SnapshotAssertion

from tests.conftest import flir_entry, setup_platform
from tests.fakes.flir_camera import FakeFlirCamera


@pytest.mark.freeze_time("2026-11-21 12:00:00+00:00")
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    flir_camera: FakeFlirCamera,
) -> None:
    """The sensor entities of each camera profile."""
    entry = await setup_platform(hass, flir_entry(flir_camera, flir_camera.serial), Platform.SENSOR)
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)
