"""Media source platform: hands the media browser to the Frigate wing (FLIR has no media)."""

from homeassistant.components.media_source import MediaSource
from homeassistant.core import HomeAssistant


async def async_get_media_source(hass: HomeAssistant) -> MediaSource:
    """The Frigate servers' clips, snapshots, review items, recordings and exports."""
    from .frigate.media_source import FrigateMediaSource  # noqa: PLC0415

    return FrigateMediaSource(hass)
