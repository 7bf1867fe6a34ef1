"""How big each figure's run is: the issue's sizes in a full run, smaller ones with --quick."""

from dataclasses import dataclass

POLL_SECONDS = 5.0
"""The FLIR and Frigate poll interval (FLIR_SCAN_INTERVAL, FRIGATE_SCAN_INTERVAL)."""
LATENCY = 0.020
"""Latency injected per request for the poll-cycle and setup figures (issue: 20 ms)."""
TOOLS = {"spots": 10, "boxes": 10, "lines": 5, "alarms": 5, "temp_sensors": 2}
"""The smart-sensor camera of the issue: 10 spots, 10 boxes, 5 lines, 5 alarms, 2 sensors."""
FEWEST_PER_CYCLE = TOOLS["spots"] + TOOLS["boxes"] + TOOLS["lines"] + TOOLS["temp_sensors"] + 2
"""One GET per spot, box, line and internal sensor (the API has no list endpoints for them),
one /api/alarms for every alarm, one radiometric image: 29 requests."""


@dataclass(frozen=True, kw_only=True)
class Scale:
    """Sizes of one run."""

    quick: bool
    decoder_runs: int
    poll_cycles: int  # figure 1, at 20 ms a request
    flir_counts: tuple[int, ...]  # figure 2
    flir_cpu_cycles: int
    frigate_counts: tuple[int, ...]  # figures 2 and 3
    frigate_minutes: float  # of virtual time per camera count
    live_counts: tuple[int, ...]  # figure 3 with the websocket up
    live_minutes: float  # of virtual time per camera count
    memory_flir_cameras: int  # figure 5
    memory_cycles: tuple[int, int]  # per entry at the first, flat until the second
    memory_flat_cameras: int  # FLIR cameras that keep cycling until the second count
    memory_frigate_cameras: int
    memory_frigate_events: int
    stream_seconds: float  # figure 4, per measurement
    events: int  # figure 7
    event_spacing: float  # seconds between two events on average
    recorder_minutes: float  # figure 8, virtual
    slow_latencies: tuple[float, ...]  # figure 9, seconds a request
    slow_cycles: int


FULL = Scale(
    quick=False,
    decoder_runs=50,
    poll_cycles=12,
    flir_counts=(1, 10, 50),
    flir_cpu_cycles=10,
    frigate_counts=(1, 8, 32, 64),
    frigate_minutes=5.0,
    live_counts=(1, 8, 32),
    live_minutes=10.0,
    memory_flir_cameras=50,
    memory_cycles=(100, 1000),
    memory_flat_cameras=2,
    memory_frigate_cameras=64,
    memory_frigate_events=10_000,
    stream_seconds=10.0,
    events=50,
    event_spacing=0.5,
    recorder_minutes=10.0,
    slow_latencies=(0.010, 0.050, 0.100, 0.200),
    slow_cycles=5,
)

QUICK = Scale(
    quick=True,
    decoder_runs=10,
    poll_cycles=6,
    flir_counts=(1, 10, 50),
    flir_cpu_cycles=2,
    frigate_counts=(1, 8, 32, 64),
    frigate_minutes=1.0,
    live_counts=(1, 8, 32),
    live_minutes=5.0,
    memory_flir_cameras=6,
    memory_cycles=(10, 25),
    memory_flat_cameras=2,
    memory_frigate_cameras=64,
    memory_frigate_events=10_000,
    stream_seconds=3.0,
    events=50,
    event_spacing=0.25,
    recorder_minutes=2.0,
    slow_latencies=(0.010, 0.050, 0.100, 0.200),
    slow_cycles=3,
)
