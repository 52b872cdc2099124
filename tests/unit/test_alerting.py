"""AlertWatch (services.alerting): which changes deserve an alert. No Qt."""

from __future__ import annotations

from typing import Any

import pytest

from commandcenter.domain.case import Command, new_id
from commandcenter.domain.enums import CommandType as C
from commandcenter.domain.enums import Priority, SlaState
from commandcenter.services.alerting import (
    DUE_SOON,
    NEW_CRITICAL,
    NEW_URGENT,
    OVERDUE,
    AlertWatch,
    most_pressing,
)
from tests.conftest import GRID1, GRID2, GRIDDER, OPERATOR, SUPERVISOR, T1, T2, make_workspace


@pytest.fixture
def ws(tmp_path, clock):  # type: ignore[no-untyped-def]
    w = make_workspace(tmp_path / "alert.db", clock, n_cases=2)
    yield w
    w.close()


def _report(ws: Any, priority: Priority = Priority.NORMAL, grid: str = GRID1) -> str:
    cmd = Command(C.CREATE, new_id(), GRIDDER, {"title": "事件", "grid_code": grid, "priority": priority.value})
    assert ws.commands.apply(cmd).ok
    return cmd.case_id


def test_first_scan_only_remembers(ws, clock) -> None:  # type: ignore[no-untyped-def]
    clock.advance(minutes=90)  # both cases overdue already
    watch = AlertWatch(ws)
    assert watch.scan((T1,), ws.now()) == []
    assert len(watch) == 2 and watch.scope == (T1,)
    assert {watch.state_of(i) for i in _ids(ws)} == {SlaState.OVERDUE}
    assert watch.scan((T1,), ws.now()) == []


def test_new_urgent_and_critical_cases_in_scope(ws) -> None:  # type: ignore[no-untyped-def]
    watch = AlertWatch(ws)
    watch.scan((T1,), ws.now())
    crit, urg, normal = _report(ws, Priority.CRITICAL), _report(ws, Priority.URGENT), _report(ws)
    elsewhere = _report(ws, Priority.CRITICAL, GRID2)  # T2's queue
    alerts = watch.scan((T1,), ws.now(), changed=[crit, urg, normal, elsewhere], created=[crit, urg, normal, elsewhere])
    assert sorted((a.case_id, a.kind, a.reason) for a in alerts) == sorted(
        [(crit, NEW_CRITICAL, "新的特急事件"), (urg, NEW_URGENT, "新的紧急事件")]
    )
    assert most_pressing(alerts) == NEW_CRITICAL
    # every centre: the T2 case counts too (a new scope starts with a baseline, new cases still alert)
    other = AlertWatch(ws)
    assert [a.case_id for a in other.scan((), ws.now(), created=[elsewhere])] == [elsewhere]


def test_clock_crossings_alert_once(ws, clock) -> None:  # type: ignore[no-untyped-def]
    watch = AlertWatch(ws)
    watch.scan((T1,), ws.now())
    clock.advance(minutes=49)  # 80 % of 60 working minutes
    alerts = watch.scan((T1,), ws.now())
    assert {(a.kind, a.reason) for a in alerts} == {(DUE_SOON, "即将超期")} and len(alerts) == 2
    assert watch.scan((T1,), ws.now()) == []
    clock.advance(minutes=11)
    alerts = watch.scan((T1,), ws.now())
    assert {(a.kind, a.reason) for a in alerts} == {(OVERDUE, "已超期")} and len(alerts) == 2
    assert watch.scan((T1,), ws.now()) == []
    assert watch.scan((T2,), ws.now()) == []  # another scope: a fresh baseline, no backlog alerts


def test_changes_update_the_memory_and_closed_cases_are_forgotten(ws, clock) -> None:  # type: ignore[no-untyped-def]
    watch = AlertWatch(ws)
    watch.scan((T1,), ws.now())
    a, b = _ids(ws)
    clock.advance(minutes=50)
    assert len(watch.scan((T1,), ws.now())) == 2  # both due soon
    # accepting one starts a new stage: normal again, then it can cross again later
    assert ws.commands.apply(Command(C.ACCEPT, a, OPERATOR, {})).ok
    assert watch.scan((T1,), ws.now(), changed=[a]) == []
    assert watch.state_of(a) is SlaState.NORMAL
    # rejected: no longer open, forgotten
    assert ws.commands.apply(Command(C.REJECT, b, OPERATOR, {"reason": "重复"})).ok
    watch.scan((T1,), ws.now(), changed=[b])
    assert watch.state_of(b) is None
    # suspended: the clock stops (no SLA state)
    assert ws.commands.apply(Command(C.SUSPEND, a, SUPERVISOR, {"reason": "等待"})).ok
    watch.scan((T1,), ws.now(), changed=[a])
    assert watch.state_of(a) is SlaState.NONE


def _ids(ws: Any) -> list[str]:
    from sqlalchemy import select

    from commandcenter.store import schema as t

    with ws.read() as conn:
        return [r[0] for r in conn.execute(select(t.cases.c.id).order_by(t.cases.c.code))]
