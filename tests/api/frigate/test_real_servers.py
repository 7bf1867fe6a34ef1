"""What real Frigate 0.17.2 and 0.18 servers showed (issue 9), pinned per version on the fake.

Each behaviour was read in Frigate's source at the release tags and seen on a real server
(../shared/reference/frigate-api.md §6, §7): nginx's 5 s JSON cache, manual events stored with
their end time, the 0.18 connection rating, nginx's 500/502 while the API is down, and the
friendly names of 0.17+. The client's side of each comes with it.
"""

from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from freezegun.api import FrozenDateTimeFactory

from custom_components.flir_frigate.api.frigate.exceptions import (
    FrigateApiDownError,
    FrigateConnectionError,
)
from custom_components.flir_frigate.api.frigate.transport import check_status
from tests.fakes.frigate_server import SUPPORTED_VERSIONS, FakeFrigateServer

from .conftest import PASSWORD, ClientFactory, ServerFactory

CACHING = tuple(v for v in SUPPORTED_VERSIONS if v != "0.12")
BYPASS = {"X-Cache-Bypass": "1"}


async def _get(
    session: aiohttp.ClientSession, url: str, headers: dict[str, str] | None = None
) -> tuple[int, str | None, Any]:
    """Status, `X-Cache-Status` and body (JSON where it is JSON) of a GET."""
    async with session.get(url, headers=headers) as response:
        body = await response.json() if response.content_type == "application/json" else None
        if body is None:
            await response.read()
        return response.status, response.headers.get("X-Cache-Status"), body


# --------------------------------------------------------------------------- nginx's cache


@pytest.mark.parametrize("version", CACHING)
async def test_nginx_caches_json_five_seconds(
    server_factory: ServerFactory,
    session: aiohttp.ClientSession,
    freezer: FrozenDateTimeFactory,
    version: str,
) -> None:
    """0.13+: a JSON answer is served again for 5 s per URL; `X-Cache-Bypass: 1` skips it."""
    server = await server_factory(version)
    url = f"{server.url}/api/events?in_progress=1"
    assert await _get(session, url) == (200, "MISS", [])
    event_id = server.create_event("front_door", "person")
    assert await _get(session, url) == (200, "HIT", [])  # the person is not there yet
    status, cache, rows = await _get(session, url, BYPASS)
    assert (status, cache, [row["id"] for row in rows]) == (200, "BYPASS", [event_id])
    # A bypass stores the fresh answer for the others.
    assert [row["id"] for row in (await _get(session, url))[2]] == [event_id]

    server.end_event(event_id)
    freezer.tick(timedelta(seconds=4.9))
    assert (await _get(session, url))[1:] == ("HIT", [{**rows[0], "end_time": None}])
    freezer.tick(timedelta(seconds=0.2))
    assert await _get(session, url) == (200, "EXPIRED", [])
    # Another URL is another entry; so is another query string.
    assert (await _get(session, f"{url}&limit=5"))[1] == "MISS"


@pytest.mark.parametrize("version", CACHING)
async def test_nginx_caches_only_json(
    server_factory: ServerFactory, session: aiohttp.ClientSession, version: str
) -> None:
    """Text answers are looked up but never stored; images have their own location."""
    server = await server_factory(version)
    for _ in range(2):
        assert (await _get(session, f"{server.url}/api/version"))[:2] == (200, "MISS")
        status, cache, _ = await _get(session, f"{server.url}/api/front_door/latest.jpg")
        assert (status, cache) == (200, None)
    # Only answers of 200 are kept.
    for _ in range(2):
        assert (await _get(session, f"{server.url}/api/events/nope"))[:2] == (404, None)


async def test_no_cache_before_013(
    server_factory: ServerFactory, session: aiohttp.ClientSession
) -> None:
    """0.12's nginx has no cache: every answer is the API's, without the header."""
    server = await server_factory("0.12")
    url = f"{server.url}/api/events"
    assert await _get(session, url) == (200, None, [])
    event_id = server.create_event("front_door", "person")
    assert [row["id"] for row in (await _get(session, url))[2]] == [event_id]
    assert server.cache_log == []


@pytest.mark.parametrize(("version", "shared"), [("0.16", True), ("0.17", False), ("0.18", False)])
async def test_nginx_cache_key(
    server_factory: ServerFactory, session: aiohttp.ClientSession, version: str, shared: bool
) -> None:
    """Up to 0.16 the key is the URL; 0.17.2 and 0.18 add the user's role and name."""
    server = await server_factory(version, auth="login", role="admin")
    admin = server.issue_token()
    server.role = "viewer"
    viewer = server.issue_token()
    url = f"{server.url}/api/stats"
    assert (await _get(session, url, {"Authorization": f"Bearer {admin}"}))[1] == "MISS"
    cache = (await _get(session, url, {"Authorization": f"Bearer {viewer}"}))[1]
    assert cache == ("HIT" if shared else "MISS")


