"""The websocket's entities of a camera in the plan: switches, numbers, presets, counts, ..."""

from collections.abc import Iterator

from homeassistant.const import Platform

from ..plan import PlannedEntity, planned
from .button import PRESET_BUTTONS
from .data import FrigateCameraData
from .entity import label_title, zone_title
from .live_binary_sensor import LIVE_BINARY_SENSORS
from .live_event import REVIEW_EVENTS
from .live_sensor import (
    COUNT_SENSORS,
    LIVE_SENSORS,
    ZONE_COUNT_SENSORS,
    count_value,
    zone_count_value,
    zone_items,
)
from .number import NUMBERS, number_exists, number_value
from .switch import SWITCHES, switch_exists, switch_state


def _controls(device: str, data: FrigateCameraData) -> Iterator[PlannedEntity]:
    """Switches, numbers and preset buttons (only where the user may use them)."""
    for switch in SWITCHES:
        if switch_exists(switch, data):
            yield planned(Platform.SWITCH, device, switch, value=switch_state(switch, data))
    for number in NUMBERS:
        if number_exists(number, data):
            yield planned(Platform.NUMBER, device, number, value=number_value(number, data))
    for button in PRESET_BUTTONS:
        for preset in button.items_fn(data):
            yield planned(Platform.BUTTON, device, button, placeholders={"preset": preset})


def _counts(device: str, data: FrigateCameraData) -> Iterator[PlannedEntity]:
    """Objects in view per label, and per zone and label."""
    for count in COUNT_SENSORS:
        for label in count.items_fn(data):
            yield planned(
                Platform.SENSOR,
                device,
                count,
                placeholders={"label": label_title(label)},
                value=count_value(count, data, label),
            )
    for zone_count in ZONE_COUNT_SENSORS:
        for zone, label in zone_items(data):
            yield planned(
                Platform.SENSOR,
                device,
                zone_count,
                placeholders={"zone": zone_title(data, zone), "label": label_title(label)},
                value=zone_count_value(zone_count, data, zone, label),
            )


def live_camera_plan(device: str, data: FrigateCameraData) -> Iterator[PlannedEntity]:
    """The entities a camera gets from the websocket (none without one)."""
    live = data.live
    if live is None:
        return
    yield from _controls(device, data)
    yield from _counts(device, data)
    for sensor in LIVE_SENSORS:
        if sensor.exists_fn(data):
            yield planned(Platform.SENSOR, device, sensor, value=sensor.value_fn(data))
    for binary in LIVE_BINARY_SENSORS:
        if binary.exists_fn(data):
            yield planned(Platform.BINARY_SENSOR, device, binary, value=binary.is_on_fn(data))
    if live.reviews:
        for review in REVIEW_EVENTS:
            yield planned(Platform.EVENT, device, review)
