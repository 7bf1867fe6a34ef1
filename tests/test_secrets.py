"""No password, token or Authorization value leaves the integration, whatever happens.

Both device kinds run with debug logging on: FLIR cameras with Basic and with Digest
credentials, Frigate with a login and with a bearer token. They go through refused credentials
(the device's password or token changes), a failed and a successful reauthentication,
outages, error statuses and malformed answers. Then everything the integration produced is
scanned: the log (every logger, debug included, tracebacks included), the diagnostics of each
entry, every entity's state and attributes, the probe's text and JSON reports (right and wrong
credentials), the text of the exceptions the clients and coordinators raised, the flows in
progress, the repairs issues and the entry titles. None may contain a password or token, a
JWT, a Basic credential (user:password in base64) or the value of an Authorization header.

TLS: certificates are verified unless the user turned it off (Frigate only has the option),
and diagnostics tell which.
"""

import base64
import dataclasses
import io
import json
import logging
import re
import ssl
from collections.abc import AsyncGenerator, Iterable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.flir_frigate.api.flir.client import FlirClient
from custom_components.flir_frigate.api.flir.exceptions import FlirError
from custom_components.flir_frigate.api.frigate.client import FrigateClient
from custom_components.flir_frigate.api.frigate.exceptions import FrigateError
from custom_components.flir_frigate.frigate.const import CONF_TOKEN, CONF_VERIFY_SSL
from custom_components.flir_frigate.probe import async_main
from tests.conftest import SMART_SERIAL, advance, flir_entry, setup_entry
from tests.fakes.flir_camera import FakeFlirCamera
from tests.fakes.frigate_server import FakeFrigateServer
from tests.fakes.tls import self_signed_context
from tests.frigate.common import FrigateFactory, make_frigate_entry, setup_frigate

FLIR_USER = "flir-operator"
FLIR_SECRET = "Flir-S3cret-Pass!7"
FLIR_ROTATED = "Flir-R0tated-Pass#2"
FRIGATE_USER = "frigate-operator"
FRIGATE_SECRET = "Frigate-L0gin-Pass%3"
FRIGATE_ROTATED = "Frigate-R0tated-Pass&4"
WRONG = "Wr0ng-Guess-Pass*9"

JWT = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")
AUTH_VALUES = (
    # A credential, not a word: base64 with a digit, "+", "/" or "=" in it.
    re.compile(r"(?i)\bbasic\s+(?=[A-Za-z0-9+/]*[0-9+/=])[A-Za-z0-9+/]{8,}={0,2}"),
    re.compile(r"(?i)\bbearer\s+(?=[A-Za-z0-9._~+/-]*[0-9._~+/])[A-Za-z0-9._~+/-]{12,}"),
    re.compile(r"(?i)\bdigest\s+username\s*="),
    re.compile(r"(?i)\bresponse\s*=\s*\"?[0-9a-f]{32}"),  # a Digest response
    re.compile(r"(?i)authorization['\"]?\s*[:=]\s*['\"]?\w"),
)


class Leaks:
    """What must never appear, and what was scanned."""

    def __init__(self, secrets: Iterable[str], users: Iterable[tuple[str, str]] = ()) -> None:
        self.secrets = set(secrets)
        for user, password in users:  # a Basic credential, with and without padding
            encoded = base64.b64encode(f"{user}:{password}".encode()).decode()
            self.secrets |= {encoded, encoded.rstrip("=")}
        self.sources: dict[str, int] = {}
        self.found: list[str] = []

    def add_secret(self, secret: str | None) -> None:
        if secret:
            self.secrets.add(secret)

    def scan(self, source: str, value: Any) -> None:
        text = value if isinstance(value, str) else _dump(value)
        self.sources[source] = len(text)
        for secret in self.secrets:
            encoded = base64.b64encode(secret.encode()).decode()
            for variant in {secret, json.dumps(secret)[1:-1], encoded}:
                if variant and variant in text:
                    self.found.append(
                        f"{source}: secret {secret[:6]}... ({_around(text, variant)})"
                    )
        for pattern in (JWT, *AUTH_VALUES):
            for match in pattern.finditer(text):
                self.found.append(f"{source}: {pattern.pattern!r} ({_around(text, match[0])})")

    def check(self) -> None:
        assert not self.found, "\n".join(self.found[:20])
        assert all(self.sources.values()), self.sources  # nothing scanned was empty by mistake


