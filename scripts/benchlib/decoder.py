"""The radiometric JPEG path on a 640x480 frame against Pillow's PNG decode (figure 0).

decode_rjpeg + temperatures + frame_stats + 10 areas is compared with a lower bound measured in
the same run: decoding the same raw PNG with Pillow and converting it with raw_to_celsius.
render_thermal and encode_rjpeg are shown for scale.
"""

import statistics
import time
from collections.abc import Callable
from io import BytesIO

import numpy as np
from PIL import Image

from custom_components.flir_frigate.api.flir import encode
from custom_components.flir_frigate.api.flir.encode import encode_rjpeg
from custom_components.flir_frigate.api.flir.measure import Area, frame_stats, measure_area
from custom_components.flir_frigate.api.flir.render import render_thermal
from custom_components.flir_frigate.api.flir.rjpeg import decode_rjpeg
from custom_components.flir_frigate.api.flir.thermal import DEFAULT_CAMERA_INFO, raw_to_celsius

from .report import Report, Row

WIDTH, HEIGHT = 640, 480
AREAS = (
    Area(kind="spot", x=320, y=240),
    Area(kind="spot", x=10, y=10),
    Area(kind="spot", x=600, y=400),
    Area(kind="spot", x=200, y=300),
    Area(kind="box", x=100, y=100, x2=300, y2=250),
    Area(kind="box", x=0, y=0, x2=639, y2=479),
    Area(kind="box", x=400, y=50, x2=450, y2=90),
    Area(kind="box", x=500, y=300, x2=630, y2=470),
    Area(kind="line", x=0, y=0, x2=639, y2=479),
    Area(kind="line", x=50, y=400, x2=600, y2=420),
)


def scene() -> np.ndarray:
    """A warm room with a hot motor, a cold pipe and sensor noise (degrees C)."""
    rng = np.random.default_rng(42)
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float64)
    temps = 21 + 3 * y / HEIGHT
    temps += 55 * np.exp(-((x - 420) ** 2 + (y - 200) ** 2) / 3000)
    temps -= 12 * (np.abs(y - 350) < 8)
    return np.asarray(temps + rng.normal(0, 0.05, temps.shape), dtype=np.float64)


def median_ms(func: Callable[[], object], runs: int) -> float:
    """Median wall time of `runs` calls, after one to warm up caches and imports."""
    func()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def decoder(report: Report, runs: int) -> None:
    """Figure 0: the decoder against its lower bound (the issue's starting point, 1.13x)."""
    temps = scene()
    data = encode_rjpeg(temps, raw_format="png")
    camera = decode_rjpeg(data).camera
    raw = encode.to_raw(temps, encode.stored_camera(DEFAULT_CAMERA_INFO))
    png = encode.raw_png(raw)  # the same PNG the file carries

    def lower_bound() -> None:
        with Image.open(BytesIO(png)) as image:
            counts = np.frombuffer(image.tobytes(), dtype=">u2").astype(np.uint16)
        raw_to_celsius(counts.reshape(HEIGHT, WIDTH), camera)

    def pipeline() -> None:
        image = decode_rjpeg(data)
        frame = image.temperatures()
        frame_stats(frame)
        for area in AREAS:
            measure_area(frame, area)

    frame = decode_rjpeg(data).temperatures()
    bound = median_ms(lower_bound, runs)
    full = median_ms(pipeline, runs)
    render = median_ms(lambda: render_thermal(frame, areas=AREAS), runs)
    report.add(
        Row(
            figure="0",
            what="R-JPEG decode+stats+10 areas, 640x480",
            measured=f"{full:.2f} ms",
            against=f"{bound:.2f} ms (Pillow PNG + raw_to_celsius)",
            ratio=full / bound,
            aim=1.5,
            values={"runs": runs, "render_thermal_ms": render, "file_bytes": len(data)},
        )
    )