@pytest.mark.parametrize("version", CACHING)
async def test_client_bypasses_the_cache(
    server_factory: ServerFactory,
    make_client: ClientFactory,
    freezer: FrozenDateTimeFactory,
    version: str,
) -> None:
    """Every GET of the client asks nginx for a fresh answer: no event is seconds late."""
    server = await server_factory(version)
    client = make_client(server)
    assert await client.events(in_progress=True) == []
    person = server.create_event("front_door", "person")
    freezer.tick(timedelta(seconds=1))
    assert [event.id for event in await client.events(in_progress=True)] == [person]
    await client.stats()
    await client.config()
    assert {status for _, status in server.cache_log} == {"BYPASS"}


# --------------------------------------------------------------------------- manual events


@pytest.mark.parametrize("version", CACHING)
async def test_manual_event_with_duration_is_stored_with_its_end(
    server_factory: ServerFactory,
    session: aiohttp.ClientSession,
    make_client: ClientFactory,
    version: str,
) -> None:
    """`create` with a duration stores end = now + duration at once: never `in_progress`."""
    server = await server_factory(version)
    client = make_client(server)
    url = f"{server.url}/api/events/front_door/person/create"
    async with session.post(url, json={"duration": 10, "sub_label": "Bob"}) as response:
        assert response.status == 200
        answer = await response.json()
    assert answer["success"] is True
    assert answer["message"] == "Successfully created event."
    event = await client.event(answer["event_id"])
    assert event.start_time is not None
    assert event.end_time == pytest.approx(event.start_time + 5 + 10, abs=0.01)
    assert event.event_type == "api"
    assert event.sub_label == "Bob"
    assert await client.events(in_progress=True) == []
    assert [e.id for e in await client.events()] == [event.id]

    async with session.post(url, json={"duration": None}) as response:
        open_ended = (await response.json())["event_id"]
    assert [e.id for e in await client.events(in_progress=True)] == [open_ended]
    async with session.put(f"{server.url}/api/events/{open_ended}/end") as response:
        assert response.status == 200
    assert await client.events(in_progress=True) == []


async def test_manual_events_from_013(
    server_factory: ServerFactory, session: aiohttp.ClientSession
) -> None:
    """0.12 has no `create`; an unknown camera is a 404 with Frigate's message."""
    old = await server_factory("0.12")
    async with session.post(f"{old.url}/api/events/front_door/person/create") as response:
        assert response.status == 404
    server = await server_factory("0.17")
    async with session.post(f"{server.url}/api/events/garage/person/create") as response:
        assert response.status == 404
        assert await response.json() == {
            "success": False,
            "message": "garage is not a valid camera.",
        }
    async with session.post(f"{server.url}/api/events/front_door/person/create") as response:
        event_id = (await response.json())["event_id"]
    end = server.events[event_id].end_time
    assert end == pytest.approx(server.events[event_id].start_time + 35, abs=0.01)  # 30 s


# --------------------------------------------------------------------------- 0.18 rating


@pytest.mark.parametrize(
    ("reconnects", "stalls", "quality"),
    [
        (0, 0, "excellent"),
        (0, 5, "fair"),
        (2, 0, "fair"),
        (3, 0, "poor"),
        (10, 0, "poor"),
        (11, 0, "unusable"),
        (13, 0, "unusable"),  # seen on a real 0.18 at 5.0 fps
        (3, 101, "unusable"),
    ],
)
async def test_connection_rating(
    server_factory: ServerFactory,
    make_client: ClientFactory,
    reconnects: int,
    stalls: int,
    quality: str,
) -> None:
    """0.18 rates the link from reconnects and stalls: `unusable` at full frame rate."""
    server = await server_factory("0.18")
    server.set_connection_health("front_door", reconnects=reconnects, stalls=stalls)
    camera = (await make_client(server).stats()).cameras["front_door"]
    assert camera.camera_fps == 5.0
    assert camera.connection_quality == quality
    assert (camera.reconnects_last_hour, camera.stalls_last_hour) == (reconnects, stalls)
    assert camera.expected_fps == 5.0


async def test_offline_camera_rated_unusable(
    server_factory: ServerFactory, make_client: ClientFactory
) -> None:
    """Without frames the rating is `unusable` whatever the reconnects."""
    server = await server_factory("0.18")
    server.set_camera_offline("backyard")
    camera = (await make_client(server).stats()).cameras["backyard"]
    assert (camera.camera_fps, camera.connection_quality) == (0.0, "unusable")


# --------------------------------------------------------------------------- API down


