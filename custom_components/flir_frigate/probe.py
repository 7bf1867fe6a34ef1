"""Diagnose a FLIR automation camera or a Frigate server without Home Assistant.

    python -m custom_components.flir_frigate.probe URL [--username U --password P] [--json]

It tells what the device is (FLIR camera or Frigate server, model or version), how it wants to
be logged in to, which endpoints and instances answer, and which entities the integration would
create for it. It uses only the integration's own clients (``api/``) with an HTTP session of
its own; Home Assistant does not have to run (its Python packages are imported with this
package, so run it where Home Assistant is installed, e.g. in its container from /config).

Exit status: 0 the device works with the integration; 2 bad command line; 3 cannot connect;
4 the device refused the credentials (or needs some); 5 not a FLIR automation camera or Frigate
server (or not the kind asked for); 6 Frigate too old; 1 anything else.
"""

import argparse
import asyncio
import contextlib
import json
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from enum import IntEnum
from functools import cache
from pathlib import Path
from typing import Literal, TextIO

import aiohttp
from yarl import URL

from .api.flir.client import FlirClient
from .api.flir.exceptions import (
    FlirAuthenticationError,
    FlirConnectionError,
    FlirDecodeError,
    FlirUnexpectedDeviceError,
)
from .api.flir.measure import frame_stats
from .api.flir.models import Capabilities, Measurements
from .api.flir.rjpeg import decode_rjpeg, is_radiometric
from .api.frigate.client import FrigateClient
from .api.frigate.exceptions import (
    FrigateAuthenticationError,
    FrigateConnectionError,
    FrigateError,
    FrigateRateLimitedError,
    FrigateUnexpectedDeviceError,
    FrigateUnsupportedVersionError,
)
from .api.frigate.models import FrigateConfig, FrigateStats, ServerInfo
from .api.frigate.version import FrigateVersion

PROG = "python -m custom_components.flir_frigate.probe"
TRANSLATIONS = Path(__file__).parent / "translations" / "en.json"
FULL_SYSTEM = "frigate.full_system"

type Kind = Literal["flir", "frigate"]


class Exit(IntEnum):
    """Exit statuses of the probe."""

    OK = 0
    ERROR = 1
    USAGE = 2
    CANNOT_CONNECT = 3
    AUTH = 4
    WRONG_KIND = 5
    UNSUPPORTED = 6


class ProbeError(Exception):
    """The probe cannot go on; the message says why and what to try."""

    def __init__(self, message: str, status: Exit, kind: Kind | None = None) -> None:
        """Keep the exit status and, when known, the kind of device."""
        super().__init__(message)
        self.status = status
        self.kind = kind


@dataclass(frozen=True, kw_only=True)
class Endpoint:
    """One request the probe made and how the device answered."""

    request: str
    ok: bool
    detail: str


@dataclass(frozen=True, kw_only=True)
class PlannedEntity:
    """An entity the integration would create."""

    platform: str
    device: str
    name: str  # as shown under the device ("" for the device's main entity)
    translation_key: str | None
    enabled: bool = True
    diagnostic: bool = False
    value: str | None = None


@dataclass(kw_only=True)
class Report:
    """Everything the probe found out."""

    kind: Kind
    url: str
    auth: str
    facts: dict[str, str] = field(default_factory=dict)
    endpoints: list[Endpoint] = field(default_factory=list)
    entities: list[PlannedEntity] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------------------- names


@cache
def _entity_names() -> dict[str, dict[str, str]]:
    """Entity names by platform and translation key, from translations/en.json."""
    data = json.loads(TRANSLATIONS.read_text(encoding="utf-8"))
    return {
        platform: {key: str(value.get("name", "")) for key, value in keys.items()}
        for platform, keys in data.get("entity", {}).items()
    }


def entity_name(platform: str, key: str | None, **placeholders: str) -> str:
    """The English name of an entity, as Home Assistant shows it under its device."""
    if key is None:
        return ""
    template = _entity_names().get(platform, {}).get(key, key)
    return re.sub(r"\{(\w+)\}", lambda m: placeholders.get(m[1], m[0]), template)


