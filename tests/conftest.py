"""Shared fixtures: Home Assistant with the custom integration, and the fake devices."""

from collections.abc import AsyncGenerator, Generator
from datetime import timedelta
from typing import Any
from unittest.mock import PropertyMock, patch

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_HOST, Platform
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

# Importing the package before Home Assistant starts makes it findable as a custom integration.
from custom_components.flir_frigate.const import CONF_KIND, DOMAIN, KIND_FLIR
from tests.fakes.flir_camera import FakeFlirCamera

LIBRARY_TESTS = ("api", "fakes", "e2e")


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(request: pytest.FixtureRequest) -> None:
    """Enable the custom integration in every Home Assistant test (not in library tests)."""
    parts = request.path.relative_to(request.config.rootpath).parts
    if len(parts) > 1 and parts[1] in LIBRARY_TESTS:
        return
    request.getfixturevalue("enable_custom_integrations")


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots with Home Assistant's serializer (registry entries, states, flows)."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture
def fixed_access_tokens() -> Generator[None]:
    """Deterministic camera and image access tokens, for snapshots."""
    with patch("random.SystemRandom.getrandbits", return_value=123456789):
        yield


@pytest.fixture
def entity_registry_enabled_by_default() -> Generator[None]:
    """Create entities that are disabled by default as enabled."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield


# --- FLIR ---------------------------------------------------------------------------------------

SMART_SERIAL = "55501234"
STREAMING_SERIAL = "55509876"


@pytest.fixture
async def flir_smart(socket_enabled: None) -> AsyncGenerator[FakeFlirCamera]:
    """A fake smart-sensor camera (whole REST API) on loopback, without drift."""
    camera = FakeFlirCamera(profile="smart_sensor", serial=SMART_SERIAL, drift=False)
    await camera.start()
    yield camera
    await camera.stop()


@pytest.fixture
async def flir_streaming(socket_enabled: None) -> AsyncGenerator[FakeFlirCamera]:
    """A fake image-streaming camera (only /api/image/current) on loopback, without drift."""
    camera = FakeFlirCamera(profile="image_streaming", serial=STREAMING_SERIAL, drift=False)
    await camera.start()
    yield camera
    await camera.stop()


@pytest.fixture(params=["smart_sensor", "image_streaming"])
async def flir_camera(
    request: pytest.FixtureRequest, socket_enabled: None
) -> AsyncGenerator[FakeFlirCamera]:
    """Each fake camera profile in turn."""
    serial = SMART_SERIAL if request.param == "smart_sensor" else STREAMING_SERIAL
    camera = FakeFlirCamera(profile=request.param, serial=serial, drift=False)
    await camera.start()
    yield camera
    await camera.stop()


FLIR_USER = "admin"
FLIR_PASSWORD = "s3cret-pw"


@pytest.fixture(params=["basic"])
async def flir_protected(
    request: pytest.FixtureRequest, socket_enabled: None
) -> AsyncGenerator[FakeFlirCamera]:
    """A smart-sensor camera that asks for credentials (Basic by default; parametrize for Digest)."""
    camera = FakeFlirCamera(
        profile="smart_sensor",
        serial=SMART_SERIAL,
        drift=False,
        auth=request.param,
        username=FLIR_USER,
        password=FLIR_PASSWORD,
    )
    await camera.start()
    yield camera
    await camera.stop()


def flir_entry(camera: FakeFlirCamera, serial: str, **data: Any) -> MockConfigEntry:
    """A config entry for a fake camera."""
    return MockConfigEntry(
        domain=DOMAIN,
        entry_id=f"flir_{camera.profile}",
        title=f"{camera.model} {serial}",
        unique_id=serial,
        data={CONF_KIND: KIND_FLIR, CONF_HOST: f"127.0.0.1:{camera.port}", **data},
    )


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> MockConfigEntry:
    """Add and set up an entry."""
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


@pytest.fixture
async def smart_entry(hass: HomeAssistant, flir_smart: FakeFlirCamera) -> MockConfigEntry:
    """The smart-sensor camera, set up."""
    return await setup_entry(hass, flir_entry(flir_smart, SMART_SERIAL))


@pytest.fixture
async def streaming_entry(hass: HomeAssistant, flir_streaming: FakeFlirCamera) -> MockConfigEntry:
    """The image-streaming camera, set up."""
    return await setup_entry(hass, flir_entry(flir_streaming, STREAMING_SERIAL))


async def advance(hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float = 6) -> None:
    """Let the polling run once."""
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def setup_platform(
    hass: HomeAssistant, entry: MockConfigEntry, platform: Platform
) -> MockConfigEntry:
    """Set up an entry with only one platform loaded (for snapshot_platform)."""
    with patch("custom_components.flir_frigate.PLATFORMS", [platform]):
        return await setup_entry(hass, entry)


# --- Frigate: fixtures live in tests/frigate/common.py ---------------------------------------

from tests.frigate.common import *  # noqa: E402, F403
