"""Home Assistant views that serve Frigate event media to authenticated Home Assistant users.

`/api/flir_frigate/<entry id>/event/<event id>/{snapshot.jpg,thumbnail.jpg,clip.mp4}` fetch
from the Frigate server of that entry with the entry's credentials and TLS setting, so the
URLs in event attributes work in notifications and dashboards without exposing Frigate.

The clip honours a single byte range (`Range: bytes=START-END`, `bytes=START-`, `bytes=-N`),
which iOS/Safari and the mobile apps need to play MP4, whatever Frigate does: 0.15 and later
stream the clip without a length and ignore `Range`. So the clip is spooled once to a
temporary file (`clips.ClipCache`, reused for the requests a player makes in a row) and every
answer comes from that file: 206 with `Content-Range` for a range, 416 with `bytes */SIZE` for
one past the end, 200 with the length otherwise; always `Accept-Ranges: bytes` and an `ETag`
of that copy. Any other `Range` (other units, several ranges, malformed) is ignored and the
whole clip is sent with 200, as RFC 9110 §14.2 allows; so is a `Range` whose `If-Range` is not
the copy's `ETag`. A clip Frigate is still cutting (the event is in progress) grows between
requests: browsers must not keep it (`no-store`); a finished one may be kept an hour. A clip
over the spool's size limit is passed through as Frigate sends it (200, no ranges).
"""

import re
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Final

from aiohttp import hdrs, web
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.http import KEY_HASS, HomeAssistantView
from homeassistant.util.hass_dict import HassKey

from ..api.frigate.client import FrigateClient, validate_byte_range, validate_event_id
from ..api.frigate.exceptions import FrigateError, FrigateRangeNotSatisfiableError
from ..const import DOMAIN, LOGGER
from .clips import READ_BLOCK, ClipCache, ClipTooLargeError, ClipUnavailableError, SpooledClip
from .coordinator import FrigateConfigEntry
from .errors import http_error
from .media_views import async_register_media_views, loaded_entry

MEDIA_SNAPSHOT: Final = "snapshot.jpg"
MEDIA_THUMBNAIL: Final = "thumbnail.jpg"
MEDIA_CLIP: Final = "clip.mp4"
# Event media do not change once the event is over; clients may keep them a while.
CACHE_CONTROL: Final = "private, max-age=3600"
# A clip of an event in progress grows with every request.
CACHE_CONTROL_IN_PROGRESS: Final = "no-store"
_VIEWS_REGISTERED: HassKey[bool] = HassKey(f"{DOMAIN}_frigate_views")
CLIP_CACHE: HassKey[ClipCache] = HassKey(f"{DOMAIN}_frigate_clips")
_RANGE_RE: Final = re.compile(r"bytes=(\d*)-(\d*)")


def event_media_path(entry_id: str, event_id: str, media: str) -> str:
    """The Home Assistant path of one medium of an event."""
    return f"/api/{DOMAIN}/{entry_id}/event/{event_id}/{media}"


@callback
def async_register_views(hass: HomeAssistant) -> None:
    """Register the views once per Home Assistant instance."""
    if hass.data.get(_VIEWS_REGISTERED):
        return
    hass.data[CLIP_CACHE] = ClipCache(hass)
    hass.http.register_view(FrigateEventMediaView())
    async_register_media_views(hass)
    hass.data[_VIEWS_REGISTERED] = True


class FrigateEventMediaView(HomeAssistantView):
    """Snapshot, thumbnail or clip of a Frigate event; needs a logged-in Home Assistant user."""

    url = f"/api/{DOMAIN}/{{entry_id}}/event/{{event_id}}/{{media}}"
    name = f"api:{DOMAIN}:frigate_event_media"
    requires_auth = True

    async def get(
        self, request: web.Request, entry_id: str, event_id: str, media: str
    ) -> web.StreamResponse:
        """Fetch the medium from Frigate and pass it on."""
        entry = loaded_entry(request, entry_id)
        try:
            validate_event_id(event_id)
        except ValueError as err:
            raise web.HTTPBadRequest from err
        client = entry.runtime_data.client
        images: dict[str, Callable[[str], Awaitable[bytes]]] = {
            MEDIA_SNAPSHOT: client.event_snapshot,
            MEDIA_THUMBNAIL: client.event_thumbnail,
        }
        if media == MEDIA_CLIP:
            return await _serve_clip(request, entry, client, event_id)
        if (fetch := images.get(media)) is None:
            raise web.HTTPNotFound
        try:
            body = await fetch(event_id)
        except FrigateError as err:
            LOGGER.debug("Frigate event %s %s failed: %s", event_id, media, err)
            raise http_error(err) from err
        return web.Response(
            body=body, content_type="image/jpeg", headers={hdrs.CACHE_CONTROL: CACHE_CONTROL}
        )


