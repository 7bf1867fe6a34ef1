"""Home Assistant's frontend in headless Chromium (Debian's package), driven by Playwright.

Playwright never downloads a browser here: it launches the system Chromium given by
`scripts/chromium` (or $FLIR_E2E_CHROMIUM). Used by the e2e browser test and by
scripts/screenshots.
"""

import asyncio
import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import BrowserContext, Page, async_playwright

from tests.e2e.stack import OWNER, OWNER_PASSWORD, Stack, entry_entities

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
VIEWPORT = {"width": 1280, "height": 860}
DASHBOARD = "thermal-cameras"


def chromium_path() -> str | None:
    """The system Chromium, or None when there is none."""
    for candidate in (
        os.environ.get("FLIR_E2E_CHROMIUM"),
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def required_chromium() -> str:
    """The system Chromium for a browser test: skipped without one, failed under scripts/e2e."""
    executable = chromium_path()
    if executable is None:
        message = "no Chromium here (scripts/e2e installs Debian's chromium package)"
        if os.environ.get("FLIR_E2E_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return executable


@contextlib.asynccontextmanager
async def browser(executable: str) -> AsyncIterator[BrowserContext]:
    """A fresh headless Chromium profile (new --user-data-dir), deleted afterwards."""
    with tempfile.TemporaryDirectory(prefix="flir-e2e-chromium-") as profile:
        async with async_playwright() as playwright:
            context = await playwright.chromium.launch_persistent_context(
                profile,
                executable_path=executable,
                headless=True,
                args=list(CHROMIUM_FLAGS),
                viewport=VIEWPORT,  # type: ignore[arg-type]
                device_scale_factor=1,
                locale="en-US",
                timezone_id="UTC",
                color_scheme="light",
            )
            context.set_default_timeout(30_000)
            try:
                yield context
            finally:
                await context.close()


async def log_in(page: Page, url: str) -> None:
    """Log in through Home Assistant's login page, as a person does."""
    await page.goto(f"{url}/")
    await page.wait_for_url("**/auth/authorize**")
    await page.get_by_role("textbox", name="Username").fill(OWNER)
    await page.get_by_role("textbox", name="Password").fill(OWNER_PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await page.wait_for_url(f"{url}/**", timeout=30_000)
    await page.locator("ha-sidebar").wait_for()


async def settle(page: Page, seconds: float = 1.0) -> None:
    """Let the frontend finish animations and image loads before a screenshot."""
    with contextlib.suppress(Exception):
        await page.wait_for_load_state("networkidle", timeout=5_000)
    await asyncio.sleep(seconds)


async def open_add_dialog(page: Page, url: str, picker: Path | None = None) -> None:
    """Settings > Devices & services > Add integration > FLIR & Frigate Cameras.

    With `picker`, a screenshot of the brand picker (after typing "FLIR") is saved there.
    """
    await page.goto(f"{url}/config/integrations/dashboard")
    await page.get_by_role("button", name="Add integration").click()
    await page.get_by_text("Select brand").wait_for()
    await settle(page, 0.5)  # the search field has the focus
    await page.keyboard.type("FLIR")
    brand = page.get_by_text("FLIR & Frigate Cameras").last
    await brand.wait_for()
    if picker is not None:
        await settle(page)
        await page.screenshot(path=picker)
    await brand.click()
    await page.get_by_text("FLIR automation camera").first.wait_for()
    await settle(page)


async def deep_text(page: Page, tag: str) -> str:
    """The text of the first `tag` element, its shadow roots included ("" when there is none)."""
    text: str = await page.evaluate(
        """(tag) => {
            const find = (root) => {
                for (const el of root.querySelectorAll('*')) {
                    if (el.tagName === tag.toUpperCase()) return el;
                    if (el.shadowRoot) {
                        const inner = find(el.shadowRoot);
                        if (inner) return inner;
                    }
                }
                return null;
            };
            const text = (node) => {
                let out = '';
                if (node.shadowRoot) out += text(node.shadowRoot);
                for (const child of node.childNodes) {
                    if (child.nodeType === Node.TEXT_NODE) out += child.textContent + ' ';
                    else if (child.nodeType === Node.ELEMENT_NODE
                             && !['STYLE', 'SCRIPT'].includes(child.tagName)) out += text(child);
                }
                return out;
            };
            const el = find(document);
            return el ? text(el).replace(/\\s+/g, ' ') : '';
        }""",
        tag,
    )
    return text


async def dialog_text(page: Page) -> str:
    """The text of the open config-flow dialog (through the shadow roots)."""
    return await deep_text(page, "dialog-data-entry-flow")


async def create_dashboard(stack: Stack, entries: dict[str, str]) -> str:
    """A dashboard with the FLIR and Frigate entities; returns its path."""
    hass = stack.hass
    smart = await entry_entities(hass, entries["smart"])
    streaming = await entry_entities(hass, entries["streaming"])
    sections: list[dict[str, Any]] = [
        {
            "type": "grid",
            "cards": [
                {"type": "heading", "heading": "FLIR A400 (smart sensor)"},
                {
                    "type": "picture-entity",
                    "entity": smart["Thermal picture"],
                    "name": "Thermal picture",
                    "show_state": False,
                },
                *(
                    {"type": "tile", "entity": smart[name], "name": label}
                    for name, label in (
                        ("Maximum temperature", "Hottest point"),
                        ("Box 1 maximum", "Motor (box 1)"),
                        ("Spot 1 temperature", "Bearing (spot 1)"),
                        ("Alarm 1", "Motor alarm"),
                    )
                ),
                {
                    "type": "history-graph",
                    "title": "Last minutes",
                    "hours_to_show": 0.04,
                    "entities": [
                        {"entity": smart["Maximum temperature"], "name": "Hottest point"},
                        {"entity": smart["Spot 1 temperature"], "name": "Bearing"},
                    ],
                },
            ],
        },
        {
            "type": "grid",
            "cards": [
                {"type": "heading", "heading": "FLIR A50 (image streaming)"},
                {
                    "type": "picture-entity",
                    "entity": streaming["Thermal"],
                    "name": "Thermal camera",
                    "camera_view": "auto",
                    "show_state": False,
                },
                {
                    "type": "tile",
                    "entity": streaming["Maximum temperature"],
                    "name": "Hottest point",
                },
                {"type": "tile", "entity": streaming["Average temperature"], "name": "Average"},
                {
                    "type": "picture-entity",
                    "entity": streaming["Visual"],
                    "name": "Visual camera",
                    "show_state": False,
                },
            ],
        },
    ]
    if "frigate" in entries:
        frigate = await entry_entities(hass, entries["frigate"])
        sections.append(
            {
                "type": "grid",
                "cards": [
                    {"type": "heading", "heading": "Frigate"},
                    {
                        "type": "picture-entity",
                        "entity": frigate.on("Front Door", ""),
                        "name": "Front door",
                        "camera_view": "auto",
                        "show_state": False,
                    },
                    *(
                        {"type": "tile", "entity": frigate.on("Front Door", name), "name": label}
                        for name, label in (
                            ("Person detected", "Person"),
                            ("Events today", "Events today"),
                            ("Last event", "Last event"),
                            ("Online", "Camera"),
                        )
                    ),
                    {
                        "type": "picture-entity",
                        "entity": frigate.on("Front Door", "Latest snapshot"),
                        "name": "Latest snapshot",
                        "show_state": False,
                    },
                ],
            }
        )
    dashboards = await hass.ws("lovelace/dashboards/list")
    if not any(d["url_path"] == DASHBOARD for d in dashboards):
        await hass.ws(
            "lovelace/dashboards/create",
            url_path=DASHBOARD,
            title="Thermal & cameras",
            icon="mdi:thermometer-lines",
            show_in_sidebar=True,
            require_admin=False,
            mode="storage",
        )
    await hass.ws(
        "lovelace/config/save",
        url_path=DASHBOARD,
        config={
            "title": "Thermal & cameras",
            "views": [
                {
                    "title": "Cameras",
                    "path": "cameras",
                    "type": "sections",
                    "max_columns": 3,
                    "sections": sections,
                }
            ],
        },
    )
    return f"/{DASHBOARD}/cameras"


async def dashboard_pictures(page: Page) -> list[dict[str, Any]]:
    """Every <img> of the dashboard (through shadow roots) with its source and loaded size."""
    result: list[dict[str, Any]] = await page.evaluate(
        """() => {
            const found = [];
            const walk = (root) => {
                for (const el of root.querySelectorAll('*')) {
                    if (el.tagName === 'IMG') {
                        found.push({src: el.src, width: el.naturalWidth, complete: el.complete});
                    }
                    if (el.shadowRoot) walk(el.shadowRoot);
                }
            };
            walk(document);
            return found;
        }"""
    )
    return result


async def polish(stack: Stack) -> None:
    """What a real installation would have done: a country set, no leftover notifications.

    The repair about running a Core installation (this test's kind of install) is ignored.
    """
    hass = stack.hass
    await hass.ws("config/core/update", country="DE", location_name="Workshop")
    for issue in (await hass.ws("repairs/list_issues"))["issues"]:
        if issue["domain"] == "homeassistant" and issue["issue_id"] == "deprecated_method":
            await hass.ws(
                "repairs/ignore_issue",
                domain="homeassistant",
                issue_id="deprecated_method",
                ignore=True,
            )
    await hass.post("/api/services/persistent_notification/dismiss_all")


async def fill_form(page: Page, fields: dict[str, str]) -> None:
    """Type into the dialog's text fields, found by their (translated) labels."""
    for label, value in fields.items():
        await page.get_by_role("textbox", name=label).fill(value)
    await settle(page, 0.8)  # the labels float up


async def submit(page: Page) -> None:
    """Press the dialog's Submit button."""
    await page.get_by_role("button", name="Submit").click()


async def finish(page: Page) -> None:
    """Close the success step of the dialog."""
    await page.get_by_role("button", name=re.compile("finish", re.IGNORECASE)).click()
    await page.locator("dialog-data-entry-flow").wait_for(state="hidden")
