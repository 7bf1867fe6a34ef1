"""The FFF records of a radiometric JPEG: CameraInfo, RawData, EmbeddedImage, MeasurementInfo.

Each record the container walk found is parsed here: the calibration and object parameters
of CameraInfo, the raw counts of RawData (big- or little-endian, or a 16-bit PNG with FLIR's
byte swap), the visual JPEG of EmbeddedImage and the tools of MeasurementInfo. A record comes
from the network, so its declared sizes are bounded before any decompression
(:data:`MAX_RAW_SIDE`, :data:`MAX_PNG_CHUNKS`, :data:`MAX_TOOLS`) and Pillow is handed only
the PNG chunks that make the image. The record formats live apart from the container walk
(:mod:`.rjpeg_container`), which only finds the records; the encoder writes records with the
same layout constants.
"""

import math
import struct
from dataclasses import dataclass
from io import BytesIO
from typing import Any, Final

import numpy as np
import numpy.typing as npt
from PIL import Image

from .exceptions import FlirDecodeError
from .rjpeg_container import ByteOrder, FffEntry
from .thermal import KELVIN, CameraInfo

MAX_RAW_SIDE: Final = 2048
"""Largest raw width or height accepted. FLIR radiometric sensors top out at 1280x1024 (the
A-series at 640x480, the Ax8 at 80x60); 2048 leaves margin for any of them, and at most
2048x2048 pixels the raw counts take 8 MiB and the temperatures 32 MiB."""
MAX_PIXELS: Final = MAX_RAW_SIDE * MAX_RAW_SIDE
MAX_TOOLS: Final = 64
"""Measurement tools kept from a file; cameras hold a few dozen at most (10 spots, 10 boxes,
deltas and lines on the A-series), so the rest of a longer list is ignored."""
MAX_PNG_CHUNKS: Final = 16384
"""Chunks of the raw PNG; 2048x2048 16-bit data in libpng's 8 KiB IDAT chunks needs 1024."""

RECORD_HEADER_SIZE: Final = 0x20  # RawData and EmbeddedImage: int16[16] before the payload
PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
PNG_IMAGE_CHUNKS: Final = frozenset((b"IHDR", b"PLTE", b"IDAT", b"IEND"))
PNG_IHDR_SIZE: Final = 13
JPEG_SIGNATURE: Final = b"\xff\xd8\xff"

RAW_BIG_ENDIAN: Final = 1
RAW_LITTLE_ENDIAN: Final = 2
RAW_PNG: Final = 3

# CameraInfo layout: (offset, struct format) of each block the decoder reads.
CAM_OBJECT: Final = (0x20, "8f")  # E, OD, reflected K, atmosphere K, window K, window trans, -, RH
CAM_PLANCK: Final = (0x58, "3f")  # R1, B, F
CAM_ATMOSPHERE: Final = (0x70, "5f")  # alpha1, alpha2, beta1, beta2, X
CAM_PLANCK_O_R2: Final = (0x308, "if")
CAM_STRINGS: Final = {"model": (0xD4, 32), "part_number": (0xF4, 16), "serial": (0x104, 16)}
CAM_STRINGS_2: Final = {"software": (0x114, 16), "lens": (0x170, 32)}
CAMERA_INFO_MIN_SIZE: Final = 0x310

MEAS_HEADER_SIZE: Final = 12
MEAS_PARAMS_OFFSET: Final = 0x24
MEAS_MIN_RECORD: Final = 0x28
TOOL_KINDS: Final = {1: "spot", 2: "box", 3: "ellipse", 4: "line"}


@dataclass(frozen=True, kw_only=True)
class MeasurementTool:
    """A measurement tool drawn on the camera: params per FLIR (spot X,Y; box X,Y,W,H; ...)."""

    kind: str
    label: str
    params: tuple[int, ...]


def _toggle(order: ByteOrder) -> ByteOrder:
    return "<" if order == ">" else ">"


def _record_order(record: memoryview, order: ByteOrder) -> ByteOrder:
    """Byte order of a record: its int16 marker (2 or 3, or 1) reads >= 0x100 when swapped."""
    (marker,) = struct.unpack_from(order + "H", record, 0)
    return _toggle(order) if marker >= 0x100 else order  # noqa: PLR2004


def _cstring(record: memoryview, offset: int, size: int) -> str:
    raw = bytes(record[offset : offset + size]).split(b"\0", 1)[0]
    return "".join(ch for ch in raw.decode("utf-8", "replace") if ch.isprintable()).strip()


