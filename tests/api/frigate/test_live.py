"""The websocket client against the fake Frigate over loopback, in every version."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from custom_components.flir_frigate.api.frigate.client import FrigateClient
from custom_components.flir_frigate.api.frigate.exceptions import (
    FrigateAuthenticationError,
    FrigateConnectionError,
    FrigateNotFoundError,
)
from custom_components.flir_frigate.api.frigate.live import (
    FrigateCommandError,
    FrigateLive,
    LiveOptions,
    backoff_delay,
)
from custom_components.flir_frigate.api.frigate.live_models import (
    ActivityUpdate,
    CountUpdate,
    EventUpdate,
    LiveFeatures,
    LiveMessage,
    MotionUpdate,
    ReviewStatusUpdate,
    ReviewUpdate,
    SettingUpdate,
    StatsUpdate,
    may_control,
    may_ptz,
    ptz_presets,
)
from custom_components.flir_frigate.api.frigate.server import FrigateProfile
from custom_components.flir_frigate.api.frigate.version import FrigateVersion
from tests.fakes.frigate_server import FakeFrigateServer

from .conftest import AUTH_VERSIONS, PASSWORD, ClientFactory, ServerFactory

FAST = LiveOptions(
    heartbeat=1.0, backoff_initial=0.01, backoff_max=0.05, command_timeout=0.5, stable_after=5
)


class Recorder:
    """Runs a FrigateLive in a task and keeps what it hands out."""

    def __init__(self, client: FrigateClient, options: LiveOptions = FAST) -> None:
        self.messages: list[LiveMessage] = []
        self.states: list[bool] = []
        self.live = FrigateLive(
            client.websocket,
            on_message=self.messages.append,
            on_connection=self.states.append,
            options=options,
        )
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.task = asyncio.create_task(self.live.run())

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError, FrigateAuthenticationError):
                await self.task

    async def wait_for[T](self, kind: type[T], check: Callable[[T], bool] = lambda _: True) -> T:
        async with asyncio.timeout(5):
            while True:
                for message in self.messages:
                    if isinstance(message, kind) and check(message):
                        return message
                await asyncio.sleep(0.01)

    async def connected(self, count: int = 1) -> None:
        await until(lambda: bool(self.live.connected and self.live.connects >= count))


async def until(check: Callable[[], bool]) -> None:
    """Wait (at most 5 s) until `check()` holds."""
    async with asyncio.timeout(5):
        while not check():  # noqa: ASYNC110
            await asyncio.sleep(0.01)


async def on_connects(server: FakeFrigateServer, count: int) -> None:
    """Wait until the fake has read `count` onConnect messages."""
    await until(lambda: [t for t, _, _ in server.live.received].count("onConnect") >= count)


@pytest.fixture
async def server(server_factory: ServerFactory, version: str) -> FakeFrigateServer:
    """A fake server of every supported version, its websocket on."""
    return await server_factory(version, websocket=True)


@pytest.fixture
async def recorders() -> AsyncIterator[list[Recorder]]:
    made: list[Recorder] = []
    yield made
    for recorder in made:
        await recorder.stop()


@pytest.fixture
def listen(recorders: list[Recorder]) -> Callable[..., Recorder]:
    def make(client: FrigateClient, options: LiveOptions = FAST) -> Recorder:
        recorder = Recorder(client, options)
        recorders.append(recorder)
        recorder.start()
        return recorder

    return make


async def test_connect_on_connect_and_push(
    server: FakeFrigateServer, make_client: ClientFactory, listen: Callable[..., Recorder]
) -> None:
    """Every version: connected, onConnect answered (0.14+), events, counts, motion pushed."""
    features = LiveFeatures.of(FrigateVersion.parse(server.version_string))
    assert features.websocket
    recorder = listen(make_client(server))
    await recorder.connected()
    assert recorder.states == [True]
    await on_connects(server, 1)
    assert server.live.received[0][0] == "onConnect"
    if features.camera_activity:
        activity = await recorder.wait_for(ActivityUpdate)
        assert set(activity.cameras) == {"front_door", "backyard"}
        assert activity.cameras["front_door"].settings["detect"] is True
        assert activity.cameras["front_door"].settings["recordings"] is True
    event_id = server.create_event("front_door", "person", zones=["porch"])
    update = await recorder.wait_for(EventUpdate)
    assert (update.kind, update.event.id, update.event.zones) == ("new", event_id, ("porch",))
    count = await recorder.wait_for(
        CountUpdate, lambda c: (c.scope, c.label, c.active) == ("front_door", "person", False)
    )
    assert count.count == 1
    zone = await recorder.wait_for(CountUpdate, lambda c: c.scope == "porch" and c.count == 1)
    assert zone.label in {"person", "all"}
    assert (await recorder.wait_for(MotionUpdate)).on is True
    server.end_event(event_id)
    ended = await recorder.wait_for(EventUpdate, lambda u: u.kind == "end")
    assert ended.event.end_time is not None
    if features.reviews:
        review = await recorder.wait_for(ReviewUpdate, lambda r: r.kind == "end")
        assert review.review.severity == "alert"
        assert review.review.detections == (event_id,)
        assert review.review.zones == ("porch",)
    if features.review_status:
        status = await recorder.wait_for(ReviewStatusUpdate, lambda r: r.status == "NONE")
        assert status.camera == "front_door"
    await server.live.publish_stats()
    stats = await recorder.wait_for(StatsUpdate)
    assert "front_door" in stats.stats.cameras


async def test_command_confirmed(
    server: FakeFrigateServer, make_client: ClientFactory, listen: Callable[..., Recorder]
) -> None:
    """A switch and a number are confirmed by their `.../state` in every version."""
    recorder = listen(make_client(server))
    await recorder.connected()
    assert await recorder.live.set_setting("front_door", "detect", False) is False
    assert server.live.camera("front_door").settings["detect"] is False
    assert await recorder.live.set_setting("front_door", "motion_threshold", 45) == 45
    update = await recorder.wait_for(SettingUpdate, lambda s: s.setting == "motion_threshold")
    assert update.value == 45
    config = await make_client(server).config()
    controls = config.cameras["front_door"].controls
    assert controls is not None
    assert controls.motion_threshold == 45
    assert config.cameras["front_door"].detect_enabled is False


async def test_command_refused_times_out(
    server: FakeFrigateServer, make_client: ClientFactory, listen: Callable[..., Recorder]
) -> None:
    """Audio off in the config: Frigate answers nothing, the command fails in time."""
    recorder = listen(make_client(server))
    await recorder.connected()
    if server.minor < 13:
        with pytest.raises(FrigateCommandError):  # no audio setting at all
            await recorder.live.set_setting("front_door", "audio", True)
        return
    with pytest.raises(FrigateCommandError, match="did not confirm audio"):
        await recorder.live.set_setting("front_door", "audio", True)
    assert server.live.camera("front_door").settings["audio"] is False


@pytest.mark.parametrize("version", AUTH_VERSIONS)
async def test_login_handshake_and_viewer(
    server_factory: ServerFactory,
    make_client: ClientFactory,
    listen: Callable[..., Recorder],
    version: str,
) -> None:
    """The JWT goes in the handshake; 0.17.2+ drops a viewer's commands, PTZ passes."""
    server = await server_factory(version, auth="login", role="viewer", websocket=True)
    server.live.enable_ptz("front_door")
    client = make_client(server, username="admin", password=PASSWORD)
    await client.probe()
    recorder = listen(client)
    await recorder.connected()
    profile = await client.profile()
    parsed = FrigateVersion.parse(server.version_string)
    if version in {"0.17", "0.18"}:
        assert not may_control(parsed, profile)
        assert may_ptz(parsed, profile, "front_door")
        with pytest.raises(FrigateCommandError):
            await recorder.live.set_setting("front_door", "detect", False)
        assert server.live.camera("front_door").settings["detect"] is True
    else:
        assert may_control(parsed, profile)
        assert await recorder.live.set_setting("front_door", "detect", False) is False
    await recorder.live.ptz("front_door", "preset_gate")
    await recorder.live.ptz("front_door", "MOVE_LEFT")
    await until(lambda: len(server.live.ptz_log) >= 2)
    assert server.live.ptz_log == [("front_door", "preset_gate"), ("front_door", "MOVE_LEFT")]
    assert ptz_presets(await client.ptz_info("front_door")) == ("home", "gate")


