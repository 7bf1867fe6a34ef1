"""Temperature sensors of FLIR cameras: camera ROIs, internal sensors, local areas, whole frame."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, override

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import EntityCategory, UnitOfTemperature
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..api.flir.measure import AreaStats
from ..entity import EntityFactories, async_add_entities_when_seen
from .coordinator import FlirConfigEntry, FlirCoordinator, FlirData
from .entity import FlirEntity, area_device_info

type Instances = Mapping[int, Any]


@dataclass(frozen=True, kw_only=True)
class FlirInstanceSensorDescription(SensorEntityDescription):
    """A sensor for each instance of a camera-side tool (spot, box, line, temp sensor, alarm)."""

    group: str
    instances_fn: Callable[[FlirData], Instances]
    value_fn: Callable[[Any], float | None]
    device_class: SensorDeviceClass | None = SensorDeviceClass.TEMPERATURE
    state_class: SensorStateClass | None = SensorStateClass.MEASUREMENT
    native_unit_of_measurement: str | None = UnitOfTemperature.CELSIUS
    suggested_display_precision: int | None = 1


def _spots(data: FlirData) -> Instances:
    return data.measurements.spots


def _boxes(data: FlirData) -> Instances:
    return data.measurements.boxes


def _lines(data: FlirData) -> Instances:
    return data.measurements.lines


def _temp_sensors(data: FlirData) -> Instances:
    return data.measurements.temp_sensors


def _alarms(data: FlirData) -> Instances:
    return data.measurements.alarms


INSTANCE_SENSORS: tuple[FlirInstanceSensorDescription, ...] = (
    FlirInstanceSensorDescription(
        key="spot_temperature",
        translation_key="spot_temperature",
        group="spot",
        instances_fn=_spots,
        value_fn=lambda spot: spot.temperature,
    ),
    *(
        FlirInstanceSensorDescription(
            key=f"{group}_{stat}",
            translation_key=f"{group}_{stat}",
            group=group,
            instances_fn=instances_fn,
            value_fn=partial(lambda stat, roi: getattr(roi, stat), stat),
        )
        for group, instances_fn in (("box", _boxes), ("line", _lines))
        for stat in ("max", "min", "avg")
    ),
    FlirInstanceSensorDescription(
        key="temp_sensor_temperature",
        translation_key="temp_sensor_temperature",
        group="tempsensor",
        instances_fn=_temp_sensors,
        value_fn=lambda sensor: sensor.temperature,
        entity_category=EntityCategory.DIAGNOSTIC,
    ),
    FlirInstanceSensorDescription(
        key="alarm_threshold",
        translation_key="alarm_threshold",
        group="alarm",
        instances_fn=_alarms,
        value_fn=lambda alarm: alarm.threshold,
        state_class=None,
        entity_category=EntityCategory.DIAGNOSTIC,
    ),
)


@dataclass(frozen=True, kw_only=True)
class FlirFrameSensorDescription(SensorEntityDescription):
    """A sensor computed from the whole radiometric frame."""

    value_fn: Callable[[FlirData], float | int | None]


def _frame_value(attr: str, data: FlirData) -> float | int | None:
    if data.frame is None:
        return None
    value: float | int = getattr(data.frame.stats, attr)
    return round(value, 2) if isinstance(value, float) else value


FRAME_SENSORS: tuple[FlirFrameSensorDescription, ...] = (
    *(
        FlirFrameSensorDescription(
            key=f"frame_{stat}",
            translation_key=f"frame_{stat}",
            device_class=SensorDeviceClass.TEMPERATURE,
            state_class=SensorStateClass.MEASUREMENT,
            native_unit_of_measurement=UnitOfTemperature.CELSIUS,
            suggested_display_precision=1,
            value_fn=partial(_frame_value, stat),
        )
        for stat in ("max", "min", "mean")
    ),
    *(
        FlirFrameSensorDescription(
            key=f"hot_spot_{axis}",
            translation_key=f"hot_spot_{axis}",
            entity_category=EntityCategory.DIAGNOSTIC,
            value_fn=partial(_frame_value, f"hot_{axis}"),
        )
        for axis in ("x", "y")
    ),
)

AREA_STATS: dict[str, tuple[str, ...]] = {
    "spot": ("avg",),
    "box": ("max", "min", "avg"),
    "line": ("max", "min", "avg"),
}


async def async_setup_entry(
    hass: HomeAssistant,
    entry: FlirConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the sensors of a FLIR camera."""
    coordinator = entry.runtime_data.coordinator

    def factories() -> EntityFactories:
        data = coordinator.data
        result: dict[str, Callable[[], Entity]] = {}
        for description in INSTANCE_SENSORS:
            for instance in description.instances_fn(data):
                result[f"{description.key}_{instance}"] = partial(
                    FlirInstanceSensor, coordinator, description, instance
                )
        return result

    async_add_entities_when_seen(coordinator, async_add_entities, factories)

    if entry.runtime_data.device.radiometric:
        async_add_entities(
            FlirFrameSensor(coordinator, description) for description in FRAME_SENSORS
        )
    for subentry_id, area in coordinator.settings.areas.items():
        async_add_entities(
            (
                FlirAreaSensor(coordinator, subentry_id, area.kind, stat)
                for stat in AREA_STATS[area.kind]
            ),
            config_subentry_id=subentry_id,
        )


