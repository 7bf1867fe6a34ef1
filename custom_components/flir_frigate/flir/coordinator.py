"""Coordinators: one polling cycle per FLIR camera (measurements, alarms, thermal frame)."""

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import override

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

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
    CONF_PALETTE,
    CONF_RANGE_MAX,
    CONF_RANGE_MIN,
    CONF_REFLECTED_TEMP,
    CONF_X,
    CONF_X2,
    CONF_Y,
    CONF_Y2,
    DEFAULT_PALETTE,
    FLIR_SCAN_INTERVAL,
    FLIR_VISUAL_INTERVAL,
    SUBENTRY_AREA,
)
from .errors import flir_errors


@dataclass(frozen=True, kw_only=True)
class FlirDevice:
    """What the first radiometric image (or the host) tells about the camera."""

    serial: str | None
    model: str | None
    width: int | None
    height: int | None
    radiometric: bool


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


type FlirConfigEntry = ConfigEntry[FlirRuntimeData]


def empty_measurements() -> Measurements:
    """Measurements of a camera without JSON endpoints."""
    return Measurements(spots={}, boxes={}, lines={}, temp_sensors={}, alarms={}, failed=())


def has_json_endpoints(caps: Capabilities) -> bool:
    """Whether the camera answers any of the JSON measurement endpoints."""
    return bool(
        caps.spots
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


def process_frame(image_bytes: bytes, settings: RenderSettings) -> ThermalFrame:
    """Decode, measure and render one frame (runs in the executor)."""
    image = decode_rjpeg(image_bytes)
    return measure_frame(image, settings)


def measure_frame(image: RadiometricImage, settings: RenderSettings) -> ThermalFrame:
    """Compute temperatures, statistics, local areas and the rendered picture of a frame."""
    params: ObjectParameters | None = None
    if settings.overrides:
        params = replace(image.camera.object_parameters(), **settings.overrides)
    temps = image.temperatures(params)
    areas = {key: measure_area(temps, area) for key, area in settings.areas.items()}
    picture = render_thermal(
        temps,
        palette=settings.palette,  # type: ignore[arg-type]
        temp_range=settings.temp_range,
        areas=(*tool_areas(image), *settings.areas.values()),
    )
    return ThermalFrame(stats=frame_stats(temps), areas=areas, picture=picture)


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
    }
    low, high = options.get(CONF_RANGE_MIN), options.get(CONF_RANGE_MAX)
    temp_range = (float(low), float(high)) if low is not None and high is not None else None
    areas = {
        subentry_id: area_from_subentry(dict(subentry.data))
        for subentry_id, subentry in entry.subentries.items()
        if subentry.subentry_type == SUBENTRY_AREA
    }
    return RenderSettings(
        overrides=overrides,
        palette=options.get(CONF_PALETTE, DEFAULT_PALETTE),
        temp_range=temp_range,
        areas=areas,
    )


class FlirCoordinator(DataUpdateCoordinator[FlirData]):
    """Polls one FLIR camera: JSON measurements, one /alarms request and the radiometric frame."""

    config_entry: FlirConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: FlirConfigEntry,
        client: FlirClient,
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
        self._visual_at = datetime.min.replace(tzinfo=UTC)

    @override
    async def _async_update_data(self) -> FlirData:
        with flir_errors(Stage.POLL):
            if self.client.capabilities is None or self.client.rediscovery_needed:
                await self.client.discover()
            caps = self.client.capabilities
            measurements = (
                await self.client.measurements()
                if caps is not None and has_json_endpoints(caps)
                else empty_measurements()
            )
            image_bytes = await self.client.image() if self.device.radiometric else None
            visual = await self._visual(caps)
        frame: ThermalFrame | None = None
        frame_error: str | None = None
        if image_bytes is not None:
            try:
                frame = await self.hass.async_add_executor_job(
                    process_frame, image_bytes, self.settings
                )
            except FlirDecodeError as err:
                frame_error = str(err)
                if self.data is None or self.data.frame_error is None:
                    LOGGER.warning(
                        "Unusable thermal frame from %s: %s", self.config_entry.title, err
                    )
            else:
                if self.data is not None and self.data.frame_error is not None:
                    LOGGER.info("Thermal frames from %s are usable again", self.config_entry.title)
        return FlirData(
            measurements=measurements, frame=frame, frame_error=frame_error, visual=visual
        )

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


@dataclass(kw_only=True)
class FlirRuntimeData:
    """What a loaded FLIR entry keeps."""

    client: FlirClient
    device: FlirDevice
    coordinator: FlirCoordinator


async def async_identify(hass: HomeAssistant, client: FlirClient) -> FlirDevice:
    """Connect to a camera and tell what it is; the decoding runs in the executor.

    Raises FlirUnexpectedDeviceError when the host answers but is not a usable FLIR camera.
    """
    image = await client.check()
    caps = await client.discover()
    if is_radiometric(image):
        decoded = await hass.async_add_executor_job(decode_rjpeg, image)
        return FlirDevice(
            serial=decoded.camera.serial.strip() or None,
            model=decoded.camera.model.strip() or None,
            width=decoded.width,
            height=decoded.height,
            radiometric=True,
        )
    if not has_json_endpoints(caps):
        raise FlirUnexpectedDeviceError("Neither a radiometric image nor measurement endpoints")
    return FlirDevice(serial=None, model=None, width=None, height=None, radiometric=False)
