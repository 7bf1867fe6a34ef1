"""FLIR radiometric JPEG decoder: APP1 "FLIR" chunks -> FFF records -> raw counts, and a CLI.

A file comes from the network, so the decoder bounds what it spends by what a FLIR camera can
produce, before any decompression: the raw image by :data:`MAX_RAW_SIDE` (RawData header and PNG
IHDR), Pillow's work by handing it only the chunks that make the image, and the measurement
tools by :data:`MAX_TOOLS`. The walks over JPEG segments, FFF records and PNG chunks are
capped too (:data:`MAX_JPEG_STEPS`, :data:`MAX_FFF_RECORDS`, :data:`MAX_PNG_CHUNKS`), so a file
of tiny segments cannot keep the CPU busy for seconds. Everything else is a bounds-checked
view of the input.
"""

import argparse
import json
import math
import struct
import sys
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt
from PIL import Image

from .exceptions import FlirDecodeError
from .measure import frame_stats
from .thermal import KELVIN, CameraInfo, ObjectParameters, raw_to_celsius

if TYPE_CHECKING:
    from collections.abc import Iterator

MAX_RAW_SIDE: Final = 2048
"""Largest raw width or height accepted. FLIR radiometric sensors top out at 1280x1024 (the
A-series at 640x480, the Ax8 at 80x60); 2048 leaves margin for any of them, and at most
2048x2048 pixels the raw counts take 8 MiB and the temperatures 32 MiB."""
MAX_PIXELS: Final = MAX_RAW_SIDE * MAX_RAW_SIDE
MAX_TOOLS: Final = 64
"""Measurement tools kept from a file; cameras hold a few dozen at most (10 spots, 10 boxes,
deltas and lines on the A-series), so the rest of a longer list is ignored."""
MAX_JPEG_STEPS: Final = 1024
"""Markers (and fill bytes) walked before the image data. A JPEG header holds a few dozen
segments plus at most 256 FLIR APP1 chunks (the chunk index is one byte)."""
MAX_FFF_RECORDS: Final = 1024
"""Entries of the FFF record directory; FLIR files list about 14."""
MAX_PNG_CHUNKS: Final = 16384
"""Chunks of the raw PNG; 2048x2048 16-bit data in libpng's 8 KiB IDAT chunks needs 1024."""

APP1: Final = 0xE1
FLIR_MAGIC: Final = b"FLIR\0"
CHUNK_HEADER: Final = 8  # "FLIR\0", 0x01, chunk index, last chunk index
FFF_MAGICS: Final = (b"FFF\0", b"AFF\0")
FFF_HEADER_SIZE: Final = 0x40
DIR_ENTRY_SIZE: Final = 0x20
RECORD_HEADER_SIZE: Final = 0x20  # RawData and EmbeddedImage: int16[16] before the payload
PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
PNG_IMAGE_CHUNKS: Final = frozenset((b"IHDR", b"PLTE", b"IDAT", b"IEND"))
PNG_IHDR_SIZE: Final = 13
JPEG_SIGNATURE: Final = b"\xff\xd8\xff"

REC_RAW_DATA: Final = 0x01
REC_EMBEDDED_IMAGE: Final = 0x0E
REC_CAMERA_INFO: Final = 0x20
REC_MEASUREMENT_INFO: Final = 0x21
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

type _Order = str  # struct byte-order prefix, ">" or "<"


@dataclass(frozen=True, kw_only=True)
class MeasurementTool:
    """A measurement tool drawn on the camera: params per FLIR (spot X,Y; box X,Y,W,H; ...)."""

    kind: str
    label: str
    params: tuple[int, ...]


@dataclass(frozen=True, kw_only=True, eq=False)
class RadiometricImage:
    """A decoded radiometric JPEG: raw counts (height x width, uint16) and calibration."""

    width: int
    height: int
    raw: npt.NDArray[np.uint16]
    camera: CameraInfo
    visual_jpeg: bytes | None
    tools: tuple[MeasurementTool, ...]

    def temperatures(self, params: ObjectParameters | None = None) -> npt.NDArray[np.float64]:
        """Return degrees C per pixel, with the camera's object parameters unless overridden."""
        return raw_to_celsius(self.raw, self.camera, params)


_MARKER: Final = 0xFF
_END_OF_HEADERS: Final = (0xD9, 0xDA)  # EOI, SOS
_STANDALONE: Final = frozenset((0x01, *range(0xD0, 0xD8)))  # TEM, RSTn: no length
_INVALID: Final = (0x00, 0xD8)  # stuffed zero, second SOI


def _segment_end(data: memoryview, pos: int) -> int:
    """End offset of the length-prefixed segment whose marker is at pos."""
    if pos + 4 > len(data):
        raise FlirDecodeError("JPEG truncated in a segment header")
    end = pos + 2 + ((data[pos + 2] << 8) | data[pos + 3])
    if end < pos + 4 or end > len(data):
        raise FlirDecodeError(f"JPEG segment at offset {pos} is truncated or malformed")
    return end


