"""The recognition state a `RecognitionHub` hands its entities: one frozen snapshot.

Kept apart from the hub so the entities, the plan and the tests read it without the hub.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from ...api.frigate.recognition import RecognitionConfig, RecognitionFeatures

DESCRIPTION_SETTINGS: Final = ("object_descriptions", "review_descriptions")
REVIEW_STATES: Final = ("none", "detection", "alert")


@dataclass(frozen=True, kw_only=True)
class Sighting:
    """Something recognized, where and when: `value` is a name, plate, class or camera."""

    value: str
    at: datetime
    score: float | None = None
    event_id: str | None = None
    name: str | None = None  # a plate's name in `lpr.known_plates`

    def attributes(self, when: str) -> dict[str, Any]:
        """State attributes: the score, the event and the time under `when`."""
        return {"score": self.score, "event_id": self.event_id, when: self.at.isoformat()}


@dataclass(frozen=True, kw_only=True)
class RecognitionData:
    """What the recognition entities show (a snapshot, replaced on every change)."""

    features: RecognitionFeatures
    config: RecognitionConfig
    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # visible cameras
    faces: tuple[str, ...] = ()  # known faces
    classes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # model key -> classes
    face: Mapping[str, Sighting] = field(default_factory=dict)  # camera -> face
    plate: Mapping[str, Sighting] = field(default_factory=dict)  # camera -> plate
    object_class: Mapping[tuple[str, str], Sighting] = field(default_factory=dict)
    state_class: Mapping[tuple[str, str], Sighting] = field(default_factory=dict)
    face_seen: Mapping[str, Sighting] = field(default_factory=dict)  # face -> camera
    plate_seen: Mapping[str, Sighting] = field(default_factory=dict)  # known plate -> camera
    class_seen: Mapping[tuple[str, str], Sighting] = field(default_factory=dict)
    review_status: Mapping[str, str] = field(default_factory=dict)  # pushed only
    profile: str | None = None
    profile_known: bool = False  # from the config or `profile/state`
    descriptions: Mapping[str, str] = field(default_factory=dict)  # event id -> text
    settings: Mapping[tuple[str, str], bool] = field(default_factory=dict)  # pushed states
    commands: bool = False  # a websocket, and Frigate takes the user's commands

    def camera_faces(self, camera: str) -> bool:
        """Whether the camera recognizes faces (the version has it, the config turns it on)."""
        config = self.config.cameras.get(camera)
        return self.features.faces and camera in self.labels and bool(config and config.faces)

    def camera_plates(self, camera: str) -> bool:
        """Whether the camera reads plates."""
        config = self.config.cameras.get(camera)
        return self.features.plates and camera in self.labels and bool(config and config.plates)

    def state_models(self, camera: str) -> tuple[str, ...]:
        """Keys of the state models on the camera."""
        if not self.features.classification or camera not in self.labels:
            return ()
        return tuple(model.key for model in self.config.state_models(camera))

    def object_models(self, camera: str) -> tuple[str, ...]:
        """Keys of the object models of the labels the camera tracks."""
        if not self.features.classification or camera not in self.labels:
            return ()
        return tuple(model.key for model in self.config.object_models(self.labels[camera]))

    def description_setting(self, camera: str, setting: str) -> bool | None:
        """A camera's description switch: pushed state, else its config."""
        if (pushed := self.settings.get((camera, setting))) is not None:
            return pushed
        config = self.config.cameras.get(camera)
        if config is None:
            return None
        if setting == "object_descriptions":
            return config.object_descriptions
        return config.review_descriptions

    def descriptions_on(self, camera: str) -> bool:
        """Whether the camera can have descriptions (0.17+, GenAI set up)."""
        return self.features.descriptions and self.config.genai and camera in self.labels
