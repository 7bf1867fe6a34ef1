"""Base entities of Frigate servers and cameras: devices, unique ids, dynamic creation."""

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any, override

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity
from homeassistant.util import slugify

from ..const import DOMAIN
from ..entity import EntityFactories, async_add_entities_when_seen
from .const import MANUFACTURER_FRIGATE
from .coordinator import (
    FrigateCameraCoordinator,
    FrigateConfigEntry,
    FrigateHub,
    camera_device_id,
    server_device_id,
)
from .data import FrigateCameraData, FrigateServerData


def server_device_info(entry: FrigateConfigEntry) -> DeviceInfo:
    """The device of the Frigate server."""
    runtime = entry.runtime_data
    return DeviceInfo(
        identifiers={(DOMAIN, server_device_id(entry))},
        manufacturer=MANUFACTURER_FRIGATE,
        model="NVR",
        sw_version=str(runtime.info.version),
        name=entry.title,
        configuration_url=runtime.client.url,
    )


def camera_title(camera: str, friendly_name: str | None = None) -> str:
    """A camera's device name: its friendly name (0.17+) where set, else from its name.

    `front_door` -> `Front Door`. Entity ids follow the device name only when entities are
    first registered: a friendly name set later renames the device, not the entity ids.
    """
    if friendly_name:
        return friendly_name
    return camera.replace("_", " ").replace("-", " ").title()


def camera_device_info(
    hass: HomeAssistant, entry: FrigateConfigEntry, camera: str, friendly_name: str | None = None
) -> DeviceInfo:
    """The device of one Frigate camera, linked to the server's."""
    runtime = entry.runtime_data
    # The web UI shows a camera at /#<camera> since 0.14, at /cameras/<camera> before.
    path = f"#{camera}" if runtime.info.version.at_least(0, 14) else f"cameras/{camera}"
    return DeviceInfo(
        identifiers={(DOMAIN, camera_device_id(entry, camera))},
        manufacturer=MANUFACTURER_FRIGATE,
        model="Camera",
        name=camera_title(camera, friendly_name),
        configuration_url=f"{runtime.client.url}/{path}",
        via_device_id=dr.async_get_device_id_by_identifier(
            hass, (DOMAIN, server_device_id(entry)), config_entry_id=entry.entry_id
        ),
    )


def server_unique_id(entry: ConfigEntry, key: str, sub: str | None = None) -> str:
    """Unique id of a server entity: `<entry>::<key>[:<sub>]` (the camera part is empty)."""
    return f"{entry.entry_id}::{key}" + ("" if sub is None else f":{sub}")


def camera_unique_id(entry: ConfigEntry, camera: str, key: str, sub: str | None = None) -> str:
    """Unique id of a camera entity: `<entry>:<camera>:<key>[:<label or zone>]`."""
    return f"{entry.entry_id}:{camera}:{key}" + ("" if sub is None else f":{sub}")


def label_title(label: str) -> str:
    """A label as it reads in an entity name: `traffic_light` -> `Traffic light`."""
    return label.replace("_", " ").capitalize()


def zone_title(data: FrigateCameraData, zone: str) -> str:
    """A zone as it reads in an entity name: its friendly name (0.17+) where set."""
    return data.config.zone_names.get(zone) or label_title(zone)


@dataclass(frozen=True, kw_only=True)
class FrigateItemDescription[DataT](EntityDescription):
    """A description of one entity per item of `items_fn`: a label, zone, detector, mount ...

    The item completes the unique id and fills the translation placeholder `placeholder`, as
    `title_fn` reads it (`label_title` without one).
    """

    items_fn: Callable[[DataT], Collection[str]]
    placeholder: str | None = None
    title_fn: Callable[[DataT, str], str] | None = None


def item_title[DataT](description: FrigateItemDescription[DataT], data: DataT, item: str) -> str:
    """How an item of `data` reads in the name of its entity."""
    if description.title_fn is None:
        return label_title(item)
    return description.title_fn(data, item)


def _placeholder(description: EntityDescription) -> str | None:
    """The translation placeholder the item of a description's entities fills, if any."""
    return description.placeholder if isinstance(description, FrigateItemDescription) else None


