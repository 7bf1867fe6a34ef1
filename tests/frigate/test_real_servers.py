"""The integration against what real Frigate 0.17.2 and 0.18 servers showed (issue 9).

The fake answers as those servers did (tests/api/frigate/test_real_servers.py pins it per
version): nginx caches JSON 5 s, manual events carry their end time from the start, 0.18 rates a
camera `unusable` at full frame rate, nginx answers 500/502 while the API is down, 0.17+ names
cameras and zones. Each test fails with the integration as it was before.
"""

import logging
from datetime import timedelta

import aiohttp
import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    mock_restore_cache_with_extra_data,
)

from custom_components.flir_frigate.api.frigate.exceptions import FrigateApiDownError
from custom_components.flir_frigate.const import DOMAIN
from custom_components.flir_frigate.errors import Stage
from custom_components.flir_frigate.frigate.errors import home_assistant_error
from custom_components.flir_frigate.frigate.event import restored_attributes
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


def _events_requests(server: FakeFrigateServer) -> int:
    return server.requests["/api/events"]


# --------------------------------------------------------------------------- 1. nginx's cache


async def test_poll_is_not_served_from_nginx_cache(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A poll within 5 s of the last one still sees a person who just appeared."""
    person = loaded_frigate(hass, "binary_sensor", "front_door:label_detected:person")
    event_entity = loaded_frigate(hass, "event", "front_door:events")
    assert hass.states.get(person).state == STATE_OFF
    event_id = frigate.create_event("front_door", "person")
    freezer.tick(timedelta(seconds=2))  # nginx still holds the answers of the last poll
    await frigate_entry.runtime_data.hub.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(person).state == STATE_ON
    assert hass.states.get(event_entity).attributes["event_id"] == event_id
    assert {status for path, status in frigate.cache_log if path == "/api/events"} == {"BYPASS"}


# --------------------------------------------------------------------------- 2. manual events


async def _create(server: FakeFrigateServer, label: str, duration: float | None) -> str:
    """`POST /api/events/<camera>/<label>/create`, as an automation or Frigate's UI does."""
    url = f"{server.url}/api/events/front_door/{label}/create"
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json={"duration": duration}) as response,
    ):
        event_id: str = (await response.json())["event_id"]
    return event_id


