"""The one mapping of Frigate client errors to Home Assistant errors, HTTP answers and forms."""

import json
import re
from pathlib import Path

import pytest
from aiohttp import web
from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    ConfigEntryError,
    ConfigEntryNotReady,
    HomeAssistantError,
)
from homeassistant.helpers.update_coordinator import UpdateFailed

from custom_components.flir_frigate.api.frigate.exceptions import (
    FrigateAuthenticationError,
    FrigateConnectionError,
    FrigateError,
    FrigateNotFoundError,
    FrigateRangeNotSatisfiableError,
    FrigateRateLimitedError,
    FrigateResponseTooLargeError,
    FrigateUnexpectedDeviceError,
    FrigateUnsupportedVersionError,
)
from custom_components.flir_frigate.const import DOMAIN
from custom_components.flir_frigate.errors import Stage
from custom_components.flir_frigate.frigate.errors import (
    TRANSLATION_KEYS,
    form_error,
    frigate_errors,
    home_assistant_error,
    http_error,
    hub_update_failed,
)

COMPONENT = Path(__file__).resolve().parents[2] / "custom_components" / "flir_frigate"
MESSAGES = json.loads((COMPONENT / "strings.json").read_text())["exceptions"]

AUTH = FrigateAuthenticationError("Frigate refused the username or password")
LIMITED = FrigateRateLimitedError("Frigate rate-limits login attempts", retry_after=59.6)
OLD = FrigateUnsupportedVersionError("too old", version="0.11.1")
DOWN = FrigateConnectionError("Frigate answered HTTP 500")
ODD = FrigateUnexpectedDeviceError("endpoint not found: is this a Frigate server?")
GONE = FrigateNotFoundError("not found on the Frigate server")

CASES = [
    (AUTH, Stage.SETUP, ConfigEntryAuthFailed, "frigate_invalid_auth", None),
    (AUTH, Stage.POLL, ConfigEntryAuthFailed, "frigate_invalid_auth", None),
    (AUTH, Stage.IMAGE, HomeAssistantError, "frigate_invalid_auth", None),
    (LIMITED, Stage.SETUP, ConfigEntryNotReady, "frigate_rate_limited", {"seconds": "60"}),
    (LIMITED, Stage.POLL, UpdateFailed, "frigate_rate_limited", {"seconds": "60"}),
    (LIMITED, Stage.IMAGE, HomeAssistantError, "frigate_rate_limited", {"seconds": "60"}),
    (OLD, Stage.SETUP, ConfigEntryError, "frigate_unsupported_version", {"version": "0.11.1"}),
    (OLD, Stage.POLL, UpdateFailed, "frigate_unsupported_version", {"version": "0.11.1"}),
    (DOWN, Stage.SETUP, ConfigEntryNotReady, "frigate_communication_error", {"error": str(DOWN)}),
    (DOWN, Stage.POLL, UpdateFailed, "frigate_communication_error", {"error": str(DOWN)}),
    (DOWN, Stage.IMAGE, HomeAssistantError, "frigate_image_failed", {"error": str(DOWN)}),
    (ODD, Stage.SETUP, ConfigEntryNotReady, "frigate_unexpected_answer", {"error": str(ODD)}),
    (ODD, Stage.POLL, UpdateFailed, "frigate_unexpected_answer", {"error": str(ODD)}),
    (ODD, Stage.IMAGE, HomeAssistantError, "frigate_unexpected_answer", {"error": str(ODD)}),
    (GONE, Stage.IMAGE, HomeAssistantError, "frigate_image_failed", {"error": str(GONE)}),
]


def _placeholders(key: str) -> set[str]:
    return set(re.findall(r"{(\w+)}", MESSAGES[key]["message"]))


@pytest.mark.parametrize(("err", "stage", "kind", "key", "placeholders"), CASES)
def test_home_assistant_error(
    err: FrigateError,
    stage: Stage,
    kind: type[HomeAssistantError],
    key: str,
    placeholders: dict[str, str] | None,
) -> None:
    """One key per failure wherever it happens; the stage only picks the exception class."""
    error = home_assistant_error(err, stage)
    assert type(error) is kind
    assert error.translation_domain == DOMAIN
    assert error.translation_key == key
    assert error.translation_placeholders == placeholders
    # Every placeholder the message names is filled, and nothing else is passed.
    assert set(placeholders or {}) == _placeholders(key)


