"""What a Frigate server says about itself and about an image: profile, auth mode, images.

`FrigateClient.probe` sums up a server as a `ServerInfo` (version, how to authenticate, the
profile of the logged-in user), and image endpoints answer with bytes plus headers rather
than JSON (`FrigateImage`). These small models describe the server and its answers rather
than its cameras or events, so they live apart from the payload models; the auth and
transport modules import them without pulling in the stats, config or event parsers.
"""

from dataclasses import dataclass
from typing import Literal, Self

from .parsing import JsonObject, as_str, as_str_tuple
from .version import FrigateVersion


@dataclass(frozen=True, kw_only=True, slots=True)
class FrigateProfile:
    """`GET /api/profile` (0.14+): `anonymous`/`admin` on the internal port."""

    username: str | None = None
    role: str | None = None  # 0.16+: admin, viewer or a custom role
    allowed_cameras: tuple[str, ...] | None = None  # 0.17+; None = all

    @classmethod
    def from_dict(cls, data: JsonObject) -> Self:
        """Parse a profile payload."""
        cameras = data.get("allowed_cameras")
        return cls(
            username=as_str(data.get("username")),
            role=as_str(data.get("role")),
            allowed_cameras=as_str_tuple(cameras) if isinstance(cameras, list) else None,
        )

    @property
    def is_admin(self) -> bool | None:
        """Whether the role is admin (None before 0.16, when there were no roles)."""
        return None if self.role is None else self.role == "admin"


type AuthMode = Literal["none", "login", "token"]


@dataclass(frozen=True, kw_only=True, slots=True)
class FrigateImage:
    """An image answer: the bytes plus what the headers tell."""

    content: bytes
    content_type: str
    offline: bool = False  # 0.18 `X-Frigate-Offline: true`: last preview frame of a dead camera


@dataclass(frozen=True, kw_only=True, slots=True)
class ServerInfo:
    """What `FrigateClient.probe` found out."""

    version: FrigateVersion
    auth_mode: AuthMode  # none: no login needed (internal port or pre-0.14)
    profile: FrigateProfile | None = None  # None before 0.14
