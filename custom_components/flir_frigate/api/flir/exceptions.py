"""Errors raised by the FLIR client and the radiometric decoder.

Every error has a message: one raised without text (or with blank text) reads as its class's
default message, so a log line or a setup error never ends in an empty ``()``.
"""

from typing import ClassVar


class FlirError(Exception):
    """Base class of every FLIR error."""

    default_message: ClassVar[str] = "the FLIR camera or its data failed"

    def __str__(self) -> str:
        """The message given, else the class's default message (never empty)."""
        text = super().__str__()
        return text if text.strip() else self.default_message


class FlirConnectionError(FlirError):
    """The camera could not be reached, timed out or answered with a server error."""

    default_message = "the camera could not be reached"


class FlirAuthenticationError(FlirError):
    """The camera refused the credentials (or needs some)."""

    default_message = "the camera refused the credentials or needs some"


class FlirUnexpectedDeviceError(FlirError):
    """The host answers, but it is not a FLIR automation camera (or answered nonsense)."""

    default_message = "the host does not answer like a FLIR automation camera"


class FlirDecodeError(FlirError):
    """The bytes are not a valid FLIR radiometric JPEG (or are corrupt or truncated)."""

    default_message = "not a valid FLIR radiometric JPEG"
