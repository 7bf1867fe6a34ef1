"""Media and actions of the fake Frigate server: recordings, HLS, review items, exports, roles.

Hooked into `FakeFrigateServer` (`server.media`), modelled on Frigate's own handlers per tag:
- `/api/<camera>/recordings/summary?timezone=` (frigate/api/media.py): per day `{day, events,
  hours: [{hour, events, motion, objects, duration}]}`; up to 0.16 every row is shifted by the
  zone's offset of *today* (`get_tz_modifiers`), from 0.17 by the offset in force at the time
  (`get_dst_transitions`), so a daylight-saving day differs between the two.
- `/vod/<camera>/start/<s>/end/<e>/index.m3u8` and its files (nginx's vod module, fMP4
  segments), 404 without recordings in the span; `/api/<camera>/start/<s>/end/<e>/clip.mp4`.
- `/api/review` and `POST /api/reviews/viewed` (0.14+), review thumbnails under `/clips/review/`;
  `/api/review/summary?timezone=` (frigate/api/review.py): `{"last24Hours": {...}, "<day>":
  {day, reviewed_alert, reviewed_detection, total_alert, total_detection}}`, 0.14/0.15 also
  `*_motion`; up to 0.16 the last 30 days with today's offset, from 0.17 every day, DST-aware.
- `ui.timezone` in `/api/config` (0.12+, `ui_timezone`; None: unset, the UI uses the viewer's).
- `/api/exports`, `POST /api/export/<camera>/start/<s>/end/<e>` (body `playback` up to 0.17,
  `source`/`name` from 0.15; 0.18 ignores `playback`, its timelapse is `/api/export/custom/...`),
  export files under `/exports/` (static: byte ranges as aiohttp's FileResponse serves them).
- `POST`/`DELETE /api/events/<id>/retain`.
- Roles (frigate/api/auth.py): from 0.16 a `viewer` gets 403 on admin endpoints (creating, ending
  and retaining events, exports up to 0.17); from 0.17 a custom role limited to some cameras gets
  403 for the others' media and sees only their review items.
Clips are real H.264 files (tests/fixtures/media, made with ffmpeg's test source) when
`real_clips` is on, so a browser can play them.
"""

import datetime as dt
import json
import random
import string
import time
import zoneinfo
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web
from PIL import Image, ImageDraw

from .frigate_media_data import FakeExport, FakeReview, add_many_events, seed_demo

if TYPE_CHECKING:
    from .frigate_server import FakeEvent, FakeFrigateServer, Handler

FIXTURES = Path(__file__).parent.parent / "fixtures" / "media"
CLIP_FILE = FIXTURES / "clip.mp4"
VOD_FILES = {"init-v1.mp4": "video/mp4", "seg-1-v1.m4s": "video/iso.segment"}
VOD_FILES["seg-2-v1.m4s"] = "video/iso.segment"
SEGMENT_SECONDS = 1.0
_ADMIN_ONLY_WRITES = ("/create", "/end", "/retain")


def _json(data: Any, status: int = 200) -> web.Response:
    return web.Response(
        text=json.dumps(data),
        status=status,
        content_type="application/json",
        headers={"Cache-Control": "no-store"},
    )


def _float(raw: str | None) -> float | None:
    try:
        return None if raw is None else float(raw)
    except ValueError:
        return None


