"""What a FLIR camera costs Home Assistant: requests, the poll period, state rows (issue 14).

No test here measures time: the poll period is checked on the event loop's scheduled handle
against the cycle start the coordinator recorded, never against a clock that moved.
"""

import asyncio
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from homeassistant.const import EVENT_STATE_CHANGED, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.flir_frigate.api.flir.exceptions import FlirDecodeError
from custom_components.flir_frigate.api.flir.measure import FrameStats, frame_stats
from custom_components.flir_frigate.const import DOMAIN
from custom_components.flir_frigate.flir import coordinator as coordinator_module
from custom_components.flir_frigate.flir.const import (
    CONF_TEMPERATURE_DEADBAND,
    DEFAULT_TEMPERATURE_DEADBAND,
    FLIR_SCAN_INTERVAL,
)
from custom_components.flir_frigate.flir.coordinator import (
    FlirCoordinator,
    PollTiming,
    steady_hot_spot,
)
from tests.conftest import SMART_SERIAL, flir_entry, setup_entry
from tests.fakes.flir_camera import FakeFlirCamera

INTERVAL = FLIR_SCAN_INTERVAL.total_seconds()


def _entity(hass: HomeAssistant, platform: str, suffix: str) -> str:
    entity_id = er.async_get(hass).async_get_entity_id(platform, DOMAIN, f"{SMART_SERIAL}_{suffix}")
    assert entity_id is not None, suffix
    return entity_id


def _coordinator(entry: MockConfigEntry) -> FlirCoordinator:
    coordinator: FlirCoordinator = entry.runtime_data.coordinator
    return coordinator


class StateRows:
    """State changes per entity: what the recorder writes a row for."""

    def __init__(self, hass: HomeAssistant) -> None:
        self.rows: list[str] = []
        hass.bus.async_listen(EVENT_STATE_CHANGED, self._changed)

    @callback
    def _changed(self, event: Event[Any]) -> None:
        self.rows.append(event.data["entity_id"])


def _with_spot(coordinator: FlirCoordinator, temperature: float | None) -> None:
    """Push a cycle in which spot 1 reads `temperature` (everything else as before)."""
    data = coordinator.data
    spots = dict(data.measurements.spots)
    spots[1] = replace(spots[1], temperature=temperature)
    coordinator.async_set_updated_data(
        replace(data, measurements=replace(data.measurements, spots=spots))
    )


# ------------------------------------------------------------------------ requests


async def test_setup_reads_each_instance_once(
    hass: HomeAssistant, flir_smart: FakeFlirCamera
) -> None:
    """Discovery's answers make the first cycle: setup reads every instance once, not twice."""
    await setup_entry(hass, flir_entry(flir_smart, SMART_SERIAL))
    json_paths = [path for path in flir_smart.requests if path.endswith(".json")]
    assert json_paths
    assert all(flir_smart.requests[path] == 1 for path in json_paths), flir_smart.requests
    assert flir_smart.requests["/api/alarms"] == 1
    images = [entry for entry in flir_smart.request_log if entry.startswith("/api/image/")]
    # The config check's thermal image, discovery's visual image, the first cycle's frame.
    assert sorted(images) == [
        "/api/image/current?imgformat=JPEG",
        "/api/image/current?imgformat=JPEG",
        "/api/image/current?imgformat=VISIBLE",
    ]
    # 2 spots, 2 boxes, 1 line, 2 sensors, each with the probe that ends it, the alarm list,
    # the three images.
    assert len(flir_smart.request_log) == 3 + 3 + 2 + 3 + 1 + 3


async def test_cycle_fetches_the_frame_first(
    hass: HomeAssistant, flir_smart: FakeFlirCamera, smart_entry: MockConfigEntry
) -> None:
    """The frame is fetched first and decoded while the measurements are read."""
    flir_smart.request_log.clear()
    await _coordinator(smart_entry).async_refresh()
    assert flir_smart.request_log[0] == "/api/image/current?imgformat=JPEG"
    assert len(flir_smart.request_log) == 2 + 2 + 1 + 2 + 1 + 1


