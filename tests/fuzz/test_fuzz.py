"""Every parser returns its model or raises its library's own error, whatever it is fed.

The same targets as ``scripts/fuzz`` with fewer examples (Hypothesis profile ``fuzz-ci``, 200
per parser; ``FUZZ_EXAMPLES`` overrides it), so the property is checked on every test run. The
inputs are the same on every run (``FUZZ_RANDOM=1`` draws new ones; ``scripts/fuzz`` always
does). A failure shows the smallest input Hypothesis found.
"""

import asyncio
import json
import os

import pytest
from hypothesis import settings

from custom_components.flir_frigate.api.frigate.exceptions import FrigateUnexpectedDeviceError
from custom_components.flir_frigate.api.frigate.probe import FrigateProbe
from tests.fuzz import seeds
from tests.fuzz.strategies import encode
from tests.fuzz.stub import Answer, StubSession
from tests.fuzz.targets import BY_NAME, CLIP_EVENT, TARGETS, Target, fuzz, websocket_seeds

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", settings.get_profile("fuzz-ci").max_examples))
DERANDOMIZE = not os.environ.get("FUZZ_RANDOM")  # the same inputs on every run unless asked


@pytest.mark.parametrize("target", TARGETS, ids=[target.name for target in TARGETS])
def test_only_library_errors(target: Target) -> None:
    result = fuzz(target, EXAMPLES, raise_other=True, derandomize=DERANDOMIZE)
    assert result.other == 0, result.failures
    assert result.examples >= min(EXAMPLES, 50)  # Hypothesis did not give up early


def test_every_parser_has_a_target() -> None:
    """The FLIR models, the decoder and each Frigate payload, plus both probes."""
    assert set(BY_NAME) == {
        *(f"flir.{kind}" for kind in ("spot", "box", "line", "tempsensor", "alarm", "alarms")),
        "flir.rjpeg",
        "flir.probe",
        *(
            f"frigate.{kind}"
            for kind in (
                "version",
                "stats",
                "config",
                "events",
                "event",
                "summary",
                "profile",
                "recordings",
            )
        ),
        "frigate.clip",
        "frigate.probe",
        "frigate.websocket",
    }


def test_seeds_parse() -> None:
    """Every unmutated seed is a valid answer: the targets start from real shapes."""
    with asyncio.Runner() as runner:
        for name, values in seeds.all_seeds().items():
            target = BY_NAME[name]
            for value in values:
                body = value.encode() if isinstance(value, str) else encode(value)
                if name == "frigate.version" and value.startswith("0.11"):
                    continue  # too old: refused on purpose
                target.run(body, runner)
        for data in seeds.rjpeg_seeds():
            BY_NAME["flir.rjpeg"].run(data, runner)


def testwebsocket_seeds_decode() -> None:
    """Every websocket seed is a message the integration reads: the target starts from them."""
    with asyncio.Runner() as runner:
        for envelope in websocket_seeds():
            assert BY_NAME["frigate.websocket"].run(encode(envelope), runner) is not None, envelope


def test_stub_counts_requests() -> None:
    session = StubSession(lambda _path: Answer(b"{}"))
    session.get("http://127.0.0.1/api/x")
    assert session.requests == 1


def test_regression_camera_names_frigate_does_not_allow() -> None:
    """Found by the fuzz: a config camera named outside Frigate's rules (`front door`, `a/b`)
    made the probe raise ValueError when it asked for the camera's still; an event naming
    such a camera did the same in the clip fallback (`/clips/<camera>-<id>.mp4`). Such a
    camera is now left out of the config, and such an event is malformed."""
    config = json.loads(json.dumps(seeds.all_seeds()["frigate.config"][5]))
    config["cameras"]["front door"] = config["cameras"]["front_door"]
    config["cameras"]["a/b"] = config["cameras"]["backyard"]
    bodies = {
        "version": b"0.17.2",
        "stats": encode(seeds.all_seeds()["frigate.stats"][5]),
        "config": encode(config),
        "events": b"[]",
        "summary": b"[]",
        "profile": b'{"username": "admin", "role": "admin"}',
    }
    event = {"id": CLIP_EVENT, "camera": "a/b", "label": "person", "start_time": 1.0}
    with asyncio.Runner() as runner:
        found = BY_NAME["frigate.probe"].run(bodies, runner)
        assert isinstance(found, FrigateProbe)
        assert set(found.config.cameras) == {"front_door", "backyard", "garage"}
        with pytest.raises(FrigateUnexpectedDeviceError):
            BY_NAME["frigate.clip"].run(encode(event), runner)
