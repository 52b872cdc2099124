"""The shipped reference data: the category tree and the work calendar."""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from datetime import date
from typing import Any

import pytest

from commandcenter.domain.org import WORKDAY_MINUTES, Category, load_categories
from commandcenter.resources import data_path

DEPT_KINDS = {
    "police",
    "enforcement",
    "market",
    "ecology",
    "emergency",
    "fire",
    "housing",
    "transport",
    "civil",
    "justice",
    "health",
    "water",
    "power",
    "natural_resources",
    "agriculture",
    "education",
    "hrss",
    "governance",
    "service",
}

MAJORS = {
    "city": ["市容环境", "宣传广告", "施工管理", "突发事件", "街面秩序"],
    "social": [
        "矛盾纠纷",
        "安全隐患",
        "消防安全",
        "流动人口与出租房",
        "环境污染",
        "食品药品",
        "社会治安",
        "民生服务",
    ],
}
MAJOR_CODES = {
    "city": ["01", "02", "03", "04", "05"],
    "social": ["10", "11", "12", "13", "14", "15", "16", "17"],
}


# --------------------------------------------------------------------------- categories


@pytest.fixture(scope="module")
def categories() -> list[Category]:
    return load_categories(data_path("categories.json"))


@pytest.fixture(scope="module")
def raw_categories() -> dict[str, Any]:
    return json.loads(data_path("categories.json").read_text(encoding="utf-8"))


def _majors(cats: list[Category], family: str) -> list[Category]:
    return [c for c in cats if c.parent_code is None and c.family == family]


def _leaves(cats: list[Category], parent: str | None = None) -> list[Category]:
    return [c for c in cats if c.is_leaf and (parent is None or c.parent_code == parent)]


def test_file_shape(raw_categories: dict[str, Any]) -> None:
    assert raw_categories["version"] == 1
    assert raw_categories["source"].strip()
    assert [f["code"] for f in raw_categories["families"]] == ["city", "social"]
    assert [f["name"] for f in raw_categories["families"]] == ["城市管理", "社会治理"]
    for fam in raw_categories["families"]:
        for major in fam["categories"]:
            assert major["dept"] in DEPT_KINDS, major["code"]
            for minor in major["children"]:
                assert set(minor) == {"code", "name", "dept", "limits"}, minor["code"]
                assert set(minor["limits"]) == {"accept", "dispatch", "handle", "check"}, minor["code"]


@pytest.mark.parametrize("family", ["city", "social"])
def test_families_have_the_standard_majors(categories: list[Category], family: str) -> None:
    majors = _majors(categories, family)
    assert [m.name for m in majors] == MAJORS[family]
    assert [m.code for m in majors] == MAJOR_CODES[family]
    assert all(m.limits is None for m in majors)


def test_every_major_ends_with_other(categories: list[Category]) -> None:
    for major in (c for c in categories if c.parent_code is None):
        leaves = _leaves(categories, major.code)
        assert 6 <= len(leaves) <= 12, (major.name, len(leaves))
        last = leaves[-1]
        assert last.code == f"{major.code}99", major.name
        assert last.name == "其他", major.name
        assert [c.name for c in leaves].count("其他") == 1, major.name


def test_codes_unique_and_well_formed(categories: list[Category]) -> None:
    codes = Counter(c.code for c in categories)
    assert not [c for c, n in codes.items() if n > 1]
    by_code = {c.code: c for c in categories}
    for c in categories:
        if c.parent_code is None:
            assert re.fullmatch(r"\d{2}", c.code), c.code
        else:
            assert re.fullmatch(r"\d{4}", c.code), c.code
            assert c.code[:2] == c.parent_code, c.code
            assert c.code[2:] != "00", c.code
            parent = by_code[c.parent_code]
            assert parent.parent_code is None and parent.family == c.family
    # leaf names are unique within a major (the same name may recur under another major)
    for major in (c for c in categories if c.parent_code is None):
        names = [c.name for c in _leaves(categories, major.code)]
        assert len(names) == len(set(names)), major.name
    # numbering inside a major is dense: 01, 02, ... then 99
    for major in (c for c in categories if c.parent_code is None):
        seq = [int(c.code[2:]) for c in _leaves(categories, major.code)]
        assert seq == [*range(1, len(seq)), 99], major.name


def test_leaves_have_dept_and_sane_limits(categories: list[Category]) -> None:
    for c in _leaves(categories):
        assert c.default_dept_kind in DEPT_KINDS, (c.code, c.default_dept_kind)
        lim = c.limits
        assert lim is not None, c.code
        assert min(lim.accept, lim.dispatch, lim.handle, lim.check) > 0, c.code
        assert lim.accept <= lim.dispatch <= lim.handle, c.code
        assert lim.accept <= 60 and lim.dispatch <= 4 * 60, c.code  # acceptance and dispatch are fast
        assert lim.handle <= 15 * WORKDAY_MINUTES, c.code


