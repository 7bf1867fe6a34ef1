"""Fake devices plus a real, onboarded Home Assistant, all in one event loop, on 127.0.0.1.

The fakes run in the caller's event loop (their hooks are plain method calls), Home Assistant
in a child process. Used by the end-to-end tests and by scripts/screenshots.
"""

import asyncio
import contextlib
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.fakes.flir_camera import FakeFlirCamera
from tests.fakes.frigate_server import FakeFrigateServer
from tests.harness import (
    REPO,
    HassClient,
    free_port,
    onboard,
    start_hass,
    stop_hass,
    wait_ready,
    write_config,
)

OWNER = "owner"
OWNER_PASSWORD = "owner-password"
FLIR_USERNAME = "admin"
FLIR_PASSWORD = "flir-e2e-secret"
FRIGATE_USERNAME = "admin"
FRIGATE_PASSWORD = "frigate-e2e-secret"
WRONG_PASSWORD = "not-the-password"
FRIGATE_VERSION = "0.17"
BLUEPRINTS = REPO / "blueprints" / "automation" / "flir_frigate"


@dataclass
class Devices:
    """The fake devices: a FLIR camera of each profile and a Frigate server."""

    smart: FakeFlirCamera = field(
        default_factory=lambda: FakeFlirCamera(
            profile="smart_sensor",
            auth="digest",
            username=FLIR_USERNAME,
            password=FLIR_PASSWORD,
            drift=False,
        )
    )
    streaming: FakeFlirCamera = field(
        default_factory=lambda: FakeFlirCamera(profile="image_streaming", drift=False)
    )
    frigate: FakeFrigateServer = field(
        default_factory=lambda: FakeFrigateServer(
            version=FRIGATE_VERSION,
            auth="login",
            username=FRIGATE_USERNAME,
            password=FRIGATE_PASSWORD,
            seed=7,
            websocket=True,
        )
    )
    frigate_port: int = 0

    async def start(self) -> None:
        """Start every fake on a free loopback port."""
        await self.smart.start("127.0.0.1", 0)
        await self.streaming.start("127.0.0.1", 0)
        await self.frigate.start("127.0.0.1", 0)
        self.frigate_port = int(self.frigate.url.rsplit(":", 1)[1])

    async def stop(self) -> None:
        """Stop every fake."""
        for fake in (self.smart, self.streaming, self.frigate):
            with contextlib.suppress(Exception):
                await fake.stop()

    async def restart_frigate(self) -> None:
        """Start the Frigate fake again on its port (after `frigate.stop()`)."""
        await self.frigate.start("127.0.0.1", self.frigate_port)

    @property
    def smart_host(self) -> str:
        """What a user types as the smart-sensor camera's host."""
        return f"127.0.0.1:{self.smart.port}"

    @property
    def streaming_host(self) -> str:
        """What a user types as the image-streaming camera's host."""
        return f"127.0.0.1:{self.streaming.port}"


@dataclass
class Stack:
    """Fake devices, a Home Assistant process and an API client logged in as its owner."""

    root: Path
    devices: Devices = field(default_factory=Devices)
    port: int = 0
    process: Any = None
    client: HassClient | None = None

    @property
    def config_dir(self) -> Path:
        """Home Assistant's configuration folder."""
        return self.root / "config"

    @property
    def log(self) -> Path:
        """Home Assistant's own log file."""
        return self.config_dir / "home-assistant.log"

    @property
    def url(self) -> str:
        """Home Assistant's base URL."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def hass(self) -> HassClient:
        """The API client (after `start`)."""
        if self.client is None:
            raise RuntimeError("the stack is not running")
        return self.client

    async def start(self) -> None:
        """Start the fakes and Home Assistant; onboard it; connect the API client."""
        await self.devices.start()
        self.port = free_port()
        write_config(self.config_dir, self.port)
        self.process = start_hass(
            self.config_dir, self.root / "hass-output.log", die_with_parent=True
        )
        await wait_ready(self.url, timeout=180)
        token = await onboard(self.url, OWNER, OWNER_PASSWORD)
        self.client = HassClient(self.url, token)
        await self.client.connect()
        await self.client.wait_running()
        await self.client.remove_onboarding_extras()

    async def stop(self) -> None:
        """Stop Home Assistant, then the fakes."""
        if self.client is not None:
            with contextlib.suppress(Exception):
                await self.client.close()
        if self.process is not None:
            await asyncio.get_running_loop().run_in_executor(None, stop_hass, self.process)
        await self.devices.stop()

    def log_problems(self, expected: Iterable[str] = ()) -> list[str]:
        """ERROR/CRITICAL records and tracebacks of this integration in Home Assistant's log.

        `expected` are regular expressions of records a test caused on purpose (a device it
        unplugged is logged once as an error by Home Assistant's coordinator).
        """
        return integration_problems(self.log.read_text(errors="replace"), expected)

    def install_blueprints(self) -> list[Path]:
        """Copy the repository's blueprints where Home Assistant looks for them."""
        target = self.config_dir / "blueprints" / "automation" / "flir_frigate"
        target.mkdir(parents=True, exist_ok=True)
        copied = []
        for blueprint in sorted(BLUEPRINTS.glob("*.yaml")):
            shutil.copy(blueprint, target / blueprint.name)
            copied.append(target / blueprint.name)
        return copied


_RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ (\w+) \(([^)]*)\) \[([^\]]+)\] ")


