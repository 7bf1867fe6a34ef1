"""scripts/develop stops everything it started on SIGTERM and SIGHUP, not only on Ctrl-C.

The real entry point (``scripts/develop.py``) runs in a subprocess on free loopback ports with
its own configuration folder: once the three fake cameras, the fake Frigate and Home Assistant
answer on their ports, it gets the signal; then it must exit, every port must be free again and
no process it started (or that those started) may be left.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.harness import REPO

START_TIMEOUT = 240.0  # a cold Home Assistant start (first frontend build) is slow
STOP_TIMEOUT = 60.0


def _free_ports(count: int) -> list[int]:
    """``count`` consecutive ports free on 127.0.0.1."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            first = probe.getsockname()[1]
        if first + count > 65535:
            continue
        ports = list(range(first, first + count))
        if all(not _listening(port) and _bindable(port) for port in ports):
            return ports
    raise RuntimeError("no free consecutive ports")


def _bindable(port: int) -> bool:
    """Nothing listens on the port (connections in TIME_WAIT do not count)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _wait(condition, timeout: float, what: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None:
            raise AssertionError(f"scripts/develop.py exited ({process.returncode}) before {what}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.25)


@pytest.mark.timeout(START_TIMEOUT + STOP_TIMEOUT + 120)
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_signal_stops_everything(socket_enabled: None, tmp_path: Path, signum: int) -> None:
    hass_port, flir_port, _streaming_port, _ax8_port, frigate_port = _free_ports(5)
    ports = [hass_port, flir_port, flir_port + 1, flir_port + 2, frigate_port]
    argv = [
        sys.executable,
        str(REPO / "scripts" / "develop.py"),
        "--port",
        str(hass_port),
        "--flir-port",
        str(flir_port),
        "--frigate-port",
        str(frigate_port),
        "--config",
        str(tmp_path / "config"),
    ]
    log = (tmp_path / "develop.log").open("wb")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(argv, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env=env)
    parent = psutil.Process(process.pid)
    descendants: list[psutil.Process] = []
    try:
        _wait(lambda: all(_listening(port) for port in ports), START_TIMEOUT, "its ports", process)
        _wait(
            lambda: b"stops everything" in (tmp_path / "develop.log").read_bytes(),
            START_TIMEOUT,
            "onboarding",
            process,
        )
        descendants = parent.children(recursive=True)
        assert len(descendants) >= 4  # two cameras, Frigate, Home Assistant
        process.send_signal(signum)
        assert process.wait(timeout=STOP_TIMEOUT) == 0
        gone, alive = psutil.wait_procs(descendants, timeout=10)
        assert not alive, f"left running: {[(p.pid, p.cmdline()) for p in alive]}"
        assert len(gone) == len(descendants)
        busy = [port for port in ports if _listening(port) or not _bindable(port)]
        assert not busy, f"ports still in use: {busy}"
    finally:
        if process.poll() is None:
            process.kill()
        for child in descendants:
            if child.is_running():
                child.kill()
        log.close()
