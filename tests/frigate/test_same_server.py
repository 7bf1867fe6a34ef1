"""One entry per Frigate server: the same server behind its other port is not added twice.

Frigate answers on port 5000 (internal, no login) and 8971 (authenticated). Two URLs of the same
host with the same cameras in /api/config are one server; the flow aborts and the message says to
use Reconfigure on the existing entry. The fakes run on the same host (127.0.0.1), each on its
own port, with the same cameras unless a test changes them.
"""

from typing import Any

from homeassistant.config_entries import SOURCE_USER, ConfigEntryDisabler, ConfigEntryState
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.translation import async_get_translations
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.flir_frigate.const import CONF_KIND, DOMAIN, KIND_FRIGATE
from custom_components.flir_frigate.frigate.const import CONF_URL, CONF_VERIFY_SSL
from tests.fakes.frigate_server import FakeFrigateServer
from tests.frigate.common import (
    FRIGATE_PASSWORD,
    FRIGATE_USER,
    FrigateFactory,
    make_frigate_entry,
    setup_frigate,
)

LOGIN = {CONF_USERNAME: FRIGATE_USER, CONF_PASSWORD: FRIGATE_PASSWORD}


async def _add(hass: HomeAssistant, url: str, **credentials: str) -> Any:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": KIND_FRIGATE}
    )
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: url, CONF_VERIFY_SSL: True, **credentials}
    )


def _frigate_entries(hass: HomeAssistant) -> list[str]:
    return [entry.data[CONF_URL] for entry in hass.config_entries.async_entries(DOMAIN)]


async def test_authenticated_port_of_a_configured_server(
    hass: HomeAssistant, frigate: FakeFrigateServer, frigate_login: FakeFrigateServer
) -> None:
    """Port 5000 is configured; adding the same server's port 8971 aborts, pointing to Reconfigure."""
    await setup_frigate(hass, make_frigate_entry(frigate))
    result = await _add(hass, frigate_login.url, **LOGIN)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert _frigate_entries(hass) == [frigate.url]
    texts = await async_get_translations(hass, "en", "config", [DOMAIN])
    assert "Reconfigure" in texts[f"component.{DOMAIN}.config.abort.already_configured"]


async def test_internal_port_of_a_configured_server(
    hass: HomeAssistant, frigate: FakeFrigateServer, frigate_login: FakeFrigateServer
) -> None:
    """Port 8971 is configured; adding the same server's port 5000 aborts too."""
    await setup_frigate(hass, make_frigate_entry(frigate_login, credentials=True))
    result = await _add(hass, frigate.url)
    assert result["reason"] == "already_configured"
    assert _frigate_entries(hass) == [frigate_login.url]


async def test_configured_server_not_loaded(
    hass: HomeAssistant, frigate: FakeFrigateServer, frigate_login: FakeFrigateServer
) -> None:
    """An entry that is not loaded is asked for its cameras with its own settings."""
    make_frigate_entry(frigate_login, credentials=True).add_to_hass(hass)
    result = await _add(hass, frigate.url)
    assert result["reason"] == "already_configured"
    assert frigate_login.requests["/api/config"] == 1


async def test_other_cameras_are_another_server(
    hass: HomeAssistant, frigate_factory: FrigateFactory
) -> None:
    """Two Frigate servers on one host (other ports, other cameras) get an entry each."""
    first = await frigate_factory()
    second = await frigate_factory()
    second.add_camera("garage")
    await setup_frigate(hass, make_frigate_entry(first))
    result = await _add(hass, second.url)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].state is ConfigEntryState.LOADED
    assert sorted(_frigate_entries(hass)) == sorted([first.url, second.url])


async def test_unreachable_entry_is_not_compared(
    hass: HomeAssistant, frigate_factory: FrigateFactory
) -> None:
    """An entry whose server does not answer cannot be compared; the new server is added."""
    gone = await frigate_factory()
    here = await frigate_factory()
    MockConfigEntry(
        domain=DOMAIN,
        unique_id="gone",
        data={CONF_KIND: KIND_FRIGATE, CONF_URL: gone.url, CONF_VERIFY_SSL: True},
    ).add_to_hass(hass)
    await gone.stop()
    result = await _add(hass, here.url)
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_other_host_is_another_server(
    hass: HomeAssistant, frigate: FakeFrigateServer
) -> None:
    """The same cameras on another host are another server (and FLIR entries are no servers).

    The other entries are disabled: they are compared, but not set up with the new one.
    """
    for unique_id, data in (
        ("55501234", {"host": "127.0.0.1"}),
        ("elsewhere", {CONF_KIND: KIND_FRIGATE, CONF_URL: "http://192.0.2.1:5000"}),
    ):
        MockConfigEntry(
            domain=DOMAIN, unique_id=unique_id, data=data, disabled_by=ConfigEntryDisabler.USER
        ).add_to_hass(hass)
    result = await _add(hass, frigate.url)
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_reconfigure_onto_another_entry_server(
    hass: HomeAssistant, frigate_factory: FrigateFactory
) -> None:
    """Moving an entry to the other port of a server another entry has is refused."""
    internal = await frigate_factory()
    authenticated = await frigate_factory(auth="login")
    mine = await frigate_factory()
    mine.add_camera("garage")
    await setup_frigate(hass, make_frigate_entry(internal))
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id="mine",
        data={CONF_KIND: KIND_FRIGATE, CONF_URL: mine.url, CONF_VERIFY_SSL: True},
    )
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: authenticated.url, CONF_VERIFY_SSL: True, **LOGIN}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_URL] == mine.url


async def test_reconfigure_at_the_same_url_is_not_a_move(
    hass: HomeAssistant, frigate: FakeFrigateServer, frigate_login: FakeFrigateServer
) -> None:
    """Two entries of one server (made before this check) can still change their settings."""
    await setup_frigate(hass, make_frigate_entry(frigate))
    older = MockConfigEntry(
        domain=DOMAIN,
        unique_id="older",
        data={CONF_KIND: KIND_FRIGATE, CONF_URL: frigate_login.url, CONF_VERIFY_SSL: True},
    )
    older.add_to_hass(hass)
    result = await older.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: frigate_login.url, CONF_VERIFY_SSL: True, **LOGIN}
    )
    assert result["reason"] == "frigate_reconfigure_successful"
    assert older.data[CONF_USERNAME] == FRIGATE_USER
