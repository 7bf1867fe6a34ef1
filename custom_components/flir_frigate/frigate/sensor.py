"""Frigate sensors: per camera (fps, events today, last event) and per server (stats).

Storage: Frigate reports the figures of the whole filesystem under each of its paths, so on one
disk the recordings, the clips and the cache show the same used space. The per-mount "Storage
used" sensors are kept as they were; free and total space come once per distinct filesystem
(`Filesystem`: mounts of one type with one total and the same free space), with the mounts on
it as an attribute, and each camera's own recordings from `/api/recordings/storage`.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any, override

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
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
from ..api.frigate.stats import FULL_SYSTEM, Filesystem
from ..entity import EntityFactories
from .coordinator import FrigateCameraCoordinator, FrigateConfigEntry, FrigateHub
from .data import FrigateCameraData, FrigateServerData
from .entity import (
    FrigateCameraEntity,
    FrigateServerEntity,
    async_add_frigate_entities,
    entity_factories,
    item_entity_factories,
)
from .live_sensor import COUNT_SENSORS, LIVE_SENSORS, ZONE_COUNT_SENSORS, async_setup_live_sensors
from .recognition_sensor import (
    CAMERA_RECOGNITION_SENSORS,
    REVIEW_STATUS_SENSORS,
    SERVER_RECOGNITION_SENSORS,
    STATE_CLASSIFICATION_SENSORS,
    async_setup_recognition_sensors,
)
from .sensor_descriptions import (
    FrigateCameraSensorDescription,
    FrigateLabelSensorDescription,
    FrigateServerItemSensorDescription,
    FrigateServerSensorDescription,
)

FPS = "fps"
# The sensors other modules add, named here so the platform lists all (tests/test_plan.py).
RECOGNITION_SENSORS = (
    CAMERA_RECOGNITION_SENSORS,
    STATE_CLASSIFICATION_SENSORS,
    REVIEW_STATUS_SENSORS,
    SERVER_RECOGNITION_SENSORS,
)
WEBSOCKET_SENSORS = (COUNT_SENSORS, ZONE_COUNT_SENSORS, LIVE_SENSORS)
MB_TO_MIB = 1_000_000 / 1_048_576
CONNECTION_QUALITIES = ["excellent", "fair", "poor", "unusable"]


def _fps_sensor(
    key: str,
    stat_fn: Callable[[CameraStats], float | None],
    *,
    enabled: bool,
    exists: Callable[[CameraStats], bool] | None = None,
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
        exists_fn=(lambda _: True)
        if exists is None
        else (lambda data: data.stats is not None and exists(data.stats)),
    )


def _cpu_sensor(
    key: str, stat_fn: Callable[[CameraStats], float | None]
) -> FrigateCameraSensorDescription:
    """CPU % of one of the camera's processes (0.18 sends it; before, `cpu_usages` by pid)."""
    return FrigateCameraSensorDescription(
        key=key,
        translation_key=f"frigate_{key}",
        native_unit_of_measurement=UnitOfRatio.PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda data: None if data.stats is None else stat_fn(data.stats),
    )


