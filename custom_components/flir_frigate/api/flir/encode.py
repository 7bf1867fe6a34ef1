"""FLIR radiometric JPEG encoder (fake camera and tests): the inverse of decode_rjpeg."""

import struct
from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING, Final, Literal

import numpy as np
import numpy.typing as npt
from PIL import Image

from .exceptions import FlirDecodeError
from .render import apply_palette
from .rjpeg_container import (
    APP1,
    CHUNK_HEADER,
    FLIR_MAGIC,
    REC_CAMERA_INFO,
    REC_EMBEDDED_IMAGE,
    REC_MEASUREMENT_INFO,
    REC_RAW_DATA,
)
from .rjpeg_records import (
    CAM_ATMOSPHERE,
    CAM_OBJECT,
    CAM_PLANCK,
    CAM_PLANCK_O_R2,
    CAM_STRINGS,
    CAM_STRINGS_2,
    JPEG_SIGNATURE,
    MAX_RAW_SIDE,
    MEAS_HEADER_SIZE,
    MEAS_MIN_RECORD,
    MEAS_PARAMS_OFFSET,
    RAW_BIG_ENDIAN,
    RAW_LITTLE_ENDIAN,
    RAW_PNG,
    RECORD_HEADER_SIZE,
    TOOL_KINDS,
    MeasurementTool,
    parse_camera_info,
)
from .thermal import DEFAULT_CAMERA_INFO, KELVIN, CameraInfo, celsius_to_raw

if TYPE_CHECKING:
    from collections.abc import Sequence

MAX_CHUNK: Final = 0xFFFF - 2 - CHUNK_HEADER  # APP1 length field counts itself
CAMERA_INFO_SIZE: Final = 0x470
_TOOL_CODES: Final = {kind: code for code, kind in TOOL_KINDS.items()} | {"other": 7}
# Camera range and clip/warn/saturation limits (K) at 0x90..0xAC, as an AX8 writes them.
_CAM_LIMITS: Final = (0x90, "6f", (423.15, 253.15, 453.15, 233.15, 423.15, 253.15))
_CAM_RAW_STATS: Final = ((0x310, "2H"), (0x338, "2H"))  # raw min/max, raw median/range


@dataclass(frozen=True, kw_only=True)
class _Record:
    rtype: int
    subtype: int
    version: int
    data: bytes


def _record_header(order: str, marker: int, width: int, height: int) -> bytes:
    """Pack the int16[16] header of RawData, CameraInfo and EmbeddedImage records."""
    words = [0] * 16
    words[0], words[1], words[2] = marker, width, height
    words[6], words[8] = (width - 1) & 0xFFFF, (height - 1) & 0xFFFF
    return struct.pack(f"{order}16H", *words)


def _camera_record(camera: CameraInfo, raw: npt.NDArray[np.uint16], order: str = "<") -> bytes:
    """Build a CameraInfo record; raw gives the size and raw-value statistics."""
    height, width = raw.shape
    record = bytearray(CAMERA_INFO_SIZE)
    record[:RECORD_HEADER_SIZE] = _record_header(order, 2, width, height)

    def put(spec: tuple[int, str], *values: float) -> None:
        try:
            struct.pack_into(order + spec[1], record, spec[0], *values)
        except (struct.error, OverflowError) as err:
            raise ValueError(f"camera info value out of range: {err}") from err

    put(
        CAM_OBJECT,
        camera.emissivity,
        camera.object_distance,
        camera.reflected_temp_c + KELVIN,
        camera.atmospheric_temp_c + KELVIN,
        camera.ir_window_temp_c + KELVIN,
        camera.ir_window_transmission,
        0.0,
        camera.relative_humidity,
    )
    put(CAM_PLANCK, camera.planck_r1, camera.planck_b, camera.planck_f)
    put(
        CAM_ATMOSPHERE,
        camera.atm_alpha1,
        camera.atm_alpha2,
        camera.atm_beta1,
        camera.atm_beta2,
        camera.atm_x,
    )
    if not abs(camera.planck_o) < 2**31:
        raise ValueError("planck_o out of range")
    put(CAM_PLANCK_O_R2, round(camera.planck_o), camera.planck_r2)
    put(_CAM_LIMITS[:2], *_CAM_LIMITS[2])
    low, high = int(raw.min()), int(raw.max())
    put(_CAM_RAW_STATS[0], low, high)
    put(_CAM_RAW_STATS[1], int(np.median(raw)), high - low)
    for name, (offset, size) in (CAM_STRINGS | CAM_STRINGS_2).items():
        text = str(getattr(camera, name)).encode()[: size - 1]
        text = text.decode("utf-8", "ignore").encode()  # no split character at the cut
        record[offset : offset + len(text)] = text
    return bytes(record)


