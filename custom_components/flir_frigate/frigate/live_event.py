"""Frigate review event entity: fires `alert` or `detection` when Frigate opens a review item.

Review items (0.14+) are what Frigate's UI shows and notifies: one per activity on a camera,
an `alert` (by default a person or a car, or a required zone) or a `detection`. The entity fires
when an item starts and again when a detection is raised to an alert. The thumbnail and clip
are those of the item's first tracked object, through this entry's authenticated media views.
"""

from datetime import UTC, datetime
from functools import partial
from typing import Any, Final, override

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..api.frigate.live_models import ReviewItem
from ..entity import EntityFactories
from .coordinator import FrigateCameraCoordinator, FrigateConfigEntry
from .entity import FrigateCameraEntity, async_add_frigate_entities, entity_factories
from .live import ReviewFired, review_signal
from .views import MEDIA_CLIP, MEDIA_THUMBNAIL, event_media_path

ALERT: Final = "alert"
DETECTION: Final = "detection"

REVIEW_EVENTS: tuple[EventEntityDescription, ...] = (
    EventEntityDescription(
        key="review",
        translation_key="frigate_review",
        event_types=[ALERT, DETECTION],
    ),
)


def review_attributes(entry_id: str, review: ReviewItem) -> dict[str, Any]:
    """What an automation needs about a review item; media through Home Assistant's views."""
    first = review.detections[0] if review.detections else None
    return {
        "review_id": review.id,
        "camera": review.camera,
        "severity": review.severity,
        "labels": list(review.labels),
        "sub_labels": list(review.sub_labels),
        "zones": list(review.zones),
        "event_ids": list(review.detections),
        "start_time": None
        if review.start_time is None
        else datetime.fromtimestamp(review.start_time, UTC).isoformat(),
        "thumbnail_url": None
        if first is None
        else event_media_path(entry_id, first, MEDIA_THUMBNAIL),
        "clip_url": None if first is None else event_media_path(entry_id, first, MEDIA_CLIP),
    }


async def async_setup_review_events(
    hass: HomeAssistant,
    entry: FrigateConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One review event entity per camera, where the server sends review items."""

    def camera(coordinator: FrigateCameraCoordinator) -> EntityFactories:
        live = coordinator.data.live
        if live is None or not live.reviews:
            return {}
        return entity_factories(REVIEW_EVENTS, partial(FrigateReviewEvent, coordinator))

    async_add_frigate_entities(entry, async_add_entities, camera=camera)


class FrigateReviewEvent(FrigateCameraEntity, EventEntity):
    """Fires `alert` / `detection` for the camera's new review items."""

    @override
    async def async_added_to_hass(self) -> None:
        """Listen to the entry's review items."""
        await super().async_added_to_hass()
        entry = self.coordinator.config_entry
        self.async_on_remove(
            async_dispatcher_connect(self.hass, review_signal(entry.entry_id), self._on_review)
        )

    @callback
    def _on_review(self, fired: ReviewFired) -> None:
        if fired.camera != self.coordinator.camera or fired.severity not in (ALERT, DETECTION):
            return
        entry_id = self.coordinator.config_entry.entry_id
        self._trigger_event(fired.severity, review_attributes(entry_id, fired.review))
        self.async_write_ha_state()
