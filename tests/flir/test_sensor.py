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


async def test_object_parameter_overrides(
    hass: HomeAssistant, flir_streaming: FakeFlirCamera
) -> None:
    """Emissivity and reflected temperature from the options are applied to local temperatures."""
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from custom_components.flir_frigate.const import DOMAIN
    from custom_components.flir_frigate.flir.const import CONF_EMISSIVITY, CONF_REFLECTED_TEMP
    from tests.conftest import setup_entry

    base = flir_entry(flir_streaming, flir_streaming.serial)
    await setup_entry(hass, base)
    unique_id = f"{flir_streaming.serial}_frame_max"
    entity_id = er.async_get(hass).async_get_entity_id("sensor", DOMAIN, unique_id)
    own = float(hass.states.get(entity_id).state)
    await hass.config_entries.async_unload(base.entry_id)
    await hass.config_entries.async_remove(base.entry_id)
    await hass.async_block_till_done()

    corrected = MockConfigEntry(
        domain=DOMAIN,
        title=base.title,
        unique_id=base.unique_id,
        data=dict(base.data),
        options={CONF_EMISSIVITY: 0.5, CONF_REFLECTED_TEMP: 20.0},
    )
    await setup_entry(hass, corrected)
    entity_id = er.async_get(hass).async_get_entity_id("sensor", DOMAIN, unique_id)
    # A hot object seen with a lower emissivity is hotter than the camera's own estimate.
    assert float(hass.states.get(entity_id).state) > own + 5
