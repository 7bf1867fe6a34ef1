"""The websocket `/ws` of the fake Frigate server, per version, as Frigate's dispatcher has it.

Read from Frigate's `frigate/comms/ws.py`, `frigate/comms/dispatcher.py`,
`frigate/camera/activity_manager.py` and `web/src/api/ws.tsx` (../shared/reference/
frigate-api.md §2.8, §7):

* no `/ws` before 0.12 (404 from nginx); behind nginx's auth check like the API (the
  middleware of `FakeFrigateServer` answers 401 without a token on the login port);
* envelopes `{"topic", "payload"}` both ways; JSON topics (`events`, `reviews`,
  `camera_activity`, `stats`) carry a JSON string; counts are numbers, switches ON/OFF;
  whatever the dispatcher publishes goes to every connected client (a broadcast);
* `onConnect` is answered from 0.14 with `camera_activity` (per camera: motion, objects, the
  `config` block of switch states, its keys per version), `model_state`,
  `embeddings_reindex_progress`, `birdseye_layout`, `audio_detections`, and `profile/state`
  on 0.18; 0.12 and 0.13 ignore it;
* `<camera>/<setting>/set` answered with `<camera>/<setting>/state` (the payload as sent,
  numbers as int), settings per version; turning on what the config does not enable (audio,
  autotracking) is refused without an answer, as is motion OFF while detect is on;
* `<camera>/ptz` (0.13+) is carried out and answered with nothing;
* 0.17.2+: only admins may send commands; others only `onConnect` and `ptz` of cameras their
  role allows; everything else is dropped without an answer. 0.18 also leaves out of each
  client's messages the cameras its role may not see;
* events and reviews (0.14+) as `new`/`end` with the object counts per camera and zone
  (`/active` too, and `all`) and `<camera>/motion` ON/OFF around them.

Faults: `drop()` closes every socket, `stalled` stops answering (pings too), `garbage()` sends
what is not an envelope.
"""

import asyncio
import contextlib
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

if TYPE_CHECKING:
    from .frigate_server import FakeCamera, FakeEvent, FakeFrigateServer

SETTINGS_SINCE = {
    "detect": 12,
    "motion": 12,
    "improve_contrast": 12,
    "motion_threshold": 12,
    "motion_contour_area": 12,
    "recordings": 12,
    "snapshots": 12,
    "audio": 13,
    "ptz_autotracker": 13,
    "review_alerts": 15,
    "review_detections": 15,
    "enabled": 16,
    "object_descriptions": 17,  # GenAI (tests/fakes/frigate_recognition.py)
    "review_descriptions": 17,
}
_NUMBERS = frozenset({"motion_threshold", "motion_contour_area"})
# `camera_activity` config keys per version, mapped to the settings they report.
_ACTIVITY_KEYS = {
    14: {"detect": "detect", "snapshots": "snapshots", "record": "recordings"},
    15: {"audio": "audio", "autotracking": "ptz_autotracker"},
    16: {"enabled": "enabled", "alerts": "review_alerts", "detections": "review_detections"},
    17: {
        "object_descriptions": "object_descriptions",
        "review_descriptions": "review_descriptions",
    },
}
_ALERT_LABELS = frozenset({"person", "car"})  # review.alerts.labels, Frigate's default
_ANY_USER_TOPICS = frozenset(
    {"onConnect", "modelState", "audioTranscriptionState", "birdseyeLayout"}
    | {"embeddingsReindexProgress"}
)


@dataclass
class LiveCamera:
    """The runtime switches of one camera (what `/api/config` shows too)."""

    settings: dict[str, bool | int]
    audio_in_config: bool = False
    autotracking_in_config: bool = False
    presets: tuple[str, ...] = ()  # ONVIF presets; a camera with presets has PTZ (0.13+)
    motion: bool = False


@dataclass
class LiveClient:
    """One open socket and the role of its user."""

    ws: web.WebSocketResponse
    role: str
    allowed: frozenset[str] | None  # None: every camera
    task: asyncio.Task[Any] | None = None  # the request handler serving it


