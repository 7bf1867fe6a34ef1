"""`FrigateMedia` against the fake over loopback: recordings, review, exports and actions."""

import datetime as dt
import time
import zoneinfo

import aiohttp
import pytest

from custom_components.flir_frigate.api.frigate.exceptions import (
    FrigateAuthenticationError,
    FrigateFeatureUnavailableError,
    FrigateForbiddenError,
    FrigateNotFoundError,
    FrigateRequestRejectedError,
    FrigateUnexpectedDeviceError,
)
from custom_components.flir_frigate.api.frigate.exports import (
    FrigateExport,
    export_body,
    validate_export_file,
    validate_export_id,
)
from custom_components.flir_frigate.api.frigate.media import (
    FrigateMedia,
    timestamp_segment,
    validate_vod_file,
)
from custom_components.flir_frigate.api.frigate.paths import validate_timezone
from custom_components.flir_frigate.api.frigate.review import (
    RecordingDay,
    ReviewItem,
    hour_span,
    validate_review_id,
)
from custom_components.flir_frigate.api.frigate.version import FrigateVersion
from tests.fakes.frigate_media import CLIP_FILE
from tests.fakes.frigate_server import VERSION_STRINGS, FakeFrigateServer

from .conftest import AUTH_VERSIONS, PASSWORD, ClientFactory, ServerFactory

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
# 2026-10-25: clocks go back in Berlin at 03:00 CEST (01:00 UTC); the hour 02 comes twice.
FALL_BACK = dt.datetime(2026, 10, 25, 0, 0, tzinfo=dt.UTC).timestamp()


def _media(server: FakeFrigateServer, make_client: ClientFactory, **kwargs: object) -> FrigateMedia:
    client = make_client(server, **kwargs)
    return FrigateMedia(client, FrigateVersion.parse(VERSION_STRINGS[server.version]))


@pytest.mark.parametrize("version", ["0.16", "0.17", "0.18"])
async def test_recordings_summary_across_daylight_saving(
    server_factory: ServerFactory, make_client: ClientFactory, version: str
) -> None:
    """0.17+ group by the offset in force then; 0.16 by today's offset, one hour off in October."""
    server = await server_factory(version)
    # 22:00 UTC on the 24th to 04:00 UTC on the 25th: 00:00 CEST to 05:00 CET.
    server.media.add_recording("front_door", FALL_BACK - 2 * 3600, FALL_BACK + 4 * 3600)
    media = _media(server, make_client)
    days = await media.recordings_summary("front_door", timezone="Europe/Berlin")
    hours = {day.day: [hour.hour for hour in day.hours] for day in days}
    if version == "0.16":  # today's (winter) offset, +1, for every row: summer hours shifted
        assert hours == {"2026-10-25": [4, 3, 2, 1, 0], "2026-10-24": [23]}
    else:
        assert hours == {"2026-10-25": [4, 3, 2, 1, 0]}
        repeated = next(hour for hour in days[0].hours if hour.hour == 2)
        assert repeated.duration == 7200  # both 02:00 hours, listed twice, in one row
        start, end = hour_span("2026-10-25", 2, BERLIN)
        assert (start, end) == (FALL_BACK, FALL_BACK + 7200)
    assert await media.recordings_summary("backyard", timezone="utc") == []


async def test_hour_span_uses_the_days_own_offset() -> None:
    """Summer hours map with +2, winter hours with +1: never today's offset."""
    start, end = hour_span("2026-07-01", 12, BERLIN)
    assert dt.datetime.fromtimestamp(start, dt.UTC).hour == 10
    assert end - start == 3600
    start, _ = hour_span("2026-12-01", 12, BERLIN)
    assert dt.datetime.fromtimestamp(start, dt.UTC).hour == 11
    # 2026-03-29: 02:00 does not exist; the hour 01 ends at 03:00 CEST (01:00 UTC).
    start, end = hour_span("2026-03-29", 1, BERLIN)
    assert end - start == 3600
    assert hour_span("2026-03-29", 3, BERLIN)[0] == end


