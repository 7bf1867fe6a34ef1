"""Radiometric JPEG decoder: the public AX8 sample, synthetic files and every error path."""

import dataclasses
import math
import struct
from io import BytesIO
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from custom_components.flir_frigate.api.flir import encode
from custom_components.flir_frigate.api.flir.encode import (
    _camera_record,
    _measurement_record,
    _raw_record,
    _Record,
    _visual_record,
    build_fff,
    encode_rjpeg,
    stored_camera,
    to_raw,
    wrap_jpeg,
)
from custom_components.flir_frigate.api.flir.exceptions import FlirDecodeError
from custom_components.flir_frigate.api.flir.rjpeg import (
    MeasurementTool,
    RadiometricImage,
    decode_rjpeg,
    is_radiometric,
)
from custom_components.flir_frigate.api.flir.rjpeg_container import REC_CAMERA_INFO
from custom_components.flir_frigate.api.flir.thermal import DEFAULT_CAMERA_INFO, ObjectParameters

AX8 = Path(__file__).parent / "fixtures" / "ax8.jpg"


def jpeg(size=(16, 12), colour=(90, 40, 10)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


PREVIEW = jpeg((4, 3))
VISUAL = jpeg((64, 48), (10, 200, 30))


def scene(width=32, height=24, seed=0) -> np.ndarray:
    """A gradient from -20 to 150 degrees C with noise."""
    rng = np.random.default_rng(seed)
    ramp = np.linspace(-20.0, 150.0, width * height).reshape(height, width)
    return np.asarray(ramp + rng.normal(0.0, 0.3, ramp.shape).clip(-1, 1), dtype=np.float64)


def records(
    temps,
    *,
    raw_format="png",
    order="<",
    tools=(),
    visual=None,
    camera=DEFAULT_CAMERA_INFO,
) -> list[_Record]:
    raw = to_raw(temps, stored_camera(camera))
    result = [
        _raw_record(raw, raw_format, order),
        _Record(
            rtype=REC_CAMERA_INFO, subtype=1, version=115, data=_camera_record(camera, raw, order)
        ),
    ]
    if tools:
        result.append(_measurement_record(tools, order))
    if visual is not None:
        result.append(_visual_record(visual, order))
    return result


def file_from(recs, *, header_order=">", chunk_size=65000) -> bytes:
    return wrap_jpeg(PREVIEW, build_fff(recs, header_order), chunk_size)


def good_fff(**kwargs) -> bytes:
    return build_fff(records(scene(), **kwargs), ">")


def segments(data: bytes) -> tuple[list[bytes], bytes]:
    """Split a JPEG into its header segments (with marker and length) and the rest (from SOS)."""
    pos, found = 2, []
    while data[pos + 1] != 0xDA:
        end = pos + 2 + int.from_bytes(data[pos + 2 : pos + 4])
        found.append(data[pos:end])
        pos = end
    return found, data[pos:]


def rebuild(segs: list[bytes], rest: bytes) -> bytes:
    return b"\xff\xd8" + b"".join(segs) + rest


def flir_segments(data: bytes) -> tuple[list[bytes], list[int]]:
    segs, _ = segments(data)
    return segs, [i for i, s in enumerate(segs) if s[1] == 0xE1 and s[4:9] == b"FLIR\0"]


def app1(payload: bytes) -> bytes:
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


# --- the public AX8 sample ------------------------------------------------------------------


@pytest.fixture(scope="module")
def ax8() -> RadiometricImage:
    return decode_rjpeg(AX8.read_bytes())


def test_ax8_temperatures(ax8):
    assert (ax8.width, ax8.height) == (80, 60)
    temps = ax8.temperatures()
    assert temps.shape == (60, 80)
    assert temps.dtype == np.float64
    assert temps[0, 0] == pytest.approx(24.79, abs=0.01)
    assert temps[30, 40] == pytest.approx(25.42, abs=0.01)
    assert temps.min() == pytest.approx(24.36, abs=0.01)
    assert temps.max() == pytest.approx(25.47, abs=0.01)
    assert temps.mean() == pytest.approx(25.03, abs=0.01)


def test_ax8_raw_needs_png_byte_swap(ax8):
    assert ax8.raw.dtype == np.uint16
    assert ax8.raw.shape == (60, 80)
    assert not ax8.raw.flags.writeable
    assert np.median(ax8.raw) == 16811  # CameraInfo RawValueMedian is 16804


def test_ax8_camera_info(ax8):
    cam = ax8.camera
    assert cam.model == "FLIR AX8"
    assert cam.serial == "71200518"
    assert cam.part_number == "71201-0101"
    assert cam.software == "30.0.0"
    assert cam.lens == "FOL2"
    assert cam.object_distance == 1.0  # EXIF SubjectDistance says 0
    assert cam.emissivity == pytest.approx(0.95)
    assert cam.reflected_temp_c == pytest.approx(20.0, abs=1e-4)
    assert cam.relative_humidity == pytest.approx(0.5)
    assert cam.planck_r1 == pytest.approx(16951.797, abs=1e-3)
    assert cam.planck_b == pytest.approx(1435.1, abs=1e-3)
    assert cam.planck_o == -7142
    assert cam.planck_r2 == pytest.approx(0.014294867)
    assert cam.planck_f == 1.0
    assert cam.atm_x == pytest.approx(1.9)


def test_ax8_visual_and_tools(ax8):
    assert ax8.visual_jpeg is not None
    with Image.open(BytesIO(ax8.visual_jpeg)) as visual:
        assert visual.format == "JPEG"
        assert visual.size == (640, 480)
    # The AX8 leaves the tool record length 0: the length is rebuilt from params + label.
    assert ax8.tools == (MeasurementTool(kind="box", label="1", params=(1, 1, 78, 58)),)


def test_ax8_parameter_override(ax8):
    params = dataclasses.replace(ax8.camera.object_parameters(), emissivity=0.5)
    assert ax8.temperatures(params).mean() > ax8.temperatures().mean()


def test_is_radiometric():
    assert is_radiometric(AX8.read_bytes())
    assert is_radiometric(encode_rjpeg(scene()))
    assert not is_radiometric(jpeg())
    assert not is_radiometric(b"")
    assert not is_radiometric(b"GIF89a" + bytes(100))
    dji = rebuild([app1(b"FLIR\0\x01\x00\x00" + bytes(64))], b"\xff\xda")
    assert not is_radiometric(dji)
    data = AX8.read_bytes()
    assert not is_radiometric(data[:100])  # cut before the FLIR segment


# --- synthetic files ------------------------------------------------------------------------


@pytest.mark.parametrize("header_order", [">", "<"])
@pytest.mark.parametrize("record_order", ["<", ">"])
@pytest.mark.parametrize("raw_format", ["png", "raw"])
def test_byte_order_combinations(header_order, record_order, raw_format):
    temps = scene()
    data = file_from(
        records(temps, raw_format=raw_format, order=record_order), header_order=header_order
    )
    image = decode_rjpeg(data)
    assert (image.width, image.height) == (32, 24)
    assert np.abs(image.temperatures() - temps).max() < 0.05
    assert image.visual_jpeg is None
    assert image.tools == ()


def test_raw_subtypes_decide_pixel_byte_order():
    temps = scene()
    raw = to_raw(temps, stored_camera(DEFAULT_CAMERA_INFO))
    header = encode._record_header("<", 2, 32, 24)
    cam = _Record(
        rtype=REC_CAMERA_INFO, subtype=1, version=115, data=_camera_record(DEFAULT_CAMERA_INFO, raw)
    )
    for subtype, dtype in ((1, ">u2"), (2, "<u2"), (0, "<u2"), (9, "<u2")):
        rec = _Record(
            rtype=1, subtype=subtype, version=101, data=header + raw.astype(dtype).tobytes()
        )
        image = decode_rjpeg(file_from([rec, cam]))
        np.testing.assert_array_equal(image.raw, raw)


def test_png_signature_wins_over_subtype():
    temps = scene()
    rec = records(temps)
    rec[0] = dataclasses.replace(rec[0], subtype=2)
    image = decode_rjpeg(file_from(rec))
    assert np.abs(image.temperatures() - temps).max() < 0.05


def test_multi_chunk_any_segment_order():
    temps = scene(64, 48)
    data = file_from(records(temps, visual=VISUAL), chunk_size=700)
    segs, flir = flir_segments(data)
    assert len(flir) > 5
    assert decode_rjpeg(data).visual_jpeg == VISUAL
    # Chunks are reassembled by their index, not by their position in the file.
    reordered = [segs[i] for i in range(len(segs)) if i not in flir] + [
        segs[i] for i in reversed(flir)
    ]
    image = decode_rjpeg(rebuild(reordered, segments(data)[1]))
    assert np.abs(image.temperatures() - temps).max() < 0.05
    assert image.visual_jpeg == VISUAL


def test_tools_round_trip_both_orders():
    tools = (
        MeasurementTool(kind="spot", label="Sp1", params=(10, 12)),
        MeasurementTool(kind="box", label="Bx1", params=(1, 2, 20, 10)),
        MeasurementTool(kind="ellipse", label="El1", params=(5, 5, 1, 1, 9, 9)),
        MeasurementTool(kind="line", label="Li1", params=(0, 0, 31, 23)),
        MeasurementTool(kind="other", label="", params=()),
        MeasurementTool(kind="spot", label="Température", params=(-1, 300)),
    )
    for order in "<>":
        image = decode_rjpeg(file_from(records(scene(), tools=tools, order=order)))
        assert image.tools == tools


def test_inconsistent_tool_records_are_dropped_quietly():
    rec = records(scene(), tools=(MeasurementTool(kind="spot", label="a", params=(1, 2)),))
    meas = bytearray(rec[2].data)
    struct.pack_into("<H", meas, 12 + 4, 400)  # coordinates run past the record
    rec[2] = dataclasses.replace(rec[2], data=bytes(meas))
    assert decode_rjpeg(file_from(rec)).tools == ()
    rec[2] = dataclasses.replace(rec[2], data=b"\x01\x00")
    assert decode_rjpeg(file_from(rec)).tools == ()


def test_embedded_image_that_is_not_a_jpeg():
    rec = records(scene(), visual=VISUAL)
    rec[2] = dataclasses.replace(rec[2], data=rec[2].data[:32] + b"\x89PNG not a jpeg")
    assert decode_rjpeg(file_from(rec)).visual_jpeg is None
    rec[2] = dataclasses.replace(rec[2], data=b"\x03\x00")
    assert decode_rjpeg(file_from(rec)).visual_jpeg is None


def test_humidity_in_percent_is_normalised():
    camera = dataclasses.replace(DEFAULT_CAMERA_INFO, relative_humidity=65.0)
    image = decode_rjpeg(file_from(records(scene(), camera=camera)))
    assert image.camera.relative_humidity == pytest.approx(0.65)


def test_first_record_of_a_type_wins_and_unknown_records_are_skipped():
    temps = scene()
    recs = records(temps)
    other = records(scene(seed=3) + 40)
    unknown = _Record(rtype=0x29, subtype=1, version=1, data=b"\xff" * 10)
    empty = _Record(rtype=0, subtype=0, version=0, data=b"")
    image = decode_rjpeg(file_from([empty, unknown, *recs, *other]))
    assert np.abs(image.temperatures() - temps).max() < 0.05


def test_segments_before_flir_and_fill_bytes():
    data = encode_rjpeg(scene())
    segs, rest = segments(data)
    extra = [b"\xff\xfe\x00\x05abc", b"\xff\xe1\x00\x08Exif\0\0", b"\xff\xe2\x00\x02"]
    tweaked = b"\xff\xd8\xff\xff" + b"".join(extra) + b"\xff\xd0" + b"".join(segs) + rest
    assert decode_rjpeg(tweaked).width == 32


def test_data_after_the_headers_is_not_needed():
    data = encode_rjpeg(scene())
    segs, _rest = segments(data)
    assert decode_rjpeg(rebuild(segs, b"\xff\xda")).width == 32
    assert decode_rjpeg(rebuild(segs, b"\xff\xd9")).width == 32


# --- error cases ----------------------------------------------------------------------------


def assert_refused(data: bytes, match: str | None = None) -> None:
    with pytest.raises(FlirDecodeError, match=match):
        decode_rjpeg(data)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\xff",
        b"\xff\xd8",
        b"GIF89a" + bytes(40),
        b"\x89PNG\r\n\x1a\n" + bytes(40),
        bytes(1000),
    ],
)
def test_not_a_jpeg(data):
    assert_refused(data)


