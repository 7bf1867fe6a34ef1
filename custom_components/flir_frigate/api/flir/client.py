"""REST client for FLIR automation cameras (A50/A70, A400/A500/A700).

Only ``GET /api/image/current`` (``imgformat=JPEG`` and ``JPEG_visual``) is confirmed on real
cameras. The JSON endpoints of the OpenAPI description (spots, boxes, lines, temperature sensors,
alarms) are probed once by :meth:`FlirClient.discover` and used only where they answer with JSON.

Real cameras handle one request at a time, so every request of one client goes through one lock.

Nothing a device sends is trusted to be small or quick: every request, redirects and body
included, runs under one timeout; a body is read in chunks against a cap per kind of answer
(:data:`MAX_JSON_BYTES`, :data:`MAX_IMAGE_BYTES`) and aiohttp's own buffering is bounded per
request; redirects are followed only within the configured origin (scheme, host and port).
"""

import asyncio
import base64
import email.utils
import functools
import ipaddress
import json
import logging
import math
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Final, Literal

import aiohttp
from yarl import URL

from .exceptions import (
    FlirAuthenticationError,
    FlirConnectionError,
    FlirUnexpectedDeviceError,
)
from .models import (
    Alarm,
    AuthMode,
    BoxMeasurement,
    Capabilities,
    LineMeasurement,
    Measurements,
    SpotMeasurement,
    TempSensor,
    as_float,
    as_int,
)

if TYPE_CHECKING:
    from multidict import CIMultiDictProxy

_LOGGER = logging.getLogger(__name__)

MAX_INSTANCES: Final = 10
"""Highest instance probed per kind (FLIR manual: up to 10 spots, 10 boxes; same bound for all)."""
MAX_RETRIES: Final = 2
RETRY_STATUSES: Final = frozenset({429, 502, 503, 504})
BACKOFF: Final = (0.5, 1.0)
MAX_RETRY_AFTER: Final = 2.0
MAX_CYCLE_TROUBLES: Final = 2
"""A cycle gives up (FlirConnectionError) at this many timeouts or server errors."""
VISUAL_FORMATS: Final = ("VISIBLE", "JPEG_visual")
THERMAL_FORMAT: Final = "JPEG"

MAX_JSON_BYTES: Final = 1024 * 1024
"""Cap on a JSON answer. A spot, box, line or sensor answer is a few hundred bytes and the alarm
list (at most 10 alarms) a few KiB; 1 MiB leaves a margin of 250 and stays cheap to parse."""
MAX_IMAGE_BYTES: Final = 16 * 1024 * 1024
"""Cap on an image. The largest real answers: the A50 visual JPEG (2592x1944) is 1-2 MB, an A700
visual image (5 MP) a few MB, a thermal R-JPEG 0.5-1 MB (640x480 raw counts plus previews; a
few MB at most if it embeds a full visual image). 16 MiB is three times the largest of them."""
MAX_REDIRECTS: Final = 3
"""Same-origin redirects followed per request (a camera moving a path once or twice)."""
_CHUNK: Final = 64 * 1024
# Per request, so a shared session configured otherwise cannot widen them: aiohttp buffers at
# most twice read_bufsize of body before it stops reading the socket, and refuses header lines
# and header counts beyond its usual defaults.
_RESPONSE_BOUNDS: Final[dict[str, Any]] = {
    "read_bufsize": _CHUNK,
    "max_line_size": 8190,
    "max_field_size": 8190,
    "max_headers": 128,
}
_REDIRECT_STATUSES: Final = frozenset({301, 302, 303, 307, 308})
_SHOWN_CHARS: Final = 120
_TEMP_UNIT: Final = {"tempUnit": "C"}
_HOST_LABEL: Final = re.compile(r"(?!-)[A-Za-z0-9_-]{1,63}(?<!-)")


class _RequestFailedError(FlirConnectionError):
    """One request timed out, broke off or got a server error; the camera may still be fine."""


class _ServerError(_RequestFailedError):
    """HTTP 500, 501 or another server error that says "broken here", not "busy"."""


class _NotFoundError(FlirUnexpectedDeviceError):
    """The endpoint or instance answered 404."""


@dataclass(frozen=True, slots=True)
class _Reply:
    status: int
    content_type: str
    headers: CIMultiDictProxy[str]
    body: bytes
    url: URL


@dataclass(slots=True)
class _Cycle:
    failed: list[str] = field(default_factory=list)
    troubles: int = 0