async def test_failed_cycle_forgets_its_frame(
    hass: HomeAssistant,
    flir_smart: FakeFlirCamera,
    smart_entry: MockConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A cycle failing after the frame was fetched leaves no unretrieved frame error behind."""

    def unusable(*_args: Any) -> Any:
        raise FlirDecodeError("truncated")

    monkeypatch.setattr(coordinator_module, "process_frame", unusable)
    flir_smart.faults.status = 500
    flir_smart.faults.paths = ("/api/spot/",)
    coordinator = _coordinator(smart_entry)
    await coordinator.async_refresh()
    await hass.async_block_till_done(wait_background_tasks=True)
    assert not coordinator.last_update_success
    assert "keeps failing" in str(coordinator.last_exception)


async def test_no_frame_without_a_radiometric_image(
    hass: HomeAssistant, smart_entry: MockConfigEntry
) -> None:
    """A camera without radiometric images has no frame to wait for."""
    assert await _coordinator(smart_entry)._frame(None) == (None, None)


async def test_forget_ignores_a_cancelled_frame(hass: HomeAssistant) -> None:
    """A frame job cancelled meanwhile is fine to forget."""
    future: asyncio.Future[Any] = hass.loop.create_future()
    future.cancel()
    coordinator_module._forget(future)
    failed: asyncio.Future[Any] = hass.loop.create_future()
    failed.set_exception(FlirDecodeError("bad"))
    coordinator_module._forget(failed)  # retrieved: nothing is logged when it is collected


# ------------------------------------------------------------------------ the period


def _scheduled(coordinator: FlirCoordinator) -> float:
    """When the loop runs the next cycle (the handle Home Assistant scheduled)."""
    unsub = coordinator._unsub_refresh
    assert unsub is not None
    handle = unsub.__self__  # type: ignore[attr-defined]
    assert isinstance(handle, asyncio.TimerHandle)
    return handle.when()


async def test_next_cycle_one_interval_after_the_start(
    hass: HomeAssistant, smart_entry: MockConfigEntry
) -> None:
    """A cycle shorter than the interval: the next starts one interval after it started.

    Home Assistant alone would count the interval from the end of the cycle.
    """
    coordinator = _coordinator(smart_entry)
    started = hass.loop.time() - 2.0  # a slow camera: the cycle took 2 s
    coordinator.polling.start(started)
    coordinator._schedule_refresh()
    assert abs(_scheduled(coordinator) - (started + INTERVAL)) <= 0.5 + 1e-6
    assert coordinator.update_interval == FLIR_SCAN_INTERVAL


async def test_next_cycle_at_once_after_an_overrun(
    hass: HomeAssistant, smart_entry: MockConfigEntry
) -> None:
    """A cycle longer than the interval: the next starts at once, never on top of it."""
    coordinator = _coordinator(smart_entry)
    coordinator.polling.start(hass.loop.time() - 6.5)  # 29 requests at 220 ms
    coordinator._schedule_refresh()
    assert _scheduled(coordinator) <= hass.loop.time() + 1.0
    assert coordinator.update_interval == FLIR_SCAN_INTERVAL


async def test_retry_after_is_left_to_home_assistant(
    hass: HomeAssistant, smart_entry: MockConfigEntry
) -> None:
    """A camera asking to wait (Retry-After) is waited for, as Home Assistant does it."""
    coordinator = _coordinator(smart_entry)
    coordinator._retry_after = 30.0
    before = hass.loop.time()
    coordinator._schedule_refresh()
    assert before + 29 <= _scheduled(coordinator) <= hass.loop.time() + 31


def test_poll_timing() -> None:
    """The real period, the last cycle's length and the overruns, from starts and ends."""
    timing = PollTiming(interval=5.0)
    assert timing.wait(100.0) == 5.0
    timing.end(100.0)  # no cycle yet: nothing to count
    assert timing.as_dict() == {
        "interval": 5.0,
        "last_cycle": None,
        "period": None,
        "mean_period": None,
        "cycles": 0,
        "overruns": 0,
    }
    for start, end in ((100.0, 100.6), (105.0, 111.0), (111.0, 111.5)):
        timing.start(start)
        timing.end(end)
    assert timing.as_dict() == {
        "interval": 5.0,
        "last_cycle": 0.5,
        "period": 6.0,
        "mean_period": 5.5,
        "cycles": 3,
        "overruns": 1,
    }
    assert timing.wait(112.0) == 4.0
    assert timing.wait(117.0) == 0.0


# -------------------------------------------------------------------- state rows


async def test_temperature_within_deadband_writes_no_row(
    hass: HomeAssistant, smart_entry: MockConfigEntry
) -> None:
    """A spot moving by less than the deadband keeps its state; past it, the state moves."""
    coordinator = _coordinator(smart_entry)
    assert coordinator.deadband == DEFAULT_TEMPERATURE_DEADBAND
    spot = _entity(hass, "sensor", "spot_1_spot_temperature")
    shown = coordinator.data.measurements.spots[1].temperature
    assert shown is not None
    rows = StateRows(hass)

    _with_spot(coordinator, shown + 0.15)
    _with_spot(coordinator, shown - 0.19)
    await hass.async_block_till_done()
    assert rows.rows == []
    assert float(hass.states.get(spot).state) == pytest.approx(shown)

    _with_spot(coordinator, shown + 0.25)
    await hass.async_block_till_done()
    assert rows.rows == [spot]
    assert float(hass.states.get(spot).state) == pytest.approx(shown + 0.25)


async def test_unknown_and_unavailable_are_written_at_once(
    hass: HomeAssistant, smart_entry: MockConfigEntry
) -> None:
    """Going unknown, unavailable and back is never held back by the deadband."""
    coordinator = _coordinator(smart_entry)
    spot = _entity(hass, "sensor", "spot_1_spot_temperature")
    shown = coordinator.data.measurements.spots[1].temperature
    assert shown is not None

    _with_spot(coordinator, None)
    await hass.async_block_till_done()
    assert hass.states.get(spot).state == STATE_UNKNOWN
    _with_spot(coordinator, None)  # still unknown: nothing new
    _with_spot(coordinator, shown + 0.01)
    await hass.async_block_till_done()
    assert float(hass.states.get(spot).state) == pytest.approx(shown + 0.01)

    data = coordinator.data
    gone = {n: s for n, s in data.measurements.spots.items() if n != 1}
    coordinator.async_set_updated_data(
        replace(data, measurements=replace(data.measurements, spots=gone))
    )
    await hass.async_block_till_done()
    assert hass.states.get(spot).state == STATE_UNAVAILABLE
    coordinator.async_set_updated_data(
        replace(data, measurements=replace(data.measurements, spots=gone))
    )  # still gone: nothing new
    coordinator.async_set_updated_data(data)
    await hass.async_block_till_done()
    assert float(hass.states.get(spot).state) == pytest.approx(shown + 0.01)


async def test_non_measurements_write_every_change(
    hass: HomeAssistant, smart_entry: MockConfigEntry
) -> None:
    """An alarm threshold (a setting, not a measurement) shows every change."""
    coordinator = _coordinator(smart_entry)
    threshold = _entity(hass, "sensor", "alarm_1_alarm_threshold")
    data = coordinator.data
    alarm = data.measurements.alarms[1]
    assert alarm.threshold is not None
    alarms = {**data.measurements.alarms, 1: replace(alarm, threshold=alarm.threshold + 0.1)}
    coordinator.async_set_updated_data(
        replace(data, measurements=replace(data.measurements, alarms=alarms))
    )
    await hass.async_block_till_done()
    assert float(hass.states.get(threshold).state) == pytest.approx(alarm.threshold + 0.1)


async def test_frame_temperatures_keep_their_state_within_deadband(
    hass: HomeAssistant, smart_entry: MockConfigEntry
) -> None:
    """The frame's maximum follows the deadband too."""
    coordinator = _coordinator(smart_entry)
    frame_max = _entity(hass, "sensor", "frame_max")
    data = coordinator.data
    assert data.frame is not None
    before = hass.states.get(frame_max).state
    warmer = replace(data.frame, stats=replace(data.frame.stats, max=data.frame.stats.max + 0.1))
    coordinator.async_set_updated_data(replace(data, frame=warmer))
    await hass.async_block_till_done()
    assert hass.states.get(frame_max).state == before


async def test_deadband_zero_writes_every_value(
    hass: HomeAssistant, flir_smart: FakeFlirCamera
) -> None:
    """With the option at 0 every new value is written, as before the deadband existed."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=f"{flir_smart.model} {SMART_SERIAL}",
        unique_id=SMART_SERIAL,
        data=dict(flir_entry(flir_smart, SMART_SERIAL).data),
        options={CONF_TEMPERATURE_DEADBAND: 0},
    )
    await setup_entry(hass, entry)
    coordinator = _coordinator(entry)
    assert coordinator.deadband == 0
    spot = _entity(hass, "sensor", "spot_1_spot_temperature")
    shown = coordinator.data.measurements.spots[1].temperature
    assert shown is not None
    _with_spot(coordinator, shown + 0.01)
    await hass.async_block_till_done()
    assert float(hass.states.get(spot).state) == pytest.approx(shown + 0.01)


async def test_deadband_option(hass: HomeAssistant, smart_entry: MockConfigEntry) -> None:
    """The options form offers the deadband (0.2 degC by default) and the entry applies it."""
    result = await hass.config_entries.options.async_init(smart_entry.entry_id)
    field = next(k for k in result["data_schema"].schema if k == CONF_TEMPERATURE_DEADBAND)
    assert field.default() == DEFAULT_TEMPERATURE_DEADBAND
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_TEMPERATURE_DEADBAND: 0.5}
    )
    await hass.async_block_till_done()
    assert smart_entry.options[CONF_TEMPERATURE_DEADBAND] == 0.5
    assert _coordinator(smart_entry).deadband == 0.5


# ------------------------------------------------------------------- hot spot


def _stats(temps: np.ndarray) -> FrameStats:
    return frame_stats(temps)


def test_hot_spot_stays_within_deadband() -> None:
    """The hottest point stays put while it is within the deadband of the new maximum."""
    temps = np.full((10, 12), 20.0)
    temps[2, 3] = 40.0
    temps[7, 9] = 40.1  # a hair hotter: noise, not a new hot spot
    stats = _stats(temps)
    assert (stats.hot_x, stats.hot_y) == (9, 7)
    kept = steady_hot_spot(stats, temps, (3, 2), 0.2)
    assert (kept.hot_x, kept.hot_y) == (3, 2)
    assert kept.max == stats.max

    temps[7, 9] = 41.0  # really hotter
    stats = _stats(temps)
    moved = steady_hot_spot(stats, temps, (3, 2), 0.2)
    assert (moved.hot_x, moved.hot_y) == (9, 7)
    assert steady_hot_spot(stats, temps, (3, 2), 0) == stats  # no deadband: the maximum
    assert steady_hot_spot(stats, temps, (30, 2), 0.2) == stats  # outside the frame
    temps[2, 3] = np.nan
    assert steady_hot_spot(_stats(temps), temps, (3, 2), 5.0) == _stats(temps)
