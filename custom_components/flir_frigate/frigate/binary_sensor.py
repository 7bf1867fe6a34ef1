"""Frigate binary sensors: camera online, objects detected (per camera, label and zone)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any, override

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..api.frigate.models import FrigateEvent
from ..entity import EntityFactories
from .coordinator import FrigateCameraCoordinator, FrigateConfigEntry
from .data import FrigateCameraData
from .entity import (
    FrigateCameraEntity,
    FrigateItemDescription,
    async_add_frigate_entities,
    entity_factories,
    item_entity_factories,
    zone_title,
)
from .live_binary_sensor import LIVE_BINARY_SENSORS, async_setup_live_binary_sensors


def objects_in_view(events: Iterable[FrigateEvent]) -> dict[str, Any]:
    """The labels and event ids of tracked objects."""
    events = list(events)
    return {
        "labels": sorted({event.label for event in events}),
        "event_ids": [event.id for event in events],
    }


def _online_attributes(data: FrigateCameraData) -> dict[str, Any]:
    """The frame rate Frigate gets and how it rates the connection (0.18, with what it rates)."""
    stats = data.stats
    return {
        "camera_fps": None if stats is None else stats.camera_fps,
        "connection_quality": None if stats is None else stats.connection_quality,
        **data.connection_attributes,
    }


@dataclass(frozen=True, kw_only=True)
class FrigateBinarySensorDescription(BinarySensorEntityDescription):
    """A binary sensor of a camera."""

    is_on_fn: Callable[[FrigateCameraData], bool | None]
    attributes_fn: Callable[[FrigateCameraData], dict[str, Any]]
    # The online sensor has to tell that the camera is offline: it stays available.
    available_offline: bool = False


@dataclass(frozen=True, kw_only=True)
class FrigateObjectSensorDescription(
    BinarySensorEntityDescription, FrigateItemDescription[FrigateCameraData]
):
    """On while an event of the sensor's label or zone (its item) is in progress."""

    device_class: BinarySensorDeviceClass | None = BinarySensorDeviceClass.OCCUPANCY
    matches_fn: Callable[[FrigateEvent, str], bool]


def _detection_enabled(data: FrigateCameraData) -> bool | None:
    """Whether Frigate runs object detection on the camera.

    The stats' flag (it follows a toggle in Frigate's UI; 1/0 before 0.14), else the config's.
    """
    if data.stats is not None and data.stats.detection_enabled is not None:
        return data.stats.detection_enabled
    return data.config.detect_enabled


WEBSOCKET_BINARY_SENSORS = LIVE_BINARY_SENSORS  # motion, audio, alert: live_binary_sensor.py
BINARY_SENSORS: tuple[FrigateBinarySensorDescription, ...] = (
    FrigateBinarySensorDescription(
        key="online",
        translation_key="frigate_online",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        available_offline=True,
        # On while frames arrive; 0.18's rating of the link is an attribute, not an outage.
        is_on_fn=lambda data: data.online,
        attributes_fn=_online_attributes,
    ),
    FrigateBinarySensorDescription(
        key="object_detected",
        translation_key="frigate_object_detected",
        device_class=BinarySensorDeviceClass.OCCUPANCY,
        is_on_fn=lambda data: bool(data.in_progress),
        attributes_fn=lambda data: objects_in_view(data.in_progress),
    ),
    FrigateBinarySensorDescription(
        key="detection_enabled",
        translation_key="frigate_detection_enabled",
        entity_category=EntityCategory.DIAGNOSTIC,
        is_on_fn=_detection_enabled,
        attributes_fn=lambda _: {},
    ),
)

OBJECT_SENSORS: tuple[FrigateObjectSensorDescription, ...] = (
    FrigateObjectSensorDescription(
        key="label_detected",
        translation_key="frigate_label_detected",
        items_fn=lambda data: data.labels,
        placeholder="label",
        matches_fn=lambda event, label: event.label == label,
    ),
    FrigateObjectSensorDescription(
        key="zone_occupied",
        translation_key="frigate_zone_occupied",
        items_fn=lambda data: data.config.zones,
        placeholder="zone",
        title_fn=zone_title,
        matches_fn=lambda event, zone: zone in event.zones,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: FrigateConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the binary sensors of every camera, adding labels and zones as they appear."""

    def camera(coordinator: FrigateCameraCoordinator) -> EntityFactories:
        sensors = entity_factories(BINARY_SENSORS, partial(FrigateBinarySensor, coordinator))
        objects = item_entity_factories(
            coordinator.data, OBJECT_SENSORS, partial(FrigateObjectSensor, coordinator)
        )
        return sensors | objects

    async_add_frigate_entities(entry, async_add_entities, camera=camera)
    await async_setup_live_binary_sensors(hass, entry, async_add_entities)  # motion, audio, alert


class FrigateBinarySensor(FrigateCameraEntity, BinarySensorEntity):
    """A binary sensor of a camera."""

    entity_description: FrigateBinarySensorDescription

    @property
    @override
    def available(self) -> bool:
        """Available while the server answers, or also while the camera is on (most)."""
        if self.entity_description.available_offline:
            return self.coordinator.last_update_success
        return super().available

    @property
    @override
    def is_on(self) -> bool | None:
        """The state from the camera's slice."""
        return self.entity_description.is_on_fn(self.camera_data)

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any]:
        """The details from the camera's slice."""
        return self.entity_description.attributes_fn(self.camera_data)


class FrigateObjectSensor(FrigateCameraEntity, BinarySensorEntity):
    """Objects of one label, or in one zone, of a camera."""

    entity_description: FrigateObjectSensorDescription
    item: str

    def __init__(
        self,
        coordinator: FrigateCameraCoordinator,
        description: FrigateObjectSensorDescription,
        item: str,
    ) -> None:
        """Set up the sensor of one label or zone."""
        super().__init__(coordinator, description, item)

    @property
    def _events(self) -> list[FrigateEvent]:
        matches = self.entity_description.matches_fn
        return [event for event in self.camera_data.in_progress if matches(event, self.item)]

    @property
    @override
    def is_on(self) -> bool:
        """Whether a matching object is being tracked."""
        return bool(self._events)

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any]:
        """The labels and event ids of the matching objects."""
        return objects_in_view(self._events)
