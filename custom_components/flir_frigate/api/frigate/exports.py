"""Model of Frigate's exports (`GET /api/exports`, 0.13+) and what an export request sends.

An export is a recording span that Frigate copies into one MP4 under `/media/frigate/exports/`,
served by its nginx at `/exports/<file>` (with byte ranges: a static file). Up to 0.17 the body
chooses `playback` (`realtime` or `timelapse_25x`, 0.15+ also `source` and `name`); 0.18 dropped
`playback` and makes a timelapse through `POST /api/export/custom/...`, whose default ffmpeg
arguments are a timelapse. Export ids are `<camera>_<6 characters>` (0.15+); 0.13/0.14 answer
without one.
"""

import re
from dataclasses import dataclass
from typing import Final, Literal, Self

from .parsing import JsonObject, as_bool, as_float, as_str
from .paths import matching, validate_camera

type Playback = Literal["realtime", "timelapse"]

_EXPORT_ID_RE: Final = re.compile(r"^[A-Za-z0-9_-]{1,160}$")
_EXPORT_FILE_RE: Final = re.compile(r"^[A-Za-z0-9_:-][A-Za-z0-9_:.-]{0,254}\.mp4$")
EXPORT_DIRECTORY: Final = "/media/frigate/exports/"


def validate_export_id(export_id: str) -> str:
    """Return a valid export id, else raise ValueError."""
    return matching(export_id, _EXPORT_ID_RE, "Frigate export id")


def validate_export_file(name: str) -> str:
    """Return an export's file name (`<...>.mp4`, no directory, no `..`), else ValueError."""
    return matching(name, _EXPORT_FILE_RE, "Frigate export file name")


@dataclass(frozen=True, kw_only=True, slots=True)
class FrigateExport:
    """One export."""

    id: str
    camera: str
    name: str | None = None
    date: float | None = None  # start of the exported span (Unix time)
    in_progress: bool = False
    file: str | None = None  # the file name under /exports/, when it is Frigate's directory

    @classmethod
    def from_dict(cls, data: JsonObject) -> Self:
        """Parse a row; ValueError without a valid id and camera."""
        video_path = as_str(data.get("video_path")) or ""
        file: str | None = None
        if video_path.startswith(EXPORT_DIRECTORY):
            try:
                file = validate_export_file(video_path.removeprefix(EXPORT_DIRECTORY))
            except ValueError:
                file = None
        return cls(
            id=validate_export_id(str(data.get("id"))),
            camera=validate_camera(str(data.get("camera"))),
            name=as_str(data.get("name")),
            date=as_float(data.get("date")),
            in_progress=as_bool(data.get("in_progress")) is True,
            file=file,
        )


def export_body(minor: int, playback: Playback, name: str | None) -> dict[str, object]:
    """The JSON body of an export request for a Frigate 0.<minor> server."""
    body: dict[str, object] = {}
    if minor < 18:  # noqa: PLR2004
        body["playback"] = "timelapse_25x" if playback == "timelapse" else "realtime"
    if minor >= 15:  # noqa: PLR2004
        body["source"] = "recordings"
    if name is not None and minor >= 14:  # noqa: PLR2004
        body["name"] = name
    return body
