"""The fake FLIR camera itself: it must behave like the real devices, not like our client."""

import asyncio
import io
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import aiohttp
import numpy as np
import pytest
from PIL import Image

from custom_components.flir_frigate.api.flir.measure import measure_area
from custom_components.flir_frigate.api.flir.rjpeg import decode_rjpeg, is_radiometric
from tests.fakes.flir_camera import FakeFlirCamera, Faults

if TYPE_CHECKING:
    from .conftest import CameraFactory

ROOT = Path(__file__).resolve().parents[3]


async def get(
    session: aiohttp.ClientSession, camera: FakeFlirCamera, path: str, **kwargs: object
) -> tuple[int, str, bytes]:
    async with session.get(camera.url + path, allow_redirects=False, **kwargs) as response:  # type: ignore[arg-type]
        return response.status, response.content_type, await response.read()


async def get_json(session: aiohttp.ClientSession, camera: FakeFlirCamera, path: str) -> object:
    async with session.get(camera.url + path) as response:
        assert response.status == 200
        assert response.content_type == "application/json"
        return await response.json()


async def test_smart_sensor_endpoints(
    camera: FakeFlirCamera, session: aiohttp.ClientSession
) -> None:
    spot = await get_json(session, camera, "/api/spot/1.json")
    assert isinstance(spot, dict)
    assert set(spot) == {"name", "temperature", "unit", "x", "y", "timestamp"}
    assert spot["name"] == "Sp1"
    assert spot["unit"] == "C"
    box = await get_json(session, camera, "/api/box/1.json")
    assert isinstance(box, dict)
    assert set(box) == {"name", "max", "min", "avg", "unit", "area", "timestamp"}
    assert set(box["area"]) == {"x", "y", "width", "height"}
    line = await get_json(session, camera, "/api/line/1.json")
    assert isinstance(line, dict)
    assert len(line["points"]) > 10
    sensor = await get_json(session, camera, "/api/tempsensor/2.json")
    assert isinstance(sensor, dict)
    assert sensor["instance"] == 2
    alarms = await get_json(session, camera, "/api/alarms")
    assert isinstance(alarms, dict)
    assert [alarm["instance"] for alarm in alarms["alarms"]] == [1, 2]
    assert set(alarms["alarms"][0]) == {
        "instance",
        "name",
        "state",
        "triggered",
        "threshold",
        "unit",
        "associatedROI",
    }
    assert await get_json(session, camera, "/api/alarm/2.json") == alarms["alarms"][1]
    for path in (
        "/api/spot/3.json",
        "/api/box/0.json",
        "/api/line/2.json",
        "/api/alarm/3.json",
        "/api/spot/x.json",
        "/api/unknown",
    ):
        status, _, _ = await get(session, camera, path)
        assert status == 404, path


async def test_image_streaming_has_only_the_image(
    streaming_camera: FakeFlirCamera, session: aiohttp.ClientSession
) -> None:
    for path in (
        "/api/spot/1.json",
        "/api/box/1.json",
        "/api/line/1.json",
        "/api/tempsensor/1.json",
        "/api/alarms",
        "/api/alarm/1.json",
    ):
        status, _, _ = await get(session, streaming_camera, path)
        assert status == 404, path
    status, content_type, body = await get(session, streaming_camera, "/api/image/current")
    assert (status, content_type) == (200, "image/jpeg")
    decoded = decode_rjpeg(body)
    assert (decoded.width, decoded.height) == (640, 480)
    assert decoded.camera.model == "FLIR A50"
    assert decoded.tools == ()
    status, _, _ = await get(session, streaming_camera, "/api/image/current?imgformat=VISIBLE")
    assert status == 400
    status, content_type, body = await get(
        session, streaming_camera, "/api/image/current?imgformat=JPEG_visual"
    )
    assert (status, content_type) == (200, "image/jpeg")
    assert Image.open(io.BytesIO(body)).size == (1280, 960)


