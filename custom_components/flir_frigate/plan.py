"""The entities a device gets, read off the entity descriptions its platforms set up from.

Each wing's plan (`flir/plan.py`, `frigate/plan.py`) walks the description tuples of its
platforms with their own exists, instances or items and value functions, and turns each entity
they would create into a `PlannedEntity`: which platform, which device, the description's key,
translation key and placeholders, whether it starts enabled, whether it is diagnostic, and its
state as text. The probe prints the plan; a test holds it to the platforms.
"""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path

from homeassistant.components.sensor import SensorEntityDescription
from homeassistant.const import EntityCategory, Platform
from homeassistant.helpers.entity import EntityDescription

TRANSLATIONS = Path(__file__).parent / "translations" / "en.json"


@dataclass(frozen=True, kw_only=True)
class PlannedEntity:
    """One entity the integration would create."""

    platform: Platform
    device: str  # the name of the device it belongs to
    key: str  # the description's key
    translation_key: str | None
    placeholders: Mapping[str, str] = field(default_factory=dict)
    named: bool = True  # False: the device's main feature, named after the device
    value: str | None = None  # the state as text, when the data tells it
    enabled: bool = True
    diagnostic: bool = False


def state_text(description: EntityDescription, value: object) -> str | None:
    """A state as text: on/off, a number at the sensor's precision with its unit, a time."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"JPEG, {len(value) / 1000:.0f} kB"
    if not isinstance(value, int | float) or not isinstance(description, SensorEntityDescription):
        return str(value)
    precision = description.suggested_display_precision
    text = str(value) if precision is None else f"{value:.{precision}f}"
    unit = description.native_unit_of_measurement
    return text if unit is None else f"{text} {unit}"


def planned(
    platform: Platform,
    device: str,
    description: EntityDescription,
    *,
    placeholders: Mapping[str, object] | None = None,
    value: object = None,
) -> PlannedEntity:
    """The entity of a description on a device, as the description sets it up."""
    return PlannedEntity(
        platform=platform,
        device=device,
        key=description.key,
        translation_key=description.translation_key,
        placeholders={name: str(text) for name, text in (placeholders or {}).items()},
        named=description.name is not None,
        value=state_text(description, value),
        enabled=description.entity_registry_enabled_default,
        diagnostic=description.entity_category == EntityCategory.DIAGNOSTIC,
    )


@cache
def _english_names() -> dict[str, dict[str, str]]:
    """Entity names by platform and translation key, from translations/en.json."""
    data = json.loads(TRANSLATIONS.read_text(encoding="utf-8"))
    return {
        platform: {key: str(value.get("name", "")) for key, value in keys.items()}
        for platform, keys in data.get("entity", {}).items()
    }


def english_name(entity: PlannedEntity) -> str:
    """The entity's English name under its device ("" for the device's main feature)."""
    if not entity.named or entity.translation_key is None:
        return ""
    names = _english_names().get(entity.platform, {})
    template = names.get(entity.translation_key, entity.translation_key)
    return re.sub(r"\{(\w+)\}", lambda m: entity.placeholders.get(m[1], m[0]), template)
