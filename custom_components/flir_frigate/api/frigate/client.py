"""Async HTTP client for Frigate NVR 0.12+ (no Home Assistant imports).

Authentication modes:

* none: the internal port (5000) or a Frigate older than 0.14.
* login: `POST /api/login`; the JWT comes from the cookie the server sets (name configurable on
  the server) and is sent as `Authorization: Bearer`. Login is lazy: it happens on the first 401
  (or when `probe`/`auth_headers` learn that the port needs it), so credentials given for the
  internal port are never used. A 401 with a token triggers exactly one new login and retry.
  A refused login blocks further attempts for `LOGIN_FAILURE_BACKOFF` seconds and a 429 for
  `Retry-After` (default `RATE_LIMIT_BACKOFF`) seconds, so the client never hammers `/api/login`.
* token: a static bearer token, sent with every request, never refreshed.

`verify_ssl=False` applies to every request, including images and streams (`ssl=False`).
"""

import asyncio
import base64
import binascii
import json
import logging
import re
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from http import HTTPStatus
from http.cookies import CookieError, SimpleCookie
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote

import aiohttp
from yarl import URL

from .exceptions import (
    FrigateAuthenticationError,
    FrigateConnectionError,
    FrigateNotFoundError,
    FrigateRangeNotSatisfiableError,
    FrigateRateLimitedError,
    FrigateUnexpectedDeviceError,
    FrigateUnsupportedVersionError,
)
from .models import (
    AuthMode,
    EventSummaryRow,
    FrigateConfig,
    FrigateEvent,
    FrigateImage,
    FrigateProfile,
    FrigateStats,
    ServerInfo,
)
from .version import MIN_SUPPORTED_VERSION, FrigateVersion

if TYPE_CHECKING:
    from multidict import CIMultiDictProxy

_LOGGER = logging.getLogger(__name__)

DEFAULT_COOKIE_NAME: Final = "frigate_token"
LOGIN_FAILURE_BACKOFF: Final = 30.0
"""Seconds during which no new login is tried after Frigate refused the credentials."""
RATE_LIMIT_BACKOFF: Final = 60.0
"""Seconds to wait after a 429 on login when the server sends no `Retry-After`."""
MAX_TOKEN_REFRESH_MARGIN: Final = 60.0

# Frigate's config only allows these characters in camera names; labels come from label maps
# (COCO has "traffic light", hence single inner spaces). Event ids: "<start ts>.<µs>-<random>".
_CAMERA_RE: Final = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
_LABEL_RE: Final = re.compile(r"^[A-Za-z0-9_-]{1,64}(?: [A-Za-z0-9_-]{1,64}){0,4}$")
_EVENT_ID_RE: Final = re.compile(r"^[0-9]{1,12}(?:\.[0-9]{1,9})?-[A-Za-z0-9]{1,32}$")
_JWT_RE: Final = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
_MAX_VERSION_BYTES: Final = 200
_MAX_RETRY_AFTER: Final = 86400.0
_QUERY_VALUE_RE: Final = re.compile(r"^[^\x00-\x1f\x7f,]{1,128}$")
# One byte range: `bytes=START-END`, `bytes=START-` or `bytes=-SUFFIX` (RFC 9110 §14.1.2).
_BYTE_RANGE_RE: Final = re.compile(r"^bytes=(?:([0-9]{1,18})-([0-9]{0,18})|-[0-9]{1,18})$")

type _Params = dict[str, str]


def validate_camera(name: str) -> str:
    """Return a valid Frigate camera name, else raise ValueError."""
    if not isinstance(name, str) or not _CAMERA_RE.fullmatch(name):
        raise ValueError("invalid Frigate camera name")
    return name


def validate_label(label: str) -> str:
    """Return a valid object label (`any` included), else raise ValueError."""
    if not isinstance(label, str) or not _LABEL_RE.fullmatch(label):
        raise ValueError("invalid Frigate object label")
    return label


