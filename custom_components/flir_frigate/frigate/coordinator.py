"""Coordinators of a Frigate server: one server-level poll per cycle, one coordinator per camera.

`FrigateHub` polls the server every few seconds. Each cycle asks for the events that are new
since the last cycle and the ones in progress (two requests); the stats follow Frigate's own
15 s cadence, the events summary a slower one and `/api/config` every few minutes (sooner when
the stats show a camera the config does not know). The number of requests per cycle does not
depend on the number of cameras: the answers are split into one `FrigateCameraData` per camera
and pushed to that camera's `FrigateCameraCoordinator`, whose entities update only when their
camera's slice changes.

An event is active while it has no end time or its end time lies ahead: Frigate stores an event
created through its API with a duration with the end time already set (so `in_progress=1` never
lists it). The hub keeps such events from the event polls and, at the earliest end time, drops
them from the cameras' slices without waiting for the next poll.
"""

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, override

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from ..api.frigate.client import FrigateClient
from ..api.frigate.models import (
    FrigateConfig,
    FrigateEvent,
    FrigateProfile,
    FrigateStats,
    ServerInfo,
)
from ..const import DOMAIN, LOGGER
from ..errors import Stage
from .const import (
    CONFIG_INTERVAL,
    DUE_MARGIN,
    EVENT_OVERLAP,
    EVENT_PAGE,
    FRIGATE_SCAN_INTERVAL,
    OPTION_IGNORED_CAMERAS,
    OPTION_IGNORED_LABELS,
    STATS_INTERVAL,
    SUMMARY_INTERVAL,
    SUMMARY_MIN_INTERVAL,
)
from .data import FrigateCameraData, FrigateServerData
from .errors import frigate_errors, hub_update_failed
from .live_push import LivePush
from .recordings import RecordingsStorage, recordings_mib

if TYPE_CHECKING:
    from .live import FrigateLiveBridge

# A restart moves the start time by more than this; less is rounding of uptime and timestamp.
START_TIME_JITTER = 60.0
END_TOLERANCE = 0.001  # seconds


@dataclass(kw_only=True)
class FrigateRuntimeData:
    """What a loaded Frigate entry keeps."""

    client: FrigateClient
    info: ServerInfo
    hub: FrigateHub
    live: FrigateLiveBridge | None = None  # the websocket (0.12+)


type FrigateConfigEntry = ConfigEntry[FrigateRuntimeData]


def server_device_id(entry: ConfigEntry) -> str:
    """Device identifier of the Frigate server (stable: the URL may change, the entry not)."""
    return entry.entry_id


def camera_device_id(entry: ConfigEntry, camera: str) -> str:
    """Device identifier of one Frigate camera."""
    return f"{entry.entry_id}:{camera}"


def allowed_cameras(profile: FrigateProfile | None) -> frozenset[str] | None:
    """The cameras a 0.17+ custom role restricts the user to; None when it may see them all."""
    if profile is None or profile.is_admin or profile.allowed_cameras is None:
        return None
    return frozenset(profile.allowed_cameras)


def started_at(stats: FrigateStats, previous: datetime | None) -> datetime | None:
    """When Frigate started; the previous value unless it moved more than rounding does."""
    service = stats.service
    if service.uptime is None:
        return None
    # Uptime and `last_updated` come from the same (cached) stats; without the latter
    # (before 0.12) the time of the answer stands in.
    now = service.last_updated or dt_util.utcnow().timestamp()
    started = now - service.uptime
    if previous is not None and abs(previous.timestamp() - started) <= START_TIME_JITTER:
        return previous
    return datetime.fromtimestamp(round(started), UTC)


def _due(last: datetime | None, interval: timedelta, now: datetime) -> bool:
    return last is None or now - last >= interval - DUE_MARGIN


def is_active(event: FrigateEvent, now: float) -> bool:
    """Whether an event runs at `now`: no end time yet, or one still ahead."""
    return event.end_time is None or event.end_time > now


def _newer(current: FrigateEvent | None, event: FrigateEvent) -> bool:
    """Whether `event` replaces `current` as the newest (a fresher copy of it included)."""
    return (
        current is None
        or current.id == event.id
        or (event.start_time or 0.0) >= (current.start_time or 0.0)
    )


