"""Image entities of FLIR cameras: the visual image and the rendered thermal picture."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import override

from homeassistant.components.image import ImageEntity, ImageEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from ..api.flir.models import Capabilities
from .coordinator import FlirConfigEntry, FlirCoordinator, FlirData, FlirDevice
from .entity import FlirEntity


@dataclass(frozen=True, kw_only=True)
class FlirImageDescription(ImageEntityDescription):
    """A JPEG image of each polling cycle; unavailable while the cycle has none.

    `exists_fn` tells from the device and its discovered capabilities whether it has one.
    """

    exists_fn: Callable[[FlirDevice, Capabilities | None], bool]
    value_fn: Callable[[FlirData], bytes | None]


IMAGES: tuple[FlirImageDescription, ...] = (
    FlirImageDescription(
        key="visual_image",
        translation_key="visual",
        # Refreshed on a slower cadence than the measurements, by the coordinator
        exists_fn=lambda _device, caps: caps is not None and caps.visual_format is not None,
        value_fn=lambda data: data.visual,
    ),
    FlirImageDescription(
        key="thermal_picture",
        translation_key="thermal_picture",
        # Rendered from the temperatures, with the areas and the hottest point
        exists_fn=lambda device, _caps: device.radiometric,
        value_fn=lambda data: None if data.frame is None else data.frame.picture,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: FlirConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the image entities the camera can feed."""
    runtime = entry.runtime_data
    async_add_entities(
        FlirImage(hass, runtime.coordinator, description)
        for description in IMAGES
        if description.exists_fn(runtime.device, runtime.client.capabilities)
    )


class FlirImage(FlirEntity, ImageEntity):
    """An image whose timestamp moves only when its bytes change."""

    entity_description: FlirImageDescription
    _attr_content_type = "image/jpeg"
    _digest: str | None = None
    _bytes: bytes | None = None

    def __init__(
        self, hass: HomeAssistant, coordinator: FlirCoordinator, description: FlirImageDescription
    ) -> None:
        """Set up the image entity."""
        FlirEntity.__init__(self, coordinator, description)
        ImageEntity.__init__(self, hass)
        self._set_image()

    def _set_image(self) -> None:
        image = self.entity_description.value_fn(self.coordinator.data)
        if image is None:
            return
        digest = hashlib.sha256(image).hexdigest()
        if digest != self._digest:
            self._digest = digest
            self._bytes = image
            self._attr_image_last_updated = dt_util.utcnow()

    @property
    @override
    def available(self) -> bool:
        """Unavailable while the last cycle brought no image."""
        return (
            super().available
            and self.entity_description.value_fn(self.coordinator.data) is not None
        )

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        self._set_image()
        super()._handle_coordinator_update()

    @override
    async def async_image(self) -> bytes | None:
        """The latest image."""
        return self._bytes
