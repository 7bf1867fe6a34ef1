"""Virtual time for Home Assistant: polling cycles driven by the bench, minutes in seconds.

Where a figure is about what happens per minute (requests, state rows) the bench runs the
cycles itself, back to back, and moves Home Assistant's `dt_util.utcnow()` (which the
coordinators use for their cadences) and the fakes' scenes on by the poll interval each time.
The event loop's own clock, and so every timeout, keeps real time.
"""

import contextlib
from collections.abc import Iterator
from datetime import datetime, timedelta

from homeassistant.util import dt as dt_util


class VirtualTime:
    """`dt_util.utcnow()` ahead of real time by `offset` seconds, moved by `advance`."""

    def __init__(self) -> None:
        """Start level with real time."""
        self.offset = 0.0
        self._real = dt_util.utcnow

    def _now(self) -> datetime:
        return self._real() + timedelta(seconds=self.offset)

    def advance(self, seconds: float) -> None:
        """Move virtual time on."""
        self.offset += seconds

    @contextlib.contextmanager
    def installed(self) -> Iterator[VirtualTime]:
        """Patch `dt_util.utcnow` while the block runs."""
        dt_util.utcnow = self._now  # type: ignore[assignment]
        try:
            yield self
        finally:
            dt_util.utcnow = self._real
