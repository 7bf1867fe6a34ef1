"""The integration in a real Home Assistant, driven through the APIs its frontend uses.

The tests run in this order and share one Home Assistant (see conftest.py): set up, states,
events, pictures, blueprints, the browser, unplugging, removal. Each test waits for what it
needs with a deadline; the only fixed pauses let the browser finish drawing and the log flush.
"""

import asyncio
import io
import json
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from PIL import Image

from custom_components.flir_frigate.api.flir.measure import Area, measure_area
from tests.e2e.browser import (
    browser,
    create_dashboard,
    dashboard_pictures,
    deep_text,
    dialog_text,
    log_in,
    open_add_dialog,
    required_chromium,
    settle,
)
from tests.e2e.conftest import Added
from tests.e2e.stack import (
    Stack,
    entry_entities,
)
from tests.harness import COMPONENT, HassClient, HassError

pytestmark = pytest.mark.asyncio(loop_scope="session")

UNAVAILABLE = "unavailable"
# The one line Home Assistant's coordinator logs (as an error) when a device stops answering.
UNPLUGGED = (
    r"^[-\d :.]+ ERROR \(MainThread\) \[custom_components\.flir_frigate[^\]]*\] Error fetching "
)


# ------------------------------------------------------------------------------------- helpers


def is_jpeg(data: bytes) -> tuple[int, int]:
    """Assert `data` is one complete JPEG that Pillow decodes; return its size."""
    assert data[:2] == b"\xff\xd8", f"no JPEG start marker: {data[:16]!r}"
    assert data.rstrip(b"\r\n")[-2:] == b"\xff\xd9", "no JPEG end marker"
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        image.load()
        assert image.width > 0
        assert image.height > 0
        return image.size


async def fetch(hass: HassClient, path: str) -> tuple[int, str, bytes]:
    """GET a path of Home Assistant with the owner's token; status, content type, body."""
    async with hass.http.get(f"{hass.url}{path}") as resp:
        return resp.status, resp.content_type, await resp.read()


async def mjpeg_frames(
    hass: HassClient,
    path: str,
    count: int,
    on_frame: Callable[[int], object] = lambda _: None,
) -> list[bytes]:
    """Read `count` frames of a multipart MJPEG stream; `on_frame(n)` runs after each one.

    Home Assistant sends a new frame only when the picture changed (the first one twice), so a
    test changes the scene in `on_frame` to see the stream move.
    """
    frames: list[bytes] = []
    async with hass.http.get(f"{hass.url}{path}", timeout=aiohttp.ClientTimeout(total=60)) as resp:
        assert resp.status == 200, await resp.text()
        assert resp.content_type == "multipart/x-mixed-replace"
        boundary = resp.headers["Content-Type"].split("boundary=", 1)[1].strip().strip('"')
        delimiter = b"\r\n--" + boundary.removeprefix("--").encode()
        buffer = b""
        async for chunk in resp.content.iter_any():
            buffer += chunk
            while True:
                head_end = buffer.find(b"\r\n\r\n")
                if head_end < 0:
                    break
                headers = buffer[:head_end].decode("latin-1").lower()
                body_start = head_end + 4
                length = next(
                    (
                        int(line.split(":", 1)[1])
                        for line in headers.splitlines()
                        if line.startswith("content-length:")
                    ),
                    None,
                )
                if length is not None:
                    if len(buffer) < body_start + length:
                        break
                    frames.append(buffer[body_start : body_start + length])
                    buffer = buffer[body_start + length :]
                else:
                    end = buffer.find(delimiter, body_start)
                    if end < 0:
                        break
                    frames.append(buffer[body_start:end])
                    buffer = buffer[end + 2 :]
                if len(frames) >= count:
                    return frames
                on_frame(len(frames))
    raise AssertionError(f"the stream ended after {len(frames)} frames")


