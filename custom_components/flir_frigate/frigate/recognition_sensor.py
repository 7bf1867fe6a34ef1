"""Sensors of the recognition features: faces, plates, classes, review status.

Per camera: the last recognized face and plate (0.16+), each state model's class (0.17+,
restored across restarts: Frigate sends a state only when it changes), each object model's
last verdict, and the review status (0.16+; Frigate only pushes it, so the sensor appears with
the first one). Per known face, known plate and class, on the server: the camera it was last
seen at, and when.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, override

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType

from ..entity import EntityFactories
from .coordinator import FrigateConfigEntry
from .recognition.coordinator import RecognitionHub
from .recognition.entity import (
    CameraFeature,
    RecognitionCameraEntity,
    RecognitionServerEntity,
    ServerFeature,
    async_add_recognition_entities,
    camera_factories,
    server_factories,
)
from .recognition.model import REVIEW_STATES, RecognitionData, Sighting

CLASS_SEPARATOR: Final = ":"


@dataclass(frozen=True, kw_only=True)
class RecognitionSensorDescription(SensorEntityDescription):
    """A sensor of a camera (`item`: a model) or of the server (`item`: a face, plate, class)."""

    sighting_fn: Callable[[RecognitionData, str, str | None], Sighting | None]
    when: str = "recognized_at"  # the attribute that says when


def _model_title(data: RecognitionData, key: str) -> str:
    model = data.config.models.get(key)
    return key if model is None else model.name


def _class_items(data: RecognitionData) -> list[str]:
    """`<model>:<class>` of every class of every enabled object model."""
    if not data.features.classification:
        return []
    return [
        f"{key}{CLASS_SEPARATOR}{name}"
        for key, model in data.config.models.items()
        if model.enabled and not model.is_state
        for name in data.classes.get(key, ())
    ]


def _class_placeholders(data: RecognitionData, item: str) -> dict[str, str]:
    key, _, name = item.partition(CLASS_SEPARATOR)
    return {"model": _model_title(data, key), "class": name}


def _class_seen(data: RecognitionData, item: str) -> Sighting | None:
    key, _, name = item.partition(CLASS_SEPARATOR)
    return data.class_seen.get((key, name))


CAMERA_RECOGNITION_SENSORS: tuple[tuple[RecognitionSensorDescription, CameraFeature], ...] = (
    (
        RecognitionSensorDescription(
            key="recognized_face",
            translation_key="frigate_recognized_face",
            sighting_fn=lambda data, camera, _: data.face.get(camera),
        ),
        CameraFeature(exists_fn=RecognitionData.camera_faces),
    ),
    (
        RecognitionSensorDescription(
            key="recognized_plate",
            translation_key="frigate_recognized_plate",
            sighting_fn=lambda data, camera, _: data.plate.get(camera),
        ),
        CameraFeature(exists_fn=RecognitionData.camera_plates),
    ),
    (
        RecognitionSensorDescription(
            key="object_classification",
            translation_key="frigate_object_classification",
            sighting_fn=lambda data, camera, model: data.object_class.get((camera, str(model))),
            when="classified_at",
        ),
        CameraFeature(
            items_fn=RecognitionData.object_models, placeholder="model", title_fn=_model_title
        ),
    ),
)

STATE_CLASSIFICATION_SENSORS: tuple[tuple[RecognitionSensorDescription, CameraFeature], ...] = (
    (
        RecognitionSensorDescription(
            key="classification",
            translation_key="frigate_classification_state",
            sighting_fn=lambda data, camera, model: data.state_class.get((camera, str(model))),
            when="classified_at",
        ),
        CameraFeature(
            items_fn=RecognitionData.state_models, placeholder="model", title_fn=_model_title
        ),
    ),
)

REVIEW_STATUS_SENSORS: tuple[tuple[SensorEntityDescription, CameraFeature], ...] = (
    (
        SensorEntityDescription(
            key="review_status",
            translation_key="frigate_review_status",
            device_class=SensorDeviceClass.ENUM,
            options=list(REVIEW_STATES),
        ),
        CameraFeature(exists_fn=lambda data, camera: camera in data.review_status),
    ),
)

SERVER_RECOGNITION_SENSORS: tuple[tuple[RecognitionSensorDescription, ServerFeature], ...] = (
    (
        RecognitionSensorDescription(
            key="face_last_camera",
            translation_key="frigate_face_last_camera",
            sighting_fn=lambda data, face, _: data.face_seen.get(face),
            when="last_seen",
        ),
        ServerFeature(
            items_fn=lambda data: data.faces if data.features.faces and data.config.faces else (),
            placeholders_fn=lambda _, face: {"face": face},
        ),
    ),
    (
        RecognitionSensorDescription(
            key="plate_last_camera",
            translation_key="frigate_plate_last_camera",
            sighting_fn=lambda data, plate, _: data.plate_seen.get(plate),
            when="last_seen",
        ),
        ServerFeature(
            items_fn=lambda data: (
                data.config.known_plates if data.features.plates and data.config.plates else ()
            ),
            placeholders_fn=lambda _, plate: {"plate": plate},
        ),
    ),
    (
        RecognitionSensorDescription(
            key="class_last_camera",
            translation_key="frigate_class_last_camera",
            sighting_fn=lambda data, item, _: _class_seen(data, item),
            when="last_seen",
        ),
        ServerFeature(items_fn=_class_items, placeholders_fn=_class_placeholders),
    ),
)


def sighting_attributes(
    description: RecognitionSensorDescription, sighting: Sighting | None
) -> dict[str, Any]:
    """The score, event, known plate name and time of a sighting (None each without one)."""
    attributes: dict[str, Any] = {"score": None, "event_id": None, description.when: None}
    if description.key == "recognized_plate":
        attributes["known_plate"] = None if sighting is None else sighting.name
    if sighting is not None:
        attributes |= sighting.attributes(description.when)
    return attributes


async def async_setup_recognition_sensors(
    hass: HomeAssistant,
    entry: FrigateConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the sensors, adding and removing them as the config and pushes change."""

    def factories(hub: RecognitionHub) -> EntityFactories:
        return {
            **camera_factories(hub, CAMERA_RECOGNITION_SENSORS, RecognitionCameraSensor),
            **camera_factories(hub, STATE_CLASSIFICATION_SENSORS, RecognitionStateSensor),
            **camera_factories(hub, REVIEW_STATUS_SENSORS, ReviewStatusSensor),
            **server_factories(hub, SERVER_RECOGNITION_SENSORS, RecognitionServerSensor),
        }

    async_add_recognition_entities(hass, entry, async_add_entities, factories)


