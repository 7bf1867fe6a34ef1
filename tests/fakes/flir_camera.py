"""A fake FLIR automation camera (A50/A70, A400/A500/A700 REST API) over real HTTP.

It follows what real cameras do (``../shared/reference/flir-cameras.md``) and the OpenAPI
description for the unconfirmed JSON endpoints:

* ``GET /api/image/current`` with ``imgformat=JPEG`` (or none, or ``RJPEG``) serves a radiometric
  JPEG of the current scene; ``FLAME``/``FUSION`` plain JPEGs; ``VISIBLE`` the visual JPEG on the
  Smart Sensor profile, while the Image Streaming profile (A50/A70 style) refuses ``VISIBLE`` with
  400 and serves ``JPEG_visual`` (the name real A50/A70 cameras use; Smart Sensors serve both).
* ``/api/spot|box|line|tempsensor/{n}.json``, ``/api/alarms``, ``/api/alarm/{n}.json`` on the
  Smart Sensor profile only; everything unknown answers 404. Alarms are not available in Image
  Streaming cameras.
* ``/`` redirects to ``/login`` (web UI), optional Basic or Digest (RFC 7616, MD5, qop=auth) on
  ``/api/*``.

The scene is a temperature field: ambient plus warm blobs, drifting slowly (seeded) when ``drift``
is on, plus hot spots set by tests. JSON values and images come from the same field, so they agree.

Profile ``ax8`` serves the Ax8's resource interface instead (tests/fakes/flir_ax8.py), over the
same scene, tools, alarms and fault switches.

Run standalone: ``python -m tests.fakes.flir_camera --port 8081 --profile smart_sensor``.
"""

import argparse
import asyncio
import base64
import collections
import contextlib
import hashlib
import hmac
import io
import math
import re
import secrets
import socket
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Literal, cast

import numpy as np
import numpy.typing as npt
from aiohttp import web
from PIL import Image

from custom_components.flir_frigate.api.flir.encode import encode_rjpeg
from custom_components.flir_frigate.api.flir.measure import Area, line_points, measure_area
from custom_components.flir_frigate.api.flir.rjpeg import MeasurementTool
from custom_components.flir_frigate.api.flir.thermal import DEFAULT_CAMERA_INFO, CameraInfo
from tests.fakes.flir_ax8 import FakeAx8

type Profile = Literal["smart_sensor", "image_streaming", "ax8"]
type AuthKind = Literal["none", "basic", "digest"]
type RoiKind = Literal["spot", "box", "line", "tempsensor", "alarm"]
type FloatArray = npt.NDArray[np.float64]

AMBIENT_C = 22.0
REALM = "FLIR Camera"
NONCE_LIFETIME = 300.0
MAX_ROIS = 20  # more than the client's bound (10), so tests can check it


@dataclass(frozen=True, kw_only=True)
class _ProfileSpec:
    model: str
    serial: str
    resolution: tuple[int, int]  # width, height
    visual_resolution: tuple[int, int]
    raw_format: Literal["png", "raw"]
    big_endian: bool
    spots: int
    boxes: int
    lines: int
    alarms: int
    temp_sensors: int
    visible_name: bool  # accepts imgformat=VISIBLE


PROFILES: dict[str, _ProfileSpec] = {
    # A400 Smart Sensor: 320x240 thermal, measurement tools and alarms, PNG raw data.
    "smart_sensor": _ProfileSpec(
        model="FLIR A400",
        serial="55501234",
        resolution=(320, 240),
        visual_resolution=(640, 480),
        raw_format="png",
        big_endian=True,
        spots=2,
        boxes=2,
        lines=1,
        alarms=2,
        temp_sensors=2,
        visible_name=True,
    ),
    # A50 Image Streaming: 640x480, only /api/image/current; raw (TIFF-style, little-endian)
    # thermal data as inferred from public A50 client code; visual only as JPEG_visual.
    "image_streaming": _ProfileSpec(
        model="FLIR A50",
        serial="55509876",
        resolution=(640, 480),
        visual_resolution=(1280, 960),
        raw_format="raw",
        big_endian=False,
        spots=0,
        boxes=0,
        lines=0,
        alarms=0,
        temp_sensors=0,
        visible_name=False,
    ),
    # Ax8: 80x60, no /api at all; its resource interface is in tests/fakes/flir_ax8.py.
    "ax8": _ProfileSpec(
        model="FLIR AX8",
        serial="71201234",
        resolution=(80, 60),
        visual_resolution=(640, 480),
        raw_format="png",
        big_endian=True,
        spots=2,
        boxes=2,
        lines=0,
        alarms=2,
        temp_sensors=0,
        visible_name=False,
    ),
}


