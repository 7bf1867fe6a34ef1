"""Fake FLIR cameras, a fake Frigate and a real Home Assistant, onboarded, to try things by hand.

Everything it starts (two fake cameras, the fake Frigate, Home Assistant) stops with it: on
Ctrl-C, on SIGTERM and SIGHUP (a closed terminal, `kill`, a supervisor), and when Home Assistant
exits by itself. The children also get SIGTERM from the kernel if this process is killed outright
(SIGKILL), so none is left holding a port.
"""

import argparse
import asyncio
import contextlib
import ctypes
import json
import signal
import subprocess
import sys
from collections.abc import Awaitable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.harness import onboard, start_hass, wait_ready, write_config

USERNAME = "dev"
PASSWORD = "dev-password"
FRONTEND_MANIFEST = "homeassistant/components/frontend/manifest.json"
FRIGATE_VERSION = "0.18"  # the newest: every entity, the profile select included
FRIGATE_USERNAME = "admin"
FRIGATE_PASSWORD = "frigate-dev-password"
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
STOP_TIMEOUT = 20.0  # seconds each child gets to stop after SIGTERM before it is killed
PR_SET_PDEATHSIG = 1  # prctl(2)

type Child = tuple[str, subprocess.Popen[bytes]]


def ensure_frontend() -> None:
    """Install the frontend package Home Assistant asks for, once, before it starts."""
    import homeassistant

    manifest = Path(homeassistant.__file__).parent.parent / FRONTEND_MANIFEST
    requirement = json.loads(manifest.read_text())["requirements"][0]
    name, version = requirement.split("==")
    with contextlib.suppress(ImportError):
        from importlib.metadata import version as installed

        if installed(name) == version:
            return
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", requirement], check=True)


def _die_with_parent() -> None:
    """In a child: SIGTERM when this process dies in any way (Linux), SIGKILL included."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _start(argv: Sequence[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, *argv],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        preexec_fn=_die_with_parent,  # noqa: PLW1509
    )


def start_fakes(args: argparse.Namespace) -> list[Child]:
    """Start one fake camera per FLIR profile (the Ax8 two ports after the first)."""
    fakes = [
        ("FLIR smart sensor (A400 style)", args.flir_port, "smart_sensor"),
        ("FLIR image streaming (A50 style)", args.flir_port + 1, "image_streaming"),
        ("FLIR Ax8 (web login admin / admin)", args.flir_port + 2, "ax8"),
    ]
    return [
        (label, _start(["-m", "tests.fakes.flir_camera", "--port", str(port), "--profile", kind]))
        for label, port, kind in fakes
    ]


def start_frigate(args: argparse.Namespace) -> subprocess.Popen[bytes]:
    """Start a fake Frigate on its authenticated port (login), with objects coming and going."""
    argv = [
        "-m",
        "tests.fakes.frigate_server",
        "--port",
        str(args.frigate_port),
        "--version",
        FRIGATE_VERSION,
        "--auth",
        "login",
        "--username",
        FRIGATE_USERNAME,
        "--password",
        FRIGATE_PASSWORD,
        "--recognition",  # faces, plates, classification, descriptions, Birdseye
    ]
    return _start(argv)


def stop_children(children: Sequence[Child]) -> None:
    """SIGTERM to every child, then wait; whatever has not stopped in time is killed."""
    for _, process in children:
        if process.poll() is None:
            process.terminate()
    for label, process in children:
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            print(f"{label} did not stop within {STOP_TIMEOUT:g} s; killing it", file=sys.stderr)
            process.kill()
            process.wait()


async def _until_stopped[T](stop: asyncio.Event, work: Awaitable[T]) -> T | None:
    """Run ``work`` unless a stop signal comes first (then cancel it and return None)."""
    task = asyncio.ensure_future(work)
    stopping = asyncio.ensure_future(stop.wait())
    await asyncio.wait((task, stopping), return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    if task.done():
        return task.result()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    return None


async def _wait_exit(process: subprocess.Popen[bytes], stop: asyncio.Event) -> None:
    """Return when the process exits or a stop signal arrives."""
    while process.poll() is None and not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.5)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8123, help="Home Assistant port")
    parser.add_argument("--flir-port", type=int, default=8081, help="first fake FLIR camera port")
    parser.add_argument("--frigate-port", type=int, default=5000, help="fake Frigate port")
    parser.add_argument(
        "--config", type=Path, default=REPO / "config", help="Home Assistant configuration folder"
    )
    return parser.parse_args(argv)


async def main(argv: Sequence[str] | None = None) -> int:
    """Start everything, print how to use it, and stop everything on a signal."""
    args = parse_args(argv)
    ensure_frontend()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in STOP_SIGNALS:
        loop.add_signal_handler(signum, stop.set)
    write_config(args.config, args.port)
    children: list[Child] = []
    try:
        fakes = start_fakes(args)
        children += fakes
        children.append(("fake Frigate", start_frigate(args)))
        hass = start_hass(args.config, die_with_parent=True)
        children.append(("Home Assistant", hass))
        url = f"http://127.0.0.1:{args.port}"
        if await _until_stopped(stop, _ready(url)) is None:
            return 0
        print(f"\nHome Assistant: {url}  (log in as {USERNAME} / {PASSWORD})")
        print("Settings > Devices & services > Add integration > FLIR & Frigate Cameras:")
        for offset, (label, _) in enumerate(fakes):
            print(f"  {label}: host 127.0.0.1:{args.flir_port + offset}")
        print(
            f"  Frigate NVR {FRIGATE_VERSION} (fake, login): "
            f"URL http://127.0.0.1:{args.frigate_port}, "
            f"username {FRIGATE_USERNAME}, password {FRIGATE_PASSWORD}"
        )
        print("Ctrl-C (or SIGTERM, SIGHUP) stops everything.\n", flush=True)
        await _wait_exit(hass, stop)
        return 0 if stop.is_set() else 1
    finally:
        stop_children(children)
        for signum in STOP_SIGNALS:
            loop.remove_signal_handler(signum)


async def _ready(url: str) -> bool:
    await wait_ready(url)
    await onboard(url, USERNAME, PASSWORD)
    return True


if __name__ == "__main__":
    status = 0
    with contextlib.suppress(KeyboardInterrupt):
        status = asyncio.run(main())
    sys.exit(status)