async def changes(
    hass: HassClient,
    trigger: Callable[[], Any],
    wanted: dict[str, Callable[[dict[str, Any]], bool]],
    timeout: float = 45,
) -> dict[str, dict[str, Any]]:
    """Run `trigger`, then wait on the websocket until each entity got a matching new state."""
    seen: dict[str, dict[str, Any]] = {}
    async with hass.subscribe("subscribe_events", event_type="state_changed") as events:
        trigger()
        async with asyncio.timeout(timeout):
            while len(seen) < len(wanted):
                event = await events.get()
                entity_id = event["data"]["entity_id"]
                new = event["data"]["new_state"]
                if entity_id in wanted and new is not None and wanted[entity_id](new):
                    seen.setdefault(entity_id, new)
    return seen


def close(state: str, expected: float, tolerance: float) -> bool:
    """Whether a numeric state is within `tolerance` of `expected`."""
    try:
        return math.isclose(float(state), expected, abs_tol=tolerance)
    except ValueError:
        return False


# ------------------------------------------------------------------------------------- set up


async def test_http_server_on_loopback_with_a_confirmed_config(stack: Stack) -> None:
    """Home Assistant listens on 127.0.0.1 with a stable config (no 5-minute revert pending)."""
    config = await stack.hass.ws("http/config")
    assert config["active_config_type"] == "stable"
    assert config["stable"]["server_host"] == ["127.0.0.1"]
    assert config["stable"]["server_port"] == stack.port
    assert config["revert_at"] is None


async def test_flir_config_flows(added: Added) -> None:
    """The dialog: a menu of kinds, the FLIR form, a refused password, then the entry."""
    menu, form, refused, created = added.smart_steps
    assert menu["type"] == "menu"
    assert "flir" in menu["menu_options"]
    assert form["type"] == "form"
    assert form["step_id"] == "flir"
    assert [field["name"] for field in form["data_schema"]] == ["host", "username", "password"]
    assert refused["type"] == "form"
    assert refused["errors"] == {"base": "invalid_auth"}
    assert created["type"] == "create_entry"
    assert created["title"] == "FLIR A400 55501234"

    *_, streaming = added.streaming_steps
    assert streaming["type"] == "create_entry"
    assert streaming["title"] == "FLIR A50 55509876"


async def test_frigate_config_flow(added: Added) -> None:
    """Frigate: the menu option, a refused password, then the entry."""
    menu, form, refused, *_, created = added.frigate_steps
    assert "frigate" in menu["menu_options"]
    assert form["step_id"] == "frigate"
    assert refused["errors"] == {"base": "invalid_auth"}
    assert created["type"] == "create_entry", created


async def test_entries_loaded(stack: Stack, added: Added) -> None:
    """Every added entry is loaded."""
    wanted = {added.smart, added.streaming}
    if added.frigate_steps is not None:
        wanted.add(added.frigate)
    async with asyncio.timeout(60):
        while True:
            entries = {e["entry_id"]: e for e in await stack.hass.entries()}
            if all(entries.get(entry_id, {}).get("state") == "loaded" for entry_id in wanted):
                break
            assert not [e for e in entries.values() if e["state"] == "setup_error"], entries
            await asyncio.sleep(0.5)


# ------------------------------------------------------------------------------------- states


