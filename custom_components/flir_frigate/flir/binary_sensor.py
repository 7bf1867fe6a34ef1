"""Alarm binary sensors of FLIR cameras (and an Ax8's alarm monitor items)."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, override

from homeassistant.components.binary_sensor import BinarySensorEntity, BinarySensorEntityDescription
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..api.flir.models import Alarm, AlarmMonitor
from ..entity import async_add_entities_when_seen
from .coordinator import FlirConfigEntry, FlirCoordinator
from .entity import FlirAlarmEntity, FlirEntity, async_add_alarm_entities


@dataclass(frozen=True, kw_only=True)
class FlirAlarmBinarySensorDescription(BinarySensorEntityDescription):
    """A binary sensor of each camera alarm."""

    is_on_fn: Callable[[Alarm], bool | None]
    attributes_fn: Callable[[Alarm], dict[str, Any]]


ALARM_BINARY_SENSORS: tuple[FlirAlarmBinarySensorDescription, ...] = (
    FlirAlarmBinarySensorDescription(
        key="triggered",
        translation_key="alarm",
        device_class=BinarySensorDeviceClass.PROBLEM,
        is_on_fn=lambda alarm: alarm.triggered,
        # The alarm's own state (active, inactive, acknowledged), name and ROI
        attributes_fn=lambda alarm: {
            "state": alarm.state,
            "name": alarm.name,
            "roi": alarm.roi,
            **({"condition": alarm.condition} if alarm.condition else {}),
        },
    ),
)

MONITOR_BINARY_SENSORS: tuple[BinarySensorEntityDescription, ...] = (
    # An Ax8's alarm monitor items beside its measurement alarms
    BinarySensorEntityDescription(
        key="tempsens",
        translation_key="monitor_tempsens",
        device_class=BinarySensorDeviceClass.HEAT,
    ),
    BinarySensorEntityDescription(key="digin", translation_key="monitor_digin"),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: FlirConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the binary sensors of each camera alarm."""
    async_add_alarm_entities(
        entry.runtime_data.coordinator,
        async_add_entities,
        ALARM_BINARY_SENSORS,
        FlirAlarmBinarySensor,
    )
    coordinator = entry.runtime_data.coordinator
    async_add_entities_when_seen(
        coordinator,
        async_add_entities,
        lambda: {
            f"monitor_{description.key}": partial(FlirMonitorBinarySensor, coordinator, description)
            for description in MONITOR_BINARY_SENSORS
            if description.key in coordinator.data.measurements.monitors
        },
    )


class FlirAlarmBinarySensor(FlirAlarmEntity, BinarySensorEntity):
    """A state of one camera alarm, such as whether it is triggered."""

    entity_description: FlirAlarmBinarySensorDescription

    def __init__(
        self,
        coordinator: FlirCoordinator,
        description: FlirAlarmBinarySensorDescription,
        instance: int,
    ) -> None:
        """Set up the sensor of one alarm."""
        super().__init__(coordinator, description, instance)

    @property
    @override
    def available(self) -> bool:
        """Unavailable while the alarm is gone from the camera."""
        return super().available and self.alarm is not None

    @property
    @override
    def is_on(self) -> bool | None:
        """The described state of the alarm."""
        alarm = self.alarm
        return None if alarm is None else self.entity_description.is_on_fn(alarm)

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """The described attributes of the alarm."""
        alarm = self.alarm
        return None if alarm is None else self.entity_description.attributes_fn(alarm)


class FlirMonitorBinarySensor(FlirEntity, BinarySensorEntity):
    """An Ax8 alarm monitor item (internal temperature, digital input): triggered or not."""

    def __init__(
        self, coordinator: FlirCoordinator, description: BinarySensorEntityDescription
    ) -> None:
        """Set up the sensor of one monitor item (the description's key is the item)."""
        super().__init__(coordinator, description, scope="monitor")

    @property
    def _item(self) -> AlarmMonitor | None:
        return self.coordinator.data.measurements.monitors.get(self.entity_description.key)

    @property
    @override
    def available(self) -> bool:
        """Unavailable while the item is not active on the camera."""
        return super().available and self._item is not None

    @property
    @override
    def is_on(self) -> bool | None:
        """Whether the item is triggered."""
        item = self._item
        return None if item is None else item.triggered
