"""The probe command line recognizes an Ax8 and announces the entities the integration makes."""

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr

from custom_components.flir_frigate.probe import Exit
from tests.conftest import setup_entry
from tests.fakes.flir_camera import FakeFlirCamera
from tests.flir.ax8_common import AX8_SERIAL, ax8_entry, fake, flir_ax8  # noqa: F401
from tests.test_probe import planned_entities, registry_entities, run, run_json


async def test_probe_recognizes_an_ax8(
    hass: HomeAssistant,
    flir_ax8: FakeFlirCamera,  # noqa: F811
) -> None:
    """The probe finds the Ax8 through its resource tree, as the integration does."""
    entry = await setup_entry(hass, ax8_entry(flir_ax8))
    status, report = await run_json(
        f"127.0.0.1:{flir_ax8.port}", "--username", "admin", "--password", "admin"
    )
    assert status == Exit.OK
    assert report["facts"]["Model"] == "FLIR AX8"
    assert report["auth"] == "login"  # it logged in to the web interface
    assert report["facts"]["Authentication"] == "login"
    assert report["facts"]["Serial number"] == AX8_SERIAL
    assert planned_entities(report) == registry_entities(hass, entry.entry_id)
    device = dr.async_get(hass).async_get_device_by_identifier(
        ("flir_frigate", AX8_SERIAL), entry.entry_id
    )
    assert device is not None
    assert report["facts"]["Device name"] == device.name
    await hass.config_entries.async_unload(entry.entry_id)
    status, text = await run(f"127.0.0.1:{flir_ax8.port}")
    assert status == Exit.OK
    assert "res.php" in text
    assert "Authentication  none" in text  # no credentials: no login
    assert fake(flir_ax8).state.stores == 3  # setup, and each probe: one still each


async def test_probe_refused_login(flir_ax8: FakeFlirCamera) -> None:  # noqa: F811
    """Credentials the Ax8's web interface refuses end the probe with the login's exit."""
    status, _text = await run(
        f"127.0.0.1:{flir_ax8.port}", "--username", "admin", "--password", "wrong"
    )
    assert status == Exit.AUTH
