"""What the websocket changes in the hub's cycle data, mixed into `FrigateHub`.

A pushed event, stats document or camera state rebuilds the cycle from what the hub already
holds, without a request, and hands each camera its slice (cameras whose slice is unchanged do
not update). The hub's own poll keeps running, slower while the socket is up.
"""

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from homeassistant.core import HomeAssistant, callback
from homeassistant.util import dt as dt_util

from ..api.frigate.events import FrigateEvent
from ..api.frigate.stats import FrigateStats
from .data import FrigateServerData
from .live_data import CameraLive

if TYPE_CHECKING:
    from ..api.frigate.config import FrigateConfig
    from .live import FrigateLiveBridge


class _Hub(Protocol):
    """What the push needs of the hub."""

    hass: HomeAssistant
    data: FrigateServerData
    last_update_success: bool
    live: FrigateLiveBridge | None
    _seen: dict[str, float]
    _cursor: float | None
    _stats: FrigateStats | None
    _stats_at: datetime | None
    _ending: dict[str, FrigateEvent]

    def _remember(self, event: FrigateEvent) -> None: ...

    def _build(
        self,
        config: FrigateConfig,
        stats: FrigateStats,
        in_progress: tuple[FrigateEvent, ...],
        new_events: tuple[FrigateEvent, ...],
    ) -> FrigateServerData: ...

    def async_update_listeners(self) -> None: ...

    def _async_refresh_finished(self) -> None: ...

    async def async_request_refresh(self) -> None: ...


def _ready(hub: _Hub) -> bool:
    return hub.last_update_success and getattr(hub, "data", None) is not None


@callback
def _publish(hub: _Hub, data: FrigateServerData) -> None:
    """New cycle data without a poll: listeners and the cameras' slices."""
    hub.data = data
    hub.async_update_listeners()
    hub._async_refresh_finished()  # noqa: SLF001


class LivePush:
    """Push entry points of the hub (see the module docstring)."""

    # Set by the hub; declared here with the hub's types for the checker.
    _stats: FrigateStats | None
    _stats_at: datetime | None
    _cursor: float | None

    @callback
    def async_push_event(self: _Hub, event: FrigateEvent) -> None:
        """A tracked object started, changed or ended (`events` topic)."""
        if not _ready(self):
            return
        data = self.data
        new = event.id not in self._seen
        start = event.start_time or 0.0
        self._seen[event.id] = start
        self._cursor = start if self._cursor is None else max(self._cursor, start)
        self._remember(event)
        now = dt_util.utcnow().timestamp()
        active = event.end_time is None or event.end_time > now
        if event.end_time is not None and active:
            self._ending[event.id] = event
        else:
            self._ending.pop(event.id, None)
        others = tuple(e for e in data.in_progress if e.id != event.id)
        in_progress = (event, *others) if active else others
        _publish(self, self._build(data.config, data.stats, in_progress, (event,) if new else ()))

    @callback
    def async_push_stats(self: _Hub, stats: FrigateStats) -> None:
        """Frigate's stats document (`stats` topic): the stats poll can wait."""
        if not _ready(self):
            return
        self._stats, self._stats_at = stats, dt_util.utcnow()
        data = self.data
        _publish(self, self._build(data.config, stats, data.in_progress, ()))

    @callback
    def async_push_live(self: _Hub) -> None:
        """A camera's live state changed: rebuild the slices (unchanged ones stay quiet)."""
        if not _ready(self):
            return
        data = self.data
        _publish(self, self._build(data.config, data.stats, data.in_progress, ()))

    @callback
    def async_request_gap_fill(self: _Hub) -> None:
        """Poll now: the socket went down, or came back after missing messages."""
        self.hass.async_create_task(self.async_request_refresh(), eager_start=True)

    def camera_live_data(self: _Hub, config: FrigateConfig, name: str) -> CameraLive | None:
        """The live slice of a camera, or None without a websocket."""
        live = self.live
        return None if live is None else live.camera_live(config.cameras[name])
