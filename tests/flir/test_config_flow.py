"""Config flow: FLIR user, reauth, reconfigure, options, areas (DHCP in test_discovery.py)."""

from unittest.mock import patch

import pytest
from homeassistant.config_entries import SOURCE_USER, ConfigSubentryData
from homeassistant.const import CONF_HOST, CONF_MAC, CONF_NAME, CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.flir_frigate.const import CONF_KIND, DOMAIN, KIND_FLIR
from custom_components.flir_frigate.flir.const import (
    CONF_AREA_KIND,
    CONF_PALETTE,
    CONF_RANGE_MAX,
    CONF_RANGE_MIN,
    CONF_RTSP_ENABLED,
    CONF_X,
    CONF_X2,
    CONF_Y,
    CONF_Y2,
    SUBENTRY_AREA,
)
from tests.conftest import FLIR_PASSWORD, FLIR_USER, SMART_SERIAL, flir_entry, setup_entry
from tests.fakes.flir_camera import FakeFlirCamera


async def _flir_form(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.MENU
    assert KIND_FLIR in result["menu_options"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": KIND_FLIR}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "flir"
    return result["flow_id"]


async def test_user_flow(hass: HomeAssistant, flir_camera: FakeFlirCamera) -> None:
    """A camera of either profile is added with its serial number as unique id."""
    camera = flir_camera
    serial = camera.serial
    flow_id = await _flir_form(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_HOST: f"127.0.0.1:{camera.port}"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == f"{camera.model} {serial}"
    assert result["data"] == {CONF_KIND: KIND_FLIR, CONF_HOST: f"127.0.0.1:{camera.port}"}
    assert result["result"].unique_id == serial


async def test_user_flow_cannot_connect_then_recovers(
    hass: HomeAssistant, flir_smart: FakeFlirCamera
) -> None:
    """An unreachable host is reported, and the flow finishes once the host is right."""
    flow_id = await _flir_form(hass)
    await flir_smart.stop()
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_HOST: f"127.0.0.1:{flir_smart.port}"}
    )
    assert result["errors"] == {"base": "cannot_connect"}
    await flir_smart.start(port=flir_smart.port)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_HOST: f"127.0.0.1:{flir_smart.port}"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_not_flir_then_recovers(
    hass: HomeAssistant, flir_smart: FakeFlirCamera
) -> None:
    """A web server that is not a FLIR camera is refused."""
    flow_id = await _flir_form(hass)
    flir_smart.faults.not_flir = True
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_HOST: f"127.0.0.1:{flir_smart.port}"}
    )
    assert result["errors"] == {"base": "not_flir"}
    flir_smart.faults.not_flir = False
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_HOST: f"127.0.0.1:{flir_smart.port}"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_invalid_host_then_recovers(
    hass: HomeAssistant, flir_smart: FakeFlirCamera
) -> None:
    """A host that is not a host name, IP or URL is refused before any connection."""
    flow_id = await _flir_form(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_HOST: "http://bad host/??"}
    )
    assert result["errors"] == {CONF_HOST: "invalid_host"}
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_HOST: f"http://127.0.0.1:{flir_smart.port}"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_unknown_error_then_recovers(
    hass: HomeAssistant, flir_smart: FakeFlirCamera
) -> None:
    """A bug while connecting is reported as unknown, and the flow can still finish."""
    flow_id = await _flir_form(hass)
    with patch("custom_components.flir_frigate.flir.flow.async_detect", side_effect=RuntimeError):
        result = await hass.config_entries.flow.async_configure(
            flow_id, {CONF_HOST: f"127.0.0.1:{flir_smart.port}"}
        )
    assert result["errors"] == {"base": "unknown"}
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_HOST: f"127.0.0.1:{flir_smart.port}"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize("flir_protected", ["basic", "digest"], indirect=True)
async def test_user_flow_invalid_auth_then_recovers(
    hass: HomeAssistant, flir_protected: FakeFlirCamera
) -> None:
    """Wrong credentials are reported; the right ones finish the flow and are stored."""
    camera = flir_protected
    flow_id = await _flir_form(hass)
    host = f"127.0.0.1:{camera.port}"
    result = await hass.config_entries.flow.async_configure(flow_id, {CONF_HOST: host})
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_HOST: host, CONF_USERNAME: FLIR_USER, CONF_PASSWORD: "wrong"}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_HOST: host, CONF_USERNAME: FLIR_USER, CONF_PASSWORD: FLIR_PASSWORD}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_PASSWORD] == FLIR_PASSWORD


