"""A hostile HTTP server: a proxy in front of a fake device that breaks chosen answers.

`HostileServer` listens on 127.0.0.1 and forwards every request to an upstream fake
(`FakeFlirCamera`, `FakeFrigateServer`), unchanged, until a test injects a fault for some
routes. A request that matches one of those routes gets the fault instead of (or on top of)
the upstream's answer: an endless or huge body, a body dripping one byte a second, no answer
at all, broken or deeply nested JSON, JSON of the wrong shape (lists for objects, strings for
numbers, NaN, 1e400, nulls), an error status with or without `Retry-After`, a 401, a redirect
within the origin or off it, a wrong content type, an MJPEG stream without a boundary or with
a cut frame, a truncated image or a corrupt radiometric JPEG.

Every response that streams stops as soon as the client hangs up (handlers are cancelled on
disconnect) or the server stops, so nothing it starts outlives a test. `in_flight` counts
the requests being answered, `faulting` those of them answered with the fault: once a
client has given up on a fault, both drop back to zero. When every request in flight is a
faulting one, the device is making its client wait (a test with frozen time moves it on).

    hostile = HostileServer(camera.url)
    await hostile.start()
    hostile.inject(Fault.HANG, [Route("thermal", r"/api/image/current")])
    ...
    hostile.clear()
    await hostile.stop()
"""

import asyncio
import contextlib
import enum
import json
import math
import random
import re
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import aiohttp
from aiohttp import web
from multidict import CIMultiDict

type BodyKind = Literal["json", "image", "text", "mjpeg"]
type Handler = Callable[[HostileServer, web.Request, Route], Awaitable[web.StreamResponse]]

KIB: Final = 1024
MIB: Final = 1024 * KIB
CHUNK: Final = 64 * KIB
HUGE_BODY: Final = 40 * MIB
"""Size of the undeclared huge body: above every cap of both clients (20 MiB at most)."""
HUGE_DECLARED: Final = 1 << 30
"""`Content-Length` of the declared huge body (1 GiB; only what the client reads is sent)."""
NESTING: Final = 100_000
"""Depth of the deeply nested JSON (200 KB of brackets, under every JSON cap)."""
SLOW_BYTE_INTERVAL: Final = 1.0
MOVED_PREFIX: Final = "/__moved__"
"""Where same-origin redirects point: the rest of the path is forwarded unchanged."""
HUGE_SENTINEL: Final = "\x00huge\x00"