def _around(text: str, needle: str) -> str:
    index = text.find(needle)
    return text[max(0, index - 60) : index + len(needle) + 20].replace("\n", " ")


def _dump(value: Any) -> str:
    def default(item: Any) -> Any:
        if dataclasses.is_dataclass(item) and not isinstance(item, type):
            return dataclasses.asdict(item)
        return repr(item)

    return json.dumps(value, default=default, sort_keys=True)


def exception_texts(err: BaseException | None) -> list[str]:
    """The text, repr and arguments of an exception and of everything it was raised from."""
    texts: list[str] = []
    seen: set[int] = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        texts += [str(err), repr(err), *map(repr, err.args)]
        placeholders = getattr(err, "translation_placeholders", None)
        if placeholders:
            texts.append(repr(placeholders))
        err = err.__cause__ or err.__context__
    return texts


async def probe_reports(argv_list: Iterable[list[str]], capsys: pytest.CaptureFixture[str]) -> str:
    """The probe's output (report and error messages, text and JSON) for each command line."""
    outputs = []
    for argv in argv_list:
        for extra in ([], ["--json"]):
            out = io.StringIO()
            status = await async_main([*argv, *extra, "--timeout", "5"], out)
            captured = capsys.readouterr()
            outputs.append(f"$ probe (exit {status})\n{out.getvalue()}{captured.out}{captured.err}")
    return "\n".join(outputs)


def everything_shown(hass: HomeAssistant) -> dict[str, Any]:
    """States and attributes, flows in progress, repairs issues, entry titles and reasons."""
    return {
        "states": [state.as_dict() for state in hass.states.async_all()],
        "flows": hass.config_entries.flow.async_progress(),
        "issues": [dataclasses.asdict(issue) for issue in ir.async_get(hass).issues.values()],
        "entries": [
            {"title": entry.title, "reason": entry.reason, "state": str(entry.state)}
            for entry in hass.config_entries.async_entries()
        ],
    }


async def reauthenticate(
    hass: HomeAssistant, entry: MockConfigEntry, wrong: dict[str, str], right: dict[str, str]
) -> list[Any]:
    """Answer the entry's reauth flow: wrong credentials first (refused), then the right ones."""
    await hass.async_block_till_done()
    flows = [
        flow
        for flow in hass.config_entries.flow.async_progress()
        if flow["context"].get("source") == "reauth"
        and flow["context"].get("entry_id") == entry.entry_id
    ]
    assert len(flows) == 1, hass.config_entries.flow.async_progress()
    flow_id = flows[0]["flow_id"]
    refused = await hass.config_entries.flow.async_configure(flow_id, wrong)
    assert refused["type"] is FlowResultType.FORM
    assert refused["errors"], refused
    done = await hass.config_entries.flow.async_configure(flow_id, right)
    assert done["type"] is FlowResultType.ABORT, done
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    return [flows[0], refused, done]


# ------------------------------------------------------------------------------------- FLIR


@pytest.fixture(params=["basic", "digest"])
async def protected_camera(
    request: pytest.FixtureRequest, socket_enabled: None
) -> AsyncGenerator[FakeFlirCamera]:
    camera = FakeFlirCamera(
        profile="smart_sensor",
        serial=SMART_SERIAL,
        drift=False,
        resolution=(80, 60),
        auth=request.param,
        username=FLIR_USER,
        password=FLIR_SECRET,
    )
    await camera.start()
    yield camera
    await camera.stop()


