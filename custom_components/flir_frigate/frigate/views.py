"""Home Assistant views that serve Frigate event media to authenticated Home Assistant users.

`/api/flir_frigate/<entry id>/event/<event id>/{snapshot.jpg,thumbnail.jpg,clip.mp4}` fetch
from the Frigate server of that entry with the entry's credentials and TLS setting, so the
URLs in event attributes work in notifications and dashboards without exposing Frigate.

The clip honours a single byte range (`Range: bytes=START-END`, `bytes=START-`, `bytes=-N`),
which iOS/Safari and the mobile apps need to play MP4: the range goes to Frigate and its 206
(`Content-Range`, `Content-Length`, `Accept-Ranges`) or 416 comes back. Any other `Range`
(other units, several ranges, malformed) and any `Range` sent with `If-Range` is ignored and
the whole clip is sent with 200, as RFC 9110 §14.2 allows (we pass on no validator, so an
`If-Range` could not be evaluated).
"""

from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Final

import aiohttp
from aiohttp import hdrs, web
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.http import KEY_HASS, HomeAssistantView
from homeassistant.util.hass_dict import HassKey

from ..api.frigate.client import FrigateClient, validate_byte_range, validate_event_id
from ..api.frigate.exceptions import FrigateError
from ..const import DOMAIN, LOGGER
from .coordinator import FrigateConfigEntry, FrigateRuntimeData
from .errors import http_error

MEDIA_SNAPSHOT: Final = "snapshot.jpg"
MEDIA_THUMBNAIL: Final = "thumbnail.jpg"
MEDIA_CLIP: Final = "clip.mp4"
CHUNK_SIZE: Final = 64 * 1024
# Event media do not change once the event is over; clients may keep them a while.
CACHE_CONTROL: Final = "private, max-age=3600"
_VIEWS_REGISTERED: HassKey[bool] = HassKey(f"{DOMAIN}_frigate_views")


def event_media_path(entry_id: str, event_id: str, media: str) -> str:
    """The Home Assistant path of one medium of an event."""
    return f"/api/{DOMAIN}/{entry_id}/event/{event_id}/{media}"


@callback
def async_register_views(hass: HomeAssistant) -> None:
    """Register the views once per Home Assistant instance."""
    if hass.data.get(_VIEWS_REGISTERED):
        return
    hass.http.register_view(FrigateEventMediaView())
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
        hass = request.app[KEY_HASS]
        entry: FrigateConfigEntry | None = hass.config_entries.async_get_entry(entry_id)
        if (
            entry is None
            or entry.domain != DOMAIN
            or not isinstance(getattr(entry, "runtime_data", None), FrigateRuntimeData)
            or entry.state is not ConfigEntryState.LOADED
        ):
            raise web.HTTPNotFound
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
            return await _stream_clip(request, client, event_id)
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


def _requested_range(request: web.Request) -> str | None:
    """The single byte range to forward, or None to send the whole clip (RFC 9110 §14.2)."""
    byte_range = request.headers.get(hdrs.RANGE)
    if byte_range is None or hdrs.IF_RANGE in request.headers:
        return None
    try:
        return validate_byte_range(byte_range)
    except ValueError:
        return None


def _copy_status_and_length(upstream: aiohttp.ClientResponse, response: web.StreamResponse) -> None:
    """Answer 206 with Frigate's `Content-Range` if it sent one, else 200; copy the lengths."""
    if upstream.status == HTTPStatus.PARTIAL_CONTENT:
        response.set_status(HTTPStatus.PARTIAL_CONTENT)
        if (content_range := upstream.headers.get(hdrs.CONTENT_RANGE)) is not None:
            response.headers[hdrs.CONTENT_RANGE] = content_range
    if (accept_ranges := upstream.headers.get(hdrs.ACCEPT_RANGES)) is not None:
        response.headers[hdrs.ACCEPT_RANGES] = accept_ranges
    if upstream.content_length is not None:
        response.content_length = upstream.content_length


async def _stream_clip(
    request: web.Request, client: FrigateClient, event_id: str
) -> web.StreamResponse:
    """Copy the clip chunk by chunk; a broken upstream ends the (already started) answer."""
    response = web.StreamResponse(
        headers={hdrs.CONTENT_TYPE: "video/mp4", hdrs.CACHE_CONTROL: CACHE_CONTROL}
    )
    try:
        async with client.event_clip(event_id, byte_range=_requested_range(request)) as upstream:
            _copy_status_and_length(upstream, response)
            await response.prepare(request)
            async for chunk in upstream.content.iter_chunked(CHUNK_SIZE):
                await response.write(chunk)
    except FrigateError as err:
        LOGGER.debug("Frigate clip of event %s failed: %s", event_id, err)
        if response.prepared:  # the status is out: all that is left is to stop
            return response
        raise http_error(err) from err
    await response.write_eof()
    return response
