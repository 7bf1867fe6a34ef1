"""Coordinators: one polling cycle per FLIR camera (measurements, alarms, thermal frame).

A camera answers one request at a time, so a cycle lasts about its number of requests times the
camera's latency. The cycle starts one interval after the previous one started, or at once when
that one took longer (Home Assistant would count the interval from its end): it never overlaps
the previous one, never piles up behind it, and its real period is kept for the diagnostics.
"""

import asyncio
import math
from collections import deque
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Final, override

import numpy as np
import numpy.typing as npt
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from ..api.flir.ax8 import Ax8Client
from ..api.flir.ax8_push import Ax8Push
from ..api.flir.client import FlirClient
from ..api.flir.exceptions import (
    FlirConnectionError,
    FlirDecodeError,
    FlirUnexpectedDeviceError,
)
from ..api.flir.measure import (
    Area,
    AreaStats,
    FrameStats,
    frame_stats,
    measure_area,
    validate_area,
)
from ..api.flir.models import Capabilities, Measurements
from ..api.flir.render import render_thermal
from ..api.flir.rjpeg import RadiometricImage, decode_rjpeg, is_radiometric
from ..api.flir.thermal import ObjectParameters
from ..const import DOMAIN, LOGGER
from ..errors import Stage
from .const import (
    CONF_AREA_KIND,
    CONF_DISTANCE,
    CONF_EMISSIVITY,
    CONF_INTERFACE,
    CONF_PALETTE,
    CONF_RANGE_MAX,
    CONF_RANGE_MIN,
    CONF_REFLECTED_TEMP,
    CONF_TEMPERATURE_DEADBAND,
    CONF_X,
    CONF_X2,
    CONF_Y,
    CONF_Y2,
    DEFAULT_PALETTE,
    DEFAULT_TEMPERATURE_DEADBAND,
    FLIR_SCAN_INTERVAL,
    FLIR_VISUAL_INTERVAL,
    INTERFACE_AX8,
    SUBENTRY_AREA,
)
from .errors import flir_errors

PERIODS_KEPT: Final = 10
"""Cycle starts kept for the mean period reported in the diagnostics."""


@dataclass(frozen=True, kw_only=True)
class FlirDevice:
    """What the first radiometric image (or the host) tells about the camera."""

    serial: str | None
    model: str | None
    width: int | None
    height: int | None
    radiometric: bool

    @classmethod
    def of_image(cls, image: RadiometricImage, model: str | None = None) -> FlirDevice:
        """A radiometric camera as its image tells it (`model` where the image names none)."""
        return cls(
            serial=image.camera.serial.strip() or None,
            model=image.camera.model.strip() or model,
            width=image.width,
            height=image.height,
            radiometric=True,
        )


@dataclass(frozen=True, kw_only=True)
class ThermalFrame:
    """Everything computed from one radiometric frame, once per cycle for all entities."""

    stats: FrameStats
    areas: dict[str, AreaStats]
    picture: bytes


@dataclass(frozen=True, kw_only=True)
class FlirData:
    """One polling cycle of a FLIR camera."""

    measurements: Measurements
    frame: ThermalFrame | None
    frame_error: str | None = None
    visual: bytes | None = None


@dataclass(frozen=True, kw_only=True)
class RenderSettings:
    """How the thermal picture is computed, from the entry's options and subentries."""

    overrides: dict[str, float] = field(default_factory=dict)
    palette: str = DEFAULT_PALETTE
    temp_range: tuple[float, float] | None = None
    areas: dict[str, Area] = field(default_factory=dict)
    deadband: float = DEFAULT_TEMPERATURE_DEADBAND
    """Degrees C a temperature must move by before its sensor's state changes (0: any)."""


type FlirConfigEntry = ConfigEntry[FlirRuntimeData]


def empty_measurements() -> Measurements:
    """Measurements of a camera without JSON endpoints."""
    return Measurements(spots={}, boxes={}, lines={}, temp_sensors={}, alarms={}, failed=())


def has_json_endpoints(caps: Capabilities) -> bool:
    """Whether the camera answers any of the JSON measurement endpoints (or is an Ax8)."""
    return bool(
        caps.interface == INTERFACE_AX8
        or caps.spots
        or caps.boxes
        or caps.lines
        or caps.temp_sensors
        or caps.alarms
        or caps.has_alarms_endpoint
    )


