"""Runs a real Home Assistant process with this integration, onboarded through its REST API.

Used by scripts/develop, scripts/screenshots and the end-to-end tests (tests/e2e). Everything
binds to 127.0.0.1.
"""

import asyncio
import contextlib
import ctypes
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp

REPO = Path(__file__).resolve().parent.parent
COMPONENT = REPO / "custom_components" / "flir_frigate"
DOMAIN = "flir_frigate"

CONFIGURATION = """\
# Written by tests/harness.py: a minimal Home Assistant for trying the integration.
# The HTTP server's address (127.0.0.1:{port}) is in .storage/http, where Home Assistant keeps it.
frontend:
config:
history:
logbook:
automation: !include automations.yaml
blueprint:
notify:
logger:
  default: warning
  logs:
    custom_components.flir_frigate: debug
    homeassistant.components.http.ban: warning
"""

PR_SET_PDEATHSIG = 1  # prctl(2)

# Integrations the onboarding's core_config step adds by itself; they reach out to the internet.
ONBOARDING_EXTRAS = frozenset({"google_translate", "met", "radio_browser", "shopping_list"})


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _http_store(port: int) -> dict[str, Any]:
    """The HTTP server settings as Home Assistant stores them (it ignores `http:` in YAML).

    Since 2026.10 Home Assistant migrates `http:` from YAML into `.storage/http` as a *pending*
    trial that it reverts after five minutes unless confirmed in the UI, restarting on 0.0.0.0:8123.
    Writing the store as a confirmed ("stable") config keeps it on 127.0.0.1 from the first start.
    """
    from homeassistant.components.http.config import HTTP_STORAGE_SCHEMA

    stable = HTTP_STORAGE_SCHEMA({"server_host": ["127.0.0.1"], "server_port": port})
    stable |= {"created_at": datetime.now(UTC).isoformat(), "error": None, "error_message": None}
    return {
        "version": 2,
        "minor_version": 2,
        "key": "http",
        "data": {"stable": stable, "pending": None, "yaml_migration_done": True},
    }


def write_config(config_dir: Path, port: int) -> None:
    """Write configuration.yaml and the HTTP settings, and link the integration."""
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "configuration.yaml").write_text(CONFIGURATION.format(port=port))
    automations = config_dir / "automations.yaml"
    if not automations.exists():
        automations.write_text("[]\n")
    storage = config_dir / ".storage"
    storage.mkdir(exist_ok=True)
    (storage / "http").write_text(json.dumps(_http_store(port), indent=2))
    custom = config_dir / "custom_components"
    custom.mkdir(exist_ok=True)
    link = custom / "flir_frigate"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(COMPONENT, target_is_directory=True)


def ensure_frontend() -> None:
    """Install the frontend package this Home Assistant asks for (once) before it starts."""
    from importlib.metadata import PackageNotFoundError, version

    import homeassistant

    manifest = Path(homeassistant.__file__).parent / "components" / "frontend" / "manifest.json"
    requirement = json.loads(manifest.read_text())["requirements"][0]
    name, wanted = requirement.split("==")
    with contextlib.suppress(PackageNotFoundError):
        if version(name) == wanted:
            return
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", requirement], check=True)


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the parent dies (Linux), so no Home Assistant is left."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start_hass(
    config_dir: Path, log: Path | None = None, *, die_with_parent: bool = False
) -> subprocess.Popen[bytes]:
    """Start `hass -c config_dir` with this interpreter (output to `log` when given).

    With `die_with_parent`, Home Assistant is stopped when this process ends in any way (tests
    killed by a timeout included).
    """
    out = log.open("ab") if log is not None else None
    return subprocess.Popen(
        [sys.executable, "-m", "homeassistant", "-c", str(config_dir)],
        stdout=out,
        stderr=subprocess.STDOUT if out is not None else None,
        env={**os.environ, "PYTHONPATH": ""},
        preexec_fn=_die_with_parent if die_with_parent else None,  # noqa: PLW1509
    )


