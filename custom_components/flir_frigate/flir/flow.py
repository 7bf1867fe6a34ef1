"""Config flow steps of FLIR cameras: add, DHCP discovery, reauth, reconfigure, options, areas.

A camera is identified by its serial number (from the radiometric image), else by the MAC address
DHCP discovery found; never by its address, which changes. A camera offering neither is refused.
"""

import math
from collections.abc import Mapping
from typing import Any, override

import probatio as vol
from homeassistant.config_entries import (
    ConfigEntry,
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
    OptionsFlowWithReload,
    SubentryFlowResult,
)
from homeassistant.const import CONF_HOST, CONF_MAC, CONF_NAME, CONF_PASSWORD, CONF_USERNAME
from homeassistant.helpers import device_registry as dr
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
from yarl import URL

from .. import kind_of
from ..api.flir.exceptions import (
    FlirAuthenticationError,
    FlirError,
    FlirUnexpectedDeviceError,
)
from ..api.flir.host import normalize_host
from ..api.flir.measure import validate_area
from ..api.flir.render import PALETTES
from ..const import CONF_KIND, KIND_FLIR, LOGGER
from .ax8 import async_detect, is_ax8
from .const import (
    CONF_AREA_KIND,
    CONF_DISTANCE,
    CONF_EMISSIVITY,
    CONF_INTERFACE,
    CONF_PALETTE,
    CONF_RANGE_MAX,
    CONF_RANGE_MIN,
    CONF_REFLECTED_TEMP,
    CONF_RTSP_ENABLED,
    CONF_RTSP_PASSWORD,
    CONF_RTSP_PATH,
    CONF_RTSP_USERNAME,
    CONF_TEMPERATURE_DEADBAND,
    CONF_X,
    CONF_X2,
    CONF_Y,
    CONF_Y2,
    DEFAULT_PALETTE,
    DEFAULT_RTSP_PATH,
    DEFAULT_RTSP_USERNAME,
    DEFAULT_TEMPERATURE_DEADBAND,
    INTERFACE_AX8,
    MAX_TEMPERATURE_DEADBAND,
    RTSP_PATHS,
)
from .coordinator import (
    FlirConfigEntry,
    FlirDevice,
    area_from_subentry,
)

PASSWORD = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
CREDENTIALS_SCHEMA = vol.Schema(
    {
        vol.Optional(CONF_USERNAME): str,
        vol.Optional(CONF_PASSWORD): PASSWORD,
    }
)
FLIR_SCHEMA = vol.Schema({vol.Required(CONF_HOST): str}).extend(CREDENTIALS_SCHEMA.schema)


def flir_identity(device: FlirDevice, mac: str | None) -> str | None:
    """What identifies a camera (its entry's unique id): the serial number, else the MAC address."""
    return device.serial or (dr.format_mac(mac) if mac else None)


def moved_host(stored: str, ip: str) -> str:
    """The stored address with a newly discovered IP in place of its host; scheme and port stay."""
    try:
        moved = str(URL(normalize_host(stored)).with_host(ip))
    except ValueError:
        return ip
    return ip if moved == f"http://{ip}" else moved