def test_plain_jpeg():
    assert_refused(jpeg(), "no FLIR APP1")


def test_dji_style_flir_app1_without_fff():
    assert_refused(rebuild([app1(b"FLIR\0\x01\x00\x00" + bytes(200))], b"\xff\xda"), "not an FFF")
    assert_refused(rebuild([app1(b"FLIR\0\x01")], b"\xff\xda"), "too short")


@pytest.mark.parametrize("raw_format", ["png", "raw"])
def test_truncated_everywhere(raw_format):
    data = file_from(records(scene(), raw_format=raw_format, visual=VISUAL), chunk_size=900)
    segs, _ = segments(data)
    flir_end = 2 + sum(len(s) for s in segs)
    full = decode_rjpeg(data)
    for cut in [*range(64), *range(64, len(data), 97), flir_end - 1]:
        if cut < flir_end:
            assert_refused(data[:cut])
        else:  # only the preview image is cut: the radiometric data is complete
            np.testing.assert_array_equal(decode_rjpeg(data[:cut]).raw, full.raw)


def test_truncated_ax8():
    data = AX8.read_bytes()
    for cut in range(0, 86617, 211):
        assert_refused(data[:cut])


def chunked() -> tuple[list[bytes], list[int], bytes]:
    data = file_from(records(scene(), visual=VISUAL), chunk_size=1000)
    segs, flir = flir_segments(data)
    return segs, flir, segments(data)[1]


