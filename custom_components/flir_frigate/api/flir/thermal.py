"""Raw sensor counts <-> temperatures with FLIR's radiometric model (Planck, atmosphere, window)."""

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

KELVIN = 273.15

# Integer arrays larger than this go through a lookup table over their value range.
_LUT_MIN_SIZE = 16384


@dataclass(frozen=True, kw_only=True)
class ObjectParameters:
    """What the camera assumes about the scene; temperatures in degrees C, humidity 0..1."""

    emissivity: float
    distance: float
    reflected_c: float
    atmospheric_c: float
    humidity: float
    ir_window_c: float
    ir_window_transmission: float


@dataclass(frozen=True, kw_only=True)
class CameraInfo:
    """The calibration and scene fields of an FFF CameraInfo record (temperatures in C)."""

    emissivity: float
    object_distance: float
    reflected_temp_c: float
    atmospheric_temp_c: float
    ir_window_temp_c: float
    ir_window_transmission: float
    relative_humidity: float
    planck_r1: float
    planck_r2: float
    planck_b: float
    planck_f: float
    planck_o: float
    atm_alpha1: float
    atm_alpha2: float
    atm_beta1: float
    atm_beta2: float
    atm_x: float
    model: str
    part_number: str
    serial: str
    software: str
    lens: str

    def object_parameters(self) -> ObjectParameters:
        """Return the object parameters stored with the image."""
        return ObjectParameters(
            emissivity=self.emissivity,
            distance=self.object_distance,
            reflected_c=self.reflected_temp_c,
            atmospheric_c=self.atmospheric_temp_c,
            humidity=self.relative_humidity,
            ir_window_c=self.ir_window_temp_c,
            ir_window_transmission=self.ir_window_transmission,
        )


DEFAULT_CAMERA_INFO = CameraInfo(
    emissivity=0.95,
    object_distance=1.0,
    reflected_temp_c=20.0,
    atmospheric_temp_c=20.0,
    ir_window_temp_c=20.0,
    ir_window_transmission=1.0,
    relative_humidity=0.5,
    planck_r1=16951.797,
    planck_r2=0.014294867,
    planck_b=1435.1,
    planck_f=1.0,
    planck_o=-7142.0,
    atm_alpha1=0.006569,
    atm_alpha2=0.01262,
    atm_beta1=-0.002276,
    atm_beta2=-0.00667,
    atm_x=1.9,
    model="FLIR A50",
    part_number="",
    serial="",
    software="",
    lens="",
)


@dataclass(frozen=True, kw_only=True)
class _Linear:
    """raw = scale * (planck_raw(T) + offset): emissivity, atmosphere and window folded in."""

    scale: float
    offset: float


def _planck_raw(temp_c: float, camera: CameraInfo) -> float:
    """Return the raw counts a black body at temp_c gives (NaN when undefined)."""
    try:
        return (
            camera.planck_r1
            / (camera.planck_r2 * (math.exp(camera.planck_b / (temp_c + KELVIN)) - camera.planck_f))
            - camera.planck_o
        )
    except ArithmeticError, ValueError:
        return math.nan


def _linear(camera: CameraInfo, params: ObjectParameters) -> _Linear | None:
    """Fold the scene model into one affine map, or None when the parameters are unusable."""
    try:
        atm_c = params.atmospheric_c
        h2o = params.humidity * math.exp(
            1.5587 + 0.06939 * atm_c - 0.00027816 * atm_c**2 + 0.00000068455 * atm_c**3
        )
        path = -math.sqrt(params.distance / 2)
        sqrt_h2o = math.sqrt(h2o)
        tau = camera.atm_x * math.exp(path * (camera.atm_alpha1 + camera.atm_beta1 * sqrt_h2o)) + (
            1 - camera.atm_x
        ) * math.exp(path * (camera.atm_alpha2 + camera.atm_beta2 * sqrt_h2o))
        emis = params.emissivity
        window = params.ir_window_transmission
        raw_atm = _planck_raw(atm_c, camera)
        refl1 = (1 - emis) / emis * _planck_raw(params.reflected_c, camera)
        atm1 = (1 - tau) / emis / tau * raw_atm
        wind = (1 - window) / emis / tau / window * _planck_raw(params.ir_window_c, camera)
        atm2 = (1 - tau) / emis / tau / window / tau * raw_atm
        scale = emis * tau * window * tau
    except ArithmeticError, ValueError:  # zero emissivity or transmission, overflow, sqrt < 0
        return None
    offset = atm1 + atm2 + wind + refl1
    if not (math.isfinite(scale) and math.isfinite(offset) and scale > 0):
        return None
    return _Linear(scale=scale, offset=offset)


