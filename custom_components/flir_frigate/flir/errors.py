"""The one place where the FLIR library's errors become Home Assistant's.

Each kind of failure has one translation key wherever it happens: refused credentials, a host
that is not a FLIR camera, a thermal image that cannot be decoded, settings the client refuses.
A plain failure (unreachable, 5xx) says what it stopped: talking to the camera, or getting an
image. Where it happens (the `Stage`) only picks the exception class: setup retries
(`ConfigEntryNotReady`), a poll makes the entities unavailable (`UpdateFailed`), an image fails
as a plain `HomeAssistantError`; refused credentials start a reauthentication from setup and
polls. The placeholder is always `error`, the error's own text (never empty, see
`api.flir.exceptions`), which says what failed.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    ConfigEntryError,
    ConfigEntryNotReady,
    HomeAssistantError,
)
from homeassistant.helpers.update_coordinator import UpdateFailed

from ..api.flir.exceptions import (
    FlirAuthenticationError,
    FlirDecodeError,
    FlirError,
    FlirUnexpectedDeviceError,
)
from ..const import DOMAIN
from ..errors import Stage

COMMUNICATION_ERROR = "communication_error"
DECODE_ERROR = "flir_decode_error"
IMAGE_FAILED = "image_failed"
INVALID_AUTH = "invalid_auth"
INVALID_CONFIG = "flir_invalid_config"
UNEXPECTED_DEVICE = "flir_unexpected_device"
TRANSLATION_KEYS = (
    COMMUNICATION_ERROR,
    DECODE_ERROR,
    IMAGE_FAILED,
    INVALID_AUTH,
    INVALID_CONFIG,
    UNEXPECTED_DEVICE,
)


def translation_key(err: FlirError, stage: Stage) -> str:
    """The translation key of a failure."""
    if isinstance(err, FlirAuthenticationError):
        return INVALID_AUTH
    if isinstance(err, FlirUnexpectedDeviceError):
        return UNEXPECTED_DEVICE
    if isinstance(err, FlirDecodeError):
        return DECODE_ERROR
    return IMAGE_FAILED if stage is Stage.IMAGE else COMMUNICATION_ERROR


def _error_class(err: FlirError, stage: Stage) -> type[HomeAssistantError]:
    if stage is Stage.IMAGE:
        return HomeAssistantError
    if isinstance(err, FlirAuthenticationError):
        return ConfigEntryAuthFailed
    return ConfigEntryNotReady if stage is Stage.SETUP else UpdateFailed


def home_assistant_error(err: FlirError, stage: Stage) -> HomeAssistantError:
    """The Home Assistant error that stands for `err` at `stage`."""
    return _error_class(err, stage)(
        translation_domain=DOMAIN,
        translation_key=translation_key(err, stage),
        translation_placeholders={"error": str(err)},
    )


@contextmanager
def flir_errors(stage: Stage) -> Iterator[None]:
    """Raise the FLIR errors of the block as Home Assistant errors of `stage`."""
    try:
        yield
    except FlirError as err:
        raise home_assistant_error(err, stage) from err


@contextmanager
def flir_settings_errors() -> Iterator[None]:
    """A stored setting the client refuses (a malformed host): only reconfiguring helps."""
    try:
        yield
    except ValueError as err:
        raise ConfigEntryError(
            translation_domain=DOMAIN,
            translation_key=INVALID_CONFIG,
            translation_placeholders={"error": str(err)},
        ) from err
