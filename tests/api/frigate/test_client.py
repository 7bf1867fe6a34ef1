"""The client against the fake Frigate of every version 0.12-0.18 over loopback HTTP."""

import asyncio
import io
import time

import aiohttp
import pytest
from PIL import Image

from custom_components.flir_frigate.api.frigate.client import FrigateClient
from custom_components.flir_frigate.api.frigate.exceptions import (
    FrigateNotFoundError,
    FrigateRangeNotSatisfiableError,
)
from custom_components.flir_frigate.api.frigate.version import FrigateVersion
from tests.fakes.frigate_server import VERSION_STRINGS, FakeFrigateServer, fake_mp4

from .conftest import ClientFactory, ServerFactory


def minor(version: str) -> int:
    return int(version.split(".")[1])


def jpeg_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        return image.size


@pytest.fixture
def client(server: FakeFrigateServer, make_client: ClientFactory) -> FrigateClient:
    return make_client(server)


# ------------------------------------------------------------------------------ server


async def test_probe_internal_port(client: FrigateClient, version: str) -> None:
    info = await client.probe()
    assert info.version == FrigateVersion.parse(VERSION_STRINGS[version])
    assert info.version.build is not None
    assert info.auth_mode == "none"
    if minor(version) >= 14:
        assert info.profile is not None
        assert info.profile.username == "anonymous"
        assert info.profile.role == ("admin" if minor(version) >= 16 else None)
    else:
        assert info.profile is None


async def test_version(client: FrigateClient, version: str) -> None:
    assert str(await client.version()) == VERSION_STRINGS[version]


async def test_stats_shape_per_version(client: FrigateClient, version: str) -> None:
    stats = await client.stats()
    assert stats.legacy_layout is (version == "0.12")
    assert stats.storage_unit == ("MB" if version == "0.12" else "MiB")
    assert set(stats.cameras) == {"front_door", "backyard"}
    front = stats.cameras["front_door"]
    assert front.camera_fps == 5.0
    assert front.online is True
    assert front.ffmpeg_pid is not None
    assert stats.cpu_usages[str(front.pid)].cpu == 5.0  # sent as the string "5.0"
    assert stats.cpu_usages[str(front.ffmpeg_pid)].cpu == 12.4
    assert stats.gpu_usages["intel-gpu"].gpu == 19.0  # "19.0 %" / "19.0%"
    assert stats.gpu_usages["intel-gpu"].mem is None  # "-"
    assert stats.detectors["coral"].inference_speed == 8.53
    assert stats.service.version == VERSION_STRINGS[version]
    assert stats.service.latest_version is not None
    assert "/media/frigate/recordings" in stats.service.storage
    if minor(version) >= 18:
        assert stats.temperatures == {"coral": 45.2}
        assert stats.service.temperatures == {}
        assert front.connection_quality == "excellent"
        assert front.detect_cpu == 2.0
    else:
        assert stats.temperatures == {"apex_0": 45.2}
        assert front.connection_quality is None
    if minor(version) >= 17:
        assert stats.camera_fps == 10.0
    else:
        assert stats.camera_fps is None
    assert (minor(version) >= 13) == bool(stats.processes)


async def test_camera_offline(
    client: FrigateClient, server: FakeFrigateServer, version: str
) -> None:
    server.set_camera_offline("backyard")
    stats = await client.stats()
    backyard = stats.cameras["backyard"]
    assert backyard.camera_fps == 0.0
    assert backyard.online is False
    assert stats.cameras["front_door"].online is True
    image = await client.latest_image("backyard")
    assert image.offline is (minor(version) >= 18)
    await asyncio.sleep(0.25)  # 5 fps: a live camera would have a new frame by now
    assert await client.latest_jpg("backyard") == image.content
    server.set_camera_offline("backyard", offline=False)
    assert (await client.stats()).cameras["backyard"].online is True


async def test_config_per_version(
    client: FrigateClient, server: FakeFrigateServer, version: str
) -> None:
    config = await client.config()
    assert set(config.cameras) == {"front_door", "backyard"}
    front = config.cameras["front_door"]
    assert front.zones == ("porch", "driveway")
    assert front.tracked_objects == ("person", "car")
    assert (front.detect_width, front.detect_height) == (640, 360)
    assert front.enabled is True
    assert front.restream_name == "front_door"
    assert config.mqtt_enabled is False
    if minor(version) >= 16:
        assert front.live_streams == {"Main Stream": "front_door", "Sub Stream": "front_door_sub"}
        assert front.live_stream_name is None
    else:
        assert front.live_stream_name == "front_door"
    assert (config.version is not None) is (minor(version) >= 14)
    assert (config.auth_enabled is True) is (minor(version) >= 14)
    assert "front_door_sub" in config.go2rtc_streams

    server.add_camera("garage", zones=("door",), track=("person", "bicycle"))
    server.remove_camera("backyard")
    config = await client.config()
    assert set(config.cameras) == {"front_door", "garage"}
    assert config.cameras["garage"].tracked_objects == ("person", "bicycle")
    assert set((await client.stats()).cameras) == {"front_door", "garage"}