async def test_handshake_401_ends_with_auth_error(
    server_factory: ServerFactory, make_client: ClientFactory
) -> None:
    """A token Frigate refuses at the handshake (twice) ends `run` with the auth error."""
    server = await server_factory("0.17", auth="login", websocket=True)
    client = make_client(server, token="not-a-valid-token")
    live = FrigateLive(client.websocket, on_message=lambda _: None, options=FAST)
    with pytest.raises(FrigateAuthenticationError):
        await asyncio.wait_for(live.run(), 5)
    assert server.requests["/ws"] == 1


async def test_revoked_token_logs_in_again(
    server_factory: ServerFactory, make_client: ClientFactory, listen: Callable[..., Recorder]
) -> None:
    """After a reconnect with a revoked JWT the client logs in once more, as for HTTP."""
    server = await server_factory("0.18", auth="login", websocket=True)
    client = make_client(server, username="admin", password=PASSWORD)
    await client.probe()
    recorder = listen(client)
    await recorder.connected()
    server.revoke_tokens()
    await server.live.drop()
    await recorder.connected(2)
    assert server.requests["/api/login"] == 2


async def test_reconnect_with_backoff(
    server: FakeFrigateServer, make_client: ClientFactory, listen: Callable[..., Recorder]
) -> None:
    """A dropped socket comes back, sends onConnect again and reports down then up."""
    recorder = listen(make_client(server))
    await recorder.connected()
    await on_connects(server, 1)  # else the drop may discard it unread
    server.faults.status = 502
    server.faults.paths = ("/ws",)
    server.faults.status_count = 3
    await server.live.drop()
    await recorder.connected(2)
    assert recorder.states == [True, False, True]
    assert recorder.live.failures >= 3
    await on_connects(server, 2)
    server.create_event("backyard", "car")
    assert (await recorder.wait_for(EventUpdate)).event.camera == "backyard"


