# Copyright 2026 The FLIR & Frigate Cameras authors. MIT licence, see LICENSE.
"""Brand images: present, sized as Home Assistant and HACS expect, and reproducible."""

import runpy
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
BRAND = REPO / "custom_components" / "flir_frigate" / "brand"
SCRIPT = REPO / "scripts" / "make_brand.py"

# The only names Home Assistant serves from a brand folder (homeassistant.components.brands).
ALLOWED = {
    f"{dark}{kind}{scale}.png"
    for dark in ("", "dark_")
    for kind in ("icon", "logo")
    for scale in ("", "@2x")
}


@pytest.fixture(scope="module")
def generator() -> dict[str, Any]:
    """The generator script's globals, loaded without running main()."""
    return runpy.run_path(str(SCRIPT), run_name="make_brand")


def _open(name: str) -> Image.Image:
    with Image.open(BRAND / name) as image:
        image.load()
        return image


def test_only_served_names() -> None:
    names = {path.name for path in BRAND.iterdir()}
    assert {"icon.png", "icon@2x.png", "logo.png", "logo@2x.png"} <= names
    assert names <= ALLOWED


def test_icon_sizes() -> None:
    assert _open("icon.png").size == (256, 256)
    assert _open("icon@2x.png").size == (512, 512)


def test_logo_sizes() -> None:
    assert 128 <= min(_open("logo.png").size) <= 256
    assert 256 <= min(_open("logo@2x.png").size) <= 512


@pytest.mark.parametrize("name", ["icon.png", "icon@2x.png", "logo.png", "logo@2x.png"])
def test_transparent_and_trimmed(name: str) -> None:
    image = _open(name)
    assert image.format == "PNG"
    assert image.mode == "RGBA"
    width, height = image.size
    for corner in ((0, 0), (width - 1, 0), (0, height - 1), (width - 1, height - 1)):
        assert image.getpixel(corner) == (0, 0, 0, 0), corner
    # Trimmed: something opaque touches every edge.
    assert image.getchannel("A").getbbox() == (0, 0, width, height)


def test_generator_reproduces_committed_images(
    generator: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert generator["main"]([str(tmp_path)]) == 0
    assert "icon.png: 256x256 RGBA" in capsys.readouterr().out

    written = sorted(path.name for path in tmp_path.iterdir())
    assert written == ["icon.png", "icon@2x.png", "logo.png", "logo@2x.png"]
    for name in written:
        with Image.open(tmp_path / name) as fresh:
            committed = _open(name)
            assert fresh.size == committed.size, name
            assert fresh.mode == committed.mode, name
            assert fresh.tobytes() == committed.tobytes(), (
                f"{name} is stale: run scripts/make_brand.py"
            )


def test_generator_is_deterministic(generator: dict[str, Any]) -> None:
    first = generator["render_icon"](64)
    second = generator["render_icon"](64)
    assert first.size == (64, 64)
    assert first.tobytes() == second.tobytes()


def test_iron_palette_ends(generator: dict[str, Any]) -> None:
    iron = generator["iron"]
    assert iron(-1.0) == iron(0.0) == (0, 0, 0)
    assert iron(2.0) == iron(1.0)
    red, green, blue = iron(1.0)
    assert min(red, green, blue) > 220  # white-hot


def test_cli_usage(generator: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    assert generator["main"](["--help"]) == 0
    assert "Usage" in capsys.readouterr().out
    assert generator["main"](["a", "b"]) == 2
