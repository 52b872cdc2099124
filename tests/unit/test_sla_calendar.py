"""Work calendar arithmetic: working periods, weekends, holidays, make-up days."""

from __future__ import annotations

from datetime import datetime

from commandcenter.domain.enums import Priority
from commandcenter.domain.sla import WorkCalendar, stage_clock
from commandcenter.domain.timeutil import CST, UTC


def cst(*a: int) -> datetime:
    return datetime(*a, tzinfo=CST)  # type: ignore[misc]


def test_minutes_inside_one_period(calendar: WorkCalendar) -> None:
    assert calendar.add_working_minutes(cst(2026, 11, 24, 9, 0), 60) == cst(2026, 11, 24, 10, 0)


def test_lunch_break_is_skipped(calendar: WorkCalendar) -> None:
    assert calendar.add_working_minutes(cst(2026, 11, 24, 11, 30), 60) == cst(2026, 11, 24, 14, 0)


def test_friday_evening_runs_into_monday(calendar: WorkCalendar) -> None:
    assert calendar.add_working_minutes(cst(2026, 11, 27, 17, 0), 60) == cst(2026, 11, 30, 9, 0)


def test_night_report_starts_counting_next_morning(calendar: WorkCalendar) -> None:
    assert calendar.add_working_minutes(cst(2026, 11, 24, 23, 0), 30) == cst(2026, 11, 25, 9, 0)


def test_national_day_holiday_and_makeup_saturday(calendar: WorkCalendar) -> None:
    # 2026-09-30 (Wed) 17:00 + 60 min: 10-01..10-07 off, 10-08 (Thu) is a working day
    assert calendar.add_working_minutes(cst(2026, 9, 30, 17, 0), 60) == cst(2026, 10, 8, 9, 0)
    # 2026-10-09 (Fri) 17:00 + 60: 10-10 is a make-up Saturday
    assert calendar.add_working_minutes(cst(2026, 10, 9, 17, 0), 60) == cst(2026, 10, 10, 9, 0)
    assert calendar.is_workday(cst(2026, 2, 14).date()) and not calendar.is_workday(cst(2026, 2, 16).date())


def test_working_minutes_between_is_the_inverse(calendar: WorkCalendar) -> None:
    a = cst(2026, 11, 20, 16, 0)
    b = calendar.add_working_minutes(a, 900)
    assert abs(calendar.working_minutes_between(a, b) - 900) < 1e-6


def test_result_is_utc_and_calendar_without_data_uses_weekends() -> None:
    cal = WorkCalendar()
    end = cal.add_working_minutes(cst(2026, 10, 1, 9, 0), 30)  # no holiday data: a Thursday
    assert end.tzinfo is not None and end.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert end == cst(2026, 10, 1, 9, 30).astimezone(UTC)


def test_priority_shortens_the_clock_and_critical_runs_on_natural_time(calendar: WorkCalendar) -> None:
    start = cst(2026, 11, 27, 17, 0)  # Friday evening
    normal = stage_clock(calendar, start, 120, Priority.NORMAL)
    urgent = stage_clock(calendar, start, 120, Priority.URGENT)
    critical = stage_clock(calendar, start, 120, Priority.CRITICAL)
    assert normal.deadline == cst(2026, 11, 30, 10, 0)
    assert urgent.deadline == cst(2026, 11, 30, 9, 0)
    assert critical.deadline == cst(2026, 11, 27, 17, 30)
    assert start < normal.due_soon_at < normal.deadline