@pytest.mark.parametrize("version", ["0.14", "0.17", "0.18"])
async def test_review_items_and_mark_reviewed(
    server_factory: ServerFactory, make_client: ClientFactory, version: str
) -> None:
    server = await server_factory(version)
    now = time.time()
    first = server.media.add_review("front_door", now - 100, end=now - 50, zones=["porch"])
    second = server.media.add_review("backyard", now - 10, severity="detection")
    media = _media(server, make_client)
    items = await media.review_items()
    assert [item.id for item in items] == [second, first]
    assert items[0].severity == "detection"
    assert items[0].end_time is None
    assert items[1].zones == ("porch",)
    assert items[1].thumbnail_file == f"thumb-front_door-{first}.webp"
    only = await media.review_items(camera="front_door", severity="alert", limit=5)
    assert [item.id for item in only] == [first]
    body, content_type = await media.review_thumbnail(items[1])
    assert content_type == "image/webp"
    assert body.startswith(b"RIFF")
    await media.mark_reviewed([first])
    assert server.media.reviews[first].reviewed
    assert (await media.review_items(camera="front_door"))[0].reviewed
    with pytest.raises(ValueError, match="review id"):
        await media.mark_reviewed(["../x"])
    with pytest.raises(ValueError, match="between"):
        await media.mark_reviewed([])
    with pytest.raises(ValueError, match="severity"):
        await media.review_items(severity="all")


async def test_features_missing_before_their_version(
    server_factory: ServerFactory, make_client: ClientFactory
) -> None:
    """0.13 has no review items; 0.12 no manual events or exports: refused before a request."""
    server = await server_factory("0.12")
    media = _media(server, make_client)
    before = len(server.request_log)
    for call in (
        media.review_items(),
        media.exports(),
        media.mark_reviewed(["1700000000.0-abc"]),
        media.create_event("front_door", "person"),
        media.end_event("1700000000.0-abc"),
        media.export_recording("front_door", 1, 2),
    ):
        with pytest.raises(FrigateFeatureUnavailableError):
            await call
    assert len(server.request_log) == before
    assert media.version.minor == 12


@pytest.mark.parametrize("version", ["0.13", "0.14", "0.15", "0.17", "0.18"])
async def test_export_per_version(
    server_factory: ServerFactory, make_client: ClientFactory, version: str
) -> None:
    """Realtime and timelapse exports: `playback` up to 0.17, the custom path on 0.18."""
    server = await server_factory(version)
    now = time.time()
    server.media.add_recording("front_door", now - 3600, now)
    media = _media(server, make_client)
    realtime = await media.export_recording("front_door", now - 600, now - 300, name="Door")
    timelapse = await media.export_recording(
        "front_door", now - 1200, now - 900, playback="timelapse"
    )
    kinds = sorted(export.playback for export in server.media.exports.values())
    assert kinds == ["realtime", "timelapse"]
    minor = int(version.split(".")[1])
    if minor < 15:
        assert realtime is None
        assert timelapse is None
    else:
        assert realtime in server.media.exports
        assert server.media.exports[realtime].name == "Door"
    if minor >= 18:
        assert all("playback" not in export.body for export in server.media.exports.values())
        assert any("/export/custom/" in record.path for record in server.request_log)
    if minor >= 14:
        exports = await media.exports()
        assert len(exports) == 2
        assert exports[0].date is not None
        assert exports[1].date is not None
        assert exports[0].date > exports[1].date
        assert exports[0].file is not None
        async with media.export_file(exports[0].file, byte_range="bytes=0-99") as response:
            assert response.status == 206
            assert await response.read() == CLIP_FILE.read_bytes()[:100]
    with pytest.raises(FrigateRequestRejectedError):  # no recordings then
        await media.export_recording("front_door", now - 90000, now - 86400)
    with pytest.raises(FrigateNotFoundError):
        await media.export_recording("garage", now - 600, now - 300)
    with pytest.raises(ValueError, match="after the start"):
        await media.export_recording("front_door", now, now - 1)


@pytest.mark.parametrize("version", ["0.13", "0.16", "0.18"])
async def test_manual_events_and_retain(
    server_factory: ServerFactory, make_client: ClientFactory, version: str
) -> None:
    server = await server_factory(version)
    media = _media(server, make_client)
    event_id = await media.create_event(
        "front_door", "package", sub_label="DHL", duration=None, include_recording=False
    )
    assert event_id is not None
    event = server.events[event_id]
    assert event.sub_label == "DHL"
    assert event.end_time is None
    assert not event.has_clip
    await media.end_event(event_id)
    assert server.events[event_id].end_time is not None
    await media.retain_event(event_id, retain=True)
    assert server.events[event_id].retain
    await media.retain_event(event_id, retain=False)
    assert not server.events[event_id].retain
    with pytest.raises(FrigateNotFoundError):
        await media.retain_event("1700000000.0-nosuch", retain=True)
    with pytest.raises(FrigateNotFoundError):
        await media.create_event("garage", "person")


