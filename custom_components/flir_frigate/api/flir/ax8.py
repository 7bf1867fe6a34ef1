"""Client for the FLIR Ax8: the same models and calls as :class:`FlirClient`, another interface.

The Ax8 has no ``/api``. Its tools, alarms and settings are resources read through
``POST /res.php``; the web page's own ``measurement`` and ``alarm`` actions answer every field
of one tool in one request, so a cycle costs one request per tool instead of one per value.
No wider batch is known: ``get`` and ``/prod/res`` read one resource each in every public
client (rolker/flir and RobotnikAutomation/flir_ax8_control ``src/flir/flir.py`` one ``get``
per value; MDStechCVS/FLIR_AX8streamer ``UTIL/CAMERA_API.py`` lists subtree URLs such as
``/prod/res/image/sysimg/measureFuncs/mbox/1`` in a comment only, and reads and parses one
``xsi:value`` per leaf), so what a subtree answers is unknown and is not relied on. A cycle
is therefore one request per tool, alarm, monitor item and the internal temperature; the
object parameters, which change only when written, are read once per discovery.
Discovery enumerates the tree (spots, boxes, deltas, the reference temperature, measurement
alarms, alarm monitor items, the internal temperature) and keeps only the active instances;
a tool found inactive in a cycle, and every minute anyway, leads to a new discovery, so tools
added or removed on the camera come and go without a restart. The radiometric still is a
store on the camera's flash, a download and a delete: it is done at most once per
``image_interval`` (a minute by default), and the last one is served in between. The live
display image is ``/snapshot.jpg``.
"""

import asyncio
import functools
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any, Final

import aiohttp

from . import ax8_resources as res
from .ax8_still import StillRecord
from .ax8_transport import SESSION_REFRESH, Ax8Transport, check
from .base import Cycle, FlirClientBase
from .exceptions import FlirConnectionError, FlirUnexpectedDeviceError
from .models import (
    Alarm,
    AlarmMonitor,
    AuthMode,
    BoxMeasurement,
    CameraObjectParameters,
    Capabilities,
    DeltaMeasurement,
    Measurements,
    SpotMeasurement,
    TempSensor,
    as_bool,
)
from .transport import MAX_IMAGE_BYTES

_LOGGER = logging.getLogger(__name__)

MAX_INSTANCES: Final = 10
"""Highest instance probed when the tree cannot be listed (the Ax8 has 6 boxes, 5 alarms)."""
REDISCOVER_AFTER: Final = 60.0
"""Seconds after which a discovery runs again, to find tools added on the camera."""
DEFAULT_IMAGE_INTERVAL: Final = 60.0
"""Seconds between two radiometric stills: each one is written to the camera's flash."""
IMAGE_PATH: Final = "/FLIR/images/flir_frigate.jpg"
STORE_WAIT: Final = (0.05, 0.1, 0.2, 0.4, 0.8, 1.0, 1.0, 1.0)
"""Pauses while the stored still is not there yet (the camera writes it after the commit)."""
_JPEG: Final = b"\xff\xd8\xff"


