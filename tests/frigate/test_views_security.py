"""Security of the Frigate media views (`/api/flir_frigate/<entry>/event/<id>/<media>`).

Every view needs a Home Assistant login; crafted entry ids, event ids and media names are
refused before any request leaves for Frigate (the fake counts what it receives); nothing of
Frigate's authentication (cookies, tokens, challenges) comes back to the browser; and a clip is
served with at most one byte range: a request for several gets the whole clip (200) or a 416,
never a multipart answer.
"""

import re
from collections.abc import AsyncGenerator
from http import HTTPStatus
from typing import Any

import pytest
from aiohttp import hdrs, web
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from yarl import URL

from tests.conftest import SMART_SERIAL, flir_entry, setup_entry
from tests.fakes.flir_camera import FakeFlirCamera
from tests.fakes.frigate_server import FakeFrigateServer, fake_mp4
from tests.frigate.common import (
    FRIGATE_ENTRY_ID,
    FRIGATE_PASSWORD,
    FRIGATE_USER,
    make_frigate_entry,
    setup_frigate,
)

MEDIA = ("snapshot.jpg", "thumbnail.jpg", "clip.mp4")
LEAKED_COOKIE = "frigate_token=leaked.jwt.value"
LEAKED_HEADERS = {
    hdrs.SET_COOKIE: LEAKED_COOKIE,
    hdrs.AUTHORIZATION: "Bearer leaked.jwt.value",
    hdrs.WWW_AUTHENTICATE: 'Basic realm="frigate"',
    hdrs.PROXY_AUTHENTICATE: 'Basic realm="proxy"',
    "X-Auth-Token": "leaked-token",
}
FORBIDDEN_HEADERS = (
    hdrs.SET_COOKIE,
    "Set-Cookie2",
    hdrs.AUTHORIZATION,
    hdrs.PROXY_AUTHENTICATE,
    "X-Auth-Token",
)


def assert_nothing_of_frigates(response: Any, *, own_challenge: bool = False) -> None:
    """No cookie, token or challenge of Frigate's in an answer of Home Assistant's.

    Home Assistant's own 401 carries its own `WWW-Authenticate: Bearer ...` (`own_challenge`);
    any other answer of the views carries none at all.
    """
    headers = response.headers
    present = set(FORBIDDEN_HEADERS) & set(headers)
    assert not present, f"{present} passed back: {headers}"
    challenges = headers.getall(hdrs.WWW_AUTHENTICATE, [])
    if own_challenge:
        assert all(value.startswith("Bearer resource_metadata=") for value in challenges)
    else:
        assert not challenges, challenges
    assert not response.cookies
    assert "leaked" not in str(headers).lower()


