"""The websocket in Home Assistant: push, switches, numbers, fallback to polling, garbage."""

import asyncio
from collections.abc import Callable
from functools import partial
from unittest.mock import patch

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE, STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.flir_frigate.api.frigate.live import FrigateLive, LiveOptions
from custom_components.flir_frigate.frigate.const import FRIGATE_SCAN_INTERVAL
from custom_components.flir_frigate.frigate.live import LIVE_POLL_INTERVAL, FrigateLiveBridge
from tests.fakes.frigate_server import FakeFrigateServer
from tests.frigate.common import FrigateFactory, loaded_frigate, make_frigate_entry, setup_frigate

LIVE = "custom_components.flir_frigate.frigate.live"
# The clock is frozen and ticked by `until`; heartbeats are tested in tests/api/frigate.
FAST = LiveOptions(heartbeat=None, backoff_initial=0.01, backoff_max=0.05, command_timeout=0.3)


@pytest.fixture
async def frigate(frigate_factory: FrigateFactory) -> FakeFrigateServer:
    """A fake Frigate 0.17 on its internal port, its websocket reachable."""
    return await frigate_factory(websocket=True)


def bridge(entry: MockConfigEntry) -> FrigateLiveBridge:
    live = entry.runtime_data.live
    assert isinstance(live, FrigateLiveBridge)
    return live


async def until(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, check: Callable[[], bool]
) -> None:
    """Let loopback traffic and the (frozen) clock run until `check()` holds."""
    for _ in range(4000):
        # Not `async_block_till_done`: it would wait for an action whose timer needs the
        # clock to move.
        for _ in range(3):
            await asyncio.sleep(0)
        if check():
            return
        freezer.tick(0.005)
    raise AssertionError("condition not met")


async def unload(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, entry: MockConfigEntry
) -> None:
    """Unload the entry and let its socket close (the clock is frozen)."""
    task = bridge(entry).task
    assert task is not None
    await hass.config_entries.async_unload(entry.entry_id)
    await until(hass, freezer, task.done)


async def live_entry(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    server: FakeFrigateServer,
    platforms: list[Platform] | None = None,
    **kwargs: object,
) -> MockConfigEntry:
    """Set up an entry for `server` and wait for its websocket."""
    with patch(f"{LIVE}.FrigateLive", partial(FrigateLive, options=FAST)):
        entry = await setup_frigate(hass, make_frigate_entry(server, **kwargs), platforms)
    live = bridge(entry)
    await until(hass, freezer, lambda: live.connected)
    return entry


async def test_push_event_and_counts(
    hass: HomeAssistant, frigate: FakeFrigateServer, freezer: FrozenDateTimeFactory
) -> None:
    """An event reaches the event entity, counts and motion without a poll."""
    entry = await live_entry(hass, freezer, frigate)
    polls = frigate.requests["/api/events"]
    event_entity = loaded_frigate(hass, "event", "front_door:events")
    count = loaded_frigate(hass, "sensor", "front_door:label_count:person")
    zone = loaded_frigate(hass, "sensor", "front_door:zone_count:porch:person")
    motion = loaded_frigate(hass, "binary_sensor", "front_door:motion")
    assert hass.states.get(event_entity).state == STATE_UNKNOWN
    assert hass.states.get(count).state == "0"
    event_id = frigate.create_event("front_door", "person", zones=["porch"])
    await until(hass, freezer, lambda: hass.states.get(event_entity).state != STATE_UNKNOWN)
    assert hass.states.get(event_entity).attributes["event_id"] == event_id
    await until(hass, freezer, lambda: hass.states.get(zone).state == "1")
    assert hass.states.get(count).state == "1"
    assert hass.states.get(motion).state == STATE_ON
    assert frigate.requests["/api/events"] == polls  # pushed, not polled
    assert bridge(entry).hub.update_interval == LIVE_POLL_INTERVAL
    frigate.end_event(event_id)
    await until(hass, freezer, lambda: hass.states.get(count).state == "0")
    assert hass.states.get(motion).state == STATE_OFF
    await unload(hass, freezer, entry)


