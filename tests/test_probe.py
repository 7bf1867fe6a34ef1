"""The probe command line against the fake devices over loopback (no Home Assistant running).

The last tests compare the entities the probe announces with the ones the integration creates
for the same fake device; test_plan.py holds the plan to every entity description of the
platforms, and test_probe_failures.py has what the probe says when it cannot go on.
"""

import asyncio
import dataclasses
import io
import json
import socket
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncGenerator
from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er

from custom_components.flir_frigate.api.flir import probe as flir_probe
from custom_components.flir_frigate.api.flir.client import FlirClient
from custom_components.flir_frigate.api.flir.exceptions import FlirDecodeError
from custom_components.flir_frigate.probe import Exit, async_main
from tests.conftest import SMART_SERIAL, STREAMING_SERIAL, flir_entry, setup_entry
from tests.fakes.flir_camera import FakeFlirCamera
from tests.fakes.frigate_server import FakeFrigateServer
from tests.frigate.common import (
    FRIGATE_PASSWORD,
    FRIGATE_USER,
    FrigateFactory,
    make_frigate_entry,
    setup_frigate,
)
from tests.harness import REPO


async def run(*argv: str) -> tuple[int, str]:
    """Run the probe in this event loop; exit status and what it printed on stdout."""
    out = io.StringIO()
    status = await async_main(list(argv), out=out)
    return status, out.getvalue()


async def run_json(*argv: str) -> tuple[int, dict[str, Any]]:
    """Run the probe with --json; exit status and the decoded object."""
    status, text = await run(*argv, "--json")
    return status, json.loads(text)


def free_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def digest_camera(socket_enabled: None) -> AsyncGenerator[FakeFlirCamera]:
    """A smart-sensor camera whose REST API wants Digest authentication."""
    camera = FakeFlirCamera(
        profile="smart_sensor",
        auth="digest",
        username="admin",
        password="flir-secret",
        serial=SMART_SERIAL,
        drift=False,
    )
    await camera.start()
    yield camera
    await camera.stop()


# ------------------------------------------------------------------------------------ FLIR


async def test_flir_smart_sensor(digest_camera: FakeFlirCamera) -> None:
    """Model, serial, Digest, every endpoint and 27 entities with their current values."""
    status, report = await run_json(
        f"127.0.0.1:{digest_camera.port}", "--username", "admin", "--password", "flir-secret"
    )
    assert status == Exit.OK
    assert report["ok"] is True
    assert report["kind"] == "flir"
    assert report["auth"] == "digest"
    assert report["facts"]["Model"] == "FLIR A400"
    assert report["facts"]["Serial number"] == SMART_SERIAL
    assert report["facts"]["Device name"] == f"FLIR A400 {SMART_SERIAL}"
    endpoints = {e["request"]: e for e in report["endpoints"]}
    assert endpoints["GET /api/spot/N.json"] == {
        "request": "GET /api/spot/N.json",
        "ok": True,
        "detail": "instances 1, 2",
    }
    assert endpoints["GET /api/alarms"]["detail"] == "alarms 1, 2"
    assert endpoints["GET /api/image/current?imgformat=VISIBLE"]["ok"] is True
    names = {e["name"]: e for e in report["entities"]}
    assert len(report["entities"]) == 27
    assert names["Spot 1 temperature"]["value"].endswith("°C")
    assert names["Alarm 1"]["value"] == "off"
    assert names["Alarm 1 threshold"]["diagnostic"] is True
    assert "password" not in json.dumps(report).lower().replace("password of", "")


async def test_flir_smart_sensor_text(digest_camera: FakeFlirCamera) -> None:
    """The text report: facts, endpoints, entities by device."""
    status, text = await run(
        f"http://127.0.0.1:{digest_camera.port}", "-u", "admin", "-p", "flir-secret"
    )
    assert status == Exit.OK
    assert text.startswith(f"FLIR automation camera at http://127.0.0.1:{digest_camera.port}\n")
    assert "  Authentication  digest\n" in text
    assert "  ok  GET /api/box/N.json" in text
    assert "Entities the integration would create: 27 (0 of them disabled" in text
    assert f"  FLIR A400 {SMART_SERIAL}\n" in text
    assert "    binary_sensor Alarm 2  = off\n" in text
    assert "    image         Thermal picture  = JPEG, " in text
    assert "flir-secret" not in text


async def test_flir_image_streaming(flir_streaming: FakeFlirCamera) -> None:
    """An A50: only the image answers; the entities all come from the radiometric JPEG."""
    status, text = await run(f"127.0.0.1:{flir_streaming.port}")
    assert status == Exit.OK
    assert "Model           FLIR A50" in text
    assert "Authentication  none" in text
    assert "640x480 radiometric" in text
    assert "  --  GET /api/spot/N.json" in text
    assert "  ok  GET /api/image/current?imgformat=JPEG_visual" in text
    assert "Entities the integration would create: 8 " in text
    assert "Note: No JSON measurement endpoints" in text


