"""The fake devices of the bench, in a child process driven over stdin and stdout.

One JSON object a line each way: ``{"id": 1, "op": "flir_start", ...}`` is answered with
``{"id": 1, "result": ...}`` or ``{"id": 1, "error": "..."}``. The child serves the fakes of
``tests/fakes`` on 127.0.0.1 and the MJPEG viewers of the stream figures, so none of that work
lands on the event loop whose CPU time the bench measures.

Two things are added to the fakes here, without changing them:

* a FLIR camera whose scene moves on a virtual clock (``advance``), so a minute of the scene
  takes as long as twelve polling cycles, with an optional realistic plant scene (``scene``);
* Frigate event history made cheaply (one shared snapshot), for 10,000 events.
"""

import asyncio
import contextlib
import json
import math
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import numpy as np
from aiohttp import web

from tests.fakes.flir_camera import AMBIENT_C, FakeFlirCamera, FloatArray
from tests.fakes.frigate_server import FakeEvent, FakeFrigateServer

NETD_C = 0.04
"""Pixel noise of the plant scene: the thermal sensitivity of an A400/A500 (40 mK)."""


class BenchCamera(FakeFlirCamera):
    """The fake camera on a virtual clock; ``scene="plant"`` is a slowly drifting plant.

    The plant: ambient air warming 0.5 degC an hour, a motor warming up (30 degC with a time
    constant of 20 minutes) with a load cycle of 10 minutes (0.8 degC), a cabinet swinging 0.3
    degC over 15 minutes, and 40 mK of pixel noise.
    """

    def __init__(self, *, scene: str = "fake", realtime: bool = False, **kwargs: Any) -> None:
        """Configure the camera; the virtual clock starts at zero (`realtime`: the fake's own)."""
        super().__init__(**kwargs)
        self.scene = scene
        self.realtime = realtime
        self.virtual_seconds = 0.0

    async def _hang(self, request: web.Request, seconds: float | None = None) -> bool:
        """The injected latency as one timer (the fake polls every 20 ms for a hang-up, which
        adds about 2 ms to each 20 ms); a hang without end as the fake does it."""
        if seconds is None:
            return await super()._hang(request)
        await asyncio.sleep(seconds)
        transport = request.transport
        return transport is not None and not transport.is_closing() and not self._stopping.is_set()

    def _tick(self) -> int:
        if self.realtime:
            return super()._tick()
        return int(self.virtual_seconds) if self.drift else 0

    def _render_field(self, tick: int) -> FloatArray:
        if self.scene != "plant":
            return super()._render_field(tick)
        w, h = self.width, self.height
        xx, yy = self._xx, self._yy
        t = float(tick)
        temps = AMBIENT_C - 1.0 + 0.5 * t / 3600 + 1.5 * (yy / h)
        motor = 30 * (1 - math.exp(-(t + 600) / 1200)) + 0.8 * math.sin(2 * math.pi * t / 600)
        cabinet = 12 + 0.3 * math.sin(2 * math.pi * t / 900 + 1.0)
        for fx, fy, fsigma, delta in (
            (0.3, 0.4, 0.06, motor),
            (0.7, 0.6, 0.05, cabinet),
            (0.55, 0.15, 0.08, 4.0),
        ):
            sigma = fsigma * w
            temps = temps + delta * np.exp(
                -((xx - fx * w) ** 2 + (yy - fy * h) ** 2) / (2 * sigma * sigma)
            )
        rng = np.random.default_rng([self.seed, tick])
        temps += rng.normal(0.0, NETD_C, size=temps.shape)
        return np.asarray(temps, dtype=np.float64)


