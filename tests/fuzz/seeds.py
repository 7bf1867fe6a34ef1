"""Seed inputs: what the fakes serve for every profile and version, the sample payloads, files.

Every seed is a real answer shape: the fake FLIR camera's JSON in each unit plus the variants
the OpenAPI description allows, the fake Frigate server's payloads for every supported version
(0.12 to 0.18, both stats layouts, events with and without ``data``), the Frigate sample
payloads in ``tests/api/frigate/fixtures``, and radiometric JPEGs: the Ax8 sample and files made
by ``api/flir/encode.py`` in every raw format, byte order and chunking.
"""

import asyncio
import json
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

import numpy as np
from aiohttp import web
from aiohttp.test_utils import make_mocked_request
from PIL import Image

from custom_components.flir_frigate.api.flir.encode import encode_rjpeg
from custom_components.flir_frigate.api.flir.rjpeg import MeasurementTool
from tests.fakes.flir_camera import FakeFlirCamera
from tests.fakes.frigate_server import SUPPORTED_VERSIONS, VERSION_STRINGS, FakeFrigateServer

TESTS = Path(__file__).resolve().parent.parent
FRIGATE_FIXTURES = TESTS / "api" / "frigate" / "fixtures"
AX8 = TESTS / "api" / "flir" / "fixtures" / "ax8.jpg"

type Json = Any


def _body(response: web.StreamResponse) -> Json:
    assert isinstance(response, web.Response)
    assert isinstance(response.body, bytes | bytearray)
    return json.loads(response.body)


def _fixture(name: str) -> Json:
    return json.loads((FRIGATE_FIXTURES / name).read_text())


# ------------------------------------------------------------------------------------- FLIR

FLIR_KINDS = ("spot", "box", "line", "tempsensor", "alarm", "alarms")


async def _flir_seeds() -> dict[str, list[Json]]:
    camera = FakeFlirCamera(profile="smart_sensor", drift=False)
    camera.set_hotspot(*camera.alarm_hotspot(1))  # one alarm triggered
    handlers = {
        "spot": camera._spot,
        "box": camera._box,
        "line": camera._line,
        "tempsensor": camera._tempsensor,
        "alarm": camera._alarm,
    }
    seeds: dict[str, list[Json]] = {kind: [] for kind in FLIR_KINDS}
    for unit in ("C", "F", "K"):
        for kind, handler in handlers.items():
            for n in (1, 2) if kind != "line" else (1,):
                request = make_mocked_request(
                    "GET", f"/api/{kind}/{n}.json?tempUnit={unit}", match_info={"n": str(n)}
                )
                seeds[kind].append(_body(await handler(request)))
        request = make_mocked_request("GET", f"/api/alarms?tempUnit={unit}")
        seeds["alarms"].append(_body(await camera._alarms(request)))
    # Shapes the OpenAPI description allows besides the fake's.
    seeds["spot"].append({"instance": 1, "value": "21.5", "unit": "°C", "x": 3.6, "y": "4"})
    seeds["box"].append(
        {
            "instance": 2,
            "max": 40,
            "min": 20,
            "average": 30,
            "x": 1,
            "y": 2,
            "width": 10,
            "height": 5,
            "unit": "kelvin",
        }
    )
    seeds["line"].append({"max": 40, "min": 20, "avg": 30, "points": [20, "21", None, 1e400]})
    seeds["tempsensor"].append({"instance": "3", "value": 311.15, "unit": "K"})
    seeds["alarm"].append(
        {
            "instance": 1,
            "state": "Acknowledged",
            "triggered": "yes",
            "threshold": "60",
            "unit": "degF",
            "roi": "Bx1",
        }
    )
    seeds["alarms"].append([seeds["alarm"][0], seeds["alarm"][-1], {"state": "active"}])
    return seeds


# ---------------------------------------------------------------------------------- Frigate

FRIGATE_KINDS = (
    "version",
    "stats",
    "config",
    "events",
    "event",
    "summary",
    "profile",
    "recordings",
)


def _request(path: str, **match_info: str) -> web.Request:
    return make_mocked_request("GET", path, match_info=match_info)


