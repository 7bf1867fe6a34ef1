"""The thermal camera of a FLIR camera: stills, an MJPEG stream made from stills, optional RTSP."""

from typing import override
from urllib.parse import quote, urlsplit

from aiohttp import web
from homeassistant.components.camera import Camera, CameraEntityDescription
from homeassistant.components.camera.const import CameraEntityFeature
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..api.flir.ax8 import Ax8Client
from ..errors import Stage
from .const import (
    CONF_RTSP_ENABLED,
    CONF_RTSP_OVERLAY,
    CONF_RTSP_PASSWORD,
    CONF_RTSP_PATH,
    CONF_RTSP_USERNAME,
    DEFAULT_RTSP_PATH,
    FLIR_STREAM_INTERVAL,
    RTSP_PATHS,
)
from .coordinator import FlirConfigEntry, FlirCoordinator
from .entity import FlirEntity
from .errors import flir_errors

CAMERAS: tuple[CameraEntityDescription, ...] = (
    CameraEntityDescription(key="thermal_camera", translation_key="thermal"),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: FlirConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the thermal camera."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(FlirThermalCamera(coordinator, description) for description in CAMERAS)


def rtsp_url(base_url: str, options: dict[str, object]) -> str | None:
    """The RTSP URL of the camera's display stream, or None when RTSP is off."""
    if not options.get(CONF_RTSP_ENABLED):
        return None
    host = urlsplit(base_url).hostname or ""
    if ":" in host:
        host = f"[{host}]"
    choice = str(options.get(CONF_RTSP_PATH) or DEFAULT_RTSP_PATH)
    path = RTSP_PATHS.get(choice, RTSP_PATHS[DEFAULT_RTSP_PATH])
    username = options.get(CONF_RTSP_USERNAME)
    password = options.get(CONF_RTSP_PASSWORD)
    credentials = ""
    if username:
        credentials = quote(str(username), safe="")
        if password:
            credentials += ":" + quote(str(password), safe="")
        credentials += "@"
    # The Ax8 draws its measurement tools on the stream unless asked not to.
    overlay = "?overlay=off" if options.get(CONF_RTSP_OVERLAY) is False else ""
    return f"rtsp://{credentials}{host}:554/{path}{overlay}"


class FlirThermalCamera(FlirEntity, Camera):
    """The camera's own thermal picture."""

    _attr_frame_interval = FLIR_STREAM_INTERVAL

    def __init__(self, coordinator: FlirCoordinator, description: CameraEntityDescription) -> None:
        """Set up the camera entity."""
        FlirEntity.__init__(self, coordinator, description)
        Camera.__init__(self)
        self._rtsp = rtsp_url(coordinator.client.base_url, dict(coordinator.config_entry.options))
        if self._rtsp is not None:
            self._attr_supported_features = CameraEntityFeature.STREAM

    @override
    async def async_camera_image(
        self, width: int | None = None, height: int | None = None
    ) -> bytes | None:
        """Fetch a still at the size the frontend asks for (an Ax8's live snapshot)."""
        client = self.coordinator.client
        with flir_errors(Stage.IMAGE):
            if isinstance(client, Ax8Client):
                return await client.snapshot()
            return await client.image(width=width, height=height)

    @override
    async def handle_async_mjpeg_stream(self, request: web.Request) -> web.StreamResponse:
        """An MJPEG stream made from stills, at a rate the camera sustains."""
        return await self.handle_async_still_stream(request, FLIR_STREAM_INTERVAL)

    @override
    async def stream_source(self) -> str | None:
        """The RTSP display stream, when the user configured it in the options."""
        return self._rtsp
