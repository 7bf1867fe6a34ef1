"""The FLIR figures: poll cycle (1), event-loop cost (2), stream (4), memory (5), setup (6),
recorder load (8) and slow cameras (9)."""

import asyncio
import gc
import itertools
import statistics
import time
import tracemalloc
from collections.abc import Sequence
from typing import Any

import aiohttp
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.flir_frigate.api.flir.render import render_thermal
from custom_components.flir_frigate.api.flir.rjpeg import decode_rjpeg
from custom_components.flir_frigate.const import DOMAIN
from custom_components.flir_frigate.flir import const as flir_const
from custom_components.flir_frigate.flir.coordinator import FlirCoordinator, process_frame

from .clock import VirtualTime
from .report import Report, Row, flatness_rows
from .rig import (
    Clock,
    FakeHost,
    StateWrites,
    entity_ids,
    flir_entry,
    home_assistant,
    measured,
    setup_entry,
    traced_bytes,
)
from .scale import FEWEST_PER_CYCLE, LATENCY, POLL_SECONDS, TOOLS, Scale

MIB = 1024 * 1024
_serials = itertools.count(90000001)
DEADBAND_OPTION: str | None = getattr(flir_const, "CONF_TEMPERATURE_DEADBAND", None)
"""The deadband option (None on code that has none: every camera then writes as before)."""
VISUAL_SECONDS = flir_const.FLIR_VISUAL_INTERVAL.total_seconds()


async def start_camera(fakes: FakeHost, name: str, **kwargs: Any) -> dict[str, Any]:
    """Start the issue's smart-sensor camera in the fake host; its port, serial and model."""
    kwargs.setdefault("drift", True)
    options = {"profile": "smart_sensor", "serial": str(next(_serials)), **TOOLS, **kwargs}
    return dict(await fakes.call("flir_start", name=name, **options))


def entry_for(camera: dict[str, Any], **kwargs: Any) -> MockConfigEntry:
    """The config entry of a started fake camera."""
    return flir_entry(camera["port"], camera["serial"], camera["model"], **kwargs)


def coordinator_of(entry: MockConfigEntry) -> FlirCoordinator:
    """The coordinator of a loaded FLIR entry."""
    coordinator: FlirCoordinator = entry.runtime_data.coordinator
    return coordinator


async def cycle_all(
    vt: VirtualTime,
    fakes: FakeHost,
    coordinators: Sequence[FlirCoordinator],
    clock: Clock | None = None,
) -> None:
    """One poll of every camera at once, five virtual seconds after the last (clock: timed)."""
    vt.advance(POLL_SECONDS)
    await fakes.call("flir_set", advance=POLL_SECONDS)
    if clock is not None:
        clock.start()
    await asyncio.gather(*(coordinator.async_refresh() for coordinator in coordinators))
    if clock is not None:
        clock.stop()


async def setup_all(hass: HomeAssistant, entries: Sequence[MockConfigEntry]) -> None:
    """Set up entries twenty at a time."""
    for start in range(0, len(entries), 20):
        await asyncio.gather(*(setup_entry(hass, entry) for entry in entries[start : start + 20]))


async def _bare_requests(port: int, logs: Sequence[Sequence[str]]) -> float:
    """Seconds a bare aiohttp client takes for the same requests, one at a time."""
    base = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as session:
        start = time.perf_counter()
        for log in logs:
            for path in log:
                async with session.get(base + path) as response:
                    await response.read()
        return time.perf_counter() - start


# ------------------------------------------------------------------ figures 1 and 6