async def test_user_flow_already_configured(
    hass: HomeAssistant, smart_entry: MockConfigEntry, flir_smart: FakeFlirCamera
) -> None:
    """The same camera cannot be added twice."""
    flow_id = await _flir_form(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_HOST: f"127.0.0.1:{flir_smart.port}"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


@pytest.mark.parametrize("flir_protected", ["digest"], indirect=True)
async def test_reauth(hass: HomeAssistant, flir_protected: FakeFlirCamera) -> None:
    """New credentials are checked against the same camera and stored."""
    camera = flir_protected
    entry = await setup_entry(
        hass, flir_entry(camera, SMART_SERIAL, username=FLIR_USER, password=FLIR_PASSWORD)
    )
    result = await entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: FLIR_USER, CONF_PASSWORD: "wrong"}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    camera.password = "changed"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "admin", CONF_PASSWORD: "changed"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_PASSWORD] == "changed"


async def test_reconfigure(
    hass: HomeAssistant, flir_smart: FakeFlirCamera, smart_entry: MockConfigEntry
) -> None:
    """The camera moves to a new address; errors are shown and recovered from."""
    result = await smart_entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: "127.0.0.1:1"}
    )
    assert result["errors"] == {"base": "cannot_connect"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: f"http://127.0.0.1:{flir_smart.port}"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert smart_entry.data[CONF_HOST] == f"http://127.0.0.1:{flir_smart.port}"


MAC = "00:40:7f:12:34:56"


async def test_reconfigure_keeps_mac(hass: HomeAssistant, flir_smart: FakeFlirCamera) -> None:
    """The MAC address that discovery found stays when the same camera gets a new address."""
    entry = await setup_entry(hass, flir_entry(flir_smart, SMART_SERIAL, mac=MAC))
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: f"http://127.0.0.1:{flir_smart.port}"}
    )
    assert result["reason"] == "reconfigure_successful"
    assert entry.data == {
        CONF_KIND: KIND_FLIR,
        CONF_MAC: MAC,
        CONF_HOST: f"http://127.0.0.1:{flir_smart.port}",
    }


async def test_reconfigure_other_camera(
    hass: HomeAssistant, smart_entry: MockConfigEntry, flir_streaming: FakeFlirCamera
) -> None:
    """Pointing an entry at another camera is refused."""
    result = await smart_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: f"127.0.0.1:{flir_streaming.port}"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "different_device"


async def test_options(hass: HomeAssistant, smart_entry: MockConfigEntry) -> None:
    """Options are validated (fixed range) and stored; the entry reloads."""
    result = await hass.config_entries.options.async_init(smart_entry.entry_id)
    assert result["step_id"] == "init"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_RANGE_MIN: 20}
    )
    assert result["errors"] == {"base": "range_incomplete"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_RANGE_MIN: 50, CONF_RANGE_MAX: 20}
    )
    assert result["errors"] == {"base": "range_inverted"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {CONF_RANGE_MIN: 20, CONF_RANGE_MAX: 50, CONF_PALETTE: "rainbow", CONF_RTSP_ENABLED: True},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert smart_entry.options[CONF_PALETTE] == "rainbow"
    assert smart_entry.options[CONF_RANGE_MAX] == 50


async def _area_flow(hass: HomeAssistant, entry: MockConfigEntry) -> dict:
    return await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_AREA), context={"source": SOURCE_USER}
    )


