"""`FrigateLive`: one connection to Frigate's websocket `/ws`, kept open by the caller's task.

Frigate's own UI talks to its server over `/ws` (0.12+): the dispatcher's topics as JSON
envelopes in both directions, behind the same authentication as the API (nginx checks the
JWT cookie or `Authorization: Bearer` at the handshake on 8971; 5000 needs none). The caller
runs `run()` as a background task; it connects, sends `onConnect` (0.14+ answers with
`camera_activity`, the state of every camera's switches), hands each decoded message to
`on_message`, and reconnects after any failure with capped exponential back-off and jitter.
`on_connection` tells the caller when the socket is up or down (to poll faster while it is
down). A 401 at the handshake costs one new login, like an HTTP request; a second one ends
`run()` with `FrigateAuthenticationError` so the caller can ask the user.

Commands (`set_setting`, `ptz`) go out on the open socket; a setting is confirmed by the
`<camera>/<setting>/state` message that follows. Frigate answers nothing to a command it
refuses (a non-admin on 0.17.2+, a setting that is off in its config), so `set_setting` raises
`FrigateCommandError` after `command_timeout` seconds without that message.
"""

import asyncio
import contextlib
import json
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Final

import aiohttp
from yarl import URL

from .auth import Authenticator, bearer
from .exceptions import (
    FrigateAuthenticationError,
    FrigateConnectionError,
    FrigateError,
    FrigateNotFoundError,
)
from .live_models import (
    NUMBER_SETTINGS,
    LiveMessage,
    SettingUpdate,
    decode,
    ptz_payload,
    validate_setting,
)
from .paths import validate_camera

_LOGGER = logging.getLogger(__name__)

MAX_MESSAGE_SIZE: Final = 4 * 1024 * 1024
"""A `stats` or `camera_activity` message of 100 cameras stays well under 1 MiB."""
HEARTBEAT: Final = 30.0
"""Seconds between pings; a socket that answers none within half of it is dead."""
BACKOFF_INITIAL: Final = 1.0
BACKOFF_MAX: Final = 60.0
COMMAND_TIMEOUT: Final = 5.0
CLOSE_TIMEOUT: Final = 5.0
"""Seconds to wait for Frigate to answer our close frame."""
STABLE_AFTER: Final = 30.0
"""A connection that lasted this long resets the back-off."""


