"""Config flow steps of FLIR cameras: add, DHCP discovery, reauth, reconfigure, options, areas."""

from collections.abc import Mapping
from typing import Any

import probatio as vol
from homeassistant.config_entries import (
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
    OptionsFlowWithReload,
    SubentryFlowResult,
)
from homeassistant.const import CONF_HOST, CONF_MAC, CONF_NAME, CONF_PASSWORD, CONF_USERNAME
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
from homeassistant.helpers.service_info.dhcp import DhcpServiceInfo

from ..api.flir.client import FlirClient
from ..api.flir.exceptions import (
    FlirAuthenticationError,
    FlirError,
    FlirUnexpectedDeviceError,
)
from ..api.flir.measure import validate_area
from ..api.flir.render import PALETTES
from ..const import CONF_KIND, KIND_FLIR, LOGGER
from .const import (
    CONF_AREA_KIND,
    CONF_DISTANCE,
    CONF_EMISSIVITY,
    CONF_PALETTE,
    CONF_RANGE_MAX,
    CONF_RANGE_MIN,
    CONF_REFLECTED_TEMP,
    CONF_RTSP_ENABLED,
    CONF_RTSP_PASSWORD,
    CONF_RTSP_PATH,
    CONF_RTSP_USERNAME,
    CONF_X,
    CONF_X2,
    CONF_Y,
    CONF_Y2,
    DEFAULT_PALETTE,
    DEFAULT_RTSP_PATH,
    DEFAULT_RTSP_USERNAME,
    RTSP_PATHS,
)
from .coordinator import (
    FlirConfigEntry,
    FlirDevice,
    area_from_subentry,
    async_identify,
)

PASSWORD = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
CREDENTIALS_SCHEMA = vol.Schema(
    {
        vol.Optional(CONF_USERNAME): str,
        vol.Optional(CONF_PASSWORD): PASSWORD,
    }
)
FLIR_SCHEMA = vol.Schema({vol.Required(CONF_HOST): str}).extend(CREDENTIALS_SCHEMA.schema)


