"""Frigate events: the event entity, objects detected, counters and event images."""

import io
from http import HTTPStatus

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers.event import async_track_state_change_event
from PIL import Image
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from tests.conftest import advance
from tests.fakes.frigate_server import FakeFrigateServer
from tests.frigate.common import (
    FRIGATE_ENTRY_ID,
    loaded_frigate,
    make_frigate_entry,
    setup_frigate,
)


async def test_new_event_fires_and_objects_detected(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A new object fires the camera's event entity and turns its detection sensors on."""
    event_entity = loaded_frigate(hass, "event", "front_door:events")
    any_object = loaded_frigate(hass, "binary_sensor", "front_door:object_detected")
    person = loaded_frigate(hass, "binary_sensor", "front_door:label_detected:person")
    car = loaded_frigate(hass, "binary_sensor", "front_door:label_detected:car")
    porch = loaded_frigate(hass, "binary_sensor", "front_door:zone_occupied:porch")
    last = loaded_frigate(hass, "sensor", "front_door:last_event")
    other = loaded_frigate(hass, "binary_sensor", "backyard:object_detected")
    assert hass.states.get(event_entity).state == STATE_UNKNOWN

    event_id = frigate.create_event("front_door", "person", zones=["porch"], sub_label="Bob")
    await advance(hass, freezer)
    state = hass.states.get(event_entity)
    assert state.attributes["event_type"] == "new_event"
    base = f"/api/flir_frigate/{FRIGATE_ENTRY_ID}/event/{event_id}"
    assert {key: state.attributes[key] for key in ("event_id", "label", "sub_label", "zones")} == {
        "event_id": event_id,
        "label": "person",
        "sub_label": "Bob",
        "zones": ["porch"],
    }
    assert state.attributes["score"] == pytest.approx(0.82)
    assert state.attributes["snapshot_url"] == f"{base}/snapshot.jpg"
    assert state.attributes["clip_url"] == f"{base}/clip.mp4"
    assert state.attributes["thumbnail_url"] == f"{base}/thumbnail.jpg"
    fired_at = state.state
    assert hass.states.get(any_object).state == STATE_ON
    assert hass.states.get(any_object).attributes["event_ids"] == [event_id]
    assert hass.states.get(person).state == STATE_ON
    assert hass.states.get(car).state == STATE_OFF
    assert hass.states.get(porch).state == STATE_ON
    assert hass.states.get(other).state == STATE_OFF
    last_state = hass.states.get(last)
    assert last_state.state == "person"
    assert last_state.attributes["event_id"] == event_id
    assert last_state.attributes["sub_label"] == "Bob"

    frigate.end_event(event_id)
    await advance(hass, freezer)
    assert hass.states.get(any_object).state == STATE_OFF
    assert hass.states.get(person).state == STATE_OFF
    assert hass.states.get(event_entity).state == fired_at  # ending fires nothing


async def test_no_event_for_older_ones(
    hass: HomeAssistant, frigate: FakeFrigateServer, freezer: FrozenDateTimeFactory
) -> None:
    """Events that existed at startup, in progress or not, never fire."""
    frigate.create_event("front_door", "person", in_progress=False)
    running = frigate.create_event("front_door", "car")
    await setup_frigate(hass, make_frigate_entry(frigate))
    event_entity = loaded_frigate(hass, "event", "front_door:events")
    await advance(hass, freezer)
    await advance(hass, freezer)
    assert hass.states.get(event_entity).state == STATE_UNKNOWN
    detected = hass.states.get(loaded_frigate(hass, "binary_sensor", "front_door:object_detected"))
    assert detected.state == STATE_ON
    assert detected.attributes["event_ids"] == [running]


async def test_several_events_in_one_cycle(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Each new event fires once, oldest first, even when they arrive together."""
    event_entity = loaded_frigate(hass, "event", "front_door:events")
    fired: list[str] = []

    @callback
    def _changed(event: Event[EventStateChangedData]) -> None:
        if (state := event.data["new_state"]) is not None:
            fired.append(state.attributes["event_id"])

    async_track_state_change_event(hass, event_entity, _changed)
    now = _now(freezer)
    second = frigate.create_event("front_door", "car", start_time=now + 2.0)
    first = frigate.create_event("front_door", "person", start_time=now + 1.0)
    await advance(hass, freezer)
    await advance(hass, freezer)
    assert fired == [first, second]


def _now(freezer: FrozenDateTimeFactory) -> float:
    return freezer.time_to_freeze.timestamp()


async def test_events_today(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Today's counts follow new events (the summary is asked for soon after them)."""
    total = loaded_frigate(hass, "sensor", "front_door:events_today")
    person = loaded_frigate(hass, "sensor", "front_door:label_events_today:person")
    assert hass.states.get(total).state == "0"
    frigate.create_event("front_door", "person")
    frigate.create_event("front_door", "car")
    for _ in range(3):
        await advance(hass, freezer)
    assert hass.states.get(total).state == "2"
    assert hass.states.get(person) is None  # per-label counters are disabled by default


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_label_counter(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The per-label counter of today's events."""
    person = loaded_frigate(hass, "sensor", "front_door:label_events_today:person")
    car = loaded_frigate(hass, "sensor", "front_door:label_events_today:car")
    frigate.create_event("front_door", "person")
    for _ in range(3):
        await advance(hass, freezer)
    assert hass.states.get(person).state == "1"
    assert hass.states.get(car).state == "0"


async def test_snapshot_image(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_client: ClientSessionGenerator,
) -> None:
    """The latest snapshot changes with a new event, and is fetched once per event."""
    image = loaded_frigate(hass, "image", "front_door:snapshot")
    assert hass.states.get(image).state == STATE_UNKNOWN
    client = await hass_client()
    response = await client.get(f"/api/image_proxy/{image}")
    assert response.status == HTTPStatus.INTERNAL_SERVER_ERROR  # no event, no image yet

    event_id = frigate.create_event("front_door", "person")
    await advance(hass, freezer)
    state = hass.states.get(image)
    assert state.state != STATE_UNKNOWN
    assert state.attributes["event_id"] == event_id
    for _ in range(2):
        response = await client.get(f"/api/image_proxy/{image}")
        assert response.status == HTTPStatus.OK
        body = await response.read()  # re-encoded by Frigate while the event runs
        assert Image.open(io.BytesIO(body)).size == (640, 360)
    assert frigate.requests[f"/api/events/{event_id}/snapshot.jpg"] == 1

    stamp = state.state
    await advance(hass, freezer)
    assert hass.states.get(image).state == stamp  # same event, same image
    frigate.create_event("front_door", "car", has_snapshot=False)
    await advance(hass, freezer)
    assert hass.states.get(image).state == stamp  # no snapshot: the image stays


async def test_snapshot_image_errors(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_client: ClientSessionGenerator,
) -> None:
    """A snapshot that Frigate cannot give, or that is gone, is no image."""
    image = loaded_frigate(hass, "image", "front_door:snapshot")
    event_id = frigate.create_event("front_door", "person")
    await advance(hass, freezer)
    client = await hass_client()
    frigate.faults.status = 500
    frigate.faults.paths = (f"/api/events/{event_id}/snapshot.jpg",)
    response = await client.get(f"/api/image_proxy/{image}")
    assert response.status == HTTPStatus.INTERNAL_SERVER_ERROR
    frigate.faults.reset()
    del frigate.events[event_id]
    response = await client.get(f"/api/image_proxy/{image}")
    assert response.status == HTTPStatus.INTERNAL_SERVER_ERROR


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_best_image(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_client: ClientSessionGenerator,
) -> None:
    """The per-label best image is Frigate's thumbnail of that label's latest object."""
    image = loaded_frigate(hass, "image", "front_door:label_best:person")
    event_id = frigate.create_event("front_door", "person")
    await advance(hass, freezer)
    client = await hass_client()
    response = await client.get(f"/api/image_proxy/{image}")
    assert response.status == HTTPStatus.OK
    body = await response.read()
    assert body == frigate.events[event_id].thumbnail
    assert Image.open(io.BytesIO(body)).size == (311, 175)


async def test_offline_camera_hides_its_events(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The event entity of an offline camera is unavailable like its other entities."""
    frigate.set_camera_offline("backyard")
    await advance(hass, freezer, 16)
    assert hass.states.get(loaded_frigate(hass, "event", "backyard:events")).state == (
        STATE_UNAVAILABLE
    )