async def test_flir_credentials_never_leak(
    hass: HomeAssistant,
    protected_camera: FakeFlirCamera,
    freezer: FrozenDateTimeFactory,
    hass_client: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Basic and Digest: setup, outages, errors, refused credentials, reauth; nothing leaks."""
    caplog.set_level(logging.DEBUG)
    camera = protected_camera
    leaks = Leaks(
        [FLIR_SECRET, FLIR_ROTATED, WRONG],
        users=[(FLIR_USER, FLIR_SECRET), (FLIR_USER, FLIR_ROTATED), (FLIR_USER, WRONG)],
    )
    entry = await setup_entry(
        hass,
        flir_entry(camera, SMART_SERIAL, **{CONF_USERNAME: FLIR_USER, CONF_PASSWORD: FLIR_SECRET}),
    )
    assert entry.state is ConfigEntryState.LOADED
    assert camera.requests  # it did authenticate
    raised: list[str] = []

    # Outages and misbehaviour.
    port = camera.port
    await camera.stop()
    await advance(hass, freezer)
    await camera.start(port=port)
    await advance(hass, freezer)
    for switch in ("malformed_json", "truncated_image"):
        setattr(camera.faults, switch, True)
        await advance(hass, freezer)
        camera.faults.reset()
    camera.faults.status = 500
    await advance(hass, freezer)
    camera.faults.reset()
    await advance(hass, freezer)
    raised += exception_texts(entry.runtime_data.coordinator.last_exception)

    # The camera's password changes: refused, reauth (a wrong try, then the right one).
    camera.password = FLIR_ROTATED
    await advance(hass, freezer)
    raised += exception_texts(entry.runtime_data.coordinator.last_exception)
    flows = await reauthenticate(
        hass,
        entry,
        {CONF_USERNAME: FLIR_USER, CONF_PASSWORD: WRONG},
        {CONF_USERNAME: FLIR_USER, CONF_PASSWORD: FLIR_ROTATED},
    )
    await advance(hass, freezer)

    # The library's own errors, as a caller sees them.
    async with aiohttp.ClientSession() as session:
        for password in (WRONG, None):
            client = FlirClient(
                camera.url,
                session=session,
                username=FLIR_USER if password else None,
                password=password,
                request_timeout=5,
            )
            with pytest.raises(FlirError) as caught:
                await client.check()
            raised += exception_texts(caught.value)

    probe = await probe_reports(
        [
            [camera.url, "--username", FLIR_USER, "--password", FLIR_ROTATED],
            [camera.url, "--username", FLIR_USER, "--password", WRONG],
            [camera.url],
        ],
        capsys,
    )
    assert "refused" in probe

    leaks.scan("log", caplog.text)
    leaks.scan("diagnostics", await get_diagnostics_for_config_entry(hass, hass_client, entry))
    leaks.scan("shown", everything_shown(hass))
    leaks.scan("reauth flow", flows)
    leaks.scan("exceptions", raised)
    leaks.scan("probe", probe)
    leaks.check()
    assert entry.title == f"{camera.model} {SMART_SERIAL}"


# ---------------------------------------------------------------------------------- Frigate


@pytest.mark.parametrize("auth", ["login", "token"])
async def test_frigate_credentials_never_leak(
    hass: HomeAssistant,
    frigate_factory: FrigateFactory,
    freezer: FrozenDateTimeFactory,
    hass_client: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    auth: str,
) -> None:
    """A login and a bearer token: setup, outages, refused credentials, reauth; nothing leaks."""
    caplog.set_level(logging.DEBUG)
    server = await frigate_factory(auth="login", username=FRIGATE_USER, password=FRIGATE_SECRET)
    tokens = [server.issue_token()]
    leaks = Leaks([FRIGATE_SECRET, FRIGATE_ROTATED, WRONG, *tokens])
    if auth == "login":
        entry = make_frigate_entry(server, credentials=True)
    else:
        entry = make_frigate_entry(server, **{CONF_TOKEN: tokens[0]})
    await setup_frigate(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    raised: list[str] = []

    server.create_event("front_door", "person", zones=["porch"])
    port = int(server.url.rsplit(":", 1)[1])
    await server.stop()
    await advance(hass, freezer)
    raised += exception_texts(entry.runtime_data.hub.last_exception)
    await server.start(port=port)
    await advance(hass, freezer)
    server.faults.malformed_json = True
    await advance(hass, freezer, 16)
    server.faults.reset()
    server.faults.status = 502
    await advance(hass, freezer)
    server.faults.reset()
    await advance(hass, freezer, 16)
    server.revoke_tokens()  # a restart of Frigate: the login is renewed (with a login)
    await advance(hass, freezer)

    # The credentials stop working: refused, reauth (a wrong try, then the right one).
    if auth == "login":
        server.set_password(FRIGATE_ROTATED)
        wrong = {CONF_USERNAME: FRIGATE_USER, CONF_PASSWORD: WRONG}
        right = {CONF_USERNAME: FRIGATE_USER, CONF_PASSWORD: FRIGATE_ROTATED}
    else:
        tokens.append(server.issue_token())
        leaks.add_secret(tokens[-1])
        wrong = {CONF_TOKEN: f"{tokens[0]}x"}
        right = {CONF_TOKEN: tokens[-1]}
        leaks.add_secret(wrong[CONF_TOKEN])
    await advance(hass, freezer, 16)
    raised += exception_texts(entry.runtime_data.hub.last_exception)
    flows = await reauthenticate(hass, entry, wrong, right)
    await advance(hass, freezer, 16)
    jwt = entry.runtime_data.client._auth._jwt
    leaks.add_secret(jwt)  # the token the last login got (login only)

    async with aiohttp.ClientSession() as session:
        for kwargs in (
            {"username": FRIGATE_USER, "password": WRONG},
            {"token": f"{tokens[0]}x"},
            {},
        ):
            client = FrigateClient(server.url, session=session, request_timeout=5, **kwargs)
            with pytest.raises(FrigateError) as caught:
                await client.stats()
            raised += exception_texts(caught.value)

    current = (
        ["--username", FRIGATE_USER, "--password", FRIGATE_ROTATED]
        if auth == "login"
        else ["--token", tokens[-1]]
    )
    probe = await probe_reports(
        [
            [server.url, *current],
            [server.url, "--username", FRIGATE_USER, "--password", WRONG],
            [server.url, "--token", f"{tokens[0]}x"],
        ],
        capsys,
    )
    assert "refused" in probe or "rejected" in probe

    leaks.scan("log", caplog.text)
    leaks.scan("diagnostics", await get_diagnostics_for_config_entry(hass, hass_client, entry))
    leaks.scan("shown", everything_shown(hass))
    leaks.scan("reauth flow", flows)
    leaks.scan("exceptions", raised)
    leaks.scan("probe", probe)
    leaks.check()
    assert entry.title == "Frigate 127.0.0.1"


# -------------------------------------------------------------------------------------- TLS


@pytest.fixture
async def refused_handshakes_expected(hass: HomeAssistant) -> None:
    """An in-process TLS server sees the client hang up on the refused certificate: expected
    here (the point of the test), not an error of the code under test."""
    loop = hass.loop
    original = loop.get_exception_handler()

    def ignore_handshake(loop: Any, context: dict[str, Any]) -> None:
        if isinstance(context.get("exception"), ConnectionResetError | ssl.SSLError):
            return
        assert original is not None
        original(loop, context)

    loop.set_exception_handler(ignore_handshake)


@pytest.fixture
async def tls_frigate(
    frigate_factory: FrigateFactory, tmp_path: Path, refused_handshakes_expected: None
) -> AsyncGenerator[FakeFrigateServer]:
    """A fake Frigate on HTTPS with a self-signed certificate (like its port 8971)."""
    server = FakeFrigateServer(version="0.17", seed=1)
    await server.start(ssl_context=self_signed_context(tmp_path))
    yield server
    await server.stop()


async def test_frigate_tls_verified_unless_turned_off(
    hass: HomeAssistant,
    frigate: FakeFrigateServer,
    tls_frigate: FakeFrigateServer,
    hass_client: ClientSessionGenerator,
) -> None:
    """Verification is on by default (a self-signed server is refused) and off only when the
    entry says so; diagnostics show which."""
    assert tls_frigate.url.startswith("https://")
    plain = await setup_frigate(hass, make_frigate_entry(frigate))
    assert plain.runtime_data.client.verify_ssl is True
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, plain)
    assert diagnostics["server"]["verify_ssl"] is True
    await hass.config_entries.async_unload(plain.entry_id)
    await hass.config_entries.async_remove(plain.entry_id)

    verified = await setup_frigate(hass, make_frigate_entry(tls_frigate))
    assert verified.state is ConfigEntryState.SETUP_RETRY
    assert not tls_frigate.requests, "a request got through an unverified certificate"
    await hass.config_entries.async_remove(verified.entry_id)

    unverified = await setup_frigate(
        hass, make_frigate_entry(tls_frigate, **{CONF_VERIFY_SSL: False})
    )
    assert unverified.state is ConfigEntryState.LOADED
    assert unverified.runtime_data.client.verify_ssl is False
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, unverified)
    assert diagnostics["server"]["verify_ssl"] is False


@pytest.fixture
async def tls_camera(
    socket_enabled: None,
    tmp_path: Path,
    refused_handshakes_expected: None,
    freezer: FrozenDateTimeFactory,  # the certificate's dates need one clock
) -> AsyncGenerator[tuple[str, Any]]:
    """The fake FLIR camera's app on HTTPS with a self-signed certificate."""
    camera = FakeFlirCamera(profile="smart_sensor", serial=SMART_SERIAL, drift=False)
    runner = web.AppRunner(camera.app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=self_signed_context(tmp_path))
    await site.start()
    port = runner.addresses[0][1]
    yield f"https://127.0.0.1:{port}", camera
    await runner.cleanup()


async def test_flir_tls_verified(
    hass: HomeAssistant, flir_smart: FakeFlirCamera, tls_camera: tuple[str, FakeFlirCamera]
) -> None:
    """FLIR entries have no switch: certificates are always verified."""
    url, camera = tls_camera
    plain = await setup_entry(hass, flir_entry(flir_smart, SMART_SERIAL))
    assert plain.runtime_data.client._transport._verify_ssl is True
    entry = MockConfigEntry(
        domain=plain.domain,
        entry_id="flir_tls",
        title="FLIR over TLS",
        unique_id="tls-camera",
        data={**plain.data, "host": url},
    )
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert not camera.requests, "a request got through an unverified certificate"


async def test_flir_tls_choice_in_diagnostics(
    hass: HomeAssistant, flir_smart: FakeFlirCamera, hass_client: ClientSessionGenerator
) -> None:
    entry = await setup_entry(hass, flir_entry(flir_smart, SMART_SERIAL))
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert '"verify_ssl": true' in json.dumps(diagnostics)


def test_the_scan_finds_what_it_looks_for() -> None:
    """The scan is not blind: each kind of leak in each shape is found."""
    token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl"
    samples = {
        "password": f"login as admin with {FLIR_SECRET}",
        "escaped in JSON": json.dumps({"p": 'say "' + FRIGATE_SECRET + '"'}),
        "Basic value": "Authorization: " + aiohttp.encode_basic_auth(FLIR_USER, "other-pass"),
        "Basic credential": base64.b64encode(f"{FLIR_USER}:{FLIR_SECRET}".encode()).decode(),
        "JWT": f"cookie frigate_token={token}",
        "Bearer": "headers {'authorization': 'Bearer abc.def-123_456'}",
        "Digest": 'Digest username="admin", realm="FLIR Camera", nonce="n", uri="/api"',
        "Digest response": 'qop=auth, nc=00000001, response="0123456789abcdef0123456789abcdef"',
    }
    for name, sample in samples.items():
        leaks = Leaks([FLIR_SECRET, FRIGATE_SECRET], users=[(FLIR_USER, FLIR_SECRET)])
        leaks.scan(name, sample)
        assert leaks.found, name
    clean = Leaks([FLIR_SECRET], users=[(FLIR_USER, FLIR_SECRET)])
    clean.scan("words", "The camera asks for basic authentication; Bearer token refused")
    clean.check()
