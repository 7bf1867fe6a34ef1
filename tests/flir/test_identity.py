"""A FLIR camera is its serial number, else its MAC address; never its address.

Covers the flow's refusal of a camera with neither, cameras identified by MAC, and the README's
promise that "a camera that moves to a new address keeps its entities (⋮ > Reconfigure)".
"""

from collections.abc import AsyncGenerator
from dataclasses import replace

import pytest
from homeassistant.config_entries import (
    SOURCE_DHCP,
    SOURCE_RECONFIGURE,
    SOURCE_USER,
    ConfigEntryState,
)
from homeassistant.const import (
    CONF_HOST,
    CONF_MAC,
    CONF_PASSWORD,
    CONF_USERNAME,
    STATE_UNAVAILABLE,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.service_info.dhcp import DhcpServiceInfo
from homeassistant.helpers.translation import async_get_translations
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.flir_frigate.const import CONF_KIND, DOMAIN, KIND_FLIR
from tests.conftest import FLIR_PASSWORD, FLIR_USER, SMART_SERIAL, flir_entry, setup_entry
from tests.fakes.flir_camera import FakeFlirCamera

MAC = "00:40:7f:12:34:56"


def _without_serial(camera: FakeFlirCamera) -> FakeFlirCamera:
    """The camera's radiometric image names no serial number (before it serves its first one)."""
    assert not camera.requests
    camera.camera_info = replace(camera.camera_info, serial="")
    return camera


@pytest.fixture
async def moved_camera(socket_enabled: None) -> AsyncGenerator[FakeFlirCamera]:
    """The smart-sensor camera again (same serial number), listening on another port."""
    camera = FakeFlirCamera(profile="smart_sensor", serial=SMART_SERIAL, drift=False)
    await camera.start()
    yield camera
    await camera.stop()


async def _user_flow(hass: HomeAssistant, host: str) -> dict:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": KIND_FLIR}
    )
    return await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_HOST: host})


async def test_camera_without_serial_is_refused(
    hass: HomeAssistant, flir_smart: FakeFlirCamera, flir_streaming: FakeFlirCamera
) -> None:
    """Without a serial number (and no MAC from discovery) the flow says so, not the URL."""
    _without_serial(flir_smart)
    result = await _user_flow(hass, f"127.0.0.1:{flir_smart.port}")
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "no_serial"}
    assert not hass.config_entries.async_entries(DOMAIN)
    texts = await async_get_translations(hass, "en", "config", [DOMAIN])
    message = texts[f"component.{DOMAIN}.config.error.no_serial"]
    assert "serial number" in message
    assert "MAC address" in message

    # A camera that tells its serial number can be added from the same form.
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: f"127.0.0.1:{flir_streaming.port}"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == flir_streaming.serial


async def test_discovered_camera_without_serial_is_its_mac(
    hass: HomeAssistant,
    flir_smart: FakeFlirCamera,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """DHCP tells the MAC address: it identifies a camera without serial, entry and entities."""
    _without_serial(flir_smart)
    info = DhcpServiceInfo(
        ip=f"127.0.0.1:{flir_smart.port}", hostname="flir", macaddress=MAC.replace(":", "")
    )
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=info
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    assert entry.unique_id == MAC
    assert entry.title == f"{flir_smart.model} {MAC}"
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    device = device_registry.async_get_device_by_identifier((DOMAIN, MAC), entry.entry_id)
    assert device is not None
    assert device.connections == {(dr.CONNECTION_NETWORK_MAC, MAC)}
    unique_ids = [
        e.unique_id for e in er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    ]
    assert unique_ids
    assert all(unique_id.startswith(f"{MAC}_") for unique_id in unique_ids)
    assert not [u for u in unique_ids if "127.0.0.1" in u or str(flir_smart.port) in u]

    # Reconfigured to a new address, the camera without serial keeps its MAC identity.
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": entry.entry_id}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: f"http://127.0.0.1:{flir_smart.port}"}
    )
    assert result["reason"] == "reconfigure_successful"
    assert entry.unique_id == MAC
    assert entry.data[CONF_MAC] == MAC


async def test_reconfigure_to_camera_without_serial(
    hass: HomeAssistant,
    smart_entry: MockConfigEntry,
    flir_smart: FakeFlirCamera,
    moved_camera: FakeFlirCamera,
) -> None:
    """A camera known by serial cannot be confirmed at an address where none is told."""
    result = await smart_entry.start_reconfigure_flow(hass)
    _without_serial(moved_camera)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: f"127.0.0.1:{moved_camera.port}"}
    )
    assert result["errors"] == {"base": "no_serial"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: f"127.0.0.1:{flir_smart.port}"}
    )
    assert result["reason"] == "reconfigure_successful"


async def test_moved_camera_keeps_its_entities(
    hass: HomeAssistant,
    smart_entry: MockConfigEntry,
    flir_smart: FakeFlirCamera,
    moved_camera: FakeFlirCamera,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """README: "a camera that moves to a new address keeps its entities (⋮ > Reconfigure)".

    The camera is gone from its old host and port; the same serial number answers elsewhere.
    """

    def entities() -> dict[str, str]:
        return {
            e.unique_id: e.entity_id
            for e in er.async_entries_for_config_entry(entity_registry, smart_entry.entry_id)
        }

    def devices() -> set[str]:
        return {
            d.id for d in dr.async_entries_for_config_entry(device_registry, smart_entry.entry_id)
        }

    before, devices_before = entities(), devices()
    available = {
        entity_id
        for entity_id in before.values()
        if (state := hass.states.get(entity_id)) and state.state != STATE_UNAVAILABLE
    }
    assert available
    await flir_smart.stop()
    new_host = f"127.0.0.1:{moved_camera.port}"
    assert moved_camera.port != flir_smart.port

    result = await smart_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: new_host}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()

    assert smart_entry.state is ConfigEntryState.LOADED
    assert smart_entry.data == {CONF_KIND: KIND_FLIR, CONF_HOST: new_host}
    assert smart_entry.unique_id == SMART_SERIAL
    assert entities() == before
    assert devices() == devices_before
    states = {entity_id: hass.states.get(entity_id) for entity_id in available}
    assert [
        entity_id
        for entity_id, state in states.items()
        if state is None or state.state == STATE_UNAVAILABLE
    ] == []
    assert moved_camera.requests


async def test_moved_camera_with_login_keeps_its_password(
    hass: HomeAssistant, flir_protected: FakeFlirCamera, moved_camera: FakeFlirCamera
) -> None:
    """The reconfigure form never shows the password: left empty, the stored one is used."""
    entry = await setup_entry(
        hass,
        flir_entry(flir_protected, SMART_SERIAL, username=FLIR_USER, password=FLIR_PASSWORD),
    )
    moved_camera.auth = "basic"
    moved_camera.username, moved_camera.password = FLIR_USER, FLIR_PASSWORD
    new_host = f"127.0.0.1:{moved_camera.port}"
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: new_host, CONF_USERNAME: FLIR_USER}
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert entry.data == {
        CONF_KIND: KIND_FLIR,
        CONF_HOST: new_host,
        CONF_USERNAME: FLIR_USER,
        CONF_PASSWORD: FLIR_PASSWORD,
    }
    assert entry.state is ConfigEntryState.LOADED

    # Another user does not get the stored user's password.
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: new_host, CONF_USERNAME: "someone-else"}
    )
    assert result["errors"] == {"base": "invalid_auth"}
