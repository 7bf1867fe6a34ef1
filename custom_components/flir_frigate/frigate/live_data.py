"""What the websocket tells about one camera, as a frozen slice beside the polled data.

`FrigateCameraData.live` holds it (None when the server has no websocket or the entry does not
use it). The bridge (`live.py`) keeps the mutable state and hands each camera a fresh
`CameraLive` when its part changed, so a camera's entities update only then.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..api.frigate.config import CameraControls
from ..api.frigate.live_models import LiveFeatures, ReviewItem

# The switches of a camera, in the order of the entities.
SWITCH_SETTINGS: tuple[str, ...] = (
    "enabled",
    "detect",
    "recordings",
    "snapshots",
    "motion",
    "audio",
    "improve_contrast",
    "ptz_autotracker",
    "review_alerts",
    "review_detections",
)
NUMBER_SETTINGS: tuple[str, ...] = ("motion_threshold", "motion_contour_area")


@dataclass(frozen=True, kw_only=True)
class CameraLive:
    """One camera's state from the websocket (and the config it started from)."""

    connected: bool = False
    settings: Mapping[str, bool | int] = field(default_factory=dict)
    controllable: frozenset[str] = frozenset()  # settings this user may change on this camera
    ptz: bool = False  # the user may move this camera (ONVIF)
    presets: tuple[str, ...] = ()
    counts: Mapping[str, int] = field(default_factory=dict)  # label -> objects in view
    active_counts: Mapping[str, int] = field(default_factory=dict)  # label -> moving ones
    zone_counts: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    zone_active_counts: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    motion: bool | None = None
    reviews: bool = False  # the server sends review items (0.14+)
    audio: bool = False  # audio detection runs on this camera (its dBFS is published)
    audio_labels: frozenset[str] = frozenset()  # labels heard now
    dbfs: float | None = None
    open_alerts: frozenset[str] = frozenset()  # ids of alert review items in progress
    last_review: ReviewItem | None = None

    def count(self, label: str, *, active: bool = False) -> int:
        """Objects of a label in view (moving ones with `active`); 0 before the first count."""
        return (self.active_counts if active else self.counts).get(label, 0)

    def zone_count(self, zone: str, label: str, *, active: bool = False) -> int:
        """Objects of a label in a zone of this camera."""
        counts = self.zone_active_counts if active else self.zone_counts
        return counts.get(zone, {}).get(label, 0)


def settings_from_config(
    controls: CameraControls | None,
    detect: bool | None,
    record: bool | None,
    snapshots: bool | None,
    audio: bool | None,
    enabled: bool | None,
) -> dict[str, bool | int]:
    """The settings as the config tells them (Frigate's config follows its commands)."""
    values: dict[str, bool | int | None] = {
        "enabled": enabled,
        "detect": detect,
        "recordings": record,
        "snapshots": snapshots,
        "audio": audio,
    }
    if controls is not None:
        values |= {
            "motion": controls.motion_enabled,
            "improve_contrast": controls.improve_contrast,
            "ptz_autotracker": controls.autotracking,
            "review_alerts": controls.review_alerts,
            "review_detections": controls.review_detections,
            "motion_threshold": controls.motion_threshold,
            "motion_contour_area": controls.motion_contour_area,
        }
    return {key: value for key, value in values.items() if value is not None}


def available_settings(features: LiveFeatures, controls: CameraControls | None) -> frozenset[str]:
    """The settings a camera has on this version: audio and autotracking only where configured."""
    names = set(features.settings) & {*SWITCH_SETTINGS, *NUMBER_SETTINGS}
    if controls is None or not controls.audio_in_config:
        names.discard("audio")
    if controls is None or not controls.autotracking_in_config:
        names.discard("ptz_autotracker")
    return frozenset(names)
