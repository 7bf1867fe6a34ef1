"""Frigate in Home Assistant's media browser, against the fake over loopback."""

import datetime as dt
import time
from http import HTTPStatus
from typing import Any

import pytest
from homeassistant.components import media_source
from homeassistant.components.media_player.errors import BrowseError
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from yarl import URL

from custom_components.flir_frigate.frigate.const import OPTION_MEDIA_BROWSER
from custom_components.flir_frigate.frigate.media_tree import PAGE_SIZE, day_range, make_id
from tests.fakes.frigate_media import CLIP_FILE
from tests.fakes.frigate_server import FakeFrigateServer
from tests.frigate.common import FRIGATE_ENTRY_ID, FrigateFactory
from tests.frigate.media_common import loaded_media_server

ROOT = "media-source://flir_frigate"


def _uri(*segments: str) -> str:
    return f"{ROOT}/{make_id(*segments)}"


async def _browse(hass: HomeAssistant, *segments: str) -> Any:
    return await media_source.async_browse_media(hass, _uri(*segments) if segments else ROOT)


def _titles(folder: Any) -> list[str]:
    return [child.title for child in folder.children]


async def _loaded(
    hass: HomeAssistant, frigate_factory: FrigateFactory, version: str = "0.17", **options: Any
) -> FakeFrigateServer:
    return await loaded_media_server(
        hass, frigate_factory, version, time_zone="Europe/Berlin", options=options
    )


@pytest.mark.parametrize("version", ["0.13", "0.14", "0.18"])
async def test_top_folders_per_version(
    hass: HomeAssistant, frigate_factory: FrigateFactory, version: str
) -> None:
    """Review and exports exist from 0.14; the root lists the server."""
    await _loaded(hass, frigate_factory, version)
    root = await _browse(hass)
    assert [child.identifier for child in root.children] == [FRIGATE_ENTRY_ID]
    top = await _browse(hass, FRIGATE_ENTRY_ID)
    expected = ["Clips", "Snapshots", "Recordings"]
    if version != "0.13":
        expected = ["Clips", "Snapshots", "Review", "Recordings", "Exports"]
    assert _titles(top) == expected


async def test_hidden_by_option(hass: HomeAssistant, frigate_factory: FrigateFactory) -> None:
    await _loaded(hass, frigate_factory, **{OPTION_MEDIA_BROWSER: False})
    assert (await _browse(hass)).children == []
    with pytest.raises(BrowseError):
        await _browse(hass, FRIGATE_ENTRY_ID)
    with pytest.raises(media_source.Unresolvable):
        await media_source.async_resolve_media(
            hass, _uri(FRIGATE_ENTRY_ID, "export", "x.mp4"), None
        )


async def test_clips_by_range_camera_label_zone(
    hass: HomeAssistant, frigate_factory: FrigateFactory, hass_client: ClientSessionGenerator
) -> None:
    """Counts from the summary, events newest first with thumbnails, playable clips."""
    frigate = await _loaded(hass, frigate_factory)
    now = time.time()
    first = frigate.create_event(
        "front_door", "person", zones=["porch"], in_progress=False, start_time=now - 120
    )
    second = frigate.create_event("front_door", "person", in_progress=False, start_time=now - 60)
    frigate.create_event("backyard", "car", in_progress=False, start_time=now - 30)
    frigate.media.real_clips = True
    ranges = await _browse(hass, FRIGATE_ENTRY_ID, "clips")
    assert _titles(ranges) == ["Today", "Yesterday", "This week", "This month", "Earlier"]
    cameras = await _browse(hass, FRIGATE_ENTRY_ID, "clips", "today")
    assert _titles(cameras) == ["backyard (1)", "front_door (2)"]
    labels = await _browse(hass, FRIGATE_ENTRY_ID, "clips", "today", "front_door")
    assert _titles(labels) == ["person (2)"]
    frigate.request_log.clear()
    label = await _browse(hass, FRIGATE_ENTRY_ID, "clips", "today", "front_door", "person")
    assert len(frigate.request_log) == 2  # the summary and one page of events
    assert [child.title for child in label.children if child.can_expand] == ["porch (1)"]
    events = [child for child in label.children if child.can_play]
    assert [child.identifier.rsplit("/", 1)[-1] for child in events] == [second, first]
    assert (
        events[0].thumbnail == f"/api/flir_frigate/{FRIGATE_ENTRY_ID}/event/{second}/thumbnail.jpg"
    )
    zone = await _browse(hass, FRIGATE_ENTRY_ID, "clips", "today", "front_door", "person", "porch")
    assert [child.identifier.rsplit("/", 1)[-1] for child in zone.children] == [first]
    resolved = await media_source.async_resolve_media(hass, events[0].media_content_id, None)
    assert resolved.mime_type == "video/mp4"
    client = await hass_client()
    response = await client.get(URL(resolved.url).path)
    assert response.status == HTTPStatus.OK
    assert await response.read() == CLIP_FILE.read_bytes()
    snapshots = await _browse(hass, FRIGATE_ENTRY_ID, "snapshots", "today", "front_door", "person")
    item = next(child for child in snapshots.children if child.can_play)
    resolved = await media_source.async_resolve_media(hass, item.media_content_id, None)
    assert resolved.mime_type == "image/jpeg"


