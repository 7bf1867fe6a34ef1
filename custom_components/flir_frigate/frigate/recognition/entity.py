"""Base entities of the recognition features, and the one `RecognitionHub` of each entry.

An entity exists while its feature does: the version has it and the server's config turns it
on for the camera (or names the face, plate, model or class). When a later cycle shows the
feature gone the entity removes itself from the registry, and it comes back (through
`async_add_entities_when_seen`) when the config brings it back; no reload either way.
"""

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any, Final, override

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity
from homeassistant.util import slugify
from homeassistant.util.hass_dict import HassKey

from ...const import DOMAIN
from ...entity import EntityFactories, async_add_entities_when_seen
from ..coordinator import FrigateConfigEntry
from ..entity import camera_device_info, camera_unique_id, server_device_info, server_unique_id
from .coordinator import RecognitionHub
from .model import RecognitionData

_HUBS: Final[HassKey[dict[str, RecognitionHub]]] = HassKey(f"{DOMAIN}_recognition")

type Items = Callable[[RecognitionData], Collection[str]]
type CameraItems = Callable[[RecognitionData, str], Collection[str]]


async def async_setup_recognition(hass: HomeAssistant, entry: FrigateConfigEntry) -> None:
    """Create the entry's recognition hub (before its platforms) and drop it on unload."""
    hub = RecognitionHub(hass, entry, entry.runtime_data.hub)
    hubs = hass.data.setdefault(_HUBS, {})
    hubs[entry.entry_id] = hub

    @callback
    def _forget() -> None:
        hubs.pop(entry.entry_id, None)

    entry.async_on_unload(_forget)
    await hub.async_start()


def recognition_hub(hass: HomeAssistant, entry: FrigateConfigEntry) -> RecognitionHub | None:
    """The entry's recognition hub (None before setup created it)."""
    return hass.data.get(_HUBS, {}).get(entry.entry_id)


@dataclass(frozen=True, kw_only=True)
class CameraFeature:
    """Which cameras have an entity of a description, and which items per camera.

    `items_fn` None: one entity per camera where `exists_fn` holds; else one per item.
    """

    exists_fn: Callable[[RecognitionData, str], bool] = lambda _, __: True
    items_fn: CameraItems | None = None
    placeholder: str | None = None
    title_fn: Callable[[RecognitionData, str], str] = lambda _, item: item


@dataclass(frozen=True, kw_only=True)
class ServerFeature:
    """One server entity per item of `items_fn` (known faces, plates, classes)."""

    items_fn: Items
    placeholders_fn: Callable[[RecognitionData, str], dict[str, str]]


class RecognitionEntity(CoordinatorEntity[RecognitionHub]):
    """An entity of the recognition hub that removes itself when its feature is gone."""

    _attr_has_entity_name = True

    def _present(self) -> bool:
        raise NotImplementedError

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        if not self._present():
            if self.registry_entry is not None:
                er.async_get(self.hass).async_remove(self.entity_id)
            else:  # pragma: no cover - the integration's entities all have unique ids
                self.hass.async_create_task(self.async_remove())
            return
        super()._handle_coordinator_update()

    @property
    def recognition(self) -> RecognitionData:
        """The hub's current data."""
        return self.coordinator.data


class RecognitionCameraEntity(RecognitionEntity):
    """An entity of one camera (of one model of it when `item` is given)."""

    feature: CameraFeature

    def __init__(
        self,
        coordinator: RecognitionHub,
        description: EntityDescription,
        feature: CameraFeature,
        camera: str,
        item: str | None = None,
    ) -> None:
        """Attach the entity to the camera's device."""
        super().__init__(coordinator)
        entry = coordinator.config_entry
        self.entity_description = description
        self.feature = feature
        self.camera = camera
        self.item = item
        self._attr_unique_id = camera_unique_id(entry, camera, description.key, item)
        cameras = coordinator.hub.data.cameras
        friendly = cameras[camera].config.friendly_name if camera in cameras else None
        self._attr_device_info = camera_device_info(coordinator.hass, entry, camera, friendly)
        if item is not None and feature.placeholder is not None:
            title = feature.title_fn(coordinator.data, item)
            self._attr_translation_placeholders = {feature.placeholder: title}

    @override
    def _present(self) -> bool:
        data = self.recognition
        if not self.feature.exists_fn(data, self.camera):
            return False
        items = self.feature.items_fn
        return items is None or self.item in items(data, self.camera)

    @property
    @override
    def available(self) -> bool:
        """Unavailable while the server is unreachable or the camera offline."""
        coordinator = self.coordinator.hub.cameras.get(self.camera)
        return (
            super().available
            and self.coordinator.hub.last_update_success
            and (coordinator is None or coordinator.data.online is not False)
        )


class RecognitionServerEntity(RecognitionEntity):
    """An entity of the server for one known face, plate or class."""

    feature: ServerFeature

    def __init__(
        self,
        coordinator: RecognitionHub,
        description: EntityDescription,
        feature: ServerFeature,
        item: str,
    ) -> None:
        """Attach the entity to the server's device."""
        super().__init__(coordinator)
        entry = coordinator.config_entry
        self.entity_description = description
        self.feature = feature
        self.item = item
        self._attr_unique_id = server_unique_id(entry, description.key, slugify(item))
        self._attr_device_info = server_device_info(entry)
        self._attr_translation_placeholders = feature.placeholders_fn(coordinator.data, item)

    @override
    def _present(self) -> bool:
        return self.item in self.feature.items_fn(self.recognition)

    @property
    @override
    def available(self) -> bool:
        """Unavailable while the server is unreachable."""
        return super().available and self.coordinator.hub.last_update_success


type CameraMake = Callable[[RecognitionHub, Any, CameraFeature, str, str | None], Entity]
type ServerMake = Callable[[RecognitionHub, Any, ServerFeature, str], Entity]


def camera_factories(
    hub: RecognitionHub,
    described: Iterable[tuple[EntityDescription, CameraFeature]],
    make: CameraMake,
) -> EntityFactories:
    """What creates each camera entity the data has now, by key."""
    data = hub.data
    result: dict[str, Callable[[], Entity]] = {}
    for description, feature in described:
        for camera in data.labels:
            if not feature.exists_fn(data, camera):
                continue
            if feature.items_fn is None:
                result[f"{camera}/{description.key}"] = partial(
                    make, hub, description, feature, camera, None
                )
                continue
            for item in feature.items_fn(data, camera):
                result[f"{camera}/{description.key}:{item}"] = partial(
                    make, hub, description, feature, camera, item
                )
    return result


def server_factories(
    hub: RecognitionHub,
    described: Iterable[tuple[EntityDescription, ServerFeature]],
    make: ServerMake,
) -> EntityFactories:
    """What creates each server entity the data has now, by key and item."""
    return {
        f"/{description.key}:{item}": partial(make, hub, description, feature, item)
        for description, feature in described
        for item in feature.items_fn(hub.data)
    }


@callback
def async_add_recognition_entities(
    hass: HomeAssistant,
    entry: FrigateConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    factories: Callable[[RecognitionHub], EntityFactories],
) -> None:
    """Add the entities the hub's data has, and those later data brings."""
    if (hub := recognition_hub(hass, entry)) is None:  # pragma: no cover - set up first
        return
    async_add_entities_when_seen(hub, async_add_entities, partial(factories, hub))
