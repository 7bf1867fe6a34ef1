"""What the FLIR wing does differently for an Ax8: its client, identity, push and options.

The coordinator and the entities talk to an :class:`Ax8Client` through the same calls and
models as to the REST client; this module holds what cannot be the same: telling the two
apart (the REST image endpoint first, then the Ax8's resource tree), identifying an Ax8 from
its first radiometric still (its serial number, the same identity as the image's), keeping the
push socket open while the entry is loaded, and the options that write the camera's own
object parameters.
"""

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_USERNAME,
    EVENT_HOMEASSISTANT_STOP,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util.hass_dict import HassKey

from ..api.flir.ax8 import Ax8Client
from ..api.flir.ax8_push import Ax8Push, apply_push
from ..api.flir.ax8_still import StillRecord
from ..api.flir.client import FlirClient
from ..api.flir.exceptions import FlirUnexpectedDeviceError
from ..api.flir.host import normalize_host
from ..api.flir.rjpeg import decode_rjpeg
from ..const import DOMAIN, LOGGER
from .const import (
    CONF_IMAGE_INTERVAL,
    CONF_INTERFACE,
    DEFAULT_IMAGE_INTERVAL,
    INTERFACE_AX8,
    INTERFACE_REST,
)
from .coordinator import FlirConfigEntry, FlirDevice, async_identify

type AnyFlirClient = FlirClient | Ax8Client

STILLS: HassKey[dict[str, StillRecord]] = HassKey(f"{DOMAIN}_ax8_stills")
"""The stills of each Ax8 by its address, kept while Home Assistant runs: the config flow's
client, the entry's and the entry's after every reload share one record, so together they
write to the camera's flash at most once per interval (see `api.flir.ax8_still`)."""


def is_ax8(data: Mapping[str, Any]) -> bool:
    """Whether an entry's data stands for an Ax8."""
    return data.get(CONF_INTERFACE) == INTERFACE_AX8


def make_client(
    hass: HomeAssistant,
    data: Mapping[str, Any],
    options: Mapping[str, Any] | None = None,
    *,
    interface: str | None = None,
) -> AnyFlirClient:
    """The client an entry's data asks for (ValueError for a malformed host)."""
    session = async_get_clientsession(hass)
    username = data.get(CONF_USERNAME) or None
    password = data.get(CONF_PASSWORD) or None
    if (interface or data.get(CONF_INTERFACE)) == INTERFACE_AX8:
        interval = (options or {}).get(CONF_IMAGE_INTERVAL, DEFAULT_IMAGE_INTERVAL)
        stills = hass.data.setdefault(STILLS, {})
        return Ax8Client(
            data[CONF_HOST],
            session=session,
            username=username,
            password=password,
            image_interval=float(interval),
            still_record=stills.setdefault(normalize_host(data[CONF_HOST]), StillRecord()),
        )
    return FlirClient(data[CONF_HOST], session=session, username=username, password=password)


async def async_identify_ax8(hass: HomeAssistant, client: Ax8Client) -> FlirDevice:
    """An Ax8 and its identity, from its product name and its first radiometric still."""
    model = await client.check()
    await client.discover(keep_readings=True)
    image = await client.image()
    return FlirDevice.of_image(await hass.async_add_executor_job(decode_rjpeg, image), model)


async def async_identify_any(hass: HomeAssistant, client: AnyFlirClient) -> FlirDevice:
    """Identify a camera through whichever client it has."""
    if isinstance(client, Ax8Client):
        return await async_identify_ax8(hass, client)
    return await async_identify(hass, client)


async def async_detect(
    hass: HomeAssistant, data: Mapping[str, Any]
) -> tuple[AnyFlirClient, FlirDevice, str]:
    """Probe a new camera: the REST image endpoint, else the Ax8's resource tree.

    Returns the client, the device and the interface; the REST client's error when neither
    answers like a FLIR camera. ValueError for a malformed host.
    """
    rest = make_client(hass, data, interface=INTERFACE_REST)
    try:
        return rest, await async_identify_any(hass, rest), INTERFACE_REST
    except FlirUnexpectedDeviceError as rest_error:
        ax8 = make_client(hass, data, interface=INTERFACE_AX8)
        assert isinstance(ax8, Ax8Client)
        try:
            await ax8.check()
        except FlirUnexpectedDeviceError:
            raise rest_error from None
        LOGGER.debug("%s answers like an Ax8", ax8.base_url)
        return ax8, await async_identify_any(hass, ax8), INTERFACE_AX8


# --------------------------------------------------------------------------- push


def async_start_push(hass: HomeAssistant, entry: FlirConfigEntry) -> Ax8Push | None:
    """Listen to an Ax8's pushes while the entry is loaded (None for other cameras)."""
    runtime = entry.runtime_data
    client = runtime.client
    if not isinstance(client, Ax8Client):
        return None
    coordinator = runtime.coordinator

    @callback
    def _pushed(values: dict[str, Any]) -> None:
        data = coordinator.data
        measurements, plan_changed = apply_push(data.measurements, values)
        if plan_changed:
            client.request_rediscovery()
        if measurements != data.measurements:
            coordinator.async_set_updated_data(replace(data, measurements=measurements))

    push = Ax8Push(client, async_get_clientsession(hass), _pushed)
    # A task of the loop, ended with the entry or Home Assistant: a background task would be
    # awaited by `async_block_till_done(wait_background_tasks=True)`, and a socket never ends.
    task = hass.loop.create_task(push.run(), name=f"{DOMAIN} Ax8 push")

    @callback
    def _stop(*_args: Any) -> None:
        task.cancel()

    entry.async_on_unload(_stop)
    entry.async_on_unload(hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STOP, _stop))
    return push
