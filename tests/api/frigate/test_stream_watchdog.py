"""Streamed bodies (MJPEG, clips): a stalled one is cut, a slowly read one is not."""

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from yarl import URL

from custom_components.flir_frigate.api.frigate.exceptions import FrigateConnectionError
from custom_components.flir_frigate.api.frigate.transport import Transport, streaming

IDLE = 0.2
BODY = 4 * 1024 * 1024


async def _stall(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "video/mp4"})
    await response.prepare(request)
    await response.write(b"first chunk")
    await asyncio.sleep(3600)
    return response


async def _big(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "video/mp4"})
    await response.prepare(request)
    for _ in range(BODY // 65536):
        await response.write(b"x" * 65536)
    await response.write_eof()
    return response


@pytest.fixture
async def base() -> AsyncIterator[URL]:
    app = web.Application()
    app.router.add_get("/stall", _stall)
    app.router.add_get("/big", _big)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    yield server.make_url("/")
    await server.close()


async def _read_all(response: aiohttp.ClientResponse, received: list[bytes]) -> None:
    async with streaming(response, idle=IDLE) as streamed:
        async for chunk in streamed.content.iter_any():
            received.append(chunk)  # noqa: PERF401 - what came before the cut counts


async def test_a_stalled_body_is_cut(base: URL) -> None:
    async with aiohttp.ClientSession() as session:
        transport = Transport(session, ssl=True, timeout=IDLE)
        response = await transport.open_stream(base / "stall", params=None, headers={})
        received: list[bytes] = []
        with pytest.raises(FrigateConnectionError, match="ServerTimeoutError"):
            await _read_all(response, received)
        assert received == [b"first chunk"]
        assert response.closed


async def test_a_slow_reader_is_not_cut(base: URL) -> None:
    """The upstream waits for the reader (buffer full): that is not a stall."""
    async with aiohttp.ClientSession() as session:
        transport = Transport(session, ssl=True, timeout=IDLE)
        response = await transport.open_stream(base / "big", params=None, headers={})
        async with streaming(response, idle=IDLE) as streamed:
            size = len(await streamed.content.readexactly(65536))
            await asyncio.sleep(IDLE * 4)
            size += len(await streamed.content.read())
        assert size == BODY