async def test_flir_smart_sensor_states(stack: Stack, added: Added) -> None:
    """The A400-style camera: the camera's own tools, alarms, whole-frame values, pictures."""
    camera = stack.devices.smart
    entities = await entry_entities(stack.hass, added.smart)
    names = entities.names
    expected = {
        "Spot 1 temperature",
        "Spot 2 temperature",
        "Box 1 maximum",
        "Box 1 minimum",
        "Box 1 average",
        "Box 2 maximum",
        "Line 1 maximum",
        "Line 1 average",
        "Internal sensor 1 temperature",
        "Alarm 1 threshold",
        "Alarm 1",
        "Alarm 2",
        "Alarm 1 event",
        "Alarm 2 event",
        "Maximum temperature",
        "Minimum temperature",
        "Average temperature",
        "Hottest point X",
        "Thermal",
        "Visual",
        "Thermal picture",
    }
    assert expected <= names, expected - names

    temps = camera.temperatures()
    spot = measure_area(temps, camera.area("spot", 1)).max
    box = measure_area(temps, camera.area("box", 1))
    assert spot is not None
    assert box.max is not None
    want: dict[str, Callable[[dict[str, Any]], bool]] = {
        entities["Spot 1 temperature"]: lambda s: close(s["state"], spot, 0.01),
        entities["Box 1 maximum"]: lambda s: close(s["state"], box.max, 0.01),
        entities["Alarm 1 threshold"]: lambda s: close(s["state"], 60.0, 0.01),
        # Computed in Home Assistant from the radiometric JPEG: its raw counts are rounded.
        entities["Maximum temperature"]: lambda s: close(s["state"], float(temps.max()), 0.1),
        entities["Minimum temperature"]: lambda s: close(s["state"], float(temps.min()), 0.1),
        entities["Alarm 1"]: lambda s: s["state"] == "off",
        entities["Alarm 2"]: lambda s: s["state"] == "off",
        entities["Alarm 1 event"]: lambda s: s["state"] == "unknown",
        entities["Thermal"]: lambda s: s["state"] == "idle",
        entities["Visual"]: lambda s: s["state"] not in {UNAVAILABLE, "unknown"},
        entities["Thermal picture"]: lambda s: s["state"] not in {UNAVAILABLE, "unknown"},
    }
    states = await stack.hass.wait_for(
        lambda states: all(ok(states.get(e, {"state": "?"})) for e, ok in want.items()),
        what="the smart-sensor camera's states",
    )
    spot_state = states[entities["Spot 1 temperature"]]
    assert spot_state["attributes"]["unit_of_measurement"] == "°C"
    assert spot_state["attributes"]["device_class"] == "temperature"
    assert spot_state["attributes"]["friendly_name"] == "FLIR A400 55501234 Spot 1 temperature"
    alarm = states[entities["Alarm 1"]]["attributes"]
    assert alarm["device_class"] == "problem"
    assert alarm["state"] == "inactive"
    hot_x = int(states[entities["Hottest point X"]]["state"])
    hot_y = int(states[entities["Hottest point Y"]]["state"])
    assert temps[hot_y, hot_x] == pytest.approx(float(temps.max()), abs=0.2)


async def test_flir_image_streaming_states(stack: Stack, added: Added) -> None:
    """The A50-style camera: only the image, so everything comes from the radiometric JPEG."""
    temps = stack.devices.streaming.temperatures()
    entities = await entry_entities(stack.hass, added.streaming)
    assert not [name for name in entities.names if name.startswith(("Spot", "Box", "Alarm"))]
    want: dict[str, Callable[[dict[str, Any]], bool]] = {
        entities["Maximum temperature"]: lambda s: close(s["state"], float(temps.max()), 0.1),
        entities["Average temperature"]: lambda s: close(s["state"], float(temps.mean()), 0.1),
        entities["Thermal"]: lambda s: s["state"] == "idle",
        entities["Thermal picture"]: lambda s: s["state"] not in {UNAVAILABLE, "unknown"},
        entities["Visual"]: lambda s: s["state"] not in {UNAVAILABLE, "unknown"},
    }
    await stack.hass.wait_for(
        lambda states: all(ok(states.get(e, {"state": "?"})) for e, ok in want.items()),
        what="the image-streaming camera's states",
    )


async def test_frigate_states(stack: Stack, added: Added) -> None:
    """A device per Frigate camera and one for the server, with values from the fake."""
    frigate = stack.devices.frigate
    entities = await entry_entities(stack.hass, added.frigate)
    server = added.frigate_steps[-1]["title"]
    assert {"Front Door", "Backyard", server} <= entities.devices
    want: dict[str, Callable[[dict[str, Any]], bool]] = {
        entities.on("Front Door", "Online"): lambda s: s["state"] == "on",
        entities.on("Front Door", "Camera FPS"): lambda s: close(s["state"], 5.0, 0.01),
        entities.on("Front Door", "Events today"): lambda s: s["state"] == "0",
        entities.on("Front Door", "Object detected"): lambda s: s["state"] == "off",
        entities.on("Front Door", "Person detected"): lambda s: s["state"] == "off",
        entities.on("Front Door", "Tracked object"): lambda s: s["state"] == "unknown",
        entities.on("Front Door", ""): lambda s: s["state"] in {"idle", "recording", "streaming"},
        entities.on("Backyard", "Online"): lambda s: s["state"] == "on",
        entities.on(server, "Version"): lambda s: s["state"] == frigate.version_string,
        entities.on(server, ""): lambda s: s["attributes"].get("installed_version") == "0.17.2",
    }
    await stack.hass.wait_for(
        lambda states: all(ok(states.get(e, {"state": "?"})) for e, ok in want.items()),
        what="the Frigate entities' states",
    )


