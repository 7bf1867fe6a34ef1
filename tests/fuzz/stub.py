"""A stand-in for aiohttp's ClientSession that answers every request from memory.

The fuzz targets drive the libraries' real clients (transport, bounded reads, JSON decoding,
status checks, the parsers) with generated answers, without sockets: each request is answered
by a routing function from its path to an :class:`Answer`. Only what the two transports read
from a response exists here.
"""

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from types import TracebackType
from typing import Any, Self

from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


@dataclass(frozen=True, slots=True)
class Answer:
    """What the stub answers to one request."""

    body: bytes
    content_type: str = "application/json"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


type Route = Callable[[str], Answer]


class _Content:
    def __init__(self, body: bytes) -> None:
        self._body = body
        self._pos = 0
        self.total_bytes = len(body)  # all of it arrived at once

    def at_eof(self) -> bool:
        return self._pos >= len(self._body)

    def exception(self) -> BaseException | None:
        return None

    async def read(self, size: int = -1) -> bytes:
        end = len(self._body) if size < 0 else self._pos + size
        chunk = self._body[self._pos : end]
        self._pos += len(chunk)
        return chunk

    async def iter_chunked(self, size: int) -> AsyncIterator[bytes]:
        while chunk := await self.read(size):
            yield chunk


class _Response:
    def __init__(self, url: URL, answer: Answer) -> None:
        headers = CIMultiDict({"Content-Type": answer.content_type, **answer.headers})
        self.url = url
        self.status = answer.status
        self.headers = CIMultiDictProxy(headers)
        self.content_type = answer.content_type
        self.content_length = len(answer.body)
        self.content = _Content(answer.body)
        self.cookies: SimpleCookie = SimpleCookie()

    def close(self) -> None:
        """Nothing to release."""

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def __await__(self):  # a streamed request (`await session.request(...)`)
        async def _self() -> Self:
            return self

        return _self().__await__()


class StubSession:
    """Answers ``get`` and ``request`` from ``route(path)``; counts the requests."""

    def __init__(self, route: Route) -> None:
        self.route = route
        self.requests = 0

    def request(self, method: str, url: Any, **_kwargs: Any) -> _Response:
        self.requests += 1
        target = URL(str(url))
        return _Response(target, self.route(target.path))

    def get(self, url: Any, **kwargs: Any) -> _Response:
        return self.request("GET", url, **kwargs)
