"""The options of an Ax8: its still interval, its RTSP overlay and its own object parameters.

An Ax8 measures with object parameters it keeps itself (emissivity, distance, reflected and
atmospheric temperature, humidity), and users tune them per scene. The form shows the
camera's current values and writes the changed ones to the camera, so its measurements, its
alarms and the temperatures of its radiometric stills follow; they are not kept as local
corrections in the options. The rest (palette, range, deadband) is as for other cameras.
"""

from collections.abc import Mapping
from typing import Any

import probatio as vol
from homeassistant.config_entries import ConfigFlowResult
from homeassistant.helpers.selector import NumberSelectorConfig, NumberSelectorMode

from ..api.flir.ax8 import Ax8Client
from ..api.flir.exceptions import FlirAuthenticationError, FlirError
from ..api.flir.models import CameraObjectParameters
from .const import (
    AX8_OBJECT_PARAMETERS,
    CONF_ATMOSPHERIC_TEMP,
    CONF_DISTANCE,
    CONF_EMISSIVITY,
    CONF_HUMIDITY,
    CONF_IMAGE_INTERVAL,
    CONF_PALETTE,
    CONF_RANGE_MAX,
    CONF_RANGE_MIN,
    CONF_REFLECTED_TEMP,
    CONF_RTSP_ENABLED,
    CONF_RTSP_OVERLAY,
    CONF_TEMPERATURE_DEADBAND,
    DEFAULT_IMAGE_INTERVAL,
    MAX_IMAGE_INTERVAL,
    MIN_IMAGE_INTERVAL,
)
from .flow import FlirOptionsFlow, LenientNumberSelector, non_finite, range_error


def _number(minimum: float, maximum: float, step: float, unit: str | None) -> LenientNumberSelector:
    config = NumberSelectorConfig(min=minimum, max=maximum, step=step, mode=NumberSelectorMode.BOX)
    if unit is not None:
        config["unit_of_measurement"] = unit
    return LenientNumberSelector(config)


def ax8_options_schema(shared: vol.Schema) -> vol.Schema:
    """The Ax8's fields, then the look and deadband fields of `shared` (the other cameras')."""
    kept = {CONF_PALETTE, CONF_RANGE_MIN, CONF_RANGE_MAX, CONF_TEMPERATURE_DEADBAND}
    return vol.Schema(
        {
            vol.Optional(CONF_RTSP_ENABLED, default=False): bool,
            vol.Optional(CONF_RTSP_OVERLAY, default=True): bool,
            vol.Optional(CONF_IMAGE_INTERVAL, default=DEFAULT_IMAGE_INTERVAL): _number(
                MIN_IMAGE_INTERVAL, MAX_IMAGE_INTERVAL, 1, "s"
            ),
            vol.Optional(CONF_EMISSIVITY): _number(0.01, 1.0, 0.01, None),
            vol.Optional(CONF_DISTANCE): _number(0, 1000, 0.1, "m"),
            vol.Optional(CONF_REFLECTED_TEMP): _number(-60, 500, 0.1, "°C"),
            vol.Optional(CONF_ATMOSPHERIC_TEMP): _number(-60, 500, 0.1, "°C"),
            vol.Optional(CONF_HUMIDITY): _number(0, 100, 1, "%"),
            **{key: value for key, value in shared.schema.items() if str(key) in kept},
        }
    )


def object_parameter_options(params: CameraObjectParameters | None) -> dict[str, float]:
    """The camera's object parameters as option values (humidity in %)."""
    if params is None:
        return {}
    values: dict[str, float] = {}
    for option, name in AX8_OBJECT_PARAMETERS.items():
        value = getattr(params, name)
        if value is not None:
            values[option] = round(value * 100 if option == CONF_HUMIDITY else value, 3)
    return values


def object_parameter_changes(
    current: Mapping[str, float], wanted: Mapping[str, Any]
) -> dict[str, float]:
    """The library's keyword arguments for the object parameters the user changed."""
    changes: dict[str, float] = {}
    for option, name in AX8_OBJECT_PARAMETERS.items():
        value = wanted.get(option)
        if value is None or current.get(option) == value:
            continue
        changes[name] = float(value) / 100 if option == CONF_HUMIDITY else float(value)
    return changes


async def async_step_ax8_options(
    flow: FlirOptionsFlow, user_input: dict[str, Any] | None, shared: vol.Schema
) -> ConfigFlowResult:
    """Show the Ax8's options; write the changed object parameters to the camera on submit."""
    entry = flow.config_entry
    runtime = getattr(entry, "runtime_data", None)
    client = None if runtime is None else runtime.client
    data = None if runtime is None else runtime.coordinator.data
    current = object_parameter_options(
        None if data is None else data.measurements.object_parameters
    )
    errors: dict[str, str] = {}
    if user_input is not None:
        errors = non_finite(user_input) or range_error(user_input)
        changes = object_parameter_changes(current, user_input)
        if not errors and changes:
            if not isinstance(client, Ax8Client):
                errors = {"base": "not_loaded"}
            else:
                try:
                    await client.set_object_parameters(**changes)
                except FlirAuthenticationError:
                    errors = {"base": "invalid_auth"}
                except FlirError:
                    errors = {"base": "cannot_connect"}
        if not errors:
            kept = {k: v for k, v in user_input.items() if k not in AX8_OBJECT_PARAMETERS}
            return flow.async_create_entry(data=kept)
    suggested = {**entry.options, **current, **(user_input or {})}
    return flow.async_show_form(
        step_id="ax8_options",
        data_schema=flow.add_suggested_values_to_schema(ax8_options_schema(shared), suggested),
        errors=errors,
    )