def stored_camera(camera: CameraInfo) -> CameraInfo:
    """Return the camera info as a decoder reads it back (float32 values, cut strings)."""
    raw = np.zeros((1, 1), dtype=np.uint16)
    try:
        return parse_camera_info(memoryview(_camera_record(camera, raw)), "<")
    except FlirDecodeError as err:
        raise ValueError(str(err)) from err


def raw_png(raw: npt.NDArray[np.uint16]) -> bytes:
    """Encode a 16-bit PNG in FLIR's byte order: each sample's bytes swapped."""
    height, width = raw.shape
    # Pillow writes "I;16" (little-endian input) big-endian; feeding big-endian bytes swaps them.
    image = Image.frombytes("I;16", (width, height), raw.astype(">u2").tobytes())
    buffer = BytesIO()
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def _raw_record(raw: npt.NDArray[np.uint16], raw_format: str, order: str) -> _Record:
    height, width = raw.shape
    header = _record_header(order, 2, width, height)
    if raw_format == "png":
        return _Record(rtype=REC_RAW_DATA, subtype=RAW_PNG, version=101, data=header + raw_png(raw))
    subtype = RAW_BIG_ENDIAN if order == ">" else RAW_LITTLE_ENDIAN
    payload = raw.astype(order + "u2").tobytes()
    return _Record(rtype=REC_RAW_DATA, subtype=subtype, version=101, data=header + payload)


def _visual_record(visual_jpeg: bytes, order: str) -> _Record:
    if visual_jpeg[:3] != JPEG_SIGNATURE:
        raise ValueError("visual_jpeg is not a JPEG")
    try:
        with Image.open(BytesIO(visual_jpeg), formats=("JPEG",)) as image:
            width, height = image.size
    except (OSError, SyntaxError, ValueError) as err:
        raise ValueError(f"visual_jpeg is not a readable JPEG: {err}") from err
    header = _record_header(order, 3, width, height)
    return _Record(rtype=REC_EMBEDDED_IMAGE, subtype=5, version=100, data=header + visual_jpeg)


def _tool_record(tool: MeasurementTool, order: str) -> bytes:
    try:
        code = _TOOL_CODES[tool.kind]
    except KeyError:
        raise ValueError(f"unknown measurement tool kind {tool.kind!r}") from None
    label = (tool.label + "\0").encode("utf-16-be" if order == ">" else "utf-16-le")
    try:
        coords = struct.pack(f"{order}{len(tool.params)}h", *tool.params)
    except struct.error as err:
        raise ValueError(f"measurement tool params must be int16: {err}") from err
    length = max(MEAS_MIN_RECORD, MEAS_PARAMS_OFFSET + len(coords) + len(label))
    record = bytearray(length)
    struct.pack_into(order + "4H", record, 0, length, 0, len(coords), len(label))
    struct.pack_into(order + "H", record, 0x0A, code)
    end = MEAS_PARAMS_OFFSET + len(coords)
    record[MEAS_PARAMS_OFFSET:end] = coords
    record[end : end + len(label)] = label
    return bytes(record)


def _measurement_record(tools: Sequence[MeasurementTool], order: str) -> _Record:
    header = struct.pack(f"{order}3H6x", 1, MEAS_HEADER_SIZE, MEAS_PARAMS_OFFSET)
    data = header + b"".join(_tool_record(tool, order) for tool in tools)
    return _Record(rtype=REC_MEASUREMENT_INFO, subtype=1, version=261, data=data)


