"""The hostile-device matrix for Frigate's websocket, with a FLIR camera beside it.

A Frigate entry with its websocket (a short heartbeat in clock seconds) and a FLIR camera
entry run in one Home Assistant; each case puts one fault on the socket: garbage of every
kind, a message over the size cap, a stall (no answer, pings included, the handshake hangs),
a drop, a refused handshake (502) and a flood. Garbage and floods change nothing and log
nothing; an outage makes the websocket-only entities unavailable, polling goes back to the
normal rate with the HTTP entities still available, one warning goes down and one line comes
back, and after it everything is back with the event created meanwhile. Memory is traced
per case; no task is left behind; the FLIR entities never notice. Each case is recorded for
`scripts/faults` as a row "websocket ..." of the Frigate column.
"""

import asyncio
import contextlib
import logging
import tracemalloc
from collections.abc import AsyncGenerator, Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Final
from unittest.mock import patch

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_STATE_CHANGED, STATE_UNAVAILABLE
from homeassistant.core import CoreState, Event, HomeAssistant, callback

from custom_components.flir_frigate.api.frigate.live import (
    FrigateLive,
    LiveOptions,
)
from custom_components.flir_frigate.api.frigate.live_models import MotionUpdate
from custom_components.flir_frigate.frigate.const import FRIGATE_SCAN_INTERVAL
from custom_components.flir_frigate.frigate.live import LIVE_POLL_INTERVAL
from tests.conftest import SMART_SERIAL, flir_entry, setup_entry
from tests.fakes.flir_camera import FakeFlirCamera
from tests.frigate.common import FrigateFactory, loaded_frigate, make_frigate_entry, setup_frigate

from .conftest import FLIR_RESOLUTION, FLIR_TOOLS
from .live_faults import (
    FLOOD,
    LiveRig,
    clear,
    deep_json,
    drop,
    flood,
    garbage_bytes,
    garbage_text,
    huge_json,
    oversize,
    refused,
    stall,
    stats_shape,
    unknown_topics,
    wrong_shapes,
)
from .report import record
from .rig import MIB, Device, Outcome, _keep_alive, _line, _real_time, _task_name

LIVE = "custom_components.flir_frigate.frigate.live"
HEARTBEAT: Final = 2.0
"""Clock seconds between pings: a stalled socket is dead 1 s after an unanswered ping."""
OPTIONS: Final = LiveOptions(
    heartbeat=HEARTBEAT, backoff_initial=0.01, backoff_max=0.05, command_timeout=0.3
)
MEMORY_BOUND: Final = 64.0
"""MiB a case may allocate at its peak (the message cap is 4 MiB)."""
INTEGRATION: Final = "custom_components.flir_frigate"


@pytest.fixture
async def live_rig(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    frigate_factory: FrigateFactory,
) -> AsyncGenerator[LiveRig]:
    """Home Assistant with a FLIR camera and a Frigate server whose websocket is up."""
    caplog.set_level(logging.WARNING, logger="aiohttp.access")
    caplog.set_level(logging.INFO)
    camera = FakeFlirCamera(
        profile="smart_sensor",
        serial=SMART_SERIAL,
        drift=False,
        resolution=FLIR_RESOLUTION,
        **FLIR_TOOLS,
    )
    await camera.start()
    frigate = await frigate_factory(websocket=True)
    entry = await setup_entry(hass, flir_entry(camera, SMART_SERIAL))
    with patch(f"{LIVE}.FrigateLive", partial(FrigateLive, options=OPTIONS)):
        frigate_entry = await setup_frigate(hass, make_frigate_entry(frigate))
    rig = LiveRig(
        hass,
        freezer,
        caplog,
        frigate,
        frigate_entry,
        Device(kind="flir", entry=entry, hostile=None, fake=camera),  # type: ignore[arg-type]
    )
    rig.bridge.message_listeners.append(rig.messages.append)
    await rig.until(lambda: rig.bridge.connected)
    yield rig
    task = rig.bridge.task
    for each in (frigate_entry, entry):
        await hass.config_entries.async_unload(each.entry_id)
    if task is not None:
        await rig.until(task.done)
    # aiohttp re-arms the heartbeat of a socket whose close answer arrives after close()
    # began; that timer fires (and does nothing) within one heartbeat.
    await rig.run_for(HEARTBEAT * 1.5)
    await camera.stop()


@dataclass(frozen=True, kw_only=True)
class Case:
    """One websocket fault and what is right for it."""

    name: str
    fault: Callable[[LiveRig], Awaitable[None]]
    outage: bool  # the socket goes down
    held: bool = False  # it stays down until the fault clears
    why: str = ""