class FrigateServerEntity(CoordinatorEntity[FrigateHub]):
    """An entity of the Frigate server, of one of its items when `item` is given."""

    _attr_has_entity_name = True
    item: str | None

    def __init__(
        self, hub: FrigateHub, description: EntityDescription, item: str | None = None
    ) -> None:
        """Attach the entity to the server's device; the unique id comes from the key."""
        super().__init__(hub)
        entry = hub.config_entry
        self.entity_description = description
        self.item = item
        # Items name hardware and paths (`/media/frigate`, `intel-gpu`): slugs in the id.
        self._attr_unique_id = server_unique_id(
            entry, description.key, None if item is None else slugify(item)
        )
        self._attr_device_info = server_device_info(entry)
        if item is not None and (placeholder := _placeholder(description)) is not None:
            self._attr_translation_placeholders = {placeholder: item}


class FrigateCameraEntity(CoordinatorEntity[FrigateCameraCoordinator]):
    """An entity of one camera (of one of its labels or zones when `item` is given).

    Unavailable while the camera is offline, and once its label or zone is gone.
    """

    _attr_has_entity_name = True
    item: str | None

    def __init__(
        self,
        coordinator: FrigateCameraCoordinator,
        description: EntityDescription,
        item: str | None = None,
    ) -> None:
        """Attach the entity to the camera's device; the unique id comes from the key."""
        super().__init__(coordinator)
        entry = coordinator.config_entry
        self.entity_description = description
        self.item = item
        self._attr_unique_id = camera_unique_id(entry, coordinator.camera, description.key, item)
        self._attr_device_info = camera_device_info(
            coordinator.hass, entry, coordinator.camera, coordinator.data.config.friendly_name
        )
        if (
            item is not None
            and isinstance(description, FrigateItemDescription)
            and description.placeholder is not None
        ):
            title = item_title(description, coordinator.data, item)
            self._attr_translation_placeholders = {description.placeholder: title}

    @property
    def camera_data(self) -> FrigateCameraData:
        """The camera's slice of the last cycle."""
        return self.coordinator.data

    @property
    @override
    def available(self) -> bool:
        """Unavailable while the server is unreachable, the camera offline or the item gone."""
        return super().available and self._item_present and self.camera_data.online is not False

    @property
    def _item_present(self) -> bool:
        """Whether the label or zone is still tracked (turned off in the options: no)."""
        description = self.entity_description
        return not isinstance(description, FrigateItemDescription) or (
            self.item in description.items_fn(self.camera_data)
        )


class FrigateSettingEntity(FrigateCameraEntity):
    """A camera setting Frigate changes on a websocket command (switches, numbers)."""

    @property
    @override
    def available(self) -> bool:
        """Available while the websocket is up: commands and their confirmations go over it."""
        live = self.camera_data.live
        return self.coordinator.last_update_success and live is not None and live.connected

    async def _async_set_setting(self, *, value: bool | int) -> None:
        """Send the new value; Frigate's `.../state` confirms it, or this raises."""
        live = self.coordinator.hub.live
        assert live is not None  # setting entities exist only with the websocket
        await live.async_set(self.coordinator.camera, self.entity_description.key, value)


def entity_factories[DescriptionT: EntityDescription](
    descriptions: Iterable[DescriptionT], make: Callable[[DescriptionT], Entity]
) -> dict[str, Callable[[], Entity]]:
    """What creates the entity of each description, by key."""
    return {description.key: partial(make, description) for description in descriptions}


def item_entity_factories[DataT, DescriptionT: FrigateItemDescription[Any]](
    data: DataT,
    descriptions: Iterable[DescriptionT],
    make: Callable[[DescriptionT, str], Entity],
) -> dict[str, Callable[[], Entity]]:
    """What creates the entity of each description and item in `data`, by key and item."""
    return {
        f"{description.key}:{item}": partial(make, description, item)
        for description in descriptions
        for item in description.items_fn(data)
    }


type ServerFactories = Callable[[FrigateHub, FrigateServerData], EntityFactories]
type CameraFactories = Callable[[FrigateCameraCoordinator], EntityFactories]


@callback
def async_add_frigate_entities(
    entry: FrigateConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    *,
    server: ServerFactories | None = None,
    camera: CameraFactories | None = None,
) -> None:
    """Add entities now and whenever a cycle brings new cameras, labels, zones or detectors."""
    hub = entry.runtime_data.hub

    def factories() -> EntityFactories:
        result: dict[str, Callable[[], Entity]] = {}
        if server is not None:
            result.update({f"/{key}": make for key, make in server(hub, hub.data).items()})
        if camera is not None:
            for name, coordinator in hub.cameras.items():
                result.update({f"{name}/{key}": make for key, make in camera(coordinator).items()})
        return result

    async_add_entities_when_seen(hub, async_add_entities, factories)
