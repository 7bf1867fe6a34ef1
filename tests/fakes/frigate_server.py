"""Fake Frigate NVR server: an aiohttp app that answers like Frigate 0.11-0.18.

Behaviour follows ../shared/reference/frigate-api.md (not our client): per-version shapes of
`/api/stats` (camera blocks at the top level up to 0.12, under `cameras` from 0.13; detector
temperatures and `connection_quality` in 0.18), `/api/config`, events and summary rows, the
height parameter of images (`h` up to 0.14, `height` from 0.15; the other one is ignored), the
MJPEG debug stream, best.jpg (black image up to 0.16, 404 from 0.17), and the 0.14+ login (JWT
in a cookie whose name is configurable, 401 without it on the authenticated port, rate-limited
failed logins answered with 429). nginx in front of the API as real servers showed it: the 5 s
cache of JSON answers from 0.13 (`X-Cache-Status`, bypassed by `X-Cache-Bypass: 1`) and its
500/502 pages while the API process is down (`set_api_down`); manual events stored with their end
time; 0.17+ friendly names; the 0.18 connection rating from reconnects and stalls.

Standalone::

    python -m tests.fakes.frigate_server --port 5000 --version 0.17 --auth login \
        --username admin --password frigate

From tests::

    server = FakeFrigateServer(version="0.17", auth="none")
    url = await server.start()
    ...
    await server.stop()
"""

import argparse
import asyncio
import base64
import contextlib
import datetime as dt
import hashlib
import hmac
import io
import itertools
import json
import random
import re
import secrets
import string
import struct
import time
import zoneinfo
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from aiohttp import web
from PIL import Image, ImageDraw, ImageFont

from .frigate_live import FakeLive, merge_into
from .frigate_media import FakeMedia
from .frigate_recognition import FakeRecognition

if TYPE_CHECKING:
    import ssl

type Json = Any
type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