def test_missing_chunk():
    segs, flir, rest = chunked()
    for drop in (flir[0], flir[2], flir[-1]):
        assert_refused(rebuild([s for i, s in enumerate(segs) if i != drop], rest), "missing")


def test_duplicate_chunk():
    segs, flir, rest = chunked()
    assert_refused(rebuild([*segs, segs[flir[1]]], rest), "duplicate")


def test_inconsistent_chunk_count():
    segs, flir, rest = chunked()
    bad = bytearray(segs[flir[1]])
    bad[4 + 7] += 1
    segs[flir[1]] = bytes(bad)
    assert_refused(rebuild(segs, rest), "disagree")


def test_chunk_index_beyond_last():
    fff = good_fff()
    segs = [app1(b"FLIR\0\x01\x00\x01" + fff[:100]), app1(b"FLIR\0\x01\x05\x01" + fff[100:])]
    assert_refused(rebuild(segs, b"\xff\xda"), "beyond")


def patched_fff(offset: int, fmt: str, *values: int) -> bytes:
    fff = bytearray(good_fff())
    struct.pack_into(fmt, fff, offset, *values)
    return wrap_jpeg(PREVIEW, bytes(fff))


def test_bad_fff_header():
    assert_refused(patched_fff(0x14, ">I", 7), "version")
    assert_refused(patched_fff(0x18, ">I", 0xFFFFFFF0), "directory")
    assert_refused(patched_fff(0x18, ">I", 10**6), "directory")
    assert_refused(patched_fff(0x1C, ">I", 0x7FFFFFFF), "directory")
    assert_refused(wrap_jpeg(PREVIEW, good_fff()[:0x3F]), "not an FFF")


