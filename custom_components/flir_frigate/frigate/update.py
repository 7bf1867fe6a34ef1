"""Update entities: Frigate's version against its latest release (FLIR cameras have none)."""

from typing import override

from homeassistant.components.update import UpdateEntity, UpdateEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..api.frigate.version import FrigateVersion
from .const import MANUFACTURER_FRIGATE, RELEASE_URL
from .coordinator import FrigateConfigEntry
from .entity import FrigateServerEntity

UPDATES: tuple[UpdateEntityDescription, ...] = (
    UpdateEntityDescription(
        key="update",
        translation_key="frigate_update",
        name=None,  # the server's device is the software: it names the entity
        # With a description, the update platform reads the category from it.
        entity_category=EntityCategory.DIAGNOSTIC,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: FrigateConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the update entity of a Frigate server."""
    hub = entry.runtime_data.hub
    async_add_entities(FrigateUpdate(hub, description) for description in UPDATES)


def _parse(version: str | None) -> FrigateVersion | None:
    try:
        return None if version is None else FrigateVersion.parse(version)
    except ValueError:
        return None


class FrigateUpdate(FrigateServerEntity, UpdateEntity):
    """Whether a newer Frigate release exists; Frigate is updated outside Home Assistant."""

    _attr_title = MANUFACTURER_FRIGATE

    @property
    def _installed(self) -> FrigateVersion | None:
        return self.coordinator.data.stats.service.parsed_version or self.coordinator.info.version

    @property
    @override
    def installed_version(self) -> str | None:
        """The running version, without its build hash (`0.17.2`)."""
        installed = self._installed
        return None if installed is None else self._text(installed)

    @property
    @override
    def latest_version(self) -> str | None:
        """The newest release Frigate knows of (None when its check is off or failed)."""
        return self.coordinator.data.stats.service.latest_version

    @property
    @override
    def release_url(self) -> str | None:
        """The GitHub release of the latest version."""
        latest = _parse(self.latest_version)
        return None if latest is None else RELEASE_URL.format(version=self._text(latest))

    @staticmethod
    def _text(version: FrigateVersion) -> str:
        return version.short + (f"-{version.prerelease}" if version.prerelease else "")

    @override
    def version_is_newer(self, latest_version: str, installed_version: str) -> bool:
        """Compare semantically (`0.18.0-beta1` is older than `0.18.0`)."""
        latest, installed = _parse(latest_version), _parse(installed_version)
        if latest is None or installed is None:
            return latest_version != installed_version
        return latest > installed
