"""Frigate selects: the active profile of a 0.18 server (its config's `profiles`).

Frigate switches profiles on `profile/set` over its websocket and confirms with
`profile/state`; the select shows the confirmed profile (from the config until one is
pushed), never the one asked for. Created for users whose commands Frigate takes (admins from
0.17.2), and only while the config has profiles.
"""

from typing import Final, override

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..api.frigate.exceptions import FrigateError
from ..api.frigate.live import FrigateLive
from ..api.frigate.live_models import may_control
from ..api.frigate.live_recognition import NO_PROFILE, set_profile
from ..const import DOMAIN
from ..entity import EntityFactories
from .coordinator import FrigateConfigEntry
from .live import LIVE_DISCONNECTED
from .recognition.coordinator import RecognitionHub
from .recognition.entity import (
    RecognitionServerEntity,
    ServerFeature,
    async_add_recognition_entities,
    server_factories,
)
from .recognition.model import RecognitionData

PROFILE: Final = "profile"


def _profile_items(data: RecognitionData) -> tuple[str, ...]:
    return (PROFILE,) if data.features.profiles and data.config.profiles else ()


PROFILE_SELECTS: tuple[tuple[SelectEntityDescription, ServerFeature], ...] = (
    (
        SelectEntityDescription(key="profile", translation_key="frigate_profile"),
        ServerFeature(items_fn=_profile_items, placeholders_fn=lambda _, __: {}),
    ),
)


def profile_options(data: RecognitionData) -> list[str]:
    """`none` and the config's profiles."""
    return [NO_PROFILE, *data.config.profiles]


def current_profile(data: RecognitionData) -> str:
    """The active profile, `none` without one."""
    return NO_PROFILE if data.profile is None else data.profile


async def async_setup_entry(
    hass: HomeAssistant,
    entry: FrigateConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the profile select for users who may switch it."""
    info = entry.runtime_data.info
    if not may_control(info.version, info.profile):
        return

    def factories(hub: RecognitionHub) -> EntityFactories:
        return server_factories(hub, PROFILE_SELECTS, FrigateProfileSelect)

    async_add_recognition_entities(hass, entry, async_add_entities, factories)


def live_connection(entry: FrigateConfigEntry) -> FrigateLive | None:
    """The entry's websocket connection (frigate/live.py), when it is up."""
    bridge = entry.runtime_data.hub.live
    live = None if bridge is None else bridge.live
    return live if live is not None and live.connected else None


class FrigateProfileSelect(RecognitionServerEntity, SelectEntity):
    """The active profile; choosing one asks Frigate to switch (its answer sets the state)."""

    @property
    @override
    def options(self) -> list[str]:
        """`none` and the profiles of the config."""
        return profile_options(self.recognition)

    @property
    @override
    def current_option(self) -> str | None:
        """The profile Frigate says is active."""
        return current_profile(self.recognition)

    @override
    async def async_select_option(self, option: str) -> None:
        """Send `profile/set`; the state follows Frigate's `profile/state`."""
        live = live_connection(self.coordinator.config_entry)
        if live is None:
            raise HomeAssistantError(translation_domain=DOMAIN, translation_key=LIVE_DISCONNECTED)
        try:
            await set_profile(live, None if option == NO_PROFILE else option)
        except FrigateError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="frigate_communication_error",
                translation_placeholders={"error": str(err)},
            ) from err
