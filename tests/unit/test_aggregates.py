"""services.aggregates: hand-computed counters and KPIs, the incremental path equals a
full recount after random command sequences, and both agree with services.queries."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from commandcenter.domain.case import Case, Command, new_id
from commandcenter.domain.enums import CommandType as C
from commandcenter.domain.enums import OrgLevel, Priority, Source, Status
from commandcenter.domain.kpi import compute
from commandcenter.domain.timeutil import UTC
from commandcenter.services import queries
from commandcenter.services.aggregates import Aggregates, Windows, bin_label, local_day
from commandcenter.services.events import CasesChanged
from commandcenter.store import repo
from commandcenter.store.engine import write_tx
from tests.conftest import (
    COUNTY_OP,
    GRID1,
    GRID2,
    GRIDDER,
    HANDLER,
    LEAD,
    OPERATOR,
    OTHER_HANDLER,
    SUPERVISOR,
    T1,
    T2,
    FakeClock,
    make_workspace,
)

ENF = "D-330122001-enforcement"
GOV = "D-330122001-governance"
NOW = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)  # 14:00 CST


def _case(i: int, **kw: object) -> Case:
    t0 = NOW - timedelta(hours=5)
    base: dict[str, object] = dict(
        id=f"c{i}", code=f"X{i:05d}", title="t", centre_code=T1, source=Source.GRID_WORKER, created_at=t0,
        updated_at=t0, accepted_at=t0, status=Status.REGISTERED, township_code=T1, category_code="0101",
        deadline=t0 + timedelta(days=3), stage_deadline=t0 + timedelta(hours=8), due_soon_at=t0 + timedelta(hours=6),
    )
    base.update(kw)
    return Case(**base)  # type: ignore[arg-type]


def _insert(ws, cases: list[Case]) -> None:  # type: ignore[no-untyped-def]
    with write_tx(ws.engine) as conn:
        repo.bulk_insert_cases(conn, [repo.case_to_row(c) for c in cases])


def test_hand_computed_department_counters_and_kpis(tmp_path) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock(NOW)
    ws = make_workspace(tmp_path / "a.db", clock)
    h = timedelta(hours=1)
    t0 = NOW - 5 * h
    closed = dict(status=Status.CLOSED, stage_deadline=None, due_soon_at=None, dispatched_at=t0,
                  feedback_at=t0 + 2 * h, handled_on_time=True, closed_at=NOW - h, closed_on_time=True,
                  resolved_level=OrgLevel.TOWNSHIP)
    cases = [
        # ENF: 1 overdue in progress, 1 due soon dispatched (returned once), 1 closed today
        _case(1, department_code=ENF, status=Status.IN_PROGRESS, dispatched_at=t0, stage_deadline=NOW - h,
              due_soon_at=NOW - 2 * h),
        _case(2, department_code=ENF, status=Status.DISPATCHED, dispatched_at=t0, stage_deadline=NOW + h,
              due_soon_at=NOW - h, return_count=1),
        _case(3, department_code=ENF, **closed),  # type: ignore[arg-type]
        # GOV: one closed late, handled after 4 h, reworked, at county level
        _case(4, department_code=GOV, category_code="0201", source=Source.HOTLINE_12345,
              **{**closed, "feedback_at": t0 + 4 * h, "handled_on_time": False, "closed_on_time": False,
                 "rework_count": 1, "resolved_level": OrgLevel.COUNTY}),  # type: ignore[arg-type]
        # no department yet; normal SLA
        _case(5),
        # rejected: counts nowhere in the KPIs, not open
        _case(6, status=Status.REJECTED, stage_deadline=None, due_soon_at=None),
        # old closed case: outside every window
        _case(7, department_code=ENF, created_at=NOW - timedelta(days=90), accepted_at=NOW - timedelta(days=90),
              **{**closed, "closed_at": NOW - timedelta(days=80)}),  # type: ignore[arg-type]
    ]
    _insert(ws, cases)
    agg = Aggregates(ws.engine, ws.ref, clock)
    agg.recount()
    enf, gov = agg.stats("department", ENF), agg.stats("department", GOV)
    assert (enf.open, enf.handling, enf.overdue, enf.due_soon, enf.closed_today) == (2, 2, 1, 1, 1)
    assert (gov.open, gov.handling, gov.overdue, gov.due_soon, gov.closed_today) == (0, 0, 0, 0, 1)
    # ENF KPIs: registered 3 (cases 1-3), dispatched 3, returned 1, fed back 1 (2 h, on time);
    # handle_due = fed back (1) + late open (case 1) = 2
    assert (enf.kpi.registered, enf.kpi.dispatched, enf.returned, enf.kpi.fed_back) == (3, 3, 1, 1)
    assert enf.kpi.handle_due == 2 and enf.on_time_handling_rate == 0.5 and enf.avg_handling_hours == 2.0
    assert gov.avg_handling_hours == 4.0 and gov.on_time_handling_rate == 0.0 and gov.kpi.reworked == 1
    total = agg.total()
    assert (total.open, total.overdue, total.due_soon) == (3, 1, 1)
    k = compute(agg.kpi_counts())
    # registered 5 (1-5), due = closed 2 (none past the whole deadline), closed on time 1, local 1 of 2
    assert (k.counts.registered, k.counts.due, k.counts.closed) == (5, 2, 2)
    assert k.closure_rate == 1.0 and k.on_time_closure_rate == 0.5 and k.local_resolution_rate == 0.5
    assert k.rework_rate == 0.5 and k.return_rate == 1 / 4 and k.avg_handling_hours == 3.0
    # the township grouping and the category (大类) grouping
    assert agg.stats("township", T1).open == 3
    assert agg.stats("category", "01").open == 3 and agg.stats("category", "02").closed_today == 1
    # time moves: case 2 becomes overdue without any change event
    later = NOW + 2 * h
    assert agg.stats("department", ENF, later).overdue == 2
    assert agg.stats("department", ENF, later).due_soon == 0
    # the trends: 6 cases created 5 h ago in scope (not case 7), 2 closed 1 h ago
    hours = agg.trend("h")[""]
    assert sum(n for _, n, _ in hours) == 6 and sum(k for _, _, k in hours) == 2
    by_source = agg.trend("d", "source")
    assert sum(n for _, n, _ in by_source[Source.HOTLINE_12345.value]) == 1
    assert agg.rows_in_scope == 6
    ws.close()


def test_cases_changed_moves_the_counters_incrementally(workspace, clock) -> None:  # type: ignore[no-untyped-def]
    agg = Aggregates(workspace.engine, workspace.ref, clock)
    agg.recount()
    assert agg.total().open == 5 and agg.total().kpi.registered == 0
    seen: list[CasesChanged] = []
    workspace.events.cases_changed.connect(seen.append)
    workspace.events.cases_changed.connect(lambda e: agg.apply_changes(e.case_ids))
    ids = [r["id"] for r in _queue(workspace, clock)]
    workspace.commands.apply(Command(C.ACCEPT, ids[0], OPERATOR, {}))
    workspace.commands.apply(Command(C.DISPATCH, ids[0], OPERATOR, {"department_code": ENF}))
    assert agg.stats("department", ENF).open == 1 and agg.total().kpi.registered == 1
    workspace.commands.apply(Command(C.REJECT, ids[1], OPERATOR, {"reason": "重复"}))
    assert agg.total().open == 4
    assert len(seen) == 3


def _queue(ws, clock):  # type: ignore[no-untyped-def]
    with ws.read() as conn:
        return queries.queue(conn, queries.QueueFilter(), clock())


ACTORS = [OPERATOR, LEAD, SUPERVISOR, COUNTY_OP, HANDLER, OTHER_HANDLER]
PAYLOADS = [
    {},
    {"reason": "理由", "opinion": "意见", "text": "备注"},
    {"department_code": ENF, "reason": "r", "opinion": "o"},
    {"department_code": GOV, "reason": "r"},
    {"department_code": "D-330122-police", "reason": "r"},
    {"centre_code": T2, "opinion": "交办"},
    {"minutes": 120, "reason": "需要时间"},
    {"satisfaction": "satisfied"},
    {"category_code": "1001", "priority": "urgent"},
]
NEXT = {
    Status.REPORTED: [C.ACCEPT, C.ACCEPT, C.REJECT],
    Status.REGISTERED: [C.DISPATCH],
    Status.DISPATCHED: [C.SIGN, C.SIGN, C.RETURN],
    Status.IN_PROGRESS: [C.FEEDBACK, C.FEEDBACK, C.SUSPEND, C.SUPERVISE],
    Status.AWAITING_CHECK: [C.CHECK_PASS, C.CHECK_PASS, C.REWORK],
    Status.CLOSED: [C.ARCHIVE, C.REOPEN, C.EVALUATE],
}


def test_incremental_equals_full_recount_after_random_commands(tmp_path) -> None:  # type: ignore[no-untyped-def]
    for seed in range(4):
        rng = random.Random(seed)
        clock = FakeClock(NOW - timedelta(days=2))
        ws = make_workspace(tmp_path / f"r{seed}.db", clock)
        inc = Aggregates(ws.engine, ws.ref, clock, period_days=7)
        inc.recount()
        ws.events.cases_changed.connect(lambda e, inc=inc: inc.apply_changes(e.case_ids))
        ids: list[str] = []
        compared = applied = 0
        for step in range(240):
            clock.advance(minutes=rng.choice([1, 5, 20, 60]))
            if step % 12 == 11:  # a checkpoint: incremental == a fresh full recount
                if inc.needs_recount():
                    inc.recount()
                full = Aggregates(ws.engine, ws.ref, clock, period_days=7)
                full.recount()
                assert full.windows == inc.windows
                assert inc.snapshot() == full.snapshot()
                compared += 1
            if not ids or rng.random() < 0.12:
                cid = new_id()
                grid = GRID1 if rng.random() < 0.85 else GRID2
                out = ws.commands.apply(Command(C.CREATE, cid, GRIDDER, {
                    "title": f"事件{step}", "grid_code": grid, "category_code": rng.choice(["0101", "0201", "0501"]),
                    "priority": rng.choice([p.value for p in Priority]), "source": rng.choice([s.value for s in Source]),
                }))
                if out.ok:
                    ids.append(cid)
                continue
            cid = rng.choice(ids)
            case = ws.case(cid)
            assert case is not None
            nxt = NEXT.get(case.status, [C.COMMENT])
            if case.status is Status.AWAITING_CHECK and case.check_passed:
                nxt = [C.CLOSE]
            ctype = rng.choice(nxt) if rng.random() < 0.8 else rng.choice([c for c in C if c is not C.CREATE])
            payload = rng.choice(PAYLOADS)
            if ctype is C.DISPATCH:
                payload = {"department_code": rng.choice([ENF, GOV])}
            if ctype is C.FEEDBACK:
                payload = {"opinion": "已处理"}
            actor = rng.choice(ACTORS)
            if ctype in (C.ACCEPT, C.DISPATCH, C.REJECT, C.REASSIGN):
                actor = OPERATOR
            elif ctype in (C.SIGN, C.FEEDBACK, C.RETURN, C.REQUEST_EXTENSION):
                actor = HANDLER if case.department_code == ENF else OTHER_HANDLER
            elif ctype is C.SUPERVISE:
                actor = SUPERVISOR
            elif ctype in (C.CHECK_PASS, C.CLOSE, C.REWORK, C.ARCHIVE, C.REOPEN, C.SUSPEND, C.RESUME):
                actor = LEAD
            applied += ws.commands.apply(Command(ctype, cid, actor, payload)).ok
        assert compared == 20 and applied > 40
        if inc.needs_recount():
            inc.recount()
        full = Aggregates(ws.engine, ws.ref, clock, period_days=7)
        full.recount()
        assert inc.snapshot() == full.snapshot()
        closed = sum(1 for r in full.snapshot()["rows"].values() if r[14] is not None)
        assert closed > 0
        # and both agree with the SQL of services.queries
        now = clock()
        with ws.read() as conn:
            sql_w = queries.workloads(conn, now)
            start = datetime.fromtimestamp(full.windows.period_start, UTC)
            end = datetime.fromtimestamp(full.windows.period_end, UTC)
            sql_k = queries.kpi_counts(conn, start, end, now)
            sql_s = queries.status_counts(conn, [], now)
        for dept, wl in sql_w.items():
            s = full.stats("department", dept)
            assert (s.open, s.overdue, s.due_soon, s.supervised) == (wl.open, wl.overdue, wl.due_soon, wl.supervised)
        assert full.kpi_counts() == sql_k
        assert full.total().overdue == sql_s["overdue"] and full.total().due_soon == sql_s["due_soon"]
        assert sum(s.open for s in full.table("department").values()) == sum(w.open for w in sql_w.values())
        ws.close()


def test_windows_and_bin_labels() -> None:
    w = Windows.at(NOW, 7)
    assert w.period_end - w.period_start == 7 * 86400
    assert local_day(w.today_start) == w.today and local_day(w.today_start - 1) == w.today - 1
    assert bin_label("h", int(NOW.timestamp()) // 3600) == "14"
    assert bin_label("d", w.today) == "11-24"


def test_a_change_during_a_recount_is_not_lost(workspace, clock, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    agg = Aggregates(workspace.engine, workspace.ref, clock)
    agg.recount()
    ids = [r["id"] for r in _queue(workspace, clock)]
    real = Aggregates._read_rows
    done: list[int] = []

    def read_then_change(self, which):  # type: ignore[no-untyped-def]
        rows = real(self, which)
        if which is None and not done:  # the recount has read; a change commits and is announced
            done.append(1)
            assert workspace.commands.apply(Command(C.ACCEPT, ids[0], OPERATOR, {})).ok
            agg.apply_changes([ids[0]])
        return rows

    monkeypatch.setattr(Aggregates, "_read_rows", read_then_change)
    agg.recount()
    monkeypatch.undo()
    assert done and agg.total().kpi.registered == 1
    full = Aggregates(workspace.engine, workspace.ref, clock)
    full.recount()
    assert agg.snapshot() == full.snapshot()
