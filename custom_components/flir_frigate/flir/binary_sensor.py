"""Alarm binary sensors of FLIR cameras."""

from typing import Any, override

from homeassistant.components.binary_sensor import BinarySensorEntity
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..api.flir.models import Alarm
from .coordinator import FlirConfigEntry, FlirCoordinator
from .entity import FlirEntity, async_add_alarm_entities


async def async_setup_entry(
    hass: HomeAssistant,
    entry: FlirConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up one binary sensor per camera alarm."""
    async_add_alarm_entities(
        entry.runtime_data.coordinator, async_add_entities, FlirAlarmBinarySensor
    )


class FlirAlarmBinarySensor(FlirEntity, BinarySensorEntity):
    """On while the camera reports the alarm as triggered."""

    _attr_device_class = BinarySensorDeviceClass.PROBLEM
    _attr_translation_key = "alarm"

    def __init__(self, coordinator: FlirCoordinator, instance: int) -> None:
        """Set up the sensor of one alarm."""
        super().__init__(coordinator, f"alarm_{instance}_triggered")
        self._instance = instance
        self._attr_translation_placeholders = {"instance": str(instance)}

    @property
    def _alarm(self) -> Alarm | None:
        return self.coordinator.data.measurements.alarms.get(self._instance)

    @property
    @override
    def available(self) -> bool:
        """Unavailable while the alarm is gone from the camera."""
        return super().available and self._alarm is not None

    @property
    @override
    def is_on(self) -> bool | None:
        """Whether the alarm condition holds."""
        alarm = self._alarm
        return None if alarm is None else alarm.triggered

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """The alarm's own state (active, inactive, acknowledged), name and ROI."""
        alarm = self._alarm
        if alarm is None:
            return None
        return {"state": alarm.state, "name": alarm.name, "roi": alarm.roi}