class LeakyFrigate(FakeFrigateServer):
    """The fake, answering every request with authentication headers and cookies of its own,
    and recording the `Range` header of each request it receives."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ranges: list[tuple[str, str | None]] = []

    def make_app(self) -> web.Application:
        app = super().make_app()

        @web.middleware
        async def leak(request: web.Request, handler: Any) -> web.StreamResponse:
            self.ranges.append((request.path, request.headers.get(hdrs.RANGE)))
            response = await handler(request)
            for name, value in LEAKED_HEADERS.items():
                response.headers.add(name, value)
            return response

        app.middlewares.append(leak)
        return app


@pytest.fixture(
    params=[("0.14", "none"), ("0.14", "login"), ("0.17", "login")],
    ids=["0.14-internal", "0.14-login", "0.17-login"],
)
async def leaky(
    request: pytest.FixtureRequest, socket_enabled: None, freezer: FrozenDateTimeFactory
) -> AsyncGenerator[LeakyFrigate]:
    """A leaky fake Frigate: 0.14 (clips from a file through nginx, which serves byte ranges)
    on both ports, and 0.17 (clips streamed from ffmpeg, `Range` ignored) with a login."""
    version, auth = request.param
    server = LeakyFrigate(
        version=version, auth=auth, seed=3, username=FRIGATE_USER, password=FRIGATE_PASSWORD
    )
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def leaky_entry(hass: HomeAssistant, leaky: LeakyFrigate) -> MockConfigEntry:
    """The leaky server set up with its credentials when it needs them."""
    entry = make_frigate_entry(leaky, credentials=leaky.auth == "login")
    await setup_frigate(hass, entry)
    assert entry.runtime_data is not None
    return entry


def _path(event_id: str, media: str, entry_id: str = FRIGATE_ENTRY_ID) -> str:
    return f"/api/flir_frigate/{entry_id}/event/{event_id}/{media}"


def _raw(path: str) -> URL:
    """A URL sent exactly as written (no client-side normalisation of `..` or escapes)."""
    return URL(path, encoded=True)


async def test_every_view_needs_a_login(
    hass: HomeAssistant,
    leaky: LeakyFrigate,
    leaky_entry: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """401 without a Home Assistant login (or with a wrong token), and Frigate is not asked."""
    event_id = leaky.create_event("front_door", "person", in_progress=False)
    client = await hass_client_no_auth()
    before = len(leaky.request_log)
    for media in (*MEDIA, "preview.gif"):
        for headers in ({}, {hdrs.AUTHORIZATION: "Bearer not-a-home-assistant-token"}):
            response = await client.get(_path(event_id, media), headers=headers)
            assert response.status == HTTPStatus.UNAUTHORIZED, media
            assert_nothing_of_frigates(response, own_challenge=True)
    assert len(leaky.request_log) == before


CRAFTED_EVENT_IDS = (
    "..",
    "../config",
    "..%2F..%2Fconfig",
    "%2e%2e",
    "%2E%2E%2Fconfig",
    "%252e%252e%252fconfig",
    "1700000000.123456-abc123%2F..%2F..%2Fconfig",
    "1700000000.123456-abc123%2f",
    "1700000000.123456-abc123%5C..",
    "1700000000.123456-abc123%00",
    "%00",
    "1700000000.123456-abc123%0d%0aX-Injected:%201",
    "1700000000.123456-abc123%20",
    "1700000000.123456-abc123;rm",
    "1700000000.123456-" + "a" * 200,
    "1" * 5000 + ".123456-abc123",
    "1700000000.123456-abc123?x=1",
    "1700000000.123456-%E2%80%AEabc",
)
CRAFTED_PATHS = (
    # Traversal around the event id and the media name.
    "/api/flir_frigate/{entry}/event/../../config/clip.mp4",
    "/api/flir_frigate/{entry}/event/{event}/../../../api/config",
    "/api/flir_frigate/{entry}/event/{event}/%2e%2e%2fsnapshot.jpg",
    "/api/flir_frigate/{entry}/event/{event}%2Fsnapshot.jpg",
    "/api/flir_frigate/{entry}/event/{event}/clip.mp4%00.jpg",
    "/api/flir_frigate/{entry}/event/{event}/snapshot.jpg%2F..%2F..%2Fconfig",
    # Unknown media types.
    "/api/flir_frigate/{entry}/event/{event}/preview.gif",
    "/api/flir_frigate/{entry}/event/{event}/snapshot.png",
    "/api/flir_frigate/{entry}/event/{event}/SNAPSHOT.JPG",
    "/api/flir_frigate/{entry}/event/{event}/clip.mp4.jpg",
    "/api/flir_frigate/{entry}/event/{event}/",
    "/api/flir_frigate/{entry}/event/{event}/" + "x" * 5000,
    # Entry ids that are not a loaded Frigate entry.
    "/api/flir_frigate/../{entry}/event/{event}/snapshot.jpg",
    "/api/flir_frigate/%2e%2e/event/{event}/snapshot.jpg",
    "/api/flir_frigate/{entry}%00/event/{event}/snapshot.jpg",
    "/api/flir_frigate/no_such_entry/event/{event}/snapshot.jpg",
    "/api/flir_frigate/{flir}/event/{event}/snapshot.jpg",
    "/api/flir_frigate/{flir}/event/{event}/clip.mp4",
    "/api/flir_frigate/" + "e" * 5000 + "/event/{event}/snapshot.jpg",
)


async def test_crafted_ids_and_paths_never_reach_frigate(
    hass: HomeAssistant,
    leaky: LeakyFrigate,
    leaky_entry: MockConfigEntry,
    flir_smart: FakeFlirCamera,
    hass_client: ClientSessionGenerator,
) -> None:
    """Traversal, encoded slashes, NUL, overlong ids, another entry, unknown media: refused
    (4xx) before any request leaves for Frigate."""
    flir = await setup_entry(hass, flir_entry(flir_smart, SMART_SERIAL))
    event_id = leaky.create_event("front_door", "person", in_progress=False)
    client = await hass_client()
    before = len(leaky.request_log)
    paths = [_path(crafted, media) for crafted in CRAFTED_EVENT_IDS for media in MEDIA]
    paths += [
        path.format(entry=FRIGATE_ENTRY_ID, event=event_id, flir=flir.entry_id)
        for path in CRAFTED_PATHS
    ]
    for path in paths:
        response = await client.get(_raw(path), headers={hdrs.RANGE: "bytes=0-1"})
        assert HTTPStatus.BAD_REQUEST <= response.status < HTTPStatus.INTERNAL_SERVER_ERROR, (
            path[:120],
            response.status,
        )
        assert_nothing_of_frigates(response)
        assert len(leaky.request_log) == before, f"{path[:120]} reached Frigate"
    # The same client is served the real thing: the refusals were not a broken setup.
    response = await client.get(_path(event_id, "snapshot.jpg"))
    assert response.status == HTTPStatus.OK


async def test_event_of_another_server_is_not_fetched_from_it(
    hass: HomeAssistant,
    leaky: LeakyFrigate,
    leaky_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """An entry's view asks only its own Frigate: another server's event is not found there."""
    other = LeakyFrigate(version="0.16", seed=9)
    await other.start()
    try:
        other_entry = MockConfigEntry(
            domain=leaky_entry.domain,
            entry_id="other_frigate",
            title="Frigate other",
            unique_id="01OTHERFRIGATE000000000000",
            minor_version=2,
            data={**make_frigate_entry(other).data},
        )
        await setup_frigate(hass, other_entry)
        event_id = other.create_event("backyard", "car", in_progress=False)
        client = await hass_client()
        other_before = len(other.request_log)
        for media in MEDIA:
            response = await client.get(_path(event_id, media))
            assert response.status == HTTPStatus.NOT_FOUND, media
        assert len(other.request_log) == other_before
        response = await client.get(_path(event_id, "snapshot.jpg", "other_frigate"))
        assert response.status == HTTPStatus.OK
        assert await response.read() == other.events[event_id].snapshot
    finally:
        await other.stop()


_SINGLE_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def expected_range(byte_range: str, size: int) -> tuple[int, int] | bool | None:
    """What one `Range` asks of a clip of `size` bytes: (first, last) of a satisfiable single
    range, None for a single range past the end, False for anything else (several ranges,
    other units, malformed: to be ignored)."""
    match = _SINGLE_RANGE.fullmatch(byte_range)
    if match is None or match.groups() == ("", ""):
        return False
    first, last = match.groups()
    if not first:
        return None if int(last) == 0 else (max(size - int(last), 0), size - 1)
    if last and int(last) < int(first):
        return False
    if int(first) >= size:
        return None
    return int(first), min(int(last), size - 1) if last else size - 1


def check_clip_answer(response: Any, body: bytes, clip: bytes, byte_range: str | None) -> None:
    """The answer to one clip request: the whole clip (200) without a usable single range;
    exactly the bytes asked (206, Content-Range, Content-Length) for one; 416 with
    `bytes */size` for one past the end (or for several ranges); never multipart."""
    content_type = response.headers.get(hdrs.CONTENT_TYPE, "")
    size = len(clip)
    wanted = False if byte_range is None else expected_range(byte_range, size)
    if wanted is None or (wanted is False and response.status == 416):
        assert response.status == HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE, (
            byte_range,
            response.status,
        )
        assert byte_range is not None
        assert "," in byte_range or wanted is None, byte_range
        assert response.headers.get(hdrs.CONTENT_RANGE, f"bytes */{size}") == f"bytes */{size}"
        assert "multipart" not in content_type
        return
    assert content_type.startswith("video/mp4"), (byte_range, response.status, content_type)
    if wanted is False:
        assert response.status == HTTPStatus.OK, (byte_range, response.status)
        assert body == clip
        assert hdrs.CONTENT_RANGE not in response.headers
        assert response.headers.get(hdrs.CONTENT_LENGTH, str(size)) == str(size)
        return
    first, last = wanted
    assert response.status == HTTPStatus.PARTIAL_CONTENT, (byte_range, response.status)
    assert response.headers[hdrs.CONTENT_RANGE] == f"bytes {first}-{last}/{size}"
    assert response.headers[hdrs.CONTENT_LENGTH] == str(last - first + 1)
    assert body == clip[first : last + 1]


def frigate_got_one_range_at_most(server: LeakyFrigate) -> None:
    """No request to Frigate carried several ranges."""
    sent = [value for _path, value in server.ranges if value is not None]
    assert all("," not in value and ";" not in value for value in sent), sent


async def test_frigate_authentication_never_comes_back(
    hass: HomeAssistant,
    leaky: LeakyFrigate,
    leaky_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """Set-Cookie, Authorization, WWW-Authenticate and the like stay between us and Frigate,
    on success, on a range, past the end of the clip and on failures."""
    event_id = leaky.create_event("front_door", "person", in_progress=False)
    clip = fake_mp4(event_id)
    client = await hass_client()
    size = len(clip)
    requests: list[tuple[str, str | None, set[int]]] = [
        (_path(event_id, "snapshot.jpg"), None, {200}),
        (_path(event_id, "thumbnail.jpg"), None, {200}),
        (_path(event_id, "clip.mp4"), None, {200}),
        (_path(event_id, "clip.mp4"), "bytes=0-99", {206}),
        (_path(event_id, "clip.mp4"), f"bytes={size}-", {416}),
        (_path("1700000000.123456-gone00", "snapshot.jpg"), None, {404}),
        (_path("1700000000.123456-gone00", "clip.mp4"), None, {404}),
    ]
    for path, byte_range, statuses in requests:
        headers = {} if byte_range is None else {hdrs.RANGE: byte_range}
        response = await client.get(path, headers=headers)
        body = await response.read()
        assert response.status in statuses, (path, byte_range, response.status)
        assert_nothing_of_frigates(response)
        if path.endswith("clip.mp4") and response.status != HTTPStatus.NOT_FOUND:
            check_clip_answer(response, body, clip, byte_range)
    # Frigate did send them: the checks above are not vacuous.
    assert len(leaky.ranges) >= len(requests)


MULTI_RANGES = (
    "bytes=0-1,4-5",
    "bytes=0-1, 4-5",
    "bytes=0-0,-1",
    "bytes=-5,0-5",
    "bytes=0-1,0-1",
    "bytes=0-,0-",
    "bytes=0-1,99999999-",
    "bytes=0-1,2-3,4-5,6-7,8-9,10-11,12-13,14-15,16-17,18-19",
    "bytes=0-1;bytes=4-5",
    "bytes=0-1\tbytes=4-5",
)


async def test_at_most_one_byte_range(
    hass: HomeAssistant,
    leaky: LeakyFrigate,
    leaky_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """Several ranges: the whole clip with 200 (or a 416), never multipart/byteranges, and
    Frigate is never asked for several ranges. Images never answer a range."""
    event_id = leaky.create_event("front_door", "person", in_progress=False)
    clip = fake_mp4(event_id)
    client = await hass_client()
    for byte_range in MULTI_RANGES:
        leaky.ranges.clear()
        response = await client.get(_path(event_id, "clip.mp4"), headers={hdrs.RANGE: byte_range})
        body = await response.read()
        assert response.status in {HTTPStatus.OK, HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE}
        check_clip_answer(response, body, clip, byte_range)
        assert b"\r\n--" not in body[:200]
        frigate_got_one_range_at_most(leaky)
        response = await client.get(
            _path(event_id, "snapshot.jpg"), headers={hdrs.RANGE: byte_range}
        )
        assert response.status == HTTPStatus.OK
        assert hdrs.CONTENT_RANGE not in response.headers
        assert await response.read() == leaky.events[event_id].snapshot


async def test_single_ranges(
    hass: HomeAssistant,
    leaky: LeakyFrigate,
    leaky_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """One range, whatever Frigate does with ranges (0.14 serves them, 0.15+ ignores them): a
    206 with exactly those bytes, Content-Range and Content-Length; past the end a 416 with
    `bytes */size`; a reversed or empty range is ignored (200, the whole clip)."""
    event_id = leaky.create_event("front_door", "person", in_progress=False)
    clip = fake_mp4(event_id)
    size = len(clip)
    client = await hass_client()
    ranges = [
        "bytes=0-0",
        "bytes=0-1",
        "bytes=10-19",
        f"bytes={size - 1}-",
        f"bytes=5-{size + 1000}",
        "bytes=-1",
        f"bytes=-{size + 10}",
        f"bytes={size}-",
        f"bytes={size}-{size + 5}",
        "bytes=99999999-",
        "bytes=-0",
        "bytes=5-1",
        "bytes=-",
    ]
    for byte_range in ranges:
        response = await client.get(_path(event_id, "clip.mp4"), headers={hdrs.RANGE: byte_range})
        check_clip_answer(response, await response.read(), clip, byte_range)
        assert_nothing_of_frigates(response)
    frigate_got_one_range_at_most(leaky)


async def test_legacy_clip_files_serve_single_ranges(
    hass: HomeAssistant, socket_enabled: None, hass_client: ClientSessionGenerator
) -> None:
    """Clips kept as files (`/clips/<camera>-<id>.mp4`, served by nginx): the same rules."""
    server = LeakyFrigate(version="0.17", legacy_clips=True, seed=4)
    await server.start()
    try:
        await setup_frigate(hass, make_frigate_entry(server))
        event_id = server.create_event("backyard", "car", in_progress=False)
        clip = fake_mp4(event_id)
        client = await hass_client()
        for byte_range in ("bytes=4-7", "bytes=-3", f"bytes={len(clip)}-", *MULTI_RANGES[:3]):
            response = await client.get(
                _path(event_id, "clip.mp4"), headers={hdrs.RANGE: byte_range}
            )
            check_clip_answer(response, await response.read(), clip, byte_range)
            assert_nothing_of_frigates(response)
        assert any(path.startswith("/clips/") for path, _ in server.ranges)
        frigate_got_one_range_at_most(server)
    finally:
        await server.stop()