def test_emergencies_are_fast(categories: list[Category]) -> None:
    by_name = {c.name: c for c in _leaves(categories)}
    for name in ("燃气泄漏", "路面塌陷", "火灾隐患"):
        lim = by_name[name].limits
        assert lim is not None
        assert (lim.accept, lim.dispatch, lim.handle) == (10, 15, 240), name
    slow = by_name["邻里纠纷"].limits
    assert slow is not None and slow.handle == 5 * WORKDAY_MINUTES


def test_leaf_count(categories: list[Category]) -> None:
    leaves = _leaves(categories)
    assert 80 <= len(leaves) <= 130
    assert {c.family for c in leaves} == {"city", "social"}


# --------------------------------------------------------------------------- work calendar


@pytest.fixture(scope="module")
def calendar() -> dict[str, Any]:
    return json.loads(data_path("work_calendar.json").read_text(encoding="utf-8"))


def _holidays(cal: dict[str, Any], year: str) -> dict[str, list[date]]:
    return {h["name"]: [date.fromisoformat(d) for d in h["dates"]] for h in cal["years"][year]["holidays"]}


def _makeups(cal: dict[str, Any], year: str) -> list[date]:
    return [date.fromisoformat(d) for d in cal["years"][year]["makeup_workdays"]]


def _makeups_by_holiday(cal: dict[str, Any], year: str) -> dict[str, list[date]]:
    """Each make-up working day belongs to the holiday nearest to it."""
    hols = _holidays(cal, year)
    out: dict[str, list[date]] = {name: [] for name in hols}
    for m in _makeups(cal, year):
        nearest = min(hols, key=lambda name: min(abs((d - m).days) for d in hols[name]))
        out[nearest].append(m)
    return out


def test_calendar_header(calendar: dict[str, Any]) -> None:
    assert calendar["timezone"] == "Asia/Shanghai"
    assert calendar["working_periods"] == [["08:30", "12:00"], ["13:30", "17:30"]]
    assert sorted(calendar["years"]) == ["2025", "2026"]


@pytest.mark.parametrize("year", ["2025", "2026"])
def test_calendar_dates(calendar: dict[str, Any], year: str) -> None:
    hol = [d for ds in _holidays(calendar, year).values() for d in ds]
    mk = _makeups(calendar, year)
    assert all(d.year == int(year) for d in hol + mk)
    assert len(hol) == len(set(hol)), "a date listed under two holidays"
    assert len(mk) == len(set(mk))
    assert not set(hol) & set(mk)
    assert all(d.weekday() >= 5 for d in mk), [d for d in mk if d.weekday() < 5]
    assert mk == sorted(mk)
    for name, ds in _holidays(calendar, year).items():
        # each holiday is a run of consecutive days
        assert [(b - a).days for a, b in itertools.pairwise(ds)] == [1] * (len(ds) - 1), name


def test_2025_schedule(calendar: dict[str, Any]) -> None:
    hols = _holidays(calendar, "2025")
    assert [len(ds) for ds in hols.values()] == [1, 8, 3, 5, 3, 8]
    assert hols["春节"][0] == date(2025, 1, 28) and hols["春节"][-1] == date(2025, 2, 4)
    mk = _makeups_by_holiday(calendar, "2025")
    assert mk["春节"] == [date(2025, 1, 26), date(2025, 2, 8)]
    assert mk["劳动节"] == [date(2025, 4, 27)]
    assert mk["国庆节、中秋节"] == [date(2025, 9, 28), date(2025, 10, 11)]
    assert sum(len(v) for v in mk.values()) == 5


def test_2026_schedule(calendar: dict[str, Any]) -> None:
    hols = _holidays(calendar, "2026")
    assert len(hols["春节"]) == 9
    assert hols["春节"][0] == date(2026, 2, 15) and hols["春节"][-1] == date(2026, 2, 23)
    assert [len(ds) for ds in hols.values()] == [3, 9, 3, 5, 3, 3, 7]
    mk = _makeups_by_holiday(calendar, "2026")
    assert mk["元旦"] == [date(2026, 1, 4)]
    assert mk["春节"] == [date(2026, 2, 14), date(2026, 2, 28)]
    assert mk["劳动节"] == [date(2026, 5, 9)]
    # 9/20 is nearer to 中秋节 (9/25–27) by date; the notice lists both under 国庆节
    assert mk["中秋节"] + mk["国庆节"] == [date(2026, 9, 20), date(2026, 10, 10)]
    assert sum(len(v) for v in mk.values()) == 6


def test_calendar_loads_into_work_calendar() -> None:
    from commandcenter.domain.sla import load_calendar

    cal = load_calendar()
    assert not cal.is_workday(date(2026, 2, 16))  # 春节
    assert cal.is_workday(date(2026, 2, 14))  # Saturday, make-up working day
    assert cal.is_workday(date(2025, 1, 26))  # Sunday, make-up working day
    assert not cal.is_workday(date(2025, 10, 8))  # 国庆节、中秋节
    assert cal.is_workday(date(2025, 10, 9))
