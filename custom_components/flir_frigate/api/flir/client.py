"""REST client for FLIR automation cameras (A50/A70, A400/A500/A700): discovery and endpoints.

Only ``GET /api/image/current`` (``imgformat=JPEG`` and ``JPEG_visual``) is confirmed on real
cameras. The JSON endpoints of the OpenAPI description (spots, boxes, lines, temperature sensors,
alarms) are probed once by :meth:`FlirClient.discover` and used only where they answer with JSON.
This module knows those endpoints and how a measurement cycle copes with a failing one; how a
request is made (one at a time, authentication, retries, redirects, bounded reads) is in
:mod:`.transport`, and how the host a user typed becomes the base URL is in :mod:`.host`.
"""

import functools
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from typing import Any, Final, Literal

import aiohttp

from .base import Cycle, FlirClientBase
from .exceptions import FlirUnexpectedDeviceError
from .models import (
    Alarm,
    BoxMeasurement,
    Capabilities,
    LineMeasurement,
    Measurements,
    SpotMeasurement,
    TempSensor,
    as_int,
)
from .transport import (
    MAX_IMAGE_BYTES,
    MAX_JSON_BYTES,
    NotFoundError,
    ServerError,
    Transport,
    check_status,
)

_LOGGER = logging.getLogger(__name__)

MAX_INSTANCES: Final = 10
"""Highest instance probed per kind (FLIR manual: up to 10 spots, 10 boxes; same bound for all)."""
VISUAL_FORMATS: Final = ("VISIBLE", "JPEG_visual")
THERMAL_FORMAT: Final = "JPEG"
_TEMP_UNIT: Final = {"tempUnit": "C"}
_VISUAL: Final = "visual"
_PLAN_FIELDS: Final = {
    "spot": "spots",
    "box": "boxes",
    "line": "lines",
    "tempsensor": "temp_sensors",
    "alarm": "alarms",
}
"""The Capabilities field that holds each kind's instances."""


def _check_instance(instance: int) -> int:
    if isinstance(instance, bool) or not isinstance(instance, int) or instance < 1:
        raise ValueError("instance numbers start at 1")
    return instance


def _size_params(width: int | None, height: int | None) -> dict[str, str]:
    params: dict[str, str] = {}
    for name, value in (("width", width), ("height", height)):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive integer")
        params[name] = str(value)
    return params


def _parse_alarm_list(data: Any) -> dict[int, Alarm]:
    """Parse ``{"alarms": [...]}`` (or a bare list); entries without an instance use position."""
    items = data.get("alarms") if isinstance(data, Mapping) else data
    if not isinstance(items, list):
        raise FlirUnexpectedDeviceError("alarms: expected a list of alarms")
    alarms: dict[int, Alarm] = {}
    for position, item in enumerate(items, start=1):
        if not isinstance(item, Mapping):
            continue
        found = as_int(item.get("instance"))
        instance = found if found is not None and found >= 1 else position
        alarms.setdefault(instance, Alarm.from_dict(item, instance=instance).in_celsius())
    return alarms


type ImageFormat = Literal["JPEG", "RJPEG", "FLAME", "VISIBLE", "FUSION", "JPEG_visual"]
IMAGE_FORMATS: Final = frozenset({"JPEG", "RJPEG", "FLAME", "VISIBLE", "FUSION", "JPEG_visual"})