class FrigateCommandError(FrigateError):
    """Frigate did not confirm a command in time (refused for the user's role, or not allowed)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class LiveOptions:
    """Tuning of the connection; the defaults suit a real server."""

    heartbeat: float | None = HEARTBEAT  # None: no pings (tests with a frozen clock)
    max_message_size: int = MAX_MESSAGE_SIZE
    backoff_initial: float = BACKOFF_INITIAL
    backoff_max: float = BACKOFF_MAX
    command_timeout: float = COMMAND_TIMEOUT
    stable_after: float = STABLE_AFTER


type Connector = Callable[[float | None, int], Awaitable[aiohttp.ClientWebSocketResponse]]
"""Opens the socket: `(heartbeat, max_message_size)`; `FrigateClient.websocket` is one."""


def backoff_delay(attempt: int, options: LiveOptions, rand: Callable[[], float]) -> float:
    """Capped exponential delay with full jitter between half and all of it."""
    ceiling = min(options.backoff_max, options.backoff_initial * float(2 ** min(attempt, 30)))
    return ceiling * (0.5 + rand() / 2)


class FrigateLive:
    """The websocket of one Frigate server (see the module docstring)."""

    def __init__(
        self,
        connect: Connector,
        *,
        on_message: Callable[[LiveMessage], None],
        on_connection: Callable[[bool], None] | None = None,
        options: LiveOptions | None = None,
        rand: Callable[[], float] = random.random,
    ) -> None:
        """Keep the callbacks; nothing runs until `run()`."""
        self._connect = connect
        self._on_message = on_message
        self._on_connection = on_connection
        self.options = options or LiveOptions()
        self._rand = rand
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._waiters: dict[tuple[str, str], list[asyncio.Future[bool | int]]] = {}
        self.connected = False
        self.connects = 0  # successful handshakes so far
        self.failures = 0  # consecutive failed attempts (back-off exponent)
        self.last_error: str | None = None  # kind of the last failure, for diagnostics

    async def run(self) -> None:
        """Connect, read, reconnect; until cancelled or a login is refused for good."""
        loop = asyncio.get_running_loop()
        while True:
            started = loop.time()
            try:
                await self._session()
            except FrigateAuthenticationError:
                self._set_connected(connected=False)
                raise
            except FrigateError as err:
                self.last_error = type(err).__name__
                _LOGGER.debug("Frigate websocket failed: %s", err)
            finally:
                self._set_connected(connected=False)
            if loop.time() - started >= self.options.stable_after:
                self.failures = 0
            delay = backoff_delay(self.failures, self.options, self._rand)
            self.failures += 1
            _LOGGER.debug("Frigate websocket: reconnecting in %.1f s", delay)
            await asyncio.sleep(delay)

    async def _session(self) -> None:
        """One connection: handshake, `onConnect`, messages until it closes."""
        ws = await self._open()
        try:
            self._ws = ws
            self.connects += 1
            self.last_error = None
            await self._send("onConnect", "")
            self._set_connected(connected=True)
            await self._read(ws)
        finally:
            self._ws = None
            self._fail_waiters()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(ws.close(), CLOSE_TIMEOUT)

    async def _open(self) -> aiohttp.ClientWebSocketResponse:
        return await self._connect(self.options.heartbeat, self.options.max_message_size)

    async def _read(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        while True:
            try:
                message = await ws.receive()
            except (aiohttp.ClientError, TimeoutError) as err:
                raise FrigateConnectionError(f"websocket broke ({type(err).__name__})") from err
            if message.type == aiohttp.WSMsgType.TEXT:
                self._dispatch(message.data)
            elif message.type == aiohttp.WSMsgType.BINARY:
                _LOGGER.debug("Ignoring a binary websocket message")
            elif message.type == aiohttp.WSMsgType.ERROR:
                raise FrigateConnectionError(f"websocket error ({type(ws.exception()).__name__})")
            elif message.type in {
                aiohttp.WSMsgType.CLOSE,
                aiohttp.WSMsgType.CLOSING,
                aiohttp.WSMsgType.CLOSED,
            }:
                raise FrigateConnectionError("Frigate closed the websocket")

    def _dispatch(self, text: str) -> None:
        decoded = decode(text)
        if decoded is None:
            return
        if isinstance(decoded, SettingUpdate):
            for waiter in self._waiters.pop((decoded.camera, decoded.setting), []):
                if not waiter.done():
                    waiter.set_result(decoded.value)
        try:
            self._on_message(decoded)
        except Exception:
            _LOGGER.exception("Error handling a Frigate websocket message")

    def _set_connected(self, *, connected: bool) -> None:
        if connected == self.connected:
            return
        self.connected = connected
        if self._on_connection is not None:
            self._on_connection(connected)

    def _fail_waiters(self) -> None:
        waiters, self._waiters = self._waiters, {}
        for futures in waiters.values():
            for waiter in futures:
                if not waiter.done():
                    waiter.set_exception(FrigateConnectionError("the websocket closed"))

    async def _send(self, topic: str, payload: str | int) -> None:
        ws = self._ws
        if ws is None or ws.closed:
            raise FrigateConnectionError("the Frigate websocket is not connected")
        text = json.dumps({"topic": topic, "payload": payload, "retain": False})
        try:
            await ws.send_str(text)
        except (aiohttp.ClientError, ConnectionError) as err:
            raise FrigateConnectionError("could not send on the Frigate websocket") from err

    async def set_setting(self, camera: str, setting: str, value: bool | int) -> bool | int:
        """Send `<camera>/<setting>/set` and wait for Frigate's `.../state`; its value.

        ValueError for a bad camera, setting or value; FrigateConnectionError while the
        socket is down; FrigateCommandError when Frigate confirms nothing in time.
        """
        validate_camera(camera)
        validate_setting(setting)
        if setting in NUMBER_SETTINGS:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError("the setting takes a non-negative integer")
            payload: str | int = value
        elif isinstance(value, bool):
            payload = "ON" if value else "OFF"
        else:
            raise ValueError("the setting takes ON or OFF")
        waiter: asyncio.Future[bool | int] = asyncio.get_running_loop().create_future()
        self._waiters.setdefault((camera, setting), []).append(waiter)
        try:
            await self._send(f"{camera}/{setting}/set", payload)
            async with asyncio.timeout(self.options.command_timeout):
                return await waiter
        except TimeoutError as err:
            raise FrigateCommandError(
                f"Frigate did not confirm {setting} within {self.options.command_timeout:g} s"
            ) from err
        finally:
            waiters = self._waiters.get((camera, setting), [])
            if waiter in waiters:
                waiters.remove(waiter)

    async def ptz(self, camera: str, command: str) -> None:
        """Send `<camera>/ptz` (`MOVE_*`, `ZOOM_*`, `STOP`, `preset_<name>`).

        Frigate publishes nothing for a PTZ command, so sending it is all that can be checked.
        """
        validate_camera(camera)
        await self._send(f"{camera}/ptz", ptz_payload(command))


async def open_websocket(
    session: aiohttp.ClientSession,
    url: URL,
    auth: Authenticator,
    *,
    ssl: bool,
    handshake_timeout: float,
    heartbeat: float | None,
    max_message_size: int,
) -> aiohttp.ClientWebSocketResponse:
    """The handshake with the API's token: a 401 costs one new login and one retry.

    FrigateAuthenticationError when Frigate refuses it again (or refuses a static token),
    FrigateNotFoundError without a websocket (0.11), FrigateConnectionError otherwise.
    """
    for attempt in range(2):
        token = await auth.token()
        try:
            async with asyncio.timeout(handshake_timeout):
                return await session.ws_connect(
                    url,
                    headers=bearer(token),
                    ssl=ssl,
                    heartbeat=heartbeat,
                    max_msg_size=max_message_size,
                )
        except aiohttp.WSServerHandshakeError as err:
            if err.status in {HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN}:
                if attempt == 0 and auth.retry_after_401(err.status, token):
                    continue
                raise FrigateAuthenticationError("Frigate refused the websocket handshake") from err
            if err.status == HTTPStatus.NOT_FOUND:
                raise FrigateNotFoundError("Frigate has no websocket (older than 0.12)") from err
            raise FrigateConnectionError(f"websocket handshake failed (HTTP {err.status})") from err
        except TimeoutError as err:
            raise FrigateConnectionError("the websocket handshake timed out") from err
        except aiohttp.ClientError as err:
            raise FrigateConnectionError(
                f"cannot open the websocket ({type(err).__name__})"
            ) from err
    raise AssertionError("unreachable")  # pragma: no cover
