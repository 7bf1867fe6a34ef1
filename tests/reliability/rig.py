"""A Home Assistant with one FLIR camera and one Frigate server, each behind a hostile proxy.

`Rig.run` puts one fault on one endpoint of one device, lets the integration meet it twice
(two cycles of that endpoint, or two requests for on-demand pictures), clears it, lets one
more cycle run, and tells what happened: which entities went unavailable or unknown, what
Home Assistant answered, the log lines going down and coming back, tracebacks, the peak of
memory allocated meanwhile (tracemalloc), answers still being sent, tasks left behind, and
whether the other device noticed anything.

Time is frozen (the event loop's clock too). It moves in two ways only: a cycle jumps it by
the endpoint's cadence and fires what became due (`async_fire_time_changed`), and while the
integration waits on a request that the hostile server holds (a hang, a slow body, a stuck
stream), `drive` moves it on in small steps, so timeouts fire after their (short) clock time
without the test sleeping through them. It never moves while an ordinary request is on the
wire, so a healthy request cannot time out, and never while no fault holds a request (so the
integration's own timers do not start cycles of their own between the ones a case makes).

The FLIR client's back-off between retries (a busy answer, `Retry-After`) is the rig's to
control (`Backoffs`): the delay the client asks for is recorded (`Outcome.backoff`) and the
wait ends at once, without moving the clock. Moving the clock through it, as for a hang,
would also fire the polling timers of every coordinator meanwhile: under a fault that makes
each cycle back off, new cycles then keep starting and Home Assistant never settles.
"""

import asyncio
import contextlib
import logging
import time
import tracemalloc
import types
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, Final
from unittest.mock import patch

import aiohttp
import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import CoreState, HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.flir_frigate.api.flir import transport as flir_transport
from custom_components.flir_frigate.const import DOMAIN
from tests.fakes.hostile import Fault, HostileServer

from .cases import Endpoint, Trigger

MIB: Final = 1024 * 1024
STREAM_READ: Final = 256 * 1024
"""Bytes of an MJPEG stream a viewer reads before it closes the page."""
STREAM_WALL: Final = 3.0
"""Seconds a viewer waits for a stream's bytes before it gives up."""
CLOCK_STEP: Final = 0.25
"""Clock seconds `drive` moves on at a time while the integration waits on a fault."""
STUCK_ROUNDS: Final = 3
"""Rounds of 2 ms in which only faulty requests are on the wire before the clock moves."""
REAL_LIMIT: Final = 60.0
"""Real seconds one step of a case may take before the rig calls it stuck."""
DRAIN_CLOCK: Final = 3.0
"""Clock seconds given to the hostile server's answers to end once their client has gone."""
INTEGRATION_LOGGER: Final = "custom_components.flir_frigate"

type ClientFactory = Callable[[], Any]


@dataclass
class Device:
    """One device kind in the rig: its entry, its hostile proxy and the fake behind it."""

    kind: str
    entry: MockConfigEntry
    hostile: HostileServer
    fake: Any
    camera_entity: str = ""
    image_entity: str = ""

    def states(self, hass: HomeAssistant) -> dict[str, str]:
        """The state of each enabled entity of the entry."""
        registry = er.async_get(hass)
        states: dict[str, str] = {}
        for entity in er.async_entries_for_config_entry(registry, self.entry.entry_id):
            if (state := hass.states.get(entity.entity_id)) is not None:
                states[entity.entity_id] = state.state
        return states

    def unique_ids(self, hass: HomeAssistant) -> dict[str, str]:
        """Entity id -> unique id, for the entities of the entry."""
        registry = er.async_get(hass)
        return {
            entity.entity_id: entity.unique_id
            for entity in er.async_entries_for_config_entry(registry, self.entry.entry_id)
        }


