"""The matrix: the endpoints each device kind reads, which faults apply, and what is right.

An endpoint is read by a polling cycle (at its own cadence), at setup, or on demand when a
user opens a picture or a stream. What is right when it misbehaves depends on what the data
is for: a measurement the poll cannot do without makes the device's entities unavailable, a
single measurement only its own value unknown, a best-effort picture keeps the last one, and
a picture asked for on demand fails that one request while the entities carry on.
"""

import enum
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

from tests.fakes.hostile import SHAPE_FAULTS, BodyKind, Fault, Route

FLIR: Final = "flir"
FRIGATE: Final = "frigate"
KINDS: Final = (FLIR, FRIGATE)


class Trigger(enum.StrEnum):
    """What reads an endpoint."""

    POLL = "poll"  # the coordinator's cycle, at the endpoint's cadence
    SETUP = "setup"  # only setting the entry up (and its retries)
    STILL = "still"  # a camera still, asked for through Home Assistant's camera proxy
    IMAGE = "image"  # an image entity's picture, through Home Assistant's image proxy
    STREAM = "stream"  # a camera's MJPEG stream, through Home Assistant's stream proxy


@dataclass(frozen=True, kw_only=True)
class Endpoint:
    """One endpoint of a device kind: the routes it covers and what reads it."""

    kind: str
    name: str
    routes: tuple[Route, ...]
    body: BodyKind
    trigger: Trigger
    cycle: timedelta = timedelta(seconds=5)
    """How far time moves for one cycle that reads the endpoint (polls and setup retries)."""


def _route(name: str, path: str, body: BodyKind = "json", **kwargs: object) -> Route:
    return Route(name=name, path=path, kind=body, **kwargs)  # type: ignore[arg-type]


_IMAGE = r"/api/image/current"
FLIR_ENDPOINTS: Final = (
    Endpoint(
        kind=FLIR,
        name="thermal image (poll)",
        routes=(
            _route(
                "thermal",
                _IMAGE,
                "image",
                query={"imgformat": ("JPEG",)},
                absent=("width", "height"),
            ),
        ),
        body="image",
        trigger=Trigger.POLL,
    ),
    Endpoint(
        kind=FLIR,
        name="thermal still (camera)",
        routes=(_route("still", _IMAGE, "image", query={"imgformat": ("JPEG",), "width": ()}),),
        body="image",
        trigger=Trigger.STILL,
    ),
    Endpoint(
        kind=FLIR,
        name="visual image (VISIBLE/JPEG_visual)",
        routes=(
            _route("visual", _IMAGE, "image", query={"imgformat": ("VISIBLE", "JPEG_visual")}),
        ),
        body="image",
        trigger=Trigger.POLL,
        cycle=timedelta(seconds=30),
    ),
    Endpoint(
        kind=FLIR,
        name="spot 1 (one ROI)",
        routes=(_route("spot 1", r"/api/spot/1\.json"),),
        body="json",
        trigger=Trigger.POLL,
    ),
    Endpoint(
        kind=FLIR,
        name="all measurement JSON",
        routes=(_route("measurements", r"/api/(spot|box|line|tempsensor)/\d+\.json"),),
        body="json",
        trigger=Trigger.POLL,
    ),
    Endpoint(
        kind=FLIR,
        name="/api/alarms",
        routes=(_route("alarms", r"/api/alarms"),),
        body="json",
        trigger=Trigger.POLL,
    ),
    Endpoint(
        kind=FLIR,
        name="all JSON incl. /api/alarms",
        routes=(
            _route("measurements", r"/api/(spot|box|line|tempsensor)/\d+\.json"),
            _route("alarms", r"/api/alarms"),
        ),
        body="json",
        trigger=Trigger.POLL,
    ),
)

