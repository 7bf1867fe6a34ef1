"""Frigate sensors: per camera (fps, events today, last event) and per server (stats)."""

from collections.abc import Callable, Iterable
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
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import (
    EntityCategory,
    UnitOfInformation,
    UnitOfRatio,
    UnitOfTemperature,
    UnitOfTime,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util
from homeassistant.util import slugify

from ..api.frigate.models import FrigateStats
from ..entity import EntityFactories
from .coordinator import (
    FrigateCameraCoordinator,
    FrigateCameraData,
    FrigateHub,
    FrigateServerData,
)
from .entity import (
    FrigateCameraEntity,
    FrigateServerEntity,
    async_add_frigate_entities,
    frigate_entry,
    label_title,
)

FPS = "fps"
MB_TO_MIB = 1_000_000 / 1_048_576
CONNECTION_QUALITIES = ["excellent", "fair", "poor", "unusable"]
FULL_SYSTEM = "frigate.full_system"
# A restart moves the start time by more than this; less is rounding of uptime and timestamp.
START_TIME_JITTER = 60.0


@dataclass(frozen=True, kw_only=True)
class FrigateCameraSensorDescription(SensorEntityDescription):
    """A sensor of one camera."""

    value_fn: Callable[[FrigateCameraData], StateType]
    exists_fn: Callable[[FrigateCameraData], bool] = lambda _: True


def _camera_stat(attr: str, data: FrigateCameraData) -> float | None:
    value: float | None = None if data.stats is None else getattr(data.stats, attr)
    return value


def _fps_sensor(key: str, *, enabled: bool) -> FrigateCameraSensorDescription:
    return FrigateCameraSensorDescription(
        key=key,
        translation_key=f"frigate_{key}",
        native_unit_of_measurement=FPS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=enabled,
        value_fn=partial(_camera_stat, key),
    )


def _last_event_label(data: FrigateCameraData) -> str | None:
    return None if data.latest_event is None else data.latest_event.label


def _connection_quality(data: FrigateCameraData) -> str | None:
    quality = None if data.stats is None else data.stats.connection_quality
    return quality if quality in CONNECTION_QUALITIES else None


CAMERA_SENSORS: tuple[FrigateCameraSensorDescription, ...] = (
    _fps_sensor("camera_fps", enabled=True),
    _fps_sensor("detection_fps", enabled=True),
    _fps_sensor("process_fps", enabled=False),
    _fps_sensor("skipped_fps", enabled=False),
    FrigateCameraSensorDescription(
        key="events_today",
        translation_key="frigate_events_today",
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=lambda data: data.events_today_total,
    ),
    FrigateCameraSensorDescription(
        key="last_event",
        translation_key="frigate_last_event",
        value_fn=_last_event_label,
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


@dataclass(frozen=True, kw_only=True)
class FrigateServerSensorDescription(SensorEntityDescription):
    """A sensor of the server, one per item of `keys_fn` when that is given."""

    value_fn: Callable[[FrigateStats, str], StateType]
    keys_fn: Callable[[FrigateStats], Iterable[str]] | None = None
    placeholder: str | None = None
    entity_category: EntityCategory | None = EntityCategory.DIAGNOSTIC


def _storage_used(stats: FrigateStats, mount: str) -> float | None:
    used = stats.service.storage[mount].used if mount in stats.service.storage else None
    if used is None:
        return None
    # Up to 0.12 Frigate divided by 10**6 (MB), from 0.13 by 2**20 (MiB).
    return round(used * MB_TO_MIB, 1) if stats.storage_unit == "MB" else used


def _inference_speed(stats: FrigateStats, detector: str) -> float | None:
    return stats.detectors[detector].inference_speed if detector in stats.detectors else None


def _gpu_usage(stats: FrigateStats, gpu: str) -> float | None:
    return stats.gpu_usages[gpu].gpu if gpu in stats.gpu_usages else None


def _cpu_usage(stats: FrigateStats, _key: str) -> float | None:
    usage = stats.cpu_usages.get(FULL_SYSTEM)
    return None if usage is None else usage.cpu


SERVER_SENSORS: tuple[FrigateServerSensorDescription, ...] = (
    FrigateServerSensorDescription(
        key="version",
        translation_key="frigate_version",
        value_fn=lambda stats, _: stats.service.version,
    ),
    FrigateServerSensorDescription(
        key="cpu_usage",
        translation_key="frigate_cpu_usage",
        native_unit_of_measurement=UnitOfRatio.PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=_cpu_usage,
        keys_fn=lambda stats: [FULL_SYSTEM] if FULL_SYSTEM in stats.cpu_usages else [],
    ),
    FrigateServerSensorDescription(
        key="inference_speed",
        translation_key="frigate_inference_speed",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.MILLISECONDS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=_inference_speed,
        keys_fn=lambda stats: stats.detectors,
        placeholder="detector",
    ),
    FrigateServerSensorDescription(
        key="storage_used",
        translation_key="frigate_storage_used",
        device_class=SensorDeviceClass.DATA_SIZE,
        native_unit_of_measurement=UnitOfInformation.MEBIBYTES,
        suggested_unit_of_measurement=UnitOfInformation.GIBIBYTES,
        suggested_display_precision=2,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=_storage_used,
        keys_fn=lambda stats: stats.service.storage,
        placeholder="mount",
    ),
    FrigateServerSensorDescription(
        key="gpu_usage",
        translation_key="frigate_gpu_usage",
        native_unit_of_measurement=UnitOfRatio.PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=_gpu_usage,
        keys_fn=lambda stats: stats.gpu_usages,
        placeholder="gpu",
    ),
    FrigateServerSensorDescription(
        key="temperature",
        translation_key="frigate_temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        # `service.temperatures` up to 0.17, `detectors.<name>.temperature` from 0.18.
        value_fn=lambda stats, device: stats.temperatures.get(device),
        keys_fn=lambda stats: stats.temperatures,
        placeholder="device",
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the Frigate sensors, adding new ones as cameras, labels or devices appear."""
    frigate = frigate_entry(entry)

    def server(hub: FrigateHub, data: FrigateServerData) -> EntityFactories:
        stats = data.stats
        factories: dict[str, Callable[[], SensorEntity]] = {
            "uptime": partial(FrigateUptimeSensor, hub)
        }
        for description in SERVER_SENSORS:
            if description.keys_fn is None:
                factories[description.key] = partial(FrigateServerSensor, hub, description, None)
                continue
            for item in description.keys_fn(stats):
                factories[f"{description.key}:{item}"] = partial(
                    FrigateServerSensor, hub, description, item
                )
        return factories

    def camera(coordinator: FrigateCameraCoordinator) -> EntityFactories:
        data = coordinator.data
        factories: dict[str, Callable[[], SensorEntity]] = {
            description.key: partial(FrigateCameraSensor, coordinator, description)
            for description in CAMERA_SENSORS
            if description.exists_fn(data)
        }
        for label in data.labels:
            factories[f"label_events_today:{label}"] = partial(
                FrigateLabelEventsSensor, coordinator, label
            )
        return factories

    async_add_frigate_entities(frigate, async_add_entities, server=server, camera=camera)


class FrigateCameraSensor(FrigateCameraEntity, SensorEntity):
    """A value of one camera."""

    entity_description: FrigateCameraSensorDescription

    def __init__(
        self, coordinator: FrigateCameraCoordinator, description: FrigateCameraSensorDescription
    ) -> None:
        """Set up the sensor."""
        super().__init__(coordinator, description.key)
        self.entity_description = description

    @property
    @override
    def native_value(self) -> StateType:
        """The value from the camera's slice."""
        return self.entity_description.value_fn(self.camera_data)

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Details of the last event (for the last-event sensor)."""
        event = self.camera_data.latest_event
        if self.entity_description.key != "last_event" or event is None:
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


class FrigateLabelEventsSensor(FrigateCameraEntity, SensorEntity):
    """Events of one label today on one camera (disabled by default)."""

    _attr_translation_key = "frigate_label_events_today"
    _attr_state_class = SensorStateClass.TOTAL_INCREASING
    _attr_entity_registry_enabled_default = False

    def __init__(self, coordinator: FrigateCameraCoordinator, label: str) -> None:
        """Set up the counter of one label."""
        super().__init__(coordinator, "label_events_today", label)
        self._label = label
        self._attr_translation_placeholders = {"label": label_title(label)}

    @property
    @override
    def available(self) -> bool:
        """Unavailable once the label is no longer tracked (or turned off in the options)."""
        return super().available and self._label in self.camera_data.labels

    @property
    @override
    def native_value(self) -> int | None:
        """Today's count from the summary."""
        today = self.camera_data.events_today
        return None if today is None else today.get(self._label, 0)


class FrigateServerSensor(FrigateServerEntity, SensorEntity):
    """A value from the server's stats."""

    entity_description: FrigateServerSensorDescription

    def __init__(
        self, hub: FrigateHub, description: FrigateServerSensorDescription, item: str | None
    ) -> None:
        """Set up the sensor (of one detector, mount, GPU or device when `item` is given)."""
        super().__init__(hub, description.key, None if item is None else slugify(item))
        self.entity_description = description
        self._item = item or ""
        if description.placeholder is not None and item is not None:
            self._attr_translation_placeholders = {description.placeholder: item}

    @property
    @override
    def native_value(self) -> StateType:
        """The value from the last stats."""
        return self.entity_description.value_fn(self.coordinator.data.stats, self._item)


def started_at(stats: FrigateStats, previous: datetime | None) -> datetime | None:
    """When Frigate started; the previous value unless it moved more than rounding does."""
    service = stats.service
    if service.uptime is None:
        return None
    # Uptime and `last_updated` come from the same (cached) stats; without the latter
    # (before 0.12) the time of the answer stands in.
    now = service.last_updated or dt_util.utcnow().timestamp()
    started = now - service.uptime
    if previous is not None and abs(previous.timestamp() - started) <= START_TIME_JITTER:
        return previous
    return datetime.fromtimestamp(round(started), UTC)


class FrigateUptimeSensor(FrigateServerEntity, SensorEntity):
    """When Frigate started, from its uptime (steady between restarts)."""

    _attr_translation_key = "frigate_uptime"
    _attr_device_class = SensorDeviceClass.TIMESTAMP
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    def __init__(self, hub: FrigateHub) -> None:
        """Set up the sensor."""
        super().__init__(hub, "uptime")
        self._started: datetime | None = None
        self._update_started()

    def _update_started(self) -> None:
        self._started = started_at(self.coordinator.data.stats, self._started)

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        self._update_started()
        super()._handle_coordinator_update()

    @property
    @override
    def native_value(self) -> datetime | None:
        """The start time."""
        return self._started
