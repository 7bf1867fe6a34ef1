"""Config flow steps of Frigate NVR servers (placeholder until the Frigate layer lands)."""

from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult, OptionsFlow


class FrigateFlowMixin(ConfigFlow):
    """Frigate steps of the integration's config flow."""

    async def async_step_frigate(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the Frigate server's URL and credentials."""
        raise NotImplementedError

    async def async_step_frigate_reauth(self) -> ConfigFlowResult:
        """Reauthenticate a Frigate server."""
        raise NotImplementedError

    async def async_step_frigate_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Reconfigure a Frigate server."""
        raise NotImplementedError


class FrigateOptionsFlow(OptionsFlow):
    """Options of a Frigate server."""
