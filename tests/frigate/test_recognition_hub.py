"""The recognition hub's handling of pushed messages, failures and bounds (no websocket)."""

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er

from custom_components.flir_frigate.api.frigate.live_models import (
    ActiveObject,
    ActivityUpdate,
    CameraActivity,
    MotionUpdate,
    ReviewStatusUpdate,
    SettingUpdate,
)
from custom_components.flir_frigate.api.frigate.live_recognition import (
    DescriptionUpdate,
    FaceUpdate,
    ObjectClassUpdate,
    PlateUpdate,
    StateClassUpdate,
)
from custom_components.flir_frigate.api.frigate.models import (
    FrigateConfig,
    FrigateStats,
    ServiceStats,
)
from custom_components.flir_frigate.api.frigate.recognition import RecognitionFeatures
from custom_components.flir_frigate.api.frigate.version import FrigateVersion
from custom_components.flir_frigate.frigate.data import FrigateServerData
from custom_components.flir_frigate.frigate.recognition import coordinator as recognition_data
from custom_components.flir_frigate.frigate.recognition.coordinator import RecognitionHub
from custom_components.flir_frigate.frigate.recognition.entity import recognition_hub
from custom_components.flir_frigate.frigate.recognition_plan import planned_recognition
from custom_components.flir_frigate.frigate.select import FrigateProfileSelect
from tests.conftest import advance
from tests.fakes.frigate_recognition import OBJECT_MODEL, STATE_MODEL
from tests.fakes.frigate_server import FakeFrigateServer
from tests.frigate.common import FrigateFactory, loaded_frigate, make_frigate_entry, setup_frigate

EVENT = "1795262400.000000-abc123"


async def _hub(hass: HomeAssistant, server: FakeFrigateServer) -> RecognitionHub:
    entry = await setup_frigate(hass, make_frigate_entry(server))
    hub = recognition_hub(hass, entry)
    assert hub is not None
    return hub


async def test_pushed_messages(
    hass: HomeAssistant, frigate_factory: FrigateFactory, freezer: FrozenDateTimeFactory
) -> None:
    """Each kind of message; those of cameras or models without the feature change nothing."""
    server = await frigate_factory("0.17")
    server.recognition.enable(birdseye=False)
    hub = await _hub(hass, server)
    plate = loaded_frigate(hass, "sensor", "backyard:recognized_plate")
    hub.async_handle_message(
        PlateUpdate(camera="backyard", event_id=EVENT, plate="XY98ZZZ", name="Delivery van")
    )
    assert hass.states.get(plate).state == "XY98ZZZ"
    assert hub.data.plate_seen["Delivery van"].value == "backyard"
    hub.async_handle_message(PlateUpdate(camera="backyard"))
    assert hass.states.get(plate).state == STATE_UNKNOWN
    before = hub.data
    for ignored in (
        FaceUpdate(camera="nowhere", name="alice"),
        PlateUpdate(camera="nowhere", plate="X"),
        ObjectClassUpdate(camera="backyard", model="unknown", value="x"),
        StateClassUpdate(camera="backyard", model=STATE_MODEL, state="open"),
        StateClassUpdate(camera="front_door", model="unknown", state="open"),
        ReviewStatusUpdate(camera="backyard", status="MAYBE"),
        SettingUpdate(camera="backyard", setting="detect", value=True),
        MotionUpdate(camera="backyard", on=True),
        object(),
    ):
        hub.async_handle_message(ignored)
    assert hub.data is before
    # An object class outside the model's dataset: the camera shows it, no "last seen at".
    hub.async_handle_message(
        ObjectClassUpdate(camera="backyard", model=OBJECT_MODEL, value="tractor", event_id=EVENT)
    )
    assert hub.data.object_class["backyard", OBJECT_MODEL].value == "tractor"
    assert (OBJECT_MODEL, "tractor") not in hub.data.class_seen
    activity = CameraActivity(
        motion=False,
        objects=(ActiveObject(label="car"),),
        settings={"object_descriptions": True, "detect": True},
    )
    hub.async_handle_message(ActivityUpdate(cameras={"backyard": activity}))
    assert hub.data.description_setting("backyard", "object_descriptions") is True
    assert hub.data.description_setting("backyard", "review_descriptions") is False
    assert hub.data.description_setting("nowhere", "object_descriptions") is None
    hub.async_handle_message(
        SettingUpdate(camera="backyard", setting="review_descriptions", value=True)
    )
    assert hub.data.description_setting("backyard", "review_descriptions") is True
    await advance(hass, freezer, 61)
    assert ("backyard", OBJECT_MODEL) not in hub.data.object_class


