"""Diagnose a FLIR automation camera or a Frigate server without Home Assistant.

    python -m custom_components.flir_frigate.probe URL [--username U --password P] [--json]

It tells what the device is (FLIR camera or Frigate server, model or version), how it wants to
be logged in to, which endpoints and instances answer, and which entities the integration would
create for it. It uses only the integration's own clients (``api/``) with an HTTP session of
its own; Home Assistant does not have to run (its Python packages are imported with this
package, so run it where Home Assistant is installed, e.g. in its container from /config).

Exit status: 0 the device works with the integration; 2 bad command line; 3 cannot connect;
4 the device refused the credentials (or needs some); 5 not a FLIR automation camera or Frigate
server (or not the kind asked for); 6 Frigate too old; 1 anything else.

This module is the command line: arguments, running, the text or JSON report, exit statuses.
What each kind of device is probed for lives beside its library (``api/flir/probe.py``,
``api/frigate/probe.py``); the entities come from the platforms' own entity descriptions
(``flir/plan.py``, ``frigate/plan.py``).
"""

import argparse
import asyncio
import contextlib
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from enum import IntEnum
from typing import Literal, TextIO

import aiohttp

from .api.flir.ax8 import Ax8Client
from .api.flir.ax8_probe import probe_flir_or_ax8
from .api.flir.client import FlirClient
from .api.flir.exceptions import (
    FlirAuthenticationError,
    FlirConnectionError,
    FlirUnexpectedDeviceError,
)
from .api.flir.probe import Endpoint as FlirEndpoint
from .api.flir.probe import FlirProbe
from .api.frigate.client import FrigateClient
from .api.frigate.exceptions import (
    FrigateAuthenticationError,
    FrigateConnectionError,
    FrigateRateLimitedError,
    FrigateUnexpectedDeviceError,
    FrigateUnsupportedVersionError,
)
from .api.frigate.probe import Endpoint as FrigateEndpoint
from .api.frigate.probe import FrigateProbe, identify, probe_frigate
from .api.frigate.version import FrigateVersion
from .flir import plan as flir_plan
from .frigate import plan as frigate_plan
from .plan import PlannedEntity, english_name

PROG = "python -m custom_components.flir_frigate.probe"

type Kind = Literal["flir", "frigate"]


class Exit(IntEnum):
    """Exit statuses of the probe."""

    OK = 0
    ERROR = 1
    USAGE = 2
    CANNOT_CONNECT = 3
    AUTH = 4
    WRONG_KIND = 5
    UNSUPPORTED = 6


class ProbeError(Exception):
    """The probe cannot go on; the message says why and what to try."""

    def __init__(self, message: str, status: Exit, kind: Kind | None = None) -> None:
        """Keep the exit status and, when known, the kind of device."""
        super().__init__(message)
        self.status = status
        self.kind = kind


@dataclass(frozen=True, kw_only=True)
class Entity:
    """An entity the integration would create, as the report shows it."""

    platform: str
    device: str
    name: str  # as shown under the device ("" for the device's main entity)
    translation_key: str | None
    enabled: bool = True
    diagnostic: bool = False
    value: str | None = None


@dataclass(kw_only=True)
class Report:
    """Everything the probe found out."""

    kind: Kind
    url: str
    auth: str
    facts: dict[str, str] = field(default_factory=dict)
    endpoints: list[FlirEndpoint | FrigateEndpoint] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------------- reports


def _entities(plan: Sequence[PlannedEntity]) -> list[Entity]:
    return [
        Entity(
            platform=str(planned.platform),
            device=planned.device,
            name=english_name(planned),
            translation_key=planned.translation_key,
            enabled=planned.enabled,
            diagnostic=planned.diagnostic,
            value=planned.value,
        )
        for planned in plan
    ]


def flir_report(found: FlirProbe) -> Report:
    """The report on a FLIR camera."""
    return Report(
        kind="flir",
        url=found.base_url,
        auth=found.capabilities.auth,
        facts=found.facts | {"Device name": flir_plan.device_name(found)},
        endpoints=list(found.endpoints),
        entities=_entities(flir_plan.probe_plan(found)),
        notes=found.notes,
    )


def frigate_report(found: FrigateProbe, version: FrigateVersion) -> Report:
    """The report on a Frigate server; `version` is what its public endpoint said."""
    newer = found.newer_version
    notes = [f"Frigate {newer} is available (this server runs {version})."] if newer else []
    return Report(
        kind="frigate",
        url=found.url,
        auth=found.info.auth_mode,
        facts=found.facts | {"Device name": frigate_plan.server_name(found.url)},
        endpoints=list(found.endpoints),
        entities=_entities(frigate_plan.probe_plan(found)),
        notes=notes,
    )


# ----------------------------------------------------------------------------------- running


