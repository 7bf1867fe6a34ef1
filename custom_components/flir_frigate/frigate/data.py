"""What one polling cycle knows about a Frigate server and each of its cameras.

The hub builds these from the server's answers; the entities read them through their
descriptions' `value_fn`s. They are frozen so a camera's entities update only when its slice of
the cycle really changed.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..api.frigate.models import (
    CameraConfig,
    CameraStats,
    FrigateConfig,
    FrigateEvent,
    FrigateStats,
)
from .live_data import CameraLive


@dataclass(frozen=True, kw_only=True)
class FrigateCameraData:
    """What one cycle knows about one camera."""

    name: str
    config: CameraConfig
    stats: CameraStats | None
    labels: tuple[str, ...] = ()  # tracked labels that get per-label entities (options applied)
    in_progress: tuple[FrigateEvent, ...] = ()
    new_events: tuple[FrigateEvent, ...] = ()  # first seen in this cycle, oldest first
    latest_event: FrigateEvent | None = None
    latest_snapshot: FrigateEvent | None = None  # newest event that has a snapshot
    latest_by_label: Mapping[str, FrigateEvent] = field(default_factory=dict)
    events_today: Mapping[str, int] | None = None  # label -> count; None until the summary came
    recordings_mib: float | None = None  # its recordings on disk; None: unknown
    live: CameraLive | None = None  # from the websocket (live.py); None without one

    @property
    def online(self) -> bool | None:
        """False when Frigate gets no frames (or the camera is off or missing from the stats).

        Only frames count: 0.18 rates a camera's connection `unusable` after more than 10
        reconnects in the last hour even while it delivers its full frame rate. That rating is
        a value (the Connection quality sensor), not an outage.
        """
        if self.config.enabled is False or self.stats is None:
            return False
        fps = self.stats.camera_fps
        return None if fps is None else fps > 0

    @property
    def connection_attributes(self) -> dict[str, Any]:
        """0.18's rating of the camera's connection and what it rates, where the stats have them."""
        stats = self.stats
        if stats is None or stats.connection_quality is None:
            return {}
        values = {
            "expected_fps": stats.expected_fps,
            "reconnects_last_hour": stats.reconnects_last_hour,
            "stalls_last_hour": stats.stalls_last_hour,
        }
        return {key: value for key, value in values.items() if value is not None}

    @property
    def events_today_total(self) -> int | None:
        """Events of every label that started today."""
        return None if self.events_today is None else sum(self.events_today.values())


@dataclass(frozen=True, kw_only=True)
class FrigateServerData:
    """One polling cycle of a Frigate server."""

    config: FrigateConfig
    stats: FrigateStats
    cameras: Mapping[str, FrigateCameraData]  # the cameras that get entities (options applied)
    in_progress: tuple[FrigateEvent, ...] = ()
    new_events: tuple[FrigateEvent, ...] = ()
    started_at: datetime | None = None  # when Frigate started, steady between restarts
