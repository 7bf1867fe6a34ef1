"""What both FLIR clients share: the plan, discovery's answers for the next cycle, a cycle's faults.

The REST client (:mod:`.client`) and the Ax8's (:mod:`.ax8`) ask different interfaces for the
same models. Around those requests they behave alike, and this is that part: the plan found by
the last discovery, the answers discovery read (they serve the cycle right after it, so a setup
reads each tool once, not twice), and how a cycle copes with a failing item: a 404 asks for a
new discovery, one timeout or server error marks the item failed, a second one ends the cycle.
"""

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

from .exceptions import FlirConnectionError, FlirUnexpectedDeviceError
from .host import normalize_host
from .models import Capabilities
from .transport import NotFoundError, RequestFailedError

_LOGGER = logging.getLogger(__name__)

MAX_CYCLE_TROUBLES: Final = 2
"""A cycle gives up (FlirConnectionError) at this many timeouts or server errors."""
READINGS_FOR: Final = 10.0
"""Seconds after a discovery during which the next cycle uses its answers."""


class _Transport(Protocol):
    @property
    def verify_ssl(self) -> bool: ...


@dataclass(slots=True)
class Cycle:
    """One measurement cycle's failed items and its count of timeouts and server errors."""

    failed: list[str] = field(default_factory=list)
    troubles: int = 0


class FlirClientBase[TransportT: _Transport]:
    """The plan, kept readings and cycle items of a FLIR client; requests are the subclass's."""

    _transport: TransportT

    def __init__(self, host: str) -> None:
        """Normalise the host (ValueError when it is malformed); no request is made."""
        self._base_url = normalize_host(host)
        self._capabilities: Capabilities | None = None
        self._rediscovery_needed = False
        self._readings: dict[str, Any] = {}
        self._readings_until = 0.0

    @property
    def base_url(self) -> str:
        """Normalised base URL, e.g. ``http://192.168.0.100`` (no credentials, no trailing /)."""
        return self._base_url

    @property
    def verify_ssl(self) -> bool:
        """Whether TLS certificates are verified (https hosts)."""
        return self._transport.verify_ssl

    @property
    def capabilities(self) -> Capabilities | None:
        """The plan from the last discovery, or ``None`` before it ran."""
        return self._capabilities

    def _keep_readings(self, probed: dict[str, Any]) -> None:
        """Keep what discovery read for the next cycle (an empty mapping: nothing)."""
        self._readings = probed
        self._readings_until = time.monotonic() + READINGS_FOR

    def _reading(self, key: str) -> Any:
        """What discovery read for ``key`` (once, while fresh); None when it must be asked."""
        if not self._readings:
            return None
        if time.monotonic() > self._readings_until:
            self._readings = {}
            return None
        return self._readings.pop(key, None)

    async def _cycle_item[T](
        self, cycle: Cycle, label: str, fetch: Callable[[], Awaitable[T]]
    ) -> T | None:
        """One item of a cycle; None (and `label` listed as failed) when it fails."""
        try:
            return await fetch()
        except NotFoundError:
            _LOGGER.debug("%s has gone (404); rediscovery needed", label)
            self._rediscovery_needed = True
        except RequestFailedError as err:
            cycle.troubles += 1
            if cycle.troubles >= MAX_CYCLE_TROUBLES:
                raise FlirConnectionError(f"the camera keeps failing: {err}") from err
            _LOGGER.debug("%s failed this cycle: %s", label, err)
        except FlirUnexpectedDeviceError as err:
            _LOGGER.debug("%s failed this cycle: %s", label, err)
        cycle.failed.append(label)
        return None
