"""The recognition features against the fake Frigate over loopback, in every version."""

import asyncio
import json

import pytest

from custom_components.flir_frigate.api.frigate.exceptions import (
    FrigateFeatureUnavailableError,
    FrigateForbiddenError,
    FrigateRequestRejectedError,
    FrigateUnexpectedDeviceError,
)
from custom_components.flir_frigate.api.frigate.live_models import (
    LiveFeatures,
    SettingUpdate,
    decode,
)
from custom_components.flir_frigate.api.frigate.live_recognition import (
    DescriptionUpdate,
    FaceUpdate,
    ObjectClassUpdate,
    PlateUpdate,
    ProfileUpdate,
    StateClassUpdate,
    decode_recognition,
    profile_payload,
    set_profile,
)
from custom_components.flir_frigate.api.frigate.recognition import (
    ClassificationModel,
    FrigateRecognition,
    RecognitionConfig,
    RecognitionFeatures,
    parse_dataset,
    parse_faces,
    parse_summary,
    validate_model,
)
from custom_components.flir_frigate.api.frigate.version import FrigateVersion
from tests.fakes.frigate_recognition import OBJECT_MODEL, STATE_MODEL, SUMMARY
from tests.fakes.frigate_server import FakeFrigateServer

from .conftest import ClientFactory, ServerFactory
from .test_live import Recorder


def _features(server: FakeFrigateServer) -> RecognitionFeatures:
    return RecognitionFeatures.of(FrigateVersion.parse(server.version_string))


async def test_config_and_endpoints_per_version(
    server: FakeFrigateServer, make_client: ClientFactory
) -> None:
    """Each version configures and serves what it has; older ones have none of it."""
    server.recognition.enable()
    client = make_client(server)
    info = await client.probe()
    recognition = FrigateRecognition(client, info.version)
    features = recognition.features
    config = (await client.config()).recognition
    assert config.faces is features.faces
    assert config.plates is features.plates
    assert config.genai is features.descriptions
    assert bool(config.models) is features.classification
    assert bool(config.profiles) is features.profiles
    if features.faces:
        assert await recognition.faces() == ("alice", "bob")
        assert config.known_plates == ("Family car", "Delivery van")
        assert config.cameras["front_door"].faces
        assert config.cameras["front_door"].plates
    else:
        with pytest.raises(FrigateFeatureUnavailableError) as err:
            await recognition.faces()
        assert err.value.needed == "0.16"
    if features.classification:
        assert await recognition.classes(STATE_MODEL) == ("closed", "open")
        assert await recognition.classes(OBJECT_MODEL) == ("sedan", "van")
        assert await recognition.classes("unknown_model") == ()
        assert [m.key for m in config.state_models("front_door")] == [STATE_MODEL]
        assert config.state_models("backyard") == ()
        assert [m.key for m in config.object_models(("person", "car"))] == [OBJECT_MODEL]
        assert config.cameras["front_door"].object_descriptions is False
        assert config.cameras["front_door"].review_descriptions is False
        assert await recognition.review_summarize(1000.0, 2000.0) == SUMMARY
        assert server.recognition.summaries == [(1000.0, 2000.0)]
    else:
        with pytest.raises(FrigateFeatureUnavailableError):
            await recognition.classes(STATE_MODEL)
        with pytest.raises(FrigateFeatureUnavailableError):
            await recognition.review_summarize(1000.0, 2000.0)
    if features.profiles:
        assert config.profiles == {"home": "Home", "away": "Away"}
        assert config.active_profile is None


async def test_features_turned_off(
    server_factory: ServerFactory, make_client: ClientFactory
) -> None:
    """A feature off in the config is off per camera too; summarize without GenAI is refused."""
    server = await server_factory("0.18")  # the features are off as Frigate ships them
    client = make_client(server)
    recognition = FrigateRecognition(client, (await client.probe()).version)
    config = (await client.config()).recognition
    assert (config.faces, config.plates, config.genai, dict(config.models)) == (
        False,
        False,
        False,
        {},
    )
    assert not config.cameras["front_door"].faces
    assert not config.cameras["front_door"].plates
    with pytest.raises(FrigateRequestRejectedError):
        await recognition.review_summarize(1000.0, 2000.0)
    with pytest.raises(ValueError, match="after the start"):
        await recognition.review_summarize(2000.0, 1000.0)


