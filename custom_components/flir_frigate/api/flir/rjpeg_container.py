"""The radiometric JPEG's container: JPEG segments, APP1 "FLIR" chunks, the FFF directory.

A FLIR radiometric JPEG is an ordinary JPEG whose APP1 "FLIR" segments, put together, form
an FFF file: a header, then a directory of typed records (raw counts, camera calibration,
embedded visual image, measurement tools). This module walks that container, bounds-checked
and with capped walks (:data:`MAX_JPEG_STEPS`, :data:`MAX_FFF_RECORDS`), and hands out each
wanted record as a view of the input without reading it. It exists apart from the record
parsers (:mod:`.rjpeg_records`) because it is a different layer: it only finds the records,
whatever they hold, and :func:`is_radiometric` needs nothing but its segment walk.
"""

import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from .exceptions import FlirDecodeError

if TYPE_CHECKING:
    from collections.abc import Iterator

MAX_JPEG_STEPS: Final = 1024
"""Markers (and fill bytes) walked before the image data. A JPEG header holds a few dozen
segments plus at most 256 FLIR APP1 chunks (the chunk index is one byte)."""
MAX_FFF_RECORDS: Final = 1024
"""Entries of the FFF record directory; FLIR files list about 14."""

APP1: Final = 0xE1
FLIR_MAGIC: Final = b"FLIR\0"
CHUNK_HEADER: Final = 8  # "FLIR\0", 0x01, chunk index, last chunk index
FFF_MAGICS: Final = (b"FFF\0", b"AFF\0")
FFF_HEADER_SIZE: Final = 0x40
DIR_ENTRY_SIZE: Final = 0x20

REC_RAW_DATA: Final = 0x01
REC_EMBEDDED_IMAGE: Final = 0x0E
REC_CAMERA_INFO: Final = 0x20
REC_MEASUREMENT_INFO: Final = 0x21

type ByteOrder = str  # struct byte-order prefix, ">" or "<"

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


def fff_blob(data: memoryview) -> memoryview:
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


@dataclass(frozen=True, kw_only=True)
class FffEntry:
    """One record found in the FFF directory: its subtype and a view of its bytes."""

    subtype: int
    record: memoryview


def fff_directory(fff: memoryview) -> tuple[ByteOrder, dict[int, FffEntry]]:
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
    entries: dict[int, FffEntry] = {}
    table = fff[offset : offset + count * DIR_ENTRY_SIZE]
    for rtype, subtype, _ver, _id, start, length, *_ in struct.iter_unpack(order + "2H7I", table):
        if rtype not in wanted or rtype in entries:
            continue
        if start > len(fff) or length > len(fff) - start:
            raise FlirDecodeError(f"FFF record 0x{rtype:02X} lies outside the FLIR data")
        entries[rtype] = FffEntry(subtype=subtype, record=fff[start : start + length])
    return order, entries
