"""The probe of an Ax8: what :func:`probe_flir` finds on the REST cameras, through res.php.

A host that does not serve the REST image endpoint is asked for the Ax8's resource tree; if
that answers, the same report is filled from it: the radiometric still (one store, download
and delete: one write to the camera's flash), the discovered tools and alarms and one cycle.
"""

import asyncio
from dataclasses import replace

from .ax8 import Ax8Client
from .client import FlirClient
from .exceptions import FlirDecodeError, FlirUnexpectedDeviceError
from .probe import DecodedFrame, Endpoint, FlirProbe, _thermal_frame, probe_flir


def _listed(instances: tuple[int, ...] | tuple[str, ...]) -> str:
    return ", ".join(map(str, instances)) if instances else "none active"


async def probe_ax8(client: Ax8Client) -> FlirProbe:
    """Identify an Ax8, discover its tools and run one cycle (as the integration does)."""
    name = await client.check()
    logged_in = await client.login()  # refused credentials: FlirAuthenticationError
    caps = await client.discover()
    image = await client.image()
    thermal: DecodedFrame | None = None
    decode_error: str | None = None
    try:
        thermal = await asyncio.to_thread(_thermal_frame, image)
    except FlirDecodeError as err:
        decode_error = str(err)
    measurements = await client.measurements()
    endpoints = (
        Endpoint(request="GET /prod/res/version/product/name", ok=True, detail=name),
        Endpoint(
            request="POST /login/dologin",
            ok=logged_in,
            detail="web login accepted" if logged_in else "no credentials given",
        ),
        Endpoint(
            request="POST /res.php (store, download.php, delete)",
            ok=thermal is not None,
            detail=f"radiometric still, {len(image) / 1000:.0f} kB",
        ),
        *(
            Endpoint(
                request=f"POST /res.php measurement {kind}", ok=bool(found), detail=_listed(found)
            )
            for kind, found in (
                ("spot", caps.spots),
                ("mbox", caps.boxes),
                ("diff", caps.deltas),
                ("reftemp", caps.references),
            )
        ),
        Endpoint(request="POST /res.php alarm", ok=bool(caps.alarms), detail=_listed(caps.alarms)),
        Endpoint(
            request="POST /res.php get .resmon.items",
            ok=bool(caps.monitors),
            detail=_listed(caps.monitors),
        ),
    )
    return FlirProbe(
        base_url=client.base_url,
        image_bytes=len(image),
        looks_radiometric=True,
        thermal=thermal,
        decode_error=decode_error,
        capabilities=replace(caps, auth=client.auth_mode),
        measurements=measurements,
        visual=None,
        endpoints=endpoints,
    )


async def probe_flir_or_ax8(client: FlirClient, ax8: Ax8Client) -> FlirProbe:
    """Probe the REST interface, else the Ax8's (the REST error when neither answers)."""
    try:
        return await probe_flir(client)
    except FlirUnexpectedDeviceError as rest_error:
        try:
            await ax8.check()
        except FlirUnexpectedDeviceError:
            raise rest_error from None
        return await probe_ax8(ax8)
