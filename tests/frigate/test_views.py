"""The views that serve Frigate event media to logged-in Home Assistant users."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http import HTTPStatus
from typing import Any, ClassVar
from unittest.mock import patch

import pytest
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.flir_frigate.api.frigate.exceptions import (
    FrigateConnectionError,
    FrigateRangeNotSatisfiableError,
)
from tests.fakes.frigate_server import FakeFrigateServer, fake_mp4
from tests.frigate.common import (
    FRIGATE_ENTRY_ID,
    FrigateFactory,
    make_frigate_entry,
    setup_frigate,
)


def _path(event_id: str, media: str, entry_id: str = FRIGATE_ENTRY_ID) -> str:
    return f"/api/flir_frigate/{entry_id}/event/{event_id}/{media}"


async def test_needs_home_assistant_login(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """Without a Home Assistant login nothing is served, and Frigate is not asked."""
    event_id = frigate.create_event("front_door", "person", in_progress=False)
    client = await hass_client_no_auth()
    for media in ("snapshot.jpg", "clip.mp4", "thumbnail.jpg"):
        response = await client.get(_path(event_id, media))
        assert response.status == HTTPStatus.UNAUTHORIZED
    assert not any(event_id in path for path in frigate.requests)


async def test_media(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """Snapshot, thumbnail and clip of an event, as Frigate has them."""
    event_id = frigate.create_event("front_door", "person", in_progress=False)
    event = frigate.events[event_id]
    client = await hass_client()
    response = await client.get(_path(event_id, "snapshot.jpg"))
    assert response.status == HTTPStatus.OK
    assert response.content_type == "image/jpeg"
    assert await response.read() == event.snapshot
    response = await client.get(_path(event_id, "thumbnail.jpg"))
    assert await response.read() == event.thumbnail
    response = await client.get(_path(event_id, "clip.mp4"))
    assert response.status == HTTPStatus.OK
    assert response.content_type == "video/mp4"
    assert await response.read() == fake_mp4(event_id)


async def test_clip_byte_ranges(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """A single byte range gets Frigate's 206 (what iOS/Safari need); a full request a 200."""
    event_id = frigate.create_event("front_door", "person", in_progress=False)
    clip = fake_mp4(event_id)
    size = len(clip)
    client = await hass_client()
    response = await client.get(_path(event_id, "clip.mp4"), headers={"Range": "bytes=0-1"})
    assert response.status == HTTPStatus.PARTIAL_CONTENT
    assert response.content_type == "video/mp4"
    assert response.headers["Content-Range"] == f"bytes 0-1/{size}"
    assert response.headers["Content-Length"] == "2"
    assert response.headers["Accept-Ranges"] == "bytes"
    assert await response.read() == clip[:2]
    for byte_range, part, content_range in (
        ("bytes=100-", clip[100:], f"bytes 100-{size - 1}/{size}"),
        ("bytes=-10", clip[-10:], f"bytes {size - 10}-{size - 1}/{size}"),
        (f"bytes=4-{size * 2}", clip[4:], f"bytes 4-{size - 1}/{size}"),
    ):
        response = await client.get(_path(event_id, "clip.mp4"), headers={"Range": byte_range})
        assert response.status == HTTPStatus.PARTIAL_CONTENT
        assert response.headers["Content-Range"] == content_range
        assert await response.read() == part
    response = await client.get(_path(event_id, "clip.mp4"))
    assert response.status == HTTPStatus.OK
    assert "Content-Range" not in response.headers
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.headers["Content-Length"] == str(size)
    assert await response.read() == clip
    response = await client.get(_path(event_id, "clip.mp4"), headers={"Range": f"bytes={size}-"})
    assert response.status == HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE
    assert response.headers["Content-Range"] == f"bytes */{size}"
    unauthenticated = await hass_client_no_auth()
    response = await unauthenticated.get(
        _path(event_id, "clip.mp4"), headers={"Range": "bytes=0-1"}
    )
    assert response.status == HTTPStatus.UNAUTHORIZED


@pytest.mark.parametrize(
    "headers",
    [
        {"Range": "bytes=0-1,4-5"},
        {"Range": "bytes=5-1"},
        {"Range": "items=0-1"},
        {"Range": "bytes=abc"},
        {"Range": "bytes=0-1", "If-Range": '"some-etag"'},
    ],
)
async def test_clip_ignores_unusable_range(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    headers: dict[str, str],
) -> None:
    """A Range we do not forward is ignored (RFC 9110 §14.2): the whole clip, 200."""
    event_id = frigate.create_event("front_door", "person", in_progress=False)
    client = await hass_client()
    response = await client.get(_path(event_id, "clip.mp4"), headers=headers)
    assert response.status == HTTPStatus.OK
    assert "Content-Range" not in response.headers
    assert await response.read() == fake_mp4(event_id)