async def test_flir_alarm_triggered(flir_smart: FakeFlirCamera) -> None:
    """A triggered alarm shows as on."""
    flir_smart.set_hotspot(*flir_smart.alarm_hotspot(1))
    status, report = await run_json(f"127.0.0.1:{flir_smart.port}")
    assert status == Exit.OK
    alarm = next(e for e in report["entities"] if e["name"] == "Alarm 1")
    assert alarm["value"] == "on"


async def test_flir_plain_jpeg(flir_smart: FakeFlirCamera) -> None:
    """A camera whose image is not radiometric (yet has JSON tools) still works, without frames."""
    flir_smart.faults.not_flir = False
    original = flir_smart._radiometric

    def plain() -> bytes:
        return original()[:2] + b"\xff\xdb" + b"\x00" * 64 + b"\xff\xd9"

    flir_smart._radiometric = plain  # type: ignore[method-assign]
    status, report = await run_json(f"127.0.0.1:{flir_smart.port}")
    assert status == Exit.OK
    assert report["facts"]["Thermal image"] == "a plain JPEG (no temperatures in it)"
    assert report["facts"]["Model"].startswith("unknown")
    names = {e["name"] for e in report["entities"]}
    assert "Maximum temperature" not in names
    assert "Spot 1 temperature" in names
    assert report["facts"]["Device name"] == f"http://127.0.0.1:{flir_smart.port}"


async def test_flir_nothing_to_measure(flir_streaming: FakeFlirCamera) -> None:
    """A plain JPEG and no measurement endpoint: the integration has nothing to offer, exit 5."""
    original = flir_streaming._radiometric

    def plain() -> bytes:
        return original()[:2] + b"\xff\xdb" + b"\x00" * 64 + b"\xff\xd9"

    flir_streaming._radiometric = plain  # type: ignore[method-assign]
    status, report = await run_json(f"127.0.0.1:{flir_streaming.port}")
    assert status == Exit.WRONG_KIND
    assert report["error"].endswith(
        "it is not a FLIR automation camera or a Frigate server: the thermal image has no "
        "usable temperatures (a plain JPEG) and no measurement endpoint answers."
    )


