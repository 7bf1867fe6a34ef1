"""Snapshots of the websocket's entities; PTZ buttons and action; review items; diagnostics."""

import asyncio

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import snapshot_platform
from syrupy.assertion import SnapshotAssertion

from custom_components.flir_frigate.const import DOMAIN
from custom_components.flir_frigate.frigate.diagnostics import async_get_frigate_diagnostics
from custom_components.flir_frigate.frigate.live_services import ptz_command
from tests.fakes.frigate_server import FakeFrigateServer
from tests.frigate.common import FRIGATE_ENTRY_ID, FrigateFactory, loaded_frigate
from tests.frigate.test_live import bridge, live_entry, unload, until


@pytest.fixture
async def frigate(frigate_factory: FrigateFactory) -> FakeFrigateServer:
    """A 0.17 server, websocket on, front_door with PTZ presets and audio."""
    server = await frigate_factory(websocket=True)
    server.live.enable_ptz("front_door")
    server.live.enable_audio("front_door")
    return server


@pytest.mark.usefixtures("entity_registry_enabled_by_default", "frigate_tokens")
@pytest.mark.parametrize("platform", [Platform.SWITCH, Platform.NUMBER, Platform.BUTTON])
async def test_control_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    frigate: FakeFrigateServer,
    freezer: FrozenDateTimeFactory,
    platform: Platform,
) -> None:
    """Switches, numbers and preset buttons of an admin on 0.17, states from Frigate."""
    entry = await live_entry(hass, freezer, frigate, [platform])
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)
    await unload(hass, freezer, entry)


async def test_live_sensors_states(
    hass: HomeAssistant, frigate: FakeFrigateServer, freezer: FrozenDateTimeFactory
) -> None:
    """Audio: the sound level and heard labels; review items fire and mark an alert."""
    entry = await live_entry(hass, freezer, frigate)
    level = loaded_frigate(hass, "sensor", "front_door:sound_level")
    heard = loaded_frigate(hass, "binary_sensor", "front_door:audio_detected")
    alert = loaded_frigate(hass, "binary_sensor", "front_door:alert")
    review = loaded_frigate(hass, "event", "front_door:review")
    await frigate.live.publish("front_door/audio/dBFS", -38.5)
    await frigate.live.publish("front_door/audio/bark", "ON")
    await until(hass, freezer, lambda: hass.states.get(heard).state == STATE_ON)
    assert hass.states.get(level).state == "-38.5"
    assert hass.states.get(heard).attributes["labels"] == ["bark"]
    assert hass.states.get(review).state == STATE_UNKNOWN
    event_id = frigate.create_event("front_door", "person", zones=["porch"])
    await until(hass, freezer, lambda: hass.states.get(alert).state == STATE_ON)
    state = hass.states.get(review)
    assert state.attributes["event_type"] == "alert"
    assert state.attributes["labels"] == ["person"]
    assert state.attributes["zones"] == ["porch"]
    assert state.attributes["event_ids"] == [event_id]
    base = f"/api/flir_frigate/{FRIGATE_ENTRY_ID}/event/{event_id}"
    assert state.attributes["thumbnail_url"] == f"{base}/thumbnail.jpg"
    assert state.attributes["clip_url"] == f"{base}/clip.mp4"
    assert hass.states.get(alert).attributes["labels"] == ["person"]
    frigate.end_event(event_id)
    await until(hass, freezer, lambda: hass.states.get(alert).state == STATE_OFF)
    frigate.create_event("backyard", "dog")  # a detection, on the other camera
    backyard = loaded_frigate(hass, "event", "backyard:review")
    await until(hass, freezer, lambda: hass.states.get(backyard).state != STATE_UNKNOWN)
    assert hass.states.get(backyard).attributes["event_type"] == "detection"
    diagnostics = await async_get_frigate_diagnostics(hass, entry)
    assert diagnostics["websocket"]["connected"] is True
    assert diagnostics["websocket"]["presets"] == {"front_door": ["home", "gate"]}
    assert "token" not in str(diagnostics["websocket"]).lower()
    await unload(hass, freezer, entry)