async def test_radiometric_image(camera: FakeFlirCamera, session: aiohttp.ClientSession) -> None:
    bodies = []
    for query in ("", "?imgformat=JPEG", "?imgformat=RJPEG", "?imgformat=JPEG&tempUnit=C"):
        status, content_type, body = await get(session, camera, "/api/image/current" + query)
        assert (status, content_type) == (200, "image/jpeg")
        bodies.append(body)
    assert all(body == bodies[0] for body in bodies)  # one encoding per scene state
    decoded = decode_rjpeg(bodies[0])
    assert (decoded.width, decoded.height) == (320, 240)
    assert (decoded.camera.serial, decoded.camera.model) == (camera.serial, "FLIR A400")
    np.testing.assert_allclose(decoded.temperatures(), camera.temperatures(), atol=0.01)
    assert {tool.label for tool in decoded.tools} == {"Sp1", "Sp2", "Bx1", "Bx2", "Li1"}
    camera.set_hotspot(10, 10, 90.0)
    _, _, changed = await get(session, camera, "/api/image/current")
    assert changed != bodies[0]
    assert decode_rjpeg(changed).temperatures()[10, 10] == pytest.approx(90.0, abs=0.01)


@pytest.mark.parametrize(
    ("image_format", "size"),
    [("FLAME", (320, 240)), ("FUSION", (320, 240)), ("VISIBLE", (640, 480))],
)
async def test_plain_images_and_scaling(
    camera: FakeFlirCamera, session: aiohttp.ClientSession, image_format: str, size: tuple[int, int]
) -> None:
    path = f"/api/image/current?imgformat={image_format}"
    status, content_type, body = await get(session, camera, path)
    assert (status, content_type) == (200, "image/jpeg")
    assert not is_radiometric(body)
    assert Image.open(io.BytesIO(body)).size == size
    _, _, scaled = await get(session, camera, path + "&width=100&height=50")
    assert Image.open(io.BytesIO(scaled)).size == (100, 50)
    _, _, by_width = await get(session, camera, path + "&width=160")
    assert Image.open(io.BytesIO(by_width)).size == (160, 120)
    for bad in ("&width=0", "&height=abc", "&width=100000"):
        status, _, _ = await get(session, camera, path + bad)
        assert status == 400


async def test_unknown_image_format(camera: FakeFlirCamera, session: aiohttp.ClientSession) -> None:
    status, _, _ = await get(session, camera, "/api/image/current?imgformat=BMP")
    assert status == 400


@pytest.mark.parametrize(("unit", "offset"), [("C", 0.0), ("K", 273.15), ("F", None)])
async def test_temp_unit(
    camera: FakeFlirCamera, session: aiohttp.ClientSession, unit: str, offset: float | None
) -> None:
    celsius = await get_json(session, camera, "/api/box/1.json")
    other = await get_json(session, camera, f"/api/box/1.json?tempUnit={unit}")
    assert isinstance(celsius, dict)
    assert isinstance(other, dict)
    assert other["unit"] == unit
    for key in ("max", "min", "avg"):
        expected = celsius[key] * 9 / 5 + 32 if offset is None else celsius[key] + offset
        assert other[key] == pytest.approx(expected, abs=0.02)
    alarm = await get_json(session, camera, f"/api/alarm/1.json?tempUnit={unit}")
    assert isinstance(alarm, dict)
    assert alarm["unit"] == unit
    status, _, _ = await get(session, camera, "/api/spot/1.json?tempUnit=X")
    assert status == 400


async def test_json_agrees_with_the_field(
    camera: FakeFlirCamera, session: aiohttp.ClientSession
) -> None:
    temps = camera.temperatures()
    box = await get_json(session, camera, "/api/box/2.json")
    assert isinstance(box, dict)
    stats = measure_area(temps, camera.area("box", 2))
    assert (box["max"], box["min"], box["avg"]) == pytest.approx(
        (stats.max, stats.min, stats.avg), abs=0.006
    )
    line = await get_json(session, camera, "/api/line/1.json")
    assert isinstance(line, dict)
    assert max(line["points"]) == line["max"]


