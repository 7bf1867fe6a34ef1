"""One mapping of FLIR library errors to Home Assistant errors, and its translations."""

import json
from pathlib import Path

import pytest
from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    ConfigEntryError,
    ConfigEntryNotReady,
    HomeAssistantError,
)
from homeassistant.helpers.update_coordinator import UpdateFailed

from custom_components.flir_frigate.api.flir.exceptions import (
    FlirAuthenticationError,
    FlirConnectionError,
    FlirDecodeError,
    FlirError,
    FlirUnexpectedDeviceError,
)
from custom_components.flir_frigate.const import DOMAIN
from custom_components.flir_frigate.errors import Stage
from custom_components.flir_frigate.flir.errors import (
    TRANSLATION_KEYS,
    flir_errors,
    flir_settings_errors,
)

STRINGS = json.loads(
    (Path(__file__).parents[2] / "custom_components/flir_frigate/strings.json").read_text()
)

# (error, key at setup and in polls, key while getting an image)
SITUATIONS = [
    (FlirAuthenticationError("refused"), "invalid_auth", "invalid_auth"),
    (FlirUnexpectedDeviceError("not JSON"), "flir_unexpected_device", "flir_unexpected_device"),
    (FlirDecodeError("truncated"), "flir_decode_error", "flir_decode_error"),
    (FlirConnectionError("timed out"), "communication_error", "image_failed"),
    (FlirError("something else"), "communication_error", "image_failed"),
]
# (stage, class for refused credentials, class for anything else)
STAGES = [
    (Stage.SETUP, ConfigEntryAuthFailed, ConfigEntryNotReady),
    (Stage.POLL, ConfigEntryAuthFailed, UpdateFailed),
    (Stage.IMAGE, HomeAssistantError, HomeAssistantError),
]


@pytest.mark.parametrize(("err", "key", "image_key"), SITUATIONS)
@pytest.mark.parametrize(("stage", "auth_class", "other_class"), STAGES)
def test_one_key_per_situation(
    err: FlirError,
    key: str,
    image_key: str,
    stage: Stage,
    auth_class: type[HomeAssistantError],
    other_class: type[HomeAssistantError],
) -> None:
    """A situation has one key wherever it happens; the stage picks the class; `error` says why."""
    with pytest.raises(HomeAssistantError) as raised, flir_errors(stage):
        raise err
    expected = auth_class if isinstance(err, FlirAuthenticationError) else other_class
    assert type(raised.value) is expected
    assert raised.value.translation_domain == DOMAIN
    assert raised.value.translation_key == (image_key if stage is Stage.IMAGE else key)
    assert raised.value.translation_placeholders == {"error": str(err)}
    assert raised.value.__cause__ is err


def test_error_without_text_has_its_default_message() -> None:
    """An error raised without text still tells what failed."""
    with pytest.raises(HomeAssistantError) as raised, flir_errors(Stage.POLL):
        raise FlirConnectionError
    error = raised.value.translation_placeholders["error"]
    assert error.strip()
    assert error == str(FlirConnectionError())


def test_other_errors_pass_through() -> None:
    """Only FLIR errors are translated; a bug stays a bug."""
    with pytest.raises(KeyError), flir_errors(Stage.POLL):
        raise KeyError("bug")


def test_refused_settings() -> None:
    """A setting the client refuses is a configuration error with the client's reason."""
    with pytest.raises(ConfigEntryError) as raised, flir_settings_errors():
        raise ValueError("only http and https are supported")
    assert raised.value.translation_key == "flir_invalid_config"
    assert raised.value.translation_placeholders == {"error": "only http and https are supported"}


def test_every_key_has_a_message() -> None:
    """Each key has a message; all but the older invalid_auth show the error's text."""
    exceptions = STRINGS["exceptions"]
    for key in TRANSLATION_KEYS:
        assert key in exceptions, key
        if key != "invalid_auth":
            assert "{error}" in exceptions[key]["message"], key
