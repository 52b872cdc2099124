"""Likely duplicates of a new report, on a real SQLite store (no Qt)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import update

from commandcenter.domain.case import Command, new_id
from commandcenter.domain.enums import CommandType as C
from commandcenter.services.duplicates import (
    bounding_box,
    grid_centroid,
    haversine_m,
    likely_duplicates,
    same_major,
)
from commandcenter.store import schema as t
from tests.conftest import GRID1, GRID2, GRIDDER, OPERATOR, T1, make_workspace

LON, LAT = 119.6913, 29.7972  # 桐庐, near the county seat
M_LON = 1 / (111_320.0 * 0.8678)  # one metre east at this latitude, in degrees (cos 29.8° ≈ 0.8678)
M_LAT = 1 / 111_320.0  # one metre north


def _report(ws: Any, title: str, *, category: str = "0101", east_m: float | None = None, north_m: float = 0.0,
            grid: str | None = GRID1) -> str:
    payload: dict[str, Any] = {"title": title, "category_code": category, "address": "白云路1号"}
    if grid is not None:
        payload["grid_code"] = grid
    if east_m is not None:
        payload["lon"] = LON + east_m * M_LON
        payload["lat"] = LAT + north_m * M_LAT
    cmd = Command(C.CREATE, new_id(), GRIDDER, payload)
    out = ws.commands.apply(cmd)
    assert out.ok, out.reason
    return cmd.case_id


def _find(ws: Any, **kw: Any) -> list[dict[str, Any]]:
    args: dict[str, Any] = {"category_code": "0101", "lon": LON, "lat": LAT, "grid_code": GRID1, "now": ws.now()}
    args.update(kw)
    with ws.read() as conn:
        return likely_duplicates(conn, **args)


@pytest.fixture
def ws(tmp_path, clock):  # type: ignore[no-untyped-def]
    w = make_workspace(tmp_path / "dup.db", clock)
    yield w
    w.close()


def test_haversine_and_bounding_box() -> None:
    assert haversine_m(LON, LAT, LON, LAT) == 0
    assert haversine_m(120.0, 30.0, 120.0, 31.0) == pytest.approx(111_195, rel=1e-3)
    assert haversine_m(LON, LAT, LON + 100 * M_LON, LAT) == pytest.approx(100, rel=0.01)
    min_lon, min_lat, max_lon, max_lat = bounding_box(LON, LAT, 500)
    # the box holds the circle: its edges are (at least) 500 m away
    assert haversine_m(LON, LAT, max_lon, LAT) == pytest.approx(500, rel=0.01)
    assert haversine_m(LON, LAT, LON, min_lat) == pytest.approx(500, rel=0.01)
    assert min_lon < LON < max_lon and min_lat < LAT < max_lat


def test_same_category_near_and_recent_ranks_first(ws) -> None:  # type: ignore[no-untyped-def]
    near_same = _report(ws, "同类·近", east_m=50)
    mid_same = _report(ws, "同类·较远", east_m=400)
    near_major = _report(ws, "同大类·近", category="0102", east_m=60)
    _report(ws, "他类·近", category="1001", east_m=10)
    _report(ws, "同类·圆外", east_m=420, north_m=420)  # in the bounding box, ~594 m away
    _report(ws, "同类·很远", east_m=3000)

    found = _find(ws)
    assert [d["id"] for d in found] == [near_same, mid_same, near_major]
    first = found[0]
    assert first["title"] == "同类·近" and first["same_category"] is True
    assert first["distance_m"] == pytest.approx(50, abs=1)
    assert first["matched_by"] == "distance"
    assert found[2]["same_category"] is False
    scores = [d["score"] for d in found]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)
    assert set(first) >= {"id", "code", "title", "status", "address", "created_at", "distance_m", "score"}
    # the radius is a parameter
    assert [d["id"] for d in _find(ws, radius_m=100)] == [near_same, near_major]


def test_only_recent_and_open_or_closed_cases(ws, clock) -> None:  # type: ignore[no-untyped-def]
    old = _report(ws, "四天前", east_m=10)
    clock.advance(hours=96)
    open_id = _report(ws, "在办", east_m=30)
    closed_id = _report(ws, "已结案", east_m=30)
    rejected_id = _report(ws, "不予受理", east_m=20)
    merged_id = _report(ws, "已合并", east_m=20)
    with ws.engine.begin() as conn:
        conn.execute(
            update(t.cases).where(t.cases.c.id == closed_id)
            .values(status="closed", is_open=False, closed_at=t.cases.c.created_at + 60, stage_deadline=None)
        )
    assert ws.commands.apply(Command(C.REJECT, rejected_id, OPERATOR, {"reason": "重复"})).ok
    assert ws.commands.apply(Command(C.MERGE, merged_id, OPERATOR, {"target_id": open_id})).ok

    found = _find(ws)
    assert [d["id"] for d in found] == [open_id, closed_id]  # the closed one scores lower
    assert found[1]["status"] == "closed" and found[1]["score"] < found[0]["score"]
    assert old not in {d["id"] for d in found}  # 96 hours old: outside the default 72
    assert old in {d["id"] for d in _find(ws, hours=120)}


def test_same_grid_when_there_are_no_coordinates(ws) -> None:  # type: ignore[no-untyped-def]
    in_grid = _report(ws, "本网格无坐标")
    other_grid = _report(ws, "外网格无坐标", grid=GRID2)
    with_point = _report(ws, "本网格有坐标", east_m=100)

    # the new report has no coordinates: the grid decides
    found = _find(ws, lon=None, lat=None)
    assert {d["id"] for d in found} == {in_grid, with_point}
    assert all(d["matched_by"] == "grid" and d["distance_m"] is None for d in found)
    assert other_grid not in {d["id"] for d in found}

    # the new report has coordinates: measured where possible, same grid for the rest
    found = _find(ws)
    by_id = {d["id"]: d for d in found}
    assert set(by_id) == {in_grid, with_point}
    assert by_id[with_point]["matched_by"] == "distance"
    assert by_id[in_grid]["matched_by"] == "grid"


def test_nothing_to_compare_gives_nothing(ws) -> None:  # type: ignore[no-untyped-def]
    _report(ws, "某事件", east_m=10)
    assert _find(ws, category_code=None) == []
    assert _find(ws, category_code="") == []
    assert _find(ws, lon=None, lat=None, grid_code=None) == []
    assert _find(ws, limit=0) == []


def test_limit_keeps_the_best(ws) -> None:  # type: ignore[no-untyped-def]
    ids = [_report(ws, f"第{i}件", east_m=20 + i * 30) for i in range(6)]
    found = _find(ws, limit=3)
    assert [d["id"] for d in found] == ids[:3]


def test_same_major_and_grid_centroid(ws) -> None:  # type: ignore[no-untyped-def]
    with ws.read() as conn:
        sib = same_major(conn, "0101")
        assert "0101" in sib and "0102" in sib and "1001" not in sib
        assert same_major(conn, "9999") == ["9999"]
        assert grid_centroid(conn, GRID1) is None  # the small test world has no geometry
    with ws.engine.begin() as conn:
        conn.execute(update(t.org_units).where(t.org_units.c.code == GRID1).values(centroid_lon=LON, centroid_lat=LAT))
    with ws.read() as conn:
        assert grid_centroid(conn, GRID1) == (LON, LAT)
        assert grid_centroid(conn, T1) is None
        assert grid_centroid(conn, "nope") is None
