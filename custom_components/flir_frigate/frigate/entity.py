"""Base entities of Frigate servers and cameras: devices, unique ids, dynamic creation."""

from collections.abc import Callable
from typing import override

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from ..const import DOMAIN
from ..entity import EntityFactories, async_add_entities_when_seen
from .const import MANUFACTURER_FRIGATE
from .coordinator import (
    FrigateCameraCoordinator,
    FrigateCameraData,
    FrigateConfigEntry,
    FrigateHub,
    FrigateServerData,
    camera_device_id,
    server_device_id,
)


def frigate_entry(entry: ConfigEntry) -> FrigateConfigEntry:
    """The entry, typed as a Frigate entry (platform modules receive it untyped)."""
    return entry


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


def camera_title(camera: str) -> str:
    """A device name from a Frigate camera name: `front_door` -> `Front Door`."""
    return camera.replace("_", " ").replace("-", " ").title()


def camera_device_info(hass: HomeAssistant, entry: FrigateConfigEntry, camera: str) -> DeviceInfo:
    """The device of one Frigate camera, linked to the server's."""
    runtime = entry.runtime_data
    # The web UI shows a camera at /#<camera> since 0.14, at /cameras/<camera> before.
    path = f"#{camera}" if runtime.info.version.at_least(0, 14) else f"cameras/{camera}"
    return DeviceInfo(
        identifiers={(DOMAIN, camera_device_id(entry, camera))},
        manufacturer=MANUFACTURER_FRIGATE,
        model="Camera",
        name=camera_title(camera),
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


class FrigateServerEntity(CoordinatorEntity[FrigateHub]):
    """An entity of the Frigate server."""

    _attr_has_entity_name = True

    def __init__(self, hub: FrigateHub, key: str, sub: str | None = None) -> None:
        """Attach the entity to the server's device."""
        super().__init__(hub)
        entry = hub.config_entry
        self._attr_unique_id = server_unique_id(entry, key, sub)
        self._attr_device_info = server_device_info(entry)


class FrigateCameraEntity(CoordinatorEntity[FrigateCameraCoordinator]):
    """An entity of one Frigate camera; unavailable while the camera is offline."""

    _attr_has_entity_name = True

    def __init__(
        self, coordinator: FrigateCameraCoordinator, key: str, sub: str | None = None
    ) -> None:
        """Attach the entity to the camera's device."""
        super().__init__(coordinator)
        entry = coordinator.config_entry
        self._attr_unique_id = camera_unique_id(entry, coordinator.camera, key, sub)
        self._attr_device_info = camera_device_info(coordinator.hass, entry, coordinator.camera)

    @property
    def camera_data(self) -> FrigateCameraData:
        """The camera's slice of the last cycle."""
        return self.coordinator.data

    @property
    @override
    def available(self) -> bool:
        """Unavailable while the server is unreachable or the camera is offline."""
        return super().available and self.coordinator.data.online is not False


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