async def test_ten_thousand_events_are_paged(
    hass: HomeAssistant, frigate_factory: FrigateFactory
) -> None:
    """A folder costs two requests and one page, however many events; older pages follow."""
    frigate = await _loaded(hass, frigate_factory)
    frigate.media.add_events(10_000)
    path = (FRIGATE_ENTRY_ID, "clips", "earlier", "front_door", "person")
    frigate.request_log.clear()
    started = time.clock_gettime(time.CLOCK_MONOTONIC)  # freezegun leaves this clock alone
    folder = await _browse(hass, *path)
    elapsed = time.clock_gettime(time.CLOCK_MONOTONIC) - started
    print(f"listing with 10,000 events: {elapsed * 1000:.0f} ms")
    assert len(frigate.request_log) == 2
    assert [record.query.get("limit") for record in frigate.request_log] == [None, str(PAGE_SIZE)]
    playable = [child for child in folder.children if child.can_play]
    assert len(playable) == PAGE_SIZE
    older = folder.children[-1]
    assert older.title == "Older"
    frigate.request_log.clear()
    following = await _browse(hass, *older.identifier.split("/"))
    assert len(frigate.request_log) == 2
    assert following.children[0].identifier != playable[0].identifier
    before = float(frigate.request_log[1].query["before"])
    assert before == pytest.approx(float(older.identifier.rsplit("/", 1)[-1]))


async def test_review_by_day_and_camera(
    hass: HomeAssistant, frigate_factory: FrigateFactory, hass_client: ClientSessionGenerator
) -> None:
    frigate = await _loaded(hass, frigate_factory)
    now = time.time()
    frigate.media.add_recording("front_door", now - 3600, now)
    frigate.media.real_clips = True
    review = frigate.media.add_review("front_door", now - 300, end=now - 280, objects=["person"])
    frigate.media.add_review("backyard", now - 200, severity="detection")
    earlier = now - 3 * 86400
    frigate.media.add_review("backyard", earlier, severity="detection")
    today = dt_util.now().date().isoformat()
    day = dt_util.as_local(dt_util.utc_from_timestamp(earlier)).date().isoformat()
    frigate.request_log.clear()
    days = await _browse(hass, FRIGATE_ENTRY_ID, "review")
    assert [record.path for record in frigate.request_log] == ["/api/review/summary"]
    assert frigate.request_log[0].query["timezone"] == "Europe/Berlin"
    # Only the days with items, newest first, with their counts: no empty days between.
    assert _titles(days) == [
        f"{today} · Alerts 1 · Detections 1",
        f"{day} · Alerts 0 · Detections 1",
    ]
    cameras = await _browse(hass, FRIGATE_ENTRY_ID, "review", today)
    assert _titles(cameras) == ["front_door", "backyard"]
    items = await _browse(hass, FRIGATE_ENTRY_ID, "review", today, "front_door")
    assert len(items.children) == 1
    item = items.children[0]
    assert "Alert person" in item.title
    client = await hass_client()
    thumb = await client.get(item.thumbnail)
    assert thumb.status == HTTPStatus.OK
    assert thumb.content_type == "image/webp"
    resolved = await media_source.async_resolve_media(hass, item.media_content_id, None)
    response = await client.get(URL(resolved.url).path, headers={"Range": "bytes=0-9"})
    assert response.status == HTTPStatus.OK  # 0.17 cuts the clip and ignores ranges
    assert await response.read() == CLIP_FILE.read_bytes()
    assert review in item.media_content_id