@dataclass
class Faults:
    """Misbehaviour switches, flipped by tests at runtime.

    ``paths`` limits every switch except ``not_flir`` to request paths starting with one of
    the given prefixes (``None``: all paths).
    """

    latency: float = 0.0
    status: int | None = None
    retry_after: str | float | None = None
    status_count: int | None = None  # how many requests get ``status``; None = all of them
    timeout: bool = False  # hang until the client gives up
    malformed_json: bool = False
    truncated_image: bool = False
    not_flir: bool | Literal["html", "json"] = False
    login_redirect: bool = False  # /api/* redirects to the web login page
    paths: tuple[str, ...] | None = None

    def applies(self, path: str) -> bool:
        """Whether the switches apply to ``path``."""
        return self.paths is None or path.startswith(self.paths)

    def reset(self) -> None:
        """Back to a well-behaved camera."""
        for name, value in vars(Faults()).items():
            setattr(self, name, value)


@dataclass(frozen=True, kw_only=True)
class SpotRoi:
    """A spot at pixel (x, y)."""

    x: int
    y: int


@dataclass(frozen=True, kw_only=True)
class BoxRoi:
    """A box with its top-left corner at (x, y)."""

    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True, kw_only=True)
class LineRoi:
    """A line from (x1, y1) to (x2, y2)."""

    x1: int
    y1: int
    x2: int
    y2: int


@dataclass(frozen=True, kw_only=True)
class TempSensorDef:
    """An internal temperature sensor (not in the image)."""

    name: str
    base_c: float


@dataclass(kw_only=True)
class AlarmDef:
    """An "above" alarm on one statistic of one ROI, with hysteresis."""

    name: str
    roi_kind: Literal["spot", "box", "line"]
    roi_instance: int
    stat: Literal["max", "min", "avg"]
    threshold_c: float
    hysteresis_c: float = 2.0
    triggered: bool = False
    acknowledged: bool = False

    @property
    def state(self) -> str:
        """``active``, ``acknowledged`` (still triggered) or ``inactive``."""
        if not self.triggered:
            return "inactive"
        return "acknowledged" if self.acknowledged else "active"


@dataclass(frozen=True, kw_only=True)
class Hotspot:
    """A disc at ``temp_c`` with a soft edge one radius wide."""

    x: float
    y: float
    temp_c: float
    radius: float


@dataclass(frozen=True, kw_only=True)
class _Blob:
    fx: float  # centre as a fraction of the frame
    fy: float
    fsigma: float  # spread as a fraction of the width
    delta_c: float  # peak above ambient
    period_s: float
    phase: float


_BLOBS = (
    _Blob(fx=0.3, fy=0.4, fsigma=0.06, delta_c=23.0, period_s=97.0, phase=0.0),
    _Blob(fx=0.7, fy=0.6, fsigma=0.05, delta_c=13.0, period_s=61.0, phase=1.3),
    _Blob(fx=0.55, fy=0.15, fsigma=0.08, delta_c=4.0, period_s=143.0, phase=2.1),
)

_PALETTE_STOPS = np.array(
    [
        [0, 0, 0],
        [40, 0, 110],
        [140, 0, 150],
        [215, 50, 60],
        [250, 140, 0],
        [255, 220, 40],
        [255, 255, 255],
    ],
    dtype=np.float64,
)
_PALETTE = np.stack(
    [
        np.interp(np.linspace(0, 1, 256), np.linspace(0, 1, len(_PALETTE_STOPS)), channel)
        for channel in _PALETTE_STOPS.T
    ],
    axis=1,
).astype(np.uint8)

