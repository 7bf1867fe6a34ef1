"""Soak: hundreds to thousands of polling cycles of three devices with random faults.

Two fake FLIR cameras (a smart sensor with every kind of measurement tool, an image-streaming
one) and one fake Frigate on its authenticated port run in a test Home Assistant on frozen
time, moved on by one polling interval (5 s) per cycle. Each cycle may switch faults on or
off through the fakes' own switches (500/502/503 answers, malformed JSON, truncated images, a
web server that is no FLIR camera, revoked Frigate tokens, Frigate cameras going offline) or
stop and restart a server, while Frigate events start and end. The random sequence is seeded
(`SOAK_SEED`), so a failure repeats.

At four checkpoints (a quarter of the cycles, half, three quarters, the end) every fault is
cleared and the devices get a few quiet cycles; then the memory Python holds (tracemalloc,
after a collection, without what the in-process fakes and aiohttp's server side hold), the
number of asyncio tasks and the number of live timers on the loop (`hass.loop._scheduled`)
are taken. From the first checkpoint to the last they must stay flat within a bound. At the
end every entity that was available at the start is available again, no flow (reauth) was
started, and the values agree with the fakes' own.

Cycles: `SOAK_CYCLES` (default 500, which takes about a minute; a cycle costs ~0.1 s of CPU
with tracemalloc keeping five frames). `SOAK_CYCLES=2000` is the long run: checkpoints at
500, 1000, 1500 and 2000, about three minutes of CPU. `SOAK_TOP=10` shows where memory grew.

Not among the faults: refused credentials and redirects to the web login (they start a
reauthentication by design; tests/test_secrets.py covers them) and 404 answers of FLIR
endpoints (see `test_rediscovery_during_a_fault_keeps_alarms`).
"""

import asyncio
import gc
import logging
import math
import os
import random
import tracemalloc
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from unittest.mock import patch

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.flir_frigate.const import DOMAIN
from tests.conftest import SMART_SERIAL, STREAMING_SERIAL, advance, flir_entry, setup_entry
from tests.fakes.flir_camera import FakeFlirCamera
from tests.fakes.frigate_server import FakeFrigateServer
from tests.frigate.common import FrigateFactory, make_frigate_entry, setup_frigate

