"""Fault switches of the fake, servers that are not Frigate, old Frigate, and TLS."""

import base64
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from multidict import CIMultiDict

from custom_components.flir_frigate.api.frigate.client import FrigateClient
from custom_components.flir_frigate.api.frigate.exceptions import (
    FrigateAuthenticationError,
    FrigateConnectionError,
    FrigateError,
    FrigateUnexpectedDeviceError,
    FrigateUnsupportedVersionError,
)
from tests.fakes.frigate_server import FakeFrigateServer
from tests.fakes.tls import self_signed_context

from .conftest import PASSWORD, ClientFactory, RecordingSession, ServerFactory

type Call = Callable[[FrigateClient], Awaitable[Any]]

JSON_CALLS: dict[str, Call] = {
    "stats": lambda c: c.stats(),
    "config": lambda c: c.config(),
    "events": lambda c: c.events(),
    "summary": lambda c: c.events_summary(),
    "profile": lambda c: c.profile(),
}
IMAGE_CALLS: dict[str, Call] = {
    "latest": lambda c: c.latest_jpg("front_door", height=100),
    "best": lambda c: c.best_jpg("front_door", "person"),
}


@pytest.fixture
async def server(server_factory: ServerFactory) -> FakeFrigateServer:
    return await server_factory("0.17")


@pytest.fixture
def client(server: FakeFrigateServer, make_client: ClientFactory) -> FrigateClient:
    return make_client(server, request_timeout=0.5)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_status(client: FrigateClient, server: FakeFrigateServer, status: int) -> None:
    server.faults.status = status
    for call in (*JSON_CALLS.values(), *IMAGE_CALLS.values(), FrigateClient.version):
        with pytest.raises(FrigateConnectionError, match=str(status)):
            await call(client)
    with pytest.raises(FrigateConnectionError):
        async with client.mjpeg_stream("front_door"):
            pass


async def test_status_once_then_recovers(client: FrigateClient, server: FakeFrigateServer) -> None:
    server.faults.status = 502
    server.faults.status_count = 1
    with pytest.raises(FrigateConnectionError):
        await client.stats()
    assert (await client.stats()).cameras


async def test_status_on_login(server_factory: ServerFactory, make_client: ClientFactory) -> None:
    server = await server_factory("0.17", auth="login")
    server.faults.status = 500
    server.faults.paths = ("/api/login",)
    client = make_client(server, username="admin", password=PASSWORD)
    with pytest.raises(FrigateConnectionError):
        await client.stats()
    server.faults.reset()
    assert (await client.stats()).cameras  # no back-off after a server error


async def test_latency(client: FrigateClient, server: FakeFrigateServer) -> None:
    server.faults.latency = 0.1
    assert (await client.stats()).cameras
    server.faults.latency = 1.0
    with pytest.raises(FrigateConnectionError, match="did not answer"):
        await client.stats()


async def test_timeout(client: FrigateClient, server: FakeFrigateServer) -> None:
    server.faults.timeout = True
    with pytest.raises(FrigateConnectionError, match="did not answer"):
        await client.version()
    with pytest.raises(FrigateConnectionError, match="did not answer"):
        await client.latest_jpg("front_door")
    with pytest.raises(FrigateConnectionError, match="in time"):
        async with client.mjpeg_stream("front_door"):
            pass
    server.faults.timeout = False
    assert await client.version()


@pytest.mark.parametrize("name", JSON_CALLS)
async def test_malformed_json(client: FrigateClient, server: FakeFrigateServer, name: str) -> None:
    server.faults.malformed_json = True
    with pytest.raises(FrigateUnexpectedDeviceError, match="malformed JSON"):
        await JSON_CALLS[name](client)


async def test_malformed_event(client: FrigateClient, server: FakeFrigateServer) -> None:
    event_id = server.create_event("front_door", "person")
    server.faults.malformed_json = True
    with pytest.raises(FrigateUnexpectedDeviceError):
        await client.event(event_id)


