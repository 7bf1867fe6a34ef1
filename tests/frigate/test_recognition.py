"""Recognition entities against the fake Frigate: faces, plates, classes, profile, Birdseye."""

from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.camera import async_get_image, async_get_stream_source
from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import HomeAssistant, State
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache_with_extra_data,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.flir_frigate.const import DOMAIN
from custom_components.flir_frigate.frigate.live import LIVE_DISCONNECTED
from custom_components.flir_frigate.frigate.recognition.entity import recognition_hub
from tests.conftest import advance
from tests.fakes.frigate_recognition import OBJECT_MODEL, STATE_MODEL, SUMMARY
from tests.fakes.frigate_server import FakeFrigateServer
from tests.frigate.common import (
    FRIGATE_ENTRY_ID,
    FrigateFactory,
    loaded_frigate,
    make_frigate_entry,
    setup_frigate,
)
from tests.frigate.test_live import FAST, until

FROZEN = "2026-11-21 12:00:00+00:00"
# The unique id keys of the recognition entities (camera part, then key).
KEYS = (
    "recognized_face",
    "recognized_plate",
    "object_classification",
    "classification",
    "review_status",
    "face_last_camera",
    "plate_last_camera",
    "class_last_camera",
    "profile",
    "birdseye",
)


def recognition_states(hass: HomeAssistant) -> dict[str, dict[str, Any]]:
    """State and attributes of every recognition entity of the test entry, by unique id."""
    found: dict[str, dict[str, Any]] = {}
    registry = er.async_get(hass)
    for entry in er.async_entries_for_config_entry(registry, FRIGATE_ENTRY_ID):
        parts = entry.unique_id.removeprefix(f"{FRIGATE_ENTRY_ID}:").split(":")
        if len(parts) < 2 or parts[1] not in KEYS:
            continue
        state = hass.states.get(entry.entity_id)
        assert state is not None, entry.entity_id
        attributes = dict(state.attributes)
        attributes.pop("access_token", None)
        attributes.pop("entity_picture", None)
        found[entry.unique_id] = {
            "entity_id": entry.entity_id,
            "state": state.state,
            "attributes": attributes,
        }
    return found


async def _recognized(
    hass: HomeAssistant, server: FakeFrigateServer, freezer: FrozenDateTimeFactory
) -> tuple[str, str]:
    """A person with a known face at the front door, a known car in the backyard."""
    person = server.create_event("front_door", "person")
    car = server.create_event("backyard", "car")
    server.recognition.recognize_face(person, "alice")
    server.recognition.read_plate(car, "AB12CDE")
    await advance(hass, freezer)
    return person, car


@pytest.mark.freeze_time(FROZEN)
@pytest.mark.usefixtures("entity_registry_enabled_by_default", "frigate_tokens")
@pytest.mark.parametrize("version", ["0.15", "0.16", "0.17", "0.18"])
async def test_entities_per_version(
    hass: HomeAssistant,
    frigate_factory: FrigateFactory,
    freezer: FrozenDateTimeFactory,
    snapshot: SnapshotAssertion,
    version: str,
) -> None:
    """Each version gets the entities of the features it has (0.15: none)."""
    server = await frigate_factory(version)
    server.recognition.enable()
    await setup_frigate(hass, make_frigate_entry(server))
    await _recognized(hass, server, freezer)
    assert recognition_states(hass) == snapshot


@pytest.mark.freeze_time(FROZEN)
async def test_features_off(
    hass: HomeAssistant, frigate_factory: FrigateFactory, freezer: FrozenDateTimeFactory
) -> None:
    """Features off in Frigate's config: no entity, not even after a face is recognized."""
    server = await frigate_factory("0.18")
    await setup_frigate(hass, make_frigate_entry(server))
    person = server.create_event("front_door", "person", sub_label="alice")
    await advance(hass, freezer)
    assert person
    states = recognition_states(hass)
    # Only the profile select: 0.18's config has a profile.
    assert [key.rsplit(":", 1)[-1] for key in states] == ["profile"]


