"""Models of `GET /api/stats`: cameras, detectors, storage, CPU, GPU and processes.

The stats payload changed shape with almost every Frigate release from 0.12 to 0.18 (camera
blocks moved from the top level under `cameras`, storage went from MB to MiB, temperatures
moved from the service block to the detectors, 0.18 added connection quality and per-process
CPU). Its models live here, apart from the config, event and server models, so that this
layout knowledge stays in one place: the CPU of a camera's and a detector's processes is taken
from `cpu_usages` by pid where the block does not carry it (before 0.18), and the storage
mounts are grouped into the filesystems they lie on (`group_filesystems`).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Literal, Self

from .parsing import JsonObject, as_bool, as_float, as_int, as_mapping, as_str
from .version import FrigateVersion

# Top-level /api/stats keys that are never camera blocks (<= 0.12 layout detection).
_STATS_NON_CAMERA_KEYS = frozenset(
    {
        "cameras",
        "detectors",
        "service",
        "cpu_usages",
        "gpu_usages",
        "npu_usages",
        "bandwidth_usages",
        "processes",
        "embeddings",
        "camera_fps",
        "process_fps",
        "skipped_fps",
        "detection_fps",
    }
)
_CAMERA_STATS_MARKERS = frozenset({"camera_fps", "process_fps", "capture_pid", "detection_fps"})
_UNKNOWN_VERSIONS = frozenset({"", "unknown", "disabled"})
FULL_SYSTEM = "frigate.full_system"
"""The `cpu_usages` line of the whole machine (`psutil` CPU and memory percentages)."""
# Each of these is its own filesystem per mount point: never the same as another mount.
_MEMORY_FILESYSTEMS = frozenset({"tmpfs", "ramfs", "devtmpfs"})
# Frigate measures its mounts one after the other; free space may move a little in between.
_SAME_FREE_SHARE = 0.001  # of the total
_SAME_FREE_MIN = 1.0  # MiB (MB up to 0.12)


def _percent(value: object) -> float | None:
    """Return a usage percentage; negative values (the 0.12/0.13 error sentinel -1) are None."""
    number = as_float(value)
    return None if number is None or number < 0 else number


@dataclass(frozen=True, kw_only=True, slots=True)
class CameraStats:
    """Per-camera block of `/api/stats`."""

    name: str
    camera_fps: float | None = None
    detection_fps: float | None = None
    process_fps: float | None = None
    skipped_fps: float | None = None
    detection_enabled: bool | None = None
    pid: int | None = None
    capture_pid: int | None = None
    ffmpeg_pid: int | None = None
    audio_rms: float | None = None
    audio_dbfs: float | None = None
    connection_quality: str | None = None  # 0.18: excellent|fair|poor|unusable
    expected_fps: float | None = None  # 0.18
    reconnects_last_hour: int | None = None  # 0.18
    stalls_last_hour: int | None = None  # 0.18
    # CPU % of the camera's processes: sent by 0.18; before, `FrigateStats.from_dict` looks
    # them up in `cpu_usages` by `ffmpeg_pid`, `capture_pid` and `pid` (detect).
    ffmpeg_cpu: float | None = None
    capture_cpu: float | None = None
    detect_cpu: float | None = None

    @classmethod
    def from_dict(cls, name: str, data: JsonObject) -> Self:
        """Parse one camera block."""
        return cls(
            name=name,
            camera_fps=as_float(data.get("camera_fps")),
            detection_fps=as_float(data.get("detection_fps")),
            process_fps=as_float(data.get("process_fps")),
            skipped_fps=as_float(data.get("skipped_fps")),
            detection_enabled=as_bool(data.get("detection_enabled")),
            pid=as_int(data.get("pid")),
            capture_pid=as_int(data.get("capture_pid")),
            ffmpeg_pid=as_int(data.get("ffmpeg_pid")),
            audio_rms=as_float(data.get("audio_rms")),
            audio_dbfs=as_float(data.get("audio_dBFS")),
            connection_quality=as_str(data.get("connection_quality")),
            expected_fps=as_float(data.get("expected_fps")),
            reconnects_last_hour=as_int(data.get("reconnects_last_hour")),
            stalls_last_hour=as_int(data.get("stalls_last_hour")),
            ffmpeg_cpu=as_float(data.get("ffmpeg_cpu")),
            capture_cpu=as_float(data.get("capture_cpu")),
            detect_cpu=as_float(data.get("detect_cpu")),
        )

    @property
    def online(self) -> bool | None:
        """False when no frames arrive (fps 0) or 0.18 rates the link unusable; None if unknown."""
        if self.connection_quality == "unusable":
            return False
        if self.camera_fps is None:
            return None
        return self.camera_fps > 0


@dataclass(frozen=True, kw_only=True, slots=True)
class DetectorStats:
    """One entry of `stats.detectors`."""

    name: str
    inference_speed: float | None = None  # milliseconds
    detection_start: float | None = None
    pid: int | None = None
    temperature: float | None = None  # 0.18 (Coral/Hailo)
    # CPU and memory % of the detector's process: sent by 0.18; before, looked up in
    # `cpu_usages` by `pid` (see `FrigateStats.from_dict`).
    cpu: float | None = None
    mem: float | None = None

    @classmethod
    def from_dict(cls, name: str, data: JsonObject) -> Self:
        """Parse one detector block."""
        return cls(
            name=name,
            inference_speed=as_float(data.get("inference_speed")),
            detection_start=as_float(data.get("detection_start")),
            pid=as_int(data.get("pid")),
            temperature=as_float(data.get("temperature")),
            cpu=as_float(data.get("cpu")),
            mem=as_float(data.get("mem")),
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class StorageStats:
    """One mount of `stats.service.storage` (MB up to 0.12, MiB from 0.13)."""

    mount: str
    total: float | None = None
    used: float | None = None
    free: float | None = None
    mount_type: str | None = None

    @classmethod
    def from_dict(cls, mount: str, data: JsonObject) -> Self:
        """Parse one storage entry."""
        return cls(
            mount=mount,
            total=as_float(data.get("total")),
            used=as_float(data.get("used")),
            free=as_float(data.get("free")),
            mount_type=as_str(data.get("mount_type")),
        )

    def same_filesystem(self, other: StorageStats) -> bool:
        """Whether two mounts are on one filesystem, as far as their figures tell.

        Frigate reports `shutil.disk_usage` of each of its paths: the figures of the whole
        filesystem, with no device id. Two paths on one disk have the same type and total and
        (read moments apart) nearly the same free space; a memory filesystem (`tmpfs`) is a
        filesystem of its own at each mount point, so it never matches another mount.
        """
        if self.total is None or self.free is None or other.total is None or other.free is None:
            return False
        if self.mount_type != other.mount_type or self.mount_type in _MEMORY_FILESYSTEMS:
            return False
        tolerance = max(_SAME_FREE_MIN, _SAME_FREE_SHARE * self.total)
        return self.total == other.total and abs(self.free - other.free) <= tolerance


@dataclass(frozen=True, kw_only=True, slots=True)
class Filesystem:
    """Frigate's storage mounts that lie on one filesystem, named after the first of them."""

    mounts: tuple[str, ...]  # in Frigate's order (recordings, clips, cache, /dev/shm)
    total: float | None = None
    used: float | None = None
    free: float | None = None
    mount_type: str | None = None

    @property
    def name(self) -> str:
        """The first mount (the recordings' when they share a disk with the clips)."""
        return self.mounts[0]


