"""Config flow: a menu of the two kinds; every later step is handed to the entry's wing."""

from collections.abc import Mapping
from typing import Any, override

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlowResult,
    ConfigSubentryFlow,
    OptionsFlow,
)
from homeassistant.core import callback

from . import MINOR_VERSION_NO_URL_IDS, kind_of
from .const import DOMAIN, KIND_FLIR, KIND_FRIGATE
from .flir.const import SUBENTRY_AREA
from .flir.flow import AreaSubentryFlow, FlirFlowMixin, FlirOptionsFlow
from .frigate.flow import FrigateFlowMixin, FrigateOptionsFlow


class FlirFrigateConfigFlow(FlirFlowMixin, FrigateFlowMixin, domain=DOMAIN):
    """Add a FLIR automation camera or a Frigate NVR server."""

    VERSION = 1
    MINOR_VERSION = MINOR_VERSION_NO_URL_IDS  # older entries: see async_migrate_entry

    @staticmethod
    @callback
    @override
    def async_get_options_flow(config_entry: ConfigEntry) -> OptionsFlow:
        """The options of a FLIR camera or a Frigate server."""
        if kind_of(config_entry) == KIND_FRIGATE:
            return FrigateOptionsFlow()
        return FlirOptionsFlow()

    @classmethod
    @callback
    @override
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """Measurement areas on a FLIR camera's radiometric image."""
        if kind_of(config_entry) == KIND_FRIGATE:
            return {}
        return {SUBENTRY_AREA: AreaSubentryFlow}

    @override
    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose the kind of device."""
        return self.async_show_menu(step_id="user", menu_options=[KIND_FLIR, KIND_FRIGATE])

    async def async_step_reauth(
        self,
        entry_data: Mapping[str, Any],  # noqa: ARG002
    ) -> ConfigFlowResult:
        """The device refused the stored credentials."""
        if kind_of(self._get_reauth_entry()) == KIND_FRIGATE:
            return await self.async_step_frigate_reauth()
        return await self.async_step_reauth_confirm()

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the address (or credentials) of the same device."""
        if kind_of(self._get_reconfigure_entry()) == KIND_FRIGATE:
            return await self.async_step_frigate_reconfigure(user_input)
        return await self.async_step_flir_reconfigure(user_input)
