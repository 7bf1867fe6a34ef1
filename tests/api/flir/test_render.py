"""Thermal picture rendering: snapshot, palettes, range, areas, hot spot and colour bar."""

import hashlib
from io import BytesIO

import numpy as np
import pytest
from PIL import Image

from custom_components.flir_frigate.api.flir.measure import Area
from custom_components.flir_frigate.api.flir.render import (
    PALETTES,
    apply_palette,
    auto_range,
    palette_lut,
    render_image,
    render_thermal,
)

# sha256 of the decoded RGB pixels of render_thermal(FRAME, areas=AREAS), and of the picture
# before JPEG compression. Update both (and look at the picture) when the rendering changes.
SNAPSHOT_JPEG_PIXELS = "e9b9a113b2afa1da6ac5788315994689f71332051123ee857a7d3679ab324fdf"
SNAPSHOT_RGB_PIXELS = "5a51e5f7196f26f9a2aef71e7df6f1be488616995bd9ab9f1de124ec7579d966"


def frame(width=80, height=60) -> np.ndarray:
    y, x = np.mgrid[0:height, 0:width]
    return np.asarray(20 + 5 * np.sin(x / 9.0) * np.cos(y / 7.0) + 0.05 * x, dtype=np.float64)


FRAME = frame()
AREAS = (
    Area(kind="spot", x=10, y=10),
    Area(kind="box", x=40, y=5, x2=70, y2=25),
    Area(kind="line", x=0, y=59, x2=79, y2=30),
)


def pixels(jpeg: bytes) -> np.ndarray:
    with Image.open(BytesIO(jpeg)) as image:
        assert image.format == "JPEG"
        return np.asarray(image.convert("RGB"))