class FrigateHub(LivePush, DataUpdateCoordinator[FrigateServerData]):
    """Polls one Frigate server and feeds the coordinators of its cameras."""

    config_entry: FrigateConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: FrigateConfigEntry,
        client: FrigateClient,
        info: ServerInfo,
    ) -> None:
        """Set up the server-level coordinator; the camera coordinators follow its data."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {entry.title}",
            update_interval=FRIGATE_SCAN_INTERVAL,
            always_update=False,
        )
        self.client = client
        self.info = info
        self.cameras: dict[str, FrigateCameraCoordinator] = {}
        self.ignored_cameras = frozenset(entry.options.get(OPTION_IGNORED_CAMERAS, ()))
        self.ignored_labels = frozenset(entry.options.get(OPTION_IGNORED_LABELS, ()))
        self.allowed_cameras = allowed_cameras(info.profile)
        self._config: FrigateConfig | None = None
        self._config_at: datetime | None = None
        self._unknown_cameras: frozenset[str] = frozenset()
        self._stats: FrigateStats | None = None
        self._stats_at: datetime | None = None
        self._summary: dict[str, dict[str, int]] | None = None
        self._summary_at: datetime | None = None
        self._summary_day: str | None = None
        self._events_since_summary = False
        self._baseline_done = False
        self._cursor: float | None = None
        self._seen: dict[str, float] = {}
        self._latest: dict[str, FrigateEvent] = {}
        self._latest_snapshot: dict[str, FrigateEvent] = {}
        self._latest_by_label: dict[str, dict[str, FrigateEvent]] = {}
        self._started_at: datetime | None = None
        self.recordings = RecordingsStorage(client)  # read every few minutes, never fatal
        # Events whose end time lies ahead (created through the API with a duration).
        self._ending: dict[str, FrigateEvent] = {}
        self._unsub_end: CALLBACK_TYPE | None = None
        self.live: FrigateLiveBridge | None = None  # the websocket (live.py), 0.12+

    @override
    async def _async_update_data(self) -> FrigateServerData:
        with frigate_errors(Stage.POLL):
            return await self._async_poll()

    async def _async_poll(self) -> FrigateServerData:
        now = dt_util.utcnow()
        config = self._config
        stats = self._stats
        config_read = False
        if config is None or _due(self._config_at, CONFIG_INTERVAL, now):
            config = await self._async_read_config(now)
            config_read = True
        if (
            stats is None
            or _due(self._stats_at, STATS_INTERVAL, now)
            or (config_read and not set(self.visible_cameras(config)) <= set(stats.cameras))
        ):
            stats = await self.client.stats()
            self._stats, self._stats_at = stats, now
            unknown = frozenset(stats.cameras) - frozenset(config.cameras)
            if unknown and unknown != self._unknown_cameras:
                # Once per new name: a camera Frigate never puts in its config (or that
                # the user may not see) does not cause a config read every 15 s.
                LOGGER.debug("Frigate reports cameras its config lacked: %s", sorted(unknown))
                config = await self._async_read_config(now)
            self._unknown_cameras = unknown
        new_events = await self._async_new_events()
        in_progress = tuple(await self.client.events(in_progress=True, limit=EVENT_PAGE))
        for event in in_progress:
            self._remember(event)
        await self._async_summary(now)
        await self.recordings.async_refresh(now)
        return self._build(config, stats, self._active(in_progress), new_events)

    def _active(self, in_progress: tuple[FrigateEvent, ...]) -> tuple[FrigateEvent, ...]:
        """The events in progress and those whose end time lies ahead, newest first."""
        now = dt_util.utcnow().timestamp()
        self._ending = {key: event for key, event in self._ending.items() if is_active(event, now)}
        listed = {event.id for event in in_progress}
        ending = [event for key, event in self._ending.items() if key not in listed]
        if not ending:
            return in_progress
        active = [*in_progress, *ending]
        return tuple(sorted(active, key=lambda event: event.start_time or 0.0, reverse=True))

    def visible_cameras(self, config: FrigateConfig) -> list[str]:
        """The config's cameras the user may see (its role's), in the config's order."""
        allowed = self.allowed_cameras
        return [name for name in config.cameras if allowed is None or name in allowed]

    async def _async_read_config(self, now: datetime) -> FrigateConfig:
        config = await self.client.config()
        # 0.17+ per-camera roles: a change of the user's role applies with the next config read.
        if (
            self.info.profile is not None
            and self.info.version.at_least(0, 17)
            and (profile := await self.client.profile()) is not None
        ):
            self.info = replace(self.info, profile=profile)
            self.allowed_cameras = allowed_cameras(profile)
        self._config, self._config_at = config, now
        return config

    async def _async_new_events(self) -> tuple[FrigateEvent, ...]:
        """Events not seen before; the first cycle only takes the baseline."""
        if self._cursor is None:
            events = await self.client.events(limit=EVENT_PAGE)
        else:
            events = await self.client.events(after=self._cursor - EVENT_OVERLAP, limit=EVENT_PAGE)
        new = [event for event in events if event.id not in self._seen]
        now = dt_util.utcnow().timestamp()
        for event in events:
            start = event.start_time or 0.0
            self._seen[event.id] = start
            self._cursor = start if self._cursor is None else max(self._cursor, start)
            self._remember(event)
            # An end time ahead (a manual event with a duration): active until then.
            if event.end_time is not None and event.end_time > now:
                self._ending[event.id] = event
            else:
                self._ending.pop(event.id, None)
        if self._cursor is not None:
            horizon = self._cursor - EVENT_OVERLAP - 1
            self._seen = {key: start for key, start in self._seen.items() if start >= horizon}
        if not self._baseline_done:
            self._baseline_done = True
            return ()
        if new:
            self._events_since_summary = True
        return tuple(sorted(new, key=lambda event: (event.start_time or 0.0, event.id)))

    def _remember(self, event: FrigateEvent) -> None:
        camera = event.camera
        if _newer(self._latest.get(camera), event):
            self._latest[camera] = event
        if event.has_snapshot and _newer(self._latest_snapshot.get(camera), event):
            self._latest_snapshot[camera] = event
        by_label = self._latest_by_label.setdefault(camera, {})
        if _newer(by_label.get(event.label), event):
            by_label[event.label] = event

    async def _async_summary(self, now: datetime) -> None:
        """Count today's events per camera and label from `/api/events/summary`."""
        today = dt_util.now().date().isoformat()
        if not (
            self._summary is None
            or today != self._summary_day
            or _due(self._summary_at, SUMMARY_INTERVAL, now)
            or (self._events_since_summary and _due(self._summary_at, SUMMARY_MIN_INTERVAL, now))
        ):
            return
        rows = await self.client.events_summary(timezone=str(self.hass.config.time_zone))
        counts: dict[str, dict[str, int]] = {}
        for row in rows:
            if row.day == today:
                labels = counts.setdefault(row.camera, {})
                labels[row.label] = labels.get(row.label, 0) + row.count
        self._summary, self._summary_at, self._summary_day = counts, now, today
        self._events_since_summary = False

    def _build(
        self,
        config: FrigateConfig,
        stats: FrigateStats,
        in_progress: tuple[FrigateEvent, ...],
        new_events: tuple[FrigateEvent, ...],
    ) -> FrigateServerData:
        cameras: dict[str, FrigateCameraData] = {}
        summary = self._summary
        self._started_at = started_at(stats, self._started_at)
        for name in self.visible_cameras(config):
            if name in self.ignored_cameras:
                continue
            camera = config.cameras[name]
            cameras[name] = FrigateCameraData(
                name=name,
                config=camera,
                stats=stats.cameras.get(name),
                labels=tuple(
                    label for label in camera.tracked_objects if label not in self.ignored_labels
                ),
                in_progress=tuple(event for event in in_progress if event.camera == name),
                new_events=tuple(event for event in new_events if event.camera == name),
                latest_event=self._latest.get(name),
                latest_snapshot=self._latest_snapshot.get(name),
                latest_by_label=dict(self._latest_by_label.get(name, {})),
                events_today=None if summary is None else dict(summary.get(name, {})),
                recordings_mib=recordings_mib(self.recordings.storage, camera, stats),
                live=self.camera_live_data(config, name),
            )
        return FrigateServerData(
            config=config,
            stats=stats,
            cameras=cameras,
            in_progress=in_progress,
            new_events=new_events,
            started_at=self._started_at,
        )

    @callback
    @override
    def _async_refresh_finished(self) -> None:
        """Push each camera's slice to its coordinator; add and remove cameras."""
        if not self.last_update_success:
            for coordinator in self.cameras.values():
                coordinator.async_set_hub_failure(self.last_exception)
            return
        cameras = self.data.cameras
        for name in [name for name in self.cameras if name not in cameras]:
            self._async_remove_camera(name)
        for name, camera_data in cameras.items():
            if (existing := self.cameras.get(name)) is None:
                LOGGER.debug("Frigate camera %s added", name)
                self.cameras[name] = FrigateCameraCoordinator(
                    self.hass, self.config_entry, self, camera_data
                )
            else:
                existing.async_set_camera_data(camera_data)
        self._async_schedule_end()

    @callback
    def _async_schedule_end(self) -> None:
        """Wake up at the earliest end time ahead among the active events.

        The wake-up is cancelled by `async_shutdown` when the entry unloads.
        """
        self._async_cancel_end()
        ends = [event.end_time for event in self.data.in_progress if event.end_time is not None]
        if ends:
            delay = max(0.0, min(ends) - dt_util.utcnow().timestamp())
            self._unsub_end = async_call_later(self.hass, delay, self._async_end_due)

    @callback
    def _async_cancel_end(self) -> None:
        if self._unsub_end is not None:
            self._unsub_end()
            self._unsub_end = None

    @callback
    def _async_end_due(self, now: datetime) -> None:
        """Events reached their end time: drop them from the slices now, not at the next poll."""
        self._unsub_end = None
        if not self.last_update_success:
            return
        # A timestamp becomes a datetime to the microsecond: a hair early still counts.
        moment = max(now, dt_util.utcnow()).timestamp() + END_TOLERANCE
        data = self.data
        active = tuple(event for event in data.in_progress if is_active(event, moment))
        if len(active) != len(data.in_progress):
            cameras = {
                name: replace(
                    camera,
                    in_progress=tuple(e for e in camera.in_progress if is_active(e, moment)),
                )
                for name, camera in data.cameras.items()
            }
            self.data = replace(data, cameras=cameras, in_progress=active)
            for name, camera in cameras.items():
                if (coordinator := self.cameras.get(name)) is not None:
                    coordinator.async_set_camera_data(camera)
        self._async_schedule_end()

    @override
    async def async_shutdown(self) -> None:
        """Stop polling and the end-time wake-up (the entry unloads)."""
        self._async_cancel_end()
        await super().async_shutdown()

    @callback
    def _async_remove_camera(self, name: str) -> None:
        """A camera left Frigate's config, the options or the user's role: remove its device."""
        LOGGER.debug("Frigate camera %s removed", name)
        del self.cameras[name]
        registry = dr.async_get(self.hass)
        device = registry.async_get_device_by_identifier(
            (DOMAIN, camera_device_id(self.config_entry, name)), self.config_entry.entry_id
        )
        if device is not None:
            registry.async_remove_device(device.id)