async def test_drift_is_seeded_and_moves(camera_factory: CameraFactory) -> None:
    first = await camera_factory(drift=True, seed=7)
    second = await camera_factory(drift=True, seed=7)
    other = await camera_factory(drift=True, seed=8)
    frozen = await camera_factory(drift=False, seed=7)
    np.testing.assert_array_equal(first.temperatures(), second.temperatures())
    assert not np.array_equal(first.temperatures(), other.temperatures())
    before = first.temperatures().copy()
    first._epoch -= 30  # thirty seconds later
    after = first.temperatures()
    assert not np.array_equal(before, after)
    assert float(np.abs(after - before).max()) < 8  # plausible, slow drift
    still = frozen.temperatures().copy()
    frozen._epoch -= 30
    np.testing.assert_array_equal(still, frozen.temperatures())
    # Ambient around 22 °C, hottest blob in the forties.
    assert 20 < float(np.median(after)) < 25
    assert 35 < float(after.max()) < 55


async def test_alarm_state_machine(camera: FakeFlirCamera) -> None:
    box = camera.boxes[1]
    alarm = camera.alarms[1]
    assert (alarm.roi_kind, alarm.roi_instance, alarm.threshold_c) == ("box", 1, 60.0)
    camera.temperatures()
    assert alarm.state == "inactive"
    assert camera.acknowledge(1) is False
    camera.set_hotspot(box.x + 5, box.y + 5, 61.0, radius=1)
    camera.temperatures()
    assert alarm.state == "active"
    assert camera.acknowledge(1) is True
    assert alarm.state == "acknowledged"
    camera.clear_hotspots()
    camera.temperatures()
    assert alarm.state == "inactive"
    assert alarm.acknowledged is False


async def test_delete_roi(camera: FakeFlirCamera, session: aiohttp.ClientSession) -> None:
    for kind, path in (
        ("spot", "/api/spot/1.json"),
        ("box", "/api/box/2.json"),
        ("line", "/api/line/1.json"),
        ("tempsensor", "/api/tempsensor/1.json"),
        ("alarm", "/api/alarm/2.json"),
    ):
        status, _, _ = await get(session, camera, path)
        assert status == 200
        n = int(re.findall(r"\d+", path)[0])
        camera.delete_roi(kind, n)  # type: ignore[arg-type]
        status, _, _ = await get(session, camera, path)
        assert status == 404
    alarms = await get_json(session, camera, "/api/alarms")
    assert alarms == {"alarms": [camera._alarm_json(1, "C")]}
    _, _, image = await get(session, camera, "/api/image/current")
    assert {tool.label for tool in decode_rjpeg(image).tools} == {"Sp2", "Bx1"}


async def test_web_ui_redirects_to_login(
    camera: FakeFlirCamera, session: aiohttp.ClientSession
) -> None:
    async with session.get(camera.url + "/", allow_redirects=False) as response:
        assert response.status == 302
        assert response.headers["Location"] == "/login"
    status, content_type, _ = await get(session, camera, "/login")
    assert (status, content_type) == (200, "text/html")


@pytest.mark.parametrize("auth", ["basic", "digest"])
async def test_auth_challenge(
    camera_factory: CameraFactory, session: aiohttp.ClientSession, auth: str
) -> None:
    camera = await camera_factory(auth=auth, username="admin", password="secret")
    async with session.get(camera.url + "/api/spot/1.json") as response:
        assert response.status == 401
        challenge = response.headers["WWW-Authenticate"]
    assert challenge.lower().startswith(auth)
    assert 'realm="FLIR Camera"' in challenge
    if auth == "digest":
        assert 'qop="auth"' in challenge
        assert "nonce=" in challenge
    # The web UI stays reachable without credentials.
    status, _, _ = await get(session, camera, "/login")
    assert status == 200


