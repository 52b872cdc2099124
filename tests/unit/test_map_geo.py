"""The map's Qt-free parts: projections against published control points, tile
arithmetic, MBTiles (XYZ <-> TMS rows, schema errors), the cached online tile source,
point in grid, and the SQL the map reads (the queue filter's bounding box)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest
import shapely
from shapely.geometry import box

from commandcenter.geo.gridindex import GridIndex
from commandcenter.geo.mbtiles import MBTiles, MBTilesError, check_mbtiles, write_mbtiles
from commandcenter.geo.tilecache import CachedTileSource
from commandcenter.geo.tiles import (
    WORLD_SIZE_M,
    tile_bounds_m,
    tile_of_m,
    tile_size_m,
    tiles_in_lonlat_bounds,
    xyz_to_tms_row,
    zoom_for_resolution,
)
from commandcenter.geo.transform import (
    MERCATOR_HALF_WORLD,
    gcj02_to_wgs84,
    haversine_m,
    lonlat_to_mercator,
    mercator_to_lonlat,
    wgs84_to_gcj02,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16  # enough for the magic check


# --- projections: published control points ------------------------------------------------


def test_mercator_epsg_guidance_note_example() -> None:
    # IOGP/EPSG Guidance Note 7-2, Popular Visualisation Pseudo-Mercator (EPSG:1024):
    # 24°22'54.433"N, 100°20'00"W -> E = -11 169 055.58 m, N = 2 800 000.00 m
    lat = 24 + 22 / 60 + 54.433 / 3600
    lon = -(100 + 20 / 60)
    x, y = lonlat_to_mercator(lon, lat)
    assert x == pytest.approx(-11_169_055.58, abs=0.01)
    assert y == pytest.approx(2_800_000.00, abs=0.01)
    assert mercator_to_lonlat(x, y) == pytest.approx((lon, lat), abs=1e-9)


def test_gcj02_published_example_and_round_trip() -> None:
    # the worked example of the widely used coordTransform library (wandergis/coordTransform_py):
    # wgs84_to_gcj02(128.543, 37.065) = [128.54820547949757, 37.065651049489816]
    g = wgs84_to_gcj02(128.543, 37.065)
    assert g == pytest.approx((128.54820547949757, 37.065651049489816), abs=1e-12)
    back = gcj02_to_wgs84(*g)
    assert haversine_m(128.543, 37.065, *back) < 0.01
    # Tonglu county seat: GCJ-02 -> WGS-84 -> GCJ-02
    lon, lat = 119.6913, 29.7973
    again = wgs84_to_gcj02(*gcj02_to_wgs84(lon, lat))
    assert haversine_m(lon, lat, *again) < 0.01


# --- tiles -------------------------------------------------------------------------------


def test_tile_arithmetic() -> None:
    assert tile_size_m(0) == pytest.approx(WORLD_SIZE_M)
    assert tile_bounds_m(0, 0, 0) == pytest.approx((-MERCATOR_HALF_WORLD, -MERCATOR_HALF_WORLD,
                                                    MERCATOR_HALF_WORLD, MERCATOR_HALF_WORLD))
    # z1: x=1, y=0 is the north-east quarter
    assert tile_bounds_m(1, 1, 0) == pytest.approx((0.0, 0.0, MERCATOR_HALF_WORLD, MERCATOR_HALF_WORLD))
    assert tile_of_m(1, 10.0, 10.0) == (1, 0)
    assert tile_of_m(1, -10.0, -10.0) == (0, 1)
    # Tonglu at z=10 (checked against the slippy-map formula)
    x, y = lonlat_to_mercator(119.69, 29.80)
    n = 2**10
    import math

    lat = math.radians(29.80)
    ty = int((1 - math.asinh(math.tan(lat)) / math.pi) / 2 * n)
    tx = int((119.69 + 180) / 360 * n)
    assert tile_of_m(10, x, y) == (tx, ty)
    assert xyz_to_tms_row(10, ty) == n - 1 - ty
    assert xyz_to_tms_row(10, xyz_to_tms_row(10, ty)) == ty
    tiles = list(tiles_in_lonlat_bounds(10, (119.1, 29.5, 120.0, 30.2)))
    assert (tx, ty) in tiles and len(tiles) == len(set(tiles))
    # a zoom whose tiles are not magnified at this resolution
    assert zoom_for_resolution(tile_size_m(12) / 256) == 12
    assert zoom_for_resolution(tile_size_m(12) / 256 * 0.9) == 13


# --- MBTiles -------------------------------------------------------------------------------


META = {"name": "t", "format": "png", "bounds": "119.1,29.5,120.0,30.2", "minzoom": "1", "maxzoom": "3"}


@pytest.mark.parametrize("dedupe", [False, True])
def test_mbtiles_rows_are_flipped_to_tms(tmp_path: Path, dedupe: bool) -> None:
    path = tmp_path / "t.mbtiles"
    tiles = [(z, x, y, PNG + f"{z}/{x}/{y}".encode()) for z in (1, 2, 3) for x in range(2) for y in range(2)]
    assert write_mbtiles(path, tiles, META, dedupe=dedupe) == len(tiles)
    with MBTiles(path) as mb:
        assert (mb.minzoom, mb.maxzoom, mb.format, mb.datum) == (1, 3, "png", "WGS-84")
        assert mb.bounds == (119.1, 29.5, 120.0, 30.2)
        for z, x, y, data in tiles:
            assert mb.tile(z, x, y) == data
        assert mb.tile(3, 7, 7) is None
        assert mb.check_tiles() == []
        assert mb.tile_count() == len(tiles)
    # the file itself has TMS rows: XYZ (z=2, x=1, y=0) is row 3
    conn = sqlite3.connect(path)
    (data,) = conn.execute(
        "SELECT tile_data FROM tiles WHERE zoom_level=2 AND tile_column=1 AND tile_row=3"
    ).fetchone()
    conn.close()
    assert data == PNG + b"2/1/0"


def _sqlite(path: Path, *sql: str) -> Path:
    conn = sqlite3.connect(path)
    for s in sql:
        conn.execute(s)
    conn.commit()
    conn.close()
    return path


def test_mbtiles_schema_errors(tmp_path: Path) -> None:
    with pytest.raises(MBTilesError, match="no such file"):
        MBTiles(tmp_path / "missing.mbtiles")
    junk = tmp_path / "junk.mbtiles"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(MBTilesError, match="not an SQLite database"):
        MBTiles(junk)
    with pytest.raises(MBTilesError, match="no 'metadata' table"):
        MBTiles(_sqlite(tmp_path / "a.mbtiles", "CREATE TABLE x (a)"))
    no_tiles = _sqlite(tmp_path / "b.mbtiles", "CREATE TABLE metadata (name TEXT, value TEXT)")
    with pytest.raises(MBTilesError, match="no 'tiles' table"):
        MBTiles(no_tiles)
    bad_cols = _sqlite(tmp_path / "c.mbtiles", "CREATE TABLE metadata (name TEXT, value TEXT)",
                       "CREATE TABLE tiles (zoom_level INTEGER, x INTEGER, y INTEGER, tile_data BLOB)")
    with pytest.raises(MBTilesError, match="lacks column"):
        MBTiles(bad_cols)
    empty = _sqlite(tmp_path / "d.mbtiles", "CREATE TABLE metadata (name TEXT, value TEXT)",
                    "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
    with pytest.raises(MBTilesError, match="no tiles"):
        MBTiles(empty)
    for key, value, match in (("format", "pbf", "unsupported tile format"), ("bounds", "1,2,3", "bounds"),
                              ("datum", "BD-09", "unknown datum"), ("minzoom", "x", "not integers")):
        path = tmp_path / f"bad_{key}.mbtiles"
        write_mbtiles(path, [(1, 0, 0, PNG)], {**META, key: value})
        with pytest.raises(MBTilesError, match=match):
            MBTiles(path)
        assert check_mbtiles(path) and match.split()[0] in check_mbtiles(path)[0]
    wrong = tmp_path / "wrong.mbtiles"
    write_mbtiles(wrong, [(1, 0, 0, b"\xff\xd8\xff jpeg")], META)
    assert check_mbtiles(wrong) == ["tile 1/0/1: not png data"]
    gcj = tmp_path / "gcj.mbtiles"
    write_mbtiles(gcj, [(1, 0, 0, PNG)], {**META, "datum": "gcj02"})
    with MBTiles(gcj) as mb:
        assert mb.datum == "GCJ-02"


def test_the_shipped_demo_basemap_is_valid() -> None:
    path = Path(__file__).resolve().parents[2] / "resources" / "maps" / "tonglu_demo.mbtiles"
    assert path.stat().st_size < 5_000_000
    assert check_mbtiles(path) == []
    with MBTiles(path) as mb:
        assert (mb.minzoom, mb.maxzoom, mb.datum) == (9, 14, "WGS-84")
        w, s, e, n = mb.bounds or (0, 0, 0, 0)
        assert w < 119.7 < e and s < 29.8 < n
        x, y = tile_of_m(12, *lonlat_to_mercator(119.69, 29.80))
        data = mb.tile(12, x, y)
        assert data is not None and data.startswith(b"\x89PNG")


# --- the online source's disk cache ----------------------------------------------------------


def test_cached_tile_source_serves_the_cache_offline(tmp_path: Path) -> None:
    server = tmp_path / "server"
    (server / "5" / "26").mkdir(parents=True)
    (server / "5" / "26" / "13.png").write_bytes(PNG + b"a")
    src = CachedTileSource((server.as_uri() + "/{z}/{x}/{y}.png"), tmp_path / "cache", retry_after_s=60)
    assert src.cached(5, 26, 13) is None
    assert src.tile(5, 26, 13) == PNG + b"a"  # downloaded and cached
    assert src.cached(5, 26, 13) == PNG + b"a"
    (server / "5" / "26" / "13.png").unlink()  # the network is gone
    assert src.tile(5, 26, 13) == PNG + b"a"  # from the cache
    assert src.tile(5, 26, 14) is None and src.offline  # a miss: offline for a while
    (server / "5" / "26" / "14.png").write_bytes(PNG + b"b")
    assert src.tile(5, 26, 14) is None  # not retried while offline
    with pytest.raises(ValueError, match=r"\{y\}"):
        CachedTileSource("https://example.org/{z}/{x}.png", tmp_path)
    assert CachedTileSource("https://t{s}.example.org/{z}/{x}/{y}", tmp_path, subdomains="abc", gcj02=True).datum == "GCJ-02"


# --- point in grid ------------------------------------------------------------------------------


def test_grid_index_point_in_grid() -> None:
    grids = [("330122001001002", box(0, 0, 1, 1)), ("330122001001001", box(1, 0, 2, 1)),
             ("330122001001003", box(0, 1, 2, 2).difference(box(0.5, 1.2, 0.8, 1.5)))]
    idx = GridIndex(grids)
    assert len(idx) == 3
    assert idx.locate(0.5, 0.5) == "330122001001002"
    assert idx.locate(1.5, 0.5) == "330122001001001"
    assert idx.locate(1.0, 0.5) == "330122001001001"  # on a border: the lowest code
    assert idx.locate(0.6, 1.3) is None  # in the hole
    assert idx.locate(5, 5) is None
    lon = np.array([0.5, 1.5, 1.0, 0.6, 5.0, 1.9])
    lat = np.array([0.5, 0.5, 0.5, 1.3, 5.0, 1.9])
    assert idx.locate_many(lon, lat) == [idx.locate(x, y) for x, y in zip(lon, lat, strict=True)]


def test_grid_index_agrees_with_the_demo_county() -> None:
    from commandcenter.sim.geometry import build_demo_geometry

    geo = build_demo_geometry()
    idx = GridIndex((g.code, g.geometry) for g in geo.grids)
    rng = np.random.default_rng(1)
    b = shapely.bounds(geo.county.shape)
    lon = rng.uniform(b[0], b[2], 2000)
    lat = rng.uniform(b[1], b[3], 2000)
    assert idx.locate_many(lon, lat) == geo.locate_grids(lon, lat)
