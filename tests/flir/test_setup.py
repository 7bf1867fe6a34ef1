"""Setting up a FLIR entry: each failure is reported with its translation key and the cause."""

import pytest
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from custom_components.flir_frigate.api.flir.client import FlirClient
from custom_components.flir_frigate.const import DOMAIN
from tests.conftest import FLIR_USER, SMART_SERIAL, STREAMING_SERIAL, flir_entry, setup_entry
from tests.fakes.flir_camera import FakeFlirCamera


@pytest.mark.parametrize(
    "data",
    [
        {CONF_HOST: "http://bad host/??"},
        {CONF_HOST: "ftp://192.0.2.1"},
        {CONF_USERNAME: "ad:min"},
    ],
)
async def test_invalid_stored_settings(
    hass: HomeAssistant, flir_smart: FakeFlirCamera, data: dict[str, str]
) -> None:
    """Settings the client refuses fail setup for good (no retry, no reauth) and say why."""
    entry = flir_entry(flir_smart, SMART_SERIAL, **data)
    with pytest.raises(ValueError) as refused:
        FlirClient(
            entry.data[CONF_HOST],
            session=async_get_clientsession(hass),
            username=entry.data.get(CONF_USERNAME),
        )
    message = str(refused.value)
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert entry.error_reason_translation_domain == DOMAIN
    assert entry.error_reason_translation_key == "flir_invalid_config"
    assert entry.error_reason_translation_placeholders == {"error": message}
    assert entry.reason.startswith(f"The stored camera settings are not valid ({message})")
    assert not hass.config_entries.flow.async_progress()
    assert not flir_smart.requests


async def test_unreachable_says_why(hass: HomeAssistant, flir_smart: FakeFlirCamera) -> None:
    """An unreachable camera retries later with the connection error's message, not its class."""
    await flir_smart.stop()
    entry = await setup_entry(hass, flir_entry(flir_smart, SMART_SERIAL))
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert entry.error_reason_translation_key == "communication_error"
    error = entry.error_reason_translation_placeholders["error"]
    assert error.strip()
    assert error != "FlirConnectionError"
    assert entry.reason == f"Error communicating with the device: {error}"


async def test_not_flir_retries(hass: HomeAssistant, flir_smart: FakeFlirCamera) -> None:
    """A host that stopped answering like a FLIR camera retries later, saying so."""
    flir_smart.faults.not_flir = True
    entry = await setup_entry(hass, flir_entry(flir_smart, SMART_SERIAL))
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert entry.error_reason_translation_key == "flir_unexpected_device"
    assert entry.error_reason_translation_placeholders["error"].strip()


async def test_undecodable_first_image_retries(
    hass: HomeAssistant, flir_streaming: FakeFlirCamera
) -> None:
    """A first radiometric image that cannot be decoded retries later, saying so."""
    flir_streaming.faults.truncated_image = True
    entry = await setup_entry(hass, flir_entry(flir_streaming, STREAMING_SERIAL))
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert entry.error_reason_translation_key == "flir_decode_error"
    assert entry.error_reason_translation_placeholders["error"].strip()


async def test_refused_credentials_start_reauth(
    hass: HomeAssistant, flir_protected: FakeFlirCamera
) -> None:
    """Refused credentials at setup start reauthentication, with the camera's reason."""
    entry = await setup_entry(
        hass, flir_entry(flir_protected, SMART_SERIAL, username=FLIR_USER, password="old")
    )
    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert entry.error_reason_translation_key == "invalid_auth"
    assert entry.error_reason_translation_placeholders["error"].strip()
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
