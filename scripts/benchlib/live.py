"""Frigate's websocket (issue 10): HTTP requests per minute with the socket up (figure 3)."""

import asyncio
import time

from homeassistant.core import HomeAssistant

from custom_components.flir_frigate.frigate.live import LIVE_POLL_INTERVAL

from .clock import VirtualTime
from .report import Report, Row
from .rig import FakeHost, frigate_entry, home_assistant, setup_entry
from .scale import Scale

AIM_PER_MINUTE = 6.0
"""Issue 10: under 6 HTTP requests a minute with the socket up, flat in camera count."""


async def _socket_up(hass: HomeAssistant, hub: object, seconds: float = 10.0) -> None:
    """Wait (real time) until the bridge has put the hub on its slow safety-net cadence."""
    deadline = time.monotonic() + seconds
    while getattr(hub, "update_interval", None) != LIVE_POLL_INTERVAL:
        if time.monotonic() > deadline:
            live = getattr(hub, "live", None)
            raise RuntimeError(
                f"the websocket did not come up: {live!r} "
                f"{getattr(live, 'connected', None)} {getattr(hub, 'update_interval', None)}"
            )
        await asyncio.sleep(0.05)
    await hass.async_block_till_done()


async def requests_with_socket(fakes: FakeHost, report: Report, scale: Scale) -> None:
    """Figure 3 with push: the hub polls on the cadence the bridge gives it (virtual time)."""
    per_minute: dict[int, float] = {}
    vt = VirtualTime()
    with vt.installed():
        async with home_assistant() as hass:
            for count in scale.live_counts:
                name = f"live{count}"
                server = await fakes.call(
                    "frigate_start", name=name, cameras=count, seed=count, websocket=True
                )
                entry = frigate_entry(server["url"], name=name)
                await setup_entry(hass, entry)
                hub = entry.runtime_data.hub
                await _socket_up(hass, hub)
                await fakes.call("frigate_counts", name=name, reset=True)
                elapsed = 0.0
                while elapsed < scale.live_minutes * 60:
                    step = hub.update_interval.total_seconds()
                    vt.advance(step)
                    elapsed += step
                    await fakes.call("frigate_event", name=name, camera=server["cameras"][0])
                    await hub.async_refresh()
                counts = await fakes.call("frigate_counts", name=name)
                per_minute[count] = sum(counts.values()) / (elapsed / 60)
                report.note(
                    f"figure 3 (socket up), Frigate {count} camera(s): "
                    f"{per_minute[count]:.1f} requests/min over {elapsed / 60:.0f} virtual "
                    f"minutes: {dict(sorted(counts.items()))}"
                )
                await hass.config_entries.async_unload(entry.entry_id)
                await hass.async_block_till_done()
    smallest, largest = min(per_minute), max(per_minute)
    worst = max(per_minute.values())
    report.add(
        Row(
            figure="3",
            what=f"Frigate requests/min, socket up, worst of {sorted(per_minute)} cameras",
            measured=f"{worst:.1f}",
            against=f"{AIM_PER_MINUTE:.0f} (the issue's aim)",
            ratio=worst / AIM_PER_MINUTE,
            aim=1.0,
            values={"per_minute": {str(k): v for k, v in per_minute.items()}},
        )
    )
    report.add(
        Row(
            figure="3",
            what=f"  Frigate requests/min, socket up, {largest} vs {smallest} camera(s)",
            measured=f"{per_minute[largest]:.1f}",
            against=f"{per_minute[smallest]:.1f}",
            ratio=per_minute[largest] / per_minute[smallest],
            aim=1.2,
        )
    )
