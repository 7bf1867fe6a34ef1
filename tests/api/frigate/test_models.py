"""Defensive parsing of Frigate payloads: the sample fixtures and hand-made variants."""

import dataclasses
from typing import Any

import pytest

from custom_components.flir_frigate.api.frigate.config import CameraConfig, FrigateConfig
from custom_components.flir_frigate.api.frigate.events import EventSummaryRow, FrigateEvent
from custom_components.flir_frigate.api.frigate.parsing import as_bool, as_float, as_int
from custom_components.flir_frigate.api.frigate.server import FrigateProfile
from custom_components.flir_frigate.api.frigate.stats import FrigateStats

from .conftest import load_fixture


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, 3.0),
        (3.5, 3.5),
        ("3.5", 3.5),
        ("19 %", 19.0),
        ("57.0%", 57.0),
        (" -1 ", -1.0),
        ("1e3", 1000.0),
        ("", None),
        ("-", None),
        ("-%", None),
        ("N/A", None),
        (None, None),
        (True, None),
        ([1], None),
        (float("nan"), None),
        ("inf", None),
        (10**400, None),  # JSON integers have no size limit; float() overflows
    ],
)
def test_as_float(value: object, expected: float | None) -> None:
    assert as_float(value) == expected


def test_as_int_and_bool() -> None:
    assert as_int("42") == 42
    assert as_int(42.0) == 42
    assert as_int(4.2) is None
    assert as_int("pid") is None
    assert as_bool(1) is True
    assert as_bool(0) is False
    assert as_bool("true") is True
    assert as_bool(2) is None
    assert as_bool("yes") is None