@dataclass
class FakeLive:
    """The `/ws` of one `FakeFrigateServer`."""

    server: FakeFrigateServer
    cameras: dict[str, LiveCamera] = field(default_factory=dict)
    clients: list[LiveClient] = field(default_factory=list)
    received: list[tuple[str, Any, str]] = field(default_factory=list)  # topic, payload, role
    ptz_log: list[tuple[str, str]] = field(default_factory=list)
    reviews: dict[str, dict[str, Any]] = field(default_factory=dict)
    stalled: bool = False
    _counts: dict[str, int] = field(default_factory=dict)

    # -------------------------------------------------------------- state

    def camera(self, name: str) -> LiveCamera:
        """The runtime state of a camera (created with the config's defaults)."""
        if name not in self.cameras:
            self.cameras[name] = LiveCamera(
                settings={
                    "detect": True,
                    "motion": True,
                    "improve_contrast": True,
                    "motion_threshold": 30,
                    "motion_contour_area": 10,
                    "recordings": True,
                    "snapshots": True,
                    "audio": False,
                    "ptz_autotracker": False,
                    "review_alerts": True,
                    "review_detections": True,
                    "enabled": True,
                    "object_descriptions": False,  # objects.genai.enabled, off by default
                    "review_descriptions": False,
                }
            )
        return self.cameras[name]

    def enable_ptz(self, name: str, presets: tuple[str, ...] = ("home", "gate")) -> None:
        """Give a camera ONVIF PTZ with presets (and autotracking in its config)."""
        camera = self.camera(name)
        camera.presets = presets
        camera.autotracking_in_config = True

    def enable_audio(self, name: str) -> None:
        """Turn audio detection on in a camera's config (0.13+)."""
        camera = self.camera(name)
        camera.audio_in_config = True
        camera.settings["audio"] = True

    def camera_config(self, fake: FakeCamera) -> dict[str, Any]:
        """What `/api/config` shows of the runtime switches (merged into the camera)."""
        camera = self.camera(fake.name)
        settings = camera.settings
        minor = self.server.minor
        config: dict[str, Any] = {
            "detect": {"enabled": settings["detect"]},
            "record": {"enabled": settings["recordings"]},
            "snapshots": {"enabled": settings["snapshots"]},
            "motion": {
                "enabled": settings["motion"],
                "threshold": settings["motion_threshold"],
                "contour_area": settings["motion_contour_area"],
                "improve_contrast": settings["improve_contrast"],
            },
        }
        if minor >= 13:
            config["audio"] = {
                "enabled": settings["audio"],
                "enabled_in_config": camera.audio_in_config,
                "listen": ["bark", "fire_alarm", "speech"],
            }
            config["onvif"] = {
                "host": "192.0.2.50" if camera.presets else "",
                "autotracking": {
                    "enabled": bool(settings["ptz_autotracker"]),
                    "enabled_in_config": camera.autotracking_in_config,
                },
            }
        if minor >= 14:
            config["review"] = {
                "alerts": {"enabled": settings["review_alerts"]},
                "detections": {"enabled": settings["review_detections"]},
            }
        if minor >= 16:
            config["enabled"] = settings["enabled"]
        return config

    # -------------------------------------------------------------- the socket

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """`GET /ws`: the handshake passed nginx's auth check; serve the socket."""
        server = self.server
        claims = server._token_claims(request) if server.auth == "login" else None
        role = claims.get("role", "admin") if claims else "admin"
        allowed = None if role == "admin" else frozenset(server._allowed_cameras(role))
        ws = web.WebSocketResponse(autoping=False, max_msg_size=1 << 20)
        await ws.prepare(request)
        client = LiveClient(ws=ws, role=role, allowed=allowed, task=asyncio.current_task())
        self.clients.append(client)
        try:
            async for message in ws:
                if self.stalled:
                    continue
                if message.type == WSMsgType.PING:
                    await ws.pong(message.data)
                elif message.type == WSMsgType.TEXT:
                    await self._receive(client, message.data)
        finally:
            self.clients.remove(client)
        return ws

    async def _receive(self, client: LiveClient, text: str) -> None:
        try:
            data = json.loads(text)
            topic, payload = data.get("topic"), data.get("payload")
        except ValueError, AttributeError:
            return  # Frigate logs "Unable to parse websocket message"
        if not isinstance(topic, str):
            return
        self.received.append((topic, payload, client.role))
        if not self._authorized(client, topic):
            return
        if topic == "onConnect":
            await self.on_connect()
            return
        parts = topic.split("/")
        if len(parts) == 3 and parts[2] == "set":
            await self._set(parts[0], parts[1], payload)
        elif len(parts) == 2 and parts[1] == "set":  # profile/set (0.18)
            await self.server.recognition.receive_global(parts[0], payload)
        elif (
            len(parts) == 2
            and parts[1] == "ptz"
            and self.server.minor >= 13
            and parts[0] in self.server.cameras
            and isinstance(payload, str)
        ):
            self.ptz_log.append((parts[0], payload))

    def _authorized(self, client: LiveClient, topic: str) -> bool:
        """0.17.2: admins send anything; others `onConnect` and the like, `ptz` of their cameras."""
        if self.server.minor < 17 or client.role == "admin" or topic in _ANY_USER_TOPICS:
            return True
        parts = topic.split("/")
        return (
            len(parts) == 2
            and parts[1] == "ptz"
            and (client.allowed is None or parts[0] in client.allowed)
        )

    async def _set(self, name: str, setting: str, payload: Any) -> None:
        if name not in self.server.cameras or SETTINGS_SINCE.get(setting, 99) > self.server.minor:
            return
        camera = self.camera(name)
        if setting in _NUMBERS:
            try:
                value: bool | int = int(payload)
            except TypeError, ValueError:
                return
        elif payload in ("ON", "OFF"):
            value = payload == "ON"
            if value and setting == "audio" and not camera.audio_in_config:
                return  # "Audio detection must be enabled in the config ..."
            if value and setting == "ptz_autotracker" and not camera.autotracking_in_config:
                return
            if not value and setting == "motion" and camera.settings["detect"]:
                return  # "Turning off motion is not allowed when detection is enabled."
            if value and setting == "detect" and not camera.settings["motion"]:
                camera.settings["motion"] = True
                await self.publish(f"{name}/motion/state", "ON")
        else:
            return
        camera.settings[setting] = value
        await self.publish(f"{name}/{setting}/state", value if setting in _NUMBERS else payload)

    async def on_connect(self) -> None:
        """What the dispatcher publishes on `onConnect` (0.14+; nothing before)."""
        minor = self.server.minor
        if minor < 14:
            return
        await self.publish("camera_activity", json.dumps(self.camera_activity()))
        await self.publish("model_state", json.dumps({}))
        await self.publish("embeddings_reindex_progress", json.dumps({}))
        await self.publish("birdseye_layout", json.dumps({}))
        await self.publish("audio_detections", json.dumps({}))
        if minor >= 18:
            await self.publish("profile/state", self.server.recognition.active_profile or "none")

    def camera_activity(self) -> dict[str, Any]:
        """`camera_activity`: per camera motion, objects in view and the config block."""
        keys: dict[str, str] = {}
        for since, mapping in _ACTIVITY_KEYS.items():
            if self.server.minor >= since:
                keys |= mapping
        activity: dict[str, Any] = {}
        for name in self.server.cameras:
            camera = self.camera(name)
            objects = [
                {
                    "id": event.id,
                    "label": event.label,
                    "stationary": False,
                    "area": 1000,
                    "ratio": 0.5,
                    "score": event.score,
                    "sub_label": event.sub_label,
                    "current_zones": event.zones,
                }
                for event in self._active_events(name)
            ]
            activity[name] = {
                "motion": camera.motion,
                "objects": objects,
                "audio_detections": [],
                "config": {key: camera.settings[setting] for key, setting in keys.items()},
            }
        return activity

    # -------------------------------------------------------------- publishing

    async def publish(self, topic: str, payload: Any) -> None:
        """Send to every client, as the dispatcher broadcasts (0.18 filters per role)."""
        message = json.dumps({"topic": topic, "payload": payload})
        for client in list(self.clients):
            if self.stalled or client.ws.closed or not self._visible(client, topic, payload):
                continue
            with contextlib.suppress(ConnectionError, RuntimeError):
                await client.ws.send_str(message)

    def _visible(self, client: LiveClient, topic: str, payload: Any) -> bool:
        if self.server.minor < 18 or client.allowed is None:
            return True
        if topic in ("events", "reviews"):
            after = json.loads(payload).get("after", {})
            return after.get("camera") in client.allowed
        first = topic.split("/", maxsplit=1)[0]
        return first not in self.server.cameras or first in client.allowed

    def _active_events(self, camera: str) -> list[FakeEvent]:
        now = time.time()
        return [
            event
            for event in self.server.events.values()
            if event.camera == camera and (event.end_time is None or event.end_time > now)
        ]

    def _object_state(self, event: FakeEvent) -> dict[str, Any]:
        return {
            "id": event.id,
            "camera": event.camera,
            "frame_time": time.time(),
            "label": event.label,
            "sub_label": event.sub_label,
            "top_score": event.top_score,
            "false_positive": False,
            "start_time": event.start_time,
            "end_time": event.end_time,
            "score": event.score,
            "box": list(event.box),
            "area": 1000,
            "ratio": 0.5,
            "region": [0, 0, 320, 320],
            "current_zones": [] if event.end_time is not None else list(event.zones),
            "entered_zones": list(event.zones),
            "thumbnail": None,
            "has_snapshot": event.has_snapshot,
            "has_clip": event.has_clip,
            "stationary": False,
            "motionless_count": 0,
            "position_changes": 1,
            "attributes": {},
        }

    async def event_changed(self, event: FakeEvent, kind: str) -> None:
        """Publish an event's `new`/`update`/`end`, its review, counts and motion."""
        if self.stalled:
            return
        state = self._object_state(event)
        before = dict(state, end_time=None) if kind == "end" else state
        await self.publish("events", json.dumps({"type": kind, "before": before, "after": state}))
        camera = self.camera(event.camera)
        moving = bool(self._active_events(event.camera))
        if moving != camera.motion:
            camera.motion = moving
            await self.publish(f"{event.camera}/motion", "ON" if moving else "OFF")
        await self._publish_counts(event.camera)
        if self.server.minor >= 14 and kind in ("new", "end"):
            await self._review(event, kind)

    async def _publish_counts(self, camera: str) -> None:
        fake = self.server.cameras[camera]
        events = self._active_events(camera)
        scopes = [(camera, events)] + [
            (zone, [e for e in events if zone in e.zones]) for zone in fake.zones
        ]
        for scope, scoped in scopes:
            counts = Counter(event.label for event in scoped)
            changed = False
            for label in fake.track:
                for suffix in ("", "/active"):
                    topic = f"{scope}/{label}{suffix}"
                    if self._counts.get(topic) != counts[label]:
                        self._counts[topic] = counts[label]
                        changed = True
                        await self.publish(topic, counts[label])
            if changed:
                await self.publish(f"{scope}/all", sum(counts.values()))
                await self.publish(f"{scope}/all/active", sum(counts.values()))

    async def _review(self, event: FakeEvent, kind: str) -> None:
        review_id = f"{event.start_time:.6f}-r{event.id[-5:]}"
        severity = "alert" if event.label in _ALERT_LABELS else "detection"
        review = {
            "id": review_id,
            "camera": event.camera,
            "start_time": event.start_time,
            "end_time": event.end_time if kind == "end" else None,
            "severity": severity,
            "thumb_path": f"/media/frigate/clips/review/thumb-{event.camera}-{review_id}.webp",
            "data": {
                "detections": [event.id],
                "objects": [event.label],
                "sub_labels": [event.sub_label] if event.sub_label else [],
                "zones": list(event.zones),
                "audio": [],
            },
        }
        before = self.reviews.get(review_id, review)
        self.reviews[review_id] = review
        await self.publish("reviews", json.dumps({"type": kind, "before": before, "after": review}))
        if self.server.minor >= 16:
            status = "NONE" if kind == "end" else severity.upper()
            await self.publish(f"{event.camera}/review_status", status)

    async def publish_stats(self) -> None:
        """`stats`, as the stats emitter sends it every `stats_interval`."""
        await self.publish("stats", json.dumps(self.server._build_stats()))

    # -------------------------------------------------------------- faults

    def close_all(self) -> None:
        """On server stop: end every socket's handler without waiting for a timer."""
        for client in list(self.clients):
            if client.task is not None:
                client.task.cancel()

    async def drop(self) -> None:
        """Close every socket (Frigate restarting)."""
        for client in list(self.clients):
            await client.ws.close()

    async def garbage(self) -> None:
        """Send what is no envelope: text, binary, wrong types, a JSON topic that is no JSON."""
        for client in list(self.clients):
            ws = client.ws
            await ws.send_str("not json {")
            await ws.send_bytes(b"\x00\xff")
            await ws.send_str(json.dumps(["topic", "payload"]))
            await ws.send_str(json.dumps({"topic": 5, "payload": "x"}))
            await ws.send_str(json.dumps({"topic": "events", "payload": "{broken"}))
            await ws.send_str(json.dumps({"topic": "events", "payload": json.dumps({"a": 1})}))
            await ws.send_str(json.dumps({"topic": "front_door/person", "payload": "many"}))
            await ws.send_str(json.dumps({"topic": "../../x/state", "payload": "ON"}))
            await ws.send_str(json.dumps({"topic": "camera_activity", "payload": "[1]"}))

    def notify(self, coro: Any) -> None:
        """Run a publication from synchronous test hooks of the server."""
        with contextlib.suppress(RuntimeError):
            asyncio.get_running_loop()
            self.server._spawn(coro)
            return
        coro.close()

    async def ptz_info(self, request: web.Request) -> web.Response:
        """`GET /api/<camera>/ptz/info` (0.13+): ONVIF features and presets; `{}` without."""
        name = request.match_info["camera"]
        if name not in self.server.cameras:
            return web.json_response({"success": False, "message": "Camera not found"}, status=404)
        camera = self.camera(name)
        if not camera.presets:
            return web.json_response({})
        features = ["pt", "zoom", "pt-r", "zoom-r"]
        if camera.autotracking_in_config:
            features.append("pt-r-fov")
        return web.json_response(
            {"name": name, "features": features, "presets": list(camera.presets)}
        )


def merge_into(config: dict[str, Any], extra: dict[str, Any]) -> None:
    """Merge the runtime switches into a camera's config, one level deep."""
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(config.get(key), dict):
            config[key] |= value
        else:
            config[key] = value
