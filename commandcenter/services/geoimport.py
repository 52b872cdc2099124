"""Import of grids and boundaries from GeoJSON, and the grid of a new case by
point-in-polygon.  No Qt.

``check_units`` reads a file and checks every feature (nothing is written):

* a ``code`` (or ``adcode``) and a ``name`` property; the code's length says the level
  (6 county, 9 township, 12 village, 15 grid: see DESIGN.md) and its parent (the code's
  prefix) must exist -- in the store or in the same file -- otherwise it is an *unknown
  code*; a grid file holds grids only, a boundary file no grids;
* a Polygon or MultiPolygon geometry, valid (shapely's reason is quoted), not empty,
  inside China; converted from GCJ-02 to WGS-84 first when the user says it is GCJ-02;
* no code twice, and no two units of one level overlapping (sharing an edge is fine; an
  overlap of more than ``OVERLAP_M2`` is not).

``apply_units`` writes a checked plan in **one transaction**: every unit is inserted or
updated, or -- on any error -- nothing is.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from sqlalchemy import Connection, Engine, insert, select, update

from ..domain.case import Command
from ..domain.enums import CommandType
from ..geo.geojson import area_km2, dump_geometry, read_feature_collection, representative_point, to_shape
from ..geo.gridindex import GridIndex
from ..geo.transform import gcj02_to_wgs84_geometry
from ..store import schema as t
from ..store.engine import read_tx, write_tx

KINDS = ("grids", "boundaries")
DATUMS = ("WGS-84", "GCJ-02")
LEVEL_OF_LENGTH = {6: "county", 9: "township", 12: "village", 15: "grid"}
OVERLAP_M2 = 1.0
_M2_PER_DEG2 = 111_320.0 * 96_600.0  # roughly, at 30°N: only for the overlap threshold

Progress = Callable[[int, int], None]


class ImportFailed(ValueError):
    """The plan has errors; nothing was written."""


@dataclass
class ImportPlan:
    path: str
    kind: str
    datum: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    inserts: int = 0
    updates: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _prop(props: dict[str, Any], *names: str) -> str:
    for n in names:
        v = props.get(n)
        if v is not None and str(v).strip():
            return str(v).strip()
    return ""


def check_units(
    conn: Connection, path: str | Path, kind: str, datum: str, progress: Progress | None = None
) -> ImportPlan:
    """Read and check a GeoJSON file of grids or boundaries (see the module docstring)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    if datum not in DATUMS:
        raise ValueError(f"datum must be one of {DATUMS}")
    plan = ImportPlan(str(path), kind, datum)
    try:
        features = read_feature_collection(path)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        plan.errors.append(f"无法读取文件：{exc}")
        return plan
    if not features:
        plan.errors.append("文件中没有要素")
        return plan
    o = t.org_units.c
    existing = {code: level for code, level in conn.execute(select(o.code, o.level))}
    in_file: dict[str, int] = {}
    total = len(features)
    for i, f in enumerate(features, start=1):
        where = f"第 {i} 个要素"
        props = f["properties"]
        code = _prop(props, "code", "adcode", "CODE")
        name = _prop(props, "name", "NAME")
        if progress is not None and (i % 200 == 0 or i == total):
            progress(i, total)
        if not code:
            plan.errors.append(f"{where}：缺少编码（code）")
            continue
        where = f"{where}（{code}）"
        level = LEVEL_OF_LENGTH.get(len(code)) if code.isdigit() else None
        if level is None:
            plan.errors.append(f"{where}：编码应为 6/9/12/15 位数字")
            continue
        if kind == "grids" and level != "grid":
            plan.errors.append(f"{where}：网格文件中只能有 15 位网格编码")
            continue
        if kind == "boundaries" and level == "grid":
            plan.errors.append(f"{where}：边界文件中不能有网格，请用“网格”导入")
            continue
        if not name:
            plan.errors.append(f"{where}：缺少名称（name）")
            continue
        if code in in_file:
            plan.errors.append(f"{where}：编码与第 {in_file[code]} 个要素重复")
            continue
        in_file[code] = i
        if existing.get(code, level) != level:
            plan.errors.append(f"{where}：该编码已是{existing[code]}级单位")
            continue
        geom = f.get("geometry")
        if not geom or geom.get("type") not in ("Polygon", "MultiPolygon"):
            gtype = geom.get("type") if geom else None
            plan.errors.append(f"{where}：几何类型应为 Polygon 或 MultiPolygon，实为 {gtype}")
            continue
        try:
            if datum == "GCJ-02":
                geom = gcj02_to_wgs84_geometry(geom)
            shp = to_shape(geom)
        except Exception as exc:  # malformed coordinates
            plan.errors.append(f"{where}：几何无法解析（{exc}）")
            continue
        if shp.is_empty:
            plan.errors.append(f"{where}：几何为空")
            continue
        if not shp.is_valid:
            plan.errors.append(f"{where}：多边形无效（{shapely.is_valid_reason(shp)}）")
            continue
        w, s, e, n = shp.bounds
        if not (w >= 73.0 and e <= 136.0 and s >= 3.0 and n <= 54.0):
            plan.errors.append(f"{where}：坐标不在中国境内，请检查是否为经纬度（WGS-84/GCJ-02）")
            continue
        parent = {"county": None, "township": code[:6], "village": code[:9], "grid": code[:12]}[level]
        plan.rows.append(
            {"code": code, "name": name[:100], "level": level, "parent_code": parent, "_shape": shp, "_where": where}
        )
    known = set(existing) | {r["code"] for r in plan.rows}
    for r in plan.rows:
        if r["parent_code"] is not None and r["parent_code"] not in known:
            plan.errors.append(f"{r['_where']}：未知编码，上级单位 {r['parent_code']} 不存在")
    _check_overlaps(plan)
    for r in plan.rows:
        shp = r.pop("_shape")
        r.pop("_where")
        lon, lat = representative_point(shp)
        r.update(geometry=dump_geometry(shp), centroid_lon=lon, centroid_lat=lat, area_km2=area_km2(shp))
        if r["code"] in existing:
            plan.updates += 1
        else:
            plan.inserts += 1
    if plan.errors:
        plan.rows.sort(key=lambda r: r["code"])
    return plan


