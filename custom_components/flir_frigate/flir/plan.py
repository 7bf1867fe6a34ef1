"""The entities of a FLIR camera, from the descriptions its platforms set up from.

`flir_plan` walks the same description tuples as the platforms, with the same exists and
instances functions, over the same data (a `FlirDevice`, the discovered `Capabilities`, one
`FlirData` cycle and the measurement areas), so an entity added to a platform shows up here
without a second list to keep. `probe_plan` builds that data from what the library's probe
found, for the command line.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from homeassistant.const import Platform

from ..api.flir.models import Capabilities, Measurements
from ..api.flir.probe import FlirProbe
from ..plan import PlannedEntity, planned
from .binary_sensor import ALARM_BINARY_SENSORS, MONITOR_BINARY_SENSORS
from .camera import CAMERAS
from .coordinator import FlirData, FlirDevice, ThermalFrame
from .event import ALARM_EVENTS
from .image import IMAGES
from .sensor import AREA_SENSORS, FRAME_SENSORS, instance_sensors


@dataclass(frozen=True, kw_only=True)
class AreaDevice:
    """A measurement area (a subentry): its device's name and its kind."""

    title: str
    kind: str  # spot, box or line


def _sensors(
    name: str, device: FlirDevice, data: FlirData, areas: Mapping[str, AreaDevice]
) -> Iterator[PlannedEntity]:
    """The camera's tool instances, whole-frame statistics, and the areas' statistics."""
    for description, instance in instance_sensors(data):
        item = description.instances_fn(data)[instance]
        yield planned(
            Platform.SENSOR,
            name,
            description,
            placeholders={"instance": instance},
            value=description.value_fn(item),
        )
    frame = data.frame
    for frame_description in FRAME_SENSORS:
        if frame_description.exists_fn(device):
            value = None if frame is None else frame_description.value_fn(frame.stats)
            yield planned(Platform.SENSOR, name, frame_description, value=value)
    for subentry_id, area in areas.items():
        stats = None if frame is None else frame.areas.get(subentry_id)
        for area_description in AREA_SENSORS[area.kind]:
            value = None if stats is None else area_description.value_fn(stats)
            yield planned(Platform.SENSOR, area.title, area_description, value=value)


def _alarms(name: str, data: FlirData) -> Iterator[PlannedEntity]:
    """The binary sensors and events of each alarm."""
    for instance, alarm in data.measurements.alarms.items():
        placeholders = {"instance": instance}
        for binary_sensor in ALARM_BINARY_SENSORS:
            yield planned(
                Platform.BINARY_SENSOR,
                name,
                binary_sensor,
                placeholders=placeholders,
                value=binary_sensor.is_on_fn(alarm),
            )
        for event in ALARM_EVENTS:
            yield planned(Platform.EVENT, name, event, placeholders=placeholders)
    monitors = data.measurements.monitors
    for monitor in MONITOR_BINARY_SENSORS:
        if (item := monitors.get(monitor.key)) is not None:
            yield planned(Platform.BINARY_SENSOR, name, monitor, value=item.triggered)


def flir_plan(
    name: str,
    device: FlirDevice,
    capabilities: Capabilities | None,
    data: FlirData,
    areas: Mapping[str, AreaDevice] | None = None,
) -> Iterator[PlannedEntity]:
    """The entities of a camera named `name`, with their states in `data`.

    `areas` maps each measurement area's subentry id to its device.
    """
    yield from _sensors(name, device, data, areas or {})
    yield from _alarms(name, data)
    for camera in CAMERAS:
        yield planned(Platform.CAMERA, name, camera)
    for image in IMAGES:
        if image.exists_fn(device, capabilities):
            yield planned(Platform.IMAGE, name, image, value=image.value_fn(data))


def device_name(found: FlirProbe) -> str:
    """The camera's device name: model and serial number, else its address."""
    return " ".join(part for part in (found.model, found.serial) if part) or found.base_url


def probe_plan(found: FlirProbe) -> list[PlannedEntity]:
    """The entities the integration would create for the camera the probe found."""
    thermal = found.thermal
    device = FlirDevice(
        serial=found.serial,
        model=found.model,
        width=None if thermal is None else thermal.width,
        height=None if thermal is None else thermal.height,
        radiometric=thermal is not None,
    )
    frame = (
        None
        if thermal is None
        else ThermalFrame(stats=thermal.stats, areas={}, picture=thermal.picture)
    )
    data = FlirData(
        measurements=found.measurements or Measurements(),
        frame=frame,
        frame_error=found.decode_error,
        visual=found.visual,
    )
    return list(flir_plan(device_name(found), device, found.capabilities, data))