def _hourly_count_sensor(
    key: str, stat_fn: Callable[[CameraStats], int | None]
) -> FrigateCameraSensorDescription:
    """0.18's count of connection trouble over the last hour (it falls as the hour passes)."""
    return FrigateCameraSensorDescription(
        key=key,
        translation_key=f"frigate_{key}",
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: None if data.stats is None else stat_fn(data.stats),
        exists_fn=lambda data: data.stats is not None and stat_fn(data.stats) is not None,
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
    _cpu_sensor("ffmpeg_cpu", lambda stats: stats.ffmpeg_cpu),
    _cpu_sensor("capture_cpu", lambda stats: stats.capture_cpu),
    _cpu_sensor("detect_cpu", lambda stats: stats.detect_cpu),
    FrigateCameraSensorDescription(
        key="recordings_size",
        translation_key="frigate_recordings_size",
        device_class=SensorDeviceClass.DATA_SIZE,
        native_unit_of_measurement=UnitOfInformation.MEBIBYTES,
        suggested_unit_of_measurement=UnitOfInformation.GIBIBYTES,
        suggested_display_precision=2,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.recordings_mib,
        # From /api/recordings/storage, when Frigate lets the user read it.
        exists_fn=lambda data: data.recordings_mib is not None,
    ),
    _fps_sensor(
        "expected_fps",
        lambda stats: stats.expected_fps,
        enabled=False,
        exists=lambda stats: stats.expected_fps is not None,  # 0.18
    ),
    _hourly_count_sensor("reconnects_last_hour", lambda stats: stats.reconnects_last_hour),
    _hourly_count_sensor("stalls_last_hour", lambda stats: stats.stalls_last_hour),
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


def _mib(stats: FrigateStats, value: float | None) -> float | None:
    """A storage figure in MiB: up to 0.12 Frigate divided by 10**6 (MB), from 0.13 by 2**20."""
    if value is None:
        return None
    return round(value * MB_TO_MIB, 1) if stats.storage_unit == "MB" else value


def _storage_used(stats: FrigateStats, mount: str) -> float | None:
    storage = stats.service.storage
    return _mib(stats, storage[mount].used if mount in storage else None)


def _filesystem(stats: FrigateStats, name: str) -> Filesystem | None:
    """The filesystem named after `name`, or that mount's own figures once it shares one."""
    if (filesystem := stats.filesystems.get(name)) is not None:
        return filesystem
    mount = stats.service.storage.get(name)
    if mount is None:
        return None
    return Filesystem(
        mounts=(name,),
        total=mount.total,
        used=mount.used,
        free=mount.free,
        mount_type=mount.mount_type,
    )


def _filesystem_attributes(stats: FrigateStats, name: str) -> dict[str, Any] | None:
    """The mounts on the filesystem and its type."""
    if (filesystem := _filesystem(stats, name)) is None:
        return None
    return {"mounts": list(filesystem.mounts), "mount_type": filesystem.mount_type}


def _storage_sensor(
    key: str, figure_fn: Callable[[Filesystem], float | None]
) -> FrigateServerItemSensorDescription:
    """Free or total space of each distinct filesystem, named after its first mount."""
    return FrigateServerItemSensorDescription(
        key=key,
        translation_key=f"frigate_{key}",
        device_class=SensorDeviceClass.DATA_SIZE,
        native_unit_of_measurement=UnitOfInformation.MEBIBYTES,
        suggested_unit_of_measurement=UnitOfInformation.GIBIBYTES,
        suggested_display_precision=2,
        state_class=SensorStateClass.MEASUREMENT,
        items_fn=lambda stats: stats.filesystems,
        placeholder="mount",
        value_fn=lambda stats, name: (
            None
            if (filesystem := _filesystem(stats, name)) is None
            else _mib(stats, figure_fn(filesystem))
        ),
        attributes_fn=_filesystem_attributes,
    )


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
    FrigateServerSensorDescription(
        key="memory_usage",
        translation_key="frigate_memory_usage",
        native_unit_of_measurement=UnitOfRatio.PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=lambda data: data.stats.memory,
        # The whole machine's line of `cpu_usages` (0.14+).
        exists_fn=lambda data: data.stats.memory is not None,
    ),
    FrigateServerSensorDescription(
        key="detection_fps",
        translation_key="frigate_total_detection_fps",
        native_unit_of_measurement=FPS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=lambda data: data.stats.detection_fps,
        exists_fn=lambda data: data.stats.detection_fps is not None,
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
    _storage_sensor("storage_free", lambda filesystem: filesystem.free),
    _storage_sensor("storage_total", lambda filesystem: filesystem.total),
    FrigateServerItemSensorDescription(
        key="detector_cpu",
        translation_key="frigate_detector_cpu",
        native_unit_of_measurement=UnitOfRatio.PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        entity_registry_enabled_default=False,
        items_fn=lambda stats: stats.detectors,
        placeholder="detector",
        value_fn=lambda stats, detector: (
            stats.detectors[detector].cpu if detector in stats.detectors else None
        ),
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
        existing = [description for description in SERVER_SENSORS if description.exists_fn(data)]
        sensors = entity_factories(existing, partial(FrigateServerSensor, hub))
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
    # Faces, plates, classes, review status (recognition_sensor.py); counts, sound level
    # (live_sensor.py): each module adds its own.
    await async_setup_recognition_sensors(hass, entry, async_add_entities)
    await async_setup_live_sensors(hass, entry, async_add_entities)


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

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Details of the item, for the sensors that have some (a filesystem's mounts)."""
        return self.entity_description.attributes_fn(self.coordinator.data.stats, self.item)