def _segments(data: memoryview) -> Iterator[tuple[int, memoryview]]:
    """Yield (marker, payload) of each JPEG segment before the image data."""
    if bytes(data[:2]) != b"\xff\xd8":
        raise FlirDecodeError("not a JPEG file")
    pos = 2
    for _step in range(MAX_JPEG_STEPS):
        if pos + 2 > len(data):
            raise FlirDecodeError("JPEG truncated before the image data")
        if data[pos] != _MARKER:
            raise FlirDecodeError(f"corrupt JPEG: no marker at offset {pos}")
        marker = data[pos + 1]
        if marker == _MARKER:  # fill byte
            pos += 1
        elif marker in _END_OF_HEADERS:
            return
        elif marker in _STANDALONE:
            pos += 2
        elif marker in _INVALID:
            raise FlirDecodeError(f"corrupt JPEG: marker 0x{marker:02X} at offset {pos}")
        else:
            end = _segment_end(data, pos)
            yield marker, data[pos + 4 : end]
            pos = end
    raise FlirDecodeError(f"corrupt JPEG: more than {MAX_JPEG_STEPS} markers before the image data")


def _flir_chunk(marker: int, payload: memoryview) -> bool:
    return marker == APP1 and bytes(payload[:5]) == FLIR_MAGIC


def is_radiometric(data: bytes) -> bool:
    """Whether data is a JPEG with a FLIR FFF APP1 segment (segment walk only, no decoding)."""
    try:
        for marker, payload in _segments(memoryview(data)):
            if (
                _flir_chunk(marker, payload)
                and len(payload) >= CHUNK_HEADER + 4
                and payload[6] == 0
                and bytes(payload[CHUNK_HEADER : CHUNK_HEADER + 4]) in FFF_MAGICS
            ):
                return True
    except FlirDecodeError:
        return False
    return False


def _chunks(data: memoryview) -> tuple[dict[int, memoryview], int | None]:
    """Collect the APP1 "FLIR" chunk payloads by index, and the declared last index."""
    chunks: dict[int, memoryview] = {}
    last: int | None = None
    for marker, payload in _segments(data):
        if not _flir_chunk(marker, payload):
            continue
        if len(payload) < CHUNK_HEADER:
            raise FlirDecodeError("FLIR APP1 segment too short")
        index, last_index = payload[6], payload[7]
        if last is None:
            last = last_index
        elif last_index != last:
            raise FlirDecodeError("FLIR APP1 chunks disagree on the chunk count")
        if index > last_index:
            raise FlirDecodeError(f"FLIR APP1 chunk {index} beyond the last chunk {last_index}")
        if index in chunks:
            raise FlirDecodeError(f"duplicate FLIR APP1 chunk {index}")
        chunks[index] = payload[CHUNK_HEADER:]
    return chunks, last


def _fff_blob(data: memoryview) -> memoryview:
    """Reassemble the FFF file from the APP1 "FLIR" chunks."""
    chunks, last = _chunks(data)
    if last is None:
        raise FlirDecodeError("no FLIR APP1 data: not a radiometric JPEG")
    if len(chunks) != last + 1:
        missing = sorted(set(range(last + 1)) - chunks.keys())
        raise FlirDecodeError(f"missing FLIR APP1 chunk(s) {missing}")
    if last == 0:
        return chunks[0]
    return memoryview(b"".join(chunks[i] for i in range(last + 1)))


def _toggle(order: _Order) -> _Order:
    return "<" if order == ">" else ">"


def _record_order(record: memoryview, order: _Order) -> _Order:
    """Byte order of a record: its int16 marker (2 or 3, or 1) reads >= 0x100 when swapped."""
    (marker,) = struct.unpack_from(order + "H", record, 0)
    return _toggle(order) if marker >= 0x100 else order  # noqa: PLR2004


@dataclass(frozen=True, kw_only=True)
class _Entry:
    subtype: int
    record: memoryview


def _directory(fff: memoryview) -> tuple[_Order, dict[int, _Entry]]:
    """Parse the FFF header and directory: first record of each type, bounds-checked."""
    if len(fff) < FFF_HEADER_SIZE or bytes(fff[:4]) not in FFF_MAGICS:
        raise FlirDecodeError("FLIR APP1 data is not an FFF file (DJI or other format?)")
    for order in (">", "<"):
        version, offset, count = struct.unpack_from(order + "3I", fff, 0x14)
        if 100 <= version < 200:  # noqa: PLR2004
            break
    else:
        raise FlirDecodeError("unsupported FFF version")
    if offset > len(fff) or count > (len(fff) - offset) // DIR_ENTRY_SIZE:
        raise FlirDecodeError("FFF record directory lies outside the FLIR data")
    if count > MAX_FFF_RECORDS:
        raise FlirDecodeError(
            f"FFF record directory lists {count} records (over {MAX_FFF_RECORDS})"
        )
    wanted = (REC_RAW_DATA, REC_EMBEDDED_IMAGE, REC_CAMERA_INFO, REC_MEASUREMENT_INFO)
    entries: dict[int, _Entry] = {}
    table = fff[offset : offset + count * DIR_ENTRY_SIZE]
    for rtype, subtype, _ver, _id, start, length, *_ in struct.iter_unpack(order + "2H7I", table):
        if rtype not in wanted or rtype in entries:
            continue
        if start > len(fff) or length > len(fff) - start:
            raise FlirDecodeError(f"FFF record 0x{rtype:02X} lies outside the FLIR data")
        entries[rtype] = _Entry(subtype=subtype, record=fff[start : start + length])
    return order, entries


