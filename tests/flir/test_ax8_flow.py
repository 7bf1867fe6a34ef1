"""An Ax8 in the config flow (found by probing), its options (its own object parameters),
its camera (live snapshot, RTSP with or without overlay) and its diagnostics."""

from unittest.mock import patch

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.camera import async_get_image, async_get_stream_source
from homeassistant.config_entries import SOURCE_RECONFIGURE, SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.flir_frigate.api.flir.exceptions import (
    FlirAuthenticationError,
    FlirConnectionError,
)
from custom_components.flir_frigate.const import CONF_KIND, DOMAIN, KIND_FLIR
from custom_components.flir_frigate.flir.const import (
    CONF_ATMOSPHERIC_TEMP,
    CONF_EMISSIVITY,
    CONF_HUMIDITY,
    CONF_IMAGE_INTERVAL,
    CONF_INTERFACE,
    CONF_PALETTE,
    CONF_RANGE_MAX,
    CONF_RANGE_MIN,
    CONF_REFLECTED_TEMP,
    CONF_RTSP_ENABLED,
    CONF_RTSP_OVERLAY,
    INTERFACE_AX8,
)
from tests.conftest import setup_entry
from tests.fakes.flir_camera import FakeFlirCamera
from tests.flir.ax8_common import (  # noqa: F401 - fixtures
    AX8_SERIAL,
    AX8_TITLE,
    ax8_entry,
    ax8_loaded,
    fake,
    flir_ax8,
)

ACCOUNT = {CONF_USERNAME: "admin", CONF_PASSWORD: "admin"}


async def _flir_form(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": KIND_FLIR}
    )
    return result["flow_id"]


async def test_found_by_probing(
    hass: HomeAssistant,
    flir_ax8: FakeFlirCamera,  # noqa: F811
) -> None:
    """No REST image endpoint, a resource tree: an Ax8, known by its still's serial number."""
    flow_id = await _flir_form(hass)
    host = f"127.0.0.1:{flir_ax8.port}"
    result = await hass.config_entries.flow.async_configure(flow_id, {CONF_HOST: host, **ACCOUNT})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == AX8_TITLE
    assert result["data"] == {
        CONF_KIND: KIND_FLIR,
        CONF_HOST: host,
        **ACCOUNT,
        CONF_INTERFACE: INTERFACE_AX8,
    }
    assert result["result"].unique_id == AX8_SERIAL
    assert flir_ax8.requests["/api/image/current"] == 1  # the REST endpoint was asked first
    await hass.async_block_till_done()


async def test_flow_setup_and_reloads_store_one_still(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    flir_ax8: FakeFlirCamera,  # noqa: F811
) -> None:
    """The flow's still serves the setup; reloads and a reconfigure store none within a minute."""
    flow_id = await _flir_form(hass)
    host = f"127.0.0.1:{flir_ax8.port}"
    result = await hass.config_entries.flow.async_configure(flow_id, {CONF_HOST: host, **ACCOUNT})
    await hass.async_block_till_done()
    entry = result["result"]
    state = fake(flir_ax8).state
    assert entry.state is ConfigEntryState.LOADED
    assert state.stores == 1
    for _ in range(3):
        assert await hass.config_entries.async_reload(entry.entry_id)
        await hass.async_block_till_done()
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": entry.entry_id}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: host, **ACCOUNT}
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert state.stores == 1
    freezer.tick(61)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert state.stores == 2  # a minute later: the next still
    assert state.files == {}


async def test_login_asked(
    hass: HomeAssistant,
    flir_ax8: FakeFlirCamera,  # noqa: F811
) -> None:
    """An Ax8 that wants its web login: refused without credentials, added with them."""
    fake(flir_ax8).state.require_login = True
    flow_id = await _flir_form(hass)
    host = f"127.0.0.1:{flir_ax8.port}"
    result = await hass.config_entries.flow.async_configure(flow_id, {CONF_HOST: host})
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(flow_id, {CONF_HOST: host, **ACCOUNT})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()


async def test_reconfigure_keeps_the_interface(
    hass: HomeAssistant,
    flir_ax8: FakeFlirCamera,  # noqa: F811
    ax8_loaded: MockConfigEntry,  # noqa: F811
) -> None:
    """Moving an Ax8 to another address keeps it an Ax8."""
    result = await ax8_loaded.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: f"http://127.0.0.1:{flir_ax8.port}", **ACCOUNT}
    )
    assert result["reason"] == "reconfigure_successful"
    assert ax8_loaded.data[CONF_INTERFACE] == INTERFACE_AX8
    assert ax8_loaded.data[CONF_HOST] == f"http://127.0.0.1:{flir_ax8.port}"
    await hass.async_block_till_done()