def _formula(
    raw: npt.NDArray[np.generic], camera: CameraInfo, lin: _Linear
) -> npt.NDArray[np.float64]:
    """Evaluate the model on any numeric array; invalid pixels become NaN."""
    r2 = camera.planck_r2
    # r2 * (raw / scale - offset + O): the Planck denominator, linear in raw.
    out = np.empty(raw.shape, dtype=np.float64)  # out= keeps 0-d arrays arrays
    np.multiply(raw, r2 / lin.scale, out=out)
    out += r2 * (camera.planck_o - lin.offset)
    with np.errstate(all="ignore"):
        bad = out <= 0
        np.divide(camera.planck_r1, out, out=out)
        out += camera.planck_f
        bad |= out <= 1  # ln <= 0: not a positive absolute temperature
        np.log(out, out=out)
        np.divide(camera.planck_b, out, out=out)
    out -= KELVIN
    np.copyto(out, np.nan, where=bad)
    if raw.dtype.kind not in "iub":  # inf or NaN input
        np.copyto(out, np.nan, where=~np.isfinite(out))
    return out


def raw_to_celsius(
    raw: npt.NDArray[np.generic], camera: CameraInfo, params: ObjectParameters | None = None
) -> npt.NDArray[np.float64]:
    """Convert raw counts to degrees C; corrupt values (or unusable parameters) give NaN."""
    raw = np.asarray(raw)
    lin = _linear(camera, camera.object_parameters() if params is None else params)
    if lin is None or not _camera_ok(camera):
        return np.full(raw.shape, np.nan)
    if raw.dtype.kind == "u" and raw.size >= _LUT_MIN_SIZE:
        low = int(raw.min())
        high = int(raw.max())
        if high - low < raw.size // 4:
            # Each distinct count is converted once; indexing is far cheaper than the log.
            table = _formula(np.arange(low, high + 1, dtype=np.int64), camera, lin)
            index = np.subtract(raw, low, dtype=raw.dtype) if low else raw
            result: npt.NDArray[np.float64] = table[index]
            return result
    return _formula(raw, camera, lin)


def _camera_ok(camera: CameraInfo) -> bool:
    constants = (camera.planck_r1, camera.planck_r2, camera.planck_b, camera.planck_f)
    return all(math.isfinite(v) for v in (*constants, camera.planck_o)) and camera.planck_b != 0


def celsius_to_raw(
    temps_c: npt.NDArray[np.generic], camera: CameraInfo, params: ObjectParameters | None = None
) -> npt.NDArray[np.float64]:
    """Convert degrees C to (unrounded) raw counts, the inverse of raw_to_celsius."""
    temps = np.asarray(temps_c, dtype=np.float64)
    lin = _linear(camera, camera.object_parameters() if params is None else params)
    if lin is None or not _camera_ok(camera):
        return np.full(temps.shape, np.nan)
    with np.errstate(all="ignore"):
        out = np.add(temps, KELVIN, out=np.empty(temps.shape))
        np.divide(camera.planck_b, out, out=out)
        np.exp(out, out=out)
        out -= camera.planck_f
        out *= camera.planck_r2
        np.divide(camera.planck_r1, out, out=out)
        out += lin.offset - camera.planck_o
        out *= lin.scale
    return out
