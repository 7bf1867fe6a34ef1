"""The fuzz targets (one per parser) and the loop that runs them.

Property, for every target: the parser returns its model (which can then be used: its
properties, ``dataclasses.asdict`` as diagnostics does, conversions) or raises its library's
own error class (``FlirError`` or ``FrigateError``); any other exception is a defect.

The JSON parsers are driven through the libraries' real clients on a stub session
(:mod:`tests.fuzz.stub`), so a body goes through everything the integration does with it:
bounded read, JSON decoding, type checks, ``from_dict``, unit conversion, list filtering. The
radiometric decoder takes the bytes directly. The probes (``flir.probe``, ``frigate.probe``)
take a generated answer for each endpoint they ask.
"""

import asyncio
import dataclasses
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from custom_components.flir_frigate.api.flir.client import FlirClient
from custom_components.flir_frigate.api.flir.exceptions import FlirError
from custom_components.flir_frigate.api.flir.probe import probe_flir
from custom_components.flir_frigate.api.flir.rjpeg import decode_rjpeg, is_radiometric
from custom_components.flir_frigate.api.flir.rjpeg_container import fff_blob
from custom_components.flir_frigate.api.frigate.client import FrigateClient
from custom_components.flir_frigate.api.frigate.exceptions import FrigateError
from custom_components.flir_frigate.api.frigate.live_models import decode
from custom_components.flir_frigate.api.frigate.probe import identify, probe_frigate

from . import seeds as seed_data
from .strategies import (
    json_bodies,
    mostly_valid,
    mutated_fff,
    mutated_jpeg,
    random_segments,
    text_bodies,
)
from .stub import JPEG, Answer, StubSession

settings.register_profile(
    "fuzz",
    max_examples=5000,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
settings.register_profile("fuzz-ci", settings.get_profile("fuzz"), max_examples=200)

type Run = Callable[[Any, asyncio.Runner], object]


@dataclass(frozen=True, kw_only=True)
class Target:
    """One parser: how to make its input, how to run it, which errors are its own."""

    name: str
    strategy: Callable[[], st.SearchStrategy[Any]]
    run: Run
    library_error: type[Exception]


@dataclass(kw_only=True)
class Result:
    """What a fuzz run of one target counted."""

    name: str
    examples: int = 0
    library_errors: int = 0
    other: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, Any]] = field(default_factory=list)  # first few: error, input


def touch(model: object) -> None:
    """Use a model as the integration does: every property, asdict, repr."""
    if dataclasses.is_dataclass(model) and not isinstance(model, type):
        dataclasses.asdict(model)
        for name in dir(type(model)):
            if isinstance(getattr(type(model), name, None), property):
                getattr(model, name)
    repr(model)


# ----------------------------------------------------------------------------------- FLIR


def _flir_client(route: Callable[[str], Answer]) -> FlirClient:
    session: Any = StubSession(route)
    return FlirClient("127.0.0.1", session=session, request_timeout=5.0)


def _flir_single(kind: str) -> Run:
    def run(body: bytes, runner: asyncio.Runner) -> object:
        client = _flir_client(lambda _path: Answer(body))
        fetch: Callable[[], Awaitable[object]] = {
            "spot": lambda: client.spot(1),
            "box": lambda: client.box(1),
            "line": lambda: client.line(1),
            "tempsensor": lambda: client.temp_sensor(1),
            "alarm": lambda: client.alarm(1),
            "alarms": client.alarms,
        }[kind]
        model = runner.run(fetch())
        for item in model.values() if isinstance(model, dict) else (model,):
            touch(item)
        return model

    return run


def _flir_probe(bodies: dict[str, bytes], runner: asyncio.Runner) -> object:
    """The probe: discovery, one cycle, the thermal JPEG decoded and rendered."""

    def route(path: str) -> Answer:
        if path == "/api/image/current":
            return Answer(bodies["image"], content_type="image/jpeg")
        kind = path.split("/")[2] if path.count("/") >= 2 else ""
        body = bodies.get(kind)
        return Answer(b"", status=404) if body is None else Answer(body)

    found = runner.run(probe_flir(_flir_client(route)))
    found.facts  # noqa: B018
    found.notes  # noqa: B018
    return found


def _rjpeg(data: bytes, _runner: asyncio.Runner) -> object:
    is_radiometric(data)  # never raises
    image = decode_rjpeg(data)
    temperatures = image.temperatures()
    assert temperatures.shape == image.raw.shape == (image.height, image.width)
    repr(image.camera)
    return image


# -------------------------------------------------------------------------------- Frigate


def _frigate_client(route: Callable[[str], Answer]) -> FrigateClient:
    session: Any = StubSession(route)
    return FrigateClient("http://127.0.0.1:5000", session=session, request_timeout=5.0)