def _entity(
    platform: str,
    device: str,
    key: str | None,
    *,
    placeholders: Mapping[str, object] | None = None,
    value: object = None,
    enabled: bool = True,
    diagnostic: bool = False,
) -> PlannedEntity:
    names = {name: str(text) for name, text in (placeholders or {}).items()}
    return PlannedEntity(
        platform=platform,
        device=device,
        name=entity_name(platform, key, **names),
        translation_key=key,
        value=None if value is None else str(value),
        enabled=enabled,
        diagnostic=diagnostic,
    )


def _temp(value: float | None) -> str | None:
    return None if value is None else f"{value:.1f} °C"


def _unit(value: float | None, unit: str) -> str | None:
    return None if value is None else f"{value:g} {unit}"


def _on_off(value: bool | None) -> str | None:
    return None if value is None else ("on" if value else "off")


def _kilobytes(data: bytes) -> str:
    return f"{len(data) / 1000:.0f} kB"


# -------------------------------------------------------------------------------------- FLIR


def flir_entities(
    device: str,
    caps: Capabilities,
    *,
    radiometric: bool,
    measurements: Measurements | None = None,
    frame: dict[str, float | int] | None = None,
) -> list[PlannedEntity]:
    """The entities the integration creates for a FLIR camera with these capabilities."""
    m = measurements
    frame = frame or {}
    entities = [
        *(
            _entity(
                "sensor",
                device,
                "spot_temperature",
                placeholders={"instance": n},
                value=_temp(m.spots[n].temperature) if m and n in m.spots else None,
            )
            for n in caps.spots
        ),
        *(
            _entity(
                "sensor",
                device,
                f"{group}_{stat}",
                placeholders={"instance": n},
                value=_temp(getattr(items[n], stat)) if n in items else None,
            )
            for group, instances, items in (
                ("box", caps.boxes, m.boxes if m else {}),
                ("line", caps.lines, m.lines if m else {}),
            )
            for n in instances
            for stat in ("max", "min", "avg")
        ),
        *(
            _entity(
                "sensor",
                device,
                "temp_sensor_temperature",
                placeholders={"instance": n},
                diagnostic=True,
                value=_temp(m.temp_sensors[n].temperature) if m and n in m.temp_sensors else None,
            )
            for n in caps.temp_sensors
        ),
    ]
    for n in caps.alarms:
        alarm = m.alarms.get(n) if m else None
        entities += [
            _entity(
                "sensor",
                device,
                "alarm_threshold",
                placeholders={"instance": n},
                diagnostic=True,
                value=_temp(alarm.threshold) if alarm else None,
            ),
            _entity(
                "binary_sensor",
                device,
                "alarm",
                placeholders={"instance": n},
                value=f"{_on_off(alarm.triggered)} ({alarm.state})" if alarm else None,
            ),
            _entity("event", device, "alarm_event", placeholders={"instance": n}),
        ]
    if radiometric:
        entities += [
            _entity("sensor", device, "frame_max", value=_temp(frame.get("max"))),
            _entity("sensor", device, "frame_min", value=_temp(frame.get("min"))),
            _entity("sensor", device, "frame_mean", value=_temp(frame.get("mean"))),
            _entity("sensor", device, "hot_spot_x", diagnostic=True, value=frame.get("hot_x")),
            _entity("sensor", device, "hot_spot_y", diagnostic=True, value=frame.get("hot_y")),
            _entity("image", device, "thermal_picture"),
        ]
    entities.append(_entity("camera", device, "thermal"))
    if caps.visual_format is not None:
        entities.append(_entity("image", device, "visual"))
    return entities


def _instances(instances: tuple[int, ...]) -> str:
    word = "instance" if len(instances) == 1 else "instances"
    return f"{word} {', '.join(map(str, instances))}"


