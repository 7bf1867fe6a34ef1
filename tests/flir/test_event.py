"""The event platform of FLIR cameras."""

import pytest
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import snapshot_platform
from syrupy.assertion import SnapshotAssertion

from tests.conftest import SMART_SERIAL, flir_entry, setup_platform
from tests.fakes.flir_camera import FakeFlirCamera


@pytest.mark.freeze_time("2026-11-21 12:00:00+00:00")
@pytest.mark.usefixtures("entity_registry_enabled_by_default", "fixed_access_tokens")
async def test_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    flir_smart: FakeFlirCamera,
) -> None:
    """The event entities of each camera profile."""
    entry = await setup_platform(hass, flir_entry(flir_smart, flir_smart.serial), Platform.EVENT)
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)


async def test_none_without_alarms(
    hass: HomeAssistant, entity_registry: er.EntityRegistry, flir_streaming: FakeFlirCamera
) -> None:
    """Image-streaming cameras have no alarms, so no entities here."""
    entry = await setup_platform(
        hass, flir_entry(flir_streaming, flir_streaming.serial), Platform.EVENT
    )
    assert er.async_entries_for_config_entry(entity_registry, entry.entry_id) == []


async def test_alarm_events_fire_on_transitions(
    hass: HomeAssistant,
    flir_smart,
    smart_entry,
    freezer,
    entity_registry: er.EntityRegistry,
) -> None:
    """An alarm crossing its threshold fires `triggered`, and `cleared` when it drops back."""
    from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNKNOWN

    from custom_components.flir_frigate.const import DOMAIN
    from tests.conftest import advance

    event_id = entity_registry.async_get_entity_id("event", DOMAIN, f"{SMART_SERIAL}_alarm_1_event")
    sensor_id = entity_registry.async_get_entity_id(
        "binary_sensor", DOMAIN, f"{SMART_SERIAL}_alarm_1_triggered"
    )
    assert hass.states.get(event_id).state == STATE_UNKNOWN
    assert hass.states.get(sensor_id).state == STATE_OFF

    flir_smart.set_hotspot(*flir_smart.alarm_hotspot(1))
    await advance(hass, freezer)
    state = hass.states.get(event_id)
    assert state.attributes["event_type"] == "triggered"
    assert hass.states.get(sensor_id).state == STATE_ON
    fired_at = state.state

    flir_smart.clear_hotspots()
    await advance(hass, freezer)
    state = hass.states.get(event_id)
    assert state.attributes["event_type"] == "cleared"
    assert state.state != fired_at
    assert hass.states.get(sensor_id).state == STATE_OFF


async def test_acknowledged_alarm_state(
    hass: HomeAssistant, flir_smart, smart_entry, freezer, entity_registry: er.EntityRegistry
) -> None:
    """The alarm's own state (acknowledged) is an attribute of its binary sensor."""
    from custom_components.flir_frigate.const import DOMAIN
    from tests.conftest import advance

    sensor_id = entity_registry.async_get_entity_id(
        "binary_sensor", DOMAIN, f"{SMART_SERIAL}_alarm_1_triggered"
    )
    flir_smart.set_hotspot(*flir_smart.alarm_hotspot(1))
    await advance(hass, freezer)
    flir_smart.acknowledge(1)
    await advance(hass, freezer)
    state = hass.states.get(sensor_id)
    assert state.state == "on"
    assert state.attributes["state"] == "acknowledged"
