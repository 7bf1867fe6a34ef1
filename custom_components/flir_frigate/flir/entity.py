"""Base entities: device info, unique ids and dynamic entity creation."""

from collections.abc import Callable
from functools import partial

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from ..const import DOMAIN
from ..entity import async_add_entities_when_seen
from .const import MANUFACTURER_FLIR
from .coordinator import FlirConfigEntry, FlirCoordinator


def flir_device_id(entry: FlirConfigEntry) -> str:
    """The stable id of a FLIR camera: its serial number, else the entry's unique id."""
    device = entry.runtime_data.device
    return device.serial or entry.unique_id or entry.entry_id


def flir_device_info(entry: FlirConfigEntry) -> DeviceInfo:
    """The device of a FLIR camera."""
    runtime = entry.runtime_data
    return DeviceInfo(
        identifiers={(DOMAIN, flir_device_id(entry))},
        manufacturer=MANUFACTURER_FLIR,
        model=runtime.device.model,
        serial_number=runtime.device.serial,
        name=entry.title,
        configuration_url=runtime.client.base_url,
    )


def area_device_info(hass: HomeAssistant, entry: FlirConfigEntry, subentry_id: str) -> DeviceInfo:
    """The device of a measurement area, linked to its camera."""
    camera_id = flir_device_id(entry)
    return DeviceInfo(
        identifiers={(DOMAIN, f"{camera_id}_area_{subentry_id}")},
        name=entry.subentries[subentry_id].title,
        manufacturer=MANUFACTURER_FLIR,
        model=entry.runtime_data.device.model,
        via_device_id=dr.async_get_device_id_by_identifier(
            hass, (DOMAIN, camera_id), config_entry_id=entry.entry_id
        ),
    )


class FlirEntity(CoordinatorEntity[FlirCoordinator]):
    """An entity of a FLIR camera."""

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: FlirCoordinator,
        unique_suffix: str,
        device_info: DeviceInfo | None = None,
    ) -> None:
        """Attach the entity to the camera's device (or to the given one)."""
        super().__init__(coordinator)
        entry = coordinator.config_entry
        self._attr_unique_id = f"{flir_device_id(entry)}_{unique_suffix}"
        self._attr_device_info = device_info or flir_device_info(entry)


@callback
def async_add_alarm_entities(
    coordinator: FlirCoordinator,
    async_add_entities: AddConfigEntryEntitiesCallback,
    entity_class: Callable[[FlirCoordinator, int], Entity],
) -> None:
    """Add one entity per camera alarm, also for alarms that appear later."""
    async_add_entities_when_seen(
        coordinator,
        async_add_entities,
        lambda: {
            f"alarm_{instance}": partial(entity_class, coordinator, instance)
            for instance in coordinator.data.measurements.alarms
        },
    )
