"""Frigate sensors: per camera (fps, events today, last event) and per server (stats)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any, override

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    EntityCategory,
    UnitOfInformation,
    UnitOfRatio,
    UnitOfTemperature,
    UnitOfTime,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType

from ..api.frigate.models import CameraStats, FrigateStats
from ..entity import EntityFactories
from .coordinator import (
    FrigateCameraCoordinator,
    FrigateCameraData,
    FrigateConfigEntry,
    FrigateHub,
    FrigateServerData,
)
from .entity import (
    FrigateCameraEntity,
    FrigateItemDescription,
    FrigateServerEntity,
    async_add_frigate_entities,
    entity_factories,
    item_entity_factories,
)

FPS = "fps"
MB_TO_MIB = 1_000_000 / 1_048_576
CONNECTION_QUALITIES = ["excellent", "fair", "poor", "unusable"]
FULL_SYSTEM = "frigate.full_system"


@dataclass(frozen=True, kw_only=True)
class FrigateCameraSensorDescription(SensorEntityDescription):
    """A sensor of a camera."""

    value_fn: Callable[[FrigateCameraData], StateType]
    attributes_fn: Callable[[FrigateCameraData], dict[str, Any] | None] = lambda _: None
    exists_fn: Callable[[FrigateCameraData], bool] = lambda _: True


@dataclass(frozen=True, kw_only=True)
class FrigateLabelSensorDescription(
    SensorEntityDescription, FrigateItemDescription[FrigateCameraData]
):
    """A sensor of each tracked label of a camera."""

    value_fn: Callable[[FrigateCameraData, str], StateType]


@dataclass(frozen=True, kw_only=True)
class FrigateServerSensorDescription(SensorEntityDescription):
    """A sensor of the server."""

    value_fn: Callable[[FrigateServerData], StateType | datetime]
    entity_category: EntityCategory | None = EntityCategory.DIAGNOSTIC


@dataclass(frozen=True, kw_only=True)
class FrigateServerItemSensorDescription(
    SensorEntityDescription, FrigateItemDescription[FrigateStats]
):
    """A sensor of each detector, mount, GPU or device in the server's stats."""

    value_fn: Callable[[FrigateStats, str], StateType]
    entity_category: EntityCategory | None = EntityCategory.DIAGNOSTIC


def _fps_sensor(
    key: str, stat_fn: Callable[[CameraStats], float | None], *, enabled: bool
) -> FrigateCameraSensorDescription:
    return FrigateCameraSensorDescription(
        key=key,
        translation_key=f"frigate_{key}",
        native_unit_of_measurement=FPS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=enabled,
        value_fn=lambda data: None if data.stats is None else stat_fn(data.stats),
    )


def _last_event_attributes(data: FrigateCameraData) -> dict[str, Any] | None:
    """Details of the last event."""
    event = data.latest_event
    if event is None:
        return None
    return {
        "event_id": event.id,
        "sub_label": event.sub_label,
        "zones": list(event.zones),
        "score": event.top_score if event.top_score is not None else event.score,
        "start_time": None
        if event.start_time is None
        else datetime.fromtimestamp(event.start_time, UTC).isoformat(),
    }


def _connection_quality(data: FrigateCameraData) -> str | None:
    quality = None if data.stats is None else data.stats.connection_quality
    return quality if quality in CONNECTION_QUALITIES else None


CAMERA_SENSORS: tuple[FrigateCameraSensorDescription, ...] = (
    _fps_sensor("camera_fps", lambda stats: stats.camera_fps, enabled=True),
    _fps_sensor("detection_fps", lambda stats: stats.detection_fps, enabled=True),
    _fps_sensor("process_fps", lambda stats: stats.process_fps, enabled=False),
    _fps_sensor("skipped_fps", lambda stats: stats.skipped_fps, enabled=False),
    FrigateCameraSensorDescription(
        key="events_today",
        translation_key="frigate_events_today",
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=lambda data: data.events_today_total,
    ),
    FrigateCameraSensorDescription(
        key="last_event",
        translation_key="frigate_last_event",
        value_fn=lambda data: None if data.latest_event is None else data.latest_event.label,
        attributes_fn=_last_event_attributes,
    ),
    FrigateCameraSensorDescription(
        key="connection_quality",
        translation_key="frigate_connection_quality",
        device_class=SensorDeviceClass.ENUM,
        options=CONNECTION_QUALITIES,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=_connection_quality,
        # 0.18 rates each camera's connection; older servers do not.
        exists_fn=lambda data: data.stats is not None and data.stats.connection_quality is not None,
    ),
)

LABEL_SENSORS: tuple[FrigateLabelSensorDescription, ...] = (
    FrigateLabelSensorDescription(
        key="label_events_today",
        translation_key="frigate_label_events_today",
        state_class=SensorStateClass.TOTAL_INCREASING,
        entity_registry_enabled_default=False,
        items_fn=lambda data: data.labels,
        placeholder="label",
        value_fn=lambda data, label: (
            None if data.events_today is None else data.events_today.get(label, 0)
        ),
    ),
)


def _storage_used(stats: FrigateStats, mount: str) -> float | None:
    used = stats.service.storage[mount].used if mount in stats.service.storage else None
    if used is None:
        return None
    # Up to 0.12 Frigate divided by 10**6 (MB), from 0.13 by 2**20 (MiB).
    return round(used * MB_TO_MIB, 1) if stats.storage_unit == "MB" else used


