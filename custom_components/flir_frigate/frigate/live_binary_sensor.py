"""Frigate binary sensors from the websocket: motion, audio heard, an alert in progress."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, override

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..entity import EntityFactories
from .coordinator import FrigateCameraCoordinator, FrigateConfigEntry
from .data import FrigateCameraData
from .entity import FrigateCameraEntity, async_add_frigate_entities, entity_factories


@dataclass(frozen=True, kw_only=True)
class FrigateLiveBinaryDescription(BinarySensorEntityDescription):
    """A binary sensor of a camera from the websocket."""

    is_on_fn: Callable[[FrigateCameraData], bool | None]
    exists_fn: Callable[[FrigateCameraData], bool]
    attributes_fn: Callable[[FrigateCameraData], dict[str, Any]] = lambda _: {}


def _alert_attributes(data: FrigateCameraData) -> dict[str, Any]:
    review = None if data.live is None else data.live.last_review
    if review is None or data.live is None or review.id not in data.live.open_alerts:
        return {}
    return {"review_id": review.id, "labels": list(review.labels), "zones": list(review.zones)}


LIVE_BINARY_SENSORS: tuple[FrigateLiveBinaryDescription, ...] = (
    FrigateLiveBinaryDescription(
        key="motion",
        translation_key="frigate_motion",
        device_class=BinarySensorDeviceClass.MOTION,
        is_on_fn=lambda data: None if data.live is None else data.live.motion,
        exists_fn=lambda data: data.live is not None,
    ),
    FrigateLiveBinaryDescription(
        key="audio_detected",
        translation_key="frigate_audio_detected",
        device_class=BinarySensorDeviceClass.SOUND,
        is_on_fn=lambda data: None if data.live is None else bool(data.live.audio_labels),
        exists_fn=lambda data: data.live is not None and data.live.audio,
        attributes_fn=lambda data: {
            "labels": [] if data.live is None else sorted(data.live.audio_labels)
        },
    ),
    FrigateLiveBinaryDescription(
        key="alert",
        translation_key="frigate_alert",
        device_class=BinarySensorDeviceClass.OCCUPANCY,
        is_on_fn=lambda data: None if data.live is None else bool(data.live.open_alerts),
        exists_fn=lambda data: data.live is not None and data.live.reviews,
        attributes_fn=_alert_attributes,
    ),
)


async def async_setup_live_binary_sensors(
    hass: HomeAssistant,
    entry: FrigateConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the websocket's binary sensors of every camera."""

    def camera(coordinator: FrigateCameraCoordinator) -> EntityFactories:
        existing = [d for d in LIVE_BINARY_SENSORS if d.exists_fn(coordinator.data)]
        return entity_factories(existing, partial(FrigateLiveBinarySensor, coordinator))

    async_add_frigate_entities(entry, async_add_entities, camera=camera)


class FrigateLiveBinarySensor(FrigateCameraEntity, BinarySensorEntity):
    """A state of a camera from the websocket."""

    entity_description: FrigateLiveBinaryDescription

    @property
    @override
    def is_on(self) -> bool | None:
        """The state from the camera's slice."""
        return self.entity_description.is_on_fn(self.camera_data)

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any]:
        """Details from the camera's slice."""
        return self.entity_description.attributes_fn(self.camera_data)
