"""Frigate event entities: `new_event` for each tracked object that starts on a camera."""

from collections import deque
from datetime import UTC, datetime
from functools import partial
from typing import Any, Final, override

from homeassistant.components.event import (
    EventDeviceClass,
    EventEntity,
    EventEntityDescription,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..api.frigate.models import FrigateEvent
from ..entity import EntityFactories
from .const import EVENT_NEW
from .coordinator import FrigateCameraCoordinator, FrigateConfigEntry
from .entity import FrigateCameraEntity, async_add_frigate_entities, entity_factories
from .views import MEDIA_CLIP, MEDIA_SNAPSHOT, MEDIA_THUMBNAIL, event_media_path

_FIRED_MEMORY: Final = 256

EVENTS: tuple[EventEntityDescription, ...] = (
    EventEntityDescription(
        key="events",
        translation_key="frigate_tracked_object",
        device_class=EventDeviceClass.MOTION,
        event_types=[EVENT_NEW],
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: FrigateConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up one event entity per camera."""

    def camera(coordinator: FrigateCameraCoordinator) -> EntityFactories:
        return entity_factories(EVENTS, partial(FrigateObjectEvent, coordinator))

    async_add_frigate_entities(entry, async_add_entities, camera=camera)


def event_attributes(entry_id: str, event: FrigateEvent) -> dict[str, Any]:
    """What an automation needs about a new event; media through Home Assistant's views."""
    return {
        "event_id": event.id,
        "camera": event.camera,
        "label": event.label,
        "sub_label": event.sub_label,
        "zones": list(event.zones),
        "score": event.score if event.score is not None else event.top_score,
        "start_time": None
        if event.start_time is None
        else datetime.fromtimestamp(event.start_time, UTC).isoformat(),
        "thumbnail_url": event_media_path(entry_id, event.id, MEDIA_THUMBNAIL),
        "snapshot_url": event_media_path(entry_id, event.id, MEDIA_SNAPSHOT)
        if event.has_snapshot
        else None,
        "clip_url": event_media_path(entry_id, event.id, MEDIA_CLIP) if event.has_clip else None,
    }


class FrigateObjectEvent(FrigateCameraEntity, EventEntity):
    """Fires `new_event` when Frigate starts tracking an object (never for older ones)."""

    def __init__(
        self, coordinator: FrigateCameraCoordinator, description: EventEntityDescription
    ) -> None:
        """Set up the event entity of one camera."""
        super().__init__(coordinator, description)
        # Events of the slice this entity is created with happened before it existed.
        self._fired: deque[str] = deque(
            (event.id for event in coordinator.data.new_events), maxlen=_FIRED_MEMORY
        )

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        entry_id = self.coordinator.config_entry.entry_id
        for event in self.camera_data.new_events:
            if event.id in self._fired:
                continue
            self._fired.append(event.id)
            self._trigger_event(EVENT_NEW, event_attributes(entry_id, event))
            self.async_write_ha_state()
        super()._handle_coordinator_update()
