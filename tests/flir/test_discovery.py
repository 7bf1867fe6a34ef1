"""DHCP discovery of FLIR cameras: confirm, credentials, known cameras, the MAC address."""

import pytest
from homeassistant.config_entries import SOURCE_DHCP, ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_MAC, CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.discovery_flow import DiscoveryKey
from homeassistant.helpers.service_info.dhcp import DhcpServiceInfo
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.flir_frigate.const import CONF_KIND, DOMAIN, KIND_FLIR
from custom_components.flir_frigate.flir.flow import moved_host
from tests.conftest import FLIR_PASSWORD, FLIR_USER, SMART_SERIAL, flir_entry, setup_entry
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


# --- a known MAC address: the entry is updated before any request -------------------------------

NEW_IP = "192.0.2.7"


def _known(camera: FakeFlirCamera, **data: str) -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        unique_id=SMART_SERIAL,
        data={CONF_KIND: KIND_FLIR, CONF_HOST: f"127.0.0.1:{camera.port}", **data},
    )


async def test_dhcp_known_mac_updates_host_without_login(
    hass: HomeAssistant, flir_protected: FakeFlirCamera
) -> None:
    """A configured camera that needs a login, seen at a new address, is not offered as new.

    Its MAC address is in the entry: the host is updated (scheme and port kept) and the flow
    ends without asking the camera anything, so no login is needed.
    """
    camera = flir_protected
    entry = _known(
        camera, **{CONF_USERNAME: FLIR_USER, CONF_PASSWORD: FLIR_PASSWORD, CONF_MAC: MAC}
    )
    entry.add_to_hass(hass)
    key = DiscoveryKey(domain="dhcp", key="00407f123456", version=1)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP, "discovery_key": key}, data=_dhcp(NEW_IP)
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_HOST] == f"http://{NEW_IP}:{camera.port}"
    assert entry.data[CONF_MAC] == MAC
    assert entry.data[CONF_PASSWORD] == FLIR_PASSWORD
    assert not camera.requests
    assert not hass.config_entries.flow.async_progress()
    assert entry.discovery_keys["dhcp"] == (key,)


async def test_dhcp_known_mac_on_device(
    hass: HomeAssistant, flir_protected: FakeFlirCamera, device_registry: dr.DeviceRegistry
) -> None:
    """The MAC address on the camera's device (not in the entry data) is recognized too."""
    camera = flir_protected
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=SMART_SERIAL,
        data={CONF_KIND: KIND_FLIR, CONF_HOST: "192.0.2.1", CONF_USERNAME: FLIR_USER},
    )
    entry.add_to_hass(hass)
    device_registry.async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, SMART_SERIAL)},
        connections={(dr.CONNECTION_NETWORK_MAC, MAC)},
    )
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=_dhcp(NEW_IP)
    )
    assert result["reason"] == "already_configured"
    assert entry.data == {
        CONF_KIND: KIND_FLIR,
        CONF_HOST: NEW_IP,
        CONF_USERNAME: FLIR_USER,
        CONF_MAC: MAC,
    }
    assert not camera.requests


async def test_dhcp_mac_of_other_devices_is_not_a_camera(
    hass: HomeAssistant, flir_smart: FakeFlirCamera, device_registry: dr.DeviceRegistry
) -> None:
    """The MAC address on a device of another integration, or of a Frigate entry, matches none."""
    other = MockConfigEntry(domain="other_integration")
    other.add_to_hass(hass)
    device_registry.async_get_or_create(
        config_entry_id=other.entry_id, connections={(dr.CONNECTION_NETWORK_MAC, MAC)}
    )
    frigate = MockConfigEntry(
        domain=DOMAIN, unique_id="nvr", data={CONF_KIND: "frigate", CONF_MAC: MAC}
    )
    frigate.add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=_dhcp(f"127.0.0.1:{flir_smart.port}")
    )
    assert result["step_id"] == "dhcp_confirm"
    assert flir_smart.requests


async def test_dhcp_known_mac_reloads_camera(
    hass: HomeAssistant, flir_smart: FakeFlirCamera
) -> None:
    """A loaded camera whose address changed is reloaded at the new one."""
    entry = await setup_entry(hass, flir_entry(flir_smart, SMART_SERIAL, mac=MAC))
    assert entry.state is ConfigEntryState.LOADED
    # The fake listens on loopback, so the "new" address is the same with a scheme added.
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=_dhcp("127.0.0.1")
    )
    assert result["reason"] == "already_configured"
    await hass.async_block_till_done()
    assert entry.data[CONF_HOST] == f"http://127.0.0.1:{flir_smart.port}"
    assert entry.state is ConfigEntryState.LOADED


@pytest.mark.parametrize(
    ("stored", "moved"),
    [
        ("192.0.2.1", NEW_IP),
        ("http://192.0.2.1", NEW_IP),
        ("flir-a400.local", NEW_IP),
        ("192.0.2.1:8080", f"http://{NEW_IP}:8080"),
        ("https://192.0.2.1", f"https://{NEW_IP}"),
        ("http://192.0.2.1/camera/api/image/current", f"http://{NEW_IP}/camera"),
        ("http://bad host/??", NEW_IP),
    ],
)
def test_moved_host(stored: str, moved: str) -> None:
    """The discovered IP replaces the host; scheme, port and path stay; nonsense is replaced."""
    assert moved_host(stored, NEW_IP) == moved
