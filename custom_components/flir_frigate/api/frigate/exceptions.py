"""Errors raised by the Frigate client.

Hierarchy::

    FrigateError
      FrigateConnectionError          unreachable, timeout, 5xx, truncated body: retry later
        FrigateRateLimitedError       login rate limited (429); retry after `retry_after`
        FrigateApiDownError           nginx answers, Frigate's API behind it does not (500/502)
      FrigateAuthenticationError      credentials/token refused or missing: ask the user
        FrigateForbiddenError         the user's role may not do this (403)
      FrigateUnexpectedDeviceError    answers, but not like Frigate (or malformed JSON)
        FrigateResponseTooLargeError  an answer larger than its cap (`limit` bytes)
      FrigateUnsupportedVersionError  Frigate older than 0.12
      FrigateNotFoundError            an event, camera or image does not exist (404)
      FrigateRangeNotSatisfiableError the requested byte range lies outside the clip (416)
      FrigateRequestRejectedError     Frigate refused a request's content (400/422)
      FrigateFeatureUnavailableError  the server's version lacks the endpoint

`FrigateRateLimitedError` derives from `FrigateConnectionError`, not from the authentication
error: the lockout is temporary and a re-authentication flow would only add failed attempts.
Catch it before `FrigateConnectionError` to tell the user why.
"""


class FrigateError(Exception):
    """Base class of every Frigate error."""


class FrigateConnectionError(FrigateError):
    """Frigate could not be reached, timed out, failed (5xx) or sent an incomplete body."""


class FrigateRateLimitedError(FrigateConnectionError):
    """Frigate rate-limits login attempts (HTTP 429); no login is tried before `retry_after`."""

    def __init__(self, message: str, *, retry_after: float) -> None:
        """Store the number of seconds until the next login may be attempted."""
        super().__init__(message)
        self.retry_after = retry_after


class FrigateApiDownError(FrigateConnectionError):
    """Frigate's web server answers, its API process does not: stopped or restarting.

    nginx stays up while Frigate's API restarts and answers `/api/*` with its own error page:
    500 where it first asks Frigate to check the login (every location from 0.14), 502 where
    it proxies straight to the API; a proxy in front may answer 503 or 504. `status` is the
    HTTP status seen.
    """

    def __init__(self, status: int) -> None:
        """Store the status the web server answered."""
        super().__init__(f"Frigate's API is not answering (HTTP {status} from its web server)")
        self.status = status


class FrigateAuthenticationError(FrigateError):
    """Frigate refused the credentials or token, or needs some."""


class FrigateForbiddenError(FrigateAuthenticationError):
    """The credentials are fine, but the user's role may not do this (HTTP 403)."""


class FrigateRequestRejectedError(FrigateError):
    """Frigate refused what a request asked for (HTTP 400/422): no recordings, bad values."""

    def __init__(self, status: int) -> None:
        """Store the HTTP status."""
        super().__init__(f"Frigate refused the request (HTTP {status})")
        self.status = status


class FrigateUnexpectedDeviceError(FrigateError):
    """The host answers, but not like a Frigate server (or answered malformed data)."""


class FrigateResponseTooLargeError(FrigateUnexpectedDeviceError):
    """An answer is larger than the cap for its kind; reading stopped at `limit` bytes."""

    def __init__(self, limit: int) -> None:
        """Store the cap in bytes; the message names it."""
        super().__init__(f"the answer is too large (limit {_size(limit)})")
        self.limit = limit


def _size(count: int) -> str:
    for unit, size in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= size and count % size == 0:
            return f"{count // size} {unit}"
    return f"{count} bytes"


class FrigateUnsupportedVersionError(FrigateError):
    """The server is a Frigate older than the minimum supported version (0.12)."""

    def __init__(self, message: str, *, version: str) -> None:
        """Store the version text the server reported."""
        super().__init__(message)
        self.version = version


class FrigateNotFoundError(FrigateError):
    """The requested event, camera, clip or image does not exist (HTTP 404)."""


class FrigateRangeNotSatisfiableError(FrigateError):
    """No byte of the requested range exists (HTTP 416); `content_range` is Frigate's answer."""

    def __init__(self, message: str, *, content_range: str | None) -> None:
        """Store Frigate's `Content-Range` (normally `bytes */<length>`), if it sent one."""
        super().__init__(message)
        self.content_range = content_range


class FrigateFeatureUnavailableError(FrigateError):
    """The server's Frigate version has no such endpoint; `needed` is the first that has."""

    def __init__(self, feature: str, *, needed: str) -> None:
        """Store the first version with the feature."""
        super().__init__(f"{feature} needs Frigate {needed} or later")
        self.needed = needed
