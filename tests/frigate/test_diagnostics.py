"""Diagnostics of a Frigate entry: useful, with URL, credentials and tokens redacted."""

import json

import pytest
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from tests.fakes.frigate_server import FakeFrigateServer
from tests.frigate.common import (
    FRIGATE_PASSWORD,
    FrigateFactory,
    make_frigate_entry,
    setup_frigate,
)


@pytest.mark.freeze_time("2026-11-21 12:00:00+00:00")
async def test_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    frigate_factory: FrigateFactory,
    snapshot: SnapshotAssertion,
) -> None:
    """Nothing that locates or opens the server appears in the diagnostics."""
    frigate_login = await frigate_factory(auth="login", username="nvr-viewer")
    frigate_login.create_event("front_door", "person", sub_label="Bob")
    entry = await setup_frigate(hass, make_frigate_entry(frigate_login, credentials=True))
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    text = json.dumps(diagnostics)
    assert FRIGATE_PASSWORD not in text
    assert "127.0.0.1" not in text
    assert frigate_login.username not in text
    assert diagnostics["server"]["auth_mode"] == "login"
    assert diagnostics["cameras"]["front_door"]["in_progress"]
    assert diagnostics == snapshot


async def test_diagnostics_with_token(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    frigate_login: FakeFrigateServer,
) -> None:
    """A static token is redacted too."""
    token = frigate_login.issue_token()
    entry = await setup_frigate(hass, make_frigate_entry(frigate_login, token=token))
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    text = json.dumps(diagnostics)
    assert token not in text
    assert token.split(".")[1] not in text
    assert diagnostics["server"]["auth_mode"] == "token"