async def test_flir_undecodable_image(
    flir_smart: FakeFlirCamera, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A radiometric-looking image that does not decode is reported; the rest still works."""

    def undecodable(_data: bytes) -> Any:
        raise FlirDecodeError("RawData record is cut short")

    monkeypatch.setattr(flir_probe, "decode_rjpeg", undecodable)
    status, report = await run_json(f"127.0.0.1:{flir_smart.port}")
    assert status == Exit.OK
    assert report["notes"][0].startswith("The thermal image looks radiometric but does not decode")
    assert "Maximum temperature" not in {e["name"] for e in report["entities"]}


async def test_flir_failed_measurements(
    flir_smart: FakeFlirCamera, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Instances that failed during the probe are named."""
    original = FlirClient.measurements

    async def failing(self: FlirClient) -> Any:
        return dataclasses.replace(await original(self), failed=("spot/2",))

    monkeypatch.setattr(FlirClient, "measurements", failing)
    status, text = await run(f"127.0.0.1:{flir_smart.port}")
    assert status == Exit.OK
    assert "Note: These failed this cycle: spot/2" in text


async def test_flir_bad_credentials(
    digest_camera: FakeFlirCamera, capsys: pytest.CaptureFixture[str]
) -> None:
    """A wrong password, or none: exit 4 with what to do."""
    status, _ = await run(f"127.0.0.1:{digest_camera.port}", "-u", "admin", "-p", "wrong")
    assert status == Exit.AUTH
    assert "refused the credentials" in capsys.readouterr().err
    status, report = await run_json(f"127.0.0.1:{digest_camera.port}")
    assert status == Exit.AUTH
    assert report["ok"] is False
    assert report["kind"] == "flir"
    assert "--username and --password" in report["error"]


async def test_flir_stops_answering(flir_smart: FakeFlirCamera) -> None:
    """A camera that breaks off in the middle of the probe: exit 3."""
    flir_smart.faults.status = 503
    flir_smart.faults.paths = ("/api/spot",)
    flir_smart.faults.retry_after = 0
    status, report = await run_json(f"127.0.0.1:{flir_smart.port}")
    assert status == Exit.CANNOT_CONNECT
    assert report["kind"] == "flir"
    assert "Cannot talk to" in report["error"]


# --------------------------------------------------------------------------------- Frigate


async def test_frigate_login(frigate_login: FakeFrigateServer) -> None:
    """Version, login, cameras, endpoints and the entities of the server and each camera."""
    status, report = await run_json(
        frigate_login.url, "--username", FRIGATE_USER, "--password", FRIGATE_PASSWORD
    )
    assert status == Exit.OK
    assert report["kind"] == "frigate"
    assert report["auth"] == "login"
    assert report["facts"]["Version"] == frigate_login.version_string
    assert report["facts"]["Authentication"] == f"login (user {FRIGATE_USER}, role admin)"
    assert report["facts"]["Cameras"].startswith("front_door (detect 640x360; 5 fps;")
    requests = [e["request"] for e in report["endpoints"] if e["ok"]]
    assert requests[:4] == [
        "GET /api/version",
        "GET /api/profile",
        "GET /api/stats",
        "GET /api/config",
    ]
    assert "GET /api/front_door/latest.jpg?height=180" in requests
    devices = Counter(e["device"] for e in report["entities"])
    port = frigate_login.url.rsplit(":", 1)[1]
    assert set(devices) == {f"Frigate 127.0.0.1:{port}", "Front Door", "Backyard"}
    assert FRIGATE_PASSWORD not in json.dumps(report)


async def test_frigate_internal_port_text(frigate: FakeFrigateServer) -> None:
    """The internal port needs no login; an event shows in the report."""
    frigate.create_event("backyard", "car")
    status, text = await run(frigate.url.removeprefix("http://"))
    assert status == Exit.OK
    assert text.startswith(f"Frigate NVR at {frigate.url}\n")
    assert "  Authentication  none\n" in text
    assert "no login needed on this port" in text
    assert "1 recent events, newest: car on backyard" in text
    assert "    camera        (Front Door)\n" in text
    assert "    binary_sensor Object in Porch  = off\n" in text
    assert "    binary_sensor Car detected  = on\n" in text  # the backyard's car, in progress


async def test_frigate_without_profile(frigate_factory: FrigateFactory) -> None:
    """Before 0.14 there is no login and no profile; stats still name the cameras."""
    server = await frigate_factory("0.12")
    status, report = await run_json(server.url)
    assert status == Exit.OK
    assert report["auth"] == "none"
    assert "GET /api/profile" not in [e["request"] for e in report["endpoints"]]


async def test_frigate_offline_camera(frigate: FakeFrigateServer) -> None:
    """A camera without frames is flagged."""
    frigate.set_camera_offline("backyard")
    status, report = await run_json(frigate.url)
    assert status == Exit.OK
    assert "backyard (detect 640x360; 0 fps; OFFLINE;" in report["facts"]["Cameras"]
    online = [e for e in report["entities"] if e["name"] == "Online"]
    assert [e["value"] for e in online] == ["on", "off"]


async def test_frigate_update_available(frigate: FakeFrigateServer) -> None:
    """A newer release in the stats is mentioned."""
    original = frigate._build_stats

    def newer() -> dict[str, Any]:
        stats = original()
        stats["service"]["latest_version"] = "0.99.0"
        return stats

    frigate._build_stats = newer  # type: ignore[method-assign]
    status, text = await run(frigate.url)
    assert status == Exit.OK
    assert "Note: Frigate 0.99.0 is available" in text


async def test_frigate_endpoint_failures(frigate: FakeFrigateServer) -> None:
    """Events, summary and stills that fail are reported, not fatal."""
    frigate.faults.status = 500
    frigate.faults.paths = ("/api/events", "/api/front_door/latest")
    status, report = await run_json(frigate.url)
    assert status == Exit.OK
    failed = {e["request"] for e in report["endpoints"] if not e["ok"]}
    assert failed == {
        "GET /api/events",
        "GET /api/events?in_progress=1",
        "GET /api/events/summary",
        "GET /api/front_door/latest.jpg",
    }


async def test_frigate_bad_credentials(frigate_login: FakeFrigateServer) -> None:
    """No login or a wrong one on the authenticated port: exit 4."""
    status, report = await run_json(frigate_login.url)
    assert status == Exit.AUTH
    assert report["kind"] == "frigate"
    assert "--username and --password" in report["error"]
    status, report = await run_json(frigate_login.url, "-u", FRIGATE_USER, "-p", "wrong")
    assert status == Exit.AUTH
    assert "refused the login" in report["error"]


async def test_frigate_rate_limited(frigate_factory: FrigateFactory) -> None:
    """A login lockout says how long to wait."""
    server = await frigate_factory(auth="login", failed_login_limit=(1, 60.0))
    await run_json(server.url, "-u", FRIGATE_USER, "-p", "wrong")
    status, report = await run_json(server.url, "-u", FRIGATE_USER, "-p", "wrong")
    assert status == Exit.AUTH
    assert "refuses logins for" in report["error"]


async def test_frigate_too_old(frigate_factory: FrigateFactory) -> None:
    """Frigate 0.11: exit 6."""
    server = await frigate_factory("0.11")
    status, report = await run_json(server.url)
    assert status == Exit.UNSUPPORTED
    assert "0.12 and newer" in report["error"]


async def test_frigate_breaks_off(frigate: FakeFrigateServer) -> None:
    """Version answers, then the server fails: exit 3."""
    frigate.faults.status = 502
    frigate.faults.paths = ("/api/stats", "/api/profile")
    status, report = await run_json(frigate.url, "--timeout", "2")
    assert status == Exit.CANNOT_CONNECT
    assert "stopped answering" in report["error"]


async def test_frigate_malformed(frigate: FakeFrigateServer) -> None:
    """Version answers like Frigate, the rest is garbage: exit 5."""
    frigate.faults.malformed_json = True
    frigate.faults.paths = ("/api/stats", "/api/profile")
    status, _ = await run_json(frigate.url)
    assert status == Exit.WRONG_KIND


async def test_frigate_token(frigate_login: FakeFrigateServer) -> None:
    """A static bearer token instead of a user."""
    status, report = await run_json(frigate_login.url, "--token", frigate_login.issue_token())
    assert status == Exit.OK
    assert report["auth"] == "token"


async def test_token_on_a_flir_camera(flir_smart: FakeFlirCamera) -> None:
    """A token only fits Frigate."""
    status, report = await run_json(f"127.0.0.1:{flir_smart.port}", "--token", "abc")
    assert status == Exit.WRONG_KIND
    assert "does not answer like a Frigate server" in report["error"]


async def test_command_line(flir_streaming: FakeFlirCamera) -> None:
    """`python -m custom_components.flir_frigate.probe URL --json` as a user runs it."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "custom_components.flir_frigate.probe",
        f"127.0.0.1:{flir_streaming.port}",
        "--json",
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, stderr.decode()
    report = json.loads(stdout)
    assert report["facts"]["Model"] == "FLIR A50"


# ------------------------------------------------------ the same entities as the integration


def registry_entities(hass: HomeAssistant, entry_id: str) -> Counter[tuple[str, str, bool]]:
    """(platform, name, enabled) of every entity of an entry, as the registry has them."""
    entities = er.async_entries_for_config_entry(er.async_get(hass), entry_id)
    return Counter(
        (entity.domain, entity.original_name or "", entity.disabled_by is None)
        for entity in entities
    )


def planned_entities(report: dict[str, Any]) -> Counter[tuple[str, str, bool]]:
    """(platform, name, enabled) of every entity the probe announced."""
    return Counter((e["platform"], e["name"], e["enabled"]) for e in report["entities"])


@pytest.mark.parametrize("profile", ["smart_sensor", "image_streaming"])
async def test_probe_matches_the_integration_flir(
    hass: HomeAssistant, socket_enabled: None, profile: str
) -> None:
    """Each FLIR profile: the probe announces exactly the entities the integration creates."""
    serial = SMART_SERIAL if profile == "smart_sensor" else STREAMING_SERIAL
    camera = FakeFlirCamera(profile=profile, serial=serial, drift=False)  # type: ignore[arg-type]
    await camera.start()
    try:
        entry = await setup_entry(hass, flir_entry(camera, serial))
        status, report = await run_json(f"127.0.0.1:{camera.port}")
        assert status == Exit.OK
        assert planned_entities(report) == registry_entities(hass, entry.entry_id)
        device = dr.async_get(hass).async_get_device_by_identifier(
            ("flir_frigate", serial), entry.entry_id
        )
        assert device is not None
        assert report["facts"]["Device name"] == device.name
        await hass.config_entries.async_unload(entry.entry_id)
    finally:
        await camera.stop()


@pytest.mark.parametrize("version", ["0.13", "0.17", "0.18"])
async def test_probe_matches_the_integration_frigate(
    hass: HomeAssistant, frigate_factory: FrigateFactory, version: str
) -> None:
    """Frigate: the same entities, the same camera devices (0.18 rates connections)."""
    frigate = await frigate_factory(version)
    entry = await setup_frigate(hass, make_frigate_entry(frigate))
    status, report = await run_json(frigate.url)
    assert status == Exit.OK
    assert planned_entities(report) == registry_entities(hass, entry.entry_id)
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    cameras = {device.name for device in devices if device.model == "Camera"}
    assert cameras == {e["device"] for e in report["entities"]} - {report["facts"]["Device name"]}
    await hass.config_entries.async_unload(entry.entry_id)