# ------------------------------------------------------------------------------ events


async def test_events_lifecycle(
    client: FrigateClient, server: FakeFrigateServer, version: str
) -> None:
    event_id = server.create_event("front_door", "person", zones=["porch"], sub_label="bob")
    (event,) = await client.events(in_progress=True)
    assert event.id == event_id
    assert event.in_progress
    assert event.camera == "front_door"
    assert event.label == "person"
    assert event.zones == ("porch",)
    assert event.sub_label == "bob"
    assert event.top_score == pytest.approx(0.87)
    assert event.has_snapshot
    assert event.has_clip
    assert event.has_thumbnail is None  # include_thumbnails=0
    assert (event.event_type == "object") is (minor(version) >= 13)
    assert server.request_log[-1].query["include_thumbnails"] == "0"
    assert server.request_log[-1].query["in_progress"] == "1"

    detail = await client.event(event_id)
    assert detail.id == event_id
    assert detail.score == pytest.approx(0.82)
    assert detail.top_score == pytest.approx(0.87)
    assert detail.has_thumbnail is (minor(version) <= 15)

    server.end_event(event_id)
    assert await client.events(in_progress=True) == []
    (ended,) = await client.events(in_progress=False)
    assert ended.end_time is not None
    assert not (await client.event(event_id)).in_progress

    with pytest.raises(FrigateNotFoundError):
        await client.event("1718000000.123456-zzzzzz")


async def test_events_filters(client: FrigateClient, server: FakeFrigateServer) -> None:
    now = time.time()
    ids = {
        "old": server.create_event("front_door", "car", in_progress=False, start_time=now - 500),
        "porch": server.create_event(
            "front_door", "person", zones=["porch"], start_time=now - 100, has_clip=False
        ),
        "yard": server.create_event("backyard", "person", zones=["lawn"], start_time=now - 50),
        "dog": server.create_event(
            "backyard", "dog", start_time=now - 10, has_snapshot=False, in_progress=False
        ),
    }

    async def found(**filters: object) -> list[str]:
        events = await client.events(**filters)  # type: ignore[arg-type]
        names = {v: k for k, v in ids.items()}
        return [names[e.id] for e in events]

    assert await found() == ["dog", "yard", "porch", "old"]  # newest first
    assert await found(camera="backyard") == ["dog", "yard"]
    assert await found(label="person") == ["yard", "porch"]
    assert await found(zone="porch") == ["porch"]
    assert await found(after=now - 100) == ["dog", "yard"]  # strictly after
    assert await found(before=now - 50) == ["porch", "old"]  # strictly before
    assert await found(after=now - 600, before=now - 20) == ["yard", "porch", "old"]
    assert await found(limit=2) == ["dog", "yard"]
    assert await found(has_clip=False) == ["porch"]
    assert await found(has_snapshot=True, in_progress=False) == ["old"]
    assert await found(camera="garage") == []


async def test_events_summary_rows(
    client: FrigateClient, server: FakeFrigateServer, version: str
) -> None:
    server.create_event("front_door", "person", zones=["porch"], sub_label="bob")
    server.create_event("backyard", "car", has_clip=False)
    rows = await client.events_summary(timezone="Europe/Berlin")
    assert {(r.camera, r.label, r.count) for r in rows} == {
        ("front_door", "person", 1),
        ("backyard", "car", 1),
    }
    person = next(r for r in rows if r.label == "person")
    assert person.zones == ("porch",)
    assert person.sub_label == "bob"
    time.strptime(person.day, "%Y-%m-%d")  # an ISO day
    assert person.event_type == ("object" if minor(version) >= 16 else None)
    clipped = await client.events_summary(has_clip=True)
    assert [r.camera for r in clipped] == ["front_door"]
    raw = server.request_log[-1]
    assert raw.query == {"has_clip": "1"}


async def test_summary_groups_equal_rows(
    make_client: ClientFactory, server_factory: ServerFactory
) -> None:
    server = await server_factory("0.12")
    for _ in range(3):
        server.create_event("front_door", "person")
    rows = await make_client(server).events_summary()
    assert [(r.label, r.count) for r in rows] == [("person", 3)]


