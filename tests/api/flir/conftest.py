"""Fixtures for the FLIR client tests: the fake camera over real loopback HTTP."""

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from custom_components.flir_frigate.api.flir.client import FlirClient
from tests.fakes.flir_camera import FakeFlirCamera

type CameraFactory = Callable[..., Awaitable[FakeFlirCamera]]
type ClientFactory = Callable[..., FlirClient]


@pytest.fixture(autouse=True)
def _loopback(socket_enabled: None) -> None:
    """The fake camera and the client talk over real loopback sockets."""


@pytest.fixture
async def camera_factory() -> AsyncIterator[CameraFactory]:
    """Start fake cameras on 127.0.0.1 (free ports); all are stopped after the test."""
    cameras: list[FakeFlirCamera] = []

    async def make(**kwargs: Any) -> FakeFlirCamera:
        kwargs.setdefault("drift", False)
        camera = FakeFlirCamera(**kwargs)
        await camera.start()
        cameras.append(camera)
        return camera

    yield make
    for camera in cameras:
        await camera.stop()


@pytest.fixture
async def camera(camera_factory: CameraFactory) -> FakeFlirCamera:
    """A Smart Sensor camera with a frozen scene, no authentication."""
    return await camera_factory()


@pytest.fixture
async def streaming_camera(camera_factory: CameraFactory) -> FakeFlirCamera:
    """An Image Streaming (A50 style) camera with a frozen scene."""
    return await camera_factory(profile="image_streaming")


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """A plain client session, like Home Assistant's shared one."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
def make_client(session: aiohttp.ClientSession) -> ClientFactory:
    """Build a FlirClient for a fake camera (or any host string)."""

    def make(target: FakeFlirCamera | str, **kwargs: Any) -> FlirClient:
        host = target.url if isinstance(target, FakeFlirCamera) else target
        kwargs.setdefault("request_timeout", 5.0)
        return FlirClient(host, session=session, **kwargs)

    return make