def build_fff(records: Sequence[_Record], order: str) -> bytes:
    """Lay out an FFF file: 64-byte header, directory (in `order`), then the records."""
    directory_offset = 0x40
    offset = directory_offset + 0x20 * len(records)
    entries = []
    for index, record in enumerate(records, 1):
        entries.append(
            struct.pack(
                f"{order}2H7I",
                record.rtype,
                record.subtype,
                record.version,
                index,
                offset,
                len(record.data),
                0,
                0,
                0,
            )
        )
        offset += len(record.data)
    header = (
        b"FFF\0"
        + bytes(16)
        + struct.pack(f"{order}4I28x", 100, directory_offset, len(records), len(records) + 1)
    )
    return b"".join([header, *entries, *(record.data for record in records)])


def wrap_jpeg(preview_jpeg: bytes, fff: bytes, chunk_size: int = 65000) -> bytes:
    """Insert the FFF file as APP1 "FLIR" chunks after the preview JPEG's SOI (and APP0)."""
    if not 1 <= chunk_size <= MAX_CHUNK:
        raise ValueError(f"chunk_size must be 1..{MAX_CHUNK}")
    pieces = [fff[i : i + chunk_size] for i in range(0, len(fff), chunk_size)]
    if len(pieces) > 256:  # noqa: PLR2004 - the chunk index is one byte
        raise ValueError("FLIR data too large for 256 APP1 chunks; raise chunk_size")
    segments = [
        struct.pack(">BBH", 0xFF, APP1, 2 + CHUNK_HEADER + len(piece))
        + FLIR_MAGIC
        + bytes((1, index, len(pieces) - 1))
        + piece
        for index, piece in enumerate(pieces)
    ]
    cut = 2
    if preview_jpeg[2:4] == b"\xff\xe0":  # keep JFIF APP0 first
        cut = 4 + int.from_bytes(preview_jpeg[4:6])
    return preview_jpeg[:cut] + b"".join(segments) + preview_jpeg[cut:]


def _preview(temps: npt.NDArray[np.float64]) -> bytes:
    buffer = BytesIO()
    Image.fromarray(apply_palette(temps, "iron"), "RGB").save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def to_raw(temps: npt.NDArray[np.float64], camera: CameraInfo) -> npt.NDArray[np.uint16]:
    """Temperatures to uint16 counts (NaN -> 0, rounded, clipped)."""
    counts = celsius_to_raw(temps, camera)
    np.nan_to_num(counts, copy=False, nan=0.0)
    np.rint(counts, out=counts)
    np.clip(counts, 0, 0xFFFF, out=counts)
    return counts.astype(np.uint16)


def encode_rjpeg(
    temps_c: npt.NDArray[np.generic],
    *,
    camera: CameraInfo = DEFAULT_CAMERA_INFO,
    big_endian: bool = True,
    raw_format: Literal["png", "raw"] = "png",
    visual_jpeg: bytes | None = None,
    tools: Sequence[MeasurementTool] = (),
    chunk_size: int = 65000,
) -> bytes:
    """Write temperatures (degrees C, height x width) as a FLIR radiometric JPEG.

    The main image is an iron preview; the FFF header and directory use the requested byte
    order, the records are little-endian as FLIR cameras write them.
    """
    temps = np.asarray(temps_c, dtype=np.float64)
    if temps.ndim != 2 or temps.size == 0:  # noqa: PLR2004
        raise ValueError("expected a non-empty 2-D temperature array")
    height, width = temps.shape
    if width > MAX_RAW_SIDE or height > MAX_RAW_SIDE:
        raise ValueError(f"{width}x{height} is too large (the decoder accepts {MAX_RAW_SIDE})")
    if raw_format not in ("png", "raw"):
        raise ValueError("raw_format must be 'png' or 'raw'")
    if not 1 <= chunk_size <= MAX_CHUNK:
        raise ValueError(f"chunk_size must be 1..{MAX_CHUNK}")
    order = "<"
    raw = to_raw(temps, stored_camera(camera))
    records = [
        _raw_record(raw, raw_format, order),
        _Record(rtype=REC_CAMERA_INFO, subtype=1, version=115, data=_camera_record(camera, raw)),
    ]
    if tools:
        records.append(_measurement_record(tools, order))
    if visual_jpeg is not None:
        records.append(_visual_record(visual_jpeg, order))
    fff = build_fff(records, ">" if big_endian else "<")
    return wrap_jpeg(_preview(temps), fff, chunk_size)