@pytest.mark.parametrize("version", ["0.16", "0.17", "0.18"])
async def test_viewer_refused(
    server_factory: ServerFactory, make_client: ClientFactory, version: str
) -> None:
    """A viewer may read and mark reviewed, not create, retain or (up to 0.17) export."""
    server = await server_factory(version, auth="login", role="viewer")
    now = time.time()
    server.media.add_recording("front_door", now - 3600, now)
    review = server.media.add_review("front_door", now - 100)
    event_id = server.create_event("front_door", "person", in_progress=False)
    media = _media(server, make_client, username="admin", password=PASSWORD)
    with pytest.raises(FrigateForbiddenError):
        await media.create_event("front_door", "person")
    with pytest.raises(FrigateForbiddenError):
        await media.end_event(event_id)
    with pytest.raises(FrigateForbiddenError):
        await media.retain_event(event_id, retain=True)
    await media.mark_reviewed([review])
    if version == "0.18":
        assert await media.export_recording("front_door", now - 60, now - 30) is not None
    else:
        with pytest.raises(FrigateForbiddenError):
            await media.export_recording("front_door", now - 60, now - 30)
    assert issubclass(FrigateForbiddenError, FrigateAuthenticationError)


async def test_custom_role_limited_to_a_camera(
    server_factory: ServerFactory, make_client: ClientFactory
) -> None:
    """0.17 custom roles: other cameras' media are 403, their review items are not listed."""
    server = await server_factory("0.17", auth="login", role="door", roles={"door": ["front_door"]})
    now = time.time()
    server.media.add_recording("backyard", now - 3600, now)
    server.media.add_review("backyard", now - 100)
    kept = server.media.add_review("front_door", now - 50)
    media = _media(server, make_client, username="admin", password=PASSWORD)
    assert [item.id for item in await media.review_items()] == [kept]
    with pytest.raises(FrigateAuthenticationError):
        await media.recordings_summary("backyard", timezone="utc")
    with pytest.raises(FrigateAuthenticationError):
        async with media.recording_clip("backyard", now - 60, now):
            pass


@pytest.mark.parametrize("version", ["0.14", "0.17"])
async def test_vod_and_recording_clip(
    server_factory: ServerFactory, make_client: ClientFactory, version: str
) -> None:
    server = await server_factory(version)
    now = time.time()
    server.media.add_recording("front_door", now - 3600, now)
    server.media.real_clips = True
    media = _media(server, make_client)
    playlist = await media.vod_playlist("front_door", now - 600, now, "index.m3u8")
    assert b'#EXT-X-MAP:URI="init-v1.mp4"' in playlist
    async with media.vod_file("front_door", now - 600, now, "seg-1-v1.m4s") as response:
        assert len(await response.read()) > 1000
    with pytest.raises(FrigateNotFoundError):
        await media.vod_playlist("front_door", now - 90000, now - 86400, "index.m3u8")
    async with media.recording_clip("front_door", now - 60, now) as response:
        assert await response.read() == CLIP_FILE.read_bytes()
    with pytest.raises(ValueError, match="playlist"):
        await media.vod_playlist("front_door", now - 60, now, "seg-1-v1.m4s")
    with pytest.raises(ValueError, match="HLS"):
        await media.vod_playlist("front_door", now - 60, now, "../index.m3u8")


async def test_events_page_is_bounded(
    server_factory: ServerFactory, make_client: ClientFactory
) -> None:
    """10,000 events: a page is `limit` rows, the next starts before the last one."""
    server = await server_factory("0.17")
    server.media.add_events(10_000)
    media = _media(server, make_client)
    page = await media._client.events(limit=50, has_clip=True)
    assert len(page) == 50
    following = await media._client.events(limit=50, has_clip=True, before=page[-1].start_time)
    assert len(following) == 50
    assert following[0].start_time < page[-1].start_time  # type: ignore[operator]