def _frigate_single(kind: str) -> Run:
    def run(body: bytes, runner: asyncio.Runner) -> object:
        content_type = "text/plain" if kind == "version" else "application/json"
        client = _frigate_client(lambda _path: Answer(body, content_type=content_type))
        fetch: Callable[[], Awaitable[object]] = {
            "version": client.version,
            "stats": client.stats,
            "config": client.config,
            "events": lambda: client.events(limit=5),
            "event": lambda: client.event("1700000000.123456-abc123"),
            "summary": client.events_summary,
            "profile": client.profile,
            "recordings": client.recordings_storage,
        }[kind]
        model = runner.run(fetch())
        for item in model if isinstance(model, list) else (model,):
            touch(item)
            for block in item.values() if isinstance(item, dict) else ():
                touch(block)
            for nested in ("cameras", "detectors", "cpu_usages", "gpu_usages", "processes"):
                for block in getattr(item, nested, {}).values():
                    touch(block)
        return model

    return run


CLIP_EVENT = "1700000000.123456-abc123"


def _frigate_clip(body: bytes, runner: asyncio.Runner) -> object:
    """An event clip from a server that keeps clips as files: the event (``body``) names the
    camera of `/clips/<camera>-<id>.mp4`."""

    def route(path: str) -> Answer:
        if path == f"/api/events/{CLIP_EVENT}/clip.mp4":
            return Answer(b'{"success": false}', status=404)
        if path == f"/api/events/{CLIP_EVENT}":
            return Answer(body)
        if path.startswith("/clips/"):
            return Answer(b"\x00\x00\x00\x08ftyp", content_type="video/mp4")
        return Answer(b"", status=404)

    async def clip() -> bytes:
        async with _frigate_client(route).event_clip(CLIP_EVENT) as response:
            return await response.content.read()

    return runner.run(clip())


def _frigate_probe(bodies: dict[str, bytes], runner: asyncio.Runner) -> object:
    """The probe: identify, probe (version, profile, stats), config, events, summary, stills."""

    def route(path: str) -> Answer:
        if path == "/api/version":
            return Answer(bodies["version"], content_type="text/plain")
        if path.endswith(".jpg"):
            return Answer(JPEG, content_type="image/jpeg")
        special = {"/api/events/summary": "summary", "/api/recordings/storage": "recordings"}
        key = special.get(path, path.removeprefix("/api/"))
        return Answer(bodies.get(key, b"{}"))

    client = _frigate_client(route)

    async def probe() -> object:
        version = await identify(client)
        if version is None:
            return None
        found = await probe_frigate(client, version)
        found.facts  # noqa: B018
        found.newer_version  # noqa: B018
        return found

    return runner.run(probe())


# --------------------------------------------------------------------------------- targets


def _json(name: str) -> Callable[[], st.SearchStrategy[bytes]]:
    return lambda: json_bodies(seed_data.all_seeds()[name])


@cache
def _rjpeg_strategy() -> st.SearchStrategy[bytes]:
    files = seed_data.rjpeg_seeds()
    fffs = [bytes(fff_blob(memoryview(data))) for data in files]
    return st.one_of(
        st.sampled_from(files), mutated_jpeg(files), mutated_fff(fffs), random_segments()
    )


def _flir_probe_strategy() -> st.SearchStrategy[dict[str, bytes]]:
    seeds = seed_data.all_seeds()
    kinds = {"spot": "flir.spot", "box": "flir.box", "line": "flir.line"}
    kinds |= {"tempsensor": "flir.tempsensor", "alarm": "flir.alarm", "alarms": "flir.alarms"}
    return st.fixed_dictionaries(
        {"image": st.one_of(st.sampled_from(seed_data.rjpeg_seeds()[1:]), _rjpeg_strategy())},
        optional={
            kind: st.one_of(mostly_valid(seeds[name]), json_bodies(seeds[name]))
            for kind, name in kinds.items()
        },
    )


def _frigate_probe_strategy() -> st.SearchStrategy[dict[str, bytes]]:
    seeds = seed_data.all_seeds()
    valid = [s for s in seeds["frigate.version"] if not s.startswith("0.11")]
    return st.fixed_dictionaries(
        {
            "version": st.one_of(
                st.sampled_from(valid).map(str.encode),
                st.sampled_from(valid).map(str.encode),
                text_bodies(valid),
            ),
            **{
                kind: st.one_of(
                    mostly_valid(seeds[f"frigate.{kind}"]), json_bodies(seeds[f"frigate.{kind}"])
                )
                for kind in ("stats", "config", "events", "summary", "profile", "recordings")
            },
        }
    )


def _websocket(body: bytes, _runner: asyncio.Runner) -> object:
    """One websocket text frame through the decoder (malformed ones give None, never raise)."""
    message = decode(body.decode("utf-8", "replace"))
    touch(message)
    return message


