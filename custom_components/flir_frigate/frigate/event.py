"""Frigate event entities: `new_event` for each tracked object that starts on a camera."""

from collections import deque
from datetime import UTC, datetime
from functools import partial
from typing import Any, Final, override

from homeassistant.components.event import (
    EventDeviceClass,
    EventEntity,
    EventEntityDescription,
    EventExtraStoredData,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..api.frigate.models import FrigateEvent
from ..entity import EntityFactories
from .const import EVENT_NEW
from .coordinator import FrigateCameraCoordinator, FrigateConfigEntry
from .entity import FrigateCameraEntity, async_add_frigate_entities, entity_factories
from .live_event import REVIEW_EVENTS, async_setup_review_events
from .recognition_event import EventDescription
from .views import MEDIA_CLIP, MEDIA_SNAPSHOT, MEDIA_THUMBNAIL, event_media_path

_FIRED_MEMORY: Final = 256
# The attributes that hold a path of this entry's media views, and the medium of each.
MEDIA_URLS: Final = {
    "thumbnail_url": MEDIA_THUMBNAIL,
    "snapshot_url": MEDIA_SNAPSHOT,
    "clip_url": MEDIA_CLIP,
}

WEBSOCKET_EVENTS = REVIEW_EVENTS  # alert / detection: live_event.py
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
    await async_setup_review_events(hass, entry, async_add_entities)  # alert / detection


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


def restored_attributes(entry_id: str, attributes: dict[str, Any]) -> dict[str, Any]:
    """Restored attributes without media paths this entry would not have made.

    The last event is restored by entity id: a server added again (a new entry) gets the removed
    entry's last event, whose paths name the old entry and would answer 404.
    """
    event_id = attributes.get("event_id")
    restored = dict(attributes)
    for key, media in MEDIA_URLS.items():
        value = restored.get(key)
        if value is None:
            continue
        if not isinstance(event_id, str) or value != event_media_path(entry_id, event_id, media):
            restored[key] = None
    return restored


class FrigateObjectEvent(EventDescription, FrigateCameraEntity, EventEntity):
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

    @override
    def _recognition_entry(self) -> FrigateConfigEntry:
        return self.coordinator.config_entry

    @override
    async def async_get_last_event_data(self) -> EventExtraStoredData | None:
        """The last event before a restart; media paths only if they are this entry's."""
        stored = await super().async_get_last_event_data()
        if stored is None or not stored.last_event_attributes:
            return stored
        entry_id = self.coordinator.config_entry.entry_id
        return EventExtraStoredData(
            stored.last_event_type, restored_attributes(entry_id, stored.last_event_attributes)
        )

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        entry_id = self.coordinator.config_entry.entry_id
        for event in self.camera_data.new_events:
            if event.id in self._fired:
                continue
            self._fired.append(event.id)
            self._fired_event(event.id)  # its description follows (recognition_event.py)
            self._trigger_event(EVENT_NEW, event_attributes(entry_id, event))
            self.async_write_ha_state()
        super()._handle_coordinator_update()
