"""The entities of a Frigate server and its cameras, from the descriptions the platforms use.

`frigate_plan` walks the same description tuples as the platforms, with the same exists and
items functions, over the same data (a `FrigateServerData` cycle and its `FrigateCameraData`
per camera), so an entity added to a platform shows up here without a second list to keep.
`probe_plan` builds that data from what the library's probe found, as the hub would with the
default options, for the command line.
"""

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from homeassistant.const import Platform
from yarl import URL

from ..api.frigate.live_models import may_control
from ..api.frigate.models import FrigateEvent
from ..api.frigate.probe import FrigateProbe
from ..plan import PlannedEntity, planned
from .binary_sensor import BINARY_SENSORS, OBJECT_SENSORS
from .camera import CAMERAS
from .coordinator import allowed_cameras, started_at
from .data import FrigateCameraData, FrigateServerData
from .entity import FrigateItemDescription, camera_title, item_title
from .event import EVENTS
from .image import LABEL_IMAGES, SNAPSHOTS
from .live_plan import live_camera_plan
from .recognition.model import RecognitionData
from .recognition_plan import recognition_plan
from .recordings import recordings_mib
from .sensor import (
    CAMERA_SENSORS,
    LABEL_SENSORS,
    SERVER_ITEM_SENSORS,
    SERVER_SENSORS,
)
from .update import UPDATES


def _item(description: FrigateItemDescription[Any], text: str) -> dict[str, str]:
    """The translation placeholder an item fills, if the description has one."""
    return {} if description.placeholder is None else {description.placeholder: text}


def _event_text(event: FrigateEvent | None) -> str | None:
    return None if event is None else f"{event.label}, event {event.id}"


def _camera_sensors(device: str, data: FrigateCameraData) -> Iterator[PlannedEntity]:
    """The sensors of a camera and of each of its labels."""
    for sensor in CAMERA_SENSORS:
        if sensor.exists_fn(data):
            yield planned(Platform.SENSOR, device, sensor, value=sensor.value_fn(data))
    for label_sensor in LABEL_SENSORS:
        for label in label_sensor.items_fn(data):
            yield planned(
                Platform.SENSOR,
                device,
                label_sensor,
                placeholders=_item(label_sensor, item_title(label_sensor, data, label)),
                value=label_sensor.value_fn(data, label),
            )


def _camera_binary_sensors(device: str, data: FrigateCameraData) -> Iterator[PlannedEntity]:
    """The binary sensors of a camera and of each of its labels and zones."""
    for binary_sensor in BINARY_SENSORS:
        yield planned(
            Platform.BINARY_SENSOR, device, binary_sensor, value=binary_sensor.is_on_fn(data)
        )
    for objects in OBJECT_SENSORS:
        for item in objects.items_fn(data):
            yield planned(
                Platform.BINARY_SENSOR,
                device,
                objects,
                placeholders=_item(objects, item_title(objects, data, item)),
                value=any(objects.matches_fn(event, item) for event in data.in_progress),
            )


def _camera_images(device: str, data: FrigateCameraData) -> Iterator[PlannedEntity]:
    """The snapshot of a camera and the image of each of its labels."""
    for snapshot in SNAPSHOTS:
        yield planned(Platform.IMAGE, device, snapshot, value=_event_text(snapshot.event_fn(data)))
    for image in LABEL_IMAGES:
        for label in image.items_fn(data):
            yield planned(
                Platform.IMAGE,
                device,
                image,
                placeholders=_item(image, item_title(image, data, label)),
                value=_event_text(image.event_fn(data, label)),
            )


def camera_plan(device: str, data: FrigateCameraData) -> Iterator[PlannedEntity]:
    """The entities of one camera, on its device named `device`."""
    for camera in CAMERAS:
        yield planned(Platform.CAMERA, device, camera)
    yield from _camera_sensors(device, data)
    yield from _camera_binary_sensors(device, data)
    for event in EVENTS:
        yield planned(Platform.EVENT, device, event)
    yield from _camera_images(device, data)
    yield from live_camera_plan(device, data)  # switches, numbers, counts, ... (websocket)


