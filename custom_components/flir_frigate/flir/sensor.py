"""Temperature sensors of FLIR cameras: camera ROIs, internal sensors, local areas, whole frame."""

from collections.abc import Callable, Iterator, Mapping
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
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..api.flir.measure import AreaStats, FrameStats
from ..api.flir.models import (
    VALID,
    Alarm,
    BoxMeasurement,
    DeltaMeasurement,
    LineMeasurement,
    SpotMeasurement,
    TempSensor,
)
from ..entity import EntityFactories, async_add_entities_when_seen
from .coordinator import FlirConfigEntry, FlirCoordinator, FlirData, FlirDevice
from .entity import FlirEntity, FlirInstanceEntity, area_device_info


@dataclass(frozen=True, kw_only=True)
class FlirInstanceSensorDescription[ItemT](SensorEntityDescription):
    """A sensor for each instance of a camera-side tool (spot, box, line, temp sensor, alarm).

    `group` is the tool's name in the camera's API: it scopes the unique id and names the
    instances that failed in a cycle.
    """

    group: str
    instances_fn: Callable[[FlirData], Mapping[int, ItemT]]
    value_fn: Callable[[ItemT], float | None]
    valid_fn: Callable[[ItemT], str | None] = lambda _item: None
    """The camera's validity flag of the value (Ax8); not ``=`` makes the sensor unavailable."""
    attributes_fn: Callable[[ItemT], Mapping[str, Any]] = lambda _item: {}
    device_class: SensorDeviceClass | None = SensorDeviceClass.TEMPERATURE
    state_class: SensorStateClass | None = SensorStateClass.MEASUREMENT
    native_unit_of_measurement: str | None = UnitOfTemperature.CELSIUS
    suggested_display_precision: int | None = 1


def _roi_sensors[RoiT: BoxMeasurement | LineMeasurement](
    group: str, instances_fn: Callable[[FlirData], Mapping[int, RoiT]]
) -> tuple[FlirInstanceSensorDescription[RoiT], ...]:
    """The maximum, minimum and average of each box or line (an Ax8 box: flags, positions)."""
    return tuple(
        FlirInstanceSensorDescription[RoiT](
            key=f"{group}_{stat}",
            translation_key=f"{group}_{stat}",
            group=group,
            instances_fn=instances_fn,
            value_fn=partial(_stat, stat),
            valid_fn=partial(_stat_flag, stat),
            attributes_fn=partial(_position, stat=stat),
        )
        for stat in ("max", "min", "avg")
    )


def _stat(stat: str, roi: BoxMeasurement | LineMeasurement) -> float | None:
    value: float | None = getattr(roi, stat)
    return value


def _stat_flag(stat: str, roi: BoxMeasurement | LineMeasurement) -> str | None:
    """The validity flag of a statistic (only an Ax8's boxes have them)."""
    flag: str | None = getattr(roi, f"{stat}_valid", None)
    return flag


def _position(roi: BoxMeasurement | LineMeasurement, *, stat: str) -> dict[str, int]:
    """Where the camera found a box's minimum or maximum (pixel), when it says."""
    x, y = getattr(roi, f"{stat}_x", None), getattr(roi, f"{stat}_y", None)
    return {} if x is None or y is None else {"x": x, "y": y}


def _ax8_boxes(data: FlirData) -> Mapping[int, BoxMeasurement]:
    """The boxes that have a median (the Ax8's, which flag each value)."""
    return {n: box for n, box in data.measurements.boxes.items() if box.median_valid is not None}


INSTANCE_SENSORS: tuple[FlirInstanceSensorDescription[Any], ...] = (
    FlirInstanceSensorDescription[SpotMeasurement](
        key="spot_temperature",
        translation_key="spot_temperature",
        group="spot",
        instances_fn=lambda data: data.measurements.spots,
        value_fn=lambda spot: spot.temperature,
        valid_fn=lambda spot: spot.valid,
    ),
    *_roi_sensors("box", lambda data: data.measurements.boxes),
    FlirInstanceSensorDescription[BoxMeasurement](
        key="box_median",
        translation_key="box_median",
        group="box",
        instances_fn=_ax8_boxes,
        value_fn=lambda box: box.median,
        valid_fn=lambda box: box.median_valid,
    ),
    FlirInstanceSensorDescription[DeltaMeasurement](
        key="delta_temperature",
        translation_key="delta_temperature",
        group="delta",
        instances_fn=lambda data: data.measurements.deltas,
        value_fn=lambda delta: delta.value,
        valid_fn=lambda delta: delta.valid,
        attributes_fn=lambda delta: {"first": delta.first, "second": delta.second},
        device_class=None,  # a difference: converting it as a temperature would be wrong
    ),
    FlirInstanceSensorDescription[TempSensor](
        key="reference_temperature",
        translation_key="reference_temperature",
        group="reference",
        instances_fn=lambda data: data.measurements.references,
        value_fn=lambda reference: reference.temperature,
        entity_category=EntityCategory.DIAGNOSTIC,
    ),
    *_roi_sensors("line", lambda data: data.measurements.lines),
    FlirInstanceSensorDescription[TempSensor](
        key="temp_sensor_temperature",
        translation_key="temp_sensor_temperature",
        group="tempsensor",
        instances_fn=lambda data: data.measurements.temp_sensors,
        value_fn=lambda sensor: sensor.temperature,
        entity_category=EntityCategory.DIAGNOSTIC,
    ),
    FlirInstanceSensorDescription[Alarm](
        key="alarm_threshold",
        translation_key="alarm_threshold",
        group="alarm",
        instances_fn=lambda data: data.measurements.alarms,
        value_fn=lambda alarm: alarm.threshold,
        state_class=None,
        entity_category=EntityCategory.DIAGNOSTIC,
    ),
)