async def _frigate_version_seeds(version: str, seeds: dict[str, list[Json]]) -> None:
    server = FakeFrigateServer(version=version, seed=1, cameras=("front_door", "backyard"))
    server.add_camera("garage", zones=("door",), track=("person", "car", "dog"))
    ended = server.create_event("front_door", "person", zones=["porch"], in_progress=False)
    server.create_event("backyard", "dog", sub_label="rex", score=0.7)
    server.create_event("garage", "car", has_clip=False, has_snapshot=False)
    server.set_camera_offline("backyard")
    seeds["version"].append(server.version_string)
    seeds["stats"].append(server._build_stats())
    seeds["config"].append(_body(await server._config(_request("/api/config"))))
    for query in ("include_thumbnails=0", "include_thumbnails=1&in_progress=1"):
        seeds["events"].append(_body(await server._events(_request(f"/api/events?{query}"))))
    seeds["event"].append(_body(await server._event(_request(f"/api/events/{ended}", id=ended))))
    summary = _request("/api/events/summary?timezone=Europe/Berlin")
    seeds["summary"].append(_body(await server._summary(summary)))
    if server.minor >= 14:
        seeds["profile"].append(_body(await server._profile(_request("/api/profile"))))
    storage = _request("/api/recordings/storage")
    seeds["recordings"].append(_body(await server._recordings_storage(storage)))


async def _frigate_seeds() -> dict[str, list[Json]]:
    seeds: dict[str, list[Json]] = {kind: [] for kind in FRIGATE_KINDS}
    for version in SUPPORTED_VERSIONS:
        await _frigate_version_seeds(version, seeds)
    seeds["version"] += [
        VERSION_STRINGS["0.11"],  # too old: the client refuses it
        (FRIGATE_FIXTURES / "fhi_api_version.txt").read_text(),
        "0.18.0-beta1-e3fa701",
        "v0.14",
        "0.16.0-rc2\n",
    ]
    seeds["stats"] += [
        _fixture("fhi_api_stats.json"),
        _fixture("frigate_test_api_stats_legacy_layout.json"),
    ]
    seeds["config"].append(_fixture("fhi_api_config.json"))
    events = _fixture("fhi_api_events.json")
    seeds["events"].append(events)
    seeds["event"] += events[:3]
    seeds["event"].append({**events[0], "sub_label": ["bob", 0.93]})
    seeds["summary"].append(_fixture("fhi_api_events_summary.json"))
    seeds["recordings"].append({"front_door": {"usage": None, "bandwidth": 0}})
    seeds["profile"] += [
        {"username": "viewer", "role": "viewer", "allowed_cameras": ["front_door"]},
        {"username": "anonymous"},
    ]
    return seeds


# ----------------------------------------------------------------------------- radiometric


def _visual_jpeg() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (8, 6), (10, 20, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def rjpeg_seeds() -> list[bytes]:
    """Radiometric JPEGs: the Ax8 sample and encoder output in every format and layout."""
    temps = 20 + np.add.outer(np.arange(9.0), np.arange(12.0)) / 2
    tools = (
        MeasurementTool(kind="spot", label="Sp1", params=(3, 4)),
        MeasurementTool(kind="box", label="Bx1", params=(1, 1, 5, 5)),
        MeasurementTool(kind="line", label="Li1", params=(0, 2, 11, 2)),
    )
    return [
        AX8.read_bytes(),
        encode_rjpeg(temps, tools=tools, visual_jpeg=_visual_jpeg(), chunk_size=300),
        encode_rjpeg(temps, big_endian=False, raw_format="raw", tools=tools),
        encode_rjpeg(temps, raw_format="raw", chunk_size=200),
        encode_rjpeg(temps[:3, :4], big_endian=False),
    ]


# ---------------------------------------------------------------------------------- access


@cache
def all_seeds() -> dict[str, list[Json]]:
    """Every JSON and text seed, by parser name (``flir.spot``, ``frigate.stats``, ...)."""

    async def build() -> dict[str, list[Json]]:
        flir = await _flir_seeds()
        frigate = await _frigate_seeds()
        return {f"flir.{k}": v for k, v in flir.items()} | {
            f"frigate.{k}": v for k, v in frigate.items()
        }

    return asyncio.run(build())
