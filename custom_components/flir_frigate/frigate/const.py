"""Constants of the Frigate NVR half of the integration."""

from datetime import timedelta
from typing import Final

CONF_URL: Final = "url"
CONF_VERIFY_SSL: Final = "verify_ssl"
CONF_TOKEN: Final = "token"  # noqa: S105

# Options: what the user chose NOT to get, so cameras and labels added to Frigate later get
# their entities without a visit to the options.
CONF_CAMERAS: Final = "cameras"
CONF_LABELS: Final = "labels"
OPTION_IGNORED_CAMERAS: Final = "ignored_cameras"
OPTION_IGNORED_LABELS: Final = "ignored_labels"
OPTION_MEDIA_BROWSER: Final = "media_browser"  # False: the entry stays out of the media browser

MANUFACTURER_FRIGATE: Final = "Frigate"
RELEASE_URL: Final = "https://github.com/blakeblackshear/frigate/releases/tag/v{version}"

# One polling cycle every few seconds for events; the other endpoints when they are due.
FRIGATE_SCAN_INTERVAL: Final = timedelta(seconds=5)
STATS_INTERVAL: Final = timedelta(seconds=15)  # Frigate refreshes its cached stats every 15 s
SUMMARY_INTERVAL: Final = timedelta(seconds=60)
SUMMARY_MIN_INTERVAL: Final = timedelta(seconds=15)  # sooner after new events, not more often
CONFIG_INTERVAL: Final = timedelta(minutes=5)
# A poll runs a little late or early; an endpoint due within this margin is fetched now.
DUE_MARGIN: Final = timedelta(seconds=2.5)

# Events are asked for from a little before the newest start time seen: Frigate may write an
# event whose start time lies before one already listed (pre-capture, slow inserts).
EVENT_OVERLAP: Final = 120.0
EVENT_PAGE: Final = 100

RTSP_PORT: Final = 8554

EVENT_NEW: Final = "new_event"
