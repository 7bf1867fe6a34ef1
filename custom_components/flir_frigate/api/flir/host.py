"""The camera's address: what a user may type for it, turned into the client's base URL.

A FLIR camera is configured by hand, so its address arrives as an IP, a host name,
``host:port``, a full URL or even a pasted image URL. This module turns all of these into one
normalised base URL and refuses anything else (other schemes, credentials in the URL, invalid
host names) with ValueError, so a bad address is rejected before any request is made. It is
kept apart from the transport and the endpoints because it sends nothing.
"""

import ipaddress
import re
from typing import Final

from yarl import URL

_HOST_LABEL: Final = re.compile(r"(?!-)[A-Za-z0-9_-]{1,63}(?<!-)")


def _valid_hostname(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return True
    name = host.removesuffix(".")
    if not name or len(name) > 253:  # noqa: PLR2004 - DNS limit
        return False
    labels = name.split(".")
    if all(label.isdigit() for label in labels):
        return False  # looks like an IPv4 address but is not a valid one
    return all(_HOST_LABEL.fullmatch(label) for label in labels)


def _parse_host(host: str) -> URL:
    text = host.strip()
    if not text or any(char.isspace() for char in text):
        raise ValueError("the host is empty or contains spaces")
    if "://" not in text:
        try:
            ipaddress.IPv6Address(text)
        except ValueError:
            pass
        else:
            text = f"[{text}]"
        text = f"http://{text}"
    try:
        url = URL(text)
        port = url.explicit_port
    except (ValueError, TypeError) as err:
        raise ValueError("not a valid host name, address or URL") from err
    if port is not None and not 0 < port < 65536:  # noqa: PLR2004
        raise ValueError("the port is out of range")
    return url


def normalize_host(host: str) -> str:
    """Return the base URL for an IP, host name, ``host:port`` or http(s) URL.

    A path containing an ``api`` segment is cut there, so a pasted image URL works.
    Raises ValueError for anything that is not a plain host or http(s) URL.
    """
    url = _parse_host(host)
    if url.scheme not in {"http", "https"}:
        raise ValueError("only http and https are supported")
    if url.raw_user is not None or url.raw_password is not None:
        raise ValueError("put the user name and password in their own fields, not in the host")
    if url.raw_host is None or not _valid_hostname(url.raw_host):
        raise ValueError("not a valid host name or address")
    segments = [segment for segment in url.raw_path.split("/") if segment]
    if "api" in segments:
        segments = segments[: segments.index("api")]
    prefix = "".join(f"/{segment}" for segment in segments)
    return f"{url.origin()}{prefix}"