class Ax8Client(FlirClientBase[Ax8Transport]):
    """Client for one Ax8; all requests are serialized."""

    def __init__(
        self,
        host: str,
        *,
        session: aiohttp.ClientSession,
        username: str | None = None,
        password: str | None = None,
        request_timeout: float = 10.0,
        verify_ssl: bool = True,
        image_interval: float = DEFAULT_IMAGE_INTERVAL,
        still_record: StillRecord | None = None,
    ) -> None:
        """Prepare a client; no request is made here. ValueError for a bad host or interval.

        `still_record` is shared by the clients made for one camera (see :mod:`.ax8_still`).
        """
        super().__init__(host)
        self._transport = Ax8Transport(
            self._base_url,
            session=session,
            username=username,
            password=password,
            request_timeout=request_timeout,
            verify_ssl=verify_ssl,
        )
        self.image_interval = image_interval
        self._discovered_at = 0.0
        self._params: CameraObjectParameters | None = None
        self._stills = still_record or StillRecord()

    @property
    def image_interval(self) -> float:
        """Seconds between two radiometric stills."""
        return self._image_interval

    @image_interval.setter
    def image_interval(self, seconds: float) -> None:
        if not seconds >= 1:
            raise ValueError("the image interval is at least one second")
        self._image_interval = float(seconds)

    @property
    def rediscovery_needed(self) -> bool:
        """True when a tool went inactive, or the last discovery is a minute old."""
        return self._rediscovery_needed or (
            self._capabilities is not None
            and time.monotonic() - self._discovered_at > REDISCOVER_AFTER
        )

    def request_rediscovery(self) -> None:
        """Discover again before the next cycle (a tool went active or inactive)."""
        self._rediscovery_needed = True

    # ------------------------------------------------------------------ requests

    async def _res(self, action: str, **fields: str) -> Any:
        """One ``res.php`` call; its JSON answer."""
        reply = await self._transport.request("POST", "/res.php", data={"action": action, **fields})
        check(reply, f"res.php {action}")
        return reply.json(f"res.php {action}")

    async def get(self, resource: str) -> str | None:
        """A resource's value as the camera writes it; None when the camera does not know it."""
        value = await self._res("get", resource=resource)
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise FlirUnexpectedDeviceError(f"get {resource}: not a value")
        text = str(value).strip()
        return text or None

    async def set(self, resource: str, value: str) -> None:
        """Write a resource (the camera answers an empty string)."""
        await self._res("set", resource=resource, value=value)

    async def product_name(self) -> str:
        """The product name from ``/prod/res`` (FlirUnexpectedDeviceError: not an Ax8)."""
        path = "/prod/res/version/product/name"
        reply = await self._transport.request("GET", path)
        check(reply, path)
        name = res.parse_xml_value(reply.body)
        if not name:
            raise FlirUnexpectedDeviceError("the camera gives no product name")
        return name

    async def check(self) -> str:
        """Make sure the host is an Ax8 (config flow); returns its product name."""
        return await self.product_name()

    # ----------------------------------------------------------------- discovery

    async def _tree(self, node: str) -> tuple[int, ...]:
        """The numbered children of a node, or 1..MAX_INSTANCES when it cannot be listed."""
        try:
            return res.instance_names(await self._res("tree", resource=node))
        except FlirUnexpectedDeviceError as err:
            _LOGGER.debug("No tree of %s (%s); probing instances", node, err)
            return tuple(range(1, MAX_INSTANCES + 1))

    async def _probe(self, kind: str, probed: dict[str, Any]) -> tuple[int, ...]:
        """The active instances of a tool or of the alarms; their fields go into `probed`."""
        node = res.ALARMS if kind == "alarm" else f"{res.MEASURE_FUNCS}.{res.TOOL_TYPES[kind]}"
        found: list[int] = []
        for instance in await self._tree(node):
            data = await self._fields(kind, instance)
            if not isinstance(data, Mapping):
                if instance > 1:
                    break
                continue
            if res.is_active(data):
                found.append(instance)
                probed[f"{kind}/{instance}"] = data
        return tuple(found)

    async def _probe_monitors(self) -> tuple[str, ...]:
        return tuple(
            [
                key
                for key in res.MONITOR_ITEMS
                if as_bool(await self.get(f"{res.MONITOR}.{key}.active"))
            ]
        )

    async def discover(self, *, keep_readings: bool = False) -> Capabilities:
        """Enumerate the tree; the active instances make the plan of every cycle."""
        self._readings = {}
        self._params = None  # read again by the next cycle
        probed: dict[str, Any] = {}
        spots = await self._probe("spot", probed)
        boxes = await self._probe("box", probed)
        deltas = await self._probe("delta", probed)
        references = await self._probe("reference", probed)
        alarms = await self._probe("alarm", probed)
        monitors = await self._probe_monitors()
        internal = await self.get(res.INTERNAL_TEMPERATURE)
        capabilities = Capabilities(
            spots=spots,
            boxes=boxes,
            temp_sensors=(1,) if res.celsius(internal) is not None else (),
            alarms=alarms,
            interface="ax8",
            deltas=deltas,
            references=references,
            monitors=monitors,
            auth=self._transport.auth_mode,
        )
        _LOGGER.debug("Discovered %s", capabilities)
        self._capabilities = capabilities
        self._rediscovery_needed = False
        self._discovered_at = time.monotonic()
        if keep_readings:
            self._keep_readings(probed)
        return capabilities

    # -------------------------------------------------------------- measurements

    async def measurements(self) -> Measurements:
        """One cycle over the plan (discovering first if needed); see :class:`Measurements`."""
        plan = self._capabilities or await self.discover()
        try:
            return await self._measure(plan)
        finally:
            self._readings = {}

    async def _measure(self, plan: Capabilities) -> Measurements:
        cycle = Cycle()
        spots = await self._collect(cycle, "spot", plan.spots, res.parse_spot)
        boxes = await self._collect(cycle, "box", plan.boxes, res.parse_box)
        deltas = await self._collect(cycle, "delta", plan.deltas, res.parse_delta)
        references = await self._collect(cycle, "reference", plan.references, res.parse_reference)
        alarms = await self._collect(cycle, "alarm", plan.alarms, res.parse_alarm)
        monitors: dict[str, AlarmMonitor] = {}
        for key in plan.monitors:
            trigged = await self._cycle_item(
                cycle, f"monitor/{key}", functools.partial(self._monitor_trigged, key)
            )
            if trigged is not None:
                monitors[key] = res.parse_monitor(key, "true", trigged)
        temp_sensors: dict[int, TempSensor] = {}
        if plan.temp_sensors:
            internal = await self._cycle_item(
                cycle, "tempsensor/1", functools.partial(self.get, res.INTERNAL_TEMPERATURE)
            )
            if internal is not None:
                temp_sensors[1] = TempSensor(
                    instance=1, name="internal", temperature=res.celsius(internal), unit="C"
                )
        # They change only when written (here or on the camera's page): read once per discovery.
        params = self._params or await self._cycle_item(
            cycle, "object_parameters", self.object_parameters
        )
        return Measurements(
            spots=spots,
            boxes=boxes,
            temp_sensors=temp_sensors,
            alarms=alarms,
            failed=tuple(cycle.failed),
            deltas=deltas,
            references=references,
            monitors=monitors,
            object_parameters=params,
        )

    async def _monitor_trigged(self, key: str) -> str:
        return await self.get(f"{res.MONITOR}.{key}.trigged") or "false"

    async def _fields(self, kind: str, instance: int) -> Any:
        if (kept := self._reading(f"{kind}/{instance}")) is not None:
            return kept
        if kind == "alarm":
            return await self._res("alarm", id=str(instance))
        return await self._res("measurement", type=res.TOOL_TYPES[kind], id=str(instance))

    async def _collect[T](
        self,
        cycle: Cycle,
        kind: str,
        instances: tuple[int, ...],
        parse: Callable[[int, Any], T],
    ) -> dict[int, T]:
        values: dict[int, T] = {}
        for instance in instances:
            data = await self._cycle_item(
                cycle, f"{kind}/{instance}", functools.partial(self._fields, kind, instance)
            )
            if data is None:
                continue
            if not res.is_active(data):
                _LOGGER.debug("%s %s is no longer active; rediscovery needed", kind, instance)
                self._rediscovery_needed = True
                continue
            values[instance] = parse(instance, data)  # an active tool's fields: a mapping
        return values

    # -------------------------------------------------------- object parameters

    async def object_parameters(self) -> CameraObjectParameters:
        """The object parameters the camera measures with."""
        self._params = res.parse_object_parameters(await self._res("global-parameters"))
        return self._params

    async def set_object_parameters(self, **values: float) -> None:
        """Write object parameters (``emissivity``, ``distance``, ``reflected_c``, ...)."""
        for name, value in values.items():
            resource = f"{res.OBJECT_PARAMS}.{res.OBJECT_PARAMETER_RESOURCES.get(name, name)}"
            await self.set(resource, res.object_parameter_value(name, value))
        self._params = None

    # -------------------------------------------------------------------- images

    @property
    def image_age(self) -> float | None:
        """Seconds since the last radiometric still was downloaded (None: never)."""
        return self._stills.age()

    @property
    def stills(self) -> int:
        """Radiometric stills stored on the camera through this client's record (flash writes)."""
        return self._stills.stores

    async def image(
        self,
        *,
        width: int | None = None,  # noqa: ARG002 - the REST client's call
        height: int | None = None,  # noqa: ARG002
    ) -> bytes:
        """The radiometric still: a new one when the interval has passed since the last store.

        In between, the last one is served (FlirConnectionError when it could not be
        downloaded). `width` and `height` are accepted for the same calls as the REST client;
        the Ax8's still is always 80x60 (its decoder reads the size from the file).
        """
        record = self._stills
        async with record.lock:
            wait = record.wait(self._image_interval)
            if wait > 0:
                if record.image is None:
                    raise FlirConnectionError(f"no still yet; the next one in {wait:.0f} s")
                return record.image
            data = await self._store_and_download()
            record.keep(data)  # before the delete: a failing delete does not lose the still
            await self._delete()
            return data

    async def _store_and_download(self) -> bytes:
        """Store a still on the camera and download it."""
        for name, value in (
            ("format", "JPEG"),
            ("overlay", "false"),
            ("owerwrite", "true"),  # the camera's own spelling
            ("fileNameW", IMAGE_PATH),
        ):
            await self.set(f"{res.STORE}.{name}", value)
        self._stills.storing()  # before the commit: a commit that times out may still write
        await self.set(f"{res.STORE}.commit", "true")
        return await self._download()

    async def _download(self) -> bytes:
        for pause in (0.0, *STORE_WAIT):
            await asyncio.sleep(pause)
            reply = await self._transport.request(
                "GET", "/download.php", params={"file": IMAGE_PATH}, limit=MAX_IMAGE_BYTES
            )
            if reply.status == 404:  # noqa: PLR2004 - not written yet
                continue
            check(reply, "download")
            if not reply.body.startswith(_JPEG):
                raise FlirUnexpectedDeviceError("the stored image is not a JPEG")
            return reply.body
        raise FlirConnectionError("the camera did not store the image in time")

    async def _delete(self) -> None:
        """Delete the still (it needs a login; without credentials it is overwritten next time)."""
        path = f"/storage/delete/image/{res.file_name(IMAGE_PATH)}"
        reply = await self._transport.request("POST", path)
        if reply.status == 200 and b"login" in reply.body.lower():  # noqa: PLR2004
            if not await self._transport.login():
                _LOGGER.debug("No credentials: the stored image stays until it is overwritten")
                return
            reply = await self._transport.request("POST", path)
        check(reply, "delete")

    async def snapshot(self) -> bytes:
        """The live display image (its web session is refreshed so that it stays live)."""
        await self._transport.login(refresh_after=SESSION_REFRESH)
        reply = await self._transport.request("GET", "/snapshot.jpg", limit=MAX_IMAGE_BYTES)
        check(reply, "snapshot")
        if not reply.body.startswith(_JPEG):
            raise FlirUnexpectedDeviceError("the snapshot is not a JPEG")
        return reply.body

    async def visual_image(self, **_size: int | None) -> bytes:
        """The Ax8 serves no separate visual image (its snapshot follows the display mode)."""
        raise FlirUnexpectedDeviceError("the Ax8 serves no visual image")

    async def login(self) -> bool:
        """Log in to the web interface now (False without credentials)."""
        return await self._transport.login()

    @property
    def auth_mode(self) -> AuthMode:
        """``login`` once the camera's web interface took the credentials, else ``none``."""
        return self._transport.auth_mode

    async def subscribe(self, plan: Capabilities) -> None:
        """Ask the camera to push the plan's values over its websocket."""
        await self._post("/home/subscribe")
        for kind, instances in (
            ("spot", plan.spots),
            ("box", plan.boxes),
            ("delta", plan.deltas),
            ("alarm", plan.alarms),
        ):
            for instance in instances:
                await self._post(f"/home/subscribe/{kind}/{instance}")

    async def _post(self, path: str) -> None:
        reply = await self._transport.request("POST", path)
        check(reply, path)

    @property
    def websocket_headers(self) -> dict[str, str]:
        """Headers of the push socket: the web session, when there is one."""
        return self._transport.session_headers

    @functools.cached_property
    def websocket_url(self) -> str:
        """The push socket: the camera's root, over ws (or wss)."""
        return "ws" + self._base_url.removeprefix("http") + "/"


__all__ = [
    "Alarm",
    "Ax8Client",
    "BoxMeasurement",
    "DeltaMeasurement",
    "SpotMeasurement",
]
