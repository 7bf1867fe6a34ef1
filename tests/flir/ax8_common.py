"""Fixtures of the Ax8 tests in Home Assistant: the fake Ax8 and its config entry."""

import asyncio
from collections.abc import AsyncGenerator, Callable
from typing import Any

import pytest
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.flir_frigate.const import CONF_KIND, DOMAIN, KIND_FLIR
from custom_components.flir_frigate.flir.const import CONF_INTERFACE, INTERFACE_AX8
from tests.conftest import setup_entry
from tests.fakes.flir_ax8 import FakeAx8
from tests.fakes.flir_camera import FakeFlirCamera

AX8_SERIAL = "71201234"
AX8_TITLE = f"FLIR AX8 {AX8_SERIAL}"


@pytest.fixture
async def flir_ax8(socket_enabled: None) -> AsyncGenerator[FakeFlirCamera]:
    """A fake Ax8 on loopback, without drift; stills ready at once, pushes every 50 ms."""
    camera = FakeFlirCamera(profile="ax8", serial=AX8_SERIAL, drift=False)
    fake(camera).state.store_delay = 0.0
    fake(camera).state.push_interval = 0.05
    await camera.start()
    yield camera
    await camera.stop()


def fake(camera: FakeFlirCamera) -> FakeAx8:
    """The Ax8 part of a fake camera."""
    assert camera.ax8 is not None
    return camera.ax8


def ax8_entry(camera: FakeFlirCamera, *, options: dict[str, Any] | None = None) -> MockConfigEntry:
    """A config entry for the fake Ax8, with the web login."""
    return MockConfigEntry(
        domain=DOMAIN,
        entry_id="flir_ax8",
        title=AX8_TITLE,
        unique_id=AX8_SERIAL,
        data={
            CONF_KIND: KIND_FLIR,
            CONF_HOST: f"127.0.0.1:{camera.port}",
            CONF_USERNAME: "admin",
            CONF_PASSWORD: "admin",
            CONF_INTERFACE: INTERFACE_AX8,
        },
        options=options or {},
    )


@pytest.fixture
async def ax8_loaded(hass: HomeAssistant, flir_ax8: FakeFlirCamera) -> MockConfigEntry:
    """The fake Ax8, set up."""
    return await setup_entry(hass, ax8_entry(flir_ax8))


async def until(hass: HomeAssistant, condition: Callable[[], Any], tries: int = 100) -> None:
    """Let Home Assistant run until `condition` holds (pushes arrive between polls)."""
    for _ in range(tries):
        await hass.async_block_till_done()
        if condition():
            return
        await asyncio.sleep(0.02)


def state_of(hass: HomeAssistant, platform: str, suffix: str) -> Any:
    """The state of an Ax8 entity by its unique id's suffix (None when it has no entity)."""
    registry = er.async_get(hass)
    found = registry.async_get_entity_id(platform, DOMAIN, f"{AX8_SERIAL}_{suffix}")
    return None if found is None else hass.states.get(found)
