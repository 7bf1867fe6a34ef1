"""Requests to one Ax8: form posts and gets, one at a time, bounded, with the web login.

The Ax8's PHP web interface is read with form posts (``res.php``) and plain gets; it never
needs HTTP authentication, but some of it wants a web-session login (the stored image's
delete, the live snapshot staying fresh, ``res.php`` on some firmware). A login is a form post
that answers ``{"success": true}`` and a ``PHPSESSID`` cookie, which this transport keeps itself
(Home Assistant's shared session may not keep cookies) and sends with every request. A request
that is sent to the login page (a redirect to it, or the login form instead of an answer) logs
in once and is sent again. As for the A-series, requests are serialized, every exchange runs
under one timeout, bodies are read against a cap and redirects are never followed.
"""

import asyncio
import json
import logging
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import aiohttp
from yarl import URL

from .exceptions import FlirAuthenticationError, FlirConnectionError, FlirUnexpectedDeviceError
from .models import AuthMode
from .transport import (
    MAX_IMAGE_BYTES,
    RESPONSE_BOUNDS,
    RequestFailedError,
    raise_for_status,
    read_bounded,
)

_LOGGER = logging.getLogger(__name__)

LOGIN_PATH: Final = "/login/dologin"
SESSION_COOKIE: Final = "PHPSESSID"
SESSION_REFRESH: Final = 8.0
"""Seconds after which a login is refreshed before the live snapshot (it goes stale at ~10)."""
MAX_TEXT_BYTES: Final = 256 * 1024
"""Cap on a res.php or /prod/res answer: a tool's fields are a few hundred bytes."""


@dataclass(frozen=True, slots=True)
class Ax8Reply:
    """One answer: status, content type and body (read only on 200)."""

    status: int
    content_type: str
    body: bytes
    location: str = ""

    def json(self, what: str) -> Any:
        """The body as JSON; FlirUnexpectedDeviceError when it is not."""
        try:
            return json.loads(self.body)
        except (ValueError, RecursionError) as err:
            raise FlirUnexpectedDeviceError(f"{what}: the answer is not JSON") from err


def _login_page(reply: Ax8Reply) -> bool:
    """Whether the camera answered with its login: a redirect to it, or its form itself.

    The Ax8's form has the field ``login_input_username`` (what the public Selenium driver
    fills in); any other page, or a redirect elsewhere, is not taken for its login.
    """
    if reply.status in {301, 302, 303, 307, 308}:
        return "login" in reply.location.lower()
    if reply.status == 200 and reply.content_type == "text/html":  # noqa: PLR2004
        return b"login_input_username" in reply.body
    return False