async def test_summarize_forbidden_and_malformed(
    server_factory: ServerFactory, make_client: ClientFactory
) -> None:
    """A 403 and an answer without text leave the library as its own errors."""
    server = await server_factory("0.17")
    server.recognition.enable()
    client = make_client(server)
    recognition = FrigateRecognition(client, (await client.probe()).version)
    server.faults.status = 403
    server.faults.paths = ("/api/review/summarize",)
    with pytest.raises(FrigateForbiddenError):
        await recognition.review_summarize(1.0, 2.0)
    with pytest.raises(FrigateUnexpectedDeviceError):
        parse_summary({"success": True})


async def test_birdseye_restream(server_factory: ServerFactory, make_client: ClientFactory) -> None:
    """`birdseye.restream` in the config; its still is served while it is on."""
    server = await server_factory("0.16")
    client = make_client(server)
    assert (await client.config()).recognition.birdseye_restream is False
    server.recognition.birdseye_restream = True
    assert (await client.config()).recognition.birdseye_restream is True
    image = await client.latest_image("birdseye", height=120)
    assert image.content.startswith(b"\xff\xd8")


@pytest.mark.parametrize("version", ["0.16", "0.17", "0.18"])
async def test_pushed_recognition(
    server_factory: ServerFactory, make_client: ClientFactory, version: str
) -> None:
    """Faces, plates, classes, descriptions and profiles arrive over the websocket."""
    server = await server_factory(version)
    server.recognition.enable()
    client = make_client(server)
    features = _features(server)
    recorder = Recorder(client)
    recorder.start()
    try:
        await recorder.connected()
        person = server.create_event("front_door", "person")
        server.recognition.recognize_face(person, "alice")
        face = await recorder.wait_for(FaceUpdate)
        assert (face.camera, face.event_id, face.name, face.score) == (
            "front_door",
            person,
            "alice",
            0.93,
        )
        car = server.create_event("backyard", "car")
        server.recognition.read_plate(car, "AB12CDE")
        plate = await recorder.wait_for(PlateUpdate)
        assert (plate.plate, plate.name, plate.event_id) == ("AB12CDE", "Family car", car)
        rows = {event.id: event for event in await client.events()}
        assert rows[person].sub_label == "alice"
        assert rows[car].recognized_license_plate == "AB12CDE"
        assert rows[car].sub_label == "Family car"
        server.recognition.clear_camera("front_door", "face")
        cleared = await recorder.wait_for(FaceUpdate, lambda f: f.name is None)
        assert cleared.camera == "front_door"
        if not features.classification:
            return
        server.recognition.classify_state("front_door", "open")
        state = await recorder.wait_for(StateClassUpdate)
        assert (state.camera, state.model, state.state) == ("front_door", STATE_MODEL, "open")
        server.recognition.classify_object(car, "van")
        verdict = await recorder.wait_for(ObjectClassUpdate)
        assert (verdict.model, verdict.value, verdict.event_id) == (OBJECT_MODEL, "van", car)
        # Descriptions: off as Frigate ships them; once on, one follows the event's end.
        assert (
            "object_descriptions"
            in LiveFeatures.of(FrigateVersion.parse(server.version_string)).settings
        )
        assert await recorder.live.set_setting("backyard", "object_descriptions", True) is True
        server.end_event(car)
        described = await recorder.wait_for(DescriptionUpdate)
        assert described.event_id == car
        row = await client.event(car)
        assert row.description == described.description
        if features.profiles:
            await set_profile(recorder.live, "away")
            profile = await recorder.wait_for(ProfileUpdate, lambda p: p.profile == "away")
            assert profile.profile == "away"
            assert (await client.config()).recognition.active_profile == "away"
    finally:
        await recorder.stop()


