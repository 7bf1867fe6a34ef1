"""Frigate binary sensors: camera online, objects detected (per camera, label and zone)."""

from collections.abc import Callable
from functools import partial
from typing import Any, override

from homeassistant.components.binary_sensor import BinarySensorEntity
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..api.frigate.models import FrigateEvent
from ..entity import EntityFactories
from .coordinator import FrigateCameraCoordinator
from .entity import (
    FrigateCameraEntity,
    async_add_frigate_entities,
    frigate_entry,
    label_title,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the binary sensors of every camera, adding labels and zones as they appear."""

    def camera(coordinator: FrigateCameraCoordinator) -> EntityFactories:
        data = coordinator.data
        factories: dict[str, Any] = {
            "online": partial(FrigateOnlineSensor, coordinator),
            "object_detected": partial(FrigateObjectSensor, coordinator),
        }
        for label in data.labels:
            factories[f"label:{label}"] = partial(FrigateLabelSensor, coordinator, label)
        for zone in data.config.zones:
            factories[f"zone:{zone}"] = partial(FrigateZoneSensor, coordinator, zone)
        return factories

    async_add_frigate_entities(frigate_entry(entry), async_add_entities, camera=camera)


class FrigateOnlineSensor(FrigateCameraEntity, BinarySensorEntity):
    """On while Frigate receives frames from the camera (0.18: and rates the link usable)."""

    _attr_translation_key = "frigate_online"
    _attr_device_class = BinarySensorDeviceClass.CONNECTIVITY
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    def __init__(self, coordinator: FrigateCameraCoordinator) -> None:
        """Set up the sensor."""
        super().__init__(coordinator, "online")

    @property
    @override
    def available(self) -> bool:
        """Available while the server answers, whether the camera is online or not."""
        return self.coordinator.last_update_success

    @property
    @override
    def is_on(self) -> bool | None:
        """Whether the camera delivers frames."""
        return self.camera_data.online

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any]:
        """How Frigate rates the connection (0.18) and the frame rate it gets."""
        stats = self.camera_data.stats
        return {
            "camera_fps": None if stats is None else stats.camera_fps,
            "connection_quality": None if stats is None else stats.connection_quality,
        }


class _ObjectSensor(FrigateCameraEntity, BinarySensorEntity):
    """On while an event matching the sensor is in progress."""

    _attr_device_class = BinarySensorDeviceClass.OCCUPANCY

    def __init__(
        self,
        coordinator: FrigateCameraCoordinator,
        key: str,
        sub: str | None,
        matches: Callable[[FrigateEvent], bool],
    ) -> None:
        """Set up the sensor of the events `matches` accepts."""
        super().__init__(coordinator, key, sub)
        self._matches = matches

    @property
    def _events(self) -> list[FrigateEvent]:
        return [event for event in self.camera_data.in_progress if self._matches(event)]

    @property
    @override
    def is_on(self) -> bool:
        """Whether a matching object is being tracked."""
        return bool(self._events)

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any]:
        """The labels and event ids of the objects in view."""
        events = self._events
        return {
            "labels": sorted({event.label for event in events}),
            "event_ids": [event.id for event in events],
        }


class FrigateObjectSensor(_ObjectSensor):
    """Any tracked object on the camera."""

    _attr_translation_key = "frigate_object_detected"

    def __init__(self, coordinator: FrigateCameraCoordinator) -> None:
        """Set up the sensor."""
        super().__init__(coordinator, "object_detected", None, lambda _: True)


class FrigateLabelSensor(_ObjectSensor):
    """An object of one label on the camera."""

    _attr_translation_key = "frigate_label_detected"

    def __init__(self, coordinator: FrigateCameraCoordinator, label: str) -> None:
        """Set up the sensor of one label."""
        super().__init__(coordinator, "label_detected", label, lambda event: event.label == label)
        self._label = label
        self._attr_translation_placeholders = {"label": label_title(label)}

    @property
    @override
    def available(self) -> bool:
        """Unavailable once the label is no longer tracked (or turned off in the options)."""
        return super().available and self._label in self.camera_data.labels


class FrigateZoneSensor(_ObjectSensor):
    """A tracked object in one zone of the camera."""

    _attr_translation_key = "frigate_zone_occupied"

    def __init__(self, coordinator: FrigateCameraCoordinator, zone: str) -> None:
        """Set up the sensor of one zone."""
        super().__init__(coordinator, "zone_occupied", zone, lambda event: zone in event.zones)
        self._zone = zone
        self._attr_translation_placeholders = {"zone": label_title(zone)}

    @property
    @override
    def available(self) -> bool:
        """Unavailable once the zone is gone from the camera's config."""
        return super().available and self._zone in self.camera_data.config.zones
