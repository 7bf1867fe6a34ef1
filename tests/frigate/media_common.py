"""Setup shared by the media browser, media view and action tests: a fake Frigate as an entry."""

from typing import Any

from homeassistant.core import HomeAssistant

from tests.fakes.frigate_server import FakeFrigateServer
from tests.frigate.common import FrigateFactory, make_frigate_entry, setup_frigate


async def loaded_media_server(
    hass: HomeAssistant,
    frigate_factory: FrigateFactory,
    version: str = "0.17",
    *,
    time_zone: str | None = None,
    ui_timezone: str | None = None,
    options: dict[str, Any] | None = None,
    **server: Any,
) -> FakeFrigateServer:
    """A fake Frigate set up as an entry (with its login when it has one).

    `time_zone` is Home Assistant's, `ui_timezone` the fake's `ui.timezone` (None: unset).
    """
    if time_zone is not None:
        await hass.config.async_set_time_zone(time_zone)
    frigate = await frigate_factory(version, **server)
    frigate.media.ui_timezone = ui_timezone
    credentials = server.get("auth") == "login"
    await setup_frigate(hass, make_frigate_entry(frigate, credentials=credentials, options=options))
    return frigate
