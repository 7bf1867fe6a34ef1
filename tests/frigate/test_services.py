"""Frigate actions against the fake over loopback, per version, refusals included."""

import time
from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.flir_frigate.const import DOMAIN
from tests.frigate.common import FRIGATE_ENTRY_ID, FrigateFactory
from tests.frigate.media_common import loaded_media_server


async def _call(hass: HomeAssistant, service: str, response: bool = False, **data: Any) -> Any:
    data.setdefault("config_entry_id", FRIGATE_ENTRY_ID)
    return await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=response
    )


_setup = loaded_media_server


@pytest.mark.parametrize("version", ["0.13", "0.17", "0.18"])
async def test_create_end_and_retain(
    hass: HomeAssistant, frigate_factory: FrigateFactory, version: str
) -> None:
    frigate = await _setup(hass, frigate_factory, version)
    result = await _call(
        hass,
        "create_event",
        True,
        camera="front_door",
        label="package",
        sub_label="DHL",
        include_recording=False,
    )
    event_id = result["event_id"]
    event = frigate.events[event_id]
    assert (event.label, event.sub_label, event.end_time, event.has_clip) == (
        "package",
        "DHL",
        None,
        False,
    )
    await _call(hass, "end_event", event_id=event_id)
    assert frigate.events[event_id].end_time is not None
    await _call(hass, "retain_event", event_id=event_id)
    assert frigate.events[event_id].retain
    await _call(hass, "retain_event", event_id=event_id, retain=False)
    assert not frigate.events[event_id].retain
    timed = await _call(hass, "create_event", True, camera="backyard", label="car", duration=30)
    assert frigate.events[timed["event_id"]].end_time is not None


@pytest.mark.parametrize("version", ["0.14", "0.17", "0.18"])
async def test_export_recording(
    hass: HomeAssistant, frigate_factory: FrigateFactory, version: str
) -> None:
    """Realtime and timelapse; the id where Frigate gives one; the export is listed."""
    frigate = await _setup(hass, frigate_factory, version)
    now = dt_util.utcnow()
    frigate.media.add_recording("front_door", now.timestamp() - 3600, now.timestamp())
    start = dt_util.as_local(now).replace(tzinfo=None) - dt_util.dt.timedelta(minutes=10)
    result = await _call(
        hass,
        "export_recording",
        True,
        camera="front_door",
        start=start.isoformat(),
        end=(start + dt_util.dt.timedelta(minutes=5)).isoformat(),
        name="Door",
        playback="timelapse",
    )
    export = next(iter(frigate.media.exports.values()))
    assert export.playback == "timelapse"
    assert export.start == pytest.approx(
        start.replace(tzinfo=dt_util.get_default_time_zone()).timestamp()
    )
    assert result == {"export_id": None if version == "0.14" else export.id}


async def test_mark_reviewed(hass: HomeAssistant, frigate_factory: FrigateFactory) -> None:
    frigate = await _setup(hass, frigate_factory, "0.17")
    review = frigate.media.add_review("front_door", time.time() - 60)
    await _call(hass, "mark_reviewed", review_ids=[review])
    assert frigate.media.reviews[review].reviewed


async def test_input_is_checked_before_frigate(
    hass: HomeAssistant, frigate_factory: FrigateFactory
) -> None:
    frigate = await _setup(hass, frigate_factory, "0.17")
    frigate.request_log.clear()
    now = dt_util.now()
    cases: list[tuple[str, dict[str, Any], str]] = [
        ("create_event", {"camera": "garage", "label": "x"}, "service_unknown_camera"),
        ("create_event", {"camera": "../x", "label": "x"}, "service_unknown_camera"),
        ("create_event", {"camera": "front_door", "label": "a/b"}, "service_invalid_label"),
        ("end_event", {"event_id": "../../config"}, "service_invalid_id"),
        ("retain_event", {"event_id": "x"}, "service_invalid_id"),
        ("mark_reviewed", {"review_ids": ["1.0-abc", "nope"]}, "service_invalid_id"),
        (
            "export_recording",
            {"camera": "front_door", "start": now.isoformat(), "end": now.isoformat()},
            "service_times_order",
        ),
        (
            "export_recording",
            {
                "camera": "front_door",
                "start": (now - dt_util.dt.timedelta(days=2)).isoformat(),
                "end": now.isoformat(),
            },
            "service_export_too_long",
        ),
        (
            "end_event",
            {"event_id": "1.0-abc", "config_entry_id": "nope"},
            "service_not_frigate_entry",
        ),
    ]
    for service, data, key in cases:
        with pytest.raises(ServiceValidationError) as err:
            await _call(hass, service, **data)
        assert err.value.translation_key == key, service
    assert frigate.request_log == []