def instance_sensors(data: FlirData) -> Iterator[tuple[FlirInstanceSensorDescription[Any], int]]:
    """Each instance sensor a cycle calls for: its description and the instance number."""
    for description in INSTANCE_SENSORS:
        for instance in description.instances_fn(data):
            yield description, instance


@dataclass(frozen=True, kw_only=True)
class FlirFrameSensorDescription(SensorEntityDescription):
    """A sensor computed from the whole radiometric frame (of a camera that sends one)."""

    value_fn: Callable[[FrameStats], float | int]
    exists_fn: Callable[[FlirDevice], bool] = lambda device: device.radiometric


@dataclass(frozen=True, kw_only=True)
class FlirFrameTemperatureDescription(FlirFrameSensorDescription):
    """A temperature of the whole radiometric frame."""

    device_class: SensorDeviceClass | None = SensorDeviceClass.TEMPERATURE
    state_class: SensorStateClass | None = SensorStateClass.MEASUREMENT
    native_unit_of_measurement: str | None = UnitOfTemperature.CELSIUS
    suggested_display_precision: int | None = 1


FRAME_SENSORS: tuple[FlirFrameSensorDescription, ...] = (
    FlirFrameTemperatureDescription(
        key="frame_max",
        translation_key="frame_max",
        value_fn=lambda stats: round(stats.max, 2),
    ),
    FlirFrameTemperatureDescription(
        key="frame_min",
        translation_key="frame_min",
        value_fn=lambda stats: round(stats.min, 2),
    ),
    FlirFrameTemperatureDescription(
        key="frame_mean",
        translation_key="frame_mean",
        value_fn=lambda stats: round(stats.mean, 2),
    ),
    FlirFrameSensorDescription(
        key="hot_spot_x",
        translation_key="hot_spot_x",
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda stats: stats.hot_x,
    ),
    FlirFrameSensorDescription(
        key="hot_spot_y",
        translation_key="hot_spot_y",
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda stats: stats.hot_y,
    ),
)


@dataclass(frozen=True, kw_only=True)
class FlirAreaSensorDescription(SensorEntityDescription):
    """A statistic of a user-defined measurement area; the key is the statistic."""

    value_fn: Callable[[AreaStats], float | None]
    device_class: SensorDeviceClass | None = SensorDeviceClass.TEMPERATURE
    state_class: SensorStateClass | None = SensorStateClass.MEASUREMENT
    native_unit_of_measurement: str | None = UnitOfTemperature.CELSIUS
    suggested_display_precision: int | None = 1


def _extent_sensors(kind: str) -> tuple[FlirAreaSensorDescription, ...]:
    """The maximum, minimum and average of a box or line area."""
    return (
        FlirAreaSensorDescription(
            key="max", translation_key=f"area_{kind}_max", value_fn=lambda stats: stats.max
        ),
        FlirAreaSensorDescription(
            key="min", translation_key=f"area_{kind}_min", value_fn=lambda stats: stats.min
        ),
        FlirAreaSensorDescription(
            key="avg", translation_key=f"area_{kind}_avg", value_fn=lambda stats: stats.avg
        ),
    )


AREA_SENSORS: Mapping[str, tuple[FlirAreaSensorDescription, ...]] = {
    "spot": (
        FlirAreaSensorDescription(
            key="avg", translation_key="area_spot_avg", value_fn=lambda stats: stats.avg
        ),
    ),
    "box": _extent_sensors("box"),
    "line": _extent_sensors("line"),
}
"""The sensors of each kind of area."""


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
        for description, instance in instance_sensors(data):
            result[f"{description.key}_{instance}"] = partial(
                FlirInstanceSensor, coordinator, description, instance
            )
        return result

    async_add_entities_when_seen(coordinator, async_add_entities, factories)

    device = entry.runtime_data.device
    async_add_entities(
        FlirFrameSensor(coordinator, description)
        for description in FRAME_SENSORS
        if description.exists_fn(device)
    )
    for subentry_id, area in coordinator.settings.areas.items():
        async_add_entities(
            (
                FlirAreaSensor(coordinator, subentry_id, description)
                for description in AREA_SENSORS[area.kind]
            ),
            config_subentry_id=subentry_id,
        )