def area_from_subentry(data: dict[str, object]) -> Area:
    """Build a measurement area from a subentry's data."""
    x2 = data.get(CONF_X2)
    y2 = data.get(CONF_Y2)
    return Area(
        kind=str(data[CONF_AREA_KIND]),  # type: ignore[arg-type]
        x=int(data[CONF_X]),  # type: ignore[call-overload]
        y=int(data[CONF_Y]),  # type: ignore[call-overload]
        x2=None if x2 is None else int(x2),  # type: ignore[call-overload]
        y2=None if y2 is None else int(y2),  # type: ignore[call-overload]
    )


def tool_areas(image: RadiometricImage) -> tuple[Area, ...]:
    """The camera's own measurement tools embedded in the image, as areas to outline."""
    areas: list[Area] = []
    for tool in image.tools:
        params = tool.params
        area: Area | None = None
        if tool.kind == "spot" and len(params) >= 2:  # noqa: PLR2004
            area = Area(kind="spot", x=params[0], y=params[1])
        elif tool.kind == "box" and len(params) >= 4:  # noqa: PLR2004
            x, y, w, h = params[:4]
            area = Area(kind="box", x=x, y=y, x2=x + w - 1, y2=y + h - 1)
        elif tool.kind == "line" and len(params) >= 4:  # noqa: PLR2004
            area = Area(kind="line", x=params[0], y=params[1], x2=params[2], y2=params[3])
        if area is not None and validate_area(area, image.width, image.height) is None:
            areas.append(area)
    return tuple(areas)


def process_frame(
    image_bytes: bytes, settings: RenderSettings, hot_spot: tuple[int, int] | None = None
) -> ThermalFrame:
    """Decode, measure and render one frame (runs in the executor)."""
    image = decode_rjpeg(image_bytes)
    return measure_frame(image, settings, hot_spot)


def steady_hot_spot(
    stats: FrameStats, temps: npt.NDArray[np.float64], previous: tuple[int, int], deadband: float
) -> FrameStats:
    """The previous hottest point while it stays within the deadband of the frame's maximum.

    On a warm surface the hottest pixel wanders with the sensor's noise; the point moves only
    when another one is hotter by more than the deadband.
    """
    x, y = previous
    height, width = temps.shape
    if deadband <= 0 or not (0 <= x < width and 0 <= y < height):
        return stats
    there = float(temps[y, x])
    if math.isnan(there) or there < stats.max - deadband:
        return stats
    return replace(stats, hot_x=x, hot_y=y)


def measure_frame(
    image: RadiometricImage, settings: RenderSettings, hot_spot: tuple[int, int] | None = None
) -> ThermalFrame:
    """Compute temperatures, statistics, local areas and the rendered picture of a frame.

    `hot_spot` is the hottest point of the previous frame (kept while within the deadband).
    """
    params: ObjectParameters | None = None
    if settings.overrides:
        params = replace(image.camera.object_parameters(), **settings.overrides)
    temps = image.temperatures(params)
    stats = frame_stats(temps)
    if hot_spot is not None:
        stats = steady_hot_spot(stats, temps, hot_spot, settings.deadband)
    areas = {key: measure_area(temps, area) for key, area in settings.areas.items()}
    picture = render_thermal(
        temps,
        palette=settings.palette,  # type: ignore[arg-type]
        temp_range=settings.temp_range,
        areas=(*tool_areas(image), *settings.areas.values()),
        stats=stats,
    )
    return ThermalFrame(stats=stats, areas=areas, picture=picture)


