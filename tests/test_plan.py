"""The entity plan (what the probe prints) against the platforms' entity descriptions.

The descriptions are found by reading every platform module of each wing, not listed here: a
description added to a platform, or a new tuple of them, must show up in the plan of a device
that has everything, with the category, default and state the description gives it. The probe
tests compare the plan with what the integration registers for the fake devices.
"""

import dataclasses
import importlib
import importlib.util
from collections.abc import Iterator
from datetime import UTC, datetime
from types import ModuleType
from typing import cast

import pytest
from homeassistant.const import EntityCategory, Platform
from homeassistant.helpers.entity import EntityDescription

from custom_components.flir_frigate.api.flir.measure import AreaStats, FrameStats
from custom_components.flir_frigate.api.flir.models import (
    Alarm,
    AlarmMonitor,
    BoxMeasurement,
    Capabilities,
    DeltaMeasurement,
    LineMeasurement,
    Measurements,
    SpotMeasurement,
    TempSensor,
)
from custom_components.flir_frigate.api.frigate.models import (
    CameraConfig,
    CameraStats,
    DetectorStats,
    FrigateConfig,
    FrigateEvent,
    FrigateStats,
    GpuUsage,
    ProcessUsage,
    ServiceStats,
    StorageStats,
)
from custom_components.flir_frigate.flir.coordinator import FlirData, FlirDevice, ThermalFrame
from custom_components.flir_frigate.flir.plan import AreaDevice, flir_plan
from custom_components.flir_frigate.frigate.data import (
    FrigateCameraData,
    FrigateServerData,
)
from custom_components.flir_frigate.frigate.live_data import (
    NUMBER_SETTINGS,
    SWITCH_SETTINGS,
    CameraLive,
)
from custom_components.flir_frigate.frigate.plan import frigate_plan
from custom_components.flir_frigate.plan import PlannedEntity, english_name, state_text
from tests.frigate.recognition_common import everything_recognition

PACKAGE = "custom_components.flir_frigate"
WINGS = ("flir", "frigate")
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 1500 + b"\xff\xd9"

type Described = tuple[str, str, str | None]  # platform, key, translation key


def platform_modules(wing: str) -> dict[str, ModuleType]:
    """The wing's platform modules (`flir/sensor.py`, ...) by platform."""
    names = {platform.value: f"{PACKAGE}.{wing}.{platform.value}" for platform in Platform}
    return {
        platform: importlib.import_module(name)
        for platform, name in names.items()
        if importlib.util.find_spec(name) is not None
    }


def is_description(value: object) -> bool:
    """Whether a value is an entity description.

    Not `isinstance`: Home Assistant's own description classes (`CameraEntityDescription`)
    build their instances from a dataclass made beside the class.
    """
    if isinstance(value, type) or not dataclasses.is_dataclass(value):
        return False
    fields = {field.name for field in dataclasses.fields(value)}
    return {"key", "translation_key", "entity_category"} <= fields


def _descriptions(value: object) -> Iterator[EntityDescription]:
    """The entity descriptions in a module-level value: one, a tuple of them, or a mapping."""
    if is_description(value):
        yield cast("EntityDescription", value)
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _descriptions(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _descriptions(item)


def described(wing: str) -> dict[Described, EntityDescription]:
    """Every description the wing's platforms define, by platform, key and translation key."""
    found: dict[Described, EntityDescription] = {}
    for platform, module in platform_modules(wing).items():
        in_module = [
            description
            for name, value in vars(module).items()
            if name.isupper()
            for description in _descriptions(value)
        ]
        assert in_module, f"{wing}/{platform}.py defines no entity descriptions"
        found |= {(platform, d.key, d.translation_key): d for d in in_module}
    return found


def flir_everything() -> list[PlannedEntity]:
    """The plan of a radiometric camera with every tool, an alarm, a visual image, three areas."""
    one = (1,)
    capabilities = Capabilities(
        spots=one,
        boxes=one,
        lines=one,
        temp_sensors=one,
        alarms=one,
        has_alarms_endpoint=True,
        visual_format="VISIBLE",
    )
    measurements = Measurements(
        spots={1: SpotMeasurement(instance=1, temperature=21.5)},
        boxes={1: BoxMeasurement(instance=1, max=30.0, min=20.0, avg=25.0)},
        lines={1: LineMeasurement(instance=1, max=31.0, min=19.0, avg=24.0)},
        temp_sensors={1: TempSensor(instance=1, temperature=35.0)},
        alarms={1: Alarm(instance=1, state="active", triggered=True, threshold=28.0)},
        # An Ax8's: a box with a median, a delta, the reference temperature, monitor items
        deltas={1: DeltaMeasurement(instance=1, value=2.5, valid="=")},
        references={1: TempSensor(instance=1, temperature=25.0)},
        monitors={
            key: AlarmMonitor(key=key, active=True, triggered=False)
            for key in ("tempsens", "digin")
        },
    )
    measurements.boxes[2] = BoxMeasurement(
        instance=2, max=30.0, min=20.0, avg=25.0, median=24.0, median_valid="="
    )
    area = AreaStats(max=33.0, min=18.0, avg=22.0)
    kinds = ("spot", "box", "line")
    frame = ThermalFrame(
        stats=FrameStats(max=40.0, min=10.0, mean=22.0, hot_x=3, hot_y=4, cold_x=0, cold_y=0),
        areas=dict.fromkeys(kinds, area),
        picture=JPEG,
    )
    device = FlirDevice(serial="S1", model="FLIR A400", width=320, height=240, radiometric=True)
    data = FlirData(measurements=measurements, frame=frame, visual=JPEG)
    areas = {kind: AreaDevice(title=f"{kind} area", kind=kind) for kind in kinds}
    return list(flir_plan("FLIR A400 S1", device, capabilities, data, areas))


def frigate_everything() -> list[PlannedEntity]:
    """The plan of a 0.18 server with every kind of stats and a camera with labels and zones."""
    camera = CameraConfig(
        name="front_door", tracked_objects=("person",), zones=("porch",), live_streams={}
    )
    stats = FrigateStats(
        cameras={
            "front_door": CameraStats(
                name="front_door",
                camera_fps=5.0,
                detection_fps=1.0,
                process_fps=5.0,
                skipped_fps=0.0,
                detection_enabled=True,
                connection_quality="fair",
                expected_fps=5.0,
                reconnects_last_hour=1,
                stalls_last_hour=0,
                ffmpeg_cpu=4.0,
                capture_cpu=1.5,
                detect_cpu=3.0,
            )
        },
        detectors={
            "coral": DetectorStats(name="coral", inference_speed=8.5, temperature=45.0, cpu=2.5)
        },
        service=ServiceStats(
            uptime=100.0,
            version="0.18.0",
            last_updated=1_800_000_000.0,
            storage={
                "/media/frigate": StorageStats(
                    mount="/media/frigate", total=4096.0, used=1024.0, free=3072.0
                )
            },
            temperatures={},
        ),
        detection_fps=1.0,
        cpu_usages={
            "frigate.full_system": ProcessUsage(key="frigate.full_system", cpu=12.0, mem=40.0)
        },
        gpu_usages={"intel-gpu": GpuUsage(name="intel-gpu", gpu=20.0)},
        processes={},
    )
    event = FrigateEvent(
        id="1800000000.0-abc",
        camera="front_door",
        label="person",
        zones=("porch",),
        start_time=1_800_000_000.0,
        has_snapshot=True,
    )
    data = FrigateCameraData(
        name="front_door",
        config=camera,
        stats=stats.cameras["front_door"],
        labels=camera.tracked_objects,
        in_progress=(event,),
        latest_event=event,
        latest_snapshot=event,
        latest_by_label={"person": event},
        events_today={"person": 3},
        recordings_mib=2048.0,
        live=everything_live(),
    )
    server = FrigateServerData(
        config=FrigateConfig(cameras={"front_door": camera}),
        stats=stats,
        cameras={"front_door": data},
        in_progress=(event,),
        started_at=datetime(2027, 1, 15, 8, 0, tzinfo=UTC),
    )
    return list(frigate_plan("Frigate nvr", server, everything_recognition()))


def everything_live() -> CameraLive:
    """A camera with every websocket feature: switches, numbers, presets, audio, reviews."""
    return CameraLive(
        connected=True,
        settings={"detect": True, "motion_threshold": 30},
        controllable=frozenset((*SWITCH_SETTINGS, *NUMBER_SETTINGS)),
        ptz=True,
        presets=("home",),
        counts={"person": 1},
        motion=True,
        reviews=True,
        audio=True,
        audio_labels=frozenset({"bark"}),
        dbfs=-40.0,
    )


PLANS = {"flir": flir_everything, "frigate": frigate_everything}


@pytest.mark.parametrize("wing", WINGS)
def test_every_description_is_planned(wing: str) -> None:
    """Each description of each platform tuple appears in the plan of a device with everything."""
    descriptions = described(wing)
    plan = PLANS[wing]()
    planned = {(str(e.platform), e.key, e.translation_key) for e in plan}
    assert sorted(set(descriptions) - planned) == []
    # ...and the plan invents nothing the platforms do not describe.
    assert sorted(planned - set(descriptions)) == []


@pytest.mark.parametrize("wing", WINGS)
def test_planned_as_described(wing: str) -> None:
    """Enabled, diagnostic and the name come from the description; states are filled in."""
    descriptions = described(wing)
    for entity in PLANS[wing]():
        description = descriptions[str(entity.platform), entity.key, entity.translation_key]
        assert entity.enabled is description.entity_registry_enabled_default
        assert entity.diagnostic is (description.entity_category == EntityCategory.DIAGNOSTIC)
        assert entity.named is (description.name is not None)
        if entity.named:
            # A translated name, its placeholders filled: not the key, no `{...}` left.
            name = english_name(entity)
            assert name not in {"", entity.translation_key}, entity
            assert "{" not in name, entity
        if entity.platform in {Platform.SENSOR, Platform.BINARY_SENSOR, Platform.IMAGE}:
            assert entity.value is not None, entity


def test_placeholders() -> None:
    """Instances, labels and zones fill the names; server items keep Frigate's spelling."""
    names = {english_name(e) for e in (*flir_everything(), *frigate_everything())}
    assert {
        "Spot 1 temperature",
        "Alarm 1",
        "Person detected",
        "Object in Porch",
        "Storage used /media/frigate",
        "intel-gpu usage",
    } <= names


def test_state_text() -> None:
    """States as Home Assistant shows them: precision and unit of the sensor, on/off, times."""
    flir = {english_name(e): e.value for e in flir_everything()}
    assert flir["Spot 1 temperature"] == "21.5 °C"
    assert flir["Hottest point X"] == "3"
    assert flir["Alarm 1"] == "on"
    assert flir["Thermal picture"] == "JPEG, 2 kB"
    frigate = {english_name(e): e.value for e in frigate_everything()}
    assert frigate["Camera FPS"] == "5.0 fps"
    assert frigate["Events today"] == "3"
    assert frigate["Uptime"] == "2027-01-15T08:00:00+00:00"
    assert frigate["Latest snapshot"] == "person, event 1800000000.0-abc"
    assert state_text(EntityDescription(key="x"), None) is None