@pytest.mark.parametrize(
    ("version", "auth", "status"),
    [("0.13", "none", 502), ("0.14", "none", 500), ("0.17", "login", 500), ("0.18", "none", 500)],
)
async def test_nginx_pages_while_the_api_is_down(
    server_factory: ServerFactory,
    session: aiohttp.ClientSession,
    version: str,
    auth: str,
    status: int,
) -> None:
    """nginx answers its own HTML page: 500 where it asks `/auth` first (0.14+), else 502."""
    server = await server_factory(version, auth=auth)
    server.set_api_down()
    for path in ("/api/stats", "/api/version", "/api/front_door/latest.jpg"):
        async with session.get(f"{server.url}{path}") as response:
            assert response.status == status, path
            assert response.content_type == "text/html"
            assert "<center>nginx</center>" in await response.text()
            assert "X-Cache-Status" not in response.headers
    if server.minor >= 14:  # login has no auth subrequest: the proxy itself fails
        async with session.post(f"{server.url}/api/login", json={}) as response:
            assert response.status == 502
    server.set_api_down(False)
    async with session.get(f"{server.url}/api/version") as response:
        assert response.status == 200


async def test_cached_answer_while_the_api_is_down(
    server_factory: ServerFactory, session: aiohttp.ClientSession
) -> None:
    """0.13 has no auth subrequest: a fresh cache entry is still served, a bypass is not."""
    server = await server_factory("0.13")
    assert (await _get(session, f"{server.url}/api/stats"))[:2] == (200, "MISS")
    server.set_api_down()
    assert (await _get(session, f"{server.url}/api/stats"))[:2] == (200, "HIT")
    assert (await _get(session, f"{server.url}/api/stats", BYPASS))[:2] == (502, None)


@pytest.mark.parametrize(("version", "status"), [("0.13", 502), ("0.17", 500), ("0.18", 500)])
async def test_client_says_the_api_is_down(
    server_factory: ServerFactory, make_client: ClientFactory, version: str, status: int
) -> None:
    """The client tells nginx's pages from Frigate's own errors."""
    server = await server_factory(version)
    client = make_client(server)
    server.set_api_down()
    for call in (client.stats, client.version, client.config):
        with pytest.raises(FrigateApiDownError) as raised:
            await call()
        assert raised.value.status == status
        assert str(raised.value) == (
            f"Frigate's API is not answering (HTTP {status} from its web server)"
        )
    server.set_api_down(False)
    assert (await client.stats()).cameras


async def test_login_while_the_api_is_down(
    server_factory: ServerFactory, make_client: ClientFactory
) -> None:
    """On port 8971 the login itself meets nginx's 502: the API is down, not the password."""
    server = await server_factory("0.18", auth="login")
    client = make_client(server, username="admin", password=PASSWORD)
    server.set_api_down()
    with pytest.raises(FrigateApiDownError):
        await client.stats()
    server.set_api_down(False)
    assert (await client.stats()).cameras


@pytest.mark.parametrize(
    ("status", "content_type", "down"),
    [
        (500, "text/html", True),
        (502, "text/html", True),
        (503, "text/plain", True),
        (504, "", True),
        (500, "application/json", False),  # FastAPI's own error
        (500, "text/plain; charset=utf-8", False),  # Starlette's "Internal Server Error"
    ],
)
def test_which_5xx_means_api_down(status: int, content_type: str, down: bool) -> None:
    """Gateway errors and nginx's HTML 500 are the API being down; Frigate's 500s are not."""
    with pytest.raises(FrigateConnectionError) as raised:
        check_status(status, {"Content-Type": content_type}, resource=False, credentials=False)
    assert isinstance(raised.value, FrigateApiDownError) is down
    if not down:
        assert str(raised.value) == f"Frigate answered HTTP {status}"


# --------------------------------------------------------------------------- friendly names


async def test_friendly_names(server_factory: ServerFactory, make_client: ClientFactory) -> None:
    """0.17+ cameras and zones carry `friendly_name` where set; the key is absent otherwise."""
    server = await server_factory("0.17")
    server.set_friendly_names("front_door", "Porch Cam", {"porch": "Front porch"})
    client = make_client(server)
    config = await client.config()
    front = config.cameras["front_door"]
    assert front.friendly_name == "Porch Cam"
    assert front.zone_names == {"porch": "Front porch"}
    assert front.zones == ("porch", "driveway")
    backyard = config.cameras["backyard"]
    assert (backyard.friendly_name, backyard.zone_names) == (None, {})


async def test_friendly_names_in_the_payload(
    server_factory: ServerFactory, session: aiohttp.ClientSession
) -> None:
    """`/api/config` leaves unset names out (None is excluded), as Frigate does."""
    server = await server_factory("0.18")
    server.set_friendly_names("front_door", "Porch Cam", {"driveway": "Drive"})
    _, _, config = await _get(session, f"{server.url}/api/config", BYPASS)
    front = config["cameras"]["front_door"]
    assert front["friendly_name"] == "Porch Cam"
    assert front["zones"]["driveway"]["friendly_name"] == "Drive"
    assert "friendly_name" not in front["zones"]["porch"]
    assert "friendly_name" not in config["cameras"]["backyard"]


def test_no_friendly_names_before_017() -> None:
    """Frigate refuses the key before 0.17; the fake will not pretend otherwise."""
    with pytest.raises(ValueError, match=r"0\.17"):
        FakeFrigateServer(version="0.16").set_friendly_names("front_door", "Porch Cam")