_HOP_BY_HOP: Final = frozenset(
    {
        "connection",
        "content-encoding",
        "content-length",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "accept-encoding",
    }
)
_JPEG_HEAD: Final = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
_FILLER: Final = bytes(range(256)) * (CHUNK // 256)


class Fault(enum.StrEnum):
    """One misbehaviour, injected per route."""

    ENDLESS_BODY = "endless body"
    HUGE_DECLARED = "huge body (declared)"
    HUGE_UNDECLARED = "huge body (undeclared)"
    SLOW_BODY = "slow body (1 byte/s)"
    HANG = "hang without answer"
    INVALID_JSON = "invalid JSON"
    NESTED_JSON = "deeply nested JSON"
    LISTS_FOR_OBJECTS = "lists for objects"
    STRINGS_FOR_NUMBERS = "strings for numbers"
    NAN = "NaN numbers"
    HUGE_NUMBERS = "1e400 numbers"
    NULLS = "nulls"
    HTTP_500 = "HTTP 500"
    HTTP_502 = "HTTP 502"
    HTTP_503 = "HTTP 503"
    HTTP_503_RETRY_AFTER = "HTTP 503 + Retry-After"
    HTTP_429 = "HTTP 429"
    HTTP_429_RETRY_AFTER = "HTTP 429 + Retry-After"
    HTTP_401 = "HTTP 401 mid-session"
    REDIRECT_SAME_ORIGIN = "redirect (same origin)"
    REDIRECT_OFF_ORIGIN = "redirect (off origin)"
    WRONG_CONTENT_TYPE = "wrong content type"
    MJPEG_NO_BOUNDARY = "MJPEG without boundary"
    MJPEG_CUT_FRAME = "MJPEG with a cut frame"
    TRUNCATED_IMAGE = "truncated image"
    CORRUPT_RADIOMETRIC = "corrupt radiometric image"


@dataclass(frozen=True, kw_only=True)
class Route:
    """The requests a fault applies to: a path pattern, and query values that must match.

    `query` maps a parameter to the values it may have (an empty tuple: it must be present,
    any value); `absent` lists parameters that must not be there. `kind` tells what the
    endpoint answers, for faults that make up a body.
    """

    name: str
    path: str
    kind: BodyKind = "json"
    query: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    absent: tuple[str, ...] = ()

    def matches(self, request: web.Request) -> bool:
        """Whether the request is one of this route's."""
        if not re.fullmatch(self.path, request.path):
            return False
        for key, values in self.query.items():
            if key not in request.query or (values and request.query[key] not in values):
                return False
        return not any(key in request.query for key in self.absent)


# ------------------------------------------------------------------------------ JSON shapes


def _map_numbers(value: Any, convert: Callable[[float | int], Any]) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return convert(value)
    if isinstance(value, dict):
        return {key: _map_numbers(item, convert) for key, item in value.items()}
    if isinstance(value, list):
        return [_map_numbers(item, convert) for item in value]
    return value


def lists_for_objects(value: Any) -> Any:
    """Every object becomes the list of its values (recursively), the top level included."""
    if isinstance(value, dict):
        return [lists_for_objects(item) for item in value.values()]
    if isinstance(value, list):
        return [lists_for_objects(item) for item in value]
    return value


def nulls(value: Any) -> Any:
    """Every scalar becomes null; objects and lists keep their keys and lengths."""
    if isinstance(value, dict):
        return {key: nulls(item) for key, item in value.items()}
    if isinstance(value, list):
        return [nulls(item) for item in value]
    return None


def reshape(fault: Fault, data: Any) -> bytes:
    """The JSON text of `data` with the wrong shape `fault` describes."""
    match fault:
        case Fault.LISTS_FOR_OBJECTS:
            return json.dumps(lists_for_objects(data)).encode()
        case Fault.STRINGS_FOR_NUMBERS:
            return json.dumps(_map_numbers(data, lambda n: f"{n} units")).encode()
        case Fault.NAN:
            return json.dumps(_map_numbers(data, lambda _n: math.nan)).encode()
        case Fault.HUGE_NUMBERS:
            text = json.dumps(_map_numbers(data, lambda _n: HUGE_SENTINEL))
            return text.replace(json.dumps(HUGE_SENTINEL), "1e400").encode()
        case Fault.NULLS:
            return json.dumps(nulls(data)).encode()
    raise ValueError(f"{fault} is not a shape fault")


SHAPE_FAULTS: Final = frozenset(
    {
        Fault.LISTS_FOR_OBJECTS,
        Fault.STRINGS_FOR_NUMBERS,
        Fault.NAN,
        Fault.HUGE_NUMBERS,
        Fault.NULLS,
    }
)


def corrupt_radiometric(body: bytes, *, seed: int = 7) -> bytes:
    """The JPEG with the payload of its FLIR APP1 chunks overwritten by random bytes.

    The JPEG segments and the chunk headers stay intact (it still looks radiometric); the
    FFF file they carry (header, record directory, raw counts, calibration) is noise.
    """
    rng = random.Random(seed)
    data = bytearray(body)
    pos = 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker in {0xD9, 0xDA}:
            break
        length = (data[pos + 2] << 8) | data[pos + 3]
        payload = pos + 4
        end = pos + 2 + length
        if marker == 0xE1 and data[payload : payload + 5] == b"FLIR\x00":
            start = payload + 8  # after "FLIR\0", version, chunk index, last chunk
            data[start:end] = rng.randbytes(end - start)
        pos = end
    return bytes(data)


# ------------------------------------------------------------------------------- the server


@dataclass
class _Injection:
    fault: Fault
    routes: tuple[Route, ...]


class HostileServer:
    """A proxy to `upstream` that answers the routes of the injected fault with that fault."""

    def __init__(self, upstream: str, *, elsewhere: str | None = None) -> None:
        """Proxy to `upstream`; off-origin redirects point to `elsewhere` (another server)."""
        self.upstream = upstream.rstrip("/")
        self.elsewhere = elsewhere
        self.url = ""
        self.port = 0
        self.requests: Counter[str] = Counter()
        self.faulted: Counter[str] = Counter()
        self.in_flight = 0
        self.faulting = 0
        self._injection: _Injection | None = None
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._closing = asyncio.Event()

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> str:
        """Listen on a free port of 127.0.0.1 and return the base URL."""
        self._closing.clear()
        self._session = aiohttp.ClientSession(auto_decompress=False)
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(
            app, handler_cancellation=True, shutdown_timeout=0.2, access_log=None
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{self.port}"
        return self.url

    async def stop(self) -> None:
        """Stop serving; streaming and hanging answers end."""
        self._closing.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    # ------------------------------------------------------------------ faults

    def inject(self, fault: Fault, routes: Iterable[Route]) -> None:
        """Answer the requests of `routes` with `fault` from now on (replaces any other)."""
        self._injection = _Injection(fault, tuple(routes))
        self.faulted.clear()

    def clear(self) -> None:
        """Forward everything unchanged again."""
        self._injection = None

    @property
    def fault(self) -> Fault | None:
        """The injected fault, if any."""
        return None if self._injection is None else self._injection.fault

    def _route_for(self, request: web.Request) -> Route | None:
        injection = self._injection
        if injection is None:
            return None
        return next((route for route in injection.routes if route.matches(request)), None)

    # ------------------------------------------------------------------ handling

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.requests[request.path] += 1
        self.in_flight += 1
        try:
            if request.path.startswith(MOVED_PREFIX):
                return await self._forward(request, request.path_qs.removeprefix(MOVED_PREFIX))
            route = self._route_for(request)
            if route is None or self._injection is None:
                return await self._forward(request)
            fault = self._injection.fault
            self.faulted[route.name] += 1
            self.faulting += 1
            try:
                return await _HANDLERS[fault](self, request, route)
            finally:
                self.faulting -= 1
        finally:
            self.in_flight -= 1

    @contextlib.asynccontextmanager
    async def upstream_reply(
        self, request: web.Request, path_qs: str | None = None
    ) -> AsyncIterator[aiohttp.ClientResponse]:
        """The upstream's answer to the request (the same method, path, headers and body)."""
        assert self._session is not None
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP}
        body = await request.read() if request.can_read_body else None
        async with self._session.request(
            request.method,
            self.upstream + (request.path_qs if path_qs is None else path_qs),
            headers=headers,
            data=body,
            allow_redirects=False,
        ) as response:
            yield response

    async def _forward(
        self, request: web.Request, path_qs: str | None = None
    ) -> web.StreamResponse:
        async with self.upstream_reply(request, path_qs) as reply:
            if _streaming(reply):
                return await self.pass_stream(request, reply)
            body = await reply.read()
            return web.Response(status=reply.status, body=body, headers=pass_headers(reply))

    async def pass_stream(
        self, request: web.Request, reply: aiohttp.ClientResponse, **override: str
    ) -> web.StreamResponse:
        """Copy a streamed answer chunk by chunk until either side stops."""
        response = web.StreamResponse(status=reply.status, headers=pass_headers(reply, **override))
        await response.prepare(request)
        with contextlib.suppress(ConnectionError, aiohttp.ClientError):
            async for chunk in reply.content.iter_any():
                if self._closing.is_set():
                    break
                await response.write(chunk)
        return response

    async def until_gone(self, request: web.Request, seconds: float | None = None) -> bool:
        """Wait `seconds` (None: until the client leaves); False once the client has left."""
        loop = asyncio.get_running_loop()
        deadline = None if seconds is None else loop.time() + seconds
        while not self._closing.is_set():
            transport = request.transport
            if transport is None or transport.is_closing():
                return False
            left = 0.02 if deadline is None else min(0.02, deadline - loop.time())
            if left <= 0:
                return True
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), left)
        return False

    async def stream(
        self,
        request: web.Request,
        response: web.StreamResponse,
        chunks: Iterable[bytes],
        *,
        pause: float = 0.0,
    ) -> web.StreamResponse:
        """Send chunks until they run out, the client leaves or the server stops."""
        await response.prepare(request)
        with contextlib.suppress(ConnectionError):
            for chunk in chunks:
                if self._closing.is_set():
                    break
                await response.write(chunk)
                if pause and not await self.until_gone(request, pause):
                    break
        return response


