"""Run the hostile-device matrix and print it as a table (`scripts/faults`).

The matrix tests append one JSON line per case (and per skipped cell) to the file named by
`FAULTS_RESULTS` (test_live_socket.py adds rows "websocket ..." for Frigate's websocket); this module runs pytest on tests/reliability with that variable set, then
prints one row per fault and a column per device kind. A cell sums up that fault over the
endpoints of that kind:

    unav 7/9 rec 9/9 log 1↓1↑ 21.3M

* `unav`: endpoints after whose fault at least one entity went unavailable, of those tried;
  `unkn` when values only went unknown; `none` when nothing changed (best-effort or
  on-demand endpoints; on-demand ones add `req 500` for what Home Assistant answered);
* `rec`: endpoints whose entities (and requests) were all back one cycle after the fault;
* `log`: the most lines logged at warning or above going down / coming back (any endpoint);
* the peak of memory allocated during the case (tracemalloc), the worst endpoint's, in MiB.

`--detail` prints a row per endpoint instead. Usage:

    scripts/faults [--detail] [--json FILE] [--workers N] [--from FILE] [-- PYTEST ARGS]
"""

import argparse
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Final

import pytest

from tests.fakes.hostile import Fault
from tests.reliability.cases import KINDS

ENV: Final = "FAULTS_RESULTS"
HERE: Final = Path(__file__).resolve().parent
KIND_TITLES: Final = {"flir": "FLIR camera", "frigate": "Frigate server"}


def record(entry: dict[str, Any]) -> None:
    """Append one result to the results file, when the matrix runs under `scripts/faults`."""
    path = os.environ.get(ENV)
    if not path:
        return
    line = json.dumps(entry, sort_keys=True) + "\n"
    # One write per line, in append mode: lines from parallel workers do not interleave.
    with Path(path).open("a", encoding="utf-8") as file:
        file.write(line)


def load(path: Path) -> list[dict[str, Any]]:
    """The results written by a run."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


# ------------------------------------------------------------------------------ rendering


def _effect(case: dict[str, Any]) -> str:
    if case["unavailable"] or case["unavailable_second"]:
        return "unav"
    if case["unknown"]:
        return "unkn"
    return "none"


def _cell(cases: Sequence[dict[str, Any]]) -> str:
    """Summary of one fault on the tried endpoints of one kind."""
    tried = [case for case in cases if case.get("status") != "n/a"]
    if not tried:
        reasons = {case.get("reason", "") for case in cases}
        return "skip" if len(reasons) == 1 else "n/a"
    effects: dict[str, int] = defaultdict(int)
    for case in tried:
        effects[_effect(case)] += 1
    shown = " ".join(f"{name} {count}/{len(tried)}" for name, count in sorted(effects.items()))
    requests = sorted({str(status) for case in tried for status in case["request"]})
    recovered = sum(case["recovered"] for case in tried)
    down = max(len(case["down_lines"]) for case in tried)
    up = max(len(case["up_lines"]) for case in tried)
    peak = max(case["peak_mib"] for case in tried)
    flags = ""
    if any(case.get("status") == "xfail" for case in tried):
        flags += " XFAIL"
    if any(case.get("status") == "failed" for case in tried):
        flags += " FAIL"
    req = f" req {'/'.join(requests)}" if requests else ""
    return f"{shown}{req} rec {recovered}/{len(tried)} log {down}↓{up}↑ {peak:.1f}M{flags}"


def _table(rows: list[list[str]], headers: list[str]) -> str:
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Iterable[str]) -> str:
        return " | ".join(str(cell).ljust(width) for cell, width in zip(cells, widths, strict=True))

    rule = "-+-".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def summary_table(results: list[dict[str, Any]]) -> str:
    """One row per fault, one column per device kind."""
    by_cell: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for case in results:
        by_cell[case["fault"], case["kind"]].append(case)
    # The hostile proxy's faults first, then those other tests record (the websocket's).
    known = [str(fault) for fault in Fault]
    extra = [name for name in dict.fromkeys(case["fault"] for case in results) if name not in known]
    rows = [
        [fault, *(_cell(by_cell.get((fault, kind), [])) or "-" for kind in KINDS)]
        for fault in [*known, *extra]
        if any((fault, kind) in by_cell for kind in KINDS)
    ]
    return _table(rows, ["case", *(KIND_TITLES[kind] for kind in KINDS)])


def detail_table(results: list[dict[str, Any]]) -> str:
    """One row per fault, kind and endpoint."""
    order = {str(fault): index for index, fault in enumerate(Fault)}
    rows: list[list[str]] = []
    for case in sorted(results, key=lambda c: (order.get(c["fault"], 99), c["kind"])):
        if case.get("status") == "n/a":
            rows.append(
                [case["fault"], case["kind"], case["endpoint"], "n/a", "", "", "", case["reason"]]
            )
            continue
        effect = _effect(case)
        if effect != "none":
            count = len(set(case["unavailable"]) | set(case["unavailable_second"]))
            effect = f"{effect} {count or len(case['unknown'])}/{case['entities']}"
        if case["request"]:
            effect += f" req {'/'.join(map(str, case['request']))}"
        if case["reauth"]:
            effect += " reauth"
        if case["entry_state"] not in ("loaded", ""):
            effect += f" {case['entry_state']}"
        rows.append(
            [
                case["fault"],
                case["kind"],
                case["endpoint"],
                effect,
                "yes" if case["recovered"] else "NO",
                f"{len(case['down_lines'])}↓{len(case['up_lines'])}↑",
                f"{case['peak_mib']:.1f}",
                case.get("status", ""),
            ]
        )
    return _table(
        rows, ["case", "kind", "endpoint", "outcome", "recovered", "log", "peak MiB", "verdict"]
    )


# ------------------------------------------------------------------------------ main


def _has_xdist(workers: int) -> bool:
    if workers < 2:
        return False
    try:
        import xdist  # noqa: F401
    except ImportError:
        return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """Run the matrix with pytest, then print the table; exit with pytest's status."""
    parser = argparse.ArgumentParser(prog="scripts/faults", description=__doc__.split("\n")[0])
    parser.add_argument("--detail", action="store_true", help="a row per endpoint")
    parser.add_argument("--json", type=Path, help="keep the results in this file")
    parser.add_argument("--from", dest="source", type=Path, help="print a finished run's results")
    parser.add_argument(
        "--workers",
        type=int,
        default=min(os.cpu_count() or 1, 4),
        help="pytest-xdist workers (0: run in this process)",
    )
    parser.add_argument("pytest_args", nargs="*", help="more pytest arguments (after --)")
    args = parser.parse_args(argv)

    started = time.monotonic()
    status = 0
    if args.source is not None:
        path = args.source
    else:
        path = args.json or Path(tempfile.mkstemp(prefix="faults-", suffix=".jsonl")[1])
        path.write_text("", encoding="utf-8")
        os.environ[ENV] = str(path)
        workers = ["-n", str(args.workers)] if _has_xdist(args.workers) else []
        status = int(
            pytest.main(["-q", "-p", "no:cacheprovider", *workers, str(HERE), *args.pytest_args])
        )
    results = load(path)
    print()
    print(detail_table(results) if args.detail else summary_table(results))
    tried = [case for case in results if case.get("status") != "n/a"]
    peak = max((case["peak_mib"] for case in tried), default=0.0)
    print(
        f"\n{len(tried)} cases run, {len(results) - len(tried)} not applicable; "
        f"highest peak {peak:.1f} MiB; {time.monotonic() - started:.1f} s"
    )
    if args.json is None and args.source is None:
        path.unlink(missing_ok=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
