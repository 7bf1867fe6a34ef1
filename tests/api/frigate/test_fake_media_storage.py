"""The fake's clips, offline stills, process lines and recordings sizes, pinned per version.

What real servers do (../shared/reference/frigate-api.md §6-§7, and Frigate's source):

* clips: up to 0.14 the clip is written to a file that nginx serves (byte ranges); from 0.15
  `recording_clip` (frigate/api/media.py) streams ffmpeg's output: 200, chunked, no length,
  any `Range` ignored; the clip of an event in progress grows between requests;
* 0.18 `latest_frame`: an offline camera gets its last preview frame (180 px high) with
  `X-Frigate-Offline: true`; earlier versions send no such header;
* `cpu_usages` (top) has a line for every process, the detector's pid among them;
* `/api/recordings/storage`: per camera `usage` (MB up to 0.12, MiB after; null without
  recordings), `bandwidth` and `usage_percent`; keyed by `friendly_name` from 0.17.
"""

import io

import aiohttp
import pytest
from PIL import Image

from tests.fakes.frigate_server import CLIP_BYTES_PER_SECOND, fake_mp4, growing_mp4

from .conftest import ServerFactory


@pytest.mark.parametrize("version", ["0.15", "0.17", "0.18"])
async def test_clip_streamed_without_ranges(
    server_factory: ServerFactory, session: aiohttp.ClientSession, version: str
) -> None:
    server = await server_factory(version)
    event_id = server.create_event("front_door", "person", in_progress=False)
    url = f"{server.url}/api/events/{event_id}/clip.mp4"
    size = len(fake_mp4(event_id))
    for byte_range in ("bytes=0-1", f"bytes={size}-", "bytes=-5", None):
        headers = {} if byte_range is None else {"Range": byte_range}
        async with session.get(url, headers=headers) as response:
            assert response.status == 200
            assert response.content_type == "video/mp4"
            assert response.headers["Transfer-Encoding"] == "chunked"
            assert "Content-Length" not in response.headers
            assert "Accept-Ranges" not in response.headers
            assert await response.read() == fake_mp4(event_id)


async def test_clip_file_served_with_ranges_up_to_0_14(
    server_factory: ServerFactory, session: aiohttp.ClientSession
) -> None:
    server = await server_factory("0.14")
    event_id = server.create_event("front_door", "person", in_progress=False)
    url = f"{server.url}/api/events/{event_id}/clip.mp4"
    async with session.get(url, headers={"Range": "bytes=4-7"}) as response:
        assert response.status == 206
        assert await response.read() == b"ftyp"


async def test_clip_in_progress_grows(
    server_factory: ServerFactory, session: aiohttp.ClientSession
) -> None:
    server = await server_factory("0.18")
    event_id = server.create_event("front_door", "person")
    server.events[event_id].start_time -= 3
    url = f"{server.url}/api/events/{event_id}/clip.mp4"
    async with session.get(url) as response:
        first = await response.read()
    assert len(first) >= len(growing_mp4(event_id, 3))
    server.events[event_id].start_time -= 10
    async with session.get(url) as response:
        second = await response.read()
    assert len(second) >= len(first) + 10 * CLIP_BYTES_PER_SECOND
    server.end_event(event_id)
    async with session.get(url) as response:
        assert await response.read() == fake_mp4(event_id)


@pytest.mark.parametrize(
    ("version", "offline_header", "size"),
    [("0.17", None, (640, 360)), ("0.18", "true", (320, 180))],
)
async def test_offline_still(
    server_factory: ServerFactory,
    session: aiohttp.ClientSession,
    version: str,
    offline_header: str | None,
    size: tuple[int, int],
) -> None:
    server = await server_factory(version)
    server.set_camera_offline("backyard")
    async with session.get(f"{server.url}/api/backyard/latest.jpg") as response:
        assert response.status == 200
        assert response.headers.get("X-Frigate-Offline") == offline_header
        assert Image.open(io.BytesIO(await response.read())).size == size
    async with session.get(f"{server.url}/api/backyard/latest.jpg?height=90") as response:
        assert Image.open(io.BytesIO(await response.read())).height == 90
    async with session.get(f"{server.url}/api/front_door/latest.jpg") as response:
        assert "X-Frigate-Offline" not in response.headers


async def test_process_lines(server_factory: ServerFactory, session: aiohttp.ClientSession) -> None:
    server = await server_factory("0.17")
    async with session.get(f"{server.url}/api/stats") as response:
        stats = await response.json()
    detector_pid = str(stats["detectors"]["coral"]["pid"])
    assert stats["cpu_usages"][detector_pid]["cpu"] == "2.7"
    for process in stats["processes"].values():
        assert str(process["pid"]) in stats["cpu_usages"]


@pytest.mark.parametrize(
    ("version", "key", "usage"),
    [
        ("0.12", "front_door", round(20480.25 * 1.048576, 2)),  # MB
        ("0.16", "front_door", 20480.25),
        ("0.17", "Front Entrance", 20480.25),
        ("0.18", "Front Entrance", 20480.25),
    ],
)
async def test_recordings_storage(
    server_factory: ServerFactory,
    session: aiohttp.ClientSession,
    version: str,
    key: str,
    usage: float,
) -> None:
    server = await server_factory(version)
    server.cameras["front_door"].friendly_name = "Front Entrance"
    server.recordings_usage["backyard"] = None  # no recordings
    async with session.get(f"{server.url}/api/recordings/storage") as response:
        assert response.status == 200
        storage = await response.json()
    assert set(storage) == {key, "backyard"}
    assert storage[key]["usage"] == usage
    assert storage[key]["usage_percent"] > 0
    assert storage["backyard"] == {"usage": None, "bandwidth": storage[key]["bandwidth"]}
