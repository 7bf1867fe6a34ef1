"""Diagnostics of FLIR entries."""

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from tests.conftest import FLIR_PASSWORD, FLIR_USER, SMART_SERIAL, flir_entry, setup_entry
from tests.fakes.flir_camera import FakeFlirCamera


async def test_diagnostics_redacted(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    snapshot: SnapshotAssertion,
    flir_protected: FakeFlirCamera,
) -> None:
    """Credentials, host and serial never appear in diagnostics."""
    camera = flir_protected
    entry = await setup_entry(
        hass, flir_entry(camera, SMART_SERIAL, username=FLIR_USER, password=FLIR_PASSWORD)
    )
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    text = str(diagnostics)
    for secret in ("s3cret-pw", "admin", SMART_SERIAL, f"127.0.0.1:{camera.port}"):
        assert secret not in text
    # How long the first cycle took (and so whether it overran) depends on the machine.
    assert isinstance(diagnostics["polling"].pop("last_cycle"), float)
    assert diagnostics["polling"].pop("overruns") in {0, 1}
    assert diagnostics == snapshot(exclude=props("entry_id", "created_at", "modified_at", "port"))
