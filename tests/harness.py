"""Runs a real Home Assistant process with this integration, onboarded through its REST API.

Used by scripts/develop and the end-to-end tests. Everything binds to 127.0.0.1.
"""

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import aiohttp

REPO = Path(__file__).resolve().parent.parent
COMPONENT = REPO / "custom_components" / "flir_frigate"

CONFIGURATION = """\
# Written by tests/harness.py: a minimal Home Assistant for trying the integration.
frontend:
config:
history:
logbook:
automation: !include automations.yaml
blueprint:
notify:
http:
  server_host: 127.0.0.1
  server_port: {port}
logger:
  default: warning
  logs:
    custom_components.flir_frigate: debug
    homeassistant.components.http.ban: warning
"""


def write_config(config_dir: Path, port: int) -> None:
    """Write configuration.yaml and link the integration into custom_components/."""
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "configuration.yaml").write_text(CONFIGURATION.format(port=port))
    automations = config_dir / "automations.yaml"
    if not automations.exists():
        automations.write_text("[]\n")
    custom = config_dir / "custom_components"
    custom.mkdir(exist_ok=True)
    link = custom / "flir_frigate"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(COMPONENT, target_is_directory=True)


def start_hass(config_dir: Path, log: Path | None = None) -> subprocess.Popen[bytes]:
    """Start `hass -c config_dir` with this interpreter."""
    out = log.open("ab") if log is not None else None
    return subprocess.Popen(
        [sys.executable, "-m", "homeassistant", "-c", str(config_dir)],
        stdout=out,
        stderr=subprocess.STDOUT if out is not None else None,
        env={**os.environ, "PYTHONPATH": ""},
    )


async def wait_ready(url: str, timeout: float = 300) -> None:
    """Wait until the HTTP server answers."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    async with aiohttp.ClientSession() as session:
        while True:
            try:
                async with session.get(
                    f"{url}/api/onboarding", timeout=aiohttp.ClientTimeout(5)
                ) as resp:
                    if resp.status in (200, 401):
                        return
            except aiohttp.ClientError, TimeoutError:
                pass
            if loop.time() > deadline:
                raise TimeoutError(f"Home Assistant did not start at {url}")
            await asyncio.sleep(1)


async def onboard(url: str, username: str, password: str) -> str:
    """Create the owner, finish onboarding and return an access token."""
    client_id = f"{url}/"
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{url}/api/onboarding") as resp:
            steps = {step["step"]: step["done"] for step in await resp.json()}
        if steps.get("user"):
            return await login(url, username, password)
        async with session.post(
            f"{url}/api/onboarding/users",
            json={
                "client_id": client_id,
                "name": username.title(),
                "username": username,
                "password": password,
                "language": "en",
            },
        ) as resp:
            resp.raise_for_status()
            code = (await resp.json())["auth_code"]
        token = await _token(session, url, client_id, code)
        headers = {"Authorization": f"Bearer {token}"}
        for step, body in (
            ("core_config", {}),
            ("analytics", {}),
            ("integration", {"client_id": client_id, "redirect_uri": f"{url}/?auth_callback=1"}),
        ):
            async with session.post(f"{url}/api/onboarding/{step}", json=body, headers=headers):
                pass
        return token


async def _token(session: aiohttp.ClientSession, url: str, client_id: str, code: str) -> str:
    async with session.post(
        f"{url}/auth/token",
        data={"grant_type": "authorization_code", "code": code, "client_id": client_id},
    ) as resp:
        resp.raise_for_status()
        return str((await resp.json())["access_token"])


async def login(url: str, username: str, password: str) -> str:
    """Log in through the login flow the frontend uses and return an access token."""
    client_id = f"{url}/"
    async with aiohttp.ClientSession() as session:
        async with session.post(
            f"{url}/auth/login_flow",
            json={
                "client_id": client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": f"{url}/?auth_callback=1",
            },
        ) as resp:
            flow = await resp.json()
        async with session.post(
            f"{url}/auth/login_flow/{flow['flow_id']}",
            json={"client_id": client_id, "username": username, "password": password},
        ) as resp:
            result = await resp.json()
        return await _token(session, url, client_id, result["result"])
