"""Names, labels and event ids are validated and quoted before they go into a path."""

from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from custom_components.flir_frigate.api.frigate.client import (
    FrigateClient,
    validate_camera,
    validate_event_id,
    validate_label,
)
from tests.fakes.frigate_server import FakeFrigateServer

from .conftest import ClientFactory, ServerFactory

BAD_NAMES = [
    "",
    ".",
    "..",
    "../config",
    "..%2Fconfig",
    "a/b",
    "a%2Fb",
    "%2F",
    "front door",
    " front_door",
    "front_door ",
    "a?b",
    "a#b",
    "a\\b",
    "a\nb",
    "kamera_ü",
    "x" * 129,
]
BAD_LABELS = ["", "../x", "a/b", "%2F", " person", "person ", "two  spaces", "a\tb", "..", "a?b"]
BAD_EVENT_IDS = [
    "",
    "../../api/config",
    "1718000000.123456-abc123/../x",
    "1718000000.123456",
    "abc",
    "1718000000.123456-abc 123",
    "1718000000.123456-abc%2F",
    "-abc",
]


@pytest.fixture
async def server(server_factory: ServerFactory) -> FakeFrigateServer:
    return await server_factory("0.17")


@pytest.mark.parametrize("name", BAD_NAMES)
async def test_bad_camera_names(
    server: FakeFrigateServer, make_client: ClientFactory, name: str
) -> None:
    client = make_client(server)
    calls: list[Callable[[], Awaitable[Any]]] = [
        lambda: client.latest_jpg(name),
        lambda: client.best_jpg(name, "person"),
        lambda: client.events(camera=name),
    ]
    for call in calls:
        with pytest.raises(ValueError, match="camera"):
            await call()
    with pytest.raises(ValueError, match="camera"):
        async with client.mjpeg_stream(name):
            pass
    with pytest.raises(ValueError, match="camera"):
        client.legacy_clip_url(name, "1718000000.123456-abc123")
    assert sum(server.requests.values()) == 0


@pytest.mark.parametrize("label", BAD_LABELS)
async def test_bad_labels(
    server: FakeFrigateServer, make_client: ClientFactory, label: str
) -> None:
    client = make_client(server)
    with pytest.raises(ValueError, match="label"):
        await client.best_jpg("front_door", label)
    with pytest.raises(ValueError, match="label"):
        await client.events(label=label)
    assert sum(server.requests.values()) == 0


@pytest.mark.parametrize("event_id", BAD_EVENT_IDS)
async def test_bad_event_ids(
    server: FakeFrigateServer, make_client: ClientFactory, event_id: str
) -> None:
    client = make_client(server)
    for call in (
        client.event,
        client.event_thumbnail,
        client.event_snapshot,
    ):
        with pytest.raises(ValueError, match="event id"):
            await call(event_id)
    with pytest.raises(ValueError, match="event id"):
        client.event_clip_url(event_id)
    with pytest.raises(ValueError, match="event id"):
        async with client.event_clip(event_id):
            pass
    assert sum(server.requests.values()) == 0


def test_valid_values() -> None:
    assert validate_camera("Front-Door_2") == "Front-Door_2"
    assert validate_label("license_plate") == "license_plate"
    assert validate_label("traffic light") == "traffic light"  # COCO label map
    assert validate_event_id("1718000000.123456-abc123") == "1718000000.123456-abc123"
    assert validate_event_id("1718000000.1-x") == "1718000000.1-x"


async def test_label_with_space_is_quoted(
    server: FakeFrigateServer, make_client: ClientFactory
) -> None:
    client = make_client(server)
    server.add_camera("street", track=("traffic light",))
    event_id = server.create_event("street", "traffic light")
    assert await client.best_jpg("street", "traffic light") == await client.event_thumbnail(
        event_id
    )
    assert client._url("street", "traffic light", "best.jpg").raw_path == (
        "/api/street/traffic%20light/best.jpg"
    )


@pytest.mark.parametrize("zone", ["", "a,b", "a\nb", "x" * 200])
async def test_bad_zone(server: FakeFrigateServer, make_client: ClientFactory, zone: str) -> None:
    with pytest.raises(ValueError, match="zone"):
        await make_client(server).events(zone=zone)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"height": 0}, "height"),
        ({"height": -5}, "height"),
        ({"height": True}, "height"),
        ({"fps": 0}, "fps"),
    ],
)
async def test_bad_numbers(
    server: FakeFrigateServer, make_client: ClientFactory, kwargs: dict[str, Any], match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        async with make_client(server).mjpeg_stream("front_door", **kwargs):
            pass
    assert sum(server.requests.values()) == 0


async def test_bad_limit(server: FakeFrigateServer, make_client: ClientFactory) -> None:
    with pytest.raises(ValueError, match="limit"):
        await make_client(server).events(limit=0)


@pytest.mark.parametrize(
    ("url", "kwargs"),
    [
        ("ftp://frigate:5000", {}),
        ("frigate:5000", {}),
        ("http://", {}),
        ("http://user:hunter2@frigate:8971", {}),
        ("http://frigate:5000", {"username": "admin"}),
        ("http://frigate:5000", {"password": "x"}),
        ("http://frigate:5000", {"username": "a", "password": "b", "token": "t"}),
        ("http://frigate:5000", {"token": " "}),
        ("http://frigate:5000", {"request_timeout": 0}),
    ],
)
async def test_bad_client_arguments(
    session: aiohttp.ClientSession, url: str, kwargs: dict[str, Any]
) -> None:
    with pytest.raises(ValueError) as err:
        FrigateClient(url, session=session, **kwargs)
    assert "hunter2" not in str(err.value)


async def test_base_url_forms(session: aiohttp.ClientSession) -> None:
    event_id = "1718000000.123456-abc123"
    for url in ("http://nvr.local:5000", "http://nvr.local:5000/", " http://nvr.local:5000/ "):
        client = FrigateClient(url, session=session)
        assert client.url == "http://nvr.local:5000"
        assert client.event_clip_url(event_id) == f"{client.url}/api/events/{event_id}/clip.mp4"
    proxied = FrigateClient("https://home.example/frigate/", session=session)
    assert proxied.url == "https://home.example/frigate"
    assert proxied.legacy_clip_url("yard", event_id) == (
        f"https://home.example/frigate/clips/yard-{event_id}.mp4"
    )
    assert FrigateClient("http://[::1]:5000", session=session).url == "http://[::1]:5000"
