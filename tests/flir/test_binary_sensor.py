"""The binary_sensor platform of FLIR cameras."""

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
    flir_smart: FakeFlirCamera,
) -> None:
    """The binary_sensor entities of each camera profile."""
    entry = await setup_platform(
        hass, flir_entry(flir_smart, flir_smart.serial), Platform.BINARY_SENSOR
    )
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)


async def test_none_without_alarms(
    hass: HomeAssistant, entity_registry: er.EntityRegistry, flir_streaming: FakeFlirCamera
) -> None:
    """Image-streaming cameras have no alarms, so no entities here."""
    entry = await setup_platform(
        hass, flir_entry(flir_streaming, flir_streaming.serial), Platform.BINARY_SENSOR
    )
    assert er.async_entries_for_config_entry(entity_registry, entry.entry_id) == []
