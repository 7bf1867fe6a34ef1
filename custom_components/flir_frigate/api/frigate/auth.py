"""Authentication against Frigate: lazy login (JWT cookie sent back as Bearer), static tokens.

* none: no credentials; the internal port (5000) or a Frigate older than 0.14.
* login: `POST /api/login` with username and password; Frigate answers with the JWT in a
  cookie (its name is configurable on the server, so any JWT-like cookie is accepted) and
  the token is sent as `Authorization: Bearer`. Login is lazy: it happens only once the
  server has answered 401 (or `probe` found that the port needs it), so credentials given
  for the internal port are never used. A 401 with a token leads to exactly one new login
  and retry. The token is renewed shortly before the `exp` of its (unverified) claims.
  A refused login blocks further attempts for `LOGIN_FAILURE_BACKOFF` seconds and a 429 for
  `Retry-After` (default `RATE_LIMIT_BACKOFF`) seconds, so `/api/login` is never hammered.
* token: a static bearer token, sent with every request, never refreshed.
"""

import asyncio
import logging
import re
import time
from http import HTTPStatus
from http.cookies import SimpleCookie
from typing import Final

import jwt
from yarl import URL

from .exceptions import (
    FrigateAuthenticationError,
    FrigateRateLimitedError,
    FrigateUnexpectedDeviceError,
)
from .server import AuthMode
from .transport import LOGIN_LIMIT, Transport, check_status, retry_after

_LOGGER = logging.getLogger(__name__)

DEFAULT_COOKIE_NAME: Final = "frigate_token"
LOGIN_FAILURE_BACKOFF: Final = 30.0
"""Seconds during which no new login is tried after Frigate refused the credentials."""
RATE_LIMIT_BACKOFF: Final = 60.0
"""Seconds to wait after a 429 on login when the server sends no `Retry-After`."""
MAX_TOKEN_REFRESH_MARGIN: Final = 60.0
"""A token is renewed this long (at most a quarter of its lifetime) before it expires."""

_JWT_RE: Final = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")


def bearer(token: str | None) -> dict[str, str]:
    """The `Authorization` header for a token (none without one)."""
    return {"Authorization": f"Bearer {token}"} if token else {}


def _refresh_at(token: str, now: float) -> float | None:
    """Wall-clock time to renew the token from its `exp` claim; None without a usable one."""
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError, RecursionError:
        return None
    exp = claims.get("exp")
    if not isinstance(exp, int | float) or isinstance(exp, bool) or exp <= now:
        return None
    return exp - min(MAX_TOKEN_REFRESH_MARGIN, (exp - now) / 4)


class Authenticator:
    """Holds the credentials and the current token of one client."""

    def __init__(
        self,
        transport: Transport,
        login_url: URL,
        *,
        username: str | None,
        password: str | None,
        token: str | None,
    ) -> None:
        """Check the credentials (ValueError); no I/O."""
        if (username is None) != (password is None):
            raise ValueError("give both username and password")
        if token is not None and username is not None:
            raise ValueError("give either username/password or a token")
        if token is not None and not token.strip():
            raise ValueError("the token is empty")
        self._transport = transport
        self._login_url = login_url
        self._username = username
        self._password = password
        self._static_token = token.strip() if token is not None else None
        self._jwt: str | None = None
        self._jwt_refresh_at: float | None = None  # wall clock
        self._cookie_name = DEFAULT_COOKIE_NAME
        self._login_lock = asyncio.Lock()
        self._blocked_until = 0.0  # monotonic
        self._blocked_by_rate_limit = False
        self.required: bool | None = None
        """None: not known yet; True: the port answered 401; False: it answered without auth."""

    @property
    def mode(self) -> AuthMode:
        """The authentication mode given at construction."""
        if self._static_token is not None:
            return "token"
        return "login" if self._password is not None else "none"

    @property
    def has_credentials(self) -> bool:
        """Whether a token or a password was given."""
        return self.mode != "none"

    async def token(self) -> str | None:
        """The token to send: static, current JWT, or a new login once auth is known needed."""
        if self._static_token is not None:
            return self._static_token
        if self._password is None or self.required is not True:
            return None
        async with self._login_lock:
            if self._jwt is not None and (
                self._jwt_refresh_at is None or time.time() < self._jwt_refresh_at
            ):
                return self._jwt
            self._jwt = None
            return await self._login()

    def retry_after_401(self, status: int, token: str | None) -> bool:
        """After a first 401: with a password, forget the token and say to log in and retry."""
        if status != HTTPStatus.UNAUTHORIZED or self._password is None:
            return False
        self.required = True
        if token is not None and token == self._jwt:
            self._jwt = None
        _LOGGER.debug("Frigate answered 401; logging in again")
        return True

    def _block_login(self, seconds: float, *, rate_limited: bool) -> None:
        self._blocked_until = time.monotonic() + seconds
        self._blocked_by_rate_limit = rate_limited

    async def _login(self) -> str:
        """`POST /api/login`; store and return the JWT from the cookie. Lock held by caller."""
        if (remaining := self._blocked_until - time.monotonic()) > 0:
            if self._blocked_by_rate_limit:
                raise FrigateRateLimitedError(
                    "Frigate rate-limits logins; waiting before trying again",
                    retry_after=remaining,
                )
            raise FrigateAuthenticationError("Frigate refused the login recently; not retrying yet")
        reply = await self._transport.exchange(
            "POST",
            self._login_url,
            limit=LOGIN_LIMIT,
            json_body={"user": self._username, "password": self._password},
        )
        if reply.status == HTTPStatus.TOO_MANY_REQUESTS:
            seconds = retry_after(reply.headers, RATE_LIMIT_BACKOFF)
            self._block_login(seconds, rate_limited=True)
            _LOGGER.debug("Frigate rate-limits logins; next attempt in %.0f s", seconds)
            raise FrigateRateLimitedError("Frigate rate-limits login attempts", retry_after=seconds)
        if reply.status in {HTTPStatus.BAD_REQUEST, HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN}:
            self._block_login(LOGIN_FAILURE_BACKOFF, rate_limited=False)
            raise FrigateAuthenticationError("Frigate refused the username or password")
        if reply.status in {HTTPStatus.NOT_FOUND, HTTPStatus.METHOD_NOT_ALLOWED}:
            raise FrigateAuthenticationError(
                "Frigate requires authentication but has no login (auth disabled behind a proxy?)"
            )
        check_status(reply.status, reply.headers, resource=False, credentials=True)
        token = self._token_from(reply.cookies)
        if token is None:
            raise FrigateUnexpectedDeviceError("Frigate's login answer carries no token cookie")
        self._jwt_refresh_at = _refresh_at(token, time.time())
        self._jwt = token
        self.required = True
        _LOGGER.debug("Logged in to Frigate (cookie %s)", self._cookie_name)
        return token

    def _token_from(self, cookies: SimpleCookie) -> str | None:
        """The JWT among the cookies: the known cookie name first, else any JWT-like one."""
        found = {name: m.value for name, m in cookies.items() if _JWT_RE.fullmatch(m.value)}
        for name in (self._cookie_name, DEFAULT_COOKIE_NAME, *found):
            if name in found:
                self._cookie_name = name
                return found[name]
        return None