def parse_camera_info(record: memoryview, order: ByteOrder) -> CameraInfo:
    """Parse a CameraInfo record (temperatures stored in K, humidity fraction or percent)."""
    if len(record) < CAMERA_INFO_MIN_SIZE:
        raise FlirDecodeError("CameraInfo record too short")
    order = _record_order(record, order)

    def block(spec: tuple[int, str]) -> tuple[Any, ...]:
        return struct.unpack_from(order + spec[1], record, spec[0])

    emis, dist, refl_k, atm_k, win_k, win_trans, _, humidity = block(CAM_OBJECT)
    r1, b, f = planck = block(CAM_PLANCK)
    a1, a2, b1, b2, x = atmosphere = block(CAM_ATMOSPHERE)
    planck_o, r2 = block(CAM_PLANCK_O_R2)
    scene = (emis, dist, refl_k, atm_k, win_k, win_trans, humidity)
    if not all(math.isfinite(v) for v in (*scene, *planck, *atmosphere, r2)):
        raise FlirDecodeError("CameraInfo holds non-numeric values")
    if humidity > 2:  # noqa: PLR2004 - some cameras store percent
        humidity /= 100
    strings = {
        name: _cstring(record, off, size)
        for name, (off, size) in (CAM_STRINGS | CAM_STRINGS_2).items()
    }
    return CameraInfo(
        emissivity=emis,
        object_distance=dist,
        reflected_temp_c=refl_k - KELVIN,
        atmospheric_temp_c=atm_k - KELVIN,
        ir_window_temp_c=win_k - KELVIN,
        ir_window_transmission=win_trans,
        relative_humidity=humidity,
        planck_r1=r1,
        planck_r2=r2,
        planck_b=b,
        planck_f=f,
        planck_o=float(planck_o),
        atm_alpha1=a1,
        atm_alpha2=a2,
        atm_beta1=b1,
        atm_beta2=b2,
        atm_x=x,
        **strings,
    )


def _raw_size(record: memoryview, order: ByteOrder) -> tuple[ByteOrder, int, int]:
    if len(record) < RECORD_HEADER_SIZE:
        raise FlirDecodeError("RawData record too short")
    order = _record_order(record, order)
    width, height = struct.unpack_from(order + "2H", record, 2)
    if not (0 < width <= MAX_RAW_SIDE and 0 < height <= MAX_RAW_SIDE):
        raise FlirDecodeError(
            f"RawData declares an impossible size {width}x{height} "
            f"(accepted: up to {MAX_RAW_SIDE}x{MAX_RAW_SIDE})"
        )
    return order, width, height


def _image_chunks(payload: memoryview, width: int, height: int) -> bytes:
    """The PNG cut down to the chunks that make the image, its IHDR size checked first.

    The IHDR must declare the record's size (already bounded) before anything is inflated.
    Ancillary chunks (zTXt, iTXt, iCCP: each a zlib stream Pillow inflates, up to 64 MB in
    all) are dropped, so IDAT is the only compressed data left, and Pillow stops inflating it
    once the declared image is full.
    """
    pos = len(PNG_SIGNATURE)
    kept = [payload[:pos]]
    for _chunk in range(MAX_PNG_CHUNKS):
        if pos + 8 > len(payload):
            raise FlirDecodeError("corrupt raw PNG: it ends before its IEND chunk")
        (length,) = struct.unpack_from(">I", payload, pos)
        kind = bytes(payload[pos + 4 : pos + 8])
        end = pos + 12 + length  # length, type, data, CRC
        if not kind.isalpha() or end > len(payload):
            raise FlirDecodeError(f"corrupt raw PNG: truncated or malformed chunk at {pos}")
        if len(kept) == 1:
            if kind != b"IHDR" or length != PNG_IHDR_SIZE:
                raise FlirDecodeError("corrupt raw PNG: it does not start with an IHDR chunk")
            png_width, png_height = struct.unpack_from(">2I", payload, pos + 8)
            if (png_width, png_height) != (width, height):
                raise FlirDecodeError(
                    f"raw PNG is {png_width}x{png_height}, record says {width}x{height}"
                )
        if kind in PNG_IMAGE_CHUNKS:
            kept.append(payload[pos:end])
        if kind == b"IEND":
            return b"".join(kept)
        pos = end
    raise FlirDecodeError(f"corrupt raw PNG: more than {MAX_PNG_CHUNKS} chunks")