@pytest.mark.parametrize("name", [*IMAGE_CALLS, "thumbnail", "snapshot"])
async def test_truncated_image(client: FrigateClient, server: FakeFrigateServer, name: str) -> None:
    event_id = server.create_event("front_door", "person")
    calls: dict[str, Call] = {
        **IMAGE_CALLS,
        "thumbnail": lambda c: c.event_thumbnail(event_id),
        "snapshot": lambda c: c.event_snapshot(event_id),
    }
    assert (await calls[name](client)).endswith(b"\xff\xd9")
    server.faults.truncated_image = True
    with pytest.raises(FrigateConnectionError, match="incomplete image"):
        await calls[name](client)


async def test_faults_limited_to_paths(client: FrigateClient, server: FakeFrigateServer) -> None:
    server.faults.status = 503
    server.faults.paths = ("/api/stats",)
    assert await client.config()
    with pytest.raises(FrigateConnectionError):
        await client.stats()


async def test_unreachable(make_client: ClientFactory, unused_tcp_port: int) -> None:
    client = make_client(f"http://127.0.0.1:{unused_tcp_port}")
    with pytest.raises(FrigateConnectionError, match="cannot talk to Frigate"):
        await client.probe()


# ------------------------------------------------------------------------------ not Frigate


async def _other_server(routes: dict[str, web.Response | Callable[[], web.Response]]) -> Any:
    async def handler(request: web.Request) -> web.Response:
        answer = routes.get(request.path, routes.get("*"))
        if answer is None:
            return web.Response(status=404, text="Not Found")
        return answer() if callable(answer) else answer

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner


@pytest.fixture
async def other_server() -> AsyncIterator[Callable[..., Awaitable[str]]]:
    runners: list[web.AppRunner] = []

    async def start(routes: dict[str, Any]) -> str:
        runner = await _other_server(routes)
        runners.append(runner)
        return f"http://127.0.0.1:{runner.addresses[0][1]}"

    yield start
    for runner in runners:
        await runner.cleanup()


@pytest.mark.parametrize(
    "routes",
    [
        pytest.param({}, id="404-everywhere"),
        pytest.param(
            {
                "*": lambda: web.Response(
                    text="<!DOCTYPE html><h1>It works!</h1>", content_type="text/html"
                )
            },
            id="html-everywhere",
        ),
        pytest.param(
            {"/api/version": lambda: web.Response(text="x" * 5000)},
            id="huge-version",
        ),
        pytest.param(
            {
                "/api/version": lambda: web.Response(text="2.4.1"),
                "/api/profile": lambda: web.json_response({"user": "x"}),
                "/api/stats": lambda: web.json_response({"status": "ok"}),
            },
            id="version-lookalike",
        ),
        pytest.param(
            {
                "/api/version": lambda: web.Response(text="1.0.0"),
                "/api/stats": lambda: web.json_response([1, 2]),
            },
            id="stats-not-object",
        ),
        pytest.param(
            {"*": lambda: web.Response(status=302, headers={"Location": "/login"})},
            id="redirect",
        ),
    ],
)
async def test_not_frigate(
    other_server: Callable[..., Awaitable[str]], make_client: ClientFactory, routes: dict[str, Any]
) -> None:
    client = make_client(await other_server(routes))
    with pytest.raises(FrigateUnexpectedDeviceError):
        await client.probe()


async def test_not_frigate_stats(
    other_server: Callable[..., Awaitable[str]], make_client: ClientFactory
) -> None:
    client = make_client(await other_server({"/api/stats": lambda: web.json_response([])}))
    with pytest.raises(FrigateUnexpectedDeviceError):
        await client.stats()
    with pytest.raises(FrigateUnexpectedDeviceError, match="not found"):
        await client.config()


async def test_image_that_is_not_an_image(
    other_server: Callable[..., Awaitable[str]], make_client: ClientFactory
) -> None:
    client = make_client(await other_server({"*": lambda: web.json_response({"ok": True})}))
    with pytest.raises(FrigateUnexpectedDeviceError, match="not an image"):
        await client.latest_jpg("front_door")


async def test_unsupported_version(
    server_factory: ServerFactory, make_client: ClientFactory
) -> None:
    server = await server_factory("0.11")
    client = make_client(server)
    with pytest.raises(FrigateUnsupportedVersionError) as err:
        await client.probe()
    assert err.value.version == "0.11.1-2eada21"
    assert "0.12" in str(err.value)
    assert server.requests["/api/stats"] == 0


# ------------------------------------------------------------------------------ TLS