async def test_options_write_object_parameters(
    hass: HomeAssistant,
    flir_ax8: FakeFlirCamera,  # noqa: F811
    ax8_loaded: MockConfigEntry,  # noqa: F811
) -> None:
    """The form shows the camera's values; a changed one is written to the camera."""
    result = await hass.config_entries.options.async_init(ax8_loaded.entry_id)
    assert result["step_id"] == "ax8_options"
    schema = result["data_schema"].schema
    suggested = {str(key): key.description["suggested_value"] for key in schema if key.description}
    assert suggested[CONF_EMISSIVITY] == 0.95
    assert suggested[CONF_HUMIDITY] == 50
    assert suggested[CONF_REFLECTED_TEMP] == pytest.approx(20.0)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            CONF_RTSP_ENABLED: True,
            CONF_RTSP_OVERLAY: False,
            CONF_IMAGE_INTERVAL: 120,
            CONF_EMISSIVITY: 0.8,
            CONF_HUMIDITY: 30,
            CONF_ATMOSPHERIC_TEMP: 15.0,
            CONF_REFLECTED_TEMP: 20.0,
            CONF_PALETTE: "rainbow",
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    params = fake(flir_ax8).state.object_params
    assert params["emissivity"] == 0.8
    assert params["relHum"] == pytest.approx(0.3)
    assert params["atmTemp"] == pytest.approx(288.15)
    assert params["ambTemp"] == pytest.approx(293.15)  # unchanged
    await hass.async_block_till_done()
    assert CONF_EMISSIVITY not in ax8_loaded.options  # the camera keeps it, not the options
    assert ax8_loaded.options[CONF_IMAGE_INTERVAL] == 120
    assert ax8_loaded.runtime_data.client.image_interval == 120  # type: ignore[union-attr]
    assert ax8_loaded.runtime_data.coordinator.settings.overrides == {}


@pytest.mark.parametrize(
    ("failure", "error"),
    [(FlirConnectionError, "cannot_connect"), (FlirAuthenticationError, "invalid_auth")],
)
async def test_options_write_fails(
    hass: HomeAssistant,
    ax8_loaded: MockConfigEntry,  # noqa: F811
    failure: type[Exception],
    error: str,
) -> None:
    """A camera that does not take the values keeps the form open with the reason."""
    result = await hass.config_entries.options.async_init(ax8_loaded.entry_id)
    with patch(
        "custom_components.flir_frigate.api.flir.ax8.Ax8Client.set_object_parameters",
        side_effect=failure,
    ):
        result = await hass.config_entries.options.async_configure(
            result["flow_id"], {CONF_EMISSIVITY: 0.5}
        )
    assert result["errors"] == {"base": error}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_RANGE_MIN: 10.0}
    )
    assert result["errors"] == {"base": "range_incomplete"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_RANGE_MIN: 10.0, CONF_RANGE_MAX: 40.0}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()


async def test_options_of_an_unloaded_ax8(
    hass: HomeAssistant,
    flir_ax8: FakeFlirCamera,  # noqa: F811
) -> None:
    """Without the camera, the object parameters cannot be written; the rest can be saved."""
    entry = ax8_entry(flir_ax8)
    await flir_ax8.stop()
    await setup_entry(hass, entry)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_EMISSIVITY: 0.5}
    )
    assert result["errors"] == {"base": "not_loaded"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_IMAGE_INTERVAL: 30}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_camera_snapshot_and_stream(
    hass: HomeAssistant,
    flir_ax8: FakeFlirCamera,  # noqa: F811
) -> None:
    """Stills are the live snapshot (its session kept fresh); RTSP /avc without the overlay."""
    entry = ax8_entry(flir_ax8, options={CONF_RTSP_ENABLED: True, CONF_RTSP_OVERLAY: False})
    await setup_entry(hass, entry)
    entity_id = er.async_get(hass).async_get_entity_id(
        "camera", DOMAIN, f"{AX8_SERIAL}_thermal_camera"
    )
    assert entity_id is not None
    image = await async_get_image(hass, entity_id)
    assert image.content.startswith(b"\xff\xd8")
    assert flir_ax8.requests["/snapshot.jpg"] == 1
    assert fake(flir_ax8).state.sessions
    assert await async_get_stream_source(hass, entity_id) == (
        "rtsp://127.0.0.1:554/avc?overlay=off"
    )


async def test_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    ax8_loaded: MockConfigEntry,  # noqa: F811
) -> None:
    """The Ax8's stills and push, its tools and object parameters; no credentials."""
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, ax8_loaded)
    assert diagnostics["ax8"]["stills"] == 1
    assert diagnostics["ax8"]["image_interval"] == 60
    assert diagnostics["capabilities"]["interface"] == "ax8"
    assert diagnostics["measurements"]["object_parameters"]["emissivity"] == 0.95
    assert "admin" not in str(diagnostics)
