"""Fuzzing the decoder: corrupt input only ever raises FlirDecodeError, memory stays bounded."""

import struct
import tracemalloc
from io import BytesIO
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from custom_components.flir_frigate.api.flir import encode, rjpeg_container
from custom_components.flir_frigate.api.flir.encode import encode_rjpeg
from custom_components.flir_frigate.api.flir.exceptions import FlirDecodeError
from custom_components.flir_frigate.api.flir.rjpeg import (
    MeasurementTool,
    RadiometricImage,
    decode_rjpeg,
    is_radiometric,
)
from custom_components.flir_frigate.api.flir.thermal import DEFAULT_CAMERA_INFO

FUZZ = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SLACK = 256 * 1024  # Python objects, Pillow's PNG reader state


def _visual() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (8, 6), (1, 2, 3)).save(buffer, "JPEG")
    return buffer.getvalue()


_TEMPS = 20 + np.add.outer(np.arange(9.0), np.arange(12.0))
_TOOLS = (
    MeasurementTool(kind="spot", label="Sp1", params=(3, 4)),
    MeasurementTool(kind="box", label="Bx1", params=(1, 1, 5, 5)),
)
BASES = (
    encode_rjpeg(_TEMPS, tools=_TOOLS, visual_jpeg=_visual(), chunk_size=300),
    encode_rjpeg(_TEMPS, big_endian=False, raw_format="raw", tools=_TOOLS),
    encode_rjpeg(_TEMPS, raw_format="raw", chunk_size=200),
    (Path(__file__).parent / "fixtures" / "ax8.jpg").read_bytes(),
)


FFFS = tuple(bytes(rjpeg_container.fff_blob(memoryview(base))) for base in BASES)


def _mutate(draw: st.DrawFn, data: bytearray, near: int) -> bytearray:
    """Flip, overwrite, insert or delete a few bytes, maybe cut the end."""
    for _ in range(draw(st.integers(1, 6))):
        # Headers, directories and record headers sit near the start: aim there often.
        pos = draw(st.one_of(st.integers(0, near), st.integers(0, len(data) - 1)))
        pos = min(pos, len(data) - 1)
        action = draw(st.sampled_from(("flip", "set", "insert", "delete")))
        value = (
            draw(st.sampled_from((0x00, 0xFF, 0x7F, 0x80, 0x01)))
            if draw(st.booleans())
            else draw(st.integers(0, 255))
        )
        if action == "flip":
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif action == "set":
            data[pos] = value
        elif action == "insert":
            data[pos:pos] = bytes((value,)) * draw(st.integers(1, 4))
        elif len(data) > 1:
            del data[pos : pos + draw(st.integers(1, 4))]
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return data


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A valid file, mutated anywhere (mostly breaks the JPEG structure)."""
    return bytes(_mutate(draw, bytearray(draw(st.sampled_from(BASES))), 700))


@st.composite
def mutated_fff(draw: st.DrawFn) -> bytes:
    """A valid FFF file, mutated, in a well-formed JPEG (reaches records and the PNG)."""
    fff = _mutate(draw, bytearray(draw(st.sampled_from(FFFS))), 1500)
    return encode.wrap_jpeg(b"\xff\xd8\xff\xda", bytes(fff), draw(st.sampled_from((65000, 500))))


def _decode(data: bytes) -> RadiometricImage | None:
    try:
        return decode_rjpeg(data)
    except FlirDecodeError:
        return None


@FUZZ
@given(st.one_of(mutated(), mutated_fff()))
def test_mutations_only_raise_decode_error(data):
    is_radiometric(data)  # never raises
    image = _decode(data)
    if image is not None:
        assert image.raw.shape == (image.height, image.width)
        assert image.temperatures().shape == image.raw.shape


@FUZZ
@given(st.binary(max_size=300), st.binary(max_size=300))
def test_random_segments_only_raise_decode_error(head, payload):
    data = b"\xff\xd8" + head + b"\xff\xe1" + struct.pack(">H", len(payload) + 10)
    data += b"FLIR\0\x01\x00\x00" + payload + b"\xff\xda"
    is_radiometric(data)
    _decode(data)


@pytest.fixture(scope="module", autouse=True)
def _warm_up():
    """Import Pillow's plugins and fill caches before memory is measured."""
    for base in BASES:
        decode_rjpeg(base).temperatures()


def peak_while(data: bytes) -> tuple[RadiometricImage | None, int]:
    tracemalloc.start()
    try:
        image = _decode(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return image, peak


def bound(data: bytes, image: RadiometricImage | None) -> int:
    declared = 0 if image is None else image.width * image.height
    return 8 * declared + 3 * len(data) + SLACK


@settings(FUZZ, max_examples=100)
@given(st.one_of(mutated(), mutated_fff()))
def test_allocation_bounded_by_declared_size(data):
    image, peak = peak_while(data)
    assert peak <= bound(data, image)


def raw_record(width: int, height: int, payload: bytes, subtype: int) -> encode._Record:
    header = encode._record_header("<", 2, width, height)
    return encode._Record(rtype=1, subtype=subtype, version=101, data=header + payload)


def file_with_raw(record: encode._Record) -> bytes:
    raw = np.zeros((1, 1), dtype=np.uint16)
    camera = encode._Record(
        rtype=0x20, subtype=1, version=115, data=encode._camera_record(DEFAULT_CAMERA_INFO, raw)
    )
    fff = encode.build_fff([record, camera], ">")
    return encode.wrap_jpeg(encode_rjpeg(np.zeros((2, 2)))[:2] + b"\xff\xda", fff)


def png_16(width: int, height: int) -> bytes:
    buffer = BytesIO()
    Image.new("I;16", (width, height)).save(buffer, "PNG", compress_level=9)
    return buffer.getvalue()


def test_huge_declared_raw_is_refused_before_allocating():
    data = file_with_raw(raw_record(4096, 4096, bytes(1000), 2))
    image, peak = peak_while(data)
    assert image is None
    assert peak <= bound(data, None)


def test_huge_png_with_truncated_data_is_refused_cheaply():
    png = png_16(4096, 4096)
    data = file_with_raw(raw_record(4096, 4096, png[: len(png) // 2], 3))
    image, peak = peak_while(data)
    assert image is None
    assert peak <= bound(data, None)


def test_large_valid_png_allocates_what_it_declares():
    data = file_with_raw(raw_record(1500, 1000, png_16(1500, 1000), 3))
    image, peak = peak_while(data)
    assert image is not None
    assert image.raw.shape == (1000, 1500)
    assert 2 * 1500 * 1000 <= peak <= bound(data, image)  # tracemalloc does see the arrays