_DIGEST_PARAM = re.compile(r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')


def _jpeg(rgb: npt.NDArray[np.uint8], size: tuple[int, int] | None = None) -> bytes:
    image = Image.fromarray(rgb, "RGB")
    if size is not None and size != image.size:
        image = image.resize(size, Image.Resampling.BILINEAR)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _colourise(temps: FloatArray) -> npt.NDArray[np.uint8]:
    low = float(np.min(temps))
    high = float(np.max(temps))
    scale = 255.0 / (high - low) if high > low else 0.0
    index = np.clip((temps - low) * scale, 0, 255).astype(np.uint8)
    return _PALETTE[index]


def _convert(value_c: float | None, unit: str) -> float | None:
    if value_c is None:
        return None
    match unit:
        case "F":
            value = value_c * 9.0 / 5.0 + 32.0
        case "K":
            value = value_c + 273.15
        case _:
            value = value_c
    return round(value, 2)


def _timestamp() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


class FakeFlirCamera:
    """An aiohttp app that behaves like a FLIR A-series camera; see the module docstring."""

    def __init__(
        self,
        *,
        profile: Profile = "smart_sensor",
        spots: int | None = None,
        boxes: int | None = None,
        lines: int | None = None,
        alarms: int | None = None,
        temp_sensors: int | None = None,
        auth: AuthKind = "none",
        username: str = "admin",
        password: str = "admin",
        serial: str | None = None,
        model: str | None = None,
        resolution: tuple[int, int] | None = None,
        drift: bool = True,
        seed: int = 0,
    ) -> None:
        """Configure the camera; nothing listens until :meth:`start`."""
        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}")
        if auth not in {"none", "basic", "digest"}:
            raise ValueError(f"unknown auth {auth!r}")
        spec = PROFILES[profile]
        self.profile: Profile = profile
        self.spec = spec
        self.auth: AuthKind = auth
        self.username = username
        self.password = password
        self.serial = serial or spec.serial
        self.model = model or spec.model
        self.width, self.height = resolution or spec.resolution
        self.drift = drift
        self.seed = seed
        self.faults = Faults()
        self.requests: collections.Counter[str] = collections.Counter()
        self.request_log: list[str] = []
        self.in_flight = 0
        self.max_concurrency = 0
        self.camera_info: CameraInfo = replace(
            DEFAULT_CAMERA_INFO, serial=self.serial, model=self.model
        )

        counts = {
            "spot": spec.spots if spots is None else spots,
            "box": spec.boxes if boxes is None else boxes,
            "line": spec.lines if lines is None else lines,
            "alarm": spec.alarms if alarms is None else alarms,
            "tempsensor": spec.temp_sensors if temp_sensors is None else temp_sensors,
        }
        for kind, count in counts.items():
            if not 0 <= count <= MAX_ROIS:
                raise ValueError(f"{kind} count must be 0..{MAX_ROIS}")
        self.spots: dict[int, SpotRoi] = {
            n: self._default_spot(n) for n in range(1, counts["spot"] + 1)
        }
        self.boxes: dict[int, BoxRoi] = {
            n: self._default_box(n) for n in range(1, counts["box"] + 1)
        }
        self.lines: dict[int, LineRoi] = {
            n: self._default_line(n) for n in range(1, counts["line"] + 1)
        }
        self.temp_sensors: dict[int, TempSensorDef] = {
            n: TempSensorDef(
                name=("Internal", "FPA")[n - 1] if n <= 2 else f"Sensor {n}",
                base_c=(38.5, 33.0)[n - 1] if n <= 2 else 30.0 + n,
            )
            for n in range(1, counts["tempsensor"] + 1)
        }
        self.alarms: dict[int, AlarmDef] = {
            n: self._default_alarm(n) for n in range(1, counts["alarm"] + 1)
        }
        self.hotspots: list[Hotspot] = []
        self.visual_revision = 0  # bump to change the visual scene (someone walked by)

        yy, xx = np.mgrid[0 : self.height, 0 : self.width]
        self._xx = xx.astype(np.float64)
        self._yy = yy.astype(np.float64)
        self._version = 0
        self._epoch = time.monotonic()
        self._frame_key: tuple[int, int] | None = None
        self._frame: FloatArray | None = None
        self._rjpeg: tuple[tuple[int, int], bytes] | None = None
        self._visual_cache: dict[tuple[int, int, int], bytes] = {}
        self._nonces: dict[str, tuple[float, int]] = {}  # nonce -> (issued, last nc)
        self._opaque = secrets.token_hex(8)
        self._stopping = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._host = "127.0.0.1"
        self.ax8 = FakeAx8(self) if profile == "ax8" else None
        self.app = self._make_app()

    # ------------------------------------------------------------------ geometry

    def _default_spot(self, n: int) -> SpotRoi:
        w, h = self.width, self.height
        if n == 1:  # on the second blob
            return SpotRoi(x=round(0.7 * w), y=round(0.6 * h))
        if n == 2:
            return SpotRoi(x=round(0.15 * w), y=round(0.8 * h))
        col, row = (n - 3) % 6, (n - 3) // 6
        return SpotRoi(x=round((0.1 + 0.15 * col) * w), y=round((0.25 + 0.2 * row) * h))

    def _default_box(self, n: int) -> BoxRoi:
        w, h = self.width, self.height
        if n == 1:  # around the hottest blob
            return BoxRoi(
                x=round(0.2 * w), y=round(0.28 * h), width=round(0.2 * w), height=round(0.24 * h)
            )
        if n == 2:
            return BoxRoi(
                x=round(0.55 * w), y=round(0.05 * h), width=round(0.3 * w), height=round(0.2 * h)
            )
        col, row = (n - 3) % 6, (n - 3) // 6
        return BoxRoi(
            x=round((0.05 + 0.15 * col) * w),
            y=round((0.55 + 0.12 * row) * h),
            width=round(0.1 * w),
            height=round(0.08 * h),
        )

    def _default_line(self, n: int) -> LineRoi:
        w, h = self.width, self.height
        y = round((0.4 + 0.05 * (n - 1)) * h) % h
        return LineRoi(x1=round(0.1 * w), y1=y, x2=round(0.9 * w) - 1, y2=y)

    def _default_alarm(self, n: int) -> AlarmDef:
        if n == 1 and self.boxes:
            return AlarmDef(
                name="Alarm 1", roi_kind="box", roi_instance=1, stat="max", threshold_c=60.0
            )
        if n == 2 and self.spots:
            return AlarmDef(
                name="Alarm 2", roi_kind="spot", roi_instance=1, stat="max", threshold_c=50.0
            )
        rois: list[tuple[Literal["spot", "box", "line"], int]] = [
            *(("box", i) for i in self.boxes),
            *(("spot", i) for i in self.spots),
            *(("line", i) for i in self.lines),
        ]
        if not rois:
            raise ValueError("alarms need at least one spot, box or line")
        kind, instance = rois[(n - 1) % len(rois)]
        return AlarmDef(
            name=f"Alarm {n}", roi_kind=kind, roi_instance=instance, stat="max", threshold_c=60.0
        )

    def area(self, kind: Literal["spot", "box", "line"], n: int) -> Area:
        """The measure.Area of ROI ``n``; KeyError when it does not exist."""
        match kind:
            case "spot":
                spot = self.spots[n]
                return Area(kind="spot", x=spot.x, y=spot.y)
            case "box":
                box = self.boxes[n]
                return Area(
                    kind="box",
                    x=box.x,
                    y=box.y,
                    x2=box.x + box.width - 1,
                    y2=box.y + box.height - 1,
                )
            case "line":
                line = self.lines[n]
                return Area(kind="line", x=line.x1, y=line.y1, x2=line.x2, y2=line.y2)

    # ---------------------------------------------------------------- test hooks

    def set_hotspot(self, x: float, y: float, temp_c: float, radius: float = 3.0) -> None:
        """Put a disc at ``temp_c`` centred on (x, y); alarms follow on the next request."""
        self.hotspots.append(Hotspot(x=x, y=y, temp_c=temp_c, radius=radius))
        self._version += 1

    def alarm_hotspot(self, n: int) -> tuple[float, float, float, float]:
        """Arguments for :meth:`set_hotspot` that trigger alarm ``n`` (x, y, temp_c, radius)."""
        alarm = self.alarms[n]
        area = self.area(alarm.roi_kind, alarm.roi_instance)
        x2 = area.x if area.x2 is None else area.x2
        y2 = area.y if area.y2 is None else area.y2
        return ((area.x + x2) / 2, (area.y + y2) / 2, alarm.threshold_c + 20.0, 3.0)

    def clear_hotspots(self) -> None:
        """Remove every hot spot set by :meth:`set_hotspot`."""
        self.hotspots.clear()
        self._version += 1

    def acknowledge(self, n: int) -> bool:
        """Acknowledge alarm ``n``; only a triggered alarm can be acknowledged."""
        self.temperatures()  # evaluate alarms on the current scene first
        alarm = self.alarms[n]
        if alarm.triggered:
            alarm.acknowledged = True
        return alarm.acknowledged

    def delete_roi(self, kind: RoiKind, n: int) -> None:
        """Delete an instance (as in the web UI); it answers 404 from now on."""
        tables: dict[str, dict[int, Any]] = {
            "spot": self.spots,
            "box": self.boxes,
            "line": self.lines,
            "tempsensor": self.temp_sensors,
            "alarm": self.alarms,
        }
        del tables[kind][n]
        self._version += 1  # the embedded measurement tools changed

    # --------------------------------------------------------------------- scene

    def _tick(self) -> int:
        return int(time.monotonic() - self._epoch) if self.drift else 0

    def temperatures(self) -> FloatArray:
        """The current temperature field (°C, height x width); do not modify it."""
        key = (self._tick(), self._version)
        if key != self._frame_key or self._frame is None:
            self._frame = self._render_field(key[0])
            self._frame_key = key
            self._evaluate_alarms(self._frame)
        return self._frame

    def _render_field(self, tick: int) -> FloatArray:
        w, h = self.width, self.height
        xx, yy = self._xx, self._yy
        temps = AMBIENT_C + 1.5 * (yy / h)  # floor a little warmer than ceiling
        for blob in _BLOBS:
            delta = blob.delta_c
            if self.drift:
                delta += (
                    0.12 * blob.delta_c * math.sin(2 * math.pi * tick / blob.period_s + blob.phase)
                )
            sigma = blob.fsigma * w
            temps += delta * np.exp(
                -((xx - blob.fx * w) ** 2 + (yy - blob.fy * h) ** 2) / (2 * sigma * sigma)
            )
        rng = np.random.default_rng([self.seed, tick])
        temps += rng.normal(0.0, 0.05, size=temps.shape)
        for spot in self.hotspots:
            distance = np.hypot(xx - spot.x, yy - spot.y)
            weight = np.clip(2.0 - distance / max(spot.radius, 0.5), 0.0, 1.0)
            temps = temps * (1.0 - weight) + spot.temp_c * weight
        return np.asarray(temps, dtype=np.float64)

    def _stat(
        self, temps: FloatArray, kind: Literal["spot", "box", "line"], n: int, stat: str
    ) -> float | None:
        try:
            area = self.area(kind, n)
        except KeyError:
            return None
        stats = measure_area(temps, area)
        value = getattr(stats, stat)
        return float(value) if value is not None and math.isfinite(value) else None

    def _evaluate_alarms(self, temps: FloatArray) -> None:
        for alarm in self.alarms.values():
            value = self._stat(temps, alarm.roi_kind, alarm.roi_instance, alarm.stat)
            if value is None:
                continue
            if not alarm.triggered and value > alarm.threshold_c:
                alarm.triggered = True
            elif alarm.triggered and value < alarm.threshold_c - alarm.hysteresis_c:
                alarm.triggered = False
                alarm.acknowledged = False

    def _line_points(self, temps: FloatArray, n: int) -> list[float]:
        xs, ys = line_points(self.area("line", n), self.width, self.height)
        return [float(v) for v in temps[ys, xs]]

    # -------------------------------------------------------------------- server

    @property
    def port(self) -> int:
        """The TCP port (after :meth:`start`)."""
        if self._port is None:
            raise RuntimeError("the fake camera is not running")
        return self._port

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:8081``."""
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self.port}"

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Listen on ``host:port`` (0 = any free port) and return the base URL."""
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(64)
        sock.setblocking(False)
        self._host = host
        self._port = sock.getsockname()[1]
        self._stopping.clear()
        self.app = self._make_app()  # an app cannot be set up twice: restart = new app
        runner = web.AppRunner(
            self.app, handle_signals=False, access_log=None, shutdown_timeout=1.0
        )
        await runner.setup()
        await web.SockSite(runner, sock).start()
        self._runner = runner
        return self.url

    async def stop(self) -> None:
        """Stop listening; requests hanging on a fault are released."""
        self._stopping.set()
        if self.ax8 is not None:
            await self.ax8.close_sockets()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._middleware])
        if self.ax8 is not None:
            self.ax8.add_routes(app)
            return app
        app.router.add_get("/", self._root)
        app.router.add_get("/login", self._login)
        app.router.add_get("/api/image/current", self._image)
        app.router.add_get(r"/api/spot/{n:\d+}.json", self._spot)
        app.router.add_get(r"/api/box/{n:\d+}.json", self._box)
        app.router.add_get(r"/api/line/{n:\d+}.json", self._line)
        app.router.add_get(r"/api/tempsensor/{n:\d+}.json", self._tempsensor)
        app.router.add_get("/api/alarms", self._alarms)
        app.router.add_get(r"/api/alarm/{n:\d+}.json", self._alarm)
        return app

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        self.requests[request.path] += 1
        self.request_log.append(request.path_qs)
        self.in_flight += 1
        self.max_concurrency = max(self.max_concurrency, self.in_flight)
        try:
            return await self._serve(request, handler)
        finally:
            self.in_flight -= 1

    async def _serve(self, request: web.Request, handler: Any) -> web.StreamResponse:
        faults = self.faults
        if faults.not_flir:
            return self._not_flir(faults.not_flir)
        affected = faults.applies(request.path)
        if affected and faults.latency > 0 and not await self._hang(request, faults.latency):
            return web.Response(status=504)  # the client left; nobody reads this
        if affected and faults.timeout:
            await self._hang(request)
            return web.Response(status=504)
        if affected and faults.status is not None and faults.status_count != 0:
            if faults.status_count is not None:
                faults.status_count -= 1
            headers = {}
            if faults.retry_after is not None:
                headers["Retry-After"] = str(faults.retry_after)
            return web.Response(status=faults.status, headers=headers, text=f"HTTP {faults.status}")
        if request.path.startswith("/api/"):
            if affected and faults.login_redirect:
                raise web.HTTPFound("/login")
            if (refusal := self._authenticate(request)) is not None:
                return refusal
        response = cast("web.StreamResponse", await handler(request))
        if affected and isinstance(response, web.Response) and isinstance(response.body, bytes):
            body = response.body
            if faults.malformed_json and response.content_type == "application/json":
                response.body = body[: max(1, len(body) // 2)]
            if faults.truncated_image and response.content_type == "image/jpeg":
                response.body = body[: max(1, len(body) * 3 // 5)]
        return response

    async def _hang(self, request: web.Request, seconds: float | None = None) -> bool:
        """Wait ``seconds`` (None: forever); False if the client hung up or the camera stopped."""
        deadline = None if seconds is None else time.monotonic() + seconds
        while not self._stopping.is_set():
            transport = request.transport
            if transport is None or transport.is_closing():
                return False
            left = 0.02 if deadline is None else min(0.02, deadline - time.monotonic())
            if left <= 0:
                return True
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), left)
        return False

    @staticmethod
    def _not_flir(kind: bool | str) -> web.Response:
        if kind == "json":
            return web.json_response({"status": "ok", "message": "hello", "items": [1, 2, 3]})
        return web.Response(
            text="<!DOCTYPE html><html><head><title>Welcome</title></head>"
            "<body><h1>It works!</h1></body></html>",
            content_type="text/html",
        )

    # ---------------------------------------------------------------------- auth

    def _authenticate(self, request: web.Request) -> web.Response | None:
        """``None`` when the request may pass, else the 401 to send."""
        if self.auth == "none":
            return None
        header = request.headers.get("Authorization", "")
        scheme, _, value = header.partition(" ")
        if self.auth == "basic":
            if scheme.lower() == "basic" and self._basic_ok(value.strip()):
                return None
            return self._unauthorized(f'Basic realm="{REALM}", charset="UTF-8"')
        stale = False
        if scheme.lower() == "digest":
            verdict = self._digest_ok(request, value)
            if verdict == "ok":
                return None
            stale = verdict == "stale"
        return self._unauthorized(self._digest_challenge(stale=stale))

    def _basic_ok(self, value: str) -> bool:
        try:
            decoded = base64.b64decode(value, validate=True).decode()
        except ValueError:
            return False
        user, sep, password = decoded.partition(":")
        return bool(sep) and self._credentials_match(user, password)

    def _credentials_match(self, user: str, password: str) -> bool:
        user_ok = hmac.compare_digest(user.encode(), self.username.encode())
        password_ok = hmac.compare_digest(password.encode(), self.password.encode())
        return user_ok and password_ok

    def _digest_challenge(self, *, stale: bool) -> str:
        now = time.monotonic()
        self._nonces = {
            nonce: entry for nonce, entry in self._nonces.items() if now - entry[0] < NONCE_LIFETIME
        }
        nonce = secrets.token_hex(16)
        self._nonces[nonce] = (now, 0)
        challenge = (
            f'Digest realm="{REALM}", qop="auth", algorithm=MD5, nonce="{nonce}", '
            f'opaque="{self._opaque}"'
        )
        return challenge + (", stale=true" if stale else "")

    def _digest_ok(self, request: web.Request, value: str) -> Literal["ok", "stale", "bad"]:  # noqa: PLR0911
        params = {
            match.group(1).lower(): match.group(2) if match.group(2) is not None else match.group(3)
            for match in _DIGEST_PARAM.finditer(value)
        }
        required = ("username", "realm", "nonce", "uri", "response", "qop", "nc", "cnonce")
        if any(key not in params for key in required):
            return "bad"
        if params.get("algorithm", "MD5").upper() != "MD5" or params["qop"] != "auth":
            return "bad"
        if params["realm"] != REALM or params["uri"] != request.raw_path:
            return "bad"
        ha1 = _md5(f"{params['username']}:{REALM}:{self.password}")
        ha2 = _md5(f"{request.method}:{params['uri']}")
        expected = _md5(f"{ha1}:{params['nonce']}:{params['nc']}:{params['cnonce']}:auth:{ha2}")
        user_ok = hmac.compare_digest(params["username"].encode(), self.username.encode())
        if not (user_ok and hmac.compare_digest(expected, params["response"].lower())):
            return "bad"
        entry = self._nonces.get(params["nonce"])
        try:
            nc = int(params["nc"], 16)
        except ValueError:
            return "bad"
        if entry is None or time.monotonic() - entry[0] >= NONCE_LIFETIME:
            return "stale"
        if nc <= entry[1]:
            return "bad"  # replayed
        self._nonces[params["nonce"]] = (entry[0], nc)
        return "ok"

    @staticmethod
    def _unauthorized(challenge: str) -> web.Response:
        return web.Response(
            status=401,
            headers={"WWW-Authenticate": challenge},
            text="401 Unauthorized",
        )

    # ------------------------------------------------------------------ handlers

    async def _root(self, request: web.Request) -> web.Response:
        raise web.HTTPFound("/login")

    async def _login(self, request: web.Request) -> web.Response:
        return web.Response(
            text=f"<!DOCTYPE html><html><head><title>{self.model}</title></head><body>"
            '<form method="post" action="/login"><input name="username">'
            '<input name="password" type="password"></form></body></html>',
            content_type="text/html",
        )

    @staticmethod
    def _unit(request: web.Request) -> str:
        unit = request.query.get("tempUnit", "C").upper()
        if unit not in {"C", "F", "K"}:
            raise web.HTTPBadRequest(text="invalid tempUnit")
        return unit

    @staticmethod
    def _instance(request: web.Request, table: dict[int, Any]) -> int:
        n = int(request.match_info["n"])
        if n not in table:
            raise web.HTTPNotFound(text="404: Not Found")
        return n

    async def _spot(self, request: web.Request) -> web.Response:
        n = self._instance(request, self.spots)
        unit = self._unit(request)
        spot = self.spots[n]
        stats = measure_area(self.temperatures(), self.area("spot", n))
        return web.json_response(
            {
                "name": f"Sp{n}",
                "temperature": _convert(stats.max, unit),
                "unit": unit,
                "x": spot.x,
                "y": spot.y,
                "timestamp": _timestamp(),
            }
        )

    async def _box(self, request: web.Request) -> web.Response:
        n = self._instance(request, self.boxes)
        unit = self._unit(request)
        box = self.boxes[n]
        stats = measure_area(self.temperatures(), self.area("box", n))
        return web.json_response(
            {
                "name": f"Bx{n}",
                "max": _convert(stats.max, unit),
                "min": _convert(stats.min, unit),
                "avg": _convert(stats.avg, unit),
                "unit": unit,
                "area": {"x": box.x, "y": box.y, "width": box.width, "height": box.height},
                "timestamp": _timestamp(),
            }
        )

    async def _line(self, request: web.Request) -> web.Response:
        n = self._instance(request, self.lines)
        unit = self._unit(request)
        temps = self.temperatures()
        stats = measure_area(temps, self.area("line", n))
        points = self._line_points(temps, n)
        return web.json_response(
            {
                "name": f"Li{n}",
                "max": _convert(stats.max, unit),
                "min": _convert(stats.min, unit),
                "avg": _convert(stats.avg, unit),
                "unit": unit,
                "points": [_convert(point, unit) for point in points],
                "timestamp": _timestamp(),
            }
        )

    async def _tempsensor(self, request: web.Request) -> web.Response:
        n = self._instance(request, self.temp_sensors)
        unit = self._unit(request)
        sensor = self.temp_sensors[n]
        value = sensor.base_c
        if self.drift:
            value += 0.4 * math.sin(2 * math.pi * self._tick() / 300.0 + n)
        return web.json_response(
            {
                "instance": n,
                "name": sensor.name,
                "temperature": _convert(value, unit),
                "unit": unit,
                "timestamp": _timestamp(),
            }
        )

    def _alarm_json(self, n: int, unit: str) -> dict[str, Any]:
        alarm = self.alarms[n]
        prefix = {"spot": "Sp", "box": "Bx", "line": "Li"}[alarm.roi_kind]
        return {
            "instance": n,
            "name": alarm.name,
            "state": alarm.state,
            "triggered": alarm.triggered,
            "threshold": _convert(alarm.threshold_c, unit),
            "unit": unit,
            "associatedROI": f"{prefix}{alarm.roi_instance}",
        }

    async def _alarms(self, request: web.Request) -> web.Response:
        if not self.spec.alarms and not self.alarms:
            raise web.HTTPNotFound(text="404: Not Found")  # Image Streaming: no alarms
        unit = self._unit(request)
        self.temperatures()
        return web.json_response(
            {"alarms": [self._alarm_json(n, unit) for n in sorted(self.alarms)]}
        )

    async def _alarm(self, request: web.Request) -> web.Response:
        n = self._instance(request, self.alarms)
        unit = self._unit(request)
        self.temperatures()
        return web.json_response(self._alarm_json(n, unit))

    # -------------------------------------------------------------------- images

    async def _image(self, request: web.Request) -> web.Response:
        image_format = request.query.get("imgformat", "JPEG")
        size = self._size(request)
        match image_format:
            case "JPEG" | "RJPEG":
                body = self._radiometric()
            case "FLAME":
                body = _jpeg(_colourise(self.temperatures()), size)
            case "FUSION":
                body = self._fusion(size)
            case "VISIBLE" if self.spec.visible_name:
                body = self._visual(size)
            case "JPEG_visual":
                body = self._visual(size)
            case _:
                raise web.HTTPBadRequest(text=f"unsupported imgformat {image_format}")
        return web.Response(body=body, content_type="image/jpeg")

    def _size(self, request: web.Request) -> tuple[int, int] | None:
        try:
            width = int(request.query["width"]) if "width" in request.query else None
            height = int(request.query["height"]) if "height" in request.query else None
        except ValueError as err:
            raise web.HTTPBadRequest(text="invalid width or height") from err
        if width is None and height is None:
            return None
        if (width is not None and not 1 <= width <= 4096) or (
            height is not None and not 1 <= height <= 4096
        ):
            raise web.HTTPBadRequest(text="invalid width or height")
        aspect = self.width / self.height
        if width is None:
            width = max(1, round(cast("int", height) * aspect))
        if height is None:
            height = max(1, round(width / aspect))
        return width, height

    def _radiometric(self) -> bytes:
        # Encoding is cheap (~15 ms) and cached per scene state, so it stays on the event loop
        # (no executor threads left behind in Home Assistant tests).
        temps = self.temperatures()
        key = cast("tuple[int, int]", self._frame_key)
        if self._rjpeg is None or self._rjpeg[0] != key:
            body = encode_rjpeg(
                temps,
                camera=self.camera_info,
                big_endian=self.spec.big_endian,
                raw_format=self.spec.raw_format,
                tools=self._tools(),
            )
            self._rjpeg = (key, body)
        return self._rjpeg[1]

    def _tools(self) -> tuple[MeasurementTool, ...]:
        """The measurement tools drawn on the camera, embedded like an AX8 does."""
        if self.profile == "image_streaming":
            return ()
        return (
            *(
                MeasurementTool(kind="spot", label=f"Sp{n}", params=(s.x, s.y))
                for n, s in self.spots.items()
            ),
            *(
                MeasurementTool(kind="box", label=f"Bx{n}", params=(b.x, b.y, b.width, b.height))
                for n, b in self.boxes.items()
            ),
            *(
                MeasurementTool(kind="line", label=f"Li{n}", params=(ln.x1, ln.y1, ln.x2, ln.y2))
                for n, ln in self.lines.items()
            ),
        )

    def _visual_rgb(self) -> npt.NDArray[np.uint8]:
        vw, vh = self.spec.visual_resolution
        yy, xx = np.mgrid[0:vh, 0:vw].astype(np.float64)
        rgb = np.empty((vh, vw, 3), dtype=np.float64)
        rgb[..., 0] = 150 + 40 * yy / vh
        rgb[..., 1] = 160 + 30 * yy / vh
        rgb[..., 2] = 175 - 20 * yy / vh
        for blob, colour in zip(
            _BLOBS, ((90, 95, 105), (60, 110, 70), (180, 180, 190)), strict=True
        ):
            half = 2.2 * blob.fsigma * vw
            inside = (np.abs(xx - blob.fx * vw) < half) & (np.abs(yy - blob.fy * vh) < half * 0.7)
            rgb[inside] = colour
        if self.visual_revision:  # a person-sized shape that moves with each revision
            left = (0.1 + 0.13 * (self.visual_revision % 7)) * vw
            inside = (np.abs(xx - left) < 0.03 * vw) & (np.abs(yy - 0.6 * vh) < 0.2 * vh)
            rgb[inside] = (200, 60, 40)
        return np.clip(rgb, 0, 255).astype(np.uint8)

    def _visual(self, size: tuple[int, int] | None) -> bytes:
        width, height = size or self.spec.visual_resolution
        key = (self.visual_revision, width, height)
        if key not in self._visual_cache:
            if len(self._visual_cache) > 8:
                self._visual_cache.clear()
            self._visual_cache[key] = _jpeg(self._visual_rgb(), (width, height))
        return self._visual_cache[key]

    def _fusion(self, size: tuple[int, int] | None) -> bytes:
        thermal = Image.fromarray(_colourise(self.temperatures()), "RGB")
        visual = Image.fromarray(self._visual_rgb(), "RGB").resize(thermal.size)
        blended = Image.blend(visual, thermal, 0.6)
        return _jpeg(np.asarray(blended), size)


async def _serve_forever(args: argparse.Namespace) -> None:
    camera = FakeFlirCamera(
        profile=args.profile,
        spots=args.spots,
        boxes=args.boxes,
        lines=args.lines,
        alarms=args.alarms,
        temp_sensors=args.temp_sensors,
        auth=args.auth,
        username=args.username,
        password=args.password,
        serial=args.serial,
        model=args.model,
        drift=not args.no_drift,
        seed=args.seed,
    )
    url = await camera.start("127.0.0.1", args.port)
    print(f"Fake {camera.model} ({args.profile}, auth {args.auth}) at {url}", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await camera.stop()


def main(argv: list[str] | None = None) -> None:
    """Command line: serve one fake camera on 127.0.0.1 until Ctrl-C."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.fakes.flir_camera", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--profile", choices=sorted(PROFILES), default="smart_sensor")
    parser.add_argument("--auth", choices=("none", "basic", "digest"), default="none")
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--serial", default=None, help="default: one per profile")
    parser.add_argument("--model", default=None)
    for kind in ("spots", "boxes", "lines", "alarms", "temp-sensors"):
        parser.add_argument(f"--{kind}", type=int, default=None, metavar="N")
    parser.add_argument("--no-drift", action="store_true", help="freeze the scene")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve_forever(args))


if __name__ == "__main__":
    main()
