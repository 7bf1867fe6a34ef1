"""Config flow steps of Frigate NVR servers: add, reauthenticate, reconfigure, options.

A Frigate server has no serial number, and its address is no identity (the quality scale refuses
URLs): an entry's unique id is made once when it is created and kept when the server moves. The
same server is recognized by its URL, and behind another port of the same host (5000 and 8971) by
its cameras: the same set of cameras in /api/config.
"""

from collections.abc import Mapping
from time import monotonic
from typing import Any

import aiohttp
import probatio as vol
from homeassistant.config_entries import (
    ConfigEntry,
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME
from homeassistant.helpers.aiohttp_client import async_create_clientsession
from homeassistant.helpers.selector import (
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
from homeassistant.util.ulid import ulid_now
from yarl import URL

from .. import kind_of
from ..api.frigate.exceptions import FrigateError, FrigateRateLimitedError
from ..const import CONF_KIND, KIND_FRIGATE, LOGGER
from .const import (
    CONF_CAMERAS,
    CONF_LABELS,
    CONF_TOKEN,
    CONF_URL,
    CONF_VERIFY_SSL,
    OPTION_IGNORED_CAMERAS,
    OPTION_IGNORED_LABELS,
    OPTION_MEDIA_BROWSER,
)
from .coordinator import FrigateConfigEntry
from .errors import form_error
from .setup import create_client

SECRET = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
CREDENTIALS_SCHEMA = vol.Schema(
    {
        vol.Optional(CONF_USERNAME): str,
        vol.Optional(CONF_PASSWORD): SECRET,
        vol.Optional(CONF_TOKEN): SECRET,
    }
)
FRIGATE_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_URL): str,
        vol.Required(CONF_VERIFY_SSL, default=True): bool,
    }
).extend(CREDENTIALS_SCHEMA.schema)
CREDENTIAL_KEYS = (CONF_USERNAME, CONF_PASSWORD, CONF_TOKEN)


def normalize_url(text: str) -> URL | None:
    """The server URL as stored: scheme added, host lower-cased, no trailing slash."""
    value = text.strip()
    if "://" not in value:
        value = f"http://{value}"
    try:
        url = URL(value)
    except ValueError:
        return None
    if (
        url.scheme not in {"http", "https"}
        or not url.host
        or url.user is not None
        or url.password is not None
        or url.query_string
        or url.fragment
    ):
        return None
    return url.with_path(url.path.rstrip("/"))


def frigate_title(url: URL) -> str:
    """Entry title from the URL: `Frigate <host[:port]>`."""
    port = f":{url.explicit_port}" if url.explicit_port is not None else ""
    return f"Frigate {url.host}{port}"


def _credentials_error(data: Mapping[str, Any]) -> dict[str, str]:
    if bool(data.get(CONF_USERNAME)) != bool(data.get(CONF_PASSWORD)):
        return {"base": "credentials_incomplete"}
    if data.get(CONF_TOKEN) and data.get(CONF_USERNAME):
        return {"base": "auth_conflict"}
    return {}


