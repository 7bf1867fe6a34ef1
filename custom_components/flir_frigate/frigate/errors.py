"""The one place where the Frigate client's errors become Home Assistant's.

Each kind of failure has one translation key wherever it happens: refused credentials, a login
lockout, a version too old, an answer that is not Frigate's, Frigate's API not answering behind
its web server (stopped or restarting). A plain failure (unreachable, 5xx,
gone) says what it stopped: talking to Frigate, or getting an image. Where it happens (the
`Stage`) only picks the exception class: setup retries (`ConfigEntryNotReady`) or stops
(`ConfigEntryError`), a poll makes the entities unavailable (`UpdateFailed`), an image fails as
a plain `HomeAssistantError`; refused credentials start a reauthentication from setup and polls.
Placeholders: `error` is the client's description of the failure, `seconds` the wait before the
next login, `version` what the server reported, `status` the web server's HTTP status.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import aiohttp
from aiohttp import hdrs, web
from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    ConfigEntryError,
    ConfigEntryNotReady,
    HomeAssistantError,
)
from homeassistant.helpers.update_coordinator import UpdateFailed

from ..api.frigate.exceptions import (
    FrigateApiDownError,
    FrigateAuthenticationError,
    FrigateError,
    FrigateNotFoundError,
    FrigateRangeNotSatisfiableError,
    FrigateRateLimitedError,
    FrigateUnexpectedDeviceError,
    FrigateUnsupportedVersionError,
)
from ..const import DOMAIN
from ..errors import Stage

API_DOWN = "frigate_api_down"
COMMUNICATION_ERROR = "frigate_communication_error"
IMAGE_FAILED = "frigate_image_failed"
INVALID_AUTH = "frigate_invalid_auth"
INVALID_CONFIG = "frigate_invalid_config"
RATE_LIMITED = "frigate_rate_limited"
UNEXPECTED_ANSWER = "frigate_unexpected_answer"
UNSUPPORTED_VERSION = "frigate_unsupported_version"
TRANSLATION_KEYS = (
    API_DOWN,
    COMMUNICATION_ERROR,
    IMAGE_FAILED,
    INVALID_AUTH,
    INVALID_CONFIG,
    RATE_LIMITED,
    UNEXPECTED_ANSWER,
    UNSUPPORTED_VERSION,
)


def _translation(err: FrigateError, stage: Stage) -> tuple[str, dict[str, str] | None]:
    """The translation key and placeholders of a failure."""
    if isinstance(err, FrigateAuthenticationError):
        return INVALID_AUTH, None
    if isinstance(err, FrigateRateLimitedError):
        return RATE_LIMITED, {"seconds": f"{err.retry_after:.0f}"}
    if isinstance(err, FrigateUnsupportedVersionError):
        return UNSUPPORTED_VERSION, {"version": err.version}
    if isinstance(err, FrigateUnexpectedDeviceError):
        return UNEXPECTED_ANSWER, {"error": str(err)}
    if isinstance(err, FrigateApiDownError) and stage is not Stage.IMAGE:
        # nginx's error page while Frigate (re)starts: the server is there, its API is not.
        return API_DOWN, {"status": str(err.status)}
    return IMAGE_FAILED if stage is Stage.IMAGE else COMMUNICATION_ERROR, {"error": str(err)}


def home_assistant_error(err: FrigateError, stage: Stage) -> HomeAssistantError:
    """The Home Assistant error that stands for `err` at `stage`."""
    key, placeholders = _translation(err, stage)
    if stage is Stage.IMAGE:
        return HomeAssistantError(
            translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
        )
    if isinstance(err, FrigateAuthenticationError):
        return ConfigEntryAuthFailed(translation_domain=DOMAIN, translation_key=key)
    if stage is Stage.POLL:
        return UpdateFailed(
            translation_domain=DOMAIN,
            translation_key=key,
            translation_placeholders=placeholders,
            # A lockout is temporary: the next poll waits it out instead of adding attempts.
            retry_after=err.retry_after if isinstance(err, FrigateRateLimitedError) else None,
        )
    if isinstance(err, FrigateUnsupportedVersionError):
        return ConfigEntryError(
            translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
        )
    return ConfigEntryNotReady(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )


def action_error(err: FrigateError) -> HomeAssistantError:
    """A user's action (a service, a select) that failed on Frigate's side: the failure's key."""
    key, placeholders = _translation(err, Stage.POLL)
    return HomeAssistantError(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )


@contextmanager
def frigate_errors(stage: Stage) -> Iterator[None]:
    """Raise the Home Assistant error of `stage` for a Frigate error in the `with` block."""
    try:
        yield
    except FrigateError as err:
        raise home_assistant_error(err, stage) from err


def hub_update_failed(err: BaseException | None) -> UpdateFailed:
    """A camera coordinator's failure when the server poll failed: the poll's own message."""
    if isinstance(err, HomeAssistantError) and err.translation_key is not None:
        return UpdateFailed(
            translation_domain=err.translation_domain,
            translation_key=err.translation_key,
            translation_placeholders=err.translation_placeholders,
        )
    return UpdateFailed(
        translation_domain=DOMAIN,
        translation_key=COMMUNICATION_ERROR,
        translation_placeholders={"error": str(err)},
    )


def http_error(err: FrigateError) -> web.HTTPException:
    """What the event media views answer when Frigate cannot give a medium."""
    if isinstance(err, FrigateNotFoundError):
        return web.HTTPNotFound()
    if isinstance(err, FrigateRangeNotSatisfiableError):
        headers = {} if err.content_range is None else {hdrs.CONTENT_RANGE: err.content_range}
        return web.HTTPRequestRangeNotSatisfiable(headers=headers)
    return web.HTTPBadGateway()


def form_error(err: FrigateError) -> str:
    """The config flow's form error when connecting to a server failed."""
    if isinstance(err, FrigateRateLimitedError):
        return "rate_limited"
    if isinstance(err, FrigateAuthenticationError):
        return "invalid_auth"
    if isinstance(err, FrigateUnsupportedVersionError):
        return "unsupported_version"
    if isinstance(err, FrigateUnexpectedDeviceError):
        return "not_frigate"
    if isinstance(err.__cause__, aiohttp.ClientSSLError):
        return "tls_failed"  # Frigate's port 8971 has a self-signed certificate by default
    return "cannot_connect"