async def probe_flir(client: FlirClient) -> Report:
    """Identify a FLIR camera, discover its endpoints and plan its entities."""
    report = Report(kind="flir", url=client.base_url, auth="none")
    image = await client.check()
    caps = await client.discover()
    report.auth = caps.auth
    radiometric = is_radiometric(image)
    frame: dict[str, float | int] = {}
    model = serial = None
    if radiometric:
        try:
            decoded = await asyncio.to_thread(decode_rjpeg, image)
        except FlirDecodeError as err:
            radiometric = False
            report.notes.append(f"The thermal image looks radiometric but does not decode: {err}")
        else:
            stats = frame_stats(decoded.temperatures())
            frame = {
                "max": stats.max,
                "min": stats.min,
                "mean": stats.mean,
                "hot_x": stats.hot_x,
                "hot_y": stats.hot_y,
            }
            model = decoded.camera.model.strip() or None
            serial = decoded.camera.serial.strip() or None
            report.facts["Thermal image"] = (
                f"{decoded.width}x{decoded.height} radiometric, "
                f"{stats.min:.1f} to {stats.max:.1f} °C (mean {stats.mean:.1f} °C)"
            )
    if not radiometric:
        report.facts["Thermal image"] = "a plain JPEG (no temperatures in it)"
    report.facts["Model"] = model or "unknown (not in the image)"
    report.facts["Serial number"] = serial or "unknown (not in the image)"
    report.facts["Authentication"] = caps.auth
    report.endpoints.append(
        Endpoint(
            request="GET /api/image/current?imgformat=JPEG",
            ok=True,
            detail=f"{'radiometric' if radiometric else 'plain'} JPEG, {_kilobytes(image)}",
        )
    )
    report.endpoints.append(
        Endpoint(
            request=f"GET /api/image/current?imgformat={caps.visual_format or 'VISIBLE'}",
            ok=caps.visual_format is not None,
            detail="visual JPEG"
            if caps.visual_format
            else "no visual image (VISIBLE, JPEG_visual)",
        )
    )
    for kind, instances in (
        ("spot", caps.spots),
        ("box", caps.boxes),
        ("line", caps.lines),
        ("tempsensor", caps.temp_sensors),
    ):
        report.endpoints.append(
            Endpoint(
                request=f"GET /api/{kind}/N.json",
                ok=bool(instances),
                detail=_instances(instances) if instances else "not served",
            )
        )
    report.endpoints.append(
        Endpoint(
            request="GET /api/alarms" if caps.has_alarms_endpoint else "GET /api/alarm/N.json",
            ok=bool(caps.alarms),
            detail=f"alarms {', '.join(map(str, caps.alarms))}" if caps.alarms else "not served",
        )
    )
    measurements = await client.measurements() if caps.has_measurements else None
    if measurements is not None and measurements.failed:
        report.notes.append(f"These failed this cycle: {', '.join(measurements.failed)}")
    if not caps.has_measurements:
        report.notes.append(
            "No JSON measurement endpoints: every temperature comes from the radiometric "
            "image (as on A50/A70 and most A400/A500/A700 firmware)."
        )
    device = " ".join(part for part in (model, serial) if part) or client.base_url
    report.facts["Device name"] = device
    report.entities = flir_entities(
        device, caps, radiometric=radiometric, measurements=measurements, frame=frame
    )
    return report


# ----------------------------------------------------------------------------------- Frigate


def frigate_device_name(url: str) -> str:
    """The name of a Frigate server's device: `Frigate <host[:port]>`."""
    parsed = URL(url)
    port = f":{parsed.explicit_port}" if parsed.explicit_port is not None else ""
    return f"Frigate {parsed.host}{port}"


def camera_device_name(camera: str) -> str:
    """The name of a Frigate camera's device: `front_door` -> `Front Door`."""
    return camera.replace("_", " ").replace("-", " ").title()


def _label(label: str) -> str:
    return label.replace("_", " ").capitalize()


