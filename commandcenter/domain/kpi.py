"""KPIs with their standard formulas.

Counts are taken over the cases registered (立案) in a period; the formulas
live here once. `services` counts in SQL, `count_cases` counts in Python
(for small sets and to cross-check the SQL).

- 结案率      = 结案数 / 应结案数
- 按期结案率  = 按期结案数 / 应结案数
- 按期处置率  = 按期处置数 / 应处置数
- 返工率      = 返工案件数 / 处置反馈数
- 回退率      = 回退案件数 / 派遣数
- 平均处置时长 = Σ(反馈时间 − 派遣时间) / 处置反馈数   (hours)
- 镇村解决率  = 在乡镇(街道)及以下结案数 / 结案数

应结案数: registered in the period and either closed or past the whole-case
deadline. 应处置数: dispatched and either fed back or past the stage deadline.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import datetime

from .case import Case
from .enums import OrgLevel, Status

LOCAL_LEVELS = frozenset({OrgLevel.TOWNSHIP, OrgLevel.VILLAGE, OrgLevel.GRID})


@dataclass
class KpiCounts:
    registered: int = 0  # 立案数
    due: int = 0  # 应结案数
    closed: int = 0  # 结案数
    closed_on_time: int = 0  # 按期结案数
    dispatched: int = 0  # 派遣数
    handle_due: int = 0  # 应处置数
    handled_on_time: int = 0  # 按期处置数
    fed_back: int = 0  # 处置反馈数
    reworked: int = 0  # 返工案件数
    returned: int = 0  # 回退案件数
    handle_seconds: float = 0.0  # Σ(反馈 − 派遣)
    closed_local: int = 0  # 乡镇及以下结案数

    def __add__(self, other: KpiCounts) -> KpiCounts:
        return KpiCounts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


@dataclass(frozen=True)
class Kpis:
    closure_rate: float | None  # 结案率
    on_time_closure_rate: float | None  # 按期结案率
    on_time_handling_rate: float | None  # 按期处置率
    rework_rate: float | None  # 返工率
    return_rate: float | None  # 回退率
    avg_handling_hours: float | None  # 平均处置时长
    local_resolution_rate: float | None  # 镇村解决率
    counts: KpiCounts


KPI_LABELS = {
    "closure_rate": "结案率",
    "on_time_closure_rate": "按期结案率",
    "on_time_handling_rate": "按期处置率",
    "rework_rate": "返工率",
    "return_rate": "回退率",
    "avg_handling_hours": "平均处置时长(小时)",
    "local_resolution_rate": "镇村解决率",
}


def _ratio(n: float, d: float) -> float | None:
    return None if d == 0 else n / d


def compute(c: KpiCounts) -> Kpis:
    return Kpis(
        closure_rate=_ratio(c.closed, c.due),
        on_time_closure_rate=_ratio(c.closed_on_time, c.due),
        on_time_handling_rate=_ratio(c.handled_on_time, c.handle_due),
        rework_rate=_ratio(c.reworked, c.fed_back),
        return_rate=_ratio(c.returned, c.dispatched),
        avg_handling_hours=None if c.fed_back == 0 else c.handle_seconds / c.fed_back / 3600,
        local_resolution_rate=_ratio(c.closed_local, c.closed),
        counts=c,
    )


def count_cases(cases: Iterable[Case], start: datetime, end: datetime, now: datetime) -> KpiCounts:
    """Count the KPI inputs over cases registered in [start, end)."""
    k = KpiCounts()
    for c in cases:
        if c.accepted_at is None or not (start <= c.accepted_at < end):
            continue
        if c.status in (Status.REJECTED, Status.MERGED):
            continue
        k.registered += 1
        is_closed = c.closed_at is not None
        if is_closed or (c.deadline is not None and c.deadline <= now):
            k.due += 1
        if is_closed:
            k.closed += 1
            k.closed_on_time += bool(c.closed_on_time)
            k.closed_local += c.resolved_level in LOCAL_LEVELS
        if c.dispatched_at is not None:
            k.dispatched += 1
            k.returned += c.return_count > 0
            fed = c.feedback_at is not None
            late_open = (
                not fed
                and c.status in (Status.DISPATCHED, Status.IN_PROGRESS)
                and c.stage_deadline is not None
                and c.stage_deadline <= now
            )
            if fed or late_open:
                k.handle_due += 1
            if fed:
                k.fed_back += 1
                k.handled_on_time += bool(c.handled_on_time)
                k.reworked += c.rework_count > 0
                assert c.feedback_at is not None
                k.handle_seconds += (c.feedback_at - c.dispatched_at).total_seconds()
    return k