class Ax8Transport:
    """Sends the requests of one Ax8 client, serialized, on the caller's session."""

    def __init__(
        self,
        base_url: str,
        *,
        session: aiohttp.ClientSession,
        username: str | None,
        password: str | None,
        request_timeout: float,
        verify_ssl: bool,
    ) -> None:
        """Keep the settings; ValueError for a bad timeout."""
        if not math.isfinite(request_timeout) or request_timeout <= 0:
            raise ValueError("request_timeout must be a positive number of seconds")
        self._base_url = base_url
        self._session = session
        self._username = username or None
        self._password = password or ""
        self._timeout = float(request_timeout)
        self._verify_ssl = verify_ssl
        self._lock = asyncio.Lock()
        self._cookie: str | None = None
        self._logged_in_at: float | None = None

    @property
    def verify_ssl(self) -> bool:
        """Whether TLS certificates are verified."""
        return self._verify_ssl

    @property
    def session_headers(self) -> dict[str, str]:
        """The web session's cookie, for a request made elsewhere (the push socket)."""
        return {"Cookie": f"{SESSION_COOKIE}={self._cookie}"} if self._cookie else {}

    @property
    def auth_mode(self) -> AuthMode:
        """``login`` once the web interface took the credentials, else ``none``."""
        return "none" if self._logged_in_at is None else "login"

    @property
    def has_credentials(self) -> bool:
        """Whether a user name was given (the web login needs one)."""
        return self._username is not None

    async def request(
        self,
        method: str,
        path: str,
        *,
        data: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        limit: int = MAX_TEXT_BYTES,
    ) -> Ax8Reply:
        """One request (logging in once if the camera asks); the library's errors otherwise."""
        async with self._lock:
            reply, _cookie = await self._exchange(method, path, data, params, limit)
            if _login_page(reply):
                await self._login()
                reply, _cookie = await self._exchange(method, path, data, params, limit)
                if _login_page(reply):
                    raise FlirAuthenticationError("the camera keeps asking for its web login")
            return reply

    async def login(self, *, refresh_after: float | None = None) -> bool:
        """Log in (again when the last login is older than `refresh_after` seconds).

        False without credentials; FlirAuthenticationError when the camera refuses them.
        """
        if not self.has_credentials:
            return False
        async with self._lock:
            at = self._logged_in_at
            if refresh_after is None or at is None or time.monotonic() - at > refresh_after:
                await self._login()
        return True

    async def _login(self) -> None:
        if not self.has_credentials:
            raise FlirAuthenticationError("the camera asks for its web login")
        assert self._username is not None
        self._cookie = None
        form = {"user_name": self._username, "user_password": self._password}
        reply, cookie = await self._exchange("POST", LOGIN_PATH, form, None, MAX_TEXT_BYTES)
        answer: Any = None
        if reply.status == 200:  # noqa: PLR2004
            try:
                answer = json.loads(reply.body)
            except ValueError, RecursionError:
                answer = None
        if not isinstance(answer, Mapping) or answer.get("success") is not True or not cookie:
            raise FlirAuthenticationError("the camera refused the credentials")
        _LOGGER.debug("Logged in to the camera's web interface")
        self._cookie = cookie
        self._logged_in_at = time.monotonic()

    async def _exchange(
        self,
        method: str,
        path: str,
        data: Mapping[str, str] | None,
        params: Mapping[str, str] | None,
        limit: int,
    ) -> tuple[Ax8Reply, str | None]:
        """One request under one timeout; the reply and the session cookie it set, if any."""
        url = URL(self._base_url + path)
        if params:
            url = url.with_query(params)
        headers = self.session_headers
        try:
            async with (
                asyncio.timeout(self._timeout),
                self._session.request(
                    method,
                    url,
                    data=dict(data) if data is not None else None,
                    headers=headers,
                    ssl=self._verify_ssl,
                    allow_redirects=False,
                    raise_for_status=False,
                    **RESPONSE_BOUNDS,
                ) as response,
            ):
                body = (
                    await read_bounded(response, f"{method} {path}", limit)
                    if response.status == 200  # noqa: PLR2004
                    else b""
                )
                morsel = response.cookies.get(SESSION_COOKIE)
                return (
                    Ax8Reply(
                        status=response.status,
                        content_type=response.content_type.lower(),
                        body=body,
                        location=response.headers.get("Location", ""),
                    ),
                    None if morsel is None else morsel.value,
                )
        except TimeoutError as err:
            raise RequestFailedError(
                f"{method} {path} timed out after {self._timeout:g} s"
            ) from err
        except aiohttp.ClientConnectorError as err:
            reason = getattr(err.os_error, "strerror", None) or type(err).__name__
            raise FlirConnectionError(f"cannot connect to the camera ({reason})") from err
        except aiohttp.ClientError as err:
            raise RequestFailedError(f"{method} {path} failed ({type(err).__name__})") from err


def check(reply: Ax8Reply, what: str) -> None:
    """The library's error for anything but 200."""
    raise_for_status(reply.status, what)


__all__ = ["MAX_IMAGE_BYTES", "Ax8Reply", "Ax8Transport", "check"]
