#!/usr/bin/env python3
# Copyright 2026 The FLIR & Frigate Cameras authors. MIT licence, see LICENSE.
"""Draw the integration's brand images (original art, no third-party logos or trademarks).

The mark is a rounded-square badge filled with an "iron" thermal gradient (black, purple, red,
orange, yellow, white), holding a cold, dark camera whose lens shows a hot spot under a
spot-meter reticle. The wide logo adds a line-profile trace (temperature along a line) with a
hot-spot marker at its maximum. No text, so no names or trademarks.

Everything is drawn at SUPERSAMPLE times the final size and reduced with a box filter on
premultiplied alpha, which anti-aliases the edges. The output is deterministic.

Usage: scripts/make_brand.py [OUTPUT_DIR]   (default: custom_components/flir_frigate/brand)
"""

import itertools
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image, ImageDraw

if TYPE_CHECKING:
    from collections.abc import Sequence

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "custom_components" / "flir_frigate" / "brand"
SUPERSAMPLE = 4

type RGB = tuple[int, int, int]

# Iron palette stops (position 0..1, colour): black, purple, red, orange, yellow, white.
IRON: Sequence[tuple[float, RGB]] = (
    (0.00, (0, 0, 0)),
    (0.14, (26, 4, 74)),
    (0.30, (98, 8, 140)),
    (0.46, (178, 22, 112)),
    (0.60, (226, 58, 30)),
    (0.74, (248, 132, 10)),
    (0.88, (255, 210, 48)),
    (1.00, (255, 252, 232)),
)
COLD: RGB = (20, 10, 36)  # the camera body: the coldest thing in the picture
WHITE: RGB = (255, 250, 244)


def iron(t: float) -> RGB:
    """Colour of the iron palette at t in [0, 1]."""
    t = min(max(t, 0.0), 1.0)
    for (t0, c0), (t1, c1) in itertools.pairwise(IRON):
        if t <= t1:
            f = (t - t0) / (t1 - t0)
            r, g, b = (round(u + (v - u) * f) for u, v in zip(c0, c1, strict=True))
            return r, g, b
    return IRON[-1][1]


def _palette_image(values: Image.Image, lo: float, hi: float) -> Image.Image:
    """Map an "L" image (0..255) onto iron(lo..hi) as an RGB image."""
    lut = [iron(lo + (hi - lo) * i / 255) for i in range(256)]
    bands = [values.point([c[k] for c in lut]) for k in range(3)]
    return Image.merge("RGB", bands)


def _linear(size: int, angle: float, lo: float, hi: float) -> Image.Image:
    """Square iron gradient rising along `angle` degrees (0 = to the right, 90 = upwards)."""
    ramp = Image.linear_gradient("L").rotate(90 - angle, resample=Image.Resampling.BICUBIC)
    # The rotated ramp has empty corners; crop the inner square that is fully covered.
    inset = math.ceil(256 * (1 - 1 / math.sqrt(2)) / 2) + 1
    ramp = ramp.crop((inset, inset, 256 - inset, 256 - inset))
    ramp = ramp.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    ramp = ramp.resize((size, size), Image.Resampling.BICUBIC)
    return _palette_image(ramp, lo, hi)


def _radial(size: int, lo: float, hi: float) -> Image.Image:
    """Square iron gradient: hot (hi) in the centre, cooling to lo at the edge of the circle."""
    ramp = Image.radial_gradient("L")  # 256x256, 0 in the centre, 255 at radius 128
    ramp = ramp.point(lambda v: 255 - min(v, 255))
    ramp = ramp.resize((size, size), Image.Resampling.BICUBIC)
    return _palette_image(ramp, lo, hi)


def _box(cx: float, cy: float, r: float, scale: float) -> tuple[float, float, float, float]:
    return ((cx - r) * scale, (cy - r) * scale, (cx + r) * scale, (cy + r) * scale)


def _scaled(box: Sequence[float], scale: float) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = box
    return (x0 * scale, y0 * scale, x1 * scale, y1 * scale)


def _draw_mark(size: int) -> Image.Image:
    """The badge at `size` pixels (already supersampled by the caller)."""
    s = float(size)
    canvas = Image.new("RGBA", (size, size), (0, 0, 0, 0))

    # Badge: rounded square with a diagonal iron gradient, cool bottom-left to hot top-right.
    badge_mask = Image.new("L", (size, size), 0)
    ImageDraw.Draw(badge_mask).rounded_rectangle(
        (0, 0, size - 1, size - 1), radius=0.225 * s, fill=255
    )
    canvas.paste(_linear(size, 45, 0.16, 0.92), (0, 0), badge_mask)

    draw = ImageDraw.Draw(canvas)
    # Camera body, viewfinder hump and a small status light.
    draw.rounded_rectangle(_scaled((0.25, 0.22, 0.47, 0.36), s), radius=0.045 * s, fill=COLD)
    draw.rounded_rectangle(_scaled((0.12, 0.30, 0.88, 0.80), s), radius=0.11 * s, fill=COLD)
    draw.ellipse(_box(0.765, 0.395, 0.032, s), fill=iron(0.8))

    # Lens: white barrel ring, then the "thermal view" glass.
    cx, cy = 0.5, 0.555
    draw.ellipse(_box(cx, cy, 0.215, s), fill=WHITE)
    draw.ellipse(_box(cx, cy, 0.178, s), fill=COLD)
    glass_r = 0.158
    glass = _radial(round(2 * glass_r * s), 0.2, 1.0)
    glass_mask = Image.new("L", glass.size, 0)
    ImageDraw.Draw(glass_mask).ellipse((0, 0, glass.size[0] - 1, glass.size[1] - 1), fill=255)
    canvas.paste(glass, (round((cx - glass_r) * s), round((cy - glass_r) * s)), glass_mask)

    # Spot-meter reticle over the hot spot: a ring and four ticks with a gap in the middle.
    ring, tick_in, tick_out, line = 0.05, 0.078, 0.128, 0.017
    draw.ellipse(_box(cx, cy, ring, s), outline=COLD, width=round(line * s))
    half = line / 2
    for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        x0, x1 = sorted((cx + dx * tick_in, cx + dx * tick_out))
        y0, y1 = sorted((cy + dy * tick_in, cy + dy * tick_out))
        if dx:
            y0, y1 = cy - half, cy + half
        else:
            x0, x1 = cx - half, cx + half
        draw.rounded_rectangle(_scaled((x0, y0, x1, y1), s), radius=half * s, fill=COLD)
    return canvas


