"""The FLIR & Frigate Cameras integration: one domain, two kinds of device.

Each kind is a wing (`flir/`, `frigate/`) with its own setup, coordinator, entities, flow steps
and diagnostics; this module only tells which wing an entry belongs to. The wings' setup modules
are imported when an entry is set up (Home Assistant has imported the platforms by then), so the
device libraries' command lines (``python -m ...api.flir.rjpeg``) do not import them twice.
"""

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import ConfigType

from .const import CONF_KIND, KIND_FLIR, KIND_FRIGATE

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.CAMERA,
    Platform.EVENT,
    Platform.IMAGE,
    Platform.NUMBER,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
    Platform.UPDATE,
]

KINDS: tuple[str, ...] = (KIND_FLIR, KIND_FRIGATE)

# Config entry minor version 2: a Frigate entry's unique id is no longer its URL.
MINOR_VERSION_NO_URL_IDS = 2

type PlatformSetup = Callable[[HomeAssistant, Any, AddConfigEntryEntitiesCallback], Awaitable[None]]


async def async_setup(hass: HomeAssistant, _config: ConfigType) -> bool:
    """Register the integration's actions (Frigate's: `frigate/services.py`)."""
    from .frigate.recognition_services import async_setup_recognition_services  # noqa: PLC0415
    from .frigate.services import async_setup_services  # noqa: PLC0415

    async_setup_services(hass)
    async_setup_recognition_services(hass)  # review_summarize
    from .frigate.live_services import async_setup_ptz_service  # noqa: PLC0415

    async_setup_ptz_service(hass)  # the camera entity action `ptz` (websocket)
    return True


def kind_of(entry: ConfigEntry) -> str:
    """The kind of device an entry stands for; entries without a kind are FLIR cameras."""
    kind = entry.data.get(CONF_KIND)
    return kind if kind in KINDS else KIND_FLIR


async def async_setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Set up a FLIR camera or a Frigate server from a config entry."""
    if kind_of(entry) == KIND_FRIGATE:
        from .frigate.setup import async_setup_frigate_entry  # noqa: PLC0415

        return await async_setup_frigate_entry(hass, entry, PLATFORMS)
    from .flir.setup import async_setup_flir_entry  # noqa: PLC0415

    return await async_setup_flir_entry(hass, entry, PLATFORMS)


async def async_migrate_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Bring an entry stored by an older version up to date.

    1.1 -> 1.2: a Frigate entry's unique id was its URL, which is no identity (it changes when
    the server moves); it becomes the entry's id. Entities and devices keep their ids, which are
    built from the entry id. FLIR entries keep theirs (the camera's serial number).
    """
    if entry.minor_version < MINOR_VERSION_NO_URL_IDS:
        unique_id = entry.entry_id if kind_of(entry) == KIND_FRIGATE else entry.unique_id
        hass.config_entries.async_update_entry(
            entry, unique_id=unique_id, minor_version=MINOR_VERSION_NO_URL_IDS
        )
    return True


async def async_unload_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Unload a config entry."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


def wing_platform(wings: Mapping[str, PlatformSetup]) -> PlatformSetup:
    """A platform's setup that hands each entry to its wing (a wing may have no such platform)."""

    async def async_setup_entry(
        hass: HomeAssistant,
        entry: ConfigEntry,
        async_add_entities: AddConfigEntryEntitiesCallback,
    ) -> None:
        if (setup := wings.get(kind_of(entry))) is not None:
            await setup(hass, entry, async_add_entities)

    return async_setup_entry
