"""`FrigateClient`: the endpoints of one Frigate server (0.12+), no Home Assistant imports.

Composed of `auth` (login and tokens), `transport` (HTTP exchange, bounded reads, status
mapping, streams) and `paths` (validation of everything put into a URL).
"""

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import aiohttp
from yarl import URL

from .auth import Authenticator, bearer
from .config import FrigateConfig
from .events import EventSummaryRow, FrigateEvent
from .exceptions import (
    FrigateAuthenticationError,
    FrigateForbiddenError,
    FrigateNotFoundError,
    FrigateRequestRejectedError,
    FrigateResponseTooLargeError,
    FrigateUnexpectedDeviceError,
    FrigateUnsupportedVersionError,
)
from .live import open_websocket
from .parsing import parse_rows
from .paths import (
    Params,
    epoch,
    flag,
    height_params,
    mjpeg_params,
    optional,
    positive,
    present,
    validate_byte_range,
    validate_camera,
    validate_event_id,
    validate_label,
    validate_zone,
)
from .recordings import CameraRecordings, parse_recordings_storage
from .server import AuthMode, FrigateImage, FrigateProfile, ServerInfo
from .stats import FrigateStats
from .transport import (
    IMAGE_LIMIT,
    LARGE_JSON_LIMIT,
    SMALL_JSON_LIMIT,
    VERSION_LIMIT,
    Reply,
    Transport,
    check_status,
    image_from,
    is_success,
    parse_json,
    streaming,
)
from .version import MIN_SUPPORTED_VERSION, FrigateVersion

__all__ = [
    "FrigateClient",
    "validate_byte_range",
    "validate_camera",
    "validate_event_id",
    "validate_label",
]


