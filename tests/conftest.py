"""Shared fixtures: Home Assistant with the custom integration, and the fake devices."""

from collections.abc import Generator
from unittest.mock import PropertyMock, patch

import pytest

from custom_components.flir_frigate.const import DOMAIN  # noqa: F401  (imports the package before hass starts)


LIBRARY_TESTS = ("api", "fakes", "e2e")


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(request: pytest.FixtureRequest) -> None:
    """Enable the custom integration in every Home Assistant test (not in library tests)."""
    parts = request.path.relative_to(request.config.rootpath).parts
    if len(parts) > 1 and parts[1] in LIBRARY_TESTS:
        return
    request.getfixturevalue("enable_custom_integrations")


@pytest.fixture
def entity_registry_enabled_by_default() -> Generator[None]:
    """Create entities that are disabled by default as enabled."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield
