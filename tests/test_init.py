"""Setting up and unloading FLIR entries."""

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState, ConfigSubentryData
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.flir_frigate.const import DOMAIN
from custom_components.flir_frigate.flir.const import CONF_AREA_KIND, CONF_X, CONF_Y, SUBENTRY_AREA
from tests.conftest import FLIR_USER, SMART_SERIAL, flir_entry, setup_entry
from tests.fakes.flir_camera import FakeFlirCamera


async def test_load_unload(
    hass: HomeAssistant, smart_entry: MockConfigEntry, device_registry: dr.DeviceRegistry
) -> None:
    """The entry loads, creates the camera's device and unloads cleanly."""
    assert smart_entry.state is ConfigEntryState.LOADED
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, SMART_SERIAL), smart_entry.entry_id
    )
    assert device is not None
    assert device.serial_number == SMART_SERIAL
    assert device.manufacturer == "Teledyne FLIR"
    assert await hass.config_entries.async_unload(smart_entry.entry_id)
    assert smart_entry.state is ConfigEntryState.NOT_LOADED


async def test_not_ready_when_unreachable(hass: HomeAssistant, flir_smart: FakeFlirCamera) -> None:
    """An unreachable camera retries setup later."""
    await flir_smart.stop()
    entry = await setup_entry(hass, flir_entry(flir_smart, SMART_SERIAL))
    assert entry.state is ConfigEntryState.SETUP_RETRY


async def test_auth_failure_starts_reauth(
    hass: HomeAssistant, flir_protected: FakeFlirCamera
) -> None:
    """Refused credentials fail setup and start a reauth flow."""
    camera = flir_protected
    entry = await setup_entry(
        hass, flir_entry(camera, SMART_SERIAL, username=FLIR_USER, password="old")
    )
    assert entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_area_subentry_creates_sensors_and_reload(
    hass: HomeAssistant, flir_smart: FakeFlirCamera, entity_registry: er.EntityRegistry
) -> None:
    """An area subentry gets its own device and sensors; removing it removes them."""
    entry = flir_entry(flir_smart, SMART_SERIAL)
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=SMART_SERIAL,
        title=entry.title,
        data=dict(entry.data),
        subentries_data=[
            ConfigSubentryData(
                data={CONF_AREA_KIND: "spot", CONF_X: 5, CONF_Y: 5},
                subentry_type=SUBENTRY_AREA,
                title="Motor",
                unique_id=None,
            )
        ],
    )
    await setup_entry(hass, entry)
    subentry_id = next(iter(entry.subentries))
    entity_id = entity_registry.async_get_entity_id(
        "sensor", DOMAIN, f"{SMART_SERIAL}_area_{subentry_id}_avg"
    )
    assert entity_id is not None
    assert hass.states.get(entity_id).state not in ("unavailable", "unknown")
    hass.config_entries.async_remove_subentry(entry, subentry_id)
    await hass.async_block_till_done()
    assert (
        entity_registry.async_get_entity_id(
            "sensor", DOMAIN, f"{SMART_SERIAL}_area_{subentry_id}_avg"
        )
        is None
    )
    assert entry.state is ConfigEntryState.LOADED