async def test_flir_measurement_area(stack: Stack, added: Added) -> None:
    """Entry > Add measurement area: a box around the second warm blob gets its own sensors."""
    hass = stack.hass
    camera = stack.devices.streaming
    form = dict(
        await hass.post(
            "/api/config/config_entries/subentries/flow",
            {"handler": [added.streaming, "area"], "show_advanced_options": False},
        )
    )
    assert form["type"] == "form"
    assert form["description_placeholders"] == {"width": "640", "height": "480"}
    flow = f"/api/config/config_entries/subentries/flow/{form['flow_id']}"
    box = {"name": "Pump", "kind": "box", "x": 400, "y": 240, "x2": 520, "y2": 340}
    refused = dict(await hass.post(flow, {**box, "x2": 700}))
    assert refused["errors"] == {"base": "out_of_bounds"}
    created = dict(await hass.post(flow, box))
    assert created["type"] == "create_entry"
    assert created["title"] == "Pump"

    expected = measure_area(camera.temperatures(), Area(kind="box", x=400, y=240, x2=520, y2=340))
    assert expected.max is not None
    async with asyncio.timeout(60):
        while "Pump" not in (entities := await entry_entities(hass, added.streaming)).devices:  # noqa: ASYNC110
            await asyncio.sleep(0.5)
    maximum = entities.on("Pump", "Maximum")
    await hass.wait_for(
        lambda states: close(states.get(maximum, {"state": "?"})["state"], expected.max, 0.1),
        what="the measurement area's maximum",
    )


# ------------------------------------------------------------------------------------- events


async def test_flir_alarm_fires_events(stack: Stack, added: Added) -> None:
    """A hot spot in box 1 triggers alarm 1: the binary sensor goes on, the event fires."""
    camera = stack.devices.smart
    entities = await entry_entities(stack.hass, added.smart)
    alarm, event = entities["Alarm 1"], entities["Alarm 1 event"]
    other = entities["Alarm 2"]

    seen = await changes(
        stack.hass,
        lambda: camera.set_hotspot(*camera.alarm_hotspot(1)),
        {
            alarm: lambda s: s["state"] == "on",
            event: lambda s: s["attributes"].get("event_type") == "triggered",
        },
    )
    assert seen[alarm]["attributes"]["state"] == "active"
    assert seen[event]["attributes"]["name"] == "Alarm 1"
    assert seen[event]["attributes"]["threshold"] == 60.0
    assert (await stack.hass.state(other))["state"] == "off"

    seen = await changes(
        stack.hass,
        camera.clear_hotspots,
        {
            alarm: lambda s: s["state"] == "off",
            event: lambda s: s["attributes"].get("event_type") == "cleared",
        },
    )
    assert seen[alarm]["attributes"]["state"] == "inactive"