class FlirSensor(FlirEntity, SensorEntity):
    """A sensor of a FLIR camera whose measured temperature moves only past the deadband.

    Every state change is a row in the recorder's database. A measured temperature (device
    class temperature, state class measurement) keeps its state until the value moves by more
    than the entry's deadband (`coordinator.deadband`, degrees C), so noise below what the
    camera resolves writes nothing; any change of availability, or to or from unknown, is
    written at once. Other sensors (thresholds, pixel positions) and a deadband of 0 write each
    cycle as before.
    """

    _shown: float | int | None = None
    _shown_available: bool | None = None  # None until the first state was written

    def _fresh_value(self) -> float | int | None:
        """The value of the last cycle."""
        raise NotImplementedError

    @property
    def _deadband(self) -> float:
        description = self.entity_description
        if (
            description.device_class is SensorDeviceClass.TEMPERATURE
            and description.state_class is SensorStateClass.MEASUREMENT
        ):
            return self.coordinator.deadband
        return 0.0

    @property
    @override
    def native_value(self) -> float | int | None:
        """The value last written (a newer one within the deadband is not shown)."""
        return self._fresh_value() if self._shown_available is None else self._shown

    @override
    async def async_added_to_hass(self) -> None:
        await super().async_added_to_hass()
        self._remember()

    def _remember(self) -> None:
        self._shown_available = self.available
        self._shown = self._fresh_value() if self._shown_available else None

    def _within_deadband(self) -> bool:
        """Whether this cycle changed nothing worth a state: within the deadband, or still down."""
        deadband = self._deadband
        if deadband <= 0 or self._shown_available is None:
            return False
        available = self.available
        if available != self._shown_available:
            return False
        if not available:
            return True
        value, shown = self._fresh_value(), self._shown
        if value is None or shown is None:
            return value is None and shown is None
        return abs(value - shown) <= deadband

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        if self._within_deadband():
            return
        self._remember()
        super()._handle_coordinator_update()


class FlirInstanceSensor[ItemT](FlirInstanceEntity, FlirSensor):
    """A value of one camera-side tool instance."""

    entity_description: FlirInstanceSensorDescription[ItemT]

    def __init__(
        self,
        coordinator: FlirCoordinator,
        description: FlirInstanceSensorDescription[ItemT],
        instance: int,
    ) -> None:
        """Set up the sensor for one instance."""
        super().__init__(coordinator, description, description.group, instance)

    @property
    def _item(self) -> ItemT | None:
        instances = self.entity_description.instances_fn(self.coordinator.data)
        return instances.get(self._instance)

    @property
    @override
    def available(self) -> bool:
        """Unavailable while the instance is gone or its value is flagged invalid.

        One whose read failed this cycle is unknown.
        """
        failed = f"{self._group}/{self._instance}"
        item = self._item
        if item is None:
            return super().available and failed in self.coordinator.data.measurements.failed
        return super().available and self.entity_description.valid_fn(item) in {None, VALID}

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """The camera's validity flag and the value's position, where the camera gives them."""
        item = self._item
        if item is None:
            return None
        attributes = dict(self.entity_description.attributes_fn(item))
        if (valid := self.entity_description.valid_fn(item)) is not None:
            attributes["validity"] = valid
        return attributes or None

    @override
    def _fresh_value(self) -> float | None:
        """The value, or None (unknown) when the camera marks it invalid."""
        item = self._item
        return None if item is None else self.entity_description.value_fn(item)


class FlirFrameSensor(FlirSensor):
    """A whole-frame statistic of the radiometric image."""

    entity_description: FlirFrameSensorDescription

    @property
    @override
    def available(self) -> bool:
        """Unavailable while the frame cannot be decoded."""
        return super().available and self.coordinator.data.frame is not None

    @override
    def _fresh_value(self) -> float | int | None:
        """The statistic."""
        frame = self.coordinator.data.frame
        return None if frame is None else self.entity_description.value_fn(frame.stats)


class FlirAreaSensor(FlirSensor):
    """A statistic of a user-defined measurement area, computed from the radiometric frame."""

    entity_description: FlirAreaSensorDescription

    def __init__(
        self, coordinator: FlirCoordinator, subentry_id: str, description: FlirAreaSensorDescription
    ) -> None:
        """Set up the sensor of one area statistic, on the area's own device."""
        super().__init__(
            coordinator,
            description,
            scope=f"area_{subentry_id}",
            device_info=area_device_info(coordinator.hass, coordinator.config_entry, subentry_id),
        )
        self._subentry_id = subentry_id

    @property
    def _stats(self) -> AreaStats | None:
        frame = self.coordinator.data.frame
        return None if frame is None else frame.areas.get(self._subentry_id)

    @property
    @override
    def available(self) -> bool:
        """Unavailable while the frame cannot be decoded."""
        return super().available and self._stats is not None

    @override
    def _fresh_value(self) -> float | None:
        """The statistic of the area, rounded to hundredths of a degree."""
        stats = self._stats
        value = None if stats is None else self.entity_description.value_fn(stats)
        return None if value is None else round(value, 2)