def test_backoff_is_capped_with_jitter() -> None:
    options = LiveOptions(backoff_initial=1.0, backoff_max=60.0)
    assert backoff_delay(0, options, lambda: 0.0) == 0.5
    assert backoff_delay(0, options, lambda: 1.0) == 1.0
    assert backoff_delay(3, options, lambda: 1.0) == 8.0
    assert backoff_delay(50, options, lambda: 1.0) == 60.0
    assert backoff_delay(50, options, lambda: 0.0) == 30.0


async def test_garbage_is_ignored(
    server: FakeFrigateServer, make_client: ClientFactory, listen: Callable[..., Recorder]
) -> None:
    """Messages that are no envelope are dropped; the socket stays up and keeps working."""
    recorder = listen(make_client(server))
    await recorder.connected()
    before = len(recorder.messages)
    await server.live.garbage()
    event_id = server.create_event("front_door", "car")
    assert (await recorder.wait_for(EventUpdate)).event.id == event_id
    assert recorder.live.connects == 1
    assert not any(isinstance(m, EventUpdate) for m in recorder.messages[:before])


async def test_stalled_socket_is_reopened(
    server_factory: ServerFactory, make_client: ClientFactory, listen: Callable[..., Recorder]
) -> None:
    """A socket that stops answering pings is given up after the heartbeat and reopened."""
    server = await server_factory("0.17", websocket=True)
    options = LiveOptions(heartbeat=0.2, backoff_initial=0.01, backoff_max=0.02)
    recorder = listen(make_client(server), options)
    await recorder.connected()
    server.live.stalled = True
    await until(lambda: not recorder.live.connected)
    server.live.stalled = False
    await recorder.connected(2)
    assert recorder.live.last_error is None


