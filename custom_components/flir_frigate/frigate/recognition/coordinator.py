"""What Frigate recognized: faces, plates, classes, descriptions, profile, per server.

`RecognitionHub` follows the server's hub (config and events of each cycle) and the messages
of Frigate's websocket (`async_handle_message`, fed by the live connection): a face or plate
on an event, a classification model's verdict, a description after an event ended, the active
profile, each camera's review status. Over HTTP alone a face is the sub label of a person
event (when it names a known face), a plate the event's `recognized_license_plate`, an object
class the sub label of an object its model classifies (when it is one of the model's classes),
and a description is read with the events once the event ended (0.17+, where the camera
describes objects). The known faces and each model's classes are read at setup and every few
minutes. A camera's last face, plate and object class clear after a quiet minute, as
Frigate's own integration does. The hub never polls Frigate for itself beyond that.
"""

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, Final

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later, async_track_time_interval
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from ...api.frigate.exceptions import FrigateError
from ...api.frigate.live_models import (
    ActivityUpdate,
    ReviewStatusUpdate,
    SettingUpdate,
    may_control,
)
from ...api.frigate.live_recognition import (
    DescriptionUpdate,
    FaceUpdate,
    ObjectClassUpdate,
    PlateUpdate,
    ProfileUpdate,
    StateClassUpdate,
)
from ...api.frigate.models import FrigateEvent
from ...api.frigate.recognition import (
    FrigateRecognition,
)
from ...const import DOMAIN, LOGGER
from ..coordinator import FrigateConfigEntry, FrigateHub
from ..data import FrigateServerData
from .model import DESCRIPTION_SETTINGS, REVIEW_STATES, RecognitionData, Sighting

CLEAR_AFTER: Final = timedelta(seconds=60)  # a camera's last face, plate, class
CATALOG_INTERVAL: Final = timedelta(minutes=5)  # known faces and classes
DESCRIPTION_POLL: Final = timedelta(seconds=30)
DESCRIPTION_WAIT: Final = timedelta(minutes=10)  # after an event's end
DESCRIPTIONS_KEPT: Final = 256


