"""Run every figure, print the table and write bench/results.json."""

import argparse
import asyncio
import logging
import time
import warnings
from collections.abc import Awaitable, Callable
from pathlib import Path

from . import flir, frigate, live
from .decoder import decoder
from .report import Report
from .rig import ROOT, Clock, FakeHost, home_assistant, serve_http
from .scale import FULL, QUICK, Scale

RESULTS = ROOT / "bench" / "results.json"

type Phase = Callable[[FakeHost, Report, Scale], Awaitable[None]]


async def _real_time(fakes: FakeHost, report: Report, scale: Scale) -> None:
    """Figures 9 and 7 side by side: both wait on real polling, on different devices."""
    async with home_assistant() as hass:
        await asyncio.gather(
            flir.slow_cameras(hass, fakes, report, scale),
            frigate.event_latency(hass, fakes, report, scale),
        )


PHASES: tuple[tuple[str, Phase], ...] = (
    ("FLIR poll cycle and setup (1, 6)", flir.poll_cycle_and_setup),
    ("FLIR event-loop cost (2)", flir.event_loop_cost),
    ("Frigate event-loop cost and requests (2, 3)", frigate.event_loop_cost_and_requests),
    ("Frigate requests with the websocket up (3)", live.requests_with_socket),
    ("Frigate setup (6)", frigate.setup_time),
    ("streams (4)", lambda fakes, report, scale: _streams(fakes, report, scale)),  # noqa: PLW0108 - defined below
    ("recorder load (8)", flir.recorder_load),
    ("slow cameras and event latency (9, 7)", _real_time),
    ("FLIR memory (5)", flir.memory),
    ("Frigate memory (5)", frigate.memory),
)


async def _streams(fakes: FakeHost, report: Report, scale: Scale) -> None:
    """Figure 4: both kinds of camera in one Home Assistant, its HTTP server on 127.0.0.1."""
    async with home_assistant() as hass:
        frigate_cameras = await frigate.stream_cameras(hass, fakes)
        flir_camera = await flir.stream_camera(hass, fakes)
        async with serve_http(hass) as base:  # after the setups: they register views
            idle = Clock()
            idle.start()
            await asyncio.sleep(2.0)
            idle.stop()
            args = (fakes, report, scale)
            await frigate.streams(hass, base, frigate_cameras, idle.loop / idle.wall, *args)
            await flir.stream(hass, base, flir_camera, idle.process / idle.wall, *args)


async def _run(report: Report, scale: Scale, only: set[str] | None) -> None:
    fakes = FakeHost()
    await fakes.start()
    try:
        for title, phase in PHASES:
            if only is not None and not only & set(_figures(title)):
                continue
            print(f"== {title}", flush=True)
            start = time.monotonic()
            await phase(fakes, report, scale)
            report.timings[title] = time.monotonic() - start
            await fakes.call("stop")  # each phase starts its own fakes
    finally:
        await fakes.stop()


def _figures(title: str) -> list[str]:
    return title.rpartition("(")[2].rstrip(")").replace(" ", "").split(",")


def main(argv: list[str] | None = None) -> int:
    """Command line of scripts/bench."""
    parser = argparse.ArgumentParser(
        prog="scripts/bench",
        description="Measure what the integration costs a Home Assistant host, as ratios to "
        "lower bounds or peers measured in the same run (never asserts a time).",
    )
    parser.add_argument("--quick", action="store_true", help="a CI-sized run (under 2 minutes)")
    parser.add_argument(
        "--only", default=None, help="comma-separated figures to run, e.g. 1,6 (0: decoder)"
    )
    parser.add_argument("--output", type=Path, default=RESULTS, help="where results go")
    args = parser.parse_args(argv)
    scale = QUICK if args.quick else FULL
    only = None if args.only is None else set(args.only.split(","))
    report = Report("quick" if args.quick else "full")
    logging.basicConfig(level=logging.ERROR)
    warnings.simplefilter("ignore", ResourceWarning)
    if only is None or "0" in only:
        print("== radiometric decoder (0)", flush=True)
        decoder(report, scale.decoder_runs)
    asyncio.run(_run(report, scale, only))
    report.save(args.output)
    print()
    print(report.table())
    for note in report.notes:
        print(f"  note: {note}")
    elapsed = time.monotonic() - report.started
    print(f"\n{report.mode} run: {elapsed:.0f} s; results in {args.output}")
    return 0
