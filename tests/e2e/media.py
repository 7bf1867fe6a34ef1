"""Frigate in the media browser, for the end-to-end test and scripts/screenshots.

`seed_media` gives the fake Frigate real H.264 clips, finished events, recordings, a review item
and an export; `open_clips` walks Home Assistant's media browser (Media in the sidebar) down to
today's person clips of the front door, as a person clicks through it.
"""

import time

from playwright.async_api import Page

from tests.e2e.browser import settle
from tests.fakes.frigate_server import FakeFrigateServer

CAMERA = "front_door"
LABEL = "person"


def seed_media(frigate: FakeFrigateServer) -> list[str]:
    """Real clips, three finished events of the front door, recordings and a review item."""
    frigate.media.real_clips = True
    now = time.time()
    frigate.media.record_recent(hours=6, now=now)
    events = [
        frigate.create_event(
            CAMERA, LABEL, zones=["porch"], in_progress=False, start_time=now - age
        )
        for age in (900, 600, 300)
    ]
    frigate.create_event(CAMERA, "car", zones=["driveway"], in_progress=False, start_time=now - 200)
    frigate.media.add_review(CAMERA, now - 300, end=now - 290, objects=[LABEL], zones=["porch"])
    return events


async def open_clips(page: Page, url: str, entry_title: str) -> None:
    """Media > Frigate > the server > Clips > Today > front_door > person."""
    await page.goto(f"{url}/media-browser/browser")
    for text in ("Frigate", entry_title, "Clips", "Today", f"{CAMERA} (", f"{LABEL} ("):
        item = page.get_by_text(text).filter(visible=True).first
        await item.wait_for()
        await settle(page, 0.3)
        await item.click()
    await page.get_by_text("porch (").filter(visible=True).first.wait_for()
    await settle(page, 1)
