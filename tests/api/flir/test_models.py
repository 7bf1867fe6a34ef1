"""Defensive parsing of the FLIR JSON models: a number the camera garbles is None, never a crash."""

import pytest

from custom_components.flir_frigate.api.flir.models import SpotMeasurement, as_float


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (21.5, 21.5),
        (" 21.5 ", 21.5),
        (10**400, None),  # beyond float range: OverflowError before the fix
        (float("nan"), None),
        ("1e400", None),
        (True, None),
        (None, None),
        ([1], None),
    ],
)
def test_as_float(value: object, expected: float | None) -> None:
    assert as_float(value) == expected


def test_spot_with_huge_integer_is_unknown() -> None:
    spot = SpotMeasurement.from_dict({"value": 10**400, "valid": True}, instance=1)
    assert spot.temperature is None
