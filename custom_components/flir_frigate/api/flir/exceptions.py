"""Errors raised by the FLIR client and the radiometric decoder."""


class FlirError(Exception):
    """Base class of every FLIR error."""


class FlirConnectionError(FlirError):
    """The camera could not be reached, timed out or answered with a server error."""


class FlirAuthenticationError(FlirError):
    """The camera refused the credentials (or needs some)."""


class FlirUnexpectedDeviceError(FlirError):
    """The host answers, but it is not a FLIR automation camera (or answered nonsense)."""


class FlirDecodeError(FlirError):
    """The bytes are not a valid FLIR radiometric JPEG (or are corrupt or truncated)."""
