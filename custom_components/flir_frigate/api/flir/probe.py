"""What a FLIR automation camera is and serves, found out with the client alone.

:func:`probe_flir` makes the requests the integration makes when it sets up a camera and in
its first cycle (the thermal JPEG, discovery, the visual image, one measurement cycle), decodes
and renders the radiometric frame, and returns what it found as frozen dataclasses, each
request with how the camera answered. The diagnostic command line
(``python -m custom_components.flir_frigate.probe``) prints it.
"""

import asyncio
from dataclasses import dataclass

from .client import FlirClient
from .exceptions import FlirConnectionError, FlirDecodeError, FlirUnexpectedDeviceError
from .measure import FrameStats, frame_stats
from .models import Capabilities, Measurements
from .render import render_thermal
from .rjpeg import decode_rjpeg, is_radiometric


@dataclass(frozen=True, kw_only=True)
class Endpoint:
    """One request the probe made and how the camera answered."""

    request: str
    ok: bool
    detail: str


@dataclass(frozen=True, kw_only=True)
class DecodedFrame:
    """The decoded radiometric frame: size, identity, statistics and the rendered picture."""

    width: int
    height: int
    model: str | None
    serial: str | None
    stats: FrameStats
    picture: bytes


@dataclass(frozen=True, kw_only=True)
class FlirProbe:
    """Everything the probe found out about a FLIR camera."""

    base_url: str
    image_bytes: int  # size of the thermal JPEG
    looks_radiometric: bool  # the JPEG carries FLIR radiometric data (decoded or not)
    thermal: DecodedFrame | None  # None: a plain JPEG, or radiometric data that does not decode
    decode_error: str | None
    capabilities: Capabilities
    measurements: Measurements | None  # None: no JSON measurement endpoint to ask
    visual: bytes | None
    endpoints: tuple[Endpoint, ...]

    @property
    def model(self) -> str | None:
        """The camera model the frame names."""
        return None if self.thermal is None else self.thermal.model

    @property
    def serial(self) -> str | None:
        """The serial number the frame names."""
        return None if self.thermal is None else self.thermal.serial

    @property
    def facts(self) -> dict[str, str]:
        """What the camera is, in words: thermal image, model, serial number, authentication."""
        thermal = self.thermal
        image = "a plain JPEG (no temperatures in it)"
        if thermal is not None:
            stats = thermal.stats
            image = (
                f"{thermal.width}x{thermal.height} radiometric, "
                f"{stats.min:.1f} to {stats.max:.1f} °C (mean {stats.mean:.1f} °C)"
            )
        return {
            "Thermal image": image,
            "Model": self.model or "unknown (not in the image)",
            "Serial number": self.serial or "unknown (not in the image)",
            "Authentication": self.capabilities.auth,
        }

    @property
    def notes(self) -> list[str]:
        """What is worth knowing beyond the facts: a frame that does not decode, failures."""
        notes: list[str] = []
        if self.decode_error is not None:
            notes.append(
                f"The thermal image looks radiometric but does not decode: {self.decode_error}"
            )
        if self.measurements is not None and self.measurements.failed:
            notes.append(f"These failed this cycle: {', '.join(self.measurements.failed)}")
        if not self.capabilities.has_measurements:
            notes.append(
                "No JSON measurement endpoints: every temperature comes from the radiometric "
                "image (as on A50/A70 and most A400/A500/A700 firmware)."
            )
        return notes


def has_json_endpoints(caps: Capabilities) -> bool:
    """Whether a measurement cycle has anything to ask (a tool, an alarm, the alarm list)."""
    return caps.has_measurements or caps.has_alarms_endpoint


def _thermal_frame(image: bytes) -> DecodedFrame:
    """Decode, measure and render a radiometric JPEG (CPU work: run it in a thread)."""
    decoded = decode_rjpeg(image)
    temperatures = decoded.temperatures()
    return DecodedFrame(
        width=decoded.width,
        height=decoded.height,
        model=decoded.camera.model.strip() or None,
        serial=decoded.camera.serial.strip() or None,
        stats=frame_stats(temperatures),
        picture=render_thermal(temperatures),
    )