async def test_ptz_button_and_action(
    hass: HomeAssistant, frigate: FakeFrigateServer, freezer: FrozenDateTimeFactory
) -> None:
    """A preset button and the `ptz` action send Frigate's PTZ commands."""
    entry = await live_entry(hass, freezer, frigate)
    button = loaded_frigate(hass, "button", "front_door:ptz_preset:gate")
    camera = loaded_frigate(hass, "camera", "front_door:camera")
    other = loaded_frigate(hass, "camera", "backyard:camera")
    calls = [
        ("button", "press", {"entity_id": button}),
        (DOMAIN, "ptz", {"entity_id": camera, "action": "move", "argument": "left"}),
        (DOMAIN, "ptz", {"entity_id": camera, "action": "zoom", "argument": "in"}),
        (DOMAIN, "ptz", {"entity_id": camera, "action": "stop"}),
        (DOMAIN, "ptz", {"entity_id": camera, "action": "preset", "argument": "home"}),
    ]
    for domain, service, data in calls:
        task = asyncio.ensure_future(hass.services.async_call(domain, service, data, blocking=True))
        await until(hass, freezer, task.done)
        await task
    await until(hass, freezer, lambda: len(frigate.live.ptz_log) == 5)
    assert [command for _, command in frigate.live.ptz_log] == [
        "preset_gate",
        "MOVE_LEFT",
        "ZOOM_IN",
        "STOP",
        "preset_home",
    ]
    with pytest.raises(ServiceValidationError) as refused:
        await hass.services.async_call(
            DOMAIN, "ptz", {"entity_id": other, "action": "stop"}, blocking=True
        )
    assert refused.value.translation_key == "ptz_not_available"
    with pytest.raises(ServiceValidationError) as invalid:
        await hass.services.async_call(
            DOMAIN,
            "ptz",
            {"entity_id": camera, "action": "preset", "argument": "moon"},
            blocking=True,
        )
    assert invalid.value.translation_key == "ptz_invalid_argument"
    await unload(hass, freezer, entry)


def test_ptz_command() -> None:
    assert ptz_command("move", " Up ") == "MOVE_UP"
    with pytest.raises(ServiceValidationError):
        ptz_command("move", "sideways")
    with pytest.raises(ServiceValidationError):
        ptz_command("zoom", "")


async def test_start_while_down_and_commands_while_down(
    hass: HomeAssistant, frigate: FakeFrigateServer, freezer: FrozenDateTimeFactory
) -> None:
    """/ws failing at setup: the entry loads and connects later; no presets without ptz/info.

    Commands while the socket is down fail with a translated error.
    """
    frigate.faults.paths = ("/ws", "/api/front_door/ptz/info")
    frigate.faults.status = 502
    frigate.faults.status_count = 3  # the check at setup, presets, first attempt of the task
    entry = await live_entry(hass, freezer, frigate)
    live = bridge(entry)
    assert live.presets == {}
    await frigate.live.publish("front_door/audio/bark", "ON")
    await frigate.live.publish("front_door/audio/bark", "OFF")
    heard = loaded_frigate(hass, "binary_sensor", "front_door:audio_detected")
    await until(hass, freezer, lambda: hass.states.get(heard).state == STATE_OFF)
    frigate.faults.status_count = None  # every handshake refused from now on
    await frigate.live.drop()
    await until(hass, freezer, lambda: not live.connected)
    with pytest.raises(HomeAssistantError) as down:
        await live.async_set("front_door", "detect", False)
    assert down.value.translation_key == "live_disconnected"
    with pytest.raises(HomeAssistantError) as ptz_down:
        await live.async_ptz("front_door", "STOP")
    assert ptz_down.value.translation_key == "live_disconnected"
    await unload(hass, freezer, entry)