def frigate_entities(
    server: str, config: FrigateConfig, stats: FrigateStats
) -> list[PlannedEntity]:
    """The entities the integration creates for a Frigate server (default options)."""
    service = stats.service
    entities = [
        _entity("sensor", server, "frigate_uptime", diagnostic=True),
        _entity("sensor", server, "frigate_version", diagnostic=True, value=service.version),
    ]
    if FULL_SYSTEM in stats.cpu_usages:
        entities.append(
            _entity(
                "sensor",
                server,
                "frigate_cpu_usage",
                diagnostic=True,
                value=_unit(stats.cpu_usages[FULL_SYSTEM].cpu, "%"),
            )
        )
    entities += [
        _entity(
            "sensor",
            server,
            "frigate_inference_speed",
            diagnostic=True,
            placeholders={"detector": name},
            value=_unit(detector.inference_speed, "ms"),
        )
        for name, detector in stats.detectors.items()
    ]
    for key, placeholder, items in (
        ("frigate_storage_used", "mount", service.storage),
        ("frigate_gpu_usage", "gpu", stats.gpu_usages),
        ("frigate_temperature", "device", stats.temperatures),
    ):
        entities += [
            _entity("sensor", server, key, diagnostic=True, placeholders={placeholder: item})
            for item in items
        ]
    entities.append(_entity("update", server, None))
    for name, camera in config.cameras.items():
        device = camera_device_name(name)
        camera_stats = stats.cameras.get(name)
        entities += [
            _entity("camera", device, None),
            _entity("image", device, "frigate_snapshot"),
            _entity(
                "sensor",
                device,
                "frigate_camera_fps",
                diagnostic=True,
                value=_unit(camera_stats.camera_fps if camera_stats else None, "fps"),
            ),
            _entity(
                "sensor",
                device,
                "frigate_detection_fps",
                diagnostic=True,
                value=_unit(camera_stats.detection_fps if camera_stats else None, "fps"),
            ),
            _entity("sensor", device, "frigate_process_fps", diagnostic=True, enabled=False),
            _entity("sensor", device, "frigate_skipped_fps", diagnostic=True, enabled=False),
            _entity("sensor", device, "frigate_events_today"),
            _entity("sensor", device, "frigate_last_event"),
            _entity(
                "binary_sensor",
                device,
                "frigate_online",
                diagnostic=True,
                value=_on_off(None if camera_stats is None else camera_stats.online),
            ),
            _entity("binary_sensor", device, "frigate_object_detected"),
            _entity("event", device, "frigate_tracked_object"),
        ]
        if camera_stats is not None and camera_stats.connection_quality is not None:
            entities.append(
                _entity(
                    "sensor",
                    device,
                    "frigate_connection_quality",
                    diagnostic=True,
                    value=camera_stats.connection_quality,
                )
            )
        for label in camera.tracked_objects:
            placeholders = {"label": _label(label)}
            entities += [
                _entity(
                    "binary_sensor", device, "frigate_label_detected", placeholders=placeholders
                ),
                _entity(
                    "sensor",
                    device,
                    "frigate_label_events_today",
                    placeholders=placeholders,
                    enabled=False,
                ),
                _entity(
                    "image", device, "frigate_best_image", placeholders=placeholders, enabled=False
                ),
            ]
        entities += [
            _entity(
                "binary_sensor",
                device,
                "frigate_zone_occupied",
                placeholders={"zone": _label(zone)},
            )
            for zone in camera.zones
        ]
    return entities


def _describe_camera(name: str, config: FrigateConfig, stats: FrigateStats) -> str:
    camera = config.cameras[name]
    parts = []
    if camera.detect_width and camera.detect_height:
        parts.append(f"detect {camera.detect_width}x{camera.detect_height}")
    camera_stats = stats.cameras.get(name)
    if camera_stats is not None and camera_stats.camera_fps is not None:
        parts.append(f"{camera_stats.camera_fps:g} fps")
    if camera.enabled is False:
        parts.append("disabled")
    elif camera_stats is None or camera_stats.online is False:
        parts.append("OFFLINE")
    if camera.tracked_objects:
        parts.append(f"tracks {', '.join(camera.tracked_objects)}")
    if camera.zones:
        parts.append(f"zones {', '.join(camera.zones)}")
    if camera.restream_name:
        parts.append(f"RTSP restream {camera.restream_name}")
    return f"{name} ({'; '.join(parts)})" if parts else name


