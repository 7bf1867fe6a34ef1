"""`FrigateMedia`: recordings, review items, exports and event actions of one Frigate server.

Kept apart from `FrigateClient` (which it uses for the exchange, authentication and bounded
reads) because these endpoints depend on the server's version: review items and
`/api/reviews/viewed` exist from 0.14, exports and manual events from 0.13, and the export
body changed in 0.15 and 0.18 (`exports.export_body`). A method the version lacks raises
`FrigateFeatureUnavailableError` before any request. Every id, camera, label, file name and
time that goes into a URL is validated first (ValueError).
"""

import math
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from typing import Any, Final

import aiohttp
from yarl import URL

from .client import FrigateClient
from .exceptions import FrigateFeatureUnavailableError, FrigateUnexpectedDeviceError
from .exports import FrigateExport, Playback, export_body, validate_export_file
from .parsing import as_str, parse_rows
from .paths import (
    epoch,
    optional,
    positive,
    present,
    validate_byte_range,
    validate_camera,
    validate_event_id,
    validate_label,
    validate_timezone,
)
from .review import (
    SEVERITIES,
    RecordingDay,
    ReviewDay,
    ReviewItem,
    parse_review_summary,
    validate_review_id,
)
from .transport import IMAGE_LIMIT, LARGE_JSON_LIMIT, image_from, streaming
from .version import FrigateVersion

PLAYLIST_LIMIT: Final = 1024 * 1024
"""An HLS playlist of nginx's vod module: a line per 10 s segment, a day is under 1 MiB."""
MAX_REVIEW_IDS: Final = 1000
_VOD_FILE_CHARS: Final = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
)
_VOD_SUFFIXES: Final = (".m3u8", ".ts", ".m4s", ".mp4", ".vtt")


def timestamp_segment(value: float) -> str:
    """A Unix time as a path segment (`1718000000` or `1718000000.5`); ValueError if invalid."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError("invalid time")
    if value < 0:
        raise ValueError("invalid time")
    return str(int(value)) if float(value).is_integer() else f"{value:.3f}"


def validate_vod_file(name: str) -> str:
    """Return an HLS file name of nginx's vod module (`index.m3u8`, `seg-1-v1.m4s`, ...)."""
    if not isinstance(name, str) or not name.endswith(_VOD_SUFFIXES):
        raise ValueError("invalid HLS file name")
    stem = name.rsplit(".", 1)[0]
    if not 0 < len(stem) <= 64 or not set(stem) <= _VOD_FILE_CHARS:  # noqa: PLR2004
        raise ValueError("invalid HLS file name")
    return name


def _span(start: float, end: float) -> tuple[str, str]:
    first, last = timestamp_segment(start), timestamp_segment(end)
    if not end > start:
        raise ValueError("the end must come after the start")
    return first, last