async def test_manual_event_with_duration(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Active until its end time, which Frigate stored at once; off then, without a poll."""
    person = loaded_frigate(hass, "binary_sensor", "front_door:label_detected:person")
    anything = loaded_frigate(hass, "binary_sensor", "front_door:object_detected")
    event_entity = loaded_frigate(hass, "event", "front_door:events")
    event_id = await _create(frigate, "person", 10)  # ends 10 s from now
    end_time = frigate.events[event_id].end_time
    assert end_time is not None

    await advance(hass, freezer)  # the next poll, 6 s later
    assert hass.states.get(event_entity).attributes["event_id"] == event_id
    assert hass.states.get(person).state == STATE_ON
    assert hass.states.get(anything).attributes["event_ids"] == [event_id]

    polls = _events_requests(frigate)
    # Timers fire to within a second in tests (async_fire_time_changed rounds up).
    freezer.tick(timedelta(seconds=2.5))  # 8.5 s after the creation: not over yet
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert hass.states.get(person).state == STATE_ON
    freezer.tick(timedelta(seconds=1.5))  # its end time, before the next poll
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert hass.states.get(person).state == STATE_OFF
    assert hass.states.get(anything).state == STATE_OFF
    assert _events_requests(frigate) == polls  # no poll turned it off

    await advance(hass, freezer)
    assert hass.states.get(person).state == STATE_OFF


async def test_manual_event_ended_early_and_open_ended(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """An event ended before its time goes off at the next poll; one without a duration
    stays on until Frigate ends it."""
    person = loaded_frigate(hass, "binary_sensor", "front_door:label_detected:person")
    car = loaded_frigate(hass, "binary_sensor", "front_door:label_detected:car")
    long_one = await _create(frigate, "person", 600)
    open_ended = await _create(frigate, "car", None)
    await advance(hass, freezer)
    assert (hass.states.get(person).state, hass.states.get(car).state) == (STATE_ON, STATE_ON)

    frigate.end_event(long_one)
    await advance(hass, freezer)
    assert hass.states.get(person).state == STATE_OFF
    await advance(hass, freezer, 60)
    assert hass.states.get(car).state == STATE_ON
    frigate.end_event(open_ended)
    await advance(hass, freezer)
    assert hass.states.get(car).state == STATE_OFF


async def test_end_timer_cancelled_on_unload(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A pending end-time wake-up goes with the entry."""
    await _create(frigate, "person", 600)
    await advance(hass, freezer)
    hub = frigate_entry.runtime_data.hub
    assert hub._unsub_end is not None
    assert await hass.config_entries.async_unload(frigate_entry.entry_id)
    await hass.async_block_till_done()
    assert hub._unsub_end is None
    freezer.tick(timedelta(seconds=700))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert frigate_entry.state is ConfigEntryState.NOT_LOADED


# --------------------------------------------------------------------------- 3. 0.18 rating


async def test_unusable_rating_at_full_frame_rate(
    hass: HomeAssistant, frigate_factory: FrigateFactory, freezer: FrozenDateTimeFactory
) -> None:
    """`unusable` after 13 reconnects, frames still coming: a value, not an outage."""
    server = await frigate_factory("0.18")
    await setup_frigate(hass, make_frigate_entry(server))
    online = loaded_frigate(hass, "binary_sensor", "front_door:online")
    quality = loaded_frigate(hass, "sensor", "front_door:connection_quality")
    camera = loaded_frigate(hass, "camera", "front_door:camera")
    fps = loaded_frigate(hass, "sensor", "front_door:camera_fps")
    person = loaded_frigate(hass, "binary_sensor", "front_door:label_detected:person")

    server.set_connection_health("front_door", reconnects=13, stalls=2)
    event_id = server.create_event("front_door", "person")
    await advance(hass, freezer, STATS_DUE)
    state = hass.states.get(online)
    assert state.state == STATE_ON
    assert {key: state.attributes[key] for key in state.attributes if key != "friendly_name"} == {
        "device_class": "connectivity",
        "camera_fps": 5.0,
        "connection_quality": "unusable",
        "expected_fps": 5.0,
        "reconnects_last_hour": 13,
        "stalls_last_hour": 2,
    }
    assert hass.states.get(quality).state == "unusable"
    assert hass.states.get(camera).state != STATE_UNAVAILABLE
    assert hass.states.get(fps).state == "5.0"
    assert hass.states.get(person).state == STATE_ON
    assert hass.states.get(person).attributes["event_ids"] == [event_id]

    server.set_camera_offline("front_door")  # no frames: that is an outage
    await advance(hass, freezer, STATS_DUE)
    assert hass.states.get(online).state == STATE_OFF
    assert hass.states.get(camera).state == STATE_UNAVAILABLE


# --------------------------------------------------------------------------- 6. API down


def _messages(caplog: pytest.LogCaptureFixture, level: int) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name.startswith("custom_components.flir_frigate") and record.levelno == level
    ]


