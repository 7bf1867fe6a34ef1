"""Thermal picture: palette, range, area outlines, hot-spot marker and a colour bar, as JPEG."""

import functools
import math
from io import BytesIO
from typing import TYPE_CHECKING, Final, Literal

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageFont

from .measure import Area, FrameStats, frame_stats, line_points

if TYPE_CHECKING:
    from collections.abc import Sequence

type Palette = Literal["iron", "rainbow", "grey"]
type _Rgb = tuple[int, int, int]

PALETTES: tuple[str, ...] = ("iron", "rainbow", "grey")

# Colour stops (position 0..1, RGB) interpolated into 256-entry lookup tables.
_STOPS: Final[dict[str, tuple[tuple[float, _Rgb], ...]]] = {
    "iron": (
        (0.0, (0, 0, 0)),
        (0.12, (28, 0, 86)),
        (0.28, (100, 0, 152)),
        (0.42, (168, 18, 138)),
        (0.56, (218, 60, 58)),
        (0.70, (244, 128, 0)),
        (0.86, (255, 202, 32)),
        (1.0, (255, 255, 232)),
    ),
    "rainbow": (
        (0.0, (0, 0, 110)),
        (0.15, (0, 0, 255)),
        (0.35, (0, 200, 255)),
        (0.50, (0, 220, 60)),
        (0.66, (250, 250, 0)),
        (0.84, (255, 110, 0)),
        (1.0, (220, 0, 0)),
    ),
    "grey": ((0.0, (0, 0, 0)), (1.0, (255, 255, 255))),
}
_NAN_COLOUR: Final = (64, 64, 64)
_OUTLINE: Final = (255, 255, 255)
_SHADOW: Final = (0, 0, 0)
_PANEL: Final = (0, 0, 0)
_TEXT: Final = (255, 255, 255)
_MIN_WIDTH: Final = 480  # default upscaling target
_MAX_SIDE: Final = 8192
_BAR_WIDTH: Final = 14
_MARGIN: Final = 6


@functools.cache
def palette_lut(palette: str) -> npt.NDArray[np.uint8]:
    """Return the 256x3 RGB lookup table of a palette."""
    try:
        stops = _STOPS[palette]
    except KeyError:
        raise ValueError(f"unknown palette {palette!r}, expected one of {PALETTES}") from None
    positions = np.array([pos for pos, _ in stops])
    colours = np.array([rgb for _, rgb in stops], dtype=np.float64)
    steps = np.linspace(0.0, 1.0, 256)
    channels = [np.interp(steps, positions, colours[:, c]) for c in range(3)]
    lut = np.rint(np.stack(channels, axis=1)).astype(np.uint8)
    lut.flags.writeable = False
    return lut


def _span(
    temp_range: tuple[float, float] | None, frame_min: float, frame_max: float
) -> tuple[float, float]:
    """Return the colour range: the given one, else the frame's min..max (never empty)."""
    if temp_range is not None and all(math.isfinite(v) for v in temp_range):
        low, high = sorted(float(v) for v in temp_range)
    elif math.isnan(frame_min):
        return 0.0, 1.0
    else:
        low, high = frame_min, frame_max
    if high - low < 1e-6:  # noqa: PLR2004
        return low - 0.5, high + 0.5
    return low, high


def auto_range(
    temps: npt.NDArray[np.generic], temp_range: tuple[float, float] | None = None
) -> tuple[float, float]:
    """Return the colour range: the given one, else the frame's min..max (never empty)."""
    stats = frame_stats(temps)
    return _span(temp_range, stats.min, stats.max)


def _colourize(
    frame: npt.NDArray[np.float64], lut: npt.NDArray[np.uint8], low: float, high: float
) -> npt.NDArray[np.uint8]:
    index = frame - low
    index *= 255 / (high - low)
    index += 0.5
    np.clip(index, 0, 255, out=index)
    nan = np.isnan(index)
    has_nan = bool(nan.any())
    if has_nan:
        index[nan] = 0
    rgb = lut[index.astype(np.uint8)]
    if has_nan:
        rgb[nan] = _NAN_COLOUR
    return rgb


def apply_palette(
    temps: npt.NDArray[np.generic],
    palette: str = "iron",
    temp_range: tuple[float, float] | None = None,
) -> npt.NDArray[np.uint8]:
    """Map temperatures to an RGB array (height x width x 3) at the thermal resolution."""
    frame = np.asarray(temps, dtype=np.float64)
    low, high = auto_range(frame, temp_range)
    return _colourize(frame, palette_lut(palette), low, high)