def render_settings(entry: FlirConfigEntry) -> RenderSettings:
    """Read the local processing settings from an entry's options and subentries."""
    options = entry.options
    overrides = {
        field_name: float(options[option])
        for field_name, option in (
            ("emissivity", CONF_EMISSIVITY),
            ("reflected_c", CONF_REFLECTED_TEMP),
            ("distance", CONF_DISTANCE),
        )
        if options.get(option) is not None
        and entry.data.get(CONF_INTERFACE) != INTERFACE_AX8  # an Ax8 measures with its own
    }
    low, high = options.get(CONF_RANGE_MIN), options.get(CONF_RANGE_MAX)
    temp_range = (float(low), float(high)) if low is not None and high is not None else None
    areas = {
        subentry_id: area_from_subentry(dict(subentry.data))
        for subentry_id, subentry in entry.subentries.items()
        if subentry.subentry_type == SUBENTRY_AREA
    }
    deadband = options.get(CONF_TEMPERATURE_DEADBAND)
    return RenderSettings(
        overrides=overrides,
        palette=options.get(CONF_PALETTE, DEFAULT_PALETTE),
        temp_range=temp_range,
        areas=areas,
        deadband=DEFAULT_TEMPERATURE_DEADBAND if deadband is None else max(0.0, float(deadband)),
    )


@dataclass(kw_only=True)
class PollTiming:
    """When the cycles of a camera ran (event-loop clock, seconds): the real period."""

    interval: float
    started: float | None = None
    last_cycle: float | None = None
    cycles: int = 0
    overruns: int = 0
    """Cycles that took longer than the interval (the next one then starts at once)."""
    _starts: deque[float] = field(default_factory=lambda: deque(maxlen=PERIODS_KEPT))

    def start(self, now: float) -> None:
        """A cycle starts."""
        self.started = now
        self._starts.append(now)

    def end(self, now: float) -> None:
        """The cycle that started last has ended."""
        if self.started is None:
            return
        self.last_cycle = now - self.started
        self.cycles += 1
        if self.last_cycle > self.interval:
            self.overruns += 1

    @property
    def period(self) -> float | None:
        """Seconds between the starts of the last two cycles."""
        starts = self._starts
        return None if len(starts) < 2 else starts[-1] - starts[-2]  # noqa: PLR2004

    @property
    def mean_period(self) -> float | None:
        """Mean seconds between cycle starts, over the last few cycles."""
        starts = self._starts
        return None if len(starts) < 2 else (starts[-1] - starts[0]) / (len(starts) - 1)  # noqa: PLR2004

    def wait(self, now: float) -> float:
        """Seconds until the next cycle: one interval after the last start, at least none."""
        if self.started is None:
            return self.interval
        return max(0.0, self.started + self.interval - now)

    def as_dict(self) -> dict[str, Any]:
        """For the diagnostics (seconds, rounded to milliseconds)."""

        def ms(value: float | None) -> float | None:
            return None if value is None else round(value, 3)

        return {
            "interval": self.interval,
            "last_cycle": ms(self.last_cycle),
            "period": ms(self.period),
            "mean_period": ms(self.mean_period),
            "cycles": self.cycles,
            "overruns": self.overruns,
        }


