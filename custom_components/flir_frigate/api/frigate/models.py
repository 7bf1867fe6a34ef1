"""Frigate API payloads as frozen dataclasses with defensive `from_dict` parsers.

Parsers ignore unknown keys, turn missing optional values into `None` and values that are not
numbers into `None` (never 0). Numeric strings such as `"19 %"`, `"3.5"` or `"57.0%"` are parsed.
"""

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Self

from .version import FrigateVersion

type JsonObject = Mapping[str, Any]

_NUMBER_RE = re.compile(r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*%?\s*$")

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
DEFAULT_TRACKED_OBJECTS: tuple[str, ...] = ("person",)
"""Frigate's own default for `objects.track`."""


def as_float(value: object) -> float | None:
    """Return a finite float from a number or numeric string (`"19 %"`), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:  # an integer beyond float range, e.g. 400 digits of JSON
            return None
    elif isinstance(value, str):
        match = _NUMBER_RE.match(value)
        if match is None:
            return None
        number = float(match[1])
    else:
        return None
    return number if math.isfinite(number) else None


def as_int(value: object) -> int | None:
    """Return an int from an integral number or numeric string, else None."""
    number = as_float(value)
    if number is None or not number.is_integer():
        return None
    return int(number)


def as_bool(value: object) -> bool | None:
    """Return a bool from a bool, 0/1 or `"true"`/`"false"`, else None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in {0, 1}:
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in {"true", "false", "1", "0"}:
        return value.strip().lower() in {"true", "1"}
    return None


def as_str(value: object) -> str | None:
    """Return a non-empty string, else None."""
    return value if isinstance(value, str) and value else None


def as_mapping(value: object) -> JsonObject:
    """Return the value if it is a JSON object, else an empty mapping."""
    return value if isinstance(value, Mapping) else {}


def as_str_tuple(value: object) -> tuple[str, ...]:
    """Return the strings of a JSON list (other items dropped), else an empty tuple."""
    if not isinstance(value, list | tuple):
        return ()
    return tuple(item for item in value if isinstance(item, str) and item)


def _percent(value: object) -> float | None:
    """Return a usage percentage; negative values (the 0.12/0.13 error sentinel -1) are None."""
    number = as_float(value)
    return None if number is None or number < 0 else number


# --------------------------------------------------------------------------------------------
# /api/stats


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
    ffmpeg_cpu: float | None = None  # 0.18
    capture_cpu: float | None = None  # 0.18
    detect_cpu: float | None = None  # 0.18

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
    cpu: float | None = None  # 0.18
    mem: float | None = None  # 0.18

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
        return cls(
            cameras=_named_blocks(camera_blocks, CameraStats.from_dict),
            detectors=_named_blocks(data.get("detectors"), DetectorStats.from_dict),
            service=ServiceStats.from_dict(as_mapping(data.get("service"))),
            detection_fps=as_float(data.get("detection_fps")),
            camera_fps=as_float(data.get("camera_fps")),
            process_fps=as_float(data.get("process_fps")),
            skipped_fps=as_float(data.get("skipped_fps")),
            cpu_usages=_named_blocks(data.get("cpu_usages"), ProcessUsage.from_dict),
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


# --------------------------------------------------------------------------------------------
# /api/config


@dataclass(frozen=True, kw_only=True, slots=True)
class CameraConfig:
    """One camera of `GET /api/config` (only what the integration needs; no stream URLs)."""

    name: str
    enabled: bool | None = None
    detect_enabled: bool | None = None
    detect_width: int | None = None
    detect_height: int | None = None
    detect_fps: float | None = None
    zones: tuple[str, ...] = ()
    tracked_objects: tuple[str, ...] = ()
    audio_enabled: bool | None = None
    audio_labels: tuple[str, ...] = ()
    snapshots_enabled: bool | None = None
    record_enabled: bool | None = None
    live_stream_name: str | None = None  # live.stream_name (0.12-0.15)
    live_streams: Mapping[str, str]  # live.streams (0.16+): friendly name -> go2rtc stream
    restream_name: str | None = None  # go2rtc stream served at rtsp://<host>:8554/<name>

    @classmethod
    def from_dict(
        cls,
        name: str,
        data: JsonObject,
        *,
        global_objects: tuple[str, ...] = DEFAULT_TRACKED_OBJECTS,
        go2rtc_streams: tuple[str, ...] = (),
    ) -> Self:
        """Parse one camera; tracked objects fall back to the global `objects.track`."""
        detect = as_mapping(data.get("detect"))
        objects = as_mapping(data.get("objects"))
        audio = as_mapping(data.get("audio"))
        live = as_mapping(data.get("live"))
        live_streams = {
            str(label): stream
            for label, stream in as_mapping(live.get("streams")).items()
            if isinstance(stream, str) and stream
        }
        live_stream_name = as_str(live.get("stream_name"))
        restream: str | None = None
        for candidate in (*live_streams.values(), live_stream_name, name):
            if candidate is not None and candidate in go2rtc_streams:
                restream = candidate
                break
        track = as_str_tuple(objects.get("track")) if "track" in objects else global_objects
        return cls(
            name=name,
            enabled=as_bool(data.get("enabled")),
            detect_enabled=as_bool(detect.get("enabled")),
            detect_width=as_int(detect.get("width")),
            detect_height=as_int(detect.get("height")),
            detect_fps=as_float(detect.get("fps")),
            zones=tuple(str(zone) for zone in as_mapping(data.get("zones"))),
            tracked_objects=track,
            audio_enabled=as_bool(audio.get("enabled")),
            audio_labels=as_str_tuple(audio.get("listen")),
            snapshots_enabled=as_bool(as_mapping(data.get("snapshots")).get("enabled")),
            record_enabled=as_bool(as_mapping(data.get("record")).get("enabled")),
            live_stream_name=live_stream_name,
            live_streams=live_streams,
            restream_name=restream,
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class FrigateConfig:
    """`GET /api/config` (the parts an integration needs)."""

    version: str | None = None  # config-schema version ("0.17-0"); may be missing, not for gating
    cameras: Mapping[str, CameraConfig]
    tracked_objects: tuple[str, ...] = DEFAULT_TRACKED_OBJECTS  # global objects.track
    go2rtc_streams: tuple[str, ...] = ()  # names only: the sources carry credentials
    mqtt_enabled: bool | None = None
    mqtt_topic_prefix: str | None = None
    mqtt_client_id: str | None = None
    birdseye_restream: bool | None = None
    auth_enabled: bool | None = None  # 0.14+
    profiles: tuple[str, ...] = ()  # 0.18

    @classmethod
    def from_dict(cls, data: JsonObject) -> Self:
        """Parse a config payload."""
        objects = as_mapping(data.get("objects"))
        global_track = (
            as_str_tuple(objects.get("track")) if "track" in objects else DEFAULT_TRACKED_OBJECTS
        )
        streams = tuple(
            str(name) for name in as_mapping(as_mapping(data.get("go2rtc")).get("streams"))
        )
        mqtt = as_mapping(data.get("mqtt"))
        cameras = {
            str(name): CameraConfig.from_dict(
                str(name), camera, global_objects=global_track, go2rtc_streams=streams
            )
            for name, camera in as_mapping(data.get("cameras")).items()
            if isinstance(camera, Mapping)
        }
        return cls(
            version=as_str(data.get("version")),
            cameras=cameras,
            tracked_objects=global_track,
            go2rtc_streams=streams,
            mqtt_enabled=as_bool(mqtt.get("enabled")),
            mqtt_topic_prefix=as_str(mqtt.get("topic_prefix")),
            mqtt_client_id=as_str(mqtt.get("client_id")),
            birdseye_restream=as_bool(as_mapping(data.get("birdseye")).get("restream")),
            auth_enabled=as_bool(as_mapping(data.get("auth")).get("enabled")),
            profiles=tuple(str(name) for name in as_mapping(data.get("profiles"))),
        )

    @property
    def all_tracked_objects(self) -> tuple[str, ...]:
        """Every label tracked by any camera (and globally), in first-seen order."""
        labels = dict.fromkeys(self.tracked_objects)
        for camera in self.cameras.values():
            labels.update(dict.fromkeys(camera.tracked_objects))
        return tuple(labels)


# --------------------------------------------------------------------------------------------
# events


def _sub_label(value: object) -> tuple[str | None, float | None]:
    """`sub_label` is a string, or `[name, score]` in some payloads."""
    if isinstance(value, list | tuple):
        name = as_str(value[0]) if value else None
        score = as_float(value[1]) if len(value) > 1 else None
        return name, score
    return as_str(value), None


def _required_str(data: JsonObject, key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise ValueError(f"missing {key}")
    return value


@dataclass(frozen=True, kw_only=True, slots=True)
class FrigateEvent:
    """A tracked-object event (`/api/events` rows and `/api/events/<id>`), any version."""

    id: str
    camera: str
    label: str
    sub_label: str | None = None
    sub_label_score: float | None = None
    score: float | None = None  # data.score (0.13+) or the score column
    top_score: float | None = None  # data.top_score (0.13+) or the top_score column
    start_time: float | None = None
    end_time: float | None = None  # None while the event is in progress
    has_snapshot: bool = False
    has_clip: bool = False
    zones: tuple[str, ...] = ()
    has_thumbnail: bool | None = None  # row carries base64 thumbnail data (<= 0.15)
    false_positive: bool | None = None
    retain_indefinitely: bool | None = None
    event_type: str | None = None  # data.type: object, audio, api/manual, ...

    @classmethod
    def from_dict(cls, data: JsonObject) -> Self:
        """Parse an event row; ValueError when id, camera or label is missing."""
        extra = as_mapping(data.get("data"))
        sub_label, sub_label_score = _sub_label(data.get("sub_label"))
        if sub_label_score is None:
            sub_label_score = as_float(extra.get("sub_label_score"))
        score = as_float(extra.get("score"))
        top_score = as_float(extra.get("top_score"))
        thumbnail = data.get("thumbnail")
        return cls(
            id=_required_str(data, "id"),
            camera=_required_str(data, "camera"),
            label=_required_str(data, "label"),
            sub_label=sub_label,
            sub_label_score=sub_label_score,
            score=score if score is not None else as_float(data.get("score")),
            top_score=top_score if top_score is not None else as_float(data.get("top_score")),
            start_time=as_float(data.get("start_time")),
            end_time=as_float(data.get("end_time")),
            has_snapshot=as_bool(data.get("has_snapshot")) is True,
            has_clip=as_bool(data.get("has_clip")) is True,
            zones=as_str_tuple(data.get("zones")),
            has_thumbnail=None if "thumbnail" not in data else bool(as_str(thumbnail)),
            false_positive=as_bool(data.get("false_positive")),
            retain_indefinitely=as_bool(data.get("retain_indefinitely")),
            event_type=as_str(extra.get("type")),
        )

    @property
    def in_progress(self) -> bool:
        """True while the event has no end time."""
        return self.end_time is None


@dataclass(frozen=True, kw_only=True, slots=True)
class EventSummaryRow:
    """One `/api/events/summary` row (sub_label from 0.12, data from 0.16)."""

    camera: str
    label: str
    day: str  # YYYY-MM-DD in the requested timezone
    count: int = 0
    sub_label: str | None = None
    zones: tuple[str, ...] = ()
    event_type: str | None = None  # data.type (0.16+)

    @classmethod
    def from_dict(cls, data: JsonObject) -> Self:
        """Parse a row; ValueError when camera, label or day is missing."""
        sub_label, _ = _sub_label(data.get("sub_label"))
        return cls(
            camera=_required_str(data, "camera"),
            label=_required_str(data, "label"),
            day=_required_str(data, "day"),
            count=as_int(data.get("count")) or 0,
            sub_label=sub_label,
            zones=as_str_tuple(data.get("zones")),
            event_type=as_str(as_mapping(data.get("data")).get("type")),
        )


# --------------------------------------------------------------------------------------------
# auth


@dataclass(frozen=True, kw_only=True, slots=True)
class FrigateProfile:
    """`GET /api/profile` (0.14+): `anonymous`/`admin` on the internal port."""

    username: str | None = None
    role: str | None = None  # 0.16+: admin, viewer or a custom role
    allowed_cameras: tuple[str, ...] | None = None  # 0.17+; None = all

    @classmethod
    def from_dict(cls, data: JsonObject) -> Self:
        """Parse a profile payload."""
        cameras = data.get("allowed_cameras")
        return cls(
            username=as_str(data.get("username")),
            role=as_str(data.get("role")),
            allowed_cameras=as_str_tuple(cameras) if isinstance(cameras, list) else None,
        )

    @property
    def is_admin(self) -> bool | None:
        """Whether the role is admin (None before 0.16, when there were no roles)."""
        return None if self.role is None else self.role == "admin"


type AuthMode = Literal["none", "login", "token"]


@dataclass(frozen=True, kw_only=True, slots=True)
class FrigateImage:
    """An image answer: the bytes plus what the headers tell."""

    content: bytes
    content_type: str
    offline: bool = False  # 0.18 `X-Frigate-Offline: true`: last preview frame of a dead camera


@dataclass(frozen=True, kw_only=True, slots=True)
class ServerInfo:
    """What `FrigateClient.probe` found out."""

    version: FrigateVersion
    auth_mode: AuthMode  # none: no login needed (internal port or pre-0.14)
    profile: FrigateProfile | None = None  # None before 0.14
