"""Switches of Frigate's generated descriptions (0.17+): of tracked objects and review items.

Per camera, where Frigate has a GenAI provider set up; off until turned on, as Frigate ships
them (`objects.genai.enabled`, `review.genai.enabled`). Like the other settings they change
over the websocket (`<camera>/object_descriptions/set`) and flip only when Frigate confirms;
created for users whose commands Frigate takes, on entries that have the websocket.
"""

from typing import Any, override

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..entity import EntityFactories
from .coordinator import FrigateConfigEntry
from .recognition.coordinator import RecognitionHub
from .recognition.entity import (
    CameraFeature,
    RecognitionCameraEntity,
    async_add_recognition_entities,
    camera_factories,
)
from .recognition.model import RecognitionData


def _describes(data: RecognitionData, camera: str) -> bool:
    return data.commands and data.descriptions_on(camera)


DESCRIPTION_SWITCHES: tuple[tuple[SwitchEntityDescription, CameraFeature], ...] = tuple(
    (
        SwitchEntityDescription(
            key=setting, translation_key=f"frigate_{setting}", entity_category=EntityCategory.CONFIG
        ),
        CameraFeature(exists_fn=_describes),
    )
    for setting in ("object_descriptions", "review_descriptions")
)


async def async_setup_description_switches(
    hass: HomeAssistant,
    entry: FrigateConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the description switches of the cameras that can have descriptions."""

    def factories(hub: RecognitionHub) -> EntityFactories:
        return camera_factories(hub, DESCRIPTION_SWITCHES, DescriptionSwitch)

    async_add_recognition_entities(hass, entry, async_add_entities, factories)


class DescriptionSwitch(RecognitionCameraEntity, SwitchEntity):
    """Whether Frigate describes a camera's objects (or review items) with its GenAI."""

    @property
    @override
    def available(self) -> bool:
        """Available while the websocket is up (commands go over it)."""
        bridge = self.coordinator.hub.live
        return super().available and bridge is not None and bridge.connected

    @property
    @override
    def is_on(self) -> bool | None:
        """Frigate's state: pushed, else its config."""
        return self.recognition.description_setting(self.camera, self.entity_description.key)

    async def _async_send(self, *, on: bool) -> None:
        bridge = self.coordinator.hub.live
        assert bridge is not None  # the switch exists only with the websocket
        await bridge.async_set(self.camera, self.entity_description.key, on)

    @override
    async def async_turn_on(self, **kwargs: Any) -> None:
        """Ask Frigate to describe; it confirms or this raises."""
        await self._async_send(on=True)

    @override
    async def async_turn_off(self, **kwargs: Any) -> None:
        """Ask Frigate to stop describing; it confirms or this raises."""
        await self._async_send(on=False)
