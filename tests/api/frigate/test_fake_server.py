"""The fake Frigate itself: behaviour the client does not exercise, and the standalone CLI."""

import asyncio
import sys
from pathlib import Path

import aiohttp
import pytest

from tests.fakes.frigate_server import FakeFrigateServer, jwt_decode, jwt_encode

from .conftest import PASSWORD, ServerFactory

REPO = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("version", "content_type"), [("0.14", "text/html"), ("0.15", "text/plain")]
)
async def test_version_content_type(
    server_factory: ServerFactory, session: aiohttp.ClientSession, version: str, content_type: str
) -> None:
    server = await server_factory(version)
    async with session.get(f"{server.url}/api/version") as response:
        assert response.content_type == content_type
        assert await response.text() == server.version_string


async def test_login_port_semantics(
    server_factory: ServerFactory, session: aiohttp.ClientSession
) -> None:
    server = await server_factory("0.17", auth="login", cookie_name="custom_cookie")
    async with session.get(f"{server.url}/api/stats") as response:
        assert response.status == 401
        assert response.content_type == "text/html"
    async with session.post(
        f"{server.url}/api/login", json={"user": "admin", "password": "x"}
    ) as r:
        assert r.status == 401
        assert await r.json() == {"message": "Login failed"}
    login = {"user": "admin", "password": PASSWORD}
    async with session.post(f"{server.url}/api/login", json=login) as response:
        assert response.status == 200
        assert await response.read() == b""
        cookie = response.cookies["custom_cookie"]
        assert cookie["httponly"]
        assert cookie["path"] == "/"
    async with aiohttp.ClientSession() as fresh:  # a cookie alone also works
        headers = {"Cookie": f"custom_cookie={cookie.value}"}
        async with fresh.get(f"{server.url}/api/profile", headers=headers) as response:
            assert await response.json() == {
                "username": "admin",
                "role": "admin",
                "allowed_cameras": None,
            }


async def test_no_login_before_014(
    server_factory: ServerFactory, session: aiohttp.ClientSession
) -> None:
    server = await server_factory("0.13")
    async with session.post(f"{server.url}/api/login", json={}) as response:
        assert response.status == 405
    async with session.get(f"{server.url}/api/profile") as response:
        assert response.status == 404
    with pytest.raises(ValueError, match=r"0\.14"):
        FakeFrigateServer(version="0.13", auth="login")


def test_jwt_roundtrip() -> None:
    token = jwt_encode({"sub": "a", "exp": 4102444800}, b"k")
    assert jwt_decode(token, b"k") == {"sub": "a", "exp": 4102444800}
    assert jwt_decode(token, b"other") is None
    assert jwt_decode(jwt_encode({"sub": "a", "exp": 1}, b"k"), b"k") is None
    assert jwt_decode("garbage", b"k") is None


async def test_stats_cache(server_factory: ServerFactory, session: aiohttp.ClientSession) -> None:
    server = await server_factory("0.14", stats_cache=15.0)
    async with session.get(f"{server.url}/api/stats") as response:
        first = await response.json()
    server.set_camera_offline("front_door")
    async with session.get(f"{server.url}/api/stats") as response:
        assert await response.json() == first  # refreshed every 15 s, like Frigate 0.14+


async def test_invalid_query_per_framework(
    server_factory: ServerFactory, session: aiohttp.ClientSession
) -> None:
    flask = await server_factory("0.14")
    fastapi = await server_factory("0.15")
    async with session.get(f"{flask.url}/api/events", params={"after": "x"}) as response:
        assert response.status == 200  # Flask's type=float ignores it
    async with session.get(f"{fastapi.url}/api/events", params={"after": "x"}) as response:
        assert response.status == 422


async def test_event_rows_per_version(
    server_factory: ServerFactory, session: aiohttp.ClientSession
) -> None:
    rows = {}
    for version in ("0.12", "0.13", "0.16"):
        server = await server_factory(version)
        server.create_event("front_door", "person")
        async with session.get(f"{server.url}/api/events") as response:
            (rows[version],) = await response.json()
    assert isinstance(rows["0.12"]["top_score"], float)
    assert "data" not in rows["0.12"]
    assert isinstance(rows["0.12"]["thumbnail"], str)  # include_thumbnails defaults to 1
    assert rows["0.13"]["top_score"] is None
    assert rows["0.13"]["data"]["type"] == "object"
    assert rows["0.16"]["thumbnail"] is None


async def test_auto_events(server_factory: ServerFactory) -> None:
    server = await server_factory("0.17", auto_events=True, auto_event_interval=0.05)
    for _ in range(100):
        if server.events:
            break
        await asyncio.sleep(0.02)
    assert server.events
    assert all(event.camera in server.cameras for event in server.events.values())


async def test_standalone_cli(session: aiohttp.ClientSession) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.fakes.frigate_server",
        "--port",
        "0",
        "--version",
        "0.16",
        "--auth",
        "login",
        "--username",
        "viewer",
        "--password",
        "pw-123",
        "--no-auto-events",
        cwd=REPO,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        async with asyncio.timeout(20):
            banner = (await process.stdout.readline()).decode()
            credentials = (await process.stdout.readline()).decode()
        assert "0.16.2-" in banner
        assert "'viewer'" in credentials
        assert "'pw-123'" in credentials
        url = banner.rsplit(" ", 1)[-1].strip()
        assert url.startswith("http://127.0.0.1:")
        async with session.get(f"{url}/api/version") as response:
            assert (await response.text()).startswith("0.16.2-")
        async with session.get(f"{url}/api/config") as response:
            assert response.status == 401
    finally:
        process.terminate()
        await process.wait()