@pytest.mark.freeze_time(FROZEN)
async def test_http_sightings(
    hass: HomeAssistant, frigate_factory: FrigateFactory, freezer: FrozenDateTimeFactory
) -> None:
    """Faces and plates from event rows; they clear after a quiet minute, last seen stays."""
    server = await frigate_factory("0.17")
    server.recognition.enable(birdseye=False)
    await setup_frigate(hass, make_frigate_entry(server))
    person, car = await _recognized(hass, server, freezer)
    face = loaded_frigate(hass, "sensor", "front_door:recognized_face")
    plate = loaded_frigate(hass, "sensor", "backyard:recognized_plate")
    alice = er.async_get(hass).async_get_entity_id(
        "sensor", DOMAIN, f"{FRIGATE_ENTRY_ID}::face_last_camera:alice"
    )
    family = er.async_get(hass).async_get_entity_id(
        "sensor", DOMAIN, f"{FRIGATE_ENTRY_ID}::plate_last_camera:family_car"
    )
    assert alice is not None
    assert family is not None
    assert hass.states.get(face).state == "alice"
    assert hass.states.get(face).attributes["event_id"] == person
    assert hass.states.get(plate).state == "AB12CDE"
    assert hass.states.get(plate).attributes["known_plate"] == "Family car"
    assert hass.states.get(plate).attributes["event_id"] == car
    assert hass.states.get(alice).state == "front_door"
    assert hass.states.get(family).state == "backyard"
    await advance(hass, freezer, 61)
    assert hass.states.get(face).state == STATE_UNKNOWN
    assert hass.states.get(plate).state == STATE_UNKNOWN
    assert hass.states.get(alice).state == "front_door"


async def test_hub_is_set_up(hass: HomeAssistant, frigate: FakeFrigateServer) -> None:
    """The entry has its recognition hub from setup to unload."""
    entry = await setup_frigate(hass, make_frigate_entry(frigate))
    assert recognition_hub(hass, entry) is not None
    await hass.config_entries.async_unload(entry.entry_id)
    assert recognition_hub(hass, entry) is None


async def _live_entry(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, server: FakeFrigateServer
) -> MockConfigEntry:
    entry = await setup_frigate(hass, make_frigate_entry(server))
    bridge = entry.runtime_data.live
    assert bridge is not None
    bridge.live.options = FAST
    await until(hass, freezer, lambda: bridge.connected)
    return entry


