"""Config flow of Frigate servers: user step, errors and recovery, reauth, reconfigure, options."""

import asyncio
import ssl
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    get_schema_suggested_value,
)

from custom_components.flir_frigate.config_flow import FlirFrigateConfigFlow
from custom_components.flir_frigate.const import CONF_KIND, DOMAIN, KIND_FRIGATE
from custom_components.flir_frigate.frigate.const import (
    CONF_CAMERAS,
    CONF_LABELS,
    CONF_TOKEN,
    CONF_URL,
    CONF_VERIFY_SSL,
    OPTION_IGNORED_CAMERAS,
    OPTION_IGNORED_LABELS,
    OPTION_MEDIA_BROWSER,
)
from tests.fakes.frigate_server import FakeFrigateServer
from tests.frigate.common import (
    FRIGATE_ENTRY_ID,
    FRIGATE_PASSWORD,
    FRIGATE_UNIQUE_ID,
    FRIGATE_USER,
    FrigateFactory,
    make_frigate_entry,
    self_signed_context,
    setup_frigate,
)


async def _frigate_form(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.MENU
    assert KIND_FRIGATE in result["menu_options"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": KIND_FRIGATE}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "frigate"
    return result["flow_id"]


def _form(url: str, **extra: Any) -> dict[str, Any]:
    return {CONF_URL: url, CONF_VERIFY_SSL: True, **extra}


async def _submit(hass: HomeAssistant, flow_id: str, data: dict[str, Any]) -> Any:
    return await hass.config_entries.flow.async_configure(flow_id, data)


async def test_user_flow_internal_port(hass: HomeAssistant, frigate: FakeFrigateServer) -> None:
    """The internal port needs no login; the URL is normalized; the unique id is no address."""
    flow_id = await _frigate_form(hass)
    port = frigate.url.rsplit(":", 1)[1]
    result = await _submit(hass, flow_id, _form(f"  127.0.0.1:{port}/ "))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == f"Frigate 127.0.0.1:{port}"
    assert result["data"] == {
        CONF_KIND: KIND_FRIGATE,
        CONF_URL: frigate.url,
        CONF_VERIFY_SSL: True,
    }
    entry = result["result"]
    assert entry.unique_id
    assert "127.0.0.1" not in entry.unique_id
    assert port not in entry.unique_id
    assert "://" not in entry.unique_id
    assert entry.minor_version == 2
    assert entry.state is ConfigEntryState.LOADED


async def test_user_flow_login(hass: HomeAssistant, frigate_login: FakeFrigateServer) -> None:
    """The authenticated port with a user and password."""
    flow_id = await _frigate_form(hass)
    credentials = {CONF_USERNAME: FRIGATE_USER, CONF_PASSWORD: FRIGATE_PASSWORD}
    result = await _submit(hass, flow_id, _form(frigate_login.url, **credentials))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {
        CONF_KIND: KIND_FRIGATE,
        CONF_URL: frigate_login.url,
        CONF_VERIFY_SSL: True,
        **credentials,
    }
    assert result["result"].state is ConfigEntryState.LOADED


async def test_user_flow_token(hass: HomeAssistant, frigate_login: FakeFrigateServer) -> None:
    """A static bearer token instead of a user."""
    flow_id = await _frigate_form(hass)
    token = frigate_login.issue_token()
    result = await _submit(hass, flow_id, _form(frigate_login.url, **{CONF_TOKEN: token}))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_TOKEN] == token
    assert frigate_login.requests["/api/login"] == 0


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        ({CONF_URL: "ftp://127.0.0.1"}, {CONF_URL: "invalid_url"}),
        ({CONF_URL: "http://user:secret@127.0.0.1"}, {CONF_URL: "invalid_url"}),
        ({CONF_URL: "http://127.0.0.1:5000/?x=1"}, {CONF_URL: "invalid_url"}),
        ({CONF_URL: "http://[::1"}, {CONF_URL: "invalid_url"}),
        ({CONF_USERNAME: FRIGATE_USER}, {"base": "credentials_incomplete"}),
        (
            {CONF_USERNAME: FRIGATE_USER, CONF_PASSWORD: "x", CONF_TOKEN: "abc"},
            {"base": "auth_conflict"},
        ),
    ],
)
async def test_user_flow_form_errors(
    hass: HomeAssistant, frigate: FakeFrigateServer, bad: dict[str, Any], error: dict[str, str]
) -> None:
    """Forms that cannot work are refused without contacting anyone, then the right one works."""
    flow_id = await _frigate_form(hass)
    result = await _submit(hass, flow_id, _form(frigate.url) | bad)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == error
    assert sum(frigate.requests.values()) == 0
    result = await _submit(hass, flow_id, _form(frigate.url))
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_cannot_connect(hass: HomeAssistant, frigate: FakeFrigateServer) -> None:
    """A server that does not answer is reported, and the flow finishes once it is back."""
    flow_id = await _frigate_form(hass)
    port = int(frigate.url.rsplit(":", 1)[1])
    await frigate.stop()
    result = await _submit(hass, flow_id, _form(frigate.url))
    assert result["errors"] == {"base": "cannot_connect"}
    await frigate.start(port=port)
    result = await _submit(hass, flow_id, _form(frigate.url))
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_invalid_auth(
    hass: HomeAssistant, frigate_login: FakeFrigateServer
) -> None:
    """No credentials, then a wrong password, then the right one."""
    flow_id = await _frigate_form(hass)
    result = await _submit(hass, flow_id, _form(frigate_login.url))
    assert result["errors"] == {"base": "invalid_auth"}
    wrong = {CONF_USERNAME: FRIGATE_USER, CONF_PASSWORD: "wrong"}
    result = await _submit(hass, flow_id, _form(frigate_login.url, **wrong))
    assert result["errors"] == {"base": "invalid_auth"}
    right = {CONF_USERNAME: FRIGATE_USER, CONF_PASSWORD: FRIGATE_PASSWORD}
    result = await _submit(hass, flow_id, _form(frigate_login.url, **right))
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_not_frigate(hass: HomeAssistant, frigate: FakeFrigateServer) -> None:
    """A web server that is not Frigate (here: a path without Frigate's API) is refused."""
    flow_id = await _frigate_form(hass)
    result = await _submit(hass, flow_id, _form(f"{frigate.url}/elsewhere"))
    assert result["errors"] == {"base": "not_frigate"}
    result = await _submit(hass, flow_id, _form(frigate.url))
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_unsupported_version(
    hass: HomeAssistant, frigate_factory: FrigateFactory
) -> None:
    """Frigate 0.11 is too old; pointing the flow at a newer server finishes it."""
    old = await frigate_factory("0.11")
    new = await frigate_factory("0.12")
    flow_id = await _frigate_form(hass)
    result = await _submit(hass, flow_id, _form(old.url))
    assert result["errors"] == {"base": "unsupported_version"}
    result = await _submit(hass, flow_id, _form(new.url))
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_rate_limited(
    hass: HomeAssistant, frigate_login: FakeFrigateServer, freezer: FrozenDateTimeFactory
) -> None:
    """A rate-limited login is shown, not retried until Frigate allows it, then succeeds."""
    frigate_login.faults.paths = ("/api/login",)
    frigate_login.faults.status = 429
    frigate_login.faults.retry_after = 30
    credentials = {CONF_USERNAME: FRIGATE_USER, CONF_PASSWORD: FRIGATE_PASSWORD}
    flow_id = await _frigate_form(hass)
    result = await _submit(hass, flow_id, _form(frigate_login.url, **credentials))
    assert result["errors"] == {"base": "rate_limited"}
    assert frigate_login.requests["/api/login"] == 1
    frigate_login.faults.reset()
    result = await _submit(hass, flow_id, _form(frigate_login.url, **credentials))
    assert result["errors"] == {"base": "rate_limited"}
    assert frigate_login.requests["/api/login"] == 1  # not asked again while blocked
    with patch(
        "custom_components.flir_frigate.frigate.flow.monotonic",
        return_value=10.0**12,
    ):
        result = await _submit(hass, flow_id, _form(frigate_login.url, **credentials))
    assert result.get("errors") is None, result.get("errors")
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_tls(
    hass: HomeAssistant, frigate_factory: FrigateFactory, tmp_path: Path
) -> None:
    """A self-signed certificate fails with a clear error until verification is turned off."""
    # The in-process server sees the client hang up during the refused handshake; that
    # is expected here, not an error of the code under test.
    loop = asyncio.get_running_loop()
    original = loop.get_exception_handler()

    def _ignore_handshake(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if isinstance(context.get("exception"), ConnectionResetError | ssl.SSLError):
            return
        assert original is not None
        original(loop, context)

    loop.set_exception_handler(_ignore_handshake)
    server = await frigate_factory(auth="login")
    await server.stop()
    await server.start(ssl_context=self_signed_context(tmp_path))
    assert server.url.startswith("https://")
    credentials = {CONF_USERNAME: FRIGATE_USER, CONF_PASSWORD: FRIGATE_PASSWORD}
    flow_id = await _frigate_form(hass)
    result = await _submit(hass, flow_id, _form(server.url, **credentials))
    assert result["errors"] == {"base": "tls_failed"}
    result = await _submit(
        hass, flow_id, _form(server.url, **credentials) | {CONF_VERIFY_SSL: False}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    assert entry.data[CONF_VERIFY_SSL] is False
    assert entry.state is ConfigEntryState.LOADED
    loop.set_exception_handler(original)


async def test_user_flow_unknown_error(hass: HomeAssistant, frigate: FakeFrigateServer) -> None:
    """An unexpected error is logged and shown as unknown; the next try works."""
    flow_id = await _frigate_form(hass)
    with patch(
        "custom_components.flir_frigate.frigate.flow.create_client", side_effect=RuntimeError
    ):
        result = await _submit(hass, flow_id, _form(frigate.url))
    assert result["errors"] == {"base": "unknown"}
    result = await _submit(hass, flow_id, _form(frigate.url))
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_already_configured(
    hass: HomeAssistant, frigate: FakeFrigateServer
) -> None:
    """The same server (same normalized URL) cannot be added twice; nothing is asked of it."""
    make_frigate_entry(frigate).add_to_hass(hass)
    flow_id = await _frigate_form(hass)
    result = await _submit(hass, flow_id, _form(frigate.url.upper().replace("HTTP", "http")))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert sum(frigate.requests.values()) == 0


async def test_reauth(hass: HomeAssistant, frigate_login: FakeFrigateServer) -> None:
    """A changed password starts reauth; wrong input is shown, the right password reloads."""
    entry = make_frigate_entry(frigate_login, credentials=True)
    frigate_login.set_password("new-password")
    await setup_frigate(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    [flow] = hass.config_entries.flow.async_progress()
    assert flow["step_id"] == "frigate_reauth_confirm"
    flow_id = flow["flow_id"]

    result = await _submit(hass, flow_id, {CONF_USERNAME: FRIGATE_USER})
    assert result["errors"] == {"base": "credentials_incomplete"}
    result = await _submit(hass, flow_id, {CONF_USERNAME: FRIGATE_USER, CONF_PASSWORD: "old"})
    assert result["errors"] == {"base": "invalid_auth"}
    result = await _submit(
        hass, flow_id, {CONF_USERNAME: FRIGATE_USER, CONF_PASSWORD: "new-password"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "frigate_reauth_successful"
    await hass.async_block_till_done()
    assert entry.data[CONF_PASSWORD] == "new-password"
    assert entry.data[CONF_URL] == frigate_login.url
    assert entry.state is ConfigEntryState.LOADED


async def test_reauth_with_token(hass: HomeAssistant, frigate_login: FakeFrigateServer) -> None:
    """Reauth can switch from a password to a bearer token."""
    entry = make_frigate_entry(frigate_login, credentials=True)
    frigate_login.set_password("new-password")
    await setup_frigate(hass, entry)
    [flow] = hass.config_entries.flow.async_progress()
    token = frigate_login.issue_token()
    result = await _submit(hass, flow["flow_id"], {CONF_TOKEN: token})
    assert result["reason"] == "frigate_reauth_successful"
    assert CONF_USERNAME not in entry.data
    assert entry.data[CONF_TOKEN] == token


async def test_reconfigure(hass: HomeAssistant, frigate_factory: FrigateFactory) -> None:
    """Moving to another URL keeps the entry (and its entities), with a new unique id."""
    old = await frigate_factory()
    new = await frigate_factory(auth="login")
    entry = await setup_frigate(hass, make_frigate_entry(old))
    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "frigate_reconfigure"
    flow_id = result["flow_id"]

    result = await _submit(hass, flow_id, _form(new.url))
    assert result["errors"] == {"base": "invalid_auth"}
    result = await _submit(
        hass,
        flow_id,
        _form(new.url, **{CONF_USERNAME: FRIGATE_USER, CONF_PASSWORD: FRIGATE_PASSWORD}),
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "frigate_reconfigure_successful"
    await hass.async_block_till_done()
    assert entry.data[CONF_URL] == new.url
    assert entry.unique_id == FRIGATE_UNIQUE_ID  # the identity stays when the server moves
    assert entry.state is ConfigEntryState.LOADED
    assert er.async_get(hass).async_get_entity_id(
        "camera", DOMAIN, f"{FRIGATE_ENTRY_ID}:front_door:camera"
    )


async def test_reconfigure_keeps_secrets(
    hass: HomeAssistant, frigate_login: FakeFrigateServer
) -> None:
    """An empty password keeps the stored one of the same user; an empty token the token."""
    entry = await setup_frigate(hass, make_frigate_entry(frigate_login, credentials=True))
    result = await entry.start_reconfigure_flow(hass)
    schema = result["data_schema"].schema
    assert get_schema_suggested_value(schema, CONF_USERNAME) == FRIGATE_USER
    assert get_schema_suggested_value(schema, CONF_PASSWORD) is None  # never shown back
    result = await _submit(
        hass, result["flow_id"], _form(frigate_login.url, **{CONF_USERNAME: FRIGATE_USER})
    )
    assert result["reason"] == "frigate_reconfigure_successful"
    assert entry.data[CONF_PASSWORD] == FRIGATE_PASSWORD

    token = frigate_login.issue_token()
    hass.config_entries.async_update_entry(
        entry, data={CONF_KIND: KIND_FRIGATE, CONF_URL: frigate_login.url, CONF_TOKEN: token}
    )
    await hass.async_block_till_done()
    result = await entry.start_reconfigure_flow(hass)
    result = await _submit(hass, result["flow_id"], _form(frigate_login.url))
    assert result["reason"] == "frigate_reconfigure_successful"
    assert entry.data[CONF_TOKEN] == token


async def test_reconfigure_already_configured(
    hass: HomeAssistant, frigate_factory: FrigateFactory
) -> None:
    """A URL that another entry has is refused."""
    first = await frigate_factory()
    second = await frigate_factory()
    entry = await setup_frigate(hass, make_frigate_entry(first))
    other = MockConfigEntry(
        domain=DOMAIN,
        unique_id="other_server",
        data={CONF_KIND: KIND_FRIGATE, CONF_URL: second.url},
    )
    other.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    result = await _submit(hass, result["flow_id"], _form(second.url))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_reconfigure_form_error(hass: HomeAssistant, frigate: FakeFrigateServer) -> None:
    """A bad URL in the reconfigure form is shown, the form keeps its values."""
    entry = await setup_frigate(hass, make_frigate_entry(frigate))
    result = await entry.start_reconfigure_flow(hass)
    result = await _submit(hass, result["flow_id"], _form("nonsense://"))
    assert result["errors"] == {CONF_URL: "invalid_url"}
    result = await _submit(hass, result["flow_id"], _form(frigate.url))
    assert result["reason"] == "frigate_reconfigure_successful"


async def test_options(hass: HomeAssistant, frigate_entry: MockConfigEntry) -> None:
    """Leaving out a camera and a label removes their entities after the reload."""
    registry = er.async_get(hass)
    result = await hass.config_entries.options.async_init(frigate_entry.entry_id)
    assert result["step_id"] == "frigate_options"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_CAMERAS: ["front_door"], CONF_LABELS: ["person"]}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert frigate_entry.options == {
        OPTION_IGNORED_CAMERAS: ["backyard"],
        OPTION_IGNORED_LABELS: ["car"],
        OPTION_MEDIA_BROWSER: True,
    }
    assert frigate_entry.state is ConfigEntryState.LOADED
    assert (
        registry.async_get_entity_id("camera", DOMAIN, f"{FRIGATE_ENTRY_ID}:backyard:camera")
        is None
    )
    assert (
        registry.async_get_entity_id(
            "binary_sensor", DOMAIN, f"{FRIGATE_ENTRY_ID}:front_door:label_detected:car"
        )
        is None
    )
    assert registry.async_get_entity_id(
        "binary_sensor", DOMAIN, f"{FRIGATE_ENTRY_ID}:front_door:label_detected:person"
    )

    # The form shows the current choice; names Frigate does not have now stay left out.
    hass.config_entries.async_update_entry(
        frigate_entry,
        options={OPTION_IGNORED_CAMERAS: ["backyard", "gone"], OPTION_IGNORED_LABELS: ["car"]},
    )
    result = await hass.config_entries.options.async_init(frigate_entry.entry_id)
    schema = result["data_schema"].schema
    defaults = {str(key): key.default() for key in schema}
    assert defaults == {
        CONF_CAMERAS: ["front_door"],
        CONF_LABELS: ["person"],
        OPTION_MEDIA_BROWSER: True,
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            CONF_CAMERAS: ["front_door", "backyard"],
            CONF_LABELS: ["car"],
            OPTION_MEDIA_BROWSER: False,
        },
    )
    assert frigate_entry.options == {
        OPTION_IGNORED_CAMERAS: ["gone"],
        OPTION_IGNORED_LABELS: ["person"],
        OPTION_MEDIA_BROWSER: False,
    }


async def test_options_not_loaded(hass: HomeAssistant, frigate: FakeFrigateServer) -> None:
    """Options need the server's cameras and labels, so a loaded entry."""
    entry = make_frigate_entry(frigate)
    entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "frigate_not_loaded"


def test_no_subentries_for_frigate() -> None:
    """Frigate entries have no measurement-area subentries."""
    entry = MockConfigEntry(domain=DOMAIN, data={CONF_KIND: KIND_FRIGATE, CONF_URL: "http://x"})
    assert FlirFrigateConfigFlow.async_get_supported_subentry_types(entry) == {}


async def test_options_only_offer_allowed_cameras(
    hass: HomeAssistant, frigate_factory: FrigateFactory
) -> None:
    """A 0.17 user restricted to some cameras is offered only those; left-out others stay."""
    server = await frigate_factory(auth="login", role="porch", roles={"porch": ["front_door"]})
    entry = await setup_frigate(
        hass,
        make_frigate_entry(
            server, credentials=True, options={OPTION_IGNORED_CAMERAS: ["backyard"]}
        ),
    )
    result = await hass.config_entries.options.async_init(entry.entry_id)
    camera_key = next(key for key in result["data_schema"].schema if str(key) == CONF_CAMERAS)
    options = result["data_schema"].schema[camera_key].config["options"]
    assert options == ["front_door"]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_CAMERAS: [], CONF_LABELS: ["person", "car"]}
    )
    assert entry.options == {
        OPTION_IGNORED_CAMERAS: ["backyard", "front_door"],
        OPTION_IGNORED_LABELS: [],
        OPTION_MEDIA_BROWSER: True,
    }
