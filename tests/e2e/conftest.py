"""Session fixtures: one Home Assistant and one set of fake devices for the whole run.

Run with `scripts/e2e` (which installs what it needs); it passes `-p no:homeassistant`, since the
pytest-homeassistant-custom-component plugin is for in-process tests only.
"""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio

from tests.e2e.stack import (
    FLIR_PASSWORD,
    FLIR_USERNAME,
    FRIGATE_PASSWORD,
    FRIGATE_USERNAME,
    WRONG_PASSWORD,
    Stack,
    add_flir,
    add_frigate,
    running_stack,
)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def stack(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    """The fakes and an onboarded Home Assistant (its folder stays in pytest's tmp for a look)."""
    async with running_stack(tmp_path_factory.mktemp("e2e")) as running:
        yield running


@dataclass(frozen=True)
class Added:
    """The config entries added through the flow API, with every answer of their flows."""

    smart_steps: list[dict[str, Any]]
    streaming_steps: list[dict[str, Any]]
    frigate_steps: list[dict[str, Any]]

    @property
    def smart(self) -> str:
        """Entry id of the smart-sensor camera."""
        return str(self.smart_steps[-1]["result"]["entry_id"])

    @property
    def streaming(self) -> str:
        """Entry id of the image-streaming camera."""
        return str(self.streaming_steps[-1]["result"]["entry_id"])

    @property
    def frigate(self) -> str:
        """Entry id of the Frigate server."""
        return str(self.frigate_steps[-1]["result"]["entry_id"])


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def added(stack: Stack) -> Added:
    """A FLIR camera of each profile and (once it exists) a Frigate server, added as a user does."""
    devices = stack.devices
    smart = await add_flir(
        stack.hass,
        devices.smart_host,
        username=FLIR_USERNAME,
        password=FLIR_PASSWORD,
        wrong_password=WRONG_PASSWORD,
    )
    streaming = await add_flir(stack.hass, devices.streaming_host)
    frigate = await add_frigate(
        stack.hass,
        devices.frigate.url,
        username=FRIGATE_USERNAME,
        password=FRIGATE_PASSWORD,
        wrong_password=WRONG_PASSWORD,
    )
    return Added(smart_steps=smart, streaming_steps=streaming, frigate_steps=frigate)