class FlirCoordinator(DataUpdateCoordinator[FlirData]):
    """Polls one FLIR camera: JSON measurements, one /alarms request and the radiometric frame."""

    config_entry: FlirConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: FlirConfigEntry,
        client: FlirClient | Ax8Client,
        device: FlirDevice,
    ) -> None:
        """Set up the coordinator for one camera."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {entry.title}",
            update_interval=FLIR_SCAN_INTERVAL,
        )
        self.client = client
        self.device = device
        self.settings = render_settings(entry)
        self.polling = PollTiming(interval=FLIR_SCAN_INTERVAL.total_seconds())
        self._visual_at = datetime.min.replace(tzinfo=UTC)
        self._image: bytes | None = None  # the still the last frame was computed from

    @property
    def deadband(self) -> float:
        """Degrees C a temperature must move by before its sensor's state changes (0: any)."""
        return self.settings.deadband

    @callback
    @override
    def _schedule_refresh(self) -> None:
        """Schedule the next cycle one interval after the last one started (at once if late).

        Home Assistant schedules `update_interval` after the end of a cycle, at a whole second
        plus this coordinator's fixed fraction; the interval handed to it here is the whole
        number of seconds that lands that moment on the start plus one interval (or on now).
        """
        nominal = self.update_interval
        if nominal is None or self.polling.started is None or self._retry_after is not None:
            super()._schedule_refresh()
            return
        now = self.hass.loop.time()
        wait = self.polling.wait(now)
        seconds = round(now + wait - self._microsecond) - math.floor(now) if wait > 0 else 0
        # A zero timedelta would switch polling off: the smallest step instead (at once).
        self.update_interval = timedelta(seconds=max(seconds, 1e-6))
        try:
            super()._schedule_refresh()
        finally:
            self.update_interval = nominal

    @override
    async def _async_update_data(self) -> FlirData:
        loop = self.hass.loop
        self.polling.start(loop.time())
        try:
            return await self._async_poll()
        finally:
            self.polling.end(loop.time())

    async def _async_poll(self) -> FlirData:
        """One cycle: the thermal image first, decoded while the measurements are read."""
        frame_job: asyncio.Future[ThermalFrame] | None = None
        kept: ThermalFrame | None = None
        try:
            with flir_errors(Stage.POLL):
                if self.client.capabilities is None or self.client.rediscovery_needed:
                    await self.client.discover(keep_readings=True)
                caps = self.client.capabilities
                if self.device.radiometric:
                    image_bytes = await self.client.image()
                    if image_bytes is self._image and self.data is not None and self.data.frame:
                        kept = self.data.frame  # an Ax8 between two stills: nothing new
                    else:
                        self._image = image_bytes
                        frame_job = self.hass.async_add_executor_job(
                            process_frame, image_bytes, self.settings, self._hot_spot()
                        )
                measurements = (
                    await self.client.measurements()
                    if caps is not None and has_json_endpoints(caps)
                    else empty_measurements()
                )
                visual = await self._visual(caps)
        except BaseException:
            if frame_job is not None:
                frame_job.add_done_callback(_forget)
            raise
        frame, frame_error = (kept, None) if kept else await self._frame(frame_job)
        return FlirData(
            measurements=measurements, frame=frame, frame_error=frame_error, visual=visual
        )

    def _hot_spot(self) -> tuple[int, int] | None:
        """The hottest point of the last frame."""
        if self.data is None or self.data.frame is None:
            return None
        return self.data.frame.stats.hot_x, self.data.frame.stats.hot_y

    async def _frame(
        self, frame_job: asyncio.Future[ThermalFrame] | None
    ) -> tuple[ThermalFrame | None, str | None]:
        """The decoded frame, or why it is unusable (logged once until frames are usable)."""
        if frame_job is None:
            return None, None
        try:
            frame = await frame_job
        except FlirDecodeError as err:
            if self.data is None or self.data.frame_error is None:
                LOGGER.warning("Unusable thermal frame from %s: %s", self.config_entry.title, err)
            return None, str(err)
        if self.data is not None and self.data.frame_error is not None:
            LOGGER.info("Thermal frames from %s are usable again", self.config_entry.title)
        return frame, None

    async def _visual(self, caps: Capabilities | None) -> bytes | None:
        """The visual image, fetched on a slower cadence; a failure keeps the last one."""
        previous = None if self.data is None else self.data.visual
        if caps is None or caps.visual_format is None:
            return None
        now = dt_util.utcnow()
        if previous is not None and now - self._visual_at < FLIR_VISUAL_INTERVAL:
            return previous
        try:
            visual = await self.client.visual_image()
        except (FlirConnectionError, FlirUnexpectedDeviceError) as err:
            LOGGER.debug("No visual image from %s: %s", self.config_entry.title, err)
            return previous
        self._visual_at = now
        return visual


def _forget(future: asyncio.Future[Any]) -> None:
    """Retrieve the outcome of a frame nobody waits for any more (the cycle failed)."""
    if not future.cancelled():
        future.exception()


@dataclass(kw_only=True)
class FlirRuntimeData:
    """What a loaded FLIR entry keeps."""

    client: FlirClient | Ax8Client
    device: FlirDevice
    coordinator: FlirCoordinator
    push: Ax8Push | None = None


async def async_identify(hass: HomeAssistant, client: FlirClient) -> FlirDevice:
    """Connect to a camera and tell what it is; the decoding runs in the executor.

    Raises FlirUnexpectedDeviceError when the host answers but is not a usable FLIR camera.
    """
    image = await client.check()
    caps = await client.discover(keep_readings=True)
    if is_radiometric(image):
        return FlirDevice.of_image(await hass.async_add_executor_job(decode_rjpeg, image))
    if not has_json_endpoints(caps):
        raise FlirUnexpectedDeviceError("Neither a radiometric image nor measurement endpoints")
    return FlirDevice(serial=None, model=None, width=None, height=None, radiometric=False)
