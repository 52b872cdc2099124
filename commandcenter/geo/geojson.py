"""GeoJSON in and out, and the few shapely helpers the project needs.

Geometry is stored in the database as compact GeoJSON text (WGS-84, coordinates rounded
to 6 decimals, i.e. ~0.1 m) — see :func:`dump_geometry` / :func:`load_geometry`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeAlias

import numpy as np
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from .transform import lonlat_to_equal_area_array

GeometryLike: TypeAlias = "Mapping[str, Any] | BaseGeometry"

COORD_DECIMALS = 6


# --- files ------------------------------------------------------------------------------


def load_geojson(path: str | Path) -> dict[str, Any]:
    """Parse a GeoJSON file (UTF-8) into a dict."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, dict) or "type" not in data:
        raise ValueError(f"{path}: not a GeoJSON object")
    return data


def read_feature_collection(path: str | Path) -> list[dict[str, Any]]:
    """The features of a GeoJSON file, each a dict with ``properties`` and ``geometry``.

    A file holding a single Feature or a bare geometry is accepted and returned as a
    one-feature list.
    """
    data = load_geojson(path)
    gtype = data["type"]
    if gtype == "FeatureCollection":
        features = data.get("features") or []
    elif gtype == "Feature":
        features = [data]
    else:
        features = [{"type": "Feature", "properties": {}, "geometry": data}]
    out: list[dict[str, Any]] = []
    for f in features:
        if f.get("type") != "Feature":
            raise ValueError(f"{path}: expected Feature, got {f.get('type')!r}")
        out.append(
            {"type": "Feature", "properties": dict(f.get("properties") or {}), "geometry": f.get("geometry")}
        )
    return out


def feature(geometry: GeometryLike, properties: Mapping[str, Any] | None = None) -> dict[str, Any]:
    return {"type": "Feature", "properties": dict(properties or {}), "geometry": to_geojson(geometry)}


def feature_collection(features: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [dict(f) for f in features]}


def write_feature_collection(
    path: str | Path, features: Iterable[Mapping[str, Any]], ndigits: int = COORD_DECIMALS
) -> None:
    """Write features as a compact UTF-8 FeatureCollection, coordinates rounded."""
    fc = feature_collection(
        {**f, "geometry": round_geometry(f["geometry"], ndigits) if f.get("geometry") else None}
        for f in features
    )
    text = json.dumps(fc, ensure_ascii=False, separators=(",", ":"))
    Path(path).write_text(text + "\n", encoding="utf-8")


# --- dict <-> shapely -------------------------------------------------------------------


def to_shape(geometry: GeometryLike) -> BaseGeometry:
    """A GeoJSON geometry dict (or a shapely geometry, returned as is) -> shapely."""
    if isinstance(geometry, BaseGeometry):
        return geometry
    return shape(geometry)


def _listify(obj: Any) -> Any:
    if isinstance(obj, (tuple, list)):
        return [_listify(o) for o in obj]
    return obj


def to_geojson(geometry: GeometryLike) -> dict[str, Any]:
    """A shapely geometry (or a GeoJSON dict, copied) -> a GeoJSON dict with plain lists."""
    m = mapping(geometry) if isinstance(geometry, BaseGeometry) else dict(geometry)
    if m["type"] == "GeometryCollection":
        return {"type": "GeometryCollection", "geometries": [to_geojson(g) for g in m["geometries"]]}
    return {"type": m["type"], "coordinates": _listify(m["coordinates"])}


# --- rounding and compact text ----------------------------------------------------------


def _round_positions(positions: Iterable[Any], ndigits: int, ring: bool) -> list[list[float]]:
    out: list[list[float]] = []
    for p in positions:
        q = [round(float(v), ndigits) + 0.0 for v in p]  # + 0.0 turns -0.0 into 0.0
        if out and out[-1] == q:
            continue  # rounding made two consecutive vertices equal
        out.append(q)
    if ring and out and out[0] != out[-1]:
        out.append(list(out[0]))
    return out


