"""Radiometric JPEG encoder: round trips through the decoder and the file layout."""

import dataclasses
import math
import struct
from io import BytesIO

import numpy as np
import pytest
from PIL import Image

from custom_components.flir_frigate.api.flir.encode import (
    MAX_CHUNK,
    encode_rjpeg,
    stored_camera,
)
from custom_components.flir_frigate.api.flir.rjpeg import MeasurementTool, decode_rjpeg
from custom_components.flir_frigate.api.flir.thermal import DEFAULT_CAMERA_INFO


def realistic(width=64, height=48, seed=1) -> np.ndarray:
    """-20..150 degrees C: a cold background, a hot blob and noise."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    blob = np.exp(-((x - width / 3) ** 2 + (y - height / 2) ** 2) / (width * 2))
    temps = -20 + 170 * blob + rng.normal(0, 0.5, (height, width))
    temps[0, 0], temps[-1, -1] = -20.0, 150.0
    return np.asarray(temps.clip(-20, 150), dtype=np.float64)


def visual() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (320, 240), (20, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def flir_chunks(data: bytes) -> list[bytes]:
    pos, chunks = 2, []
    while data[pos + 1] != 0xDA:
        end = pos + 2 + int.from_bytes(data[pos + 2 : pos + 4])
        if data[pos + 1] == 0xE1 and data[pos + 4 : pos + 9] == b"FLIR\0":
            chunks.append(data[pos + 4 : end])
        pos = end
    return chunks


@pytest.mark.parametrize("big_endian", [True, False])
@pytest.mark.parametrize("raw_format", ["png", "raw"])
@pytest.mark.parametrize("with_visual", [False, True])
def test_round_trip(big_endian, raw_format, with_visual):
    temps = realistic()
    vis = visual() if with_visual else None
    data = encode_rjpeg(temps, big_endian=big_endian, raw_format=raw_format, visual_jpeg=vis)
    image = decode_rjpeg(data)
    assert (image.width, image.height) == (64, 48)
    assert np.abs(image.temperatures() - temps).max() < 0.05
    assert image.visual_jpeg == vis
    fff = b"".join(chunk[8:] for chunk in flir_chunks(data))
    assert fff[:4] == b"FFF\0"
    assert struct.unpack_from(">I" if big_endian else "<I", fff, 0x14)[0] == 100


def test_main_image_is_a_preview_at_thermal_resolution():
    data = encode_rjpeg(realistic(80, 60))
    assert data[:4] == b"\xff\xd8\xff\xe0"  # JFIF APP0 stays first
    with Image.open(BytesIO(data)) as preview:
        assert preview.format == "JPEG"
        assert preview.size == (80, 60)
        preview.load()


def test_chunks_split_and_numbered():
    temps = realistic(160, 120)
    data = encode_rjpeg(temps, raw_format="raw", chunk_size=5000)
    chunks = flir_chunks(data)
    fff_size = sum(len(c) - 8 for c in chunks)
    assert len(chunks) == math.ceil(fff_size / 5000) > 1
    for index, chunk in enumerate(chunks):
        assert chunk[5:8] == bytes((1, index, len(chunks) - 1))
        assert len(chunk) - 8 == (5000 if index < len(chunks) - 1 else fff_size - 5000 * index)
    assert np.abs(decode_rjpeg(data).temperatures() - temps).max() < 0.05


def test_large_frame_default_chunks():
    temps = realistic(640, 480)
    data = encode_rjpeg(temps, raw_format="raw")
    assert len(flir_chunks(data)) == 10  # 614400 raw bytes + records, 65000 per chunk
    assert np.abs(decode_rjpeg(data).temperatures() - temps).max() < 0.05


def test_largest_chunk_fits_an_app1_segment():
    data = encode_rjpeg(realistic(320, 240), raw_format="raw", chunk_size=MAX_CHUNK)
    assert max(len(c) for c in flir_chunks(data)) == 0xFFFF - 2
    assert decode_rjpeg(data).width == 320


def test_camera_fields_round_trip():
    camera = dataclasses.replace(
        DEFAULT_CAMERA_INFO,
        model="FLIR A70",
        serial="123456789",
        part_number="78502-0101",
        software="1.2.3",
        lens="24 deg",
        emissivity=0.82,
        object_distance=3.5,
        reflected_temp_c=31.0,
        atmospheric_temp_c=-4.0,
        ir_window_temp_c=12.0,
        ir_window_transmission=0.9,
        relative_humidity=0.3,
    )
    temps = realistic()
    image = decode_rjpeg(encode_rjpeg(temps, camera=camera))
    assert image.camera == stored_camera(camera)
    assert image.camera.model == "FLIR A70"
    assert image.camera.serial == "123456789"
    assert image.camera.emissivity == pytest.approx(0.82)
    assert image.camera.reflected_temp_c == pytest.approx(31.0, abs=1e-4)
    assert np.abs(image.temperatures() - temps).max() < 0.05


def test_long_strings_are_cut_to_the_field():
    camera = dataclasses.replace(DEFAULT_CAMERA_INFO, serial="S" * 40, model="Ü" * 40)
    image = decode_rjpeg(encode_rjpeg(realistic(8, 6), camera=camera))
    assert image.camera.serial == "S" * 15
    assert image.camera.model == "Ü" * 15  # 31 bytes: no half character


def test_tools_written():
    tools = [MeasurementTool(kind="spot", label="Sp1", params=(3, 4))]
    assert decode_rjpeg(encode_rjpeg(realistic(), tools=tools)).tools == tuple(tools)


def test_nan_and_out_of_range():
    temps = realistic(16, 12)
    temps[1, 1] = np.nan
    temps[2, 2] = 5000.0
    temps[3, 3] = -270.0
    image = decode_rjpeg(encode_rjpeg(temps))
    assert np.isnan(image.temperatures()[1, 1])
    assert image.raw[2, 2] == 65535
    assert not image.temperatures()[3, 3] > -100  # near zero radiance (or NaN)


@pytest.mark.parametrize(
    ("temps", "kwargs"),
    [
        (np.zeros(5), {}),
        (np.zeros((0, 4)), {}),
        (np.zeros((2, 2)), {"raw_format": "tiff"}),
        (np.zeros((2, 2)), {"chunk_size": 0}),
        (np.zeros((2, 2)), {"chunk_size": MAX_CHUNK + 1}),
        (np.zeros((480, 640)), {"raw_format": "raw", "chunk_size": 1000}),
        (np.zeros((2, 2)), {"visual_jpeg": b"not a jpeg"}),
        (np.zeros((2, 2)), {"visual_jpeg": b"\xff\xd8\xff broken"}),
        (np.zeros((2, 2)), {"tools": [MeasurementTool(kind="circle", label="", params=())]}),
        (np.zeros((2, 2)), {"tools": [MeasurementTool(kind="spot", label="", params=(70000, 1))]}),
        (np.zeros((1, 70000)), {}),
        (
            np.zeros((2, 2)),
            {"camera": dataclasses.replace(DEFAULT_CAMERA_INFO, emissivity=math.nan)},
        ),
        (np.zeros((2, 2)), {"camera": dataclasses.replace(DEFAULT_CAMERA_INFO, planck_r1=1e300)}),
        (np.zeros((2, 2)), {"camera": dataclasses.replace(DEFAULT_CAMERA_INFO, planck_o=math.inf)}),
    ],
)
def test_invalid_arguments(temps, kwargs):
    with pytest.raises(ValueError):
        encode_rjpeg(temps, **kwargs)
