"""The entry's websocket to Frigate: push into the hub's data, commands from the entities.

One `FrigateLiveBridge` per entry runs the library's `FrigateLive` as a background task of the
entry (it ends when the entry unloads). Pushed events and stats go straight into the hub's
cycle data; counts, motion, audio, switch states and review items go into each camera's
`CameraLive` slice. While the socket is up the hub polls only every `LIVE_POLL_INTERVAL` as a
safety net; when it goes down the hub polls at its normal rate at once, and after a reconnect
the next poll asks for the events since the last one seen (`/api/events?after=`), so nothing
pushed while the socket was down is lost. States come from `onConnect` (0.14+), the
`.../state` topics and Frigate's config (which follows the commands), never from a guess.
"""

import asyncio
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Final

from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.dispatcher import async_dispatcher_send

from ..api.frigate.client import FrigateClient
from ..api.frigate.config import CameraConfig
from ..api.frigate.exceptions import (
    FrigateAuthenticationError,
    FrigateConnectionError,
    FrigateError,
    FrigateNotFoundError,
)
from ..api.frigate.live import FrigateCommandError, FrigateLive
from ..api.frigate.live_models import (
    ActivityUpdate,
    AudioUpdate,
    CountUpdate,
    EventUpdate,
    LiveFeatures,
    LiveMessage,
    MotionUpdate,
    ReviewItem,
    ReviewStatusUpdate,
    ReviewUpdate,
    SettingUpdate,
    StatsUpdate,
    may_control,
    may_ptz,
    ptz_presets,
)
from ..api.frigate.server import ServerInfo
from ..const import DOMAIN, LOGGER
from .const import FRIGATE_SCAN_INTERVAL
from .live_data import CameraLive, available_settings, settings_from_config

if TYPE_CHECKING:
    from .coordinator import FrigateConfigEntry, FrigateHub

LIVE_POLL_INTERVAL: Final = timedelta(seconds=60)
COMMAND_NOT_CONFIRMED: Final = "live_command_not_confirmed"
LIVE_DISCONNECTED: Final = "live_disconnected"


def review_signal(entry_id: str) -> str:
    """The dispatcher signal of a review item (new, or raised to an alert)."""
    return f"{DOMAIN}_{entry_id}_review"


@dataclass(frozen=True, kw_only=True)
class ReviewFired:
    """What the review event entity of a camera fires."""

    camera: str
    severity: str
    review: ReviewItem


