"""The description types of Frigate's sensors (sensor.py builds its tuples from them)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.components.sensor import SensorEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.helpers.typing import StateType

from ..api.frigate.models import FrigateStats
from .data import FrigateCameraData, FrigateServerData
from .entity import FrigateItemDescription


@dataclass(frozen=True, kw_only=True)
class FrigateCameraSensorDescription(SensorEntityDescription):
    """A sensor of a camera."""

    value_fn: Callable[[FrigateCameraData], StateType]
    attributes_fn: Callable[[FrigateCameraData], dict[str, Any] | None] = lambda _: None
    exists_fn: Callable[[FrigateCameraData], bool] = lambda _: True


@dataclass(frozen=True, kw_only=True)
class FrigateLabelSensorDescription(
    SensorEntityDescription, FrigateItemDescription[FrigateCameraData]
):
    """A sensor of each tracked label of a camera."""

    value_fn: Callable[[FrigateCameraData, str], StateType]


@dataclass(frozen=True, kw_only=True)
class FrigateServerSensorDescription(SensorEntityDescription):
    """A sensor of the server."""

    value_fn: Callable[[FrigateServerData], StateType | datetime]
    entity_category: EntityCategory | None = EntityCategory.DIAGNOSTIC
    exists_fn: Callable[[FrigateServerData], bool] = lambda _: True


@dataclass(frozen=True, kw_only=True)
class FrigateServerItemSensorDescription(
    SensorEntityDescription, FrigateItemDescription[FrigateStats]
):
    """A sensor of each detector, mount, GPU or device in the server's stats."""

    value_fn: Callable[[FrigateStats, str], StateType]
    entity_category: EntityCategory | None = EntityCategory.DIAGNOSTIC
    attributes_fn: Callable[[FrigateStats, str], dict[str, Any] | None] = lambda _, __: None
