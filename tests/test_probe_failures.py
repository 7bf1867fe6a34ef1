"""The probe command line when it cannot go on: unreachable, silent, wrong device, bad usage.

Each failure has its exit status and a message that says why, with the reason the library or
the operating system gave (never empty parentheses) and the device's address once.
"""

import asyncio
from collections.abc import AsyncGenerator

import pytest
from aiohttp import web

from custom_components.flir_frigate import probe
from custom_components.flir_frigate.api.flir.client import FlirClient
from custom_components.flir_frigate.api.flir.exceptions import FlirConnectionError
from custom_components.flir_frigate.api.frigate.client import FrigateClient
from custom_components.flir_frigate.api.frigate.exceptions import FrigateConnectionError
from custom_components.flir_frigate.probe import Exit
from tests.fakes.flir_camera import FakeFlirCamera
from tests.fakes.frigate_server import FakeFrigateServer
from tests.test_probe import free_port, run, run_json


@pytest.fixture
async def web_server(socket_enabled: None) -> AsyncGenerator[str]:
    """A web server that is neither a FLIR camera nor Frigate (a router's login page)."""

    async def page(_request: web.Request) -> web.Response:
        return web.Response(text="<html><body>Router login</body></html>", content_type="text/html")

    app = web.Application()
    app.router.add_get("/{tail:.*}", page)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    await runner.cleanup()


async def test_unreachable(socket_enabled: None, capsys: pytest.CaptureFixture[str]) -> None:
    """Nothing listens: exit 3 with the operating system's reason."""
    status, _ = await run(f"127.0.0.1:{free_port()}")
    assert status == Exit.CANNOT_CONNECT
    err = capsys.readouterr().err
    assert "Cannot connect to http://127.0.0.1:" in err
    assert "Check the address and the port" in err


@pytest.fixture
async def silent_server(socket_enabled: None) -> AsyncGenerator[str]:
    """A host that accepts connections and never answers."""

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # until the client gives up and closes
        writer.close()

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    server.close()
    await server.wait_closed()


async def test_timeout_says_why(silent_server: str) -> None:
    """A timeout's cause has no text: the reason is the library's message, never `()`."""
    status, report = await run_json(silent_server, "--timeout", "0.5")
    assert status == Exit.CANNOT_CONNECT
    assert (
        f"Cannot connect to {silent_server} (Frigate did not answer within 0.5 s)."
        in (report["error"])
    )


async def test_error_without_text(web_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """An error raised without a message is described by its class, not by empty parentheses."""

    async def fails(_client: FrigateClient) -> None:
        raise FrigateConnectionError from TimeoutError()

    monkeypatch.setattr(probe, "identify", fails)
    status, report = await run_json(web_server)
    assert status == Exit.CANNOT_CONNECT
    assert "()" not in report["error"]
    assert (
        f"Cannot connect to {web_server} (Frigate could not be reached, timed out"
        in (report["error"])
    )


async def test_url_not_twice(web_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A FLIR message that names the address already: the report does not name it again."""

    async def fails(client: FlirClient, _ax8: object) -> None:
        raise FlirConnectionError(f"cannot connect to the camera at {client.base_url} (reset)")

    monkeypatch.setattr(probe, "probe_flir_or_ax8", fails)
    status, report = await run_json(web_server)
    assert status == Exit.CANNOT_CONNECT
    assert report["error"] == (
        f"Cannot talk to the device: cannot connect to the camera at {web_server} (reset)"
    )


async def test_neither_flir_nor_frigate(web_server: str) -> None:
    """A web server of something else: exit 5."""
    status, report = await run_json(web_server)
    assert status == Exit.WRONG_KIND
    assert report["error"].endswith(
        "is not a FLIR automation camera or a Frigate server: "
        "GET /api/image/current?imgformat=JPEG: not an image (text/html)."
    )
    status, report = await run_json(web_server, "--kind", "flir")
    assert status == Exit.WRONG_KIND
    assert "it is not a FLIR automation camera:" in report["error"]


async def test_wrong_kind(frigate: FakeFrigateServer, flir_smart: FakeFlirCamera) -> None:
    """Asked for a FLIR camera, found Frigate (and the other way round): exit 5."""
    status, report = await run_json(frigate.url, "--kind", "flir")
    assert status == Exit.WRONG_KIND
    assert report["kind"] == "frigate"
    assert "is a Frigate server (0.17.2" in report["error"]
    status, report = await run_json(f"127.0.0.1:{flir_smart.port}", "--kind", "frigate")
    assert status == Exit.WRONG_KIND
    assert report["kind"] == "flir"
    assert "is a FLIR automation camera (FLIR A400), not a Frigate server" in report["error"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["127.0.0.1", "--password", "x"], "--password needs --username"),
        (["127.0.0.1", "-u", "a", "-p", "b", "--token", "t"], "either --username/--password"),
        (["ftp://127.0.0.1"], "ftp://127.0.0.1:"),
        (["127.0.0.1", "--kind", "toaster"], "invalid choice"),
    ],
)
async def test_usage_errors(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bad command lines: exit 2 and a message."""
    status, text = await run(*argv)
    assert status == Exit.USAGE
    assert text == ""
    assert message in capsys.readouterr().err


async def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    """--help exits 0."""
    status, _ = await run("--help")
    assert status == Exit.OK
    assert "Diagnose a FLIR automation camera or a Frigate server" in capsys.readouterr().out


def test_main_in_process(socket_enabled: None, capsys: pytest.CaptureFixture[str]) -> None:
    """main() runs its own event loop."""
    assert probe.main([f"127.0.0.1:{free_port()}", "--timeout", "2"]) == Exit.CANNOT_CONNECT
    assert "Cannot connect" in capsys.readouterr().err
