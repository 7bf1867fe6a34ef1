"""DHCP discovery of FLIR cameras: confirm, credentials, known cameras, the MAC address."""

from homeassistant.config_entries import SOURCE_DHCP
from homeassistant.const import CONF_HOST, CONF_MAC, CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.service_info.dhcp import DhcpServiceInfo
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.flir_frigate.const import CONF_KIND, DOMAIN, KIND_FLIR
from tests.conftest import FLIR_PASSWORD, FLIR_USER, SMART_SERIAL, flir_entry
from tests.fakes.flir_camera import FakeFlirCamera

MAC = "00:40:7f:12:34:56"


def _dhcp(ip: str = "127.0.0.1") -> DhcpServiceInfo:
    return DhcpServiceInfo(ip=ip, hostname="flir-a400", macaddress="00407f123456")


async def test_dhcp_discovery(
    hass: HomeAssistant, flir_smart: FakeFlirCamera, device_registry: dr.DeviceRegistry
) -> None:
    """A discovered camera is added after the user confirms it; its device has the MAC address."""
    # The fake listens on a random port, so the "IP" carries it; real discoveries are plain IPs.
    info = _dhcp(f"127.0.0.1:{flir_smart.port}")
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=info
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "dhcp_confirm"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    assert entry.unique_id == SMART_SERIAL
    assert result["data"] == {
        CONF_KIND: KIND_FLIR,
        CONF_HOST: f"127.0.0.1:{flir_smart.port}",
        CONF_MAC: MAC,
    }
    await hass.async_block_till_done()
    device = device_registry.async_get_device_by_identifier((DOMAIN, SMART_SERIAL), entry.entry_id)
    assert device is not None
    assert device.connections == {(dr.CONNECTION_NETWORK_MAC, MAC)}
    # Every entity is on that one device, none on a device of its own
    devices = dr.async_entries_for_config_entry(device_registry, entry.entry_id)
    assert [d.id for d in devices] == [device.id]


async def test_user_added_camera_has_no_mac(
    hass: HomeAssistant, smart_entry: MockConfigEntry, device_registry: dr.DeviceRegistry
) -> None:
    """A camera added by its address has no MAC address to register."""
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, SMART_SERIAL), smart_entry.entry_id
    )
    assert device is not None
    assert device.connections == set()


async def test_dhcp_updates_host_of_known_camera(
    hass: HomeAssistant, flir_smart: FakeFlirCamera
) -> None:
    """A known camera seen at a new address gets its host updated."""
    entry = flir_entry(flir_smart, SMART_SERIAL)
    entry = MockConfigEntry(
        domain=DOMAIN, unique_id=SMART_SERIAL, data={**entry.data, CONF_HOST: "192.0.2.1"}
    )
    entry.add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=_dhcp(f"127.0.0.1:{flir_smart.port}")
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_HOST] == f"127.0.0.1:{flir_smart.port}"
    assert entry.data[CONF_MAC] == MAC


async def test_dhcp_known_host_aborts(hass: HomeAssistant, flir_smart: FakeFlirCamera) -> None:
    """A host that already has an entry is not probed again."""
    flir_entry(flir_smart, SMART_SERIAL).add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=_dhcp(f"127.0.0.1:{flir_smart.port}")
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_dhcp_unreachable_aborts(hass: HomeAssistant, flir_smart: FakeFlirCamera) -> None:
    """A discovered device that does not answer is dropped."""
    await flir_smart.stop()
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=_dhcp(f"127.0.0.1:{flir_smart.port}")
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "cannot_connect"


async def test_dhcp_with_credentials(hass: HomeAssistant, flir_protected: FakeFlirCamera) -> None:
    """A discovered camera that needs a login asks for it in the confirm step."""
    camera = flir_protected
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=_dhcp(f"127.0.0.1:{camera.port}")
    )
    assert result["step_id"] == "dhcp_confirm"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: FLIR_USER, CONF_PASSWORD: "wrong"}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: FLIR_USER, CONF_PASSWORD: FLIR_PASSWORD}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == SMART_SERIAL
    assert result["data"][CONF_MAC] == MAC


async def test_dhcp_with_credentials_known_camera(
    hass: HomeAssistant, flir_protected: FakeFlirCamera
) -> None:
    """A known camera that needs a login, seen at a new address, gets its host and MAC updated."""
    camera = flir_protected
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=SMART_SERIAL,
        data={CONF_KIND: KIND_FLIR, CONF_HOST: "192.0.2.1", CONF_USERNAME: FLIR_USER},
    )
    entry.add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=_dhcp(f"127.0.0.1:{camera.port}")
    )
    assert result["step_id"] == "dhcp_confirm"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: FLIR_USER, CONF_PASSWORD: FLIR_PASSWORD}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data == {
        CONF_KIND: KIND_FLIR,
        CONF_HOST: f"127.0.0.1:{camera.port}",
        CONF_USERNAME: FLIR_USER,
        CONF_MAC: MAC,
    }