async def poll_cycle_and_setup(fakes: FakeHost, report: Report, scale: Scale) -> None:
    """Figure 1 (poll cycle behind 20 ms) and figure 6 (setup behind 20 ms) for FLIR."""
    vt = VirtualTime()
    with vt.installed():
        async with home_assistant() as hass:
            warm = await start_camera(fakes, "warm")
            await setup_entry(hass, entry_for(warm))  # imports the platforms once

            camera = await start_camera(fakes, "f1")
            await fakes.call("flir_set", names=["f1"], latency=LATENCY)
            await fakes.call("flir_log", name="f1", reset=True)
            entry = entry_for(camera)
            setup = await measured(lambda: setup_entry(hass, entry))
            setup_log = await fakes.call("flir_log", name="f1", reset=True)
            _setup_rows(report, setup, setup_log)

            coordinator = coordinator_of(entry)
            logs: list[list[str]] = []
            wall = 0.0
            for _ in range(scale.poll_cycles):
                clock = Clock()
                await cycle_all(vt, fakes, [coordinator], clock)
                wall += clock.wall
                logs.append(await fakes.call("flir_log", name="f1", reset=True))
            requests = sum(len(log) for log in logs)
            bare = await _bare_requests(camera["port"], logs)
    bound = requests * LATENCY
    report.add(
        Row(
            figure="1",
            what="FLIR poll cycle, 32 tools, 20 ms a request",
            measured=f"{wall / scale.poll_cycles * 1000:.0f} ms",
            against=f"{requests / scale.poll_cycles:.1f} req x 20 ms",
            ratio=wall / bound,
            aim=1.2,
            values={"cycles": scale.poll_cycles, "wall_s": wall, "requests": requests},
        )
    )
    report.add(
        Row(
            figure="1",
            what="  same cycle against bare GETs of its requests",
            measured=f"{wall / scale.poll_cycles * 1000:.0f} ms",
            against=f"{bare / scale.poll_cycles * 1000:.0f} ms (aiohttp alone)",
            ratio=wall / bare,
            values={"bare_s": bare},
        )
    )
    visual_per_cycle = POLL_SECONDS / VISUAL_SECONDS
    fewest = FEWEST_PER_CYCLE + visual_per_cycle
    report.add(
        Row(
            figure="1",
            what="FLIR requests per cycle",
            measured=f"{requests / scale.poll_cycles:.2f}",
            against=f"{fewest:.2f} (fewest the API allows)",
            ratio=requests / scale.poll_cycles / fewest,
            aim=1.2,
            values={"fewest_per_cycle": fewest, "first_cycle": logs[0]},
        )
    )


def _setup_rows(report: Report, setup: Clock, log: list[str]) -> None:
    # Discovery reads each instance and the one after the last (none after a tenth), the alarm
    # list and the visual image; the thermal image gives serial and model: 32 requests, whose
    # answers also make the first cycle.
    fewest = (
        TOOLS["spots"]
        + TOOLS["boxes"]
        + TOOLS["lines"]
        + 1
        + TOOLS["temp_sensors"]
        + 1
        + 1  # /api/alarms
        + 1  # visual image
        + 1  # thermal image
    )
    report.add(
        Row(
            figure="6",
            what="FLIR setup, 20 ms a request",
            measured=f"{setup.wall * 1000:.0f} ms",
            against=f"{len(log)} req x 20 ms",
            ratio=setup.wall / (len(log) * LATENCY),
            values={"wall_s": setup.wall, "loop_cpu_s": setup.loop, "requests": log},
        )
    )
    report.add(
        Row(
            figure="6",
            what="  FLIR setup against requests x latency + its loop CPU",
            measured=f"{setup.wall * 1000:.0f} ms",
            against=f"{len(log) * LATENCY * 1000:.0f} + {setup.loop * 1000:.0f} ms",
            ratio=setup.wall / (len(log) * LATENCY + setup.loop),
        )
    )
    report.add(
        Row(
            figure="6",
            what="FLIR setup requests",
            measured=f"{len(log)}",
            against=f"{fewest} (fewest: probes + images)",
            ratio=len(log) / fewest,
            aim=1.2,
            values={"fewest": fewest},
        )
    )


# ------------------------------------------------------------------------ figure 2