@pytest.mark.freeze_time(FROZEN)
@pytest.mark.parametrize("expected_lingering_timers", [True])  # aiohttp's websocket heartbeat
async def test_pushed_recognition(
    hass: HomeAssistant, frigate_factory: FrigateFactory, freezer: FrozenDateTimeFactory
) -> None:
    """Over the websocket: faces, plates, classes, review status and the profile (0.18)."""
    server = await frigate_factory("0.18", websocket=True)
    server.recognition.enable(birdseye=False)
    entry = await _live_entry(hass, freezer, server)
    face = loaded_frigate(hass, "sensor", "front_door:recognized_face")
    state = loaded_frigate(hass, "sensor", f"front_door:classification:{STATE_MODEL}")
    kind = loaded_frigate(hass, "sensor", f"backyard:object_classification:{OBJECT_MODEL}")
    van = er.async_get(hass).async_get_entity_id(
        "sensor", DOMAIN, f"{FRIGATE_ENTRY_ID}::class_last_camera:{OBJECT_MODEL}_van"
    )
    assert van is not None
    person = server.create_event("front_door", "person")
    server.recognition.recognize_face(person, "bob")
    await until(hass, freezer, lambda: hass.states.get(face).state == "bob")
    assert hass.states.get(face).attributes["score"] == pytest.approx(0.93)
    server.recognition.clear_camera("front_door", "face")
    await until(hass, freezer, lambda: hass.states.get(face).state == STATE_UNKNOWN)
    server.recognition.classify_state("front_door", "open")
    await until(hass, freezer, lambda: hass.states.get(state).state == "open")
    car = server.create_event("backyard", "car")
    server.recognition.classify_object(car, "van")
    await until(hass, freezer, lambda: hass.states.get(kind).state == "van")
    assert hass.states.get(van).state == "backyard"
    # Review status: the sensor appears with Frigate's first status of the camera.
    await until(
        hass,
        freezer,
        lambda: (
            er.async_get(hass).async_get_entity_id(
                "sensor", DOMAIN, f"{FRIGATE_ENTRY_ID}:backyard:review_status"
            )
            is not None
        ),
    )
    review = loaded_frigate(hass, "sensor", "backyard:review_status")
    await until(hass, freezer, lambda: hass.states.get(review).state == "alert")
    server.end_event(car)
    await until(hass, freezer, lambda: hass.states.get(review).state == "none")
    # Descriptions: off as Frigate ships them; switched on, one arrives after the event.
    switch = loaded_frigate(hass, "switch", "backyard:object_descriptions")
    assert hass.states.get(switch).state == "off"
    await hass.services.async_call("switch", "turn_on", {"entity_id": switch}, blocking=True)
    await until(hass, freezer, lambda: hass.states.get(switch).state == "on")
    events = loaded_frigate(hass, "event", "backyard:events")
    server.recognition.describe(car, "A white van parks.")
    await until(
        hass,
        freezer,
        lambda: hass.states.get(events).attributes.get("description") == "A white van parks.",
    )
    assert hass.states.get(events).attributes["event_id"] == car
    # The profile: Frigate's answer sets the select.
    select = loaded_frigate(hass, "select", ":profile:profile")
    assert hass.states.get(select).attributes["options"] == ["none", "home", "away"]
    await hass.services.async_call(
        "select", "select_option", {"entity_id": select, "option": "away"}, blocking=True
    )
    await until(hass, freezer, lambda: hass.states.get(select).state == "away")
    assert server.recognition.active_profile == "away"
    await hass.config_entries.async_unload(entry.entry_id)


async def test_profile_without_websocket(
    hass: HomeAssistant, frigate_factory: FrigateFactory
) -> None:
    """Without the websocket the select shows the config's profile and refuses a change."""
    server = await frigate_factory("0.18")
    server.recognition.active_profile = "home"
    await setup_frigate(hass, make_frigate_entry(server))
    select = loaded_frigate(hass, "select", ":profile:profile")
    assert hass.states.get(select).state == "home"
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            "select", "select_option", {"entity_id": select, "option": "none"}, blocking=True
        )
    assert err.value.translation_key == LIVE_DISCONNECTED


async def test_entities_follow_the_config(
    hass: HomeAssistant, frigate_factory: FrigateFactory, freezer: FrozenDateTimeFactory
) -> None:
    """Faces turned off in Frigate: their entities go; back on: they come back, no reload."""
    server = await frigate_factory("0.17")
    server.recognition.enable()
    await setup_frigate(hass, make_frigate_entry(server))
    registry = er.async_get(hass)
    face_id = f"{FRIGATE_ENTRY_ID}:front_door:recognized_face"
    assert registry.async_get_entity_id("sensor", DOMAIN, face_id) is not None
    server.recognition.faces = False
    server.recognition.birdseye_restream = False
    await advance(hass, freezer, 301)  # the config is read every five minutes
    assert registry.async_get_entity_id("sensor", DOMAIN, face_id) is None
    assert (
        registry.async_get_entity_id("camera", DOMAIN, f"{FRIGATE_ENTRY_ID}::birdseye:birdseye")
        is None
    )
    assert registry.async_get_entity_id(
        "sensor", DOMAIN, f"{FRIGATE_ENTRY_ID}:front_door:recognized_plate"
    )
    server.recognition.faces = True
    await advance(hass, freezer, 301)
    assert registry.async_get_entity_id("sensor", DOMAIN, face_id) is not None
    alice = f"{FRIGATE_ENTRY_ID}::face_last_camera:alice"
    assert registry.async_get_entity_id("sensor", DOMAIN, alice) is not None


