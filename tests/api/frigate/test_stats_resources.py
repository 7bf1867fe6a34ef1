"""Filesystems, process CPU, memory and recordings sizes in the stats models and the client."""

import pytest

from custom_components.flir_frigate.api.frigate.client import FrigateClient
from custom_components.flir_frigate.api.frigate.config import CameraConfig
from custom_components.flir_frigate.api.frigate.exceptions import (
    FrigateAuthenticationError,
    FrigateNotFoundError,
)
from custom_components.flir_frigate.api.frigate.recordings import (
    camera_recordings,
    parse_recordings_storage,
)
from custom_components.flir_frigate.api.frigate.stats import FrigateStats
from tests.fakes.frigate_server import FakeFrigateServer

from .conftest import ClientFactory, ServerFactory, load_fixture


def _storage(**mounts: dict[str, object]) -> FrigateStats:
    return FrigateStats.from_dict({"service": {"storage": mounts}})


def test_filesystems_of_one_disk() -> None:
    """Frigate's paths on one disk report the same figures: one filesystem, named after the
    first; tmpfs mounts are each their own, even of the same size; `{}` is left out."""
    disk = {"total": 953674.3, "used": 412345.6, "free": 541328.7, "mount_type": "ext4"}
    stats = FrigateStats.from_dict(
        {
            "service": {
                "storage": {
                    "/media/frigate/recordings": disk,
                    "/media/frigate/clips": disk | {"free": 541328.5, "used": 412345.8},
                    "/tmp/cache": {
                        "total": 1000.0,
                        "used": 0.0,
                        "free": 1000.0,
                        "mount_type": "tmpfs",
                    },
                    "/dev/shm": {
                        "total": 1000.0,
                        "used": 0.0,
                        "free": 1000.0,
                        "mount_type": "tmpfs",
                    },
                    "/broken": {},
                }
            }
        }
    )
    filesystems = stats.filesystems
    assert list(filesystems) == ["/media/frigate/recordings", "/tmp/cache", "/dev/shm"]
    recordings = filesystems["/media/frigate/recordings"]
    assert recordings.mounts == ("/media/frigate/recordings", "/media/frigate/clips")
    assert (recordings.total, recordings.free, recordings.mount_type) == (
        953674.3,
        541328.7,
        "ext4",
    )
    assert filesystems["/dev/shm"].mounts == ("/dev/shm",)


@pytest.mark.parametrize(
    "clips",
    [
        {"total": 953674.3, "used": 12345.6, "free": 941328.7, "mount_type": "ext4"},  # free
        {"total": 476837.1, "used": 412345.6, "free": 541328.7, "mount_type": "ext4"},  # size
        {"total": 953674.3, "used": 412345.6, "free": 541328.7, "mount_type": "nfs4"},  # type
    ],
)
def test_filesystems_told_apart(clips: dict[str, object]) -> None:
    disk = {"total": 953674.3, "used": 412345.6, "free": 541328.7, "mount_type": "ext4"}
    stats = _storage(**{"/media/frigate/recordings": disk, "/media/frigate/clips": clips})
    assert list(stats.filesystems) == ["/media/frigate/recordings", "/media/frigate/clips"]


def test_process_cpu_from_pids() -> None:
    """Before 0.18 a camera's and a detector's CPU come from `cpu_usages` by pid."""
    stats = FrigateStats.from_dict(load_fixture("fhi_api_stats.json"))
    front = stats.cameras["front_door"]
    usages = stats.cpu_usages
    assert front.ffmpeg_cpu == usages[str(front.ffmpeg_pid)].cpu == 15.0
    assert front.detect_cpu == usages[str(front.pid)].cpu == 5.0
    assert front.capture_cpu == usages[str(front.capture_pid)].cpu


def test_process_cpu_sent_by_0_18_wins() -> None:
    stats = FrigateStats.from_dict(
        {
            "cameras": {"yard": {"pid": 10, "ffmpeg_pid": 12, "ffmpeg_cpu": "1.0"}},
            "detectors": {
                "coral": {"pid": 42, "cpu": "3.0"},
                "cpu": {"pid": 43},
                "gone": {"pid": 44},
            },
            "cpu_usages": {
                "10": {"cpu": "5.0"},
                "12": {"cpu": "9.0"},
                "42": {"cpu": "7.0", "mem": "1.5"},
                "43": {"cpu": "8.0", "mem": "2.5"},
                "frigate.full_system": {"cpu": "12.0", "mem": "40.1"},
            },
        }
    )
    yard = stats.cameras["yard"]
    assert (yard.ffmpeg_cpu, yard.detect_cpu, yard.capture_cpu) == (1.0, 5.0, None)
    assert (stats.detectors["coral"].cpu, stats.detectors["coral"].mem) == (3.0, 1.5)
    assert (stats.detectors["cpu"].cpu, stats.detectors["cpu"].mem) == (8.0, 2.5)
    assert stats.detectors["gone"].cpu is None
    assert stats.memory == 40.1
    assert FrigateStats.from_dict({}).memory is None


def test_recordings_storage_model() -> None:
    storage = parse_recordings_storage(
        {
            "Front Entrance": {"usage": 2048.5, "bandwidth": 512.3, "usage_percent": 0.2},
            "backyard": {"usage": None, "bandwidth": 0},
            "garage": {"usage": "lots"},
            "junk": 3,
        }
    )
    assert set(storage) == {"Front Entrance", "backyard", "garage"}
    assert storage["backyard"].usage == 0.0  # null: no recordings
    assert storage["garage"].usage is None
    front = CameraConfig.from_dict("front_door", {"friendly_name": "Front Entrance"})
    assert camera_recordings(storage, front) == storage["Front Entrance"]
    back = CameraConfig.from_dict("backyard", {"friendly_name": "Back"})
    assert camera_recordings(storage, back) == storage["backyard"]  # keyed by name (< 0.17)
    assert camera_recordings(storage, CameraConfig.from_dict("attic", {})) is None


async def test_client_recordings_storage(
    server_factory: ServerFactory, make_client: ClientFactory
) -> None:
    server = await server_factory("0.17")
    client: FrigateClient = make_client(server)
    storage = await client.recordings_storage()
    assert storage["front_door"].usage == 20480.25
    server.faults.paths = ("/api/recordings/storage",)
    server.faults.status = 403
    with pytest.raises(FrigateAuthenticationError):
        await client.recordings_storage()
    server.faults.status = 404
    with pytest.raises(FrigateNotFoundError):
        await client.recordings_storage()


async def test_stats_of_the_fake(server: FakeFrigateServer, make_client: ClientFactory) -> None:
    """Every version: camera CPU by pid or sent, the detector's too, one disk for two mounts."""
    stats = await make_client(server).stats()
    front = stats.cameras["front_door"]
    minor = int(server.version.split(".")[1])
    if minor >= 18:
        assert (front.ffmpeg_cpu, front.capture_cpu, front.detect_cpu) == (1.0, 0.5, 2.0)
        assert stats.detectors["coral"].cpu == 3.0
    else:
        assert (front.ffmpeg_cpu, front.capture_cpu, front.detect_cpu) == (12.4, 3.1, 5.0)
        assert stats.detectors["coral"].cpu == 2.7
    assert stats.filesystems["/media/frigate/recordings"].mounts == (
        "/media/frigate/recordings",
        "/media/frigate/clips",
    )
    assert stats.memory == (40.1 if minor >= 14 else None)