class FlirClient(FlirClientBase[Transport]):
    """Client for one FLIR automation camera; all requests are serialized."""

    def __init__(
        self,
        host: str,
        *,
        session: aiohttp.ClientSession,
        username: str | None = None,
        password: str | None = None,
        request_timeout: float = 10.0,
        verify_ssl: bool = True,
    ) -> None:
        """Prepare a client; no request is made here. Raises ValueError for a bad host."""
        super().__init__(host)
        self._transport = Transport(
            self._base_url,
            session=session,
            username=username,
            password=password,
            request_timeout=request_timeout,
            verify_ssl=verify_ssl,
        )
        self._visual_format: str | None = None

    @property
    def rediscovery_needed(self) -> bool:
        """True when a known instance vanished (404) or the alarm list changed."""
        return self._rediscovery_needed

    # ------------------------------------------------------------------ discovery

    async def discover(self, *, keep_readings: bool = False) -> Capabilities:
        """Probe which JSON endpoints and instances exist, and which visual format works.

        Finding an instance means reading it. With ``keep_readings`` those answers (and the
        visual image) serve the next :meth:`measurements` and :meth:`visual_image`, within
        :data:`.base.READINGS_FOR` seconds, instead of asking the camera for all of them again: a
        setup or a rediscovery then costs one read of each instance, not two.
        """
        self._readings = {}
        self._uncertain = False
        probed: dict[str, Any] = {}
        spots = await self._probe("spot", probed)
        boxes = await self._probe("box", probed)
        lines = await self._probe("line", probed)
        temp_sensors = await self._probe("tempsensor", probed)
        alarms, has_alarms_endpoint = await self._probe_alarms(probed)
        visual_format = await self._probe_visual(probed)
        capabilities = Capabilities(
            spots=spots,
            boxes=boxes,
            lines=lines,
            temp_sensors=temp_sensors,
            alarms=alarms,
            has_alarms_endpoint=has_alarms_endpoint,
            visual_format=visual_format,
            auth=self._transport.auth_mode or "none",
        )
        _LOGGER.debug("Discovered %s", capabilities)
        self._capabilities = capabilities
        # A kind cut short by a failing answer (not a 404) is not known to have ended: what
        # the previous plan held is kept, and the next cycle asks again.
        self._rediscovery_needed = self._uncertain
        if keep_readings:
            self._keep_readings(probed)
        return capabilities

    async def _probe(self, kind: str, probed: dict[str, Any] | None = None) -> tuple[int, ...]:
        """The instances of `kind` that answer, in order; their answers go into `probed`."""
        found: list[int] = []
        for instance in range(1, MAX_INSTANCES + 1):
            path = f"/api/{kind}/{instance}.json"
            try:
                data = await self._get_json(path)
            except NotFoundError as err:
                _LOGGER.debug("No %s %s: %s", kind, instance, err)
                break
            except (FlirUnexpectedDeviceError, ServerError) as err:
                _LOGGER.debug("No %s %s: %s", kind, instance, err)
                return self._kept(kind, found)
            if not isinstance(data, Mapping):
                _LOGGER.debug("No %s %s: the answer is not a JSON object", kind, instance)
                return self._kept(kind, found)
            if instance == 1:
                _LOGGER.debug("%s answers with fields %s", path, sorted(map(str, data)))
            found.append(instance)
            if probed is not None:
                probed[path] = data
        return tuple(found)

    def _kept(self, kind: str, found: list[int]) -> tuple[int, ...]:
        """What a kind cut short by a failing answer keeps: the found and the known before."""
        self._uncertain = True
        before = getattr(self._capabilities, _PLAN_FIELDS[kind], ()) if self._capabilities else ()
        return tuple(sorted({*found, *before}))

    async def _probe_alarms(self, probed: dict[str, Any]) -> tuple[tuple[int, ...], bool]:
        try:
            data = await self._get_json("/api/alarms")
            alarms = _parse_alarm_list(data)
        except (FlirUnexpectedDeviceError, ServerError) as err:
            _LOGGER.debug("No alarm list: %s", err)
            known = self._capabilities
            if (
                known is not None
                and known.has_alarms_endpoint
                and not isinstance(err, NotFoundError)
            ):
                return self._kept("alarm", []), True
        else:
            probed["/api/alarms"] = data
            return tuple(sorted(alarms)[:MAX_INSTANCES]), True
        return await self._probe("alarm", probed), False

    async def _probe_visual(self, probed: dict[str, Any]) -> str | None:
        try:
            probed[_VISUAL] = await self.visual_image()
        except (FlirUnexpectedDeviceError, ServerError) as err:
            _LOGGER.debug("No visual image: %s", err)
        return self._visual_format

    # --------------------------------------------------------------- measurements

    async def measurements(self) -> Measurements:
        """Run one cycle over the discovered plan (runs :meth:`discover` first if needed).

        A single ROI that fails (error status, malformed JSON, one timeout) is listed in
        ``failed``; FlirConnectionError when the camera cannot be reached or keeps failing.
        Right after ``discover(keep_readings=True)`` the answers discovery read are used.
        """
        plan = self._capabilities or await self.discover()
        try:
            return await self._measure(plan)
        finally:  # JSON answers serve one cycle; the visual image waits for its call
            visual = self._readings.get(_VISUAL)
            self._readings = {} if visual is None else {_VISUAL: visual}

    async def _measure(self, plan: Capabilities) -> Measurements:
        cycle = Cycle()
        spots = await self._collect(cycle, "spot", plan.spots, self.spot)
        boxes = await self._collect(cycle, "box", plan.boxes, self.box)
        lines = await self._collect(cycle, "line", plan.lines, self.line)
        temp_sensors = await self._collect(cycle, "tempsensor", plan.temp_sensors, self.temp_sensor)
        alarms: dict[int, Alarm] = {}
        if plan.has_alarms_endpoint:
            # Read even when the plan lists no alarm: alarms added on the camera, or back after
            # a malformed list emptied the plan, are seen here and rediscovered.
            listed = await self._cycle_item(cycle, "alarms", self.alarms)
            if listed is not None:
                if set(listed) != set(plan.alarms):
                    self._rediscovery_needed = True
                alarms = {n: listed[n] for n in sorted(listed)[:MAX_INSTANCES]}
        else:
            alarms = await self._collect(cycle, "alarm", plan.alarms, self.alarm)
        return Measurements(
            spots=spots,
            boxes=boxes,
            lines=lines,
            temp_sensors=temp_sensors,
            alarms=alarms,
            failed=tuple(cycle.failed),
        )

    async def _collect[T](
        self,
        cycle: Cycle,
        kind: str,
        instances: tuple[int, ...],
        fetch: Callable[[int], Awaitable[T]],
    ) -> dict[int, T]:
        values: dict[int, T] = {}
        for instance in instances:
            value = await self._cycle_item(
                cycle, f"{kind}/{instance}", functools.partial(fetch, instance)
            )
            if value is not None:
                values[instance] = value
        return values

    async def spot(self, instance: int) -> SpotMeasurement:
        """Read spot ``instance`` (°C)."""
        data = await self._get_json(f"/api/spot/{_check_instance(instance)}.json")
        return SpotMeasurement.from_dict(data, instance=instance).in_celsius()

    async def box(self, instance: int) -> BoxMeasurement:
        """Read box ``instance`` (°C)."""
        data = await self._get_json(f"/api/box/{_check_instance(instance)}.json")
        return BoxMeasurement.from_dict(data, instance=instance).in_celsius()

    async def line(self, instance: int) -> LineMeasurement:
        """Read line ``instance`` (°C)."""
        data = await self._get_json(f"/api/line/{_check_instance(instance)}.json")
        return LineMeasurement.from_dict(data, instance=instance).in_celsius()

    async def temp_sensor(self, instance: int) -> TempSensor:
        """Read internal temperature sensor ``instance`` (°C)."""
        data = await self._get_json(f"/api/tempsensor/{_check_instance(instance)}.json")
        return TempSensor.from_dict(data, instance=instance).in_celsius()

    async def alarms(self) -> dict[int, Alarm]:
        """Read every alarm in one request, keyed by instance."""
        return _parse_alarm_list(await self._get_json("/api/alarms"))

    async def alarm(self, instance: int) -> Alarm:
        """Read alarm ``instance``."""
        data = await self._get_json(f"/api/alarm/{_check_instance(instance)}.json")
        return Alarm.from_dict(data, instance=instance).in_celsius()

    # --------------------------------------------------------------------- images

    async def image(
        self,
        *,
        width: int | None = None,
        height: int | None = None,
        image_format: ImageFormat = THERMAL_FORMAT,
    ) -> bytes:
        """Return the current image; by default the thermal radiometric JPEG (``JPEG``).

        ``image_format`` takes any ``imgformat`` of the API description (``RJPEG``, ``FLAME``,
        ``VISIBLE``, ``FUSION``) or the A50/A70 name ``JPEG_visual``.
        """
        if image_format not in IMAGE_FORMATS:
            raise ValueError(f"unknown image format {image_format!r}")
        return await self._get_image(image_format, width=width, height=height)

    async def visual_image(self, *, width: int | None = None, height: int | None = None) -> bytes:
        """Return the visual JPEG: ``VISIBLE``, or ``JPEG_visual`` where that is refused."""
        if width is None and height is None and (kept := self._reading(_VISUAL)) is not None:
            return bytes(kept)
        order = list(VISUAL_FORMATS)
        if self._visual_format in order:
            order.remove(self._visual_format)
            order.insert(0, self._visual_format)
        refused: FlirUnexpectedDeviceError | None = None
        for visual_format in order:
            try:
                data = await self._get_image(visual_format, width=width, height=height)
            except FlirUnexpectedDeviceError as err:
                _LOGGER.debug("imgformat=%s refused: %s", visual_format, err)
                refused = err
                continue
            if visual_format != self._visual_format:
                self._visual_format = visual_format
                if self._capabilities is not None:
                    self._capabilities = replace(self._capabilities, visual_format=visual_format)
            return data
        raise FlirUnexpectedDeviceError("the camera serves no visual image") from refused

    async def check(self) -> bytes:
        """Fetch the thermal JPEG and make sure the host answers like a FLIR camera (config flow).

        Returns the image bytes (whether they are radiometric is for the caller to decode).
        FlirUnexpectedDeviceError when the host answers but not like a FLIR camera (HTML, 404,
        not a JPEG), FlirAuthenticationError on refused or missing credentials,
        FlirConnectionError when the host is unreachable, times out or keeps failing.
        """
        data = await self.image()
        if not data.startswith(b"\xff\xd8\xff"):
            raise FlirUnexpectedDeviceError("the thermal image is not a JPEG")
        return data

    async def _get_image(
        self, image_format: str, *, width: int | None, height: int | None
    ) -> bytes:
        path = "/api/image/current"
        params = {"imgformat": image_format, **_size_params(width, height)}
        reply = await self._transport.request(path, params, limit=MAX_IMAGE_BYTES)
        check_status(reply, path)
        if not reply.content_type.startswith("image/"):
            raise FlirUnexpectedDeviceError(
                f"GET {path}?imgformat={image_format}: not an image ({reply.content_type})"
            )
        if not reply.body:
            raise FlirUnexpectedDeviceError(f"GET {path}?imgformat={image_format}: empty image")
        return reply.body

    # ------------------------------------------------------------------- requests

    async def _get_json(self, path: str) -> Any:
        if (kept := self._reading(path)) is not None:
            return kept
        reply = await self._transport.request(path, _TEMP_UNIT, limit=MAX_JSON_BYTES)
        check_status(reply, path)
        try:
            return json.loads(reply.body)
        except (ValueError, RecursionError) as err:
            raise FlirUnexpectedDeviceError(f"GET {path}: the answer is not JSON") from err