def _kilobytes(size: int) -> str:
    return f"{size / 1000:.0f} kB"


def _instances(instances: tuple[int, ...]) -> str:
    word = "instance" if len(instances) == 1 else "instances"
    return f"{word} {', '.join(map(str, instances))}"


def _discovery_endpoints(caps: Capabilities) -> list[Endpoint]:
    """The JSON endpoints discovery asked for, with the instances that answered."""
    endpoints = [
        Endpoint(
            request=f"GET /api/{kind}/N.json",
            ok=bool(instances),
            detail=_instances(instances) if instances else "not served",
        )
        for kind, instances in (
            ("spot", caps.spots),
            ("box", caps.boxes),
            ("line", caps.lines),
            ("tempsensor", caps.temp_sensors),
        )
    ]
    endpoints.append(
        Endpoint(
            request="GET /api/alarms" if caps.has_alarms_endpoint else "GET /api/alarm/N.json",
            ok=bool(caps.alarms),
            detail=f"alarms {', '.join(map(str, caps.alarms))}" if caps.alarms else "not served",
        )
    )
    return endpoints


async def _visual(client: FlirClient, caps: Capabilities) -> tuple[bytes | None, Endpoint]:
    """The visual image, where discovery found a format for it."""
    request = f"GET /api/image/current?imgformat={caps.visual_format or 'VISIBLE'}"
    if caps.visual_format is None:
        return None, Endpoint(
            request=request, ok=False, detail="no visual image (VISIBLE, JPEG_visual)"
        )
    try:
        visual = await client.visual_image()
    except (FlirConnectionError, FlirUnexpectedDeviceError) as err:
        return None, Endpoint(request=request, ok=False, detail=str(err))
    return visual, Endpoint(
        request=request, ok=True, detail=f"visual JPEG, {_kilobytes(len(visual))}"
    )


async def probe_flir(client: FlirClient) -> FlirProbe:
    """Identify a FLIR camera, discover its endpoints and run one measurement cycle.

    Raises what the client raises: FlirAuthenticationError, FlirConnectionError, and
    FlirUnexpectedDeviceError when the host is not a FLIR automation camera (also when its
    JPEG has no temperatures and it serves no measurement endpoint: nothing to measure).
    """
    image = await client.check()
    caps = await client.discover()
    radiometric = is_radiometric(image)
    thermal: DecodedFrame | None = None
    decode_error: str | None = None
    if radiometric:
        try:
            thermal = await asyncio.to_thread(_thermal_frame, image)
        except FlirDecodeError as err:
            decode_error = str(err)
    if thermal is None and not has_json_endpoints(caps):
        raise FlirUnexpectedDeviceError(
            "the thermal image has no usable temperatures "
            f"({decode_error or 'a plain JPEG'}) and no measurement endpoint answers"
        )
    kind = "plain"
    if thermal is not None:
        kind = f"{thermal.width}x{thermal.height} radiometric"
    elif radiometric:
        kind = "radiometric (undecodable)"
    endpoints = [
        Endpoint(
            request="GET /api/image/current?imgformat=JPEG",
            ok=True,
            detail=f"{kind} JPEG, {_kilobytes(len(image))}",
        )
    ]
    visual, visual_endpoint = await _visual(client, caps)
    endpoints += [visual_endpoint, *_discovery_endpoints(caps)]
    measurements = await client.measurements() if has_json_endpoints(caps) else None
    return FlirProbe(
        base_url=client.base_url,
        image_bytes=len(image),
        looks_radiometric=radiometric,
        thermal=thermal,
        decode_error=decode_error,
        capabilities=caps,
        measurements=measurements,
        visual=visual,
        endpoints=tuple(endpoints),
    )
