"""The `review_summarize` action: Frigate's generative AI report of a span of review items.

Frigate 0.17 and later write it with the GenAI provider of their config (`POST
/api/review/summarize/start/<s>/end/<e>`, which may take a minute); the action returns the
text as its response. It names its server (`config_entry_id`), so several servers work; an
older version, a server without GenAI and a role that may not are refused with a reason.
"""

from datetime import datetime
from functools import partial
from typing import Final

import probatio as vol
from homeassistant.const import ATTR_CONFIG_ENTRY_ID
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.helpers import config_validation as cv

from ..api.frigate.exceptions import FrigateRequestRejectedError
from ..api.frigate.recognition import FrigateRecognition
from ..const import DOMAIN
from .services import _entry, _frigate_refusals, _invalid, _timestamp

SERVICE_REVIEW_SUMMARIZE: Final = "review_summarize"
ATTR_START: Final = "start"
ATTR_END: Final = "end"

REVIEW_SUMMARIZE_SCHEMA: Final = vol.Schema(
    {
        vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        vol.Required(ATTR_START): cv.datetime,
        vol.Required(ATTR_END): cv.datetime,
    }
)


async def _review_summarize(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    entry = _entry(hass, call)
    start: datetime = call.data[ATTR_START]
    end: datetime = call.data[ATTR_END]
    first, last = _timestamp(hass, start), _timestamp(hass, end)
    if not first < last:
        raise _invalid("service_times_order")
    runtime = entry.runtime_data
    recognition = FrigateRecognition(runtime.client, runtime.info.version)
    with _frigate_refusals(entry):
        try:
            summary = await recognition.review_summarize(first, last)
        except FrigateRequestRejectedError as err:
            raise _invalid("review_summarize_no_genai") from err
    return {"summary": summary, "start": start.isoformat(), "end": end.isoformat()}


@callback
def async_setup_recognition_services(hass: HomeAssistant) -> None:
    """Register `review_summarize` (once, when the integration loads)."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_REVIEW_SUMMARIZE,
        partial(_review_summarize, hass),
        schema=REVIEW_SUMMARIZE_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
