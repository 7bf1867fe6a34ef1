"""Event clips spooled to temporary files, so that byte ranges can be answered from them.

Frigate 0.15 and later cut `clip.mp4` from the recordings with ffmpeg on every request and
stream a fragmented MP4 without a length: 200 with the whole body to any `Range`. The phone
apps and Safari play MP4 only with byte ranges, and ask for several ranges in a row (the first
two bytes, then the rest piece by piece). So the clip is fetched once into a temporary file
of at most `CLIP_LIMIT` bytes and every range of the player's requests is read from it.

The files form a small cache, least recently used first out, keyed by entry and event: at most
`CACHE_ENTRIES` files and `CACHE_BYTES` together. A clip expires `EXPIRY` seconds after its
last use; the clip of an event still in progress grows at Frigate, so its copy expires that
long after it was made however often it is used. Expired files are deleted by a timer, the
files of an entry when it unloads, all of them when Home Assistant stops. Every file operation
runs in the executor; a response still reading a file keeps it until it is done.
"""

import asyncio
import os
import secrets
import shutil
import tempfile
import time
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from io import BufferedReader, BufferedWriter
from pathlib import Path
from typing import Final

from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later

from ..api.frigate.client import FrigateClient
from ..api.frigate.events import FrigateEvent
from ..const import DOMAIN, LOGGER
from .coordinator import FrigateConfigEntry

_MIB: Final = 1024 * 1024
CLIP_LIMIT: Final = 512 * _MIB
"""A clip larger than this is passed through unspooled (no ranges): a long 4K event."""
CACHE_BYTES: Final = 1024 * _MIB
CACHE_ENTRIES: Final = 8
EXPIRY: Final = 60.0
"""Seconds: a player's requests for one clip come within a few seconds of each other."""
_CHUNK: Final = 64 * 1024
_WRITE_BLOCK: Final = _MIB  # bytes gathered before one write in the executor
READ_BLOCK: Final = 256 * 1024

type ClipKey = tuple[str, str]  # entry id, event id


class ClipUnavailableError(Exception):
    """The clip was being fetched when its entry unloaded."""


class ClipTooLargeError(Exception):
    """The clip is larger than `CLIP_LIMIT`: it is passed through, not spooled."""

    def __init__(self, *, in_progress: bool) -> None:
        """Keep whether the event was in progress (for the answer's caching)."""
        super().__init__("the clip is too large to keep")
        self.in_progress = in_progress


def event_in_progress(event: FrigateEvent, now: float) -> bool:
    """Whether the clip may still grow: no end yet, or an end set ahead (manual events)."""
    return event.end_time is None or event.end_time > now


@dataclass(eq=False, kw_only=True)
class SpooledClip:
    """A clip in a temporary file."""

    path: Path
    size: int
    in_progress: bool
    created: float  # time.monotonic()
    used: float
    etag: str = field(default_factory=lambda: f'"{secrets.token_hex(8)}"')
    readers: int = 0
    dropped: bool = False

    @property
    def expires(self) -> float:
        """When the copy expires (monotonic clock)."""
        return (self.created if self.in_progress else self.used) + EXPIRY


def _new_file(directory: Path) -> Path:
    handle, name = tempfile.mkstemp(suffix=".mp4", dir=directory)
    os.close(handle)
    return Path(name)


def _open_read(path: Path) -> BufferedReader:
    return path.open("rb")


def _open_write(path: Path) -> BufferedWriter:
    return path.open("wb")


def _unlink(path: Path) -> None:
    path.unlink(missing_ok=True)


def _read(file: BufferedReader, size: int) -> bytes:
    return file.read(size)