def _cstring(record: memoryview, offset: int, size: int) -> str:
    raw = bytes(record[offset : offset + size]).split(b"\0", 1)[0]
    return "".join(ch for ch in raw.decode("utf-8", "replace") if ch.isprintable()).strip()


def parse_camera_info(record: memoryview, order: _Order) -> CameraInfo:
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


def _raw_size(record: memoryview, order: _Order) -> tuple[_Order, int, int]:
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


def _decode_raw(entry: _Entry, order: _Order) -> npt.NDArray[np.uint16]:
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


def _visual(entry: _Entry | None) -> bytes | None:
    if entry is None or len(entry.record) < RECORD_HEADER_SIZE:
        return None
    payload = entry.record[RECORD_HEADER_SIZE:]
    return bytes(payload) if bytes(payload[:3]) == JPEG_SIGNATURE else None


def parse_measurement_info(record: memoryview, order: _Order) -> tuple[MeasurementTool, ...]:
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


def decode_rjpeg(data: bytes) -> RadiometricImage:
    """Decode a FLIR radiometric JPEG; any problem raises FlirDecodeError."""
    try:
        fff = _fff_blob(memoryview(data))
        order, entries = _directory(fff)
        raw_entry = entries.get(REC_RAW_DATA)
        camera_entry = entries.get(REC_CAMERA_INFO)
        if raw_entry is None:
            raise FlirDecodeError("no RawData record")
        if camera_entry is None:
            raise FlirDecodeError("no CameraInfo record")
        camera = parse_camera_info(camera_entry.record, order)
        meas_entry = entries.get(REC_MEASUREMENT_INFO)
        tools = () if meas_entry is None else parse_measurement_info(meas_entry.record, order)
        visual = _visual(entries.get(REC_EMBEDDED_IMAGE))
        raw = _decode_raw(raw_entry, order)  # last: the only large allocation
    except (struct.error, ValueError, IndexError, OverflowError, MemoryError) as err:
        raise FlirDecodeError(f"corrupt FLIR data: {err}") from err
    raw.flags.writeable = False
    height, width = raw.shape
    return RadiometricImage(
        width=width, height=height, raw=raw, camera=camera, visual_jpeg=visual, tools=tools
    )


def _summary(image: RadiometricImage) -> dict[str, Any]:
    temps = image.temperatures()
    stats = frame_stats(temps)

    def num(value: float) -> float | None:
        return None if math.isnan(value) else value

    return {
        "model": image.camera.model,
        "serial": image.camera.serial,
        "width": image.width,
        "height": image.height,
        "min": num(stats.min),
        "max": num(stats.max),
        "mean": num(stats.mean),
        "centre": num(float(temps[image.height // 2, image.width // 2])),
        "p00": num(float(temps[0, 0])),
        "tools": [
            {"kind": tool.kind, "label": tool.label, "params": list(tool.params)}
            for tool in image.tools
        ],
    }


def _text(name: str, summary: dict[str, Any]) -> str:
    def deg(key: str) -> str:
        value = summary[key]
        return "n/a" if value is None else f"{value:.2f} °C"

    lines = [
        (
            f"{name}: {summary['model'] or '?'} serial {summary['serial'] or '?'}, "
            f"{summary['width']}x{summary['height']}"
        ),
        f"  min {deg('min')}, max {deg('max')}, mean {deg('mean')}",
        f"  centre {deg('centre')}, [0,0] {deg('p00')}",
    ]
    lines += [
        f"  tool {tool['kind']} {tool['label']!r} {' '.join(map(str, tool['params']))}"
        for tool in summary["tools"]
    ] or ["  no measurement tools"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print what a radiometric JPEG holds; exit status 1 when any file failed."""
    parser = argparse.ArgumentParser(
        prog="python -m custom_components.flir_frigate.api.flir.rjpeg",
        description="Decode FLIR radiometric JPEGs and print temperatures in degrees C.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    args = parser.parse_args(argv)
    status = 0
    for name in args.files:
        try:
            summary = _summary(decode_rjpeg(Path(name).read_bytes()))
        except (OSError, FlirDecodeError) as err:
            status = 1
            if args.json:
                print(json.dumps({"file": name, "error": str(err)}))  # noqa: T201
            else:
                print(f"{name}: error: {err}", file=sys.stderr)  # noqa: T201
            continue
        if args.json:
            print(json.dumps({"file": name, **summary}))  # noqa: T201
        else:
            print(_text(name, summary))  # noqa: T201
    return status


if __name__ == "__main__":
    sys.exit(main())