async def test_command_while_down(server: FakeFrigateServer, make_client: ClientFactory) -> None:
    live = FrigateLive(make_client(server).websocket, on_message=lambda _: None, options=FAST)
    with pytest.raises(FrigateConnectionError):
        await live.set_setting("front_door", "detect", True)
    with pytest.raises(ValueError, match="camera"):
        await live.set_setting("../x", "detect", True)
    with pytest.raises(ValueError, match="setting"):
        await live.set_setting("front_door", "restart", True)
    with pytest.raises(ValueError, match="integer"):
        await live.set_setting("front_door", "motion_threshold", True)
    with pytest.raises(ValueError, match="ON or OFF"):
        await live.set_setting("front_door", "detect", 1)
    with pytest.raises(ValueError, match="PTZ"):
        await live.ptz("front_door", "RESTART")
    with pytest.raises(ValueError, match="label"):
        await live.ptz("front_door", "preset_../x")


async def test_no_websocket_before_012(
    server_factory: ServerFactory, make_client: ClientFactory
) -> None:
    """0.11 has no /ws: the handshake is a 404."""
    server = await server_factory("0.11", websocket=True)
    assert not LiveFeatures.of(FrigateVersion.parse(server.version_string)).websocket
    with pytest.raises(FrigateNotFoundError):
        await make_client(server).websocket(1.0, 1024)


async def test_unreachable_and_oversized(
    server: FakeFrigateServer, make_client: ClientFactory, listen: Callable[..., Recorder]
) -> None:
    """A closed port is a connection error; a message over the cap breaks the socket."""
    with pytest.raises(FrigateConnectionError):
        await make_client("http://127.0.0.1:9").websocket(1.0, 1024)
    recorder = listen(make_client(server), LiveOptions(**{**vars_of(FAST), "max_message_size": 64}))
    await recorder.connected()
    await server.live.publish_stats()
    await until(lambda: recorder.live.last_error is not None)
    assert recorder.live.last_error == "FrigateConnectionError"


def vars_of(options: LiveOptions) -> dict[str, Any]:
    return {name: getattr(options, name) for name in options.__slots__}


def test_may_ptz_by_role() -> None:
    v172 = FrigateVersion.parse("0.17.2-3d4dd3a")
    limited = FrigateProfile(username="v", role="limited", allowed_cameras=("backyard",))
    assert may_ptz(v172, limited, "backyard")
    assert not may_ptz(v172, limited, "front_door")
    assert may_control(FrigateVersion.parse("0.17.1"), limited)
    assert may_control(v172, None)


async def test_handshake_timeout(make_client: ClientFactory) -> None:
    """A server that accepts but never answers the handshake: a connection error in time."""

    done = asyncio.Event()

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # until the client gives up and hangs up
        writer.close()
        done.set()

    tcp = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = tcp.sockets[0].getsockname()[1]
    try:
        client = make_client(f"http://127.0.0.1:{port}", request_timeout=0.2)
        with pytest.raises(FrigateConnectionError, match="timed out"):
            await client.websocket(1.0, 1024)
        await asyncio.wait_for(done.wait(), 5)
    finally:
        tcp.close()


async def test_binary_and_close(
    server: FakeFrigateServer, make_client: ClientFactory, listen: Callable[..., Recorder]
) -> None:
    """A binary frame is skipped; the server closing the socket is a reconnect."""
    recorder = listen(make_client(server))
    await recorder.connected()
    for client in server.live.clients:
        await client.ws.send_bytes(b"\x01")
    await server.live.drop()
    await recorder.connected(2)
    assert isinstance(recorder.live.last_error, str | None)


async def test_handler_error_is_contained(
    server: FakeFrigateServer, make_client: ClientFactory
) -> None:
    """An exception in the caller's callback is logged, not fatal to the connection."""

    def boom(_: LiveMessage) -> None:
        raise RuntimeError("boom")

    live = FrigateLive(make_client(server).websocket, on_message=boom, options=FAST)
    task = asyncio.create_task(live.run())
    try:
        await until(lambda: bool(live.connected))
        server.create_event("front_door", "person")
        await asyncio.sleep(0.2)
        assert live.connected
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
