"""Frigate sensors from the websocket: objects in view per camera and zone, sound level.

Counts come from the `<camera>/<label>` and `<zone>/<label>` topics (and `/active`, the moving
ones), and on 0.14+ from `camera_activity` after every (re)connect; they exist wherever the
server has a websocket. The sound level (`<camera>/audio/dBFS`) only where audio detection is
configured (0.13+).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import override

from homeassistant.components.sensor import (
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType

from ..entity import EntityFactories
from .coordinator import FrigateCameraCoordinator, FrigateConfigEntry
from .data import FrigateCameraData
from .entity import (
    FrigateCameraEntity,
    FrigateItemDescription,
    async_add_frigate_entities,
    entity_factories,
    item_entity_factories,
    label_title,
    zone_title,
)

DBFS = "dBFS"


def _labels(data: FrigateCameraData) -> tuple[str, ...]:
    return () if data.live is None else data.labels


@dataclass(frozen=True, kw_only=True)
class FrigateCountDescription(SensorEntityDescription, FrigateItemDescription[FrigateCameraData]):
    """Objects of a label (the item) in a camera's view; `active`: the moving ones."""

    active: bool = False
    state_class: SensorStateClass | None = SensorStateClass.MEASUREMENT


@dataclass(frozen=True, kw_only=True)
class FrigateZoneCountDescription(SensorEntityDescription):
    """Objects of a label in a zone; one entity per zone and label of the camera."""

    active: bool = False
    state_class: SensorStateClass | None = SensorStateClass.MEASUREMENT


@dataclass(frozen=True, kw_only=True)
class FrigateLiveSensorDescription(SensorEntityDescription):
    """A sensor of a camera from the websocket."""

    value_fn: Callable[[FrigateCameraData], StateType]
    exists_fn: Callable[[FrigateCameraData], bool]


COUNT_SENSORS: tuple[FrigateCountDescription, ...] = (
    FrigateCountDescription(
        key="label_count",
        translation_key="frigate_label_count",
        items_fn=_labels,
        placeholder="label",
    ),
    FrigateCountDescription(
        key="label_active_count",
        translation_key="frigate_label_active_count",
        items_fn=_labels,
        placeholder="label",
        active=True,
        entity_registry_enabled_default=False,
    ),
)
ZONE_COUNT_SENSORS: tuple[FrigateZoneCountDescription, ...] = (
    FrigateZoneCountDescription(key="zone_count", translation_key="frigate_zone_count"),
    FrigateZoneCountDescription(
        key="zone_active_count",
        translation_key="frigate_zone_active_count",
        active=True,
        entity_registry_enabled_default=False,
    ),
)
LIVE_SENSORS: tuple[FrigateLiveSensorDescription, ...] = (
    FrigateLiveSensorDescription(
        key="sound_level",
        translation_key="frigate_sound_level",
        native_unit_of_measurement=DBFS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=lambda data: None if data.live is None else data.live.dbfs,
        exists_fn=lambda data: data.live is not None and data.live.audio,
    ),
)


def count_value(description: FrigateCountDescription, data: FrigateCameraData, label: str) -> int:
    """Objects of the label now in view (0 until Frigate counts one)."""
    return 0 if data.live is None else data.live.count(label, active=description.active)


def zone_items(data: FrigateCameraData) -> Iterator[tuple[str, str]]:
    """Each zone of the camera with each label it tracks."""
    if data.live is None:
        return
    for zone in data.config.zones:
        for label in data.labels:
            yield zone, label


def zone_count_value(
    description: FrigateZoneCountDescription, data: FrigateCameraData, zone: str, label: str
) -> int:
    """Objects of the label now in the zone."""
    return 0 if data.live is None else data.live.zone_count(zone, label, active=description.active)


async def async_setup_live_sensors(
    hass: HomeAssistant,
    entry: FrigateConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the count and sound sensors of every camera."""

    def camera(coordinator: FrigateCameraCoordinator) -> EntityFactories:
        data = coordinator.data
        existing = [d for d in LIVE_SENSORS if d.exists_fn(data)]
        factories = entity_factories(existing, partial(FrigateLiveSensor, coordinator))
        factories |= item_entity_factories(
            data, COUNT_SENSORS, partial(FrigateCountSensor, coordinator)
        )
        for description in ZONE_COUNT_SENSORS:
            for zone, label in zone_items(data):
                factories[f"{description.key}:{zone}:{label}"] = partial(
                    FrigateZoneCountSensor, coordinator, description, zone, label
                )
        return factories

    async_add_frigate_entities(entry, async_add_entities, camera=camera)


class FrigateLiveSensor(FrigateCameraEntity, SensorEntity):
    """A value of a camera from the websocket."""

    entity_description: FrigateLiveSensorDescription

    @property
    @override
    def native_value(self) -> StateType:
        """The value from the camera's slice."""
        return self.entity_description.value_fn(self.camera_data)


class FrigateCountSensor(FrigateCameraEntity, SensorEntity):
    """Objects of one label in a camera's view."""

    entity_description: FrigateCountDescription
    item: str

    def __init__(
        self, coordinator: FrigateCameraCoordinator, description: FrigateCountDescription, item: str
    ) -> None:
        """Set up the count of one label."""
        super().__init__(coordinator, description, item)

    @property
    @override
    def native_value(self) -> int:
        """The count from the camera's slice."""
        return count_value(self.entity_description, self.camera_data, self.item)


class FrigateZoneCountSensor(FrigateCameraEntity, SensorEntity):
    """Objects of one label in one zone."""

    entity_description: FrigateZoneCountDescription

    def __init__(
        self,
        coordinator: FrigateCameraCoordinator,
        description: FrigateZoneCountDescription,
        zone: str,
        label: str,
    ) -> None:
        """Set up the count of a label in a zone."""
        super().__init__(coordinator, description, f"{zone}:{label}")
        self.zone = zone
        self.label = label
        self._attr_translation_placeholders = {
            "zone": zone_title(coordinator.data, zone),
            "label": label_title(label),
        }

    @property
    @override
    def available(self) -> bool:
        """Unavailable once the zone or the label is gone."""
        data = self.camera_data
        present = self.zone in data.config.zones and self.label in data.labels
        return super().available and present

    @property
    @override
    def native_value(self) -> int:
        """The count from the camera's slice."""
        return zone_count_value(self.entity_description, self.camera_data, self.zone, self.label)