async def test_switch_number_confirmed(
    hass: HomeAssistant, frigate: FakeFrigateServer, freezer: FrozenDateTimeFactory
) -> None:
    """A switch and a number change Frigate's setting; the state is Frigate's answer."""
    entry = await live_entry(hass, freezer, frigate)
    detect = loaded_frigate(hass, "switch", "front_door:detect")
    threshold = loaded_frigate(hass, "number", "front_door:motion_threshold")
    assert hass.states.get(detect).state == STATE_ON
    assert hass.states.get(threshold).state == "30"
    call = hass.services.async_call("switch", "turn_off", {"entity_id": detect}, blocking=True)
    task = asyncio.ensure_future(  # not tracked: `until` ticks the clock meanwhile
        call
    )
    await until(hass, freezer, task.done)
    await task
    assert frigate.live.camera("front_door").settings["detect"] is False
    assert hass.states.get(detect).state == STATE_OFF
    task = asyncio.ensure_future(  # not tracked: `until` ticks the clock meanwhile
        hass.services.async_call(
            "number", "set_value", {"entity_id": threshold, "value": 55}, blocking=True
        )
    )
    await until(hass, freezer, task.done)
    await task
    assert hass.states.get(threshold).state == "55"
    assert frigate.live.camera("front_door").settings["motion_threshold"] == 55
    await unload(hass, freezer, entry)


async def test_viewer_refused(
    hass: HomeAssistant, frigate_factory: FrigateFactory, freezer: FrozenDateTimeFactory
) -> None:
    """A user whose role lost admin (0.17.2): Frigate drops the command, the switch raises."""
    server = await frigate_factory("0.17", auth="login", websocket=True)
    entry = await live_entry(hass, freezer, server, credentials=True)
    detect = loaded_frigate(hass, "switch", "front_door:detect")
    server.role = "viewer"
    server.revoke_tokens()
    await server.live.drop()
    live = bridge(entry)
    await until(hass, freezer, lambda: live.live.connects >= 2 and live.connected)
    task = asyncio.ensure_future(  # not tracked: `until` ticks the clock meanwhile
        hass.services.async_call("switch", "turn_off", {"entity_id": detect}, blocking=True)
    )
    await until(hass, freezer, task.done)
    with pytest.raises(HomeAssistantError) as raised:
        await task
    assert raised.value.translation_key == "live_command_not_confirmed"
    assert server.live.camera("front_door").settings["detect"] is True
    assert hass.states.get(detect).state == STATE_ON
    await unload(hass, freezer, entry)


async def test_viewer_gets_no_controls(
    hass: HomeAssistant, frigate_factory: FrigateFactory, freezer: FrozenDateTimeFactory
) -> None:
    """0.17.2 viewers: no switches or numbers; counts and motion still come."""
    server = await frigate_factory("0.17", auth="login", role="viewer", websocket=True)
    entry = await live_entry(hass, freezer, server, credentials=True)
    registry_ids = {
        entity.unique_id
        for entity in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    }
    assert f"{entry.entry_id}:front_door:detect" not in registry_ids
    assert f"{entry.entry_id}:front_door:motion_threshold" not in registry_ids
    assert f"{entry.entry_id}:front_door:motion" in registry_ids
    await unload(hass, freezer, entry)


async def test_reconnect_and_fallback(
    hass: HomeAssistant, frigate: FakeFrigateServer, freezer: FrozenDateTimeFactory
) -> None:
    """Socket down: polling at the normal rate, entities marked; back: the gap is filled."""
    entry = await live_entry(hass, freezer, frigate)
    live = bridge(entry)
    detect = loaded_frigate(hass, "switch", "front_door:detect")
    event_entity = loaded_frigate(hass, "event", "front_door:events")
    frigate.faults.paths = ("/ws",)
    frigate.faults.status = 502
    await frigate.live.drop()
    await until(hass, freezer, lambda: not live.connected)
    assert live.hub.update_interval == FRIGATE_SCAN_INTERVAL
    assert hass.states.get(detect).state == STATE_UNAVAILABLE
    event_id = frigate.create_event("front_door", "person")  # nobody listens: not pushed
    frigate.faults.status = None
    await until(hass, freezer, lambda: live.connected)
    await until(hass, freezer, lambda: hass.states.get(event_entity).state != STATE_UNKNOWN)
    assert hass.states.get(event_entity).attributes["event_id"] == event_id
    assert live.hub.update_interval == LIVE_POLL_INTERVAL
    assert live.reconnects == 1
    assert hass.states.get(detect).state == STATE_ON
    await unload(hass, freezer, entry)


