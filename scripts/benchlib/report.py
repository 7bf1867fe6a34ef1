"""The bench's results: one row per measured ratio, printed as one table and written as JSON."""

import json
import math
import platform
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True, kw_only=True)
class Row:
    """One line of the table: what was measured, against what, and the ratio.

    `aim` is the highest ratio the issue accepts (None: reported, no aim). `values` keeps the
    numbers behind the ratio for results.json.
    """

    figure: str
    what: str
    measured: str
    against: str
    ratio: float | None
    aim: float | None = None
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        """`ok` or `MISS` against the aim, `-` without one."""
        if self.aim is None or self.ratio is None or math.isnan(self.ratio):
            return "-"
        return "ok" if self.ratio <= self.aim else "MISS"


class Report:
    """Collects rows as the figures are measured, then prints and saves them."""

    def __init__(self, mode: str) -> None:
        """An empty report of a `quick` or `full` run."""
        self.mode = mode
        self.rows: list[Row] = []
        self.notes: list[str] = []
        self.started = time.monotonic()
        self.timings: dict[str, float] = {}

    def add(self, row: Row) -> None:
        """Add a row (and show it at once, so a long run shows progress)."""
        self.rows.append(row)
        print(f"  [{row.figure}] {row.what}: {row.measured} / {row.against} = {_ratio(row)}")
        sys.stdout.flush()

    def note(self, text: str) -> None:
        """A remark printed under the table."""
        self.notes.append(text)

    def table(self) -> str:
        """The results as a fixed-width text table."""
        header = ("#", "figure", "measured", "lower bound or peer", "ratio", "aim", "")
        lines = [
            (
                row.figure,
                row.what,
                row.measured,
                row.against,
                _ratio(row),
                "-" if row.aim is None else f"<= {row.aim:g}x",
                row.verdict,
            )
            for row in self.rows
        ]
        widths = [max(len(str(cells[i])) for cells in (header, *lines)) for i in range(7)]
        widths[1] = min(widths[1], 46)
        out = [
            "  ".join(
                str(cell)[: widths[i]].ljust(widths[i]) if i < 4 else str(cell).rjust(widths[i])
                for i, cell in enumerate(cells)
            ).rstrip()
            for cells in (header, *lines)
        ]
        out.insert(1, "-" * len(out[0]))
        return "\n".join(out)

    def save(self, path: Path) -> None:
        """Write results.json."""
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "mode": self.mode,
            "python": sys.version.split()[0],
            "machine": platform.machine(),
            "seconds": round(time.monotonic() - self.started, 1),
            "phase_seconds": {k: round(v, 1) for k, v in self.timings.items()},
            "rows": [asdict(row) | {"verdict": row.verdict} for row in self.rows],
            "notes": self.notes,
        }
        path.write_text(json.dumps(data, indent=2, default=_json_default) + "\n")


def _ratio(row: Row) -> str:
    if row.ratio is None or math.isnan(row.ratio):
        return "-"
    return f"{row.ratio:.2f}x"


def _json_default(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return str(value)


def flatness_rows(report: Report, figure: str, kind: str, per_entity: dict[int, float]) -> None:
    """Rows of a per-entity cost against the smallest installation, and its worst growth.

    The issue's aim: no more than 1.2x from the smallest installation to the largest.
    """
    smallest = min(per_entity)
    values = {"us_per_entity": {str(k): round(v, 2) for k, v in per_entity.items()}}
    for count in sorted(per_entity)[1:]:
        report.add(
            Row(
                figure=figure,
                what=f"{kind} loop CPU/entity, {count} vs {smallest} camera(s)",
                measured=f"{per_entity[count]:.1f} us",
                against=f"{per_entity[smallest]:.1f} us",
                ratio=per_entity[count] / per_entity[smallest],
                aim=1.2,
                values=values,
            )
        )
        values = {}
    # The worst growth going up in size: a bump between two sizes shows here, a cost that
    # only falls with size (fixed costs spread over more entities) does not.
    small, large = max(
        ((a, b) for a in per_entity for b in per_entity if a < b),
        key=lambda pair: per_entity[pair[1]] / per_entity[pair[0]],
    )
    report.add(
        Row(
            figure=figure,
            what=f"  {kind} worst growth: {large} vs {small} camera(s)",
            measured=f"{per_entity[large]:.1f} us",
            against=f"{per_entity[small]:.1f} us",
            ratio=per_entity[large] / per_entity[small],
            aim=1.2,
        )
    )
