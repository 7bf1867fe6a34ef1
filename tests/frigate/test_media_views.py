"""The recording, HLS, export and review views: validation, refusals and Frigate's failures."""

import time
from http import HTTPStatus

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.flir_frigate.frigate.media_views import rewrite_playlist
from tests.fakes.frigate_server import FakeFrigateServer
from tests.frigate.common import FRIGATE_ENTRY_ID, FrigateFactory, make_frigate_entry, setup_frigate

BASE = f"/api/flir_frigate/{FRIGATE_ENTRY_ID}"


async def _loaded(hass: HomeAssistant, frigate_factory: FrigateFactory) -> FakeFrigateServer:
    server = await frigate_factory("0.17")
    await setup_frigate(hass, make_frigate_entry(server))
    now = time.time()
    server.media.add_recording("front_door", now - 3600, now)
    return server


async def test_needs_login(
    hass: HomeAssistant,
    frigate_factory: FrigateFactory,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    frigate = await _loaded(hass, frigate_factory)
    client = await hass_client_no_auth()
    now = int(time.time())
    for path in (
        f"{BASE}/recording/front_door/{now - 60}/{now}/clip.mp4",
        f"{BASE}/vod/front_door/{now - 60}/{now}/index.m3u8",
        f"{BASE}/export/x.mp4",
        f"{BASE}/review/front_door/1.0-abc/thumbnail.webp",
    ):
        assert (await client.get(path)).status == HTTPStatus.UNAUTHORIZED
    assert not any(record.path.startswith(("/vod", "/exports")) for record in frigate.request_log)


async def test_refused_before_frigate(
    hass: HomeAssistant, frigate_factory: FrigateFactory, hass_client: ClientSessionGenerator
) -> None:
    frigate = await _loaded(hass, frigate_factory)
    client = await hass_client()
    now = int(time.time())
    frigate.request_log.clear()
    cases = {
        f"/api/flir_frigate/nope/recording/front_door/{now - 60}/{now}/clip.mp4": 404,
        f"{BASE}/recording/front_door/{now}/{now - 60}/clip.mp4": 400,
        f"{BASE}/recording/front_door/0/{now}/clip.mp4": 400,
        f"{BASE}/recording/front_door/x/{now}/clip.mp4": 400,
        f"{BASE}/recording/..%2Fx/{now - 60}/{now}/clip.mp4": 400,
        f"{BASE}/vod/front_door/{now - 60}/{now}/index.html": 400,
        f"{BASE}/export/..%2Fconfig.mp4": 400,
        f"{BASE}/export/x.txt": 400,
        f"{BASE}/review/front_door/nope/thumbnail.webp": 400,
    }
    for path, status in cases.items():
        assert (await client.get(path)).status == status, path
    assert frigate.request_log == []


async def test_frigate_failures(
    hass: HomeAssistant, frigate_factory: FrigateFactory, hass_client: ClientSessionGenerator
) -> None:
    frigate = await _loaded(hass, frigate_factory)
    client = await hass_client()
    now = int(time.time())
    old = now - 90000
    assert (
        await client.get(f"{BASE}/recording/front_door/{old}/{old + 60}/clip.mp4")
    ).status == 404
    assert (await client.get(f"{BASE}/vod/front_door/{old}/{old + 60}/index.m3u8")).status == 404
    assert (await client.get(f"{BASE}/export/none.mp4")).status == 404
    assert (await client.get(f"{BASE}/review/front_door/1.0-abc/thumbnail.webp")).status == 404
    frigate.faults.status = 503
    assert (await client.get(f"{BASE}/vod/front_door/{now - 60}/{now}/seg-1-v1.m4s")).status == 502


def test_playlist_rewrite_keeps_only_known_files() -> None:
    """Absolute URLs and odd names are dropped; every kept file is signed."""
    lines = [
        "#EXTM3U",
        '#EXT-X-MAP:URI="init-v1.mp4"',
        '#EXT-X-KEY:METHOD=AES-128,URI="http://evil/key"',
        "#EXTINF:1.0,",
        "seg-1-v1.m4s",
        "",
        "#EXTINF:1.0,",
        "http://frigate:5000/vod/x/seg-2-v1.m4s",
        "#EXT-X-ENDLIST",
    ]
    text = "\n".join(lines)

    def signed(name: str) -> str | None:
        return None if "/" in name else f"/signed/{name}?authSig=x"

    assert rewrite_playlist(text, signed).splitlines() == [
        "#EXTM3U",
        '#EXT-X-MAP:URI="/signed/init-v1.mp4?authSig=x"',
        "#EXTINF:1.0,",
        "/signed/seg-1-v1.m4s?authSig=x",
        "#EXTINF:1.0,",
        "#EXT-X-ENDLIST",
    ]
