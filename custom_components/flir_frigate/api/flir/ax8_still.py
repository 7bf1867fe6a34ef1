"""The Ax8's radiometric stills: when one may be stored, and the last one kept.

Every still is written to the camera's flash before it can be downloaded, so it is taken at
most once per interval, whoever asks. Several clients are made for one camera in a row (the
config flow's, the entry's, the entry's again after each reload, options and reauth flows);
each would store its own still at once. They share one :class:`StillRecord` instead: its last
still, when it was stored and a lock, so that no sequence of clients stores more often than
the interval, and a still taken by the config flow serves the setup that follows it.
"""

import asyncio
import time
from dataclasses import dataclass, field


@dataclass(slots=True)
class StillRecord:
    """The stills of one camera: the last one downloaded, and when the last store was made.

    `stored_at` is set before the store is committed, so a store whose download fails still
    counts: the camera may have written it.
    """

    image: bytes | None = None
    downloaded_at: float | None = None
    stored_at: float | None = None
    stores: int = 0
    """Stores committed through this record (flash writes)."""
    lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    def wait(self, interval: float) -> float:
        """Seconds until the next store is allowed (0: now)."""
        if self.stored_at is None:
            return 0.0
        return max(0.0, interval - (time.monotonic() - self.stored_at))

    def age(self) -> float | None:
        """Seconds since the last still was downloaded (None: never)."""
        return None if self.downloaded_at is None else time.monotonic() - self.downloaded_at

    def storing(self) -> None:
        """A store is about to be committed."""
        self.stored_at = time.monotonic()
        self.stores += 1

    def keep(self, image: bytes) -> None:
        """The still just downloaded."""
        self.image = image
        self.downloaded_at = time.monotonic()