async def _media_endpoints(client: FrigateClient, config: FrigateConfig) -> list[Endpoint]:
    """Events, the summary and each camera's still: reported, never fatal."""
    endpoints: list[Endpoint] = []
    try:
        events = await client.events(limit=5)
    except FrigateError as err:
        endpoints.append(Endpoint(request="GET /api/events", ok=False, detail=str(err)))
    else:
        endpoints.append(
            Endpoint(
                request="GET /api/events?limit=5",
                ok=True,
                detail=f"{len(events)} recent events"
                + (f", newest: {events[0].label} on {events[0].camera}" if events else ""),
            )
        )
    try:
        rows = await client.events_summary()
    except FrigateError as err:
        endpoints.append(Endpoint(request="GET /api/events/summary", ok=False, detail=str(err)))
    else:
        endpoints.append(
            Endpoint(request="GET /api/events/summary", ok=True, detail=f"{len(rows)} rows")
        )
    for name in config.cameras:
        try:
            still = await client.latest_jpg(name, height=180)
        except FrigateError as err:
            endpoints.append(
                Endpoint(request=f"GET /api/{name}/latest.jpg", ok=False, detail=str(err))
            )
        else:
            endpoints.append(
                Endpoint(
                    request=f"GET /api/{name}/latest.jpg?height=180",
                    ok=True,
                    detail=f"JPEG, {_kilobytes(still)}",
                )
            )
    return endpoints


async def probe_frigate(client: FrigateClient, version: FrigateVersion) -> Report:
    """Check a Frigate server's endpoints and plan its entities."""
    report = Report(kind="frigate", url=client.url, auth=client.configured_auth)
    report.endpoints.append(Endpoint(request="GET /api/version", ok=True, detail=str(version)))
    info: ServerInfo = await client.probe()
    report.auth = info.auth_mode
    report.facts["Version"] = str(info.version)
    auth: str = info.auth_mode
    if info.auth_mode != "none" and info.profile is not None and info.profile.username:
        auth += f" (user {info.profile.username}"
        auth += f", role {info.profile.role})" if info.profile.role else ")"
    report.facts["Authentication"] = auth
    if info.version.at_least(0, 14):
        report.endpoints.append(
            Endpoint(
                request="GET /api/profile",
                ok=True,
                detail="no login needed on this port"
                if info.auth_mode == "none"
                else f"logged in as {info.profile.username if info.profile else '?'}",
            )
        )
    stats = await client.stats()
    config = await client.config()
    detectors = ", ".join(
        f"{name} {d.inference_speed:g} ms" if d.inference_speed is not None else name
        for name, d in stats.detectors.items()
    )
    report.endpoints.append(
        Endpoint(
            request="GET /api/stats",
            ok=True,
            detail=f"{len(stats.cameras)} cameras; detectors: {detectors or 'none'}",
        )
    )
    report.endpoints.append(
        Endpoint(request="GET /api/config", ok=True, detail=f"{len(config.cameras)} cameras")
    )
    report.facts["Cameras"] = (
        ", ".join(_describe_camera(name, config, stats) for name in config.cameras) or "none"
    )
    report.endpoints += await _media_endpoints(client, config)
    latest = stats.service.latest_version
    with contextlib.suppress(ValueError):
        if latest and FrigateVersion.parse(latest) > info.version:
            report.notes.append(f"Frigate {latest} is available (this server runs {version}).")
    server = frigate_device_name(client.url)
    report.facts["Device name"] = server
    report.entities = frigate_entities(server, config, stats)
    return report


# -------------------------------------------------------------------------------------- main


def _url(text: str) -> str:
    """What the user typed, as a URL (http:// when no scheme is given)."""
    value = text.strip()
    return value if "://" in value else f"http://{value}"


async def _frigate_version(client: FrigateClient) -> FrigateVersion | None:
    """Frigate's version from its public endpoint, or None when it does not answer like Frigate.

    FrigateConnectionError when nothing answers at all.
    """
    try:
        return await client.version()
    except FrigateConnectionError:
        raise
    except FrigateError:
        return None


def _reason(err: BaseException) -> str:
    """Why a connection failed, in the operating system's words when it gave any."""
    cause = err.__cause__ or err
    os_error = getattr(cause, "os_error", None)
    return str(getattr(os_error, "strerror", None) or cause or type(cause).__name__)


