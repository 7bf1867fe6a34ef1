"""The size of each camera's recordings, from `/api/recordings/storage`, read rarely.

Frigate answers from a sum over its whole recordings table, one query per camera: slow on a
large database, and the sizes move slowly. So the hub asks every `RECORDINGS_INTERVAL`, and a
failure (timeout, a role that may not read it, a server without the endpoint) keeps the last
answer instead of failing the poll; the sensors stay as they were.
"""

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Final

from ..api.frigate.client import FrigateClient
from ..api.frigate.config import CameraConfig
from ..api.frigate.exceptions import FrigateError
from ..api.frigate.recordings import CameraRecordings, camera_recordings
from ..api.frigate.stats import FrigateStats
from ..const import LOGGER
from .const import DUE_MARGIN

RECORDINGS_INTERVAL: Final = timedelta(minutes=5)
MB_TO_MIB: Final = 1_000_000 / 1_048_576


def recordings_mib(
    storage: Mapping[str, CameraRecordings] | None, camera: CameraConfig, stats: FrigateStats
) -> float | None:
    """MiB of a camera's recordings (Frigate counted MB up to 0.12, like its stats)."""
    if storage is None or (entry := camera_recordings(storage, camera)) is None:
        return None
    usage = entry.usage
    if usage is None or stats.storage_unit == "MiB":
        return usage
    return round(usage * MB_TO_MIB, 2)


class RecordingsStorage:
    """The last answer of `/api/recordings/storage`, renewed when due."""

    def __init__(self, client: FrigateClient) -> None:
        """Nothing read yet."""
        self._client = client
        self.storage: dict[str, CameraRecordings] | None = None
        self._read_at: datetime | None = None

    async def async_refresh(self, now: datetime) -> None:
        """Ask Frigate again when the interval has passed; keep the last answer on failure."""
        if self._read_at is not None and now - self._read_at < RECORDINGS_INTERVAL - DUE_MARGIN:
            return
        self._read_at = now
        try:
            self.storage = await self._client.recordings_storage()
        except FrigateError as err:
            LOGGER.debug("Frigate recordings storage not read: %s", err)