@cache
def websocket_seeds() -> list[Any]:
    """Envelopes of every topic the integration reads, JSON topics double-encoded as Frigate
    sends them, built from the seeds of the HTTP payloads."""
    seeds = seed_data.all_seeds()
    event = seeds["frigate.event"][0]
    stats = seeds["frigate.stats"][0]
    review = {
        "id": "1718000000.1-abcdef",
        "camera": "front_door",
        "severity": "alert",
        "start_time": 1718000000.1,
        "end_time": None,
        "data": {"objects": ["person"], "zones": ["porch"], "detections": [event["id"]]},
    }
    activity = {
        "front_door": {
            "motion": True,
            "objects": [],
            "config": {"detect": True, "record": False, "snapshots": True},
        }
    }
    update = {
        "type": "face",
        "id": event["id"],
        "name": "alice",
        "score": 0.9,
        "camera": "front_door",
        "timestamp": 1718000000.5,
    }

    def wrap(topic: str, payload: Any) -> dict[str, Any]:
        return {"topic": topic, "payload": payload}

    return [
        wrap("events", json.dumps({"type": "new", "before": event, "after": event})),
        wrap("events", json.dumps({"type": "end", "before": event, "after": event})),
        wrap("reviews", json.dumps({"type": "new", "before": review, "after": review})),
        wrap("camera_activity", json.dumps(activity)),
        wrap("stats", json.dumps(stats)),
        wrap("tracked_object_update", json.dumps(update)),
        wrap("front_door/person", 2),
        wrap("porch/person/active", 1),
        wrap("front_door/motion", "ON"),
        wrap("front_door/detect/state", "OFF"),
        wrap("front_door/motion_threshold/state", 30),
        wrap("front_door/audio/dBFS", -40.5),
        wrap("front_door/review_status", "ALERT"),
        wrap("front_door/classification/door", "open"),
        wrap("profile/state", "away"),
    ]


TARGETS: tuple[Target, ...] = (
    *(
        Target(
            name=f"flir.{kind}",
            strategy=_json(f"flir.{kind}"),
            run=_flir_single(kind),
            library_error=FlirError,
        )
        for kind in seed_data.FLIR_KINDS
    ),
    Target(name="flir.rjpeg", strategy=_rjpeg_strategy, run=_rjpeg, library_error=FlirError),
    Target(
        name="flir.probe", strategy=_flir_probe_strategy, run=_flir_probe, library_error=FlirError
    ),
    Target(
        name="frigate.version",
        strategy=lambda: text_bodies(seed_data.all_seeds()["frigate.version"]),
        run=_frigate_single("version"),
        library_error=FrigateError,
    ),
    *(
        Target(
            name=f"frigate.{kind}",
            strategy=_json(f"frigate.{kind}"),
            run=_frigate_single(kind),
            library_error=FrigateError,
        )
        for kind in seed_data.FRIGATE_KINDS
        if kind != "version"
    ),
    Target(
        name="frigate.clip",
        strategy=_json("frigate.event"),
        run=_frigate_clip,
        library_error=FrigateError,
    ),
    Target(
        name="frigate.probe",
        strategy=_frigate_probe_strategy,
        run=_frigate_probe,
        library_error=FrigateError,
    ),
    Target(
        name="frigate.websocket",
        strategy=lambda: json_bodies(websocket_seeds()),
        run=_websocket,
        library_error=FrigateError,
    ),
)
BY_NAME = {target.name: target for target in TARGETS}


def fuzz(
    target: Target,
    examples: int,
    *,
    seed_value: int | None = None,
    raise_other: bool = False,
    derandomize: bool = False,
    keep: int = 3,
) -> Result:
    """Run ``examples`` generated inputs through ``target`` and count what happened.

    ``raise_other``: re-raise the first other exception, so Hypothesis shrinks it and reports
    the smallest input (pytest); otherwise count every one and keep the first ``keep``.
    ``derandomize``: the same inputs on every run (the test suite), else new ones each time.
    """
    result = Result(name=target.name)
    strategy = target.strategy()
    phases = (Phase.explicit, Phase.generate, *((Phase.shrink,) if raise_other else ()))

    with asyncio.Runner() as runner:

        @settings(
            settings.get_profile("fuzz"),
            max_examples=examples,
            phases=phases,
            derandomize=derandomize,
        )
        @given(strategy)
        def check(value: Any) -> None:
            result.examples += 1
            try:
                target.run(value, runner)
            except target.library_error:
                result.library_errors += 1
            except Exception as err:
                result.other += 1
                if len(result.failures) < keep:
                    result.failures.append((f"{type(err).__name__}: {err}"[:300], value))
                if raise_other:
                    raise

        if seed_value is not None:
            check = _seeded(check, seed_value)
        start = time.perf_counter()
        try:
            check()
        finally:
            result.seconds = time.perf_counter() - start
    return result


def _seeded(test: Callable[[], None], value: int) -> Callable[[], None]:
    return seed(value)(test)


__all__ = ["BY_NAME", "TARGETS", "Result", "Target", "fuzz"]
