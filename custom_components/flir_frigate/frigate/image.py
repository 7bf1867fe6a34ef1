"""Frigate images: the latest event snapshot of a camera, and the best thumbnail per label."""

from datetime import UTC, datetime
from functools import partial
from typing import Any, override

from homeassistant.components.image import ImageEntity
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..api.frigate.exceptions import FrigateError, FrigateNotFoundError
from ..api.frigate.models import FrigateEvent
from ..const import DOMAIN
from ..entity import EntityFactories
from .coordinator import FrigateCameraCoordinator
from .entity import (
    FrigateCameraEntity,
    async_add_frigate_entities,
    frigate_entry,
    label_title,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the image entities of every camera, adding labels as they appear."""

    def camera(coordinator: FrigateCameraCoordinator) -> EntityFactories:
        factories: dict[str, Any] = {"snapshot": partial(FrigateSnapshotImage, coordinator)}
        for label in coordinator.data.labels:
            factories[f"label:{label}"] = partial(FrigateBestImage, coordinator, label)
        return factories

    async_add_frigate_entities(frigate_entry(entry), async_add_entities, camera=camera)


class _EventImage(FrigateCameraEntity, ImageEntity):
    """An image that belongs to an event: it changes, and is fetched again, on a new event."""

    _attr_content_type = "image/jpeg"

    def __init__(
        self, coordinator: FrigateCameraCoordinator, key: str, sub: str | None = None
    ) -> None:
        """Set up the image."""
        FrigateCameraEntity.__init__(self, coordinator, key, sub)
        ImageEntity.__init__(self, coordinator.hass)
        self._frigate = coordinator.hub.client
        self._event_id: str | None = None
        self._image: tuple[str, bytes] | None = None  # event id, bytes
        self._update_event()

    def _event(self) -> FrigateEvent | None:
        raise NotImplementedError

    async def _fetch(self, event: FrigateEvent) -> bytes:
        raise NotImplementedError

    @callback
    def _update_event(self) -> None:
        event = self._event()
        if event is None or event.id == self._event_id:
            return
        self._event_id = event.id
        # The event's start, not the time it was noticed: the same image keeps the same stamp.
        start = event.start_time
        self._attr_image_last_updated = (
            datetime.fromtimestamp(start, UTC) if start is not None else None
        )

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        self._update_event()
        super()._handle_coordinator_update()

    @override
    async def async_image(self) -> bytes | None:
        """The image of the current event, fetched once per event."""
        event = self._event()
        if event is None:
            return None
        if self._image is not None and self._image[0] == event.id:
            return self._image[1]
        try:
            content = await self._fetch(event)
        except FrigateNotFoundError:
            return None
        except FrigateError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="frigate_image_failed",
                translation_placeholders={"error": str(err)},
            ) from err
        self._image = (event.id, content)
        return content


class FrigateSnapshotImage(_EventImage):
    """The snapshot of the camera's latest event that has one."""

    _attr_translation_key = "frigate_snapshot"

    def __init__(self, coordinator: FrigateCameraCoordinator) -> None:
        """Set up the image."""
        super().__init__(coordinator, "snapshot")

    @override
    def _event(self) -> FrigateEvent | None:
        return self.camera_data.latest_snapshot

    @override
    async def _fetch(self, event: FrigateEvent) -> bytes:
        return await self._frigate.event_snapshot(event.id)

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Which event the snapshot belongs to."""
        event = self._event()
        if event is None:
            return None
        return {"event_id": event.id, "label": event.label}


class FrigateBestImage(_EventImage):
    """Frigate's best thumbnail of the latest object of one label (disabled by default)."""

    _attr_translation_key = "frigate_best_image"
    _attr_entity_registry_enabled_default = False

    def __init__(self, coordinator: FrigateCameraCoordinator, label: str) -> None:
        """Set up the image of one label."""
        self._label = label
        super().__init__(coordinator, "label_best", label)
        self._attr_translation_placeholders = {"label": label_title(label)}

    @override
    def _event(self) -> FrigateEvent | None:
        return self.camera_data.latest_by_label.get(self._label)

    @override
    async def _fetch(self, event: FrigateEvent) -> bytes:
        return await self._frigate.best_jpg(self.coordinator.camera, self._label)

    @property
    @override
    def available(self) -> bool:
        """Unavailable once the label is no longer tracked (or turned off in the options)."""
        return super().available and self._label in self.camera_data.labels
