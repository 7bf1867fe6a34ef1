"""Every Frigate payload model under its historical import path.

The models used to live in this one module; they are now split by payload (`stats`, `config`,
`events`, `server`) with the shared defensive readers in `parsing`. This module re-exports
every public name it used to define, so code that imports `...api.frigate.models` keeps
working; new code inside the library imports from the modules that define the names.
"""

from .config import DEFAULT_TRACKED_OBJECTS, CameraConfig, FrigateConfig
from .events import EventSummaryRow, FrigateEvent
from .parsing import (
    JsonObject,
    as_bool,
    as_float,
    as_int,
    as_mapping,
    as_str,
    as_str_tuple,
)
from .server import AuthMode, FrigateImage, FrigateProfile, ServerInfo
from .stats import (
    CameraStats,
    DetectorStats,
    FrigateStats,
    GpuUsage,
    ProcessStats,
    ProcessUsage,
    ServiceStats,
    StorageStats,
)

__all__ = [
    "DEFAULT_TRACKED_OBJECTS",
    "AuthMode",
    "CameraConfig",
    "CameraStats",
    "DetectorStats",
    "EventSummaryRow",
    "FrigateConfig",
    "FrigateEvent",
    "FrigateImage",
    "FrigateProfile",
    "FrigateStats",
    "GpuUsage",
    "JsonObject",
    "ProcessStats",
    "ProcessUsage",
    "ServerInfo",
    "ServiceStats",
    "StorageStats",
    "as_bool",
    "as_float",
    "as_int",
    "as_mapping",
    "as_str",
    "as_str_tuple",
]