def _byte_range(request: web.Request, clip: SpooledClip) -> tuple[int, int] | None:
    """The single range to answer (first and last byte), or None for the whole clip.

    FrigateRangeNotSatisfiableError when it lies past the end of the clip.
    """
    header = request.headers.get(hdrs.RANGE)
    if header is None:
        return None
    if_range = request.headers.get(hdrs.IF_RANGE)
    if if_range is not None and if_range != clip.etag:
        return None  # the client's copy is another: the whole clip
    try:
        match = _RANGE_RE.fullmatch(validate_byte_range(header))
    except ValueError:
        return None
    if match is None:  # pragma: no cover - validate_byte_range accepted it
        return None
    first, last = match.groups()
    size = clip.size
    if not first:  # the last N bytes
        if int(last) == 0 or size == 0:
            raise FrigateRangeNotSatisfiableError("empty range", content_range=f"bytes */{size}")
        return max(size - int(last), 0), size - 1
    if int(first) >= size:
        raise FrigateRangeNotSatisfiableError("past the end", content_range=f"bytes */{size}")
    return int(first), size - 1 if not last else min(int(last), size - 1)


async def _serve_clip(
    request: web.Request, entry: FrigateConfigEntry, client: FrigateClient, event_id: str
) -> web.StreamResponse:
    """Answer from the spooled clip: the range asked for, or all of it."""
    hass = request.app[KEY_HASS]
    cache = hass.data[CLIP_CACHE]
    try:
        clip = await cache.async_clip(entry, client, event_id)
    except ClipTooLargeError as err:
        return await _pass_through(request, client, event_id, in_progress=err.in_progress)
    except ClipUnavailableError as err:
        raise web.HTTPNotFound from err
    except FrigateError as err:
        LOGGER.debug("Frigate clip of event %s failed: %s", event_id, err)
        raise http_error(err) from err
    try:
        try:
            byte_range = _byte_range(request, clip)
        except FrigateRangeNotSatisfiableError as err:
            raise http_error(err) from err
        first, last = (0, clip.size - 1) if byte_range is None else byte_range
        response = web.StreamResponse(
            status=HTTPStatus.OK if byte_range is None else HTTPStatus.PARTIAL_CONTENT,
            headers={
                hdrs.CONTENT_TYPE: "video/mp4",
                hdrs.ACCEPT_RANGES: "bytes",
                hdrs.ETAG: clip.etag,
                hdrs.CACHE_CONTROL: (
                    CACHE_CONTROL_IN_PROGRESS if clip.in_progress else CACHE_CONTROL
                ),
            },
        )
        if byte_range is not None:
            response.headers[hdrs.CONTENT_RANGE] = f"bytes {first}-{last}/{clip.size}"
        response.content_length = last - first + 1
        await response.prepare(request)
        async with cache.async_open(clip) as file:
            await hass.async_add_executor_job(file.seek, first)
            left = last - first + 1
            while left > 0 and (block := await cache.async_read(file, min(READ_BLOCK, left))):
                await response.write(block)
                left -= len(block)
        await response.write_eof()
        return response
    finally:
        cache.release(clip)


async def _pass_through(
    request: web.Request, client: FrigateClient, event_id: str, *, in_progress: bool
) -> web.StreamResponse:
    """A clip too large to spool: Frigate's answer copied chunk by chunk (200, no ranges)."""
    response = web.StreamResponse(
        headers={
            hdrs.CONTENT_TYPE: "video/mp4",
            hdrs.CACHE_CONTROL: CACHE_CONTROL_IN_PROGRESS if in_progress else CACHE_CONTROL,
        }
    )
    try:
        async with client.event_clip(event_id) as upstream:
            await response.prepare(request)
            async for chunk in upstream.content.iter_chunked(READ_BLOCK):
                await response.write(chunk)
    except FrigateError as err:
        LOGGER.debug("Frigate clip of event %s failed: %s", event_id, err)
        if response.prepared:  # the status is out: all that is left is to stop
            return response
        raise http_error(err) from err
    await response.write_eof()
    return response
