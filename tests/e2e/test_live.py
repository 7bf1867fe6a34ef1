"""Frigate's websocket in a real Home Assistant: a switch Frigate confirms, an event pushed.

Runs after test_home_assistant.py, which removes every entry at its end: the Frigate server is
added again when it is gone (as test_media.py does).
"""

from typing import Any

import pytest

from tests.e2e.conftest import Added
from tests.e2e.stack import FRIGATE_PASSWORD, FRIGATE_USERNAME, Stack, add_frigate, entry_entities
from tests.e2e.test_home_assistant import changes

pytestmark = pytest.mark.asyncio(loop_scope="session")

CAMERA = "front_door"


async def _frigate_entry(stack: Stack, added: Added) -> str:
    """The loaded Frigate entry's id (added again when an earlier test removed it)."""
    for entry in await stack.hass.entries():
        frigate = entry["entry_id"] == added.frigate or entry["title"].startswith("Frigate")
        if frigate and entry["state"] == "loaded":
            return str(entry["entry_id"])
    steps = await add_frigate(
        stack.hass, stack.devices.frigate.url, username=FRIGATE_USERNAME, password=FRIGATE_PASSWORD
    )
    return str(steps[-1]["result"]["entry_id"])


async def _connected(stack: Stack, detect: str) -> None:
    """Wait until the switch has Frigate's state (it is unavailable while the socket is down)."""
    await stack.hass.wait_for(
        lambda states: (
            states.get(detect, {}).get("state") in {"on", "off"}
            and bool(stack.devices.frigate.live.clients)
        ),
        what="the Frigate websocket to connect",
        timeout=90,
    )


async def test_detect_switch_confirmed_by_frigate(stack: Stack, added: Added) -> None:
    """Detect off and on through Home Assistant: Frigate applies it, its answer sets the state."""
    frigate = stack.devices.frigate
    entities = await entry_entities(stack.hass, await _frigate_entry(stack, added))
    detect = entities.on("Front Door", "Detect")
    await _connected(stack, detect)
    settings = frigate.live.camera(CAMERA).settings
    assert settings["detect"] is True
    assert (await stack.hass.state(detect))["state"] == "on"

    for service, payload, state in (("turn_off", "OFF", "off"), ("turn_on", "ON", "on")):
        before = len(frigate.live.received)
        await stack.hass.post(f"/api/services/switch/{service}", {"entity_id": detect})
        # The action returns once Frigate's `.../state` confirmed the command.
        assert settings["detect"] is (state == "on")
        assert (CAMERA + "/detect/set", payload) in [
            (topic, sent) for topic, sent, _ in frigate.live.received[before:]
        ]
        assert (await stack.hass.state(detect))["state"] == state

    # A change made in Frigate itself (its UI, another client) reaches the switch: the state is
    # Frigate's, whoever changed it.
    def in_frigate() -> None:
        settings["detect"] = False
        frigate.live.notify(frigate.live.publish(f"{CAMERA}/detect/state", "OFF"))

    await changes(stack.hass, in_frigate, {detect: lambda s: s["state"] == "off"})
    await stack.hass.post("/api/services/switch/turn_on", {"entity_id": detect})
    assert settings["detect"] is True
    assert (await stack.hass.state(detect))["state"] == "on"


async def test_event_pushed(stack: Stack, added: Added) -> None:
    """A new event reaches the event entity over the websocket, with no poll of /api/events."""
    frigate = stack.devices.frigate
    entities = await entry_entities(stack.hass, await _frigate_entry(stack, added))
    event = entities.on("Front Door", "Tracked object")
    await _connected(stack, entities.on("Front Door", "Detect"))
    polls = frigate.requests["/api/events"]
    created: list[str] = []
    seen: dict[str, dict[str, Any]] = await changes(
        stack.hass,
        lambda: created.append(frigate.create_event(CAMERA, "person", zones=["porch"])),
        {event: lambda s: s["attributes"].get("event_type") == "new_event"},
    )
    assert seen[event]["attributes"]["event_id"] == created[0]
    assert frigate.requests["/api/events"] == polls  # pushed, not polled
    frigate.end_event(created[0])
