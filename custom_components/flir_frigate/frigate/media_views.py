"""Views that play Frigate recordings, HLS, exports and review thumbnails through Home Assistant.

Each view needs a Home Assistant login (or a path signed by Home Assistant) and fetches from
the entry's Frigate server with the entry's credentials and TLS setting, so nothing of
Frigate's (address, token) reaches the browser:

* `.../recording/<camera>/<start>/<end>/clip.mp4`: Frigate cuts the MP4 from its recordings;
  a single byte range is passed on (Frigate 0.15+ ignores it and streams the whole clip);
* `.../vod/<camera>/<start>/<end>/index.m3u8`: the HLS playlist of nginx's vod module, each
  segment's URL rewritten to `.../vod/<camera>/<start>/<end>/<file>` signed by Home Assistant
  for the span's length plus a margin, so a player without the login can fetch them;
* `.../export/<file>`: an export's MP4 (nginx serves ranges for it);
* `.../review/<camera>/<id>/thumbnail.webp`: a review item's thumbnail.
"""

import re
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import timedelta
from http import HTTPStatus
from typing import Final

from aiohttp import ClientResponse, hdrs, web
from homeassistant.components.http.auth import async_sign_path
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.http import KEY_HASS, HomeAssistantView

from ..api.frigate.exceptions import FrigateError
from ..api.frigate.exports import validate_export_file
from ..api.frigate.media import FrigateMedia, validate_vod_file
from ..api.frigate.paths import validate_byte_range, validate_camera
from ..api.frigate.review import validate_review_id
from ..const import DOMAIN, LOGGER
from .clips import READ_BLOCK
from .coordinator import FrigateConfigEntry, FrigateRuntimeData
from .errors import http_error

SIGNATURE_MARGIN: Final = 300.0
"""Seconds a segment URL stays valid beyond the span's own length (pauses, seeking)."""
MAX_SPAN: Final = 86400
_URI_RE: Final = re.compile(r'URI="([^"]*)"')
_PASSED_HEADERS: Final = (
    hdrs.CONTENT_TYPE,
    hdrs.CONTENT_LENGTH,
    hdrs.CONTENT_RANGE,
    hdrs.ACCEPT_RANGES,
)


def recording_clip_path(entry_id: str, camera: str, start: int, end: int) -> str:
    """The Home Assistant path of a recording span as MP4."""
    return f"/api/{DOMAIN}/{entry_id}/recording/{camera}/{start}/{end}/clip.mp4"


def vod_path(entry_id: str, camera: str, start: int, end: int, file: str) -> str:
    """The Home Assistant path of an HLS file of a recording span."""
    return f"/api/{DOMAIN}/{entry_id}/vod/{camera}/{start}/{end}/{file}"


def export_path(entry_id: str, file: str) -> str:
    """The Home Assistant path of an export's MP4."""
    return f"/api/{DOMAIN}/{entry_id}/export/{validate_export_file(file)}"


def review_thumbnail_path(entry_id: str, camera: str, review_id: str) -> str:
    """The Home Assistant path of a review item's thumbnail."""
    return f"/api/{DOMAIN}/{entry_id}/review/{camera}/{review_id}/thumbnail.webp"


@callback
def async_register_media_views(hass: HomeAssistant) -> None:
    """Register the views (called once, with the event media views)."""
    for view in (FrigateRecordingClipView, FrigateVodView, FrigateExportView, FrigateReviewView):
        hass.http.register_view(view())


def loaded_entry(request: web.Request, entry_id: str) -> FrigateConfigEntry:
    """The loaded Frigate entry a view's URL names; 404 for any other id (every view's check)."""
    hass = request.app[KEY_HASS]
    entry: FrigateConfigEntry | None = hass.config_entries.async_get_entry(entry_id)
    if (
        entry is None
        or entry.domain != DOMAIN
        or not isinstance(getattr(entry, "runtime_data", None), FrigateRuntimeData)
        or entry.state is not ConfigEntryState.LOADED
    ):
        raise web.HTTPNotFound
    return entry


def _media(request: web.Request, entry_id: str) -> FrigateMedia:
    """The media API of a loaded Frigate entry; 404 otherwise."""
    runtime = loaded_entry(request, entry_id).runtime_data
    return FrigateMedia(runtime.client, runtime.info.version)


def _span(camera: str, start: str, end: str) -> tuple[str, int, int]:
    """Validated camera and times; 400 when they are not."""
    try:
        first, last = int(start), int(end)
        if not 0 <= first < last or last - first > MAX_SPAN:
            raise ValueError("bad span")  # noqa: TRY301
        return validate_camera(camera), first, last
    except ValueError as err:
        raise web.HTTPBadRequest from err


def _byte_range(request: web.Request) -> str | None:
    """The request's single byte range, if it has a valid one."""
    header = request.headers.get(hdrs.RANGE)
    try:
        return None if header is None else validate_byte_range(header)
    except ValueError:
        return None


