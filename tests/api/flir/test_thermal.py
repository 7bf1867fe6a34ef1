"""Raw counts <-> temperature model (reference section 3.6)."""

import dataclasses
import warnings

import numpy as np
import pytest

from custom_components.flir_frigate.api.flir.thermal import (
    DEFAULT_CAMERA_INFO,
    CameraInfo,
    ObjectParameters,
    celsius_to_raw,
    raw_to_celsius,
)

# Published vector: aloisklink/flirextractor, first pixel of IR_2412.jpg.
VECTOR_TEMP_C = 19.9999938964844
VECTOR_CAMERA = dataclasses.replace(
    DEFAULT_CAMERA_INFO,
    emissivity=0.949999988079071,
    object_distance=1.0,
    reflected_temp_c=VECTOR_TEMP_C,
    atmospheric_temp_c=VECTOR_TEMP_C,
    ir_window_temp_c=VECTOR_TEMP_C,
    ir_window_transmission=1.0,
    relative_humidity=0.5,
    planck_r1=21106.76953125,
    planck_r2=0.012545257806778,
    planck_b=1501.0,
    planck_f=1.0,
    planck_o=-7340.0,
)
HARSH = ObjectParameters(
    emissivity=0.7,
    distance=20.0,
    reflected_c=35.0,
    atmospheric_c=-5.0,
    humidity=0.9,
    ir_window_c=10.0,
    ir_window_transmission=0.8,
)


@pytest.mark.parametrize("dtype", [np.uint16, np.int32, np.float64])
def test_published_vector(dtype):
    temp = raw_to_celsius(np.array([18090], dtype=dtype), VECTOR_CAMERA)
    assert temp.dtype == np.float64
    assert temp[0] == pytest.approx(23.73440586671677, abs=1e-6)


def test_scalar_array_keeps_shape():
    temp = raw_to_celsius(np.array(18090, dtype=np.uint16), VECTOR_CAMERA)
    assert temp.shape == ()
    assert float(temp) == pytest.approx(23.73440586671677, abs=1e-6)


def test_lookup_table_path_matches_formula():
    rng = np.random.default_rng(7)
    raw = rng.integers(9000, 40000, size=(300, 400), dtype=np.uint16)  # big: lookup table
    fast = raw_to_celsius(raw, DEFAULT_CAMERA_INFO, HARSH)
    exact = raw_to_celsius(raw.astype(np.float64), DEFAULT_CAMERA_INFO, HARSH)
    np.testing.assert_allclose(fast, exact, rtol=0, atol=1e-9)
    small = raw_to_celsius(raw[:10, :10], DEFAULT_CAMERA_INFO, HARSH)
    np.testing.assert_allclose(small, exact[:10, :10], rtol=0, atol=1e-9)


@pytest.mark.parametrize("params", [None, HARSH])
def test_inverse(params):
    temps = np.linspace(-40.0, 250.0, 2901)
    raw = celsius_to_raw(temps, DEFAULT_CAMERA_INFO, params)
    assert raw.dtype == np.float64
    assert np.all(np.diff(raw) > 0)
    np.testing.assert_allclose(raw_to_celsius(raw, DEFAULT_CAMERA_INFO, params), temps, atol=1e-8)


def test_quantisation_error_small():
    temps = np.linspace(-20.0, 150.0, 500)
    raw = np.rint(celsius_to_raw(temps, DEFAULT_CAMERA_INFO)).astype(np.uint16)
    assert np.abs(raw_to_celsius(raw, DEFAULT_CAMERA_INFO) - temps).max() < 0.01


def test_object_parameters_from_camera():
    params = VECTOR_CAMERA.object_parameters()
    assert params == ObjectParameters(
        emissivity=0.949999988079071,
        distance=1.0,
        reflected_c=VECTOR_TEMP_C,
        atmospheric_c=VECTOR_TEMP_C,
        humidity=0.5,
        ir_window_c=VECTOR_TEMP_C,
        ir_window_transmission=1.0,
    )
    same = raw_to_celsius(np.array([18090]), VECTOR_CAMERA, params)
    assert same[0] == pytest.approx(23.73440586671677, abs=1e-6)


