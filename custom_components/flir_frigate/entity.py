"""What the entities of both wings share: adding entities for what appears at runtime."""

from collections.abc import Callable, Mapping
from typing import Any

from homeassistant.core import callback
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

type EntityFactories = Mapping[str, Callable[[], Entity]]


@callback
def async_add_entities_when_seen(
    coordinator: DataUpdateCoordinator[Any],
    async_add_entities: AddConfigEntryEntitiesCallback,
    factories: Callable[[], EntityFactories],
) -> None:
    """Add entities now and whenever a later cycle shows new ones (dynamic devices).

    `factories` maps a key per entity to what creates it. A key stays known while its entity
    exists: an entity removed with its device (a camera taken out of Frigate) is created again
    if it comes back, one that only went unavailable is never created twice.
    """
    known: set[str] = set()

    def _make(key: str, make: Callable[[], Entity]) -> Entity:
        entity = make()

        @callback
        def _forget() -> None:
            # Home Assistant also "removes" an entity it declines to add because the user (or
            # its description) disabled it: that one stays known, or it would be built again
            # every cycle. Enabling it reloads the entry, which starts from scratch.
            entry = entity.registry_entry
            if entry is None or entry.disabled_by is None:
                known.discard(key)

        entity.async_on_remove(_forget)
        return entity

    @callback
    def _add_new() -> None:
        new = {key: make for key, make in factories().items() if key not in known}
        if new:
            known.update(new)
            async_add_entities([_make(key, make) for key, make in new.items()])

    _add_new()
    assert coordinator.config_entry is not None  # coordinators of config entries only
    coordinator.config_entry.async_on_unload(coordinator.async_add_listener(_add_new))
