"""Models of `GET /api/config`: the cameras and the global settings an integration needs.

Frigate's config is large and mostly irrelevant to a client; these models keep only what it
needs about each camera (detect size, zones, tracked objects, audio labels, snapshots,
recordings, the go2rtc stream that restreams it) and the global settings (MQTT, auth,
profiles). Stream sources are never kept, since they carry camera credentials. These models
live apart from the stats, event and server models because they describe what is
configured, not what is happening.
"""

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Self

from .parsing import JsonObject, as_bool, as_float, as_int, as_mapping, as_str, as_str_tuple
from .paths import validate_camera, validate_timezone
from .recognition import RecognitionConfig

DEFAULT_TRACKED_OBJECTS: tuple[str, ...] = ("person",)
"""Frigate's own default for `objects.track`."""

_LOGGER = logging.getLogger(__name__)


def _ui_timezone(data: JsonObject) -> str | None:
    """`ui.timezone` (0.12+), the zone Frigate's UI shows days and hours in; None when unset.

    Unset (or blank), the UI uses the viewer's own zone. A value that is not of an IANA
    name's form is dropped here; whether the name is a known zone is for the caller to check.
    """
    value = as_str(as_mapping(data.get("ui")).get("timezone"))
    if value is None or not value.strip():
        return None
    try:
        return validate_timezone(value.strip())
    except ValueError:
        _LOGGER.debug("Ignoring Frigate's ui.timezone %r: not a time zone name", value[:64])
        return None


def _friendly_name(data: JsonObject) -> str | None:
    """A camera's or zone's `friendly_name` (0.17+); None when unset or blank."""
    name = as_str(data.get("friendly_name"))
    return name.strip() if name is not None and name.strip() else None


def _camera_name(name: object) -> bool:
    """Whether a key of `cameras` is a name Frigate allows, so that it can go into a URL.

    A camera under any other name could not be asked for anything: it is left out.
    """
    try:
        validate_camera(str(name))
    except ValueError:
        return False
    return True


@dataclass(frozen=True, kw_only=True, slots=True)
class CameraControls:
    """What a camera's config says of the settings its websocket commands change.

    Frigate's `/api/config` follows those commands (the dispatcher changes the config the API
    serves), so before 0.14, whose `onConnect` answers nothing, these are the states to start
    from, as Frigate's own UI does. The numbers are never in `camera_activity`.
    """

    motion_enabled: bool | None = None
    motion_threshold: int | None = None
    motion_contour_area: int | None = None
    improve_contrast: bool | None = None
    audio_in_config: bool = False  # audio.enabled_in_config (or enabled): may be switched on
    onvif: bool = False  # an ONVIF host is set: PTZ
    autotracking: bool | None = None
    autotracking_in_config: bool = False
    review_alerts: bool | None = None  # 0.14+
    review_detections: bool | None = None

    @classmethod
    def from_dict(cls, data: JsonObject) -> Self:
        """Parse the parts of a camera's config."""
        motion = as_mapping(data.get("motion"))
        audio = as_mapping(data.get("audio"))
        onvif = as_mapping(data.get("onvif"))
        tracking = as_mapping(onvif.get("autotracking"))
        review = as_mapping(data.get("review"))
        return cls(
            motion_enabled=as_bool(motion.get("enabled")),
            motion_threshold=as_int(motion.get("threshold")),
            motion_contour_area=as_int(motion.get("contour_area")),
            improve_contrast=as_bool(motion.get("improve_contrast")),
            audio_in_config=bool(
                as_bool(audio.get("enabled_in_config")) or as_bool(audio.get("enabled"))
            ),
            onvif=as_str(onvif.get("host")) is not None,
            autotracking=as_bool(tracking.get("enabled")),
            autotracking_in_config=bool(
                as_bool(tracking.get("enabled_in_config")) or as_bool(tracking.get("enabled"))
            ),
            review_alerts=as_bool(as_mapping(review.get("alerts")).get("enabled")),
            review_detections=as_bool(as_mapping(review.get("detections")).get("enabled")),
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class CameraConfig:
    """One camera of `GET /api/config` (only what the integration needs; no stream URLs)."""

    name: str
    friendly_name: str | None = None  # 0.17+: the name Frigate's UI shows, where one is set
    enabled: bool | None = None
    detect_enabled: bool | None = None
    detect_width: int | None = None
    detect_height: int | None = None
    detect_fps: float | None = None
    zones: tuple[str, ...] = ()
    zone_names: Mapping[str, str] = field(default_factory=dict)  # 0.17+: zone -> friendly name
    tracked_objects: tuple[str, ...] = ()
    audio_enabled: bool | None = None
    audio_labels: tuple[str, ...] = ()
    snapshots_enabled: bool | None = None
    record_enabled: bool | None = None
    live_stream_name: str | None = None  # live.stream_name (0.12-0.15)
    live_streams: Mapping[str, str]  # live.streams (0.16+): friendly name -> go2rtc stream
    restream_name: str | None = None  # go2rtc stream served at rtsp://<host>:8554/<name>
    controls: CameraControls | None = None  # the switches and numbers the websocket sets

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
        zones = as_mapping(data.get("zones"))
        zone_names = {
            str(zone): friendly
            for zone, config in zones.items()
            if (friendly := _friendly_name(as_mapping(config))) is not None
        }
        return cls(
            name=name,
            friendly_name=_friendly_name(data),
            enabled=as_bool(data.get("enabled")),
            detect_enabled=as_bool(detect.get("enabled")),
            detect_width=as_int(detect.get("width")),
            detect_height=as_int(detect.get("height")),
            detect_fps=as_float(detect.get("fps")),
            zones=tuple(str(zone) for zone in zones),
            zone_names=zone_names,
            tracked_objects=track,
            audio_enabled=as_bool(audio.get("enabled")),
            audio_labels=as_str_tuple(audio.get("listen")),
            snapshots_enabled=as_bool(as_mapping(data.get("snapshots")).get("enabled")),
            record_enabled=as_bool(as_mapping(data.get("record")).get("enabled")),
            live_stream_name=live_stream_name,
            live_streams=live_streams,
            restream_name=restream,
            controls=CameraControls.from_dict(data),
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
    timezone: str | None = None  # ui.timezone: the server's zone for days and hours, when set
    recognition: RecognitionConfig = field(default_factory=RecognitionConfig)  # 0.16+

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
            if isinstance(camera, Mapping) and _camera_name(name)
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
            timezone=_ui_timezone(data),
            recognition=RecognitionConfig.from_dict(data),
        )

    @property
    def all_tracked_objects(self) -> tuple[str, ...]:
        """Every label tracked by any camera (and globally), in first-seen order."""
        labels = dict.fromkeys(self.tracked_objects)
        for camera in self.cameras.values():
            labels.update(dict.fromkeys(camera.tracked_objects))
        return tuple(labels)