# ------------------------------------------------------------------------------ images


async def test_latest_jpg_height(
    client: FrigateClient, server: FakeFrigateServer, session: aiohttp.ClientSession, version: str
) -> None:
    assert jpeg_size(await client.latest_jpg("front_door")) == (640, 360)
    assert jpeg_size(await client.latest_jpg("front_door", height=120)) == (213, 120)
    assert server.request_log[-1].query == {"height": "120", "h": "120"}
    # The fake honours only the parameter of its version, like the real servers.
    url = f"{server.url}/api/front_door/latest.jpg"
    async with session.get(url, params={"h": "120"}) as response:
        only_h = jpeg_size(await response.read())
    async with session.get(url, params={"height": "120"}) as response:
        only_height = jpeg_size(await response.read())
        assert response.headers["Cache-Control"] == "no-store"
    if minor(version) >= 15:
        assert (only_h, only_height) == ((640, 360), (213, 120))
    else:
        assert (only_h, only_height) == ((213, 120), (640, 360))


async def test_latest_unknown_camera(client: FrigateClient) -> None:
    with pytest.raises(FrigateNotFoundError):
        await client.latest_jpg("garage")


async def test_event_images(client: FrigateClient, server: FakeFrigateServer) -> None:
    event_id = server.create_event("front_door", "person")
    assert jpeg_size(await client.event_thumbnail(event_id)) == (311, 175)
    assert jpeg_size(await client.event_snapshot(event_id)) == (640, 360)
    assert jpeg_size(await client.event_snapshot(event_id, height=180)) == (320, 180)
    cropped = jpeg_size(await client.event_snapshot(event_id, crop=True))
    assert cropped == (640 // 6, 360 // 3)
    assert server.request_log[-1].query["crop"] == "1"
    server.end_event(event_id)
    # after the end the stored snapshot is returned unmodified
    assert jpeg_size(await client.event_snapshot(event_id, height=180)) == (640, 360)
    no_snapshot = server.create_event("front_door", "car", has_snapshot=False)
    with pytest.raises(FrigateNotFoundError):
        await client.event_snapshot(no_snapshot)
    with pytest.raises(FrigateNotFoundError):
        await client.event_thumbnail("1718000000.123456-zzzzzz")


async def test_best_jpg(client: FrigateClient, server: FakeFrigateServer, version: str) -> None:
    if minor(version) >= 17:
        with pytest.raises(FrigateNotFoundError):
            await client.best_jpg("front_door", "person")
    else:
        assert jpeg_size(await client.best_jpg("front_door", "person")) == (175, 175)
    event_id = server.create_event("front_door", "person")
    best = await client.best_jpg("front_door", "person")
    assert best == await client.event_thumbnail(event_id)
    assert await client.best_jpg("front_door", "any") == best
    with pytest.raises(FrigateNotFoundError):
        await client.best_jpg("garage", "person")


# ------------------------------------------------------------------------------ streams


async def test_mjpeg_stream(client: FrigateClient, server: FakeFrigateServer, version: str) -> None:
    async with client.mjpeg_stream("front_door", fps=20, height=90) as response:
        assert response.headers["Content-Type"] == "multipart/x-mixed-replace;boundary=frame"
        reader = aiohttp.MultipartReader(response.headers, response.content)
        sizes = []
        for _ in range(2):
            part = await reader.next()
            assert isinstance(part, aiohttp.BodyPartReader)
            assert part.headers["Content-Type"] == "image/jpeg"
            sizes.append(jpeg_size((await part.read()).rstrip(b"\r\n")))
    assert sizes == [(160, 90), (160, 90)]
    assert server.request_log[-1].query == {"fps": "20", "height": "90", "h": "90"}
    with pytest.raises(FrigateNotFoundError):
        async with client.mjpeg_stream("garage"):
            pass
    del version


async def test_event_clip(client: FrigateClient, server: FakeFrigateServer) -> None:
    event_id = server.create_event("front_door", "person", in_progress=False)
    assert client.event_clip_url(event_id) == f"{server.url}/api/events/{event_id}/clip.mp4"
    async with client.event_clip(event_id) as response:
        assert response.content_type == "video/mp4"
        data = await response.read()
    assert data[4:8] == b"ftyp"
    assert server.requests[f"/clips/front_door-{event_id}.mp4"] == 0
    no_clip = server.create_event("front_door", "person", has_clip=False)
    with pytest.raises(FrigateNotFoundError):
        async with client.event_clip(no_clip):
            pass


@pytest.mark.parametrize(
    ("byte_range", "start", "end"),
    [("bytes=0-1", 0, 1), ("bytes=100-", 100, None), ("bytes=-10", -10, None)],
)
async def test_event_clip_byte_range(
    client: FrigateClient,
    server: FakeFrigateServer,
    version: str,
    byte_range: str,
    start: int,
    end: int | None,
) -> None:
    """Up to 0.14 nginx serves the clip file (ranges); from 0.15 ffmpeg streams it (none)."""
    event_id = server.create_event("front_door", "person", in_progress=False)
    clip = fake_mp4(event_id)
    part = clip[start:] if end is None else clip[start : end + 1]
    first = start % len(clip)
    if minor(version) >= 15:
        async with client.event_clip(event_id, byte_range=byte_range) as response:
            assert response.status == 200
            assert response.content_length is None
            assert response.headers["Transfer-Encoding"] == "chunked"
            assert "Accept-Ranges" not in response.headers
            assert "Content-Range" not in response.headers
            assert await response.read() == clip
        return
    async with client.event_clip(event_id, byte_range=byte_range) as response:
        assert response.status == 206
        assert response.headers["Content-Range"] == (
            f"bytes {first}-{first + len(part) - 1}/{len(clip)}"
        )
        assert response.headers["Accept-Ranges"] == "bytes"
        assert response.content_length == len(part)
        assert await response.read() == part
    async with client.event_clip(event_id) as response:
        assert response.status == 200
        assert await response.read() == clip


async def test_event_clip_range_not_satisfiable(
    client: FrigateClient, server: FakeFrigateServer, version: str
) -> None:
    event_id = server.create_event("front_door", "person", in_progress=False)
    size = len(fake_mp4(event_id))
    if minor(version) >= 15:  # the range is ignored: the whole clip, 200
        async with client.event_clip(event_id, byte_range=f"bytes={size}-") as response:
            assert response.status == 200
            assert await response.read() == fake_mp4(event_id)
        return
    with pytest.raises(FrigateRangeNotSatisfiableError) as caught:
        async with client.event_clip(event_id, byte_range=f"bytes={size}-"):
            pass
    assert caught.value.content_range == f"bytes */{size}"


@pytest.mark.parametrize(
    "byte_range",
    [
        "bytes=0-1,5-6",
        "bytes=5-1",
        "bytes=-",
        "bytes=a-b",
        "bytes= 0-1",
        "items=0-1",
        "bytes=0-1\r\nX-Evil: 1",
        "",
        f"bytes=0-{'9' * 19}",
    ],
)
async def test_event_clip_refuses_bad_range(
    client: FrigateClient, server: FakeFrigateServer, byte_range: str
) -> None:
    event_id = server.create_event("front_door", "person", in_progress=False)
    with pytest.raises(ValueError, match="byte range"):
        async with client.event_clip(event_id, byte_range=byte_range):
            pass
    assert server.requests[f"/api/events/{event_id}/clip.mp4"] == 0


@pytest.mark.parametrize("give_camera", [True, False])
async def test_event_clip_falls_back_to_clip_files(
    server_factory: ServerFactory, make_client: ClientFactory, give_camera: bool
) -> None:
    server = await server_factory("0.12", legacy_clips=True)
    client = make_client(server)
    event_id = server.create_event("backyard", "dog", in_progress=False)
    assert client.legacy_clip_url("backyard", event_id) == (
        f"{server.url}/clips/backyard-{event_id}.mp4"
    )
    camera = "backyard" if give_camera else None
    async with client.event_clip(event_id, camera=camera) as response:
        chunk = await response.content.read(8)
    assert chunk[4:8] == b"ftyp"
    assert server.requests[f"/api/events/{event_id}/clip.mp4"] == 1
    assert server.requests[f"/api/events/{event_id}"] == (0 if give_camera else 1)
    assert server.requests[f"/clips/backyard-{event_id}.mp4"] == 1
    async with client.event_clip(event_id, camera="backyard", byte_range="bytes=4-7") as response:
        assert response.status == 206
        assert await response.read() == b"ftyp"


# ------------------------------------------------------------------------------ polling cost


async def test_requests_per_cycle_do_not_grow_with_cameras(
    server_factory: ServerFactory, make_client: ClientFactory
) -> None:
    counts = []
    for cameras in (("a",), ("a", "b", "c", "d", "e", "f", "g", "h")):
        server = await server_factory("0.17", cameras=cameras)
        for camera in cameras:
            server.create_event(camera, "person")
        client = make_client(server)
        before = sum(server.requests.values())
        stats = await client.stats()
        events = await client.events(in_progress=True)
        assert len(stats.cameras) == len(events) == len(cameras)
        counts.append(sum(server.requests.values()) - before)
    assert counts == [2, 2]