class ClipCache:
    """The spooled clips of every Frigate entry of a Home Assistant instance."""

    def __init__(self, hass: HomeAssistant) -> None:
        """An empty cache; its directory is made with the first clip."""
        self._hass = hass
        self._clips: OrderedDict[ClipKey, SpooledClip] = OrderedDict()
        self._pending: dict[ClipKey, asyncio.Task[SpooledClip]] = {}
        self._too_large: dict[ClipKey, tuple[float, bool]] = {}  # until, in progress
        self._directory: Path | None = None
        self._directory_lock = asyncio.Lock()
        self._timer: CALLBACK_TYPE | None = None
        self._hooked: set[str] = set()  # entries whose unload drops their clips

    @property
    def clips(self) -> dict[ClipKey, SpooledClip]:
        """The clips kept now (for diagnostics and tests)."""
        return dict(self._clips)

    async def async_clip(
        self, entry: FrigateConfigEntry, client: FrigateClient, event_id: str
    ) -> SpooledClip:
        """The clip of an event, spooled now or earlier; the caller must `release` it.

        Raises what the client raises (before anything was kept), or ClipTooLargeError.
        """
        key = (entry.entry_id, event_id)
        while True:
            self._purge()
            if (clip := self._clips.get(key)) is not None:
                self._clips.move_to_end(key)
                clip.used = time.monotonic()
                clip.readers += 1
                return clip
            if (too_large := self._too_large.get(key)) is not None:
                raise ClipTooLargeError(in_progress=too_large[1])
            if (task := self._pending.get(key)) is None:
                self._hook_unload(entry)
                task = entry.async_create_background_task(
                    self._hass,
                    self._async_spool(key, client, event_id),
                    f"{DOMAIN} spool clip {event_id}",
                )
                self._pending[key] = task
                task.add_done_callback(partial(self._spool_done, key))
            try:
                clip = await asyncio.shield(task)
            except asyncio.CancelledError:
                current = asyncio.current_task()
                if task.cancelled() and (current is None or not current.cancelling()):
                    raise ClipUnavailableError from None  # the entry unloaded meanwhile
                raise
            if not clip.dropped:  # (dropped: evicted before this request got to it)
                clip.readers += 1
                clip.used = time.monotonic()
                return clip

    @callback
    def _spool_done(self, key: ClipKey, task: asyncio.Task[SpooledClip]) -> None:
        """The spool ended; its error is for the requests that waited (none may be left)."""
        if self._pending.get(key) is task:
            del self._pending[key]
        if not task.cancelled():
            task.exception()  # retrieved: no "never retrieved" warning if nobody waits

    @callback
    def release(self, clip: SpooledClip) -> None:
        """A response is done with the clip; a dropped clip's file goes with its last reader."""
        clip.readers -= 1
        if clip.dropped and clip.readers == 0:
            self._hass.async_add_executor_job(_unlink, clip.path)

    @asynccontextmanager
    async def async_open(self, clip: SpooledClip) -> AsyncIterator[BufferedReader]:
        """The clip's file for reading (opened and closed in the executor)."""
        file = await self._hass.async_add_executor_job(_open_read, clip.path)
        try:
            yield file
        finally:
            await self._hass.async_add_executor_job(file.close)

    async def async_read(self, file: BufferedReader, size: int) -> bytes:
        """Read up to `size` bytes in the executor."""
        return await self._hass.async_add_executor_job(_read, file, size)

    async def _async_spool(self, key: ClipKey, client: FrigateClient, event_id: str) -> SpooledClip:
        """Fetch the event (is it over?) and its clip into a new file; keep it."""
        event = await client.event(event_id)
        in_progress = event_in_progress(event, time.time())
        path = await self._hass.async_add_executor_job(_new_file, await self._async_directory())
        try:
            size = await self._async_download(client, event, path)
        except ClipTooLargeError:
            self._hass.async_add_executor_job(_unlink, path)
            self._too_large[key] = (time.monotonic() + EXPIRY, in_progress)
            self._schedule()
            raise ClipTooLargeError(in_progress=in_progress) from None
        except BaseException:
            self._hass.async_add_executor_job(_unlink, path)
            raise
        now = time.monotonic()
        clip = SpooledClip(path=path, size=size, in_progress=in_progress, created=now, used=now)
        self._clips[key] = clip
        self._evict()
        self._schedule()
        LOGGER.debug("Spooled clip of Frigate event %s: %d bytes", event_id, size)
        return clip

    async def _async_download(self, client: FrigateClient, event: FrigateEvent, path: Path) -> int:
        """Copy the clip into `path` in blocks written in the executor; its size."""
        async with client.event_clip(event.id, camera=event.camera) as upstream:
            if (upstream.content_length or 0) > CLIP_LIMIT:
                raise ClipTooLargeError(in_progress=False)
            file = await self._hass.async_add_executor_job(_open_write, path)
            try:
                size = 0
                block = bytearray()
                async for chunk in upstream.content.iter_chunked(_CHUNK):
                    size += len(chunk)
                    if size > CLIP_LIMIT:
                        raise ClipTooLargeError(in_progress=False)
                    block += chunk
                    if len(block) >= _WRITE_BLOCK:
                        await self._hass.async_add_executor_job(file.write, bytes(block))
                        block.clear()
                if block:
                    await self._hass.async_add_executor_job(file.write, bytes(block))
            finally:
                await self._hass.async_add_executor_job(file.close)
        return size

    async def _async_directory(self) -> Path:
        """The cache's own temporary directory, made once."""
        async with self._directory_lock:
            if self._directory is None:
                name = await self._hass.async_add_executor_job(
                    partial(tempfile.mkdtemp, prefix=f"{DOMAIN}_clips_")
                )
                self._directory = Path(name)
            return self._directory

    # ------------------------------------------------------------------ expiry and eviction

    @callback
    def _drop(self, key: ClipKey) -> asyncio.Future[None] | None:
        """Forget a clip; its file is deleted now, or by its last reader."""
        clip = self._clips.pop(key)
        clip.dropped = True
        if clip.readers == 0:
            return self._hass.async_add_executor_job(_unlink, clip.path)
        return None

    @callback
    def _purge(self) -> None:
        """Drop what has expired."""
        now = time.monotonic()
        for key in [key for key, clip in self._clips.items() if clip.expires <= now]:
            self._drop(key)
        for key in [key for key, (until, _) in self._too_large.items() if until <= now]:
            del self._too_large[key]

    @callback
    def _evict(self) -> None:
        """Drop the least recently used clips beyond the cache's limits (never the newest)."""
        while len(self._clips) > 1 and (
            len(self._clips) > CACHE_ENTRIES
            or sum(clip.size for clip in self._clips.values()) > CACHE_BYTES
        ):
            self._drop(next(iter(self._clips)))

    @callback
    def _schedule(self) -> None:
        """Run the purge when the next clip expires."""
        if self._timer is not None:
            self._timer()
            self._timer = None
        deadlines = [clip.expires for clip in self._clips.values()]
        deadlines += [until for until, _ in self._too_large.values()]
        if deadlines:
            delay = max(min(deadlines) - time.monotonic(), 0.0) + 0.1
            self._timer = async_call_later(self._hass, delay, self._timer_fired)

    @callback
    def _timer_fired(self, _now: datetime) -> None:
        self._timer = None
        self._purge()
        self._schedule()

    # ------------------------------------------------------------------ unload and stop

    @callback
    def _hook_unload(self, entry: FrigateConfigEntry) -> None:
        """Drop the entry's clips when it unloads (once per load of the entry)."""
        if entry.entry_id in self._hooked:
            return
        self._hooked.add(entry.entry_id)
        entry.async_on_unload(partial(self.async_drop_entry, entry.entry_id))
        # Entries are not unloaded when Home Assistant stops: the files go then too.
        entry.async_on_unload(
            self._hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STOP, self._async_stop)
        )

    async def async_drop_entry(self, entry_id: str) -> None:
        """Forget an entry's clips and delete their files (its spools are cancelled with it)."""
        self._hooked.discard(entry_id)
        deletions = [self._drop(key) for key in [key for key in self._clips if key[0] == entry_id]]
        for key in [key for key in self._too_large if key[0] == entry_id]:
            del self._too_large[key]
        self._schedule()
        await asyncio.gather(*(deletion for deletion in deletions if deletion is not None))

    async def _async_stop(self, _event: Event) -> None:
        """Home Assistant stops: delete every file (once, however many entries asked)."""
        if self._timer is not None:
            self._timer()
            self._timer = None
        for task in self._pending.values():
            task.cancel()
        self._clips.clear()
        self._hooked.clear()
        if self._directory is not None:
            await self._hass.async_add_executor_job(
                partial(shutil.rmtree, self._directory, ignore_errors=True)
            )
            self._directory = None