async def test_tls_self_signed(
    tmp_path: Path, session: aiohttp.ClientSession, socket_enabled: None
) -> None:
    """Like port 8971: TLS with a self-signed certificate and login."""
    server = FakeFrigateServer(version="0.17", auth="login", password=PASSWORD)
    url = await server.start(ssl_context=self_signed_context(tmp_path))
    try:
        assert url.startswith("https://")
        strict = FrigateClient(url, session=session, username="admin", password=PASSWORD)
        with pytest.raises(FrigateConnectionError, match="TLS"):
            await strict.probe()
        relaxed = FrigateClient(
            url, session=session, username="admin", password=PASSWORD, verify_ssl=False
        )
        assert (await relaxed.probe()).auth_mode == "login"
        assert (await relaxed.latest_jpg("front_door")).startswith(b"\xff\xd8")
        async with relaxed.mjpeg_stream("front_door", fps=10) as response:
            assert (await response.content.read(7)) == b"--frame"
        event_id = server.create_event("front_door", "person", in_progress=False)
        async with relaxed.event_clip(event_id) as response:
            assert (await response.read())[4:8] == b"ftyp"
        async with relaxed.event_clip(event_id, byte_range="bytes=4-7") as response:
            assert response.status == 200  # 0.17 streams the clip and ignores the range
            assert (await response.read())[4:8] == b"ftyp"
    finally:
        await server.stop()


@pytest.mark.parametrize("verify_ssl", [False, True])
async def test_ssl_flag_on_every_request(
    server_factory: ServerFactory, session: aiohttp.ClientSession, verify_ssl: bool
) -> None:
    server = await server_factory("0.17", auth="login", legacy_clips=True)
    recorder = RecordingSession(session)
    client = FrigateClient(
        server.url,
        session=recorder,  # type: ignore[arg-type]
        username="admin",
        password=PASSWORD,
        verify_ssl=verify_ssl,
    )
    event_id = server.create_event("front_door", "person")
    assert client.verify_ssl is verify_ssl
    await client.probe()
    await client.config()
    await client.events(camera="front_door")
    await client.event(event_id)
    await client.events_summary()
    await client.latest_jpg("front_door", height=100)
    await client.best_jpg("front_door", "person")
    await client.event_thumbnail(event_id)
    await client.event_snapshot(event_id, crop=True)
    async with client.mjpeg_stream("front_door", fps=10) as response:
        await response.content.read(7)
    async with client.event_clip(event_id) as response:  # falls back to /clips/...
        await response.read()
    server.revoke_tokens()
    await client.stats()  # 401, new login, retry
    assert server.requests["/api/login"] == 2
    assert len(recorder.ssl_values) == sum(server.requests.values()) > 15
    assert set(recorder.ssl_values) == {verify_ssl}


async def test_errors_are_frigate_errors(client: FrigateClient, server: FakeFrigateServer) -> None:
    server.faults.timeout = True
    with pytest.raises(FrigateError):
        await client.events()


# ------------------------------------------------------------------------------ odd answers


def _jwt(claims: str) -> str:
    payload = base64.urlsafe_b64encode(claims.encode()).rstrip(b"=").decode()
    return f"eyJhbGciOiJIUzI1NiJ9.{payload}.c2ln"


async def test_odd_rows_are_skipped(
    other_server: Callable[..., Awaitable[str]], make_client: ClientFactory
) -> None:
    good = {"id": "1718000000.1-abc", "camera": "c", "label": "person"}
    client = make_client(
        await other_server(
            {
                "/api/events": lambda: web.json_response(
                    [good, 3, {"id": "x"}, {**good, "camera": 5}]
                ),
                "/api/events/summary": lambda: web.json_response(
                    [
                        {"camera": "c", "label": "l", "day": "2024-01-01", "count": 2},
                        [],
                        {"camera": "c"},
                    ]
                ),
                "/api/events/1718000000.1-abc": lambda: web.json_response(
                    {"id": "1718000000.1-abc"}
                ),
                "/api/events/1718000000.1-abd": lambda: web.json_response([]),
                "/api/profile": lambda: web.json_response([]),
                "/api/config": lambda: web.json_response({"cameras": []}),
            }
        )
    )
    assert [e.id for e in await client.events()] == [good["id"]]
    assert [r.count for r in await client.events_summary(has_snapshot=True)] == [2]
    with pytest.raises(FrigateUnexpectedDeviceError, match="malformed"):
        await client.event("1718000000.1-abc")
    with pytest.raises(FrigateUnexpectedDeviceError, match="not a JSON object"):
        await client.event("1718000000.1-abd")
    with pytest.raises(FrigateUnexpectedDeviceError, match="not a JSON object"):
        await client.profile()
    with pytest.raises(FrigateUnexpectedDeviceError, match="not a JSON object"):
        await client.config()


