"""Constants of the FLIR wing: options, intervals, measurement-area subentries."""

from datetime import timedelta
from typing import Final

# FLIR options
CONF_RTSP_ENABLED: Final = "rtsp_enabled"
CONF_RTSP_USERNAME: Final = "rtsp_username"
CONF_RTSP_PASSWORD: Final = "rtsp_password"  # noqa: S105
CONF_RTSP_PATH: Final = "rtsp_path"
DEFAULT_RTSP_USERNAME: Final = "rtsp"
DEFAULT_RTSP_PATH: Final = "avc"
# Stream choices (option values) and the camera paths they stand for.
RTSP_PATHS: Final = {"avc": "avc", "avc_ch1": "avc/ch1", "mpeg4": "mpeg4", "mjpg": "mjpg"}

FLIR_SCAN_INTERVAL: Final = timedelta(seconds=5)
FLIR_VISUAL_INTERVAL: Final = timedelta(seconds=30)
# Frames of the MJPEG stream made from stills: one a second is what a camera answering one
# request at a time can sustain next to the measurement polling.
FLIR_STREAM_INTERVAL: Final = 1.0

FLIR_MAC_PREFIX: Final = "00:40:7f"
MANUFACTURER_FLIR: Final = "Teledyne FLIR"

# FLIR local processing options (issue: radiometric imaging)
CONF_EMISSIVITY: Final = "emissivity"
CONF_REFLECTED_TEMP: Final = "reflected_temperature"
CONF_DISTANCE: Final = "distance"
CONF_PALETTE: Final = "palette"
CONF_RANGE_MIN: Final = "range_min"
CONF_RANGE_MAX: Final = "range_max"
DEFAULT_PALETTE: Final = "iron"

# Recorder load: a temperature sensor's state changes only when the value moves by more than
# this many degrees C. 0.2 is three standard deviations of the difference between two readings
# of a still scene by a camera with 50 mK of noise (NETD, A400), so noise alone writes no row,
# and a tenth of the cameras' accuracy (2 degC); 0 writes every new value.
CONF_TEMPERATURE_DEADBAND: Final = "temperature_deadband"
DEFAULT_TEMPERATURE_DEADBAND: Final = 0.2
MAX_TEMPERATURE_DEADBAND: Final = 10.0

# Measurement-area subentries
SUBENTRY_AREA: Final = "area"
CONF_AREA_KIND: Final = "kind"
CONF_X: Final = "x"
CONF_Y: Final = "y"
CONF_X2: Final = "x2"
CONF_Y2: Final = "y2"

# Ax8 cameras (resource interface): which interface an entry talks to, and the Ax8's options
CONF_INTERFACE: Final = "interface"
INTERFACE_REST: Final = "rest"
INTERFACE_AX8: Final = "ax8"
CONF_IMAGE_INTERVAL: Final = "image_interval"
DEFAULT_IMAGE_INTERVAL: Final = 60
"""Seconds between two radiometric stills of an Ax8: each one is written to its flash."""
MIN_IMAGE_INTERVAL: Final = 10
MAX_IMAGE_INTERVAL: Final = 3600
CONF_RTSP_OVERLAY: Final = "rtsp_overlay"
CONF_ATMOSPHERIC_TEMP: Final = "atmospheric_temperature"
CONF_HUMIDITY: Final = "humidity"
AX8_OBJECT_PARAMETERS: Final = {
    CONF_EMISSIVITY: "emissivity",
    CONF_DISTANCE: "distance",
    CONF_REFLECTED_TEMP: "reflected_c",
    CONF_ATMOSPHERIC_TEMP: "atmospheric_c",
    CONF_HUMIDITY: "humidity",
}
"""The Ax8's writable object parameters: option key and the library's name (humidity in %)."""
