"""Entries of version 1.1 are migrated to 1.2: a Frigate entry's unique id is no longer its URL.

Entities and devices keep their ids (they are built from the entry id), so nothing else moves.
"""

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.flir_frigate.const import CONF_KIND, DOMAIN, KIND_FRIGATE
from custom_components.flir_frigate.frigate.const import CONF_URL, CONF_VERIFY_SSL
from tests.conftest import SMART_SERIAL, flir_entry, setup_entry
from tests.fakes.flir_camera import FakeFlirCamera
from tests.fakes.frigate_server import FakeFrigateServer

ENTRY_ID = "01RELEASE1FRIGATE000000000"


def _release_1_frigate(server: FakeFrigateServer, minor_version: int = 1) -> MockConfigEntry:
    """A Frigate entry as the first release stored it: its URL as unique id."""
    port = server.url.rsplit(":", 1)[1]
    return MockConfigEntry(
        domain=DOMAIN,
        entry_id=ENTRY_ID,
        title="Frigate 127.0.0.1",
        unique_id=f"http://127.0.0.1:{port}",
        minor_version=minor_version,
        data={CONF_KIND: KIND_FRIGATE, CONF_URL: server.url, CONF_VERIFY_SSL: True},
    )


async def test_frigate_unique_id_is_no_longer_the_url(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """The URL unique id becomes the entry id; entity and device ids are those of before."""
    entry = await setup_entry(hass, _release_1_frigate(frigate))
    assert entry.state is ConfigEntryState.LOADED
    assert entry.minor_version == 2
    assert entry.unique_id == ENTRY_ID
    unique_ids = {e.unique_id for e in er.async_entries_for_config_entry(entity_registry, ENTRY_ID)}
    assert f"{ENTRY_ID}:front_door:camera" in unique_ids
    assert all(unique_id.startswith(f"{ENTRY_ID}:") for unique_id in unique_ids)
    assert device_registry.async_get_device_by_identifier((DOMAIN, ENTRY_ID), ENTRY_ID)


async def test_flir_unique_id_stays(hass: HomeAssistant, flir_smart: FakeFlirCamera) -> None:
    """A FLIR entry's unique id is the camera's serial number already."""
    entry = await setup_entry(hass, flir_entry(flir_smart, SMART_SERIAL))
    assert entry.state is ConfigEntryState.LOADED
    assert entry.minor_version == 2
    assert entry.unique_id == SMART_SERIAL


async def test_newer_minor_version_is_left_alone(
    hass: HomeAssistant, frigate: FakeFrigateServer
) -> None:
    """An entry of a later minor version (stored by a newer release) loads unchanged."""
    entry = await setup_entry(hass, _release_1_frigate(frigate, minor_version=3))
    assert entry.state is ConfigEntryState.LOADED
    assert entry.minor_version == 3
    assert entry.unique_id.startswith("http://")
