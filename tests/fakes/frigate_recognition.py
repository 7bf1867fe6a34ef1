"""Recognition features of the fake Frigate server, per version, as Frigate has them.

Read from Frigate's `frigate/api/classification.py`, `frigate/config/classification.py`,
`frigate/api/review.py`, `frigate/comms/dispatcher.py` and the real-time processors
(`frigate/data_processing/real_time/{face,license_plate,custom_classification}.py`):

* 0.16: `face_recognition` and `lpr` (with `known_plates`: name -> patterns) in the config,
  globally and per camera; `GET /api/faces` lists the face folders (`{name: [files]}`, the
  `train` folder of unsorted attempts included); a recognized face or plate becomes the
  event's `sub_label` (plates only when known) and `data.recognized_license_plate`, and is
  published as `tracked_object_update` (`type` face/lpr); the camera is cleared (`name` null)
  when the person or car leaves;
* 0.17: `classification.custom` models (a state model on a crop of `front_door`, published as
  `<camera>/classification/<model>`; an object model on cars, published as
  `tracked_object_update` type classification), `GET /api/classification/<model>/dataset`
  (`{"categories": {...}, "training_metadata": ...}`, an unknown model's empty), GenAI with
  per-camera `objects.genai` and `review.genai` (off as Frigate ships them, switched by
  `<camera>/{object,review}_descriptions/set`), descriptions arriving a moment after an event
  ended (`data.description` and `tracked_object_update` type description) and
  `POST /api/review/summarize/start/<s>/end/<e>` (400 without GenAI);
* 0.18: `profiles` and `active_profile` in the config, `profile/set` over the websocket,
  answered with `profile/state`;
* Birdseye: `birdseye.restream` and `/api/birdseye/latest.jpg` when it is on.
"""

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from .frigate_server import FakeCamera, FakeEvent, FakeFrigateServer

KNOWN_FACES = ("alice", "bob")
KNOWN_PLATES = {"Family car": ["AB12CDE"], "Delivery van": ["XY98ZZZ"]}
STATE_MODEL = "front_door_state"
STATE_CLASSES = ("closed", "open")
OBJECT_MODEL = "vehicle_type"
OBJECT_CLASSES = ("sedan", "van")
PROFILES = {"home": "Home", "away": "Away"}
DESCRIPTION_DELAY = 1.0
SUMMARY = "Between the given times a delivery van stopped at the front door; nothing suspicious."


@dataclass
class Enrichment:
    """What the enrichments found on one event."""

    plate: str | None = None
    plate_score: float | None = None
    description: str | None = None


