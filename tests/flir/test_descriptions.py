"""Entity descriptions of the FLIR wing: names and icons are translations, keys are unique."""

import json
from pathlib import Path

from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.typing import UNDEFINED

from custom_components.flir_frigate.flir import binary_sensor, camera, event, image, sensor

COMPONENT = Path(__file__).parents[2] / "custom_components" / "flir_frigate"
EN = json.loads((COMPONENT / "translations" / "en.json").read_text())
ICONS = json.loads((COMPONENT / "icons.json").read_text())

DESCRIPTIONS: dict[str, dict[str, tuple[EntityDescription, ...]]] = {
    "binary_sensor": {"alarm": binary_sensor.ALARM_BINARY_SENSORS},
    "camera": {"camera": camera.CAMERAS},
    "event": {"alarm": event.ALARM_EVENTS},
    "image": {"camera": image.IMAGES},
    "sensor": {
        "instance": sensor.INSTANCE_SENSORS,
        "frame": sensor.FRAME_SENSORS,
        **{f"area_{kind}": descriptions for kind, descriptions in sensor.AREA_SENSORS.items()},
    },
}


def test_descriptions_are_translated() -> None:
    """Every description has a translation key with a name and an icon, and no name or icon."""
    for platform, groups in DESCRIPTIONS.items():
        for descriptions in groups.values():
            for description in descriptions:
                key = description.translation_key
                assert key in EN["entity"][platform], (platform, key)
                assert key in ICONS["entity"][platform], (platform, key)
                assert description.name is UNDEFINED
                assert description.icon is None


def test_unique_id_suffixes_are_unique() -> None:
    """Within one scope (camera, one ROI, one alarm, one area) no two entities share a key."""
    for platform, groups in DESCRIPTIONS.items():
        for descriptions in groups.values():
            keys = [description.key for description in descriptions]
            assert len(keys) == len(set(keys)), (platform, keys)