def test_bad_record_offsets():
    entry = 0x40  # first directory entry: RawData
    assert_refused(patched_fff(entry + 0x0C, ">I", 0xFFFFFF00), "outside")
    assert_refused(patched_fff(entry + 0x10, ">I", 0xFFFFFF00), "outside")
    assert_refused(patched_fff(entry + 0x20 + 0x0C, ">I", 10**7), "outside")  # CameraInfo


def test_missing_records():
    recs = records(scene())
    assert_refused(file_from(recs[1:]), "no RawData")
    assert_refused(file_from(recs[:1]), "no CameraInfo")
    assert_refused(file_from([]), "no RawData")


def test_bad_camera_info():
    recs = records(scene())
    assert_refused(
        file_from([recs[0], dataclasses.replace(recs[1], data=recs[1].data[:0x300])]), "too short"
    )
    data = bytearray(recs[1].data)
    struct.pack_into("<f", data, 0x20, math.nan)
    assert_refused(
        file_from([recs[0], dataclasses.replace(recs[1], data=bytes(data))]), "non-numeric"
    )


def raw_with_header(width: int, height: int, payload: bytes, subtype: int = 2) -> _Record:
    return _Record(
        rtype=1,
        subtype=subtype,
        version=101,
        data=encode._record_header("<", 2, width, height) + payload,
    )