def validate_event_id(event_id: str) -> str:
    """Return a valid event id such as `1718000000.123456-abc123`, else raise ValueError."""
    if not isinstance(event_id, str) or not _EVENT_ID_RE.fullmatch(event_id):
        raise ValueError("invalid Frigate event id")
    return event_id


def validate_byte_range(byte_range: str) -> str:
    """Return a single byte range (`bytes=0-99`, `bytes=100-`, `bytes=-500`), else ValueError.

    Multiple ranges, other units, whitespace and `START > END` are refused.
    """
    if not isinstance(byte_range, str) or (match := _BYTE_RANGE_RE.fullmatch(byte_range)) is None:
        raise ValueError("invalid byte range")
    first, last = match.groups()
    if first is not None and last and int(last) < int(first):
        raise ValueError("invalid byte range")
    return byte_range


class _NoLoginError(FrigateAuthenticationError):
    """`/api/login` does not exist (before 0.14, or auth disabled) and none was needed."""


@dataclass(frozen=True, slots=True)
class _Reply:
    status: int
    headers: CIMultiDictProxy[str]
    body: bytes


def _flag(value: bool) -> str:
    return "1" if value else "0"


def _positive(value: int, what: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{what} must be a positive integer")
    return str(value)


def _zone(zone: str) -> str:
    if not isinstance(zone, str) or not _QUERY_VALUE_RE.fullmatch(zone):
        raise ValueError("invalid Frigate zone name")
    return zone


def _epoch(value: float) -> str:
    return repr(float(value))


def _optional[T](value: T | None, convert: Callable[[T], str]) -> str | None:
    return None if value is None else convert(value)


def _is_success(status: int) -> bool:
    return HTTPStatus.OK <= status < HTTPStatus.MULTIPLE_CHOICES


def _jwt_claims(token: str) -> Mapping[str, Any]:
    """Decode a JWT payload without verifying it (only `exp` is read)."""
    try:
        segment = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except IndexError, ValueError, binascii.Error:
        return {}
    return claims if isinstance(claims, Mapping) else {}


def _transport_error(err: aiohttp.ClientError) -> FrigateConnectionError:
    """Describe a transport failure without URLs or credentials."""
    if isinstance(err, aiohttp.ClientSSLError):
        return FrigateConnectionError(
            "TLS handshake with Frigate failed (certificate not trusted?)"
        )
    return FrigateConnectionError(f"cannot talk to Frigate ({type(err).__name__})")


def _is_complete_image(content_type: str, body: bytes) -> bool:
    """Check the JPEG start and end markers (a cut-off JPEG lacks the final EOI)."""
    if not body:
        return False
    if content_type.startswith(("image/jpeg", "image/jpg")):
        return body.startswith(b"\xff\xd8") and b"\xff\xd9" in body[-64:]
    return True


class FrigateClient:
    """Client for one Frigate server."""

    def __init__(
        self,
        url: str,
        *,
        session: aiohttp.ClientSession,
        username: str | None = None,
        password: str | None = None,
        token: str | None = None,
        verify_ssl: bool = True,
        request_timeout: float = 10.0,
    ) -> None:
        """Prepare a client; no I/O. ValueError on a bad URL or inconsistent credentials."""
        base = URL(url.strip())
        if base.scheme not in {"http", "https"} or not base.host:
            raise ValueError("the Frigate URL must look like http(s)://host[:port][/path]")
        if base.user is not None or base.password is not None:
            raise ValueError("give credentials as username/password, not inside the URL")
        if (username is None) != (password is None):
            raise ValueError("give both username and password")
        if token is not None and username is not None:
            raise ValueError("give either username/password or a token")
        if token is not None and not token.strip():
            raise ValueError("the token is empty")
        if request_timeout <= 0:
            raise ValueError("request_timeout must be positive")
        self._root = str(base.origin()) + base.raw_path.rstrip("/")
        self._session = session
        self._username = username
        self._password = password
        self._static_token = token.strip() if token is not None else None
        self._ssl = verify_ssl
        self._timeout = request_timeout
        self._jwt: str | None = None
        self._jwt_refresh_at: float | None = None  # wall clock
        self._cookie_name = DEFAULT_COOKIE_NAME
        # None: not known yet; True: the port answered 401; False: it answered without auth.
        self._auth_required: bool | None = None
        self._login_lock = asyncio.Lock()
        self._login_blocked_until = 0.0  # monotonic
        self._login_block_rate_limited = False

    # ------------------------------------------------------------------ properties

    @property
    def url(self) -> str:
        """Base URL of the server (never contains credentials)."""
        return self._root

    @property
    def verify_ssl(self) -> bool:
        """Whether TLS certificates are verified."""
        return self._ssl

    @property
    def ssl(self) -> bool:
        """The value to pass as `ssl=` on requests the caller makes itself."""
        return self._ssl

    @property
    def configured_auth(self) -> AuthMode:
        """The authentication mode given at construction."""
        if self._static_token is not None:
            return "token"
        return "login" if self._password is not None else "none"

    @property
    def login_blocked_for(self) -> float:
        """Seconds until a new login may be attempted (0 when not blocked)."""
        return max(0.0, self._login_blocked_until - time.monotonic())

    # ------------------------------------------------------------------ URLs

    def _url(self, *segments: str, api: bool = True) -> URL:
        path = "/".join(quote(segment, safe="") for segment in segments)
        return URL(f"{self._root}/{'api/' if api else ''}{path}", encoded=True)

    def mjpeg_url(self, camera: str, *, fps: int | None = None, height: int | None = None) -> str:
        """URL of the MJPEG debug stream (send `auth_headers()` with it)."""
        url = self._url(validate_camera(camera))
        params = self._mjpeg_params(fps, height)
        return str(url.with_query(params) if params else url)

    def event_clip_url(self, event_id: str) -> str:
        """URL of an event's clip, `/api/events/<id>/clip.mp4` (0.9+)."""
        return str(self._url("events", validate_event_id(event_id), "clip.mp4"))

    def legacy_clip_url(self, camera: str, event_id: str) -> str:
        """URL of a clip stored as a file, `/clips/<camera>-<id>.mp4`."""
        name = f"{validate_camera(camera)}-{validate_event_id(event_id)}.mp4"
        return str(self._url("clips", name, api=False))

    # ------------------------------------------------------------------ auth

    async def auth_headers(self) -> dict[str, str]:
        """Headers for requests the caller makes itself (images, streams); may log in."""
        if self._static_token is not None:
            return {"Authorization": f"Bearer {self._static_token}"}
        if self._password is None or self._auth_required is False:
            return {}
        try:
            return {"Authorization": f"Bearer {await self._ensure_token()}"}
        except _NoLoginError:
            return {}

    def _headers(self, token: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"} if token else {}

    async def _request_token(self, *, retrying: bool) -> str | None:
        """Return the token to send: static, current JWT, or a new login when auth is needed."""
        if self._static_token is not None:
            return self._static_token
        if self._password is None:
            return None
        if not retrying and (
            self._auth_required is False or (self._auth_required is None and self._jwt is None)
        ):
            return None
        return await self._ensure_token()

    async def _ensure_token(self) -> str:
        async with self._login_lock:
            if self._jwt is not None and (
                self._jwt_refresh_at is None or time.time() < self._jwt_refresh_at
            ):
                return self._jwt
            self._jwt = None
            return await self._login()

    def _drop_token(self, token: str | None) -> None:
        if token is not None and token == self._jwt:
            self._jwt = None

    def _block_login(self, seconds: float, *, rate_limited: bool) -> None:
        self._login_blocked_until = time.monotonic() + seconds
        self._login_block_rate_limited = rate_limited

    async def _login(self) -> str:
        """`POST /api/login`; store and return the JWT from the cookie. Lock held by caller."""
        if (remaining := self.login_blocked_for) > 0:
            if self._login_block_rate_limited:
                raise FrigateRateLimitedError(
                    "Frigate rate-limits logins; waiting before trying again",
                    retry_after=remaining,
                )
            raise FrigateAuthenticationError("Frigate refused the login recently; not retrying yet")
        reply = await self._exchange(
            "POST",
            self._url("login"),
            json_body={"user": self._username, "password": self._password},
        )
        if reply.status == HTTPStatus.TOO_MANY_REQUESTS:
            retry_after = self._retry_after(reply.headers)
            self._block_login(retry_after, rate_limited=True)
            _LOGGER.debug("Frigate rate-limits logins; next attempt in %.0f s", retry_after)
            raise FrigateRateLimitedError(
                "Frigate rate-limits login attempts", retry_after=retry_after
            )
        if reply.status in {HTTPStatus.BAD_REQUEST, HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN}:
            self._block_login(LOGIN_FAILURE_BACKOFF, rate_limited=False)
            raise FrigateAuthenticationError("Frigate refused the username or password")
        if reply.status in {HTTPStatus.NOT_FOUND, HTTPStatus.METHOD_NOT_ALLOWED}:
            if self._auth_required is not True:  # older Frigate or auth disabled: not needed
                self._auth_required = False
                raise _NoLoginError("Frigate has no login endpoint")
            raise FrigateAuthenticationError(
                "Frigate requires authentication but has no login (auth disabled behind a proxy?)"
            )
        self._check(reply, resource=False)
        token = self._token_from_cookies(reply.headers)
        if token is None:
            raise FrigateUnexpectedDeviceError("Frigate's login answer carries no token cookie")
        now = time.time()
        exp = _jwt_claims(token).get("exp")
        if isinstance(exp, int | float) and not isinstance(exp, bool) and exp > now:
            margin = min(MAX_TOKEN_REFRESH_MARGIN, (exp - now) / 4)
            self._jwt_refresh_at = exp - margin
        else:
            self._jwt_refresh_at = None
        self._jwt = token
        self._auth_required = True
        _LOGGER.debug("Logged in to Frigate (cookie %s)", self._cookie_name)
        return token

    @staticmethod
    def _retry_after(headers: CIMultiDictProxy[str]) -> float:
        try:
            seconds = float(headers.get("Retry-After", ""))
        except ValueError:
            return RATE_LIMIT_BACKOFF
        return seconds if 0 < seconds <= _MAX_RETRY_AFTER else RATE_LIMIT_BACKOFF

    def _token_from_cookies(self, headers: CIMultiDictProxy[str]) -> str | None:
        """Return the JWT from Set-Cookie: the known cookie name first, else any JWT-like one."""
        found: dict[str, str] = {}
        for header in headers.getall("Set-Cookie", []):
            cookie: SimpleCookie = SimpleCookie()
            try:
                cookie.load(header)
            except CookieError:
                continue
            for name, morsel in cookie.items():
                if _JWT_RE.fullmatch(morsel.value):
                    found[name] = morsel.value
        for name in (self._cookie_name, DEFAULT_COOKIE_NAME, *found):
            if name in found:
                self._cookie_name = name
                return found[name]
        return None

    # ------------------------------------------------------------------ transport

    async def _exchange(
        self,
        method: str,
        url: URL,
        *,
        params: _Params | None = None,
        headers: dict[str, str] | None = None,
        json_body: object = None,
    ) -> _Reply:
        """One HTTP exchange, body read, bounded by the request timeout."""
        try:
            async with (
                asyncio.timeout(self._timeout),
                self._session.request(
                    method,
                    url,
                    params=params,
                    json=json_body,
                    headers=headers,
                    ssl=self._ssl,
                    allow_redirects=False,
                    timeout=aiohttp.ClientTimeout(total=self._timeout),
                ) as response,
            ):
                body = await response.read()
                return _Reply(response.status, response.headers, body)
        except TimeoutError as err:
            raise FrigateConnectionError(
                f"Frigate did not answer within {self._timeout:g} s"
            ) from err
        except aiohttp.ClientError as err:
            raise _transport_error(err) from err

    async def _fetch(
        self, url: URL, *, params: _Params | None = None, public: bool = False
    ) -> _Reply:
        """GET with authentication: one new login and retry on a 401."""
        for attempt in range(2):
            token = await self._request_token(retrying=attempt > 0)
            reply = await self._exchange("GET", url, params=params, headers=self._headers(token))
            if (
                reply.status == HTTPStatus.UNAUTHORIZED
                and attempt == 0
                and self._password is not None
            ):
                self._auth_required = True
                self._drop_token(token)
                _LOGGER.debug("Frigate answered 401; logging in again")
                continue
            if _is_success(reply.status) and token is None and not public:
                self._auth_required = False
            return reply
        raise AssertionError("unreachable")  # pragma: no cover

    def _check(self, reply: _Reply, *, resource: bool) -> None:
        """Map a non-2xx status to an exception."""
        status = reply.status
        if _is_success(status):
            return
        if status == HTTPStatus.UNAUTHORIZED:
            raise FrigateAuthenticationError(
                "Frigate rejected the token"
                if self._static_token is not None or self._password is not None
                else "Frigate requires authentication on this port"
            )
        if status == HTTPStatus.FORBIDDEN:
            raise FrigateAuthenticationError("the Frigate user may not access this resource")
        if status == HTTPStatus.NOT_FOUND:
            if resource:
                raise FrigateNotFoundError("not found on the Frigate server")
            raise FrigateUnexpectedDeviceError("endpoint not found: is this a Frigate server?")
        if status == HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE:
            raise FrigateRangeNotSatisfiableError(
                "Frigate has no byte in the requested range",
                content_range=reply.headers.get("Content-Range"),
            )
        if status == HTTPStatus.TOO_MANY_REQUESTS or status >= HTTPStatus.INTERNAL_SERVER_ERROR:
            raise FrigateConnectionError(f"Frigate answered HTTP {status}")
        if HTTPStatus.MULTIPLE_CHOICES <= status < HTTPStatus.BAD_REQUEST:
            raise FrigateUnexpectedDeviceError(
                f"Frigate answered a redirect (HTTP {status}); check scheme, port and path"
            )
        raise FrigateUnexpectedDeviceError(f"Frigate answered HTTP {status}")

    async def _get_json(
        self, *segments: str, params: _Params | None = None, resource: bool = False
    ) -> Any:
        reply = await self._fetch(self._url(*segments), params=params)
        self._check(reply, resource=resource)
        try:
            return json.loads(reply.body)
        except ValueError as err:
            raise FrigateUnexpectedDeviceError("Frigate answered malformed JSON") from err

    async def _get_image(
        self, url: URL, *, params: _Params | None = None, resource: bool = True
    ) -> FrigateImage:
        reply = await self._fetch(url, params=params)
        self._check(reply, resource=resource)
        content_type = reply.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if not content_type.startswith("image/"):
            raise FrigateUnexpectedDeviceError("Frigate answered something that is not an image")
        if not _is_complete_image(content_type, reply.body):
            raise FrigateConnectionError("Frigate sent an incomplete image")
        return FrigateImage(
            content=reply.body,
            content_type=content_type,
            offline=reply.headers.get("X-Frigate-Offline", "").lower() == "true",
        )

    async def _open_stream(
        self, url: URL, *, params: _Params | None = None, headers: Mapping[str, str] | None = None
    ) -> aiohttp.ClientResponse:
        """Open a streamed GET: the timeout covers the headers, reads time out per chunk.

        `headers` are sent along (authentication always wins); any 2xx, 206 included, succeeds.
        """
        for attempt in range(2):
            token = await self._request_token(retrying=attempt > 0)
            try:
                async with asyncio.timeout(self._timeout):
                    response = await self._session.request(
                        "GET",
                        url,
                        params=params,
                        headers={**(headers or {}), **self._headers(token)},
                        ssl=self._ssl,
                        allow_redirects=False,
                        timeout=aiohttp.ClientTimeout(
                            total=None, sock_connect=self._timeout, sock_read=self._timeout
                        ),
                    )
            except TimeoutError as err:
                raise FrigateConnectionError("Frigate did not start the stream in time") from err
            except aiohttp.ClientError as err:
                raise _transport_error(err) from err
            if (
                response.status == HTTPStatus.UNAUTHORIZED
                and attempt == 0
                and self._password is not None
            ):
                response.close()
                self._auth_required = True
                self._drop_token(token)
                continue
            if _is_success(response.status):
                return response
            reply = _Reply(response.status, response.headers, b"")
            response.close()
            self._check(reply, resource=True)
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    @asynccontextmanager
    async def _streaming(response: aiohttp.ClientResponse) -> AsyncIterator[aiohttp.ClientResponse]:
        try:
            yield response
        except (
            aiohttp.ClientPayloadError,
            aiohttp.ServerDisconnectedError,
            aiohttp.ServerTimeoutError,
        ) as err:
            raise FrigateConnectionError(f"Frigate stream broke ({type(err).__name__})") from err
        finally:
            response.close()

    @staticmethod
    def _height_params(height: int | None) -> _Params:
        """Height as `height` (0.15+, FastAPI) and `h` (up to 0.14): each ignores the other."""
        if height is None:
            return {}
        value = _positive(height, "height")
        return {"height": value, "h": value}

    def _mjpeg_params(self, fps: int | None, height: int | None) -> _Params:
        params = self._height_params(height)
        if fps is not None:
            params["fps"] = _positive(fps, "fps")
        return params

    # ------------------------------------------------------------------ server

    async def version(self) -> FrigateVersion:
        """`GET /api/version` (public); FrigateUnexpectedDeviceError if it is not a version."""
        reply = await self._fetch(self._url("version"), public=True)
        self._check(reply, resource=False)
        if len(reply.body) > _MAX_VERSION_BYTES:
            raise FrigateUnexpectedDeviceError("the version answer is not a Frigate version")
        try:
            return FrigateVersion.parse(reply.body.decode("utf-8"))
        except ValueError as err:
            raise FrigateUnexpectedDeviceError(
                "the version answer is not a Frigate version"
            ) from err

    async def stats(self) -> FrigateStats:
        """`GET /api/stats`, both layouts."""
        data = await self._get_json("stats")
        if not isinstance(data, Mapping):
            raise FrigateUnexpectedDeviceError("Frigate stats are not a JSON object")
        return FrigateStats.from_dict(data)

    async def config(self) -> FrigateConfig:
        """`GET /api/config`."""
        data = await self._get_json("config")
        if not isinstance(data, Mapping) or not isinstance(data.get("cameras", {}), Mapping):
            raise FrigateUnexpectedDeviceError("Frigate config is not a JSON object")
        return FrigateConfig.from_dict(data)

    async def profile(self) -> FrigateProfile | None:
        """`GET /api/profile` (0.14+); None when the server has no such endpoint."""
        try:
            data = await self._get_json("profile", resource=True)
        except FrigateNotFoundError:
            return None
        if not isinstance(data, Mapping):
            raise FrigateUnexpectedDeviceError("Frigate profile is not a JSON object")
        return FrigateProfile.from_dict(data)

    async def probe(self) -> ServerInfo:
        """Identify the server and its auth mode (for the config flow).

        Raises FrigateUnexpectedDeviceError (not Frigate), FrigateUnsupportedVersionError
        (< 0.12), FrigateAuthenticationError (login needed or refused) or a connection error.
        """
        version = await self.version()
        if version < MIN_SUPPORTED_VERSION:
            raise FrigateUnsupportedVersionError(
                f"Frigate {version.short} is too old; {MIN_SUPPORTED_VERSION.short} is the minimum",
                version=str(version),
            )
        auth_mode: AuthMode = "none"
        profile: FrigateProfile | None = None
        if version.at_least(0, 14):
            auth_mode, profile = await self._probe_auth()
        elif self._auth_required is None:
            self._auth_required = False
        data = await self._get_json("stats")
        if not isinstance(data, Mapping) or not isinstance(data.get("service"), Mapping):
            raise FrigateUnexpectedDeviceError("the stats answer is not Frigate's")
        return ServerInfo(version=version, auth_mode=auth_mode, profile=profile)

    async def _probe_auth(self) -> tuple[AuthMode, FrigateProfile | None]:
        """Ask `/api/profile` without credentials: 200 means no login is needed."""
        reply = await self._exchange("GET", self._url("profile"))
        if reply.status == HTTPStatus.UNAUTHORIZED:
            if self._static_token is None and self._password is None:
                raise FrigateAuthenticationError("Frigate requires authentication on this port")
            self._auth_required = True
            profile = await self.profile()
            return ("token" if self._static_token is not None else "login"), profile
        if reply.status == HTTPStatus.NOT_FOUND:
            return "none", None
        self._check(reply, resource=False)
        self._auth_required = False
        try:
            data = json.loads(reply.body)
        except ValueError as err:
            raise FrigateUnexpectedDeviceError("Frigate answered malformed JSON") from err
        return "none", FrigateProfile.from_dict(data) if isinstance(data, Mapping) else None

    # ------------------------------------------------------------------ events

    async def events(
        self,
        *,
        camera: str | None = None,
        label: str | None = None,
        zone: str | None = None,
        after: float | None = None,
        before: float | None = None,
        limit: int | None = None,
        in_progress: bool | None = None,
        has_snapshot: bool | None = None,
        has_clip: bool | None = None,
    ) -> list[FrigateEvent]:
        """`GET /api/events`, newest first; rows that cannot be parsed are skipped."""
        optional = {
            "camera": _optional(camera, validate_camera),
            "label": _optional(label, validate_label),
            "zone": _optional(zone, _zone),
            "after": _optional(after, _epoch),
            "before": _optional(before, _epoch),
            "limit": _optional(limit, lambda value: _positive(value, "limit")),
            "in_progress": _optional(in_progress, _flag),
            "has_snapshot": _optional(has_snapshot, _flag),
            "has_clip": _optional(has_clip, _flag),
        }
        params: _Params = {"include_thumbnails": "0"}
        params |= {key: value for key, value in optional.items() if value is not None}
        data = await self._get_json("events", params=params)
        if not isinstance(data, list):
            raise FrigateUnexpectedDeviceError("Frigate events are not a JSON list")
        events: list[FrigateEvent] = []
        for row in data:
            if not isinstance(row, Mapping):
                continue
            try:
                events.append(FrigateEvent.from_dict(row))
            except ValueError:
                _LOGGER.debug("Skipping a malformed Frigate event row")
        return events

    async def event(self, event_id: str) -> FrigateEvent:
        """`GET /api/events/<id>`; FrigateNotFoundError if unknown."""
        data = await self._get_json("events", validate_event_id(event_id), resource=True)
        if not isinstance(data, Mapping):
            raise FrigateUnexpectedDeviceError("the Frigate event is not a JSON object")
        try:
            return FrigateEvent.from_dict(data)
        except ValueError as err:
            raise FrigateUnexpectedDeviceError("the Frigate event is malformed") from err

    async def events_summary(
        self,
        *,
        timezone: str | None = None,
        has_clip: bool | None = None,
        has_snapshot: bool | None = None,
    ) -> list[EventSummaryRow]:
        """`GET /api/events/summary`; rows that cannot be parsed are skipped."""
        params: _Params = {}
        if timezone is not None:
            params["timezone"] = timezone
        if has_clip is not None:
            params["has_clip"] = _flag(has_clip)
        if has_snapshot is not None:
            params["has_snapshot"] = _flag(has_snapshot)
        data = await self._get_json("events", "summary", params=params)
        if not isinstance(data, list):
            raise FrigateUnexpectedDeviceError("the Frigate event summary is not a JSON list")
        rows: list[EventSummaryRow] = []
        for row in data:
            if not isinstance(row, Mapping):
                continue
            try:
                rows.append(EventSummaryRow.from_dict(row))
            except ValueError:
                _LOGGER.debug("Skipping a malformed Frigate summary row")
        return rows

    # ------------------------------------------------------------------ images

    async def latest_image(self, camera: str, *, height: int | None = None) -> FrigateImage:
        """`GET /api/<camera>/latest.jpg` with the 0.18 offline flag."""
        url = self._url(validate_camera(camera), "latest.jpg")
        return await self._get_image(url, params=self._height_params(height))

    async def latest_jpg(self, camera: str, *, height: int | None = None) -> bytes:
        """Latest processed frame as JPEG, scaled to `height` (sent as `height` and `h`)."""
        return (await self.latest_image(camera, height=height)).content

    async def best_jpg(self, camera: str, label: str) -> bytes:
        """`GET /api/<camera>/<label>/best.jpg` (thumbnail of the latest event with that label).

        FrigateNotFoundError when there is none (0.17+; older servers send a black image).
        """
        url = self._url(validate_camera(camera), validate_label(label), "best.jpg")
        return (await self._get_image(url)).content

    async def event_thumbnail(self, event_id: str) -> bytes:
        """`GET /api/events/<id>/thumbnail.jpg` (also while in progress)."""
        url = self._url("events", validate_event_id(event_id), "thumbnail.jpg")
        return (await self._get_image(url)).content

    async def event_snapshot(
        self,
        event_id: str,
        *,
        crop: bool = False,
        height: int | None = None,
        bbox: bool = False,
        timestamp: bool = False,
    ) -> bytes:
        """`GET /api/events/<id>/snapshot.jpg`; options apply only while the event runs."""
        params = self._height_params(height)
        params |= {"crop": _flag(crop), "bbox": _flag(bbox), "timestamp": _flag(timestamp)}
        url = self._url("events", validate_event_id(event_id), "snapshot.jpg")
        return (await self._get_image(url, params=params)).content

    # ------------------------------------------------------------------ streams

    @asynccontextmanager
    async def mjpeg_stream(
        self, camera: str, *, fps: int | None = None, height: int | None = None
    ) -> AsyncIterator[aiohttp.ClientResponse]:
        """Open the MJPEG debug stream `/api/<camera>` for proxying (closed on exit)."""
        url = self._url(validate_camera(camera))
        response = await self._open_stream(url, params=self._mjpeg_params(fps, height))
        async with self._streaming(response) as streamed:
            yield streamed

    @asynccontextmanager
    async def event_clip(
        self, event_id: str, *, camera: str | None = None, byte_range: str | None = None
    ) -> AsyncIterator[aiohttp.ClientResponse]:
        """Open an event's MP4 for proxying: `/api/events/<id>/clip.mp4`, else `/clips/...`.

        The fallback `/clips/<camera>-<id>.mp4` is tried on a 404 (servers that only keep
        clip files); the camera is looked up when not given. FrigateNotFoundError if neither.
        `byte_range` (one range, see `validate_byte_range`; ValueError otherwise) is sent as
        `Range`: the answer is a 206 with `Content-Range`, or a 200 with the whole clip if
        Frigate ignores it; FrigateRangeNotSatisfiableError when the range lies past the end.
        """
        validate_event_id(event_id)
        if camera is not None:
            validate_camera(camera)
        headers = {} if byte_range is None else {"Range": validate_byte_range(byte_range)}
        try:
            response = await self._open_stream(
                URL(self.event_clip_url(event_id), encoded=True), headers=headers
            )
        except FrigateNotFoundError:
            if camera is None:
                camera = (await self.event(event_id)).camera
            legacy = URL(self.legacy_clip_url(camera, event_id), encoded=True)
            response = await self._open_stream(legacy, headers=headers)
        async with self._streaming(response) as streamed:
            yield streamed
