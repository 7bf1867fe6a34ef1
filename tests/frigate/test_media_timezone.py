"""The media browser's days and hours follow the server's `ui.timezone`, else Home Assistant's."""

import datetime as dt
import logging

import pytest
from homeassistant.components import media_source
from homeassistant.core import HomeAssistant
from yarl import URL

from custom_components.flir_frigate.frigate.media_tree import make_id
from tests.fakes.frigate_server import FakeFrigateServer
from tests.frigate.common import FRIGATE_ENTRY_ID, FrigateFactory
from tests.frigate.media_common import loaded_media_server

ROOT = "media-source://flir_frigate"
# 2026-11-01: clocks go back in New York at 02:00 EDT (06:00 UTC); the hour 01 comes twice.
# Berlin, Home Assistant's zone here, changed a week before: that day is plain CET there.
US_FALL_BACK = dt.datetime(2026, 11, 1, 6, 0, tzinfo=dt.UTC).timestamp()


async def _loaded(
    hass: HomeAssistant, frigate_factory: FrigateFactory, ui_timezone: str | None
) -> FakeFrigateServer:
    """Frigate 0.18 with `ui: timezone:` as given in its config, Home Assistant in Berlin."""
    return await loaded_media_server(
        hass, frigate_factory, "0.18", time_zone="Europe/Berlin", ui_timezone=ui_timezone
    )


async def _titles(hass: HomeAssistant, *segments: str) -> list[str]:
    folder = await media_source.async_browse_media(hass, f"{ROOT}/{make_id(*segments)}")
    return [child.title for child in folder.children]


async def test_hours_follow_the_servers_zone_across_its_daylight_saving_day(
    hass: HomeAssistant, frigate_factory: FrigateFactory
) -> None:
    """New York's repeated 01:00 is one two-hour item; Berlin's hours would be 05 to 10."""
    frigate = await _loaded(hass, frigate_factory, "America/New_York")
    # 00:00 EDT to 05:00 EST on New York's fall-back day.
    frigate.media.add_recording("front_door", US_FALL_BACK - 2 * 3600, US_FALL_BACK + 4 * 3600)
    frigate.request_log.clear()
    assert await _titles(hass, FRIGATE_ENTRY_ID, "recordings", "front_door") == ["2026-11-01"]
    assert frigate.request_log[-1].query["timezone"] == "America/New_York"
    folder = await media_source.async_browse_media(
        hass, f"{ROOT}/{make_id(FRIGATE_ENTRY_ID, 'recordings', 'front_door', '2026-11-01')}"
    )
    assert [child.title for child in folder.children] == [
        "04:00",
        "03:00",
        "02:00",
        "01:00",
        "00:00",
    ]
    spans = []
    for child in folder.children:
        resolved = await media_source.async_resolve_media(hass, child.media_content_id, None)
        start, end = (int(part) for part in URL(resolved.url).path.split("/")[-3:-1])
        spans.append((start - US_FALL_BACK, end - US_FALL_BACK))
    hour = 3600
    assert spans == [
        (3 * hour, 4 * hour),  # 04:00 EST
        (2 * hour, 3 * hour),
        (1 * hour, 2 * hour),
        (-hour, hour),  # 01:00 EDT and 01:00 EST: both hours
        (-2 * hour, -hour),  # 00:00 EDT
    ]


async def test_review_days_and_clip_ranges_in_the_servers_zone(
    hass: HomeAssistant, frigate_factory: FrigateFactory
) -> None:
    """An item at 23:30 in New York is on the day before Berlin's; summaries ask for its zone."""
    frigate = await _loaded(hass, frigate_factory, "America/New_York")
    late = dt.datetime(2026, 11, 5, 4, 30, tzinfo=dt.UTC).timestamp()  # 23:30 EST, 05:30 CET
    frigate.media.add_review("front_door", late)
    frigate.request_log.clear()
    assert await _titles(hass, FRIGATE_ENTRY_ID, "review") == [
        "2026-11-04 · Alerts 1 · Detections 0"
    ]
    assert frigate.request_log[-1].query["timezone"] == "America/New_York"
    items = await _titles(hass, FRIGATE_ENTRY_ID, "review", "2026-11-04", "front_door")
    assert [title.split(" ", 1)[0] for title in items] == ["23:30:00"]
    assert await _titles(hass, FRIGATE_ENTRY_ID, "review", "2026-11-05", "front_door") == []
    frigate.request_log.clear()
    await _titles(hass, FRIGATE_ENTRY_ID, "clips", "today")
    assert frigate.request_log[0].path == "/api/events/summary"
    assert frigate.request_log[0].query["timezone"] == "America/New_York"


@pytest.mark.parametrize(
    ("ui_timezone", "logged"), [(None, False), ("Mars/Olympus_Mons", True), ("../x", False)]
)
async def test_home_assistants_zone_without_a_known_server_zone(
    hass: HomeAssistant,
    frigate_factory: FrigateFactory,
    caplog: pytest.LogCaptureFixture,
    ui_timezone: str | None,
    logged: bool,
) -> None:
    """Unset, unknown or not a zone name: Home Assistant's zone; an unknown one is logged."""
    caplog.set_level(logging.DEBUG)
    frigate = await _loaded(hass, frigate_factory, ui_timezone)
    frigate.media.add_recording("front_door", US_FALL_BACK - 2 * 3600, US_FALL_BACK + 4 * 3600)
    frigate.request_log.clear()
    assert await _titles(hass, FRIGATE_ENTRY_ID, "recordings", "front_door") == ["2026-11-01"]
    assert frigate.request_log[-1].query["timezone"] == "Europe/Berlin"
    hours = await _titles(hass, FRIGATE_ENTRY_ID, "recordings", "front_door", "2026-11-01")
    assert hours == ["10:00", "09:00", "08:00", "07:00", "06:00", "05:00"]
    assert ("is unknown here; using Home Assistant's" in caplog.text) is logged
