"""Import of grids and boundaries from GeoJSON (good and broken files, one transaction),
the grid of a new case by point in polygon, and the SQL the map reads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from commandcenter.domain.case import Command, new_id
from commandcenter.domain.enums import CommandType as C
from commandcenter.geo.geojson import load_geometry
from commandcenter.geo.transform import wgs84_to_gcj02_geometry
from commandcenter.services import geoimport, mapdata
from commandcenter.services.queries import QueueFilter, queue
from commandcenter.services.workspace import Workspace
from commandcenter.store import schema as t
from tests.conftest import GRID1, GRIDDER, T1, make_workspace

VILLAGE = T1 + "001"  # 白云社区 in the test world
X0, Y0, D = 119.680, 29.790, 0.004


def square(i: int, j: int = 0, d: float = D) -> dict[str, Any]:
    x, y = X0 + i * d, Y0 + j * d
    return {"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]}


def fc(*features: tuple[dict[str, Any], dict[str, Any] | None]) -> dict[str, Any]:
    return {"type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": p, "geometry": g} for p, g in features]}


def write(tmp_path: Path, name: str, data: Any) -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def ws(tmp_path: Path, clock) -> Workspace:  # type: ignore[no-untyped-def]
    w = make_workspace(tmp_path / "imp.db", clock)
    yield w
    w.close()


def _check(ws: Workspace, path: Path, kind: str = "grids", datum: str = "WGS-84") -> geoimport.ImportPlan:
    with ws.read() as conn:
        return geoimport.check_units(conn, path, kind, datum)


def _geometry(ws: Workspace, code: str) -> dict[str, Any] | None:
    with ws.read() as conn:
        g = conn.execute(select(t.org_units.c.geometry).where(t.org_units.c.code == code)).scalar_one_or_none()
    return None if g is None else load_geometry(g)


GOOD = fc(
    ({"code": GRID1, "name": "白云社区第1网格"}, square(0)),
    ({"code": VILLAGE + "002", "name": "白云社区第2网格"}, square(1)),  # shares an edge with the first
    ({"code": VILLAGE + "003", "name": "白云社区第3网格"}, square(0, 1)),
)


def test_good_grids_import_in_one_go_and_new_cases_get_their_grid(ws: Workspace, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    with ws.read() as conn:
        plan = geoimport.check_units(conn, write(tmp_path, "g.geojson", GOOD), "grids", "WGS-84",
                                     lambda a, b: seen.append((a, b)))
    assert plan.errors == [] and plan.ok
    assert (plan.inserts, plan.updates) == (2, 1)
    assert seen[-1] == (3, 3)
    assert geoimport.apply_units(ws.engine, plan) == 3
    ws.reload_reference()
    assert ws.ref.org_units[VILLAGE + "002"].name == "白云社区第2网格"
    g = _geometry(ws, VILLAGE + "003")
    assert g is not None and g["type"] == "Polygon"
    # a new case with a location and no grid: point in polygon (spatial index)
    payload = {"title": "定位测试", "category_code": "0101", "lon": X0 + 1.5 * D, "lat": Y0 + 0.5 * D}
    cid = new_id()
    out = ws.commands.apply(Command(C.CREATE, cid, GRIDDER, payload))
    assert out.ok, out.reason
    case = ws.case(cid)
    assert case is not None and case.grid_code == VILLAGE + "002"
    # outside every grid: no grid (and no refusal)
    cid2 = new_id()
    assert ws.commands.apply(Command(C.CREATE, cid2, GRIDDER, {**payload, "lon": 119.9, "lat": 29.9})).ok
    assert (c2 := ws.case(cid2)) is not None and c2.grid_code is None


def test_gcj02_input_is_stored_as_wgs84(ws: Workspace, tmp_path: Path) -> None:
    gcj = fc(({"code": GRID1, "name": "白云社区第1网格"}, wgs84_to_gcj02_geometry(square(0))))
    plan = _check(ws, write(tmp_path, "gcj.geojson", gcj), datum="GCJ-02")
    assert plan.ok
    geoimport.apply_units(ws.engine, plan)
    g = _geometry(ws, GRID1)
    assert g is not None
    assert g["coordinates"][0][0] == pytest.approx([X0, Y0], abs=2e-6)  # back on the WGS-84 square


@pytest.mark.parametrize(
    ("name", "data", "kind", "message"),
    [
        ("notjson", "{ this is not json", "grids", "无法读取文件"),
        ("empty", fc(), "grids", "没有要素"),
        ("nocode", fc(({"name": "x"}, square(0))), "grids", "缺少编码"),
        ("badcode", fc(({"code": "33012200100100X", "name": "x"}, square(0))), "grids", "6/9/12/15"),
        ("notgrid", fc(({"code": T1, "name": "桐君街道"}, square(0))), "grids", "只能有 15 位网格编码"),
        ("gridinbounds", fc(({"code": GRID1, "name": "x"}, square(0))), "boundaries", "不能有网格"),
        ("noname", fc(({"code": GRID1}, square(0))), "grids", "缺少名称"),
        ("point", fc(({"code": GRID1, "name": "x"}, {"type": "Point", "coordinates": [X0, Y0]})), "grids", "Polygon"),
        ("bowtie", fc(({"code": GRID1, "name": "x"}, {"type": "Polygon", "coordinates": [
            [[X0, Y0], [X0 + D, Y0 + D], [X0 + D, Y0], [X0, Y0 + D], [X0, Y0]]]})), "grids", "多边形无效"),
        ("projected", fc(({"code": GRID1, "name": "x"}, {"type": "Polygon", "coordinates": [
            [[0, 0], [100, 0], [100, 100], [0, 0]]]})), "grids", "不在中国境内"),
        ("dup", fc(({"code": GRID1, "name": "x"}, square(0)), ({"code": GRID1, "name": "y"}, square(1))),
         "grids", "重复"),
        ("overlap", fc(({"code": GRID1, "name": "x"}, square(0)),
                       ({"code": VILLAGE + "002", "name": "y"}, square(0, 0, D * 1.5))), "grids", "重叠"),
        ("unknown", fc(({"code": "330122009009001", "name": "x"}, square(0))), "grids", "未知编码"),
        ("unknown_town", fc(({"code": "330199001", "name": "x"}, square(0))), "boundaries", "未知编码"),
    ],
)
def test_broken_files_are_refused_with_a_clear_error(
    ws: Workspace, tmp_path: Path, name: str, data: Any, kind: str, message: str
) -> None:
    before = _geometry(ws, GRID1)
    plan = _check(ws, write(tmp_path, f"{name}.geojson", data), kind=kind)
    assert not plan.ok
    assert any(message in e for e in plan.errors), plan.errors
    with pytest.raises(geoimport.ImportFailed):
        geoimport.apply_units(ws.engine, plan)
    assert _geometry(ws, GRID1) == before  # nothing written


def test_one_bad_row_writes_nothing(ws: Workspace, tmp_path: Path) -> None:
    plan = _check(ws, write(tmp_path, "g.geojson", GOOD))
    assert plan.ok
    plan.rows[-1]["name"] = None  # fails inside the transaction (NOT NULL), after the others
    with pytest.raises(Exception):  # noqa: B017 -- whatever the driver raises
        geoimport.apply_units(ws.engine, plan)
    with ws.read() as conn:
        codes = {c for (c,) in conn.execute(select(t.org_units.c.code))}
    assert VILLAGE + "002" not in codes and _geometry(ws, GRID1) is None


def test_boundaries_import_townships_and_villages(ws: Workspace, tmp_path: Path) -> None:
    data = fc(({"adcode": "330122003", "name": "城南街道"}, square(5, 5, 0.02)),
              ({"code": "330122003001", "name": "城南社区"}, square(5, 5, 0.01)))
    plan = _check(ws, write(tmp_path, "b.geojson", data), kind="boundaries")
    assert plan.ok, plan.errors
    assert geoimport.apply_units(ws.engine, plan) == 2
    ws.reload_reference()
    assert ws.ref.org_units["330122003001"].parent_code == "330122003"


# --- what the map reads ---------------------------------------------------------------------------


def test_map_points_follow_the_queue_filter_and_its_bbox(ws: Workspace) -> None:
    pts = [(X0 + 0.001 * i, Y0 + 0.001 * i) for i in range(10)]
    for i, (lon, lat) in enumerate(pts):
        payload = {"title": f"点{i}", "category_code": "0101", "grid_code": GRID1, "lon": lon, "lat": lat}
        assert ws.commands.apply(Command(C.CREATE, new_id(), GRIDDER, payload)).ok
    assert ws.commands.apply(Command(C.CREATE, new_id(), GRIDDER,
                                     {"title": "无位置", "category_code": "0101", "grid_code": GRID1})).ok
    now = ws.now()
    with ws.read() as conn:
        everything = QueueFilter()
        p = mapdata.map_points(conn, everything, now)
        assert len(p) == 10 and p.total == 10  # the case without a location is not a point
        assert mapdata.STATUS_CODES[int(p.status[0])] == "reported"
        boxed = everything.with_(bbox=(X0 - 1e-4, Y0 - 1e-4, X0 + 0.0045, Y0 + 0.0045))
        assert len(queue(conn, boxed, now)) == 5
        inside = mapdata.map_points(conn, boxed, now)
        assert sorted(inside.lon.tolist()) == pytest.approx([x for x, _ in pts[:5]])
        capped = mapdata.map_points(conn, everything, now, limit=4)
        assert len(capped) == 4 and capped.total == 10
        assert mapdata.grid_load(conn, now) == {GRID1: (11, 0)}
        loc = mapdata.case_location(conn, p.ids[3])
        assert loc is not None and (float(p.lon[3]), float(p.lat[3])) == pytest.approx(loc)
        d = mapdata.point_details(conn, p.ids[0])
        assert d is not None and d["code"] and d["status"] == "reported"
