"""FLIR radiometric JPEG decoder: APP1 "FLIR" chunks -> FFF records -> raw counts, and a CLI.

A file comes from the network, so the decoder bounds what it spends by what a FLIR camera can
produce, before any decompression: the raw image by :data:`MAX_RAW_SIDE` (RawData header and PNG
IHDR), Pillow's work by handing it only the chunks that make the image, and the measurement
tools by :data:`MAX_TOOLS`. The walks over JPEG segments, FFF records and PNG chunks are
capped too (:data:`MAX_JPEG_STEPS`, :data:`MAX_FFF_RECORDS`, :data:`MAX_PNG_CHUNKS`), so a file
of tiny segments cannot keep the CPU busy for seconds. Everything else is a bounds-checked
view of the input. This module puts the pieces together (:func:`decode_rjpeg`); the container
walk is in :mod:`.rjpeg_container`, the record parsers in :mod:`.rjpeg_records` and the
command line (``python -m custom_components.flir_frigate.api.flir.rjpeg``) in
:mod:`.rjpeg_cli`. The names importers use are re-exported here.
"""

import struct
import sys
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .exceptions import FlirDecodeError
from .rjpeg_container import (
    MAX_FFF_RECORDS,
    MAX_JPEG_STEPS,
    REC_CAMERA_INFO,
    REC_EMBEDDED_IMAGE,
    REC_MEASUREMENT_INFO,
    REC_RAW_DATA,
    fff_blob,
    fff_directory,
    is_radiometric,
)
from .rjpeg_records import (
    MAX_PNG_CHUNKS,
    MAX_RAW_SIDE,
    MAX_TOOLS,
    MeasurementTool,
    decode_raw,
    embedded_visual,
    parse_camera_info,
    parse_measurement_info,
)
from .thermal import CameraInfo, ObjectParameters, raw_to_celsius

__all__ = [
    "MAX_FFF_RECORDS",
    "MAX_JPEG_STEPS",
    "MAX_PNG_CHUNKS",
    "MAX_RAW_SIDE",
    "MAX_TOOLS",
    "MeasurementTool",
    "RadiometricImage",
    "decode_rjpeg",
    "is_radiometric",
]


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


def decode_rjpeg(data: bytes) -> RadiometricImage:
    """Decode a FLIR radiometric JPEG; any problem raises FlirDecodeError."""
    try:
        fff = fff_blob(memoryview(data))
        order, entries = fff_directory(fff)
        raw_entry = entries.get(REC_RAW_DATA)
        camera_entry = entries.get(REC_CAMERA_INFO)
        if raw_entry is None:
            raise FlirDecodeError("no RawData record")
        if camera_entry is None:
            raise FlirDecodeError("no CameraInfo record")
        camera = parse_camera_info(camera_entry.record, order)
        meas_entry = entries.get(REC_MEASUREMENT_INFO)
        tools = () if meas_entry is None else parse_measurement_info(meas_entry.record, order)
        visual = embedded_visual(entries.get(REC_EMBEDDED_IMAGE))
        raw = decode_raw(raw_entry, order)  # last: the only large allocation
    except (struct.error, ValueError, IndexError, OverflowError, MemoryError) as err:
        raise FlirDecodeError(f"corrupt FLIR data: {err}") from err
    raw.flags.writeable = False
    height, width = raw.shape
    return RadiometricImage(
        width=width, height=height, raw=raw, camera=camera, visual_jpeg=visual, tools=tools
    )


if __name__ == "__main__":
    from .rjpeg_cli import main

    sys.exit(main())