def test_models_are_frozen_kw_only_slotted() -> None:
    event = FrigateEvent.from_dict({"id": "1.2-abc", "camera": "c", "label": "person"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.label = "car"  # type: ignore[misc]
    assert not hasattr(event, "__dict__")
    with pytest.raises(TypeError):
        FrigateProfile("admin")  # type: ignore[call-arg]


# ------------------------------------------------------------------------------ stats


def test_stats_fixture_cameras_layout() -> None:
    stats = FrigateStats.from_dict(load_fixture("fhi_api_stats.json"))
    assert not stats.legacy_layout
    assert stats.storage_unit == "MiB"
    front = stats.cameras["front_door"]
    assert front.camera_fps == 4.1
    assert front.detection_fps == 6.0
    assert (front.pid, front.capture_pid, front.ffmpeg_pid) == (52, 53, 54)
    assert front.audio_dbfs == -12
    assert front.connection_quality is None
    assert front.online is True
    assert stats.detection_fps == 13.7
    assert stats.detectors["cpu1"].inference_speed == 91.43
    assert stats.detectors["cpu2"].temperature is None
    assert stats.service.uptime == 101113
    assert stats.service.version == "0.8.4-09a4d6d"
    assert stats.service.latest_version == "0.10.1"
    assert stats.temperatures == {"apex_0": 50.0}
    clips = stats.service.storage["/media/frigate/clips"]
    assert (clips.total, clips.used, clips.free, clips.mount_type) == (
        244529.7,
        189607.0,
        42429.9,
        "ext4",
    )
    assert stats.cpu_usages[str(front.pid)].cpu == 5.0
    assert stats.cpu_usages[str(front.ffmpeg_pid)].cpu == 15.0
    gpu = stats.gpu_usages["Nvidia GeForce RTX 3050"]
    assert (gpu.gpu, gpu.mem) == (19.0, 57.0)
    assert stats.processes["go2rtc"].pid == 89
    assert stats.camera_fps is None  # 0.17+ totals are not in this sample


def test_stats_fixture_legacy_layout() -> None:
    stats = FrigateStats.from_dict(load_fixture("frigate_test_api_stats_legacy_layout.json"))
    assert stats.legacy_layout
    assert stats.storage_unit == "MB"
    assert list(stats.cameras) == ["front_door"]  # detectors/service are not cameras
    front = stats.cameras["front_door"]
    assert front.camera_fps == 0.0
    assert front.online is False
    assert front.ffmpeg_pid is None
    assert (stats.camera_fps, stats.process_fps, stats.skipped_fps) == (5.0, 5.0, 0.0)
    assert stats.service.version == "0.10.1"
    assert stats.service.storage["/media/frigate/recordings"].free == 0.2
    assert stats.temperatures == {}
    assert stats.cpu_usages == {}


def test_stats_018_shape() -> None:
    stats = FrigateStats.from_dict(
        {
            "cameras": {
                "yard": {
                    "camera_fps": "5.0",
                    "connection_quality": "unusable",
                    "expected_fps": 5,
                    "reconnects_last_hour": 3,
                    "stalls_last_hour": 1,
                    "ffmpeg_cpu": "1.0",
                    "capture_cpu": None,
                    "detect_cpu": "2.5",
                    "detection_enabled": True,
                }
            },
            "detectors": {"coral": {"inference_speed": "8.5", "temperature": 45.2, "cpu": "3.0"}},
            "service": {"uptime": 5, "latest_version": "disabled", "storage": {"/x": "bad"}},
            "cpu_usages": {"frigate.full_system": {"cpu": "12.0", "mem": "40.1"}},
            "gpu_usages": {"intel-gpu": {"gpu": "", "mem": "-1", "vendor": "intel"}},
            "camera_fps": 5.0,
        }
    )
    yard = stats.cameras["yard"]
    assert yard.camera_fps == 5.0
    assert yard.online is False  # unusable connection despite frames
    assert (yard.reconnects_last_hour, yard.stalls_last_hour) == (3, 1)
    assert (yard.ffmpeg_cpu, yard.capture_cpu, yard.detect_cpu) == (1.0, None, 2.5)
    assert yard.detection_enabled is True
    assert stats.temperatures == {"coral": 45.2}
    assert stats.service.latest_version is None
    assert stats.service.storage == {}
    assert stats.cpu_usages["frigate.full_system"].cpu == 12.0
    gpu = stats.gpu_usages["intel-gpu"]
    assert (gpu.gpu, gpu.mem, gpu.vendor) == (None, None, "intel")


def test_stats_garbage_is_none_not_zero() -> None:
    stats = FrigateStats.from_dict(
        {
            "cameras": {"c": {"camera_fps": "n/a", "pid": "x", "audio_dBFS": None}, "bad": 3},
            "detectors": [],
            "service": "nope",
        }
    )
    assert list(stats.cameras) == ["c"]
    assert stats.cameras["c"].camera_fps is None
    assert stats.cameras["c"].online is None
    assert stats.cameras["c"].pid is None
    assert stats.detectors == {}
    assert stats.service.uptime is None
    assert stats.service.parsed_version is None


# ------------------------------------------------------------------------------ config


def test_config_fixture() -> None:
    config = FrigateConfig.from_dict(load_fixture("fhi_api_config.json"))
    assert config.version == "0.18-0"
    assert config.mqtt_topic_prefix == "frigate"
    assert config.mqtt_client_id == "frigate_client_id"
    assert config.go2rtc_streams == ("front_door",)
    assert config.profiles == ("away", "home")
    assert config.tracked_objects == ("person",)  # no global objects: Frigate's default
    front = config.cameras["front_door"]
    assert front.tracked_objects == ("amazon", "face", "person")
    assert front.zones == ("steps",)
    assert front.detect_enabled is True
    assert front.detect_width is None  # not in this trimmed sample
    assert front.audio_enabled is True
    assert front.audio_labels == ("bark", "speech")
    assert front.snapshots_enabled is True
    assert front.record_enabled is False
    assert front.restream_name == "front_door"
    assert config.all_tracked_objects == ("person", "amazon", "face")


def test_config_tracked_objects_fall_back_to_global() -> None:
    config = FrigateConfig.from_dict(
        {
            "objects": {"track": ["person", "dog"]},
            "cameras": {"a": {"objects": {"filters": {}}}, "b": {"objects": {"track": []}}},
        }
    )
    assert config.cameras["a"].tracked_objects == ("person", "dog")
    assert config.cameras["b"].tracked_objects == ()


@pytest.mark.parametrize(
    ("camera", "go2rtc", "expected"),
    [
        (
            {"live": {"streams": {"Main": "cam_main", "Sub": "cam_sub"}}},
            ["cam_main", "cam"],
            "cam_main",
        ),
        ({"live": {"streams": {"Main": "missing"}}}, ["cam"], "cam"),
        ({"live": {"stream_name": "other"}}, ["cam", "other"], "other"),
        ({"live": {"stream_name": "cam"}}, [], None),
        ({}, ["cam"], "cam"),
        ({}, ["unrelated"], None),
    ],
)
def test_restream_name(camera: dict[str, Any], go2rtc: list[str], expected: str | None) -> None:
    parsed = CameraConfig.from_dict("cam", camera, go2rtc_streams=tuple(go2rtc))
    assert parsed.restream_name == expected


def test_config_never_keeps_stream_urls() -> None:
    config = FrigateConfig.from_dict(
        {"go2rtc": {"streams": {"cam": ["rtsp://user:pw@10.0.0.2/live"]}}, "cameras": {"cam": {}}}
    )
    assert "pw" not in repr(config)


# ------------------------------------------------------------------------------ events


def test_events_fixture() -> None:
    events = [FrigateEvent.from_dict(row) for row in load_fixture("fhi_api_events.json")]
    assert len(events) == 50
    first = events[0]
    assert first.id == "1623454583.525913-y14xk9"
    assert first.camera == "front_door"
    assert first.top_score == 0.720703125
    assert first.score is None
    assert first.has_clip is True
    assert first.has_snapshot is False
    assert first.end_time == 1623454592.311938
    assert not first.in_progress
    assert first.has_thumbnail is None
    assert first.sub_label is None


def test_event_variants() -> None:
    legacy = FrigateEvent.from_dict(
        {
            "id": "1718000000.123456-abc123",
            "camera": "c",
            "label": "person",
            "top_score": 0.8,
            "score": 0.7,
            "end_time": None,
            "thumbnail": "/9j/4AAQ",
            "sub_label": "bob",
            "zones": ["porch", 3],
        }
    )
    assert (legacy.top_score, legacy.score) == (0.8, 0.7)
    assert legacy.in_progress
    assert legacy.has_thumbnail is True
    assert legacy.sub_label == "bob"
    assert legacy.zones == ("porch",)
    modern = FrigateEvent.from_dict(
        {
            "id": "1718000000.123456-abc124",
            "camera": "c",
            "label": "person",
            "top_score": None,
            "sub_label": ["alice", 0.91],
            "thumbnail": None,
            "data": {"score": 0.75, "top_score": "0.9", "type": "object"},
        }
    )
    assert (modern.score, modern.top_score) == (0.75, 0.9)
    assert (modern.sub_label, modern.sub_label_score) == ("alice", 0.91)
    assert modern.has_thumbnail is False
    assert modern.event_type == "object"
    with_data_score = FrigateEvent.from_dict(
        {"id": "1.1-a", "camera": "c", "label": "l", "data": {"sub_label_score": 0.5}}
    )
    assert with_data_score.sub_label_score == 0.5


@pytest.mark.parametrize("missing", ["id", "camera", "label"])
def test_event_required_fields(missing: str) -> None:
    row = {"id": "1.1-a", "camera": "c", "label": "l"}
    del row[missing]
    with pytest.raises(ValueError, match=missing):
        FrigateEvent.from_dict(row)


# ------------------------------------------------------------------------------ summary


def test_summary_fixture_old_rows() -> None:
    rows = [EventSummaryRow.from_dict(row) for row in load_fixture("fhi_api_events_summary.json")]
    assert len(rows) == 9
    assert rows[1].zones == ("steps",)
    assert rows[1].count == 52
    assert rows[0].sub_label is None
    assert rows[0].day == "2021-06-04"


def test_summary_row_variants() -> None:
    v012 = EventSummaryRow.from_dict(
        {
            "camera": "c",
            "label": "person",
            "sub_label": "bob",
            "day": "2024-01-02",
            "zones": [],
            "count": 3,
        }
    )
    assert (v012.sub_label, v012.count, v012.event_type) == ("bob", 3, None)
    v016 = EventSummaryRow.from_dict(
        {
            "camera": "c",
            "label": "car",
            "sub_label": None,
            "data": {"type": "object", "top_score": 0.9},
            "day": "2025-09-01",
            "zones": ["drive"],
            "count": "2",
        }
    )
    assert (v016.event_type, v016.count, v016.zones) == ("object", 2, ("drive",))
    bad_day = EventSummaryRow.from_dict({"camera": "c", "label": "l", "day": "today"})
    assert bad_day.day == "today"
    assert bad_day.count == 0


# ------------------------------------------------------------------------------ profile


def test_profile_variants() -> None:
    internal = FrigateProfile.from_dict(
        {"username": "anonymous", "role": "admin", "allowed_cameras": None}
    )
    assert internal.username == "anonymous"
    assert internal.is_admin is True
    assert internal.allowed_cameras is None
    viewer = FrigateProfile.from_dict({"username": "v", "role": "viewer", "allowed_cameras": ["a"]})
    assert viewer.is_admin is False
    assert viewer.allowed_cameras == ("a",)
    old = FrigateProfile.from_dict({"username": "admin"})
    assert old.is_admin is None
