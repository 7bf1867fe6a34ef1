"""The Frigate polling: availability, recovery, cameras coming and going, request counts."""

import logging
from collections import Counter

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.flir_frigate.api.frigate.models import CameraConfig, CameraStats
from custom_components.flir_frigate.const import DOMAIN
from custom_components.flir_frigate.frigate.data import FrigateCameraData
from tests.conftest import advance
from tests.fakes.frigate_server import FakeFrigateServer
from tests.frigate.common import (
    FRIGATE_ENTRY_ID,
    FrigateFactory,
    loaded_frigate,
    make_frigate_entry,
    setup_frigate,
)

STATS_DUE = 16  # seconds: more than Frigate's 15 s stats cadence


def _errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name.startswith("custom_components.flir_frigate")
        and record.levelno >= logging.ERROR
    ]


async def test_unreachable_then_back(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A server that goes away makes everything unavailable, logged once; it comes back."""
    camera = loaded_frigate(hass, "camera", "front_door:camera")
    online = loaded_frigate(hass, "binary_sensor", "front_door:online")
    version = loaded_frigate(hass, "sensor", ":version")
    port = int(frigate.url.rsplit(":", 1)[1])
    await frigate.stop()
    await advance(hass, freezer)
    await advance(hass, freezer)
    for entity_id in (camera, online, version):
        assert hass.states.get(entity_id).state == STATE_UNAVAILABLE
    assert len(_errors(caplog)) == 1
    assert "front_door" not in _errors(caplog)[0]

    await frigate.start(port=port)
    await advance(hass, freezer)
    assert hass.states.get(camera).state != STATE_UNAVAILABLE
    assert hass.states.get(online).state == STATE_ON
    assert hass.states.get(version).state == "0.17.2-3d4dd3a"
    assert any("recovered" in record.getMessage() for record in caplog.records)


async def test_password_change_starts_reauth(
    hass: HomeAssistant, frigate_login: FakeFrigateServer, freezer: FrozenDateTimeFactory
) -> None:
    """Credentials refused while running make the entities unavailable and start reauth."""
    await setup_frigate(hass, make_frigate_entry(frigate_login, credentials=True))
    frigate_login.set_password("changed")
    await advance(hass, freezer)
    await hass.async_block_till_done()
    assert hass.states.get(loaded_frigate(hass, "camera", "front_door:camera")).state == (
        STATE_UNAVAILABLE
    )
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_rate_limited_while_running(
    hass: HomeAssistant,
    frigate_login: FakeFrigateServer,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A rate-limited login while running is logged as such, and no reauth starts."""
    await setup_frigate(hass, make_frigate_entry(frigate_login, credentials=True))
    frigate_login.revoke_tokens()
    frigate_login.faults.paths = ("/api/login",)
    frigate_login.faults.status = 429
    frigate_login.faults.retry_after = 120
    await advance(hass, freezer)
    assert any("rate-limits" in message for message in _errors(caplog))
    assert hass.config_entries.flow.async_progress() == []
    assert hass.states.get(loaded_frigate(hass, "sensor", ":version")).state == STATE_UNAVAILABLE


async def test_camera_offline(
    hass: HomeAssistant,
    frigate_factory: FrigateFactory,
    freezer: FrozenDateTimeFactory,
) -> None:
    """An offline camera's entities are unavailable except its online sensor; others stay."""
    server = await frigate_factory("0.18")
    await setup_frigate(hass, make_frigate_entry(server))
    online = loaded_frigate(hass, "binary_sensor", "front_door:online")
    fps = loaded_frigate(hass, "sensor", "front_door:camera_fps")
    camera = loaded_frigate(hass, "camera", "front_door:camera")
    other = loaded_frigate(hass, "sensor", "backyard:camera_fps")

    server.set_camera_offline("front_door")
    await advance(hass, freezer, STATS_DUE)
    state = hass.states.get(online)
    assert state.state == STATE_OFF
    assert state.attributes["connection_quality"] == "unusable"
    assert hass.states.get(fps).state == STATE_UNAVAILABLE
    assert hass.states.get(camera).state == STATE_UNAVAILABLE
    assert hass.states.get(other).state == "5.0"

    server.set_camera_offline("front_door", offline=False)
    await advance(hass, freezer, STATS_DUE)
    assert hass.states.get(online).state == STATE_ON
    assert hass.states.get(fps).state == "5.0"


async def test_cameras_come_and_go(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    device_registry: dr.DeviceRegistry,
) -> None:
    """A new camera gets its device and entities without a reload; a removed one goes away."""
    frigate.add_camera("garage", zones=["door"], track=["person", "dog"])
    await advance(hass, freezer, STATS_DUE)  # the stats name an unknown camera
    garage = device_registry.async_get_device_by_identifier(
        (DOMAIN, f"{FRIGATE_ENTRY_ID}:garage"), FRIGATE_ENTRY_ID
    )
    assert garage is not None
    assert hass.states.get(loaded_frigate(hass, "camera", "garage:camera"))
    zone = hass.states.get(loaded_frigate(hass, "binary_sensor", "garage:zone_occupied:door"))
    assert zone.state == STATE_OFF
    dog = hass.states.get(loaded_frigate(hass, "binary_sensor", "garage:label_detected:dog"))
    assert dog.state == STATE_OFF

    frigate.remove_camera("backyard")
    await advance(hass, freezer, 301)  # the config is read again every 5 minutes
    await hass.async_block_till_done()
    assert (
        device_registry.async_get_device_by_identifier(
            (DOMAIN, f"{FRIGATE_ENTRY_ID}:backyard"), FRIGATE_ENTRY_ID
        )
        is None
    )
    assert hass.states.get("camera.backyard") is None
    assert frigate_entry.state.recoverable

    frigate.add_camera("backyard")  # back again: a new device and entities
    await advance(hass, freezer, STATS_DUE)
    await hass.async_block_till_done()
    assert hass.states.get(loaded_frigate(hass, "camera", "backyard:camera"))


async def _requests_per_minute(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, server: FakeFrigateServer, entry_id: str
) -> Counter[str]:
    entry = make_frigate_entry(server)
    entry = MockConfigEntry(
        domain=DOMAIN,
        entry_id=entry_id,
        unique_id=entry.unique_id,
        title=entry_id,
        data=dict(entry.data),
    )
    await setup_frigate(hass, entry)
    server.requests.clear()
    for _ in range(12):
        await advance(hass, freezer, 5)
    counts = Counter(server.requests)
    assert await hass.config_entries.async_unload(entry.entry_id)
    return counts


async def test_requests_do_not_grow_with_cameras(
    hass: HomeAssistant, frigate_factory: FrigateFactory, freezer: FrozenDateTimeFactory
) -> None:
    """One minute of polling costs the same requests for one camera as for three."""
    one = await frigate_factory(cameras=("front_door",))
    three = await frigate_factory(cameras=("front_door", "backyard", "garage"))
    counts_one = await _requests_per_minute(hass, freezer, one, "one")
    counts_three = await _requests_per_minute(hass, freezer, three, "three")
    assert counts_one == counts_three
    # Every 5 s: new events and in-progress events; stats every 15 s; summary every minute.
    assert counts_one == Counter({"/api/events": 24, "/api/stats": 4, "/api/events/summary": 1})


async def test_update_entity_service(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Asking a camera entity to update polls the server; while it is down, nothing changes."""
    await async_setup_component(hass, "homeassistant", {})
    fps = loaded_frigate(hass, "sensor", "front_door:camera_fps")
    frigate.requests.clear()
    await hass.services.async_call(
        "homeassistant", "update_entity", {"entity_id": fps}, blocking=True
    )
    assert frigate.requests["/api/events"] == 2
    await frigate.stop()
    await advance(hass, freezer, 20)
    assert hass.states.get(fps).state == STATE_UNAVAILABLE
    await hass.services.async_call(
        "homeassistant", "update_entity", {"entity_id": fps}, blocking=True
    )
    await hass.async_block_till_done()
    assert hass.states.get(fps).state == STATE_UNAVAILABLE


async def test_event_not_fired_again_after_an_outage(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """An outage right after an event does not fire it a second time."""
    event_entity = loaded_frigate(hass, "event", "front_door:events")
    port = int(frigate.url.rsplit(":", 1)[1])
    frigate.create_event("front_door", "person")
    await advance(hass, freezer)
    fired_at = hass.states.get(event_entity).state
    await frigate.stop()
    await advance(hass, freezer)
    assert hass.states.get(event_entity).state == STATE_UNAVAILABLE
    await frigate.start(port=port)
    await advance(hass, freezer)
    assert hass.states.get(event_entity).state == fired_at


def test_camera_without_stats_is_offline() -> None:
    """A camera that is off in Frigate, or missing from its stats, counts as offline."""
    config = CameraConfig.from_dict("garage", {"enabled": False})
    stats = CameraStats.from_dict("garage", {"camera_fps": 5})
    assert FrigateCameraData(name="garage", config=config, stats=stats).online is False
    enabled = CameraConfig.from_dict("garage", {})
    assert FrigateCameraData(name="garage", config=enabled, stats=None).online is False
    assert FrigateCameraData(name="garage", config=enabled, stats=stats).online is True
    assert FrigateCameraData(name="garage", config=enabled, stats=stats).events_today_total is None


@pytest.mark.freeze_time("2026-11-21 07:59:50+00:00")  # 23:59:50 in US/Pacific
async def test_events_today_start_over_at_midnight(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Today's counts come from the summary of Home Assistant's day and restart at midnight."""
    assert str(hass.config.time_zone) == "US/Pacific"
    frigate.create_event("front_door", "person", in_progress=False)
    await setup_frigate(hass, make_frigate_entry(frigate))
    today = loaded_frigate(hass, "sensor", "front_door:events_today")
    assert hass.states.get(today).state == "1"
    await advance(hass, freezer, 20)
    assert hass.states.get(today).state == "0"
    assert frigate.requests["/api/events/summary"] == 2


def _camera_devices(device_registry: dr.DeviceRegistry) -> set[str]:
    return {
        ident.removeprefix(f"{FRIGATE_ENTRY_ID}:")
        for device in dr.async_entries_for_config_entry(device_registry, FRIGATE_ENTRY_ID)
        for _, ident in device.identifiers
        if ident != FRIGATE_ENTRY_ID
    }


async def test_restricted_role_sees_only_its_cameras(
    hass: HomeAssistant,
    frigate_factory: FrigateFactory,
    freezer: FrozenDateTimeFactory,
    device_registry: dr.DeviceRegistry,
) -> None:
    """A 0.17 custom role limited to some cameras gets only their devices; changes apply live."""
    server = await frigate_factory(auth="login", role="porch", roles={"porch": ["front_door"]})
    await setup_frigate(hass, make_frigate_entry(server, credentials=True))
    assert _camera_devices(device_registry) == {"front_door"}
    assert hass.states.get("camera.backyard") is None
    assert hass.states.get(loaded_frigate(hass, "camera", "front_door:camera"))

    server.roles["porch"] = ["backyard"]  # the admin changes the role: read with the config
    await advance(hass, freezer, 301)
    await hass.async_block_till_done()
    assert _camera_devices(device_registry) == {"backyard"}
    assert hass.states.get("camera.front_door") is None
    assert hass.states.get(loaded_frigate(hass, "camera", "backyard:camera"))

    server.roles["porch"] = []  # no restriction left: every camera
    await advance(hass, freezer, 301)
    await hass.async_block_till_done()
    assert _camera_devices(device_registry) == {"front_door", "backyard"}


@pytest.mark.parametrize(
    ("version", "role"),
    [("0.17", "admin"), ("0.17", "viewer"), ("0.16", "viewer"), ("0.15", "admin")],
)
async def test_unrestricted_users_see_every_camera(
    hass: HomeAssistant,
    frigate_factory: FrigateFactory,
    freezer: FrozenDateTimeFactory,
    device_registry: dr.DeviceRegistry,
    version: str,
    role: str,
) -> None:
    """Admins, viewers and versions without per-camera roles get every camera's device."""
    server = await frigate_factory(version, auth="login", role=role, roles={"porch": ["x"]})
    await setup_frigate(hass, make_frigate_entry(server, credentials=True))
    assert _camera_devices(device_registry) == {"front_door", "backyard"}
    profiles = server.requests["/api/profile"]
    await advance(hass, freezer, 301)
    await hass.async_block_till_done()
    assert _camera_devices(device_registry) == {"front_door", "backyard"}
    # The profile is read again with the config only where roles can restrict cameras (0.17+).
    assert server.requests["/api/profile"] == profiles + (version == "0.17")