def _flir_client(url: str, session: aiohttp.ClientSession, args: argparse.Namespace) -> FlirClient:
    return FlirClient(
        url,
        session=session,
        username=args.username,
        password=args.password,
        request_timeout=args.timeout,
        verify_ssl=not args.insecure,
    )


def _frigate_client(
    url: str, session: aiohttp.ClientSession, args: argparse.Namespace
) -> FrigateClient:
    has_user = args.username is not None
    return FrigateClient(
        url,
        session=session,
        username=args.username if has_user else None,
        password=(args.password or "") if has_user else None,
        token=args.token,
        verify_ssl=not args.insecure,
        request_timeout=args.timeout,
    )


async def run_probe(args: argparse.Namespace) -> Report:
    """Probe the device; ProbeError (with an exit status) when it cannot be used."""
    url = _url(args.url)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:
        try:
            frigate = _frigate_client(url, session, args)
            flir = _flir_client(url, session, args) if args.token is None else None
        except ValueError as err:
            raise ProbeError(f"{args.url}: {err}", Exit.USAGE) from err
        try:
            version = await _frigate_version(frigate)
        except FrigateConnectionError as err:
            raise ProbeError(
                f"Cannot connect to {url} ({_reason(err)}). Check the address and the port, "
                "and that this computer reaches the device.",
                Exit.CANNOT_CONNECT,
            ) from err
        if version is not None:
            if args.kind == "flir":
                raise ProbeError(
                    f"{url} is a Frigate server ({version}), not a FLIR automation camera.",
                    Exit.WRONG_KIND,
                    "frigate",
                )
            return await _run_frigate(frigate, version)
        if flir is None:
            raise ProbeError(
                f"{url} does not answer like a Frigate server (GET /api/version).",
                Exit.WRONG_KIND,
            )
        return await _run_flir(flir, url, args.kind)


async def _run_frigate(client: FrigateClient, version: FrigateVersion) -> Report:
    try:
        return await probe_frigate(client, version)
    except FrigateUnsupportedVersionError as err:
        raise ProbeError(
            f"Frigate {err.version} is too old: the integration supports 0.12 and newer.",
            Exit.UNSUPPORTED,
            "frigate",
        ) from err
    except FrigateRateLimitedError as err:
        raise ProbeError(
            f"Frigate refuses logins for {err.retry_after:.0f} s after failed attempts; "
            "wait, then try again with the right password.",
            Exit.AUTH,
            "frigate",
        ) from err
    except FrigateAuthenticationError as err:
        raise ProbeError(
            f"Frigate {version.short} at {client.url} refused the login ({err}). "
            "On the authenticated port (8971) give --username and --password of a Frigate "
            "user (or --token); the internal port 5000 needs none.",
            Exit.AUTH,
            "frigate",
        ) from err
    except FrigateConnectionError as err:
        raise ProbeError(
            f"Frigate {version.short} at {client.url} stopped answering: {err}",
            Exit.CANNOT_CONNECT,
            "frigate",
        ) from err
    except FrigateUnexpectedDeviceError as err:
        raise ProbeError(
            f"{client.url} answers /api/version like Frigate, but not the rest: {err}",
            Exit.WRONG_KIND,
            "frigate",
        ) from err


async def _run_flir(client: FlirClient, url: str, kind: str) -> Report:
    try:
        report = await probe_flir(client)
    except FlirAuthenticationError as err:
        raise ProbeError(
            f"The device at {url} refused the request ({err}). If it is a FLIR camera whose "
            "REST API needs a login, give --username and --password of a web user.",
            Exit.AUTH,
            "flir",
        ) from err
    except FlirUnexpectedDeviceError as err:
        what = (
            "a FLIR automation camera"
            if kind == "flir"
            else ("a FLIR automation camera or a Frigate server")
        )
        raise ProbeError(
            f"{url} answers, but it is not {what}: {err}.",
            Exit.WRONG_KIND,
        ) from err
    except FlirConnectionError as err:
        raise ProbeError(f"Cannot talk to {url}: {err}", Exit.CANNOT_CONNECT, "flir") from err
    if kind == "frigate":
        raise ProbeError(
            f"{url} is a FLIR automation camera ({report.facts.get('Model')}), "
            "not a Frigate server.",
            Exit.WRONG_KIND,
            "flir",
        )
    return report


