"""The HTTP exchange with Frigate: bounded reads, status mapping, images and streams.

Every answer that is read whole is read in chunks against a cap chosen for its kind, so an
endless or oversized body costs at most that cap in memory: a `Content-Length` over the cap
is refused before the body is read, and a body without one is cut off as soon as it passes
the cap (`FrigateResponseTooLargeError`). Bodies of error answers are never read. Streams
(clips, MJPEG) are handed to the caller unread, to be passed on chunk by chunk.
"""

import asyncio
import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from http import HTTPStatus
from http.cookies import SimpleCookie
from typing import Any, Final

import aiohttp
from yarl import URL

from .exceptions import (
    FrigateApiDownError,
    FrigateAuthenticationError,
    FrigateConnectionError,
    FrigateNotFoundError,
    FrigateRangeNotSatisfiableError,
    FrigateResponseTooLargeError,
    FrigateUnexpectedDeviceError,
)
from .paths import Params
from .server import FrigateImage

_KIB: Final = 1024
_MIB: Final = 1024 * _KIB
_CHUNK: Final = 64 * _KIB

# Caps on what is buffered per kind of answer, each well above what a real server sends.
VERSION_LIMIT: Final = 200
"""`/api/version` is one line such as `0.17.2-3d4dd3a`; anything longer is not a version."""
LOGIN_LIMIT: Final = 64 * _KIB
"""The login answer's body is not used (the token comes as a cookie); Frigate sends `{}`."""
SMALL_JSON_LIMIT: Final = 1 * _MIB
"""Stats, profile, one event: tens of KiB with 100 cameras (an event with its base64
thumbnail, up to 0.15, stays under 100 KiB)."""
LARGE_JSON_LIMIT: Final = 8 * _MIB
"""Config, event list and event summary. The full config of 0.14+ repeats every default per
camera (filters per label, ffmpeg, record, review), some 20 KiB a camera, so 100 cameras
stay near 2 MiB; an event list is about 1 KiB a row (100 rows by default, more with `limit`);
the summary has a row per day, camera, label, sub label and zone set over the retention."""
IMAGE_LIMIT: Final = 20 * _MIB
"""A full-resolution 4K snapshot at high quality is 2-5 MiB; 8K stays under 15 MiB."""

_MAX_RETRY_AFTER: Final = 86400.0

CACHE_BYPASS: Final = {"X-Cache-Bypass": "1"}
"""Sent with every GET. Frigate's nginx (0.13+) keeps JSON answers under `/api/` for 5 s per URL
(`X-Cache-Status: HIT`) unless a request carries this header: a poll every 5 s would otherwise
get every other answer from the cache, events and stats up to 5 s old."""


