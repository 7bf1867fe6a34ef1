"""Snapshots of every Frigate platform's entities, and the update entity's logic."""

import datetime as dt

import pytest
from homeassistant.const import STATE_OFF, STATE_ON, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import snapshot_platform
from syrupy.assertion import SnapshotAssertion

from custom_components.flir_frigate.api.frigate.models import CameraConfig, FrigateStats
from custom_components.flir_frigate.frigate.camera import still_height
from custom_components.flir_frigate.frigate.coordinator import started_at
from custom_components.flir_frigate.frigate.sensor import _storage_used
from custom_components.flir_frigate.frigate.update import FrigateUpdate
from tests.fakes.frigate_server import FakeFrigateServer
from tests.frigate.common import FrigateFactory, loaded_frigate, make_frigate_entry, setup_frigate

FROZEN = "2026-11-21 12:00:00+00:00"
FROZEN_TS = dt.datetime.fromisoformat(FROZEN).timestamp()


def _seed_events(server: FakeFrigateServer) -> None:
    """A finished person at the front door ten minutes ago and a car there now."""
    server.create_event(
        "front_door",
        "person",
        zones=["porch"],
        in_progress=False,
        start_time=FROZEN_TS - 600,
        duration=12,
    )
    server.create_event("front_door", "car", zones=["driveway"], start_time=FROZEN_TS - 5)


@pytest.mark.freeze_time(FROZEN)
@pytest.mark.usefixtures("entity_registry_enabled_by_default", "frigate_tokens")
@pytest.mark.parametrize(
    "platform",
    [
        Platform.BINARY_SENSOR,
        Platform.CAMERA,
        Platform.EVENT,
        Platform.IMAGE,
        Platform.SENSOR,
        Platform.UPDATE,
    ],
)
async def test_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    device_registry: dr.DeviceRegistry,
    snapshot: SnapshotAssertion,
    frigate: FakeFrigateServer,
    platform: Platform,
) -> None:
    """The entities of a Frigate 0.17 with two cameras, one object in view."""
    _seed_events(frigate)
    entry = await setup_frigate(hass, make_frigate_entry(frigate), [platform])
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)
    devices = {
        device.id for device in dr.async_entries_for_config_entry(device_registry, entry.entry_id)
    }
    for entity in er.async_entries_for_config_entry(entity_registry, entry.entry_id):
        assert entity.device_id in devices


@pytest.mark.freeze_time(FROZEN)
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_sensors_of_0_18(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    frigate_factory: FrigateFactory,
) -> None:
    """0.18 adds connection quality and moves temperatures to the detectors."""
    server = await frigate_factory("0.18", cameras=("front_door",))
    entry = await setup_frigate(hass, make_frigate_entry(server), [Platform.SENSOR])
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)


@pytest.mark.parametrize(
    ("version", "state", "latest"),
    [("0.15", STATE_ON, "0.16.2"), ("0.18", STATE_OFF, "0.17.2")],
)
async def test_update(
    hass: HomeAssistant,
    frigate_factory: FrigateFactory,
    version: str,
    state: str,
    latest: str,
) -> None:
    """An older Frigate has an update; a beta newer than the latest release has none."""
    server = await frigate_factory(version)
    await setup_frigate(hass, make_frigate_entry(server))
    update = hass.states.get(loaded_frigate(hass, "update", ":update"))
    assert update.state == state
    assert update.attributes["latest_version"] == latest
    assert update.attributes["release_url"].endswith(f"/v{latest}")


@pytest.mark.parametrize(
    ("latest", "installed", "newer"),
    [
        ("0.18.0", "0.18.0-beta1", True),
        ("0.17.2", "0.18.0", False),
        ("0.100.0", "0.99.1", True),
        ("weird", "0.17.2", True),
        ("0.17.2", "0.17.2", False),
    ],
)
def test_version_is_newer(latest: str, installed: str, newer: bool) -> None:
    """Versions compare semantically; unparsable ones by text."""
    assert FrigateUpdate.version_is_newer(None, latest, installed) is newer  # type: ignore[arg-type]


def test_stats_values() -> None:
    """Values a server leaves out are unknown; the start time ignores rounding jitter."""
    stats = FrigateStats.from_dict(
        {"service": {"uptime": 100, "last_updated": 1_000_000, "storage": {"/x": {"total": 1}}}}
    )
    assert _storage_used(stats, "/x") is None
    started = started_at(stats, None)
    assert started == dt.datetime.fromtimestamp(999_900, dt.UTC)
    jitter = FrigateStats.from_dict({"service": {"uptime": 101, "last_updated": 1_000_000}})
    assert started_at(jitter, started) is started
    restarted = FrigateStats.from_dict({"service": {"uptime": 5, "last_updated": 1_000_000}})
    assert started_at(restarted, started) == dt.datetime.fromtimestamp(999_995, dt.UTC)
    assert started_at(FrigateStats.from_dict({"service": {}}), started) is None


def test_still_height() -> None:
    """A width alone is turned into a height by the detect aspect, when that is known."""
    config = CameraConfig.from_dict("cam", {"detect": {"width": 1280, "height": 720}})
    assert still_height(config, 640, None) == 360
    assert still_height(config, 640, 200) == 200
    assert still_height(config, None, None) is None
    assert still_height(CameraConfig.from_dict("cam", {}), 640, None) is None