SERVER_SENSORS: tuple[FrigateServerSensorDescription, ...] = (
    FrigateServerSensorDescription(
        key="uptime",
        translation_key="frigate_uptime",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda data: data.started_at,
    ),
    FrigateServerSensorDescription(
        key="version",
        translation_key="frigate_version",
        value_fn=lambda data: data.stats.service.version,
    ),
)

SERVER_ITEM_SENSORS: tuple[FrigateServerItemSensorDescription, ...] = (
    FrigateServerItemSensorDescription(
        key="cpu_usage",
        translation_key="frigate_cpu_usage",
        native_unit_of_measurement=UnitOfRatio.PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        # Only Frigate's whole-system line; an item, as its unique id has always said.
        items_fn=lambda stats: [FULL_SYSTEM] if FULL_SYSTEM in stats.cpu_usages else [],
        value_fn=lambda stats, key: stats.cpu_usages[key].cpu if key in stats.cpu_usages else None,
    ),
    FrigateServerItemSensorDescription(
        key="inference_speed",
        translation_key="frigate_inference_speed",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.MILLISECONDS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        items_fn=lambda stats: stats.detectors,
        placeholder="detector",
        value_fn=lambda stats, detector: (
            stats.detectors[detector].inference_speed if detector in stats.detectors else None
        ),
    ),
    FrigateServerItemSensorDescription(
        key="storage_used",
        translation_key="frigate_storage_used",
        device_class=SensorDeviceClass.DATA_SIZE,
        native_unit_of_measurement=UnitOfInformation.MEBIBYTES,
        suggested_unit_of_measurement=UnitOfInformation.GIBIBYTES,
        suggested_display_precision=2,
        state_class=SensorStateClass.MEASUREMENT,
        items_fn=lambda stats: stats.service.storage,
        placeholder="mount",
        value_fn=_storage_used,
    ),
    FrigateServerItemSensorDescription(
        key="gpu_usage",
        translation_key="frigate_gpu_usage",
        native_unit_of_measurement=UnitOfRatio.PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        items_fn=lambda stats: stats.gpu_usages,
        placeholder="gpu",
        value_fn=lambda stats, gpu: stats.gpu_usages[gpu].gpu if gpu in stats.gpu_usages else None,
    ),
    FrigateServerItemSensorDescription(
        key="temperature",
        translation_key="frigate_temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        # `service.temperatures` up to 0.17, `detectors.<name>.temperature` from 0.18.
        items_fn=lambda stats: stats.temperatures,
        placeholder="device",
        value_fn=lambda stats, device: stats.temperatures.get(device),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: FrigateConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the Frigate sensors, adding new ones as cameras, labels or devices appear."""

    def server(hub: FrigateHub, data: FrigateServerData) -> EntityFactories:
        sensors = entity_factories(SERVER_SENSORS, partial(FrigateServerSensor, hub))
        items = item_entity_factories(
            data.stats, SERVER_ITEM_SENSORS, partial(FrigateServerItemSensor, hub)
        )
        return sensors | items

    def camera(coordinator: FrigateCameraCoordinator) -> EntityFactories:
        data = coordinator.data
        existing = [description for description in CAMERA_SENSORS if description.exists_fn(data)]
        sensors = entity_factories(existing, partial(FrigateCameraSensor, coordinator))
        labels = item_entity_factories(
            data, LABEL_SENSORS, partial(FrigateLabelSensor, coordinator)
        )
        return sensors | labels

    async_add_frigate_entities(entry, async_add_entities, server=server, camera=camera)


class FrigateCameraSensor(FrigateCameraEntity, SensorEntity):
    """A value of a camera."""

    entity_description: FrigateCameraSensorDescription

    @property
    @override
    def native_value(self) -> StateType:
        """The value from the camera's slice."""
        return self.entity_description.value_fn(self.camera_data)

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Details from the camera's slice, for the sensors that have some."""
        return self.entity_description.attributes_fn(self.camera_data)


class FrigateLabelSensor(FrigateCameraEntity, SensorEntity):
    """A value of one tracked label of a camera (disabled by default)."""

    entity_description: FrigateLabelSensorDescription
    item: str

    def __init__(
        self,
        coordinator: FrigateCameraCoordinator,
        description: FrigateLabelSensorDescription,
        item: str,
    ) -> None:
        """Set up the sensor of one label."""
        super().__init__(coordinator, description, item)

    @property
    @override
    def native_value(self) -> StateType:
        """The label's value from the camera's slice."""
        return self.entity_description.value_fn(self.camera_data, self.item)


class FrigateServerSensor(FrigateServerEntity, SensorEntity):
    """A value of the server."""

    entity_description: FrigateServerSensorDescription

    @property
    @override
    def native_value(self) -> StateType | datetime:
        """The value from the last cycle."""
        return self.entity_description.value_fn(self.coordinator.data)


class FrigateServerItemSensor(FrigateServerEntity, SensorEntity):
    """A value of one detector, mount, GPU or device from the server's stats."""

    entity_description: FrigateServerItemSensorDescription
    item: str

    def __init__(
        self, hub: FrigateHub, description: FrigateServerItemSensorDescription, item: str
    ) -> None:
        """Set up the sensor of one item."""
        super().__init__(hub, description, item)

    @property
    @override
    def native_value(self) -> StateType:
        """The item's value from the last stats."""
        return self.entity_description.value_fn(self.coordinator.data.stats, self.item)
