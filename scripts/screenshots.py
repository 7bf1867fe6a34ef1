"""Take the README's screenshots: the setup dialogs, a dashboard, device pages, the media browser.

Starts the fake devices and a real Home Assistant (tests/e2e/stack.py), adds a FLIR camera and a
Frigate server through the "Add integration" dialog in headless Chromium as a user does, adds the
second FLIR camera through the API, raises an alarm and a Frigate event, and saves PNGs.
Run it through scripts/screenshots, which installs what it needs.
"""

import argparse
import asyncio
import sys
from pathlib import Path

from playwright.async_api import Page

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.e2e.browser import (
    browser,
    chromium_path,
    create_dashboard,
    fill_form,
    finish,
    log_in,
    open_add_dialog,
    polish,
    settle,
    submit,
)
from tests.e2e.media import open_clips, seed_media
from tests.e2e.stack import (
    FLIR_PASSWORD,
    FLIR_USERNAME,
    FRIGATE_PASSWORD,
    FRIGATE_USERNAME,
    Stack,
    add_flir,
    entry_entities,
    running_stack,
)

WIDE = {"width": 1600, "height": 900}


class Shots:
    """Saves screenshots into one folder and lists them."""

    def __init__(self, out: Path) -> None:
        """Write into `out` (which exists)."""
        self.out = out
        self.written: list[Path] = []

    def path(self, name: str) -> Path:
        """Where `name` goes; counted as written."""
        path = self.out / name
        self.written.append(path)
        print(f"  {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
        return path

    async def take(self, page: Page, name: str, seconds: float = 1.0) -> None:
        """Let the page settle, then save the viewport."""
        await settle(page, seconds)
        await page.screenshot(path=self.path(name))


async def add_through_the_dialog(stack: Stack, page: Page, shots: Shots) -> None:
    """The FLIR A400 and Frigate, added in the browser as the README tells."""
    devices = stack.devices
    await open_add_dialog(page, stack.url, picker=shots.path("add-integration.png"))
    await shots.take(page, "config-flow-menu.png")
    await page.get_by_text("FLIR automation camera").first.click()
    await fill_form(
        page,
        {"Host": devices.smart_host, "Username": FLIR_USERNAME, "Password": FLIR_PASSWORD},
    )
    await shots.take(page, "config-flow-flir.png")
    await submit(page)
    await page.get_by_text("Name and assign").first.wait_for()
    await shots.take(page, "config-flow-created.png")
    await finish(page)

    await open_add_dialog(page, stack.url)
    await page.get_by_text("Frigate NVR").first.click()
    await fill_form(
        page,
        {"URL": devices.frigate.url, "Username": FRIGATE_USERNAME, "Password": FRIGATE_PASSWORD},
    )
    await shots.take(page, "config-flow-frigate.png")
    await submit(page)
    await page.get_by_text("Name and assign").first.wait_for()
    await finish(page)


async def something_to_look_at(stack: Stack) -> dict[str, str]:
    """The second camera (through the API), an overheating motor and a person at the door."""
    devices = stack.devices
    await add_flir(stack.hass, devices.streaming_host)
    entries = {e["title"]: e["entry_id"] for e in await stack.hass.entries()}
    ids = {
        "smart": entries["FLIR A400 55501234"],
        "streaming": entries["FLIR A50 55509876"],
        "frigate": next(v for k, v in entries.items() if k.startswith("Frigate")),
    }
    smart = await entry_entities(stack.hass, ids["smart"])
    frigate = await entry_entities(stack.hass, ids["frigate"])
    devices.frigate.create_event("front_door", "person", zones=["porch"])
    # The motor in box 1 heats up over a minute, past its alarm threshold (60 °C).
    x, y, _, _ = devices.smart.alarm_hotspot(1)
    for temp in range(48, 86, 4):
        devices.smart.clear_hotspots()
        devices.smart.set_hotspot(x, y, temp, 6)
        await asyncio.sleep(6)
    snapshot = frigate.on("Front Door", "Latest snapshot")
    await stack.hass.wait_for(
        lambda states: (
            states[smart["Alarm 1"]]["state"] == "on"
            and states[frigate.on("Front Door", "Person detected")]["state"] == "on"
            and states[snapshot]["state"] not in {"unknown", "unavailable"}
        ),
        what="the alarm and the Frigate event",
    )
    return ids


async def device_page(stack: Stack, page: Page, entry_id: str, name: str, entity: str) -> None:
    """Open the page of the device called `name`; wait until `entity` shows."""
    for device in await stack.hass.ws("config/device_registry/list"):
        if entry_id in device["config_entries"] and device["name"] == name:
            await page.goto(f"{stack.url}/config/devices/device/{device['id']}")
            await page.get_by_text(entity).first.wait_for()
            return
    raise LookupError(name)


async def take_all(out: Path, executable: str) -> list[Path]:
    """Everything, in order; returns the files written."""
    shots = Shots(out)
    async with running_stack() as stack:
        await polish(stack)
        async with browser(executable) as context:
            page = await context.new_page()
            await log_in(page, stack.url)
            await add_through_the_dialog(stack, page, shots)
            ids = await something_to_look_at(stack)

            await page.set_viewport_size(WIDE)  # type: ignore[arg-type]
            await page.goto(f"{stack.url}{await create_dashboard(stack, ids)}")
            await page.get_by_text("FLIR A400 (smart sensor)").wait_for()
            await shots.take(page, "dashboard.png", 3)
            await device_page(stack, page, ids["smart"], "FLIR A400 55501234", "Spot 1 temperature")
            await shots.take(page, "device-flir.png", 2)
            await device_page(stack, page, ids["frigate"], "Front Door", "Person detected")
            await shots.take(page, "device-frigate.png", 2)
            seed_media(stack.devices.frigate)
            titles = {e["entry_id"]: e["title"] for e in await stack.hass.entries()}
            await open_clips(page, stack.url, titles[ids["frigate"]])
            await shots.take(page, "media-browser.png", 2)
    return shots.written


def main() -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=REPO / "docs")
    args = parser.parse_args()
    executable = chromium_path()
    if executable is None:
        sys.exit("no Chromium: run scripts/screenshots (it installs Debian's chromium)")
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    print(f"Screenshots into {out}:")
    written = asyncio.run(take_all(out, executable))
    print(f"{len(written)} screenshots written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
