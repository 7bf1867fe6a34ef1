"""The generated description on a camera's event entity (0.17+, once Frigate has written it).

Frigate describes a tracked object after it ended, seconds to minutes after the event entity
fired; the description then joins the entity's attributes (`description`) for that event.
"""

from typing import Any, override

from homeassistant.core import callback
from homeassistant.helpers.entity import Entity

from .coordinator import FrigateConfigEntry
from .recognition.entity import recognition_hub


class EventDescription(Entity):
    """Adds the description of the last fired event, when there is one, to the attributes."""

    _attr_has_entity_name = True
    _last_event_id: str | None = None
    _description: str | None = None

    def _recognition_entry(self) -> FrigateConfigEntry:
        raise NotImplementedError

    @override
    async def async_added_to_hass(self) -> None:
        """Follow the descriptions the recognition hub learns."""
        await super().async_added_to_hass()
        hub = recognition_hub(self.hass, self._recognition_entry())
        if hub is not None:
            self.async_on_remove(hub.async_add_listener(self._on_descriptions))

    @callback
    def _on_descriptions(self) -> None:
        hub = recognition_hub(self.hass, self._recognition_entry())
        if hub is None or self._last_event_id is None:
            return
        description = hub.data.descriptions.get(self._last_event_id)
        if description != self._description:
            self._description = description
            self.async_write_ha_state()

    @callback
    def _fired_event(self, event_id: str) -> None:
        """An event was fired: its description, if any, replaces the last one."""
        self._last_event_id = event_id
        self._description = None

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """`description` once Frigate described the last event."""
        return None if self._description is None else {"description": self._description}
