"""Shared fixtures: a small reference world (1 county, 2 townships) and a fixed clock."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from commandcenter.domain.case import Actor
from commandcenter.domain.enums import OrgLevel, Role
from commandcenter.domain.org import Centre, Department, OrgUnit, Reference, load_categories
from commandcenter.domain.sla import load_calendar
from commandcenter.domain.timeutil import UTC
from commandcenter.resources import data_path

COUNTY = "330122"
T1, T2 = "330122001", "330122002"
GRID1 = "330122001001001"
GRID2 = "330122002001001"


def small_reference() -> Reference:
    units = [
        OrgUnit(COUNTY, "桐庐县", OrgLevel.COUNTY),
        OrgUnit(T1, "桐君街道", OrgLevel.TOWNSHIP, COUNTY),
        OrgUnit(T2, "旧县街道", OrgLevel.TOWNSHIP, COUNTY),
        OrgUnit(T1 + "001", "白云社区", OrgLevel.VILLAGE, T1),
        OrgUnit(T2 + "001", "洋洲社区", OrgLevel.VILLAGE, T2),
        OrgUnit(GRID1, "白云社区第1网格", OrgLevel.GRID, T1 + "001"),
        OrgUnit(GRID2, "洋洲社区第1网格", OrgLevel.GRID, T2 + "001"),
    ]
    centres = [
        Centre(COUNTY, "桐庐县社会治理综合指挥中心", OrgLevel.COUNTY),
        Centre(T1, "桐君街道综合信息指挥室", OrgLevel.TOWNSHIP, COUNTY),
        Centre(T2, "旧县街道综合信息指挥室", OrgLevel.TOWNSHIP, COUNTY),
    ]
    depts = [
        Department("D-330122-enforcement", "县综合行政执法局", "enforcement", COUNTY),
        Department("D-330122-police", "县公安局", "police", COUNTY),
        Department("D-330122001-enforcement", "桐君街道综合执法平台", "enforcement", T1),
        Department("D-330122001-governance", "桐君街道综治工作平台", "governance", T1),
        Department("D-330122002-enforcement", "旧县街道综合执法平台", "enforcement", T2),
    ]
    cats = load_categories(data_path("categories.json"))
    return Reference.build(units, centres, depts, cats)


@pytest.fixture
def ref() -> Reference:
    return small_reference()


@pytest.fixture(scope="session")
def calendar():  # type: ignore[no-untyped-def]
    return load_calendar()


class FakeClock:
    """A clock the test moves by hand (a Tuesday morning, Beijing time)."""

    def __init__(self, start: datetime | None = None) -> None:
        self.t = start or datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # 09:00 CST, Tuesday

    def __call__(self) -> datetime:
        return self.t

    def advance(self, **kw: float) -> datetime:
        self.t += timedelta(**kw)
        return self.t


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


OPERATOR = Actor("op1", Role.OPERATOR, T1, display_name="值班员甲")
OPERATOR2 = Actor("op2", Role.OPERATOR, T1, display_name="值班员乙")
LEAD = Actor("lead1", Role.SHIFT_LEAD, T1, display_name="值班长")
SUPERVISOR = Actor("sup1", Role.SUPERVISOR, COUNTY, display_name="督查员")
COUNTY_OP = Actor("cop1", Role.OPERATOR, COUNTY, display_name="县值班员")
HANDLER = Actor("h1", Role.DEPT_HANDLER, T1, "D-330122001-enforcement", "执法队员")
OTHER_HANDLER = Actor("h2", Role.DEPT_HANDLER, T1, "D-330122001-governance", "综治队员")
GRIDDER = Actor("g1", Role.GRID_WORKER, T1, display_name="网格员")
WALL = Actor("wall", Role.WALL, COUNTY)
AUDITOR = Actor("audit", Role.AUDITOR, COUNTY)


def make_workspace(path, clock, n_cases: int = 0):  # type: ignore[no-untyped-def]
    """A real SQLite workspace at `path` with the small reference world and
    `n_cases` reported cases created through the command path."""
    from commandcenter.domain.case import Command, new_id
    from commandcenter.domain.enums import CommandType
    from commandcenter.services.workspace import Workspace
    from commandcenter.store import repo
    from commandcenter.store.engine import make_engine, write_tx
    from commandcenter.store.migrate import upgrade

    engine = make_engine(path)
    upgrade(engine)
    ref = small_reference()
    with write_tx(engine) as conn:
        org = [{"code": u.code, "name": u.name, "level": u.level.value, "parent_code": u.parent_code}
               for u in ref.org_units.values()]
        repo.write_reference(conn, org, ref.centres.values(), ref.departments.values(),
                             list(ref.categories.values()))
        repo.set_meta(conn, "county_code", COUNTY)
    ws = Workspace(engine, clock)
    for i in range(n_cases):
        ws.commands.apply(Command(CommandType.CREATE, new_id(), GRIDDER, {
            "title": f"测试事件{i + 1}", "grid_code": GRID1, "category_code": "0101",
            "reporter_name": "张三", "reporter_phone": "13812345678", "address": f"白云路{i + 1}号"}))
    return ws


@pytest.fixture
def workspace(tmp_path, clock):  # type: ignore[no-untyped-def]
    ws = make_workspace(tmp_path / "cc.db", clock, n_cases=5)
    yield ws
    ws.close()
