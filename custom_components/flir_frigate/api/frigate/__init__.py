"""Async client for the HTTP API of Frigate NVR, versions 0.12 to 0.18.

`FrigateClient` talks to one Frigate server: the unauthenticated internal port (5000), the
authenticated port (8971, 0.14+), or either behind a reverse proxy under a path. It sends
its requests on the caller's `aiohttp.ClientSession` and imports nothing from Home
Assistant; it needs aiohttp, yarl and PyJWT.

Usage::

    async with aiohttp.ClientSession() as session:
        client = FrigateClient(
            "https://nvr.local:8971", session=session, username="admin", password="..."
        )
        info = await client.probe()  # version, auth mode, profile; FrigateError if not
        stats = await client.stats()
        events = await client.events(camera="front_door", in_progress=True)
        jpeg = await client.latest_jpg("front_door", height=360)
        async with client.event_clip(events[0].id, byte_range="bytes=0-") as clip:
            async for chunk in clip.content.iter_chunked(65536):
                ...

Endpoints: version, stats, config, profile, events (list, one, summary), the recordings'
size per camera, the latest frame, best and event images, and the MJPEG debug stream and
event clips as open streams for proxying (from 0.15 Frigate streams a clip without a length
and ignores `Range`; a caller that needs ranges keeps a copy). Every answer is parsed into
frozen dataclasses (`FrigateStats`, `FrigateConfig`, `FrigateEvent`, ...) that absorb the
layout changes between 0.12 and 0.18; rows that cannot be parsed are skipped. Server versions
are `FrigateVersion`s, ordered semantically (`0.18.0-beta1 < 0.18.0`, the git hash ignored);
older than 0.12 is refused.

Authentication (given to the constructor, `configured_auth` tells which):

* none: the internal port, or a Frigate older than 0.14;
* login: username and password. The client logs in lazily, only once the server has
  answered 401, so credentials given for the internal port are never sent; the JWT comes
  from the cookie Frigate sets (whatever its configured name) and goes back as
  `Authorization: Bearer`, renewed before its `exp`. A revoked token costs one new login
  and one retry; a refused login blocks new attempts for 30 s and a rate limit (429) for
  its `Retry-After`, so `/api/login` is never hammered;
* token: a static bearer token, sent as is, never refreshed.

`verify_ssl=False` skips certificate checks on every request, streams included.

Errors: the client's methods raise nothing but `FrigateError` and its subclasses (and
ValueError for bad arguments, before any request); a stream that breaks while the caller
reads it raises `FrigateConnectionError` out of its `async with`::

    FrigateError
      FrigateConnectionError          unreachable, timeout, 5xx, cut-off body: retry later
        FrigateRateLimitedError       logins rate limited; `retry_after` seconds
        FrigateApiDownError           nginx answers, Frigate's API does not (restarting)
      FrigateAuthenticationError      credentials or token refused or missing
      FrigateUnexpectedDeviceError    answers, but not like Frigate (malformed JSON too)
        FrigateResponseTooLargeError  an answer over its cap (`limit` bytes)
      FrigateUnsupportedVersionError  older than 0.12
      FrigateNotFoundError            no such event, camera, image or clip (404)
      FrigateRangeNotSatisfiableError the byte range lies outside the clip (416)

Bounded reads: an answer is read in chunks against a cap for its kind (200 bytes for the
version, 1 MiB for stats, profile and one event, 8 MiB for the config, event list and
summary, 20 MiB for images); a larger `Content-Length` is refused before reading, and an
endless body is cut off at the cap. JSON nested too deeply for the parser is malformed JSON.
Clips and the MJPEG stream are never buffered: the caller reads them chunk by chunk.

Every camera name, label, zone, event id and byte range is validated before it goes into a
URL or a header (`validate_camera`, `validate_label`, `validate_event_id`,
`validate_byte_range`), so values taken from the server or from a caller cannot leave
`/api/...` or inject headers.
"""

from .client import FrigateClient
from .config import CameraConfig, FrigateConfig
from .events import EventSummaryRow, FrigateEvent
from .exceptions import (
    FrigateApiDownError,
    FrigateAuthenticationError,
    FrigateConnectionError,
    FrigateError,
    FrigateNotFoundError,
    FrigateRangeNotSatisfiableError,
    FrigateRateLimitedError,
    FrigateResponseTooLargeError,
    FrigateUnexpectedDeviceError,
    FrigateUnsupportedVersionError,
)
from .paths import validate_byte_range, validate_camera, validate_event_id, validate_label
from .server import FrigateImage, FrigateProfile, ServerInfo
from .stats import CameraStats, DetectorStats, FrigateStats
from .version import MIN_SUPPORTED_VERSION, FrigateVersion

__all__ = [
    "MIN_SUPPORTED_VERSION",
    "CameraConfig",
    "CameraStats",
    "DetectorStats",
    "EventSummaryRow",
    "FrigateApiDownError",
    "FrigateAuthenticationError",
    "FrigateClient",
    "FrigateConfig",
    "FrigateConnectionError",
    "FrigateError",
    "FrigateEvent",
    "FrigateImage",
    "FrigateNotFoundError",
    "FrigateProfile",
    "FrigateRangeNotSatisfiableError",
    "FrigateRateLimitedError",
    "FrigateResponseTooLargeError",
    "FrigateStats",
    "FrigateUnexpectedDeviceError",
    "FrigateUnsupportedVersionError",
    "FrigateVersion",
    "ServerInfo",
    "validate_byte_range",
    "validate_camera",
    "validate_event_id",
    "validate_label",
]