FRIGATE_ENDPOINTS: Final = (
    Endpoint(
        kind=FRIGATE,
        name="/api/version",
        routes=(_route("version", r"/api/version", "text"),),
        body="text",
        trigger=Trigger.SETUP,
        cycle=timedelta(seconds=90),
    ),
    Endpoint(
        kind=FRIGATE,
        name="/api/stats",
        routes=(_route("stats", r"/api/stats"),),
        body="json",
        trigger=Trigger.POLL,
        cycle=timedelta(seconds=15),
    ),
    Endpoint(
        kind=FRIGATE,
        name="/api/config",
        routes=(_route("config", r"/api/config"),),
        body="json",
        trigger=Trigger.POLL,
        cycle=timedelta(minutes=5),
    ),
    Endpoint(
        kind=FRIGATE,
        name="/api/profile",
        routes=(_route("profile", r"/api/profile"),),
        body="json",
        trigger=Trigger.POLL,
        cycle=timedelta(minutes=5),
    ),
    Endpoint(
        kind=FRIGATE,
        name="/api/events?in_progress",
        routes=(_route("events in progress", r"/api/events", query={"in_progress": ("1",)}),),
        body="json",
        trigger=Trigger.POLL,
    ),
    Endpoint(
        kind=FRIGATE,
        name="/api/events?after=",
        routes=(_route("events after", r"/api/events", query={"after": ()}),),
        body="json",
        trigger=Trigger.POLL,
    ),
    Endpoint(
        kind=FRIGATE,
        name="/api/events/summary",
        routes=(_route("summary", r"/api/events/summary"),),
        body="json",
        trigger=Trigger.POLL,
        cycle=timedelta(seconds=60),
    ),
    Endpoint(
        kind=FRIGATE,
        name="latest.jpg (camera still)",
        routes=(_route("latest.jpg", r"/api/[A-Za-z0-9_-]+/latest\.jpg", "image"),),
        body="image",
        trigger=Trigger.STILL,
    ),
    Endpoint(
        kind=FRIGATE,
        name="event snapshot.jpg",
        routes=(_route("snapshot", r"/api/events/[^/]+/snapshot\.jpg", "image"),),
        body="image",
        trigger=Trigger.IMAGE,
    ),
    Endpoint(
        kind=FRIGATE,
        name="MJPEG stream /api/<camera>",
        routes=(_route("mjpeg", r"/api/(front_door|backyard)", "mjpeg"),),
        body="mjpeg",
        trigger=Trigger.STREAM,
    ),
)

ENDPOINTS: Final = {FLIR: FLIR_ENDPOINTS, FRIGATE: FRIGATE_ENDPOINTS}

JSON_FAULTS: Final = frozenset({Fault.INVALID_JSON, Fault.NESTED_JSON, *SHAPE_FAULTS})
IMAGE_FAULTS: Final = frozenset({Fault.TRUNCATED_IMAGE, Fault.CORRUPT_RADIOMETRIC})
MJPEG_FAULTS: Final = frozenset({Fault.MJPEG_NO_BOUNDARY, Fault.MJPEG_CUT_FRAME})

KIND_SKIPS: Final = {
    (FLIR, Fault.MJPEG_NO_BOUNDARY): "a FLIR camera has no MJPEG endpoint: the integration "
    "makes the camera's stream from stills (see thermal still)",
    (FLIR, Fault.MJPEG_CUT_FRAME): "a FLIR camera has no MJPEG endpoint: the integration "
    "makes the camera's stream from stills (see thermal still)",
    (FRIGATE, Fault.CORRUPT_RADIOMETRIC): "Frigate serves no radiometric JPEG (a corrupt "
    "plain JPEG is the truncated-image case)",
}


def not_applicable(endpoint: Endpoint, fault: Fault) -> str | None:
    """Why `fault` cannot happen on `endpoint` (None: it can)."""
    if (endpoint.kind, fault) in KIND_SKIPS:
        return KIND_SKIPS[endpoint.kind, fault]
    if fault in JSON_FAULTS and endpoint.body != "json":
        return f"{endpoint.name} answers {endpoint.body}, not JSON"
    if fault in MJPEG_FAULTS and endpoint.body != "mjpeg":
        return f"{endpoint.name} is not an MJPEG stream"
    if fault is Fault.TRUNCATED_IMAGE and endpoint.body != "image":
        return f"{endpoint.name} answers {endpoint.body}, not an image"
    if fault is Fault.CORRUPT_RADIOMETRIC and not endpoint.routes[0].name.startswith(
        ("thermal", "still")
    ):
        return f"{endpoint.name} is not a radiometric image"
    return None


