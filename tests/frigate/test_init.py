"""Setting up and unloading Frigate entries, on every supported Frigate version."""

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME, STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.flir_frigate.const import DOMAIN
from tests.conftest import advance
from tests.fakes.frigate_server import SUPPORTED_VERSIONS, FakeFrigateServer
from tests.frigate.common import (
    FRIGATE_ENTRY_ID,
    FRIGATE_USER,
    FrigateFactory,
    loaded_frigate,
    make_frigate_entry,
    setup_frigate,
)

VERSIONS_AND_AUTH = [(version, "none") for version in SUPPORTED_VERSIONS] + [
    (version, "login") for version in SUPPORTED_VERSIONS if int(version.split(".")[1]) >= 14
]


async def test_load_unload(
    hass: HomeAssistant, frigate_entry: MockConfigEntry, device_registry: dr.DeviceRegistry
) -> None:
    """A device for the server and one per camera, linked to it; unloading is clean."""
    assert frigate_entry.state is ConfigEntryState.LOADED
    server = device_registry.async_get_device_by_identifier(
        (DOMAIN, FRIGATE_ENTRY_ID), FRIGATE_ENTRY_ID
    )
    assert server is not None
    assert server.manufacturer == "Frigate"
    assert server.sw_version == "0.17.2-3d4dd3a"
    for camera, name in (("front_door", "Front Door"), ("backyard", "Backyard")):
        device = device_registry.async_get_device_by_identifier(
            (DOMAIN, f"{FRIGATE_ENTRY_ID}:{camera}"), FRIGATE_ENTRY_ID
        )
        assert device is not None
        assert device.name == name
        assert device.via_device_id == server.id
        assert device.configuration_url.endswith(f"/#{camera}")
    assert await hass.config_entries.async_unload(frigate_entry.entry_id)
    assert frigate_entry.state is ConfigEntryState.NOT_LOADED


async def test_not_ready_when_unreachable(hass: HomeAssistant, frigate: FakeFrigateServer) -> None:
    """An unreachable server retries setup later."""
    await frigate.stop()
    entry = await setup_frigate(hass, make_frigate_entry(frigate))
    assert entry.state is ConfigEntryState.SETUP_RETRY


async def test_not_ready_when_first_poll_fails(
    hass: HomeAssistant, frigate: FakeFrigateServer
) -> None:
    """A server that answers the probe but fails the first poll retries later."""
    frigate.faults.paths = ("/api/events",)
    frigate.faults.status = 500
    entry = await setup_frigate(hass, make_frigate_entry(frigate))
    assert entry.state is ConfigEntryState.SETUP_RETRY


async def test_not_ready_when_rate_limited(
    hass: HomeAssistant, frigate_login: FakeFrigateServer
) -> None:
    """A rate-limited login retries later and does not start a reauth."""
    frigate_login.faults.paths = ("/api/login",)
    frigate_login.faults.status = 429
    entry = await setup_frigate(hass, make_frigate_entry(frigate_login, credentials=True))
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert hass.config_entries.flow.async_progress() == []


async def test_auth_failure_starts_reauth(
    hass: HomeAssistant, frigate_login: FakeFrigateServer
) -> None:
    """Missing credentials on the authenticated port fail setup and start reauth."""
    entry = await setup_frigate(hass, make_frigate_entry(frigate_login))
    assert entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_unsupported_version(hass: HomeAssistant, frigate_factory: FrigateFactory) -> None:
    """A server downgraded below 0.12 fails setup for good."""
    server = await frigate_factory("0.11")
    entry = await setup_frigate(hass, make_frigate_entry(server))
    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert entry.reason is not None


async def test_inconsistent_data(hass: HomeAssistant, frigate: FakeFrigateServer) -> None:
    """Stored data that does not fit together fails setup without contacting the server."""
    entry = await setup_frigate(hass, make_frigate_entry(frigate, **{CONF_USERNAME: FRIGATE_USER}))
    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert sum(frigate.requests.values()) == 0


async def test_stale_camera_device_removed_at_setup(
    hass: HomeAssistant, frigate: FakeFrigateServer, device_registry: dr.DeviceRegistry
) -> None:
    """A camera device left from an earlier config is removed when the entry sets up."""
    entry = make_frigate_entry(frigate)
    entry.add_to_hass(hass)
    stale = device_registry.async_get_or_create(
        config_entry_id=entry.entry_id, identifiers={(DOMAIN, f"{entry.entry_id}:old_camera")}
    )
    await setup_frigate(hass, entry)
    assert device_registry.async_get(stale.id) is None


@pytest.mark.parametrize(("version", "auth"), VERSIONS_AND_AUTH)
async def test_every_version(
    hass: HomeAssistant,
    frigate_factory: FrigateFactory,
    freezer: FrozenDateTimeFactory,
    version: str,
    auth: str,
) -> None:
    """Every Frigate from 0.12 to 0.18 sets up, on both ports, and its events arrive."""
    server = await frigate_factory(version, auth=auth)
    entry = await setup_frigate(hass, make_frigate_entry(server, credentials=auth == "login"))
    assert entry.state is ConfigEntryState.LOADED
    minor = int(version.split(".")[1])

    assert hass.states.get(loaded_frigate(hass, "sensor", "front_door:camera_fps")).state == "5.0"
    assert hass.states.get(loaded_frigate(hass, "binary_sensor", "front_door:online")).state == (
        STATE_ON
    )
    temperature = "coral" if minor >= 18 else "apex_0"
    assert hass.states.get(loaded_frigate(hass, "sensor", f":temperature:{temperature}"))
    quality = loaded_frigate if minor >= 18 else None
    if quality is not None:
        state = hass.states.get(quality(hass, "sensor", "front_door:connection_quality"))
        assert state.state == "excellent"
    # Storage is MB up to 0.12 and MiB later: the sensor shows the same size.
    storage = hass.states.get(loaded_frigate(hass, "sensor", ":storage_used:dev_shm"))
    assert float(storage.state) == pytest.approx(0.0474, abs=0.0005)

    detected = loaded_frigate(hass, "binary_sensor", "front_door:label_detected:person")
    assert hass.states.get(detected).state == STATE_OFF
    server.create_event("front_door", "person")
    await advance(hass, freezer)
    assert hass.states.get(detected).state == STATE_ON
    event = hass.states.get(loaded_frigate(hass, "event", "front_door:events"))
    assert event.attributes["label"] == "person"
    assert (CONF_PASSWORD in entry.data) is (auth == "login")
