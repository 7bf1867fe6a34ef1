"""Fixtures for the Frigate client tests: the fake server over real loopback HTTP."""

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from custom_components.flir_frigate.api.frigate.client import FrigateClient
from tests.fakes.frigate_server import SUPPORTED_VERSIONS, FakeFrigateServer

FIXTURES = Path(__file__).parent / "fixtures"
AUTH_VERSIONS = tuple(v for v in SUPPORTED_VERSIONS if int(v.split(".")[1]) >= 14)
PASSWORD = "s3cret-pass"

type ServerFactory = Callable[..., Awaitable[FakeFrigateServer]]
type ClientFactory = Callable[..., FrigateClient]


def load_fixture(name: str) -> Any:
    """A sample payload from ./fixtures (JSON, or text for .txt)."""
    text = (FIXTURES / name).read_text()
    return text if name.endswith(".txt") else json.loads(text)


class RecordingSession:
    """Stands in for aiohttp.ClientSession; records the ``ssl`` argument and token of each call."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session
        self.ssl_values: list[object] = []
        self.tokens: list[str | None] = []  # the Bearer token sent, None without one

    def request(self, method: str, url: Any, **kwargs: Any) -> Any:
        self.ssl_values.append(kwargs.get("ssl", "missing"))
        authorization = (kwargs.get("headers") or {}).get("Authorization")
        self.tokens.append(authorization.removeprefix("Bearer ") if authorization else None)
        return self.session.request(method, url, **kwargs)


@pytest.fixture(autouse=True)
def _loopback(socket_enabled: None) -> None:
    """The fake server and the client talk over real loopback sockets."""


@pytest.fixture
async def server_factory() -> AsyncIterator[ServerFactory]:
    """Start fake Frigate servers on 127.0.0.1 (free ports); all stop after the test."""
    servers: list[FakeFrigateServer] = []

    async def make(version: str = "0.17", **kwargs: Any) -> FakeFrigateServer:
        kwargs.setdefault("password", PASSWORD)
        kwargs.setdefault("seed", 1)
        kwargs.setdefault("websocket", True)  # /ws as Frigate serves it (no Home Assistant here)
        server = FakeFrigateServer(version=version, **kwargs)
        await server.start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        await server.stop()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """A plain client session, like Home Assistant's shared one."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
def make_client(session: aiohttp.ClientSession) -> ClientFactory:
    """Build a FrigateClient for a fake server (or any URL)."""

    def make(target: FakeFrigateServer | str, **kwargs: Any) -> FrigateClient:
        url = target.url if isinstance(target, FakeFrigateServer) else target
        kwargs.setdefault("request_timeout", 5.0)
        return FrigateClient(url, session=session, **kwargs)

    return make


@pytest.fixture(params=SUPPORTED_VERSIONS)
def version(request: pytest.FixtureRequest) -> str:
    """Every supported Frigate version, 0.12 to 0.18."""
    value: str = request.param
    return value


@pytest.fixture
async def server(server_factory: ServerFactory, version: str) -> FakeFrigateServer:
    """A fake server of every supported version on the internal port (no auth)."""
    return await server_factory(version)
