"""Push from the Ax8: its websocket at the root, and applying what it sends to a cycle.

The camera's web page subscribes (``POST /home/subscribe``, then one call per tool) and opens
a websocket on ``/``; the camera then sends JSON objects mapping resources to new values
(``{".image.sysimg.measureFuncs.spot.1.valueT": "296.15K"}``, ``{".resmon.items.1.trigged":
"true"}``). :class:`Ax8Push` keeps that socket open, subscribing again after every reconnect,
and hands each object to a callback; :func:`apply_push` turns it into a new
:class:`Measurements`, so values and alarm triggers arrive without waiting for a poll. Polling
goes on regardless: it is the fallback while the socket is down.
"""

import asyncio
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, Final

import aiohttp

from . import ax8_resources as res
from .ax8 import Ax8Client
from .exceptions import FlirError
from .models import VALID, Measurements, as_bool

_LOGGER = logging.getLogger(__name__)

MAX_MESSAGE_BYTES: Final = 64 * 1024
"""Cap on one pushed message (a handful of values, a few hundred bytes)."""
RETRY_DELAYS: Final = (5.0, 15.0, 30.0, 60.0)
CONNECT_TIMEOUT: Final = 10.0
_BOX_STATS: Final = {"maxT": "max", "minT": "min", "avgT": "avg", "medianT": "median"}
_TOOLS: Final = {"spot": "spots", "mbox": "boxes", "diff": "deltas"}


def _tool_update(item: Any, field_name: str, value: Any) -> Any:  # noqa: PLR0911
    """A spot, box or delta with one pushed field applied."""
    if field_name == "valueT":
        if hasattr(item, "temperature"):
            reading = res.checked(res.celsius(value), item.valid)
            return replace(item, temperature=reading)
        return replace(item, value=res.checked(res.number(value), item.valid))
    if field_name == "valueValid":
        valid = res.flag(value)
        if valid == VALID:
            return replace(item, valid=valid)
        key = "temperature" if hasattr(item, "temperature") else "value"
        return replace(item, valid=valid, **{key: None})
    if field_name in _BOX_STATS:
        stat = _BOX_STATS[field_name]
        return replace(
            item, **{stat: res.checked(res.celsius(value), getattr(item, f"{stat}_valid"))}
        )
    if field_name.endswith("Valid") and field_name[:-5] + "T" in _BOX_STATS:
        stat = _BOX_STATS[field_name[:-5] + "T"]
        valid = res.flag(value)
        changes: dict[str, Any] = {f"{stat}_valid": valid}
        if valid != VALID:
            changes[stat] = None
        return replace(item, **changes)
    return item


def apply_push(data: Measurements, values: Mapping[str, Any]) -> tuple[Measurements, bool]:
    """The cycle with pushed values applied, and whether a tool or alarm went (in)active."""
    tables: dict[str, dict[Any, Any]] = {
        "spots": dict(data.spots),
        "boxes": dict(data.boxes),
        "deltas": dict(data.deltas),
        "alarms": dict(data.alarms),
        "monitors": dict(data.monitors),
    }
    changed_plan = False
    for resource, value in values.items():
        parts = str(resource).strip(".").split(".")
        if parts[:3] == ["image", "sysimg", "measureFuncs"] and len(parts) == 6:  # noqa: PLR2004
            table = tables.get(_TOOLS.get(parts[3], ""))
            instance = int(parts[4]) if parts[4].isdigit() else 0
            if parts[5] == "active":
                known = table is not None and instance in table
                changed_plan |= known != (as_bool(value) is True)
            elif table is not None and instance in table:
                table[instance] = _tool_update(table[instance], parts[5], value)
        elif parts[:2] == ["resmon", "items"] and len(parts) == 4 and parts[3] == "trigged":  # noqa: PLR2004
            key = parts[2]
            triggered = as_bool(value)
            if key.isdigit() and int(key) in tables["alarms"]:
                tables["alarms"][int(key)] = replace(
                    tables["alarms"][int(key)], triggered=triggered
                )
            elif key in tables["monitors"]:
                tables["monitors"][key] = replace(tables["monitors"][key], triggered=triggered)
    updated = replace(
        data,
        spots=tables["spots"],
        boxes=tables["boxes"],
        deltas=tables["deltas"],
        alarms=tables["alarms"],
        monitors=tables["monitors"],
    )
    return updated, changed_plan


class Ax8Push:
    """Keeps the camera's push socket open and hands every message to `on_values`."""

    def __init__(
        self,
        client: Ax8Client,
        session: aiohttp.ClientSession,
        on_values: Callable[[dict[str, Any]], None],
    ) -> None:
        """Nothing connects until :meth:`run`."""
        self._client = client
        self._session = session
        self._on_values = on_values
        self.connected = False
        self.messages = 0

    async def run(self) -> None:
        """Connect, subscribe and listen, again after each failure, until cancelled."""
        failures = 0
        while True:
            try:
                await self._listen()
                failures = 0
            except (FlirError, aiohttp.ClientError, TimeoutError) as err:
                _LOGGER.debug("Push from the camera stopped: %s", err)
                failures += 1
            finally:
                self.connected = False
            await asyncio.sleep(RETRY_DELAYS[min(failures, len(RETRY_DELAYS) - 1)])

    async def _listen(self) -> None:
        plan = self._client.capabilities or await self._client.discover()
        await self._client.subscribe(plan)
        async with self._session.ws_connect(
            self._client.websocket_url,
            headers=self._client.websocket_headers,
            timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=CONNECT_TIMEOUT),
            max_msg_size=MAX_MESSAGE_BYTES,
            heartbeat=30.0,
        ) as socket:
            self.connected = True
            _LOGGER.debug("Listening to the camera's pushes")
            async for message in socket:
                if message.type is not aiohttp.WSMsgType.TEXT:
                    break
                try:
                    values = json.loads(message.data)
                except ValueError, RecursionError:
                    continue
                if isinstance(values, dict) and values:
                    self.messages += 1
                    self._on_values(values)
