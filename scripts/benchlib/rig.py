"""Home Assistant in the bench's process, the fakes in a child process, and CPU clocks."""

import asyncio
import contextlib
import gc
import itertools
import json
import os
import sys
import tempfile
import time
import tracemalloc
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest.mock import patch

from aiohttp import web
from homeassistant import loader
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_HOST, EVENT_STATE_CHANGED
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import frame, translation
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_test_home_assistant,
    flush_store,
)

from custom_components.flir_frigate.const import CONF_KIND, DOMAIN, KIND_FLIR, KIND_FRIGATE
from custom_components.flir_frigate.frigate.const import CONF_URL, CONF_VERIFY_SSL

ROOT = Path(__file__).resolve().parents[2]


class FakeHost:
    """The child process serving the fakes (`benchlib.fakehost`), one call at a time or many."""

    def __init__(self) -> None:
        """Not started yet."""
        self._process: asyncio.subprocess.Process | None = None
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[Any]] = {}
        self._reader: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start the child process."""
        env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'scripts'}"}
        self._process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "benchlib.fakehost",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            cwd=ROOT,
            env=env,
        )
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self._process is not None
        assert self._process.stdout is not None
        while line := await self._process.stdout.readline():
            reply = json.loads(line)
            future = self._waiting.pop(reply["id"])
            if "error" in reply:
                future.set_exception(RuntimeError(f"fake host: {reply['error']}"))
            else:
                future.set_result(reply.get("result"))
        for future in self._waiting.values():
            future.set_exception(RuntimeError("the fake host ended"))

    async def call(self, op: str, **kwargs: Any) -> Any:
        """Run one operation of `fakehost.Host` in the child and return its result."""
        assert self._process is not None
        assert self._process.stdin is not None
        message_id = next(self._ids)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._waiting[message_id] = future
        self._process.stdin.write(
            (json.dumps({"id": message_id, "op": op, **kwargs}) + "\n").encode()
        )
        await self._process.stdin.drain()
        return await future

    async def stop(self) -> None:
        """Stop the fakes and the child process."""
        if self._process is None:
            return
        with contextlib.suppress(RuntimeError):
            await asyncio.wait_for(self.call("stop"), 10)
        assert self._process.stdin is not None
        self._process.stdin.close()
        try:
            await asyncio.wait_for(self._process.wait(), 10)
        except TimeoutError:
            self._process.kill()
            await self._process.wait()
        if self._reader is not None:
            await self._reader
        self._process = None


@contextlib.asynccontextmanager
async def home_assistant() -> AsyncIterator[HomeAssistant]:
    """A Home Assistant with the integration, in a throw-away config directory.

    As in the integration's tests (pytest-homeassistant-custom-component), without its pytest
    fixtures: registries in memory, the HTTP server not bound (`serve_http` serves its app).
    """
    with (
        tempfile.TemporaryDirectory(prefix="flir-frigate-bench-") as config_dir,
        patch("homeassistant.components.http.HomeAssistantHTTP.async_bind"),
        patch("homeassistant.components.http.HomeAssistantHTTP.start"),
    ):
        async with async_test_home_assistant(config_dir=config_dir) as hass:
            hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)  # find custom_components/
            frame.async_setup(hass)
            await translation.async_load_integrations(hass, {"homeassistant"})
            try:
                yield hass
            finally:
                await unload_all(hass)
                await hass.async_stop(force=True)


async def unload_all(hass: HomeAssistant) -> None:
    """Unload every loaded entry (all at once)."""
    loaded = [
        entry.entry_id
        for entry in hass.config_entries.async_entries()
        if entry.state is ConfigEntryState.LOADED
    ]
    await asyncio.gather(*(hass.config_entries.async_unload(entry_id) for entry_id in loaded))
    await hass.async_block_till_done()


@contextlib.asynccontextmanager
async def serve_http(hass: HomeAssistant) -> AsyncIterator[str]:
    """Serve Home Assistant's HTTP app on 127.0.0.1 (any free port); yields the base URL."""
    runner = web.AppRunner(hass.http.app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


def flir_entry(
    port: int,
    serial: str,
    model: str,
    *,
    options: dict[str, Any] | None = None,
    polling: bool = False,
    name: str | None = None,
) -> MockConfigEntry:
    """A FLIR entry for a fake camera; its polling left to the bench unless `polling`."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=f"{model} {name or serial}",
        unique_id=serial,
        data={CONF_KIND: KIND_FLIR, CONF_HOST: f"127.0.0.1:{port}"},
        options=options or {},
        pref_disable_polling=not polling,
        minor_version=2,
    )


def frigate_entry(url: str, *, polling: bool = False, name: str = "bench") -> MockConfigEntry:
    """A Frigate entry for a fake server; its polling left to the bench unless `polling`."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=f"Frigate {name}",
        unique_id=f"frigate-{name}",
        data={CONF_KIND: KIND_FRIGATE, CONF_URL: url, CONF_VERIFY_SSL: True},
        pref_disable_polling=not polling,
        minor_version=2,
    )


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Add and set up an entry; it must load."""
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    if entry.state is not ConfigEntryState.LOADED:
        raise RuntimeError(f"{entry.title} did not load: {entry.state} {entry.reason}")


async def flush_registries(hass: HomeAssistant) -> None:
    """Write the registries now, not 10 s later (the write caches each entry's JSON for good).

    Memory figures flush before they measure, so that one-off cache is counted with the
    entries instead of looking like growth between two later measurements.
    """
    from homeassistant.helpers import device_registry as dr
    from homeassistant.helpers import entity_registry as er

    for registry in (er.async_get(hass), dr.async_get(hass)):
        await flush_store(registry._store)  # noqa: SLF001


async def traced_bytes(hass: HomeAssistant) -> int:
    """Memory tracemalloc sees in use once the registries are written and garbage collected."""
    await flush_registries(hass)
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


def entity_ids(hass: HomeAssistant, entry: MockConfigEntry) -> list[str]:
    """The entities of an entry that have a state."""
    from homeassistant.helpers import entity_registry as er

    registry = er.async_get(hass)
    return [
        item.entity_id
        for item in er.async_entries_for_config_entry(registry, entry.entry_id)
        if hass.states.get(item.entity_id) is not None
    ]


class StateWrites:
    """Counts state changes (what the recorder writes a row for) per entity."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Start counting."""
        self.counts: dict[str, int] = {}
        self._unsub = hass.bus.async_listen(EVENT_STATE_CHANGED, self._changed)

    @callback
    def _changed(self, event: Event[Any]) -> None:
        entity_id = event.data["entity_id"]
        self.counts[entity_id] = self.counts.get(entity_id, 0) + 1

    def total(self, entities: list[str]) -> int:
        """State changes of these entities since the last reset."""
        return sum(self.counts.get(entity_id, 0) for entity_id in entities)

    def reset(self) -> None:
        """Count from zero."""
        self.counts.clear()

    def stop(self) -> None:
        """Stop counting."""
        self._unsub()


@dataclass
class Clock:
    """Wall time, event-loop CPU time and process CPU time between `start` and `stop`.

    Call both in the event loop: `time.thread_time()` there is the loop thread's own CPU time,
    which excludes waiting for I/O and the executor threads (counted in `process`).
    """

    wall: float = 0.0
    loop: float = 0.0
    process: float = 0.0
    _marks: tuple[float, float, float] = (0.0, 0.0, 0.0)

    def start(self) -> None:
        """Start (or restart) the clocks."""
        self._marks = (time.perf_counter(), time.thread_time(), time.process_time())

    def stop(self) -> Clock:
        """Add the time since `start`."""
        wall, loop, process = self._marks
        self.wall += time.perf_counter() - wall
        self.loop += time.thread_time() - loop
        self.process += time.process_time() - process
        return self


async def measured(func: Callable[[], Any]) -> Clock:
    """Run an awaitable factory once and return the clocks around it."""
    clock = Clock()
    clock.start()
    await func()
    return clock.stop()