async def event_loop_cost(fakes: FakeHost, report: Report, scale: Scale) -> None:
    """Figure 2 for FLIR: event-loop CPU per entity per cycle with 1, 10 and 50 cameras."""
    vt = VirtualTime()
    per_entity: dict[int, float] = {}
    with vt.installed():
        async with home_assistant() as hass:
            entries: list[MockConfigEntry] = []
            for count in scale.flir_counts:
                new = [
                    entry_for(await start_camera(fakes, f"cpu{n}"))
                    for n in range(len(entries), count)
                ]
                await setup_all(hass, new)
                entries += new
                coordinators = [coordinator_of(entry) for entry in entries]
                entities = sum(len(entity_ids(hass, entry)) for entry in entries)
                await cycle_all(vt, fakes, coordinators)  # warm-up
                gc.collect()
                clock = Clock()
                for _ in range(scale.flir_cpu_cycles):
                    await cycle_all(vt, fakes, coordinators, clock)
                updates = scale.flir_cpu_cycles * entities
                per_entity[count] = clock.loop / updates * 1e6
                executor = (clock.process - clock.loop) / (scale.flir_cpu_cycles * count) * 1000
                report.note(
                    f"figure 2, {count} FLIR camera(s): {entities} entities, loop "
                    f"{per_entity[count]:.0f} us/entity/cycle, other threads (decoding) "
                    f"{executor:.1f} ms/camera/cycle"
                )
    flatness_rows(report, "2", "FLIR", per_entity)


# ------------------------------------------------------------------------ figure 5


async def memory(fakes: FakeHost, report: Report, scale: Scale) -> None:
    """Figure 5 for FLIR: traced memory per entry after N cycles, and its growth later on."""
    first, last = scale.memory_cycles
    vt = VirtualTime()
    tracemalloc.start(1)
    try:
        with vt.installed():
            async with home_assistant() as hass:
                warm = await start_camera(fakes, "mwarm", drift=False)
                await setup_entry(hass, entry_for(warm))
                entries = [
                    entry_for(await start_camera(fakes, f"mem{n}", drift=False))
                    for n in range(scale.memory_flir_cameras)
                ]
                base = await traced_bytes(hass)
                await setup_all(hass, entries)
                coordinators = [coordinator_of(entry) for entry in entries]
                for _ in range(first):
                    await cycle_all(vt, fakes, coordinators)
                at_first = await traced_bytes(hass) - base
                cycling = coordinators[: scale.memory_flat_cameras]
                for _ in range(last - first):
                    await cycle_all(vt, fakes, cycling)
                at_last = await traced_bytes(hass) - base
    finally:
        tracemalloc.stop()
    count = len(entries)
    per_entry = at_first / count
    growth = (at_last - at_first) / len(cycling)
    report.add(
        Row(
            figure="5",
            what=f"FLIR memory/entry ({count} cams), cycle {last} vs {first}",
            measured=f"{(per_entry + growth) / MIB:.2f} MiB",
            against=f"{per_entry / MIB:.2f} MiB",
            ratio=(per_entry + growth) / per_entry,
            aim=1.2,
            values={
                "cameras": count,
                "per_entry_bytes": per_entry,
                "growth_bytes_per_camera": growth,
                "cycles": [first, last],
                "cameras_cycling_to_last": len(cycling),
            },
        )
    )


# ------------------------------------------------------------------------ figure 8


async def recorder_load(fakes: FakeHost, report: Report, scale: Scale) -> None:
    """Figure 8: state rows per minute per camera, without and with the deadband."""
    vt = VirtualTime()
    cycles = round(scale.recorder_minutes * 60 / POLL_SECONDS)
    rows: dict[tuple[str, str], float] = {}
    by_kind: dict[tuple[str, str], dict[str, float]] = {}
    with vt.installed():
        async with home_assistant() as hass:
            entries: dict[tuple[str, str], MockConfigEntry] = {}
            for scene in ("plant", "fake"):
                for mode in ("before", "after"):
                    camera = await start_camera(fakes, f"rec_{scene}_{mode}", scene=scene, seed=7)
                    options = {}
                    if mode == "before" and DEADBAND_OPTION is not None:
                        options[DEADBAND_OPTION] = 0.0  # off: every new value is written
                    entries[scene, mode] = entry_for(camera, options=options)
            await setup_all(hass, list(entries.values()))
            coordinators = [coordinator_of(entry) for entry in entries.values()]
            await cycle_all(vt, fakes, coordinators)
            writes = StateWrites(hass)
            for _ in range(cycles):
                await cycle_all(vt, fakes, coordinators)
            registry = er.async_get(hass)
            for key, entry in entries.items():
                ids = entity_ids(hass, entry)
                rows[key] = writes.total(ids) / scale.recorder_minutes
                kinds: dict[str, float] = {}
                for entity_id in ids:
                    item = registry.async_get(entity_id)
                    assert item is not None
                    kind = _entity_kind(item.unique_id, entry.unique_id or "")
                    kinds[kind] = kinds.get(kind, 0) + writes.counts.get(entity_id, 0)
                by_kind[key] = {k: v / scale.recorder_minutes for k, v in sorted(kinds.items())}
                if key == ("plant", "after"):
                    entities = len(ids)
            writes.stop()
    for scene, label in (("plant", "plant scene"), ("fake", "fake's fast drift")):
        before, after = rows[scene, "before"], rows[scene, "after"]
        report.add(
            Row(
                figure="8",
                what=f"FLIR state rows/min/camera, {label}",
                measured=f"{after:.0f} (deadband default)",
                against=f"{before:.0f} (deadband 0 = before)",
                ratio=after / before,
                values={
                    "entities": entities,
                    "minutes": scale.recorder_minutes,
                    "before_by_kind": by_kind[scene, "before"],
                    "after_by_kind": by_kind[scene, "after"],
                },
            )
        )


