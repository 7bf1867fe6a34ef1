"""Frigate images: the latest event snapshot of a camera, and the best thumbnail per label."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any, override

from homeassistant.components.image import ImageEntity, ImageEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..api.frigate.client import FrigateClient
from ..api.frigate.exceptions import FrigateNotFoundError
from ..api.frigate.models import FrigateEvent
from ..entity import EntityFactories
from ..errors import Stage
from .coordinator import FrigateCameraCoordinator, FrigateConfigEntry
from .data import FrigateCameraData
from .entity import (
    FrigateCameraEntity,
    FrigateItemDescription,
    async_add_frigate_entities,
    entity_factories,
    item_entity_factories,
)
from .errors import frigate_errors


@dataclass(frozen=True, kw_only=True)
class FrigateSnapshotDescription(ImageEntityDescription):
    """An image of a camera's event: which event, and how to fetch its image."""

    event_fn: Callable[[FrigateCameraData], FrigateEvent | None]
    fetch_fn: Callable[[FrigateClient, FrigateEvent], Awaitable[bytes]]


@dataclass(frozen=True, kw_only=True)
class FrigateLabelImageDescription(
    ImageEntityDescription, FrigateItemDescription[FrigateCameraData]
):
    """An image of each tracked label of a camera: which event, and how to fetch its image."""

    event_fn: Callable[[FrigateCameraData, str], FrigateEvent | None]
    fetch_fn: Callable[[FrigateClient, str, str], Awaitable[bytes]]  # camera, label


SNAPSHOTS: tuple[FrigateSnapshotDescription, ...] = (
    FrigateSnapshotDescription(
        key="snapshot",
        translation_key="frigate_snapshot",
        event_fn=lambda data: data.latest_snapshot,
        fetch_fn=lambda client, event: client.event_snapshot(event.id),
    ),
)

LABEL_IMAGES: tuple[FrigateLabelImageDescription, ...] = (
    FrigateLabelImageDescription(
        key="label_best",
        translation_key="frigate_best_image",
        entity_registry_enabled_default=False,
        items_fn=lambda data: data.labels,
        placeholder="label",
        event_fn=lambda data, label: data.latest_by_label.get(label),
        # Frigate's best thumbnail of the label's latest object, whichever event it is.
        fetch_fn=lambda client, camera, label: client.best_jpg(camera, label),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: FrigateConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the image entities of every camera, adding labels as they appear."""

    def camera(coordinator: FrigateCameraCoordinator) -> EntityFactories:
        snapshots = entity_factories(SNAPSHOTS, partial(FrigateSnapshotImage, coordinator))
        labels = item_entity_factories(
            coordinator.data, LABEL_IMAGES, partial(FrigateLabelImage, coordinator)
        )
        return snapshots | labels

    async_add_frigate_entities(entry, async_add_entities, camera=camera)


class _EventImage(FrigateCameraEntity, ImageEntity):
    """An image that belongs to an event: it changes, and is fetched again, on a new event."""

    _attr_content_type = "image/jpeg"

    def __init__(
        self,
        coordinator: FrigateCameraCoordinator,
        description: EntityDescription,
        item: str | None = None,
    ) -> None:
        """Set up the image (both bases: `CoordinatorEntity` does not chain to `ImageEntity`)."""
        FrigateCameraEntity.__init__(self, coordinator, description, item)
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
        """The image of the current event, fetched once per event; none once it is gone."""
        event = self._event()
        if event is None:
            return None
        if self._image is not None and self._image[0] == event.id:
            return self._image[1]
        with frigate_errors(Stage.IMAGE):
            try:
                content = await self._fetch(event)
            except FrigateNotFoundError:
                return None
        self._image = (event.id, content)
        return content


class FrigateSnapshotImage(_EventImage):
    """The snapshot of the camera's latest event that has one."""

    entity_description: FrigateSnapshotDescription

    @override
    def _event(self) -> FrigateEvent | None:
        return self.entity_description.event_fn(self.camera_data)

    @override
    async def _fetch(self, event: FrigateEvent) -> bytes:
        return await self.entity_description.fetch_fn(self._frigate, event)

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Which event the snapshot belongs to."""
        event = self._event()
        if event is None:
            return None
        return {"event_id": event.id, "label": event.label}


class FrigateLabelImage(_EventImage):
    """An image of one tracked label of the camera (disabled by default)."""

    entity_description: FrigateLabelImageDescription
    item: str

    def __init__(
        self,
        coordinator: FrigateCameraCoordinator,
        description: FrigateLabelImageDescription,
        item: str,
    ) -> None:
        """Set up the image of one label."""
        super().__init__(coordinator, description, item)

    @override
    def _event(self) -> FrigateEvent | None:
        return self.entity_description.event_fn(self.camera_data, self.item)

    @override
    async def _fetch(self, event: FrigateEvent) -> bytes:
        return await self.entity_description.fetch_fn(
            self._frigate, self.coordinator.camera, self.item
        )