def test_parameters_matter():
    raw = np.array([30000], dtype=np.uint16)
    base = raw_to_celsius(raw, DEFAULT_CAMERA_INFO)[0]
    low_e = dataclasses.replace(DEFAULT_CAMERA_INFO.object_parameters(), emissivity=0.5)
    far = dataclasses.replace(DEFAULT_CAMERA_INFO.object_parameters(), distance=50.0)
    assert raw_to_celsius(raw, DEFAULT_CAMERA_INFO, low_e)[0] > base + 10
    assert raw_to_celsius(raw, DEFAULT_CAMERA_INFO, far)[0] > base
    # Short form (no atmosphere, E = 1) differs from the full model.
    ideal = ObjectParameters(
        emissivity=1.0,
        distance=0.0,
        reflected_c=20.0,
        atmospheric_c=20.0,
        humidity=0.0,
        ir_window_c=20.0,
        ir_window_transmission=1.0,
    )
    cam = DEFAULT_CAMERA_INFO
    short = cam.planck_b / np.log(cam.planck_r1 / (cam.planck_r2 * (30000 + cam.planck_o)) + 1)
    assert raw_to_celsius(raw, cam, ideal)[0] == pytest.approx(short - 273.15, abs=1e-9)


def test_default_camera_is_plausible():
    cam = DEFAULT_CAMERA_INFO
    assert isinstance(cam, CameraInfo)
    assert cam.model == "FLIR A50"
    assert cam.serial == ""
    assert cam.emissivity == 0.95
    assert cam.object_distance == 1.0
    assert cam.relative_humidity == 0.5
    raw = celsius_to_raw(np.array([-20.0, 25.0, 150.0]), cam)
    assert 0 < raw[0] < raw[1] < raw[2] < 65535


def test_corrupt_raw_values_give_nan_quietly():
    raw = np.array([0, 1, 100, 7000, 20000, 65535], dtype=np.uint16)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        temps = raw_to_celsius(raw, DEFAULT_CAMERA_INFO)
        floats = raw_to_celsius(
            np.array([np.nan, np.inf, -np.inf, -5.0, 20000.0]), cam := DEFAULT_CAMERA_INFO
        )
    assert np.isnan(temps[:4]).all()
    assert np.isfinite(temps[4:]).all()
    assert np.isnan(floats[:4]).all()
    assert floats[4] == pytest.approx(temps[4])
    assert cam is DEFAULT_CAMERA_INFO


@pytest.mark.parametrize(
    "change",
    [
        {"emissivity": 0.0},
        {"ir_window_transmission": 0.0},
        {"distance": -1.0},
        {"humidity": -5.0},
        {"emissivity": float("nan")},
        {"atmospheric_c": 1e6},
        {"reflected_c": -273.15},
    ],
)
def test_unusable_parameters_give_nan(change):
    params = dataclasses.replace(DEFAULT_CAMERA_INFO.object_parameters(), **change)
    raw = np.full((4, 5), 20000, dtype=np.uint16)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        temps = raw_to_celsius(raw, DEFAULT_CAMERA_INFO, params)
        back = celsius_to_raw(np.zeros(3), DEFAULT_CAMERA_INFO, params)
    assert temps.shape == (4, 5)
    assert np.isnan(temps).all()
    assert np.isnan(back).all()


@pytest.mark.parametrize(
    "change",
    [{"planck_b": 0.0}, {"planck_r1": float("inf")}, {"planck_f": 1e9}, {"planck_r2": -1.0}],
)
def test_broken_calibration_never_raises(change):
    cam = dataclasses.replace(DEFAULT_CAMERA_INFO, **change)
    raw = np.arange(0, 65536, 64, dtype=np.uint16)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        temps = raw_to_celsius(raw, cam)
        celsius_to_raw(np.array([20.0]), cam)
    assert temps.shape == raw.shape
    assert not np.isinf(temps).any()
    assert np.all(np.isnan(temps) | (temps > -273.15))