class FlirFlowMixin(ConfigFlow):
    """The steps of the config flow that add and maintain a FLIR camera."""

    _discovered_host: str | None = None
    _discovered_mac: str | None = None

    async def _async_try(
        self, data: Mapping[str, Any]
    ) -> tuple[FlirDevice | None, str, dict[str, str]]:
        """Connect and identify a camera; returns the device, its base URL and form errors."""
        try:
            client = FlirClient(
                data[CONF_HOST],
                session=async_get_clientsession(self.hass),
                username=data.get(CONF_USERNAME) or None,
                password=data.get(CONF_PASSWORD) or None,
            )
        except ValueError:
            return None, "", {CONF_HOST: "invalid_host"}
        try:
            device = await async_identify(self.hass, client)
        except FlirAuthenticationError:
            return None, client.base_url, {"base": "invalid_auth"}
        except FlirUnexpectedDeviceError:
            return None, client.base_url, {"base": "not_flir"}
        except FlirError:
            return None, client.base_url, {"base": "cannot_connect"}
        except Exception:  # noqa: BLE001
            LOGGER.exception("Unexpected error while connecting to a FLIR camera")
            return None, client.base_url, {"base": "unknown"}
        return device, client.base_url, {}

    async def async_step_flir(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the camera's host and optional credentials."""
        errors: dict[str, str] = {}
        if user_input is not None:
            device, base_url, errors = await self._async_try(user_input)
            if device is not None:
                await self.async_set_unique_id(device.serial or base_url)
                self._abort_if_unique_id_configured(updates={CONF_HOST: user_input[CONF_HOST]})
                return self._create_flir_entry(device, base_url, user_input)
        return self.async_show_form(
            step_id="flir",
            data_schema=self.add_suggested_values_to_schema(FLIR_SCHEMA, user_input),
            errors=errors,
        )

    def _create_flir_entry(
        self, device: FlirDevice, base_url: str, data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        title = " ".join(part for part in (device.model, device.serial) if part) or base_url
        return self.async_create_entry(
            title=title,
            data={CONF_KIND: KIND_FLIR, **{k: v for k, v in data.items() if v}},
        )

    async def async_step_dhcp(self, discovery_info: DhcpServiceInfo) -> ConfigFlowResult:
        """A device with FLIR's MAC prefix appeared on the network."""
        host = discovery_info.ip
        self._async_abort_entries_match({CONF_HOST: host})
        mac = dr.format_mac(discovery_info.macaddress)
        device, base_url, errors = await self._async_try({CONF_HOST: host})
        if device is not None:
            await self.async_set_unique_id(device.serial or base_url)
            self._abort_if_unique_id_configured(updates={CONF_HOST: host, CONF_MAC: mac})
        elif errors != {"base": "invalid_auth"}:
            return self.async_abort(reason=next(iter(errors.values())))
        self._discovered_host = host
        self._discovered_mac = mac
        self.context["title_placeholders"] = {"host": host}
        return await self.async_step_dhcp_confirm()

    async def async_step_dhcp_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Let the user confirm a discovered camera (and give credentials if it needs them)."""
        assert self._discovered_host is not None
        errors: dict[str, str] = {}
        if user_input is not None:
            found = {CONF_HOST: self._discovered_host, CONF_MAC: self._discovered_mac}
            data = {**found, **user_input}
            device, base_url, errors = await self._async_try(data)
            if device is not None:
                await self.async_set_unique_id(device.serial or base_url, raise_on_progress=False)
                self._abort_if_unique_id_configured(updates=found)
                return self._create_flir_entry(device, base_url, data)
        return self.async_show_form(
            step_id="dhcp_confirm",
            data_schema=CREDENTIALS_SCHEMA,
            description_placeholders={"host": self._discovered_host},
            errors=errors,
        )

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for new credentials."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {**entry.data, **user_input}
            device, base_url, errors = await self._async_try(data)
            if device is not None:
                await self.async_set_unique_id(device.serial or base_url)
                self._abort_if_unique_id_mismatch(reason="different_device")
                return self.async_update_reload_and_abort(entry, data_updates=user_input)
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=self.add_suggested_values_to_schema(
                CREDENTIALS_SCHEMA, {CONF_USERNAME: entry.data.get(CONF_USERNAME)}
            ),
            description_placeholders={"host": entry.data[CONF_HOST]},
            errors=errors,
        )

    async def async_step_flir_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the host (or credentials) of the same camera (the form is `reconfigure`)."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            device, base_url, errors = await self._async_try(user_input)
            if device is not None:
                await self.async_set_unique_id(device.serial or base_url)
                self._abort_if_unique_id_mismatch(reason="different_device")
                # The same camera keeps the MAC address discovery found
                kept = {CONF_MAC: entry.data[CONF_MAC]} if CONF_MAC in entry.data else {}
                return self.async_update_reload_and_abort(
                    entry,
                    data={
                        CONF_KIND: KIND_FLIR,
                        **kept,
                        **{k: v for k, v in user_input.items() if v},
                    },
                )
        suggested = user_input or {
            CONF_HOST: entry.data[CONF_HOST],
            CONF_USERNAME: entry.data.get(CONF_USERNAME),
        }
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(FLIR_SCHEMA, suggested),
            errors=errors,
        )


def _optional_number(
    minimum: float, maximum: float, step: float, unit: str | None
) -> NumberSelector:
    config = NumberSelectorConfig(min=minimum, max=maximum, step=step, mode=NumberSelectorMode.BOX)
    if unit is not None:
        config["unit_of_measurement"] = unit
    return NumberSelector(config)


OPTIONS_SCHEMA = vol.Schema(
    {
        vol.Optional(CONF_RTSP_ENABLED, default=False): bool,
        vol.Optional(CONF_RTSP_PATH, default=DEFAULT_RTSP_PATH): SelectSelector(
            SelectSelectorConfig(options=list(RTSP_PATHS), translation_key=CONF_RTSP_PATH)
        ),
        vol.Optional(CONF_RTSP_USERNAME, default=DEFAULT_RTSP_USERNAME): str,
        vol.Optional(CONF_RTSP_PASSWORD): PASSWORD,
        vol.Optional(CONF_EMISSIVITY): _optional_number(0.01, 1.0, 0.01, None),
        vol.Optional(CONF_REFLECTED_TEMP): _optional_number(-60, 500, 0.1, "°C"),
        vol.Optional(CONF_DISTANCE): _optional_number(0, 1000, 0.1, "m"),
        vol.Optional(CONF_PALETTE, default=DEFAULT_PALETTE): SelectSelector(
            SelectSelectorConfig(
                options=list(PALETTES),
                translation_key=CONF_PALETTE,
                mode=SelectSelectorMode.DROPDOWN,
            )
        ),
        vol.Optional(CONF_RANGE_MIN): _optional_number(-60, 2000, 0.1, "°C"),
        vol.Optional(CONF_RANGE_MAX): _optional_number(-60, 2000, 0.1, "°C"),
    }
)


class FlirOptionsFlow(OptionsFlowWithReload):
    """RTSP stream, object parameter overrides and the thermal picture's look."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show and validate the options."""
        errors: dict[str, str] = {}
        if user_input is not None:
            low, high = user_input.get(CONF_RANGE_MIN), user_input.get(CONF_RANGE_MAX)
            if (low is None) != (high is None):
                errors["base"] = "range_incomplete"
            elif low is not None and high is not None and low >= high:
                errors["base"] = "range_inverted"
            else:
                return self.async_create_entry(data=user_input)
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                OPTIONS_SCHEMA, user_input or self.config_entry.options
            ),
            errors=errors,
        )


