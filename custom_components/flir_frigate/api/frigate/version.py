"""Frigate server versions as reported by `GET /api/version` (e.g. `0.17.2-3d4dd3a`).

AwesomeVersion is not used: Frigate appends its git hash after a dash, which AwesomeVersion
reads as a pre-release (`0.17.2-3d4dd3a` < `0.17.2`), and it tells `0.14` from `0.14.0`. The
parsing that separates pre-release tags from the build hash would stay, and comparing would
go through a second normalised string, so it would add a layer without removing one.
"""

import re
from dataclasses import dataclass, field
from typing import Self

_VERSION_RE = re.compile(
    r"^v?(?P<major>\d{1,4})\.(?P<minor>\d{1,4})(?:\.(?P<patch>\d{1,6}))?"
    r"(?:-(?P<suffix>[0-9A-Za-z][0-9A-Za-z.+-]{0,63}))?$"
)
# Pre-release tags; anything else after the dash is the git short hash (build).
_PRERELEASE_RE = re.compile(r"^(?:alpha|beta|rc|dev)\.?\d*$", re.IGNORECASE)
_NATURAL_RE = re.compile(r"\d+|\D+")


def _prerelease_key(tag: str | None) -> tuple[int, tuple[tuple[int, int, str], ...]]:
    """Order key: releases after their pre-releases, pre-release tags naturally sorted."""
    if tag is None:
        return (1, ())
    parts = tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.lower())
        for part in _NATURAL_RE.findall(tag)
    )
    return (0, parts)


type _Key = tuple[int, int, int, tuple[int, tuple[tuple[int, int, str], ...]]]


@dataclass(frozen=True, kw_only=True, slots=True, order=True)
class FrigateVersion:
    """A semantic Frigate version; the build suffix is kept but ignored when comparing.

    Equality, hashing and ordering use only `major.minor.patch` and the pre-release tag:
    `0.18.0-beta1 < 0.18.0-beta10 < 0.18.0-rc1 < 0.18.0 == 0.18.0-e3fa701`.
    """

    major: int = field(compare=False)
    minor: int = field(compare=False)
    patch: int = field(default=0, compare=False)
    prerelease: str | None = field(default=None, compare=False)
    build: str | None = field(default=None, compare=False)
    raw: str = field(default="", compare=False)
    _key: _Key = field(init=False, repr=False)

    def __post_init__(self) -> None:
        """Compute the comparison key."""
        key = (self.major, self.minor, self.patch, _prerelease_key(self.prerelease))
        object.__setattr__(self, "_key", key)

    @classmethod
    def parse(cls, text: str) -> Self:
        """Parse `0.17.2-3d4dd3a`, `0.18.0`, `0.14`, `0.18.0-beta1-e3fa701`; ValueError if not."""
        value = text.strip()
        match = _VERSION_RE.match(value)
        if match is None:
            raise ValueError("not a Frigate version string")
        prerelease: list[str] = []
        build: list[str] = []
        if suffix := match["suffix"]:
            for part in suffix.split("-"):
                (prerelease if _PRERELEASE_RE.match(part) and not build else build).append(part)
        return cls(
            major=int(match["major"]),
            minor=int(match["minor"]),
            patch=int(match["patch"] or 0),
            prerelease="-".join(prerelease) or None,
            build="-".join(build) or None,
            raw=value,
        )

    @classmethod
    def of(cls, major: int, minor: int, patch: int = 0) -> Self:
        """Build a release version, e.g. `FrigateVersion.of(0, 14)`."""
        return cls(major=major, minor=minor, patch=patch, raw=f"{major}.{minor}.{patch}")

    def at_least(self, major: int, minor: int, patch: int = 0) -> bool:
        """Return whether this version is `major.minor.patch` or newer (pre-releases count)."""
        return (self.major, self.minor, self.patch) >= (major, minor, patch)

    @property
    def short(self) -> str:
        """`major.minor.patch` without suffixes."""
        return f"{self.major}.{self.minor}.{self.patch}"

    def __str__(self) -> str:
        """Return the version as the server reported it."""
        return self.raw or self.short


MIN_SUPPORTED_VERSION = FrigateVersion.of(0, 12)
"""Oldest Frigate this client supports (go2rtc restream, `cpu_usages`, event list filters)."""