@dataclass
class FakeRecognition:
    """Faces, plates, classification, descriptions, profiles and Birdseye of one fake server."""

    server: FakeFrigateServer
    # Off as Frigate ships them (the keys are in the config, `enabled: false`); `enable()`.
    faces: bool = False
    plates: bool = False
    classification: bool = False
    genai: bool = False
    birdseye_restream: bool = False
    auto_describe: bool = True  # a description follows each ended event (where switched on)
    known_faces: list[str] = field(default_factory=lambda: list(KNOWN_FACES))
    known_plates: dict[str, list[str]] = field(default_factory=lambda: dict(KNOWN_PLATES))
    active_profile: str | None = None
    enrichments: dict[str, Enrichment] = field(default_factory=dict)
    summaries: list[tuple[float, float]] = field(default_factory=list)

    def enable(self, *, birdseye: bool = True) -> None:
        """Turn every feature on: faces, plates, classification models, GenAI, Birdseye."""
        self.faces = self.plates = self.classification = self.genai = True
        self.birdseye_restream = birdseye

    @property
    def minor(self) -> int:
        """The server's minor version."""
        return self.server.minor

    # -------------------------------------------------------------- config

    def global_config(self) -> dict[str, Any]:
        """What `/api/config` has of the features at the top level (merged one level deep)."""
        config: dict[str, Any] = {"birdseye": {"restream": self.birdseye_restream}}
        if self.minor >= 16:
            config["face_recognition"] = {
                "enabled": self.faces,
                "model_size": "small",
                "recognition_threshold": 0.9,
                "min_area": 750,
            }
            config["lpr"] = {
                "enabled": self.plates,
                "min_area": 1000,
                "known_plates": self.known_plates,
            }
        if self.minor >= 17:
            custom = {
                STATE_MODEL: {
                    "enabled": True,
                    "name": STATE_MODEL,
                    "threshold": 0.8,
                    "state_config": {
                        "cameras": {"front_door": {"crop": [0, 180, 220, 400]}},
                        "motion": True,
                    },
                },
                OBJECT_MODEL: {
                    "enabled": True,
                    "name": OBJECT_MODEL,
                    "threshold": 0.8,
                    "object_config": {"objects": ["car"], "classification_type": "sub_label"},
                },
            }
            config["classification"] = {
                "bird": {"enabled": False, "threshold": 0.9},
                "custom": custom if self.classification else {},
            }
            config["genai"] = (
                {"provider": "ollama", "base_url": "http://192.0.2.9:11434", "model": "llava"}
                if self.genai
                else {}
            )
        if self.minor >= 18:
            config["profiles"] = {
                name: {"friendly_name": friendly} for name, friendly in PROFILES.items()
            }
            if self.active_profile is not None:
                config["active_profile"] = self.active_profile
        return config

    def camera_config(self, camera: FakeCamera) -> dict[str, Any]:
        """What a camera's config has of the features (merged one level deep)."""
        config: dict[str, Any] = {}
        if self.minor >= 16:
            config["face_recognition"] = {"enabled": self.faces, "min_area": 750}
            config["lpr"] = {"enabled": self.plates, "expire_time": 3, "min_area": 1000}
        if self.minor >= 17:
            settings = self.server.live.camera(camera.name).settings
            config["objects"] = {"genai": {"enabled": bool(settings["object_descriptions"])}}
            config["review"] = {"genai": {"enabled": bool(settings["review_descriptions"])}}
        return config

    def event_data(self, event: FakeEvent) -> dict[str, Any]:
        """An event row's `data` keys from the enrichments."""
        found = self.enrichments.get(event.id)
        data: dict[str, Any] = {}
        if found is None or self.minor < 16:
            return data
        if found.plate is not None:
            data["recognized_license_plate"] = found.plate
            data["recognized_license_plate_score"] = found.plate_score
        if found.description is not None and self.minor >= 17:
            data["description"] = found.description
        return data

    # -------------------------------------------------------------- HTTP

    def add_routes(self, router: web.UrlDispatcher) -> None:
        """The endpoints, per version (before the server's catch-all camera routes)."""
        router.add_get("/api/birdseye/latest.{ext}", self._birdseye_latest)
        if self.minor >= 16:
            router.add_get("/api/faces", self._faces)
        if self.minor >= 17:
            router.add_get("/api/classification/{name}/dataset", self._dataset)
            router.add_post("/api/review/summarize/start/{start}/end/{end}", self._summarize)

    async def _birdseye_latest(self, request: web.Request) -> web.Response:
        if not self.birdseye_restream:
            return web.json_response({"success": False, "message": "Camera not found"}, status=404)
        first = next(iter(self.server.cameras.values()), None)
        if first is None:
            return web.json_response({"success": False, "message": "Camera not found"}, status=404)
        image = self.server._frame_jpeg(first, self.server._height(request))
        return web.Response(body=image, content_type="image/jpeg")

    async def _faces(self, _request: web.Request) -> web.Response:
        # Every folder under /media/frigate/clips/faces, `train` (unsorted attempts) too.
        faces = {name: [f"{name}-1718000000.0.webp"] for name in self.known_faces}
        faces["train"] = ["1718000000.123456-abc123-0.91.webp"]
        return web.json_response(faces)

    async def _dataset(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        classes = {STATE_MODEL: STATE_CLASSES, OBJECT_MODEL: (*OBJECT_CLASSES, "none")}
        if not self.classification or name not in classes:
            return web.json_response({"categories": {}, "training_metadata": None})
        categories = {c: [f"{c}-1718000000.0-abc123.png"] for c in classes[name]}
        metadata = {
            "has_trained": True,
            "last_training_date": "2026-01-01T00:00:00",
            "last_training_image_count": len(categories),
            "current_image_count": len(categories),
            "new_images_count": 0,
            "dataset_changed": False,
        }
        return web.json_response({"categories": categories, "training_metadata": metadata})

    async def _summarize(self, request: web.Request) -> web.Response:
        if not self.genai:
            return web.json_response(
                {"success": False, "message": "GenAI must be configured to use this feature."},
                status=400,
            )
        try:
            start = float(request.match_info["start"])
            end = float(request.match_info["end"])
        except ValueError:
            return web.json_response({"detail": "invalid timestamps"}, status=422)
        self.summaries.append((start, end))
        return web.json_response({"success": True, "summary": SUMMARY})

    # -------------------------------------------------------------- test hooks

    def _publish(self, topic: str, payload: Any) -> None:
        self.server.live.notify(self.server.live.publish(topic, payload))

    def _update(self, data: dict[str, Any]) -> None:
        self._publish("tracked_object_update", json.dumps(data))

    def recognize_face(self, event_id: str, name: str | None, score: float = 0.93) -> None:
        """A face on a tracked person (0.16+); a known one becomes the event's sub label."""
        event = self.server.events[event_id]
        if name is not None and score >= 0.9:  # face_recognition.recognition_threshold
            event.sub_label = name
        self._update(
            {
                "type": "face",
                "name": name,
                "score": score,
                "id": event.id,
                "camera": event.camera,
                "timestamp": time.time(),
            }
        )

    def read_plate(self, event_id: str, plate: str, score: float = 0.95) -> None:
        """A plate read on a tracked car (0.16+); a known one names the event's sub label."""
        event = self.server.events[event_id]
        name = next((key for key, plates in self.known_plates.items() if plate in plates), None)
        if name is not None:
            event.sub_label = name
        found = self.enrichments.setdefault(event_id, Enrichment())
        found.plate, found.plate_score = plate, score
        self._update(
            {
                "type": "lpr",
                "name": name,
                "plate": plate,
                "score": score,
                "id": event.id,
                "camera": event.camera,
                "timestamp": time.time(),
            }
        )

    def clear_camera(self, camera: str, kind: str) -> None:
        """The last person (`face`) or car (`lpr`) left: Frigate publishes a null name."""
        data: dict[str, Any] = {"type": kind, "name": None, "camera": camera}
        if kind == "face":
            data |= {"score": 0.0, "id": None, "timestamp": time.time()}
        else:
            data["plate"] = None
        self._update(data)

    def classify_object(self, event_id: str, value: str, score: float = 0.88) -> None:
        """The object model's verdict on a car (0.17+, sub label type)."""
        event = self.server.events[event_id]
        event.sub_label = value
        self._update(
            {
                "type": "classification",
                "id": event.id,
                "camera": event.camera,
                "timestamp": time.time(),
                "model": OBJECT_MODEL,
                "sub_label": value,
                "score": score,
            }
        )

    def classify_state(self, camera: str, state: str, model: str = STATE_MODEL) -> None:
        """A state model's class of the camera's crop (0.17+)."""
        self._publish(f"{camera}/classification/{model}", state)

    def describe(self, event_id: str, text: str) -> None:
        """GenAI's description of an ended event (0.17+)."""
        event = self.server.events[event_id]
        self.enrichments.setdefault(event_id, Enrichment()).description = text
        self._update(
            {"type": "description", "id": event.id, "description": text, "camera": event.camera}
        )

    def event_ended(self, event_id: str) -> None:
        """An event ended: its description follows when the camera's setting is on."""
        event = self.server.events[event_id]
        if self.minor < 17 or not self.genai or not self.auto_describe:
            return
        settings = self.server.live.camera(event.camera).settings
        if settings.get("object_descriptions"):
            self.server.live.notify(self._describe_later(event_id))

    async def _describe_later(self, event_id: str) -> None:
        await asyncio.sleep(DESCRIPTION_DELAY)
        event = self.server.events.get(event_id)
        if event is not None:
            self.describe(event_id, f"A {event.label} walks through the {event.camera} view.")

    def enrich(self, event_id: str) -> None:
        """What the enrichments find on an automatic event (scripts/develop)."""
        event = self.server.events[event_id]
        rand = self.server._random
        if self.minor < 16:
            return
        if event.label == "person" and self.faces:
            self.recognize_face(event_id, rand.choice([*self.known_faces, None]))
        if event.label == "car" and self.plates:
            plates = [p for values in self.known_plates.values() for p in values]
            self.read_plate(event_id, rand.choice([*plates, "ZZ00TOP"]))
            if self.minor >= 17 and self.classification:
                self.classify_object(event_id, rand.choice(OBJECT_CLASSES))
        if self.minor >= 17 and self.classification and event.camera == "front_door":
            self.classify_state("front_door", rand.choice(STATE_CLASSES))

    async def receive_global(self, command: str, payload: Any) -> None:
        """`<command>/set` without a camera: `profile/set` (0.18)."""
        if command != "profile" or self.minor < 18 or not isinstance(payload, str):
            return
        name = payload.strip()
        profile = None if name in {"", "none", "None"} else name
        if profile is not None and profile not in PROFILES:
            return  # "Failed to activate profile": no answer
        self.active_profile = profile
        await self.server.live.publish("profile/state", name or "none")