def _decode_png(payload: memoryview, width: int, height: int) -> npt.NDArray[np.uint16]:
    """Decode FLIR's 16-bit PNG, whose samples are stored in the wrong (little-endian) order."""
    limit = Image.MAX_IMAGE_PIXELS
    if limit is not None and width * height > limit:
        raise FlirDecodeError("raw PNG larger than Image.MAX_IMAGE_PIXELS")
    png = _image_chunks(payload, width, height)

    def check(image: Image.Image) -> None:  # only the header is read so far
        if image.size != (width, height):
            raise FlirDecodeError(
                f"raw PNG is {image.size[0]}x{image.size[1]}, record says {width}x{height}"
            )
        if image.mode not in ("I;16", "I;16B"):
            raise FlirDecodeError(f"raw PNG has mode {image.mode}, expected 16-bit greyscale")

    try:
        with Image.open(BytesIO(png), formats=("PNG",)) as image:
            check(image)
            mode = image.mode
            pixels = image.tobytes()
    except FlirDecodeError:
        raise
    except Exception as err:  # Pillow raises many types (OSError, SyntaxError, ValueError, ...)
        raise FlirDecodeError(f"corrupt raw PNG: {err}") from err
    if len(pixels) != width * height * 2:
        raise FlirDecodeError("raw PNG decoded to an unexpected size")
    # "I;16" bytes are little-endian values: read them big-endian to undo FLIR's swap.
    swapped = np.frombuffer(pixels, dtype=">u2" if mode == "I;16" else "<u2")
    return swapped.astype(np.uint16).reshape(height, width)


def decode_raw(entry: FffEntry, order: ByteOrder) -> npt.NDArray[np.uint16]:
    """The raw counts of a RawData record (height x width): PNG, big- or little-endian."""
    order, width, height = _raw_size(entry.record, order)
    payload = entry.record[RECORD_HEADER_SIZE:]
    if bytes(payload[:8]) == PNG_SIGNATURE:
        return _decode_png(payload, width, height)
    if entry.subtype == RAW_PNG:
        raise FlirDecodeError("RawData says PNG but holds no PNG")
    if len(payload) < width * height * 2:
        raise FlirDecodeError(f"RawData record too short for {width}x{height} pixels")
    if entry.subtype == RAW_BIG_ENDIAN:
        order = ">"
    elif entry.subtype == RAW_LITTLE_ENDIAN:
        order = "<"
    counts = np.frombuffer(payload, dtype=order + "u2", count=width * height)
    return counts.astype(np.uint16).reshape(height, width)


def embedded_visual(entry: FffEntry | None) -> bytes | None:
    """The visual JPEG of an EmbeddedImage record, None when absent or not a JPEG."""
    if entry is None or len(entry.record) < RECORD_HEADER_SIZE:
        return None
    payload = entry.record[RECORD_HEADER_SIZE:]
    return bytes(payload) if bytes(payload[:3]) == JPEG_SIGNATURE else None


def parse_measurement_info(record: memoryview, order: ByteOrder) -> tuple[MeasurementTool, ...]:
    """Parse a MeasurementInfo record; stops quietly at the first inconsistent tool.

    At most :data:`MAX_TOOLS` tools are read.
    """
    if len(record) < MEAS_HEADER_SIZE + 2:
        return ()
    order = _record_order(record, order)
    tools: list[MeasurementTool] = []
    pos, end = MEAS_HEADER_SIZE, len(record)
    while pos + MEAS_PARAMS_OFFSET <= end and len(tools) < MAX_TOOLS:
        length, _, coord_len, label_len = struct.unpack_from(order + "4H", record, pos)
        (code,) = struct.unpack_from(order + "H", record, pos + 0x0A)
        if length < MEAS_MIN_RECORD:  # the AX8 leaves it 0: params plus label
            length = MEAS_PARAMS_OFFSET + coord_len + label_len
        if length < MEAS_MIN_RECORD or pos + length > end:
            break
        label_start = pos + MEAS_PARAMS_OFFSET + coord_len
        if label_start > pos + length:
            break
        params = struct.unpack_from(f"{order}{coord_len // 2}h", record, pos + MEAS_PARAMS_OFFSET)
        label_bytes = bytes(record[label_start : pos + length])
        label = label_bytes[: len(label_bytes) // 2 * 2].decode(
            "utf-16-be" if order == ">" else "utf-16-le", "replace"
        )
        label = "".join(ch for ch in label.split("\0", 1)[0] if ch.isprintable())
        tools.append(
            MeasurementTool(kind=TOOL_KINDS.get(code, "other"), label=label, params=params)
        )
        pos += length
    return tuple(tools)
