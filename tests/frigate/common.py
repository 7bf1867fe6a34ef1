"""Fixtures of the Frigate integration tests: the fake server over loopback, entries, helpers.

Imported by tests/conftest.py, so every test module sees these fixtures.
"""

from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from typing import Any
from unittest.mock import patch

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.flir_frigate.const import CONF_KIND, DOMAIN, KIND_FRIGATE
from custom_components.flir_frigate.frigate.const import CONF_URL, CONF_VERIFY_SSL
from tests.fakes.frigate_server import FakeFrigateServer
from tests.fakes.tls import self_signed_context

__all__ = [
    "FRIGATE_ENTRY_ID",
    "FRIGATE_PASSWORD",
    "FRIGATE_UNIQUE_ID",
    "FRIGATE_USER",
    "frigate",
    "frigate_entry",
    "frigate_factory",
    "frigate_login",
    "frigate_tokens",
    "loaded_frigate",
    "make_frigate_entry",
    "self_signed_context",
    "setup_frigate",
]

FRIGATE_ENTRY_ID = "frigate_entry"
FRIGATE_UNIQUE_ID = "01FRIGATETESTUNIQUEID00000"
FRIGATE_USER = "admin"
FRIGATE_PASSWORD = "frigate-test-password"

type FrigateFactory = Callable[..., Awaitable[FakeFrigateServer]]


@pytest.fixture
async def frigate_factory(
    socket_enabled: None, freezer: FrozenDateTimeFactory
) -> AsyncGenerator[FrigateFactory]:
    """Start fake Frigate servers on loopback (time frozen first); all stop after the test."""
    servers: list[FakeFrigateServer] = []

    async def make(version: str = "0.17", **kwargs: Any) -> FakeFrigateServer:
        kwargs.setdefault("seed", 1)
        kwargs.setdefault("username", FRIGATE_USER)
        kwargs.setdefault("password", FRIGATE_PASSWORD)
        server = FakeFrigateServer(version=version, **kwargs)
        await server.start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        await server.stop()


@pytest.fixture
async def frigate(frigate_factory: FrigateFactory) -> FakeFrigateServer:
    """A fake Frigate 0.17 on its internal port (no login), cameras front_door and backyard."""
    return await frigate_factory()


@pytest.fixture
async def frigate_login(frigate_factory: FrigateFactory) -> FakeFrigateServer:
    """A fake Frigate 0.17 on its authenticated port (login needed)."""
    return await frigate_factory(auth="login")


@pytest.fixture
def frigate_tokens() -> Generator[None]:
    """Deterministic camera and image access tokens, for snapshots."""
    with patch("random.SystemRandom.getrandbits", return_value=987654321):
        yield


def make_frigate_entry(
    server: FakeFrigateServer,
    *,
    credentials: bool = False,
    options: dict[str, Any] | None = None,
    **data: Any,
) -> MockConfigEntry:
    """A config entry for a fake server (with its login credentials when asked).

    As the config flow makes them now (version 1.2): the unique id is no address. Entries of
    version 1.1 had their URL as unique id (see tests/frigate/test_init.py, migration).
    """
    entry_data: dict[str, Any] = {
        CONF_KIND: KIND_FRIGATE,
        CONF_URL: server.url,
        CONF_VERIFY_SSL: True,
    }
    if credentials:
        entry_data |= {CONF_USERNAME: server.username, CONF_PASSWORD: server.password}
    entry_data |= data
    return MockConfigEntry(
        domain=DOMAIN,
        entry_id=FRIGATE_ENTRY_ID,
        title="Frigate 127.0.0.1",
        unique_id=FRIGATE_UNIQUE_ID,
        minor_version=2,
        data=entry_data,
        options=options or {},
    )


async def setup_frigate(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    platforms: list[Platform] | None = None,
) -> MockConfigEntry:
    """Add and set up an entry (only the given platforms when asked)."""
    entry.add_to_hass(hass)
    if platforms is None:
        await hass.config_entries.async_setup(entry.entry_id)
    else:
        with patch("custom_components.flir_frigate.PLATFORMS", platforms):
            await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


@pytest.fixture
async def frigate_entry(hass: HomeAssistant, frigate: FakeFrigateServer) -> MockConfigEntry:
    """The internal-port fake, set up with every platform."""
    return await setup_frigate(hass, make_frigate_entry(frigate))


def loaded_frigate(hass: HomeAssistant, platform: str, unique_id: str) -> str:
    """The entity id of a Frigate entity of the test entry, by platform and unique id suffix."""
    entity_id = er.async_get(hass).async_get_entity_id(
        platform, DOMAIN, f"{FRIGATE_ENTRY_ID}:{unique_id}"
    )
    assert entity_id is not None, f"no {platform} entity {unique_id}"
    return entity_id