class FrigateClient:
    """Client for one Frigate server; `verify_ssl=False` applies to every request."""

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
        if request_timeout <= 0:
            raise ValueError("request_timeout must be positive")
        self._root = str(base.origin()) + base.raw_path.rstrip("/")
        self._ssl = verify_ssl
        self._session = session
        self._timeout = request_timeout
        self._transport = Transport(session, ssl=verify_ssl, timeout=request_timeout)
        self._auth = Authenticator(
            self._transport,
            self._url("login"),
            username=username,
            password=password,
            token=token,
        )

    @property
    def url(self) -> str:
        """Base URL of the server (never contains credentials)."""
        return self._root

    @property
    def verify_ssl(self) -> bool:
        """Whether TLS certificates are verified."""
        return self._ssl

    @property
    def configured_auth(self) -> AuthMode:
        """The authentication mode given at construction."""
        return self._auth.mode

    # ------------------------------------------------------------------ URLs

    def _url(self, *segments: str, api: bool = True) -> URL:
        path = "/".join(quote(segment, safe="") for segment in segments)
        return URL(f"{self._root}/{'api/' if api else ''}{path}", encoded=True)

    def event_clip_url(self, event_id: str) -> str:
        """URL of an event's clip, `/api/events/<id>/clip.mp4` (0.9+)."""
        return str(self._url("events", validate_event_id(event_id), "clip.mp4"))

    def legacy_clip_url(self, camera: str, event_id: str) -> str:
        """URL of a clip stored as a file, `/clips/<camera>-<id>.mp4`."""
        name = f"{validate_camera(camera)}-{validate_event_id(event_id)}.mp4"
        return str(self._url("clips", name, api=False))

    # ------------------------------------------------------------------ requests

    async def _fetch(
        self, url: URL, *, limit: int, params: Params | None = None, public: bool = False
    ) -> Reply:
        """GET with authentication: one new login and retry on a 401."""
        for attempt in range(2):
            token = await self._auth.token()
            reply = await self._transport.exchange(
                "GET", url, limit=limit, params=params, headers=bearer(token)
            )
            if attempt == 0 and self._auth.retry_after_401(reply.status, token):
                continue
            if is_success(reply.status) and token is None and not public:
                self._auth.required = False
            return reply
        raise AssertionError("unreachable")  # pragma: no cover

    def _check(self, status: int, headers: Mapping[str, str], *, resource: bool) -> None:
        check_status(status, headers, resource=resource, credentials=self._auth.has_credentials)

    async def _get_json(
        self,
        *segments: str,
        limit: int = SMALL_JSON_LIMIT,
        params: Params | None = None,
        resource: bool = False,
    ) -> Any:
        reply = await self._fetch(self._url(*segments), limit=limit, params=params)
        self._check(reply.status, reply.headers, resource=resource)
        return parse_json(reply.body)

    async def _send(
        self, method: str, *segments: str, body: object = None, params: Params | None = None
    ) -> Any:
        """A write (POST/PUT/DELETE) with a JSON body; its JSON answer (None when empty).

        403: FrigateForbiddenError (the role may not); 400/422: FrigateRequestRejectedError;
        404: FrigateNotFoundError. A 401 costs one new login and one retry, as for reads.
        """
        url = self._url(*segments)
        for attempt in range(2):
            token = await self._auth.token()
            reply = await self._transport.exchange(
                method,
                url,
                limit=SMALL_JSON_LIMIT,
                params=params,
                headers=bearer(token),
                json_body=body,
            )
            if attempt == 0 and self._auth.retry_after_401(reply.status, token):
                continue
            if reply.status == HTTPStatus.FORBIDDEN:
                raise FrigateForbiddenError("the Frigate user's role may not do this")
            if reply.status in {HTTPStatus.BAD_REQUEST, HTTPStatus.UNPROCESSABLE_ENTITY}:
                raise FrigateRequestRejectedError(reply.status)
            self._check(reply.status, reply.headers, resource=True)
            return parse_json(reply.body) if reply.body.strip() else None
        raise AssertionError("unreachable")  # pragma: no cover

    async def _get_image(self, url: URL, *, params: Params | None = None) -> FrigateImage:
        reply = await self._fetch(url, limit=IMAGE_LIMIT, params=params)
        self._check(reply.status, reply.headers, resource=True)
        return image_from(reply)

    async def _open_stream(
        self, url: URL, *, params: Params | None = None, headers: Mapping[str, str] | None = None
    ) -> aiohttp.ClientResponse:
        """Open a streamed GET; `headers` are sent along (authentication wins); 2xx succeeds."""
        for attempt in range(2):
            token = await self._auth.token()
            response = await self._transport.open_stream(
                url, params=params, headers={**(headers or {}), **bearer(token)}
            )
            if attempt == 0 and self._auth.retry_after_401(response.status, token):
                response.close()
                continue
            if is_success(response.status):
                return response
            response.close()
            self._check(response.status, response.headers, resource=True)
        raise AssertionError("unreachable")  # pragma: no cover

    async def websocket(
        self, heartbeat: float | None, max_message_size: int
    ) -> aiohttp.ClientWebSocketResponse:
        """Open `/ws` (0.12+) with the API's token; one new login after a 401 (see live.py)."""
        url = self._url("ws", api=False)
        url = url.with_scheme("wss" if url.scheme == "https" else "ws")
        return await open_websocket(
            self._session,
            url,
            self._auth,
            ssl=self._ssl,
            handshake_timeout=self._timeout,
            heartbeat=heartbeat,
            max_message_size=max_message_size,
        )

    async def ptz_info(self, camera: str) -> Any:
        """`GET /api/<camera>/ptz/info` (0.13+), parsed by `live_models.ptz_presets`."""
        return await self._get_json(validate_camera(camera), "ptz", "info", resource=True)

    # ------------------------------------------------------------------ server

    async def version(self) -> FrigateVersion:
        """`GET /api/version` (public); FrigateUnexpectedDeviceError if it is not a version."""
        try:
            reply = await self._fetch(self._url("version"), limit=VERSION_LIMIT, public=True)
        except FrigateResponseTooLargeError as err:
            raise FrigateUnexpectedDeviceError(
                "the version answer is not a Frigate version"
            ) from err
        self._check(reply.status, reply.headers, resource=False)
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
        data = await self._get_json("config", limit=LARGE_JSON_LIMIT)
        if not isinstance(data, Mapping) or not isinstance(data.get("cameras", {}), Mapping):
            raise FrigateUnexpectedDeviceError("Frigate config is not a JSON object")
        return FrigateConfig.from_dict(data)

    async def recordings_storage(self) -> dict[str, CameraRecordings]:
        """`GET /api/recordings/storage`: each camera's recordings on disk (slow on big DBs).

        Keyed by camera name, or friendly name from 0.17 (`camera_recordings` looks one up).
        FrigateNotFoundError without the endpoint; FrigateAuthenticationError if the role
        may not read it.
        """
        data = await self._get_json("recordings", "storage", resource=True)
        if not isinstance(data, Mapping):
            raise FrigateUnexpectedDeviceError("Frigate recordings storage is not a JSON object")
        return parse_recordings_storage(data)

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
        elif self._auth.required is None:
            self._auth.required = False
        data = await self._get_json("stats")
        if not isinstance(data, Mapping) or not isinstance(data.get("service"), Mapping):
            raise FrigateUnexpectedDeviceError("the stats answer is not Frigate's")
        return ServerInfo(version=version, auth_mode=auth_mode, profile=profile)

    async def _probe_auth(self) -> tuple[AuthMode, FrigateProfile | None]:
        """Ask `/api/profile` without credentials: 200 means no login is needed."""
        reply = await self._transport.exchange("GET", self._url("profile"), limit=SMALL_JSON_LIMIT)
        if reply.status == HTTPStatus.UNAUTHORIZED:
            if not self._auth.has_credentials:
                raise FrigateAuthenticationError("Frigate requires authentication on this port")
            self._auth.required = True
            return self._auth.mode, await self.profile()
        if reply.status == HTTPStatus.NOT_FOUND:
            return "none", None
        self._check(reply.status, reply.headers, resource=False)
        self._auth.required = False
        data = parse_json(reply.body)
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
        optional_params = {
            "camera": optional(camera, validate_camera),
            "label": optional(label, validate_label),
            "zone": optional(zone, validate_zone),
            "after": optional(after, epoch),
            "before": optional(before, epoch),
            "limit": optional(limit, lambda value: positive(value, "limit")),
            "in_progress": optional(in_progress, flag),
            "has_snapshot": optional(has_snapshot, flag),
            "has_clip": optional(has_clip, flag),
        }
        params: Params = {"include_thumbnails": "0"} | present(optional_params)
        data = await self._get_json("events", limit=LARGE_JSON_LIMIT, params=params)
        return parse_rows(data, FrigateEvent.from_dict, "events")

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
        params: Params = {}
        if timezone is not None:
            params["timezone"] = timezone
        if has_clip is not None:
            params["has_clip"] = flag(has_clip)
        if has_snapshot is not None:
            params["has_snapshot"] = flag(has_snapshot)
        data = await self._get_json("events", "summary", limit=LARGE_JSON_LIMIT, params=params)
        return parse_rows(data, EventSummaryRow.from_dict, "event summary rows")

    # ------------------------------------------------------------------ images

    async def latest_image(self, camera: str, *, height: int | None = None) -> FrigateImage:
        """`GET /api/<camera>/latest.jpg` with the 0.18 offline flag."""
        url = self._url(validate_camera(camera), "latest.jpg")
        return await self._get_image(url, params=height_params(height))

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
        params = height_params(height)
        params |= {"crop": flag(crop), "bbox": flag(bbox), "timestamp": flag(timestamp)}
        url = self._url("events", validate_event_id(event_id), "snapshot.jpg")
        return (await self._get_image(url, params=params)).content

    # ------------------------------------------------------------------ streams

    @asynccontextmanager
    async def mjpeg_stream(
        self, camera: str, *, fps: int | None = None, height: int | None = None
    ) -> AsyncIterator[aiohttp.ClientResponse]:
        """Open the MJPEG debug stream `/api/<camera>` for proxying (closed on exit)."""
        url = self._url(validate_camera(camera))
        response = await self._open_stream(url, params=mjpeg_params(fps, height))
        async with streaming(response, idle=self._transport.timeout) as streamed:
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
        async with streaming(response, idle=self._transport.timeout) as streamed:
            yield streamed
