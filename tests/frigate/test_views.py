"""The views that serve Frigate event media to logged-in Home Assistant users."""

import asyncio
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http import HTTPStatus
from pathlib import Path
from typing import Any, ClassVar
from unittest.mock import patch

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.flir_frigate.api.frigate.exceptions import FrigateConnectionError
from custom_components.flir_frigate.frigate.views import CLIP_CACHE
from tests.conftest import advance
from tests.fakes.frigate_server import FakeFrigateServer, fake_mp4, growing_mp4
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


def _finished(server: FakeFrigateServer, camera: str = "front_door") -> str:
    """An event that ended a minute ago (`in_progress=False` alone ends it 10 s from now)."""
    return server.create_event(camera, "person", in_progress=False, start_time=time.time() - 70)


def _clip_path(event_id: str) -> str:
    return f"/api/events/{event_id}/clip.mp4"


async def _settled(hass: HomeAssistant) -> None:
    """Until the answers are done with their copies (a client may finish reading first)."""
    cache = hass.data[CLIP_CACHE]
    for _ in range(10_000):
        if not any(clip.readers for clip in cache.clips.values()):
            break
        await asyncio.sleep(0)
    await hass.async_block_till_done(wait_background_tasks=True)


def _spooled(hass: HomeAssistant) -> list[Path]:
    """The files of the clip cache, least recently used first."""
    return [clip.path for clip in hass.data[CLIP_CACHE].clips.values()]