async def test_area_subentry(
    hass: HomeAssistant, smart_entry: MockConfigEntry, flir_smart: FakeFlirCamera
) -> None:
    """Areas are validated against the image size; every error can be corrected."""
    result = await _area_flow(hass, smart_entry)
    assert result["type"] is FlowResultType.FORM
    assert result["description_placeholders"] == {
        "width": str(flir_smart.width),
        "height": str(flir_smart.height),
    }
    flow_id = result["flow_id"]
    configure = hass.config_entries.subentries.async_configure
    result = await configure(
        flow_id, {CONF_NAME: "Bearing", CONF_AREA_KIND: "box", CONF_X: 1, CONF_Y: 1}
    )
    assert result["errors"] == {"base": "end_point_required"}
    result = await configure(
        flow_id,
        {
            CONF_NAME: "Bearing",
            CONF_AREA_KIND: "box",
            CONF_X: 1,
            CONF_Y: 1,
            CONF_X2: flir_smart.width,
            CONF_Y2: 5,
        },
    )
    assert result["errors"] == {"base": "out_of_bounds"}
    result = await configure(
        flow_id,
        {
            CONF_NAME: "Bearing",
            CONF_AREA_KIND: "line",
            CONF_X: 3,
            CONF_Y: 3,
            CONF_X2: 3,
            CONF_Y2: 3,
        },
    )
    assert result["errors"] == {"base": "empty_area"}
    result = await configure(
        flow_id,
        {
            CONF_NAME: "Bearing",
            CONF_AREA_KIND: "box",
            CONF_X: 2,
            CONF_Y: 2,
            CONF_X2: 10,
            CONF_Y2: 8,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    subentry = next(iter(smart_entry.subentries.values()))
    assert subentry.title == "Bearing"
    assert dict(subentry.data) == {
        CONF_AREA_KIND: "box",
        CONF_X: 2,
        CONF_Y: 2,
        CONF_X2: 10,
        CONF_Y2: 8,
    }

    # A spot ignores an end point; reconfigure moves the area.
    result = await smart_entry.start_subentry_reconfigure_flow(hass, subentry.subentry_id)
    assert result["step_id"] == "reconfigure"
    result = await configure(
        result["flow_id"],
        {CONF_NAME: "Hot spot", CONF_AREA_KIND: "spot", CONF_X: flir_smart.width, CONF_Y: 4},
    )
    assert result["errors"] == {"base": "out_of_bounds"}
    result = await configure(
        result["flow_id"],
        {
            CONF_NAME: "Hot spot",
            CONF_AREA_KIND: "spot",
            CONF_X: 4,
            CONF_Y: 4,
            CONF_X2: 9,
            CONF_Y2: 9,
        },
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert dict(smart_entry.subentries[subentry.subentry_id].data) == {
        CONF_AREA_KIND: "spot",
        CONF_X: 4,
        CONF_Y: 4,
    }


async def test_area_needs_loaded_radiometric_camera(
    hass: HomeAssistant, flir_smart: FakeFlirCamera
) -> None:
    """Areas need a loaded camera; reconfiguring an area of an unloaded camera aborts too."""
    entry = flir_entry(flir_smart, SMART_SERIAL)
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=SMART_SERIAL,
        data=dict(entry.data),
        subentries_data=[
            ConfigSubentryData(
                data={CONF_AREA_KIND: "spot", CONF_X: 1, CONF_Y: 1},
                subentry_type=SUBENTRY_AREA,
                title="A",
                unique_id=None,
            )
        ],
    )
    entry.add_to_hass(hass)
    result = await _area_flow(hass, entry)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "not_loaded"
    subentry_id = next(iter(entry.subentries))
    result = await entry.start_subentry_reconfigure_flow(hass, subentry_id)
    assert result["reason"] == "not_loaded"


async def test_area_needs_radiometric_image(
    hass: HomeAssistant, smart_entry: MockConfigEntry
) -> None:
    """A camera without a radiometric image cannot measure areas locally."""
    smart_entry.runtime_data.device = type(smart_entry.runtime_data.device)(
        serial=SMART_SERIAL, model=None, width=None, height=None, radiometric=False
    )
    result = await _area_flow(hass, smart_entry)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "not_radiometric"