@pytest.mark.parametrize(("version", "status"), [("0.13", "502"), ("0.17", "500"), ("0.18", "500")])
async def test_api_down_said_once(
    hass: HomeAssistant,
    frigate_factory: FrigateFactory,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    version: str,
    status: str,
) -> None:
    """nginx's 500/502 reads "Frigate's API is not answering": one line down, one back up."""
    server = await frigate_factory(version)
    await setup_frigate(hass, make_frigate_entry(server))
    version_sensor = loaded_frigate(hass, "sensor", ":version")
    camera = loaded_frigate(hass, "camera", "front_door:camera")
    server.set_api_down()
    for _ in range(3):
        await advance(hass, freezer, STATS_DUE)
    assert hass.states.get(version_sensor).state == STATE_UNAVAILABLE
    assert hass.states.get(camera).state == STATE_UNAVAILABLE
    errors = _messages(caplog, logging.ERROR)
    assert len(errors) == 1
    assert errors[0].endswith(
        f"Frigate's API is not answering (its web server answered HTTP {status}): "
        "Frigate is stopped or restarting"
    )
    hub = hass.config_entries.async_entries(DOMAIN)[0].runtime_data.hub
    assert hub.last_exception.translation_key == "frigate_api_down"
    assert hub.last_exception.translation_placeholders == {"status": status}

    server.set_api_down(False)
    await advance(hass, freezer, STATS_DUE)
    await advance(hass, freezer, STATS_DUE)
    assert hass.states.get(version_sensor).state != STATE_UNAVAILABLE
    assert len([m for m in _messages(caplog, logging.INFO) if "recovered" in m]) == 1
    assert len(_messages(caplog, logging.ERROR)) == 1


async def test_api_down_at_setup(
    hass: HomeAssistant, frigate: FakeFrigateServer, freezer: FrozenDateTimeFactory
) -> None:
    """Setup waits for the API with the same words."""
    frigate.set_api_down()
    entry = await setup_frigate(hass, make_frigate_entry(frigate))
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert entry.reason == (
        "Frigate's API is not answering (its web server answered HTTP 500): "
        "Frigate is stopped or restarting"
    )
    frigate.set_api_down(False)
    await advance(hass, freezer, 60)
    assert entry.state is ConfigEntryState.LOADED


def test_api_down_mapping() -> None:
    """Its own key where the entry fails; a still that fails says what it could not get."""
    down = FrigateApiDownError(502)
    for stage in (Stage.SETUP, Stage.POLL):
        error = home_assistant_error(down, stage)
        assert (error.translation_key, error.translation_placeholders) == (
            "frigate_api_down",
            {"status": "502"},
        )
    image = home_assistant_error(down, Stage.IMAGE)
    assert (image.translation_key, image.translation_placeholders) == (
        "frigate_image_failed",
        {"error": str(down)},
    )


# --------------------------------------------------------------------------- 7. friendly names


async def test_friendly_names_name_devices_and_zones(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    device_registry: dr.DeviceRegistry,
) -> None:
    """A new entry takes the 0.17+ friendly names for devices, zone entities and entity ids."""
    frigate.set_friendly_names("front_door", "Porch Cam", {"porch": "Front porch"})
    await setup_frigate(hass, make_frigate_entry(frigate))
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, f"{FRIGATE_ENTRY_ID}:front_door"), FRIGATE_ENTRY_ID
    )
    assert device is not None
    assert device.name == "Porch Cam"
    assert loaded_frigate(hass, "camera", "front_door:camera") == "camera.porch_cam"
    porch = loaded_frigate(hass, "binary_sensor", "front_door:zone_occupied:porch")
    assert porch == "binary_sensor.porch_cam_object_in_front_porch"
    assert hass.states.get(porch).attributes["friendly_name"] == "Porch Cam Object in Front porch"
    driveway = loaded_frigate(hass, "binary_sensor", "front_door:zone_occupied:driveway")
    assert driveway == "binary_sensor.porch_cam_object_in_driveway"
    # Unique ids and device identifiers stay on Frigate's names.
    backyard = device_registry.async_get_device_by_identifier(
        (DOMAIN, f"{FRIGATE_ENTRY_ID}:backyard"), FRIGATE_ENTRY_ID
    )
    assert backyard is not None
    assert backyard.name == "Backyard"
    assert loaded_frigate(hass, "camera", "backyard:camera") == "camera.backyard"