def _valid_hostname(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return True
    name = host.removesuffix(".")
    if not name or len(name) > 253:  # noqa: PLR2004 - DNS limit
        return False
    labels = name.split(".")
    if all(label.isdigit() for label in labels):
        return False  # looks like an IPv4 address but is not a valid one
    return all(_HOST_LABEL.fullmatch(label) for label in labels)


def _parse_host(host: str) -> URL:
    text = host.strip()
    if not text or any(char.isspace() for char in text):
        raise ValueError("the host is empty or contains spaces")
    if "://" not in text:
        try:
            ipaddress.IPv6Address(text)
        except ValueError:
            pass
        else:
            text = f"[{text}]"
        text = f"http://{text}"
    try:
        url = URL(text)
        port = url.explicit_port
    except (ValueError, TypeError) as err:
        raise ValueError("not a valid host name, address or URL") from err
    if port is not None and not 0 < port < 65536:  # noqa: PLR2004
        raise ValueError("the port is out of range")
    return url


def normalize_host(host: str) -> str:
    """Return the base URL for an IP, host name, ``host:port`` or http(s) URL.

    A path containing an ``api`` segment is cut there, so a pasted image URL works.
    Raises ValueError for anything that is not a plain host or http(s) URL.
    """
    url = _parse_host(host)
    if url.scheme not in {"http", "https"}:
        raise ValueError("only http and https are supported")
    if url.raw_user is not None or url.raw_password is not None:
        raise ValueError("put the user name and password in their own fields, not in the host")
    if url.raw_host is None or not _valid_hostname(url.raw_host):
        raise ValueError("not a valid host name or address")
    segments = [segment for segment in url.raw_path.split("/") if segment]
    if "api" in segments:
        segments = segments[: segments.index("api")]
    prefix = "".join(f"/{segment}" for segment in segments)
    return f"{url.origin()}{prefix}"


def retry_delay(attempt: int, retry_after: str | None, *, now: float | None = None) -> float:
    """Seconds to wait before retry ``attempt`` (0-based): ``Retry-After`` capped, else back-off."""
    if retry_after is not None:
        seconds = as_float(retry_after)
        if seconds is None:
            try:
                when = email.utils.parsedate_to_datetime(retry_after)
            except TypeError, ValueError, IndexError:
                when = None
            if when is not None and when.tzinfo is not None:
                seconds = when.timestamp() - (time.time() if now is None else now)
        if seconds is not None:
            return min(max(seconds, 0.0), MAX_RETRY_AFTER)
    return BACKOFF[min(attempt, len(BACKOFF) - 1)]


def _check_instance(instance: int) -> int:
    if isinstance(instance, bool) or not isinstance(instance, int) or instance < 1:
        raise ValueError("instance numbers start at 1")
    return instance


def _size_params(width: int | None, height: int | None) -> dict[str, str]:
    params: dict[str, str] = {}
    for name, value in (("width", width), ("height", height)):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive integer")
        params[name] = str(value)
    return params


def _challenge_scheme(reply: _Reply) -> AuthMode | None:
    """Strongest scheme offered by the ``WWW-Authenticate`` headers (Digest over Basic)."""
    offered: set[str] = set()
    for header in reply.headers.getall("WWW-Authenticate", ()):
        offered.update(token.lower() for token in re.findall(r"(?:^|,)\s*([A-Za-z]+)\s", header))
        scheme, _, _ = header.strip().partition(" ")
        offered.add(scheme.lower())
    if "digest" in offered:
        return "digest"
    if "basic" in offered:
        return "basic"
    return None


def _parse_alarm_list(data: Any) -> dict[int, Alarm]:
    """Parse ``{"alarms": [...]}`` (or a bare list); entries without an instance use position."""
    items = data.get("alarms") if isinstance(data, Mapping) else data
    if not isinstance(items, list):
        raise FlirUnexpectedDeviceError("alarms: expected a list of alarms")
    alarms: dict[int, Alarm] = {}
    for position, item in enumerate(items, start=1):
        if not isinstance(item, Mapping):
            continue
        found = as_int(item.get("instance"))
        instance = found if found is not None and found >= 1 else position
        alarms.setdefault(instance, Alarm.from_dict(item, instance=instance).in_celsius())
    return alarms


type ImageFormat = Literal["JPEG", "RJPEG", "FLAME", "VISIBLE", "FUSION", "JPEG_visual"]
IMAGE_FORMATS: Final = frozenset({"JPEG", "RJPEG", "FLAME", "VISIBLE", "FUSION", "JPEG_visual"})


class FlirClient:
    """Client for one FLIR automation camera; all requests are serialized."""

    def __init__(
        self,
        host: str,
        *,
        session: aiohttp.ClientSession,
        username: str | None = None,
        password: str | None = None,
        request_timeout: float = 10.0,
        verify_ssl: bool = True,
    ) -> None:
        """Prepare a client; no request is made here. Raises ValueError for a bad host."""
        self._base_url = normalize_host(host)
        self._session = session
        self._username = username or None
        self._password = (password or "") if self._username else None
        if self._username is not None and ":" in self._username:
            raise ValueError('a user name cannot contain ":"')
        if not math.isfinite(request_timeout) or request_timeout <= 0:
            raise ValueError("request_timeout must be a positive number of seconds")
        self._request_timeout = float(request_timeout)
        self._verify_ssl = verify_ssl
        self._lock = asyncio.Lock()
        self._auth_mode: AuthMode | None = None
        self._digest: aiohttp.DigestAuthMiddleware | None = None
        self._capabilities: Capabilities | None = None
        self._rediscovery_needed = False
        self._visual_format: str | None = None

    @property
    def base_url(self) -> str:
        """Normalised base URL, e.g. ``http://192.168.0.100`` (no credentials, no trailing /)."""
        return self._base_url

    @property
    def capabilities(self) -> Capabilities | None:
        """The plan from the last :meth:`discover`, or ``None`` before it ran."""
        return self._capabilities

    @property
    def rediscovery_needed(self) -> bool:
        """True when a known instance vanished (404) or the alarm list changed."""
        return self._rediscovery_needed

    # ------------------------------------------------------------------ discovery

    async def discover(self) -> Capabilities:
        """Probe which JSON endpoints and instances exist, and which visual format works."""
        spots = await self._probe("spot")
        boxes = await self._probe("box")
        lines = await self._probe("line")
        temp_sensors = await self._probe("tempsensor")
        alarms, has_alarms_endpoint = await self._probe_alarms()
        visual_format = await self._probe_visual()
        capabilities = Capabilities(
            spots=spots,
            boxes=boxes,
            lines=lines,
            temp_sensors=temp_sensors,
            alarms=alarms,
            has_alarms_endpoint=has_alarms_endpoint,
            visual_format=visual_format,
            auth=self._auth_mode or "none",
        )
        _LOGGER.debug("Discovered %s", capabilities)
        self._capabilities = capabilities
        self._rediscovery_needed = False
        return capabilities

    async def _probe(self, kind: str) -> tuple[int, ...]:
        found: list[int] = []
        for instance in range(1, MAX_INSTANCES + 1):
            path = f"/api/{kind}/{instance}.json"
            try:
                data = await self._get_json(path)
            except (FlirUnexpectedDeviceError, _ServerError) as err:
                _LOGGER.debug("No %s %s: %s", kind, instance, err)
                break
            if not isinstance(data, Mapping):
                _LOGGER.debug("No %s %s: the answer is not a JSON object", kind, instance)
                break
            if instance == 1:
                _LOGGER.debug("%s answers with fields %s", path, sorted(map(str, data)))
            found.append(instance)
        return tuple(found)

    async def _probe_alarms(self) -> tuple[tuple[int, ...], bool]:
        try:
            data = await self._get_json("/api/alarms")
            alarms = _parse_alarm_list(data)
        except (FlirUnexpectedDeviceError, _ServerError) as err:
            _LOGGER.debug("No alarm list: %s", err)
        else:
            return tuple(sorted(alarms)[:MAX_INSTANCES]), True
        return await self._probe("alarm"), False

    async def _probe_visual(self) -> str | None:
        try:
            await self.visual_image()
        except (FlirUnexpectedDeviceError, _ServerError) as err:
            _LOGGER.debug("No visual image: %s", err)
        return self._visual_format

    # --------------------------------------------------------------- measurements

    async def measurements(self) -> Measurements:
        """Run one cycle over the discovered plan (runs :meth:`discover` first if needed).

        A single ROI that fails (error status, malformed JSON, one timeout) is listed in
        ``failed``; FlirConnectionError when the camera cannot be reached or keeps failing.
        """
        plan = self._capabilities or await self.discover()
        cycle = _Cycle()
        spots = await self._collect(cycle, "spot", plan.spots, self.spot)
        boxes = await self._collect(cycle, "box", plan.boxes, self.box)
        lines = await self._collect(cycle, "line", plan.lines, self.line)
        temp_sensors = await self._collect(cycle, "tempsensor", plan.temp_sensors, self.temp_sensor)
        alarms: dict[int, Alarm] = {}
        if plan.has_alarms_endpoint and plan.alarms:
            listed = await self._cycle_item(cycle, "alarms", self.alarms)
            if listed is not None:
                if set(listed) != set(plan.alarms):
                    self._rediscovery_needed = True
                alarms = {n: listed[n] for n in plan.alarms if n in listed}
        else:
            alarms = await self._collect(cycle, "alarm", plan.alarms, self.alarm)
        return Measurements(
            spots=spots,
            boxes=boxes,
            lines=lines,
            temp_sensors=temp_sensors,
            alarms=alarms,
            failed=tuple(cycle.failed),
        )

    async def _collect[T](
        self,
        cycle: _Cycle,
        kind: str,
        instances: tuple[int, ...],
        fetch: Callable[[int], Awaitable[T]],
    ) -> dict[int, T]:
        values: dict[int, T] = {}
        for instance in instances:
            value = await self._cycle_item(
                cycle, f"{kind}/{instance}", functools.partial(fetch, instance)
            )
            if value is not None:
                values[instance] = value
        return values

    async def _cycle_item[T](
        self, cycle: _Cycle, label: str, fetch: Callable[[], Awaitable[T]]
    ) -> T | None:
        try:
            return await fetch()
        except _NotFoundError:
            _LOGGER.debug("%s has gone (404); rediscovery needed", label)
            self._rediscovery_needed = True
        except _RequestFailedError as err:
            cycle.troubles += 1
            if cycle.troubles >= MAX_CYCLE_TROUBLES:
                raise FlirConnectionError(f"the camera keeps failing: {err}") from err
            _LOGGER.debug("%s failed this cycle: %s", label, err)
        except FlirUnexpectedDeviceError as err:
            _LOGGER.debug("%s failed this cycle: %s", label, err)
        cycle.failed.append(label)
        return None

    async def spot(self, instance: int) -> SpotMeasurement:
        """Read spot ``instance`` (°C)."""
        data = await self._get_json(f"/api/spot/{_check_instance(instance)}.json")
        return SpotMeasurement.from_dict(data, instance=instance).in_celsius()

    async def box(self, instance: int) -> BoxMeasurement:
        """Read box ``instance`` (°C)."""
        data = await self._get_json(f"/api/box/{_check_instance(instance)}.json")
        return BoxMeasurement.from_dict(data, instance=instance).in_celsius()

    async def line(self, instance: int) -> LineMeasurement:
        """Read line ``instance`` (°C)."""
        data = await self._get_json(f"/api/line/{_check_instance(instance)}.json")
        return LineMeasurement.from_dict(data, instance=instance).in_celsius()

    async def temp_sensor(self, instance: int) -> TempSensor:
        """Read internal temperature sensor ``instance`` (°C)."""
        data = await self._get_json(f"/api/tempsensor/{_check_instance(instance)}.json")
        return TempSensor.from_dict(data, instance=instance).in_celsius()

    async def alarms(self) -> dict[int, Alarm]:
        """Read every alarm in one request, keyed by instance."""
        return _parse_alarm_list(await self._get_json("/api/alarms"))

    async def alarm(self, instance: int) -> Alarm:
        """Read alarm ``instance``."""
        data = await self._get_json(f"/api/alarm/{_check_instance(instance)}.json")
        return Alarm.from_dict(data, instance=instance).in_celsius()

    # --------------------------------------------------------------------- images

    async def image(
        self,
        *,
        width: int | None = None,
        height: int | None = None,
        image_format: ImageFormat = THERMAL_FORMAT,
    ) -> bytes:
        """Return the current image; by default the thermal radiometric JPEG (``JPEG``).

        ``image_format`` takes any ``imgformat`` of the API description (``RJPEG``, ``FLAME``,
        ``VISIBLE``, ``FUSION``) or the A50/A70 name ``JPEG_visual``.
        """
        if image_format not in IMAGE_FORMATS:
            raise ValueError(f"unknown image format {image_format!r}")
        return await self._get_image(image_format, width=width, height=height)

    async def visual_image(self, *, width: int | None = None, height: int | None = None) -> bytes:
        """Return the visual JPEG: ``VISIBLE``, or ``JPEG_visual`` where that is refused."""
        order = list(VISUAL_FORMATS)
        if self._visual_format in order:
            order.remove(self._visual_format)
            order.insert(0, self._visual_format)
        refused: FlirUnexpectedDeviceError | None = None
        for visual_format in order:
            try:
                data = await self._get_image(visual_format, width=width, height=height)
            except FlirUnexpectedDeviceError as err:
                _LOGGER.debug("imgformat=%s refused: %s", visual_format, err)
                refused = err
                continue
            if visual_format != self._visual_format:
                self._visual_format = visual_format
                if self._capabilities is not None:
                    self._capabilities = replace(self._capabilities, visual_format=visual_format)
            return data
        raise FlirUnexpectedDeviceError("the camera serves no visual image") from refused

    async def check(self) -> bytes:
        """Fetch the thermal JPEG and make sure the host answers like a FLIR camera (config flow).

        Returns the image bytes (whether they are radiometric is for the caller to decode).
        FlirUnexpectedDeviceError when the host answers but not like a FLIR camera (HTML, 404,
        not a JPEG), FlirAuthenticationError on refused or missing credentials,
        FlirConnectionError when the host is unreachable, times out or keeps failing.
        """
        data = await self.image()
        if not data.startswith(b"\xff\xd8\xff"):
            raise FlirUnexpectedDeviceError("the thermal image is not a JPEG")
        return data

    async def _get_image(
        self, image_format: str, *, width: int | None, height: int | None
    ) -> bytes:
        path = "/api/image/current"
        params = {"imgformat": image_format, **_size_params(width, height)}
        reply = await self._request(path, params, limit=MAX_IMAGE_BYTES)
        _check_status(reply, path)
        if not reply.content_type.startswith("image/"):
            raise FlirUnexpectedDeviceError(
                f"GET {path}?imgformat={image_format}: not an image ({reply.content_type})"
            )
        if not reply.body:
            raise FlirUnexpectedDeviceError(f"GET {path}?imgformat={image_format}: empty image")
        return reply.body

    # ------------------------------------------------------------------- requests

    async def _get_json(self, path: str) -> Any:
        reply = await self._request(path, _TEMP_UNIT, limit=MAX_JSON_BYTES)
        _check_status(reply, path)
        try:
            return json.loads(reply.body)
        except (ValueError, RecursionError) as err:
            raise FlirUnexpectedDeviceError(f"GET {path}: the answer is not JSON") from err

    async def _request(self, path: str, params: Mapping[str, str], *, limit: int) -> _Reply:
        """GET ``path`` with authentication and retries, one request at a time per camera."""
        async with self._lock:
            attempt = 0
            negotiated = False
            while True:
                reply = await self._attempt(path, params, limit=limit)
                if reply.status == 401 and not negotiated and self._negotiate(reply):  # noqa: PLR2004
                    negotiated = True
                    continue
                if reply.status in {401, 403}:
                    raise FlirAuthenticationError(
                        "the camera refused the credentials"
                        if self._username
                        else "the camera requires a user name and password"
                    )
                if reply.status in RETRY_STATUSES and attempt < MAX_RETRIES:
                    delay = retry_delay(attempt, reply.headers.get("Retry-After"))
                    _LOGGER.debug(
                        "GET %s answered HTTP %s; retry %s in %.2f s",
                        path,
                        reply.status,
                        attempt + 1,
                        delay,
                    )
                    attempt += 1
                    await asyncio.sleep(delay)
                    continue
                if self._auth_mode is None and reply.status < 400:  # noqa: PLR2004
                    self._auth_mode = "none"
                return reply

    def _negotiate(self, reply: _Reply) -> bool:
        """Pick the scheme the camera asks for; False when there is nothing new to try."""
        if self._username is None or self._password is None:
            return False
        scheme = _challenge_scheme(reply)
        if scheme is None or scheme == self._auth_mode:
            return False
        _LOGGER.debug("The camera asks for %s authentication", scheme)
        self._auth_mode = scheme
        self._digest = (
            aiohttp.DigestAuthMiddleware(self._username, self._password)
            if scheme == "digest"
            else None
        )
        return True

    def _basic_header(self) -> str:
        token = f"{self._username}:{self._password or ''}".encode()
        return f"Basic {base64.b64encode(token).decode('ascii')}"

    async def _attempt(self, path: str, params: Mapping[str, str], *, limit: int) -> _Reply:
        """One GET, same-origin redirects included, all under one timeout; body only on 200."""
        start = url = URL(self._base_url + path).extend_query(params)
        extra: dict[str, Any] = dict(_RESPONSE_BOUNDS)
        if self._auth_mode == "basic" and self._username is not None:
            extra["headers"] = {"Authorization": self._basic_header()}
        elif self._auth_mode == "digest" and self._digest is not None:
            extra["middlewares"] = (self._digest,)
        try:
            async with asyncio.timeout(self._request_timeout):
                for _hop in range(MAX_REDIRECTS + 1):
                    async with self._session.get(
                        url,
                        ssl=self._verify_ssl,
                        raise_for_status=False,
                        allow_redirects=False,
                        **extra,
                    ) as response:
                        if response.status in _REDIRECT_STATUSES:
                            url = _redirect_target(response, path, start)
                            continue  # leaving the block drops the unread body
                        body = (
                            await _read(response, path, limit)
                            if response.status == 200  # noqa: PLR2004
                            else b""  # never used: an error answer is judged by its status
                        )
                        return _Reply(
                            status=response.status,
                            content_type=response.content_type.lower(),
                            headers=response.headers,
                            body=body,
                            url=response.url,
                        )
                raise FlirUnexpectedDeviceError(f"GET {path}: more than {MAX_REDIRECTS} redirects")
        except TimeoutError as err:
            raise _RequestFailedError(
                f"GET {path} timed out after {self._request_timeout:g} s"
            ) from err
        except aiohttp.ClientConnectorError as err:
            reason = getattr(err.os_error, "strerror", None) or _describe(err)
            raise FlirConnectionError(
                f"cannot connect to the camera at {self._base_url} ({reason})"
            ) from err
        except aiohttp.ClientError as err:
            raise _RequestFailedError(f"GET {path} failed ({_describe(err)})") from err


def _describe(err: BaseException) -> str:
    """Type and text of an error, shortened (aiohttp's text may be empty or very long)."""
    text = " ".join(str(err).split())
    name = type(err).__name__
    return _shorten(f"{name}: {text}" if text else name)


def _shorten(text: str) -> str:
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 3] + "..."


