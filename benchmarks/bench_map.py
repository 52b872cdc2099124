#!/usr/bin/env python3
"""The map widget at province scale (issue 5): 109,000 grid polygons + 100,000 incidents.

    .venv/bin/python benchmarks/bench_map.py [--data DIR] [--size 1920x1080] [--baseline-n N]
                                             [--store benchmarks/out/bench_1m.db] [--json PATH]

Data: ``../shared/tools/gen_province_grids.py --out DIR`` (generated into DIR when it
is missing): grids.geojson (109,000 Voronoi cells over Zhejiang's 90 counties) and
incidents.geojson (100,000 points).  The county outlines (zhejiang_counties.geojson,
GCJ-02 -> WGS-84) are the boundary layer.  Offscreen Qt (QT_QPA_PLATFORM=offscreen).

Measured, with our MapWidget (tile-cached batched polygons, one incidents item):

* first full render: set_org + set_points + grid fill + every tile of the first frame,
  from geometry already parsed to a complete frame (repaints until no tile is pending);
* pan / zoom repaint: 60 pans (1/8 of the view) and 40 zoom steps (x1.25 in, then out)
  at the province, city and street scale; every repaint timed (including the follow-up
  frames that finish tiles left pending), p50/p95/max; and per step the time to complete;
* click-to-case pick: MapWidget.click_at at 1,000 incident positions at city zoom, and
  the pick over all 100,000 points;
* memory: RSS before loading, after the first render, after the pan/zoom run;
* baseline, in the same run: one plain pyqtgraph item per polygon (PlotCurveItem, outline
  only: cheaper than a filled polygon) and one ScatterPlotItem of the 100,000 points;
  creation, first render and a pan repaint.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(ROOT))
GEN = ROOT.parent / "shared" / "tools" / "gen_province_grids.py"
COUNTIES = ROOT.parent / "shared" / "data" / "boundaries" / "zhejiang_counties.geojson"

import numpy as np  # noqa: E402
import shapely  # noqa: E402

STATUS_MAP = {"reported": "reported", "assigned": "dispatched", "in_progress": "in_progress",
              "pending_review": "awaiting_check", "resolved": "closed", "closed": "archived"}
PRIORITY_MAP = {"low": 0, "medium": 1, "high": 2}


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[max(0, min(len(s) - 1, round(p / 100 * len(s) + 0.5) - 1))]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def load_data(data: Path) -> tuple[list[Any], list[str], Any, list[Any], list[str]]:
    from commandcenter.geo.transform import gcj02_to_wgs84_geometry
    from commandcenter.services.mapdata import STATUS_CODES, MapPoints

    if not (data / "grids.geojson").is_file():
        data.mkdir(parents=True, exist_ok=True)
        print(f"generating the data set into {data} ...", flush=True)
        subprocess.run([sys.executable, str(GEN), "--out", str(data)], check=True)
    t0 = time.perf_counter()
    fc = json.loads((data / "grids.geojson").read_text(encoding="utf-8"))
    grids = list(shapely.from_geojson([json.dumps(f["geometry"]) for f in fc["features"]]))
    codes = [str(f["properties"]["code"]) for f in fc["features"]]
    inc = json.loads((data / "incidents.geojson").read_text(encoding="utf-8"))["features"]
    lon = np.array([f["geometry"]["coordinates"][0] for f in inc])
    lat = np.array([f["geometry"]["coordinates"][1] for f in inc])
    status = [STATUS_CODES.index(STATUS_MAP.get(f["properties"].get("status", ""), "reported")) for f in inc]
    prio = [PRIORITY_MAP.get(f["properties"].get("priority", ""), 0) for f in inc]
    rng = np.random.default_rng(7)
    sev = rng.choice(4, size=len(inc), p=[0.7, 0.2, 0.08, 0.02])
    points = MapPoints.from_arrays([f"case-{i}" for i in range(len(inc))], lon, lat, status, prio, sev)
    points.overdue = rng.random(len(inc)) < 0.1
    cfc = json.loads(COUNTIES.read_text(encoding="utf-8"))
    counties = list(shapely.from_geojson([json.dumps(gcj02_to_wgs84_geometry(f["geometry"])) for f in cfc["features"]]))
    cnames = [str(f["properties"].get("name") or f["properties"]["adcode"]) for f in cfc["features"]]
    print(f"parsed {len(grids):,} grids, {len(points):,} points, {len(counties)} counties "
          f"in {time.perf_counter() - t0:.1f} s (not counted)", flush=True)
    return grids, codes, points, counties, cnames


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("/tmp/province"))
    ap.add_argument("--size", default="1920x1080")
    ap.add_argument("--baseline-n", type=int, default=109_000, help="polygons in the one-item-per-polygon baseline")
    ap.add_argument("--store", type=Path, default=OUT / "bench_1m.db", help="a 1M-case store for the SQL timing")
    ap.add_argument("--json", type=Path, default=OUT / "map.json")
    args = ap.parse_args()
    w, h = (int(v) for v in args.size.split("x"))

    rss0 = rss_mb()
    grids, codes, points, counties, cnames = load_data(args.data)

    import pyqtgraph as pg
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QPen
    from PySide6.QtWidgets import QApplication

    from commandcenter.gui.map.widget import MapWidget
    from commandcenter.services.mapdata import OrgShape

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from commandcenter.gui import gc_guard

    gc_guard.install(app)  # as the application does
    results: dict[str, Any] = {"grids": len(grids), "points": len(points), "size": args.size}
    rss_data = rss_mb()

    mw = MapWidget()
    mw.resize(w, h)
    mw.show()
    app.processEvents()
    vp = mw.view.viewport()
    frames: list[float] = []

    def repaint() -> float:
        t = time.perf_counter()
        vp.repaint()
        dt = (time.perf_counter() - t) * 1000
        frames.append(dt)
        return dt

    def complete() -> tuple[float, int]:
        """Repaint until no tile is pending: (total ms, repaints)."""
        total, n = repaint(), 1
        while mw.tiles_pending() and n < 500:
            total += repaint()
            n += 1
        return total, n

    shapes = [OrgShape(c, c, "grid", None, g) for c, g in zip(codes, grids, strict=True)]
    shapes += [OrgShape(f"c{i}", n, "county", None, g) for i, (n, g) in enumerate(zip(cnames, counties, strict=True))]
    rng = np.random.default_rng(3)
    load = {c: (int(a), int(b)) for c, a, b in zip(codes, rng.poisson(4, len(codes)), rng.poisson(1, len(codes)), strict=True)}

    # --- first full render -------------------------------------------------------------------
    t0 = time.perf_counter()
    mw.set_org(shapes)
    t_org = time.perf_counter()
    mw.set_grid_load(load)
    mw.set_points(points)
    t_data = time.perf_counter()
    mw.fit_county()
    paint_ms, n_frames = complete()
    first = time.perf_counter() - t0
    results["first_render"] = {
        "total_s": round(first, 3), "set_org_s": round(t_org - t0, 3), "fill_points_s": round(t_data - t_org, 3),
        "paint_ms": round(paint_ms, 1), "frames": n_frames, "zoom": mw.vector.last_zoom,
    }
    rss_first = rss_mb()
    print(f"first full render: {first:.3f} s (set_org {t_org - t0:.3f} s, fill+points {t_data - t_org:.3f} s, "
          f"paint {paint_ms:.0f} ms in {n_frames} frames at tile zoom {mw.vector.last_zoom})", flush=True)
    mw.grab().save(str(OUT / "map_province.png"))

    # --- pan / zoom ------------------------------------------------------------------------------
    frames.clear()
    step_complete: list[float] = []
    mw.data_rect()
    city = (float(np.median(points.lon)), float(np.median(points.lat)))
    cx, cy = mw.project_one(*city)
    scenes = {"province": None, "city": 60.0, "street": 3.0}
    per_scene: dict[str, Any] = {}
    for name, mpp in scenes.items():
        start = len(frames)
        if mpp is None:
            mw.fit_county()
        else:
            mw.center_on(cx, cy, mpp)
        complete()
        start = len(frames)
        dirs = [(1, 0), (0, 1), (-1, 0), (0, -1)]
        for i in range(20):
            r = mw.vb.viewRect()
            dx, dy = dirs[(i // 5) % 4]
            mw.vb.setRange(rect=r.translated(dx * r.width() / 8, dy * r.height() / 8), padding=0)
            step_complete.append(complete()[0])
        for i in range(14):
            r = mw.vb.viewRect()
            f = 1 / 1.25 if i < 7 else 1.25
            c = r.center()
            nr = QRectF(c.x() - r.width() * f / 2, c.y() - r.height() * f / 2, r.width() * f, r.height() * f)
            mw.vb.setRange(rect=nr, padding=0)
            step_complete.append(complete()[0])
        fr = frames[start:]
        per_scene[name] = {"repaints": len(fr), "p50_ms": round(pct(fr, 50), 1), "p95_ms": round(pct(fr, 95), 1),
                           "max_ms": round(max(fr), 1)}
        print(f"pan/zoom at {name}: {len(fr)} repaints, p50 {pct(fr, 50):.1f} ms, p95 {pct(fr, 95):.1f} ms, "
              f"max {max(fr):.1f} ms", flush=True)
    results["pan_zoom"] = {
        "repaints": len(frames), "p50_ms": round(pct(frames, 50), 1), "p95_ms": round(pct(frames, 95), 1),
        "max_ms": round(max(frames), 1), "step_complete_p95_ms": round(pct(step_complete, 95), 1),
        "step_complete_max_ms": round(max(step_complete), 1), "by_scale": per_scene,
    }
    print(f"pan/zoom overall: {len(frames)} repaints, p95 {pct(frames, 95):.1f} ms; per step until complete: "
          f"p95 {pct(step_complete, 95):.1f} ms, max {max(step_complete):.1f} ms", flush=True)
    mw.center_on(cx, cy, 3.0)
    complete()
    mw.grab().save(str(OUT / "map_street.png"))

    # --- pick -----------------------------------------------------------------------------------
    mw.center_on(cx, cy, 25.0)
    complete()
    r = mw.vb.viewRect()
    px, py = mw.project(points.lon, points.lat)
    inside = np.nonzero((px > r.left()) & (px < r.right()) & (py > r.top()) & (py < r.bottom()))[0]
    sample = rng.choice(inside, size=min(1000, len(inside)), replace=False)
    got: list[str] = []
    mw.sig_case_clicked.connect(got.append)
    times = []
    for i in sample.tolist():
        t = time.perf_counter()
        mw.click_at(float(px[i]), float(py[i]))
        times.append((time.perf_counter() - t) * 1000)
    hit = sum(1 for i, g in zip(sample.tolist(), got, strict=False) if g == points.ids[i])
    mode = mw.incidents.last_mode
    mw.incidents.last_mode = "points"
    full = []
    for i in sample[:200].tolist():
        t = time.perf_counter()
        mw.incidents.pick(float(px[i]), float(py[i]), 1000.0)
        full.append((time.perf_counter() - t) * 1000)
    mw.incidents.last_mode = mode
    results["pick"] = {"clicks": len(times), "points_in_view": len(inside), "found": len(got),
                       "exact": hit, "p50_ms": round(pct(times, 50), 3), "p95_ms": round(pct(times, 95), 3),
                       "max_ms": round(max(times), 3), "all_points_p95_ms": round(pct(full, 95), 3)}
    print(f"click-to-case: {len(times)} clicks ({len(inside):,} points in view, {len(got)} found, {hit} the exact case), "
          f"p50 {pct(times, 50):.2f} ms, p95 {pct(times, 95):.2f} ms; pick over all 100k: p95 {pct(full, 95):.2f} ms",
          flush=True)
    rss_end = rss_mb()
    results["memory_mb"] = {"start": round(rss0), "data_parsed": round(rss_data), "after_first_render": round(rss_first),
                            "after_pan_zoom": round(rss_end),
                            "tile_cache_tiles": mw.vector.cached_tiles(),
                            "tile_cache_mb": round(mw.vector.cached_tiles() * 256 * 256 * 4 / 2**20, 1)}
    print(f"memory (RSS): start {rss0:.0f} MB, data parsed {rss_data:.0f} MB, after first render {rss_first:.0f} MB, "
          f"after pan/zoom {rss_end:.0f} MB ({mw.vector.cached_tiles()} cached tiles)", flush=True)
    mw.close()
    mw.deleteLater()
    app.processEvents()

    # --- SQL: the points of a filter on the 1M store -----------------------------------------------
    if args.store.is_file():
        from datetime import UTC, datetime

        from commandcenter.services import mapdata
        from commandcenter.services.queries import QueueFilter
        from commandcenter.store.engine import make_engine, read_tx

        eng = make_engine(args.store)
        with read_tx(eng) as conn:
            now_txt = conn.exec_driver_sql("SELECT value FROM meta WHERE key='bench_now'").scalar()
            now = datetime.fromtimestamp(int(now_txt), UTC) if now_txt else datetime.now(UTC)
            sql: dict[str, Any] = {}
            for label, f in (("open", QueueFilter()), ("closed", QueueFilter(open_only=False))):
                t = time.perf_counter()
                p = mapdata.map_points(conn, f, now)
                t1 = time.perf_counter()
                mapdata.grid_load(conn, now)
                t2 = time.perf_counter()
                sql[label] = {"points": len(p), "total": p.total, "points_ms": round((t1 - t) * 1000),
                              "grid_load_ms": round((t2 - t1) * 1000)}
                print(f"SQL on {args.store.name} ({label}): {len(p):,} of {p.total:,} points in {(t1 - t) * 1000:.0f} ms, "
                      f"grid load {(t2 - t1) * 1000:.0f} ms", flush=True)
        results["sql_1m"] = sql
        eng.dispose()

    # --- baseline: one plain pyqtgraph item per polygon -----------------------------------------
    n = min(args.baseline_n, len(grids))
    view = pg.GraphicsView()
    vb = pg.ViewBox(lockAspect=True)
    view.setCentralItem(vb)
    view.resize(w, h)
    view.show()
    app.processEvents()
    from commandcenter.geo.transform import lonlat_to_mercator_array

    t0 = time.perf_counter()
    geoms = np.array(grids[:n], dtype=object)
    rings = shapely.get_exterior_ring(shapely.get_parts(geoms))
    pen = QPen(QColor(71, 85, 105))
    pen.setCosmetic(True)
    items = []
    for ring in rings:
        c = shapely.get_coordinates(ring)
        x, y = lonlat_to_mercator_array(c[:, 0], c[:, 1])
        it = pg.PlotCurveItem(x, y, pen=pen)
        vb.addItem(it)
        items.append(it)
    t_create = time.perf_counter() - t0
    scatter = pg.ScatterPlotItem(*mw.project(points.lon, points.lat), size=8, pen=None, brush=pg.mkBrush(59, 130, 246))
    vb.addItem(scatter)
    vb.autoRange(padding=0.02)
    app.processEvents()
    bvp = view.viewport()
    t = time.perf_counter()
    bvp.repaint()
    t_first = time.perf_counter() - t
    rr = vb.viewRect()
    vb.setRange(rect=rr.translated(rr.width() / 8, 0), padding=0)
    t = time.perf_counter()
    bvp.repaint()
    t_pan = time.perf_counter() - t
    vb.removeItem(scatter)
    t = time.perf_counter()
    bvp.repaint()
    t_pan_nopoints = time.perf_counter() - t
    results["baseline"] = {"polygons": n, "items": len(items), "create_s": round(t_create, 2),
                           "first_repaint_s": round(t_first, 2), "pan_repaint_s": round(t_pan, 2),
                           "pan_repaint_polygons_only_s": round(t_pan_nopoints, 2),
                           "first_full_render_s": round(t_create + t_first, 2), "rss_mb": round(rss_mb())}
    print(f"baseline ({len(items):,} PlotCurveItems + 1 ScatterPlotItem of {len(points):,}): create {t_create:.1f} s, "
          f"first repaint {t_first:.2f} s, pan repaint {t_pan:.2f} s ({t_pan_nopoints:.2f} s without the points); "
          f"RSS {rss_mb():.0f} MB", flush=True)
    with contextlib.suppress(OSError):
        results["uptime"] = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"uptime: {results.get('uptime', '')}\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