async def test_friendly_names_keep_entity_ids_of_existing_entries(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Names set later rename the device and the zone entity; entity ids stay."""
    entry = await setup_frigate(hass, make_frigate_entry(frigate))
    before = {
        e.unique_id: e.entity_id
        for e in er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    }
    frigate.set_friendly_names("front_door", "Porch Cam", {"porch": "Front porch"})
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    after = {
        e.unique_id: e.entity_id
        for e in er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    }
    assert after == before
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, f"{FRIGATE_ENTRY_ID}:front_door"), FRIGATE_ENTRY_ID
    )
    assert device is not None
    assert device.name == "Porch Cam"
    porch = "binary_sensor.front_door_object_in_porch"
    assert hass.states.get(porch).attributes["friendly_name"] == "Porch Cam Object in Front porch"


# --------------------------------------------------------------------------- 9. restored media


def _second_entry(server: FakeFrigateServer) -> MockConfigEntry:
    """The same server added again: a new entry (another entry id)."""
    first = make_frigate_entry(server)
    return MockConfigEntry(
        domain=DOMAIN,
        entry_id="frigate_again",
        title=first.title,
        unique_id="01FRIGATEADDEDAGAIN0000000",
        minor_version=2,
        data=dict(first.data),
    )


async def test_readded_server_drops_old_media_urls(
    hass: HomeAssistant, frigate: FakeFrigateServer, freezer: FrozenDateTimeFactory
) -> None:
    """The old entry's last event comes back without paths that name the old entry."""
    entry = await setup_frigate(hass, make_frigate_entry(frigate))
    event_entity = loaded_frigate(hass, "event", "front_door:events")
    event_id = frigate.create_event("front_door", "person")
    await advance(hass, freezer)
    fired = hass.states.get(event_entity)
    assert fired.attributes["thumbnail_url"].startswith(f"/api/{DOMAIN}/{FRIGATE_ENTRY_ID}/")

    assert await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    again = await setup_frigate(hass, _second_entry(frigate))
    assert again.state is ConfigEntryState.LOADED
    restored = hass.states.get(event_entity)
    assert restored.state == fired.state
    assert restored.attributes["event_id"] == event_id
    assert restored.attributes["label"] == "person"
    for key in ("thumbnail_url", "snapshot_url", "clip_url"):
        assert restored.attributes[key] is None, key


async def test_restart_keeps_own_media_urls(
    hass: HomeAssistant, frigate: FakeFrigateServer
) -> None:
    """After a restart the entry's own paths come back as they were."""
    base = f"/api/{DOMAIN}/{FRIGATE_ENTRY_ID}/event/1.0-abc"
    attributes = {
        "event_id": "1.0-abc",
        "label": "person",
        "thumbnail_url": f"{base}/thumbnail.jpg",
        "snapshot_url": f"{base}/snapshot.jpg",
        "clip_url": None,
    }
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State("event.front_door_tracked_object", "2026-11-30T11:00:00.000+00:00"),
                {"last_event_type": "new_event", "last_event_attributes": attributes},
            )
        ],
    )
    await setup_frigate(hass, make_frigate_entry(frigate))
    state = hass.states.get("event.front_door_tracked_object")
    assert state.state == "2026-11-30T11:00:00.000+00:00"
    assert {key: state.attributes[key] for key in attributes} == attributes


def test_restored_attributes() -> None:
    """Only the exact paths this entry builds for the event survive."""
    own = f"/api/{DOMAIN}/mine/event/1.0-abc"
    attributes = {
        "event_id": "1.0-abc",
        "thumbnail_url": f"{own}/thumbnail.jpg",
        "snapshot_url": f"/api/{DOMAIN}/other/event/1.0-abc/snapshot.jpg",
        "clip_url": f"{own}/snapshot.jpg",  # not the clip's path
        "zones": ["porch"],
    }
    assert restored_attributes("mine", attributes) == attributes | {
        "snapshot_url": None,
        "clip_url": None,
    }
    assert restored_attributes("mine", {"thumbnail_url": f"{own}/thumbnail.jpg"}) == {
        "thumbnail_url": None
    }