class FrigateMedia:
    """The media and action endpoints of one server of a known version."""

    def __init__(self, client: FrigateClient, version: FrigateVersion) -> None:
        """Wrap a client; no I/O."""
        self._client = client
        self._version = version

    @property
    def version(self) -> FrigateVersion:
        """The server's version."""
        return self._version

    def supports(self, minor: int) -> bool:
        """Whether the server is Frigate 0.<minor> or later."""
        return self._version.at_least(0, minor)

    def _require(self, minor: int, feature: str) -> None:
        if not self.supports(minor):
            raise FrigateFeatureUnavailableError(feature, needed=f"0.{minor}")

    # ------------------------------------------------------------------ reading

    async def recordings_summary(self, camera: str, *, timezone: str) -> list[RecordingDay]:
        """`GET /api/<camera>/recordings/summary?timezone=`: days and hours with recordings."""
        params = {"timezone": validate_timezone(timezone)}
        data = await self._client._get_json(  # noqa: SLF001
            validate_camera(camera),
            "recordings",
            "summary",
            limit=LARGE_JSON_LIMIT,
            params=params,
            resource=True,
        )
        return parse_rows(data, RecordingDay.from_dict, "recordings summary days")

    async def review_items(
        self,
        *,
        camera: str | None = None,
        severity: str | None = None,
        after: float | None = None,
        before: float | None = None,
        limit: int | None = None,
    ) -> list[ReviewItem]:
        """`GET /api/review` (0.14+), newest first."""
        self._require(14, "review items")
        if severity is not None and severity not in SEVERITIES:
            raise ValueError("invalid severity")
        params = present(
            {
                "cameras": optional(camera, validate_camera),
                "severity": severity,
                "after": optional(after, epoch),
                "before": optional(before, epoch),
                "limit": optional(limit, lambda value: positive(value, "limit")),
            }
        )
        data = await self._client._get_json(  # noqa: SLF001
            "review", limit=LARGE_JSON_LIMIT, params=params
        )
        return parse_rows(data, ReviewItem.from_dict, "review items")

    async def review_summary(self, *, timezone: str) -> list[ReviewDay]:
        """`GET /api/review/summary?timezone=` (0.14+): the days with items, newest first."""
        self._require(14, "review items")
        params = {"timezone": validate_timezone(timezone)}
        data = await self._client._get_json(  # noqa: SLF001
            "review", "summary", limit=LARGE_JSON_LIMIT, params=params
        )
        if not isinstance(data, Mapping):
            raise FrigateUnexpectedDeviceError("the review summary is not a JSON object")
        return parse_review_summary(data)

    async def exports(self) -> list[FrigateExport]:
        """`GET /api/exports` (0.14+ as a list of rows), newest first."""
        self._require(14, "exports")
        data = await self._client._get_json(  # noqa: SLF001
            "exports", limit=LARGE_JSON_LIMIT
        )
        exports = parse_rows(data, FrigateExport.from_dict, "exports")
        return sorted(exports, key=lambda export: export.date or 0.0, reverse=True)

    async def review_thumbnail(self, item: ReviewItem) -> tuple[bytes, str]:
        """The thumbnail of a review item (`/clips/review/thumb-<camera>-<id>.webp`)."""
        if item.thumbnail_file is None:
            raise ValueError("the review item has no thumbnail of Frigate's form")
        return await self.review_thumbnail_file(item.camera, item.id)

    async def review_thumbnail_file(self, camera: str, review_id: str) -> tuple[bytes, str]:
        """Bytes and content type of `/clips/review/thumb-<camera>-<id>.webp`."""
        name = f"thumb-{validate_camera(camera)}-{validate_review_id(review_id)}.webp"
        url = self._client._url("clips", "review", name, api=False)  # noqa: SLF001
        reply = await self._client._fetch(url, limit=IMAGE_LIMIT)  # noqa: SLF001
        self._client._check(reply.status, reply.headers, resource=True)  # noqa: SLF001
        image = image_from(reply)
        return image.content, image.content_type

    async def vod_playlist(self, camera: str, start: float, end: float, file: str) -> bytes:
        """An HLS playlist of a camera's recordings: `/vod/<camera>/start/<s>/end/<e>/<file>`."""
        if not validate_vod_file(file).endswith(".m3u8"):
            raise ValueError("not a playlist")
        url = self._vod_url(camera, start, end, file)
        reply = await self._client._fetch(url, limit=PLAYLIST_LIMIT)  # noqa: SLF001
        self._client._check(reply.status, reply.headers, resource=True)  # noqa: SLF001
        return reply.body

    def _vod_url(self, camera: str, start: float, end: float, file: str) -> URL:
        first, last = _span(start, end)
        return self._client._url(  # noqa: SLF001
            "vod",
            validate_camera(camera),
            "start",
            first,
            "end",
            last,
            validate_vod_file(file),
            api=False,
        )

    # ------------------------------------------------------------------ streams

    @asynccontextmanager
    async def vod_file(
        self, camera: str, start: float, end: float, file: str
    ) -> AsyncIterator[aiohttp.ClientResponse]:
        """Open one HLS segment (or init file) for proxying."""
        response = await self._client._open_stream(  # noqa: SLF001
            self._vod_url(camera, start, end, file)
        )
        async with streaming(response) as streamed:
            yield streamed

    @asynccontextmanager
    async def recording_clip(
        self, camera: str, start: float, end: float, *, byte_range: str | None = None
    ) -> AsyncIterator[aiohttp.ClientResponse]:
        """Open `/api/<camera>/start/<s>/end/<e>/clip.mp4` (cut by Frigate) for proxying."""
        first, last = _span(start, end)
        url = self._client._url(  # noqa: SLF001
            validate_camera(camera), "start", first, "end", last, "clip.mp4"
        )
        headers = {} if byte_range is None else {"Range": validate_byte_range(byte_range)}
        response = await self._client._open_stream(url, headers=headers)  # noqa: SLF001
        async with streaming(response) as streamed:
            yield streamed

    @asynccontextmanager
    async def export_file(
        self, file: str, *, byte_range: str | None = None
    ) -> AsyncIterator[aiohttp.ClientResponse]:
        """Open an export's MP4 (`/exports/<file>`, a static file with byte ranges)."""
        url = self._client._url("exports", validate_export_file(file), api=False)  # noqa: SLF001
        headers = {} if byte_range is None else {"Range": validate_byte_range(byte_range)}
        response = await self._client._open_stream(url, headers=headers)  # noqa: SLF001
        async with streaming(response) as streamed:
            yield streamed

    # ------------------------------------------------------------------ actions

    async def create_event(
        self,
        camera: str,
        label: str,
        *,
        sub_label: str | None = None,
        duration: float | None = 30,
        include_recording: bool = True,
    ) -> str | None:
        """`POST /api/events/<camera>/<label>/create` (0.13+); the new event's id."""
        self._require(13, "manual events")
        body: dict[str, Any] = {"duration": duration, "include_recording": include_recording}
        if sub_label is not None:
            body["sub_label"] = sub_label
        data = await self._client._send(  # noqa: SLF001
            "POST", "events", validate_camera(camera), validate_label(label), "create", body=body
        )
        event_id = as_str(data.get("event_id")) if isinstance(data, Mapping) else None
        return validate_event_id(event_id) if event_id is not None else None

    async def end_event(self, event_id: str, *, end_time: float | None = None) -> None:
        """`PUT /api/events/<id>/end` (0.13+)."""
        self._require(13, "manual events")
        body = {} if end_time is None else {"end_time": float(timestamp_segment(end_time))}
        await self._client._send(  # noqa: SLF001
            "PUT", "events", validate_event_id(event_id), "end", body=body
        )

    async def retain_event(self, event_id: str, *, retain: bool) -> None:
        """`POST` (keep) or `DELETE` (release) `/api/events/<id>/retain`."""
        method = "POST" if retain else "DELETE"
        await self._client._send(  # noqa: SLF001
            method, "events", validate_event_id(event_id), "retain"
        )

    async def export_recording(
        self,
        camera: str,
        start: float,
        end: float,
        *,
        playback: Playback = "realtime",
        name: str | None = None,
    ) -> str | None:
        """Start an export (0.13+); its id (None from servers that do not give one).

        0.18 has no `playback`: a timelapse goes to `/api/export/custom/...` (Frigate's
        default custom arguments are its timelapse).
        """
        self._require(13, "exports")
        first, last = _span(start, end)
        segments: tuple[str, ...] = ("export", validate_camera(camera), "start", first)
        if playback == "timelapse" and self.supports(18):
            segments = ("export", "custom", *segments[1:])
        segments += ("end", last)
        body = export_body(self._version.minor, playback, name)
        data = await self._client._send("POST", *segments, body=body)  # noqa: SLF001
        return as_str(data.get("export_id")) if isinstance(data, Mapping) else None

    async def mark_reviewed(self, review_ids: Iterable[str]) -> None:
        """`POST /api/reviews/viewed` (0.14+) with the ids."""
        self._require(14, "review items")
        ids = [validate_review_id(review_id) for review_id in review_ids]
        if not 0 < len(ids) <= MAX_REVIEW_IDS:
            raise ValueError("give between 1 and 1000 review ids")
        await self._client._send("POST", "reviews", "viewed", body={"ids": ids})  # noqa: SLF001