class FrigateLiveBridge:
    """The websocket of one entry and what it knows (see the module docstring)."""

    def __init__(
        self, hass: HomeAssistant, entry: FrigateConfigEntry, hub: FrigateHub, client: FrigateClient
    ) -> None:
        """Prepare; nothing connects before `async_start`."""
        self.hass = hass
        self.entry = entry
        self.hub = hub
        self.client = client
        self.features = LiveFeatures.of(hub.info.version)
        self.live = FrigateLive(
            client.websocket, on_message=self._on_message, on_connection=self._on_connection
        )
        self.connected = False
        self.reconnects = 0
        self._lost = False  # an established socket went down and is not back yet
        self._stopping = False
        self.task: asyncio.Task[None] | None = None  # the socket's task, once started
        self._overrides: dict[str, dict[str, bool | int]] = {}
        self._counts: dict[tuple[str, str, bool], int] = {}  # (camera or zone, label, active)
        self._motion: dict[str, bool] = {}
        self._audio: dict[str, set[str]] = {}
        self._dbfs: dict[str, float | None] = {}
        self._open_alerts: dict[str, set[str]] = {}
        self._last_review: dict[str, ReviewItem] = {}
        self._severity: dict[str, str] = {}  # review id -> severity fired
        self.presets: dict[str, tuple[str, ...]] = {}
        # Others that take every decoded message (recognition_data.py: faces, plates, ...).
        self.message_listeners: list[Callable[[LiveMessage], None]] = []

    @property
    def info(self) -> ServerInfo:
        """The server as the hub knows it (the profile follows role changes)."""
        return self.hub.info

    async def async_start(self) -> bool:
        """Check that `/ws` answers, read the PTZ presets, then keep the socket open.

        False when there is no websocket (a proxy in front that does not pass it answers
        404): the entry then polls as before and gets no websocket entities.
        """
        try:
            ws = await self.client.websocket(self.live.options.heartbeat, 1024)
        except FrigateNotFoundError:
            LOGGER.debug("Frigate's websocket is not reachable (404): polling only")
            return False
        except FrigateError as err:  # down for now: the task keeps trying
            LOGGER.debug("Frigate's websocket did not open yet: %s", err)
        else:
            await ws.close()
        for name, camera in self.hub.data.cameras.items():
            controls = camera.config.controls
            if controls is not None and controls.onvif and self._may_ptz(name):
                try:
                    self.presets[name] = ptz_presets(await self.client.ptz_info(name))
                except FrigateError as err:
                    LOGGER.debug("No PTZ presets for %s: %s", name, err)
        # A task of the loop, ended with the entry: Home Assistant's background tasks are
        # awaited by `async_block_till_done(wait_background_tasks=True)`, and a socket never
        # finishes by itself.
        task = self.task = self.hass.loop.create_task(self._async_run(), name=f"{DOMAIN} websocket")

        @callback
        def _stop(*_: object) -> None:
            self._stopping = True
            task.cancel()

        self.entry.async_on_unload(_stop)
        self.entry.async_on_unload(self.hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STOP, _stop))
        self.hub.async_push_live()
        return True

    async def _async_run(self) -> None:
        try:
            await self.live.run()
        except FrigateAuthenticationError:
            LOGGER.debug("Frigate refused the websocket login; asking for credentials")
            self.entry.async_start_reauth(self.hass)

    # ------------------------------------------------------------------ state

    def _may_ptz(self, camera: str) -> bool:
        return may_ptz(self.info.version, self.info.profile, camera)

    def camera_live(self, camera: CameraConfig) -> CameraLive:
        """The frozen slice of one camera: the config's settings, then what the socket said."""
        name = camera.name
        controls = camera.controls
        settings = settings_from_config(
            controls,
            camera.detect_enabled,
            camera.record_enabled,
            camera.snapshots_enabled,
            camera.audio_enabled,
            camera.enabled,
        )
        settings |= self._overrides.get(name, {})
        available = available_settings(self.features, controls)
        control = may_control(self.info.version, self.info.profile)
        zones: dict[str, dict[str, int]] = {}
        zones_active: dict[str, dict[str, int]] = {}
        for (scope, label, active), count in self._counts.items():
            if scope in camera.zones:
                (zones_active if active else zones).setdefault(scope, {})[label] = count
        audio = bool(self.features.audio and controls is not None and controls.audio_in_config)
        return CameraLive(
            connected=self.connected,
            settings=settings,
            controllable=available if control else frozenset(),
            ptz=bool(controls is not None and controls.onvif and self._may_ptz(name)),
            presets=self.presets.get(name, ()),
            counts=self._scope_counts(name, active=False),
            active_counts=self._scope_counts(name, active=True),
            zone_counts=zones,
            zone_active_counts=zones_active,
            motion=self._motion.get(name),
            reviews=self.features.reviews,
            audio=audio,
            audio_labels=frozenset(self._audio.get(name, ())),
            dbfs=self._dbfs.get(name),
            open_alerts=frozenset(self._open_alerts.get(name, ())),
            last_review=self._last_review.get(name),
        )

    def _scope_counts(self, scope: str, *, active: bool) -> dict[str, int]:
        return {
            label: count
            for (where, label, moving), count in self._counts.items()
            if where == scope and moving is active
        }

    # ------------------------------------------------------------------ messages

    @callback
    def _on_connection(self, connected: bool) -> None:
        self.connected = connected
        hub = self.hub
        if self._stopping:
            return
        # What the socket said is only good while it is up: the config takes over again.
        self._overrides.clear()
        if connected:
            hub.update_interval = LIVE_POLL_INTERVAL
            if self.live.connects > 1:
                self.reconnects += 1
                hub.async_request_gap_fill()
            if self._lost:
                self._lost = False
                LOGGER.info("The websocket of %s is back", self.entry.title)
        else:
            hub.update_interval = FRIGATE_SCAN_INTERVAL
            hub.async_request_gap_fill()
            if not self._lost:  # once per outage, however many attempts fail meanwhile
                self._lost = True
                LOGGER.warning(
                    "Lost the websocket of %s; polling every %d s until it is back",
                    self.entry.title,
                    FRIGATE_SCAN_INTERVAL.total_seconds(),
                )
        hub.async_push_live()

    @callback
    def _on_message(self, message: LiveMessage) -> None:
        for listener in self.message_listeners:
            listener(message)
        handler = self._HANDLERS.get(type(message))
        if handler is not None and handler(self, message):
            self.hub.async_push_live()

    def _event(self, message: EventUpdate) -> bool:
        self.hub.async_push_event(message.event)
        return False

    def _stats(self, message: StatsUpdate) -> bool:
        self.hub.async_push_stats(message.stats)
        return False

    def _activity(self, message: ActivityUpdate) -> bool:
        for name, camera in message.cameras.items():
            self._overrides.setdefault(name, {}).update(camera.settings)
            if camera.motion is not None:
                self._motion[name] = camera.motion
            for active in (False, True):
                seen = Counter(o.label for o in camera.objects if not (active and o.stationary))
                for (scope, label, moving), _ in list(self._counts.items()):
                    if scope == name and moving is active and label not in seen:
                        self._counts[scope, label, moving] = 0
                for label, count in seen.items():
                    self._counts[name, label, active] = count
        return True

    def _count(self, message: CountUpdate) -> bool:
        self._counts[message.scope, message.label, message.active] = message.count
        return True

    def _motion_update(self, message: MotionUpdate) -> bool:
        self._motion[message.camera] = message.on
        return True

    def _setting(self, message: SettingUpdate) -> bool:
        self._overrides.setdefault(message.camera, {})[message.setting] = message.value
        return True

    def _audio_update(self, message: AudioUpdate) -> bool:
        if message.label is None:
            self._dbfs[message.camera] = message.dbfs
        elif message.on:
            self._audio.setdefault(message.camera, set()).add(message.label)
        else:
            self._audio.get(message.camera, set()).discard(message.label)
        return True

    def _review_status(self, message: ReviewStatusUpdate) -> bool:
        if message.status == "NONE":
            self._open_alerts.pop(message.camera, None)
        return True

    def _review(self, message: ReviewUpdate) -> bool:
        review = message.review
        camera = review.camera
        alerts = self._open_alerts.setdefault(camera, set())
        if review.severity == "alert" and review.end_time is None and message.kind != "end":
            alerts.add(review.id)
        else:
            alerts.discard(review.id)
        self._last_review[camera] = review
        if message.kind == "end":
            self._severity.pop(review.id, None)
        elif self._severity.get(review.id) != review.severity:
            self._severity[review.id] = review.severity
            fired = ReviewFired(camera=camera, severity=review.severity, review=review)
            async_dispatcher_send(self.hass, review_signal(self.entry.entry_id), fired)
        return True

    _HANDLERS: Final[dict[type[Any], Callable[[FrigateLiveBridge, Any], bool]]] = {
        EventUpdate: _event,
        StatsUpdate: _stats,
        ActivityUpdate: _activity,
        CountUpdate: _count,
        MotionUpdate: _motion_update,
        SettingUpdate: _setting,
        AudioUpdate: _audio_update,
        ReviewStatusUpdate: _review_status,
        ReviewUpdate: _review,
    }

    # ------------------------------------------------------------------ commands

    async def async_set(self, camera: str, setting: str, value: bool | int) -> None:
        """Change a setting; HomeAssistantError unless Frigate confirms it."""
        try:
            await self.live.set_setting(camera, setting, value)
        except FrigateCommandError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key=COMMAND_NOT_CONFIRMED,
                translation_placeholders={"camera": camera, "setting": setting},
            ) from err
        except FrigateConnectionError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN, translation_key=LIVE_DISCONNECTED
            ) from err

    async def async_ptz(self, camera: str, command: str) -> None:
        """Send a PTZ command (Frigate confirms none); HomeAssistantError while down."""
        try:
            await self.live.ptz(camera, command)
        except FrigateConnectionError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN, translation_key=LIVE_DISCONNECTED
            ) from err

    def diagnostics(self) -> dict[str, Any]:
        """The socket's state for diagnostics: no token, no URL."""
        return {
            "connected": self.connected,
            "connects": self.live.connects,
            "reconnects": self.reconnects,
            "failures": self.live.failures,
            "last_error": self.live.last_error,
            "poll_interval": self.hub.update_interval.total_seconds()
            if self.hub.update_interval
            else None,
            "features": sorted(self.features.settings),
            "presets": {name: list(presets) for name, presets in self.presets.items()},
        }
