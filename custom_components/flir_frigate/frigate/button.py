"""Frigate buttons: go to a PTZ preset of a camera (ONVIF), over the websocket."""

from dataclasses import dataclass
from functools import partial
from typing import override

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..entity import EntityFactories
from .coordinator import FrigateCameraCoordinator, FrigateConfigEntry
from .data import FrigateCameraData
from .entity import (
    FrigateCameraEntity,
    FrigateItemDescription,
    async_add_frigate_entities,
    item_entity_factories,
)


def _presets(data: FrigateCameraData) -> tuple[str, ...]:
    """The presets the user may go to (PTZ allowed for the user's role)."""
    return () if data.live is None or not data.live.ptz else data.live.presets


@dataclass(frozen=True, kw_only=True)
class FrigatePresetDescription(ButtonEntityDescription, FrigateItemDescription[FrigateCameraData]):
    """A button per PTZ preset (the item)."""


PRESET_BUTTONS: tuple[FrigatePresetDescription, ...] = (
    FrigatePresetDescription(
        key="ptz_preset",
        translation_key="frigate_ptz_preset",
        items_fn=_presets,
        placeholder="preset",
        title_fn=lambda _, preset: preset,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: FrigateConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up a button per preset of every PTZ camera the user may move."""

    def camera(coordinator: FrigateCameraCoordinator) -> EntityFactories:
        return item_entity_factories(
            coordinator.data, PRESET_BUTTONS, partial(FrigatePresetButton, coordinator)
        )

    async_add_frigate_entities(entry, async_add_entities, camera=camera)


class FrigatePresetButton(FrigateCameraEntity, ButtonEntity):
    """Moves the camera to one of its presets."""

    entity_description: FrigatePresetDescription
    item: str

    def __init__(
        self,
        coordinator: FrigateCameraCoordinator,
        description: FrigatePresetDescription,
        item: str,
    ) -> None:
        """Set up the button of one preset."""
        super().__init__(coordinator, description, item)

    @property
    @override
    def available(self) -> bool:
        """Available while the websocket is up."""
        live = self.camera_data.live
        return super().available and live is not None and live.connected

    @override
    async def async_press(self) -> None:
        """Send `preset_<name>` (Frigate confirms no PTZ command)."""
        live = self.coordinator.hub.live
        assert live is not None  # the button exists only with the websocket
        await live.async_ptz(self.coordinator.camera, f"preset_{self.item}")
