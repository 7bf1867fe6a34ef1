"""What both wings' error mappings share: the stages at which a device can fail.

Each wing maps its own library's errors in `flir/errors.py` or `frigate/errors.py`; the stage
picks the Home Assistant error class the same way for both.
"""

from enum import Enum, auto


class Stage(Enum):
    """What the integration was doing when the device failed."""

    SETUP = auto()  # ConfigEntryNotReady / ConfigEntryAuthFailed / ConfigEntryError
    POLL = auto()  # UpdateFailed / ConfigEntryAuthFailed
    IMAGE = auto()  # HomeAssistantError (a still or a picture asked for by a user)
