"""The fuzz tests are library tests: no Home Assistant instance, no sockets."""

import pytest


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Override the top-level fixture: these tests start no Home Assistant."""