async def test_clip_byte_ranges(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """Ranges are answered from one copy, though Frigate (0.17) streams the clip without any.

    What iOS/Safari do: the first two bytes, then pieces; each one a 206 of the same copy,
    and Frigate cuts the clip only once.
    """
    event_id = _finished(frigate)
    clip = fake_mp4(event_id)
    size = len(clip)
    client = await hass_client()
    response = await client.get(_path(event_id, "clip.mp4"), headers={"Range": "bytes=0-1"})
    assert response.status == HTTPStatus.PARTIAL_CONTENT
    assert response.content_type == "video/mp4"
    assert response.headers["Content-Range"] == f"bytes 0-1/{size}"
    assert response.headers["Content-Length"] == "2"
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.headers["Cache-Control"] == "private, max-age=3600"
    etag = response.headers["ETag"]
    assert await response.read() == clip[:2]
    for byte_range, part, content_range in (
        ("bytes=100-", clip[100:], f"bytes 100-{size - 1}/{size}"),
        ("bytes=-10", clip[-10:], f"bytes {size - 10}-{size - 1}/{size}"),
        (f"bytes=4-{size * 2}", clip[4:], f"bytes 4-{size - 1}/{size}"),
        (f"bytes=-{size * 2}", clip, f"bytes 0-{size - 1}/{size}"),
    ):
        response = await client.get(_path(event_id, "clip.mp4"), headers={"Range": byte_range})
        assert response.status == HTTPStatus.PARTIAL_CONTENT
        assert response.headers["Content-Range"] == content_range
        assert response.headers["ETag"] == etag
        assert await response.read() == part
    response = await client.get(_path(event_id, "clip.mp4"))
    assert response.status == HTTPStatus.OK
    assert "Content-Range" not in response.headers
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.headers["Content-Length"] == str(size)
    assert await response.read() == clip
    for unsatisfiable in (f"bytes={size}-", f"bytes={size}-{size + 5}", "bytes=-0"):
        response = await client.get(_path(event_id, "clip.mp4"), headers={"Range": unsatisfiable})
        assert response.status == HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE
        assert response.headers["Content-Range"] == f"bytes */{size}"
    assert frigate.requests[_clip_path(event_id)] == 1
    unauthenticated = await hass_client_no_auth()
    response = await unauthenticated.get(
        _path(event_id, "clip.mp4"), headers={"Range": "bytes=0-1"}
    )
    assert response.status == HTTPStatus.UNAUTHORIZED


@pytest.mark.parametrize("version", ["0.14", "0.18"])
async def test_clip_ranges_per_version(
    hass: HomeAssistant,
    frigate_factory: FrigateFactory,
    hass_client: ClientSessionGenerator,
    version: str,
) -> None:
    """nginx's clip file (up to 0.14) and ffmpeg's stream (0.15+) give the same answers."""
    server = await frigate_factory(version)
    await setup_frigate(hass, make_frigate_entry(server))
    event_id = _finished(server)
    client = await hass_client()
    response = await client.get(_path(event_id, "clip.mp4"), headers={"Range": "bytes=4-7"})
    assert response.status == HTTPStatus.PARTIAL_CONTENT
    assert await response.read() == b"ftyp"
    assert server.requests[_clip_path(event_id)] == 1


async def test_clip_if_range(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """A range with `If-Range` is answered for the copy the client has (its ETag)."""
    event_id = _finished(frigate)
    client = await hass_client()
    response = await client.get(_path(event_id, "clip.mp4"))
    etag = response.headers["ETag"]
    response = await client.get(
        _path(event_id, "clip.mp4"), headers={"Range": "bytes=4-7", "If-Range": etag}
    )
    assert response.status == HTTPStatus.PARTIAL_CONTENT
    assert await response.read() == b"ftyp"


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
    """A Range we cannot answer is ignored (RFC 9110 §14.2): the whole clip, 200."""
    event_id = _finished(frigate)
    client = await hass_client()
    response = await client.get(_path(event_id, "clip.mp4"), headers=headers)
    assert response.status == HTTPStatus.OK
    assert "Content-Range" not in response.headers
    assert await response.read() == fake_mp4(event_id)


async def test_clip_in_progress(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A growing clip is not for the browser's cache; its copy lasts 60 s however used."""
    event_id = frigate.create_event("front_door", "person", start_time=time.time() - 10)
    client = await hass_client()
    response = await client.get(_path(event_id, "clip.mp4"), headers={"Range": "bytes=0-1"})
    assert response.status == HTTPStatus.PARTIAL_CONTENT
    assert response.headers["Cache-Control"] == "no-store"
    size = int(response.headers["Content-Range"].rsplit("/", 1)[1])
    assert size == len(growing_mp4(event_id, 10))
    await advance(hass, freezer, 30)
    response = await client.get(_path(event_id, "clip.mp4"), headers={"Range": "bytes=2-3"})
    assert response.headers["Content-Range"] == f"bytes 2-3/{size}"  # the same copy
    assert frigate.requests[_clip_path(event_id)] == 1
    await advance(hass, freezer, 31)
    assert _spooled(hass) == []
    response = await client.get(_path(event_id, "clip.mp4"))
    assert await response.read() == growing_mp4(event_id, 71)  # cut again: it grew
    assert frigate.requests[_clip_path(event_id)] == 2
    frigate.end_event(event_id)
    await advance(hass, freezer, 61)
    response = await client.get(_path(event_id, "clip.mp4"))
    assert response.headers["Cache-Control"] == "private, max-age=3600"


async def test_clip_copy_expires_and_is_deleted(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A finished clip's copy lives 60 s after its last use; then its file is deleted."""
    event_id = _finished(frigate)
    client = await hass_client()
    await client.get(_path(event_id, "clip.mp4"), headers={"Range": "bytes=0-1"})
    [path] = _spooled(hass)
    assert path.read_bytes() == fake_mp4(event_id)
    await advance(hass, freezer, 50)
    await client.get(_path(event_id, "clip.mp4"), headers={"Range": "bytes=2-3"})
    await advance(hass, freezer, 50)
    assert _spooled(hass) == [path]  # used 50 s ago
    await advance(hass, freezer, 11)
    assert _spooled(hass) == []
    assert not path.exists()
    await client.get(_path(event_id, "clip.mp4"))
    assert frigate.requests[_clip_path(event_id)] == 2


async def test_clip_copies_deleted_on_unload(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """Unloading the entry deletes its clips' files."""
    event_id = _finished(frigate)
    client = await hass_client()
    await client.get(_path(event_id, "clip.mp4"))
    await _settled(hass)
    [path] = _spooled(hass)
    assert await hass.config_entries.async_unload(frigate_entry.entry_id)
    await hass.async_block_till_done()
    assert _spooled(hass) == []
    assert not path.exists()


async def test_clip_least_recently_used_out(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """Beyond the cache's size the least recently used copy goes, and its file with it."""
    events = [_finished(frigate) for _ in range(3)]
    client = await hass_client()
    with patch("custom_components.flir_frigate.frigate.clips.CACHE_ENTRIES", 2):
        await client.get(_path(events[0], "clip.mp4"))
        await client.get(_path(events[1], "clip.mp4"))
        [_, second] = _spooled(hass)
        await client.get(_path(events[0], "clip.mp4"))  # used again: now the newest
        await _settled(hass)
        await client.get(_path(events[2], "clip.mp4"))
        await _settled(hass)
    assert [key[1] for key in hass.data[CLIP_CACHE].clips] == [events[0], events[2]]
    assert not second.exists()
    assert sorted(second.parent.iterdir()) == sorted(_spooled(hass))


async def test_clip_requests_at_once_fetch_once(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """A player's requests arriving together share one fetch from Frigate."""
    event_id = _finished(frigate)
    cache = hass.data[CLIP_CACHE]
    arrived = 0
    gate = asyncio.Event()
    original_clip, original_fetch = cache.async_clip, frigate_entry.runtime_data.client.event_clip

    async def counted(*args: Any) -> Any:
        nonlocal arrived
        arrived += 1
        return await original_clip(*args)

    @asynccontextmanager
    async def held(*args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        await gate.wait()  # until every request is in
        async with original_fetch(*args, **kwargs) as upstream:
            yield upstream

    client = await hass_client()
    with (
        patch.object(cache, "async_clip", counted),
        patch.object(frigate_entry.runtime_data.client, "event_clip", held),
    ):
        requests = [
            asyncio.ensure_future(client.get(_path(event_id, "clip.mp4"), headers=headers))
            for headers in ({"Range": "bytes=0-1"}, {"Range": "bytes=4-7"}, {})
        ]
        for _ in range(10_000):
            if arrived == len(requests):
                break
            await asyncio.sleep(0)
        assert arrived == len(requests)
        gate.set()
        responses = await asyncio.gather(*requests)
        assert [await response.read() for response in responses] == [
            fake_mp4(event_id)[:2],
            b"ftyp",
            fake_mp4(event_id),
        ]
    assert frigate.requests[_clip_path(event_id)] == 1


async def test_clip_too_large_passes_through(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """A clip over the spool's limit is sent as Frigate sends it: whole, 200, no ranges."""
    event_id = _finished(frigate)
    client = await hass_client()
    with patch("custom_components.flir_frigate.frigate.clips.CLIP_LIMIT", 100):
        for _ in range(2):
            response = await client.get(_path(event_id, "clip.mp4"), headers={"Range": "bytes=0-1"})
            assert response.status == HTTPStatus.OK
            assert "Accept-Ranges" not in response.headers
            assert "Content-Length" not in response.headers
            assert await response.read() == fake_mp4(event_id)
    assert _spooled(hass) == []
    # The first request found it too large (1) and passed it through (2); the second knew
    # and only passed it through (3).
    assert frigate.requests[_clip_path(event_id)] == 3


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
    """A clip that breaks while it is fetched is a bad gateway; no broken copy is kept."""
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
        assert response.status == HTTPStatus.BAD_GATEWAY
    await hass.async_block_till_done(wait_background_tasks=True)
    assert _spooled(hass) == []
    response = await client.get(_path(event_id, "clip.mp4"))
    assert await response.read() == fake_mp4(event_id)


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


async def test_clip_file_io_off_the_event_loop(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    frigate_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """Making, writing, reading and deleting copies all happen in the executor."""
    in_loop: list[str] = []
    seen: set[str] = set()

    def watched(name: str, original: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            seen.add(name)
            try:
                asyncio.get_running_loop()
                in_loop.append(name)
            except RuntimeError:  # a worker thread: fine
                pass
            return original(*args, **kwargs)

        return call

    event_id = _finished(frigate)
    client = await hass_client()
    with (
        patch.object(Path, "open", watched("open", Path.open)),
        patch.object(Path, "unlink", watched("unlink", Path.unlink)),
        patch("tempfile.mkstemp", watched("mkstemp", tempfile.mkstemp)),
        patch("tempfile.mkdtemp", watched("mkdtemp", tempfile.mkdtemp)),
    ):
        response = await client.get(_path(event_id, "clip.mp4"), headers={"Range": "bytes=4-7"})
        assert await response.read() == b"ftyp"
        await _settled(hass)
        assert await hass.config_entries.async_unload(frigate_entry.entry_id)
    assert seen == {"open", "unlink", "mkstemp", "mkdtemp"}
    assert in_loop == []
