"""Hostile answers: endless or oversized bodies, deeply nested JSON, streams read piecemeal.

A real aiohttp server on 127.0.0.1 plays the hostile Frigate. The endless body stops by
itself at `SERVER_CAP` (far above every cap of the client), so the count of bytes it got to
send shows how early the client stopped reading.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web

from custom_components.flir_frigate.api.frigate.client import FrigateClient
from custom_components.flir_frigate.api.frigate.exceptions import (
    FrigateResponseTooLargeError,
    FrigateUnexpectedDeviceError,
)
from custom_components.flir_frigate.api.frigate.transport import (
    IMAGE_LIMIT,
    LARGE_JSON_LIMIT,
    LOGIN_LIMIT,
    SMALL_JSON_LIMIT,
)

from .conftest import PASSWORD, ClientFactory

MIB = 1 << 20
SERVER_CAP = 64 * MIB
# What may be in flight when the client stops: the kernel's loopback socket buffers (about
# 4 MiB measured here) and aiohttp's own 128 KiB, with room to spare.
SLACK = 16 * MIB
EVENT_ID = "1718000000.1-abc"

type Call = Callable[[FrigateClient], Awaitable[Any]]

JSON_CALLS: dict[str, tuple[str, Call, int]] = {
    "stats": ("/api/stats", lambda c: c.stats(), SMALL_JSON_LIMIT),
    "profile": ("/api/profile", lambda c: c.profile(), SMALL_JSON_LIMIT),
    "event": (f"/api/events/{EVENT_ID}", lambda c: c.event(EVENT_ID), SMALL_JSON_LIMIT),
    "config": ("/api/config", lambda c: c.config(), LARGE_JSON_LIMIT),
    "events": ("/api/events", lambda c: c.events(), LARGE_JSON_LIMIT),
    "summary": ("/api/events/summary", lambda c: c.events_summary(), LARGE_JSON_LIMIT),
}
IMAGE_CALLS: dict[str, tuple[str, Call, int]] = {
    "latest": ("/api/yard/latest.jpg", lambda c: c.latest_jpg("yard"), IMAGE_LIMIT),
    "best": ("/api/yard/person/best.jpg", lambda c: c.best_jpg("yard", "person"), IMAGE_LIMIT),
    "thumbnail": (
        f"/api/events/{EVENT_ID}/thumbnail.jpg",
        lambda c: c.event_thumbnail(EVENT_ID),
        IMAGE_LIMIT,
    ),
    "snapshot": (
        f"/api/events/{EVENT_ID}/snapshot.jpg",
        lambda c: c.event_snapshot(EVENT_ID),
        IMAGE_LIMIT,
    ),
}


class HostileServer:
    """Answers `target` with `mode`; `/api/version` normally; anything else 401."""

    def __init__(self) -> None:
        self.target = ""
        self.mode = "endless"  # endless | declared (huge Content-Length, no body) | body
        self.content_type = "application/json"
        self.body = b""
        self.sent = 0
        self.finished = asyncio.Event()
        self.release = asyncio.Event()
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"

    async def stop(self) -> None:
        self.release.set()
        assert self._runner is not None
        await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.path != self.target:
            if request.path == "/api/version":
                return web.Response(text="0.17.2-3d4dd3a")
            return web.Response(status=401)
        if self.mode == "body":
            return web.Response(body=self.body, content_type=self.content_type)
        response = web.StreamResponse(headers={"Content-Type": self.content_type})
        if self.mode == "declared":
            response.content_length = 1 << 30
        await response.prepare(request)
        try:
            if self.mode == "declared":
                async with asyncio.timeout(10):
                    await self.release.wait()
            else:
                await self._write_endlessly(response)
        except ConnectionError, TimeoutError:
            pass
        finally:
            self.finished.set()
        return response

    async def _write_endlessly(self, response: web.StreamResponse) -> None:
        first = b"\xff\xd8" if self.content_type.startswith("image/") else b"["
        chunk = first + b"0," * (32 * 1024 - 1)
        while self.sent < SERVER_CAP:
            await response.write(chunk)
            self.sent += len(chunk)


@pytest.fixture
async def hostile() -> AsyncIterator[HostileServer]:
    server = HostileServer()
    await server.start()
    yield server
    await server.stop()


@pytest.mark.parametrize("name", [*JSON_CALLS, *IMAGE_CALLS])
async def test_endless_body_is_cut_off(
    hostile: HostileServer, make_client: ClientFactory, name: str
) -> None:
    path, call, limit = {**JSON_CALLS, **IMAGE_CALLS}[name]
    hostile.target = path
    hostile.content_type = "image/jpeg" if name in IMAGE_CALLS else "application/json"
    with pytest.raises(FrigateResponseTooLargeError, match="the answer is too large") as err:
        await call(make_client(hostile.url))
    assert err.value.limit == limit
    assert f"limit {limit // MIB} MiB" in str(err.value)
    async with asyncio.timeout(5):
        await hostile.finished.wait()
    assert hostile.sent < limit + SLACK < SERVER_CAP


async def test_endless_version_is_not_a_version(
    hostile: HostileServer, make_client: ClientFactory
) -> None:
    hostile.target = "/api/version"
    hostile.content_type = "text/plain"
    with pytest.raises(FrigateUnexpectedDeviceError, match="not a Frigate version"):
        await make_client(hostile.url).probe()
    async with asyncio.timeout(5):
        await hostile.finished.wait()
    assert hostile.sent < SLACK


async def test_endless_login_answer_is_cut_off(
    hostile: HostileServer, make_client: ClientFactory
) -> None:
    hostile.target = "/api/login"
    client = make_client(hostile.url, username="admin", password=PASSWORD)
    with pytest.raises(FrigateResponseTooLargeError, match=r"too large \(limit 64 KiB\)") as err:
        await client.stats()  # 401, then the login answers forever
    assert err.value.limit == LOGIN_LIMIT
    async with asyncio.timeout(5):
        await hostile.finished.wait()
    assert hostile.sent < LOGIN_LIMIT + SLACK


@pytest.mark.parametrize("name", ["stats", "config", "events", "latest"])
async def test_declared_length_over_cap_is_refused_unread(
    hostile: HostileServer, make_client: ClientFactory, name: str
) -> None:
    """1 GiB announced and nothing sent: a client that started reading would time out."""
    path, call, limit = {**JSON_CALLS, **IMAGE_CALLS}[name]
    hostile.target = path
    hostile.mode = "declared"
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(FrigateResponseTooLargeError, match="the answer is too large") as err:
        await call(make_client(hostile.url, request_timeout=3.0))
    assert err.value.limit == limit
    assert loop.time() - started < 2.0


NESTED = 100_000


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(b"[" * NESTED + b"]" * NESTED, "nested too deeply", id="nested-list"),
        pytest.param(
            b'{"a":' * NESTED + b"1" + b"}" * NESTED, "nested too deeply", id="nested-object"
        ),
        pytest.param(b"[" * NESTED, "nested too deeply", id="nested-unterminated"),
        pytest.param(b'{"cameras": ', "malformed JSON", id="truncated"),
        pytest.param(b"\xff\xfe\x00{", "malformed JSON", id="not-utf8"),
    ],
)
@pytest.mark.parametrize("name", [*JSON_CALLS, "probe"])
async def test_hostile_json_is_a_frigate_error(
    hostile: HostileServer, make_client: ClientFactory, name: str, body: bytes, message: str
) -> None:
    if name == "probe":
        path, call = "/api/profile", FrigateClient.probe
    else:
        path, call, _ = JSON_CALLS[name]
    hostile.target = path
    hostile.mode = "body"
    hostile.body = body
    with pytest.raises(FrigateUnexpectedDeviceError, match=message):
        await call(make_client(hostile.url))


async def test_huge_integers_are_unknown_values(
    hostile: HostileServer, make_client: ClientFactory
) -> None:
    hostile.target = "/api/stats"
    hostile.mode = "body"
    huge = "9" * 400  # valid JSON; float() of it overflows
    hostile.body = f'{{"service": {{"uptime": {huge}}}, "yard": {{"camera_fps": {huge}}}}}'.encode()
    stats = await make_client(hostile.url).stats()
    assert stats.cameras["yard"].camera_fps is None
    assert stats.service.uptime is None


@pytest.mark.parametrize("kind", ["clip", "mjpeg"])
async def test_streams_are_not_buffered(
    hostile: HostileServer, make_client: ClientFactory, kind: str
) -> None:
    """Clips and MJPEG are handed over unread: only what the caller reads is pulled."""
    client = make_client(hostile.url)
    if kind == "clip":
        hostile.target = f"/api/events/{EVENT_ID}/clip.mp4"
        hostile.content_type = "video/mp4"
        stream = client.event_clip(EVENT_ID)
    else:
        hostile.target = "/api/yard"
        hostile.content_type = "multipart/x-mixed-replace;boundary=frame"
        stream = client.mjpeg_stream("yard")
    async with stream as response:
        assert len(await response.content.readexactly(MIB)) == MIB
    async with asyncio.timeout(5):
        await hostile.finished.wait()
    assert hostile.sent < MIB + SLACK
