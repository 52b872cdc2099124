"""The command path and queries over a real SQLite file."""

from __future__ import annotations

import json
import sqlite3
import threading

from sqlalchemy import func, select

from commandcenter.domain.case import Command, new_id
from commandcenter.domain.enums import CommandType as C
from commandcenter.domain.enums import SlaState, Status
from commandcenter.services import queries
from commandcenter.services.events import CasesChanged
from commandcenter.services.queries import QueueFilter
from commandcenter.store import schema as t
from tests.conftest import GRID1, GRIDDER, HANDLER, LEAD, OPERATOR, T1, make_workspace


def _counts(ws):  # type: ignore[no-untyped-def]
    with ws.read() as conn:
        return tuple(
            conn.execute(select(func.count()).select_from(tb)).scalar_one()
            for tb in (t.cases, t.case_history, t.outbox)
        )


def test_apply_writes_case_history_and_outbox_together(workspace) -> None:  # type: ignore[no-untyped-def]
    assert _counts(workspace) == (5, 5, 5)
    seen: list[CasesChanged] = []
    workspace.events.cases_changed.connect(seen.append)
    with workspace.read() as conn:
        case_id = conn.execute(select(t.cases.c.id).limit(1)).scalar_one()
    out = workspace.commands.apply(Command(C.ACCEPT, case_id, OPERATOR, {"opinion": "受理"}, base_version=1))
    assert out.ok and out.case.status is Status.REGISTERED
    assert _counts(workspace) == (5, 6, 6)
    assert workspace.case(case_id).version == 2
    hist = workspace.history(case_id)
    assert [h["action"] for h in hist] == ["create", "accept"] and hist[1]["actor"] == "op1"
    assert seen == [CasesChanged((case_id,), (), "local")]
    with workspace.read() as conn:
        row = conn.execute(select(t.outbox).order_by(t.outbox.c.seq.desc()).limit(1)).one()
    assert row.type == "accept" and row.client_seq == 6 and json.loads(row.actor)["role"] == "operator"


def test_refused_command_changes_nothing(workspace) -> None:  # type: ignore[no-untyped-def]
    with workspace.read() as conn:
        case_id = conn.execute(select(t.cases.c.id).limit(1)).scalar_one()
    before = workspace.case(case_id)
    out = workspace.commands.apply(Command(C.CLOSE, case_id, LEAD, {}))
    assert not out.ok and "结案" in out.reason
    assert workspace.case(case_id) == before and _counts(workspace) == (5, 5, 5)


def test_same_command_twice_is_applied_once(workspace) -> None:  # type: ignore[no-untyped-def]
    cmd = Command(C.CREATE, new_id(), GRIDDER, {"title": "重复提交", "grid_code": GRID1})
    assert workspace.commands.apply(cmd).ok
    again = workspace.commands.apply(cmd)
    assert not again.ok and again.decision.code == "duplicate"
    assert _counts(workspace) == (6, 6, 6)


def test_codes_are_county_date_sequence(workspace) -> None:  # type: ignore[no-untyped-def]
    with workspace.read() as conn:
        codes = sorted(r[0] for r in conn.execute(select(t.cases.c.code)))
    assert codes == [f"33012220261124{i:05d}" for i in range(1, 6)]


def test_concurrent_writers_from_threads_lose_nothing(tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    ws = make_workspace(tmp_path / "c.db", clock)
    errors: list[str] = []

    def work(k: int) -> None:
        for i in range(25):
            out = ws.commands.apply(Command(C.CREATE, new_id(), GRIDDER, {"title": f"并发{k}-{i}", "grid_code": GRID1}))
            if not out.ok:
                errors.append(out.reason)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == [] and _counts(ws) == (100, 100, 100)
    ws.close()
    db = sqlite3.connect(tmp_path / "c.db")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    seqs = [r[0] for r in db.execute("select client_seq from outbox order by seq")]
    assert seqs == list(range(1, 101))


def test_queue_filters_sort_and_search(workspace, clock) -> None:  # type: ignore[no-untyped-def]
    now = clock()
    with workspace.read() as conn:
        ids = [r[0] for r in conn.execute(select(t.cases.c.id).order_by(t.cases.c.code))]
    workspace.commands.apply(Command(C.ACCEPT, ids[0], OPERATOR, {}))
    workspace.commands.apply(Command(C.DISPATCH, ids[0], OPERATOR, {"department_code": "D-330122001-enforcement"}))
    workspace.commands.apply(Command(C.SIGN, ids[0], HANDLER, {}))
    with workspace.read() as conn:
        q = QueueFilter(centres=(T1,))
        assert queries.queue_count(conn, q, now) == 5
        assert queries.queue_count(conn, q.with_(statuses=(Status.IN_PROGRESS,)), now) == 1
        assert queries.queue_count(conn, q.with_(departments=("D-330122001-enforcement",)), now) == 1
        assert [r["address"] for r in queries.queue(conn, q.with_(text="白云路3号"), now)] == ["白云路3号"]
        assert queries.queue_count(conn, q.with_(text="138123"), now) == 5
        assert queries.queue_count(conn, q.with_(text="100%_"), now) == 0
        assert queries.queue_count(conn, q.with_(category="01"), now) == 5
        assert queries.queue_count(conn, q.with_(category="10"), now) == 0
        rows = queries.queue(conn, q.with_(sort="code", descending=True), now)
        assert [r["code"] for r in rows] == sorted((r["code"] for r in rows), reverse=True)
        later = clock.advance(days=30)
        assert queries.queue_count(conn, q.with_(sla=SlaState.OVERDUE), later) == 5
        assert queries.queue_count(conn, q.with_(sla=SlaState.NORMAL), now) == 5
        counts = queries.status_counts(conn, [T1], later)
        assert counts["reported"] == 4 and counts["in_progress"] == 1 and counts["overdue"] == 5
        loads = queries.workloads(conn, later, [T1])
        assert loads["D-330122001-enforcement"].open == 1 and loads["D-330122001-enforcement"].overdue == 1