def group_filesystems(storage: Mapping[str, StorageStats]) -> dict[str, Filesystem]:
    """The distinct filesystems of the storage mounts, by their first mount.

    Mounts without figures (Frigate sends `{}` for a path it cannot measure) are left out.
    """
    groups: list[list[StorageStats]] = []
    for mount in storage.values():
        if mount.total is None:
            continue
        for group in groups:
            if group[0].same_filesystem(mount):
                group.append(mount)
                break
        else:
            groups.append([mount])
    return {
        group[0].mount: Filesystem(
            mounts=tuple(mount.mount for mount in group),
            total=group[0].total,
            used=group[0].used,
            free=group[0].free,
            mount_type=group[0].mount_type,
        )
        for group in groups
    }


@dataclass(frozen=True, kw_only=True, slots=True)
class ProcessUsage:
    """One entry of `stats.cpu_usages` (keyed by pid or a name such as `frigate.full_system`)."""

    key: str
    cpu: float | None = None
    cpu_average: float | None = None
    mem: float | None = None

    @classmethod
    def from_dict(cls, key: str, data: JsonObject) -> Self:
        """Parse one usage entry (values arrive as strings on real servers)."""
        return cls(
            key=key,
            cpu=as_float(data.get("cpu")),
            cpu_average=as_float(data.get("cpu_average")),
            mem=as_float(data.get("mem")),
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class GpuUsage:
    """One entry of `stats.gpu_usages` (values like `"19.0%"`; `""`/`-1` errors become None)."""

    name: str
    gpu: float | None = None
    mem: float | None = None
    enc: float | None = None
    dec: float | None = None
    temperature: float | None = None
    vendor: str | None = None  # 0.18

    @classmethod
    def from_dict(cls, name: str, data: JsonObject) -> Self:
        """Parse one GPU entry."""
        return cls(
            name=name,
            gpu=_percent(data.get("gpu")),
            mem=_percent(data.get("mem")),
            enc=_percent(data.get("enc")),
            dec=_percent(data.get("dec")),
            temperature=as_float(data.get("temp")),
            vendor=as_str(data.get("vendor")),
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class ProcessStats:
    """One entry of `stats.processes` (0.13+; cpu/mem from 0.18)."""

    name: str
    pid: int | None = None
    cpu: float | None = None
    mem: float | None = None

    @classmethod
    def from_dict(cls, name: str, data: JsonObject) -> Self:
        """Parse one process entry."""
        return cls(
            name=name,
            pid=as_int(data.get("pid")),
            cpu=as_float(data.get("cpu")),
            mem=as_float(data.get("mem")),
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class ServiceStats:
    """`stats.service`."""

    uptime: float | None = None
    version: str | None = None
    latest_version: str | None = None  # None when "unknown"/"disabled"
    last_updated: float | None = None
    storage: Mapping[str, StorageStats]
    temperatures: Mapping[str, float]  # 0.10-0.17; empty on 0.18

    @classmethod
    def from_dict(cls, data: JsonObject) -> Self:
        """Parse the service block."""
        latest = as_str(data.get("latest_version"))
        temperatures: dict[str, float] = {}
        for name, value in as_mapping(data.get("temperatures")).items():
            if (number := as_float(value)) is not None:
                temperatures[str(name)] = number
        return cls(
            uptime=as_float(data.get("uptime")),
            version=as_str(data.get("version")),
            latest_version=None if latest is None or latest in _UNKNOWN_VERSIONS else latest,
            last_updated=as_float(data.get("last_updated")),
            storage={
                str(mount): StorageStats.from_dict(str(mount), entry)
                for mount, entry in as_mapping(data.get("storage")).items()
                if isinstance(entry, Mapping)
            },
            temperatures=temperatures,
        )

    @property
    def parsed_version(self) -> FrigateVersion | None:
        """The running version, None when missing or unparsable."""
        try:
            return FrigateVersion.parse(self.version) if self.version else None
        except ValueError:
            return None


def _named_blocks[T](data: object, parse: Callable[[str, JsonObject], T]) -> dict[str, T]:
    """Parse `{name: {...}}` blocks, skipping entries that are not objects."""
    return {
        str(name): parse(str(name), entry)
        for name, entry in as_mapping(data).items()
        if isinstance(entry, Mapping)
    }


def _usage(usages: Mapping[str, ProcessUsage], pid: int | None) -> ProcessUsage | None:
    """The `cpu_usages` line of a process (keyed by its pid as a string)."""
    return None if pid is None else usages.get(str(pid))


def _camera_cpu(camera: CameraStats, usages: Mapping[str, ProcessUsage]) -> CameraStats:
    """The CPU of the camera's processes from `cpu_usages` where the block lacks it (< 0.18)."""

    def cpu(sent: float | None, pid: int | None) -> float | None:
        if sent is not None:
            return sent
        usage = _usage(usages, pid)
        return None if usage is None else usage.cpu

    return replace(
        camera,
        ffmpeg_cpu=cpu(camera.ffmpeg_cpu, camera.ffmpeg_pid),
        capture_cpu=cpu(camera.capture_cpu, camera.capture_pid),
        detect_cpu=cpu(camera.detect_cpu, camera.pid),
    )


def _detector_cpu(detector: DetectorStats, usages: Mapping[str, ProcessUsage]) -> DetectorStats:
    """The detector process's CPU and memory from `cpu_usages` where the block lacks them."""
    if (usage := _usage(usages, detector.pid)) is None:
        return detector
    return replace(
        detector,
        cpu=usage.cpu if detector.cpu is None else detector.cpu,
        mem=usage.mem if detector.mem is None else detector.mem,
    )


@dataclass(frozen=True, kw_only=True, slots=True)
class FrigateStats:
    """`GET /api/stats`, either layout (camera blocks at the top level up to 0.12)."""

    cameras: Mapping[str, CameraStats]
    detectors: Mapping[str, DetectorStats]
    service: ServiceStats
    detection_fps: float | None = None
    camera_fps: float | None = None  # 0.17+
    process_fps: float | None = None  # 0.17+
    skipped_fps: float | None = None  # 0.17+
    cpu_usages: Mapping[str, ProcessUsage]
    gpu_usages: Mapping[str, GpuUsage]
    processes: Mapping[str, ProcessStats]
    legacy_layout: bool = False  # True: camera blocks at the top level (<= 0.12)

    @classmethod
    def from_dict(cls, data: JsonObject) -> Self:
        """Parse a stats payload of any supported version."""
        if isinstance(data.get("cameras"), Mapping):
            camera_blocks = as_mapping(data["cameras"])
            legacy = False
        else:
            camera_blocks = {
                name: block
                for name, block in data.items()
                if name not in _STATS_NON_CAMERA_KEYS
                and isinstance(block, Mapping)
                and _CAMERA_STATS_MARKERS & block.keys()
            }
            legacy = True
        usages = _named_blocks(data.get("cpu_usages"), ProcessUsage.from_dict)
        return cls(
            cameras={
                name: _camera_cpu(camera, usages)
                for name, camera in _named_blocks(camera_blocks, CameraStats.from_dict).items()
            },
            detectors={
                name: _detector_cpu(detector, usages)
                for name, detector in _named_blocks(
                    data.get("detectors"), DetectorStats.from_dict
                ).items()
            },
            service=ServiceStats.from_dict(as_mapping(data.get("service"))),
            detection_fps=as_float(data.get("detection_fps")),
            camera_fps=as_float(data.get("camera_fps")),
            process_fps=as_float(data.get("process_fps")),
            skipped_fps=as_float(data.get("skipped_fps")),
            cpu_usages=usages,
            gpu_usages=_named_blocks(data.get("gpu_usages"), GpuUsage.from_dict),
            processes=_named_blocks(data.get("processes"), ProcessStats.from_dict),
            legacy_layout=legacy,
        )

    @property
    def temperatures(self) -> dict[str, float]:
        """Device temperatures in °C: `service.temperatures` (<= 0.17) and detectors' (0.18)."""
        merged = dict(self.service.temperatures)
        for name, detector in self.detectors.items():
            if detector.temperature is not None:
                merged[name] = detector.temperature
        return merged

    @property
    def storage_unit(self) -> Literal["MB", "MiB"]:
        """Unit of the storage figures: MB up to 0.12 (legacy layout), MiB from 0.13."""
        return "MB" if self.legacy_layout else "MiB"

    @property
    def memory(self) -> float | None:
        """Memory in use on Frigate's machine, % (`cpu_usages["frigate.full_system"].mem`)."""
        usage = self.cpu_usages.get(FULL_SYSTEM)
        return None if usage is None else usage.mem

    @property
    def filesystems(self) -> dict[str, Filesystem]:
        """The distinct filesystems under Frigate's storage mounts (`group_filesystems`)."""
        return group_filesystems(self.service.storage)