def _url(text: str) -> str:
    """What the user typed, as a URL (http:// when no scheme is given)."""
    value = text.strip()
    return value if "://" in value else f"http://{value}"


def _reason(err: BaseException) -> str:
    """Why a request failed: the operating system's words when it gave any, else the error's.

    The libraries' errors carry a message (a timeout's cause, for one, has no text at all);
    one that has none is described by its class.
    """
    os_error = getattr(err.__cause__, "os_error", None)
    if reason := getattr(os_error, "strerror", None):
        return str(reason)
    if text := " ".join(str(err).split()):
        return text
    lines = (type(err).__doc__ or "").strip().splitlines()
    return lines[0].rstrip(".") if lines else type(err).__name__


def _at(url: str, reason: str) -> str:
    """The device's address for a message, unless the reason already names it."""
    return "the device" if url in reason else url


def _flir_client(url: str, session: aiohttp.ClientSession, args: argparse.Namespace) -> FlirClient:
    return FlirClient(
        url,
        session=session,
        username=args.username,
        password=args.password,
        request_timeout=args.timeout,
        verify_ssl=not args.insecure,
    )


def _frigate_client(
    url: str, session: aiohttp.ClientSession, args: argparse.Namespace
) -> FrigateClient:
    has_user = args.username is not None
    return FrigateClient(
        url,
        session=session,
        username=args.username if has_user else None,
        password=(args.password or "") if has_user else None,
        token=args.token,
        verify_ssl=not args.insecure,
        request_timeout=args.timeout,
    )


async def run_probe(args: argparse.Namespace) -> Report:
    """Probe the device; ProbeError (with an exit status) when it cannot be used."""
    url = _url(args.url)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:
        try:
            frigate = _frigate_client(url, session, args)
            flir = _flir_client(url, session, args) if args.token is None else None
        except ValueError as err:
            raise ProbeError(f"{args.url}: {err}", Exit.USAGE) from err
        try:
            version = await identify(frigate)
        except FrigateConnectionError as err:
            reason = _reason(err)
            raise ProbeError(
                f"Cannot connect to {_at(url, reason)} ({reason}). Check the address and the "
                "port, and that this computer reaches the device.",
                Exit.CANNOT_CONNECT,
            ) from err
        if version is not None:
            if args.kind == "flir":
                raise ProbeError(
                    f"{url} is a Frigate server ({version}), not a FLIR automation camera.",
                    Exit.WRONG_KIND,
                    "frigate",
                )
            return await _run_frigate(frigate, version)
        if flir is None:
            raise ProbeError(
                f"{url} does not answer like a Frigate server (GET /api/version).",
                Exit.WRONG_KIND,
            )
        ax8 = Ax8Client(
            url,
            session=session,
            username=args.username,
            password=args.password,
            request_timeout=args.timeout,
            verify_ssl=not args.insecure,
        )
        return await _run_flir(flir, url, args.kind, ax8)


async def _run_frigate(client: FrigateClient, version: FrigateVersion) -> Report:
    try:
        return frigate_report(await probe_frigate(client, version), version)
    except FrigateUnsupportedVersionError as err:
        raise ProbeError(
            f"Frigate {err.version} is too old: the integration supports 0.12 and newer.",
            Exit.UNSUPPORTED,
            "frigate",
        ) from err
    except FrigateRateLimitedError as err:
        raise ProbeError(
            f"Frigate refuses logins for {err.retry_after:.0f} s after failed attempts; "
            "wait, then try again with the right password.",
            Exit.AUTH,
            "frigate",
        ) from err
    except FrigateAuthenticationError as err:
        raise ProbeError(
            f"Frigate {version.short} at {client.url} refused the login ({_reason(err)}). "
            "On the authenticated port (8971) give --username and --password of a Frigate "
            "user (or --token); the internal port 5000 needs none.",
            Exit.AUTH,
            "frigate",
        ) from err
    except FrigateConnectionError as err:
        reason = _reason(err)
        raise ProbeError(
            f"Frigate {version.short} at {_at(client.url, reason)} stopped answering: {reason}",
            Exit.CANNOT_CONNECT,
            "frigate",
        ) from err
    except FrigateUnexpectedDeviceError as err:
        raise ProbeError(
            f"{client.url} answers /api/version like Frigate, but not the rest: {_reason(err)}",
            Exit.WRONG_KIND,
            "frigate",
        ) from err