@dataclass(frozen=True, slots=True)
class Reply:
    """A whole answer: status, headers, cookies and (for a 2xx) the body."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    cookies: SimpleCookie


def is_success(status: int) -> bool:
    """Whether the status is a 2xx."""
    return HTTPStatus.OK <= status < HTTPStatus.MULTIPLE_CHOICES


def transport_error(err: aiohttp.ClientError) -> FrigateConnectionError:
    """Describe a transport failure without URLs or credentials."""
    if isinstance(err, aiohttp.ClientSSLError):
        return FrigateConnectionError(
            "TLS handshake with Frigate failed (certificate not trusted?)"
        )
    return FrigateConnectionError(f"cannot talk to Frigate ({type(err).__name__})")


async def read_bounded(response: aiohttp.ClientResponse, limit: int) -> bytes:
    """Read the body in chunks, never holding more than `limit` + 1 bytes.

    FrigateResponseTooLargeError when `Content-Length` (checked before reading) or the bytes
    actually received exceed `limit`.
    """
    declared = response.content_length
    if declared is not None and declared > limit:
        raise FrigateResponseTooLargeError(limit)
    body = bytearray()
    while chunk := await response.content.read(min(_CHUNK, limit + 1 - len(body))):
        body += chunk
        if len(body) > limit:
            raise FrigateResponseTooLargeError(limit)
    return bytes(body)


def parse_json(body: bytes) -> Any:
    """Decode a JSON answer; FrigateUnexpectedDeviceError if malformed or nested too deeply."""
    try:
        return json.loads(body)
    except ValueError as err:
        raise FrigateUnexpectedDeviceError("Frigate answered malformed JSON") from err
    except RecursionError as err:
        raise FrigateUnexpectedDeviceError("Frigate answered JSON nested too deeply") from err


def retry_after(headers: Mapping[str, str], default: float) -> float:
    """Seconds from a numeric `Retry-After` (at most a day), else `default`."""
    try:
        seconds = float(headers.get("Retry-After", ""))
    except ValueError:
        return default
    return seconds if 0 < seconds <= _MAX_RETRY_AFTER else default


_GATEWAY_ERRORS: Final = frozenset(
    {HTTPStatus.BAD_GATEWAY, HTTPStatus.SERVICE_UNAVAILABLE, HTTPStatus.GATEWAY_TIMEOUT}
)


def _api_down(status: int, headers: Mapping[str, str]) -> bool:
    """Whether the web server in front answered for an API that is down (an error page).

    A 502/503/504 comes from a server in front of the API; a 500 with an HTML page is nginx's
    (its auth subrequest failed). Frigate's own 500s are JSON or plain text.
    """
    if status in _GATEWAY_ERRORS:
        return True
    content_type = headers.get("Content-Type", "").split(";")[0].strip().lower()
    return status == HTTPStatus.INTERNAL_SERVER_ERROR and content_type == "text/html"


def check_status(
    status: int, headers: Mapping[str, str], *, resource: bool, credentials: bool
) -> None:
    """Map a non-2xx status to an exception.

    `resource`: a 404 means the thing asked for does not exist (else: not a Frigate server);
    `credentials`: whether a token or a password was given (wording of a 401).
    """
    if is_success(status):
        return
    if status == HTTPStatus.UNAUTHORIZED:
        raise FrigateAuthenticationError(
            "Frigate rejected the token"
            if credentials
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
            content_range=headers.get("Content-Range"),
        )
    if _api_down(status, headers):
        raise FrigateApiDownError(status)
    if status == HTTPStatus.TOO_MANY_REQUESTS or status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        raise FrigateConnectionError(f"Frigate answered HTTP {status}")
    if HTTPStatus.MULTIPLE_CHOICES <= status < HTTPStatus.BAD_REQUEST:
        raise FrigateUnexpectedDeviceError(
            f"Frigate answered a redirect (HTTP {status}); check scheme, port and path"
        )
    raise FrigateUnexpectedDeviceError(f"Frigate answered HTTP {status}")


def _is_complete_image(content_type: str, body: bytes) -> bool:
    """Check the JPEG start and end markers (a cut-off JPEG lacks the final EOI)."""
    if not body:
        return False
    if content_type.startswith(("image/jpeg", "image/jpg")):
        return body.startswith(b"\xff\xd8") and b"\xff\xd9" in body[-64:]
    return True


def image_from(reply: Reply) -> FrigateImage:
    """The image of a 2xx answer; errors for other content or a cut-off JPEG."""
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


STREAM_IDLE: Final = 10.0
"""Seconds a streamed body may send nothing while its reader waits (see `StreamWatchdog`)."""


class StreamWatchdog:
    """Fails a streamed body once no byte arrived for `idle` s while its reader waited.

    A body held back because the reader is slow (its buffer is not empty) is not a stall. It
    looks once per `idle` seconds, not per chunk as aiohttp's read timeout does.
    """

    def __init__(self, response: aiohttp.ClientResponse, idle: float) -> None:
        """Start watching `response`; `stop` ends it."""
        self._content = response.content
        self._idle = idle
        self._seen = self._content.total_bytes
        self._handle = asyncio.get_running_loop().call_later(idle, self._check)

    def stop(self) -> None:
        """Stop looking (the response is done with)."""
        self._handle.cancel()

    def _check(self) -> None:
        content = self._content
        if content.at_eof() or content.exception() is not None:
            return
        starving = not getattr(content, "_size", 0)
        if content.total_bytes == self._seen and starving:
            content.set_exception(aiohttp.ServerTimeoutError(f"no data for {self._idle:g} s"))
            return
        self._seen = content.total_bytes
        self._handle = asyncio.get_running_loop().call_later(self._idle, self._check)


@asynccontextmanager
async def streaming(
    response: aiohttp.ClientResponse, *, idle: float = STREAM_IDLE
) -> AsyncIterator[aiohttp.ClientResponse]:
    """Hand out an open stream; cut after `idle` s without data, closed on exit.

    A broken or stalled stream becomes FrigateConnectionError.
    """
    watchdog = StreamWatchdog(response, idle)
    try:
        yield response
    except (
        aiohttp.ClientPayloadError,
        aiohttp.ServerDisconnectedError,
        aiohttp.ServerTimeoutError,
    ) as err:
        raise FrigateConnectionError(f"Frigate stream broke ({type(err).__name__})") from err
    finally:
        watchdog.stop()
        response.close()


class Transport:
    """Sends requests on the caller's session with one timeout and one TLS setting."""

    def __init__(self, session: aiohttp.ClientSession, *, ssl: bool, timeout: float) -> None:
        """Keep the session; `ssl=False` skips certificate checks on every request."""
        self._session = session
        self._ssl = ssl
        self._timeout = timeout

    @property
    def timeout(self) -> float:
        """Seconds a request may take (and a stream may stay silent)."""
        return self._timeout

    async def exchange(
        self,
        method: str,
        url: URL,
        *,
        limit: int,
        params: Params | None = None,
        headers: Mapping[str, str] | None = None,
        json_body: object = None,
    ) -> Reply:
        """One exchange bounded by the request timeout; a 2xx body is read up to `limit`.

        A GET bypasses nginx's cache (`CACHE_BYPASS`): the answer is Frigate's own, now.
        """
        if method == "GET":
            headers = {**CACHE_BYPASS, **(headers or {})}
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
                ok = is_success(response.status)
                body = await read_bounded(response, limit) if ok else b""
                return Reply(response.status, response.headers, body, response.cookies)
        except TimeoutError as err:
            raise FrigateConnectionError(
                f"Frigate did not answer within {self._timeout:g} s"
            ) from err
        except aiohttp.ClientError as err:
            raise transport_error(err) from err

    async def open_stream(
        self, url: URL, *, params: Params | None, headers: Mapping[str, str]
    ) -> aiohttp.ClientResponse:
        """Open a streamed GET: the timeout covers the headers; a stalled body is cut.

        No per-read timeout: aiohttp re-arms one for every chunk, which costs a stream of
        small chunks (MJPEG) measurable CPU; `streaming` watches the body instead.
        """
        try:
            async with asyncio.timeout(self._timeout):
                response = await self._session.request(
                    "GET",
                    url,
                    params=params,
                    headers=headers,
                    ssl=self._ssl,
                    allow_redirects=False,
                    timeout=aiohttp.ClientTimeout(total=None, sock_connect=self._timeout),
                )
        except TimeoutError as err:
            raise FrigateConnectionError("Frigate did not start the stream in time") from err
        except aiohttp.ClientError as err:
            raise transport_error(err) from err
        return response