@dataclass
class Outcome:
    """What one fault on one endpoint did (the matrix records it as JSON)."""

    kind: str
    endpoint: str
    fault: str
    unavailable: list[str] = field(default_factory=list)  # unique ids, first faulty cycle
    unknown: list[str] = field(default_factory=list)
    unavailable_second: list[str] = field(default_factory=list)  # second faulty cycle
    entities: int = 0  # entities available before the fault
    baseline: list[str] = field(default_factory=list)  # their unique ids
    request: list[int | None] = field(default_factory=list)  # HA's answers while faulty
    request_after: int | None = None  # HA's answer once the fault cleared
    stream_bytes: int = 0
    entry_state: str = ""  # the entry's state while faulty
    reauth: bool = False
    recovered: bool = False
    not_recovered: list[str] = field(default_factory=list)
    down_lines: list[str] = field(default_factory=list)
    up_lines: list[str] = field(default_factory=list)
    tracebacks: list[str] = field(default_factory=list)
    peak_mib: float = 0.0
    in_flight: int = 0  # hostile answers still being sent after the case
    lingering_tasks: list[str] = field(default_factory=list)
    other_hurt: list[str] = field(default_factory=list)
    restored: bool = False  # not recovered: the entry was reloaded for the next case
    hass_running: bool = True
    elsewhere_hits: int = 0
    faulted_requests: int = 0
    backoff: list[float] = field(default_factory=list)  # back-offs the client asked for
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)


def _real_time() -> float:
    """Seconds of the real clock (freezegun leaves this one alone)."""
    return time.clock_gettime(time.CLOCK_MONOTONIC)


def _noise(record: logging.LogRecord) -> bool:
    """asyncio's slow-callback warning: frozen time jumped while a test step ran, no real delay."""
    return record.name == "asyncio" and record.getMessage().startswith("Executing <")


def _line(record: logging.LogRecord) -> str:
    return f"{record.levelname} {record.name}: {record.getMessage()}"[:300]


class PendingRequests:
    """Counts the requests of aiohttp clients still waiting for their answer to start.

    Installed by `Rig.counting`, for every client session but `exclude` (the test's own).
    """

    def __init__(self, exclude: aiohttp.ClientSession | None) -> None:
        """Count nothing yet."""
        self.count = 0
        self._exclude = exclude

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        """Count while in the block."""
        original = aiohttp.ClientSession._request
        pending = self

        async def counted(
            session: aiohttp.ClientSession, *args: Any, **kwargs: Any
        ) -> aiohttp.ClientResponse:
            if session is pending._exclude:
                return await original(session, *args, **kwargs)
            pending.count += 1
            try:
                return await original(session, *args, **kwargs)
            finally:
                pending.count -= 1

        with patch.object(aiohttp.ClientSession, "_request", counted):
            yield


class Backoffs:
    """The FLIR client's back-off sleeps: each delay it asks for is kept; the wait ends at once.

    Installed by `Rig.counting` as the transport module's `asyncio.sleep` only (nothing else
    of asyncio changes). The client still computes its delay (`retry_delay`: `Retry-After`
    capped, else its back-off) and still yields to the loop once, as a sleep does.
    """

    def __init__(self) -> None:
        """Nothing asked yet."""
        self.delays: list[float] = []

    async def sleep(self, delay: float, result: Any = None) -> Any:
        """Record `delay`, yield once and return `result` (what asyncio.sleep returns)."""
        self.delays.append(round(float(delay), 3))
        return await asyncio.sleep(0, result)

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        """Control the transport's sleeps while in the block."""
        proxy = types.SimpleNamespace(**vars(asyncio))
        proxy.sleep = self.sleep
        with patch.object(flir_transport, "asyncio", proxy):
            yield