class FrigateFlowMixin(ConfigFlow):
    """Frigate steps of the integration's config flow."""

    _frigate_blocked_until: float = 0.0

    def _frigate_data(
        self, user_input: Mapping[str, Any], previous: Mapping[str, Any] | None = None
    ) -> tuple[dict[str, Any], dict[str, str]]:
        """Entry data from a form, or the errors of the form.

        With `previous` (reconfigure), an empty password keeps the stored one for the same
        user, and an empty token the stored token when no user is given.
        """
        url = normalize_url(str(user_input.get(CONF_URL, "")))
        if url is None:
            return {}, {CONF_URL: "invalid_url"}
        data: dict[str, Any] = {
            CONF_KIND: KIND_FRIGATE,
            CONF_URL: str(url),
            CONF_VERIFY_SSL: bool(user_input.get(CONF_VERIFY_SSL, True)),
        }
        data |= {key: user_input[key] for key in CREDENTIAL_KEYS if user_input.get(key)}
        if previous is not None:
            same_user = data.get(CONF_USERNAME) == previous.get(CONF_USERNAME)
            if same_user and CONF_PASSWORD not in data and previous.get(CONF_PASSWORD):
                data[CONF_PASSWORD] = previous[CONF_PASSWORD]
            if CONF_USERNAME not in data and CONF_TOKEN not in data and CONF_TOKEN in previous:
                data[CONF_TOKEN] = previous[CONF_TOKEN]
        return data, _credentials_error(data)

    async def _async_frigate_probe(
        self, data: Mapping[str, Any]
    ) -> tuple[frozenset[str], dict[str, str]]:
        """Connect, identify Frigate, log in and read its cameras; and the form errors, if any."""
        if monotonic() < self._frigate_blocked_until:
            # Do not add to Frigate's count of failed logins.
            return frozenset(), {"base": "rate_limited"}
        session = async_create_clientsession(
            self.hass,
            verify_ssl=bool(data.get(CONF_VERIFY_SSL, True)),
            auto_cleanup=False,
            cookie_jar=aiohttp.DummyCookieJar(),
        )
        try:
            client = create_client(session, data)
            await client.probe()
            config = await client.config()
        except FrigateError as err:
            if isinstance(err, FrigateRateLimitedError):
                self._frigate_blocked_until = monotonic() + err.retry_after
            error = form_error(err)
        except Exception:  # noqa: BLE001
            LOGGER.exception("Unexpected error while connecting to a Frigate server")
            error = "unknown"
        else:
            return frozenset(config.cameras), {}
        finally:
            session.detach()
        return frozenset(), {"base": error}

    async def _async_same_server(
        self, url: URL, cameras: frozenset[str], exclude: str | None = None
    ) -> ConfigEntry | None:
        """The entry of this server at another address: the same host with the same cameras."""
        for entry in self._async_current_entries(include_ignore=False):
            other = normalize_url(str(entry.data.get(CONF_URL, "")))
            if (
                kind_of(entry) != KIND_FRIGATE
                or entry.entry_id == exclude
                or other is None
                or other.host != url.host
            ):
                continue
            if entry.state is ConfigEntryState.LOADED:
                known = frozenset(entry.runtime_data.hub.data.config.cameras)
            else:
                known, errors = await self._async_frigate_probe(entry.data)
                if errors:
                    continue
            if known == cameras:
                return entry
        return None

    async def async_step_frigate(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the Frigate server's URL and credentials."""
        errors: dict[str, str] = {}
        if user_input is not None:
            data, errors = self._frigate_data(user_input)
            if not errors:
                # Stored URLs are normalized like this one: the same text is the same server.
                self._async_abort_entries_match({CONF_URL: data[CONF_URL]})
                url = URL(data[CONF_URL])
                cameras, errors = await self._async_frigate_probe(data)
                if not errors:
                    if await self._async_same_server(url, cameras) is not None:
                        return self.async_abort(reason="already_configured")
                    await self.async_set_unique_id(ulid_now())
                    return self.async_create_entry(title=frigate_title(url), data=data)
        return self.async_show_form(
            step_id="frigate",
            data_schema=self.add_suggested_values_to_schema(
                FRIGATE_SCHEMA, _without_secrets(user_input)
            ),
            errors=errors,
        )

    async def async_step_frigate_reauth(self) -> ConfigFlowResult:
        """Reauthenticate a Frigate server."""
        return await self.async_step_frigate_reauth_confirm()

    async def async_step_frigate_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for a new password or token."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            kept = {key: value for key, value in entry.data.items() if key not in CREDENTIAL_KEYS}
            data, errors = self._frigate_data({**kept, **user_input})
            if not errors:
                _, errors = await self._async_frigate_probe(data)
            if not errors:
                return self.async_update_reload_and_abort(
                    entry, data=data, reason="frigate_reauth_successful"
                )
        return self.async_show_form(
            step_id="frigate_reauth_confirm",
            data_schema=self.add_suggested_values_to_schema(
                CREDENTIALS_SCHEMA,
                {CONF_USERNAME: (user_input or entry.data).get(CONF_USERNAME)},
            ),
            description_placeholders={"url": entry.data[CONF_URL]},
            errors=errors,
        )

    async def async_step_frigate_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the URL, TLS verification or credentials of a Frigate server."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            data, errors = self._frigate_data(user_input, previous=entry.data)
            if not errors:
                url = URL(data[CONF_URL])
                moved = data[CONF_URL] != entry.data.get(CONF_URL)
                if moved and any(
                    other.data.get(CONF_URL) == data[CONF_URL]
                    for other in self._async_current_entries(include_ignore=False)
                ):
                    return self.async_abort(reason="already_configured")
                cameras, errors = await self._async_frigate_probe(data)
                if not errors:
                    if moved and (
                        await self._async_same_server(url, cameras, entry.entry_id) is not None
                    ):
                        return self.async_abort(reason="already_configured")
                    return self.async_update_reload_and_abort(
                        entry, data=data, reason="frigate_reconfigure_successful"
                    )
        return self.async_show_form(
            step_id="frigate_reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                FRIGATE_SCHEMA, _without_secrets(user_input or entry.data)
            ),
            errors=errors,
        )