def _default_scale(width: int, height: int) -> int:
    """Upscale to at least _MIN_WIDTH wide, but never past _MAX_SIDE (odd shapes)."""
    return max(1, min(math.ceil(_MIN_WIDTH / width), _MAX_SIDE // max(width, height)))


def _outlined_line(draw: ImageDraw.ImageDraw, points: list[tuple[float, float]]) -> None:
    draw.line(points, fill=_SHADOW, width=3)
    draw.line(points, fill=_OUTLINE, width=1)


def _draw_area(draw: ImageDraw.ImageDraw, area: Area, width: int, height: int, scale: int) -> None:
    """Outline an area (clipped to the frame) on the upscaled picture."""

    def centre(x: float, y: float) -> tuple[float, float]:
        return (x + 0.5) * scale - 0.5, (y + 0.5) * scale - 0.5

    if area.kind == "spot":
        if not (0 <= area.x < width and 0 <= area.y < height):
            return
        cx, cy = centre(area.x, area.y)
        arm = max(5, 2 * scale)
        _outlined_line(draw, [(cx - arm, cy), (cx + arm, cy)])
        _outlined_line(draw, [(cx, cy - arm), (cx, cy + arm)])
    elif area.kind == "box":
        x2 = area.x if area.x2 is None else area.x2
        y2 = area.y if area.y2 is None else area.y2
        left, right = max(min(area.x, x2), -1), min(max(area.x, x2), width)
        top, bottom = max(min(area.y, y2), -1), min(max(area.y, y2), height)
        if left > right or top > bottom:
            return
        box = (left * scale, top * scale, (right + 1) * scale - 1, (bottom + 1) * scale - 1)
        draw.rectangle(box, outline=_SHADOW, width=3)
        draw.rectangle(box, outline=_OUTLINE, width=1)
    else:
        xs, ys = line_points(area, width, height)
        if xs.size:
            _outlined_line(draw, [centre(int(xs[0]), int(ys[0])), centre(int(xs[-1]), int(ys[-1]))])


def _colour_bar(
    canvas: Image.Image, lut: npt.NDArray[np.uint8], left: int, low: float, high: float
) -> None:
    """Draw a vertical colour bar (high at the top) with max, mid and min labels."""
    height = canvas.height
    top, bottom = _MARGIN, height - _MARGIN
    if bottom - top < 2:  # noqa: PLR2004
        top, bottom = 0, height
    rows = np.rint(np.linspace(255, 0, bottom - top)).astype(np.uint8)
    bar = np.repeat(lut[rows][:, np.newaxis, :], _BAR_WIDTH, axis=1)
    canvas.paste(Image.fromarray(bar, "RGB"), (left, top))
    draw = ImageDraw.Draw(canvas)
    font = _font()
    text_x = left + _BAR_WIDTH + 4
    line_height = font.getbbox("0")[3]
    labels = [(high, top), (low, bottom - line_height)]
    if bottom - top >= 3 * line_height:
        labels.append(((low + high) / 2, (top + bottom - line_height) // 2))
    for value, y in labels:
        draw.text((text_x, max(0, y)), _label(value), fill=_TEXT, font=font)


@functools.cache
def _font() -> ImageFont.ImageFont:
    return ImageFont.load_default_imagefont()


def _label(value: float) -> str:
    return f"{value:.1f}"


def render_image(
    temps: npt.NDArray[np.generic],
    *,
    palette: Palette = "iron",
    temp_range: tuple[float, float] | None = None,
    areas: Sequence[Area] = (),
    hotspot: bool = True,
    colour_bar: bool = True,
    scale: int | None = None,
    stats: FrameStats | None = None,
) -> Image.Image:
    """Render the thermal picture as an RGB Pillow image (see render_thermal)."""
    frame = np.asarray(temps, dtype=np.float64)
    if stats is None or frame.ndim != 2:  # noqa: PLR2004
        stats = frame_stats(frame)  # also validates the shape
    low, high = _span(temp_range, stats.min, stats.max)
    rgb = _colourize(frame, palette_lut(palette), low, high)
    height, width = frame.shape
    factor = _default_scale(width, height) if scale is None else scale
    if factor < 1 or width * factor > _MAX_SIDE or height * factor > _MAX_SIDE:
        raise ValueError(f"scale {factor} gives an empty or oversized picture")
    picture = Image.fromarray(rgb, "RGB")
    if factor > 1:
        picture = picture.resize((width * factor, height * factor), Image.Resampling.NEAREST)
    panel = 0
    if colour_bar:
        font = _font()
        label_width = max(font.getbbox(_label(v))[2] for v in (low, high, (low + high) / 2))
        panel = _MARGIN + _BAR_WIDTH + 4 + label_width + _MARGIN
    canvas = Image.new("RGB", (picture.width + panel, picture.height), _PANEL)
    canvas.paste(picture, (0, 0))
    draw = ImageDraw.Draw(canvas)
    for area in areas:
        _draw_area(draw, area, width, height, factor)
    if hotspot and not math.isnan(stats.max):
        cx = (stats.hot_x + 0.5) * factor - 0.5
        cy = (stats.hot_y + 0.5) * factor - 0.5
        radius = max(6, 2 * factor)
        circle = (cx - radius, cy - radius, cx + radius, cy + radius)
        draw.ellipse(circle, outline=_SHADOW, width=3)
        draw.ellipse(circle, outline=_OUTLINE, width=1)
    if colour_bar:
        _colour_bar(canvas, palette_lut(palette), picture.width + _MARGIN, low, high)
    return canvas


def render_thermal(
    temps: npt.NDArray[np.generic],
    *,
    palette: Palette = "iron",
    temp_range: tuple[float, float] | None = None,
    areas: Sequence[Area] = (),
    hotspot: bool = True,
    colour_bar: bool = True,
    scale: int | None = None,
    quality: int = 85,
    stats: FrameStats | None = None,
) -> bytes:
    """Render temperatures as a JPEG picture.

    Colours span temp_range (else the frame's min..max); the frame is upscaled by `scale`
    (default: nearest-neighbour to at least 480 pixels wide); areas are outlined, the hottest
    pixel circled, and a colour bar with max/mid/min labels sits on the right. `stats` are the
    frame's statistics when the caller has them already (their hottest point is circled).
    """
    canvas = render_image(
        temps,
        palette=palette,
        temp_range=temp_range,
        areas=areas,
        hotspot=hotspot,
        colour_bar=colour_bar,
        scale=scale,
        stats=stats,
    )
    buffer = BytesIO()
    canvas.save(buffer, "JPEG", quality=quality, subsampling=0)
    return buffer.getvalue()