async def test_recordings_across_daylight_saving(
    hass: HomeAssistant,
    frigate_factory: FrigateFactory,
    hass_client: ClientSessionGenerator,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """The repeated hour of 2026-10-25 in Berlin plays both hours; summer hours use +2."""
    frigate = await _loaded(hass, frigate_factory)
    fall_back = dt.datetime(2026, 10, 25, tzinfo=dt.UTC).timestamp()
    frigate.media.add_recording("front_door", fall_back - 7200, fall_back + 4 * 3600)
    cameras = await _browse(hass, FRIGATE_ENTRY_ID, "recordings")
    assert _titles(cameras) == ["front_door", "backyard"]
    days = await _browse(hass, FRIGATE_ENTRY_ID, "recordings", "front_door")
    assert _titles(days) == ["2026-10-25"]
    hours = await _browse(hass, FRIGATE_ENTRY_ID, "recordings", "front_door", "2026-10-25")
    assert _titles(hours) == ["04:00", "03:00", "02:00", "01:00", "00:00"]
    resolved = await media_source.async_resolve_media(
        hass, hours.children[2].media_content_id, None
    )
    assert resolved.mime_type == "application/vnd.apple.mpegurl"
    start, end = (int(part) for part in URL(resolved.url).path.split("/")[-3:-1])
    assert (start, end) == (fall_back, fall_back + 7200)
    midnight = await media_source.async_resolve_media(
        hass, hours.children[-1].media_content_id, None
    )
    assert int(URL(midnight.url).path.split("/")[-3]) == fall_back - 7200  # 00:00 CEST

    client = await hass_client()
    playlist = await client.get(URL(resolved.url).path)
    assert playlist.status == HTTPStatus.OK
    text = await playlist.text()
    assert "authSig=" in text
    assert frigate.url not in text
    segments = [line for line in text.splitlines() if not line.startswith("#")]
    assert len(segments) == 2
    anonymous = await hass_client_no_auth()
    for segment in segments:
        response = await anonymous.get(segment)
        assert response.status == HTTPStatus.OK
        assert len(await response.read()) > 1000
    init = text.split('URI="', 1)[1].split('"', 1)[0]
    assert (await anonymous.get(init)).status == HTTPStatus.OK
    unsigned = segments[0].split("?", 1)[0]
    assert (await anonymous.get(unsigned)).status == HTTPStatus.UNAUTHORIZED


async def test_exports(
    hass: HomeAssistant, frigate_factory: FrigateFactory, hass_client: ClientSessionGenerator
) -> None:
    frigate = await _loaded(hass, frigate_factory, "0.18")
    now = time.time()
    frigate.media.add_recording("front_door", now - 3600, now)
    from custom_components.flir_frigate.api.frigate.media import FrigateMedia

    entry = hass.config_entries.async_get_entry(FRIGATE_ENTRY_ID)
    assert entry is not None
    media = FrigateMedia(entry.runtime_data.client, entry.runtime_data.info.version)
    await media.export_recording("front_door", now - 600, now - 300, name="Parcel")
    frigate.media.export_delay = 60
    await media.export_recording("front_door", now - 200, now - 100, name="Running")
    folder = await _browse(hass, FRIGATE_ENTRY_ID, "exports")
    assert [child.can_play for child in folder.children] == [False, True]
    assert folder.children[1].title.startswith("Parcel (front_door, ")
    resolved = await media_source.async_resolve_media(
        hass, folder.children[1].media_content_id, None
    )
    client = await hass_client()
    response = await client.get(URL(resolved.url).path, headers={"Range": "bytes=10-19"})
    assert response.status == HTTPStatus.PARTIAL_CONTENT
    assert await response.read() == CLIP_FILE.read_bytes()[10:20]
    assert response.headers["Content-Range"] == f"bytes 10-19/{CLIP_FILE.stat().st_size}"


async def test_bad_identifiers(hass: HomeAssistant, frigate_factory: FrigateFactory) -> None:
    frigate = await _loaded(hass, frigate_factory)
    for segments in (
        ("nope",),
        (FRIGATE_ENTRY_ID, "nothing"),
        (FRIGATE_ENTRY_ID, "clips", "someday"),
        (FRIGATE_ENTRY_ID, "clips", "today", "../x"),
        (FRIGATE_ENTRY_ID, "recordings", "front_door", "2026-01-01"),
        (FRIGATE_ENTRY_ID, "review", "yesterday"),
    ):
        with pytest.raises(BrowseError):
            await _browse(hass, *segments)
    for segments in (
        (FRIGATE_ENTRY_ID, "event", "clips", "../../x"),
        (FRIGATE_ENTRY_ID, "export", "../x.mp4"),
        (FRIGATE_ENTRY_ID, "recording", "front_door", "2026-01-01", "x"),
        (FRIGATE_ENTRY_ID, "unknown"),
    ):
        with pytest.raises(media_source.Unresolvable):
            await media_source.async_resolve_media(hass, _uri(*segments), None)
    frigate.faults.status = 500
    with pytest.raises(BrowseError, match="Frigate"):
        await _browse(hass, FRIGATE_ENTRY_ID, "exports")


def test_day_ranges() -> None:
    today = dt.date(2026, 11, 4)  # a Wednesday
    assert day_range("this_week", today).contains("2026-11-02")
    assert not day_range("this_week", today).contains("2026-11-01")
    assert day_range("earlier", today).contains("2026-10-31")
    assert not day_range("today", today).contains("not a day")
    with pytest.raises(ValueError, match="range"):
        day_range("someday", today)
