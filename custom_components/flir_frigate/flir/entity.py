"""Base entities: device info, unique ids from entity descriptions, entities per alarm."""

from collections.abc import Callable, Iterable
from functools import partial

from homeassistant.const import CONF_MAC
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from ..api.flir.models import Alarm
from ..const import DOMAIN
from ..entity import async_add_entities_when_seen
from .const import MANUFACTURER_FLIR
from .coordinator import FlirConfigEntry, FlirCoordinator


def flir_device_id(entry: FlirConfigEntry) -> str:
    """The stable id of a FLIR camera: its serial number, else the entry's unique id.

    The entry's unique id is the camera's identity from the config flow: its serial number, or
    the MAC address DHCP found for a camera without one (the flow refuses a camera with neither),
    so the id never comes from the camera's address and survives a move.
    """
    device = entry.runtime_data.device
    return device.serial or entry.unique_id or entry.entry_id


def flir_device_info(entry: FlirConfigEntry) -> DeviceInfo:
    """The device of a FLIR camera, with its MAC address when discovery told it."""
    runtime = entry.runtime_data
    info = DeviceInfo(
        identifiers={(DOMAIN, flir_device_id(entry))},
        manufacturer=MANUFACTURER_FLIR,
        model=runtime.device.model,
        serial_number=runtime.device.serial,
        name=entry.title,
        configuration_url=runtime.client.base_url,
    )
    if mac := entry.data.get(CONF_MAC):
        info["connections"] = {(dr.CONNECTION_NETWORK_MAC, mac)}
    return info


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
    """An entity of a FLIR camera, described by its entity description.

    The unique id is the camera's id, the scope when the entity belongs to a part of the camera
    (`spot_1`, `alarm_2`, `area_<subentry>`), and the description's key.
    """

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: FlirCoordinator,
        description: EntityDescription,
        *,
        scope: str | None = None,
        device_info: DeviceInfo | None = None,
    ) -> None:
        """Attach the entity to the camera's device (or to the given one)."""
        super().__init__(coordinator)
        self.entity_description = description
        entry = coordinator.config_entry
        owner = flir_device_id(entry) if scope is None else f"{flir_device_id(entry)}_{scope}"
        self._attr_unique_id = f"{owner}_{description.key}"
        self._attr_device_info = device_info or flir_device_info(entry)


class FlirInstanceEntity(FlirEntity):
    """An entity of one instance of a camera-side tool (spot 1, box 2, alarm 3).

    `group` is the tool's name in the camera's API; the instance number goes into the unique id
    and into the translated name.
    """

    def __init__(
        self,
        coordinator: FlirCoordinator,
        description: EntityDescription,
        group: str,
        instance: int,
    ) -> None:
        """Set up the entity of one instance."""
        super().__init__(coordinator, description, scope=f"{group}_{instance}")
        self._group = group
        self._instance = instance
        self._attr_translation_placeholders = {"instance": str(instance)}


class FlirAlarmEntity(FlirInstanceEntity):
    """An entity of one camera alarm."""

    def __init__(
        self, coordinator: FlirCoordinator, description: EntityDescription, instance: int
    ) -> None:
        """Set up the entity of one alarm."""
        super().__init__(coordinator, description, "alarm", instance)

    @property
    def alarm(self) -> Alarm | None:
        """The alarm in the last cycle, None while it is gone from the camera."""
        return self.coordinator.data.measurements.alarms.get(self._instance)


@callback
def async_add_alarm_entities[DescriptionT: EntityDescription](
    coordinator: FlirCoordinator,
    async_add_entities: AddConfigEntryEntitiesCallback,
    descriptions: Iterable[DescriptionT],
    entity_class: Callable[[FlirCoordinator, DescriptionT, int], Entity],
) -> None:
    """Add the described entities for each camera alarm, also for alarms that appear later."""
    described = tuple(descriptions)
    async_add_entities_when_seen(
        coordinator,
        async_add_entities,
        lambda: {
            f"alarm_{instance}_{description.key}": partial(
                entity_class, coordinator, description, instance
            )
            for instance in coordinator.data.measurements.alarms
            for description in described
        },
    )