VERSION_STRINGS: dict[str, str] = {
    "0.11": "0.11.1-2eada21",
    "0.12": "0.12.1-367d724",
    "0.13": "0.13.2-6476f8a",
    "0.14": "0.14.1-f4f3cfa",
    "0.15": "0.15.2-d1d4e0a",
    "0.16": "0.16.2-4ba7c61",
    "0.17": "0.17.2-3d4dd3a",
    "0.18": "0.18.0-e3fa701",
}
SUPPORTED_VERSIONS = tuple(v for v in VERSION_STRINGS if v != "0.11")
_CONFIG_SCHEMA = {"0.14": "0.14", "0.15": "0.15-1", "0.16": "0.16-0", "0.17": "0.17-0"}
_CONFIG_SCHEMA |= {"0.18": "0.18-0"}
_DEFAULT_ZONES = {"front_door": ("porch", "driveway"), "backyard": ("lawn",)}
_NGINX_401 = (
    "<html>\r\n<head><title>401 Authorization Required</title></head>\r\n<body>\r\n"
    "<center><h1>401 Authorization Required</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
_NGINX_404 = "<html><head><title>404 Not Found</title></head><body>404 Not Found</body></html>"
_PUBLIC_PATHS = frozenset({"/api/version", "/api/login", "/api/logout", "/api/auth"})
# nginx in front of Frigate (docker/main/rootfs/usr/local/nginx/conf/nginx.conf), see the
# "nginx" section of FakeFrigateServer: from 0.13 `location /api/` caches JSON answers 5 s.
NGINX_CACHE_SECONDS = 5.0
_IMAGE_LOCATION = re.compile(r"/api/.*\.(jpg|jpeg|png|webp|gif)$", re.IGNORECASE)
MANUAL_EVENT_PRE_CAPTURE = 5.0  # record.event_pre_capture, Frigate's default
_NGINX_500 = (
    "<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n"
    "<center><h1>500 Internal Server Error</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
_NGINX_502 = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
# Locations nested in `location /api/` with `auth_request off` (no auth subrequest).
_NO_AUTH_REQUEST = ("/api/login", "/api/logout", "/api/auth/first_time_login")
_FIXED_API = frozenset({"version", "stats", "config", "events", "profile", "login", "logout"})


@dataclass
class Faults:
    """Fault switches, flipped by tests at runtime.

    ``paths`` limits every switch to request paths starting with one of the given prefixes
    (``None``: all paths).
    """

    latency: float = 0.0  # seconds added before every answer
    status: int | None = None  # answer with this status (e.g. 502)
    status_count: int | None = None  # how many requests get ``status``; None = all of them
    retry_after: str | float | None = None  # Retry-After header sent with ``status``
    timeout: bool = False  # never answer (until the client hangs up)
    malformed_json: bool = False  # JSON bodies cut in half
    truncated_image: bool = False  # JPEG bodies cut short
    paths: tuple[str, ...] | None = None

    def applies(self, path: str) -> bool:
        """Whether the switches apply to ``path``."""
        return self.paths is None or path.startswith(self.paths)

    def reset(self) -> None:
        """Back to a well-behaved server."""
        for name, value in vars(Faults()).items():
            setattr(self, name, value)


@dataclass
class FakeCamera:
    """A camera of the fake server."""

    name: str
    index: int
    width: int = 640
    height: int = 360
    fps: int = 5
    zones: tuple[str, ...] = ()
    track: tuple[str, ...] = ("person", "car")
    offline: bool = False
    frozen_frame: int = 0
    # 0.17+ `friendly_name` of the camera and of its zones (zone -> name); None/absent: unset.
    friendly_name: str | None = None
    zone_names: dict[str, str] = field(default_factory=dict)
    # 0.18 connection health over the last hour (frigate/stats/util.py rates it from these).
    reconnects_last_hour: int = 0
    stalls_last_hour: int = 0


@dataclass
class FakeEvent:
    """A tracked object event."""

    id: str
    camera: str
    label: str
    start_time: float
    end_time: float | None
    zones: list[str]
    sub_label: str | None
    score: float
    top_score: float
    has_clip: bool
    has_snapshot: bool
    box: tuple[int, int, int, int]  # x1, y1, x2, y2 in pixels
    frame_size: tuple[int, int]
    snapshot: bytes
    thumbnail: bytes
    event_type: str = "object"
    retain: bool = False


@dataclass(frozen=True)
class RequestRecord:
    """One request the fake received (never the password)."""

    method: str
    path: str
    query: dict[str, str]
    authorization: bool


@dataclass(frozen=True)
class _NginxEntry:
    """A JSON answer nginx keeps in its `api_cache` zone."""

    stored: float  # time.monotonic() when it was stored
    body: bytes
    headers: dict[str, str]


@dataclass
class _LoginLimit:
    failures: int = 5
    window: float = 60.0
    history: list[float] = field(default_factory=list)


# ------------------------------------------------------------------------------ images


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except OSError:  # pragma: no cover - Pillow without FreeType
        return ImageFont.load_default()


def _encode_jpeg(image: Image.Image, quality: int = 70) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def _scale_to_height(image: Image.Image, height: int | None) -> Image.Image:
    if height is None or height == image.height:
        return image
    height = max(1, min(height, 2160))
    width = max(1, round(image.width * height / image.height))
    return image.resize((width, height), Image.Resampling.BILINEAR)


def _render_frame(camera: FakeCamera, frame: int, stamp: float) -> Image.Image:
    hue = (camera.index * 67) % 255
    image = Image.new("RGB", (camera.width, camera.height), (30 + hue // 4, 40, 60 + hue // 3))
    draw = ImageDraw.Draw(image)
    x = (frame * 7) % max(1, camera.width - 60)
    y = camera.height // 2 + int(40 * ((frame % 40) / 40 - 0.5))
    draw.rectangle((x, y, x + 60, y + 90), fill=(200, 180, 60))
    clock = dt.datetime.fromtimestamp(stamp, dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    draw.text((10, 10), f"{camera.name}  frame {frame}", fill=(255, 255, 255), font=_font(20))
    draw.text((10, 36), clock, fill=(255, 255, 255), font=_font(16))
    if camera.offline:
        draw.text((10, 60), "OFFLINE", fill=(255, 60, 60), font=_font(20))
    return image


def _black_jpeg(width: int, height: int) -> bytes:
    return _encode_jpeg(Image.new("RGB", (width, height)))


def fake_mp4(event_id: str) -> bytes:
    """Return a tiny MP4-shaped file: `ftyp`, `free` and `mdat` boxes."""
    brands = b"isom" + struct.pack(">I", 512) + b"isomiso2avc1mp41"
    ftyp = struct.pack(">I", 8 + len(brands)) + b"ftyp" + brands
    note = f"fake clip {event_id}".encode()
    free = struct.pack(">I", 8 + len(note)) + b"free" + note
    payload = bytes(range(256)) * 4
    mdat = struct.pack(">I", 8 + len(payload)) + b"mdat" + payload
    return ftyp + free + mdat


_BYTE_RANGE_RE = re.compile(r"bytes=([0-9]*)-([0-9]*)")
PREVIEW_HEIGHT = 180  # height of Frigate's preview frames (0.18 offline stills)
CLIP_CHUNK = 256  # bytes per write of a streamed clip (ffmpeg's pipe comes in pieces)
CLIP_BYTES_PER_SECOND = 512  # how fast the clip of an event in progress grows


def _ranged_mp4(request: web.Request, body: bytes) -> web.Response:
    """Serve an MP4 like nginx: one byte range gives 206, a range past the end 416.

    A `Range` that is not one `bytes=` range (or is malformed) is ignored: 200 and the body.
    """
    headers = {"Accept-Ranges": "bytes"}
    size = len(body)
    match = _BYTE_RANGE_RE.fullmatch(request.headers.get("Range", ""))
    if match is None or match.groups() == ("", ""):
        return web.Response(body=body, content_type="video/mp4", headers=headers)
    first, last = match.groups()
    if not first:  # suffix: the last N bytes
        start, end = max(size - int(last), 0), size - 1
        satisfiable = int(last) > 0
    else:
        start = int(first)
        end = min(int(last), size - 1) if last else size - 1
        if last and int(last) < start:  # invalid, ignored
            return web.Response(body=body, content_type="video/mp4", headers=headers)
        satisfiable = start < size
    if not satisfiable:
        headers["Content-Range"] = f"bytes */{size}"
        return web.Response(status=416, headers=headers)
    headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    return web.Response(
        status=206, body=body[start : end + 1], content_type="video/mp4", headers=headers
    )


def _service_process_usages() -> dict[str, Any]:
    """`cpu_usages` lines of Frigate's other processes: `top` lists every pid, the detector's
    (42, `stats.detectors.coral.pid`), go2rtc's (89) and the recorder's (729) among them."""
    lines = {"42": ("2.7", "1.0", "frigate.detector.coral"), "89": ("0.8", "0.6", "go2rtc")}
    lines["729"] = ("1.1", "0.9", "frigate.recording_manager")
    return {
        pid: {"cpu": cpu, "cpu_average": cpu, "mem": mem, "cmdline": cmdline}
        for pid, (cpu, mem, cmdline) in lines.items()
    }


def growing_mp4(event_id: str, seconds: float) -> bytes:
    """The clip of an event in progress, cut `seconds` after its start: longer every second."""
    payload = bytes(CLIP_BYTES_PER_SECOND * max(0, int(seconds)))
    return fake_mp4(event_id) + struct.pack(">I", 8 + len(payload)) + b"mdat" + payload


async def _streamed_mp4(request: web.Request, body: bytes) -> web.StreamResponse:
    """Serve an MP4 as 0.15+ does: ffmpeg's output streamed, whatever the `Range`.

    `recording_clip` in frigate/api/media.py runs ffmpeg (`-movflags
    frag_keyframe+empty_moov -f mp4 pipe:`) and returns a `StreamingResponse` of its stdout:
    200, `video/mp4`, chunked, no `Content-Length` and no `Accept-Ranges`, so a `Range` is
    ignored, even one past the end (seen on 0.17.2 and 0.18.0-beta1).
    """
    response = web.StreamResponse(headers={"Content-Type": "video/mp4"})
    response.enable_chunked_encoding()
    await response.prepare(request)
    for start in range(0, len(body), CLIP_CHUNK):
        await response.write(body[start : start + CLIP_CHUNK])
    await response.write_eof()
    return response


# ------------------------------------------------------------------------------ JWT


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def jwt_encode(claims: dict[str, Any], secret: bytes) -> str:
    """Sign claims as an HS256 JWT (what Frigate issues)."""
    header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = _b64url(json.dumps(claims, separators=(",", ":")).encode())
    signature = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64url(signature)}"


def jwt_decode(token: str, secret: bytes) -> dict[str, Any] | None:
    """Return the claims of a valid, unexpired HS256 JWT, else None."""
    try:
        header, payload, signature = token.split(".")
        expected = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _b64url_decode(signature)):
            return None
        claims = json.loads(_b64url_decode(payload))
    except ValueError:
        return None
    if not isinstance(claims, dict) or not isinstance(claims.get("exp"), int | float):
        return None
    return claims if claims["exp"] > time.time() else None


# ------------------------------------------------------------------------------ server


class FakeFrigateServer:
    """A fake Frigate server of one version, on the internal (`none`) or external (`login`) port."""

    def __init__(
        self,
        version: str = "0.17",
        auth: Literal["none", "login"] = "none",
        cameras: Iterable[str] = ("front_door", "backyard"),
        *,
        username: str = "admin",
        password: str = "frigate-password",
        role: str = "admin",
        roles: Mapping[str, Iterable[str]] | None = None,
        cookie_name: str = "frigate_token",
        session_length: int = 86400,
        failed_login_limit: tuple[int, float] | None = (5, 60.0),
        stats_cache: float = 0.0,
        auto_events: bool = False,
        auto_event_interval: float = 20.0,
        legacy_clips: bool = False,
        seed: int | None = None,
        nginx_cache: bool = True,
        websocket: bool = False,
    ) -> None:
        """Configure the fake; nothing runs until `start`."""
        if version not in VERSION_STRINGS:
            raise ValueError(f"unknown Frigate version {version}")
        self.minor = int(version.split(".")[1])
        if auth == "login" and self.minor < 14:
            raise ValueError("Frigate has authentication from 0.14 on")
        self.version = version
        self.version_string = VERSION_STRINGS[version]
        self.auth = auth
        self.username = username
        self.password = password
        self.role = role
        # 0.17+ `auth.roles`: custom role -> the cameras it may see (empty = every camera).
        self.roles: dict[str, list[str]] = {name: list(c) for name, c in (roles or {}).items()}
        self.cookie_name = cookie_name
        self.session_length = session_length
        self.login_limit = _LoginLimit(*failed_login_limit) if failed_login_limit else None
        self.stats_cache = stats_cache
        self.auto_events = auto_events
        self.auto_event_interval = auto_event_interval
        self.legacy_clips = legacy_clips
        self.faults = Faults()
        self.requests: Counter[str] = Counter()
        self.request_log: list[RequestRecord] = []
        self.cameras: dict[str, FakeCamera] = {}
        self.events: dict[str, FakeEvent] = {}
        # MiB of recordings per camera name (None: no recordings); unset: a default size.
        self.recordings_usage: dict[str, float | None] = {}
        self._random = random.Random(seed)
        self._secret = secrets.token_bytes(32)
        self._started = time.time()
        self._t0 = time.monotonic()
        self._stats_cached: tuple[float, Json] | None = None
        self._frames: dict[tuple[str, int, int | None], bytes] = {}
        self._closing = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        self._runner: web.AppRunner | None = None
        self.url = ""
        self._camera_index = itertools.count()
        # nginx in front of the API (see the "nginx" section).
        self.nginx_cache = nginx_cache and self.minor >= 13
        self.api_down = False  # Frigate's API process stopped or restarting, nginx still up
        self.cache_log: list[tuple[str, str]] = []  # (path, X-Cache-Status) per cached location
        self._nginx_store: dict[str, _NginxEntry] = {}
        self.live = FakeLive(self)  # the websocket /ws (0.12+), tests/fakes/frigate_live.py
        # The websocket /ws (0.12+). Off by default: tests that poll with a frozen clock would
        # keep a socket open; off is also a proxy in front that does not pass /ws (404).
        self.websocket = websocket
        self.media = FakeMedia(self)  # recordings, review, exports: tests/fakes/frigate_media.py
        self.recognition = FakeRecognition(self)  # faces, plates, ...: frigate_recognition.py
        for name in cameras:
            self.add_camera(name)

    # -------------------------------------------------------------- lifecycle

    def make_app(self) -> web.Application:
        """Build the aiohttp application."""
        app = web.Application(
            middlewares=[self._middleware, self._nginx_cache_middleware, self.media.role_middleware]
        )
        router = app.router
        router.add_get("/api/version", self._version)
        router.add_get("/api/stats", self._stats)
        router.add_get("/api/config", self._config)
        router.add_get("/api/events", self._events)
        router.add_get("/api/events/summary", self._summary)
        router.add_get("/api/events/{id}", self._event)
        router.add_get("/api/events/{id}/thumbnail.{ext}", self._thumbnail)
        router.add_get("/api/events/{id}/snapshot.jpg", self._snapshot)
        router.add_get("/api/events/{id}/clip.mp4", self._clip)
        router.add_get("/api/recordings/storage", self._recordings_storage)
        if self.minor >= 13:  # manual events (frigate/api/event.py)
            router.add_post("/api/events/{camera}/{label}/create", self._create_manual_event)
            router.add_put("/api/events/{id}/end", self._end_manual_event)
        if self.minor >= 14:
            router.add_get("/api/profile", self._profile)
            router.add_post("/api/login", self._login)
            router.add_post("/api/logout", self._logout)
        if self.minor >= 12 and self.websocket:
            router.add_get("/ws", self.live.handle)
        if self.minor >= 13:
            router.add_get("/api/{camera}/ptz/info", self.live.ptz_info)
        self.media.add_routes(router)
        self.recognition.add_routes(router)
        router.add_get("/clips/{file}", self._clips_file)
        router.add_get("/api/{camera}/latest.{ext}", self._latest)
        router.add_get("/api/{camera}/{label}/best.jpg", self._best)
        router.add_get("/api/{camera}/{label}/snapshot.jpg", self._label_snapshot)
        router.add_get("/api/{camera}", self._mjpeg)
        return app

    async def start(
        self, host: str = "127.0.0.1", port: int = 0, *, ssl_context: ssl.SSLContext | None = None
    ) -> str:
        """Listen on host:port (0 = any free port) and return the base URL."""
        self._closing.clear()
        self._runner = web.AppRunner(
            self.make_app(), handler_cancellation=True, shutdown_timeout=0.5, access_log=None
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port, ssl_context=ssl_context)
        await site.start()
        sockets = self._runner.addresses
        bound_port = sockets[0][1]
        scheme = "https" if ssl_context else "http"
        self.url = f"{scheme}://{host}:{bound_port}"
        if self.auto_events:
            self._spawn(self._auto_event_loop())
        return self.url

    async def stop(self) -> None:
        """Stop serving (open streams end)."""
        self._closing.set()
        self.live.close_all()  # websockets (frigate_live.py)
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def _spawn(self, coro: Awaitable[None]) -> None:
        task: asyncio.Task[None] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -------------------------------------------------------------- test hooks

    def add_camera(
        self,
        name: str,
        *,
        zones: Iterable[str] | None = None,
        track: Iterable[str] = ("person", "car"),
        width: int = 640,
        height: int = 360,
        fps: int = 5,
    ) -> None:
        """Add a camera (appears in config and stats)."""
        self.cameras[name] = FakeCamera(
            name=name,
            index=next(self._camera_index),
            width=width,
            height=height,
            fps=fps,
            zones=tuple(zones) if zones is not None else _DEFAULT_ZONES.get(name, ()),
            track=tuple(track),
        )

    def remove_camera(self, name: str) -> None:
        """Remove a camera from config and stats (its events stay, as in Frigate)."""
        del self.cameras[name]

    def set_camera_offline(self, name: str, offline: bool = True) -> None:
        """Stop (or restart) a camera's frames: fps 0, frozen latest.jpg."""
        camera = self.cameras[name]
        if offline and not camera.offline:
            camera.frozen_frame = self._frame_number(camera)
        camera.offline = offline

    def create_event(
        self,
        camera: str,
        label: str,
        *,
        zones: Iterable[str] = (),
        sub_label: str | None = None,
        in_progress: bool = True,
        has_snapshot: bool = True,
        has_clip: bool = True,
        score: float = 0.82,
        start_time: float | None = None,
        duration: float = 10.0,
    ) -> str:
        """Add an event (in progress unless told otherwise) and return its id."""
        cam = self.cameras[camera]
        start = time.time() if start_time is None else start_time
        suffix = "".join(self._random.choices(string.ascii_lowercase + string.digits, k=6))
        event_id = f"{start:.6f}-{suffix}"
        frame = _render_frame(cam, self._frame_number(cam), start)
        bw, bh = cam.width // 6, cam.height // 3
        x1 = self._random.randint(0, cam.width - bw)
        y1 = self._random.randint(0, cam.height - bh)
        box = (x1, y1, x1 + bw, y1 + bh)
        draw = ImageDraw.Draw(frame)
        draw.rectangle(box, outline=(255, 0, 0), width=3)
        draw.text((x1 + 4, y1 + 4), f"{label} {score:.0%}", fill=(255, 0, 0), font=_font(14))
        self.events[event_id] = FakeEvent(
            id=event_id,
            camera=camera,
            label=label,
            start_time=start,
            end_time=None if in_progress else start + duration,
            zones=list(zones),
            sub_label=sub_label,
            score=score,
            top_score=min(1.0, score + 0.05),
            has_clip=has_clip,
            has_snapshot=has_snapshot,
            box=box,
            frame_size=(cam.width, cam.height),
            snapshot=_encode_jpeg(frame),
            thumbnail=_encode_jpeg(self._thumbnail_image(frame, box)),
        )
        if in_progress:
            self.live.notify(self.live.event_changed(self.events[event_id], "new"))
        return event_id

    def end_event(self, event_id: str, end_time: float | None = None) -> None:
        """End an in-progress event."""
        self.events[event_id].end_time = time.time() if end_time is None else end_time
        self.live.notify(self.live.event_changed(self.events[event_id], "end"))
        self.recognition.event_ended(event_id)

    def revoke_tokens(self) -> None:
        """Invalidate every issued JWT (new secret, as after a restart or password change)."""
        self._secret = secrets.token_bytes(32)

    def set_password(self, password: str) -> None:
        """Change the password; earlier tokens are rejected (0.17+ behaviour)."""
        self.password = password
        self.revoke_tokens()

    def issue_token(self, *, lifetime: float | None = None) -> str:
        """Return a JWT as a login would (for static-token tests)."""
        now = int(time.time())
        exp = now + int(self.session_length if lifetime is None else lifetime)
        claims = {"sub": self.username, "role": self.role, "exp": exp, "iat": now}
        return jwt_encode(claims, self._secret)

    # -------------------------------------------------------------- helpers

    def _at_least(self, minor: int) -> bool:
        return self.minor >= minor

    def _frame_number(self, camera: FakeCamera) -> int:
        if camera.offline:
            return camera.frozen_frame
        return int((time.monotonic() - self._t0) * camera.fps)

    def _frame_jpeg(self, camera: FakeCamera, height: int | None) -> bytes:
        number = self._frame_number(camera)
        key = (camera.name, number, height)
        if (cached := self._frames.get(key)) is None:
            image = _scale_to_height(_render_frame(camera, number, time.time()), height)
            cached = _encode_jpeg(image)
            if len(self._frames) > 32:
                self._frames.clear()
            self._frames[key] = cached
        return cached

    @staticmethod
    def _thumbnail_image(frame: Image.Image, box: tuple[int, int, int, int]) -> Image.Image:
        cx, cy = (box[0] + box[2]) // 2, (box[1] + box[3]) // 2
        half_h = max(box[3] - box[1], 60)
        half_w = half_h * 16 // 9
        crop = frame.crop((cx - half_w, cy - half_h, cx + half_w, cy + half_h))
        return crop.resize((311, 175), Image.Resampling.BILINEAR)

    def _height(self, request: web.Request) -> int | None:
        """`h` up to 0.14 (Flask), `height` from 0.15 (FastAPI); the other is ignored."""
        raw = request.query.get("height" if self._at_least(15) else "h")
        if raw is None:
            return None
        try:
            value = int(raw)
        except ValueError:
            return None
        return value if value > 0 else None

    def _json(self, data: Json, *, status: int = 200) -> web.Response:
        return web.Response(
            text=json.dumps(data),
            status=status,
            content_type="application/json",
            headers={"Cache-Control": "no-store"},
        )

    def _image(
        self, body: bytes, *, cache_control: str = "no-store", **headers: str
    ) -> web.Response:
        return web.Response(
            body=body,
            content_type="image/jpeg",
            headers={"Cache-Control": cache_control, **headers},
        )

    def _not_found(self, message: str) -> web.Response:
        return self._json({"success": False, "message": message}, status=404)

    def _token_claims(self, request: web.Request) -> dict[str, Any] | None:
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            claims = jwt_decode(header.removeprefix("Bearer ").strip(), self._secret)
            if claims is not None:
                return claims
        cookie = request.cookies.get(self.cookie_name)
        return jwt_decode(cookie, self._secret) if cookie else None

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        self.requests[request.path] += 1
        self.request_log.append(
            RequestRecord(
                method=request.method,
                path=request.path,
                query=dict(request.query),
                authorization="Authorization" in request.headers,
            )
        )
        faults = self.faults
        affected = faults.applies(request.path)
        if affected and faults.latency > 0:
            await asyncio.sleep(faults.latency)
        if affected and faults.timeout:
            await self._hang(request)
            return web.Response(status=504)
        if affected and faults.status is not None and faults.status_count != 0:
            if faults.status_count is not None:
                faults.status_count -= 1
            headers = {}
            if faults.retry_after is not None:
                headers["Retry-After"] = str(faults.retry_after)
            return web.Response(
                status=faults.status,
                headers=headers,
                text=f"<html><body>{faults.status} error</body></html>",
                content_type="text/html",
            )
        if (down := self._auth_subrequest_failed(request)) is not None:
            return down
        if (
            self.auth == "login"
            and request.path not in _PUBLIC_PATHS
            and self._token_claims(request) is None
        ):
            return web.Response(status=401, text=_NGINX_401, content_type="text/html")
        response = await handler(request)
        if affected and isinstance(response, web.Response) and isinstance(response.body, bytes):
            body = response.body
            if faults.malformed_json and response.content_type == "application/json":
                response.body = body[: max(1, len(body) // 2)]
            if faults.truncated_image and response.content_type == "image/jpeg":
                response.body = body[: max(1, len(body) // 2)]
        return response

    async def _hang(self, request: web.Request) -> None:
        """Wait until the client hangs up (or the server stops)."""
        while not self._closing.is_set():
            transport = request.transport
            if transport is None or transport.is_closing():
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), 0.02)

    # -------------------------------------------------------------- server endpoints

    async def _version(self, _request: web.Request) -> web.Response:
        content_type = "text/plain" if self._at_least(15) else "text/html"
        return web.Response(text=self.version_string, content_type=content_type)

    def _camera_stats(self, camera: FakeCamera, pid: int) -> dict[str, Any]:
        online = not camera.offline
        fps = float(camera.fps) if online else 0.0
        busy = any(e.camera == camera.name and e.end_time is None for e in self.events.values())
        block: dict[str, Any] = {
            "camera_fps": fps,
            "process_fps": fps,
            "skipped_fps": 0.0,
            "detection_fps": (1.5 if busy else 0.2) if online else 0.0,
            "pid": pid,
            "capture_pid": pid + 1,
        }
        if self._at_least(12):
            block["ffmpeg_pid"] = pid + 2
            block["detection_enabled"] = True if self._at_least(14) else 1
        if self._at_least(13):
            block["audio_rms"] = 0
            block["audio_dBFS"] = 0
        if self._at_least(18):
            block |= {
                **self._connection_health(camera, fps),
                "ffmpeg_cpu": "1.0" if online else None,
                "capture_cpu": "0.5" if online else None,
                "detect_cpu": "2.0" if online else None,
            }
        return block

    def _storage(self) -> dict[str, Any]:
        scale = 1.0 if self._at_least(13) else 1.048576  # MiB from 0.13, MB before
        mounts = {
            "/media/frigate/recordings": (953674.3, 412345.6, "ext4"),
            "/media/frigate/clips": (953674.3, 412345.6, "ext4"),
            "/tmp/cache": (1000.0, 23.2, "tmpfs"),
            "/dev/shm": (256.0, 48.5, "tmpfs"),
        }
        storage: dict[str, Any] = {}
        for mount, (total, used, kind) in mounts.items():
            storage[mount] = {
                "total": round(total * scale, 1),
                "used": round(used * scale, 1),
                "free": round((total - used) * scale, 1),
                "mount_type": kind,
            }
        if self._at_least(17):
            storage["/dev/shm"] |= {"min_shm": 37.4, "shm_frame_count": 40}
        return storage

    def _build_stats(self) -> dict[str, Any]:
        cameras: dict[str, Any] = {}
        cpu_usages: dict[str, Any] = {}
        for index, camera in enumerate(self.cameras.values()):
            pid = 100 + 10 * index
            cameras[camera.name] = self._camera_stats(camera, pid)
            for offset, cpu in enumerate(("5.0", "3.1", "12.4")):
                cpu_usages[str(pid + offset)] = {
                    "cpu": cpu if not camera.offline else "0.0",
                    "cpu_average": "4.5",
                    "mem": "1.2",
                    "cmdline": f"frigate.process:{camera.name}",
                }
        detector: dict[str, Any] = {"inference_speed": 8.53, "detection_start": 0.0, "pid": 42}
        if self._at_least(18):
            detector |= {"temperature": 45.2, "cpu": "3.0", "mem": "1.2"}
        service: dict[str, Any] = {
            "uptime": int(time.time() - self._started),
            "version": self.version_string,
            "latest_version": "0.17.2" if self._at_least(17) else "0.16.2",
            "storage": self._storage(),
        }
        if self._at_least(12):
            service["last_updated"] = int(time.time())
        if not self._at_least(18):
            service["temperatures"] = {"apex_0": 45.2}
        stats: dict[str, Any] = {
            "detectors": {"coral": detector},
            "detection_fps": round(sum(c["detection_fps"] for c in cameras.values()), 1),
            "service": service,
        }
        if self._at_least(12):
            cpu_usages |= _service_process_usages()
            if self._at_least(14):
                cpu_usages["frigate.full_system"] = {"cpu": "12.0", "mem": "40.1"}
            stats["cpu_usages"] = cpu_usages
            gpu: dict[str, Any] = {"gpu": "19.0%" if self._at_least(14) else "19.0 %", "mem": "-"}
            if self._at_least(18):
                gpu["vendor"] = "intel"
            stats["gpu_usages"] = {"intel-gpu": gpu}
        if self._at_least(13):
            stats["cameras"] = cameras
            processes: dict[str, Any] = {"go2rtc": {"pid": 89}, "recording": {"pid": 729}}
            if self._at_least(18):
                for entry in processes.values():
                    entry |= {"cpu": "0.8", "mem": "0.6"}
            stats["processes"] = processes
        else:
            stats |= cameras
        if self._at_least(16):
            stats["embeddings"] = {}
        if self._at_least(17):
            for key in ("camera_fps", "process_fps", "skipped_fps"):
                stats[key] = round(sum(c[key] for c in cameras.values()), 1)
        return stats

    async def _stats(self, _request: web.Request) -> web.Response:
        now = time.monotonic()
        if self._stats_cached is None or now - self._stats_cached[0] >= self.stats_cache:
            self._stats_cached = (now, self._build_stats())
        return self._json(self._stats_cached[1])

    def _camera_config(self, camera: FakeCamera) -> dict[str, Any]:
        config: dict[str, Any] = {
            "name": camera.name,
            **self._friendly_name(camera.friendly_name),
            "enabled": True,
            "ffmpeg": {
                "inputs": [
                    {"path": f"rtsp://127.0.0.1:8554/{camera.name}", "roles": ["detect", "record"]}
                ]
            },
            "detect": {
                "enabled": True,
                "width": camera.width,
                "height": camera.height,
                "fps": camera.fps,
                "max_disappeared": 25,
            },
            "objects": {
                "track": list(camera.track),
                "filters": {label: {"min_score": 0.5, "threshold": 0.7} for label in camera.track},
            },
            "zones": {zone: self._zone_config(camera, zone) for zone in camera.zones},
            "record": {"enabled": True, "retain": {"days": 7, "mode": "motion"}},
            "snapshots": {"enabled": True, "bounding_box": True, "retain": {"default": 10}},
            "motion": {"threshold": 30, "contour_area": 10},
            "mqtt": {"enabled": True, "timestamp": True, "bounding_box": True},
        }
        if self._at_least(12):
            config["audio"] = {"enabled": False, "listen": ["bark", "fire_alarm", "speech"]}
        if self._at_least(16):
            config["live"] = {
                "streams": {"Main Stream": camera.name, "Sub Stream": f"{camera.name}_sub"},
                "height": 720,
                "quality": 8,
            }
        elif self._at_least(12):
            config["live"] = {"stream_name": camera.name, "height": 720, "quality": 8}
        merge_into(config, self.live.camera_config(camera))
        merge_into(config, self.recognition.camera_config(camera))
        return config

    async def _config(self, _request: web.Request) -> web.Response:
        config: dict[str, Any] = {
            "mqtt": {
                "enabled": False,
                "host": "",
                "port": 1883,
                "topic_prefix": "frigate",
                "client_id": "frigate",
                "stats_interval": 60,
            },
            "detectors": {"coral": {"type": "edgetpu", "device": "usb"}},
            "objects": {"track": ["person"], "filters": {}},
            "birdseye": {"enabled": True, "restream": False, "mode": "objects"},
            "cameras": {c.name: self._camera_config(c) for c in self.cameras.values()},
        }
        if self._at_least(12):
            streams: dict[str, list[str]] = {}
            for camera in self.cameras.values():
                streams[camera.name] = [f"rtsp://*:*@192.0.2.{10 + camera.index}:554/main"]
                streams[f"{camera.name}_sub"] = [f"rtsp://*:*@192.0.2.{10 + camera.index}:554/sub"]
            config["go2rtc"] = {"streams": streams}
        if self.version in _CONFIG_SCHEMA:
            config["version"] = _CONFIG_SCHEMA[self.version]
        if self._at_least(14):
            config["auth"] = {
                "enabled": True,
                "cookie_name": self.cookie_name,
                "session_length": self.session_length,
                "refresh_time": 1800,
            }
        if self._at_least(18):
            config["profiles"] = {"home": {"friendly_name": "Home"}}
        merge_into(config, self.recognition.global_config())
        merge_into(config, self.media.global_config())  # ui (its timezone)
        return self._json(config)

    async def _profile(self, request: web.Request) -> web.Response:
        claims = self._token_claims(request) if self.auth == "login" else None
        username = claims["sub"] if claims else "anonymous"
        role = claims.get("role", "admin") if claims else "admin"
        profile: dict[str, Any] = {"username": username}
        if self._at_least(16):
            profile["role"] = role
        if self._at_least(17):
            profile["allowed_cameras"] = None if role == "admin" else self._allowed_cameras(role)
        return self._json(profile)

    def _allowed_cameras(self, role: str) -> list[str]:
        """The cameras a non-admin role may see: those of its `auth.roles` entry, else all."""
        allowed = self.roles.get(role)
        return [name for name in self.cameras if not allowed or name in allowed]

    async def _login(self, request: web.Request) -> web.Response:
        now = time.monotonic()
        limit = self.login_limit
        if limit is not None:
            limit.history = [t for t in limit.history if now - t < limit.window]
            if len(limit.history) >= limit.failures:
                message = f"Rate limit exceeded: {limit.failures} per {limit.window:g} second"
                return self._json({"error": message}, status=429)
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return self._json({"detail": "invalid body"}, status=422)
        if body.get("user") != self.username or body.get("password") != self.password:
            if limit is not None:
                limit.history.append(now)
            return self._json({"message": "Login failed"}, status=401)
        response = web.Response(status=200)
        expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=365 * 20)
        response.set_cookie(
            self.cookie_name,
            self.issue_token(),
            httponly=True,
            path="/",
            samesite="lax",
            expires=expires.strftime("%a, %d %b %Y %H:%M:%S GMT"),
        )
        return response

    async def _logout(self, _request: web.Request) -> web.Response:
        response = web.Response(status=302, headers={"Location": "/login"})
        response.del_cookie(self.cookie_name)
        return response

    # -------------------------------------------------------------- events

    def _event_data(self, event: FakeEvent) -> dict[str, Any]:
        width, height = event.frame_size
        x1, y1, x2, y2 = event.box
        box = [x1 / width, y1 / height, (x2 - x1) / width, (y2 - y1) / height]
        data: dict[str, Any] = {
            "box": [round(v, 4) for v in box],
            "region": [0.0, 0.0, 1.0, 1.0],
            "score": event.score,
            "top_score": event.top_score,
            "attributes": [],
            "type": event.event_type,
        }
        if self._at_least(16):
            data |= {"average_estimated_speed": 0, "velocity_angle": 0, "path_data": []}
        return data | self.recognition.event_data(event)

    def _event_row(self, event: FakeEvent, *, full: bool, thumbnails: bool) -> dict[str, Any]:
        row: dict[str, Any] = {
            "id": event.id,
            "camera": event.camera,
            "label": event.label,
            "zones": list(event.zones),
            "start_time": event.start_time,
            "end_time": event.end_time,
            "has_clip": event.has_clip,
            "has_snapshot": event.has_snapshot,
            "plus_id": None,
            "retain_indefinitely": event.retain,
            "sub_label": event.sub_label,
        }
        legacy = not self._at_least(13)
        row["top_score"] = event.top_score if legacy else None
        if self._at_least(13):
            row |= {"false_positive": None, "box": None, "data": self._event_data(event)}
        if full:
            row |= {
                "score": event.score if legacy else None,
                "false_positive": None if not legacy else False,
                "region": None,
                "area": None,
                "ratio": None,
            }
            if legacy:
                row["box"] = list(event.box)
            if self._at_least(13):
                row |= {"model_hash": "0f1e2d3c", "detector_type": "edgetpu", "model_type": "ssd"}
        if thumbnails or full:
            row["thumbnail"] = (
                None if self._at_least(16) else base64.b64encode(event.thumbnail).decode()
            )
        return row

    def _event_or_none(self, request: web.Request) -> FakeEvent | None:
        return self.events.get(request.match_info["id"])

    @staticmethod
    def _names(request: web.Request, singular: str, plural: str) -> set[str] | None:
        names: set[str] = set()
        one = request.query.get(singular, "all")
        if one != "all":
            names.add(one)
        many = request.query.get(plural, "all")
        if many != "all":
            names.update(many.split(","))
        return names or None

    def _int_param(self, request: web.Request, key: str) -> int | None:
        raw = request.query.get(key)
        if raw is None:
            return None
        try:
            return int(raw)
        except ValueError as err:
            if self._at_least(15):  # FastAPI validates; Flask's type=int gives None
                raise web.HTTPUnprocessableEntity(
                    text=json.dumps({"detail": [{"loc": ["query", key]}]}),
                    content_type="application/json",
                ) from err
            return None

    def _float_param(self, request: web.Request, key: str) -> float | None:
        raw = request.query.get(key)
        if raw is None:
            return None
        try:
            return float(raw)
        except ValueError as err:
            if self._at_least(15):
                raise web.HTTPUnprocessableEntity(
                    text=json.dumps({"detail": [{"loc": ["query", key]}]}),
                    content_type="application/json",
                ) from err
            return None

    def _filter_events(self, request: web.Request) -> list[FakeEvent]:
        lists = self._at_least(12)
        cameras = self._names(request, "camera", "cameras" if lists else "camera")
        labels = self._names(request, "label", "labels" if lists else "label")
        zones = self._names(request, "zone", "zones" if lists else "zone")
        sub_labels = self._names(request, "sub_label", "sub_labels" if lists else "sub_label")
        after = self._float_param(request, "after")
        before = self._float_param(request, "before")
        has_clip = self._int_param(request, "has_clip")
        has_snapshot = self._int_param(request, "has_snapshot")
        in_progress = self._int_param(request, "in_progress") if lists else None
        selected = []
        for event in self.events.values():
            if cameras is not None and event.camera not in cameras:
                continue
            if labels is not None and event.label not in labels:
                continue
            if zones is not None and not zones & set(event.zones):
                continue
            if sub_labels is not None and event.sub_label not in sub_labels:
                continue
            if after is not None and not event.start_time > after:
                continue
            if before is not None and not event.start_time < before:
                continue
            if has_clip is not None and event.has_clip != bool(has_clip):
                continue
            if has_snapshot is not None and event.has_snapshot != bool(has_snapshot):
                continue
            if in_progress is not None and (event.end_time is None) != bool(in_progress):
                continue
            selected.append(event)
        selected.sort(key=lambda e: e.start_time, reverse=True)
        return selected

    async def _events(self, request: web.Request) -> web.Response:
        limit = self._int_param(request, "limit") or 100
        thumbnails = self._int_param(request, "include_thumbnails")
        include = thumbnails is None or thumbnails == 1
        rows = [
            self._event_row(event, full=False, thumbnails=include)
            for event in self._filter_events(request)[:limit]
        ]
        return self._json(rows)

    async def _summary(self, request: web.Request) -> web.Response:
        tz_name = request.query.get("timezone", "utc") if self._at_least(12) else "utc"
        try:
            tz: dt.tzinfo = zoneinfo.ZoneInfo("UTC" if tz_name == "utc" else tz_name)
        except zoneinfo.ZoneInfoNotFoundError, ValueError:
            tz = dt.UTC
        has_clip = self._int_param(request, "has_clip")
        has_snapshot = self._int_param(request, "has_snapshot")
        groups: Counter[str] = Counter()
        for event in self.events.values():
            if has_clip is not None and event.has_clip != bool(has_clip):
                continue
            if has_snapshot is not None and event.has_snapshot != bool(has_snapshot):
                continue
            day = dt.datetime.fromtimestamp(event.start_time, tz).strftime("%Y-%m-%d")
            row: dict[str, Any] = {
                "camera": event.camera,
                "label": event.label,
                "day": day,
                "zones": list(event.zones),
            }
            if self._at_least(12):
                row["sub_label"] = event.sub_label
            if self._at_least(16):
                row["data"] = self._event_data(event)
            groups[json.dumps(row, sort_keys=True)] += 1
        rows = [json.loads(key) | {"count": count} for key, count in groups.items()]
        rows.sort(key=lambda r: r["day"], reverse=True)
        return self._json(rows)

    async def _event(self, request: web.Request) -> web.Response:
        if (event := self._event_or_none(request)) is None:
            return self._not_found("Event not found")
        return self._json(self._event_row(event, full=True, thumbnails=True))

    async def _thumbnail(self, request: web.Request) -> web.Response:
        ext = request.match_info["ext"]
        allowed = {"jpg", "jpeg", "png", "webp"} if self._at_least(16) else {"jpg"}
        if ext not in allowed or (event := self._event_or_none(request)) is None:
            return self._not_found("Event not found")
        cache = "no-store" if event.end_time is None else "private, max-age=2592000"
        return self._image(event.thumbnail, cache_control=cache)

    async def _snapshot(self, request: web.Request) -> web.Response:
        if (event := self._event_or_none(request)) is None:
            return self._not_found("Event not found")
        if not event.has_snapshot:
            return self._not_found("Snapshot not available")
        body = event.snapshot
        if event.end_time is None:  # options apply only while the event is in progress
            image: Image.Image = Image.open(io.BytesIO(body))
            if request.query.get("crop") == "1":
                image = image.crop(event.box)
            body = _encode_jpeg(_scale_to_height(image, self._height(request)))
        return self._image(body, cache_control="private, max-age=31536000")

    async def _clip(self, request: web.Request) -> web.StreamResponse:
        if self.legacy_clips:
            return web.Response(status=404, text=_NGINX_404, content_type="text/html")
        if (event := self._event_or_none(request)) is None:
            return self._not_found("Event not found")
        if not event.has_clip:
            return self._not_found("Clip not available")
        return await self._event_clip(request, event)

    async def _event_clip(self, request: web.Request, event: FakeEvent) -> web.StreamResponse:
        """0.15+: cut from the recordings on each request up to now while the event runs.

        Up to 0.14 the clip was written to a file once and handed to nginx
        (`X-Accel-Redirect`), which serves byte ranges.
        """
        if not self._at_least(15):
            return _ranged_mp4(request, self.media.clip_body(event.id, fake_mp4(event.id)))
        if event.end_time is None:  # (an end time set ahead, as `create_event` does: over)
            seconds = time.time() - event.start_time
            return await _streamed_mp4(request, growing_mp4(event.id, seconds))
        return await _streamed_mp4(request, self.media.clip_body(event.id, fake_mp4(event.id)))

    async def _clips_file(self, request: web.Request) -> web.Response:
        name = request.match_info["file"]
        for event in self.events.values():
            stem = f"{event.camera}-{event.id}"
            if name == f"{stem}.jpg" and event.has_snapshot:
                return self._image(event.snapshot)
            if name == f"{stem}.mp4" and event.has_clip and self.legacy_clips:
                return _ranged_mp4(request, fake_mp4(event.id))
        return web.Response(status=404, text=_NGINX_404, content_type="text/html")

    async def _recordings_storage(self, _request: web.Request) -> web.Response:
        """`/api/recordings/storage` (frigate/http.py up to 0.14, api/media.py, api/record.py).

        `calculate_camera_usages` sums each camera's segment sizes (MB up to 0.12, MiB from
        0.13; `null` without recordings) with its bandwidth per hour; from 0.17 the key is the
        camera's `friendly_name` where set. `usage_percent` (of the recordings mount's total)
        is added where the usage is not 0 or null.
        """
        scale = 1.0 if self._at_least(13) else 1.048576
        total = self._storage()["/media/frigate/recordings"]["total"]
        usages: dict[str, Any] = {}
        for camera in self.cameras.values():
            usage = self.recordings_usage.get(camera.name, 20480.0 * (camera.index + 1) + 0.25)
            key = camera.name
            if self._at_least(17) and camera.friendly_name:
                key = camera.friendly_name
            entry: dict[str, Any] = {
                "usage": None if usage is None else round(usage * scale, 2),
                "bandwidth": round(512.3 * scale, 2),
            }
            if entry["usage"]:
                entry["usage_percent"] = entry["usage"] / total * 100
            usages[key] = entry
        return self._json(usages)

    # -------------------------------------------------------------- camera media

    def _camera_or_none(self, request: web.Request) -> FakeCamera | None:
        return self.cameras.get(request.match_info["camera"])

    async def _latest(self, request: web.Request) -> web.Response:
        ext = request.match_info["ext"]
        allowed = {"jpg", "jpeg", "png", "webp"} if self._at_least(15) else {"jpg"}
        if self.minor == 14:
            allowed.add("webp")
        camera = self._camera_or_none(request)
        if camera is None or ext not in allowed:
            return self._not_found("Camera not found")
        if camera.offline and self._at_least(18):
            return self._offline_preview(camera, self._height(request))
        return self._image(self._frame_jpeg(camera, self._height(request)))

    def _offline_preview(self, camera: FakeCamera, height: int | None) -> web.Response:
        """0.18: an offline camera's still is its last preview frame, marked offline.

        `latest_frame` (frigate/api/media.py) falls back to the newest preview frame from before
        the last live frame, `X-Frigate-Offline: true`; preview frames are 180 px high
        (`PREVIEW_HEIGHT`, frigate/output/preview.py), scaled like any still when asked.
        """
        taken = self._started + camera.frozen_frame / max(camera.fps, 1)  # the last live frame
        frame = _render_frame(camera, camera.frozen_frame, taken)
        preview = _scale_to_height(frame, PREVIEW_HEIGHT)
        image = preview if height is None else _scale_to_height(preview, height)
        return self._image(_encode_jpeg(image), **{"X-Frigate-Offline": "true"})

    def _latest_event(self, camera: str, label: str, *, snapshot: bool) -> FakeEvent | None:
        candidates = [
            e
            for e in self.events.values()
            if e.camera == camera
            and (label in ("any", e.label))
            and (e.has_snapshot or not snapshot)
        ]
        return max(candidates, key=lambda e: e.start_time, default=None)

    async def _best(self, request: web.Request) -> web.Response:
        camera = request.match_info["camera"]
        if camera not in self.cameras:
            return self._not_found("Camera not found")
        event = self._latest_event(camera, request.match_info["label"], snapshot=False)
        if event is not None:
            return self._image(event.thumbnail)
        if self._at_least(17):
            return self._not_found("Event not found")
        return self._image(_black_jpeg(175, 175))

    async def _label_snapshot(self, request: web.Request) -> web.Response:
        camera = request.match_info["camera"]
        if camera not in self.cameras:
            return self._not_found("Camera not found")
        event = self._latest_event(camera, request.match_info["label"], snapshot=True)
        return self._image(event.snapshot if event else _black_jpeg(1280, 720))

    async def _mjpeg(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["camera"]
        camera = self.cameras.get(name)
        if camera is None or name in _FIXED_API:
            return self._not_found("Camera not found")
        try:
            fps = max(1, min(30, int(request.query.get("fps", "3"))))
        except ValueError:
            fps = 3
        height = self._height(request) or min(360, camera.height)
        response = web.StreamResponse(
            headers={
                "Content-Type": "multipart/x-mixed-replace;boundary=frame",
                "Cache-Control": "no-store",
            }
        )
        await response.prepare(request)
        with contextlib.suppress(ConnectionError):
            while not self._closing.is_set():
                frame = self._frame_jpeg(camera, height)
                await response.write(
                    b"--frame\r\nContent-Type: image/jpeg\r\n\r\n" + frame + b"\r\n\r\n"
                )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._closing.wait(), 1 / fps)
        return response

    # -------------------------------------------------------------- auto events

    async def _auto_event_loop(self) -> None:
        while not self._closing.is_set():
            await asyncio.sleep(self.auto_event_interval * self._random.uniform(0.5, 1.5))
            online = [c for c in self.cameras.values() if not c.offline]
            if not online:
                continue
            camera = self._random.choice(online)
            zones = [z for z in camera.zones if self._random.random() < 0.5]
            event_id = self.create_event(
                camera.name, self._random.choice(camera.track or ("person",)), zones=zones
            )
            self.recognition.enrich(event_id)
            self._spawn(self._end_later(event_id, self._random.uniform(5, 15)))

    async def _end_later(self, event_id: str, delay: float) -> None:
        await asyncio.sleep(delay)
        if event_id in self.events:
            self.end_event(event_id)

    # -------------------------------------------------------------- nginx in front of the API
    #
    # Frigate's docker/main/rootfs/usr/local/nginx/conf/nginx.conf (0.13 on; 0.12's
    # docker/rootfs/... has no cache): `location /api/` has `proxy_cache api_cache`,
    # `proxy_cache_valid 200 5s`, `proxy_cache_bypass $http_x_cache_bypass`, `proxy_no_cache
    # $should_not_cache` (everything but `application/json`) and `add_header X-Cache-Status
    # $upstream_cache_status`; `location /api/vod/` turns the cache off and images go to the
    # regex location `~* /api/.*\.(jpg|jpeg|png|webp|gif)$`, which has none. The key is nginx's
    # default `$scheme$proxy_host$request_uri` up to 0.16; 0.17.2 and 0.18 add the user's role,
    # groups and name (frigate#23261). From 0.14 every /api/ location but login and logout first
    # asks Frigate's `/auth` (auth_request.conf): with the API process down that subrequest fails
    # and nginx answers 500; where nginx proxies without it, the failed upstream gives 502.

    def set_api_down(self, down: bool = True) -> None:
        """Stop (or start again) Frigate's API process; nginx keeps answering."""
        self.api_down = down

    def _nginx_error(self, status: int) -> web.Response:
        text = _NGINX_500 if status == 500 else _NGINX_502
        return web.Response(status=status, text=text, content_type="text/html")

    def _auth_subrequest_failed(self, request: web.Request) -> web.Response | None:
        """The 500 of 0.14+ while the API is down: the auth subrequest found no upstream."""
        path = request.path
        if (
            not self.api_down
            or not self._at_least(14)
            or not path.startswith("/api/")
            or path.startswith(_NO_AUTH_REQUEST)
        ):
            return None
        return self._nginx_error(500)

    def _nginx_caches(self, request: web.Request) -> bool:
        """Whether nginx looks the request up in its cache (GET in a caching location)."""
        path = request.path
        return (
            self.nginx_cache
            and request.method in ("GET", "HEAD")
            and path.startswith("/api/")
            and not path.startswith("/api/vod/")
            and _IMAGE_LOCATION.search(path) is None
        )

    def _nginx_cache_key(self, request: web.Request) -> str:
        key = request.raw_path  # $request_uri: the path and query as sent
        if self._at_least(17):
            claims = self._token_claims(request) if self.auth == "login" else None
            role = claims.get("role", "admin") if claims else "admin"
            user = claims.get("sub", "") if claims else "anonymous"
            key += f"|{role}||{user}"
        return key

    @web.middleware
    async def _nginx_cache_middleware(
        self, request: web.Request, handler: Handler
    ) -> web.StreamResponse:
        """nginx after its auth check: the 5 s JSON cache, and 502 without an API behind it."""
        if not self._nginx_caches(request):
            if self.api_down and request.path.startswith("/api/"):
                return self._nginx_error(502)
            return await handler(request)
        key = self._nginx_cache_key(request)
        now = time.monotonic()
        bypass = request.headers.get("X-Cache-Bypass", "") not in ("", "0")
        entry = self._nginx_store.get(key)
        if entry is not None and now - entry.stored >= NGINX_CACHE_SECONDS:
            self._nginx_store.pop(key)
        elif entry is not None and not bypass:
            self.cache_log.append((request.path, "HIT"))
            headers = entry.headers | {"X-Cache-Status": "HIT"}
            return web.Response(status=200, body=entry.body, headers=headers)
        if self.api_down:
            return self._nginx_error(502)
        response = await handler(request)
        status = "BYPASS" if bypass else ("EXPIRED" if entry is not None else "MISS")
        self.cache_log.append((request.path, status))
        if (
            response.status == 200
            and isinstance(response, web.Response)
            and response.content_type == "application/json"
            and isinstance(response.body, bytes)
        ):
            stored = {k: v for k, v in response.headers.items() if k != "Content-Length"}
            self._nginx_store[key] = _NginxEntry(now, response.body, stored)
        if 200 <= response.status < 400 and not response.prepared:  # add_header, not `always`
            response.headers["X-Cache-Status"] = status
        return response

    # -------------------------------------------------------------- manual events
    #
    # frigate/api/event.py `create_event` hands the body to
    # frigate/events/external.py `create_manual_event`: `now` = the time of the request, the
    # event's `start_time` = now - record.event_pre_capture (5 s by default), its `end_time` =
    # now + duration, stored at once (None when the duration is null; `duration` defaults to
    # 30). So an event created with a duration is never listed by `in_progress=1`, though it
    # runs until its end time. `PUT /api/events/<id>/end` sets `end_time` (now by default).

    def create_manual_event(
        self,
        camera: str,
        label: str,
        *,
        duration: float | None = 30,
        sub_label: str | None = None,
        score: float = 0.0,
        include_recording: bool = True,
    ) -> str:
        """Create an event as `POST /api/events/<camera>/<label>/create` does; its id."""
        now = time.time()
        created = self.create_event(
            camera,
            label,
            sub_label=sub_label,
            score=score,
            has_clip=include_recording,
            start_time=now - MANUAL_EVENT_PRE_CAPTURE,
        )
        event = self.events.pop(created)
        event.id = f"{now}-{created.split('-', 1)[1]}"
        event.end_time = None if duration is None else now + duration
        event.top_score = score
        event.event_type = "api"
        self.events[event.id] = event
        return event.id

    async def _create_manual_event(self, request: web.Request) -> web.Response:
        camera = request.match_info["camera"]
        if camera not in self.cameras:
            message = f"{camera} is not a valid camera."
            return self._json({"success": False, "message": message}, status=404)
        try:
            body = await request.json() if request.can_read_body else {}
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        event_id = self.create_manual_event(
            camera,
            request.match_info["label"],
            duration=body.get("duration", 30),
            sub_label=body.get("sub_label"),
            score=float(body.get("score") or 0),
            include_recording=body.get("include_recording", True) is not False,
        )
        message = "Successfully created event."
        return self._json({"success": True, "message": message, "event_id": event_id})

    async def _end_manual_event(self, request: web.Request) -> web.Response:
        try:
            body = await request.json() if request.can_read_body else {}
        except ValueError:
            body = {}
        end_time = body.get("end_time") if isinstance(body, dict) else None
        # Frigate publishes the end without looking the event up: unknown ids get a 200 too.
        if (event := self._event_or_none(request)) is not None:
            event.end_time = time.time() if end_time is None else float(end_time)
        return self._json({"success": True, "message": "Event successfully ended."})

    # -------------------------------------------------------------- 0.17+ friendly names

    def set_friendly_names(
        self, camera: str, name: str | None = None, zones: Mapping[str, str] | None = None
    ) -> None:
        """Give a camera and its zones the `friendly_name` Frigate's UI shows (0.17+)."""
        if not self._at_least(17):
            raise ValueError("Frigate has friendly names from 0.17 on")
        fake = self.cameras[camera]
        fake.friendly_name = name
        fake.zone_names = dict(zones or {})

    def _friendly_name(self, name: str | None) -> dict[str, str]:
        """The key as `/api/config` has it: absent when unset (None is excluded)."""
        return {"friendly_name": name} if name is not None and self._at_least(17) else {}

    def _zone_config(self, camera: FakeCamera, zone: str) -> dict[str, Any]:
        config: dict[str, Any] = self._friendly_name(camera.zone_names.get(zone))
        return config | {"coordinates": "0,0,320,0,320,360,0,360", "objects": [], "inertia": 3}

    # -------------------------------------------------------------- 0.18 connection quality

    def set_connection_health(self, camera: str, *, reconnects: int = 0, stalls: int = 0) -> None:
        """Set a camera's reconnects and stalls of the last hour (0.18 rates the link on them)."""
        fake = self.cameras[camera]
        fake.reconnects_last_hour = reconnects
        fake.stalls_last_hour = stalls

    @staticmethod
    def _connection_health(camera: FakeCamera, fps: float) -> dict[str, Any]:
        """The 0.18 rating, as frigate/stats/util.py `stats_snapshot` computes it.

        It counts reconnects, not frames: more than 10 reconnects in the hour rate a camera
        `unusable` while it delivers its full frame rate.
        """
        expected = camera.fps
        reconnects, stalls = camera.reconnects_last_hour, camera.stalls_last_hour
        if fps < 0.1:
            quality = "unusable"
        elif reconnects == 0 and fps >= 0.9 * expected and stalls < 5:
            quality = "excellent"
        elif reconnects <= 2 and fps >= 0.6 * expected:
            quality = "fair"
        elif reconnects > 10 or fps < 1.0 or stalls > 100:
            quality = "unusable"
        else:
            quality = "poor"
        return {
            "connection_quality": quality,
            "expected_fps": expected,
            "reconnects_last_hour": reconnects,
            "stalls_last_hour": stalls,
        }


# ------------------------------------------------------------------------------ CLI


async def _serve(args: argparse.Namespace) -> None:
    minor = int(args.version.split(".")[1])
    server = FakeFrigateServer(
        version=args.version,
        auth=args.auth,
        cameras=[c for c in args.cameras.split(",") if c],
        username=args.username,
        password=args.password,
        stats_cache=15.0 if minor >= 14 else 0.0,
        auto_events=not args.no_auto_events,
        websocket=True,
    )
    if args.recognition:
        server.recognition.enable()  # faces, plates, classes, GenAI, Birdseye
    server.media.demo()  # clips, recordings, review items and an export to browse
    url = await server.start(args.host, args.port)
    print(f"Fake Frigate {server.version_string} listening on {url}", flush=True)
    if args.auth == "login":
        print(f"Login: username {args.username!r}, password {args.password!r}", flush=True)
    else:
        print("No authentication (internal port)", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()


def main(argv: list[str] | None = None) -> None:
    """Run the fake from the command line."""
    parser = argparse.ArgumentParser(description="Fake Frigate NVR server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--version", choices=SUPPORTED_VERSIONS, default="0.17")
    parser.add_argument("--auth", choices=("none", "login"), default="none")
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password", default="frigate-password")
    parser.add_argument("--cameras", default="front_door,backyard")
    parser.add_argument("--no-auto-events", action="store_true")
    parser.add_argument("--recognition", action="store_true", help="faces, plates, ... on")
    args = parser.parse_args(argv)
    if args.auth == "login" and int(args.version.split(".")[1]) < 14:
        parser.error("Frigate has authentication from 0.14 on")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))


if __name__ == "__main__":
    main()
