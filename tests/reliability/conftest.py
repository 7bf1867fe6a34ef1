"""The rig of the hostile-device matrix: both devices behind hostile proxies, short timeouts."""

import logging
from collections.abc import AsyncGenerator, Generator
from datetime import timedelta
from typing import Any, Final
from unittest.mock import patch

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.models import TOKEN_TYPE_LONG_LIVED_ACCESS_TOKEN
from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

from custom_components.flir_frigate.api.flir.client import FlirClient
from custom_components.flir_frigate.api.frigate.client import FrigateClient
from custom_components.flir_frigate.const import CONF_KIND, DOMAIN, KIND_FLIR
from tests.conftest import SMART_SERIAL, setup_entry
from tests.fakes.flir_camera import FakeFlirCamera
from tests.fakes.frigate_server import FakeFrigateServer
from tests.fakes.hostile import HostileServer
from tests.frigate.common import FRIGATE_ENTRY_ID, FrigateFactory, make_frigate_entry

from .cases import FLIR, FRIGATE
from .rig import Device, Rig

REQUEST_TIMEOUT: Final = 1.0
"""Clock seconds both clients wait for an answer here (10 s in Home Assistant): shorter than
a polling cycle, so a hang times out within the cycle that met it."""
FLIR_RESOLUTION: Final = (80, 60)
"""A small thermal frame: encoding and decoding it costs little, every code path stays."""
FLIR_TOOLS: Final = {"spots": 2, "boxes": 1, "lines": 1, "temp_sensors": 1, "alarms": 2}
"""One of each measurement tool (two spots: one can fail alone), two alarms."""
FLIR_ENTRY_ID: Final = "flir_hostile"


@pytest.fixture(autouse=True)
async def enable_event_loop_debug() -> None:
    """Keep asyncio's debug mode off here, as in a running Home Assistant.

    The harness turns it on for every test; with it each task and callback records its stack,
    which makes the matrix several times slower, and its slow-callback check only reports the
    jumps of the frozen clock. Tasks and timers left behind are still checked (verify_cleanup).
    """


@pytest.fixture(autouse=True)
def short_timeouts() -> Generator[None]:
    """Both clients' default request timeout shortened (the entries do not set one)."""
    flir_defaults = {**(FlirClient.__init__.__kwdefaults__ or {})}
    frigate_defaults = {**(FrigateClient.__init__.__kwdefaults__ or {})}
    flir_defaults["request_timeout"] = REQUEST_TIMEOUT
    frigate_defaults["request_timeout"] = REQUEST_TIMEOUT
    with (
        patch.object(FlirClient.__init__, "__kwdefaults__", flir_defaults),
        patch.object(FrigateClient.__init__, "__kwdefaults__", frigate_defaults),
    ):
        yield


@pytest.fixture
async def hostile_servers(socket_enabled: None) -> AsyncGenerator[list[HostileServer]]:
    """Hostile proxies made by the test; all stop afterwards."""
    servers: list[HostileServer] = []
    yield servers
    for server in servers:
        await server.stop()


@pytest.fixture
async def rig(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    aiohttp_client: Any,
    hass_admin_user: MockUser,
    frigate_factory: FrigateFactory,
    hostile_servers: list[HostileServer],
) -> AsyncGenerator[Rig]:
    """Home Assistant with a FLIR camera and a Frigate server, each behind a hostile proxy."""
    # Home Assistant's access log stamps local time, which frozen time cannot give; its lines
    # are not the integration's anyway. (The last set_level also sets the capture's level.)
    caplog.set_level(logging.WARNING, logger="aiohttp.access")
    caplog.set_level(logging.INFO)
    camera = FakeFlirCamera(
        profile="smart_sensor",
        serial=SMART_SERIAL,
        drift=False,
        resolution=FLIR_RESOLUTION,
        **FLIR_TOOLS,
    )
    await camera.start()
    frigate: FakeFrigateServer = await frigate_factory()
    frigate.create_event("front_door", "person", in_progress=False, start_time=None)
    frigate.create_event("backyard", "car", in_progress=True)

    async def hostile(upstream: str, elsewhere: str | None = None) -> HostileServer:
        server = HostileServer(upstream, elsewhere=elsewhere)
        await server.start()
        hostile_servers.append(server)
        return server

    # Off-origin redirects lead to another port that answers like the device would: any
    # request it gets was a redirect followed off the configured origin.
    elsewhere = await hostile(camera.url)
    flir_proxy = await hostile(camera.url, elsewhere.url)
    frigate_proxy = await hostile(frigate.url, elsewhere.url)

    flir_entry = MockConfigEntry(
        domain=DOMAIN,
        entry_id=FLIR_ENTRY_ID,
        title=f"FLIR A400 {SMART_SERIAL}",
        unique_id=SMART_SERIAL,
        data={CONF_KIND: KIND_FLIR, CONF_HOST: f"127.0.0.1:{flir_proxy.port}"},
    )
    frigate_entry = make_frigate_entry(frigate)
    frigate_entry = MockConfigEntry(
        domain=DOMAIN,
        entry_id=FRIGATE_ENTRY_ID,
        title=frigate_entry.title,
        unique_id=frigate_entry.unique_id,
        minor_version=frigate_entry.minor_version,
        data={**frigate_entry.data, "url": frigate_proxy.url},
    )
    await setup_entry(hass, flir_entry)
    await setup_entry(hass, frigate_entry)
    registry = er.async_get(hass)

    def entity(platform: str, unique_id: str) -> str:
        entity_id = registry.async_get_entity_id(platform, DOMAIN, unique_id)
        assert entity_id is not None, unique_id
        return entity_id

    devices = {
        FLIR: Device(
            kind=FLIR,
            entry=flir_entry,
            hostile=flir_proxy,
            fake=camera,
            camera_entity=entity("camera", f"{SMART_SERIAL}_thermal_camera"),
            image_entity=entity("image", f"{SMART_SERIAL}_visual_image"),
        ),
        FRIGATE: Device(
            kind=FRIGATE,
            entry=frigate_entry,
            hostile=frigate_proxy,
            fake=frigate,
            camera_entity=entity("camera", f"{FRIGATE_ENTRY_ID}:front_door:camera"),
            image_entity=entity("image", f"{FRIGATE_ENTRY_ID}:front_door:snapshot"),
        ),
    }
    # Home Assistant's HTTP server as the frontend reaches it. The token is long-lived: the
    # matrix moves the clock on by hours, past a short-lived token's 30 minutes.
    refresh_token = await hass.auth.async_create_refresh_token(
        hass_admin_user,
        client_name="hostile-device matrix",
        token_type=TOKEN_TYPE_LONG_LIVED_ACCESS_TOKEN,
        access_token_expiration=timedelta(days=3650),
    )
    token = hass.auth.async_create_access_token(refresh_token)
    client = await aiohttp_client(hass.http.app, headers={"Authorization": f"Bearer {token}"})
    rig = Rig(hass, freezer, caplog, client, devices, elsewhere)
    with rig.counting():
        yield rig
    for entry in (flir_entry, frigate_entry):
        await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    await camera.stop()
