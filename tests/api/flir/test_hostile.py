"""A hostile or broken device never hurts Home Assistant: bounded reads, redirects, decode bombs.

The client tests run real aiohttp servers on 127.0.0.1; the decoder tests build the malicious
files with the project's encoder and patch Pillow so that decoding at all fails the test.
"""

import asyncio
import socket
import struct
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from io import BytesIO
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest
from aiohttp import web
from PIL import Image, ImageFile, PngImagePlugin

from custom_components.flir_frigate.api.flir import encode, rjpeg_container
from custom_components.flir_frigate.api.flir.encode import encode_rjpeg
from custom_components.flir_frigate.api.flir.exceptions import (
    FlirAuthenticationError,
    FlirConnectionError,
    FlirDecodeError,
    FlirError,
    FlirUnexpectedDeviceError,
)
from custom_components.flir_frigate.api.flir.render import render_thermal
from custom_components.flir_frigate.api.flir.rjpeg import (
    MAX_FFF_RECORDS,
    MAX_JPEG_STEPS,
    MAX_PNG_CHUNKS,
    MAX_RAW_SIDE,
    MAX_TOOLS,
    MeasurementTool,
    decode_rjpeg,
    is_radiometric,
)
from custom_components.flir_frigate.api.flir.thermal import DEFAULT_CAMERA_INFO
from custom_components.flir_frigate.api.flir.transport import (
    MAX_IMAGE_BYTES,
    MAX_JSON_BYTES,
    MAX_REDIRECTS,
)

if TYPE_CHECKING:
    from tests.fakes.flir_camera import FakeFlirCamera

    from .conftest import ClientFactory

# Kernel socket buffers on loopback hold a few MB that the server has "sent" but the client
# never read; anything beyond this slack means the client kept reading past its cap.
SOCKET_SLACK = 8 * 1024 * 1024
BLOCK = b"\xff" * 65536


# ----------------------------------------------------------------- test servers


@dataclass
class Server:
    """A tiny aiohttp server on 127.0.0.1 with per-path counters."""

    url: str = ""
    hits: dict[str, int] = field(default_factory=dict)
    sent: int = 0
    hung_up: asyncio.Event = field(default_factory=asyncio.Event)


SERVER = web.AppKey("server", Server)
type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
type ServerFactory = Callable[[dict[str, Handler]], Awaitable[Server]]


@pytest.fixture
async def serve() -> AsyncIterator[ServerFactory]:
    """Start servers routing GET paths to handlers; all are stopped after the test."""
    runners: list[web.AppRunner] = []

    async def start(routes: dict[str, Handler]) -> Server:
        server = Server()

        @web.middleware
        async def count(request: web.Request, handler: Handler) -> web.StreamResponse:
            server.hits[request.path] = server.hits.get(request.path, 0) + 1
            return await handler(request)

        app = web.Application(middlewares=[count])
        app[SERVER] = server
        for path, handler in routes.items():
            app.router.add_get(path, handler)
        runner = web.AppRunner(app, shutdown_timeout=0.5, handle_signals=False)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        runners.append(runner)
        server.url = f"http://127.0.0.1:{runner.addresses[0][1]}"
        return server

    yield start
    for runner in runners:
        await runner.cleanup()


def endless(content_type: str) -> Handler:
    """200 without Content-Length, then bytes until the client hangs up."""

    async def handler(request: web.Request) -> web.StreamResponse:
        server: Server = request.app[SERVER]
        response = web.StreamResponse()
        response.content_type = content_type
        await response.prepare(request)
        try:
            while True:
                await response.write(BLOCK)
                server.sent += len(BLOCK)
        except ConnectionError, RuntimeError:
            server.hung_up.set()
        return response

    return handler


def announcing(size: int, content_type: str) -> Handler:
    """Announce ``size`` bytes, send none, wait (at most 10 s) for the client to hang up."""

    async def handler(request: web.Request) -> web.StreamResponse:
        server: Server = request.app[SERVER]
        response = web.StreamResponse()
        response.content_type = content_type
        response.content_length = size
        await response.prepare(request)
        for _ in range(500):
            if request.transport is None or request.transport.is_closing():
                server.hung_up.set()
                break
            await asyncio.sleep(0.02)
        return response

    return handler