def _streaming(reply: aiohttp.ClientResponse) -> bool:
    return reply.content_type.startswith("multipart/")


def pass_headers(reply: aiohttp.ClientResponse, **override: str) -> CIMultiDict[str]:
    """The upstream's headers worth passing on, with `override` (`Content_Type=...`) applied."""
    headers = CIMultiDict((k, v) for k, v in reply.headers.items() if k.lower() not in _HOP_BY_HOP)
    for key, value in override.items():
        headers[key.replace("_", "-")] = value
    return headers


async def _read_upstream(
    server: HostileServer, request: web.Request
) -> tuple[int, CIMultiDict[str], bytes, str]:
    """Status, headers, body and content type of the upstream's (non-streamed) answer."""
    async with server.upstream_reply(request) as reply:
        body = b"" if _streaming(reply) else await reply.read()
        return reply.status, pass_headers(reply), body, reply.content_type


# ------------------------------------------------------------------------------- faults


def _content_type(kind: BodyKind) -> str:
    return {
        "json": "application/json",
        "image": "image/jpeg",
        "text": "text/plain",
        "mjpeg": "multipart/x-mixed-replace;boundary=frame",
    }[kind]


def _first_chunk(kind: BodyKind) -> bytes:
    if kind == "json":
        return b'{"values": [' + b"0," * (CHUNK // 2 - 8)
    if kind in {"image", "mjpeg"}:
        return _JPEG_HEAD + _FILLER[len(_JPEG_HEAD) :]
    return b"0.17.2-" + b"9" * (CHUNK - 7)


def _filler(kind: BodyKind) -> bytes:
    return b"0," * (CHUNK // 2) if kind == "json" else _FILLER


def _endless(kind: BodyKind, total: int | None = None) -> Iterable[bytes]:
    first = _first_chunk(kind)
    yield first
    sent = len(first)
    filler = _filler(kind)
    while total is None or sent < total:
        yield filler
        sent += len(filler)


async def _endless_body(server: HostileServer, request: web.Request, route: Route) -> Any:
    response = web.StreamResponse(headers={"Content-Type": _content_type(route.kind)})
    response.enable_chunked_encoding()
    return await server.stream(request, response, _endless(route.kind))


async def _huge_declared(server: HostileServer, request: web.Request, route: Route) -> Any:
    response = web.StreamResponse(headers={"Content-Type": _content_type(route.kind)})
    response.content_length = HUGE_DECLARED
    return await server.stream(request, response, _endless(route.kind, HUGE_DECLARED))


async def _huge_undeclared(server: HostileServer, request: web.Request, route: Route) -> Any:
    response = web.StreamResponse(headers={"Content-Type": _content_type(route.kind)})
    response.enable_chunked_encoding()
    await server.stream(request, response, _endless(route.kind, HUGE_BODY))
    with contextlib.suppress(ConnectionError):
        await response.write_eof()
    return response


async def _slow_body(server: HostileServer, request: web.Request, route: Route) -> Any:
    _status_code, headers, body, _type = await _read_upstream(server, request)
    data = body or b"x"
    response = web.StreamResponse(status=200, headers=headers)
    response.content_length = len(data)
    return await server.stream(
        request, response, (data[i : i + 1] for i in range(len(data))), pause=SLOW_BYTE_INTERVAL
    )


async def _hang(server: HostileServer, request: web.Request, route: Route) -> Any:
    await server.until_gone(request)
    return web.Response(status=504)  # nobody is left to read it


async def _invalid_json(server: HostileServer, request: web.Request, route: Route) -> Any:
    return web.Response(
        body=b'{"temperature": 21.5, "unit": "C", "values": [1, 2,\x00\xff}',
        content_type="application/json",
    )


async def _nested_json(server: HostileServer, request: web.Request, route: Route) -> Any:
    return web.Response(body=b"[" * NESTING + b"]" * NESTING, content_type="application/json")


async def _shape(server: HostileServer, request: web.Request, route: Route) -> Any:
    fault = server.fault
    status, headers, body, content_type = await _read_upstream(server, request)
    if status == 200 and content_type == "application/json" and fault in SHAPE_FAULTS:
        body = reshape(fault, json.loads(body))
    return web.Response(status=status, body=body, headers=headers)


def _status(status: int, *, retry_after: bool) -> Handler:
    async def answer(server: HostileServer, request: web.Request, route: Route) -> Any:
        headers = {"Retry-After": "30"} if retry_after else {}
        return web.Response(
            status=status,
            headers=headers,
            text=f"<html><body><h1>{status}</h1></body></html>",
            content_type="text/html",
        )

    return answer


async def _unauthorized(server: HostileServer, request: web.Request, route: Route) -> Any:
    return web.Response(
        status=401,
        headers={"WWW-Authenticate": 'Basic realm="hostile"'},
        text="<html><body><h1>401 Authorization Required</h1></body></html>",
        content_type="text/html",
    )


async def _redirect_same(server: HostileServer, request: web.Request, route: Route) -> Any:
    raise web.HTTPFound(MOVED_PREFIX + request.path_qs)


async def _redirect_off(server: HostileServer, request: web.Request, route: Route) -> Any:
    if server.elsewhere is None:
        raise RuntimeError("an off-origin redirect needs the elsewhere server")
    raise web.HTTPFound(server.elsewhere + request.path_qs)


async def _wrong_content_type(server: HostileServer, request: web.Request, route: Route) -> Any:
    async with server.upstream_reply(request) as reply:
        if _streaming(reply):
            return await server.pass_stream(request, reply, Content_Type="text/plain")
        body = await reply.read()
        headers = pass_headers(reply, Content_Type="text/html; charset=utf-8")
        return web.Response(status=reply.status, body=body, headers=headers)


def _mjpeg_garbage() -> Iterable[bytes]:
    while True:
        yield _FILLER[: 16 * KIB]


async def _mjpeg_no_boundary(server: HostileServer, request: web.Request, route: Route) -> Any:
    response = web.StreamResponse(headers={"Content-Type": _content_type("mjpeg")})
    return await server.stream(request, response, _mjpeg_garbage())


async def _mjpeg_cut_frame(server: HostileServer, request: web.Request, route: Route) -> Any:
    response = web.StreamResponse(headers={"Content-Type": _content_type("mjpeg")})
    await response.prepare(request)
    frame = _JPEG_HEAD + _FILLER[: 4 * KIB]
    with contextlib.suppress(ConnectionError):
        await response.write(b"--frame\r\nContent-Type: image/jpeg\r\n\r\n" + frame + b"\r\n")
        await response.write(
            b"--frame\r\nContent-Type: image/jpeg\r\n\r\n" + frame[: len(frame) // 2]
        )
    # The frame is cut: the connection drops without the rest or the end of the chunking.
    if request.transport is not None:
        request.transport.close()
    await server.until_gone(request, 1.0)
    return response


async def _truncated_image(server: HostileServer, request: web.Request, route: Route) -> Any:
    status, headers, body, content_type = await _read_upstream(server, request)
    if status == 200 and content_type.startswith("image/"):
        body = body[: max(1, len(body) * 3 // 5)]
    return web.Response(status=status, body=body, headers=headers)


async def _corrupt_radiometric(server: HostileServer, request: web.Request, route: Route) -> Any:
    status, headers, body, content_type = await _read_upstream(server, request)
    if status == 200 and content_type.startswith("image/"):
        body = corrupt_radiometric(body)
    return web.Response(status=status, body=body, headers=headers)


_HANDLERS: Final[dict[Fault, Handler]] = {
    Fault.ENDLESS_BODY: _endless_body,
    Fault.HUGE_DECLARED: _huge_declared,
    Fault.HUGE_UNDECLARED: _huge_undeclared,
    Fault.SLOW_BODY: _slow_body,
    Fault.HANG: _hang,
    Fault.INVALID_JSON: _invalid_json,
    Fault.NESTED_JSON: _nested_json,
    Fault.LISTS_FOR_OBJECTS: _shape,
    Fault.STRINGS_FOR_NUMBERS: _shape,
    Fault.NAN: _shape,
    Fault.HUGE_NUMBERS: _shape,
    Fault.NULLS: _shape,
    Fault.HTTP_500: _status(500, retry_after=False),
    Fault.HTTP_502: _status(502, retry_after=False),
    Fault.HTTP_503: _status(503, retry_after=False),
    Fault.HTTP_503_RETRY_AFTER: _status(503, retry_after=True),
    Fault.HTTP_429: _status(429, retry_after=False),
    Fault.HTTP_429_RETRY_AFTER: _status(429, retry_after=True),
    Fault.HTTP_401: _unauthorized,
    Fault.REDIRECT_SAME_ORIGIN: _redirect_same,
    Fault.REDIRECT_OFF_ORIGIN: _redirect_off,
    Fault.WRONG_CONTENT_TYPE: _wrong_content_type,
    Fault.MJPEG_NO_BOUNDARY: _mjpeg_no_boundary,
    Fault.MJPEG_CUT_FRAME: _mjpeg_cut_frame,
    Fault.TRUNCATED_IMAGE: _truncated_image,
    Fault.CORRUPT_RADIOMETRIC: _corrupt_radiometric,
}