CASES: Final = (
    Case(name="websocket garbage bytes", fault=garbage_bytes, outage=False, why="ignored"),
    Case(name="websocket garbage text", fault=garbage_text, outage=False, why="ignored"),
    Case(name="websocket wrong shapes", fault=wrong_shapes, outage=False, why="ignored"),
    Case(name="websocket stats shape", fault=stats_shape, outage=False, why="ignored"),
    Case(name="websocket huge json", fault=huge_json, outage=False, why="under the cap: ignored"),
    Case(name="websocket deep json", fault=deep_json, outage=False, why="ignored"),
    Case(name="websocket unknown topics", fault=unknown_topics, outage=False, why="ignored"),
    Case(name="websocket flood", fault=flood, outage=False, why="every message handled"),
    Case(name="websocket oversize", fault=oversize, outage=True, why="over the cap: reconnect"),
    Case(name="websocket drop", fault=drop, outage=True, why="reconnect at once"),
    Case(name="websocket stall", fault=stall, outage=True, held=True, why="heartbeat: down"),
    Case(name="websocket refused", fault=refused, outage=True, held=True, why="502: down"),
)


# ---------------------------------------------------------------------- one case


def _frigate_states(rig: LiveRig) -> dict[str, str]:
    return Device(kind="frigate", entry=rig.frigate_entry, hostile=None, fake=None).states(  # type: ignore[arg-type]
        rig.hass
    )


