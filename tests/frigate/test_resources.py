"""The server's resources as sensors: filesystems, recordings per camera, CPU, memory, fps."""

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_ON, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from custom_components.flir_frigate.const import DOMAIN
from tests.conftest import advance
from tests.fakes.frigate_server import FakeFrigateServer
from tests.frigate.common import (
    FRIGATE_ENTRY_ID,
    FrigateFactory,
    loaded_frigate,
    make_frigate_entry,
    setup_frigate,
)

STORAGE = "/api/recordings/storage"


def _has(hass: HomeAssistant, platform: str, unique_id: str) -> bool:
    registry = er.async_get(hass)
    return (
        registry.async_get_entity_id(platform, DOMAIN, f"{FRIGATE_ENTRY_ID}:{unique_id}")
        is not None
    )


def _value(hass: HomeAssistant, unique_id: str, platform: str = "sensor") -> str:
    return hass.states.get(loaded_frigate(hass, platform, unique_id)).state


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_one_sensor_per_filesystem(hass: HomeAssistant, frigate: FakeFrigateServer) -> None:
    """Recordings and clips share a disk: one free and one total sensor for both."""
    await setup_frigate(hass, make_frigate_entry(frigate), [Platform.SENSOR])
    free = hass.states.get(loaded_frigate(hass, "sensor", ":storage_free:media_frigate_recordings"))
    assert free.attributes["mounts"] == ["/media/frigate/recordings", "/media/frigate/clips"]
    assert free.attributes["mount_type"] == "ext4"
    assert free.attributes["unit_of_measurement"] == "GiB"
    assert float(free.state) == pytest.approx(541328.7 / 1024)
    total = _value(hass, ":storage_total:media_frigate_recordings")
    assert float(total) == pytest.approx(953674.3 / 1024)
    assert not _has(hass, "sensor", ":storage_free:media_frigate_clips")
    for mount in ("tmp_cache", "dev_shm"):  # memory filesystems: each its own
        assert _has(hass, "sensor", f":storage_free:{mount}")
        assert _has(hass, "sensor", f":storage_total:{mount}")
    # The used space per mount stays as it was (the same figure for both mounts of the disk).
    assert _value(hass, ":storage_used:media_frigate_clips") == _value(
        hass, ":storage_used:media_frigate_recordings"
    )


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_filesystem_in_mb_up_to_0_12(
    hass: HomeAssistant, frigate_factory: FrigateFactory
) -> None:
    """0.12 counted MB: the sensors still show the same space."""
    server = await frigate_factory("0.12")
    await setup_frigate(hass, make_frigate_entry(server), [Platform.SENSOR])
    total = _value(hass, ":storage_total:media_frigate_recordings")
    assert float(total) == pytest.approx(953674.3 / 1024, abs=0.01)


@pytest.mark.parametrize(("version", "friendly_name"), [("0.16", None), ("0.17", "Front Entrance")])
async def test_recordings_per_camera(
    hass: HomeAssistant,
    frigate_factory: FrigateFactory,
    freezer: FrozenDateTimeFactory,
    version: str,
    friendly_name: str | None,
) -> None:
    """Each camera's recordings, asked for every 5 minutes; 0.17 keys them by friendly name."""
    server = await frigate_factory(version)
    server.cameras["front_door"].friendly_name = friendly_name
    server.recordings_usage["backyard"] = None  # no recordings yet
    await setup_frigate(hass, make_frigate_entry(server), [Platform.SENSOR])
    state = hass.states.get(loaded_frigate(hass, "sensor", "front_door:recordings_size"))
    assert state.attributes["unit_of_measurement"] == "GiB"
    assert float(state.state) == pytest.approx(20480.25 / 1024)
    assert float(_value(hass, "backyard:recordings_size")) == 0
    assert server.requests[STORAGE] == 1
    server.recordings_usage["front_door"] = 30720.0
    for _ in range(8):  # 48 s: not due yet
        await advance(hass, freezer)
    assert server.requests[STORAGE] == 1
    await advance(hass, freezer, 300)
    assert server.requests[STORAGE] == 2
    assert float(_value(hass, "front_door:recordings_size")) == pytest.approx(30)