class FrigateCameraCoordinator(DataUpdateCoordinator[FrigateCameraData]):
    """The data of one camera, pushed by the hub (it never polls by itself)."""

    config_entry: FrigateConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: FrigateConfigEntry,
        hub: FrigateHub,
        data: FrigateCameraData,
    ) -> None:
        """Set up the coordinator of one camera with its first slice."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {entry.title} {data.name}",
            update_interval=None,
            always_update=False,
        )
        self.hub = hub
        self.camera = data.name
        self.data = data

    @callback
    def async_set_camera_data(self, data: FrigateCameraData) -> None:
        """Take a new slice; listeners run only when it changed (or after a failure)."""
        if self.last_update_success and data == self.data:
            return
        self.async_set_updated_data(data)

    @callback
    def async_set_hub_failure(self, err: BaseException | None) -> None:
        """The server poll failed: unavailable, without logging it once per camera."""
        self.last_exception = err
        if self.last_update_success:
            self.last_update_success = False
            self.async_update_listeners()

    @override
    async def _async_update_data(self) -> FrigateCameraData:
        """Asked for by `homeassistant.update_entity`: refresh the whole server."""
        await self.hub.async_request_refresh()
        if not self.hub.last_update_success:
            raise hub_update_failed(self.hub.last_exception)
        return self.data
