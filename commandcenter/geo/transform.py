"""Datum and projection conversions, scalar and vectorised (numpy).

* WGS-84 <-> GCJ-02 ("Mars coordinates", the obfuscated datum Chinese web maps such as
  AMap/高德 and Tencent publish in). The forward transform is the well-known published
  formula; the inverse is computed by fixed-point iteration and is accurate to well
  under a millimetre (the formula itself is only defined up to its ~1 m obfuscation, so
  "exact" means "the forward transform of the result gives back the input").
  Points outside the rough bounding box of China are returned unchanged, as the
  published formula does.
* lon/lat <-> Web Mercator metres (EPSG:3857, spherical, R = 6 378 137 m).
* lon/lat -> a cylindrical *equal-area* projection of the WGS-84 ellipsoid, used to
  measure areas (km²) of polygons given in degrees.
* ``transform_geometry`` applies an array transform to every coordinate of a GeoJSON
  geometry dict.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
ArrayTransform = Callable[[FloatArray, FloatArray], tuple[FloatArray, FloatArray]]

# --- GCJ-02 -----------------------------------------------------------------------------

# Krasovsky 1940 ellipsoid, as used by the published GCJ-02 formula.
_KRASOVSKY_A = 6378245.0
_KRASOVSKY_EE = 0.00669342162296594323

# Rough bounding box of China used by the published formula (outside it: no offset).
CHINA_LON_MIN = 72.004
CHINA_LON_MAX = 137.8347
CHINA_LAT_MIN = 0.8293
CHINA_LAT_MAX = 55.8271

_INVERSE_TOLERANCE_DEG = 1e-10  # ~0.01 mm
_INVERSE_MAX_ITER = 30


def out_of_china(lon: float, lat: float) -> bool:
    """True when the point lies outside the box in which GCJ-02 differs from WGS-84."""
    return not (CHINA_LON_MIN <= lon <= CHINA_LON_MAX and CHINA_LAT_MIN <= lat <= CHINA_LAT_MAX)


def out_of_china_array(lon: npt.ArrayLike, lat: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    lo = np.asarray(lon, dtype=np.float64)
    la = np.asarray(lat, dtype=np.float64)
    inside = (lo >= CHINA_LON_MIN) & (lo <= CHINA_LON_MAX) & (la >= CHINA_LAT_MIN) & (la <= CHINA_LAT_MAX)
    return np.logical_not(inside)


def _gcj_offset(lon: float, lat: float) -> tuple[float, float]:
    """The (dlon, dlat) in degrees that GCJ-02 adds to a WGS-84 point (the array
    formula, which numpy evaluates on plain floats as well)."""
    dlon, dlat = _gcj_offset_array(lon, lat)  # type: ignore[arg-type]
    return float(dlon), float(dlat)


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """WGS-84 lon/lat (degrees) -> GCJ-02 lon/lat; unchanged outside China."""
    if out_of_china(lon, lat):
        return lon, lat
    dlon, dlat = _gcj_offset(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """GCJ-02 lon/lat (degrees) -> WGS-84 lon/lat; unchanged outside China.

    Iterative inverse of :func:`wgs84_to_gcj02`: the result maps forward onto the input
    to within 1e-10 degrees (about 0.01 mm).
    """
    if out_of_china(lon, lat):
        return lon, lat
    wlon, wlat = lon, lat
    for _ in range(_INVERSE_MAX_ITER):
        dlon, dlat = _gcj_offset(wlon, wlat)
        err_lon = wlon + dlon - lon
        err_lat = wlat + dlat - lat
        wlon -= err_lon
        wlat -= err_lat
        if abs(err_lon) < _INVERSE_TOLERANCE_DEG and abs(err_lat) < _INVERSE_TOLERANCE_DEG:
            break
    return wlon, wlat


def _delta_lat_array(x: FloatArray, y: FloatArray) -> FloatArray:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    return ret


def _delta_lon_array(x: FloatArray, y: FloatArray) -> FloatArray:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    return ret


def _gcj_offset_array(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    dlat = _delta_lat_array(lon - 105.0, lat - 35.0)
    dlon = _delta_lon_array(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * np.pi
    magic = np.sin(radlat)
    magic = 1.0 - _KRASOVSKY_EE * magic * magic
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_KRASOVSKY_A * (1.0 - _KRASOVSKY_EE)) / (magic * sqrtmagic) * np.pi)
    dlon = (dlon * 180.0) / (_KRASOVSKY_A / sqrtmagic * np.cos(radlat) * np.pi)
    return dlon, dlat


def _as_float_arrays(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    lo = np.array(lon, dtype=np.float64, copy=True)
    la = np.array(lat, dtype=np.float64, copy=True)
    if lo.shape != la.shape:
        raise ValueError(f"lon and lat must have the same shape, got {lo.shape} and {la.shape}")
    return lo, la


def wgs84_to_gcj02_array(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Vectorised :func:`wgs84_to_gcj02`; returns new arrays of the input shape."""
    lo, la = _as_float_arrays(lon, lat)
    inside = np.logical_not(out_of_china_array(lo, la))
    if inside.any():
        dlon, dlat = _gcj_offset_array(lo[inside], la[inside])
        lo[inside] += dlon
        la[inside] += dlat
    return lo, la