async def test_profile_on_connect(
    server_factory: ServerFactory, make_client: ClientFactory
) -> None:
    """0.18 tells the active profile after `onConnect` (`none` without one)."""
    server = await server_factory("0.18")
    recorder = Recorder(make_client(server))
    recorder.start()
    try:
        profile = await recorder.wait_for(ProfileUpdate)
        assert profile.profile is None
        await set_profile(recorder.live, "nowhere")  # unknown: Frigate answers nothing
        await set_profile(recorder.live, None)
        async with asyncio.timeout(5):
            while True:
                profiles = [m.profile for m in recorder.messages if isinstance(m, ProfileUpdate)]
                if len(profiles) >= 2:
                    break
                await asyncio.sleep(0.01)
        assert profiles == [None, None]
    finally:
        await recorder.stop()


def _envelope(topic: str, payload: object) -> str:
    return json.dumps({"topic": topic, "payload": payload})


@pytest.mark.parametrize(
    ("topic", "payload"),
    [
        ("tracked_object_update", "{broken"),
        ("tracked_object_update", json.dumps([1])),
        ("tracked_object_update", json.dumps({"type": "face", "camera": "../x"})),
        ("tracked_object_update", json.dumps({"type": "unknown", "camera": "a"})),
        ("tracked_object_update", json.dumps({"type": "classification", "camera": "a"})),
        ("tracked_object_update", json.dumps({"type": "description", "camera": "a"})),
        ("front_door/classification/door", ""),
        ("front_door/classification/ ", "open"),
    ],
)
def test_malformed_recognition_messages(topic: str, payload: object) -> None:
    """What does not parse is dropped, never raised."""
    assert decode(_envelope(topic, payload)) is None


def test_decoding_shapes() -> None:
    """Shapes as the release tags send them; an object model's attribute counts as its value."""
    attribute = decode_recognition(
        "tracked_object_update",
        {"type": "classification", "camera": "cam", "model": "m", "attribute": "red", "id": "x"},
    )
    assert attribute == ObjectClassUpdate(camera="cam", model="m", value="red")
    assert decode_recognition("profile/state", "home") == ProfileUpdate(profile="home")
    assert decode_recognition("cam/detect/state", "ON") is None
    plate = decode(_envelope("tracked_object_update", json.dumps({"type": "lpr", "camera": "c"})))
    assert plate == PlateUpdate(camera="c")
    setting = decode(_envelope("cam/review_descriptions/state", "OFF"))
    assert setting == SettingUpdate(camera="cam", setting="review_descriptions", value=False)
    assert profile_payload(None) == "none"
    assert profile_payload("home") == "home"
    with pytest.raises(ValueError, match="profile"):
        profile_payload(" ")


def test_parsers_are_defensive() -> None:
    """Odd names and shapes are left out rather than trusted."""
    assert parse_faces({"bob": [], "train": [], "a/b": [], "": [], "x" * 200: []}) == ("bob",)
    assert parse_faces(["bob"]) == ()
    assert parse_dataset({"categories": {"none": [], "red": [], "\x00": []}}) == ("red",)
    assert parse_dataset({"categories": []}) == ()
    assert validate_model("door_1") == "door_1"
    with pytest.raises(ValueError, match="model"):
        validate_model("../x")
    model = ClassificationModel.from_dict("k", {"enabled": "no", "name": 5})
    assert (model.name, model.enabled, model.is_state) == ("k", True, False)
    config = RecognitionConfig.from_dict(
        {
            "face_recognition": {"enabled": True},
            "lpr": {"enabled": True, "known_plates": {"Car": ["X"], "a/b": ["Y"]}},
            "genai": {"cloud": {"provider": "openai"}},
            "classification": {"custom": {"../bad": {}, "ok": {"enabled": False}}},
            "cameras": {
                "a": {"face_recognition": {"enabled": False}},
                "b": {},
                "c": "not a camera",
            },
            "profiles": {"none": {}, "home": "x"},
            "birdseye": {"enabled": False, "restream": True},
        }
    )
    assert config.known_plates == ("Car",)
    assert config.genai is True
    assert list(config.models) == ["ok"]
    assert config.object_models(("car",)) == ()
    assert (config.cameras["a"].faces, config.cameras["b"].faces) == (False, True)
    assert "c" not in config.cameras
    assert config.profiles == {"home": "home"}
    assert config.birdseye_restream is False
    assert (
        RecognitionConfig.from_dict({"genai": {"enabled": False, "provider": "x"}}).genai is False
    )