def test_rate_limit_postpones_the_next_poll() -> None:
    """A poll that hit Frigate's login lockout waits it out; other failures retry as usual."""
    limited = home_assistant_error(LIMITED, Stage.POLL)
    assert isinstance(limited, UpdateFailed)
    assert limited.retry_after == pytest.approx(59.6)
    down = home_assistant_error(DOWN, Stage.POLL)
    assert isinstance(down, UpdateFailed)
    assert down.retry_after is None


def test_frigate_errors_replaces_only_frigate_errors() -> None:
    """The context manager raises the mapped error from the client's, and lets others pass."""
    with pytest.raises(UpdateFailed) as raised, frigate_errors(Stage.POLL):
        raise DOWN
    assert raised.value.__cause__ is DOWN
    with pytest.raises(KeyError), frigate_errors(Stage.POLL):
        raise KeyError("not Frigate's")
    with frigate_errors(Stage.SETUP):
        pass


def test_hub_update_failed() -> None:
    """A camera coordinator repeats the poll's translated failure instead of wrapping it."""
    polled = home_assistant_error(DOWN, Stage.POLL)
    failed = hub_update_failed(polled)
    assert (failed.translation_key, failed.translation_placeholders) == (
        "frigate_communication_error",
        {"error": str(DOWN)},
    )
    auth = hub_update_failed(home_assistant_error(AUTH, Stage.POLL))
    assert type(auth) is UpdateFailed  # no second reauthentication from a camera
    assert auth.translation_key == "frigate_invalid_auth"
    unexpected = hub_update_failed(RuntimeError("boom"))
    assert unexpected.translation_key == "frigate_communication_error"
    assert unexpected.translation_placeholders == {"error": "boom"}


@pytest.mark.parametrize(
    ("err", "status", "content_range"),
    [
        (GONE, 404, None),
        (FrigateRangeNotSatisfiableError("416", content_range="bytes */1000"), 416, "bytes */1000"),
        (FrigateRangeNotSatisfiableError("416", content_range=None), 416, None),
        (DOWN, 502, None),
        (AUTH, 502, None),
    ],
)
def test_http_error(err: FrigateError, status: int, content_range: str | None) -> None:
    """The media views pass on what Frigate said about the medium; anything else is upstream's."""
    answer = http_error(err)
    assert isinstance(answer, web.HTTPException)
    assert answer.status == status
    assert answer.headers.get("Content-Range") == content_range


@pytest.mark.parametrize(
    ("err", "error"),
    [
        (LIMITED, "rate_limited"),
        (AUTH, "invalid_auth"),
        (OLD, "unsupported_version"),
        (ODD, "not_frigate"),
        (FrigateResponseTooLargeError(1 << 20), "not_frigate"),
        (DOWN, "cannot_connect"),
    ],
)
def test_form_error(err: FrigateError, error: str) -> None:
    """Each failure of the config flow's probe has its form error (TLS: test_config_flow)."""
    assert form_error(err) == error


def test_every_key_has_a_message() -> None:
    """The keys the mapping uses all have messages, and every Frigate message is used."""
    frigate_messages = {key for key in MESSAGES if key.startswith("frigate_")}
    assert set(TRANSLATION_KEYS) == frigate_messages


def test_wing_translation_keys_exist() -> None:
    """Every translation key written in the Frigate wing has a name, icon or message."""
    en = json.loads((COMPONENT / "translations" / "en.json").read_text())
    icons = json.loads((COMPONENT / "icons.json").read_text())
    sources = "\n".join(path.read_text() for path in (COMPONENT / "frigate").glob("*.py"))
    used = set(re.findall(r'translation_key="([a-z0-9_]+)"', sources))
    known = (
        set(en["exceptions"])
        | {key for platform in en["entity"].values() for key in platform}
        | {key for platform in icons["entity"].values() for key in platform}
    )
    assert used, "no translation keys found"
    assert used <= known, used - known