async def test_descriptions_are_bounded(
    hass: HomeAssistant, frigate_factory: FrigateFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the newest descriptions are kept; the same text twice changes nothing."""
    server = await frigate_factory("0.17")
    server.recognition.enable(birdseye=False)
    hub = await _hub(hass, server)
    monkeypatch.setattr(recognition_data, "DESCRIPTIONS_KEPT", 2)
    for number in range(3):
        hub.async_handle_message(
            DescriptionUpdate(camera="backyard", event_id=f"{number}.0-abc", description="x")
        )
    assert list(hub.data.descriptions) == ["1.0-abc", "2.0-abc"]
    before = hub.data
    hub.async_handle_message(
        DescriptionUpdate(camera="backyard", event_id="2.0-abc", description="x")
    )
    assert hub.data is before


async def test_catalog_failure_and_server_down(
    hass: HomeAssistant, frigate_factory: FrigateFactory, freezer: FrozenDateTimeFactory
) -> None:
    """Faces that cannot be read keep the last list; a failed poll leaves entities unavailable."""
    server = await frigate_factory("0.17")
    server.recognition.enable(birdseye=False)
    hub = await _hub(hass, server)
    assert hub.data.faces == ("alice", "bob")
    server.recognition.known_faces.append("carol")
    server.faults.status = 500
    server.faults.paths = ("/api/faces",)
    await advance(hass, freezer, 301)
    assert hub.data.faces == ("alice", "bob")
    server.faults.reset()
    await advance(hass, freezer, 301)
    assert hub.data.faces == ("alice", "bob", "carol")
    carol = loaded_frigate(hass, "sensor", ":face_last_camera:carol")
    server.set_api_down()
    await advance(hass, freezer)
    assert hass.states.get(carol).state == "unavailable"
    face = loaded_frigate(hass, "sensor", "front_door:recognized_face")
    assert hass.states.get(face).state == "unavailable"


async def test_descriptions_poll_failure(
    hass: HomeAssistant, frigate_factory: FrigateFactory, freezer: FrozenDateTimeFactory
) -> None:
    """A failed read of the descriptions is tried again on the next cycle."""
    server = await frigate_factory("0.17")
    server.recognition.enable(birdseye=False)
    server.recognition.auto_describe = False
    server.live.camera("front_door").settings["object_descriptions"] = True
    hub = await _hub(hass, server)
    person = server.create_event("front_door", "person")
    await advance(hass, freezer)
    server.end_event(person)
    server.recognition.describe(person, "Someone.")
    server.faults.status = 500
    server.faults.paths = ("/api/events",)
    server.faults.status_count = 1
    await advance(hass, freezer)
    assert person not in hub.data.descriptions
    await advance(hass, freezer, 31)
    assert hub.data.descriptions[person] == "Someone."


async def test_profile_select_errors(
    hass: HomeAssistant, frigate_factory: FrigateFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A socket that fails the command: a translated error."""
    server = await frigate_factory("0.18")
    await _hub(hass, server)
    select = loaded_frigate(hass, "select", ":profile:profile")

    class Broken:
        connected = True

        async def _send(self, topic: str, payload: str) -> None:
            from custom_components.flir_frigate.api.frigate.exceptions import (
                FrigateConnectionError,
            )

            raise FrigateConnectionError("down")

    monkeypatch.setattr(
        "custom_components.flir_frigate.frigate.select.live_connection", lambda _: Broken()
    )
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            "select", "select_option", {"entity_id": select, "option": "home"}, blocking=True
        )
    assert err.value.translation_key == "frigate_communication_error"
    assert FrigateProfileSelect is not None


async def test_viewer_gets_no_select(hass: HomeAssistant, frigate_factory: FrigateFactory) -> None:
    """0.18: a viewer's commands are dropped, so there is no profile select."""
    server = await frigate_factory("0.18", auth="login", role="viewer")
    entry = await setup_frigate(hass, make_frigate_entry(server, credentials=True))
    assert entry.runtime_data.info.profile is not None
    registry = er.async_get(hass)
    assert not [
        e
        for e in er.async_entries_for_config_entry(registry, entry.entry_id)
        if e.domain == "select"
    ]


def test_plan_of_an_odd_version() -> None:
    """A version string the plan cannot read: no recognition feature."""
    data = FrigateServerData(
        config=FrigateConfig(cameras={}),
        stats=FrigateStats(
            cameras={},
            detectors={},
            service=ServiceStats(version="not a version", storage={}, temperatures={}),
            cpu_usages={},
            gpu_usages={},
            processes={},
        ),
        cameras={},
    )
    assert planned_recognition(data).features == RecognitionFeatures.of(FrigateVersion.of(0, 15))