async def test_basic_auth(camera_factory: CameraFactory, session: aiohttp.ClientSession) -> None:
    camera = await camera_factory(auth="basic", username="admin", password="pw")
    good = {"Authorization": aiohttp.encode_basic_auth("admin", "pw")}
    bad = {"Authorization": aiohttp.encode_basic_auth("admin", "nope")}
    assert (await get(session, camera, "/api/alarms", headers=good))[0] == 200
    assert (await get(session, camera, "/api/alarms", headers=bad))[0] == 401
    assert (await get(session, camera, "/api/alarms", headers={"Authorization": "Basic %%%"}))[
        0
    ] == 401


async def test_digest_auth(camera_factory: CameraFactory, session: aiohttp.ClientSession) -> None:
    camera = await camera_factory(auth="digest", username="admin", password="pw")
    digest = aiohttp.DigestAuthMiddleware("admin", "pw")
    for _ in range(3):  # preemptive: the nonce count goes up on every request
        async with session.get(
            camera.url + "/api/image/current?imgformat=JPEG", middlewares=(digest,)
        ) as response:
            assert response.status == 200
            authorization = response.request_info.headers["Authorization"]
    # Replaying a used authorization is refused.
    status, _, _ = await get(
        session,
        camera,
        "/api/image/current?imgformat=JPEG",
        headers={"Authorization": authorization},
    )
    assert status == 401
    # For another URI it is refused too.
    status, _, _ = await get(
        session, camera, "/api/alarms", headers={"Authorization": authorization}
    )
    assert status == 401
    wrong = aiohttp.DigestAuthMiddleware("admin", "wrong")
    async with session.get(camera.url + "/api/alarms", middlewares=(wrong,)) as response:
        assert response.status == 401


async def test_expired_nonce_is_stale(
    camera_factory: CameraFactory, session: aiohttp.ClientSession
) -> None:
    camera = await camera_factory(auth="digest", username="admin", password="pw")
    digest = aiohttp.DigestAuthMiddleware("admin", "pw")
    async with session.get(camera.url + "/api/alarms", middlewares=(digest,)) as response:
        assert response.status == 200
    camera._nonces = {nonce: (issued - 1000, nc) for nonce, (issued, nc) in camera._nonces.items()}
    async with session.get(camera.url + "/api/alarms", middlewares=(digest,)) as response:
        assert response.status == 200  # the middleware answers the stale challenge
    assert camera.requests["/api/alarms"] == 4


async def test_fault_switches(camera: FakeFlirCamera, session: aiohttp.ClientSession) -> None:
    faults = camera.faults
    faults.status = 503
    faults.retry_after = 1
    faults.status_count = 2
    faults.paths = ("/api/spot/",)
    async with session.get(camera.url + "/api/spot/1.json") as response:
        assert response.status == 503
        assert response.headers["Retry-After"] == "1"
    assert (await get(session, camera, "/api/box/1.json"))[0] == 200  # other paths unaffected
    assert (await get(session, camera, "/api/spot/1.json"))[0] == 503
    assert (await get(session, camera, "/api/spot/1.json"))[0] == 200  # count used up

    faults.reset()
    assert faults == Faults()
    faults.malformed_json = True
    status, content_type, body = await get(session, camera, "/api/spot/1.json")
    assert (status, content_type) == (200, "application/json")
    with pytest.raises(ValueError):
        __import__("json").loads(body)

    faults.reset()
    _, _, full = await get(session, camera, "/api/image/current")
    faults.truncated_image = True
    status, _, truncated = await get(session, camera, "/api/image/current")
    assert status == 200
    assert full.startswith(truncated)
    assert len(truncated) < len(full)

    faults.reset()
    faults.not_flir = True
    for path in ("/", "/api/image/current", "/api/spot/1.json"):
        status, content_type, _ = await get(session, camera, path)
        assert (status, content_type) == (200, "text/html")

    faults.reset()
    faults.login_redirect = True
    async with session.get(camera.url + "/api/image/current", allow_redirects=False) as response:
        assert response.status == 302
        assert response.headers["Location"] == "/login"