# ------------------------------------------------------------------------------ what is right

# Entity groups, by unique id: which entities a fault may make unavailable or unknown.
GROUPS: Final[dict[str, re.Pattern[str]]] = {
    "all": re.compile(r""),
    "frame": re.compile(
        r"_(frame_max|frame_min|frame_mean|hot_spot_x|hot_spot_y|thermal_picture)$"
    ),
    "spot 1": re.compile(r"_spot_1_"),
    "ROIs": re.compile(r"_(spot|box|line|tempsensor)_\d+_"),
    "alarms": re.compile(r"_alarm_\d+_(alarm_threshold|triggered)$"),
    "JSON values": re.compile(
        r"_((spot|box|line|tempsensor)_\d+_|alarm_\d+_(alarm_threshold|triggered)$)"
    ),
    "labels": re.compile(r":label_detected:"),
    "stats values": re.compile(r""),
}

TIMEOUTS_AND_ERRORS: Final = frozenset(
    {
        Fault.SLOW_BODY,
        Fault.HANG,
        Fault.HTTP_500,
        Fault.HTTP_502,
        Fault.HTTP_503,
        Fault.HTTP_503_RETRY_AFTER,
        Fault.HTTP_429,
        Fault.HTTP_429_RETRY_AFTER,
    }
)
"""The camera failed or timed out (the FLIR client's RequestFailedError): two in a cycle fail it."""
UNUSABLE: Final = frozenset(
    {
        Fault.ENDLESS_BODY,
        Fault.HUGE_DECLARED,
        Fault.HUGE_UNDECLARED,
        Fault.REDIRECT_OFF_ORIGIN,
        Fault.INVALID_JSON,
        Fault.NESTED_JSON,
    }
)
"""The answer came but cannot be used (too large, elsewhere, not JSON)."""
HARMLESS: Final = frozenset({Fault.REDIRECT_SAME_ORIGIN, Fault.WRONG_CONTENT_TYPE})
"""The FLIR client follows redirects within the camera and reads JSON whatever its type says."""
VALUE_SHAPES: Final = frozenset(
    {Fault.STRINGS_FOR_NUMBERS, Fault.NAN, Fault.HUGE_NUMBERS, Fault.NULLS}
)
"""JSON that parses, with values that are not numbers: those values are unknown."""


@dataclass(frozen=True, kw_only=True)
class Expect:
    """What is right when a fault meets an endpoint.

    `unavailable`: the group that goes unavailable (exactly; "none": nothing); `unknown`: the
    group values may go unknown in ("none": nothing may; a group: at least one, all in it);
    `request`: Home Assistant's answer to the picture or stream asked for meanwhile;
    `reauth`: a reauthentication starts; `entry_state`: the entry's state meanwhile.
    """

    unavailable: str = "none"
    unknown: str = "none"
    request: int | None = None
    reauth: bool = False
    entry_state: str = "loaded"
    why: str = ""


REAUTH: Final = Expect(
    unavailable="all", reauth=True, why="refused credentials: unavailable, reauthentication"
)


