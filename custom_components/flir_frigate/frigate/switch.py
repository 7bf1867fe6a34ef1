"""Frigate switches: a camera's settings, changed over the websocket and confirmed by Frigate.

Only created where the user's commands take effect (admins from 0.17.2; anyone before) and the
version has the setting (`LiveFeatures`); audio and PTZ autotracking only where the camera's
config has them. The state is Frigate's: from its config, `onConnect` and `.../state`; a
switch flips only when Frigate confirms it, and an unconfirmed command raises.
"""

from dataclasses import dataclass
from functools import partial
from typing import Any, override

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..entity import EntityFactories
from .coordinator import FrigateCameraCoordinator, FrigateConfigEntry
from .data import FrigateCameraData
from .entity import FrigateSettingEntity, async_add_frigate_entities, entity_factories
from .live_data import SWITCH_SETTINGS
from .recognition_switch import DESCRIPTION_SWITCHES, async_setup_description_switches


@dataclass(frozen=True, kw_only=True)
class FrigateSwitchDescription(SwitchEntityDescription):
    """A switch of one camera setting (the key is Frigate's setting name)."""


def _switch(key: str, *, config: bool = True, enabled: bool = True) -> FrigateSwitchDescription:
    return FrigateSwitchDescription(
        key=key,
        translation_key=f"frigate_{key}",
        entity_category=EntityCategory.CONFIG if config else None,
        entity_registry_enabled_default=enabled,
    )


SWITCHES: tuple[FrigateSwitchDescription, ...] = tuple(
    _switch(
        key,
        config=key not in {"detect", "recordings", "snapshots", "enabled"},
        enabled=key != "improve_contrast",
    )
    for key in SWITCH_SETTINGS
)
RECOGNITION_SWITCHES = DESCRIPTION_SWITCHES  # GenAI descriptions: recognition_switch.py


def switch_exists(description: FrigateSwitchDescription, data: FrigateCameraData) -> bool:
    """Whether the user may change the setting on this camera and the version has it."""
    return data.live is not None and description.key in data.live.controllable


def switch_state(description: FrigateSwitchDescription, data: FrigateCameraData) -> bool | None:
    """The setting as Frigate says it is."""
    value = None if data.live is None else data.live.settings.get(description.key)
    return value if isinstance(value, bool) else None


async def async_setup_entry(
    hass: HomeAssistant,
    entry: FrigateConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the switches of every camera the user may control."""

    def camera(coordinator: FrigateCameraCoordinator) -> EntityFactories:
        existing = [d for d in SWITCHES if switch_exists(d, coordinator.data)]
        return entity_factories(existing, partial(FrigateSettingSwitch, coordinator))

    async_add_frigate_entities(entry, async_add_entities, camera=camera)
    await async_setup_description_switches(hass, entry, async_add_entities)


class FrigateSettingSwitch(FrigateSettingEntity, SwitchEntity):
    """One setting of a camera (detect, recordings, ...)."""

    entity_description: FrigateSwitchDescription

    @property
    @override
    def is_on(self) -> bool | None:
        """Frigate's state of the setting."""
        return switch_state(self.entity_description, self.camera_data)

    @override
    async def async_turn_on(self, **kwargs: Any) -> None:
        """Ask Frigate to turn the setting on; it confirms or this raises."""
        await self._async_set_setting(value=True)

    @override
    async def async_turn_off(self, **kwargs: Any) -> None:
        """Ask Frigate to turn the setting off; it confirms or this raises."""
        await self._async_set_setting(value=False)