def gcj02_to_wgs84_array(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Vectorised :func:`gcj02_to_wgs84`; returns new arrays of the input shape."""
    lo, la = _as_float_arrays(lon, lat)
    inside = np.logical_not(out_of_china_array(lo, la))
    if not inside.any():
        return lo, la
    glon = lo[inside]
    glat = la[inside]
    wlon = glon.copy()
    wlat = glat.copy()
    for _ in range(_INVERSE_MAX_ITER):
        dlon, dlat = _gcj_offset_array(wlon, wlat)
        err_lon = wlon + dlon - glon
        err_lat = wlat + dlat - glat
        wlon -= err_lon
        wlat -= err_lat
        if (
            float(np.max(np.abs(err_lon))) < _INVERSE_TOLERANCE_DEG
            and float(np.max(np.abs(err_lat))) < _INVERSE_TOLERANCE_DEG
        ):
            break
    lo[inside] = wlon
    la[inside] = wlat
    return lo, la


# --- Web Mercator (EPSG:3857) ------------------------------------------------------------

MERCATOR_RADIUS = 6378137.0
MERCATOR_MAX_LAT = 85.05112877980659  # latitude at which y == x at lon 180 (square world)
MERCATOR_HALF_WORLD = math.pi * MERCATOR_RADIUS  # 20 037 508.342789244 m


def lonlat_to_mercator(lon: float, lat: float) -> tuple[float, float]:
    """lon/lat degrees -> Web Mercator x/y metres; latitude clamped to ±85.0511°."""
    lat = max(-MERCATOR_MAX_LAT, min(MERCATOR_MAX_LAT, lat))
    x = MERCATOR_RADIUS * math.radians(lon)
    y = MERCATOR_RADIUS * math.log(math.tan(math.pi / 4.0 + math.radians(lat) / 2.0))
    return x, y


def mercator_to_lonlat(x: float, y: float) -> tuple[float, float]:
    """Web Mercator x/y metres -> lon/lat degrees."""
    lon = math.degrees(x / MERCATOR_RADIUS)
    lat = math.degrees(2.0 * math.atan(math.exp(y / MERCATOR_RADIUS)) - math.pi / 2.0)
    return lon, lat


def lonlat_to_mercator_array(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    lo, la = _as_float_arrays(lon, lat)
    la = np.clip(la, -MERCATOR_MAX_LAT, MERCATOR_MAX_LAT)
    x = MERCATOR_RADIUS * np.radians(lo)
    y = MERCATOR_RADIUS * np.log(np.tan(np.pi / 4.0 + np.radians(la) / 2.0))
    return x, y


def mercator_to_lonlat_array(x: npt.ArrayLike, y: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    xs, ys = _as_float_arrays(x, y)
    lon = np.degrees(xs / MERCATOR_RADIUS)
    lat = np.degrees(2.0 * np.arctan(np.exp(ys / MERCATOR_RADIUS)) - np.pi / 2.0)
    return lon, lat


# --- equal-area (for measuring areas) ---------------------------------------------------

WGS84_A = 6378137.0
WGS84_F = 1.0 / 298.257223563
WGS84_E2 = WGS84_F * (2.0 - WGS84_F)
_WGS84_E = math.sqrt(WGS84_E2)


def _authalic_q(sin_phi: FloatArray) -> FloatArray:
    e = _WGS84_E
    es = e * sin_phi
    return (1.0 - WGS84_E2) * (sin_phi / (1.0 - es * es) - np.log((1.0 - es) / (1.0 + es)) / (2.0 * e))


def lonlat_to_equal_area_array(
    lon: npt.ArrayLike, lat: npt.ArrayLike, standard_lat: float = 0.0
) -> tuple[FloatArray, FloatArray]:
    """lon/lat degrees -> metres in the cylindrical equal-area projection of the WGS-84
    ellipsoid (Snyder, *Map Projections*, eq. 10-15/10-16) with true scale along
    ``standard_lat``. Areas of shapes in these coordinates are true ellipsoidal areas
    in m²; choose ``standard_lat`` near the data to keep shapes undistorted too.
    """
    lo, la = _as_float_arrays(lon, lat)
    sin0 = math.sin(math.radians(standard_lat))
    k0 = math.cos(math.radians(standard_lat)) / math.sqrt(1.0 - WGS84_E2 * sin0 * sin0)
    x = WGS84_A * k0 * np.radians(lo)
    y = WGS84_A * _authalic_q(np.sin(np.radians(la))) / (2.0 * k0)
    return x, y


# --- distances --------------------------------------------------------------------------

EARTH_MEAN_RADIUS = 6371008.8


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres on the mean-radius sphere (good to ~0.5 %)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    h = math.sin(dp / 2.0) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2.0) ** 2
    return 2.0 * EARTH_MEAN_RADIUS * math.asin(min(1.0, math.sqrt(h)))


# --- whole GeoJSON geometries -----------------------------------------------------------

_NESTING = {
    "Point": 0,
    "MultiPoint": 1,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}


def _transform_positions(positions: list[Any], func: ArrayTransform) -> list[list[float]]:
    """Transform a list of GeoJSON positions [lon, lat, (extra...)] with one array call."""
    if not positions:
        return []
    arr = np.asarray([[float(p[0]), float(p[1])] for p in positions], dtype=np.float64)
    xs, ys = func(arr[:, 0], arr[:, 1])
    out: list[list[float]] = []
    for i, p in enumerate(positions):
        out.append([float(xs[i]), float(ys[i]), *(float(v) for v in p[2:])])
    return out


def _transform_nested(coords: Any, depth: int, func: ArrayTransform) -> Any:
    if depth == 0:
        return _transform_positions([coords], func)[0]
    if depth == 1:
        return _transform_positions(list(coords), func)
    return [_transform_nested(c, depth - 1, func) for c in coords]


def transform_geometry(geometry: dict[str, Any], func: ArrayTransform) -> dict[str, Any]:
    """Return a new GeoJSON geometry dict with ``func`` applied to every coordinate.

    ``func`` is an array transform such as :func:`gcj02_to_wgs84_array`. Handles all
    GeoJSON geometry types (Polygon and MultiPolygon being the ones the project uses);
    a third ordinate (height) is carried through unchanged.
    """
    gtype = geometry.get("type")
    if gtype == "GeometryCollection":
        return {
            "type": "GeometryCollection",
            "geometries": [transform_geometry(g, func) for g in geometry.get("geometries", [])],
        }
    if gtype not in _NESTING:
        raise ValueError(f"not a GeoJSON geometry type: {gtype!r}")
    return {"type": gtype, "coordinates": _transform_nested(geometry["coordinates"], _NESTING[gtype], func)}


def gcj02_to_wgs84_geometry(geometry: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON geometry in GCJ-02 -> the same geometry in WGS-84."""
    return transform_geometry(geometry, gcj02_to_wgs84_array)


def wgs84_to_gcj02_geometry(geometry: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON geometry in WGS-84 -> the same geometry in GCJ-02 (e.g. for AMap tiles)."""
    return transform_geometry(geometry, wgs84_to_gcj02_array)