def _entity_kind(unique_id: str, serial: str) -> str:
    """`spot_temperature`, `box_max`, `frame_max`, ... from a FLIR unique id."""
    rest = unique_id.removeprefix(f"{serial}_")
    parts = rest.split("_")
    if len(parts) > 2 and parts[0] in {"spot", "box", "line", "tempsensor", "alarm"}:
        return f"{parts[0]}:{'_'.join(parts[2:])}"
    return rest


# ------------------------------------------------------------------------ figure 9


async def slow_cameras(hass: HomeAssistant, fakes: FakeHost, report: Report, scale: Scale) -> None:
    """Figure 9: cycle time and achieved interval at 10, 50, 100 and 200 ms a request.

    Runs on real time with Home Assistant's own polling; every cycle's start and end are
    taken around the coordinator's update method.
    """
    loop = asyncio.get_running_loop()
    cameras: dict[float, tuple[str, MockConfigEntry]] = {}
    for latency in scale.slow_latencies:
        name = f"slow{latency * 1000:.0f}"
        cameras[latency] = (name, entry_for(await start_camera(fakes, name), polling=True))
    await setup_all(hass, [entry for _, entry in cameras.values()])
    records: dict[float, list[tuple[float, float]]] = {}
    for latency, (name, entry) in cameras.items():
        coordinator = coordinator_of(entry)
        spans: list[tuple[float, float]] = []
        records[latency] = spans
        original = coordinator._async_update_data  # noqa: SLF001

        async def timed(original: Any = original, spans: list[tuple[float, float]] = spans) -> Any:
            start = loop.time()
            try:
                return await original()
            finally:
                spans.append((start, loop.time()))

        coordinator._async_update_data = timed  # type: ignore[method-assign]  # noqa: SLF001
        await fakes.call("flir_set", names=[name], latency=latency)
    # The wrapper is in place and the latency set before the first scheduled cycle starts.
    wanted = scale.slow_cycles
    deadline = loop.time() + 60 + wanted * 29 * max(scale.slow_latencies) * 3
    while loop.time() < deadline and any(len(s) < wanted for s in records.values()):  # noqa: ASYNC110 - polls counters the coordinators fill
        await asyncio.sleep(0.5)
    for latency, (name, entry) in cameras.items():
        spans = records[latency][:wanted]
        if len(spans) < 2:
            report.note(f"figure 9: {latency * 1000:.0f} ms: only {len(spans)} cycles")
            continue
        cycle = statistics.mean(end - start for start, end in spans)
        period = statistics.mean(b[0] - a[0] for a, b in itertools.pairwise(spans))
        overlaps = sum(b[0] < a[1] for a, b in itertools.pairwise(spans))
        concurrency = await fakes.call("flir_concurrency", names=[name])
        reported = _reported_period(hass, entry)
        best = max(POLL_SECONDS, cycle)
        report.add(
            Row(
                figure="9",
                what=f"FLIR slow camera, {latency * 1000:.0f} ms/req: interval",
                measured=f"{period:.2f} s (cycle {cycle:.2f} s)",
                against=f"{best:.2f} s = max(5 s, cycle)",
                ratio=period / best,
                aim=1.2,
                values={
                    "cycle_s": cycle,
                    "period_s": period,
                    "cycles": len(spans),
                    "overlapping_cycles": overlaps,
                    "most_requests_in_flight": concurrency,
                    "period_in_diagnostics_s": reported,
                },
            )
        )


