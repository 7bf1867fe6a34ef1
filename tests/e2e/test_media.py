"""Frigate in Home Assistant's media browser, in headless Chromium, and its actions.

Opens Media in the sidebar, walks down to today's clips of a camera and plays one: the video
element reaches `readyState` >= 2 (HAVE_CURRENT_DATA), so the browser decoded the fake's
H.264 clip, fetched through the integration's authenticated view. The actions are called through
Home Assistant's websocket API as a script would; the finished export shows under Exports.
"""

import time
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser import browser, log_in, required_chromium, settle
from tests.e2e.conftest import Added
from tests.e2e.media import CAMERA, open_clips, seed_media
from tests.e2e.stack import FRIGATE_PASSWORD, FRIGATE_USERNAME, Stack, add_frigate

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def _frigate_entry(stack: Stack, added: Added) -> dict[str, Any]:
    """The Frigate entry (added again when an earlier test removed every entry)."""
    for entry in await stack.hass.entries():
        frigate = entry["entry_id"] == added.frigate or entry["title"].startswith("Frigate")
        if frigate and entry["state"] == "loaded":
            return entry
    steps = await add_frigate(
        stack.hass, stack.devices.frigate.url, username=FRIGATE_USERNAME, password=FRIGATE_PASSWORD
    )
    entry_id = steps[-1]["result"]["entry_id"]
    return next(e for e in await stack.hass.entries() if e["entry_id"] == entry_id)


async def _browse(stack: Stack, *identifier: str) -> dict[str, Any]:
    media_id = "media-source://flir_frigate" + ("/" + "/".join(identifier) if identifier else "")
    result: dict[str, Any] = await stack.hass.ws(
        "media_source/browse_media", media_content_id=media_id
    )
    return result


async def test_actions_and_exports(stack: Stack, added: Added) -> None:
    """Create and end an event, export a span: the export is listed under Exports."""
    entry = await _frigate_entry(stack, added)
    frigate = stack.devices.frigate
    frigate.media.record_recent(hours=2)
    now = time.time()
    created = await stack.hass.ws(
        "call_service",
        domain="flir_frigate",
        service="create_event",
        service_data={"config_entry_id": entry["entry_id"], "camera": CAMERA, "label": "package"},
        return_response=True,
    )
    event_id = created["response"]["event_id"]
    assert frigate.events[event_id].label == "package"
    await stack.hass.ws(
        "call_service",
        domain="flir_frigate",
        service="end_event",
        service_data={"config_entry_id": entry["entry_id"], "event_id": event_id},
    )
    assert frigate.events[event_id].end_time is not None
    exported = await stack.hass.ws(
        "call_service",
        domain="flir_frigate",
        service="export_recording",
        service_data={
            "config_entry_id": entry["entry_id"],
            "camera": CAMERA,
            "start": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(now - 600)),
            "end": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(now - 300)),
            "name": "Parcel",
        },
        return_response=True,
    )
    export_id = exported["response"]["export_id"]
    assert export_id in frigate.media.exports
    exports = await _browse(stack, entry["entry_id"], "exports")
    assert [child["title"].split(" (")[0] for child in exports["children"]] == ["Parcel"]
    assert exports["children"][0]["can_play"]


async def test_media_browser_plays_a_clip(stack: Stack, added: Added, tmp_path: Path) -> None:
    """Media > Frigate > server > Clips > Today > camera > label; a clip plays in Chromium."""
    executable = required_chromium()
    entry = await _frigate_entry(stack, added)
    events = seed_media(stack.devices.frigate)
    async with browser(executable) as context:
        page = await context.new_page()
        await log_in(page, stack.url)
        await open_clips(page, stack.url, entry["title"])
        await page.screenshot(path=tmp_path / "media-browser.png")
        await page.get_by_text("person · porch").filter(visible=True).first.click()
        video = page.locator("video").first
        await video.wait_for()
        handle = await video.element_handle()
        await page.wait_for_function("v => v.readyState >= 2", arg=handle, timeout=30_000)
        assert await video.evaluate("v => v.readyState") >= 2
        source = await video.evaluate("v => v.currentSrc")
        assert f"/api/flir_frigate/{entry['entry_id']}/event/" in source
        # The newest person at the porch plays: a seeded event, or one the fake made since.
        frigate = stack.devices.frigate
        played = [event for event in frigate.events.values() if event.id in source]
        assert played, source
        assert played[0].label == "person"
        assert "porch" in played[0].zones
        assert events
        assert stack.devices.frigate.url not in source
        await settle(page, 1)
        await page.screenshot(path=tmp_path / "media-playing.png")
