"""Fake FLIR cameras, a fake Frigate and a real Home Assistant, onboarded, to try things by hand."""

import argparse
import asyncio
import contextlib
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.harness import onboard, start_hass, wait_ready, write_config

USERNAME = "dev"
PASSWORD = "dev-password"
FRONTEND_MANIFEST = "homeassistant/components/frontend/manifest.json"
FRIGATE_VERSION = "0.17"
FRIGATE_USERNAME = "admin"
FRIGATE_PASSWORD = "frigate-dev-password"


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


def start_fakes(args: argparse.Namespace) -> list[tuple[str, subprocess.Popen[bytes]]]:
    """Start one fake camera per FLIR profile."""
    fakes = [
        (
            "FLIR smart sensor (A400 style)",
            [
                "-m",
                "tests.fakes.flir_camera",
                "--port",
                str(args.flir_port),
                "--profile",
                "smart_sensor",
            ],
        ),
        (
            "FLIR image streaming (A50 style)",
            [
                "-m",
                "tests.fakes.flir_camera",
                "--port",
                str(args.flir_port + 1),
                "--profile",
                "image_streaming",
            ],
        ),
    ]
    return [
        (label, subprocess.Popen([sys.executable, *argv], cwd=REPO, stdout=subprocess.DEVNULL))
        for label, argv in fakes
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
    ]
    return subprocess.Popen([sys.executable, *argv], cwd=REPO, stdout=subprocess.DEVNULL)


async def main() -> None:
    """Start everything and print how to use it."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8123, help="Home Assistant port")
    parser.add_argument("--flir-port", type=int, default=8081, help="first fake FLIR camera port")
    parser.add_argument("--frigate-port", type=int, default=5000, help="fake Frigate port")
    args = parser.parse_args()

    ensure_frontend()
    config_dir = REPO / "config"
    write_config(config_dir, args.port)
    fakes = start_fakes(args)
    frigate = start_frigate(args)
    hass = start_hass(config_dir)
    url = f"http://127.0.0.1:{args.port}"
    try:
        await wait_ready(url)
        await onboard(url, USERNAME, PASSWORD)
        print(f"\nHome Assistant: {url}  (log in as {USERNAME} / {PASSWORD})")
        print("Settings > Devices & services > Add integration > FLIR & Frigate Cameras:")
        for offset, (label, _) in enumerate(fakes):
            print(f"  {label}: host 127.0.0.1:{args.flir_port + offset}")
        print(
            f"  Frigate NVR {FRIGATE_VERSION} (fake, login): "
            f"URL http://127.0.0.1:{args.frigate_port}, "
            f"username {FRIGATE_USERNAME}, password {FRIGATE_PASSWORD}"
        )
        print("Ctrl-C stops everything.\n")
        await asyncio.get_running_loop().run_in_executor(None, hass.wait)
    finally:
        processes = [hass, frigate, *(process for _, process in fakes)]
        for process in processes:
            process.terminate()
        for process in processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=20)


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())