async def test_frigate_event_fires(stack: Stack, added: Added) -> None:
    """A person at the front door: the event entity fires, the occupancy sensors go on."""
    frigate = stack.devices.frigate
    entities = await entry_entities(stack.hass, added.frigate)
    event = entities.on("Front Door", "Tracked object")
    person = entities.on("Front Door", "Person detected")
    porch = entities.on("Front Door", "Object in Porch")
    created: list[str] = []

    seen = await changes(
        stack.hass,
        lambda: created.append(frigate.create_event("front_door", "person", zones=["porch"])),
        {
            event: lambda s: s["attributes"].get("event_type") == "new_event",
            person: lambda s: s["state"] == "on",
            porch: lambda s: s["state"] == "on",
        },
    )
    fired = seen[event]["attributes"]
    assert fired["event_id"] == created[0]
    assert fired["label"] == "person"
    assert fired["camera"] == "front_door"
    assert fired["zones"] == ["porch"]
    assert seen[person]["attributes"]["event_ids"] == created

    # The snapshot and thumbnail of the event, through Home Assistant (and only with a login).
    for key in ("snapshot_url", "thumbnail_url"):
        status, content_type, body = await fetch(stack.hass, fired[key])
        assert status == 200, key
        assert content_type == "image/jpeg"
        is_jpeg(body)
        async with (
            aiohttp.ClientSession() as anonymous,
            anonymous.get(f"{stack.url}{fired[key]}") as resp,
        ):
            assert resp.status == 401

    await changes(
        stack.hass,
        lambda: frigate.end_event(created[0]),
        {person: lambda s: s["state"] == "off", porch: lambda s: s["state"] == "off"},
    )
    states = await stack.hass.wait_for(
        lambda states: states[entities.on("Front Door", "Events today")]["state"] == "1",
        what="the summary to count the event",
        timeout=150,  # with the websocket up, the summary comes from the 60 s safety-net poll
    )
    assert states[entities.on("Front Door", "Last event")]["state"] == "person"


# ----------------------------------------------------------------------------------- pictures


