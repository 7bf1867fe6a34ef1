"""Authentication modes: none, login (JWT cookie -> Bearer), static token; rate limiting."""

import asyncio
import logging

import aiohttp
import pytest

from custom_components.flir_frigate.api.frigate.client import FrigateClient
from custom_components.flir_frigate.api.frigate.exceptions import (
    FrigateAuthenticationError,
    FrigateConnectionError,
    FrigateRateLimitedError,
)

from .conftest import AUTH_VERSIONS, PASSWORD, ClientFactory, RecordingSession, ServerFactory


@pytest.mark.parametrize("version", AUTH_VERSIONS)
async def test_login(
    server_factory: ServerFactory, make_client: ClientFactory, version: str
) -> None:
    server = await server_factory(version, auth="login")
    client = make_client(server, username="admin", password=PASSWORD)
    info = await client.probe()
    assert info.auth_mode == "login"
    assert info.profile is not None
    assert info.profile.username == "admin"
    assert info.profile.username != "anonymous"
    assert server.requests["/api/login"] == 1
    stats = await client.stats()
    assert set(stats.cameras) == {"front_door", "backyard"}
    await client.config()
    await client.latest_jpg("front_door")
    assert server.requests["/api/login"] == 1
    assert server.request_log[-1].authorization


@pytest.mark.parametrize("version", AUTH_VERSIONS)
async def test_login_port_without_credentials(
    server_factory: ServerFactory, make_client: ClientFactory, version: str
) -> None:
    server = await server_factory(version, auth="login")
    client = make_client(server)
    assert (await client.version()).minor == int(version.split(".")[1])  # public endpoint
    with pytest.raises(FrigateAuthenticationError, match="requires authentication"):
        await client.probe()
    with pytest.raises(FrigateAuthenticationError):
        await client.stats()
    assert server.requests["/api/login"] == 0


async def test_credentials_unused_on_internal_port(
    server_factory: ServerFactory, make_client: ClientFactory
) -> None:
    """Login is lazy: port 5000 never sees /api/login (FHI #1103)."""
    server = await server_factory("0.17")
    client = make_client(server, username="admin", password="wrong-anyway")
    info = await client.probe()
    assert info.auth_mode == "none"
    await client.stats()
    await client.latest_jpg("front_door")
    assert server.requests["/api/login"] == 0
    assert not any(record.authorization for record in server.request_log)


@pytest.mark.parametrize("version", ["0.12", "0.13"])
async def test_credentials_on_servers_without_auth(
    server_factory: ServerFactory, make_client: ClientFactory, version: str
) -> None:
    server = await server_factory(version)
    client = make_client(server, username="admin", password=PASSWORD)
    assert (await client.probe()).auth_mode == "none"
    await client.stats()
    assert server.requests["/api/login"] == 0  # no /api/login there: nothing to send
    assert not any(record.authorization for record in server.request_log)


