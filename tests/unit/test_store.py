"""The store: migrations, pragmas, mapping, KPI SQL against the Python formulas."""

from __future__ import annotations

import random
import sqlite3
from datetime import timedelta

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select

from commandcenter.domain.case import Command, new_id
from commandcenter.domain.enums import CommandType as C
from commandcenter.domain.kpi import count_cases
from commandcenter.services import queries
from commandcenter.store import repo
from commandcenter.store import schema as t
from commandcenter.store.engine import make_engine, make_url
from commandcenter.store.migrate import current_revision, upgrade
from tests.conftest import GRID1, GRIDDER, HANDLER, LEAD, OPERATOR, make_workspace

# the search index's FTS5 tables (SQLite) are not in schema.py: Alembic cannot reflect them
_ONLY_MANAGED = {"include_name": lambda name, type_, _p: type_ != "table" or t.is_managed_table(name)}


def test_baseline_migration_builds_exactly_the_schema(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(tmp_path / "m.db")
    upgrade(engine)
    assert current_revision(engine) == "0003"  # 0002: server and sync tables (issue 4); 0003: search index
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts=_ONLY_MANAGED), t.metadata)
    assert diff == [], f"schema.py and the migrations disagree: {diff}"
    upgrade(engine)  # idempotent
    engine.dispose()


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(tmp_path / "p.db")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
    engine.dispose()
    assert make_url("x.db").startswith("sqlite:////") and make_url("postgresql://h/db") == "postgresql://h/db"


def test_queue_query_uses_the_queue_index(workspace, clock) -> None:  # type: ignore[no-untyped-def]
    q = queries.queue_select(queries.QueueFilter(centres=("330122001",)), clock())
    sql = str(q.compile(workspace.engine, compile_kwargs={"literal_binds": True}))
    with workspace.read() as conn:
        plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
    assert "ix_cases_queue" in plan and "TEMP B-TREE" not in plan


def test_case_round_trips_through_a_row(workspace) -> None:  # type: ignore[no-untyped-def]
    with workspace.read() as conn:
        r = conn.execute(select(t.cases).limit(1)).mappings().one()
    case = repo.row_to_case(r)
    assert repo.case_to_row(case) == dict(r)


def test_kpi_sql_matches_the_python_formulas(tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    ws = make_workspace(tmp_path / "k.db", clock)
    rng = random.Random(5)
    start = clock()
    ids = []
    for i in range(40):
        cid = new_id()
        ids.append(cid)
        ws.commands.apply(Command(C.CREATE, cid, GRIDDER, {"title": f"k{i}", "grid_code": GRID1, "category_code": "0102"}))
    for cid in ids:
        steps = [
            (C.ACCEPT, OPERATOR, {}),
            (C.DISPATCH, OPERATOR, {"department_code": "D-330122001-enforcement"}),
            (C.RETURN, HANDLER, {"reason": "非本部门"}) if rng.random() < 0.2 else (C.SIGN, HANDLER, {}),
            (C.FEEDBACK, HANDLER, {"opinion": "已处理"}),
            (C.REWORK, LEAD, {"reason": "未整改"}) if rng.random() < 0.2 else (C.CHECK_PASS, LEAD, {}),
            (C.CLOSE, LEAD, {}),
        ]
        for ctype, actor, payload in steps[: rng.randint(0, len(steps))]:
            clock.advance(minutes=rng.randint(5, 900))
            ws.commands.apply(Command(ctype, cid, actor, payload))
    now = clock.advance(days=3)
    end = now + timedelta(days=1)
    with ws.read() as conn:
        sql_counts = queries.kpi_counts(conn, start, end, now)
        cases = [repo.row_to_case(r) for r in conn.execute(select(t.cases)).mappings()]
    py_counts = count_cases(cases, start, end, now)
    assert sql_counts == py_counts
    assert py_counts.registered > 20 and py_counts.closed > 0 and py_counts.fed_back > 0
    ws.close()
    assert sqlite3.connect(tmp_path / "k.db").execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_migrations_run_on_postgresql() -> None:
    """The same migrations build the same schema on the machine's PostgreSQL (127.0.0.1:5432)."""
    import uuid

    from sqlalchemy import create_engine, text

    schema = f"cc_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/test")
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine = create_engine(
        "postgresql+psycopg://postgres@127.0.0.1:5432/test", connect_args={"options": f"-csearch_path={schema}"}
    )
    try:
        upgrade(engine)
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts=_ONLY_MANAGED), t.metadata)
            defaults = conn.execute(
                text("SELECT column_default FROM information_schema.columns WHERE table_schema = :s "
                     "AND table_name = 'cases' AND column_name = 'supervised'"), {"s": schema}
            ).scalar()
        assert diff == [], diff
        assert defaults == "false"
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