async def test_malformed_answers(
    server_factory: ServerFactory, make_client: ClientFactory, session: aiohttp.ClientSession
) -> None:
    server = await server_factory("0.17")
    media = _media(server, make_client)
    server.faults.malformed_json = True
    with pytest.raises(FrigateUnexpectedDeviceError):
        await media.review_items()


def test_models_are_defensive() -> None:
    """Rows without identity raise; odd values become None; paths are checked."""
    with pytest.raises(ValueError):
        ReviewItem.from_dict({"id": "x", "camera": "a", "start_time": 1})
    with pytest.raises(ValueError):
        ReviewItem.from_dict({"id": "1.0-abc", "camera": "a"})
    item = ReviewItem.from_dict(
        {"id": "1.0-abc", "camera": "a", "start_time": "5", "thumb_path": "/etc/passwd"}
    )
    assert item.thumbnail_file is None
    assert (
        ReviewItem.from_dict({"id": "1.0-abc", "camera": "a", "start_time": 1}).thumbnail_file
        is None
    )
    day = RecordingDay.from_dict(
        {"day": "2026-01-01", "hours": [{"hour": "25"}, {"hour": "07", "duration": "x"}, 3]}
    )
    assert [hour.hour for hour in day.hours] == [7]
    assert day.hours[0].duration is None
    with pytest.raises(ValueError):
        RecordingDay.from_dict({"day": "yesterday"})
    export = FrigateExport.from_dict(
        {"id": "door_abc123", "camera": "door", "video_path": "/media/frigate/exports/../x.mp4"}
    )
    assert export.file is None
    assert (
        FrigateExport.from_dict({"id": "a_b", "camera": "c", "video_path": "/tmp/x.mp4"}).file
        is None
    )
    for bad in ("a/b", "", "x" * 200):
        with pytest.raises(ValueError):
            validate_export_id(bad)
    for bad in ("../a.mp4", "a.mkv", ".mp4", "a/b.mp4"):
        with pytest.raises(ValueError):
            validate_export_file(bad)
    for bad in ("Europe/../x", "a b", ""):
        with pytest.raises(ValueError):
            validate_timezone(bad)
    assert validate_timezone("America/Argentina/Buenos_Aires")
    with pytest.raises(ValueError):
        validate_review_id("1.0")
    for bad in ("a.txt", "x" * 70 + ".ts", "a b.ts"):
        with pytest.raises(ValueError):
            validate_vod_file(bad)
    for bad in (float("nan"), -1.0, True):
        with pytest.raises(ValueError):
            timestamp_segment(bad)
    assert timestamp_segment(1700000000.0) == "1700000000"
    assert timestamp_segment(1.25) == "1.250"
    assert export_body(13, "timelapse", "x") == {"playback": "timelapse_25x"}
    assert export_body(17, "realtime", "x") == {
        "playback": "realtime",
        "source": "recordings",
        "name": "x",
    }
    assert export_body(18, "timelapse", None) == {"source": "recordings"}


@pytest.mark.parametrize("version", AUTH_VERSIONS[:1])
async def test_write_logs_in_after_401(
    server_factory: ServerFactory, make_client: ClientFactory, version: str
) -> None:
    """A write on the authenticated port logs in once and retries."""
    server = await server_factory(version, auth="login")
    event_id = server.create_event("front_door", "person", in_progress=False)
    media = _media(server, make_client, username="admin", password=PASSWORD)
    await media.retain_event(event_id, retain=True)
    assert server.events[event_id].retain
    assert [record.path for record in server.request_log].count("/api/login") == 1


async def test_demo_data_for_develop(
    server_factory: ServerFactory, make_client: ClientFactory
) -> None:
    """The standalone fake's demo: recordings, events with real clips, reviews and an export."""
    server = await server_factory("0.17")
    server.media.demo()
    media = _media(server, make_client)
    assert len(await media.review_items()) == 6
    assert [export.name for export in await media.exports()] == ["Demo export"]
    days = await media.recordings_summary("front_door", timezone="utc")
    assert sum(len(day.hours) for day in days) >= 26
    event = (await media._client.events(limit=1))[0]
    async with media._client.event_clip(event.id) as response:
        assert await response.read() == CLIP_FILE.read_bytes()
