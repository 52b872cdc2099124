"""commandcenter.geo: datums, projections and GeoJSON helpers (no Qt)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from shapely.geometry import Polygon

from commandcenter.geo.geojson import (
    area_km2,
    bbox,
    centroid,
    dump_geometry,
    load_geometry,
    point_in_geometry,
    read_feature_collection,
    round_geometry,
    to_geojson,
    to_shape,
    write_feature_collection,
)
from commandcenter.geo.transform import (
    MERCATOR_HALF_WORLD,
    gcj02_to_wgs84,
    gcj02_to_wgs84_array,
    gcj02_to_wgs84_geometry,
    haversine_m,
    lonlat_to_mercator,
    lonlat_to_mercator_array,
    mercator_to_lonlat,
    mercator_to_lonlat_array,
    out_of_china,
    transform_geometry,
    wgs84_to_gcj02,
    wgs84_to_gcj02_array,
    wgs84_to_gcj02_geometry,
)

# (lon, lat) in China: Tonglu county seat, Hangzhou West Lake, Beijing, Shanghai,
# Guangzhou, Chengdu, Urumqi, Harbin, Lhasa, Sanya
CHINA_POINTS = [
    (119.6913, 29.7973),
    (120.1551, 30.2741),
    (116.3975, 39.9087),
    (121.4737, 31.2304),
    (113.2644, 23.1291),
    (104.0665, 30.5728),
    (87.6168, 43.8256),
    (126.5350, 45.8038),
    (91.1409, 29.6456),
    (109.5119, 18.2528),
]

OUTSIDE_POINTS = [(-0.1276, 51.5072), (139.6917, 35.6895), (151.2093, -33.8688), (2.3522, 48.8566)]


@pytest.mark.parametrize(("lon", "lat"), CHINA_POINTS)
def test_gcj02_round_trip_under_half_a_metre(lon: float, lat: float) -> None:
    # WGS -> GCJ -> WGS
    w_lon, w_lat = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert haversine_m(lon, lat, w_lon, w_lat) < 0.5
    # GCJ -> WGS -> GCJ (the input treated as a GCJ-02 point, as AMap data is)
    g_lon, g_lat = wgs84_to_gcj02(*gcj02_to_wgs84(lon, lat))
    assert haversine_m(lon, lat, g_lon, g_lat) < 0.5


@pytest.mark.parametrize(("lon", "lat"), CHINA_POINTS)
def test_gcj02_offset_is_a_few_hundred_metres(lon: float, lat: float) -> None:
    g_lon, g_lat = wgs84_to_gcj02(lon, lat)
    assert 50.0 < haversine_m(lon, lat, g_lon, g_lat) < 1000.0


def test_gcj02_offset_near_hangzhou_and_tonglu() -> None:
    for lon, lat in [(120.1551, 30.2741), (119.6913, 29.7973)]:
        g_lon, g_lat = wgs84_to_gcj02(lon, lat)
        assert 300.0 < haversine_m(lon, lat, g_lon, g_lat) < 700.0
        # in this region GCJ-02 is shifted mostly eastwards (by ~0.0045° of longitude)
        assert 0.003 < g_lon - lon < 0.006
        assert abs(g_lat - lat) < 0.003
        w_lon, w_lat = gcj02_to_wgs84(lon, lat)
        assert 300.0 < haversine_m(lon, lat, w_lon, w_lat) < 700.0


@pytest.mark.parametrize(("lon", "lat"), OUTSIDE_POINTS)
def test_outside_china_unchanged(lon: float, lat: float) -> None:
    assert out_of_china(lon, lat)
    assert wgs84_to_gcj02(lon, lat) == (lon, lat)
    assert gcj02_to_wgs84(lon, lat) == (lon, lat)
    xs, ys = gcj02_to_wgs84_array(np.array([lon]), np.array([lat]))
    assert (float(xs[0]), float(ys[0])) == (lon, lat)


def test_array_versions_match_scalar_and_keep_shape() -> None:
    pts = CHINA_POINTS + OUTSIDE_POINTS
    lon = np.array([p[0] for p in pts])
    lat = np.array([p[1] for p in pts])
    g_lon, g_lat = wgs84_to_gcj02_array(lon, lat)
    w_lon, w_lat = gcj02_to_wgs84_array(lon, lat)
    for i, (x, y) in enumerate(pts):
        assert (g_lon[i], g_lat[i]) == pytest.approx(wgs84_to_gcj02(x, y), abs=1e-12)
        assert (w_lon[i], w_lat[i]) == pytest.approx(gcj02_to_wgs84(x, y), abs=1e-9)
    # inputs untouched, 2-D arrays keep their shape
    assert lon[0] == pts[0][0]
    grid_lon, grid_lat = np.meshgrid(np.linspace(119.2, 119.9, 4), np.linspace(29.6, 30.0, 3))
    out_lon, out_lat = gcj02_to_wgs84_array(grid_lon, grid_lat)
    assert out_lon.shape == (3, 4)
    back_lon, back_lat = wgs84_to_gcj02_array(out_lon, out_lat)
    assert np.max(np.abs(back_lon - grid_lon)) < 1e-8
    assert np.max(np.abs(back_lat - grid_lat)) < 1e-8


def test_array_shape_mismatch_is_an_error() -> None:
    with pytest.raises(ValueError):
        gcj02_to_wgs84_array(np.zeros(3), np.zeros(2))


def test_mercator_known_values() -> None:
    x, y = lonlat_to_mercator(180.0, 0.0)
    assert x == pytest.approx(20037508.34, abs=0.01)
    assert y == pytest.approx(0.0, abs=1e-6)
    assert pytest.approx(20037508.342789244) == MERCATOR_HALF_WORLD
    _, y_top = lonlat_to_mercator(0.0, 85.0511287798066)
    assert y_top == pytest.approx(20037508.34, abs=0.01)
    # latitudes beyond the Web Mercator limit are clamped
    assert lonlat_to_mercator(0.0, 89.9)[1] == pytest.approx(y_top)
    x0, y0 = lonlat_to_mercator(0.0, 0.0)
    assert (x0, y0) == pytest.approx((0.0, 0.0), abs=1e-9)
    # Tonglu: x = R * lon in radians
    x_t, _ = lonlat_to_mercator(119.69, 29.80)
    assert x_t == pytest.approx(6378137.0 * math.radians(119.69))


@pytest.mark.parametrize(("lon", "lat"), [*CHINA_POINTS, *OUTSIDE_POINTS, (-179.9, -80.0)])
def test_mercator_round_trip(lon: float, lat: float) -> None:
    back = mercator_to_lonlat(*lonlat_to_mercator(lon, lat))
    assert back == pytest.approx((lon, lat), abs=1e-9)


def test_mercator_arrays() -> None:
    lon = np.array([p[0] for p in CHINA_POINTS])
    lat = np.array([p[1] for p in CHINA_POINTS])
    x, y = lonlat_to_mercator_array(lon, lat)
    for i, p in enumerate(CHINA_POINTS):
        assert (x[i], y[i]) == pytest.approx(lonlat_to_mercator(*p), abs=1e-6)
    back_lon, back_lat = mercator_to_lonlat_array(x, y)
    assert np.max(np.abs(back_lon - lon)) < 1e-9
    assert np.max(np.abs(back_lat - lat)) < 1e-9


SQUARE: dict[str, Any] = {
    "type": "Polygon",
    "coordinates": [[[119.6, 29.7], [119.7, 29.7], [119.7, 29.8], [119.6, 29.8], [119.6, 29.7]]],
}


def test_transform_geometry_polygon_and_multipolygon() -> None:
    wgs = gcj02_to_wgs84_geometry(SQUARE)
    assert wgs["type"] == "Polygon"
    ring = wgs["coordinates"][0]
    assert len(ring) == 5
    assert ring[0] == ring[-1]
    for (gx, gy), (wx, wy) in zip(SQUARE["coordinates"][0], ring, strict=True):
        assert (wx, wy) == pytest.approx(gcj02_to_wgs84(gx, gy), abs=1e-12)
    back = wgs84_to_gcj02_geometry(wgs)
    for (gx, gy), (bx, by) in zip(SQUARE["coordinates"][0], back["coordinates"][0], strict=True):
        assert haversine_m(gx, gy, bx, by) < 0.5

    multi = {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"], SQUARE["coordinates"]]}
    out = gcj02_to_wgs84_geometry(multi)
    assert out["type"] == "MultiPolygon"
    assert out["coordinates"][0] == out["coordinates"][1] == wgs["coordinates"]
    # the input is not modified
    assert SQUARE["coordinates"][0][0] == [119.6, 29.7]


def test_transform_geometry_other_types_and_heights() -> None:
    point = transform_geometry({"type": "Point", "coordinates": [119.69, 29.8, 12.5]}, wgs84_to_gcj02_array)
    assert point["coordinates"][2] == 12.5
    assert point["coordinates"][:2] == pytest.approx(list(wgs84_to_gcj02(119.69, 29.8)))
    with pytest.raises(ValueError):
        transform_geometry({"type": "Circle", "coordinates": []}, wgs84_to_gcj02_array)


# --- geojson helpers ---------------------------------------------------------------------


def test_dump_geometry_is_compact_and_rounded() -> None:
    poly = Polygon([(119.1234567891, 29.9876543219), (119.2, 29.9), (119.2, 30.0)])
    text = dump_geometry(poly)
    assert " " not in text
    g = load_geometry(text)
    assert g["type"] == "Polygon"
    assert g["coordinates"][0][0] == [119.123457, 29.987654]
    assert g["coordinates"][0][0] == g["coordinates"][0][-1]
    assert all(len(str(v).split(".")[-1]) <= 6 for ring in g["coordinates"] for p in ring for v in p)


def test_round_geometry_drops_duplicate_vertices() -> None:
    g = round_geometry(
        {
            "type": "Polygon",
            "coordinates": [[[0.0, 0.0], [1.0, 0.0], [1.0000000001, 0.0], [1.0, 1.0], [0.0, 0.0]]],
        }
    )
    assert g["coordinates"] == [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]]


def test_point_in_geometry_centroid_bbox_area() -> None:
    assert point_in_geometry(119.65, 29.75, SQUARE)
    assert point_in_geometry(119.6, 29.75, SQUARE)  # on the boundary counts
    assert not point_in_geometry(119.8, 29.75, SQUARE)
    assert centroid(SQUARE) == pytest.approx((119.65, 29.75))
    assert bbox(SQUARE) == pytest.approx((119.6, 29.7, 119.7, 29.8))
    # 0.1° x 0.1° at 29.75°N: ~9.67 km x ~11.09 km
    assert area_km2(SQUARE) == pytest.approx(107.3, rel=0.01)
    assert to_geojson(to_shape(SQUARE)) == SQUARE


def test_equal_area_matches_a_spherical_cap_band() -> None:
    # the whole band between 29°N and 30°N: 2*pi*R^2*(sin 30 - sin 29) on the authalic sphere
    band = {"type": "Polygon", "coordinates": [[[-180, 29], [180, 29], [180, 30], [-180, 30], [-180, 29]]]}
    r_authalic = 6371007.18
    expected = 2 * math.pi * r_authalic**2 * (math.sin(math.radians(30)) - math.sin(math.radians(29))) / 1e6
    # the authalic sphere is only an approximation in latitude: allow 0.5 %
    assert area_km2(band) == pytest.approx(expected, rel=0.005)


def test_feature_collection_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "fc.geojson"
    write_feature_collection(path, [{"type": "Feature", "properties": {"name": "测试"}, "geometry": SQUARE}])
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["type"] == "FeatureCollection"
    assert "测试" in path.read_text(encoding="utf-8")
    features = read_feature_collection(path)
    assert features[0]["properties"] == {"name": "测试"}
    assert features[0]["geometry"] == SQUARE
