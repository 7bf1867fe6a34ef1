"""Alarm events of FLIR cameras: `triggered` and `cleared` on each transition."""

from typing import override

from homeassistant.components.event import EventEntity
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import FlirConfigEntry, FlirCoordinator
from .entity import FlirEntity, async_add_alarm_entities

EVENT_TRIGGERED = "triggered"
EVENT_CLEARED = "cleared"


async def async_setup_entry(
    hass: HomeAssistant,
    entry: FlirConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up one event entity per camera alarm."""
    async_add_alarm_entities(entry.runtime_data.coordinator, async_add_entities, FlirAlarmEvent)


class FlirAlarmEvent(FlirEntity, EventEntity):
    """Fires when an alarm triggers or clears; the state at startup is only a baseline."""

    _attr_event_types = [EVENT_TRIGGERED, EVENT_CLEARED]  # noqa: RUF012
    _attr_translation_key = "alarm_event"

    def __init__(self, coordinator: FlirCoordinator, instance: int) -> None:
        """Set up the event entity of one alarm."""
        super().__init__(coordinator, f"alarm_{instance}_event")
        self._instance = instance
        self._attr_translation_placeholders = {"instance": str(instance)}
        self._last: bool | None = self._triggered()

    def _triggered(self) -> bool | None:
        alarm = self.coordinator.data.measurements.alarms.get(self._instance)
        return None if alarm is None else alarm.triggered

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        triggered = self._triggered()
        if triggered is not None and self._last is not None and triggered != self._last:
            alarm = self.coordinator.data.measurements.alarms[self._instance]
            self._trigger_event(
                EVENT_TRIGGERED if triggered else EVENT_CLEARED,
                {"name": alarm.name, "roi": alarm.roi, "threshold": alarm.threshold},
            )
        if triggered is not None:
            self._last = triggered
        super()._handle_coordinator_update()
