"""The Birdseye camera: Frigate's composite of its cameras, while the config restreams it.

Frigate serves Birdseye's still at `/api/birdseye/latest.jpg` and, with `birdseye.restream`,
go2rtc restreams it at `rtsp://<host>:8554/birdseye`. It belongs to the server's device.
"""

from typing import Final, override

from homeassistant.components.camera import Camera, CameraEntityDescription
from homeassistant.components.camera.const import CameraEntityFeature
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..entity import EntityFactories
from ..errors import Stage
from .const import MANUFACTURER_FRIGATE
from .coordinator import FrigateConfigEntry
from .errors import frigate_errors
from .recognition.coordinator import RecognitionHub
from .recognition.entity import (
    RecognitionServerEntity,
    ServerFeature,
    async_add_recognition_entities,
    server_factories,
)
from .recognition.model import RecognitionData

BIRDSEYE: Final = "birdseye"


def _birdseye(data: RecognitionData) -> tuple[str, ...]:
    return (BIRDSEYE,) if data.config.birdseye_restream else ()


BIRDSEYE_CAMERAS: tuple[tuple[CameraEntityDescription, ServerFeature], ...] = (
    (
        CameraEntityDescription(key="birdseye", translation_key="frigate_birdseye"),
        ServerFeature(items_fn=_birdseye, placeholders_fn=lambda _, __: {}),
    ),
)


async def async_setup_birdseye(
    hass: HomeAssistant,
    entry: FrigateConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the Birdseye camera while Frigate restreams it."""

    def factories(hub: RecognitionHub) -> EntityFactories:
        return server_factories(hub, BIRDSEYE_CAMERAS, BirdseyeCamera)

    async_add_recognition_entities(hass, entry, async_add_entities, factories)


class BirdseyeCamera(RecognitionServerEntity, Camera):
    """Frigate's Birdseye view: stills from Frigate, the stream from go2rtc."""

    _attr_brand = MANUFACTURER_FRIGATE
    _attr_supported_features = CameraEntityFeature.STREAM

    def __init__(
        self,
        coordinator: RecognitionHub,
        description: CameraEntityDescription,
        feature: ServerFeature,
        item: str,
    ) -> None:
        """Set up the camera."""
        RecognitionServerEntity.__init__(self, coordinator, description, feature, item)
        Camera.__init__(self)
        self._frigate = coordinator.hub.client

    @override
    async def async_camera_image(
        self, width: int | None = None, height: int | None = None
    ) -> bytes | None:
        """Birdseye's latest frame at the asked height."""
        with frigate_errors(Stage.IMAGE):
            image = await self._frigate.latest_image(BIRDSEYE, height=height)
        return image.content

    @override
    async def stream_source(self) -> str | None:
        """go2rtc's restream of Birdseye."""
        from .camera import rtsp_url  # noqa: PLC0415 - camera.py imports this module

        return rtsp_url(self._frigate.url, BIRDSEYE)
