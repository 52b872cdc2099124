"""The history's priority order (services/queries._first_ids: one arm per priority over
ix_cases_priority_code) lists exactly the rows, in exactly the order, of the plain query,
page by page."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from commandcenter.domain.enums import Priority, Status
from commandcenter.services import queries
from commandcenter.services.queries import QueueFilter
from commandcenter.store import repo
from commandcenter.store import schema as t
from commandcenter.store.engine import write_tx
from tests.conftest import T1, T2, make_workspace

CLOSED = QueueFilter(statuses=(Status.CLOSED, Status.ARCHIVED), open_only=False, sort="priority")


def _plain(conn: Connection, f: QueueFilter, now: datetime) -> list[str]:
    """The rows in the filter's order, by the one-query plan (every row sorted)."""
    _key, w, order = queries._page_parts(f, now, None, None, True)
    return [r[0] for r in conn.execute(select(t.cases.c.id).where(*w).order_by(*order))]


def _paged(conn: Connection, f: QueueFilter, now: datetime, page: int) -> list[str]:
    out: list[str] = []
    after = None
    while True:
        rows = queries.queue_page(conn, f, now, limit=page, after=after)
        out += [r["id"] for r in rows]
        if len(rows) < page:
            return out
        after = queries.queue_key(rows[-1])


def test_priority_order_of_the_history_is_the_plain_order(tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    ws = make_workspace(tmp_path / "p.db", clock, n_cases=1)
    rng = random.Random(3)
    with ws.read() as conn:
        base = dict(conn.execute(select(t.cases).limit(1)).mappings().one())
    rows: list[dict[str, Any]] = []
    statuses = [Status.CLOSED, Status.ARCHIVED, Status.IN_PROGRESS, Status.REJECTED]
    for i in range(240):
        r = dict(base)
        st = rng.choice(statuses)
        r.update(id=f"p{i:04d}", code=f"3301222026{rng.randint(0, 99999999):08d}{i:03d}",
                 priority=rng.choice(list(Priority)).value, status=st.value,
                 is_open=st is Status.IN_PROGRESS, centre_code=rng.choice([T1, T2]))
        rows.append(r)
    with write_tx(ws.engine) as conn:
        repo.bulk_insert_cases(conn, rows)
    now = clock()
    with ws.read() as conn:
        for f in (CLOSED, CLOSED.with_(descending=True), CLOSED.with_(centres=(T2,)),
                  CLOSED.with_(centres=(T1,), descending=True), CLOSED.with_(statuses=(), open_only=False)):
            want = _plain(conn, f, now)
            assert len(want) > 30
            for page in (1, 7, 50, 1000):
                assert _paged(conn, f, now, page) == want, (f, page)
            # the window re-queried up to a position, as the model's refresh does
            upto = queries.queue_key(queries.queue_page(conn, f, now, limit=40)[-1])
            keys = queries.queue_page_keys(conn, f, now, limit=1000, upto=upto)
            assert [k[0] for k in keys] == want[:40]
            keys = queries.queue_page_keys(conn, f, now, limit=30)
            assert [k[0] for k in keys] == want[:30]
        # the plan: one arm per priority, from the (priority, code) index
        q = queries.queue_page_select(CLOSED, now, 500)
        sql = str(q.compile(ws.engine, compile_kwargs={"literal_binds": True}))
        plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
        assert plan.count("ix_cases_priority_code") == len(Priority)
    ws.close()