class RecognitionCameraSensor(RecognitionCameraEntity, SensorEntity):
    """The last face, plate or class on a camera, with its score, event and time."""

    entity_description: RecognitionSensorDescription

    def _sighting(self) -> Sighting | None:
        return self.entity_description.sighting_fn(self.recognition, self.camera, self.item)

    @property
    @override
    def native_value(self) -> StateType:
        """The name, plate or class; unknown once it cleared."""
        sighting = self._sighting()
        return None if sighting is None else sighting.value

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any]:
        """Score, event id and time of the sighting."""
        return sighting_attributes(self.entity_description, self._sighting())


class RecognitionStateSensor(RecognitionCameraSensor, RestoreSensor):
    """A state model's class of a camera; the last one is restored after a restart."""

    _restored: StateType = None

    @override
    async def async_added_to_hass(self) -> None:
        """Take the class from before the restart until Frigate sends a new one."""
        await super().async_added_to_hass()
        if (last := await self.async_get_last_sensor_data()) is not None and isinstance(
            last.native_value, str
        ):
            self._restored = last.native_value

    @property
    @override
    def native_value(self) -> StateType:
        """The pushed class, else the restored one."""
        sighting = self._sighting()
        return self._restored if sighting is None else sighting.value


class ReviewStatusSensor(RecognitionCameraEntity, SensorEntity):
    """What a camera's review is at now: none, detection or alert (pushed by Frigate)."""

    @property
    @override
    def native_value(self) -> StateType:
        """The last pushed status."""
        return self.recognition.review_status.get(self.camera)


class RecognitionServerSensor(RecognitionServerEntity, SensorEntity):
    """The camera a known face, plate or class was last seen at, and when."""

    entity_description: RecognitionSensorDescription

    def _sighting(self) -> Sighting | None:
        return self.entity_description.sighting_fn(self.recognition, self.item, None)

    @property
    @override
    def native_value(self) -> StateType:
        """The camera's name; unknown until it is seen."""
        sighting = self._sighting()
        return None if sighting is None else sighting.value

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any]:
        """Score, event id and time it was last seen."""
        return sighting_attributes(self.entity_description, self._sighting())