def redirect(location: str | Callable[[], str], status: int = 302) -> Handler:
    async def handler(request: web.Request) -> web.StreamResponse:
        target = location() if callable(location) else location
        return web.Response(status=status, headers={"Location": target})

    return handler


def answer(body: bytes, content_type: str) -> Handler:
    async def handler(request: web.Request) -> web.StreamResponse:
        return web.Response(body=body, content_type=content_type)

    return handler


def plain_jpeg() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (8, 6), (200, 10, 10)).save(buffer, "JPEG")
    return buffer.getvalue()


SPOT_JSON = b'{"name": "Sp1", "temperature": 21.5, "unit": "C", "x": 1, "y": 2}'


# ------------------------------------------------------------ 1. bounded bodies


@pytest.mark.parametrize(
    ("path", "content_type", "limit"),
    [
        ("/api/image/current", "image/jpeg", MAX_IMAGE_BYTES),
        ("/api/spot/1.json", "application/json", MAX_JSON_BYTES),
    ],
)
async def test_endless_body_is_cut_off_at_the_cap(
    serve: ServerFactory, make_client: ClientFactory, path: str, content_type: str, limit: int
) -> None:
    server = await serve({path: endless(content_type)})
    client = make_client(server.url, request_timeout=30.0)  # the cap ends it, not the timeout
    fetch = client.image if path.startswith("/api/image") else lambda: client.spot(1)
    with pytest.raises(FlirUnexpectedDeviceError) as err:
        await fetch()
    await asyncio.wait_for(server.hung_up.wait(), 5)  # the client hung up
    assert limit < server.sent <= limit + SOCKET_SLACK
    assert f"the answer is too large (over {limit} bytes)" in str(err.value)


@pytest.mark.parametrize(
    ("path", "content_type", "limit"),
    [
        ("/api/image/current", "image/jpeg", MAX_IMAGE_BYTES),
        ("/api/spot/1.json", "application/json", MAX_JSON_BYTES),
    ],
)
async def test_announced_oversize_is_refused_before_reading(
    serve: ServerFactory, make_client: ClientFactory, path: str, content_type: str, limit: int
) -> None:
    # Nothing but the headers arrives: waiting for the body would end in the timeout.
    server = await serve({path: announcing(limit + 1, content_type)})
    client = make_client(server.url, request_timeout=3.0)
    fetch = client.image if path.startswith("/api/image") else lambda: client.spot(1)
    with pytest.raises(FlirUnexpectedDeviceError) as err:
        await fetch()
    message = str(err.value)
    assert f"the answer is too large (over {limit} bytes" in message
    assert f"Content-Length says {limit + 1}" in message
    await asyncio.wait_for(server.hung_up.wait(), 5)


async def test_answers_within_the_caps_are_read(
    serve: ServerFactory, make_client: ClientFactory
) -> None:
    big = plain_jpeg() + bytes(5 * 1024 * 1024)  # an A700-sized visual image still fits
    server = await serve({"/api/image/current": answer(big, "image/jpeg")})
    assert await make_client(server.url).image() == big


