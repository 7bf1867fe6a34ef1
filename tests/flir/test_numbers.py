"""Number fields refuse NaN and infinity with a translated error on the field.

Home Assistant's number selector lets NaN through (no comparison with a bound is true for it):
an emissivity of NaN made every temperature unknown, a NaN coordinate crashed the area flow.
"""

from typing import Any

import probatio as vol
import pytest
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.selector import NumberSelector
from homeassistant.helpers.translation import async_get_translations
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.flir_frigate.const import DOMAIN
from custom_components.flir_frigate.flir import flow as flir_flow
from custom_components.flir_frigate.flir.const import (
    CONF_AREA_KIND,
    CONF_DISTANCE,
    CONF_EMISSIVITY,
    CONF_RANGE_MAX,
    CONF_RANGE_MIN,
    CONF_REFLECTED_TEMP,
    CONF_TEMPERATURE_DEADBAND,
    CONF_X,
    CONF_X2,
    CONF_Y,
    CONF_Y2,
    SUBENTRY_AREA,
)
from custom_components.flir_frigate.frigate import flow as frigate_flow

NOT_FINITE = ["nan", "NaN", "inf", "-inf", "Infinity", float("nan"), float("inf")]
GOOD_OPTIONS = {
    CONF_EMISSIVITY: 0.95,
    CONF_REFLECTED_TEMP: 20.0,
    CONF_DISTANCE: 2.0,
    CONF_RANGE_MIN: 10.0,
    CONF_RANGE_MAX: 60.0,
    CONF_TEMPERATURE_DEADBAND: 0.5,
}
GOOD_AREA = {
    CONF_NAME: "Motor",
    CONF_AREA_KIND: "box",
    CONF_X: 2,
    CONF_Y: 2,
    CONF_X2: 9,
    CONF_Y2: 8,
}


def _number_fields(schema: vol.Schema) -> dict[str, Any]:
    return {
        str(key): value for key, value in schema.schema.items() if isinstance(value, NumberSelector)
    }


def _schemas(module: object) -> dict[str, vol.Schema]:
    return {name: value for name, value in vars(module).items() if isinstance(value, vol.Schema)}


def test_every_number_field_is_checked_in_its_step() -> None:
    """Each number field of the FLIR flows leaves NaN to the step; Frigate's flows have none."""
    fields = {
        f"{name}.{key}": validator
        for name, schema in _schemas(flir_flow).items()
        for key, validator in _number_fields(schema).items()
    }
    assert set(fields) == {f"OPTIONS_SCHEMA.{key}" for key in GOOD_OPTIONS} | {
        f"AREA_SCHEMA.{key}" for key in (CONF_X, CONF_Y, CONF_X2, CONF_Y2)
    }
    assert all(isinstance(v, flir_flow.LenientNumberSelector) for v in fields.values()), fields
    assert _schemas(frigate_flow)
    assert not [name for name, schema in _schemas(frigate_flow).items() if _number_fields(schema)]


def test_lenient_selector_keeps_the_bounds() -> None:
    """Finite numbers are still held to the field's bounds (and shown as a number field)."""
    selector = flir_flow.OPTIONS_SCHEMA.schema[
        next(key for key in flir_flow.OPTIONS_SCHEMA.schema if str(key) == CONF_EMISSIVITY)
    ]
    assert selector("0.5") == 0.5
    with pytest.raises(vol.Invalid):
        selector(2)
    assert selector.serialize()["selector"]["number"]["max"] == 1.0


async def test_not_finite_is_translated(hass: HomeAssistant) -> None:
    """The error is translated for the options and the area forms."""
    options = await async_get_translations(hass, "en", "options", [DOMAIN])
    areas = await async_get_translations(hass, "en", "config_subentries", [DOMAIN])
    assert "finite number" in options[f"component.{DOMAIN}.options.error.not_finite"]
    key = f"component.{DOMAIN}.config_subentries.{SUBENTRY_AREA}.error.not_finite"
    assert "finite number" in areas[key]


@pytest.mark.parametrize("value", NOT_FINITE)
@pytest.mark.parametrize("field", sorted(GOOD_OPTIONS))
async def test_options_refuse_not_finite(
    hass: HomeAssistant, smart_entry: MockConfigEntry, field: str, value: Any
) -> None:
    """NaN or infinity in any number option is refused on its field; good numbers are stored."""
    result = await hass.config_entries.options.async_init(smart_entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], GOOD_OPTIONS | {field: value}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {field: "not_finite"}
    assert smart_entry.options.get(field) is None
    result = await hass.config_entries.options.async_configure(result["flow_id"], GOOD_OPTIONS)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert {key: smart_entry.options[key] for key in GOOD_OPTIONS} == GOOD_OPTIONS


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", float("nan")])
@pytest.mark.parametrize("field", [CONF_X, CONF_Y, CONF_X2, CONF_Y2])
async def test_area_refuses_not_finite(
    hass: HomeAssistant, smart_entry: MockConfigEntry, field: str, value: Any
) -> None:
    """A NaN or infinite coordinate is refused on its field (it crashed the step before)."""
    result = await hass.config_entries.subentries.async_init(
        (smart_entry.entry_id, SUBENTRY_AREA), context={"source": SOURCE_USER}
    )
    configure = hass.config_entries.subentries.async_configure
    result = await configure(result["flow_id"], GOOD_AREA | {field: value})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {field: "not_finite"}
    result = await configure(result["flow_id"], GOOD_AREA)
    assert result["type"] is FlowResultType.CREATE_ENTRY

    # Moving the area refuses them the same way.
    await hass.async_block_till_done()
    subentry_id = next(iter(smart_entry.subentries))
    result = await smart_entry.start_subentry_reconfigure_flow(hass, subentry_id)
    result = await configure(result["flow_id"], GOOD_AREA | {field: value})
    assert result["errors"] == {field: "not_finite"}
