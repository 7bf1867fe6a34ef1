"""Decoding of websocket messages: shapes per topic, and everything malformed dropped."""

import json
from typing import Any

import pytest

from custom_components.flir_frigate.api.frigate.live_models import (
    ActivityUpdate,
    AudioUpdate,
    CountUpdate,
    EventUpdate,
    LiveFeatures,
    MotionUpdate,
    ReviewStatusUpdate,
    SettingUpdate,
    decode,
    ptz_payload,
    ptz_presets,
)
from custom_components.flir_frigate.api.frigate.version import FrigateVersion


def envelope(topic: Any, payload: Any) -> str:
    return json.dumps({"topic": topic, "payload": payload})


@pytest.mark.parametrize(
    ("topic", "payload", "expected"),
    [
        (
            "front_door/detect/state",
            "OFF",
            SettingUpdate(camera="front_door", setting="detect", value=False),
        ),
        (
            "front_door/motion_threshold/state",
            45,
            SettingUpdate(camera="front_door", setting="motion_threshold", value=45),
        ),
        (
            "front_door/motion_contour_area/state",
            "12",
            SettingUpdate(camera="front_door", setting="motion_contour_area", value=12),
        ),
        (
            "front_door/person",
            2,
            CountUpdate(scope="front_door", label="person", count=2, active=False),
        ),
        ("porch/all/active", 0, CountUpdate(scope="porch", label="all", count=0, active=True)),
        ("front_door/motion", "ON", MotionUpdate(camera="front_door", on=True)),
        ("front_door/audio/dBFS", -42.5, AudioUpdate(camera="front_door", dbfs=-42.5)),
        ("front_door/audio/bark", "ON", AudioUpdate(camera="front_door", label="bark", on=True)),
        (
            "front_door/review_status",
            "alert",
            ReviewStatusUpdate(camera="front_door", status="ALERT"),
        ),
    ],
)
def test_plain_topics(topic: str, payload: Any, expected: object) -> None:
    assert decode(envelope(topic, payload)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        json.dumps([1, 2]),
        json.dumps({"topic": 3}),
        envelope("events", "{cut"),
        envelope("events", json.dumps({"type": "boom", "after": {}})),
        envelope("events", json.dumps({"type": "new", "after": {"id": "x"}})),
        envelope("reviews", json.dumps({"type": "new", "after": {"id": "1.0-a", "camera": "c"}})),
        envelope("camera_activity", "[1, 2]"),
        envelope("stats", 5),
        envelope("stats", json.dumps({"cameras": [1, 2], "service": "x"})),
        envelope("stats", json.dumps({"cameras": [1, 2], "service": {"uptime": 5}})),
        envelope("stats", json.dumps({"detectors": {}})),
        envelope("front_door/person", "many"),
        envelope("front_door/person", -1),
        envelope("front_door/person", True),
        envelope("front_door/motion", "maybe"),
        envelope("front_door/review_status", 7),
        envelope("front_door/detect/state", "maybe"),
        envelope("front_door/birdseye/state", "ON"),
        envelope("front_door/motion_threshold/state", "high"),
        envelope("front_door/audio/bark", 3),
        envelope("front_door/status/detect", "online"),
        envelope("../etc/state", "ON"),
        envelope("a/b/c/d", "ON"),
        envelope("available", "online"),
        envelope("events", "[" * 100_000),
    ],
)
def test_malformed_is_dropped(text: str) -> None:
    assert decode(text) is None


def test_event_and_activity_shapes() -> None:
    after = {
        "id": "1718000000.123456-abc123",
        "camera": "front_door",
        "label": "person",
        "start_time": 1718000000.1,
        "end_time": None,
        "entered_zones": ["porch"],
        "current_zones": [],
        "has_snapshot": True,
        "top_score": 0.9,
    }
    update = decode(
        envelope("events", json.dumps({"type": "update", "before": after, "after": after}))
    )
    assert isinstance(update, EventUpdate)
    assert update.event.zones == ("porch",)
    assert update.event.has_snapshot
    activity = decode(
        envelope(
            "camera_activity",
            json.dumps(
                {
                    "front_door": {
                        "motion": True,
                        "objects": [{"label": "car", "stationary": True}, {"nolabel": 1}, 5],
                        "config": {"record": False, "alerts": True, "unknown": True},
                    },
                    "bad": [],
                }
            ),
        )
    )
    assert isinstance(activity, ActivityUpdate)
    camera = activity.cameras["front_door"]
    assert camera.motion is True
    assert [(o.label, o.stationary) for o in camera.objects] == [("car", True)]
    assert camera.settings == {"recordings": False, "review_alerts": True}
    # Frigate's UI tolerates an object where the string should be: so does the decoder.
    direct = decode(json.dumps({"topic": "camera_activity", "payload": {"x": {}}}))
    assert isinstance(direct, ActivityUpdate)


def test_features_per_version() -> None:
    old = LiveFeatures.of(FrigateVersion.parse("0.12.1"))
    assert old.settings >= {"detect", "recordings"}
    assert "audio" not in old.settings
    assert not old.camera_activity
    new = LiveFeatures.of(FrigateVersion.parse("0.18.0-beta1"))
    assert new.role_checks
    assert new.review_status
    assert "enabled" in new.settings
    assert not LiveFeatures.of(FrigateVersion.parse("0.17.1")).role_checks


def test_ptz_helpers() -> None:
    assert ptz_payload("ZOOM_IN") == "ZOOM_IN"
    assert ptz_payload("preset_front gate") == "preset_front gate"
    assert ptz_presets({"presets": ["home", "../x", 3]}) == ("home",)
    assert ptz_presets([]) == ()