class Host:
    """The fakes of one bench run, by name."""

    def __init__(self) -> None:
        """Nothing runs yet."""
        self.flir: dict[str, BenchCamera] = {}
        self.frigate: dict[str, FakeFrigateServer] = {}

    def _cameras(self, names: list[str] | None) -> list[BenchCamera]:
        return list(self.flir.values()) if names is None else [self.flir[n] for n in names]

    async def flir_start(self, name: str, **kwargs: Any) -> dict[str, Any]:
        camera = BenchCamera(**kwargs)
        await camera.start("127.0.0.1", 0)
        self.flir[name] = camera
        return {"port": camera.port, "serial": camera.serial, "model": camera.model}

    async def flir_set(
        self,
        names: list[str] | None = None,
        latency: float | None = None,
        advance: float | None = None,
    ) -> None:
        for camera in self._cameras(names):
            if latency is not None:
                camera.faults.latency = latency
            if advance is not None:
                camera.virtual_seconds += advance

    async def flir_counts(self, names: list[str] | None = None, reset: bool = False) -> int:
        total = 0
        for camera in self._cameras(names):
            total += len(camera.request_log)
            if reset:
                camera.request_log.clear()
                camera.requests.clear()
        return total

    async def flir_concurrency(self, names: list[str] | None = None) -> int:
        """The most requests any of these cameras had in flight at once."""
        return max(camera.max_concurrency for camera in self._cameras(names))

    async def flir_log(self, name: str, reset: bool = False) -> list[str]:
        camera = self.flir[name]
        log = list(camera.request_log)
        if reset:
            camera.request_log.clear()
        return log

    async def frigate_start(self, name: str, cameras: int, **kwargs: Any) -> dict[str, Any]:
        names = [f"cam_{n:02d}" for n in range(cameras)]
        server = FakeFrigateServer(cameras=names, **kwargs)
        url = await server.start("127.0.0.1", 0)
        self.frigate[name] = server
        return {"url": url, "cameras": names}

    async def frigate_history(self, name: str, count: int, days: float = 7.0) -> int:
        """Add `count` ended events spread over the last `days` (one snapshot shared by all)."""
        server = self.frigate[name]
        names = list(server.cameras)
        first = server.cameras[names[0]]
        event_id = server.create_event(first.name, "person", in_progress=False)
        template = server.events.pop(event_id)
        now = time.time() - 600  # older than the polls' overlap window
        for n in range(count):
            camera = server.cameras[names[n % len(names)]]
            start = now - days * 86400 * (n + 1) / count
            event_id = f"{start:.6f}-h{n:05d}"
            server.events[event_id] = FakeEvent(
                id=event_id,
                camera=camera.name,
                label=("person", "car")[n % 2],
                start_time=start,
                end_time=start + 12.0,
                zones=[],
                sub_label=None,
                score=0.8,
                top_score=0.85,
                has_clip=True,
                has_snapshot=True,
                box=template.box,
                frame_size=template.frame_size,
                snapshot=template.snapshot,
                thumbnail=template.thumbnail,
            )
        return len(server.events)

    async def frigate_event(self, name: str, camera: str, label: str = "person") -> list[Any]:
        """Start an event now; its id and the wall-clock time it appeared in the fake."""
        server = self.frigate[name]
        # Started and ended at once, as Frigate publishes a short event: `new`, then `end`.
        event_id = server.create_event(camera, label, in_progress=True)
        server.end_event(event_id, end_time=server.events[event_id].start_time + 5.0)
        return [event_id, time.time()]

    async def frigate_set(self, name: str, latency: float | None = None) -> None:
        if latency is not None:
            self.frigate[name].faults.latency = latency

    async def frigate_counts(self, name: str, reset: bool = False) -> dict[str, int]:
        server = self.frigate[name]
        counts = dict(server.requests)
        if reset:
            server.requests.clear()
            server.request_log.clear()
        return counts

    async def watch(self, url: str, seconds: float, viewers: int = 1) -> dict[str, Any]:
        """Read an MJPEG stream with `viewers` clients for `seconds`; frames and bytes seen."""
        results = await asyncio.gather(*(_watch_one(url, seconds) for _ in range(viewers)))
        return {
            "frames": sum(frames for frames, _ in results),
            "bytes": sum(size for _, size in results),
            "viewers": viewers,
            "seconds": seconds,
        }

    async def stop(self) -> None:
        for camera in self.flir.values():
            await camera.stop()
        for server in self.frigate.values():
            await server.stop()
        self.flir.clear()
        self.frigate.clear()


async def _watch_one(url: str, seconds: float) -> tuple[int, int]:
    frames = size = 0
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=10)
    async with aiohttp.ClientSession(timeout=timeout) as session, session.get(url) as response:
        response.raise_for_status()
        boundary = response.content_type == "multipart/x-mixed-replace" and (
            response.headers["Content-Type"].partition("boundary=")[2].strip('"')
        )
        marker = b"--" + str(boundary or "frame").removeprefix("--").encode()
        carry = b""
        deadline = time.monotonic() + seconds
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                async for chunk in response.content.iter_any():
                    data = carry + chunk
                    frames += data.count(marker)
                    carry = data[-(len(marker) - 1) :]
                    size += len(chunk)
                    if time.monotonic() > deadline:
                        break
    return frames, size


async def serve() -> None:
    """Answer the bench's requests until stdin closes."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    host = Host()
    write_lock = asyncio.Lock()
    tasks: set[asyncio.Task[None]] = set()

    async def answer(message: dict[str, Any]) -> None:
        reply: dict[str, Any] = {"id": message["id"]}
        try:
            method: Callable[..., Awaitable[Any]] = getattr(host, message.pop("op"))
            del message["id"]
            reply["result"] = await method(**message)
        except Exception as err:  # noqa: BLE001 - reported to the bench, which raises it
            reply["error"] = f"{type(err).__name__}: {err}"
        async with write_lock:
            sys.stdout.write(json.dumps(reply) + "\n")
            sys.stdout.flush()

    while line := await reader.readline():
        task = asyncio.create_task(answer(json.loads(line)))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    await host.stop()


if __name__ == "__main__":
    asyncio.run(serve())