async def test_error_bodies_are_not_read(serve: ServerFactory, make_client: ClientFactory) -> None:
    async def endless_error(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(status=500)
        await response.prepare(request)
        try:
            while True:
                await response.write(BLOCK)
        except ConnectionError, RuntimeError:
            request.app[SERVER].hung_up.set()
        return response

    server = await serve({"/api/spot/1.json": endless_error})
    with pytest.raises(FlirConnectionError, match="HTTP 500"):
        await make_client(server.url, request_timeout=30.0).spot(1)
    await asyncio.wait_for(server.hung_up.wait(), 5)


# ----------------------------------------------------------------- 3. redirects


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_redirect_to_another_origin_is_not_followed(
    serve: ServerFactory, make_client: ClientFactory, status: int
) -> None:
    other = await serve(
        {
            "/api/image/current": answer(plain_jpeg(), "image/jpeg"),
            "/api/spot/1.json": answer(SPOT_JSON, "application/json"),
        }
    )
    camera = await serve(
        {
            "/api/image/current": redirect(f"{other.url}/api/image/current", status),
            "/api/spot/1.json": redirect(f"{other.url}/api/spot/1.json", status),
        }
    )
    client = make_client(camera.url, username="admin", password="secret")
    with pytest.raises(FlirUnexpectedDeviceError, match="redirects to another address") as err:
        await client.image()
    assert other.url in str(err.value)
    assert camera.url in str(err.value)  # says what is trusted
    with pytest.raises(FlirUnexpectedDeviceError, match="redirects to another address"):
        await client.spot(1)
    assert (await client.discover()).spots == ()  # a probe treats it as "no spot"
    assert other.hits == {}  # nothing was fetched there (and no credentials sent)


@pytest.mark.parametrize(
    "location",
    [
        "https://127.0.0.1:{port}/api/image/current",  # same host and port, other scheme
        "http://localhost:{port}/api/image/current",  # same machine, other host name
        "//127.0.0.2:{port}/api/image/current",  # scheme-relative
        "mailto:someone@example.com",
        "http://[broken/",
    ],
)
async def test_redirect_off_origin_variants(
    serve: ServerFactory, make_client: ClientFactory, location: str
) -> None:
    ports: list[int] = []
    camera = await serve({"/api/image/current": redirect(lambda: location.format(port=ports[0]))})
    ports.append(int(camera.url.rsplit(":", 1)[1]))
    with pytest.raises(FlirUnexpectedDeviceError, match="redirect") as err:
        await make_client(camera.url).image()
    assert str(err.value).startswith("GET /api/image/current:")
    assert camera.hits == {"/api/image/current": 1}


async def test_same_origin_redirect_is_followed(
    serve: ServerFactory, make_client: ClientFactory
) -> None:
    image = plain_jpeg()
    camera = await serve(
        {
            "/api/image/current": redirect("/api/image/current/"),
            "/api/image/current/": redirect("../snapshot.jpg", 307),  # relative to the last URL
            "/api/image/snapshot.jpg": answer(image, "image/jpeg"),
        }
    )
    assert await make_client(camera.url).image() == image
    assert camera.hits["/api/image/snapshot.jpg"] == 1


async def test_redirect_loop_is_an_error(serve: ServerFactory, make_client: ClientFactory) -> None:
    camera = await serve(
        {"/api/image/current": redirect("/a"), "/a": redirect("/b"), "/b": redirect("/a")}
    )
    with pytest.raises(FlirUnexpectedDeviceError, match=f"more than {MAX_REDIRECTS} redirects"):
        await make_client(camera.url).image()
    assert sum(camera.hits.values()) == MAX_REDIRECTS + 1


async def test_redirect_without_location(serve: ServerFactory, make_client: ClientFactory) -> None:
    async def bare(request: web.Request) -> web.StreamResponse:
        return web.Response(status=302)

    camera = await serve({"/api/image/current": bare})
    with pytest.raises(FlirUnexpectedDeviceError, match="redirect without a Location"):
        await make_client(camera.url).image()


async def test_login_redirect_is_reported_without_fetching_the_login_page(
    camera: FakeFlirCamera, make_client: ClientFactory
) -> None:
    camera.faults.login_redirect = True
    with pytest.raises(FlirAuthenticationError, match="redirects to its web login"):
        await make_client(camera).check()
    assert camera.requests["/login"] == 0


# ----------------------------------------------------------- messages never empty


@pytest.mark.parametrize(
    "error_type",
    [
        FlirError,
        FlirConnectionError,
        FlirAuthenticationError,
        FlirUnexpectedDeviceError,
        FlirDecodeError,
    ],
)
def test_every_flir_error_has_a_message(error_type: type[FlirError]) -> None:
    for error in (error_type(), error_type(""), error_type("  ")):
        assert str(error).strip()
    assert str(error_type("the reason")) == "the reason"


async def test_client_failures_say_what_happened(
    serve: ServerFactory, make_client: ClientFactory
) -> None:
    async def hang(request: web.Request) -> web.StreamResponse:
        for _ in range(250):  # until the client gives up (at most 5 s)
            if request.transport is None or request.transport.is_closing():
                break
            await asyncio.sleep(0.02)
        return web.Response()

    async def cut(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        response.content_length = 1000
        response.content_type = "image/jpeg"
        await response.prepare(request)
        await response.write(b"\xff\xd8\xff")
        assert request.transport is not None
        request.transport.close()
        return response

    server = await serve({"/api/image/current": cut, "/api/spot/1.json": hang})
    client = make_client(server.url, request_timeout=0.2)
    with pytest.raises(FlirConnectionError) as timeout:
        await client.spot(1)
    assert str(timeout.value) == "GET /api/spot/1.json timed out after 0.2 s"
    with pytest.raises(FlirConnectionError) as broken:
        await make_client(server.url).image()
    assert "GET /api/image/current failed (" in str(broken.value)
    assert "()" not in str(broken.value)
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    with pytest.raises(FlirConnectionError) as refused:
        await make_client(closed).image()
    assert f"cannot connect to the camera at {closed} (" in str(refused.value)
    assert "()" not in str(refused.value)


# ------------------------------------------------------- 2. decompression bombs


def png_16(width: int, height: int) -> bytes:
    buffer = BytesIO()
    Image.new("I;16", (width, height)).save(buffer, "PNG", compress_level=9)
    return buffer.getvalue()


def file_with_raw(width: int, height: int, payload: bytes, subtype: int) -> bytes:
    """A radiometric JPEG whose RawData record declares ``width``x``height``."""
    header = encode._record_header("<", 2, width, height)
    raw = encode._Record(rtype=1, subtype=subtype, version=101, data=header + payload)
    counts = np.zeros((1, 1), dtype=np.uint16)
    camera = encode._Record(
        rtype=0x20, subtype=1, version=115, data=encode._camera_record(DEFAULT_CAMERA_INFO, counts)
    )
    fff = encode.build_fff([raw, camera], ">")
    return encode.wrap_jpeg(encode_rjpeg(np.zeros((2, 2)))[:2] + b"\xff\xda", fff)


@pytest.fixture
def no_pillow_decoding(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Fail the test if Pillow opens or decodes anything; lists what was attempted."""
    calls: list[str] = []

    def refuse(name: str) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            pytest.fail(f"Pillow {name} was called: the bomb was not refused first")

        return call

    monkeypatch.setattr(Image, "open", refuse("open"))
    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse("load"))
    monkeypatch.setattr(Image.Image, "tobytes", refuse("tobytes"))
    return calls


def test_png_bomb_is_refused_before_decoding(no_pillow_decoding: list[str]) -> None:
    # Both headers agree on 4096x4096: 16.7 M pixels from a file of a few dozen kB.
    bomb = file_with_raw(4096, 4096, png_16(4096, 4096), 3)
    assert len(bomb) < 64 * 1024
    with pytest.raises(FlirDecodeError, match="impossible size 4096x4096"):
        decode_rjpeg(bomb)
    assert no_pillow_decoding == []


def test_raw_bomb_is_refused_before_allocating() -> None:
    with pytest.raises(FlirDecodeError, match="impossible size"):
        decode_rjpeg(file_with_raw(MAX_RAW_SIDE + 1, 16, bytes((MAX_RAW_SIDE + 1) * 32), 2))


def test_png_header_is_checked_before_pillow_opens(no_pillow_decoding: list[str]) -> None:
    # A modest RawData header, but the PNG inside declares a bomb.
    bomb = file_with_raw(64, 48, png_16(4096, 4096), 3)
    with pytest.raises(FlirDecodeError, match="raw PNG is 4096x4096, record says 64x48"):
        decode_rjpeg(bomb)
    assert no_pillow_decoding == []


def test_png_that_does_not_start_with_ihdr(no_pillow_decoding: list[str]) -> None:
    png = png_16(64, 48)
    text = struct.pack(">I", 1) + b"tEXt" + b"x" + struct.pack(">I", zlib.crc32(b"tEXtx"))
    moved = png[:8] + text + png[8:]
    with pytest.raises(FlirDecodeError, match="does not start with an IHDR"):
        decode_rjpeg(file_with_raw(64, 48, moved, 3))


def test_largest_accepted_raw_image_decodes() -> None:
    side = MAX_RAW_SIDE
    image = decode_rjpeg(file_with_raw(side, side, bytes(side * side * 2), 2))
    assert image.raw.shape == (side, side)


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def test_compressed_text_chunks_are_never_inflated(monkeypatch: pytest.MonkeyPatch) -> None:
    temps = 20 + np.add.outer(np.arange(24.0), np.arange(32.0)) / 10
    good = encode_rjpeg(temps)
    expected = decode_rjpeg(good).raw
    counts = encode.to_raw(temps, encode.stored_camera(DEFAULT_CAMERA_INFO))
    png = encode.raw_png(counts)
    # Each zTXt chunk inflates to 1 MB: 60 of them, Pillow would hold ~60 MB of text.
    ztxt = chunk(b"zTXt", b"k\0\0" + zlib.compress(bytes(1024 * 1000), 9))
    ihdr_end = 8 + 25
    bombed = png[:ihdr_end] + ztxt * 60 + png[ihdr_end:]
    assert len(bombed) < 100 * 1024

    def inflate(data: bytes) -> bytes:
        pytest.fail("Pillow inflated an ancillary chunk")

    monkeypatch.setattr(PngImagePlugin, "_safe_zlib_decompress", inflate)
    image = decode_rjpeg(file_with_raw(32, 24, bombed, 3))
    assert np.array_equal(image.raw, expected)


def test_measurement_tools_are_capped() -> None:
    tools = [
        MeasurementTool(kind="spot", label=f"Sp{n}", params=(n % 32, n % 24)) for n in range(1000)
    ]
    image = decode_rjpeg(encode_rjpeg(np.full((24, 32), 25.0), tools=tools))
    assert len(image.tools) == MAX_TOOLS
    assert image.tools[0].label == "Sp0"


@pytest.mark.parametrize(
    "header",
    [
        b"\xff\xe0\x00\x02" * (256 * 1024),  # 1 MiB of empty APP0 segments
        b"\xff" * (1024 * 1024),  # 1 MiB of fill bytes
    ],
    ids=["empty-segments", "fill-bytes"],
)
def test_jpeg_header_walk_is_bounded(header: bytes) -> None:
    data = b"\xff\xd8" + header + b"\xff\xda"
    with pytest.raises(FlirDecodeError, match=f"more than {MAX_JPEG_STEPS} markers"):
        decode_rjpeg(data)
    assert not is_radiometric(data)


def test_the_most_flir_chunks_a_file_can_have_still_decode() -> None:
    temps = np.full((24, 32), 30.0)
    single = encode_rjpeg(temps, raw_format="raw", chunk_size=encode.MAX_CHUNK)
    fff_size = len(rjpeg_container.fff_blob(memoryview(single)))
    data = encode_rjpeg(temps, raw_format="raw", chunk_size=-(-fff_size // 256))
    assert data.count(b"FLIR\0\x01") > 200  # the chunk index is one byte: 256 at most
    assert np.allclose(decode_rjpeg(data).temperatures(), temps, atol=0.05)


def test_fff_directory_is_bounded() -> None:
    counts = np.zeros((1, 1), dtype=np.uint16)
    camera = encode._Record(
        rtype=0x20, subtype=1, version=115, data=encode._camera_record(DEFAULT_CAMERA_INFO, counts)
    )
    filler = [encode._Record(rtype=0x99, subtype=0, version=0, data=b"")] * MAX_FFF_RECORDS
    fff = encode.build_fff([*filler, camera], ">")
    data = encode.wrap_jpeg(b"\xff\xd8\xff\xda", fff)
    with pytest.raises(FlirDecodeError, match=f"lists {MAX_FFF_RECORDS + 1} records"):
        decode_rjpeg(data)


def test_png_chunk_walk_is_bounded(no_pillow_decoding: list[str]) -> None:
    png = png_16(32, 24)
    text = chunk(b"tEXt", b"k\0")
    padded = png[:33] + text * MAX_PNG_CHUNKS + png[33:]
    with pytest.raises(FlirDecodeError, match=f"more than {MAX_PNG_CHUNKS} chunks"):
        decode_rjpeg(file_with_raw(32, 24, padded, 3))


def test_encoder_refuses_what_the_decoder_refuses() -> None:
    with pytest.raises(ValueError, match="too large"):
        encode_rjpeg(np.zeros((1, MAX_RAW_SIDE + 1)))


@pytest.mark.parametrize("shape", [(MAX_RAW_SIDE, 1), (1, MAX_RAW_SIDE), (MAX_RAW_SIDE, 3)])
def test_odd_shapes_within_the_bound_still_render(shape: tuple[int, int]) -> None:
    frame = np.arange(float(shape[0] * shape[1])).reshape(shape)
    with Image.open(BytesIO(render_thermal(frame, colour_bar=False))) as picture:
        assert max(picture.size) <= 8192
        assert picture.size[0] >= shape[1]
