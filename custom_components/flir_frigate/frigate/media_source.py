"""Frigate in Home Assistant's media browser: clips, snapshots, review, recordings, exports.

Per loaded Frigate entry (unless its options hide it): Clips and Snapshots by time range,
camera, label and zone, counted from one `/api/events/summary`, with a page of at most
`PAGE_SIZE` events (newest first, an "older" folder for the next page); Review items (0.14+)
by day (only days with items, counted by `/api/review/summary`) and camera; Recordings by
camera, day and hour, each hour mapped back to UTC with the day's own daylight-saving rules;
Exports (0.14+). Days and hours are those of the server's zone, as Frigate's own UI shows them:
`ui.timezone` when the config sets a known zone, else Home Assistant's (the UI then uses the
viewer's). A folder costs at most two requests to Frigate however many events it holds.
Playback goes through the integration's views, which add Frigate's credentials on the server
side (see `media_views`).
"""

import datetime as dt
from typing import Final, override

from homeassistant.components.media_player.const import MediaClass, MediaType
from homeassistant.components.media_player.errors import BrowseError
from homeassistant.components.media_source import (
    BrowseMediaSource,
    MediaSource,
    MediaSourceItem,
    PlayMedia,
    Unresolvable,
)
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util

from ..api.frigate.events import FrigateEvent
from ..api.frigate.exceptions import FrigateError
from ..api.frigate.media import FrigateMedia
from ..api.frigate.paths import validate_camera, validate_event_id, validate_label
from ..api.frigate.review import hour_span, validate_review_id
from ..const import DOMAIN, KIND_FRIGATE, LOGGER
from .const import OPTION_MEDIA_BROWSER
from .coordinator import FrigateConfigEntry, FrigateRuntimeData
from .media_tree import (
    ALL_ZONES,
    CLIPS,
    EVENT,
    EXPORT,
    EXPORTS,
    PAGE_SIZE,
    RANGES,
    RECORDING,
    RECORDINGS,
    REVIEW,
    REVIEW_ITEM,
    SNAPSHOTS,
    SummaryFilter,
    count_by,
    day_bounds,
    day_range,
    make_id,
    split_id,
)
from .media_views import export_path, recording_clip_path, review_thumbnail_path, vod_path
from .views import MEDIA_CLIP, MEDIA_SNAPSHOT, MEDIA_THUMBNAIL, event_media_path

_REVIEW_LIMIT: Final = 200


def _folder(
    identifier: str, title: str, *, thumbnail: str | None = None, child: MediaClass | None = None
) -> BrowseMediaSource:
    return BrowseMediaSource(
        domain=DOMAIN,
        identifier=identifier,
        media_class=MediaClass.DIRECTORY,
        media_content_type=MediaType.VIDEO,
        title=title,
        can_play=False,
        can_expand=True,
        thumbnail=thumbnail,
        children_media_class=child,
    )


def _item(
    identifier: str, title: str, media: MediaClass, thumbnail: str | None
) -> BrowseMediaSource:
    return BrowseMediaSource(
        domain=DOMAIN,
        identifier=identifier,
        media_class=media,
        media_content_type="image/jpeg" if media is MediaClass.IMAGE else "video/mp4",
        title=title,
        can_play=True,
        can_expand=False,
        thumbnail=thumbnail,
    )