async def test_state_classification_restored(
    hass: HomeAssistant, frigate_factory: FrigateFactory
) -> None:
    """A state model's class survives a restart until Frigate sends a new one."""
    server = await frigate_factory("0.17")
    server.recognition.enable()
    entity_id = f"sensor.front_door_{STATE_MODEL}_state"
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State(entity_id, "open"),
                {"native_value": "open", "native_unit_of_measurement": None},
            )
        ],
    )
    await setup_frigate(hass, make_frigate_entry(server))
    assert loaded_frigate(hass, "sensor", f"front_door:classification:{STATE_MODEL}") == entity_id
    assert hass.states.get(entity_id).state == "open"


async def test_birdseye_still(hass: HomeAssistant, frigate_factory: FrigateFactory) -> None:
    """Birdseye's still comes from Frigate; its stream from go2rtc's restream."""
    server = await frigate_factory("0.16")
    server.recognition.enable()
    await setup_frigate(hass, make_frigate_entry(server))
    entity_id = loaded_frigate(hass, "camera", ":birdseye:birdseye")
    image = await async_get_image(hass, entity_id)
    assert image.content.startswith(b"\xff\xd8")
    host = server.url.split("//")[1].split(":")[0]
    assert await async_get_stream_source(hass, entity_id) == f"rtsp://{host}:8554/birdseye"


@pytest.mark.parametrize(
    ("version", "genai", "error", "key"),
    [
        ("0.17", True, None, None),
        ("0.17", False, ServiceValidationError, "review_summarize_no_genai"),
        ("0.16", True, ServiceValidationError, "service_needs_version"),
    ],
)
async def test_review_summarize(
    hass: HomeAssistant,
    frigate_factory: FrigateFactory,
    version: str,
    genai: bool,
    error: type[Exception] | None,
    key: str | None,
) -> None:
    """The summary is the action's response; a server without GenAI or 0.17 refuses."""
    server = await frigate_factory(version)
    server.recognition.enable()
    server.recognition.genai = genai
    await setup_frigate(hass, make_frigate_entry(server))
    data = {
        "config_entry_id": FRIGATE_ENTRY_ID,
        "start": "2026-11-20 08:00:00",
        "end": "2026-11-20 20:00:00",
    }
    if error is None:
        response = await hass.services.async_call(
            DOMAIN, "review_summarize", data, blocking=True, return_response=True
        )
        assert response is not None
        assert response["summary"] == SUMMARY
        assert len(server.recognition.summaries) == 1
        first, last = server.recognition.summaries[0]
        assert last - first == 12 * 3600
        return
    with pytest.raises(error) as err:
        await hass.services.async_call(
            DOMAIN, "review_summarize", data, blocking=True, return_response=True
        )
    assert err.value.translation_key == key  # type: ignore[attr-defined]
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            DOMAIN,
            "review_summarize",
            data | {"start": data["end"], "end": data["start"]},
            blocking=True,
            return_response=True,
        )


@pytest.mark.freeze_time(FROZEN)
async def test_description_over_http(
    hass: HomeAssistant, frigate_factory: FrigateFactory, freezer: FrozenDateTimeFactory
) -> None:
    """Without the websocket the description is read with the events once the event ended."""
    server = await frigate_factory("0.17")
    server.recognition.enable(birdseye=False)
    server.live.camera("front_door").settings["object_descriptions"] = True
    server.recognition.auto_describe = False  # the test writes it
    await setup_frigate(hass, make_frigate_entry(server))
    events = loaded_frigate(hass, "event", "front_door:events")
    assert (
        er.async_get(hass).async_get_entity_id(
            "switch", DOMAIN, f"{FRIGATE_ENTRY_ID}:front_door:object_descriptions"
        )
        is None
    )  # switches need the websocket
    person = server.create_event("front_door", "person")
    await advance(hass, freezer)
    assert hass.states.get(events).attributes["event_id"] == person
    server.end_event(person)
    await advance(hass, freezer)
    server.recognition.describe(person, "A courier leaves a parcel.")
    await advance(hass, freezer, 31)
    await advance(hass, freezer)
    assert hass.states.get(events).attributes["description"] == "A courier leaves a parcel."
