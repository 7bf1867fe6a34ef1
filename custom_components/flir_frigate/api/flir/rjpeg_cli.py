"""Command line of the radiometric JPEG decoder: what a file holds, as text or JSON lines.

``python -m custom_components.flir_frigate.api.flir.rjpeg FILE...`` prints, per file, the
camera model and serial, the raw size, the minimum, maximum, mean, centre and corner
temperatures and the measurement tools; ``--json`` prints one JSON object per file. A file
that fails is reported and the others are still decoded (exit status 1). It lives apart from
the decoder so that decoding pulls in no argument parsing or printing.
"""

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

from .exceptions import FlirDecodeError
from .measure import frame_stats
from .rjpeg import RadiometricImage, decode_rjpeg


def _summary(image: RadiometricImage) -> dict[str, Any]:
    temps = image.temperatures()
    stats = frame_stats(temps)

    def num(value: float) -> float | None:
        return None if math.isnan(value) else value

    return {
        "model": image.camera.model,
        "serial": image.camera.serial,
        "width": image.width,
        "height": image.height,
        "min": num(stats.min),
        "max": num(stats.max),
        "mean": num(stats.mean),
        "centre": num(float(temps[image.height // 2, image.width // 2])),
        "p00": num(float(temps[0, 0])),
        "tools": [
            {"kind": tool.kind, "label": tool.label, "params": list(tool.params)}
            for tool in image.tools
        ],
    }


def _text(name: str, summary: dict[str, Any]) -> str:
    def deg(key: str) -> str:
        value = summary[key]
        return "n/a" if value is None else f"{value:.2f} °C"

    lines = [
        (
            f"{name}: {summary['model'] or '?'} serial {summary['serial'] or '?'}, "
            f"{summary['width']}x{summary['height']}"
        ),
        f"  min {deg('min')}, max {deg('max')}, mean {deg('mean')}",
        f"  centre {deg('centre')}, [0,0] {deg('p00')}",
    ]
    lines += [
        f"  tool {tool['kind']} {tool['label']!r} {' '.join(map(str, tool['params']))}"
        for tool in summary["tools"]
    ] or ["  no measurement tools"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print what a radiometric JPEG holds; exit status 1 when any file failed."""
    parser = argparse.ArgumentParser(
        prog="python -m custom_components.flir_frigate.api.flir.rjpeg",
        description="Decode FLIR radiometric JPEGs and print temperatures in degrees C.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    args = parser.parse_args(argv)
    status = 0
    for name in args.files:
        try:
            summary = _summary(decode_rjpeg(Path(name).read_bytes()))
        except (OSError, FlirDecodeError) as err:
            status = 1
            if args.json:
                print(json.dumps({"file": name, "error": str(err)}))  # noqa: T201
            else:
                print(f"{name}: error: {err}", file=sys.stderr)  # noqa: T201
            continue
        if args.json:
            print(json.dumps({"file": name, **summary}))  # noqa: T201
        else:
            print(_text(name, summary))  # noqa: T201
    return status