def _origin(url: URL) -> tuple[str, str, int | None]:
    """Scheme, host and port (default filled in); ValueError for a URL without a host."""
    if not url.absolute or not url.host:
        raise ValueError("not an absolute URL")
    return url.scheme.lower(), url.host.lower(), url.port


def _redirect_target(response: aiohttp.ClientResponse, path: str, start: URL) -> URL:
    """Where a redirect leads, if it may be followed; else the library's error.

    Off the configured origin: FlirUnexpectedDeviceError (nothing is fetched from there).
    To a login page: FlirAuthenticationError, as the web UI asks for a session login.
    """
    location = response.headers.get("Location", "").strip()
    if not location:
        raise FlirUnexpectedDeviceError(
            f"GET {path}: HTTP {response.status} redirect without a Location"
        )
    try:
        target = response.url.join(URL(location))
        target_origin = _origin(target)
    except ValueError, TypeError:
        raise FlirUnexpectedDeviceError(
            f"GET {path}: redirect to an unreadable address ({_shorten(location)!r})"
        ) from None
    if target_origin != _origin(start):
        raise FlirUnexpectedDeviceError(
            f"GET {path}: the camera redirects to another address "
            f"({_shorten(str(target.origin()))}); only redirects within "
            f"{start.origin()} are followed"
        )
    if "login" in target.path.lower():
        raise FlirAuthenticationError("the camera redirects to its web login")
    return target


async def _read(response: aiohttp.ClientResponse, path: str, limit: int) -> bytes:
    """The body, read in chunks with a running cap; an announced size over it is not read."""
    announced = response.content_length
    if announced is not None and announced > limit:
        raise FlirUnexpectedDeviceError(
            f"GET {path}: the answer is too large (over {limit} bytes; "
            f"Content-Length says {announced})"
        )
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise FlirUnexpectedDeviceError(
                f"GET {path}: the answer is too large (over {limit} bytes)"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _check_status(reply: _Reply, path: str) -> None:
    status = reply.status
    if status == 200:  # noqa: PLR2004
        return
    if status == 404:  # noqa: PLR2004
        raise _NotFoundError(f"GET {path}: not found (HTTP 404)")
    if status in RETRY_STATUSES:
        raise _RequestFailedError(f"GET {path}: the camera stayed busy (HTTP {status})")
    if status >= 500:  # noqa: PLR2004
        raise _ServerError(f"GET {path}: server error (HTTP {status})")
    raise FlirUnexpectedDeviceError(f"GET {path}: unexpected HTTP {status}")