def _flir(endpoint: Endpoint, fault: Fault) -> Expect:  # noqa: PLR0911
    name = endpoint.routes[0].name
    if endpoint.trigger is Trigger.STILL:
        if fault in {Fault.REDIRECT_SAME_ORIGIN, Fault.TRUNCATED_IMAGE, Fault.CORRUPT_RADIOMETRIC}:
            return Expect(request=200, why="the still is passed on as the camera sent it")
        return Expect(request=500, why="that still fails; the entities carry on")
    if fault is Fault.HTTP_401:
        return REAUTH
    if name == "visual":
        return Expect(why="best effort: the last visual image stays")
    if fault in HARMLESS and (endpoint.body == "json" or fault is Fault.REDIRECT_SAME_ORIGIN):
        return Expect(why="followed within the camera / JSON read whatever its content type")
    if name == "thermal":
        if fault in {Fault.TRUNCATED_IMAGE, Fault.CORRUPT_RADIOMETRIC}:
            return Expect(unavailable="frame", why="the frame's values go, the ROIs stay")
        return Expect(unavailable="all", why="no (usable) thermal image: the cycle fails")
    if name == "spot 1":
        return Expect(unknown="spot 1", why="one ROI failing: only its value is unknown")
    if name == "measurements" and len(endpoint.routes) == 1:
        if fault in TIMEOUTS_AND_ERRORS:
            return Expect(unavailable="all", why="the camera keeps failing: the cycle fails")
        return Expect(unknown="ROIs", why="unusable answers: those values are unknown")
    if name == "alarms":
        if fault in VALUE_SHAPES:
            return Expect(unknown="alarms", why="alarm values that are not numbers are unknown")
        return Expect(unavailable="alarms", why="no alarm list: the alarms are unavailable")
    # every JSON endpoint, the alarm list included
    if fault in TIMEOUTS_AND_ERRORS:
        return Expect(unavailable="all", why="the camera keeps failing: the cycle fails")
    if fault in VALUE_SHAPES:
        return Expect(unknown="JSON values", why="values that are not numbers are unknown")
    return Expect(
        unavailable="alarms", unknown="ROIs", why="unusable answers: ROIs unknown, no alarms"
    )


_STREAMED: Final = frozenset(
    {
        Fault.ENDLESS_BODY,
        Fault.HUGE_DECLARED,
        Fault.HUGE_UNDECLARED,
        Fault.SLOW_BODY,
        Fault.WRONG_CONTENT_TYPE,
        Fault.MJPEG_NO_BOUNDARY,
        Fault.MJPEG_CUT_FRAME,
    }
)


def _frigate(endpoint: Endpoint, fault: Fault) -> Expect:  # noqa: PLR0911
    name = endpoint.routes[0].name
    match endpoint.trigger:
        case Trigger.STILL | Trigger.IMAGE:
            return Expect(request=500, why="that picture fails; the entities carry on")
        case Trigger.STREAM:
            if fault in _STREAMED:
                return Expect(request=200, why="streamed through until the viewer leaves")
            return Expect(request=502, why="no stream: Home Assistant answers 502")
        case Trigger.SETUP:
            if fault is Fault.HTTP_401:
                return Expect(
                    unavailable="all",
                    reauth=True,
                    entry_state="setup_error",
                    why="refused credentials at setup: reauthentication",
                )
            if fault is Fault.WRONG_CONTENT_TYPE:
                return Expect(why="the version is read whatever its content type")
            return Expect(
                unavailable="all", entry_state="setup_retry", why="setup retries until it answers"
            )
        case _:
            pass
    if fault is Fault.HTTP_401:
        return REAUTH
    if fault is Fault.WRONG_CONTENT_TYPE:
        return Expect(why="JSON is read whatever its content type says")
    if fault in VALUE_SHAPES or fault is Fault.LISTS_FOR_OBJECTS:
        if fault is Fault.LISTS_FOR_OBJECTS and name in {"stats", "config", "profile"}:
            return Expect(unavailable="all", why="not a JSON object: the poll fails")
        if name == "stats":
            return Expect(unknown="stats values", why="values that are not numbers are unknown")
        if name == "config" and fault is Fault.NULLS:
            return Expect(unavailable="labels", why="no tracked labels: their entities go")
        return Expect(why="malformed rows and values are skipped")
    return Expect(unavailable="all", why="the poll fails: every entity is unavailable")


def expect(endpoint: Endpoint, fault: Fault) -> Expect:
    """What is right for `fault` on `endpoint` (an applicable pair)."""
    return _flir(endpoint, fault) if endpoint.kind == FLIR else _frigate(endpoint, fault)


def in_group(group: str, unique_id: str) -> bool:
    """Whether the entity of `unique_id` is in `group`."""
    return group != "none" and GROUPS[group].search(unique_id) is not None
