"""The review summary per version, the server's `ui.timezone` and the shared row parsing."""

import datetime as dt
import logging
import time
from unittest.mock import AsyncMock, patch

import pytest

from custom_components.flir_frigate.api.frigate.config import FrigateConfig
from custom_components.flir_frigate.api.frigate.events import FrigateEvent
from custom_components.flir_frigate.api.frigate.exceptions import (
    FrigateFeatureUnavailableError,
    FrigateUnexpectedDeviceError,
)
from custom_components.flir_frigate.api.frigate.media import FrigateMedia
from custom_components.flir_frigate.api.frigate.parsing import parse_rows
from custom_components.flir_frigate.api.frigate.review import ReviewDay, parse_review_summary
from custom_components.flir_frigate.api.frigate.version import FrigateVersion
from tests.fakes.frigate_server import VERSION_STRINGS, FakeFrigateServer

from .conftest import ClientFactory, ServerFactory

DAY = 86400.0


def _media(server: FakeFrigateServer, make_client: ClientFactory) -> FrigateMedia:
    client = make_client(server)
    return FrigateMedia(client, FrigateVersion.parse(VERSION_STRINGS[server.version]))


def _utc_day(moment: float) -> str:
    return dt.datetime.fromtimestamp(moment, dt.UTC).date().isoformat()


@pytest.mark.parametrize("version", ["0.14", "0.15", "0.16", "0.17", "0.18"])
async def test_review_summary_per_version(
    server_factory: ServerFactory, make_client: ClientFactory, version: str
) -> None:
    """Days with alerts or detections, newest first; up to 0.16 only the last 30 days."""
    server = await server_factory(version)
    now = time.time()
    midnight = now - now % DAY
    noon = midnight + DAY / 2 if now - midnight > DAY / 2 + 600 else midnight - DAY / 2  # past
    server.media.add_review("front_door", noon - 60)
    server.media.add_review("backyard", noon - 120, severity="detection")
    reviewed = server.media.add_review("backyard", noon - 180, severity="detection")
    server.media.reviews[reviewed].reviewed = True
    server.media.add_review("front_door", noon - 3 * DAY, severity="detection")
    server.media.add_review("front_door", noon - 5 * DAY, severity="significant_motion")
    server.media.add_review("front_door", noon - 40 * DAY)
    media = _media(server, make_client)
    server.request_log.clear()
    days = await media.review_summary(timezone="UTC")
    assert [(r.path, r.query) for r in server.request_log] == [
        ("/api/review/summary", {"timezone": "UTC"})
    ]
    expected = [
        ReviewDay(day=_utc_day(noon), alerts=1, detections=2, reviewed_detections=1),
        ReviewDay(day=_utc_day(noon - 3 * DAY), detections=1),
    ]
    if int(version.split(".")[1]) >= 17:  # every day with items
        expected.append(ReviewDay(day=_utc_day(noon - 40 * DAY), alerts=1))
    assert days == expected  # the day of motion alone (0.14/0.15 count it) is left out


async def test_review_summary_across_daylight_saving(
    server_factory: ServerFactory, make_client: ClientFactory
) -> None:
    """0.17 puts 00:30 CEST of Berlin's fall-back day on that day, not the day before."""
    server = await server_factory("0.17")
    early = dt.datetime(2026, 10, 24, 22, 30, tzinfo=dt.UTC).timestamp()
    server.media.add_review("front_door", early)
    days = await _media(server, make_client).review_summary(timezone="Europe/Berlin")
    assert [day.day for day in days] == ["2026-10-25"]


async def test_review_summary_refused_or_malformed(
    server_factory: ServerFactory, make_client: ClientFactory
) -> None:
    old = _media(await server_factory("0.13"), make_client)
    with pytest.raises(FrigateFeatureUnavailableError):
        await old.review_summary(timezone="UTC")
    server = await server_factory("0.17")
    media = _media(server, make_client)
    with pytest.raises(ValueError, match="time zone"):
        await media.review_summary(timezone="../etc/passwd")
    server.faults.malformed_json = True
    with pytest.raises(FrigateUnexpectedDeviceError):
        await media.review_summary(timezone="UTC")
    server.faults.malformed_json = False
    get_json = AsyncMock(return_value=[{"day": "2026-01-01", "total_alert": 1}])
    with (
        patch.object(media._client, "_get_json", get_json),
        pytest.raises(FrigateUnexpectedDeviceError, match="not a JSON object"),
    ):
        await media.review_summary(timezone="UTC")  # rows, as the events summary has them


def test_review_summary_is_parsed_defensively() -> None:
    days = parse_review_summary(
        {
            "last24Hours": {"total_alert": 3, "total_detection": 1},
            "2026-01-01": {"total_alert": None, "total_detection": "2", "reviewed_alert": "x"},
            "2026-01-03": {"day": "2026-01-03", "total_alert": 1, "reviewed_alert": 1},
            "2026-01-02": 5,
            "2026-01-04": {"total_motion": 4, "total_alert": 0},
            "yesterday": {"total_alert": 1},
        }
    )
    assert days == [
        ReviewDay(day="2026-01-03", alerts=1, reviewed_alerts=1),
        ReviewDay(day="2026-01-01", detections=2),
    ]


async def test_ui_timezone_in_the_config(
    server_factory: ServerFactory, make_client: ClientFactory
) -> None:
    """The fake serves `ui.timezone` as set (0.12+); unset it is null."""
    server = await server_factory("0.18")
    client = make_client(server)
    assert (await client.config()).timezone is None
    server.media.ui_timezone = "America/New_York"
    assert (await client.config()).timezone == "America/New_York"
    old = await server_factory("0.12")
    old.media.ui_timezone = "Asia/Tokyo"
    assert (await make_client(old).config()).timezone == "Asia/Tokyo"


@pytest.mark.parametrize(
    ("ui", "expected", "logged"),
    [
        ({"timezone": "Europe/Berlin"}, "Europe/Berlin", False),
        ({"timezone": " America/Argentina/Buenos_Aires "}, "America/Argentina/Buenos_Aires", False),
        ({"timezone": None}, None, False),
        ({"timezone": "  "}, None, False),
        ({"timezone": 5}, None, False),
        ({"timezone": "../../etc/passwd"}, None, True),
        ({"timezone": "Europe/Berlin\nX-Injected: 1"}, None, True),
        ("browser", None, False),
        (None, None, False),
    ],
)
def test_ui_timezone_is_parsed_defensively(
    ui: object, expected: str | None, logged: bool, caplog: pytest.LogCaptureFixture
) -> None:
    """Unset or blank: None; not of a zone name's form: None and a debug line."""
    caplog.set_level(logging.DEBUG)
    config = FrigateConfig.from_dict({"cameras": {}, "ui": ui})
    assert config.timezone == expected
    assert ("not a time zone name" in caplog.text) is logged


def test_rows_are_parsed_one_by_one(caplog: pytest.LogCaptureFixture) -> None:
    """Not a list: the device is not what it claims; a bad row costs only itself."""
    caplog.set_level(logging.DEBUG)
    good = {"id": "1700000000.0-abc", "camera": "front_door", "label": "person"}
    events = parse_rows([good, 3, {"id": "../x"}, good], FrigateEvent.from_dict, "events")
    assert [event.id for event in events] == [good["id"], good["id"]]
    assert caplog.text.count("Skipping a malformed row of the Frigate events") == 2
    with pytest.raises(FrigateUnexpectedDeviceError, match="events are not a JSON list"):
        parse_rows({"rows": []}, FrigateEvent.from_dict, "events")
