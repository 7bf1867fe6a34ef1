"""The recognition entities in the plan, from the same descriptions and functions.

The probe reads no faces or classes, and no pushed message reaches it: its plan has the
entities the config alone brings (per camera faces, plates and classification models, known
plates, the profile select, Birdseye). A plan built with a full `RecognitionData` has the rest.
"""

from collections.abc import Iterator
from typing import Any

from homeassistant.const import Platform
from homeassistant.helpers.entity import EntityDescription

from ..api.frigate.recognition import RecognitionFeatures
from ..api.frigate.version import FrigateVersion
from ..plan import PlannedEntity, planned
from .data import FrigateServerData
from .entity import camera_title
from .recognition.entity import CameraFeature
from .recognition.model import RecognitionData, Sighting
from .recognition_camera import BIRDSEYE_CAMERAS
from .recognition_sensor import (
    CAMERA_RECOGNITION_SENSORS,
    REVIEW_STATUS_SENSORS,
    SERVER_RECOGNITION_SENSORS,
    STATE_CLASSIFICATION_SENSORS,
    RecognitionSensorDescription,
)
from .recognition_switch import DESCRIPTION_SWITCHES
from .select import PROFILE_SELECTS, current_profile


def planned_recognition(data: FrigateServerData) -> RecognitionData:
    """What the recognition hub starts from, for the cycle `data` (nothing pushed yet)."""
    try:
        version = FrigateVersion.parse(data.stats.service.version or "")
    except ValueError:
        version = FrigateVersion.of(0, 0)
    return RecognitionData(
        features=RecognitionFeatures.of(version),
        config=data.config.recognition,
        labels={name: camera.labels for name, camera in data.cameras.items()},
        profile=data.config.recognition.active_profile,
    )


def _value(description: EntityDescription, data: RecognitionData, camera: str, item: Any) -> Any:
    if description.key in {"object_descriptions", "review_descriptions"}:
        return data.description_setting(camera, description.key)
    if isinstance(description, RecognitionSensorDescription):
        sighting: Sighting | None = description.sighting_fn(data, camera, item)
        return None if sighting is None else sighting.value
    return data.review_status.get(camera)


def _camera_entities(
    devices: dict[str, str],
    recognition: RecognitionData,
    described: tuple[tuple[EntityDescription, CameraFeature], ...],
    platform: Platform = Platform.SENSOR,
) -> Iterator[PlannedEntity]:
    for description, feature in described:
        for camera in recognition.labels:
            if not feature.exists_fn(recognition, camera):
                continue
            items = [None] if feature.items_fn is None else feature.items_fn(recognition, camera)
            for item in items:
                placeholders = (
                    {}
                    if item is None or feature.placeholder is None
                    else {feature.placeholder: feature.title_fn(recognition, item)}
                )
                yield planned(
                    platform,
                    devices[camera],
                    description,
                    placeholders=placeholders,
                    value=_value(description, recognition, camera, item),
                )


def recognition_plan(
    server: str,
    data: FrigateServerData,
    recognition: RecognitionData | None = None,
    *,
    control: bool = True,
) -> Iterator[PlannedEntity]:
    """The recognition entities of a server named `server` (`control`: its commands count)."""
    recognition = planned_recognition(data) if recognition is None else recognition
    devices = {
        name: camera_title(name, camera.config.friendly_name)
        for name, camera in data.cameras.items()
    }
    yield from _camera_entities(devices, recognition, CAMERA_RECOGNITION_SENSORS)
    yield from _camera_entities(devices, recognition, STATE_CLASSIFICATION_SENSORS)
    yield from _camera_entities(devices, recognition, REVIEW_STATUS_SENSORS)
    yield from _camera_entities(devices, recognition, DESCRIPTION_SWITCHES, Platform.SWITCH)
    for description, feature in SERVER_RECOGNITION_SENSORS:
        for item in feature.items_fn(recognition):
            sighting = description.sighting_fn(recognition, item, None)
            yield planned(
                Platform.SENSOR,
                server,
                description,
                placeholders=feature.placeholders_fn(recognition, item),
                value=None if sighting is None else sighting.value,
            )
    if control:
        for select, feature in PROFILE_SELECTS:
            for _ in feature.items_fn(recognition):
                yield planned(Platform.SELECT, server, select, value=current_profile(recognition))
    for camera, feature in BIRDSEYE_CAMERAS:
        for _ in feature.items_fn(recognition):
            yield planned(Platform.CAMERA, server, camera)
