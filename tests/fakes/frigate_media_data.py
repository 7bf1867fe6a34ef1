"""Records, bulk and demo data of the fake Frigate's media (tests/fakes/frigate_media.py).

`FakeReview` and `FakeExport` are what the fake keeps of a review item and an export;
`add_many_events` adds thousands of finished events cheaply (one rendered image shared by all),
for the paging tests; `seed_demo` fills the standalone fake that scripts/develop starts.
"""

import datetime as dt
import string
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .frigate_media import FakeMedia
    from .frigate_server import FakeFrigateServer


@dataclass
class FakeReview:
    """A review segment."""

    id: str
    camera: str
    start_time: float
    end_time: float | None
    severity: str = "alert"
    objects: list[str] = field(default_factory=lambda: ["person"])
    zones: list[str] = field(default_factory=list)
    detections: list[str] = field(default_factory=list)
    reviewed: bool = False


@dataclass
class FakeExport:
    """An export and how it was asked for."""

    id: str
    camera: str
    name: str
    start: float
    end: float
    playback: str  # realtime or timelapse, as the fake understood the request
    ready_at: float
    body: dict[str, Any] = field(default_factory=dict)

    @property
    def file(self) -> str:
        """The export's file name under /exports/."""
        start = dt.datetime.fromtimestamp(self.start, dt.UTC).strftime("%Y%m%d_%H%M%S")
        end = dt.datetime.fromtimestamp(self.end, dt.UTC).strftime("%Y%m%d_%H%M%S")
        return f"{self.camera}_{start}-{end}_{self.id.rsplit('_', 1)[-1]}.mp4"


def add_many_events(
    server: FakeFrigateServer, count: int, *, span: float, now: float | None = None
) -> None:
    """`count` finished events over `span` seconds before now, every camera, label, zone in turn."""
    from .frigate_server import FakeEvent

    now = time.time() if now is None else now
    cameras = list(server.cameras.values())
    template = server.events[
        server.create_event(
            cameras[0].name, "person", in_progress=False, start_time=now - span - 10
        )
    ]
    for index in range(count):
        camera = cameras[index % len(cameras)]
        start = now - span * (index + 1) / (count + 1)
        event_id = f"{start:.6f}-b{index:05d}"
        server.events[event_id] = FakeEvent(
            id=event_id,
            camera=camera.name,
            label=camera.track[index % len(camera.track)],
            start_time=start,
            end_time=start + 12.0,
            zones=[camera.zones[index % len(camera.zones)]] if camera.zones and index % 3 else [],
            sub_label=None,
            score=0.8,
            top_score=0.85,
            has_clip=index % 7 != 0,
            has_snapshot=True,
            box=template.box,
            frame_size=template.frame_size,
            snapshot=template.snapshot,
            thumbnail=template.thumbnail,
        )


def seed_demo(media: FakeMedia) -> None:
    """Real clips, 26 hours of recordings, events and review items per camera, an export."""
    server = media.server
    media.real_clips = True
    now = time.time()
    media.record_recent(hours=26, now=now)
    for index, camera in enumerate(server.cameras.values()):
        label = camera.track[0] if camera.track else "person"
        zones = list(camera.zones[:1])
        for age in (1800, 5400, 90000):
            start = now - age - 60 * index
            server.create_event(
                camera.name, label, zones=zones, in_progress=False, start_time=start
            )
            media.add_review(camera.name, start, end=start + 20, objects=[label], zones=zones)
    first = next(iter(server.cameras), None)
    if first is not None and server.minor >= 14:
        suffix = "".join(media.random.choices(string.ascii_lowercase + string.digits, k=6))
        media.exports[f"{first}_{suffix}"] = FakeExport(
            id=f"{first}_{suffix}",
            camera=first,
            name="Demo export",
            start=now - 3600,
            end=now - 3300,
            playback="realtime",
            ready_at=0.0,
        )
