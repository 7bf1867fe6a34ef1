"""Alarm events of FLIR cameras: `triggered` and `cleared` on each transition."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, override

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..api.flir.models import Alarm
from .coordinator import FlirConfigEntry, FlirCoordinator
from .entity import FlirAlarmEntity, async_add_alarm_entities

EVENT_TRIGGERED = "triggered"
EVENT_CLEARED = "cleared"


@dataclass(frozen=True, kw_only=True)
class FlirAlarmEventDescription(EventEntityDescription):
    """Events of each camera alarm: `triggered` when the value turns true, `cleared` when false."""

    value_fn: Callable[[Alarm], bool | None]
    attributes_fn: Callable[[Alarm], dict[str, Any]]


ALARM_EVENTS: tuple[FlirAlarmEventDescription, ...] = (
    FlirAlarmEventDescription(
        key="event",
        translation_key="alarm_event",
        event_types=[EVENT_TRIGGERED, EVENT_CLEARED],
        value_fn=lambda alarm: alarm.triggered,
        attributes_fn=lambda alarm: {
            "name": alarm.name,
            "roi": alarm.roi,
            "threshold": alarm.threshold,
        },
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: FlirConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the event entities of each camera alarm."""
    async_add_alarm_entities(
        entry.runtime_data.coordinator, async_add_entities, ALARM_EVENTS, FlirAlarmEvent
    )


class FlirAlarmEvent(FlirAlarmEntity, EventEntity):
    """Fires when an alarm triggers or clears; the state at startup is only a baseline."""

    entity_description: FlirAlarmEventDescription

    def __init__(
        self, coordinator: FlirCoordinator, description: FlirAlarmEventDescription, instance: int
    ) -> None:
        """Set up the event entity of one alarm."""
        super().__init__(coordinator, description, instance)
        alarm = self.alarm
        self._last: bool | None = None if alarm is None else description.value_fn(alarm)

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        if (alarm := self.alarm) is not None and (
            value := self.entity_description.value_fn(alarm)
        ) is not None:
            if self._last is not None and value != self._last:
                self._trigger_event(
                    EVENT_TRIGGERED if value else EVENT_CLEARED,
                    self.entity_description.attributes_fn(alarm),
                )
            self._last = value
        super()._handle_coordinator_update()