async def test_wrong_password_is_not_retried(
    server_factory: ServerFactory, make_client: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server = await server_factory("0.17", auth="login")
    client = make_client(server, username="admin", password="not-the-password")
    with pytest.raises(FrigateAuthenticationError) as err:
        await client.probe()
    assert "not-the-password" not in str(err.value)
    for _ in range(3):
        with pytest.raises(FrigateAuthenticationError):
            await client.stats()
    with pytest.raises(FrigateAuthenticationError, match="not retrying yet"):
        await client.stats()
    assert server.requests["/api/login"] == 1
    assert "not-the-password" not in caplog.text


async def test_relogin_once_after_token_revoked(
    server_factory: ServerFactory,
    session: aiohttp.ClientSession,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    server = await server_factory("0.16", auth="login")
    recorder = RecordingSession(session)
    client = FrigateClient(
        server.url,
        session=recorder,  # type: ignore[arg-type]
        username="admin",
        password=PASSWORD,
    )
    await client.stats()
    token = recorder.tokens[-1]
    assert token is not None
    assert server.requests["/api/login"] == 1
    server.revoke_tokens()  # e.g. a restart with a new secret
    await client.stats()
    assert server.requests["/api/login"] == 2
    assert recorder.tokens[-1] not in {None, token}
    assert token not in caplog.text
    assert str(recorder.tokens[-1]) not in caplog.text
    assert PASSWORD not in caplog.text


async def test_password_changed_gives_up_after_one_login(
    server_factory: ServerFactory, make_client: ClientFactory
) -> None:
    server = await server_factory("0.17", auth="login")
    client = make_client(server, username="admin", password=PASSWORD)
    await client.stats()
    stats_requests = server.requests["/api/stats"]
    server.set_password("a-new-password")
    with pytest.raises(FrigateAuthenticationError):
        await client.stats()
    assert server.requests["/api/login"] == 2
    assert server.requests["/api/stats"] == stats_requests + 1
    with pytest.raises(FrigateAuthenticationError):
        await client.stats()
    assert server.requests["/api/login"] == 2  # back-off: no new attempt yet


async def test_concurrent_401s_share_one_login(
    server_factory: ServerFactory, make_client: ClientFactory
) -> None:
    server = await server_factory("0.17", auth="login")
    client = make_client(server, username="admin", password=PASSWORD)
    await client.stats()
    server.revoke_tokens()
    await asyncio.gather(*(client.stats() for _ in range(5)), client.latest_jpg("front_door"))
    assert server.requests["/api/login"] == 2


async def test_expiring_token_is_renewed_before_use(
    server_factory: ServerFactory, make_client: ClientFactory
) -> None:
    server = await server_factory("0.17", auth="login", session_length=1)
    client = make_client(server, username="admin", password=PASSWORD)
    await client.stats()
    await asyncio.sleep(1.05)
    rejected_before = sum(1 for r in server.request_log if r.path == "/api/stats")
    await client.stats()
    assert server.requests["/api/login"] == 2
    assert sum(1 for r in server.request_log if r.path == "/api/stats") == rejected_before + 1


async def test_custom_cookie_name(
    server_factory: ServerFactory, make_client: ClientFactory
) -> None:
    server = await server_factory("0.18", auth="login", cookie_name="nvr_session")
    client = make_client(server, username="admin", password=PASSWORD)
    assert (await client.probe()).auth_mode == "login"
    await client.events()
    assert server.requests["/api/login"] == 1


async def test_login_rate_limited_is_not_hammered(
    server_factory: ServerFactory, make_client: ClientFactory
) -> None:
    server = await server_factory("0.17", auth="login", failed_login_limit=(2, 60.0))
    for _ in range(2):
        with pytest.raises(FrigateAuthenticationError):
            await make_client(server, username="admin", password="guess").stats()
    client = make_client(server, username="admin", password=PASSWORD)
    with pytest.raises(FrigateRateLimitedError) as err:
        await client.stats()
    assert isinstance(err.value, FrigateConnectionError)
    assert err.value.retry_after == pytest.approx(60.0)
    logins = server.requests["/api/login"]
    for _ in range(5):
        with pytest.raises(FrigateRateLimitedError) as again:
            await client.stats()
    assert server.requests["/api/login"] == logins == 3
    assert 0 < again.value.retry_after <= 60


async def test_login_rate_limit_honours_retry_after(
    server_factory: ServerFactory, make_client: ClientFactory
) -> None:
    server = await server_factory("0.17", auth="login")
    server.faults.status = 429
    server.faults.retry_after = 7
    server.faults.paths = ("/api/login",)
    client = make_client(server, username="admin", password=PASSWORD)
    with pytest.raises(FrigateRateLimitedError) as err:
        await client.stats()
    assert err.value.retry_after == 7
    with pytest.raises(FrigateRateLimitedError) as again:
        await client.stats()
    assert 6 < again.value.retry_after <= 7
    assert server.requests["/api/login"] == 1


async def test_static_token(server_factory: ServerFactory, make_client: ClientFactory) -> None:
    server = await server_factory("0.17", auth="login")
    client = make_client(server, token=server.issue_token())
    info = await client.probe()
    assert info.auth_mode == "token"
    assert info.profile is not None
    assert info.profile.username == "admin"
    await client.stats()
    jpeg = await client.latest_jpg("front_door")
    assert jpeg.startswith(b"\xff\xd8")
    assert server.requests["/api/login"] == 0
    server.revoke_tokens()
    with pytest.raises(FrigateAuthenticationError, match="rejected the token"):
        await client.stats()
    assert server.requests["/api/login"] == 0


async def test_login_stream_relogin(
    server_factory: ServerFactory, make_client: ClientFactory
) -> None:
    server = await server_factory("0.15", auth="login")
    client = make_client(server, username="admin", password=PASSWORD)
    event_id = server.create_event("front_door", "person", in_progress=False)
    async with client.event_clip(event_id) as response:
        assert (await response.read())[4:8] == b"ftyp"
    server.revoke_tokens()
    async with client.mjpeg_stream("front_door", fps=10) as response:
        assert (await response.content.read(7)) == b"--frame"
    assert server.requests["/api/login"] == 2
    server.revoke_tokens()
    async with client.event_clip(event_id, byte_range="bytes=4-7") as response:  # 401, retry
        assert response.status == 200  # 0.15+ streams the clip and ignores the range
        assert (await response.read())[4:8] == b"ftyp"
    assert server.requests["/api/login"] == 3
