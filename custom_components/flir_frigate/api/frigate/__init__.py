"""Frigate NVR HTTP client."""

from .client import FrigateClient, validate_camera, validate_event_id, validate_label
from .exceptions import (
    FrigateAuthenticationError,
    FrigateConnectionError,
    FrigateError,
    FrigateNotFoundError,
    FrigateRangeNotSatisfiableError,
    FrigateRateLimitedError,
    FrigateUnexpectedDeviceError,
    FrigateUnsupportedVersionError,
)
from .models import (
    CameraConfig,
    CameraStats,
    DetectorStats,
    EventSummaryRow,
    FrigateConfig,
    FrigateEvent,
    FrigateImage,
    FrigateProfile,
    FrigateStats,
    ServerInfo,
)
from .version import MIN_SUPPORTED_VERSION, FrigateVersion

__all__ = [
    "MIN_SUPPORTED_VERSION",
    "CameraConfig",
    "CameraStats",
    "DetectorStats",
    "EventSummaryRow",
    "FrigateAuthenticationError",
    "FrigateClient",
    "FrigateConfig",
    "FrigateConnectionError",
    "FrigateError",
    "FrigateEvent",
    "FrigateImage",
    "FrigateNotFoundError",
    "FrigateProfile",
    "FrigateRangeNotSatisfiableError",
    "FrigateRateLimitedError",
    "FrigateStats",
    "FrigateUnexpectedDeviceError",
    "FrigateUnsupportedVersionError",
    "FrigateVersion",
    "ServerInfo",
    "validate_camera",
    "validate_event_id",
    "validate_label",
]