CYCLES = int(os.environ.get("SOAK_CYCLES", "500"))
SEED = int(os.environ.get("SOAK_SEED", "20261130"))
CHECKPOINTS = tuple(sorted({CYCLES // 4, CYCLES // 2, 3 * CYCLES // 4, CYCLES}))
CYCLE = timedelta(seconds=5)  # both polling intervals
MEMORY_BOUND = 512 * 1024
"""Bytes the traced memory (without the fakes) may grow from the first checkpoint to the last.
It moves by some tens of KiB between checkpoints (the last answers, images and exceptions
kept); a leak of one small object (100 bytes) per request, a dozen requests a cycle, grows
it by 450 KiB in 375 cycles and by 1.7 MiB in 1500."""
TASK_SLACK = 2  # tasks, e.g. a poll that happens to be running at the moment of counting
TIMER_SLACK = 3  # live timers: polls, the Frigate summary, the image refreshes
FLIR_TRANSPORT = "custom_components.flir_frigate.api.flir.transport"
MAX_EVENTS = 12
SMART_TOOLS = {"spots": 2, "boxes": 1, "lines": 1, "temp_sensors": 1, "alarms": 2}
"""One of each measurement tool (two spots: one can fail alone) and two alarms."""  # ended events the fake keeps (Frigate keeps more; memory must not)

FLIR_STATUSES = (500, 502, 503)  # not 404: see test_rediscovery_during_a_fault_keeps_alarms
FRIGATE_STATUSES = (500, 502, 503)
FLIR_PATHS = (None, ("/api/image",), ("/api/spot",), ("/api/box", "/api/line"), ("/api/alarm",))
FRIGATE_PATHS = (
    None,
    ("/api/stats",),
    ("/api/events",),
    ("/api/config",),
    ("/api/front_door", "/api/backyard"),
)


@dataclass
class Checkpoint:
    """What is measured at a checkpoint."""

    cycle: int
    memory: int  # bytes traced, without what the fakes and aiohttp's server side hold
    total: int  # bytes traced, everything
    tasks: int
    timers: int
    seconds: float  # wall clock since the first cycle
    cpu: float  # CPU seconds of this process since the first cycle
    snapshot: tracemalloc.Snapshot | None = None  # kept with SOAK_TOP, to show what grew


@dataclass
class Soak:
    """The devices, the random sequence and what happened."""

    hass: HomeAssistant
    freezer: FrozenDateTimeFactory
    smart: FakeFlirCamera
    streaming: FakeFlirCamera
    frigate: FakeFrigateServer
    rng: random.Random
    faults: Counter[str] = field(default_factory=Counter)
    stopped: set[str] = field(default_factory=set)
    ports: dict[str, int] = field(default_factory=dict)

    @property
    def flir(self) -> dict[str, FakeFlirCamera]:
        return {"smart": self.smart, "streaming": self.streaming}

    async def tick(self, seconds: float = CYCLE.total_seconds()) -> None:
        self.freezer.tick(timedelta(seconds=seconds))
        async_fire_time_changed(self.hass)
        await self.hass.async_block_till_done(wait_background_tasks=True)
        self.forget_requests()

    def forget_requests(self) -> None:
        """The fakes log every request; this test's memory is the integration's, not theirs."""
        for fake in (self.smart, self.streaming, self.frigate):
            fake.requests.clear()
            fake.request_log.clear()
        # The fake's nginx keeps each URL's answer until that URL is asked again: the event
        # queries carry the time, so it would keep them all. A cycle outlasts its 5 s anyway.
        for name in ("cache_log", "_nginx_store"):
            if isinstance(kept := getattr(self.frigate, name, None), list | dict):
                kept.clear()

    # ------------------------------------------------------------------ faults

    async def random_faults(self) -> None:
        """Switch faults on or off, stop or restart servers: the rolls of one cycle."""
        rng = self.rng
        for name, camera in self.flir.items():
            await self._server(name, camera)
            roll = rng.random()
            if roll < 0.12:
                self._flir_fault(camera)
            elif roll < 0.40:
                camera.faults.reset()
        await self._server("frigate", self.frigate)
        roll = rng.random()
        if roll < 0.12:
            self._frigate_fault()
        elif roll < 0.40:
            self.frigate.faults.reset()
        if rng.random() < 0.02:
            self.frigate.revoke_tokens()
            self.faults["frigate: tokens revoked"] += 1
        if rng.random() < 0.03:
            name = rng.choice(list(self.frigate.cameras))
            offline = not self.frigate.cameras[name].offline
            self.frigate.set_camera_offline(name, offline)
            self.faults[f"frigate: camera {'offline' if offline else 'online'}"] += 1
        self._events()

    def _flir_fault(self, camera: FakeFlirCamera) -> None:
        rng = self.rng
        faults = camera.faults
        kind = rng.choice(("status", "status", "malformed", "truncated", "not_flir"))
        faults.paths = rng.choice(FLIR_PATHS)
        match kind:
            case "status":
                faults.status = rng.choice(FLIR_STATUSES)
                faults.status_count = rng.choice((1, 2, 3, None))
            case "malformed":
                faults.malformed_json = True
            case "truncated":
                faults.truncated_image = True
            case _:
                faults.not_flir = rng.choice(("html", "json"))
        self.faults[f"flir: {kind}"] += 1

    def _frigate_fault(self) -> None:
        rng = self.rng
        faults = self.frigate.faults
        kind = rng.choice(("status", "status", "malformed", "truncated"))
        faults.paths = rng.choice(FRIGATE_PATHS)
        match kind:
            case "status":
                faults.status = rng.choice(FRIGATE_STATUSES)
                faults.status_count = rng.choice((1, 2, None))
            case "malformed":
                faults.malformed_json = True
            case _:
                faults.truncated_image = True
        self.faults[f"frigate: {kind}"] += 1

    async def _server(self, name: str, server: FakeFlirCamera | FakeFrigateServer) -> None:
        """Stop a running server now and then; start a stopped one after a while."""
        if name in self.stopped:
            if self.rng.random() < 0.3:
                await self.start(name, server)
        elif self.rng.random() < 0.01:
            await server.stop()
            self.stopped.add(name)
            self.faults[f"{name}: stopped"] += 1

    async def start(self, name: str, server: FakeFlirCamera | FakeFrigateServer) -> None:
        if isinstance(server, FakeFlirCamera):
            await server.start(port=self.ports[name])
        else:
            await server.start(port=self.ports[name])
        self.stopped.discard(name)

    def _events(self, *, create: bool = True) -> None:
        """Objects come and go on the Frigate cameras; only the newest events are kept."""
        rng = self.rng
        frigate = self.frigate
        running = [e for e in frigate.events.values() if e.end_time is None]
        if create and rng.random() < 0.08 and len(running) < 3:
            camera = rng.choice(list(frigate.cameras))
            label = rng.choice(("person", "car"))
            zones = [z for z in frigate.cameras[camera].zones if rng.random() < 0.5]
            frigate.create_event(camera, label, zones=zones)
        if create and running and rng.random() < 0.1:
            frigate.end_event(rng.choice(running).id)
        ended = sorted(
            (e for e in frigate.events.values() if e.end_time is not None),
            key=lambda e: e.start_time,
        )
        for event in ended[:-MAX_EVENTS]:
            del frigate.events[event.id]

    async def clear_all(self) -> None:
        """Every fault off, every server up."""
        for name, server in (*self.flir.items(), ("frigate", self.frigate)):
            server.faults.reset()
            if name in self.stopped:
                await self.start(name, server)
        for camera in self.frigate.cameras:
            self.frigate.set_camera_offline(camera, False)

    async def quiet(self) -> None:
        """Faults cleared, then enough cycles for every poll to have run cleanly again.

        Every event ends and the fake keeps the same number of them, so that what the fakes
        hold is the same at every checkpoint.
        """
        await self.clear_all()
        for event in list(self.frigate.events.values()):
            if event.end_time is None:
                self.frigate.end_event(event.id)
        self._events(create=False)
        for _ in range(4):
            await self.tick()
        await self.tick(61)  # the Frigate summary and the FLIR visual image are due
        for _ in range(3):
            await self.tick()


@contextmanager
def logs_counted() -> Iterator[Counter[str]]:
    """Count log records by level instead of keeping them (pytest keeps every one it sees)."""
    counts: Counter[str] = Counter()

    class _Counting(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            counts[record.levelname] += 1

    root = logging.getLogger()
    saved = root.handlers[:]
    root.handlers = [_Counting(logging.WARNING)]
    try:
        yield counts
    finally:
        root.handlers = saved


def live_timers(hass: HomeAssistant) -> int:
    """Timers scheduled on the loop that are not cancelled."""
    scheduled: list[asyncio.TimerHandle] = hass.loop._scheduled  # type: ignore[attr-defined]
    return sum(1 for handle in scheduled if not handle.cancelled())


NOT_OURS = (
    tracemalloc.Filter(False, "*/tests/fakes/*", all_frames=True),
    tracemalloc.Filter(False, "*/aiohttp/web_*", all_frames=True),
    tracemalloc.Filter(False, tracemalloc.__file__),
)
"""The fakes run in this process, with aiohttp's server: what they hold is not measured (each
restart of a fake adds entries to aiohttp's bounded caches of server handlers, for one)."""
TOP = int(os.environ.get("SOAK_TOP", "0"))
"""With SOAK_TOP=N, the N places whose memory grew most from the first checkpoint are shown."""
TRACE_DEPTH = 5  # frames kept per allocation: enough to see a fake or the server below it


def measure(hass: HomeAssistant, cycle: int, started: tuple[float, float]) -> Checkpoint:
    gc.collect()
    snapshot = tracemalloc.take_snapshot()
    ours = snapshot.filter_traces(NOT_OURS)
    times = os.times()
    return Checkpoint(
        cycle=cycle,
        memory=sum(trace.size for trace in ours.traces),
        total=tracemalloc.get_traced_memory()[0],
        tasks=len(asyncio.all_tasks(hass.loop)),
        timers=live_timers(hass),
        seconds=times.elapsed - started[0],
        cpu=times.user + times.system - started[1],
        snapshot=ours if TOP else None,
    )


def clock() -> tuple[float, float]:
    """Wall clock and CPU time of this process (freezegun moves neither)."""
    times = os.times()
    return times.elapsed, times.user + times.system


def available(hass: HomeAssistant) -> set[str]:
    """Entity ids of the integration whose state is not unavailable."""
    registry = er.async_get(hass)
    return {
        entry.entity_id
        for entry in registry.entities.values()
        if entry.platform == DOMAIN
        and (state := hass.states.get(entry.entity_id)) is not None
        and state.state != STATE_UNAVAILABLE
    }


def state_of(hass: HomeAssistant, platform: str, unique_id: str) -> str:
    entity_id = er.async_get(hass).async_get_entity_id(platform, DOMAIN, unique_id)
    assert entity_id is not None, unique_id
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


def close(state: str, value: float | None, tolerance: float) -> bool:
    return value is not None and math.isclose(float(state), value, abs_tol=tolerance)


def check_flir(hass: HomeAssistant, camera: FakeFlirCamera) -> None:
    """The sensors agree with the fake camera's own scene (as tests/flir do)."""
    serial = camera.serial
    temps = camera.temperatures()
    for suffix, value in (
        ("frame_max", float(temps.max())),
        ("frame_min", float(temps.min())),
        ("frame_mean", float(temps.mean())),
    ):
        state = state_of(hass, "sensor", f"{serial}_{suffix}")
        assert close(state, value, 0.05), (serial, suffix, state, value)
    for n in camera.spots:
        state = state_of(hass, "sensor", f"{serial}_spot_{n}_spot_temperature")
        assert close(state, camera._stat(temps, "spot", n, "max"), 0.011), (n, state)
    for kind, table in (("box", camera.boxes), ("line", camera.lines)):
        for n in table:
            for stat in ("max", "min", "avg"):
                state = state_of(hass, "sensor", f"{serial}_{kind}_{n}_{kind}_{stat}")
                assert close(state, camera._stat(temps, kind, n, stat), 0.011), (kind, n, stat)
    for n, sensor in camera.temp_sensors.items():
        state = state_of(hass, "sensor", f"{serial}_tempsensor_{n}_temp_sensor_temperature")
        assert close(state, sensor.base_c, 0.011), (n, state)
    for n, alarm in camera.alarms.items():
        state = state_of(hass, "binary_sensor", f"{serial}_alarm_{n}_triggered")
        assert state == (STATE_ON if alarm.triggered else STATE_OFF), (n, state)
        threshold = state_of(hass, "sensor", f"{serial}_alarm_{n}_alarm_threshold")
        assert close(threshold, alarm.threshold_c, 0.011)


def check_frigate(hass: HomeAssistant, entry: MockConfigEntry, frigate: FakeFrigateServer) -> None:
    """Version, cameras online and their frame rates, objects in progress: as the fake has it."""
    prefix = entry.entry_id
    assert state_of(hass, "sensor", f"{prefix}::version") == frigate.version_string
    for name, camera in frigate.cameras.items():
        assert state_of(hass, "binary_sensor", f"{prefix}:{name}:online") == STATE_ON
        fps = state_of(hass, "sensor", f"{prefix}:{name}:camera_fps")
        assert close(fps, float(camera.fps), 0.001), (name, fps)
        running = [e for e in frigate.events.values() if e.camera == name and e.end_time is None]
        detected = state_of(hass, "binary_sensor", f"{prefix}:{name}:object_detected")
        assert detected == (STATE_ON if running else STATE_OFF), (name, detected, running)
        for label in ("person", "car"):
            state = state_of(hass, "binary_sensor", f"{prefix}:{name}:label_detected:{label}")
            expected = any(e.label == label for e in running)
            assert state == (STATE_ON if expected else STATE_OFF), (name, label, state)


@pytest.mark.timeout(900)
async def test_soak(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    frigate_factory: FrigateFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Random faults for CYCLES cycles: memory, tasks and timers flat; all right at the end."""
    smart = FakeFlirCamera(
        profile="smart_sensor",
        serial=SMART_SERIAL,
        drift=False,
        resolution=(80, 60),
        **SMART_TOOLS,
    )
    streaming = FakeFlirCamera(
        profile="image_streaming", serial=STREAMING_SERIAL, drift=False, resolution=(80, 60)
    )
    await smart.start()
    await streaming.start()
    frigate = await frigate_factory(auth="login", seed=SEED)
    soak = Soak(
        hass=hass,
        freezer=freezer,
        smart=smart,
        streaming=streaming,
        frigate=frigate,
        rng=random.Random(SEED),
        ports={
            "smart": smart.port,
            "streaming": streaming.port,
            "frigate": int(frigate.url.rsplit(":", 1)[1]),
        },
    )
    try:
        # Retries of busy answers wait real seconds (Retry-After, back-off): not here.
        with patch(f"{FLIR_TRANSPORT}.retry_delay", new=lambda *_args, **_kwargs: 0.0):
            await _run(soak, capsys)
    finally:
        await smart.stop()
        await streaming.stop()


async def _run(soak: Soak, capsys: pytest.CaptureFixture[str]) -> None:
    hass = soak.hass
    flir_smart = await setup_entry(hass, flir_entry(soak.smart, SMART_SERIAL))
    flir_streaming = await setup_entry(hass, flir_entry(soak.streaming, STREAMING_SERIAL))
    frigate_entry = await setup_frigate(hass, make_frigate_entry(soak.frigate, credentials=True))
    await soak.quiet()
    at_start = available(hass)
    assert len(at_start) > 60, sorted(at_start)
    check_flir(hass, soak.smart)
    check_flir(hass, soak.streaming)
    check_frigate(hass, frigate_entry, soak.frigate)

    checkpoints: list[Checkpoint] = []
    started = clock()
    tracemalloc.start(TRACE_DEPTH)
    try:
        with logs_counted() as logged:
            for cycle in range(1, CYCLES + 1):
                await soak.random_faults()
                await soak.tick()
                if cycle in CHECKPOINTS:
                    await soak.quiet()
                    checkpoints.append(measure(hass, cycle, started))
    finally:
        tracemalloc.stop()

    await soak.clear_all()
    await soak.quiet()
    with capsys.disabled():
        print(f"\nsoak: {CYCLES} cycles, seed {SEED}, faults: {dict(sorted(soak.faults.items()))}")
        print(f"soak: log records at warning and above: {dict(logged)}")
        for point in checkpoints:
            print(
                f"soak: cycle {point.cycle:5}: {point.memory / 1024:6.0f} KiB traced "
                f"({point.total / 1024:6.0f} KiB with the fakes), {point.tasks} tasks, "
                f"{point.timers} timers, {point.seconds:6.1f} s, {point.cpu:6.1f} s CPU"
            )
        if TOP and checkpoints[0].snapshot and checkpoints[-1].snapshot:
            growth = checkpoints[-1].snapshot.compare_to(checkpoints[0].snapshot, "traceback")
            for stat in growth[:TOP]:
                print(f"soak: {stat.size_diff:+8} B {stat.count_diff:+5} blocks")
                for line in stat.traceback.format(limit=-TRACE_DEPTH):
                    print(f"soak:     {line.strip()}")
    first, last = checkpoints[0], checkpoints[-1]
    assert last.memory - first.memory < MEMORY_BOUND, checkpoints
    assert last.tasks <= first.tasks + TASK_SLACK, checkpoints
    assert last.timers <= first.timers + TIMER_SLACK, checkpoints
    assert sum(soak.faults.values()) > CYCLES // 10  # the faults did happen

    for entry in (flir_smart, flir_streaming, frigate_entry):
        assert entry.state.name == "LOADED", entry.entry_id
    assert not hass.config_entries.flow.async_progress(), "a flow (reauth?) was started"
    missing = at_start - available(hass)
    assert not missing, sorted(missing)
    check_flir(hass, soak.smart)
    check_flir(hass, soak.streaming)
    check_frigate(hass, frigate_entry, soak.frigate)


async def test_rediscovery_during_a_fault_keeps_alarms(
    hass: HomeAssistant, flir_smart: FakeFlirCamera, freezer: FrozenDateTimeFactory
) -> None:
    """A spot is deleted (rediscovery on the next cycle) while /api/alarms answers 500: once the
    camera answers again, the alarms come back. A kind that ends on a failing answer keeps what
    the plan held and is asked again. (Found by the soak with 404 faults.)"""
    await setup_entry(hass, flir_entry(flir_smart, SMART_SERIAL))
    alarm = f"{SMART_SERIAL}_alarm_1_triggered"
    assert state_of(hass, "binary_sensor", alarm) == STATE_OFF
    flir_smart.faults.status = 500
    flir_smart.faults.paths = ("/api/alarm",)
    flir_smart.delete_roi("spot", 2)
    for _ in range(3):
        await advance(hass, freezer)
    flir_smart.faults.reset()
    for _ in range(12):  # a minute of a healthy camera
        await advance(hass, freezer)
    assert state_of(hass, "sensor", f"{SMART_SERIAL}_spot_1_spot_temperature") != STATE_UNAVAILABLE
    assert state_of(hass, "binary_sensor", alarm) == STATE_OFF
