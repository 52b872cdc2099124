"""SLA clocks on a work calendar.

A time limit is counted in working minutes on the calendar (working periods of
a day, public holidays, make-up working days). 特急 cases run on natural time.
A stage is "due soon" once 80 % of its allotted time has passed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from .enums import OPEN_STATUSES, Priority, SlaState
from .timeutil import CST, UTC

T = TypeVar("T", datetime, float)

DUE_SOON_FRACTION = 0.8
PRIORITY_FACTOR = {Priority.NORMAL: 1.0, Priority.URGENT: 0.5, Priority.CRITICAL: 0.25}


@dataclass
class WorkCalendar:
    periods: list[tuple[time, time]] = field(
        default_factory=lambda: [(time(8, 30), time(12, 0)), (time(13, 30), time(17, 30))]
    )
    holidays: set[date] = field(default_factory=set)
    makeup_workdays: set[date] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._period_minutes = [(_m(a), _m(b)) for a, b in self.periods]
        self.minutes_per_day = sum(b - a for a, b in self._period_minutes)
        self._is_workday = lru_cache(maxsize=4096)(self._compute_workday)

    @classmethod
    def from_file(cls, path: Path) -> WorkCalendar:
        raw = json.loads(path.read_text(encoding="utf-8"))
        periods = [(time.fromisoformat(a), time.fromisoformat(b)) for a, b in raw["working_periods"]]
        hol: set[date] = set()
        mk: set[date] = set()
        for year in raw["years"].values():
            for h in year["holidays"]:
                hol.update(date.fromisoformat(d) for d in h["dates"])
            mk.update(date.fromisoformat(d) for d in year["makeup_workdays"])
        return cls(periods, hol, mk)

    def _compute_workday(self, d: date) -> bool:
        if d in self.makeup_workdays:
            return True
        return d.weekday() < 5 and d not in self.holidays

    def is_workday(self, d: date) -> bool:
        return bool(self._is_workday(d))

    def is_working_time(self, dt: datetime) -> bool:
        loc = dt.astimezone(CST)
        if not self.is_workday(loc.date()):
            return False
        m = loc.hour * 60 + loc.minute + loc.second / 60
        return any(a <= m < b for a, b in self._period_minutes)

    def add_working_minutes(self, start: datetime, minutes: float) -> datetime:
        """The instant when `minutes` of working time have passed since `start`."""
        if minutes <= 0:
            return start
        loc = start.astimezone(CST)
        day = loc.date()
        cur = loc.hour * 60 + loc.minute + (loc.second + loc.microsecond / 1e6) / 60
        left = float(minutes)
        for _ in range(3660):
            if self.is_workday(day):
                for a, b in self._period_minutes:
                    if cur >= b:
                        continue
                    s = max(cur, a)
                    avail = b - s
                    if left <= avail:
                        end = datetime.combine(day, time(0), CST) + timedelta(minutes=s + left)
                        return end.astimezone(UTC)
                    left -= avail
                    cur = b
            day += timedelta(days=1)
            cur = 0.0
        raise ValueError("时限超出日历范围")

    def working_minutes_between(self, a: datetime, b: datetime) -> float:
        """Working minutes in [a, b) (0 if b <= a)."""
        if b <= a:
            return 0.0
        la, lb = a.astimezone(CST), b.astimezone(CST)
        total = 0.0
        day = la.date()
        while day <= lb.date():
            if self.is_workday(day):
                base = datetime.combine(day, time(0), CST)
                for pa, pb in self._period_minutes:
                    s = max(base + timedelta(minutes=pa), la)
                    e = min(base + timedelta(minutes=pb), lb)
                    if e > s:
                        total += (e - s).total_seconds() / 60
            day += timedelta(days=1)
        return total


def _m(t: time) -> int:
    return t.hour * 60 + t.minute


@dataclass(frozen=True)
class StageClock:
    started_at: datetime
    deadline: datetime
    due_soon_at: datetime


def stage_clock(
    cal: WorkCalendar,
    start: datetime,
    working_minutes: float,
    priority: Priority = Priority.NORMAL,
    *,
    natural: bool = False,
) -> StageClock:
    """Deadline and due-soon instant of a stage that starts now and has this limit.

    `natural`: the stage runs round the clock (the command centre's own 受理 and
    派遣 stages: the duty room works 24 hours); otherwise on the work calendar
    (the departments' 处置 and the 核查)."""
    factor = PRIORITY_FACTOR[priority]
    if natural:
        deadline = start + timedelta(minutes=max(5.0, working_minutes * factor))
    elif priority is Priority.CRITICAL:
        deadline = start + timedelta(minutes=max(15.0, working_minutes * factor))
    else:
        deadline = cal.add_working_minutes(start, working_minutes * factor)
    due_soon = start + (deadline - start) * DUE_SOON_FRACTION
    return StageClock(start, deadline, due_soon)


def sla_state_of(
    status: str, suspended: bool, stage_deadline: T | None, due_soon_at: T | None, now: T
) -> SlaState:
    """The SLA state of a case's current stage. Times may be datetimes or epoch
    seconds (as in store rows), as long as all three are the same kind."""
    if status not in OPEN_STATUSES or suspended or stage_deadline is None:
        return SlaState.NONE
    if now >= stage_deadline:
        return SlaState.OVERDUE
    if due_soon_at is not None and now >= due_soon_at:
        return SlaState.DUE_SOON
    return SlaState.NORMAL


def load_calendar(path: Path | None = None) -> WorkCalendar:
    if path is None:
        from ..resources import data_path

        path = data_path("work_calendar.json")
    if not path.exists():
        return WorkCalendar()
    return WorkCalendar.from_file(path)


def dates(items: Iterable[str]) -> set[date]:
    return {date.fromisoformat(s) for s in items}
