"""The hostile-device matrix: every fault on every endpoint of both device kinds.

Each test loads a FLIR camera and a Frigate server into a test Home Assistant, each behind a
hostile proxy (tests/fakes/hostile.py), and sweeps the faults over one endpoint of one kind:
fault on, two cycles (or two requests), fault off, one cycle. For every fault it checks what
is right for that endpoint (cases.expect) and what is right for all of them: Home Assistant
keeps running, memory allocated meanwhile stays under MEMORY_BOUND, at most one line at
warning or above going down and one line coming back, no traceback, everything back within
one cycle, no answer still being sent, no task left behind, nothing fetched off the device's
origin, and the other device untouched.

`scripts/faults` runs this module and prints the matrix as a table.
"""

import pytest

from tests.fakes.hostile import Fault

from .cases import (
    ENDPOINTS,
    FLIR,
    KIND_SKIPS,
    KINDS,
    Endpoint,
    Expect,
    expect,
    in_group,
    not_applicable,
)
from .report import record
from .rig import Outcome, Rig

MEMORY_BOUND = 64.0
"""MiB a case may allocate at its peak (the largest cap of a body is 20 MiB)."""

KNOWN_DEFECTS: dict[tuple[str, str, Fault], str] = {}
"""(kind, endpoint, fault) -> why the case fails today; it runs as a strict xfail."""


def _params() -> list[object]:
    params: list[object] = []
    for kind in KINDS:
        for endpoint in ENDPOINTS[kind]:
            faults = [f for f in Fault if not_applicable(endpoint, f) is None]
            known = [f for f in faults if (kind, endpoint.name, f) in KNOWN_DEFECTS]
            params.append(
                pytest.param(
                    kind,
                    endpoint.name,
                    tuple(f for f in faults if f not in known),
                    True,
                    id=f"{kind}-{endpoint.routes[0].name}",
                )
            )
            params.extend(
                pytest.param(
                    kind,
                    endpoint.name,
                    (fault,),
                    False,
                    id=f"{kind}-{endpoint.routes[0].name}-{fault.name.lower()}",
                    marks=pytest.mark.xfail(
                        strict=True, reason=KNOWN_DEFECTS[kind, endpoint.name, fault]
                    ),
                )
                for fault in known
            )
    return params


def _endpoint(kind: str, name: str) -> Endpoint:
    return next(endpoint for endpoint in ENDPOINTS[kind] if endpoint.name == name)


def judge(outcome: Outcome, expected: Expect) -> list[str]:
    """What went wrong in a case (nothing: it behaved)."""
    problems: list[str] = []
    want_unavailable = sorted(u for u in outcome.baseline if in_group(expected.unavailable, u))
    if outcome.unavailable != want_unavailable:
        problems.append(
            f"unavailable {_short(outcome.unavailable)}, expected {expected.unavailable}"
        )
    if outcome.unavailable_second != outcome.unavailable:
        problems.append(f"second cycle unavailable {_short(outcome.unavailable_second)}")
    if expected.unknown == "none":
        if outcome.unknown:
            problems.append(f"unknown {_short(outcome.unknown)}, expected none")
    elif not outcome.unknown or not all(in_group(expected.unknown, u) for u in outcome.unknown):
        problems.append(f"unknown {_short(outcome.unknown)}, expected some {expected.unknown}")
    want_requests = [] if expected.request is None else [expected.request] * 2
    if outcome.request != want_requests:
        problems.append(f"Home Assistant answered {outcome.request}, expected {want_requests}")
    if outcome.reauth != expected.reauth:
        problems.append(f"reauthentication {outcome.reauth}, expected {expected.reauth}")
    if outcome.entry_state != expected.entry_state:
        problems.append(f"entry {outcome.entry_state}, expected {expected.entry_state}")
    if outcome.faulted_requests < 1:
        problems.append("the fault was never met (no request reached it)")
    if not outcome.recovered:
        problems.append(
            f"not back one cycle after the fault: {_short(outcome.not_recovered)}, "
            f"answer {outcome.request_after}"
        )
    if len(outcome.down_lines) > 1:
        problems.append(f"{len(outcome.down_lines)} lines going down: {outcome.down_lines}")
    if len(outcome.up_lines) > 1:
        problems.append(f"{len(outcome.up_lines)} lines coming back: {outcome.up_lines}")
    if outcome.tracebacks:
        problems.append(f"tracebacks logged: {outcome.tracebacks}")
    if outcome.peak_mib >= MEMORY_BOUND:
        problems.append(f"peak memory {outcome.peak_mib} MiB")
    if outcome.in_flight:
        problems.append(f"{outcome.in_flight} hostile answers still being sent")
    if outcome.lingering_tasks:
        problems.append(f"tasks left behind: {outcome.lingering_tasks}")
    if outcome.other_hurt:
        problems.append(f"the other device's entities went unavailable: {outcome.other_hurt}")
    if outcome.elsewhere_hits:
        problems.append(f"{outcome.elsewhere_hits} requests followed a redirect off the origin")
    if not outcome.hass_running:
        problems.append("Home Assistant stopped running")
    return problems


def _short(ids: list[str]) -> str:
    return f"{ids[:4]}{' ...' if len(ids) > 4 else ''} ({len(ids)})"


@pytest.mark.parametrize(("kind", "endpoint_name", "faults", "main"), _params())
async def test_hostile_device(
    rig: Rig, kind: str, endpoint_name: str, faults: tuple[Fault, ...], main: bool
) -> None:
    """Every fault on one endpoint: what is right happens, and the device comes back."""
    endpoint = _endpoint(kind, endpoint_name)
    failures: list[str] = []
    for fault in faults:
        expected = expect(endpoint, fault)
        outcome = await rig.run(endpoint, fault)
        problems = judge(outcome, expected)
        status = ("failed" if main else "xfail") if problems else ("passed" if main else "xpass")
        record({**outcome.as_dict(), "status": status, "problems": problems, "why": expected.why})
        failures.extend(f"{fault}: {problem}" for problem in problems)
    if main:
        for fault in Fault:
            if (reason := not_applicable(endpoint, fault)) is not None:
                record(
                    {
                        "kind": kind,
                        "endpoint": endpoint_name,
                        "fault": str(fault),
                        "status": "n/a",
                        "reason": reason,
                    }
                )
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    ("kind", "fault"),
    [
        pytest.param(kind, fault, id=f"{kind}-{fault.name.lower()}", marks=pytest.mark.skip(reason))
        for (kind, fault), reason in KIND_SKIPS.items()
    ],
)
def test_not_applicable(kind: str, fault: Fault) -> None:
    """Faults that cannot happen to a device kind (each skipped with its reason)."""
    raise AssertionError(f"{fault} cannot apply to {kind}")


def test_every_endpoint_meets_faults() -> None:
    """Every endpoint of both kinds meets at least the transport faults (none dropped)."""
    for kind in KINDS:
        for endpoint in ENDPOINTS[kind]:
            tried = [f for f in Fault if not_applicable(endpoint, f) is None]
            assert Fault.HANG in tried, endpoint.name
            assert Fault.HTTP_401 in tried, endpoint.name
    assert {endpoint.kind for kind in KINDS for endpoint in ENDPOINTS[kind]} == {FLIR, "frigate"}