class FrigateMediaSource(MediaSource):
    """The media of every Frigate entry of this integration."""

    name = "Frigate"

    def __init__(self, hass: HomeAssistant) -> None:
        """Browse through the loaded entries."""
        super().__init__(DOMAIN)
        self.hass = hass

    # ------------------------------------------------------------------ helpers

    def _entries(self) -> list[FrigateConfigEntry]:
        return [
            entry
            for entry in self.hass.config_entries.async_entries(DOMAIN)
            if entry.data.get("kind") == KIND_FRIGATE
            and entry.state is ConfigEntryState.LOADED
            and isinstance(getattr(entry, "runtime_data", None), FrigateRuntimeData)
            and entry.options.get(OPTION_MEDIA_BROWSER, True)
        ]

    def _entry(self, entry_id: str) -> FrigateConfigEntry:
        for entry in self._entries():
            if entry.entry_id == entry_id:
                return entry
        raise BrowseError(translation_domain=DOMAIN, translation_key="media_not_found")

    async def _texts(self) -> dict[str, str]:
        prefix = f"component.{DOMAIN}.common."
        texts = await async_get_translations(
            self.hass, self.hass.config.language, "common", [DOMAIN]
        )
        return {key.removeprefix(prefix): value for key, value in texts.items()}

    @staticmethod
    async def _zone(entry: FrigateConfigEntry) -> tuple[str, dt.tzinfo]:
        """The zone's name (for Frigate's `timezone`) and rules: the server's, else HA's."""
        name = entry.runtime_data.hub.data.config.timezone
        if name is not None:
            if (zone := await dt_util.async_get_time_zone(name)) is not None:
                return name, zone
            LOGGER.debug("Frigate's ui.timezone %s is unknown here; using Home Assistant's", name)
        default = dt_util.get_default_time_zone()
        return str(default), default

    def _cameras(self, entry: FrigateConfigEntry) -> list[str]:
        hub = entry.runtime_data.hub
        return [
            name for name in hub.visible_cameras(hub.data.config) if name not in hub.ignored_cameras
        ]

    @staticmethod
    def _media(entry: FrigateConfigEntry) -> FrigateMedia:
        runtime = entry.runtime_data
        return FrigateMedia(runtime.client, runtime.info.version)

    # ------------------------------------------------------------------ browse

    @override
    async def async_browse_media(self, item: MediaSourceItem) -> BrowseMediaSource:
        """Browse a folder; BrowseError for what does not exist (or Frigate's failure)."""
        segments = split_id(item.identifier)
        texts = await self._texts()
        if not segments:
            root = _folder("", self.name or "Frigate", child=MediaClass.DIRECTORY)
            root.children = [
                _folder(make_id(entry.entry_id), entry.title) for entry in self._entries()
            ]
            return root
        entry = self._entry(segments[0])
        try:
            return await self._browse_entry(entry, segments[1:], texts)
        except FrigateError as err:
            LOGGER.debug("Frigate media browsing failed: %s", err)
            raise BrowseError(
                translation_domain=DOMAIN,
                translation_key="media_frigate_failed",
                translation_placeholders={"error": str(err)},
            ) from err
        except (ValueError, IndexError) as err:
            raise BrowseError(translation_domain=DOMAIN, translation_key="media_not_found") from err

    async def _browse_entry(
        self, entry: FrigateConfigEntry, path: list[str], texts: dict[str, str]
    ) -> BrowseMediaSource:
        entry_id = entry.entry_id
        media = self._media(entry)
        if not path:
            folder = _folder(make_id(entry_id), entry.title, child=MediaClass.DIRECTORY)
            kinds = [CLIPS, SNAPSHOTS, *([REVIEW] if media.supports(14) else []), RECORDINGS]
            kinds += [EXPORTS] if media.supports(14) else []
            folder.children = [
                _folder(make_id(entry_id, kind), texts.get(f"media_{kind}", kind)) for kind in kinds
            ]
            return folder
        kind, rest = path[0], path[1:]
        if kind in (CLIPS, SNAPSHOTS):
            return await self._browse_events(entry, kind, rest, texts)
        if kind == REVIEW and media.supports(14):
            return await self._browse_review(entry, media, rest, texts)
        if kind == RECORDINGS:
            return await self._browse_recordings(entry, media, rest, texts)
        if kind == EXPORTS and media.supports(14):
            return await self._browse_exports(entry, media, texts)
        raise ValueError(kind)

    async def _browse_events(
        self, entry: FrigateConfigEntry, kind: str, path: list[str], texts: dict[str, str]
    ) -> BrowseMediaSource:
        """Ranges, cameras, labels, zones (counted), then a page of events."""
        entry_id = entry.entry_id
        title = texts.get(f"media_{kind}", kind)
        base = [entry_id, kind]
        if not path:
            folder = _folder(make_id(*base), title, child=MediaClass.DIRECTORY)
            folder.children = [
                _folder(make_id(*base, name), texts.get(f"range_{name}", name)) for name in RANGES
            ]
            return folder
        tz_name, zone = await self._zone(entry)
        today = dt_util.now(zone).date()
        days = day_range(path[0], today)
        camera = validate_camera(path[1]) if len(path) > 1 else None
        label = validate_label(path[2]) if len(path) > 2 else None  # noqa: PLR2004
        zone_name = path[3] if len(path) > 3 else None  # noqa: PLR2004
        before = float(path[4]) if len(path) > 4 else None  # noqa: PLR2004
        client = entry.runtime_data.client
        rows = SummaryFilter(days, camera, label).rows(
            await client.events_summary(
                timezone=tz_name,
                has_clip=True if kind == CLIPS else None,
                has_snapshot=True if kind == SNAPSHOTS else None,
            )
        )
        here = [*base, *path[: 4 if zone_name else len(path)]]
        folder = _folder(make_id(*here), texts.get(f"range_{path[0]}", path[0]))
        if camera is None:
            visible = set(self._cameras(entry))
            counts = count_by(rows, "camera")
            folder.children = [
                _folder(make_id(*here, name), f"{name} ({count})")
                for name, count in sorted(counts.items())
                if name in visible
            ]
            return folder
        if label is None:
            counts = count_by(rows, "label")
            folder.title = camera
            folder.children = [
                _folder(make_id(*here, name), f"{name} ({count})")
                for name, count in sorted(counts.items())
            ]
            return folder
        folder.title = f"{camera} · {label}"
        children: list[BrowseMediaSource] = []
        if zone_name is None:
            counts = count_by(rows, "zone")
            children += [
                _folder(make_id(*here, name), f"{name} ({count})")
                for name, count in sorted(counts.items())
            ]
        else:
            folder.title += (
                f" · {texts.get('all_zones', zone_name) if zone_name == ALL_ZONES else zone_name}"
            )
        after, range_before = days.bounds(zone)
        if before is None or (range_before is not None and before > range_before):
            before = range_before
        events = await client.events(
            camera=camera,
            label=label,
            zone=None if zone_name in (None, ALL_ZONES) else zone_name,
            after=after,
            before=before,
            limit=PAGE_SIZE,
            has_clip=True if kind == CLIPS else None,
            has_snapshot=True if kind == SNAPSHOTS else None,
        )
        children += [self._event_item(entry_id, kind, event, zone) for event in events]
        if len(events) == PAGE_SIZE and events[-1].start_time is not None:
            older = [*base, *path[:3], zone_name or ALL_ZONES, repr(events[-1].start_time)]
            children.append(_folder(make_id(*older), texts.get("older", "older")))
        folder.children = children
        return folder

    @staticmethod
    def _event_item(
        entry_id: str, kind: str, event: FrigateEvent, zone: dt.tzinfo
    ) -> BrowseMediaSource:
        start = dt.datetime.fromtimestamp(event.start_time or 0.0, zone)
        title = f"{start:%Y-%m-%d %H:%M:%S} {event.label}"
        if event.sub_label:
            title += f" ({event.sub_label})"
        if event.zones:
            title += f" · {', '.join(event.zones)}"
        thumbnail = event_media_path(entry_id, event.id, MEDIA_THUMBNAIL)
        media = MediaClass.VIDEO if kind == CLIPS else MediaClass.IMAGE
        return _item(make_id(entry_id, EVENT, kind, event.id), title, media, thumbnail)

    async def _browse_review(
        self, entry: FrigateConfigEntry, media: FrigateMedia, path: list[str], texts: dict[str, str]
    ) -> BrowseMediaSource:
        """The days with items (counted), then cameras, then that day's items of the camera."""
        entry_id = entry.entry_id
        tz_name, zone = await self._zone(entry)
        title = texts.get("media_review", REVIEW)
        if not path:
            folder = _folder(make_id(entry_id, REVIEW), title, child=MediaClass.DIRECTORY)
            alerts, detections = (
                texts.get("alerts", "alerts"),
                texts.get("detections", "detections"),
            )
            folder.children = [
                _folder(
                    make_id(entry_id, REVIEW, day.day),
                    f"{day.day} · {alerts} {day.alerts} · {detections} {day.detections}",
                )
                for day in await media.review_summary(timezone=tz_name)
            ]
            return folder
        day = dt.date.fromisoformat(path[0]).isoformat()
        if len(path) == 1:
            folder = _folder(make_id(entry_id, REVIEW, day), day, child=MediaClass.DIRECTORY)
            folder.children = [
                _folder(make_id(entry_id, REVIEW, day, name), name) for name in self._cameras(entry)
            ]
            return folder
        camera = validate_camera(path[1])
        start, end = day_bounds(day, zone)
        items = await media.review_items(
            camera=camera, after=start - 0.001, before=end, limit=_REVIEW_LIMIT
        )
        folder = _folder(make_id(entry_id, REVIEW, day, camera), f"{day} · {camera}")
        children = []
        for review in items:
            when = dt.datetime.fromtimestamp(review.start_time, zone)
            severity = texts.get(f"severity_{review.severity}", review.severity or "")
            objects = ", ".join(review.objects)
            last = int(review.end_time or review.start_time + 30) + 1
            identifier = make_id(
                entry_id, REVIEW_ITEM, camera, review.id, str(int(review.start_time)), str(last)
            )
            thumbnail = review_thumbnail_path(entry_id, camera, review.id)
            title = f"{when:%H:%M:%S} {severity} {objects}".strip()
            children.append(_item(identifier, title, MediaClass.VIDEO, thumbnail))
        folder.children = children
        return folder

    async def _browse_recordings(
        self, entry: FrigateConfigEntry, media: FrigateMedia, path: list[str], texts: dict[str, str]
    ) -> BrowseMediaSource:
        """Cameras, then days, then hours (one summary request per camera folder)."""
        entry_id = entry.entry_id
        title = texts.get("media_recordings", RECORDINGS)
        if not path:
            folder = _folder(make_id(entry_id, RECORDINGS), title, child=MediaClass.DIRECTORY)
            folder.children = [
                _folder(make_id(entry_id, RECORDINGS, name), name) for name in self._cameras(entry)
            ]
            return folder
        camera = validate_camera(path[0])
        summary = await media.recordings_summary(camera, timezone=(await self._zone(entry))[0])
        if len(path) == 1:
            folder = _folder(make_id(entry_id, RECORDINGS, camera), camera)
            folder.children = [
                _folder(make_id(entry_id, RECORDINGS, camera, day.day), day.day) for day in summary
            ]
            return folder
        day = next((day for day in summary if day.day == path[1]), None)
        if day is None:
            raise ValueError(path[1])
        folder = _folder(make_id(entry_id, RECORDINGS, camera, day.day), f"{camera} · {day.day}")
        folder.children = [
            _item(
                make_id(entry_id, RECORDING, camera, day.day, str(hour.hour)),
                f"{hour.hour:02d}:00",
                MediaClass.VIDEO,
                None,
            )
            for hour in day.hours
        ]
        return folder

    async def _browse_exports(
        self, entry: FrigateConfigEntry, media: FrigateMedia, texts: dict[str, str]
    ) -> BrowseMediaSource:
        entry_id = entry.entry_id
        folder = _folder(make_id(entry_id, EXPORTS), texts.get("media_exports", EXPORTS))
        _, zone = await self._zone(entry)
        children = []
        for export in await media.exports():
            when = dt.datetime.fromtimestamp(export.date or 0.0, zone)
            title = f"{export.name or export.id} ({export.camera}, {when:%Y-%m-%d %H:%M})"
            if export.file is None or export.in_progress:
                children.append(
                    BrowseMediaSource(
                        domain=DOMAIN,
                        identifier=make_id(entry_id, EXPORTS, export.id),
                        media_class=MediaClass.VIDEO,
                        media_content_type="video/mp4",
                        title=f"{title} …",
                        can_play=False,
                        can_expand=False,
                    )
                )
                continue
            children.append(
                _item(make_id(entry_id, EXPORT, export.file), title, MediaClass.VIDEO, None)
            )
        folder.children = children
        return folder

    # ------------------------------------------------------------------ resolve

    @override
    async def async_resolve_media(self, item: MediaSourceItem) -> PlayMedia:
        """The URL of a playable item, on the integration's authenticated views."""
        segments = split_id(item.identifier)
        try:
            entry = self._entry(segments[0])
            return self._resolve(entry, segments[1:], (await self._zone(entry))[1])
        except (BrowseError, ValueError, IndexError) as err:
            raise Unresolvable(
                translation_domain=DOMAIN, translation_key="media_not_found"
            ) from err

    def _resolve(self, entry: FrigateConfigEntry, path: list[str], zone: dt.tzinfo) -> PlayMedia:
        entry_id = entry.entry_id
        kind = path[0]
        if kind == EVENT:
            event_id = validate_event_id(path[2])
            if path[1] == SNAPSHOTS:
                return PlayMedia(event_media_path(entry_id, event_id, MEDIA_SNAPSHOT), "image/jpeg")
            return PlayMedia(event_media_path(entry_id, event_id, MEDIA_CLIP), "video/mp4")
        if kind == REVIEW_ITEM:
            camera, _ = validate_camera(path[1]), validate_review_id(path[2])
            first, last = int(path[3]), int(path[4])
            return PlayMedia(recording_clip_path(entry_id, camera, first, last), "video/mp4")
        if kind == RECORDING:
            camera, day, hour = validate_camera(path[1]), path[2], int(path[3])
            start, end = hour_span(day, hour, zone)
            url = vod_path(entry_id, camera, int(start), int(end), "index.m3u8")
            return PlayMedia(url, "application/vnd.apple.mpegurl")
        if kind == EXPORT:
            return PlayMedia(export_path(entry_id, path[1]), "video/mp4")
        raise ValueError(kind)