async def _run_flir(client: FlirClient, url: str, kind: str, ax8: Ax8Client) -> Report:
    try:
        report = flir_report(await probe_flir_or_ax8(client, ax8))
    except FlirAuthenticationError as err:
        raise ProbeError(
            f"The device at {url} refused the request ({_reason(err)}). If it is a FLIR camera "
            "whose REST API needs a login, give --username and --password of a web user.",
            Exit.AUTH,
            "flir",
        ) from err
    except FlirUnexpectedDeviceError as err:
        what = "a FLIR automation camera" + ("" if kind == "flir" else " or a Frigate server")
        raise ProbeError(
            f"{url} answers, but it is not {what}: {_reason(err)}.", Exit.WRONG_KIND
        ) from err
    except FlirConnectionError as err:
        reason = _reason(err)
        raise ProbeError(
            f"Cannot talk to {_at(url, reason)}: {reason}", Exit.CANNOT_CONNECT, "flir"
        ) from err
    if kind == "frigate":
        raise ProbeError(
            f"{url} is a FLIR automation camera ({report.facts.get('Model')}), "
            "not a Frigate server.",
            Exit.WRONG_KIND,
            "flir",
        )
    return report


# -------------------------------------------------------------------------------------- main


def render(report: Report, out: TextIO) -> None:
    """The report as text."""
    title = "FLIR automation camera" if report.kind == "flir" else "Frigate NVR"
    out.write(f"{title} at {report.url}\n")
    width = max(len(key) for key in report.facts) + 2
    out.writelines(f"  {key:<{width}}{value}\n" for key, value in report.facts.items())
    out.write("\nEndpoints\n")
    request_width = max(len(e.request) for e in report.endpoints) + 2
    for endpoint in report.endpoints:
        mark = "ok" if endpoint.ok else "--"
        out.write(f"  {mark}  {endpoint.request:<{request_width}}{endpoint.detail}\n")
    enabled = [e for e in report.entities if e.enabled]
    out.write(
        f"\nEntities the integration would create: {len(report.entities)}"
        f" ({len(report.entities) - len(enabled)} of them disabled until you enable them)\n"
    )
    devices = list(dict.fromkeys(e.device for e in report.entities))
    for device in devices:
        out.write(f"  {device}\n")
        for entity in (e for e in report.entities if e.device == device):
            name = entity.name or f"({device})"
            flags = [
                flag
                for flag, on in (
                    ("diagnostic", entity.diagnostic),
                    ("disabled", not entity.enabled),
                )
                if on
            ]
            value = f"  = {entity.value}" if entity.value is not None else ""
            extra = f"  [{', '.join(flags)}]" if flags else ""
            out.write(f"    {entity.platform:<14}{name}{value}{extra}\n")
    out.writelines(f"\nNote: {note}\n" for note in report.notes)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Diagnose a FLIR automation camera or a Frigate server without Home "
        "Assistant: what it is, how it logs in, which endpoints answer and which entities "
        "the FLIR & Frigate Cameras integration would create.",
    )
    parser.add_argument("url", help="address of the device: IP, host:port or http(s) URL")
    parser.add_argument("--username", "-u", help="user of the camera's REST API or of Frigate")
    parser.add_argument("--password", "-p", help="that user's password")
    parser.add_argument("--token", help="Frigate only: a static bearer token instead of a user")
    parser.add_argument(
        "--kind",
        choices=("auto", "flir", "frigate"),
        default="auto",
        help="what the device should be (default: find out)",
    )
    parser.add_argument("--insecure", action="store_true", help="do not verify TLS certificates")
    parser.add_argument(
        "--timeout", type=float, default=10.0, help="seconds per request (default 10)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


async def async_main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the probe and print the report; returns the exit status."""
    out = out or sys.stdout
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as err:
        return int(err.code or 0)
    if args.password is not None and args.username is None:
        parser.print_usage(sys.stderr)
        sys.stderr.write(f"{PROG}: error: --password needs --username\n")
        return Exit.USAGE
    if args.token is not None and args.username is not None:
        parser.print_usage(sys.stderr)
        sys.stderr.write(f"{PROG}: error: give either --username/--password or --token\n")
        return Exit.USAGE
    try:
        report = await run_probe(args)
    except ProbeError as err:
        if args.json:
            out.write(
                json.dumps({"ok": False, "kind": err.kind, "error": str(err), "exit": err.status})
                + "\n"
            )
        else:
            sys.stderr.write(f"{PROG}: {err}\n")
        return err.status
    except (aiohttp.ClientError, TimeoutError) as err:  # pragma: no cover - the clients wrap these
        sys.stderr.write(f"{PROG}: unexpected network error: {err!r}\n")
        return Exit.ERROR
    if args.json:
        out.write(json.dumps({"ok": True, **asdict(report)}, default=str) + "\n")
    else:
        render(report, out)
    return Exit.OK


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    with contextlib.suppress(KeyboardInterrupt):
        return asyncio.run(async_main(argv))
    return Exit.ERROR  # pragma: no cover - interrupted by the user


if __name__ == "__main__":
    sys.exit(main())