def round_geometry(geometry: GeometryLike, ndigits: int = COORD_DECIMALS) -> dict[str, Any]:
    """A GeoJSON dict with every coordinate rounded to ``ndigits`` decimals.

    Consecutive vertices that become equal are merged; polygon rings that collapse
    (fewer than 4 positions) and polygons whose shell collapses are dropped.
    """
    g: Mapping[str, Any] = mapping(geometry) if isinstance(geometry, BaseGeometry) else geometry
    gtype = g["type"]
    c: Any = g.get("coordinates")
    if gtype == "Point":
        return {"type": gtype, "coordinates": [round(float(v), ndigits) + 0.0 for v in c]}
    if gtype in ("MultiPoint", "LineString"):
        return {"type": gtype, "coordinates": _round_positions(c, ndigits, ring=False)}
    if gtype == "MultiLineString":
        return {"type": gtype, "coordinates": [_round_positions(line, ndigits, ring=False) for line in c]}
    if gtype == "Polygon":
        return {"type": gtype, "coordinates": _round_polygon(c, ndigits) or []}
    if gtype == "MultiPolygon":
        polys = [p for p in (_round_polygon(poly, ndigits) for poly in c) if p]
        return {"type": gtype, "coordinates": polys}
    if gtype == "GeometryCollection":
        return {"type": gtype, "geometries": [round_geometry(x, ndigits) for x in g["geometries"]]}
    raise ValueError(f"not a GeoJSON geometry type: {gtype!r}")


def _round_polygon(rings: list[Any], ndigits: int) -> list[list[list[float]]] | None:
    out: list[list[list[float]]] = []
    for i, ring in enumerate(rings):
        r = _round_positions(ring, ndigits, ring=True)
        if len(r) < 4:
            if i == 0:
                return None
            continue
        out.append(r)
    return out


def dump_geometry(geometry: GeometryLike, ndigits: int = COORD_DECIMALS) -> str:
    """Compact GeoJSON text of a geometry, coordinates rounded (the DB storage format)."""
    return json.dumps(round_geometry(geometry, ndigits), separators=(",", ":"), allow_nan=False)


def load_geometry(text: str) -> dict[str, Any]:
    """GeoJSON text -> geometry dict (the inverse of :func:`dump_geometry`)."""
    g = json.loads(text)
    if not isinstance(g, dict) or "type" not in g:
        raise ValueError("not a GeoJSON geometry")
    return g


# --- measures and predicates ------------------------------------------------------------


def point_in_geometry(lon: float, lat: float, geometry: GeometryLike) -> bool:
    """True when the point lies inside the geometry or on its boundary."""
    return bool(shapely.intersects_xy(to_shape(geometry), lon, lat))


def centroid(geometry: GeometryLike) -> tuple[float, float]:
    """The centroid (lon, lat) of the geometry (planar in degrees; fine at county scale)."""
    c = to_shape(geometry).centroid
    return float(c.x), float(c.y)


def representative_point(geometry: GeometryLike) -> tuple[float, float]:
    """A point guaranteed to lie inside the geometry (the centroid may not)."""
    p = to_shape(geometry).representative_point()
    return float(p.x), float(p.y)


def bbox(geometry: GeometryLike) -> tuple[float, float, float, float]:
    """(min_lon, min_lat, max_lon, max_lat) of the geometry."""
    b = to_shape(geometry).bounds
    if any(math.isnan(v) for v in b):
        raise ValueError("empty geometry has no bounding box")
    return float(b[0]), float(b[1]), float(b[2]), float(b[3])


def to_equal_area(geometry: GeometryLike) -> BaseGeometry:
    """The geometry in metres of an equal-area projection centred on its own latitude."""
    geom = to_shape(geometry)
    b = geom.bounds
    standard_lat = (b[1] + b[3]) / 2.0

    def _project(coords: np.ndarray) -> np.ndarray:
        x, y = lonlat_to_equal_area_array(coords[:, 0], coords[:, 1], standard_lat)
        return np.column_stack([x, y])

    return shapely.transform(geom, _project)


def area_km2(geometry: GeometryLike) -> float:
    """The true (ellipsoidal WGS-84) area of a lon/lat geometry in km²."""
    geom = to_shape(geometry)
    if geom.is_empty:
        return 0.0
    return float(to_equal_area(geom).area) / 1e6