def frigate_plan(
    server: str,
    data: FrigateServerData,
    recognition: RecognitionData | None = None,
    *,
    control: bool = True,
) -> Iterator[PlannedEntity]:
    """The entities of a server named `server` and of its cameras, with their states in `data`.

    `recognition`: what the recognition hub knows (from `data` alone without it); `control`:
    whether Frigate takes the user's commands (the profile select).
    """
    for sensor in SERVER_SENSORS:
        if sensor.exists_fn(data):
            yield planned(Platform.SENSOR, server, sensor, value=sensor.value_fn(data))
    for item_sensor in SERVER_ITEM_SENSORS:
        for item in item_sensor.items_fn(data.stats):
            yield planned(
                Platform.SENSOR,
                server,
                item_sensor,
                # Server items (mounts, GPUs) are named as Frigate spells them.
                placeholders=_item(item_sensor, item),
                value=item_sensor.value_fn(data.stats, item),
            )
    for update in UPDATES:
        yield planned(Platform.UPDATE, server, update)
    for name, camera in data.cameras.items():
        yield from camera_plan(camera_title(name, camera.config.friendly_name), camera)
    yield from recognition_plan(server, data, recognition, control=control)


def server_name(url: str) -> str:
    """The name of a Frigate server's device: `Frigate <host[:port]>`."""
    parsed = URL(url)
    port = f":{parsed.explicit_port}" if parsed.explicit_port is not None else ""
    return f"Frigate {parsed.host}{port}"


def _newest(events: Iterable[FrigateEvent]) -> FrigateEvent | None:
    return max(events, key=lambda event: event.start_time or 0.0, default=None)


def _camera_data(found: FrigateProbe, name: str, today: str) -> FrigateCameraData:
    """One camera's slice of a cycle, from the events the probe read."""
    config = found.config.cameras[name]
    events = [
        event
        for event in (*(found.recent_events or ()), *(found.in_progress or ()))
        if event.camera == name
    ]
    labels = {event.label for event in events}
    events_today: dict[str, int] | None = None
    if found.summary is not None:
        events_today = {}
        for row in found.summary:
            if row.camera == name and row.day == today:
                events_today[row.label] = events_today.get(row.label, 0) + row.count
    return FrigateCameraData(
        name=name,
        config=config,
        stats=found.stats.cameras.get(name),
        labels=config.tracked_objects,
        in_progress=tuple(event for event in found.in_progress or () if event.camera == name),
        latest_event=_newest(events),
        latest_snapshot=_newest(event for event in events if event.has_snapshot),
        latest_by_label={
            label: event
            for label in labels
            if (event := _newest(e for e in events if e.label == label)) is not None
        },
        events_today=events_today,
        recordings_mib=recordings_mib(found.recordings, config, found.stats),
    )


def probe_data(found: FrigateProbe) -> FrigateServerData:
    """A first cycle as the hub builds it with the default options, from the probe's findings.

    The summary is Frigate's (asked for without a time zone: UTC days).
    """
    allowed = allowed_cameras(found.info.profile)
    today = datetime.now(UTC).date().isoformat()
    return FrigateServerData(
        config=found.config,
        stats=found.stats,
        cameras={
            name: _camera_data(found, name, today)
            for name in found.config.cameras
            if allowed is None or name in allowed
        },
        in_progress=found.in_progress or (),
        started_at=started_at(found.stats, None),
    )


def probe_plan(found: FrigateProbe) -> list[PlannedEntity]:
    """The entities the integration would create for the server the probe found."""
    control = may_control(found.info.version, found.info.profile)
    return list(frigate_plan(server_name(found.url), probe_data(found), control=control))