class FlirFlowMixin(ConfigFlow):
    """The steps of the config flow that add and maintain a FLIR camera."""

    _discovered_host: str | None = None
    _discovered_mac: str | None = None
    _interface: str | None = None

    async def _async_try(
        self, data: Mapping[str, Any], mac: str | None = None
    ) -> tuple[FlirDevice | None, str, dict[str, str]]:
        """Connect and identify a camera; returns the device, its identity and form errors.

        `mac` is the camera's MAC address where discovery told it: the identity of a camera
        without a serial number. A camera with neither is refused (`no_serial`).
        """
        device = await self._async_identify(data)
        if device == "invalid_host":
            return None, "", {CONF_HOST: "invalid_host"}
        if isinstance(device, str):
            return None, "", {"base": device}
        if (identity := flir_identity(device, mac)) is None:
            return None, "", {"base": "no_serial"}
        return device, identity, {}

    async def _async_identify(self, data: Mapping[str, Any]) -> FlirDevice | str:
        """The camera at the address (REST, else Ax8), or the form error that says why not."""
        try:
            _client, device, self._interface = await async_detect(self.hass, data)
        except ValueError:
            return "invalid_host"
        except FlirAuthenticationError:
            return "invalid_auth"
        except FlirUnexpectedDeviceError:
            return "not_flir"
        except FlirError:
            return "cannot_connect"
        except Exception:  # noqa: BLE001
            LOGGER.exception("Unexpected error while connecting to a FLIR camera")
            return "unknown"
        return device

    def _interface_data(self) -> dict[str, str]:
        """What the entry keeps of the interface found (nothing for the REST one)."""
        return {CONF_INTERFACE: INTERFACE_AX8} if self._interface == INTERFACE_AX8 else {}

    def _flir_entry_by_mac(self, mac: str) -> ConfigEntry | None:
        """The configured camera with this MAC address, in its entry data or on its device."""
        registry = dr.async_get(self.hass)
        connection = (dr.CONNECTION_NETWORK_MAC, mac)
        for entry in self._async_current_entries(include_ignore=False):
            if kind_of(entry) != KIND_FLIR or entry.unique_id is None:
                continue
            stored = entry.data.get(CONF_MAC)
            on_device = registry.async_get_device_by_connection(connection, entry.entry_id)
            if (stored and dr.format_mac(stored) == mac) or on_device is not None:
                return entry
        return None

    async def async_step_flir(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the camera's host and optional credentials."""
        errors: dict[str, str] = {}
        if user_input is not None:
            device, identity, errors = await self._async_try(user_input)
            if device is not None:
                await self.async_set_unique_id(identity)
                self._abort_if_unique_id_configured(updates={CONF_HOST: user_input[CONF_HOST]})
                return self._create_flir_entry(device, identity, user_input)
        return self.async_show_form(
            step_id="flir",
            data_schema=self.add_suggested_values_to_schema(FLIR_SCHEMA, user_input),
            errors=errors,
        )

    def _create_flir_entry(
        self, device: FlirDevice, identity: str, data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        title = f"{device.model or 'FLIR'} {device.serial or identity}"
        return self.async_create_entry(
            title=title,
            data={
                CONF_KIND: KIND_FLIR,
                **{k: v for k, v in data.items() if v},
                **self._interface_data(),
            },
        )

    async def async_step_dhcp(self, discovery_info: DhcpServiceInfo) -> ConfigFlowResult:
        """A device with FLIR's MAC prefix appeared on the network."""
        host = discovery_info.ip
        mac = dr.format_mac(discovery_info.macaddress)
        if (known := self._flir_entry_by_mac(mac)) is not None:
            # A configured camera at a new address: recognized without a request or a login.
            await self.async_set_unique_id(known.unique_id, raise_on_progress=False)
            self._abort_if_unique_id_configured(
                updates={CONF_HOST: moved_host(known.data[CONF_HOST], host), CONF_MAC: mac}
            )
        self._async_abort_entries_match({CONF_HOST: host})
        device, identity, errors = await self._async_try({CONF_HOST: host}, mac)
        if device is not None:
            await self.async_set_unique_id(identity)
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
            device, identity, errors = await self._async_try(data, self._discovered_mac)
            if device is not None:
                await self.async_set_unique_id(identity, raise_on_progress=False)
                self._abort_if_unique_id_configured(updates=found)
                return self._create_flir_entry(device, identity, data)
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
            device, identity, errors = await self._async_try(data, entry.data.get(CONF_MAC))
            if device is not None:
                await self.async_set_unique_id(identity)
                self._abort_if_unique_id_mismatch(reason="different_device")
                return self.async_update_reload_and_abort(
                    entry, data_updates={**user_input, **self._interface_data()}
                )
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
        """Move the same camera to a new address, or change its login (the form is `reconfigure`).

        The MAC address discovery found stays, and an empty password keeps the stored one of
        the same user (the form never shows it).
        """
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            kept = {CONF_MAC: entry.data[CONF_MAC]} if CONF_MAC in entry.data else {}
            data = {CONF_KIND: KIND_FLIR, **kept, **{k: v for k, v in user_input.items() if v}}
            if (
                CONF_PASSWORD not in data
                and entry.data.get(CONF_PASSWORD)
                and data.get(CONF_USERNAME) == entry.data.get(CONF_USERNAME)
            ):
                data[CONF_PASSWORD] = entry.data[CONF_PASSWORD]
            device, identity, errors = await self._async_try(data, entry.data.get(CONF_MAC))
            if device is not None:
                await self.async_set_unique_id(identity)
                self._abort_if_unique_id_mismatch(reason="different_device")
                return self.async_update_reload_and_abort(
                    entry, data={**data, **self._interface_data()}
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


class LenientNumberSelector(NumberSelector):
    """A number field that leaves NaN and infinity to the step, which refuses them translated.

    Home Assistant's number selector takes NaN (no comparison with a bound is true for it) and
    refuses infinity with an untranslated schema error; the steps check `non_finite` instead.
    """

    @override
    def __call__(self, data: Any) -> float:
        value = float(vol.Coerce(float)(data))
        return value if not math.isfinite(value) else super().__call__(value)


def non_finite(user_input: Mapping[str, Any]) -> dict[str, str]:
    """A `not_finite` error on each number field holding NaN or infinity."""
    return {
        key: "not_finite"
        for key, value in user_input.items()
        if isinstance(value, float) and not math.isfinite(value)
    }


def _optional_number(
    minimum: float, maximum: float, step: float, unit: str | None
) -> NumberSelector:
    config = NumberSelectorConfig(min=minimum, max=maximum, step=step, mode=NumberSelectorMode.BOX)
    if unit is not None:
        config["unit_of_measurement"] = unit
    return LenientNumberSelector(config)


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
        vol.Optional(
            CONF_TEMPERATURE_DEADBAND, default=DEFAULT_TEMPERATURE_DEADBAND
        ): _optional_number(0, MAX_TEMPERATURE_DEADBAND, 0.05, "°C"),
    }
)


def range_error(user_input: Mapping[str, Any]) -> dict[str, str]:
    """What is wrong with the fixed range of the thermal picture's colours."""
    low, high = user_input.get(CONF_RANGE_MIN), user_input.get(CONF_RANGE_MAX)
    if (low is None) != (high is None):
        return {"base": "range_incomplete"}
    if low is not None and high is not None and low >= high:
        return {"base": "range_inverted"}
    return {}


class FlirOptionsFlow(OptionsFlowWithReload):
    """RTSP stream, object parameter overrides, the thermal picture's look, the deadband."""

    async def async_step_ax8_options(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """An Ax8's options, which write its own object parameters (see `ax8_flow`)."""
        from .ax8_flow import async_step_ax8_options  # noqa: PLC0415 - it imports flow

        return await async_step_ax8_options(self, user_input, OPTIONS_SCHEMA)

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show and validate the options (an Ax8's: see `ax8_flow`)."""
        if is_ax8(self.config_entry.data):
            return await self.async_step_ax8_options()
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = non_finite(user_input) or range_error(user_input)
            if not errors:
                return self.async_create_entry(data=user_input)
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                OPTIONS_SCHEMA, user_input or self.config_entry.options
            ),
            errors=errors,
        )


AREA_KINDS = ["spot", "box", "line"]
COORDINATE = LenientNumberSelector(
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
        if errors := non_finite(user_input):
            return {}, errors
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