class FlirInstanceSensor(FlirEntity, SensorEntity):
    """A value of one camera-side tool instance."""

    entity_description: FlirInstanceSensorDescription

    def __init__(
        self,
        coordinator: FlirCoordinator,
        description: FlirInstanceSensorDescription,
        instance: int,
    ) -> None:
        """Set up the sensor for one instance."""
        super().__init__(coordinator, f"{description.group}_{instance}_{description.key}")
        self.entity_description = description
        self._instance = instance
        self._attr_translation_placeholders = {"instance": str(instance)}

    @property
    def _item(self) -> Any:
        return self.entity_description.instances_fn(self.coordinator.data).get(self._instance)

    @property
    @override
    def available(self) -> bool:
        """Unavailable while the instance is gone from the camera."""
        failed = f"{self.entity_description.group}/{self._instance}"
        return super().available and (
            self._item is not None or failed in self.coordinator.data.measurements.failed
        )

    @property
    @override
    def native_value(self) -> float | None:
        """The value, or None (unknown) when the camera marks it invalid."""
        item = self._item
        return None if item is None else self.entity_description.value_fn(item)


class FlirFrameSensor(FlirEntity, SensorEntity):
    """A whole-frame statistic of the radiometric image."""

    entity_description: FlirFrameSensorDescription

    def __init__(
        self, coordinator: FlirCoordinator, description: FlirFrameSensorDescription
    ) -> None:
        """Set up the frame sensor."""
        super().__init__(coordinator, description.key)
        self.entity_description = description

    @property
    @override
    def available(self) -> bool:
        """Unavailable while the frame cannot be decoded."""
        return super().available and self.coordinator.data.frame is not None

    @property
    @override
    def native_value(self) -> float | int | None:
        """The statistic."""
        return self.entity_description.value_fn(self.coordinator.data)


class FlirAreaSensor(FlirEntity, SensorEntity):
    """A statistic of a user-defined measurement area, computed from the radiometric frame."""

    _attr_device_class = SensorDeviceClass.TEMPERATURE
    _attr_state_class = SensorStateClass.MEASUREMENT
    _attr_native_unit_of_measurement = UnitOfTemperature.CELSIUS
    _attr_suggested_display_precision = 1

    def __init__(
        self,
        coordinator: FlirCoordinator,
        subentry_id: str,
        kind: str,
        stat: str,
    ) -> None:
        """Set up the sensor of one area statistic."""
        super().__init__(
            coordinator,
            f"area_{subentry_id}_{stat}",
            area_device_info(coordinator.hass, coordinator.config_entry, subentry_id),
        )
        self._subentry_id = subentry_id
        self._stat = stat
        self._attr_translation_key = f"area_{kind}_{stat}"

    @property
    def _stats(self) -> AreaStats | None:
        frame = self.coordinator.data.frame
        return None if frame is None else frame.areas.get(self._subentry_id)

    @property
    @override
    def available(self) -> bool:
        """Unavailable while the frame cannot be decoded."""
        return super().available and self._stats is not None

    @property
    @override
    def native_value(self) -> float | None:
        """The statistic of the area."""
        stats = self._stats
        value: float | None = None if stats is None else getattr(stats, self._stat)
        return None if value is None else round(value, 2)
