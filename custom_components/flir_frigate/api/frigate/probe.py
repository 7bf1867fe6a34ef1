"""What a Frigate server is and serves, found out with the client alone.

:func:`identify` tells whether a host answers like Frigate at all; :func:`probe_frigate` then
makes the requests the integration makes when it sets up a server and polls it (probe, stats,
config, events, events in progress, the summary, the recordings' sizes, each camera's latest
frame) and returns what it found as frozen dataclasses, each request with how the server
answered. A failing event, summary, recordings or image request is reported, not raised: the
server still works. The diagnostic command line
(``python -m custom_components.flir_frigate.probe``) prints it.
"""

import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from .client import FrigateClient
from .config import FrigateConfig
from .events import EventSummaryRow, FrigateEvent
from .exceptions import FrigateConnectionError, FrigateError
from .recordings import CameraRecordings
from .server import ServerInfo
from .stats import FrigateStats
from .version import FrigateVersion

RECENT_EVENTS = 5
STILL_HEIGHT = 180


@dataclass(frozen=True, kw_only=True)
class Endpoint:
    """One request the probe made and how the server answered."""

    request: str
    ok: bool
    detail: str


@dataclass(frozen=True, kw_only=True)
class FrigateProbe:
    """Everything the probe found out about a Frigate server."""

    url: str
    info: ServerInfo
    stats: FrigateStats
    config: FrigateConfig
    recent_events: tuple[FrigateEvent, ...] | None  # None: the request failed
    in_progress: tuple[FrigateEvent, ...] | None
    summary: tuple[EventSummaryRow, ...] | None
    endpoints: tuple[Endpoint, ...]
    recordings: dict[str, CameraRecordings] | None = None  # None: the request failed

    @property
    def newer_version(self) -> str | None:
        """A release newer than the running one, when Frigate's own check knows of one."""
        latest = self.stats.service.latest_version
        with contextlib.suppress(ValueError):
            if latest and FrigateVersion.parse(latest) > self.info.version:
                return latest
        return None

    @property
    def facts(self) -> dict[str, str]:
        """What the server is, in words: version, authentication, cameras."""
        info = self.info
        auth: str = info.auth_mode
        if info.auth_mode != "none" and info.profile is not None and info.profile.username:
            auth += f" (user {info.profile.username}"
            auth += f", role {info.profile.role})" if info.profile.role else ")"
        cameras = (self.describe_camera(name) for name in self.config.cameras)
        return {
            "Version": str(info.version),
            "Authentication": auth,
            "Cameras": ", ".join(cameras) or "none",
        }

    def describe_camera(self, name: str) -> str:
        """A camera in a few words: detect size, frame rate, state, objects, zones, restream."""
        camera = self.config.cameras[name]
        stats = self.stats.cameras.get(name)
        parts = []
        if camera.detect_width and camera.detect_height:
            parts.append(f"detect {camera.detect_width}x{camera.detect_height}")
        if stats is not None and stats.camera_fps is not None:
            parts.append(f"{stats.camera_fps:g} fps")
        if camera.enabled is False:
            parts.append("disabled")
        elif stats is None or stats.camera_fps == 0:  # 0.18's rating is no outage
            parts.append("OFFLINE")
        if camera.tracked_objects:
            parts.append(f"tracks {', '.join(camera.tracked_objects)}")
        if camera.zones:
            parts.append(f"zones {', '.join(camera.zones)}")
        if camera.restream_name:
            parts.append(f"RTSP restream {camera.restream_name}")
        return f"{name} ({'; '.join(parts)})" if parts else name


async def identify(client: FrigateClient) -> FrigateVersion | None:
    """Frigate's version from its public endpoint; None when the host does not answer like Frigate.

    FrigateConnectionError when nothing answers at all.
    """
    try:
        return await client.version()
    except FrigateConnectionError:
        raise
    except FrigateError:
        return None


async def _attempt[T](
    request: str,
    call: Awaitable[T],
    describe: Callable[[T], str],
    *,
    failed_request: str | None = None,
) -> tuple[T, Endpoint] | tuple[None, Endpoint]:
    """One request that may fail without failing the probe: its answer (None) and endpoint."""
    try:
        result = await call
    except FrigateError as err:
        return None, Endpoint(request=failed_request or request, ok=False, detail=str(err))
    return result, Endpoint(request=request, ok=True, detail=describe(result))


def _newest(events: list[FrigateEvent]) -> str:
    return f", newest: {events[0].label} on {events[0].camera}" if events else ""


async def _still(client: FrigateClient, camera: str) -> Endpoint:
    """A camera's latest frame, as the camera entity fetches it."""
    _still, endpoint = await _attempt(
        f"GET /api/{camera}/latest.jpg?height={STILL_HEIGHT}",
        client.latest_jpg(camera, height=STILL_HEIGHT),
        lambda still: f"JPEG, {len(still) / 1000:.0f} kB",
        failed_request=f"GET /api/{camera}/latest.jpg",
    )
    return endpoint


async def probe_frigate(client: FrigateClient, version: FrigateVersion) -> FrigateProbe:
    """Log in, read the stats and the config, and try the event and image endpoints.

    `version` is what :func:`identify` found. Raises what the client raises on the requests
    the integration cannot do without: FrigateUnsupportedVersionError,
    FrigateAuthenticationError, FrigateRateLimitedError, FrigateConnectionError and
    FrigateUnexpectedDeviceError.
    """
    endpoints = [Endpoint(request="GET /api/version", ok=True, detail=str(version))]
    info = await client.probe()
    if info.version.at_least(0, 14):
        user = info.profile.username if info.profile else None
        endpoints.append(
            Endpoint(
                request="GET /api/profile",
                ok=True,
                detail="no login needed on this port"
                if info.auth_mode == "none"
                else f"logged in as {user or '?'}",
            )
        )
    stats = await client.stats()
    config = await client.config()
    detectors = ", ".join(
        f"{name} {d.inference_speed:g} ms" if d.inference_speed is not None else name
        for name, d in stats.detectors.items()
    )
    endpoints += [
        Endpoint(
            request="GET /api/stats",
            ok=True,
            detail=f"{len(stats.cameras)} cameras; detectors: {detectors or 'none'}",
        ),
        Endpoint(request="GET /api/config", ok=True, detail=f"{len(config.cameras)} cameras"),
    ]
    recent, recent_endpoint = await _attempt(
        f"GET /api/events?limit={RECENT_EVENTS}",
        client.events(limit=RECENT_EVENTS),
        lambda events: f"{len(events)} recent events{_newest(events)}",
        failed_request="GET /api/events",
    )
    in_progress, in_progress_endpoint = await _attempt(
        "GET /api/events?in_progress=1",
        client.events(in_progress=True),
        lambda events: f"{len(events)} in progress",
    )
    summary, summary_endpoint = await _attempt(
        "GET /api/events/summary", client.events_summary(), lambda rows: f"{len(rows)} rows"
    )
    recordings, recordings_endpoint = await _attempt(
        "GET /api/recordings/storage",
        client.recordings_storage(),
        lambda storage: f"recordings of {len(storage)} cameras",
    )
    endpoints += [recent_endpoint, in_progress_endpoint, summary_endpoint, recordings_endpoint]
    endpoints += [await _still(client, camera) for camera in config.cameras]
    return FrigateProbe(
        url=client.url,
        info=info,
        stats=stats,
        config=config,
        recent_events=None if recent is None else tuple(recent),
        in_progress=None if in_progress is None else tuple(in_progress),
        summary=None if summary is None else tuple(summary),
        endpoints=tuple(endpoints),
        recordings=recordings,
    )