async def _pass_on(
    request: web.Request, opened: AbstractAsyncContextManager[ClientResponse]
) -> web.StreamResponse:
    """Copy an opened Frigate stream (status, type, length, range) chunk by chunk."""
    response: web.StreamResponse | None = None
    try:
        async with opened as upstream:
            status = HTTPStatus.PARTIAL_CONTENT if upstream.status == 206 else HTTPStatus.OK  # noqa: PLR2004
            headers = {
                key: upstream.headers[key] for key in _PASSED_HEADERS if key in upstream.headers
            }
            headers[hdrs.CACHE_CONTROL] = "private, max-age=3600"
            response = web.StreamResponse(status=status, headers=headers)
            await response.prepare(request)
            async for chunk in upstream.content.iter_chunked(READ_BLOCK):
                await response.write(chunk)
    except FrigateError as err:
        LOGGER.debug("Frigate media stream failed: %s", err)
        if response is not None and response.prepared:
            return response
        raise http_error(err) from err
    if response is None:  # pragma: no cover - the stream opened or raised
        raise web.HTTPBadGateway
    await response.write_eof()
    return response


class FrigateRecordingClipView(HomeAssistantView):
    """A span of a camera's recordings as MP4."""

    url = f"/api/{DOMAIN}/{{entry_id}}/recording/{{camera}}/{{start}}/{{end}}/clip.mp4"
    name = f"api:{DOMAIN}:frigate_recording_clip"
    requires_auth = True

    async def get(
        self, request: web.Request, entry_id: str, camera: str, start: str, end: str
    ) -> web.StreamResponse:
        """Pass Frigate's MP4 on."""
        media = _media(request, entry_id)
        camera, first, last = _span(camera, start, end)
        return await _pass_on(
            request, media.recording_clip(camera, first, last, byte_range=_byte_range(request))
        )


class FrigateVodView(HomeAssistantView):
    """HLS of a span of recordings: the playlist (rewritten) and its segments."""

    url = f"/api/{DOMAIN}/{{entry_id}}/vod/{{camera}}/{{start}}/{{end}}/{{file}}"
    name = f"api:{DOMAIN}:frigate_vod"
    requires_auth = True

    async def get(
        self, request: web.Request, entry_id: str, camera: str, start: str, end: str, file: str
    ) -> web.StreamResponse:
        """The playlist with signed segment URLs, or one segment."""
        media = _media(request, entry_id)
        camera, first, last = _span(camera, start, end)
        try:
            validate_vod_file(file)
        except ValueError as err:
            raise web.HTTPBadRequest from err
        if not file.endswith(".m3u8"):
            return await _pass_on(request, media.vod_file(camera, first, last, file))
        try:
            playlist = await media.vod_playlist(camera, first, last, file)
        except FrigateError as err:
            LOGGER.debug("Frigate HLS playlist failed: %s", err)
            raise http_error(err) from err
        hass = request.app[KEY_HASS]
        expiry = timedelta(seconds=(last - first) + SIGNATURE_MARGIN)

        def signed(name: str) -> str | None:
            try:
                validate_vod_file(name)
            except ValueError:
                return None
            return async_sign_path(hass, vod_path(entry_id, camera, first, last, name), expiry)

        return web.Response(
            text=rewrite_playlist(playlist.decode("utf-8", "replace"), signed),
            content_type="application/vnd.apple.mpegurl",
            headers={hdrs.CACHE_CONTROL: "no-store"},
        )


def rewrite_playlist(text: str, signed: Callable[[str], str | None]) -> str:
    """Point every file of a playlist at `signed(name)`; lines naming anything else go."""
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            uris = _URI_RE.findall(stripped)
            if uris and any(signed(uri) is None for uri in uris):
                continue
            lines.append(_URI_RE.sub(lambda m: f'URI="{signed(m[1])}"', stripped))
            continue
        if (url := signed(stripped)) is not None:
            lines.append(url)
    return "\n".join(lines) + "\n"


class FrigateExportView(HomeAssistantView):
    """An export's MP4."""

    url = f"/api/{DOMAIN}/{{entry_id}}/export/{{file}}"
    name = f"api:{DOMAIN}:frigate_export"
    requires_auth = True

    async def get(self, request: web.Request, entry_id: str, file: str) -> web.StreamResponse:
        """Pass the file on, honouring a single byte range."""
        media = _media(request, entry_id)
        try:
            validate_export_file(file)
        except ValueError as err:
            raise web.HTTPBadRequest from err
        return await _pass_on(request, media.export_file(file, byte_range=_byte_range(request)))


class FrigateReviewView(HomeAssistantView):
    """A review item's thumbnail."""

    url = f"/api/{DOMAIN}/{{entry_id}}/review/{{camera}}/{{review_id}}/thumbnail.webp"
    name = f"api:{DOMAIN}:frigate_review_thumbnail"
    requires_auth = True

    async def get(
        self, request: web.Request, entry_id: str, camera: str, review_id: str
    ) -> web.Response:
        """Fetch the thumbnail."""
        media = _media(request, entry_id)
        try:
            validate_camera(camera)
            validate_review_id(review_id)
        except ValueError as err:
            raise web.HTTPBadRequest from err
        try:
            body, content_type = await media.review_thumbnail_file(camera, review_id)
        except FrigateError as err:
            raise http_error(err) from err
        return web.Response(
            body=body,
            content_type=content_type,
            headers={hdrs.CACHE_CONTROL: "private, max-age=3600"},
        )
