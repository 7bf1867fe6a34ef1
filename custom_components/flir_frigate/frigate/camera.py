"""Frigate cameras: stills at the asked size, the MJPEG stream proxied, go2rtc's RTSP restream.

An offline camera's still: Frigate 0.18 answers `latest.jpg` with the camera's last preview
frame (180 px high, from before the outage) and `X-Frigate-Offline: true`. The still is still
returned (a notification or a snapshot gets the last picture there is), but the entity says it
is not live: `offline_frame: true` and `offline_since` (when Home Assistant first got such a
frame: the frame is older than that, Frigate does not tell by how much), and the state is
`idle` rather than `recording`. The entity's availability follows the camera's status in the
stats, like every entity of the camera; the flag tells apart a frozen picture in the window
before the stats catch up (Frigate marks the still offline 10 s after the last frame, the
stats refresh every 15 s), and describes the last still any caller got.
"""

from datetime import datetime
from functools import partial
from typing import Any, override

from aiohttp import hdrs, web
from homeassistant.components.camera import Camera, CameraEntityDescription
from homeassistant.components.camera.const import CameraEntityFeature
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.aiohttp_client import async_aiohttp_proxy_stream
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util
from yarl import URL

from ..api.frigate.exceptions import FrigateError
from ..api.frigate.models import CameraConfig
from ..const import LOGGER
from ..entity import EntityFactories
from ..errors import Stage
from .const import MANUFACTURER_FRIGATE, RTSP_PORT
from .coordinator import FrigateCameraCoordinator, FrigateConfigEntry
from .entity import FrigateCameraEntity, async_add_frigate_entities, entity_factories
from .errors import frigate_errors
from .recognition_camera import BIRDSEYE_CAMERAS, async_setup_birdseye

CAMERAS: tuple[CameraEntityDescription, ...] = (
    # The live view is the camera device's main feature: it takes the device's name.
    CameraEntityDescription(key="camera", name=None),
)
RECOGNITION_CAMERAS = BIRDSEYE_CAMERAS  # Birdseye: recognition_camera.py (named for the plan)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: FrigateConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up one camera entity per Frigate camera."""

    def camera(coordinator: FrigateCameraCoordinator) -> EntityFactories:
        return entity_factories(CAMERAS, partial(FrigateCamera, coordinator))

    async_add_frigate_entities(entry, async_add_entities, camera=camera)
    await async_setup_birdseye(hass, entry, async_add_entities)  # while Frigate restreams it


def rtsp_url(frigate_url: str, stream: str | None) -> str | None:
    """Where go2rtc restreams a camera: `rtsp://<Frigate's host>:8554/<stream>`."""
    host = URL(frigate_url).host
    if stream is None or not host:
        return None
    if ":" in host:
        host = f"[{host}]"
    return str(URL(f"rtsp://{host}:{RTSP_PORT}").joinpath(stream))


def still_height(config: CameraConfig, width: int | None, height: int | None) -> int | None:
    """The height to ask Frigate for; from a width alone by the camera's detect aspect."""
    if height is not None or width is None:
        return height
    if not config.detect_width or not config.detect_height:
        return None
    return max(1, round(width * config.detect_height / config.detect_width))


class FrigateCamera(FrigateCameraEntity, Camera):
    """The live view of one Frigate camera (the device's main entity)."""

    _attr_brand = MANUFACTURER_FRIGATE

    def __init__(
        self, coordinator: FrigateCameraCoordinator, description: CameraEntityDescription
    ) -> None:
        """Set up the camera entity."""
        FrigateCameraEntity.__init__(self, coordinator, description)
        Camera.__init__(self)
        self._frigate = coordinator.hub.client
        self._offline_since: datetime | None = None  # set while stills are offline frames
        self._update_attrs()

    @callback
    def _update_attrs(self) -> None:
        config = self.camera_data.config
        self._rtsp = rtsp_url(self._frigate.url, config.restream_name)
        self._attr_supported_features = (
            CameraEntityFeature.STREAM if self._rtsp is not None else CameraEntityFeature(0)
        )
        # A camera Frigate gets no frames from records nothing, whatever its config says.
        self._attr_is_recording = config.record_enabled is True and self._offline_since is None

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any]:
        """Whether the last still was Frigate's offline frame (0.18), and since when."""
        return {
            "offline_frame": self._offline_since is not None,
            "offline_since": None
            if self._offline_since is None
            else self._offline_since.isoformat(),
        }

    @callback
    def _note_still(self, offline: bool) -> None:
        """Remember whether the still was an offline frame; the state changes with it."""
        if offline == (self._offline_since is not None):
            return
        self._offline_since = dt_util.utcnow() if offline else None
        LOGGER.debug(
            "Frigate camera %s: %s",
            self.coordinator.camera,
            "offline frame" if offline else "live stills again",
        )
        self._update_attrs()
        self.async_write_ha_state()

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        self._update_attrs()
        super()._handle_coordinator_update()

    @override
    async def async_camera_image(
        self, width: int | None = None, height: int | None = None
    ) -> bytes | None:
        """The latest frame, scaled by Frigate to the size the frontend asks for."""
        with frigate_errors(Stage.IMAGE):
            image = await self._frigate.latest_image(
                self.coordinator.camera,
                height=still_height(self.camera_data.config, width, height),
            )
        self._note_still(image.offline)
        return image.content

    @override
    async def handle_async_mjpeg_stream(self, request: web.Request) -> web.StreamResponse | None:
        """Proxy Frigate's MJPEG stream of the camera (None: Home Assistant answers 502)."""
        try:
            async with self._frigate.mjpeg_stream(self.coordinator.camera) as upstream:
                return await async_aiohttp_proxy_stream(
                    self.hass, request, upstream.content, upstream.headers.get(hdrs.CONTENT_TYPE)
                )
        except FrigateError as err:
            LOGGER.debug("No MJPEG stream from Frigate camera %s: %s", self.coordinator.camera, err)
            return None

    @override
    async def stream_source(self) -> str | None:
        """go2rtc's RTSP restream of the camera, when Frigate has one."""
        return self._rtsp