async def test_clip_range_not_satisfiable_without_content_range(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """An upstream 416 without Content-Range is still a 416."""
    event_id = frigate.create_event("front_door", "person", in_progress=False)

    @asynccontextmanager
    async def _clip(*_args: Any, **_kwargs: Any) -> AsyncIterator[None]:
        raise FrigateRangeNotSatisfiableError("no", content_range=None)
        yield  # pragma: no cover

    client = await hass_client()
    with patch.object(frigate_entry.runtime_data.client, "event_clip", _clip):
        response = await client.get(_path(event_id, "clip.mp4"), headers={"Range": "bytes=9-"})
    assert response.status == HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE
    assert "Content-Range" not in response.headers


async def test_legacy_clip(
    hass: HomeAssistant, frigate_factory: FrigateFactory, hass_client: ClientSessionGenerator
) -> None:
    """A server that keeps clips only as files still serves them."""
    server = await frigate_factory(legacy_clips=True)
    await setup_frigate(hass, make_frigate_entry(server))
    event_id = server.create_event("backyard", "car", in_progress=False)
    client = await hass_client()
    response = await client.get(_path(event_id, "clip.mp4"))
    assert response.status == HTTPStatus.OK
    assert await response.read() == fake_mp4(event_id)
    response = await client.get(_path(event_id, "clip.mp4"), headers={"Range": "bytes=4-7"})
    assert response.status == HTTPStatus.PARTIAL_CONTENT
    assert await response.read() == b"ftyp"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (_path("1700000000.123456-abc123", "snapshot.jpg"), HTTPStatus.NOT_FOUND),
        (_path("1700000000.123456-abc123", "clip.mp4"), HTTPStatus.NOT_FOUND),
        (_path("not-an-event-id", "snapshot.jpg"), HTTPStatus.BAD_REQUEST),
        (_path("1700000000.123456-abc123", "preview.gif"), HTTPStatus.NOT_FOUND),
        (_path("1700000000.123456-abc123", "snapshot.jpg", "no_such_entry"), HTTPStatus.NOT_FOUND),
    ],
)
async def test_refused(
    hass: HomeAssistant,
    frigate_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    path: str,
    status: HTTPStatus,
) -> None:
    """Unknown events, entries and media are not found; malformed ids are refused."""
    client = await hass_client()
    response = await client.get(path)
    assert response.status == status


async def test_frigate_failure(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """Frigate failing gives a bad gateway."""
    event_id = frigate.create_event("front_door", "person", in_progress=False)
    frigate.faults.paths = (f"/api/events/{event_id}",)
    frigate.faults.status = 500
    client = await hass_client()
    for media in ("snapshot.jpg", "clip.mp4"):
        response = await client.get(_path(event_id, media))
        assert response.status == HTTPStatus.BAD_GATEWAY


async def test_clip_broken_midway(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """A clip that breaks after it started ends the answer early."""
    event_id = frigate.create_event("front_door", "person", in_progress=False)

    class _Content:
        async def iter_chunked(self, _size: int) -> AsyncIterator[bytes]:
            yield b"\x00\x00\x00\x18ftyp"
            raise FrigateConnectionError("stream broke")

    class _Upstream:
        status = HTTPStatus.OK
        headers: ClassVar[dict[str, str]] = {}
        content_length = None
        content = _Content()

    @asynccontextmanager
    async def _clip(*_args: Any, **_kwargs: Any) -> AsyncIterator[_Upstream]:
        yield _Upstream()

    client = await hass_client()
    runtime = frigate_entry.runtime_data
    with patch.object(runtime.client, "event_clip", _clip):
        response = await client.get(_path(event_id, "clip.mp4"))
        assert response.status == HTTPStatus.OK
        assert await response.read() == b"\x00\x00\x00\x18ftyp"


async def test_not_loaded(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """An unloaded entry serves nothing."""
    event_id = frigate.create_event("front_door", "person", in_progress=False)
    assert await hass.config_entries.async_unload(frigate_entry.entry_id)
    client = await hass_client()
    response = await client.get(_path(event_id, "snapshot.jpg"))
    assert response.status == HTTPStatus.NOT_FOUND