class Rig:
    """Home Assistant with both devices, each behind its hostile proxy."""

    def __init__(
        self,
        hass: HomeAssistant,
        freezer: FrozenDateTimeFactory,
        caplog: pytest.LogCaptureFixture,
        client: aiohttp.ClientSession | Any,
        devices: dict[str, Device],
        elsewhere: HostileServer,
    ) -> None:
        """Keep what the fixtures made."""
        self.hass = hass
        self.freezer = freezer
        self.caplog = caplog
        self.client = client
        self.devices = devices
        self.elsewhere = elsewhere
        self.pending = PendingRequests(exclude=getattr(client, "session", None))
        self.backoffs = Backoffs()

    @contextlib.contextmanager
    def counting(self) -> Iterator[None]:
        """Count pending requests and control back-offs while in the block."""
        with self.pending.installed(), self.backoffs.installed():
            yield

    def other(self, kind: str) -> Device:
        """The device of the other kind."""
        return next(device for name, device in self.devices.items() if name != kind)

    # ------------------------------------------------------------------ time and requests

    @property
    def hostiles(self) -> list[HostileServer]:
        """Every hostile server of the rig."""
        return [device.hostile for device in self.devices.values()] + [self.elsewhere]

    def _stuck(self) -> bool:
        """Whether a fault holds a request and every request on the wire is held by one.

        A request a client has sent but no server has started to answer counts too: until
        its answer starts, it may only be one that a fault holds. With no request held by a
        fault, nothing waits on the clock: what runs is work, not a wait.
        """
        faulting = sum(hostile.faulting for hostile in self.hostiles)
        return (
            faulting > 0
            and self.pending.count <= faulting
            and all(hostile.in_flight == hostile.faulting for hostile in self.hostiles)
        )

    async def drive[T](self, awaitable: Awaitable[T]) -> T:
        """Await `awaitable`; while only faults (or back-offs) keep it waiting, move time on."""
        task = asyncio.ensure_future(awaitable)
        loop = asyncio.get_running_loop()
        started = _real_time()
        stuck = ticks = 0
        clock = loop.time()
        while not task.done():
            # 2 ms of real time, or less if the awaitable ends first.
            pause = loop.run_in_executor(None, time.sleep, 0.002)
            await asyncio.wait((task, pause), return_when=asyncio.FIRST_COMPLETED)
            if task.done():
                break
            stuck = stuck + 1 if self._stuck() else 0
            if stuck >= STUCK_ROUNDS and not task.done():
                self.freezer.tick(CLOCK_STEP)
                ticks += 1
                stuck = 0
            if _real_time() - started > REAL_LIMIT:
                task.cancel()
                hostiles = [(h.port, h.in_flight, h.faulting, h.fault) for h in self.hostiles]
                waiting = [
                    f"{_task_name(t)} at {_await_chain(t)}"
                    for t in asyncio.all_tasks()
                    if not t.done()
                ]
                raise AssertionError(
                    f"stuck for {REAL_LIMIT:g} s ({ticks} steps, clock +{loop.time() - clock:g} s, "
                    f"{len(loop._scheduled)} timers): {awaitable!r}; pending requests "
                    f"{self.pending.count}, hostile servers {hostiles}, tasks {waiting}"
                )
        return task.result()

    async def settle(self) -> None:
        """Let everything the integration started finish (see `drive`)."""
        await self.drive(self.hass.async_block_till_done(wait_background_tasks=True))

    async def tick(self, seconds: float) -> None:
        """Move time on and let what became due run (one cycle of each due timer).

        What runs already finishes first: a jump of the clock must not time it out.
        """
        await self.settle()
        self.freezer.tick(seconds)
        async_fire_time_changed(self.hass)
        await self.settle()

    async def get(self, path: str) -> tuple[int, int]:
        """GET a Home Assistant path as a logged-in user: status and bytes read."""

        async def fetch() -> tuple[int, int]:
            async with self.client.get(path) as response:
                if response.status != 200:
                    return response.status, 0
                return response.status, len(await response.read())

        return await self.drive(fetch())

    async def stream(self, path: str, want: int = STREAM_READ) -> tuple[int, int]:
        """Open an MJPEG stream as a viewer does: read `want` bytes (or to its end), close."""

        async def watch() -> tuple[int, int]:
            read = 0
            response = await self.client.get(path)
            try:
                if response.status != 200:
                    return response.status, 0
                with contextlib.suppress(TimeoutError, aiohttp.ClientError):
                    async with asyncio.timeout(STREAM_WALL):
                        while read < want:
                            chunk = await response.content.readany()
                            if not chunk:
                                break
                            read += len(chunk)
                return response.status, read
            finally:
                response.close()

        result = await self.drive(watch())
        await self.settle()
        return result

    async def provoke(self, endpoint: Endpoint, outcome: Outcome) -> None:
        """Have the integration read the endpoint once."""
        device = self.devices[endpoint.kind]
        match endpoint.trigger:
            case Trigger.POLL:
                await self.tick(endpoint.cycle.total_seconds())
            case Trigger.SETUP:
                if device.entry.state is ConfigEntryState.LOADED:
                    await self.drive(self.hass.config_entries.async_reload(device.entry.entry_id))
                    await self.settle()
                else:
                    await self.tick(endpoint.cycle.total_seconds())
            case Trigger.STILL:
                status, _ = await self.get(f"/api/camera_proxy/{device.camera_entity}?width=160")
                outcome.request.append(status)
                await self.tick(endpoint.cycle.total_seconds())
            case Trigger.IMAGE:
                status, _ = await self.get(f"/api/image_proxy/{device.image_entity}")
                outcome.request.append(status)
                await self.tick(endpoint.cycle.total_seconds())
            case Trigger.STREAM:
                status, read = await self.stream(f"/api/camera_proxy_stream/{device.camera_entity}")
                outcome.request.append(status)
                outcome.stream_bytes = max(outcome.stream_bytes, read)
                await self.tick(endpoint.cycle.total_seconds())

    async def recover(self, endpoint: Endpoint, outcome: Outcome) -> None:
        """After the fault cleared: one cycle (a reauthentication reloads the entry first)."""
        device = self.devices[endpoint.kind]
        hass = self.hass
        if outcome.reauth:
            # What a finished reauthentication does: the entry is reloaded.
            for flow in hass.config_entries.flow.async_progress_by_handler(DOMAIN):
                hass.config_entries.flow.async_abort(flow["flow_id"])
            await self.drive(hass.config_entries.async_reload(device.entry.entry_id))
            await self.settle()
            return
        match endpoint.trigger:
            case Trigger.POLL | Trigger.SETUP:
                await self.tick(endpoint.cycle.total_seconds())
            case Trigger.STILL:
                outcome.request_after, _ = await self.get(
                    f"/api/camera_proxy/{device.camera_entity}?width=160"
                )
                await self.tick(endpoint.cycle.total_seconds())
            case Trigger.IMAGE:
                outcome.request_after, _ = await self.get(f"/api/image_proxy/{device.image_entity}")
                await self.tick(endpoint.cycle.total_seconds())
            case Trigger.STREAM:
                outcome.request_after, _ = await self.stream(
                    f"/api/camera_proxy_stream/{device.camera_entity}", want=1
                )
                await self.tick(endpoint.cycle.total_seconds())

    # ------------------------------------------------------------------ one case

    async def run(self, endpoint: Endpoint, fault: Fault) -> Outcome:
        """One fault on one endpoint, from a healthy start to (hopefully) a healthy end."""
        hass = self.hass
        device = self.devices[endpoint.kind]
        other = self.other(endpoint.kind)
        outcome = Outcome(kind=endpoint.kind, endpoint=endpoint.name, fault=str(fault))
        started = _real_time()
        if endpoint.trigger is Trigger.IMAGE:
            # A new event with a snapshot: the image entity has not fetched (cached) it yet.
            device.fake.create_event("front_door", "person", in_progress=False)
            await self.tick(5)
        await self.settle()
        ids = device.unique_ids(hass)
        before = device.states(hass)
        other_before = other.states(hass)
        available = {e for e, s in before.items() if s != STATE_UNAVAILABLE}
        # An event entity's state is the time of its last event, not a value the device reports.
        known = {
            e
            for e, s in before.items()
            if s not in (STATE_UNAVAILABLE, STATE_UNKNOWN) and not e.startswith("event.")
        }
        other_available = {e for e, s in other_before.items() if s != STATE_UNAVAILABLE}
        outcome.entities = len(available)
        outcome.baseline = sorted(ids[e] for e in available)
        tasks_before = asyncio.all_tasks()
        backoffs_before = len(self.backoffs.delays)
        elsewhere_before = sum(self.elsewhere.requests.values())
        first_record = len(self.caplog.records)

        # Memory is traced while the fault is on: from the first faulty answer to the last.
        tracemalloc.start()
        try:
            device.hostile.inject(fault, endpoint.routes)
            await self.provoke(endpoint, outcome)
            first = device.states(hass)
            outcome.unavailable = sorted(
                ids[e] for e in available if first.get(e, STATE_UNAVAILABLE) == STATE_UNAVAILABLE
            )
            outcome.unknown = sorted(ids[e] for e in known if first.get(e) == STATE_UNKNOWN)
            await self.provoke(endpoint, outcome)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
            device.hostile.clear()
        second = device.states(hass)
        outcome.unavailable_second = sorted(
            ids[e] for e in available if second.get(e, STATE_UNAVAILABLE) == STATE_UNAVAILABLE
        )
        outcome.entry_state = device.entry.state.value
        outcome.reauth = any(
            flow["context"].get("entry_id") == device.entry.entry_id
            for flow in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
        )
        outcome.faulted_requests = sum(device.hostile.faulted.values())
        outcome.backoff = self.backoffs.delays[backoffs_before:]
        hurt = other.states(hass)
        outcome.other_hurt = sorted(e for e in other_available if hurt.get(e) == STATE_UNAVAILABLE)
        down_records = [r for r in self.caplog.records[first_record:] if not _noise(r)]

        recovery_record = len(self.caplog.records)
        await self.recover(endpoint, outcome)
        after = device.states(hass)
        up_records = [r for r in self.caplog.records[recovery_record:] if not _noise(r)]

        outcome.peak_mib = round(peak / MIB, 1)
        outcome.not_recovered = sorted(
            ids.get(e, e)
            for e in available
            if after.get(e, STATE_UNAVAILABLE) == STATE_UNAVAILABLE
            or (e in known and after.get(e) == STATE_UNKNOWN)
        )
        outcome.recovered = (
            not outcome.not_recovered
            and device.entry.state is ConfigEntryState.LOADED
            and outcome.request_after in (None, 200)
        )
        outcome.down_lines = [_line(r) for r in down_records if r.levelno >= logging.WARNING]
        outcome.up_lines = [
            _line(r)
            for r in up_records
            if r.levelno >= logging.WARNING
            or (r.levelno >= logging.INFO and r.name.startswith(INTEGRATION_LOGGER))
        ]
        outcome.tracebacks = [
            _line(r)
            for r in self.caplog.records[first_record:]
            if r.exc_info is not None or r.exc_text or "Traceback" in r.getMessage()
        ]
        outcome.hass_running = hass.state is CoreState.running
        after_other = other.states(hass)
        outcome.other_hurt = sorted(
            {*outcome.other_hurt}
            | {e for e in other_available if after_other.get(e) == STATE_UNAVAILABLE}
        )
        outcome.elsewhere_hits = sum(self.elsewhere.requests.values()) - elsewhere_before
        outcome.in_flight = await self._drained(device.hostile)
        await self.settle()
        outcome.lingering_tasks = sorted(
            _task_name(task)
            for task in asyncio.all_tasks() - tasks_before
            if not task.done() and not _keep_alive(task)
        )
        if not outcome.recovered:
            await self.restore(device)
            outcome.restored = True
        outcome.seconds = round(_real_time() - started, 2)
        return outcome

    async def restore(self, device: Device) -> None:
        """Reload an entry that did not recover, so the next case starts from a healthy one."""
        hass = self.hass
        for flow in hass.config_entries.flow.async_progress_by_handler(DOMAIN):
            hass.config_entries.flow.async_abort(flow["flow_id"])
        await self.drive(hass.config_entries.async_reload(device.entry.entry_id))
        await self.tick(5)

    async def _drained(self, hostile: HostileServer) -> int:
        """Answers the hostile server is still sending once their clients had time to go.

        Time moves on meanwhile (a stream proxied by Home Assistant notices a viewer that
        left only when its next frame is due).
        """
        loop = asyncio.get_running_loop()
        moved = 0.0
        while hostile.in_flight and moved < DRAIN_CLOCK:
            for _ in range(STUCK_ROUNDS):
                await loop.run_in_executor(None, time.sleep, 0.002)
            self.freezer.tick(CLOCK_STEP)
            moved += CLOCK_STEP
        return hostile.in_flight


def _await_chain(task: asyncio.Task[Any]) -> list[str]:
    """Where a task waits: each coroutine it awaits, innermost last."""
    chain: list[str] = []
    awaited: Any = task.get_coro()
    while awaited is not None and len(chain) < 40:
        frame = getattr(awaited, "cr_frame", None) or getattr(awaited, "ag_frame", None)
        if frame is None:
            chain.append(repr(awaited)[:120])
            break
        chain.append(f"{frame.f_code.co_name}:{frame.f_lineno}")
        awaited = getattr(awaited, "cr_await", None) or getattr(awaited, "ag_await", None)
    return chain


def _keep_alive(task: asyncio.Task[Any]) -> bool:
    """An HTTP server's task for an idle keep-alive connection (it ends with the connection)."""
    return getattr(task.get_coro(), "__qualname__", "") == "RequestHandler.start"


def _task_name(task: asyncio.Task[Any]) -> str:
    coro = task.get_coro()
    name = getattr(coro, "__qualname__", None) or repr(coro)
    return f"{task.get_name()}: {name}"
