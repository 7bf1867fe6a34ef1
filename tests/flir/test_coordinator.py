"""Polling: unavailable and back, per-ROI failures, one /alarms request, rediscovery, bad frames."""

import logging

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.flir_frigate.api.flir.exceptions import FlirAuthenticationError
from custom_components.flir_frigate.const import DOMAIN
from tests.conftest import (
    FLIR_PASSWORD,
    FLIR_USER,
    SMART_SERIAL,
    STREAMING_SERIAL,
    advance,
    flir_entry,
    setup_entry,
)
from tests.fakes.flir_camera import FakeFlirCamera


def _entity(entity_registry: er.EntityRegistry, platform: str, serial: str, suffix: str) -> str:
    entity_id = entity_registry.async_get_entity_id(platform, DOMAIN, f"{serial}_{suffix}")
    assert entity_id is not None, suffix
    return entity_id


async def test_unavailable_and_back(
    hass: HomeAssistant,
    flir_smart: FakeFlirCamera,
    smart_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An unplugged camera makes every entity unavailable, logged once, and they come back."""
    spot = _entity(entity_registry, "sensor", SMART_SERIAL, "spot_1_spot_temperature")
    frame_max = _entity(entity_registry, "sensor", SMART_SERIAL, "frame_max")
    assert hass.states.get(spot).state not in (STATE_UNAVAILABLE, STATE_UNKNOWN)
    port = flir_smart.port
    caplog.clear()
    await flir_smart.stop()
    with caplog.at_level(logging.INFO):
        await advance(hass, freezer)
        await advance(hass, freezer)
        await advance(hass, freezer)
    assert hass.states.get(spot).state == STATE_UNAVAILABLE
    assert hass.states.get(frame_max).state == STATE_UNAVAILABLE
    failures = [
        r
        for r in caplog.records
        if r.name.startswith("custom_components.flir_frigate") and r.levelno >= logging.ERROR
    ]
    assert len(failures) == 1
    await flir_smart.start(port=port)
    caplog.clear()
    with caplog.at_level(logging.INFO):
        await advance(hass, freezer)
    assert hass.states.get(spot).state not in (STATE_UNAVAILABLE, STATE_UNKNOWN)
    assert hass.states.get(frame_max).state not in (STATE_UNAVAILABLE, STATE_UNKNOWN)
    assert sum("recovered" in r.getMessage() for r in caplog.records) == 1


@pytest.mark.parametrize("flir_protected", ["basic", "digest"], indirect=True)
async def test_credentials_refused_mid_session(
    hass: HomeAssistant,
    flir_protected: FakeFlirCamera,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
) -> None:
    """A camera that starts refusing the credentials starts reauth; new ones bring it back."""
    camera = flir_protected
    entry = await setup_entry(
        hass, flir_entry(camera, SMART_SERIAL, username=FLIR_USER, password=FLIR_PASSWORD)
    )
    spot = _entity(entity_registry, "sensor", SMART_SERIAL, "spot_1_spot_temperature")
    assert hass.states.get(spot).state not in (STATE_UNAVAILABLE, STATE_UNKNOWN)
    assert not hass.config_entries.flow.async_progress()

    camera.password = "rotated"
    await advance(hass, freezer)
    coordinator = entry.runtime_data.coordinator
    assert not coordinator.last_update_success
    error = coordinator.last_exception
    assert isinstance(error, ConfigEntryAuthFailed)
    assert error.translation_key == "invalid_auth"
    assert isinstance(error.__cause__, FlirAuthenticationError)
    assert error.translation_placeholders == {"error": str(error.__cause__)}
    assert hass.states.get(spot).state == STATE_UNAVAILABLE
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert flows[0]["context"]["entry_id"] == entry.entry_id

    await advance(hass, freezer)  # still refused: still one reauth flow
    assert len(hass.config_entries.flow.async_progress_by_handler(DOMAIN)) == 1

    result = await hass.config_entries.flow.async_configure(
        flows[0]["flow_id"], {CONF_USERNAME: FLIR_USER, CONF_PASSWORD: "rotated"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert entry.data[CONF_PASSWORD] == "rotated"
    assert hass.states.get(spot).state not in (STATE_UNAVAILABLE, STATE_UNKNOWN)


async def test_one_alarms_request_per_cycle(
    hass: HomeAssistant,
    flir_smart: FakeFlirCamera,
    smart_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Alarms are read with one /alarms request per cycle, never one per alarm."""
    flir_smart.requests.clear()
    await advance(hass, freezer)
    assert flir_smart.requests["/api/alarms"] == 1
    assert not any(path.startswith("/api/alarm/") for path in flir_smart.requests)


async def test_roi_failure_does_not_fail_cycle(
    hass: HomeAssistant,
    flir_smart: FakeFlirCamera,
    smart_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
) -> None:
    """A deleted ROI goes unavailable and is rediscovered; the others keep their values."""
    spot2 = _entity(entity_registry, "sensor", SMART_SERIAL, "spot_2_spot_temperature")
    spot1 = _entity(entity_registry, "sensor", SMART_SERIAL, "spot_1_spot_temperature")
    flir_smart.delete_roi("spot", 2)
    await advance(hass, freezer)
    await advance(hass, freezer)
    assert hass.states.get(spot2).state == STATE_UNAVAILABLE
    assert hass.states.get(spot1).state not in (STATE_UNAVAILABLE, STATE_UNKNOWN)


async def test_malformed_json_keeps_entities(
    hass: HomeAssistant,
    flir_smart: FakeFlirCamera,
    smart_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
) -> None:
    """Malformed JSON from the camera loses nothing permanently: values come back."""
    spot1 = _entity(entity_registry, "sensor", SMART_SERIAL, "spot_1_spot_temperature")
    flir_smart.faults.malformed_json = True
    await advance(hass, freezer)
    flir_smart.faults.malformed_json = False
    await advance(hass, freezer)
    assert hass.states.get(spot1).state not in (STATE_UNAVAILABLE, STATE_UNKNOWN)


async def test_truncated_frame(
    hass: HomeAssistant,
    flir_streaming: FakeFlirCamera,
    streaming_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A truncated radiometric frame makes the frame sensors unavailable until a good one arrives."""
    frame_max = _entity(entity_registry, "sensor", STREAMING_SERIAL, "frame_max")
    flir_streaming.faults.truncated_image = True
    await advance(hass, freezer)
    await advance(hass, freezer)
    assert hass.states.get(frame_max).state == STATE_UNAVAILABLE
    assert sum("Unusable thermal frame" in r.getMessage() for r in caplog.records) == 1
    flir_streaming.faults.truncated_image = False
    await advance(hass, freezer)
    assert float(hass.states.get(frame_max).state) > 0


async def test_server_errors_are_retried(
    hass: HomeAssistant,
    flir_smart: FakeFlirCamera,
    smart_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """A camera that is briefly busy (503 with Retry-After) does not make entities unavailable."""
    assert await async_setup_component(hass, "homeassistant", {})
    spot1 = _entity(entity_registry, "sensor", SMART_SERIAL, "spot_1_spot_temperature")
    flir_smart.faults.status = 503
    flir_smart.faults.status_count = 1
    flir_smart.requests.clear()
    await hass.services.async_call(
        "homeassistant", "update_entity", {"entity_id": spot1}, blocking=True
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert flir_smart.requests["/api/spot/1.json"] >= 1
    assert hass.states.get(spot1).state not in (STATE_UNAVAILABLE, STATE_UNKNOWN)
    assert smart_entry.runtime_data.coordinator.last_update_success


def test_camera_tools_are_outlined() -> None:
    """The measurement tools embedded in a radiometric image become outlines on the picture."""
    from pathlib import Path

    import numpy as np

    from custom_components.flir_frigate.api.flir.encode import encode_rjpeg
    from custom_components.flir_frigate.api.flir.measure import Area
    from custom_components.flir_frigate.api.flir.rjpeg import MeasurementTool, decode_rjpeg
    from custom_components.flir_frigate.flir.coordinator import tool_areas

    ax8 = decode_rjpeg((Path(__file__).parents[1] / "api/flir/fixtures/ax8.jpg").read_bytes())
    assert tool_areas(ax8) == (Area(kind="box", x=1, y=1, x2=78, y2=58),)

    tools = (
        MeasurementTool(kind="spot", label="1", params=(5, 6)),
        MeasurementTool(kind="line", label="2", params=(0, 0, 9, 9)),
        MeasurementTool(kind="box", label="3", params=(30, 30, 50, 50)),  # leaves the frame
        MeasurementTool(kind="ellipse", label="4", params=(1, 1, 2, 2, 3, 3)),
    )
    image = decode_rjpeg(encode_rjpeg(np.full((20, 40), 25.0), tools=tools))
    assert tool_areas(image) == (
        Area(kind="spot", x=5, y=6),
        Area(kind="line", x=0, y=0, x2=9, y2=9),
    )