def _profile(x: float) -> float:
    """Temperature along the line, 0..1: a warm bump with a sharp hot spot on top."""
    warm = 0.42 * math.exp(-(((x - 0.56) / 0.22) ** 2))
    hot = 0.5 * math.exp(-(((x - 0.6) / 0.07) ** 2))
    return 0.06 + warm + hot + 0.04 * math.sin(x * 8.0)


def _draw_trace(width: int, height: int) -> Image.Image:
    """A line-profile trace (temperature along a line) coloured by value, hot at the top."""
    s = float(height)
    pen = 0.07 * s
    left, right = pen, width - pen
    top, bottom = 0.2 * s, 0.8 * s
    mask = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(mask)
    steps = width // 2
    peak = (math.inf, 0.0)
    for i in range(steps + 1):
        x = i / steps
        px, py = left + x * (right - left), bottom - _profile(x) * (bottom - top)
        draw.ellipse((px - pen / 2, py - pen / 2, px + pen / 2, py + pen / 2), fill=255)
        peak = min(peak, (py, px))
    # Hot-spot marker: a small triangle pointing down at the maximum.
    py, px = peak
    gap, tri = 0.07 * s, 0.06 * s
    draw.polygon(
        [(px - tri, py - gap - 1.4 * tri), (px + tri, py - gap - 1.4 * tri), (px, py - gap)],
        fill=255,
    )
    # Colour by height: the ramp spans the trace, from cool at the bottom to hot at the marker.
    ramp = Image.new("L", (width, height), 0)
    span_top, span_bottom = round(py - gap - 1.4 * tri), round(bottom + pen / 2)
    ramp.paste(
        Image.linear_gradient("L")
        .point(lambda v: 255 - v)
        .resize((width, span_bottom - span_top), Image.Resampling.BICUBIC),
        (0, span_top),
    )
    ramp.paste(255, (0, 0, width, span_top))
    colour = _palette_image(ramp, 0.3, 0.86)
    layer = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    layer.paste(colour, (0, 0), mask)
    return layer


def _finish(image: Image.Image, factor: int = SUPERSAMPLE) -> Image.Image:
    """Reduce a supersampled RGBA drawing (premultiplied alpha, box filter)."""
    small = image.reduce(factor)
    # Transparent pixels carry no colour: normalise them so the output is byte-stable.
    alpha = small.getchannel("A")
    clear = alpha.point(lambda a: 255 if a == 0 else 0)
    small.paste((0, 0, 0, 0), (0, 0), clear)
    return small


def _trim(image: Image.Image) -> Image.Image:
    bbox = image.getchannel("A").getbbox()
    return image.crop(bbox) if bbox else image


def render_icon(size: int) -> Image.Image:
    """The square icon at size x size."""
    return _finish(_draw_mark(size * SUPERSAMPLE))


def render_logo(height: int) -> Image.Image:
    """The wide logo: the badge, then a thermal line-profile trace; `height` pixels tall."""
    big = height * SUPERSAMPLE
    gap = round(0.14 * big)
    trace_w = round(1.3 * big)
    canvas = Image.new("RGBA", (big + gap + trace_w, big), (0, 0, 0, 0))
    canvas.alpha_composite(_draw_mark(big), (0, 0))
    canvas.alpha_composite(_draw_trace(trace_w, big), (big + gap, 0))
    return _trim(_finish(canvas))


def render_brand() -> dict[str, Image.Image]:
    """Every brand image by file name."""
    return {
        "icon.png": render_icon(256),
        "icon@2x.png": render_icon(512),
        "logo.png": render_logo(256),
        "logo@2x.png": render_logo(512),
    }


def write_brand(out_dir: Path) -> list[Path]:
    """Render and save every brand image into out_dir; returns the written paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, image in render_brand().items():
        path = out_dir / name
        image.save(path, format="PNG", optimize=True)
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 1 or (args and args[0] in {"-h", "--help"}):
        print(__doc__)
        return 0 if args and args[0] in {"-h", "--help"} else 2
    out_dir = Path(args[0]) if args else DEFAULT_OUT
    for path in write_brand(out_dir):
        with Image.open(path) as image:
            print(f"{path}: {image.size[0]}x{image.size[1]} {image.mode}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