async def test_flir_camera_and_images(stack: Stack, added: Added) -> None:
    """Stills, the MJPEG stream and both image entities are real JPEGs."""
    for entry_id, thermal_size in (
        (added.smart, (320, 240)),
        (added.streaming, (640, 480)),
    ):
        entities = await entry_entities(stack.hass, entry_id)
        camera = entities["Thermal"]
        status, content_type, body = await fetch(stack.hass, f"/api/camera_proxy/{camera}")
        assert status == 200
        assert content_type == "image/jpeg"
        assert is_jpeg(body) == thermal_size
        # The frontend asks for a smaller still for a card (width and height).
        half = (thermal_size[0] // 2, thermal_size[1] // 2)
        status, _, body = await fetch(
            stack.hass, f"/api/camera_proxy/{camera}?width={half[0]}&height={half[1]}"
        )
        assert status == 200
        assert is_jpeg(body) == half

        # The scene changes (a warm spot away from every alarm) while the stream runs.
        device = stack.devices.smart if entry_id == added.smart else stack.devices.streaming
        frames = await mjpeg_frames(
            stack.hass,
            f"/api/camera_proxy_stream/{camera}",
            4,
            lambda n: device.set_hotspot(4 + 4 * n, 4, 30.0, 2) if n >= 2 else None,  # noqa: B023
        )
        device.clear_hotspots()
        assert all(is_jpeg(frame) == thermal_size for frame in frames)
        assert frames[0] == frames[1]  # the first frame twice (browsers show frame n-1)
        assert len({*frames}) == 3

        for name in ("Thermal picture", "Visual"):
            status, content_type, body = await fetch(
                stack.hass, f"/api/image_proxy/{entities[name]}"
            )
            assert status == 200, name
            assert content_type == "image/jpeg"
            width, height = is_jpeg(body)
            assert width >= thermal_size[0]
            assert height >= thermal_size[1]


async def test_frigate_camera_and_images(stack: Stack, added: Added) -> None:
    """The Frigate camera's stills and proxied MJPEG stream, and the latest snapshot image."""
    entities = await entry_entities(stack.hass, added.frigate)
    camera = entities.on("Front Door", "")
    status, content_type, body = await fetch(stack.hass, f"/api/camera_proxy/{camera}")
    assert status == 200
    assert content_type == "image/jpeg"
    assert is_jpeg(body) == (640, 360)
    status, _, body = await fetch(stack.hass, f"/api/camera_proxy/{camera}?width=320&height=180")
    assert status == 200
    assert is_jpeg(body)[1] <= 360

    frames = await mjpeg_frames(stack.hass, f"/api/camera_proxy_stream/{camera}", 3)
    assert all(is_jpeg(frame) for frame in frames)
    assert len({*frames}) > 1  # the fake's frames move

    snapshot = entities.on("Front Door", "Latest snapshot")
    status, content_type, body = await fetch(stack.hass, f"/api/image_proxy/{snapshot}")
    assert status == 200
    assert content_type == "image/jpeg"
    is_jpeg(body)


async def test_pictures_need_authentication(stack: Stack, added: Added) -> None:
    """Without the token, Home Assistant serves no picture of ours."""
    entities = await entry_entities(stack.hass, added.smart)
    async with aiohttp.ClientSession() as anonymous:
        for path in (
            f"/api/camera_proxy/{entities['Thermal']}",
            f"/api/image_proxy/{entities['Thermal picture']}",
        ):
            async with anonymous.get(f"{stack.url}{path}") as resp:
                assert resp.status in {401, 403}, path


# ---------------------------------------------------------------------------------- blueprints


async def notification(
    hass: HassClient, predicate: Callable[[dict[str, Any]], bool], what: str
) -> dict[str, Any]:
    """Wait for a persistent notification (what `notify.persistent_notification` creates)."""
    async with asyncio.timeout(60):
        while True:
            for item in await hass.ws("persistent_notification/get"):
                if predicate(item):
                    return dict(item)
            await asyncio.sleep(0.5)
    raise AssertionError(what)  # pragma: no cover - the timeout raises first


async def traces(hass: HassClient, automation_id: str) -> list[dict[str, Any]]:
    """The run traces of an automation, oldest first."""
    found = await hass.ws("trace/list", domain="automation", item_id=automation_id)
    return sorted(found, key=lambda trace: trace["timestamp"]["start"])


async def test_blueprints(stack: Stack, added: Added) -> None:
    """The three blueprints import, validate, and notify when their situation happens."""
    hass = stack.hass
    installed = {f"flir_frigate/{path.name}" for path in stack.install_blueprints()}
    assert installed == {
        "flir_frigate/flir_alarm_notification.yaml",
        "flir_frigate/frigate_event_notification.yaml",
        "flir_frigate/temperature_rise_warning.yaml",
    }
    listed = await hass.ws("blueprint/list", domain="automation")
    for path in installed:
        assert "error" not in listed[path], listed[path]
        assert listed[path]["metadata"]["domain"] == "automation"

    flir = await entry_entities(hass, added.smart)
    automations: dict[str, dict[str, Any]] = {
        "e2e_flir_alarm": {
            "path": "flir_frigate/flir_alarm_notification.yaml",
            "input": {
                "alarm_events": [flir["Alarm 1 event"]],
                "picture": flir["Thermal picture"],
            },
        },
        "e2e_temperature_rise": {
            "path": "flir_frigate/temperature_rise_warning.yaml",
            "input": {"temperature": flir["Maximum temperature"], "rate": 5, "window": 5},
        },
    }
    if added.frigate_steps is not None:
        frigate_entities = await entry_entities(hass, added.frigate)
        automations["e2e_frigate_event"] = {
            "path": "flir_frigate/frigate_event_notification.yaml",
            "input": {
                "camera_events": [frigate_entities.on("Front Door", "Tracked object")],
                "labels": ["person"],
                "zones": ["porch"],
                "cooldown": 0,
            },
        }
    # An automation missing a required input is refused by the config API's validation.
    with pytest.raises(HassError, match="HTTP 400"):
        await hass.post(
            "/api/config/automation/config/e2e_invalid",
            {"alias": "invalid", "use_blueprint": {**automations["e2e_flir_alarm"], "input": {}}},
        )
    for automation_id, use_blueprint in automations.items():
        result = await hass.post(
            f"/api/config/automation/config/{automation_id}",
            {"alias": automation_id.replace("_", " "), "use_blueprint": use_blueprint},
        )
        assert result == {"result": "ok"}
    entity_ids = {}
    async with asyncio.timeout(30):
        while len(entity_ids) < len(automations):
            entity_ids = {
                e["unique_id"]: e["entity_id"]
                for e in await hass.registry()
                if e["platform"] == "automation" and e["unique_id"] in automations
            }
            await asyncio.sleep(0.3)
    await hass.wait_for(
        lambda states: all(states[e]["state"] == "on" for e in entity_ids.values()),
        what="the blueprint automations to be on",
    )

    # A FLIR alarm: a notification with the thermal picture; the jump of the frame's maximum
    # (about 45 to 80 degrees in a few seconds) is a rise far above 5 degrees a minute.
    camera = stack.devices.smart
    camera.set_hotspot(*camera.alarm_hotspot(1))
    try:
        alarm = await notification(
            hass, lambda n: "Alarm 1 triggered" in n["title"], "the FLIR alarm notification"
        )
        assert alarm["title"] == "FLIR A400 55501234: Alarm 1 triggered"
        assert "threshold 60.0 °C" in alarm["message"]
        rise = await notification(
            hass, lambda n: "rising fast" in n["title"], "the temperature rise warning"
        )
        assert rise["title"] == "FLIR A400 55501234 Maximum temperature is rising fast"
        assert "°C/min" in rise["message"]
    finally:
        camera.clear_hotspots()
    runs = [t for t in await traces(hass, "e2e_flir_alarm") if t["state"] == "stopped"]
    assert runs[0]["script_execution"] == "finished"  # the alarm run notified and ended

    if added.frigate_steps is None:
        return
    frigate = stack.devices.frigate
    # A car in the driveway is filtered out by the labels and zones...
    before = len(await traces(hass, "e2e_frigate_event"))
    car = frigate.create_event("front_door", "car", zones=["driveway"])
    async with asyncio.timeout(45):
        while len(found := await traces(hass, "e2e_frigate_event")) == before:  # noqa: ASYNC110
            await asyncio.sleep(0.5)
    assert found[-1]["script_execution"] == "failed_conditions"
    frigate.end_event(car)
    # ... a person on the porch is not.
    person = frigate.create_event("front_door", "person", zones=["porch"])
    seen = await notification(
        hass, lambda n: n["title"] == "Person at Front Door", "the Frigate event notification"
    )
    assert seen["message"].startswith("Frigate saw a person at Front Door in porch")
    frigate.end_event(person)


# ------------------------------------------------------------------------------------- browser


def looks_like_a_screenshot(path: Path) -> None:
    """A PNG of the viewport that is not one flat colour."""
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.size == (1280, 860)
        low, high = image.convert("L").getextrema()
        assert high - low > 100, f"{path.name} is nearly blank"


async def test_browser(stack: Stack, added: Added, tmp_path: Path) -> None:
    """In Chromium: log in, the add-integration dialog in our words, a dashboard with our data."""
    executable = required_chromium()
    steps = json.loads((COMPONENT / "translations" / "en.json").read_text())["config"]["step"]
    entries = {"smart": added.smart, "streaming": added.streaming}
    if added.frigate_steps is not None:
        entries["frigate"] = added.frigate
    dashboard = await create_dashboard(stack, entries)

    async with browser(executable) as context:
        page = await context.new_page()
        await log_in(page, stack.url)

        await open_add_dialog(page, stack.url, picker=tmp_path / "add-integration.png")
        menu = await dialog_text(page)
        assert steps["user"]["title"] in menu
        assert steps["user"]["menu_options"]["flir"] in menu
        if added.frigate_steps is not None:
            assert steps["user"]["menu_options"]["frigate"] in menu
        await page.screenshot(path=tmp_path / "config-flow-menu.png")

        await page.get_by_text("FLIR automation camera").first.click()
        await page.get_by_role("textbox", name="Host").wait_for()
        await settle(page)
        form = await dialog_text(page)
        flir = steps["flir"]
        for text in (
            flir["title"],
            flir["description"],
            *flir["data"].values(),
            *flir["data_description"].values(),
        ):
            assert text in form, f"{text!r} is not in the form: {form}"
        await page.screenshot(path=tmp_path / "config-flow-flir.png")
        # Closing the dialog ends the flow: nothing stays in progress.
        await page.keyboard.press("Escape")
        await page.locator("dialog-data-entry-flow").wait_for(state="hidden")
        async with asyncio.timeout(10):
            while [  # noqa: ASYNC110 - polling Home Assistant, not a local event
                flow
                for flow in await stack.hass.ws("config_entries/flow/progress")
                if flow["handler"] == "flir_frigate"
            ]:
                await asyncio.sleep(0.3)

        await page.goto(f"{stack.url}{dashboard}")
        await page.get_by_text("FLIR A400 (smart sensor)").wait_for()
        async with asyncio.timeout(30):
            while True:
                pictures = [p for p in await dashboard_pictures(page) if p["width"] > 0]
                kinds = {
                    kind
                    for p in pictures
                    for kind in ("camera_proxy", "image_proxy")
                    if f"/api/{kind}/" in p["src"]
                }
                if kinds == {"camera_proxy", "image_proxy"}:
                    break
                await asyncio.sleep(0.5)
        await settle(page, 2)
        text = await deep_text(page, "hui-root")
        temperatures = re.findall(r"(\d+(?:\.\d)?) °C", text)
        assert temperatures, text
        assert "Motor alarm" in text
        await page.screenshot(path=tmp_path / "dashboard.png")

    for name in ("add-integration", "config-flow-menu", "config-flow-flir", "dashboard"):
        looks_like_a_screenshot(tmp_path / f"{name}.png")


# ---------------------------------------------------------------------------------- unplugging


async def test_flir_unplugged_and_back(stack: Stack, added: Added) -> None:
    """A camera that stops answering makes its entities unavailable; they come back with it."""
    camera = stack.devices.smart
    entities = await entry_entities(stack.hass, added.smart)
    watched = [
        entities["Spot 1 temperature"],
        entities["Alarm 1"],
        entities["Maximum temperature"],
        entities["Thermal picture"],
    ]
    port = camera.port
    await camera.stop()
    try:
        await stack.hass.wait_for(
            lambda states: all(states[e]["state"] == UNAVAILABLE for e in watched),
            what="the unplugged camera's entities to go unavailable",
        )
    finally:
        await camera.start("127.0.0.1", port)
    states = await stack.hass.wait_for(
        lambda states: all(states[e]["state"] != UNAVAILABLE for e in watched),
        what="the camera's entities to come back",
    )
    assert states[entities["Alarm 1"]]["state"] == "off"
    # Logged once when it went away (the coordinator's one ERROR line) and once when back.
    log = stack.log.read_text()
    assert log.count(f"Error fetching flir_frigate {camera.model} {camera.serial} data") == 1
    assert log.count(f"Fetching flir_frigate {camera.model} {camera.serial} data recovered") == 1


async def test_frigate_unplugged_and_back(stack: Stack, added: Added) -> None:
    """A Frigate server that stops answering makes every entity unavailable, until it is back."""
    entities = await entry_entities(stack.hass, added.frigate)
    server = added.frigate_steps[-1]["title"]
    watched = [
        entities.on("Front Door", ""),
        entities.on("Front Door", "Online"),
        entities.on("Front Door", "Camera FPS"),
        entities.on("Backyard", "Person detected"),
        entities.on(server, "Version"),
    ]
    await stack.devices.frigate.stop()
    try:
        await stack.hass.wait_for(
            lambda states: all(states[e]["state"] == UNAVAILABLE for e in watched),
            what="the unplugged Frigate's entities to go unavailable",
        )
    finally:
        await stack.devices.restart_frigate()
    states = await stack.hass.wait_for(
        lambda states: all(states[e]["state"] != UNAVAILABLE for e in watched),
        what="the Frigate entities to come back",
        timeout=90,
    )
    assert states[entities.on("Front Door", "Online")]["state"] == "on"


# ------------------------------------------------------------------------------------- removal


async def test_remove_entries_unloads_cleanly(stack: Stack, added: Added) -> None:
    """Deleting the entries unloads them, removes their entities and leaves no errors."""
    hass = stack.hass
    ours = [e["entity_id"] for e in await hass.registry() if e["platform"] == "flir_frigate"]
    assert ours
    for entry in await hass.entries():
        result = await hass.delete_entry(entry["entry_id"])
        assert result == {"require_restart": False}
    assert await hass.entries() == []
    await hass.wait_for(
        lambda states: not set(ours) & set(states),
        what="the removed entries' entities to disappear",
    )
    assert not [e for e in await hass.registry() if e["platform"] == "flir_frigate"]
    # Give the unload a moment to log anything it would log, then read the log.
    await asyncio.sleep(1)
    assert stack.log_problems(expected=[UNPLUGGED]) == []