async def test_garbage_socket(
    hass: HomeAssistant, frigate: FakeFrigateServer, freezer: FrozenDateTimeFactory
) -> None:
    """A socket that sends garbage: ignored, the connection stays and pushes still arrive."""
    entry = await live_entry(hass, freezer, frigate)
    await frigate.live.garbage()
    frigate.create_event("backyard", "car")
    count = loaded_frigate(hass, "sensor", "backyard:label_count:car")
    await until(hass, freezer, lambda: hass.states.get(count).state == "1")
    assert bridge(entry).live.connects == 1
    await unload(hass, freezer, entry)


async def test_stats_pushed(
    hass: HomeAssistant, frigate: FakeFrigateServer, freezer: FrozenDateTimeFactory
) -> None:
    """The `stats` topic replaces the stats without a request."""
    entry = await live_entry(hass, freezer, frigate)
    hub = bridge(entry).hub
    requests = frigate.requests["/api/stats"]
    before = hub.data.stats
    frigate.cameras["front_door"].fps = 7
    await frigate.live.publish_stats()
    await until(hass, freezer, lambda: hub.data.stats is not before)
    assert frigate.requests["/api/stats"] == requests
    assert hub.data.cameras["front_door"].stats is not None
    await unload(hass, freezer, entry)


async def test_refused_login_starts_reauth(
    hass: HomeAssistant, frigate_factory: FrigateFactory, freezer: FrozenDateTimeFactory
) -> None:
    """A password changed in Frigate: the websocket's login fails, reauthentication starts."""
    server = await frigate_factory("0.18", auth="login", websocket=True)
    entry = await live_entry(hass, freezer, server, credentials=True)
    task = bridge(entry).task
    assert task is not None
    server.set_password("changed-elsewhere")
    await server.live.drop()
    await until(hass, freezer, task.done)
    flows = hass.config_entries.flow.async_progress_by_handler("flir_frigate")
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]


async def test_no_websocket_behind_a_proxy(
    hass: HomeAssistant, frigate_factory: FrigateFactory, freezer: FrozenDateTimeFactory
) -> None:
    """`/ws` answers 404: polling only, no websocket entities, no task."""
    server = await frigate_factory(websocket=False)
    entry = await setup_frigate(hass, make_frigate_entry(server))
    assert entry.runtime_data.live is None
    assert entry.runtime_data.hub.live is None
    assert entry.runtime_data.hub.update_interval == FRIGATE_SCAN_INTERVAL
    registry = er.async_get(hass)
    unique_ids = {e.unique_id for e in er.async_entries_for_config_entry(registry, entry.entry_id)}
    assert f"{entry.entry_id}:front_door:detect" not in unique_ids
    assert f"{entry.entry_id}:front_door:motion" not in unique_ids


@pytest.mark.parametrize("version", ["0.12", "0.13"])
async def test_old_versions_start_from_the_config(
    hass: HomeAssistant,
    frigate_factory: FrigateFactory,
    freezer: FrozenDateTimeFactory,
    version: str,
) -> None:
    """0.12 and 0.13 answer no `onConnect`: the switches start from Frigate's config."""
    server = await frigate_factory(version, websocket=True)
    entry = await live_entry(hass, freezer, server)
    detect = loaded_frigate(hass, "switch", "front_door:detect")
    assert hass.states.get(detect).state == STATE_ON
    registry = er.async_get(hass)
    unique_ids = {e.unique_id for e in er.async_entries_for_config_entry(registry, entry.entry_id)}
    assert f"{entry.entry_id}:front_door:review_alerts" not in unique_ids  # 0.15+
    assert f"{entry.entry_id}:front_door:review" not in unique_ids  # review items: 0.14+
    task = asyncio.ensure_future(
        hass.services.async_call("switch", "turn_off", {"entity_id": detect}, blocking=True)
    )
    await until(hass, freezer, task.done)
    await task
    assert hass.states.get(detect).state == STATE_OFF
    await unload(hass, freezer, entry)
