"""Frigate numbers: a camera's motion threshold and contour area, set over the websocket."""

from dataclasses import dataclass
from functools import partial
from typing import override

from homeassistant.components.number import NumberEntity, NumberEntityDescription, NumberMode
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..entity import EntityFactories
from .coordinator import FrigateCameraCoordinator, FrigateConfigEntry
from .data import FrigateCameraData
from .entity import FrigateSettingEntity, async_add_frigate_entities, entity_factories


@dataclass(frozen=True, kw_only=True)
class FrigateNumberDescription(NumberEntityDescription):
    """A number of one camera setting (the key is Frigate's setting name)."""


NUMBERS: tuple[FrigateNumberDescription, ...] = (
    # Frigate's limits (frigate/config/camera/motion.py): threshold 1-255, contour area >= 1.
    FrigateNumberDescription(
        key="motion_threshold",
        translation_key="frigate_motion_threshold",
        entity_category=EntityCategory.CONFIG,
        native_min_value=1,
        native_max_value=255,
        native_step=1,
        mode=NumberMode.BOX,
    ),
    FrigateNumberDescription(
        key="motion_contour_area",
        translation_key="frigate_motion_contour_area",
        entity_category=EntityCategory.CONFIG,
        native_min_value=1,
        native_max_value=1000,
        native_step=1,
        mode=NumberMode.BOX,
    ),
)


def number_exists(description: FrigateNumberDescription, data: FrigateCameraData) -> bool:
    """Whether the user may change the setting on this camera."""
    return data.live is not None and description.key in data.live.controllable


def number_value(description: FrigateNumberDescription, data: FrigateCameraData) -> int | None:
    """The setting as Frigate says it is."""
    value = None if data.live is None else data.live.settings.get(description.key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


async def async_setup_entry(
    hass: HomeAssistant,
    entry: FrigateConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the numbers of every camera the user may control."""

    def camera(coordinator: FrigateCameraCoordinator) -> EntityFactories:
        existing = [d for d in NUMBERS if number_exists(d, coordinator.data)]
        return entity_factories(existing, partial(FrigateSettingNumber, coordinator))

    async_add_frigate_entities(entry, async_add_entities, camera=camera)


class FrigateSettingNumber(FrigateSettingEntity, NumberEntity):
    """One numeric setting of a camera."""

    entity_description: FrigateNumberDescription

    @property
    @override
    def native_value(self) -> int | None:
        """Frigate's value of the setting."""
        return number_value(self.entity_description, self.camera_data)

    @override
    async def async_set_native_value(self, value: float) -> None:
        """Ask Frigate for the new value; it confirms or this raises."""
        await self._async_set_setting(value=round(value))