@pytest.mark.parametrize(
    ("width", "height"),
    [(0, 24), (32, 0), (0, 0), (2049, 16), (16, 2049), (4096, 4096), (65535, 65535)],
)
def test_absurd_dimensions(width, height):
    cam = records(scene())[1]
    assert_refused(file_from([raw_with_header(width, height, bytes(64)), cam]), "impossible size")
    assert_refused(
        file_from([raw_with_header(width, height, bytes(64), subtype=3), cam]), "impossible size"
    )


def test_declared_size_larger_than_the_record():
    cam = records(scene())[1]
    assert_refused(
        file_from([raw_with_header(32, 24, bytes(32 * 24 * 2 - 1)), cam]), "too short for"
    )
    assert_refused(file_from([raw_with_header(2048, 2048, bytes(1000)), cam]), "too short for")
    assert_refused(
        file_from([_Record(rtype=1, subtype=2, version=1, data=bytes(31)), cam]), "too short"
    )


def png_bytes(image: Image.Image) -> bytes:
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_bad_png():
    recs = records(scene())
    cam = recs[1]
    png = recs[0].data[32:]
    # Size in the PNG header differs from the record's.
    assert_refused(file_from([raw_with_header(33, 24, png, 3), cam]), "record says")
    # Truncated and corrupted image data.
    assert_refused(file_from([raw_with_header(32, 24, png[:-30], 3), cam]), "corrupt raw PNG")
    broken = bytearray(png)
    broken[60:80] = bytes(20)
    assert_refused(file_from([raw_with_header(32, 24, bytes(broken), 3), cam]), "corrupt raw PNG")
    assert_refused(
        file_from([raw_with_header(32, 24, png[:8] + bytes(50), 3), cam]), "corrupt raw PNG"
    )
    # An 8-bit PNG is not raw thermal data.
    eight_bit = png_bytes(Image.new("L", (32, 24)))
    assert_refused(file_from([raw_with_header(32, 24, eight_bit, 3), cam]), "mode L")
    # PNG subtype without a PNG.
    assert_refused(file_from([raw_with_header(32, 24, bytes(32 * 24 * 2), 3), cam]), "holds no PNG")


def test_png_declared_size_checked_before_decoding():
    cam = records(scene())[1]
    huge = png_bytes(Image.new("I;16", (4000, 4000)))  # a few kB of zeros
    assert_refused(file_from([raw_with_header(32, 24, huge, 3), cam]), "record says")


def test_max_image_pixels_respected(monkeypatch):
    data = encode_rjpeg(scene())
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    assert_refused(data, "MAX_IMAGE_PIXELS")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)
    assert decode_rjpeg(data).width == 32


def test_corrupt_jpeg_structure():
    data = encode_rjpeg(scene())
    assert_refused(data[:2] + b"\x00" + data[3:], "no marker")
    assert_refused(data[:2] + b"\xff\xd8" + data[2:], "marker 0xD8")
    assert_refused(data[:2] + b"\xff\xe1\x00\x01" + data[2:], "malformed")
    assert_refused(data[:2] + b"\xff\xe1\xff\xff" + data[2:], "truncated")


def test_temperatures_use_camera_or_override():
    data = encode_rjpeg(scene(), camera=dataclasses.replace(DEFAULT_CAMERA_INFO, emissivity=0.8))
    image = decode_rjpeg(data)
    params = ObjectParameters(
        emissivity=1.0,
        distance=0.0,
        reflected_c=20.0,
        atmospheric_c=20.0,
        humidity=0.0,
        ir_window_c=20.0,
        ir_window_transmission=1.0,
    )
    assert np.abs(image.temperatures() - scene()).max() < 0.05
    assert not np.allclose(image.temperatures(params), scene(), atol=1)