async def run_case(rig: LiveRig, case: Case) -> Outcome:
    """Fault on, watch, fault off, watch; what happened."""
    hass = rig.hass
    bridge = rig.bridge
    outcome = Outcome(kind="frigate", endpoint="websocket", fault=case.name)
    started = _real_time()
    problems: list[str] = []
    await rig.until(lambda: bridge.connected)
    before = _frigate_states(rig)
    flir_before = rig.flir.states(hass)
    available = {e for e, s in before.items() if s != STATE_UNAVAILABLE}
    outcome.entities = len(available)
    outcome.baseline = sorted(available)
    switches = sorted(e for e in available if e.startswith("switch."))
    polled = sorted(e for e in available if e.split(".")[0] in ("camera", "image", "update"))
    assert switches
    assert polled
    connects = bridge.live.connects
    messages = len(rig.messages)
    tasks_before = asyncio.all_tasks()
    first_record = len(rig.caplog.records)
    changes: list[tuple[str, str]] = []

    @callback
    def changed(event: Event[Any]) -> None:
        new = event.data["new_state"]
        changes.append((event.data["entity_id"], new.state if new is not None else ""))

    unsubscribe = hass.bus.async_listen(EVENT_STATE_CHANGED, changed)
    tracemalloc.start()
    try:
        await case.fault(rig)
        event_id = ""
        if case.outage:
            await rig.until(lambda: not bridge.connected)
            if bridge.hub.update_interval != FRIGATE_SCAN_INTERVAL:
                problems.append(f"polling every {bridge.hub.update_interval} while down")
            if case.held:
                # Frigate's HTTP API is fine: polling runs at its normal rate meanwhile.
                event_id = rig.frigate.create_event("front_door", "person", in_progress=False)
                # Two requests per cycle (the events since the last cycle, those in progress).
                polls = rig.frigate.requests["/api/events"]
                await rig.run_for(FRIGATE_SCAN_INTERVAL.total_seconds() * 2 + 0.5)
                if rig.frigate.requests["/api/events"] - polls < 4:
                    problems.append("no polling at the normal rate while down")
                if bridge.connected:
                    problems.append("the socket came back while the fault held")
            down = _frigate_states(rig)
            outcome.unavailable = sorted(e for e in available if down.get(e) == STATE_UNAVAILABLE)
        else:
            await rig.sentinel()
            if bridge.live.connects != connects or not bridge.connected:
                problems.append("the socket closed")
        outcome.unavailable_second = sorted(
            {e for e, s in changes if s == STATE_UNAVAILABLE and e in available}
        )
        down_records = rig.caplog.records[first_record:]
        recovery_record = len(rig.caplog.records)
        await clear(rig)
        await rig.until(lambda: bridge.connected)
        await rig.until(lambda: bridge.hub.update_interval == LIVE_POLL_INTERVAL)
        if case.outage and not case.held:
            event_id = rig.frigate.create_event("front_door", "person", in_progress=False)
        if event_id:
            entity = loaded_frigate(hass, "event", "front_door:events")
            await rig.until(
                lambda: (
                    (state := hass.states.get(entity)) is not None
                    and state.attributes.get("event_id") == event_id
                )
            )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        unsubscribe()
        await clear(rig)
    await rig.run_for(0.5)
    after = _frigate_states(rig)
    up_records = rig.caplog.records[recovery_record:]
    outcome.peak_mib = round(peak / MIB, 1)
    outcome.not_recovered = sorted(e for e in available if after.get(e) == STATE_UNAVAILABLE)
    outcome.recovered = bridge.connected and not outcome.not_recovered
    outcome.down_lines = [_line(r) for r in down_records if r.levelno >= logging.WARNING]
    outcome.up_lines = [
        _line(r)
        for r in up_records
        if r.levelno >= logging.WARNING
        or (r.levelno >= logging.INFO and r.name.startswith(INTEGRATION))
    ]
    outcome.tracebacks = [
        _line(r)
        for r in rig.caplog.records[first_record:]
        if r.exc_info is not None or r.exc_text or "Traceback" in r.getMessage()
    ]
    outcome.hass_running = hass.state is CoreState.running
    flir_after = rig.flir.states(hass)
    outcome.other_hurt = sorted(e for e, s in flir_before.items() if flir_after.get(e) != s)

    def leftover() -> list[str]:
        live_tasks = {client.task for client in rig.frigate.live.clients}
        return sorted(
            _task_name(task)
            for task in asyncio.all_tasks() - tasks_before
            if not task.done() and not _keep_alive(task) and task not in live_tasks
        )

    # A cycle of either entry may be running right now (the clock moves): it ends by itself.
    with contextlib.suppress(AssertionError):
        await rig.until(lambda: not leftover(), clock=3.0)
    outcome.lingering_tasks = leftover()

    if case.outage:
        if not set(switches) <= set(outcome.unavailable_second):
            problems.append(f"switches not unavailable: {outcome.unavailable_second}")
        if case.held and not set(switches) <= set(outcome.unavailable):
            problems.append(f"switches not unavailable while down: {outcome.unavailable}")
        hurt = [e for e in polled if e in outcome.unavailable_second]
        if hurt:
            problems.append(f"polled entities went unavailable: {hurt}")
        if len(outcome.down_lines) != 1:
            problems.append(f"{len(outcome.down_lines)} lines going down: {outcome.down_lines}")
        if len(outcome.up_lines) != 1:
            problems.append(f"{len(outcome.up_lines)} lines coming back: {outcome.up_lines}")
    else:
        changed_ids = sorted({e for e, _ in changes})
        if case.fault is flood:
            motions = [m for m in rig.messages[messages:] if isinstance(m, MotionUpdate)]
            if len(motions) < FLOOD:
                problems.append(f"{len(motions)} of {FLOOD} flooded messages handled")
            motion = loaded_frigate(hass, "binary_sensor", "backyard:motion")
            if (state := hass.states.get(motion)) is None or state.state != "off":
                problems.append(f"motion after the flood: {state}")
            changed_ids = [e for e in changed_ids if e != motion]
        if changed_ids:
            problems.append(f"garbage changed {changed_ids}")
        lines = outcome.down_lines + outcome.up_lines
        if lines:
            problems.append(f"logged {lines}")
    if not outcome.recovered:
        problems.append(f"not back: {outcome.not_recovered}")
    if outcome.tracebacks:
        problems.append(f"tracebacks logged: {outcome.tracebacks}")
    if outcome.peak_mib >= MEMORY_BOUND:
        problems.append(f"peak memory {outcome.peak_mib} MiB")
    if outcome.lingering_tasks:
        problems.append(f"tasks left behind: {outcome.lingering_tasks}")
    if outcome.other_hurt:
        problems.append(f"the FLIR entities changed: {outcome.other_hurt}")
    if not outcome.hass_running:
        problems.append("Home Assistant stopped running")
    outcome.seconds = round(_real_time() - started, 2)
    record(
        {
            **outcome.as_dict(),
            "status": ("xfail" if case.name in KNOWN_DEFECTS else "failed")
            if problems
            else "passed",
            "problems": problems,
            "why": case.why,
        }
    )
    assert not problems, f"{case.name}: " + "\n".join(problems)
    return outcome


KNOWN_DEFECTS: Final[dict[str, str]] = {}
"""Case name -> why it fails today; it runs as a strict xfail."""


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            case,
            id=case.name.removeprefix("websocket "),
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_DEFECTS[case.name])]
            if case.name in KNOWN_DEFECTS
            else [],
        )
        for case in CASES
    ],
)
async def test_live_socket_fault(live_rig: LiveRig, case: Case) -> None:
    """One websocket fault: what is right for it happens, and the socket comes back."""
    await run_case(live_rig, case)
