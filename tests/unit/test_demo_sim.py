"""The demo county seed and the live simulator, on a real SQLite file."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from commandcenter.domain.enums import Status
from commandcenter.domain.timeutil import UTC
from commandcenter.domain.workflow import check_invariants
from commandcenter.services.workspace import Workspace
from commandcenter.sim.demo import COUNTY_CODE, build_world, seed_demo
from commandcenter.sim.live import LiveSimulator, SimConfig
from commandcenter.store import repo
from commandcenter.store import schema as t

NOW = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)  # 14:00 Beijing time, a Tuesday


class Clock:
    def __init__(self) -> None:
        self.t = NOW

    def __call__(self) -> datetime:
        return self.t


@pytest.fixture(scope="module")
def world():  # type: ignore[no-untyped-def]
    return build_world(password_cost=2)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, world):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    ws = Workspace.open(path, clock=Clock())
    seed_demo(ws.engine, NOW, days=10, per_day=120)
    ws.close()
    return path


def test_world_has_every_role_and_both_department_tiers(world) -> None:  # type: ignore[no-untyped-def]
    roles = Counter(u["role"] for u in world.users)
    assert set(roles) == {"operator", "shift_lead", "supervisor", "dept_handler", "grid_worker", "wall", "admin", "auditor"}
    assert len(world.centres) == 15 and world.centres[0].code == COUNTY_CODE
    kinds_by_centre = Counter(d.centre_code for d in world.departments)
    assert kinds_by_centre[COUNTY_CODE] >= 15  # county bureaus
    platforms = {d.name[-6:] for d in world.departments if d.centre_code == "330122007"}
    assert {"综治工作平台", "市场监管平台", "综合执法平台", "便民服务平台"} <= platforms
    assert 250 <= roles["grid_worker"] <= 500
    assert all(len(g.code) == 15 for g in world.geometry.grids)


def test_seeded_history_is_realistic_and_consistent(demo_db) -> None:  # type: ignore[no-untyped-def]
    ws = Workspace.open(demo_db, clock=Clock())
    with ws.read() as conn:
        rows = [repo.row_to_case(r) for r in conn.execute(select(t.cases)).mappings()]
        hist = conn.execute(select(func.count()).select_from(t.case_history)).scalar_one()
        versions = conn.execute(select(func.sum(t.cases.c.version))).scalar_one()
    ws.close()
    assert 800 <= len(rows) <= 1600
    assert hist == versions  # one history record per version of every case
    assert all(check_invariants(c) == [] for c in rows)
    status = Counter(c.status for c in rows)
    assert status[Status.CLOSED] > len(rows) * 0.6
    open_cases = [c for c in rows if c.is_open]
    assert open_cases and any(c.stage_deadline and c.stage_deadline < NOW for c in open_cases)
    closed = [c for c in rows if c.status is Status.CLOSED]
    local = sum(c.resolved_level is not None and c.resolved_level.value == "township" for c in closed)
    assert local > len(closed) * 0.6  # most are closed at township level
    assert any(c.escalated for c in rows)
    hours = Counter((c.created_at + timedelta(hours=8)).hour for c in rows)
    assert hours[10] > 2 * hours[3]  # daytime rhythm
    db = sqlite3.connect(demo_db)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("select count(*) from cases where grid_code is not null and length(grid_code) != 15").fetchone()[0] == 0


def test_simulator_reports_and_plays_departments_through_the_command_path(demo_db, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    path = tmp_path / "sim.db"
    shutil.copy(demo_db, path)
    clock = Clock()
    ws = Workspace.open(path, clock=clock)
    sim = LiveSimulator(ws, SimConfig(rate_per_hour=30, speed=60, seed=7), world=world)
    changes: list[tuple[str, ...]] = []
    ws.events.cases_changed.connect(lambda e: changes.append(e.case_ids) if e.origin == "sim" else None)
    with ws.read() as conn:
        before = conn.execute(select(func.count()).select_from(t.outbox)).scalar_one()
    for _ in range(40):
        clock.t += timedelta(seconds=5)
        sim.tick(5.0)
    assert sim.reports_made > 0 and sim.actions_made > 0
    with ws.read() as conn:
        ob = conn.execute(select(t.outbox.c.type, t.outbox.c.actor)).all()
        count = conn.execute(select(func.count()).select_from(t.outbox)).scalar_one()
    assert count - before == sim.reports_made + sim.actions_made
    types = Counter(r.type for r in ob)
    assert types["create"] == sim.reports_made
    assert types["sign"] + types["feedback"] + types["accept"] + types["dispatch"] > 0
    assert changes  # listeners heard every applied batch
    # the human's centre (county) is left to people: the simulator never accepts there
    with ws.read() as conn:
        county_accepts = conn.execute(
            select(func.count()).select_from(t.case_history).join(t.cases, t.cases.c.id == t.case_history.c.case_id)
            .where(t.case_history.c.action == "accept", t.case_history.c.actor.like("operator%"),
                   t.case_history.c.at > int(NOW.timestamp()))
        ).scalar_one()
    assert county_accepts == 0
    ws.close()


def test_simulator_thread_starts_and_stops(demo_db, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil
    import threading

    path = tmp_path / "thread.db"
    shutil.copy(demo_db, path)
    ws = Workspace.open(path)
    sim = LiveSimulator(ws, SimConfig(rate_per_hour=3600, speed=100, tick_s=0.05, seed=3), world=world)
    got = threading.Event()
    ws.events.cases_changed.connect(lambda e: got.set())
    sim.start()
    assert got.wait(10), "the simulator made no change in 10 s"
    assert sim.running and "运行中" in sim.status_text()
    sim.stop()
    assert not sim.running and sim.status_text() == "模拟器已停止"
    ws.close()