async def test_entry_not_loaded_and_flir_entry(
    hass: HomeAssistant, frigate_factory: FrigateFactory
) -> None:
    frigate = await _setup(hass, frigate_factory)
    entry = hass.config_entries.async_get_entry(FRIGATE_ENTRY_ID)
    assert entry is not None
    await hass.config_entries.async_unload(entry.entry_id)
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "end_event", event_id="1.0-abc")
    assert err.value.translation_key == "service_entry_not_loaded"
    flir = MockConfigEntry(domain=DOMAIN, data={"host": "192.0.2.1"}, entry_id="flir")
    flir.add_to_hass(hass)
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "end_event", event_id="1.0-abc", config_entry_id="flir")
    assert err.value.translation_key == "service_not_frigate_entry"
    assert frigate.url


async def test_versions_without_the_endpoint(
    hass: HomeAssistant, frigate_factory: FrigateFactory
) -> None:
    await _setup(hass, frigate_factory, "0.12")
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "create_event", camera="front_door", label="person")
    assert err.value.translation_key == "service_needs_version"
    assert err.value.translation_placeholders == {"needed": "0.13", "version": "0.12.1"}
    with pytest.raises(ServiceValidationError):
        await _call(hass, "mark_reviewed", review_ids=["1.0-abc"])


@pytest.mark.parametrize("version", ["0.16", "0.17"])
async def test_viewer_refusals_are_explained(
    hass: HomeAssistant, frigate_factory: FrigateFactory, version: str
) -> None:
    """A viewer's 403 is a translated explanation, not a crash; reading still works."""
    frigate = await _setup(hass, frigate_factory, version, auth="login", role="viewer")
    event_id = frigate.create_event("front_door", "person", in_progress=False)
    now = dt_util.now()
    frigate.media.add_recording("front_door", now.timestamp() - 3600, now.timestamp())
    for service, data in (
        ("create_event", {"camera": "front_door", "label": "person"}),
        ("end_event", {"event_id": event_id}),
        ("retain_event", {"event_id": event_id}),
        (
            "export_recording",
            {
                "camera": "front_door",
                "start": (now - dt_util.dt.timedelta(minutes=5)).isoformat(),
                "end": now.isoformat(),
            },
        ),
    ):
        with pytest.raises(HomeAssistantError) as err:
            await _call(hass, service, **data)
        assert err.value.translation_key == "service_forbidden", service
        assert not isinstance(err.value, ServiceValidationError)
    review = frigate.media.add_review("front_door", now.timestamp() - 60)
    await _call(hass, "mark_reviewed", review_ids=[review])
    assert frigate.media.reviews[review].reviewed


async def test_frigate_refusals(hass: HomeAssistant, frigate_factory: FrigateFactory) -> None:
    frigate = await _setup(hass, frigate_factory, "0.17")
    now = dt_util.now()
    with pytest.raises(ServiceValidationError) as err:  # no recordings in that span
        await _call(
            hass,
            "export_recording",
            camera="front_door",
            start=(now - dt_util.dt.timedelta(minutes=5)).isoformat(),
            end=now.isoformat(),
        )
    assert err.value.translation_key == "service_rejected"
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "retain_event", event_id="1.0-nosuch")
    assert err.value.translation_key == "service_not_found"
    frigate.faults.status = 503  # nginx: Frigate's API is (re)starting, as polls report it
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "retain_event", event_id="1.0-nosuch")
    assert err.value.translation_key == "frigate_api_down"
    frigate.faults.status = None
    frigate.faults.malformed_json = True  # a 200 whose body is not JSON: not Frigate's answer
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "create_event", camera="front_door", label="person")
    assert err.value.translation_key == "frigate_unexpected_answer"
    frigate.faults.reset()
    frigate.revoke_tokens()


async def test_refused_credentials(hass: HomeAssistant, frigate_factory: FrigateFactory) -> None:
    """A login Frigate refuses while acting is the entry's credentials' problem."""
    frigate = await _setup(hass, frigate_factory, "0.17", auth="login")
    event_id = frigate.create_event("front_door", "person", in_progress=False)
    frigate.set_password("changed-elsewhere")
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "retain_event", event_id=event_id)
    assert err.value.translation_key == "frigate_invalid_auth"
