"""Model of `GET /api/recordings/storage`: how much disk each camera's recordings take.

Frigate sums the segment sizes of each camera's recordings in its database (MB up to 0.12,
MiB from 0.13, like the stats) and adds the recent bandwidth per hour. The answer is keyed by
camera: by its name up to 0.16, by its `friendly_name` where one is set from 0.17 (the name
otherwise). A camera without recordings has `"usage": null` (the sum of nothing): that is no
space, 0. The answer is `{}` when Frigate has no figures for its recordings directory.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Self

from .config import CameraConfig
from .parsing import JsonObject, as_float


@dataclass(frozen=True, kw_only=True, slots=True)
class CameraRecordings:
    """The recordings of one camera on disk."""

    key: str  # the camera's name or (0.17+) friendly name, as Frigate keyed it
    usage: float | None = None  # MiB (MB up to 0.12); 0 without recordings
    bandwidth: float | None = None  # per hour, same unit
    usage_percent: float | None = None  # of the recordings filesystem's total

    @classmethod
    def from_dict(cls, key: str, data: JsonObject) -> Self:
        """Parse one camera's entry; a null usage is no recordings (0)."""
        usage = data.get("usage", ...)
        return cls(
            key=key,
            usage=0.0 if usage is None else as_float(usage),
            bandwidth=as_float(data.get("bandwidth")),
            usage_percent=as_float(data.get("usage_percent")),
        )


def parse_recordings_storage(data: JsonObject) -> dict[str, CameraRecordings]:
    """Parse the answer; entries that are not objects are skipped."""
    return {
        str(key): CameraRecordings.from_dict(str(key), entry)
        for key, entry in data.items()
        if isinstance(entry, Mapping)
    }


def camera_recordings(
    storage: Mapping[str, CameraRecordings], camera: CameraConfig
) -> CameraRecordings | None:
    """The entry of a camera: under its friendly name (0.17+) if it has one, else its name."""
    if camera.friendly_name is not None and camera.friendly_name in storage:
        return storage[camera.friendly_name]
    return storage.get(camera.name)