async def test_profile_missing_before_014(
    server_factory: ServerFactory, make_client: ClientFactory
) -> None:
    assert await make_client(await server_factory("0.13")).profile() is None


def _needs_login(login: Callable[[], web.Response]) -> dict[str, Any]:
    return {
        "/api/version": lambda: web.Response(text="0.17.2-3d4dd3a"),
        "/api/login": login,
        "*": lambda: web.Response(status=401),
    }


@pytest.mark.parametrize(
    ("login", "error", "match"),
    [
        (lambda: web.Response(status=200), FrigateUnexpectedDeviceError, "no token cookie"),
        (
            lambda: web.Response(status=200, headers={"Set-Cookie": "session=plain; Path=/"}),
            FrigateUnexpectedDeviceError,
            "no token cookie",
        ),
        (lambda: web.Response(status=404), FrigateAuthenticationError, "has no login"),
        (lambda: web.Response(status=418), FrigateUnexpectedDeviceError, "418"),
    ],
)
async def test_odd_login_answers(
    other_server: Callable[..., Awaitable[str]],
    make_client: ClientFactory,
    login: Callable[[], web.Response],
    error: type[Exception],
    match: str,
) -> None:
    client = make_client(await other_server(_needs_login(login)), username="u", password=PASSWORD)
    with pytest.raises(error, match=match):
        await client.stats()


async def test_login_token_without_exp_relies_on_401(
    other_server: Callable[..., Awaitable[str]], session: aiohttp.ClientSession
) -> None:
    token = _jwt('{"sub":"u"}')
    headers = CIMultiDict(
        [
            ("Set-Cookie", 'bad"cookie=x; Path=/'),
            ("Set-Cookie", "session=not-a-jwt; Path=/"),
            ("Set-Cookie", f"other_cookie={token}; HttpOnly"),
        ]
    )
    routes = _needs_login(lambda: web.Response(status=200, headers=headers))
    recorder = RecordingSession(session)
    client = FrigateClient(
        await other_server(routes),
        session=recorder,  # type: ignore[arg-type]
        username="u",
        password=PASSWORD,
    )
    with pytest.raises(FrigateAuthenticationError, match="rejected the token"):
        await client.stats()
    assert recorder.tokens[-1] == token


async def test_forbidden_and_odd_status(
    other_server: Callable[..., Awaitable[str]], make_client: ClientFactory
) -> None:
    client = make_client(
        await other_server(
            {
                "/api/stats": lambda: web.Response(status=403),
                "/api/config": lambda: web.Response(status=418),
                "/api/version": lambda: web.Response(text="0.17.2"),
                "/api/profile": lambda: web.Response(status=500),
            }
        )
    )
    with pytest.raises(FrigateAuthenticationError, match="may not access"):
        await client.stats()
    with pytest.raises(FrigateUnexpectedDeviceError, match="418"):
        await client.config()
    with pytest.raises(FrigateConnectionError, match="500"):
        await client.probe()


async def test_stream_broken_midway(make_client: ClientFactory) -> None:
    async def broken(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "video/mp4"})
        response.content_length = 100_000
        await response.prepare(request)
        await response.write(b"\x00\x00\x00\x18ftyp")
        assert request.transport is not None
        request.transport.close()
        return response

    app = web.Application()
    app.router.add_get("/api/events/{id}/clip.mp4", broken)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        client = make_client(f"http://127.0.0.1:{runner.addresses[0][1]}")
        with pytest.raises(FrigateConnectionError, match="stream broke"):
            async with client.event_clip("1718000000.1-abc") as response:
                await response.read()
    finally:
        await runner.cleanup()