class FakeMedia:
    """The media state and handlers of one fake server."""

    def __init__(self, server: FakeFrigateServer) -> None:
        """No recordings, reviews or exports yet; clips are the fake's MP4-shaped bytes."""
        self.server = server
        self.real_clips = False
        self.export_delay = 0.0
        self.recordings: dict[str, list[tuple[float, float]]] = defaultdict(list)
        self.reviews: dict[str, FakeReview] = {}
        self.exports: dict[str, FakeExport] = {}
        self.random = random.Random(7)
        self.ui_timezone: str | None = None
        self._thumb: bytes | None = None

    # -------------------------------------------------------------- test hooks

    def add_recording(self, camera: str, start: float, end: float) -> None:
        """Record `camera` from `start` to `end` (Unix times)."""
        self.recordings[camera].append((start, end))

    def record_recent(self, hours: float = 30.0, now: float | None = None) -> None:
        """Every camera records continuously over the last `hours`."""
        now = time.time() if now is None else now
        for camera in self.server.cameras:
            self.add_recording(camera, now - hours * 3600, now)

    def add_review(
        self, camera: str, start: float, *, end: float | None = None, **fields: Any
    ) -> str:
        """Add a review item; its id (same form as an event id)."""
        suffix = "".join(self.random.choices(string.ascii_lowercase + string.digits, k=6))
        review_id = f"{start:.6f}-{suffix}"
        self.reviews[review_id] = FakeReview(review_id, camera, start, end, **fields)
        return review_id

    def add_events(self, count: int, *, span: float = 40 * 86400, now: float | None = None) -> None:
        """Add `count` finished events spread over `span` seconds before now (cheaply)."""
        add_many_events(self.server, count, span=span, now=now)

    def demo(self) -> None:
        """For scripts/develop: real clips, a day of recordings, review items, an export."""
        seed_demo(self)

    def clip_body(self, event_id: str, fallback: bytes) -> bytes:
        """The clip an event serves: the real H.264 file when `real_clips`, else `fallback`."""
        del event_id
        return CLIP_FILE.read_bytes() if self.real_clips else fallback

    def global_config(self) -> dict[str, Any]:
        """The `ui` section of `/api/config` (0.12+), merged one level deep."""
        if self.server.minor < 12:
            return {}
        ui: dict[str, Any] = {"timezone": self.ui_timezone, "time_format": "browser"}
        if self.server.minor >= 15:
            ui["unit_system"] = "metric"
        return {"ui": ui}

    # -------------------------------------------------------------- routes and roles

    def add_routes(self, router: web.UrlDispatcher) -> None:
        """Register the media routes (before the server's `/api/{camera}` catch-alls)."""
        server = self.server
        router.add_get("/api/{camera}/recordings/summary", self._recordings_summary)
        router.add_get("/api/{camera}/start/{start}/end/{end}/clip.mp4", self._recording_clip)
        router.add_get("/vod/{camera}/start/{start}/end/{end}/{file}", self._vod)
        router.add_route("POST", "/api/events/{id}/retain", self._retain)
        router.add_route("DELETE", "/api/events/{id}/retain", self._retain)
        if server.minor >= 13:
            router.add_post("/api/export/{camera}/start/{start}/end/{end}", self._export)
        if server.minor >= 14:
            router.add_get("/api/review", self._review)
            router.add_get("/api/review/summary", self._review_summary)
            router.add_post("/api/reviews/viewed", self._viewed)
            router.add_get("/api/exports", self._exports)
            router.add_get("/exports/{file}", self._export_file)
            router.add_get("/clips/review/{file}", self._review_thumb)
        if server.minor >= 18:
            router.add_post("/api/export/custom/{camera}/start/{start}/end/{end}", self._export)

    def role(self, request: web.Request) -> str:
        """The role of the request's user: admin on the internal port."""
        server = self.server
        if server.auth != "login" or server.minor < 16:
            return "admin"
        claims = server._token_claims(request)
        return str(claims.get("role", "viewer")) if claims else "admin"

    def allowed(self, request: web.Request, camera: str) -> bool:
        """Whether the user's role may see `camera` (0.17 custom roles)."""
        role = self.role(request)
        if role == "admin" or self.server.minor < 17:
            return True
        return camera in self.server._allowed_cameras(role)

    @web.middleware
    async def role_middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """403 for what a viewer may not do (`require_role(["admin"])`)."""
        path = request.path
        admin_only = request.method in ("POST", "PUT", "DELETE") and (
            path.endswith(_ADMIN_ONLY_WRITES)
            or (path.startswith("/api/export/") and self.server.minor < 18)
        )
        if admin_only and self.role(request) != "admin":
            return _json({"detail": "Forbidden"}, status=403)
        return await handler(request)

    def _forbidden_camera(self, request: web.Request, camera: str) -> web.Response | None:
        if self.allowed(request, camera):
            return None
        return _json({"success": False, "message": "Access denied to camera"}, status=403)

    # -------------------------------------------------------------- recordings

    def _covered(self, camera: str, start: float, end: float) -> float:
        """Seconds recorded by `camera` between start and end."""
        return sum(
            max(0.0, min(end, last) - max(start, first))
            for first, last in self.recordings.get(camera, ())
        )

    async def _recordings_summary(self, request: web.Request) -> web.Response:
        camera = request.match_info["camera"]
        if (denied := self._forbidden_camera(request, camera)) is not None:
            return denied
        zone = self._zone(request)
        # Grouped per UTC offset too: 0.17's DST periods list a repeated hour twice.
        buckets: dict[tuple[str, str, str], float] = defaultdict(float)
        for first, last in self.recordings.get(camera, ()):
            moment = first - first % SEGMENT_SECONDS
            step = 600.0
            while moment < last:
                local = dt.datetime.fromtimestamp(moment, zone)
                key = (local.strftime("%Y-%m-%d"), local.strftime("%H"), local.strftime("%z"))
                buckets[key] += min(step, last - moment)
                moment += step
        events: dict[tuple[str, str], int] = defaultdict(int)
        for event in self.server.events.values():
            if event.camera == camera and event.has_clip:
                local = dt.datetime.fromtimestamp(event.start_time, zone)
                events[local.strftime("%Y-%m-%d"), local.strftime("%H")] += 1
        days: dict[str, dict[str, Any]] = {}
        for (day, hour, _offset), duration in sorted(buckets.items(), reverse=True):
            row = days.setdefault(day, {"events": 0, "hours": [], "day": day})
            count = events.pop((day, hour), 0)
            row["events"] += count
            row["hours"].append(
                {
                    "hour": hour,
                    "events": count,
                    "motion": 120,
                    "objects": 3,
                    "duration": round(duration),
                }
            )
        return _json(list(days.values()))

    def _zone(self, request: web.Request) -> dt.tzinfo:
        """The `timezone` asked for: from 0.17 its rules, before it today's offset for all."""
        name = request.query.get("timezone", "utc")
        try:
            zone: dt.tzinfo = dt.UTC if name == "utc" else zoneinfo.ZoneInfo(name)
        except zoneinfo.ZoneInfoNotFoundError, ValueError:
            zone = dt.UTC
        if self.server.minor < 17:  # get_tz_modifiers: today's offset for every row
            offset = dt.datetime.now(zone).utcoffset() or dt.timedelta()
            zone = dt.timezone(offset)
        return zone

    def _span(self, request: web.Request) -> tuple[str, float, float] | None:
        camera = request.match_info["camera"]
        start, end = _float(request.match_info["start"]), _float(request.match_info["end"])
        if camera not in self.server.cameras or start is None or end is None:
            return None
        if self._covered(camera, start, end) <= 0:
            return None
        return camera, start, end

    async def _recording_clip(self, request: web.Request) -> web.StreamResponse:
        from .frigate_server import _ranged_mp4, _streamed_mp4, fake_mp4

        camera = request.match_info["camera"]
        if (denied := self._forbidden_camera(request, camera)) is not None:
            return denied
        if self._span(request) is None:
            return _json({"success": False, "message": "No recordings found."}, status=404)
        body = self.clip_body(camera, fake_mp4(f"{camera}-recording"))
        if self.server.minor < 15:
            return _ranged_mp4(request, body)
        return await _streamed_mp4(request, body)

    async def _vod(self, request: web.Request) -> web.StreamResponse:
        camera = request.match_info["camera"]
        if (denied := self._forbidden_camera(request, camera)) is not None:
            return denied
        file = request.match_info["file"]
        if self._span(request) is None or (file != "index.m3u8" and file not in VOD_FILES):
            return web.Response(
                status=404, text="<html>404 Not Found</html>", content_type="text/html"
            )
        if file == "index.m3u8":
            lines = [
                "#EXTM3U",
                "#EXT-X-TARGETDURATION:1",
                "#EXT-X-ALLOW-CACHE:YES",
                "#EXT-X-PLAYLIST-TYPE:VOD",
                "#EXT-X-VERSION:6",
                "#EXT-X-MEDIA-SEQUENCE:1",
                '#EXT-X-MAP:URI="init-v1.mp4"',
                "#EXTINF:1.000,",
                "seg-1-v1.m4s",
                "#EXTINF:1.000,",
                "seg-2-v1.m4s",
                "#EXT-X-ENDLIST",
                "",
            ]
            return web.Response(text="\n".join(lines), content_type="application/vnd.apple.mpegurl")
        return web.FileResponse(FIXTURES / file, headers={"Content-Type": VOD_FILES[file]})

    # -------------------------------------------------------------- events

    async def _retain(self, request: web.Request) -> web.Response:
        event_id = request.match_info["id"]
        event: FakeEvent | None = self.server.events.get(event_id)
        if event is None:
            return _json({"success": False, "message": f"Event {event_id} not found"}, 404)
        event.retain = request.method == "POST"
        verb = "retained" if event.retain else "un-retained"
        return _json({"success": True, "message": f"Event {event_id} {verb}"})

    # -------------------------------------------------------------- review

    def _review_row(self, review: FakeReview) -> dict[str, Any]:
        data: dict[str, Any] = {
            "detections": review.detections,
            "objects": review.objects,
            "sub_labels": [],
            "zones": review.zones,
            "audio": [],
        }
        if self.server.minor >= 15:
            data["significant_motion_areas"] = []
        return {
            "id": review.id,
            "camera": review.camera,
            "start_time": review.start_time,
            "end_time": review.end_time,
            "has_been_reviewed": review.reviewed,
            "severity": review.severity,
            "thumb_path": f"/media/frigate/clips/review/thumb-{review.camera}-{review.id}.webp",
            "data": data,
        }

    async def _review(self, request: web.Request) -> web.Response:
        query = request.query
        cameras = query.get("cameras", "all")
        wanted = None if cameras == "all" else set(cameras.split(","))
        after, before = _float(query.get("after")), _float(query.get("before"))
        severity = query.get("severity")
        try:
            limit = int(query.get("limit", "10000"))
        except ValueError:
            return _json({"detail": [{"loc": ["query", "limit"]}]}, status=422)
        rows = [
            review
            for review in self.reviews.values()
            if (wanted is None or review.camera in wanted)
            and self.allowed(request, review.camera)
            and (after is None or review.start_time > after)
            and (before is None or review.start_time < before)
            and (severity is None or review.severity == severity)
        ]
        rows.sort(key=lambda review: review.start_time, reverse=True)
        return _json([self._review_row(review) for review in rows[:limit]])

    async def _review_summary(self, request: web.Request) -> web.Response:
        zone, now = self._zone(request), time.time()
        keys = ("alert", "detection", *(("motion",) if self.server.minor < 16 else ()))

        def counts(reviews: list[FakeReview]) -> dict[str, int]:
            row = {f"total_{key}": 0 for key in keys} | {f"reviewed_{key}": 0 for key in keys}
            for review in reviews:
                key = "motion" if review.severity == "significant_motion" else review.severity
                if key in keys:
                    row[f"total_{key}"] += 1
                    row[f"reviewed_{key}"] += int(review.reviewed)
            return row

        allowed = [r for r in self.reviews.values() if self.allowed(request, r.camera)]
        data: dict[str, Any] = {
            "last24Hours": counts([r for r in allowed if r.start_time > now - 86400])
        }
        if self.server.minor < 17:  # month_ago
            allowed = [r for r in allowed if r.start_time > now - 30 * 86400]
        by_day: dict[str, list[FakeReview]] = defaultdict(list)
        for review in sorted(allowed, key=lambda r: r.start_time, reverse=True):
            by_day[dt.datetime.fromtimestamp(review.start_time, zone).strftime("%Y-%m-%d")].append(
                review
            )
        for day, reviews in by_day.items():
            data[day] = {"day": day} | counts(reviews)
        return _json(data)

    async def _viewed(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
        except ValueError:
            body = None
        ids = body.get("ids") if isinstance(body, dict) else None
        if not isinstance(ids, list) or not ids:
            return _json({"success": False, "message": "Not a valid list of ids"}, status=400)
        for review_id in ids:
            if (review := self.reviews.get(review_id)) is not None:
                review.reviewed = True
        return _json({"success": True, "message": "Reviewed multiple items"})

    async def _review_thumb(self, request: web.Request) -> web.Response:
        name = request.match_info["file"]
        for review in self.reviews.values():
            if name == f"thumb-{review.camera}-{review.id}.webp":
                return web.Response(body=self._thumbnail(), content_type="image/webp")
        return web.Response(status=404, text="<html>404 Not Found</html>", content_type="text/html")

    def _thumbnail(self) -> bytes:
        if self._thumb is None:
            image = Image.new("RGB", (240, 135), (40, 60, 90))
            ImageDraw.Draw(image).rectangle((90, 30, 150, 120), fill=(200, 180, 60))
            from io import BytesIO

            buffer = BytesIO()
            image.save(buffer, "WEBP")
            self._thumb = buffer.getvalue()
        return self._thumb

    # -------------------------------------------------------------- exports

    async def _export(self, request: web.Request) -> web.Response:
        camera = request.match_info["camera"]
        if camera not in self.server.cameras:
            message = f"{camera} is not a valid camera."
            return _json({"success": False, "message": message}, status=404)
        if (denied := self._forbidden_camera(request, camera)) is not None:
            return denied
        try:
            body = await request.json() if request.can_read_body else {}
        except ValueError:
            body = {}
        body = body if isinstance(body, dict) else {}
        start, end = _float(request.match_info["start"]), _float(request.match_info["end"])
        if start is None or end is None:
            return _json({"detail": [{"loc": ["path", "start_time"]}]}, status=422)
        if self._covered(camera, start, end) <= 0:
            message = "No recordings found for time range"
            return _json({"success": False, "message": message}, status=400)
        custom = "/export/custom/" in request.path
        if self.server.minor >= 18:
            playback = "timelapse" if custom else "realtime"  # `playback` is ignored
        else:
            playback = "timelapse" if body.get("playback") == "timelapse_25x" else "realtime"
        suffix = "".join(self.random.choices(string.ascii_lowercase + string.digits, k=6))
        export_id = f"{camera}_{suffix}"
        name = body.get("name") if self.server.minor >= 14 else None
        self.exports[export_id] = FakeExport(
            id=export_id,
            camera=camera,
            name=str(name or f"{camera} export"),
            start=start,
            end=end,
            playback=playback,
            ready_at=time.time() + self.export_delay,
            body=body,
        )
        answer: dict[str, Any] = {"success": True, "message": "Starting export of recording."}
        if self.server.minor >= 15:
            answer["export_id"] = export_id
        return _json(answer)

    async def _exports(self, request: web.Request) -> web.Response:
        rows = []
        for export in sorted(self.exports.values(), key=lambda e: e.start, reverse=True):
            if not self.allowed(request, export.camera):
                continue
            row: dict[str, Any] = {
                "id": export.id,
                "camera": export.camera,
                "name": export.name,
                "date": export.start,
                "video_path": f"/media/frigate/exports/{export.file}",
                "thumb_path": f"/media/frigate/clips/export/{export.id}.webp",
                "in_progress": time.time() < export.ready_at,
            }
            if self.server.minor >= 18:
                row["export_case"] = None
            rows.append(row)
        return _json(rows)

    async def _export_file(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["file"]
        if not any(export.file == name for export in self.exports.values()):
            return web.Response(
                status=404, text="<html>404 Not Found</html>", content_type="text/html"
            )
        return web.FileResponse(CLIP_FILE, headers={"Content-Type": "video/mp4"})
