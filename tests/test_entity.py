"""The runtime-entity helper: a disabled entity is not built again on every cycle."""

from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_platform
from homeassistant.helpers import entity_registry as er

from tests.conftest import advance
from tests.frigate.common import FrigateFactory, make_frigate_entry, setup_frigate


async def test_disabled_entities_are_not_rebuilt_each_cycle(
    hass: HomeAssistant, frigate_factory: FrigateFactory, freezer: FrozenDateTimeFactory
) -> None:
    server = await frigate_factory()
    entry = await setup_frigate(hass, make_frigate_entry(server))
    registry = er.async_get(hass)
    disabled = [
        e for e in er.async_entries_for_config_entry(registry, entry.entry_id) if e.disabled_by
    ]
    assert disabled, "the fake's server has disabled-by-default entities"
    original = entity_platform.EntityPlatform._async_add_entity
    added: list[str | None] = []

    async def counting(self, entity, *args, **kwargs):  # type: ignore[no-untyped-def]
        added.append(entity.unique_id)
        return await original(self, entity, *args, **kwargs)

    with patch.object(entity_platform.EntityPlatform, "_async_add_entity", counting):
        for _ in range(3):
            await advance(hass, freezer)
    assert added == []