async def test_recordings_failure_keeps_the_last_sizes(
    hass: HomeAssistant, frigate: FakeFrigateServer, freezer: FrozenDateTimeFactory
) -> None:
    """A slow or failing recordings query fails neither the poll nor the sensors."""
    await setup_frigate(hass, make_frigate_entry(frigate), [Platform.SENSOR])
    before = _value(hass, "front_door:recordings_size")
    frigate.faults.paths = (STORAGE,)
    frigate.faults.status = 500
    await advance(hass, freezer, 301)
    assert frigate.requests[STORAGE] == 2
    assert _value(hass, "front_door:recordings_size") == before
    assert _value(hass, ":version") == frigate.version_string


async def test_recordings_refused(hass: HomeAssistant, frigate: FakeFrigateServer) -> None:
    """A role that may not read the recordings' sizes gets no such sensors, the rest works."""
    frigate.faults.paths = (STORAGE,)
    frigate.faults.status = 403
    await setup_frigate(hass, make_frigate_entry(frigate), [Platform.SENSOR])
    assert not _has(hass, "sensor", "front_door:recordings_size")
    assert _value(hass, ":version") == frigate.version_string


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize(
    ("version", "camera_cpu", "detector_cpu"),
    [("0.17", ("12.4", "3.1", "5.0"), "2.7"), ("0.18", ("1.0", "0.5", "2.0"), "3.0")],
)
async def test_cpu_memory_and_detection(
    hass: HomeAssistant,
    frigate_factory: FrigateFactory,
    version: str,
    camera_cpu: tuple[str, str, str],
    detector_cpu: str,
) -> None:
    """Per camera its ffmpeg, capture and detect CPU (by pid before 0.18), the detector's,
    memory, total detection fps and whether detection runs."""
    server = await frigate_factory(version)
    await setup_frigate(hass, make_frigate_entry(server), [Platform.SENSOR, Platform.BINARY_SENSOR])
    cpu = tuple(
        _value(hass, f"front_door:{key}") for key in ("ffmpeg_cpu", "capture_cpu", "detect_cpu")
    )
    assert cpu == camera_cpu
    assert _value(hass, ":detector_cpu:coral") == detector_cpu
    assert _value(hass, ":memory_usage") == "40.1"
    assert float(_value(hass, ":detection_fps")) == pytest.approx(0.4)
    assert _value(hass, "front_door:detection_enabled", "binary_sensor") == STATE_ON


async def test_cpu_sensors_disabled_by_default(
    hass: HomeAssistant, frigate: FakeFrigateServer
) -> None:
    await setup_frigate(hass, make_frigate_entry(frigate), [Platform.SENSOR])
    registry = er.async_get(hass)
    for unique_id in ("front_door:ffmpeg_cpu", ":detector_cpu:coral"):
        entry = registry.async_get(loaded_frigate(hass, "sensor", unique_id))
        assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert registry.async_get(loaded_frigate(hass, "sensor", ":memory_usage")).disabled_by is None


async def test_detection_enabled_before_0_14(
    hass: HomeAssistant, frigate_factory: FrigateFactory
) -> None:
    """0.12 and 0.13 send `detection_enabled` as 1/0."""
    server = await frigate_factory("0.13")
    await setup_frigate(hass, make_frigate_entry(server), [Platform.BINARY_SENSOR])
    assert _value(hass, "front_door:detection_enabled", "binary_sensor") == STATE_ON
    assert not _has(hass, "sensor", ":memory_usage")


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_connection_health_of_0_18(
    hass: HomeAssistant, frigate_factory: FrigateFactory, freezer: FrozenDateTimeFactory
) -> None:
    """0.18: reconnects and stalls of the last hour and the expected fps; none before."""
    server = await frigate_factory("0.18")
    server.set_connection_health("backyard", reconnects=3, stalls=7)
    await setup_frigate(hass, make_frigate_entry(server), [Platform.SENSOR])
    assert _value(hass, "backyard:reconnects_last_hour") == "3"
    assert _value(hass, "backyard:stalls_last_hour") == "7"
    assert _value(hass, "backyard:expected_fps") == "5.0"


async def test_no_connection_health_before_0_18(
    hass: HomeAssistant, frigate: FakeFrigateServer
) -> None:
    await setup_frigate(hass, make_frigate_entry(frigate), [Platform.SENSOR])
    for key in ("reconnects_last_hour", "stalls_last_hour", "expected_fps"):
        assert not _has(hass, "sensor", f"front_door:{key}")
