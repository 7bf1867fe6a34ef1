"""Image entities of FLIR cameras: the visual image and the rendered thermal picture."""

import hashlib
from typing import override

from homeassistant.components.image import ImageEntity
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity
from homeassistant.util import dt as dt_util

from .coordinator import FlirConfigEntry, FlirCoordinator
from .entity import flir_device_id, flir_device_info


async def async_setup_entry(
    hass: HomeAssistant,
    entry: FlirConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the image entities."""
    runtime = entry.runtime_data
    caps = runtime.client.capabilities
    if caps is not None and caps.visual_format is not None:
        async_add_entities([FlirVisualImage(hass, runtime.coordinator)])
    if runtime.device.radiometric:
        async_add_entities([FlirThermalPicture(hass, runtime.coordinator)])


class _BytesImage(ImageEntity):
    """An image whose timestamp moves only when its bytes change."""

    _attr_has_entity_name = True
    _attr_content_type = "image/jpeg"
    _digest: str | None = None
    _bytes: bytes | None = None

    def _set_image(self, image: bytes | None) -> None:
        if image is None:
            return
        digest = hashlib.sha256(image).hexdigest()
        if digest != self._digest:
            self._digest = digest
            self._bytes = image
            self._attr_image_last_updated = dt_util.utcnow()

    @override
    async def async_image(self) -> bytes | None:
        """The latest image."""
        return self._bytes


class FlirVisualImage(CoordinatorEntity[FlirCoordinator], _BytesImage):
    """The visual (daylight) image of the camera, refreshed on a slow cadence."""

    _attr_translation_key = "visual"

    def __init__(self, hass: HomeAssistant, coordinator: FlirCoordinator) -> None:
        """Set up the visual image."""
        super().__init__(coordinator)
        ImageEntity.__init__(self, hass)
        entry = coordinator.config_entry
        self._attr_unique_id = f"{flir_device_id(entry)}_visual_image"
        self._attr_device_info = flir_device_info(entry)
        self._set_image(coordinator.data.visual)

    @property
    @override
    def available(self) -> bool:
        """Unavailable until a visual image has been fetched."""
        return super().available and self.coordinator.data.visual is not None

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        self._set_image(self.coordinator.data.visual)
        super()._handle_coordinator_update()


class FlirThermalPicture(CoordinatorEntity[FlirCoordinator], _BytesImage):
    """The thermal picture rendered from the temperatures, with areas and the hottest point."""

    _attr_translation_key = "thermal_picture"

    def __init__(self, hass: HomeAssistant, coordinator: FlirCoordinator) -> None:
        """Set up the rendered picture."""
        super().__init__(coordinator)
        ImageEntity.__init__(self, hass)
        entry = coordinator.config_entry
        self._attr_unique_id = f"{flir_device_id(entry)}_thermal_picture"
        self._attr_device_info = flir_device_info(entry)
        self._update_from_frame()

    def _update_from_frame(self) -> None:
        frame = self.coordinator.data.frame
        self._set_image(None if frame is None else frame.picture)

    @property
    @override
    def available(self) -> bool:
        """Unavailable while the frame cannot be decoded."""
        return super().available and self.coordinator.data.frame is not None

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        self._update_from_frame()
        super()._handle_coordinator_update()
