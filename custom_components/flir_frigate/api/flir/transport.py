"""GET requests to one FLIR camera: one at a time, authenticated, retried, bounded.

Real cameras handle one request at a time, so every request of one client goes through one
lock. The camera says which authentication it wants in its 401 challenge (Digest preferred
over Basic), busy answers (429, 502-504) are retried after a short, capped back-off, and
nothing a device sends is trusted to be small or quick: every request, redirects and body
included, runs under one timeout; a body is read in chunks against a cap per kind of answer
(:data:`MAX_JSON_BYTES`, :data:`MAX_IMAGE_BYTES`) and aiohttp's own buffering is bounded per
request; redirects are followed only within the configured origin (scheme, host and port).
This module holds that HTTP exchange, so the client itself only knows the camera's endpoints.
"""

import asyncio
import email.utils
import logging
import math
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import aiohttp
from yarl import URL

from .exceptions import (
    FlirAuthenticationError,
    FlirConnectionError,
    FlirUnexpectedDeviceError,
)
from .models import AuthMode, as_float

if TYPE_CHECKING:
    from multidict import CIMultiDictProxy

_LOGGER = logging.getLogger(__name__)

MAX_RETRIES: Final = 2
RETRY_STATUSES: Final = frozenset({429, 502, 503, 504})
BACKOFF: Final = (0.5, 1.0)
MAX_RETRY_AFTER: Final = 2.0
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
RESPONSE_BOUNDS: Final[dict[str, Any]] = {
    "read_bufsize": _CHUNK,
    "max_line_size": 8190,
    "max_field_size": 8190,
    "max_headers": 128,
}
_REDIRECT_STATUSES: Final = frozenset({301, 302, 303, 307, 308})
_SHOWN_CHARS: Final = 120


class RequestFailedError(FlirConnectionError):
    """One request timed out, broke off or got a server error; the camera may still be fine."""


class ServerError(RequestFailedError):
    """HTTP 500, 501 or another server error that says "broken here", not "busy"."""


class NotFoundError(FlirUnexpectedDeviceError):
    """The endpoint or instance answered 404."""


@dataclass(frozen=True, slots=True)
class Reply:
    """One answer: status, content type, headers, the body (read only on 200) and final URL."""

    status: int
    content_type: str
    headers: CIMultiDictProxy[str]
    body: bytes
    url: URL


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


def _challenge_scheme(reply: Reply) -> AuthMode | None:
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


class Transport:
    """Sends the GET requests of one client, serialized, on the caller's session."""

    def __init__(
        self,
        base_url: str,
        *,
        session: aiohttp.ClientSession,
        username: str | None,
        password: str | None,
        request_timeout: float,
        verify_ssl: bool,
    ) -> None:
        """Keep the settings; ValueError for a user name with ":" or a bad timeout."""
        self._base_url = base_url
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

    @property
    def verify_ssl(self) -> bool:
        """Whether TLS certificates are verified (https hosts)."""
        return self._verify_ssl

    @property
    def auth_mode(self) -> AuthMode | None:
        """``basic`` or ``digest`` once negotiated, ``none`` after an answer without, else None."""
        return self._auth_mode

    async def request(self, path: str, params: Mapping[str, str], *, limit: int) -> Reply:
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

    def _negotiate(self, reply: Reply) -> bool:
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
        assert self._username is not None
        return aiohttp.encode_basic_auth(self._username, self._password or "")

    async def _attempt(self, path: str, params: Mapping[str, str], *, limit: int) -> Reply:
        """One GET, same-origin redirects included, all under one timeout; body only on 200."""
        start = url = URL(self._base_url + path).extend_query(params)
        extra: dict[str, Any] = dict(RESPONSE_BOUNDS)
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
                            await read_bounded(response, f"GET {path}", limit)
                            if response.status == 200  # noqa: PLR2004
                            else b""  # never used: an error answer is judged by its status
                        )
                        return Reply(
                            status=response.status,
                            content_type=response.content_type.lower(),
                            headers=response.headers,
                            body=body,
                            url=response.url,
                        )
                raise FlirUnexpectedDeviceError(f"GET {path}: more than {MAX_REDIRECTS} redirects")
        except TimeoutError as err:
            raise RequestFailedError(
                f"GET {path} timed out after {self._request_timeout:g} s"
            ) from err
        except aiohttp.ClientConnectorError as err:
            reason = getattr(err.os_error, "strerror", None) or _describe(err)
            raise FlirConnectionError(
                f"cannot connect to the camera at {self._base_url} ({reason})"
            ) from err
        except aiohttp.ClientError as err:
            raise RequestFailedError(f"GET {path} failed ({_describe(err)})") from err


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


async def read_bounded(response: aiohttp.ClientResponse, what: str, limit: int) -> bytes:
    """The body, read in chunks with a running cap; an announced size over it is not read."""
    announced = response.content_length
    if announced is not None and announced > limit:
        raise FlirUnexpectedDeviceError(
            f"{what}: the answer is too large (over {limit} bytes; Content-Length says {announced})"
        )
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(_CHUNK):
        size += len(chunk)
        if size > limit:
            # The error's traceback keeps this frame alive (a coordinator stores its last
            # error until the next cycle): it must not keep the bytes read so far too.
            chunks.clear()
            raise FlirUnexpectedDeviceError(f"{what}: the answer is too large (over {limit} bytes)")
        chunks.append(chunk)
    return b"".join(chunks)


def raise_for_status(status: int, what: str) -> None:
    """Raise the library's error for anything but 200 (404, busy, server error, refused, other)."""
    if status == 200:  # noqa: PLR2004
        return
    if status == 404:  # noqa: PLR2004
        raise NotFoundError(f"{what}: not found (HTTP 404)")
    if status in RETRY_STATUSES:
        raise RequestFailedError(f"{what}: the camera was busy (HTTP {status})")
    if status >= 500:  # noqa: PLR2004
        raise ServerError(f"{what}: server error (HTTP {status})")
    if status in {401, 403}:
        raise FlirAuthenticationError(f"{what}: refused (HTTP {status})")
    raise FlirUnexpectedDeviceError(f"{what}: unexpected HTTP {status}")


def check_status(reply: Reply, path: str) -> None:
    """Raise the library's error for a GET's answer other than 200."""
    raise_for_status(reply.status, f"GET {path}")