def integration_problems(log: str, expected: Iterable[str] = ()) -> list[str]:
    """Log records at ERROR or above, or warnings with a traceback, that involve us.

    A record involves the integration when its logger, message or traceback mentions
    `flir_frigate` (a traceback through our code names our files). Errors of Home Assistant's
    own that have nothing to do with us (e.g. no ffmpeg binary on this machine) are not ours.
    """
    records: list[list[str]] = []
    for line in log.splitlines():
        if _RECORD.match(line) or not records:
            records.append([line])
        else:
            records[-1].append(line)
    allowed = list(expected)
    problems = []
    for record in records:
        head = _RECORD.match(record[0])
        level = head.group(1) if head else ""
        text = "\n".join(record)
        serious = level in {"ERROR", "CRITICAL"} or (
            # Debug records may carry a traceback on purpose (the coordinator's "Full error").
            level == "WARNING" and "Traceback (most recent call last)" in text
        )
        if serious and "flir_frigate" in text and not any(re.search(p, text) for p in allowed):
            problems.append(text)
    return problems


@contextlib.asynccontextmanager
async def running_stack(root: Path | None = None) -> Any:
    """A started Stack in a temporary folder (kept only when `root` is given)."""
    with contextlib.ExitStack() as cleanup:
        if root is None:
            root = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="flir-e2e-")))
        stack = Stack(root=root)
        try:
            await stack.start()
            yield stack
        finally:
            await stack.stop()


# ---------------------------------------------------------------------------- the user's steps


async def add_flir(
    hass: HassClient,
    host: str,
    *,
    username: str | None = None,
    password: str | None = None,
    wrong_password: str | None = None,
) -> list[dict[str, Any]]:
    """Add a FLIR camera as a user does in the dialog; returns every step's answer.

    With `wrong_password`, that password is submitted first (and must be refused).
    """
    steps = [await hass.flow()]
    flow_id = steps[0]["flow_id"]
    steps.append(await hass.flow_step(flow_id, {"next_step_id": "flir"}))
    form: dict[str, Any] = {"host": host}
    if username is not None:
        form["username"] = username
    if wrong_password is not None:
        steps.append(await hass.flow_step(flow_id, {**form, "password": wrong_password}))
    if password is not None:
        form["password"] = password
    steps.append(await hass.flow_step(flow_id, form))
    return steps


async def add_frigate(
    hass: HassClient,
    url: str,
    *,
    username: str,
    password: str,
    wrong_password: str | None = None,
) -> list[dict[str, Any]]:
    """Add a Frigate server as a user does in the dialog; returns every step's answer."""
    steps = [await hass.flow()]
    flow_id = steps[0]["flow_id"]
    steps.append(await hass.flow_step(flow_id, {"next_step_id": "frigate"}))
    form: dict[str, Any] = {"url": url, "verify_ssl": True, "username": username}
    if wrong_password is not None:
        steps.append(await hass.flow_step(flow_id, {**form, "password": wrong_password}))
    steps.append(await hass.flow_step(flow_id, {**form, "password": password}))
    # Frigate may ask which cameras and labels get entities: keep the defaults.
    while steps[-1]["type"] == "form" and not steps[-1].get("errors"):
        steps.append(await hass.flow_step(flow_id, {}))
    return steps


@dataclass(frozen=True)
class EntryEntities:
    """The entities of one config entry, by device name and entity name as shown in the UI."""

    entry_id: str
    rows: list[tuple[str, str, str]]  # (device name, entity name, entity id)
    registry: list[dict[str, Any]]

    def __getitem__(self, name: str) -> str:
        """The entity id of the only entity called `name` (any device of the entry)."""
        found = [entity_id for _, entity, entity_id in self.rows if entity == name]
        if len(found) != 1:
            names = sorted({f"{device}: {entity}" for device, entity, _ in self.rows})
            raise KeyError(f"{len(found)} entities called {name!r}; the entry has {names}")
        return found[0]

    def on(self, device: str, name: str) -> str:
        """The entity id of the entity called `name` on the device called `device`."""
        for device_name, entity, entity_id in self.rows:
            if device_name == device and entity == name:
                return entity_id
        raise KeyError(f"no entity {name!r} on {device!r}")

    @property
    def names(self) -> set[str]:
        """The names of the entry's entities."""
        return {entity for _, entity, _ in self.rows}

    @property
    def devices(self) -> set[str]:
        """The names of the entry's devices."""
        return {device for device, _, _ in self.rows}

    def domain(self, domain: str) -> list[str]:
        """Entity ids of one domain."""
        return sorted(e for _, _, e in self.rows if e.startswith(f"{domain}."))


async def entry_entities(hass: HassClient, entry_id: str) -> EntryEntities:
    """Look up an entry's entities (and their devices) in the registries."""
    registry = await hass.registry(entry_id)
    devices = {
        device["id"]: device["name_by_user"] or device["name"] or ""
        for device in await hass.ws("config/device_registry/list")
    }
    rows = [
        (
            devices.get(entity["device_id"], ""),
            entity["name"] or entity["original_name"] or "",
            entity["entity_id"],
        )
        for entity in registry
    ]
    return EntryEntities(entry_id=entry_id, rows=rows, registry=registry)
