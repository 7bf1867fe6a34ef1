"""An Ax8 in Home Assistant: its entities, validity, alarms, stills, push and tools."""

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry, snapshot_platform
from syrupy.assertion import SnapshotAssertion

from custom_components.flir_frigate.api.flir import ax8 as ax8_library
from tests.conftest import advance, setup_platform
from tests.fakes.flir_camera import FakeFlirCamera
from tests.flir.ax8_common import (  # noqa: F401 - fixtures
    ax8_entry,
    ax8_loaded,
    fake,
    flir_ax8,
    state_of,
    until,
)


@pytest.mark.freeze_time("2026-11-21 12:00:00+00:00")
@pytest.mark.usefixtures("entity_registry_enabled_by_default", "fixed_access_tokens")
@pytest.mark.parametrize(
    "platform",
    [Platform.SENSOR, Platform.BINARY_SENSOR, Platform.EVENT, Platform.CAMERA, Platform.IMAGE],
)
async def test_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    flir_ax8: FakeFlirCamera,  # noqa: F811
    platform: Platform,
) -> None:
    """The Ax8's sensors (tools, deltas, reference, internal, frame), alarms, camera, image."""
    entry = await setup_platform(hass, ax8_entry(flir_ax8), platform)
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)


async def test_validity_flag(
    hass: HomeAssistant,
    flir_ax8: FakeFlirCamera,  # noqa: F811
    ax8_loaded: MockConfigEntry,  # noqa: F811
    freezer: FrozenDateTimeFactory,
) -> None:
    """A value the camera flags out of range makes its sensor unavailable, and back."""
    spot = state_of(hass, "sensor", "spot_1_spot_temperature")
    assert spot.attributes["validity"] == "="
    box_max = state_of(hass, "sensor", "box_1_box_max")
    assert {"x", "y", "validity"} <= set(box_max.attributes)
    x, y = flir_ax8.spots[1].x, flir_ax8.spots[1].y
    flir_ax8.set_hotspot(x, y, 400.0, radius=2.0)
    await advance(hass, freezer)
    assert state_of(hass, "sensor", "spot_1_spot_temperature").state == STATE_UNAVAILABLE
    assert state_of(hass, "sensor", "box_1_box_min").state != STATE_UNAVAILABLE
    flir_ax8.clear_hotspots()
    await advance(hass, freezer)
    assert float(state_of(hass, "sensor", "spot_1_spot_temperature").state) < 150


async def test_alarm_triggers(
    hass: HomeAssistant,
    flir_ax8: FakeFlirCamera,  # noqa: F811
    ax8_loaded: MockConfigEntry,  # noqa: F811
    freezer: FrozenDateTimeFactory,
) -> None:
    """A measurement alarm and the internal temperature alarm turn on with the camera's."""
    alarm = state_of(hass, "binary_sensor", "alarm_1_triggered")
    assert alarm.state == STATE_OFF
    assert alarm.attributes["condition"] == "ABOVE"
    assert alarm.attributes["roi"] == "mbox1.maxT"
    assert state_of(hass, "sensor", "alarm_1_alarm_threshold").state == "60.0"
    flir_ax8.set_hotspot(*flir_ax8.alarm_hotspot(1))
    fake(flir_ax8).state.internal_c = 80.0
    await advance(hass, freezer)
    assert state_of(hass, "binary_sensor", "alarm_1_triggered").state == STATE_ON
    assert state_of(hass, "binary_sensor", "monitor_tempsens").state == STATE_ON
    assert state_of(hass, "binary_sensor", "monitor_digin").state == STATE_OFF


async def test_camera_down_and_back(
    hass: HomeAssistant,
    flir_ax8: FakeFlirCamera,  # noqa: F811
    ax8_loaded: MockConfigEntry,  # noqa: F811
    freezer: FrozenDateTimeFactory,
) -> None:
    """Everything goes unavailable while the camera is down, and comes back with it."""
    port = flir_ax8.port
    await flir_ax8.stop()
    await advance(hass, freezer)
    assert state_of(hass, "sensor", "box_1_box_max").state == STATE_UNAVAILABLE
    assert state_of(hass, "binary_sensor", "alarm_1_triggered").state == STATE_UNAVAILABLE
    await flir_ax8.start(port=port)
    await advance(hass, freezer)
    assert state_of(hass, "sensor", "box_1_box_max").state != STATE_UNAVAILABLE


async def test_stills_at_most_once_per_interval(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    flir_ax8: FakeFlirCamera,  # noqa: F811
    ax8_loaded: MockConfigEntry,  # noqa: F811
) -> None:
    """One still at setup, none for the next cycles, the next one a minute later; each deleted."""
    state = fake(flir_ax8).state
    assert (state.stores, state.downloads, state.deletes) == (1, 1, 1)
    for _ in range(5):
        await advance(hass, freezer)
    assert state.stores == 1
    frame_max = state_of(hass, "sensor", "frame_max")
    assert frame_max.state != STATE_UNAVAILABLE
    for _ in range(8):
        await advance(hass, freezer)
    assert (state.stores, state.deletes) == (2, 2)
    assert state.files == {}


async def test_push_without_polling(
    hass: HomeAssistant,
    flir_ax8: FakeFlirCamera,  # noqa: F811
    ax8_loaded: MockConfigEntry,  # noqa: F811
) -> None:
    """Values and alarm triggers pushed by the camera arrive before the next poll."""
    runtime = ax8_loaded.runtime_data
    assert runtime.push is not None
    await until(hass, lambda: runtime.push.connected and fake(flir_ax8).state.subscriptions)
    assert {"spot/1", "box/1", "delta/1", "alarm/1"} <= fake(flir_ax8).state.subscriptions
    flir_ax8.set_hotspot(*flir_ax8.alarm_hotspot(1))
    await until(
        hass, lambda: state_of(hass, "binary_sensor", "alarm_1_triggered").state == STATE_ON
    )
    assert state_of(hass, "binary_sensor", "alarm_1_triggered").state == STATE_ON
    assert runtime.push.messages >= 1
    # A tool removed on the camera: the push says so, the next cycle discovers again.
    client = runtime.client
    assert not client.rediscovery_needed
    fake(flir_ax8).set(".image.sysimg.measureFuncs.spot.2.active", "false")
    await until(hass, lambda: client.rediscovery_needed)
    assert client.rediscovery_needed


async def test_tools_come_and_go(
    hass: HomeAssistant,
    flir_ax8: FakeFlirCamera,  # noqa: F811
    ax8_loaded: MockConfigEntry,  # noqa: F811
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A tool removed on the camera goes unavailable; one added gets entities, no restart."""
    fake(flir_ax8).set(".image.sysimg.measureFuncs.spot.2.active", "false")
    await advance(hass, freezer)
    await advance(hass, freezer)
    assert state_of(hass, "sensor", "spot_2_spot_temperature").state == STATE_UNAVAILABLE
    assert state_of(hass, "sensor", "box_4_box_max") is None
    fake(flir_ax8).set(".image.sysimg.measureFuncs.mbox.4.active", "true")
    monkeypatch.setattr(ax8_library, "REDISCOVER_AFTER", 0.0)
    await advance(hass, freezer)
    assert state_of(hass, "sensor", "box_4_box_max").state != STATE_UNAVAILABLE
    assert state_of(hass, "sensor", "box_4_box_median") is not None