def _check_overlaps(plan: ImportPlan) -> None:
    by_level: dict[str, list[dict[str, Any]]] = {}
    for r in plan.rows:
        by_level.setdefault(r["level"], []).append(r)
    for rows in by_level.values():
        geoms = np.array([r["_shape"] for r in rows], dtype=object)
        tree = shapely.STRtree(geoms)
        a, b = tree.query(geoms, predicate="intersects")
        keep = a < b
        a, b = a[keep], b[keep]
        if not len(a):
            continue
        inter = shapely.area(shapely.intersection(geoms[a], geoms[b])) * _M2_PER_DEG2
        for i, j, m2 in zip(a.tolist(), b.tolist(), inter.tolist(), strict=True):
            if m2 > OVERLAP_M2:
                plan.errors.append(
                    f"{rows[i]['_where']} 与 {rows[j]['code']} 重叠（约 {m2:,.0f} 平方米）"
                )


def apply_units(engine: Engine, plan: ImportPlan) -> int:
    """Write the checked plan in one transaction; returns the number of units written."""
    if plan.errors:
        raise ImportFailed(f"{len(plan.errors)} 处错误，未导入任何内容")
    if not plan.rows:
        raise ImportFailed("没有可导入的单位")
    o = t.org_units.c
    rows = sorted(plan.rows, key=lambda r: (len(r["code"]), r["code"]))  # parents first
    with write_tx(engine) as conn:
        existing = {c for (c,) in conn.execute(select(o.code).where(o.code.in_([r["code"] for r in rows])))}
        for r in rows:
            if r["code"] in existing:
                values = {k: v for k, v in r.items() if k not in ("code", "parent_code", "level")}
                conn.execute(update(t.org_units).where(o.code == r["code"]).values(**values))
            else:
                conn.execute(insert(t.org_units).values(**r))
    return len(rows)


# --- the grid of a new case -------------------------------------------------------------------


class GridLocator:
    """Point in grid over the grids in the store, index built on first use (thread-safe)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._index: GridIndex | None = None
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        with self._lock:
            self._index = None

    def index(self) -> GridIndex:
        with self._lock:
            if self._index is None:
                o = t.org_units.c
                with read_tx(self._engine) as conn:
                    rows = [
                        (str(code), str(g))
                        for code, g in conn.execute(
                            select(o.code, o.geometry).where(o.level == "grid", o.geometry.is_not(None))
                        )
                    ]
                from ..geo.geojson import load_geometry

                self._index = GridIndex((code, load_geometry(g)) for code, g in rows)
            return self._index

    def locate(self, lon: float, lat: float) -> str | None:
        return self.index().locate(lon, lat)

    def with_grid(self, cmd: Command) -> Command:
        """A create command that has a location but no grid gets the grid it lies in."""
        p = cmd.payload
        if cmd.type is not CommandType.CREATE or p.get("grid_code") or p.get("lon") is None or p.get("lat") is None:
            return cmd
        try:
            grid = self.locate(float(p["lon"]), float(p["lat"]))
        except (TypeError, ValueError):
            return cmd  # the domain refuses the bad location with its own message
        return cmd if grid is None else replace(cmd, payload={**p, "grid_code": grid})