AREA_KINDS = ["spot", "box", "line"]
COORDINATE = NumberSelector(
    NumberSelectorConfig(min=0, max=4096, step=1, mode=NumberSelectorMode.BOX)
)
AREA_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_NAME): str,
        vol.Required(CONF_AREA_KIND, default="spot"): SelectSelector(
            SelectSelectorConfig(options=AREA_KINDS, translation_key=CONF_AREA_KIND)
        ),
        vol.Required(CONF_X): COORDINATE,
        vol.Required(CONF_Y): COORDINATE,
        vol.Optional(CONF_X2): COORDINATE,
        vol.Optional(CONF_Y2): COORDINATE,
    }
)


class AreaSubentryFlow(ConfigSubentryFlow):
    """Add or change a measurement area (spot, box, line) in thermal-image pixels."""

    def _validate(self, user_input: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        data = {
            CONF_AREA_KIND: user_input[CONF_AREA_KIND],
            **{
                key: int(user_input[key])
                for key in (CONF_X, CONF_Y, CONF_X2, CONF_Y2)
                if user_input.get(key) is not None
            },
        }
        if data[CONF_AREA_KIND] == "spot":
            data.pop(CONF_X2, None)
            data.pop(CONF_Y2, None)
        elif CONF_X2 not in data or CONF_Y2 not in data:
            return data, {"base": "end_point_required"}
        device = self._get_entry().runtime_data.device
        assert device.width is not None
        assert device.height is not None
        error = validate_area(area_from_subentry(data), device.width, device.height)
        return data, ({"base": error} if error else {})

    def _form(
        self, step_id: str, suggested: Mapping[str, Any] | None, errors: dict[str, str]
    ) -> SubentryFlowResult:
        device = self._get_entry().runtime_data.device
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(AREA_SCHEMA, suggested),
            description_placeholders={
                "width": str(device.width),
                "height": str(device.height),
            },
            errors=errors,
        )

    def _not_usable(self) -> SubentryFlowResult | None:
        entry: FlirConfigEntry = self._get_entry()
        if entry.state is not ConfigEntryState.LOADED:
            return self.async_abort(reason="not_loaded")
        if not entry.runtime_data.device.radiometric:
            return self.async_abort(reason="not_radiometric")
        return None

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Add a measurement area."""
        if (abort := self._not_usable()) is not None:
            return abort
        errors: dict[str, str] = {}
        if user_input is not None:
            data, errors = self._validate(user_input)
            if not errors:
                return self.async_create_entry(title=user_input[CONF_NAME], data=data)
        return self._form("user", user_input, errors)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Move or resize a measurement area."""
        if (abort := self._not_usable()) is not None:
            return abort
        subentry = self._get_reconfigure_subentry()
        errors: dict[str, str] = {}
        if user_input is not None:
            data, errors = self._validate(user_input)
            if not errors:
                return self.async_update_and_abort(
                    self._get_entry(), subentry, title=user_input[CONF_NAME], data=data
                )
        return self._form(
            "reconfigure", user_input or {CONF_NAME: subentry.title, **subentry.data}, errors
        )