def _without_secrets(data: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Form values to show again: never the password or token."""
    if data is None:
        return None
    return {key: value for key, value in data.items() if key not in (CONF_PASSWORD, CONF_TOKEN)}


class FrigateOptionsFlow(OptionsFlowWithReload):
    """Which cameras get devices and which labels get per-label entities.

    The options store what is left out, so cameras and labels that appear in Frigate later
    get their entities without a visit here.
    """

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Start with the Frigate options."""
        return await self.async_step_frigate_options(user_input)

    async def async_step_frigate_options(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Choose cameras and labels among those the server has now."""
        entry: FrigateConfigEntry = self.config_entry
        if entry.state is not ConfigEntryState.LOADED:
            return self.async_abort(reason="frigate_not_loaded")
        hub = entry.runtime_data.hub
        config = hub.data.config
        cameras = sorted(hub.visible_cameras(config))
        labels = sorted(config.all_tracked_objects)
        ignored_cameras = set(entry.options.get(OPTION_IGNORED_CAMERAS, ()))
        ignored_labels = set(entry.options.get(OPTION_IGNORED_LABELS, ()))
        if user_input is not None:
            chosen_cameras = set(user_input.get(CONF_CAMERAS, ()))
            chosen_labels = set(user_input.get(CONF_LABELS, ()))
            # Left-out names that Frigate does not have right now stay left out.
            return self.async_create_entry(
                data={
                    OPTION_IGNORED_CAMERAS: sorted(
                        (set(cameras) - chosen_cameras) | (ignored_cameras - set(cameras))
                    ),
                    OPTION_IGNORED_LABELS: sorted(
                        (set(labels) - chosen_labels) | (ignored_labels - set(labels))
                    ),
                    OPTION_MEDIA_BROWSER: bool(user_input.get(OPTION_MEDIA_BROWSER, True)),
                }
            )
        schema = vol.Schema(
            {
                vol.Optional(
                    CONF_CAMERAS, default=[name for name in cameras if name not in ignored_cameras]
                ): _multi_select(cameras),
                vol.Optional(
                    CONF_LABELS, default=[name for name in labels if name not in ignored_labels]
                ): _multi_select(labels),
                vol.Optional(
                    OPTION_MEDIA_BROWSER, default=entry.options.get(OPTION_MEDIA_BROWSER, True)
                ): bool,
            }
        )
        return self.async_show_form(step_id="frigate_options", data_schema=schema)


def _multi_select(options: list[str]) -> SelectSelector:
    return SelectSelector(
        SelectSelectorConfig(options=options, multiple=True, mode=SelectSelectorMode.LIST)
    )