def sha(array: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()


def test_snapshot():
    jpeg = render_thermal(FRAME, areas=AREAS)
    assert sha(pixels(jpeg)) == SNAPSHOT_JPEG_PIXELS
    assert sha(np.asarray(render_image(FRAME, areas=AREAS))) == SNAPSHOT_RGB_PIXELS


def test_deterministic():
    assert render_thermal(FRAME, areas=AREAS) == render_thermal(FRAME.copy(), areas=AREAS)


def test_default_size_and_colour_bar():
    plain = pixels(render_thermal(FRAME, colour_bar=False))
    assert plain.shape == (360, 480, 3)  # 80x60 upscaled 6x
    with_bar = pixels(render_thermal(FRAME))
    assert with_bar.shape[0] == 360
    assert 500 < with_bar.shape[1] < 600
    big = pixels(render_thermal(frame(640, 480), colour_bar=False))
    assert big.shape == (480, 640, 3)
    assert pixels(render_thermal(FRAME, scale=2, colour_bar=False)).shape == (120, 160, 3)


def test_colour_bar_runs_from_max_to_min():
    image = np.asarray(render_image(FRAME, palette="grey", hotspot=False))
    bar = image[10:-10, 480 + 6 + 7].astype(int)  # middle column of the bar
    assert (np.diff(bar[:, 0]) <= 0).all()
    assert bar[0, 0] > 240
    assert bar[-1, 0] < 15


def test_palettes():
    assert PALETTES == ("iron", "rainbow", "grey")
    luts = [palette_lut(name) for name in PALETTES]
    for lut in luts:
        assert lut.shape == (256, 3)
        assert lut.dtype == np.uint8
    assert len({lut.tobytes() for lut in luts}) == 3
    grey = palette_lut("grey")
    assert (grey[:, 0] == np.arange(256)).all()
    iron = palette_lut("iron").astype(int).sum(axis=1)
    assert iron[0] < 10
    assert iron[-1] > 700
    images = {sha(pixels(render_thermal(FRAME, palette=name))) for name in PALETTES}
    assert len(images) == 3
    with pytest.raises(ValueError, match="unknown palette"):
        render_thermal(FRAME, palette="jet")  # type: ignore[arg-type]


def test_apply_palette_maps_range_ends():
    rgb = apply_palette(np.array([[10.0, 15.0, 20.0, 30.0, -5.0]]), "grey", (10.0, 20.0))
    assert rgb[0, :, 0].tolist() == [0, 128, 255, 255, 0]
    auto = apply_palette(np.array([[10.0, 20.0]]), "grey")
    assert auto[0, :, 0].tolist() == [0, 255]


def test_auto_range():
    assert auto_range(FRAME) == (FRAME.min(), FRAME.max())
    assert auto_range(FRAME, (30.0, 10.0)) == (10.0, 30.0)
    assert auto_range(np.full((2, 2), 5.0)) == (4.5, 5.5)
    assert auto_range(np.full((2, 2), np.nan)) == (0.0, 1.0)
    assert auto_range(FRAME, (float("nan"), 3.0)) == (FRAME.min(), FRAME.max())


def test_fixed_range_changes_colours_and_labels():
    auto = render_thermal(FRAME, palette="grey")
    fixed = render_thermal(FRAME, palette="grey", temp_range=(0.0, 100.0))
    assert pixels(auto).mean() > pixels(fixed)[:, :480].mean() + 50
    # Same frame with a shifted range: different labels on the bar.
    shifted = render_thermal(FRAME, palette="grey", temp_range=(0.0, 50.0))
    assert sha(pixels(fixed)[:, 480:]) != sha(pixels(shifted)[:, 480:])


def test_areas_are_outlined():
    base = np.asarray(render_image(FRAME, palette="grey", hotspot=False, colour_bar=False))
    box = Area(kind="box", x=10, y=10, x2=20, y2=15)
    drawn = np.asarray(
        render_image(FRAME, palette="grey", hotspot=False, colour_bar=False, areas=[box])
    )
    changed = np.argwhere((base != drawn).any(axis=2))
    assert changed[:, 0].min() >= 60 - 1
    assert changed[:, 0].max() <= 15 * 6 + 5 + 1
    assert changed[:, 1].min() >= 60 - 1
    assert changed[:, 1].max() <= 20 * 6 + 5 + 1
    assert (drawn[10 * 6, 12 * 6] == 255).all()  # white outline on the top edge
    for area in (
        Area(kind="spot", x=40, y=30),
        Area(kind="line", x=0, y=0, x2=79, y2=59),
        Area(kind="line", x=-(10**9), y=5, x2=10**9, y2=5),
    ):
        other = np.asarray(
            render_image(FRAME, palette="grey", hotspot=False, colour_bar=False, areas=[area])
        )
        assert (base != other).any()
    # Entirely outside the frame: nothing drawn.
    for area in (
        Area(kind="spot", x=100, y=5),
        Area(kind="box", x=100, y=100, x2=120, y2=120),
        Area(kind="box", x=-100, y=-100, x2=1000, y2=1000),  # edges outside the frame
        Area(kind="line", x=-10, y=-10, x2=-1, y2=-5),
    ):
        other = np.asarray(
            render_image(FRAME, palette="grey", hotspot=False, colour_bar=False, areas=[area])
        )
        assert (base == other).all()


def test_hotspot_marker_around_hottest_pixel():
    hot = FRAME.copy()
    hot[45, 12] = 99.0
    base = np.asarray(render_image(hot, palette="grey", hotspot=False, colour_bar=False))
    marked = np.asarray(render_image(hot, palette="grey", hotspot=True, colour_bar=False))
    changed = np.argwhere((base != marked).any(axis=2))
    centre = changed.mean(axis=0)
    assert abs(centre[0] - (45 * 6 + 2.5)) < 2
    assert abs(centre[1] - (12 * 6 + 2.5)) < 2


def test_nan_frames_render():
    partial = FRAME.copy()
    partial[:10] = np.nan
    assert pixels(render_thermal(partial)).shape[:2] == pixels(render_thermal(FRAME)).shape[:2]
    rgb = apply_palette(partial, "iron")
    assert (rgb[0, 0] == (64, 64, 64)).all()
    assert pixels(render_thermal(np.full((6, 8), np.nan))).shape[0] == 6 * 60


def test_bad_arguments():
    for bad in (np.zeros(4), np.zeros((0, 5))):
        with pytest.raises(ValueError):
            render_thermal(bad)
    with pytest.raises(ValueError, match="scale"):
        render_thermal(FRAME, scale=0)
    with pytest.raises(ValueError, match="scale"):
        render_thermal(FRAME, scale=1000)


def test_quality():
    assert len(render_thermal(FRAME, quality=30)) < len(render_thermal(FRAME, quality=95))


def test_tiny_picture_keeps_a_colour_bar():
    tiny = pixels(render_thermal(np.arange(48.0).reshape(6, 8), scale=1))
    assert tiny.shape[0] == 6
    assert tiny.shape[1] > 8