def _reported_period(hass: HomeAssistant, entry: MockConfigEntry) -> float | None:
    """The mean period the coordinator reports in its diagnostics (code before: none)."""
    polling = getattr(coordinator_of(entry), "polling", None)
    period = getattr(polling, "mean_period", None)
    return None if period is None else float(period)


# ------------------------------------------------------------------------ figure 4


async def stream_camera(hass: HomeAssistant, fakes: FakeHost) -> tuple[MockConfigEntry, str]:
    """A FLIR camera whose scene moves in real time: its entry and thermal camera entity."""
    camera = await start_camera(fakes, "stream", realtime=True)
    entry = entry_for(camera)
    await setup_entry(hass, entry)
    camera_id = er.async_get(hass).async_get_entity_id(
        "camera", DOMAIN, f"{camera['serial']}_thermal_camera"
    )
    assert camera_id is not None
    return entry, camera_id


async def stream(
    hass: HomeAssistant,
    base: str,
    camera: tuple[MockConfigEntry, str],
    idle_rate: float,
    fakes: FakeHost,
    report: Report,
    scale: Scale,
) -> None:
    """Figure 4 for FLIR: the thermal camera's MJPEG through HA, against rendering alone.

    `idle_rate` is the process's CPU seconds per second with nobody watching, taken off.
    """
    entry, camera_id = camera
    coordinator = coordinator_of(entry)
    token = hass.states.get(camera_id).attributes["access_token"]  # type: ignore[union-attr]
    url = f"{base}/api/camera_proxy_stream/{camera_id}?token={token}"
    clock = Clock()
    clock.start()
    seen = await fakes.call("watch", url=url, seconds=max(scale.stream_seconds, 4.0), viewers=1)
    clock.stop()
    image_bytes = await coordinator.client.image()
    frames = max(1, seen["frames"] - 1)  # Home Assistant sends the first frame twice
    runs = 5 if scale.quick else 20
    image = decode_rjpeg(image_bytes)
    temps = image.temperatures()
    render = _cpu_per_call(lambda: render_thermal(temps), runs)
    pipeline = _cpu_per_call(lambda: process_frame(image_bytes, coordinator.settings), runs)
    per_frame = (clock.process - idle_rate * clock.wall) / frames
    nominal = 1 / flir_const.FLIR_STREAM_INTERVAL
    fps = frames / clock.wall
    report.add(
        Row(
            figure="4",
            what="FLIR thermal MJPEG via HA: CPU/frame",
            measured=f"{per_frame * 1000:.2f} ms",
            against=f"{render * 1000:.2f} ms (render_thermal alone)",
            ratio=per_frame / render,
            aim=1.0,
            values={
                "frames": frames,
                "seconds": clock.wall,
                "loop_cpu_per_frame_s": clock.loop / frames,
                "fps": fps,
            },
        )
    )
    report.add(
        Row(
            figure="4",
            what="  FLIR thermal MJPEG frames per second",
            measured=f"{fps:.2f} fps",
            against=f"{nominal:.2f} fps (one still a second)",
            ratio=nominal / fps,
            aim=1.2,
        )
    )
    report.add(
        Row(
            figure="4",
            what="  FLIR thermal picture per cycle (decode+measure+render)",
            measured=f"{pipeline * 1000:.1f} ms",
            against=f"{render * 1000:.1f} ms (render alone)",
            ratio=pipeline / render,
            values={"picture_bytes": len(render_thermal(temps))},
        )
    )


def _cpu_per_call(func: Any, runs: int) -> float:
    func()
    start = time.thread_time()
    for _ in range(runs):
        func()
    return (time.thread_time() - start) / runs