def render(report: Report, out: TextIO) -> None:
    """The report as text."""
    title = "FLIR automation camera" if report.kind == "flir" else "Frigate NVR"
    out.write(f"{title} at {report.url}\n")
    width = max(len(key) for key in report.facts) + 2
    out.writelines(f"  {key:<{width}}{value}\n" for key, value in report.facts.items())
    out.write("\nEndpoints\n")
    request_width = max(len(e.request) for e in report.endpoints) + 2
    for endpoint in report.endpoints:
        mark = "ok" if endpoint.ok else "--"
        out.write(f"  {mark}  {endpoint.request:<{request_width}}{endpoint.detail}\n")
    enabled = [e for e in report.entities if e.enabled]
    out.write(
        f"\nEntities the integration would create: {len(report.entities)}"
        f" ({len(report.entities) - len(enabled)} of them disabled until you enable them)\n"
    )
    devices = list(dict.fromkeys(e.device for e in report.entities))
    for device in devices:
        out.write(f"  {device}\n")
        for entity in (e for e in report.entities if e.device == device):
            name = entity.name or f"({device})"
            flags = [
                flag
                for flag, on in (
                    ("diagnostic", entity.diagnostic),
                    ("disabled", not entity.enabled),
                )
                if on
            ]
            value = f"  = {entity.value}" if entity.value is not None else ""
            extra = f"  [{', '.join(flags)}]" if flags else ""
            out.write(f"    {entity.platform:<14}{name}{value}{extra}\n")
    out.writelines(f"\nNote: {note}\n" for note in report.notes)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Diagnose a FLIR automation camera or a Frigate server without Home "
        "Assistant: what it is, how it logs in, which endpoints answer and which entities "
        "the FLIR & Frigate Cameras integration would create.",
    )
    parser.add_argument("url", help="address of the device: IP, host:port or http(s) URL")
    parser.add_argument("--username", "-u", help="user of the camera's REST API or of Frigate")
    parser.add_argument("--password", "-p", help="that user's password")
    parser.add_argument("--token", help="Frigate only: a static bearer token instead of a user")
    parser.add_argument(
        "--kind",
        choices=("auto", "flir", "frigate"),
        default="auto",
        help="what the device should be (default: find out)",
    )
    parser.add_argument("--insecure", action="store_true", help="do not verify TLS certificates")
    parser.add_argument(
        "--timeout", type=float, default=10.0, help="seconds per request (default 10)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


async def async_main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the probe and print the report; returns the exit status."""
    out = out or sys.stdout
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as err:
        return int(err.code or 0)
    if args.password is not None and args.username is None:
        parser.print_usage(sys.stderr)
        sys.stderr.write(f"{PROG}: error: --password needs --username\n")
        return Exit.USAGE
    if args.token is not None and args.username is not None:
        parser.print_usage(sys.stderr)
        sys.stderr.write(f"{PROG}: error: give either --username/--password or --token\n")
        return Exit.USAGE
    try:
        report = await run_probe(args)
    except ProbeError as err:
        if args.json:
            out.write(
                json.dumps({"ok": False, "kind": err.kind, "error": str(err), "exit": err.status})
                + "\n"
            )
        else:
            sys.stderr.write(f"{PROG}: {err}\n")
        return err.status
    except (aiohttp.ClientError, TimeoutError) as err:  # pragma: no cover - the clients wrap these
        sys.stderr.write(f"{PROG}: unexpected network error: {err!r}\n")
        return Exit.ERROR
    if args.json:
        out.write(json.dumps({"ok": True, **asdict(report)}, default=str) + "\n")
    else:
        render(report, out)
    return Exit.OK


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    with contextlib.suppress(KeyboardInterrupt):
        return asyncio.run(async_main(argv))
    return Exit.ERROR  # pragma: no cover - interrupted by the user


if __name__ == "__main__":
    sys.exit(main())
