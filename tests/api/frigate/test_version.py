"""FrigateVersion parsing and semantic ordering."""

import pytest

from custom_components.flir_frigate.api.frigate.version import (
    MIN_SUPPORTED_VERSION,
    FrigateVersion,
)

from .conftest import load_fixture


def test_parse_server_text() -> None:
    version = FrigateVersion.parse("0.17.2-3d4dd3a\n")
    assert (version.major, version.minor, version.patch) == (0, 17, 2)
    assert version.build == "3d4dd3a"
    assert version.prerelease is None
    assert str(version) == "0.17.2-3d4dd3a"
    assert version.short == "0.17.2"


def test_parse_fixture_and_short_forms() -> None:
    assert FrigateVersion.parse(load_fixture("fhi_api_version.txt")) == FrigateVersion.of(0, 18)
    assert FrigateVersion.parse("0.14") == FrigateVersion.of(0, 14, 0)
    assert FrigateVersion.parse("v0.13.2").patch == 2


def test_prerelease_and_build() -> None:
    beta = FrigateVersion.parse("0.18.0-beta1-e3fa701")
    assert beta.prerelease == "beta1"
    assert beta.build == "e3fa701"
    assert beta < FrigateVersion.parse("0.18.0-e3fa701")
    assert FrigateVersion.parse("0.18.0-beta1") < FrigateVersion.parse("0.18.0-beta2")
    assert FrigateVersion.parse("0.18.0-beta2") < FrigateVersion.parse("0.18.0-beta10")
    assert FrigateVersion.parse("0.18.0-beta10") < FrigateVersion.parse("0.18.0-rc1")
    assert beta.at_least(0, 18)


def test_semantic_not_string_ordering() -> None:
    ordered = [
        FrigateVersion.parse(text)
        for text in ("0.9.4", "0.12.0", "0.12.1-367d724", "0.13.0", "0.100.0", "1.0.0")
    ]
    shuffled = [ordered[i] for i in (3, 0, 5, 2, 4, 1)]
    assert sorted(shuffled) == ordered
    assert FrigateVersion.parse("0.9.0") < FrigateVersion.parse("0.10.0")  # "0.9" > "0.10" as str
    assert max(ordered) == FrigateVersion.of(1, 0)


def test_total_ordering_and_equality_ignore_build() -> None:
    a = FrigateVersion.parse("0.17.2-3d4dd3a")
    b = FrigateVersion.parse("0.17.2-ffffff0")
    assert a == b
    assert hash(a) == hash(b)
    assert a <= b
    assert a >= b
    assert not a < b
    assert not a > b
    assert a != FrigateVersion.of(0, 17, 3)
    assert len({a, b}) == 1
    assert a != "0.17.2-3d4dd3a"


def test_minimum() -> None:
    assert FrigateVersion.parse("0.11.1-2eada21") < MIN_SUPPORTED_VERSION
    assert FrigateVersion.parse("0.12.0") >= MIN_SUPPORTED_VERSION


@pytest.mark.parametrize(
    "text", ["", "frigate", "<html>", "0", "0.x.1", "1.2.3.4", "0.17.2 3d4dd3a", "0.17.2-", "-0.1"]
)
def test_invalid(text: str) -> None:
    with pytest.raises(ValueError, match="not a Frigate version"):
        FrigateVersion.parse(text)


def test_compare_with_other_types() -> None:
    with pytest.raises(TypeError):
        assert FrigateVersion.of(0, 14) < "0.15"  # type: ignore[operator]