def stop_hass(process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """Stop Home Assistant cleanly (SIGTERM), killing it when it does not stop in time."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


async def wait_ready(url: str, timeout: float = 300) -> None:
    """Wait until Home Assistant's HTTP server answers (any HTTP status counts).

    It asks a public page, so no "login attempt failed" notification is raised.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    async with aiohttp.ClientSession() as session:
        while True:
            try:
                async with session.get(f"{url}/auth/providers", timeout=aiohttp.ClientTimeout(5)):
                    return
            except aiohttp.ClientError, TimeoutError:
                pass
            if loop.time() > deadline:
                raise TimeoutError(f"Home Assistant did not start at {url}")
            await asyncio.sleep(0.5)


async def onboard(url: str, username: str, password: str) -> str:
    """Create the owner, finish onboarding and return an access token (or log in if done)."""
    client_id = f"{url}/"
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{url}/api/onboarding") as resp:
            # Once onboarding is finished, Home Assistant no longer serves this view.
            steps = (
                {step["step"]: step["done"] for step in await resp.json()}
                if resp.status == 200
                else {"user": True}
            )
        if steps.get("user"):
            return await login(url, username, password)
        async with session.post(
            f"{url}/api/onboarding/users",
            json={
                "client_id": client_id,
                "name": username.title(),
                "username": username,
                "password": password,
                "language": "en",
            },
        ) as resp:
            resp.raise_for_status()
            code = (await resp.json())["auth_code"]
        token = await _token(session, url, client_id, code)
        headers = {"Authorization": f"Bearer {token}"}
        for step, body in (
            ("core_config", {}),
            ("analytics", {}),
            ("integration", {"client_id": client_id, "redirect_uri": f"{url}/?auth_callback=1"}),
        ):
            async with session.post(f"{url}/api/onboarding/{step}", json=body, headers=headers):
                pass
        return token


async def _token(session: aiohttp.ClientSession, url: str, client_id: str, code: str) -> str:
    async with session.post(
        f"{url}/auth/token",
        data={"grant_type": "authorization_code", "code": code, "client_id": client_id},
    ) as resp:
        resp.raise_for_status()
        return str((await resp.json())["access_token"])


async def login(url: str, username: str, password: str) -> str:
    """Log in through the login flow the frontend uses and return an access token."""
    client_id = f"{url}/"
    async with aiohttp.ClientSession() as session:
        async with session.post(
            f"{url}/auth/login_flow",
            json={
                "client_id": client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": f"{url}/?auth_callback=1",
            },
        ) as resp:
            flow = await resp.json()
        async with session.post(
            f"{url}/auth/login_flow/{flow['flow_id']}",
            json={"client_id": client_id, "username": username, "password": password},
        ) as resp:
            result = await resp.json()
        return await _token(session, url, client_id, result["result"])


class HassError(Exception):
    """Home Assistant answered a REST or websocket call with an error."""


class HassClient:
    """The REST and websocket APIs of one Home Assistant, as the frontend uses them."""

    def __init__(self, url: str, token: str) -> None:
        """Prepare a client; `connect` opens the HTTP session and the websocket."""
        self.url = url
        self.token = token
        self.session: aiohttp.ClientSession | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._ids = itertools.count(1)
        self._results: dict[int, asyncio.Future[Any]] = {}
        self._subscriptions: dict[int, asyncio.Queue[dict[str, Any]]] = {}
        self._reader: asyncio.Task[None] | None = None

    @property
    def headers(self) -> dict[str, str]:
        """The bearer token header."""
        return {"Authorization": f"Bearer {self.token}"}

    @property
    def http(self) -> aiohttp.ClientSession:
        """The HTTP session (after `connect`)."""
        if self.session is None:
            raise RuntimeError("call connect() first")
        return self.session

    async def connect(self) -> None:
        """Open the HTTP session and an authenticated websocket."""
        self.session = aiohttp.ClientSession(headers=self.headers)
        ws = await self.session.ws_connect(f"{self.url}/api/websocket", max_msg_size=0)
        hello = await ws.receive_json()
        if hello["type"] != "auth_required":
            raise HassError(f"unexpected websocket greeting {hello}")
        await ws.send_json({"type": "auth", "access_token": self.token})
        answer = await ws.receive_json()
        if answer["type"] != "auth_ok":
            raise HassError(f"websocket authentication failed: {answer}")
        self._ws = ws
        self._reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        """Close the websocket and the HTTP session."""
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        if self._ws is not None:
            await self._ws.close()
        if self.session is not None:
            await self.session.close()

    async def _read(self) -> None:
        assert self._ws is not None
        async for message in self._ws:
            if message.type is not aiohttp.WSMsgType.TEXT:
                break
            data = json.loads(message.data)
            for item in data if isinstance(data, list) else [data]:
                self._dispatch(item)
        for future in self._results.values():
            if not future.done():
                future.set_exception(HassError("the websocket closed"))

    def _dispatch(self, item: dict[str, Any]) -> None:
        if item.get("type") == "event" and item["id"] in self._subscriptions:
            self._subscriptions[item["id"]].put_nowait(item["event"])
        elif item.get("type") == "result" and item["id"] in self._results:
            future = self._results.pop(item["id"])
            if future.done():
                return
            if item["success"]:
                future.set_result(item.get("result"))
            else:
                future.set_exception(HassError(f"{item['error']}"))

    async def ws(self, command: str, **data: Any) -> Any:
        """Send a websocket command and return its result."""
        if self._ws is None:
            raise RuntimeError("call connect() first")
        message_id = next(self._ids)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._results[message_id] = future
        await self._ws.send_json({"id": message_id, "type": command, **data})
        async with asyncio.timeout(30):
            return await future

    @contextlib.asynccontextmanager
    async def subscribe(self, command: str, **data: Any) -> AsyncIterator[asyncio.Queue[Any]]:
        """Subscribe (e.g. `subscribe_events`) and yield the queue of events until the end."""
        if self._ws is None:
            raise RuntimeError("call connect() first")
        message_id = next(self._ids)
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._subscriptions[message_id] = queue
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._results[message_id] = future
        await self._ws.send_json({"id": message_id, "type": command, **data})
        async with asyncio.timeout(30):
            await future
        try:
            yield queue
        finally:
            del self._subscriptions[message_id]
            with contextlib.suppress(HassError, TimeoutError):
                await self.ws("unsubscribe_events", subscription=message_id)

    async def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """A REST call; returns the decoded JSON (or text), HassError on an error status."""
        async with self.http.request(method, f"{self.url}{path}", **kwargs) as resp:
            body = await resp.text()
            if resp.status >= 400:
                raise HassError(f"{method} {path}: HTTP {resp.status} {body}")
            try:
                return json.loads(body) if body else None
            except ValueError:
                return body

    async def get(self, path: str) -> Any:
        """GET a REST path."""
        return await self.request("GET", path)

    async def post(self, path: str, data: Any = None) -> Any:
        """POST JSON to a REST path."""
        return await self.request("POST", path, json=data if data is not None else {})

    async def states(self) -> dict[str, dict[str, Any]]:
        """Every entity's state, by entity id."""
        return {state["entity_id"]: state for state in await self.get("/api/states")}

    async def state(self, entity_id: str) -> dict[str, Any]:
        """One entity's state."""
        return dict(await self.get(f"/api/states/{entity_id}"))

    async def entries(self, domain: str = DOMAIN) -> list[dict[str, Any]]:
        """The config entries of a domain."""
        return list(await self.get(f"/api/config/config_entries/entry?domain={domain}"))

    async def delete_entry(self, entry_id: str) -> Any:
        """Delete a config entry, as Settings > Devices & services > Delete does."""
        return await self.request("DELETE", f"/api/config/config_entries/entry/{entry_id}")

    async def registry(self, entry_id: str | None = None) -> list[dict[str, Any]]:
        """The entity registry (only one config entry's entities when given)."""
        entities = await self.ws("config/entity_registry/list")
        return [e for e in entities if entry_id is None or e["config_entry_id"] == entry_id]

    async def wait_running(self, timeout: float = 120) -> None:
        """Wait until Home Assistant has finished starting."""
        async with asyncio.timeout(timeout):
            while (await self.get("/api/config"))["state"] != "RUNNING":  # noqa: ASYNC110
                await asyncio.sleep(0.5)

    async def remove_onboarding_extras(self, settle: float = 3.0) -> None:
        """Delete the integrations onboarding adds (weather, radio, ...): they go online."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + settle
        while loop.time() < deadline:
            for entry in await self.get("/api/config/config_entries/entry"):
                if entry["domain"] in ONBOARDING_EXTRAS:
                    with contextlib.suppress(HassError):
                        await self.delete_entry(entry["entry_id"])
            await asyncio.sleep(0.5)

    async def flow(self, handler: str = DOMAIN) -> dict[str, Any]:
        """Start a config flow (the "Add integration" dialog)."""
        return dict(
            await self.post(
                "/api/config/config_entries/flow",
                {"handler": handler, "show_advanced_options": False},
            )
        )

    async def flow_step(self, flow_id: str, data: dict[str, Any]) -> dict[str, Any]:
        """Submit a form (or pick a menu option with {"next_step_id": ...})."""
        return dict(await self.post(f"/api/config/config_entries/flow/{flow_id}", data))

    async def wait_for(
        self,
        predicate: Callable[[dict[str, dict[str, Any]]], bool],
        *,
        timeout: float = 60,
        what: str = "a condition on the states",
    ) -> dict[str, dict[str, Any]]:
        """Poll /api/states until `predicate(states)` holds; returns those states."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            states = await self.states()
            if predicate(states):
                return states
            if loop.time() > deadline:
                raise TimeoutError(f"timed out after {timeout:g} s waiting for {what}")
            await asyncio.sleep(0.5)
