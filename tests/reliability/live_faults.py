"""Frigate's websocket under faults: the rig of test_live_socket.py and the faults it sends.

`LiveRig` holds a Frigate entry with its websocket beside a FLIR camera entry, moves the
frozen clock in small steps (`until`, `run_for`) and sends raw frames on the fake's sockets.
Each fault is one coroutine; `clear` ends every one of them.
"""

import asyncio
import contextlib
import json
import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.flir_frigate.api.frigate.live import MAX_MESSAGE_SIZE
from custom_components.flir_frigate.api.frigate.live_models import LiveMessage, MotionUpdate
from custom_components.flir_frigate.frigate.live import FrigateLiveBridge
from tests.fakes.frigate_server import FakeFrigateServer

from .rig import Device

STEP: Final = 0.005
"""Clock seconds `until` moves on per round."""
FLOOD: Final = 5000


@dataclass
class LiveRig:
    """Both entries, the fake Frigate and what a case needs to watch them."""

    hass: HomeAssistant
    freezer: FrozenDateTimeFactory
    caplog: pytest.LogCaptureFixture
    frigate: FakeFrigateServer
    frigate_entry: MockConfigEntry
    flir: Device
    messages: list[LiveMessage] = field(default_factory=list)

    @property
    def bridge(self) -> FrigateLiveBridge:
        """The Frigate entry's websocket bridge."""
        live = self.frigate_entry.runtime_data.live
        assert isinstance(live, FrigateLiveBridge)
        return live

    async def until(self, check: Callable[[], bool], clock: float = 30.0) -> None:
        """Let loopback traffic and the frozen clock run until `check()` holds."""
        for _ in range(int(clock / STEP)):
            for _ in range(3):
                await asyncio.sleep(0)
            if check():
                return
            self.freezer.tick(STEP)
        raise AssertionError("condition not met")

    async def run_for(self, clock: float) -> None:
        """Let `clock` seconds pass in small steps (timers fire as they become due)."""
        for _ in range(int(clock / STEP)):
            for _ in range(3):
                await asyncio.sleep(0)
            self.freezer.tick(STEP)

    async def send(self, *frames: str | bytes) -> None:
        """Send raw frames on every open socket of the fake."""
        for client in list(self.frigate.live.clients):
            for frame in frames:
                if client.ws.closed:  # the client closed it (a message over its cap)
                    break
                # A client that hangs up mid-message (over its cap) resets the connection.
                with contextlib.suppress(ConnectionError):
                    if isinstance(frame, bytes):
                        await client.ws.send_bytes(frame)
                    else:
                        await client.ws.send_str(frame)

    async def sentinel(self) -> None:
        """A valid message that changes nothing; returns once the bridge decoded it."""
        seen = len(self.messages)
        await self.frigate.live.publish("backyard/motion", "OFF")
        await self.until(
            lambda: any(
                isinstance(m, MotionUpdate) and m.camera == "backyard" for m in self.messages[seen:]
            )
        )


# ---------------------------------------------------------------------- the faults


def _envelope(topic: Any, payload: Any) -> str:
    return json.dumps({"topic": topic, "payload": payload})


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


async def garbage_bytes(rig: LiveRig) -> None:
    """Random binary frames and random text."""
    rand = random.Random(13)
    await rig.send(
        *(os.urandom(rand.randrange(1, 65536)) for _ in range(20)),
        *(bytes(rand.randrange(256) for _ in range(4096)).decode("latin-1") for _ in range(20)),
    )


async def garbage_text(rig: LiveRig) -> None:
    """Text that is no JSON, or JSON that is no envelope."""
    await rig.send("", "not json {", "\x00", '{"topic":', "null", "1e400", "NaN", '"str"', "[]")
    await rig.frigate.live.garbage()


async def wrong_shapes(rig: LiveRig) -> None:
    """Envelopes whose payloads have the wrong shape for their topic."""
    await rig.send(
        _envelope("stats", "[]"),
        _envelope("events", json.dumps({"type": "new", "after": [1, 2]})),
        _envelope("events", json.dumps({"type": "new", "after": {"id": 5, "camera": None}})),
        _envelope("reviews", json.dumps({"type": "new", "after": "x"})),
        _envelope("front_door/motion", 5),
        _envelope("front_door/detect/state", "maybe"),
        _envelope("front_door/motion_threshold/state", "NaN"),
        _envelope("front_door/person", "1e400"),
        _envelope("camera_activity", json.dumps({"front_door": [None]})),
        _envelope(None, None),
        json.dumps({"topic": "front_door/motion"}),
    )


async def huge_json(rig: LiveRig) -> None:
    """Large messages just under the cap: a huge string and a huge list."""
    filler = MAX_MESSAGE_SIZE - 4096
    await rig.send(
        _envelope("reviews", json.dumps({"type": "new", "after": {"x": "x" * (filler // 2)}})),
        _envelope("events", json.dumps({"type": "new", "after": list(range(filler // 16))})),
        json.dumps({"topic": "front_door/motion", "junk": "y" * (filler // 2), "payload": 7}),
    )


async def stats_shape(rig: LiveRig) -> None:
    """A `stats` message that is a JSON object but no stats document."""
    await rig.send(_envelope("stats", json.dumps({"cameras": [1, 2], "service": "x"})))


async def deep_json(rig: LiveRig) -> None:
    """Deeply nested JSON, raw and inside payloads, within the cap."""
    await rig.send(
        _nested(200_000),
        '{"a":' * 100_000 + "1" + "}" * 100_000,
        _envelope("events", _nested(100_000)),
        _envelope("stats", _nested(100_000)),
        _envelope("camera_activity", _nested(100_000)),
    )


async def unknown_topics(rig: LiveRig) -> None:
    """Topics no version of Frigate sends, and cameras that do not exist."""
    await rig.send(
        _envelope("no/such/topic/here", "ON"),
        _envelope("front_door/no_such_setting/state", "ON"),
        _envelope("ghost_camera/detect/state", "OFF"),
        _envelope("ghost_camera/motion", "ON"),
        _envelope("ghost_camera/person", 3),
        _envelope("x" * 10_000, "ON"),
        _envelope("tracked_object_update", json.dumps({"type": "unknown"})),
    )


async def oversize(rig: LiveRig) -> None:
    """One message over the cap: the client closes the socket, then connects again."""
    await rig.send(_envelope("stats", "z" * MAX_MESSAGE_SIZE))


async def stall(rig: LiveRig) -> None:
    """Frigate hangs: the open socket answers nothing (pings neither), handshakes hang."""
    rig.frigate.live.stalled = True
    rig.frigate.faults.paths = ("/ws",)
    rig.frigate.faults.timeout = True


async def refused(rig: LiveRig) -> None:
    """A proxy in front answers 502 at the handshake; the open socket closes."""
    rig.frigate.faults.paths = ("/ws",)
    rig.frigate.faults.status = 502
    await rig.frigate.live.drop()


async def drop(rig: LiveRig) -> None:
    """Frigate closes the socket (a restart); the next handshake works at once."""
    await rig.frigate.live.drop()


async def flood(rig: LiveRig) -> None:
    """Thousands of valid messages at once: motion on and off, ending off."""
    for index in range(FLOOD):
        await rig.frigate.live.publish("backyard/motion", "ON" if index % 2 == 0 else "OFF")


async def clear(rig: LiveRig) -> None:
    """The fault is gone."""
    rig.frigate.live.stalled = False
    rig.frigate.faults.reset()