async def test_timeout_fault_hangs_until_the_client_leaves(
    camera: FakeFlirCamera, session: aiohttp.ClientSession
) -> None:
    camera.faults.timeout = True
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.2), session.get(camera.url + "/api/alarms") as response:
            await response.read()
    for _ in range(100):
        if camera.in_flight == 0:
            break
        await asyncio.sleep(0.02)
    assert camera.in_flight == 0


async def test_latency_and_concurrency_tracking(
    camera: FakeFlirCamera, session: aiohttp.ClientSession
) -> None:
    camera.faults.latency = 0.05
    await asyncio.gather(*(get(session, camera, "/api/spot/1.json") for _ in range(3)))
    assert camera.max_concurrency == 3  # the fake does not serialize; the client must
    assert camera.requests["/api/spot/1.json"] == 3


async def test_stop_releases_hanging_requests_and_restarts(
    camera_factory: CameraFactory, session: aiohttp.ClientSession
) -> None:
    camera = await camera_factory()
    camera.faults.timeout = True
    request = asyncio.create_task(get(session, camera, "/api/alarms"))
    await asyncio.sleep(0.05)
    await camera.stop()
    try:
        status, _, _ = await request
    except aiohttp.ClientError:
        pass
    else:
        assert status == 504  # released with an error, never left hanging
    port = camera.port
    await camera.start(port=port)
    camera.faults.reset()
    assert (await get(session, camera, "/api/alarms"))[0] == 200
    assert camera.url == f"http://127.0.0.1:{port}"


def test_constructor_checks() -> None:
    with pytest.raises(ValueError):
        FakeFlirCamera(profile="a6xx")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        FakeFlirCamera(auth="ntlm")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        FakeFlirCamera(spots=21)
    with pytest.raises(ValueError):
        FakeFlirCamera(spots=0, boxes=0, lines=0, alarms=3)
    with pytest.raises(RuntimeError):
        _ = FakeFlirCamera().url
    camera = FakeFlirCamera(profile="image_streaming", spots=1, model="FLIR A70")
    assert camera.model == "FLIR A70"
    assert camera.spots.keys() == {1}


async def test_standalone_command() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.fakes.flir_camera",
        "--port",
        "0",
        "--profile",
        "smart_sensor",
        "--auth",
        "digest",
        "--username",
        "u",
        "--password",
        "p",
        "--spots",
        "3",
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
        url = re.search(r"http://127\.0\.0\.1:\d+", line)
        assert url is not None, line
        async with (
            aiohttp.ClientSession() as session,
            session.get(
                url.group(0) + "/api/spot/3.json",
                middlewares=(aiohttp.DigestAuthMiddleware("u", "p"),),
            ) as response,
        ):
            assert response.status == 200
    finally:
        process.terminate()
        await process.wait()


async def test_alarm_hotspot_triggers_each_alarm(
    camera_factory: CameraFactory, session: aiohttp.ClientSession
) -> None:
    camera = await camera_factory(spots=2, boxes=2, lines=1, alarms=5)
    for n in camera.alarms:
        camera.clear_hotspots()
        camera.set_hotspot(*camera.alarm_hotspot(n))
        alarm = await get_json(session, camera, f"/api/alarm/{n}.json")
        assert isinstance(alarm, dict)
        assert alarm["state"] == "active", n


async def test_visual_revision_changes_the_visual_image(
    camera: FakeFlirCamera, session: aiohttp.ClientSession
) -> None:
    path = "/api/image/current?imgformat=VISIBLE"
    first = (await get(session, camera, path))[2]
    assert (await get(session, camera, path))[2] == first
    camera.visual_revision += 1
    second = (await get(session, camera, path))[2]
    assert second != first
    assert Image.open(io.BytesIO(second)).size == (640, 480)