class RecognitionHub(DataUpdateCoordinator[RecognitionData]):
    """The recognition state of one server (see the module docstring); never polls itself."""

    config_entry: FrigateConfigEntry

    def __init__(self, hass: HomeAssistant, entry: FrigateConfigEntry, hub: FrigateHub) -> None:
        """Start from the hub's first cycle."""
        super().__init__(
            hass, LOGGER, config_entry=entry, name=f"{DOMAIN} {entry.title} recognition"
        )
        self.hub = hub
        self.api = FrigateRecognition(hub.client, hub.info.version)
        self._known: set[tuple[str, str, str]] = set()  # (event, kind, value) already taken
        self._in_progress: dict[str, tuple[str, float]] = {}  # event -> (camera, start)
        self._pending: dict[str, tuple[float, datetime]] = {}  # event -> (start, ended at)
        self._polled_at: datetime | None = None
        self._descriptions: OrderedDict[str, str] = OrderedDict()
        self._clear: dict[tuple[str, str, str], CALLBACK_TYPE] = {}
        self._listening = False
        self.data = RecognitionData(
            features=self.api.features,
            config=hub.data.config.recognition,
            commands=hub.live is not None and may_control(hub.info.version, hub.info.profile),
        )
        self._take_cycle(hub.data)

    # ------------------------------------------------------------------ lifecycle

    async def async_start(self) -> None:
        """Read the known faces and classes; then follow the hub and refresh them now and then."""
        await self._async_catalog()
        entry = self.config_entry
        entry.async_on_unload(self.hub.async_add_listener(self._on_hub))
        entry.async_on_unload(
            async_track_time_interval(self.hass, self._async_catalog_due, CATALOG_INTERVAL)
        )
        entry.async_on_unload(self._cancel_timers)
        self._listen()

    @callback
    def _listen(self) -> None:
        """Take the messages of the entry's websocket, once it has one (0.12+)."""
        bridge = getattr(self.hub, "live", None)
        listeners = getattr(bridge, "message_listeners", None)
        if self._listening or not isinstance(listeners, list):
            return
        listeners.append(self.async_handle_message)
        self._listening = True

        @callback
        def _stop() -> None:
            if self.async_handle_message in listeners:
                listeners.remove(self.async_handle_message)

        self.config_entry.async_on_unload(_stop)

    @callback
    def _cancel_timers(self) -> None:
        for cancel in self._clear.values():
            cancel()
        self._clear.clear()

    async def _async_catalog_due(self, _now: datetime) -> None:
        await self._async_catalog()

    async def _async_catalog(self) -> None:
        """Known faces (`/api/faces`) and each model's classes; a failure keeps the last."""
        data = self.data
        faces, classes = data.faces, dict(data.classes)
        try:
            if data.features.faces and data.config.faces:
                faces = await self.api.faces()
            if data.features.classification:
                for model in data.config.models.values():
                    if model.enabled:
                        classes[model.key] = await self.api.classes(model.key)
        except FrigateError as err:
            LOGGER.debug("Frigate faces or classes not read: %s", err)
        classes = {key: value for key, value in classes.items() if key in data.config.models}
        if (faces, classes) != (data.faces, data.classes):
            self._publish(replace(self.data, faces=faces, classes=classes))

    # ------------------------------------------------------------------ from the hub

    @callback
    def _on_hub(self) -> None:
        self._listen()
        if not self.hub.last_update_success:
            self.async_update_listeners()  # the entities follow the server's availability
            return
        self._take_cycle(self.hub.data)
        self._publish(self.data)
        self._poll_descriptions()

    def _take_cycle(self, cycle: FrigateServerData) -> None:
        """Config and events of one hub cycle."""
        config = cycle.config.recognition
        data = replace(
            self.data,
            config=config,
            labels={name: camera.labels for name, camera in cycle.cameras.items()},
        )
        if not data.profile_known or config.active_profile != self.data.config.active_profile:
            data = replace(data, profile=config.active_profile, profile_known=True)
        self.data = data
        now = dt_util.utcnow()
        in_progress: dict[str, tuple[str, float]] = {}
        for event in (*cycle.in_progress, *cycle.new_events):
            if event.end_time is None:
                in_progress[event.id] = (event.camera, event.start_time or 0.0)
            elif event.description is None:
                self._describe_later(event.id, event.camera, event.start_time or 0.0, now)
            self._take_event(event, now)
        for ended, (camera, start) in self._in_progress.items():
            if ended not in in_progress:
                self._describe_later(ended, camera, start, now)
        self._in_progress = in_progress

    def _describe_later(self, event_id: str, camera: str, start: float, now: datetime) -> None:
        """An event ended where objects are described: its description is to come."""
        data = self.data
        if (
            data.descriptions_on(camera)
            and data.description_setting(camera, "object_descriptions")
            and event_id not in self._descriptions
        ):
            self._pending.setdefault(event_id, (start, now))

    def _take_event(self, event: FrigateEvent, now: datetime) -> None:
        """What the enrichments put on an event row (each finding taken once)."""
        data = self.data
        camera = event.camera
        sub_label = event.sub_label
        if event.description is not None:
            self._remember_description(event.id, event.description)
        if (
            self._first(event.id, "face", sub_label)
            and data.camera_faces(camera)
            and sub_label in data.faces
        ):
            self._face(camera, event.id, sub_label, event.sub_label_score, now)
        plate = event.recognized_license_plate
        if (
            plate is not None
            and self._first(event.id, "plate", plate)
            and data.camera_plates(camera)
        ):
            name = sub_label if sub_label in data.config.known_plates else None
            self._plate(camera, event.id, plate, name, event.recognized_license_plate_score, now)
        if sub_label is None:
            return
        for key in data.object_models(camera):
            model = data.config.models[key]
            if (
                event.label in model.objects
                and sub_label in data.classes.get(key, ())
                and self._first(event.id, key, sub_label)
            ):
                self._object_class(camera, key, sub_label, event.id, event.sub_label_score, now)

    def _taken(self, event_id: str | None, kind: str, value: str) -> None:
        """A pushed finding: the event row that carries it later adds nothing."""
        if event_id is not None:
            self._first(event_id, kind, value)

    def _first(self, event_id: str, kind: str, value: str | None) -> bool:
        if value is None or (event_id, kind, value) in self._known:
            return False
        if len(self._known) > DESCRIPTIONS_KEPT * 8:
            self._known.clear()
        self._known.add((event_id, kind, value))
        return True

    # ------------------------------------------------------------------ findings

    def _face(
        self, camera: str, event_id: str | None, name: str, score: float | None, now: datetime
    ) -> None:
        data = self.data
        sighting = Sighting(value=name, at=now, score=score, event_id=event_id)
        face = {**data.face, camera: sighting}
        seen = dict(data.face_seen)
        if name in data.faces:
            seen[name] = Sighting(value=camera, at=now, score=score, event_id=event_id)
        self.data = replace(data, face=face, face_seen=seen)
        self._clear_later("face", camera)

    def _plate(
        self,
        camera: str,
        event_id: str | None,
        plate: str,
        name: str | None,
        score: float | None,
        now: datetime,
    ) -> None:
        data = self.data
        sighting = Sighting(value=plate, at=now, score=score, event_id=event_id, name=name)
        seen = dict(data.plate_seen)
        if name is not None and name in data.config.known_plates:
            seen[name] = Sighting(value=camera, at=now, score=score, event_id=event_id)
        self.data = replace(data, plate={**data.plate, camera: sighting}, plate_seen=seen)
        self._clear_later("plate", camera)

    def _object_class(
        self,
        camera: str,
        model: str,
        value: str,
        event_id: str | None,
        score: float | None,
        now: datetime,
    ) -> None:
        data = self.data
        sighting = Sighting(value=value, at=now, score=score, event_id=event_id)
        seen = dict(data.class_seen)
        if value in data.classes.get(model, ()):
            seen[model, value] = Sighting(value=camera, at=now, score=score, event_id=event_id)
        self.data = replace(
            data, object_class={**data.object_class, (camera, model): sighting}, class_seen=seen
        )
        self._clear_later("class", camera, model)

    def _clear_later(self, kind: str, camera: str, model: str = "") -> None:
        key = (kind, camera, model)
        if (cancel := self._clear.pop(key, None)) is not None:
            cancel()

        @callback
        def _clear(_now: datetime) -> None:
            self._clear.pop(key, None)
            self._forget(kind, camera, model)
            self._publish(self.data)

        self._clear[key] = async_call_later(self.hass, CLEAR_AFTER, _clear)

    def _forget(self, kind: str, camera: str, model: str = "") -> None:
        data = self.data
        if kind == "face":
            self.data = replace(data, face={k: v for k, v in data.face.items() if k != camera})
        elif kind == "plate":
            self.data = replace(data, plate={k: v for k, v in data.plate.items() if k != camera})
        else:
            self.data = replace(
                data,
                object_class={k: v for k, v in data.object_class.items() if k != (camera, model)},
            )

    def _remember_description(self, event_id: str, text: str) -> None:
        self._pending.pop(event_id, None)
        if self._descriptions.get(event_id) == text:
            return
        self._descriptions[event_id] = text
        self._descriptions.move_to_end(event_id)
        while len(self._descriptions) > DESCRIPTIONS_KEPT:
            self._descriptions.popitem(last=False)
        self.data = replace(self.data, descriptions=dict(self._descriptions))

    # ------------------------------------------------------------------ descriptions over HTTP

    @callback
    def _poll_descriptions(self) -> None:
        """Ask for the descriptions of ended events, at most every 30 s while some are due."""
        now = dt_util.utcnow()
        self._pending = {
            key: (start, ended)
            for key, (start, ended) in self._pending.items()
            if now - ended < DESCRIPTION_WAIT
        }
        if not self._pending or (
            self._polled_at is not None and now - self._polled_at < DESCRIPTION_POLL
        ):
            return
        self._polled_at = now
        self.config_entry.async_create_background_task(
            self.hass, self._async_read_descriptions(), f"{DOMAIN} descriptions"
        )

    async def _async_read_descriptions(self) -> None:
        starts = [start for start, _ in self._pending.values() if start > 0]
        oldest = min(starts, default=dt_util.utcnow().timestamp() - 3600) - 1
        try:
            events = await self.hub.client.events(after=oldest, limit=100)
        except FrigateError as err:
            LOGGER.debug("Frigate descriptions not read: %s", err)
            return
        before = self.data
        for event in events:
            if event.description is not None and event.id in self._pending:
                self._remember_description(event.id, event.description)
        if self.data is not before:
            self._publish(self.data)

    # ------------------------------------------------------------------ pushed messages

    @callback
    def async_handle_message(self, message: object) -> None:
        """A decoded websocket message; those of other topics are ignored."""
        handlers: dict[type, Callable[[Any, datetime], None]] = {
            FaceUpdate: self._on_face,
            PlateUpdate: self._on_plate,
            ObjectClassUpdate: self._on_object_class,
            StateClassUpdate: self._on_state_class,
            DescriptionUpdate: self._on_description,
            ProfileUpdate: self._on_profile,
            ReviewStatusUpdate: self._on_review_status,
            SettingUpdate: self._on_setting,
            ActivityUpdate: self._on_activity,
        }
        handler = handlers.get(type(message))
        if handler is None:
            return
        before = self.data
        handler(message, dt_util.utcnow())
        if self.data is not before:
            self._publish(self.data)

    def _on_face(self, message: FaceUpdate, now: datetime) -> None:
        if message.name is None:
            self._forget("face", message.camera)
        elif self.data.camera_faces(message.camera):
            self._taken(message.event_id, "face", message.name)
            self._face(message.camera, message.event_id, message.name, message.score, now)

    def _on_plate(self, message: PlateUpdate, now: datetime) -> None:
        if message.plate is None:
            self._forget("plate", message.camera)
        elif self.data.camera_plates(message.camera):
            self._taken(message.event_id, "plate", message.plate)
            self._plate(
                message.camera, message.event_id, message.plate, message.name, message.score, now
            )

    def _on_object_class(self, message: ObjectClassUpdate, now: datetime) -> None:
        key = self._model_key(message.model)
        if key is not None and key in self.data.object_models(message.camera):
            self._taken(message.event_id, key, message.value)
            self._object_class(
                message.camera, key, message.value, message.event_id, message.score, now
            )

    def _on_state_class(self, message: StateClassUpdate, now: datetime) -> None:
        data = self.data
        key = self._model_key(message.model)
        if key is not None and key in data.state_models(message.camera):
            sighting = Sighting(value=message.state, at=now)
            state_class = {**data.state_class, (message.camera, key): sighting}
            self.data = replace(data, state_class=state_class)

    def _on_description(self, message: DescriptionUpdate, _now: datetime) -> None:
        self._remember_description(message.event_id, message.description)

    def _on_profile(self, message: ProfileUpdate, _now: datetime) -> None:
        self.data = replace(self.data, profile=message.profile, profile_known=True)

    def _on_review_status(self, message: ReviewStatusUpdate, _now: datetime) -> None:
        data = self.data
        status = message.status.lower()
        if message.camera in data.labels and status in REVIEW_STATES:
            self.data = replace(data, review_status={**data.review_status, message.camera: status})

    def _on_setting(self, message: SettingUpdate, _now: datetime) -> None:
        if message.setting in DESCRIPTION_SETTINGS and isinstance(message.value, bool):
            settings = {**self.data.settings, (message.camera, message.setting): message.value}
            self.data = replace(self.data, settings=settings)

    def _on_activity(self, message: ActivityUpdate, _now: datetime) -> None:
        settings = dict(self.data.settings)
        for camera, activity in message.cameras.items():
            for setting in DESCRIPTION_SETTINGS:
                if (on := activity.settings.get(setting)) is not None:
                    settings[camera, setting] = on
        self.data = replace(self.data, settings=settings)

    def _model_key(self, name: str) -> str | None:
        """The config key of a model named `name` in Frigate's messages."""
        for key, model in self.data.config.models.items():
            if name in {key, model.name}:
                return key
        return None

    @callback
    def _publish(self, data: RecognitionData) -> None:
        self.async_set_updated_data(data)
