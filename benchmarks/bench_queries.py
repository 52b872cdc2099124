#!/usr/bin/env python
"""Read-side query benchmark on the 1M-case store made by bench_load.py.

    .venv/bin/python benchmarks/bench_queries.py [--db PATH] [--repeat 50] [--centre CODE]
                                                 [--no-explain] [--experiment NAME ...]

Times the services' queries exactly as the GUI calls them
(commandcenter.services.queries): the first page (200 rows) of the queue for
one township centre, county-wide, several centres, status-filtered and a
free-text search; the department workloads over all centres and one centre;
the KPI counts over the last 30 days; queue_count/status_counts for the tabs.

Each query gets a fresh connection (make_engine with NullPool: a new sqlite3
connection with the project's pragmas), is run once to warm up, then --repeat
times, each in its own read transaction; p50/p95 in ms are reported against
the targets (queue first page <= 20 ms, workloads <= 300 ms). "now" is the time
the rows were generated around (meta key bench_now written by bench_load.py).

EXPLAIN QUERY PLAN is printed once for every SQL statement a query issues
(captured with a before_cursor_execute listener, so it is the exact SQL).

--experiment NAME (repeatable) re-runs the suite on a copy of the store with a
candidate change applied (an extra index / ANALYZE) and prints before/after;
the store itself and the project's code are not changed. See EXPERIMENTS.
Results go to benchmarks/out/queries.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import sqlalchemy
from sqlalchemy import Connection, Engine, event
from sqlalchemy.pool import NullPool

from commandcenter.domain.enums import OPEN_STATUSES, SlaState, Status
from commandcenter.domain.timeutil import from_epoch
from commandcenter.services import queries as q
from commandcenter.sim.demo import COUNTY_CODE
from commandcenter.store.engine import make_engine

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
PAGE_MS = 20.0
WORKLOAD_MS = 300.0

# ---------------------------------------------------------------- experiments
# Candidate store/query changes, tried on a COPY of the store (--experiment NAME, repeatable,
# cumulative). DDL goes into the copy only; a patch monkeypatches commandcenter.services.queries
# for the experiment run only and is undone afterwards. Nothing of the project is edited.


def _patch_open_implied() -> Callable[[], None]:
    """_where(): a status filter made only of open statuses also says `is_open IS 1`
    (logically implied), so the planner may use an index over the open cases."""
    orig = q._where
    open_values = {s.value for s in OPEN_STATUSES}

    def _where(f: q.QueueFilter, now: datetime, plan: Any = None) -> list[Any]:
        w = orig(f, now, plan)
        if f.statuses and {s.value for s in f.statuses} <= open_values:
            w.append(q.c.is_open.is_(True))
        return w

    q._where = _where

    def undo() -> None:
        q._where = orig

    return undo


@dataclass(frozen=True)
class Experiment:
    note: str
    ddl: tuple[str, ...] = ()
    patch: Callable[[], Callable[[], None]] | None = None


EXPERIMENTS: dict[str, Experiment] = {
    "open_partial": Experiment(
        "two small partial indexes over the open cases only (30k of 1M rows). is_open leads although it "
        "is constant, so that `is_open IS 1` is an index constraint: the planner then prefers them "
        "(without it, count(*) kept scanning a full index)",
        (
            "CREATE INDEX ix_cases_open_deadline ON cases (is_open, stage_deadline) WHERE is_open IS 1",
            "CREATE INDEX ix_cases_open_status ON cases (is_open, status, stage_deadline) WHERE is_open IS 1",
        ),
    ),
    "open_partial_plain": Experiment(
        "open_partial without the leading is_open column",
        (
            "CREATE INDEX ix_cases_open_deadline ON cases (stage_deadline) WHERE is_open IS 1",
            "CREATE INDEX ix_cases_open_status ON cases (status, stage_deadline) WHERE is_open IS 1",
        ),
    ),
    "open_implied": Experiment(
        "query change: an all-open status filter adds `is_open IS 1` (so the status tabs can use "
        "the partial indexes)", (), _patch_open_implied),
    "open_centre_status": Experiment(
        "partial index for one centre's open cases by status: the tab counts (status_counts GROUP BY "
        "status) and, with open_implied, the status tabs",
        ("CREATE INDEX ix_cases_open_centre_status ON cases (centre_code, is_open, status, stage_deadline) "
         "WHERE is_open IS 1",),
    ),
    "open_dept": Experiment(
        "partial index for workloads (open cases per department; not needed for the 300 ms target)",
        ("CREATE INDEX ix_cases_open_dept ON cases (is_open, department_code) WHERE is_open IS 1",),
    ),
    "centre_updated": Experiment(
        "index for the 已结案 tab of one centre (ORDER BY updated_at DESC)",
        ("CREATE INDEX ix_cases_centre_updated ON cases (centre_code, updated_at)",),
    ),
    "centre_accepted": Experiment(
        "index for kpi_counts of one centre (accepted_at range)",
        ("CREATE INDEX ix_cases_centre_accepted ON cases (centre_code, accepted_at)",),
    ),
    "open_full": Experiment(
        "alternative to open_partial without query change: full indexes with is_open/status leading",
        (
            "CREATE INDEX ix_cases_open_deadline ON cases (is_open, stage_deadline)",
            "CREATE INDEX ix_cases_status_deadline ON cases (status, stage_deadline)",
        ),
    ),
    "analyze": Experiment("planner statistics (ANALYZE); the project never runs ANALYZE/PRAGMA optimize",
                          ("ANALYZE",)),
}


@dataclass
class Bench:
    name: str
    kind: str  # "page", "workloads", "kpi", "count"
    fn: Callable[[Connection], Any]
    target_ms: float | None


def pctl(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    if len(xs) == 1:
        return xs[0]
    k = (len(xs) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def bench_now(db: Path) -> int:
    con = sqlite3.connect(str(db))
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'bench_now'").fetchone()
        if row:
            return int(row[0])
        return int(con.execute("SELECT max(created_at) FROM cases").fetchone()[0])
    finally:
        con.close()


def busiest_township(db: Path) -> str:
    con = sqlite3.connect(str(db))
    try:
        row = con.execute(
            "SELECT centre_code FROM cases WHERE centre_code != ? AND is_open IS 1 "
            "GROUP BY centre_code ORDER BY count(*) DESC LIMIT 1", (COUNTY_CODE,)).fetchone()
        return str(row[0])
    finally:
        con.close()


def township_centres(db: Path) -> list[str]:
    con = sqlite3.connect(str(db))
    try:
        return [r[0] for r in con.execute("SELECT code FROM centres WHERE code != ? ORDER BY code", (COUNTY_CODE,))]
    finally:
        con.close()


def gui_tabs() -> list[tuple[str, q.QueueFilter]]:
    """The main window's tabs (gui/views/main_window.py _make_work_sets), repeated here
    so that this benchmark does not import Qt."""
    F, S = q.QueueFilter, Status
    return [
        ("reported", F(statuses=(S.REPORTED,))),
        ("registered", F(statuses=(S.REGISTERED,))),
        ("handling", F(statuses=(S.DISPATCHED, S.IN_PROGRESS))),
        ("checking", F(statuses=(S.AWAITING_CHECK,))),
        ("due_soon", F(sla=SlaState.DUE_SOON)),
        ("overdue", F(sla=SlaState.OVERDUE)),
        ("supervised", F(supervised=True)),
        ("escalated", F(escalated=True)),
        ("open", F(open_only=True)),
        ("closed", F(statuses=(S.CLOSED, S.ARCHIVED), open_only=False, sort="updated", descending=True)),
    ]


_dept_cache: dict[str, str] = {}


def busiest_dept(conn: Connection, centre: str) -> str:
    """The department of ``centre`` with the most cases (looked up once, untimed after)."""
    if centre not in _dept_cache:
        _dept_cache[centre] = str(conn.exec_driver_sql(
            "SELECT department_code FROM cases WHERE centre_code = ? AND department_code IS NOT NULL "
            "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1", (centre,)).scalar())
    return _dept_cache[centre]


def suite(now_s: int, centre: str, towns: list[str], limit: int) -> list[Bench]:
    now = from_epoch(now_s)
    assert now is not None
    F = q.QueueFilter
    multi = (COUNTY_CODE, *[t for t in towns if t != centre][:3])
    month_ago = now - timedelta(days=30)

    def page(f: q.QueueFilter) -> Callable[[Connection], Any]:
        return lambda conn: q.queue(conn, f, now, limit=limit)

    def count(f: q.QueueFilter) -> Callable[[Connection], Any]:
        return lambda conn: q.queue_count(conn, f, now)

    out = [
        # -- the list
        Bench("queue: one centre, open, by deadline", "page", page(F(centres=(centre,))), PAGE_MS),
        Bench("queue: county-wide (centres=()), open", "page", page(F(centres=())), PAGE_MS),
        Bench(f"queue: {len(multi)} centres, open", "page", page(F(centres=multi)), PAGE_MS),
        Bench("queue: one centre, status=in_progress", "page",
              page(F(centres=(centre,), statuses=(Status.IN_PROGRESS,))), PAGE_MS),
        Bench('queue: one centre, open, text="垃圾"', "page", page(F(centres=(centre,), text="垃圾")), PAGE_MS),
    ]
    # -- every tab of the main window, for the home township and for 全县 (centres=())
    for scope, centres in (("centre", (centre,)), ("county", ())):
        for key, f in gui_tabs():
            out.append(Bench(f"tab {key}: {scope}", "page", page(f.with_(centres=centres)), PAGE_MS))
    closed = dict(gui_tabs())["closed"]
    out += [
        Bench('tab closed: centre, text="垃圾"', "page", page(closed.with_(centres=(centre,), text="垃圾")), PAGE_MS),
        Bench('tab closed: county, text="垃圾"', "page", page(closed.with_(text="垃圾")), PAGE_MS),
        # the search index's plans (services/queries.search_plan): a rare word, one character,
        # a word common in one township, a phone number, a word that matches nothing
        *[Bench(f'tab closed: {scope}, text="{text}"', "page", page(closed.with_(centres=cs, text=text)), PAGE_MS)
          for text in ("张", "路", "分水", "13812345678", "没有这个事件")
          for scope, cs in (("centre", (centre,)), ("county", ()))],
        Bench('queue_count: tab closed, county, text="垃圾"', "count", count(closed.with_(text="垃圾")), None),
        Bench('queue_count: tab closed, county, text="没有这个事件"', "count",
              count(closed.with_(text="没有这个事件")), None),
        # a department's history (ix_cases_dept_updated): its own centre, and another centre's
        Bench("tab closed: county, department", "page", lambda conn: q.queue(
            conn, closed.with_(departments=(busiest_dept(conn, centre),)), now, limit=limit), PAGE_MS),
        Bench("tab closed: county centre, a township's department", "page", lambda conn: q.queue(
            conn, closed.with_(centres=(COUNTY_CODE,), departments=(busiest_dept(conn, centre),)), now,
            limit=limit), PAGE_MS),
        Bench("workloads: all centres", "workloads", lambda conn: q.workloads(conn, now), WORKLOAD_MS),
        Bench("workloads: one centre", "workloads", lambda conn: q.workloads(conn, now, (centre,)), WORKLOAD_MS),
        Bench("workloads: all centres + closed last 30 d", "workloads",
              lambda conn: q.workloads(conn, now, (), month_ago, now), WORKLOAD_MS),
        Bench("kpi_counts: last 30 days, county-wide", "kpi",
              lambda conn: q.kpi_counts(conn, month_ago, now, now), None),
        Bench("kpi_counts: last 30 days, one centre", "kpi",
              lambda conn: q.kpi_counts(conn, month_ago, now, now, (centre,)), None),
        Bench("queue_count: open, centre", "count", count(F(centres=(centre,))), None),
        Bench("queue_count: open, county", "count", count(F(centres=())), None),
        Bench("queue_count: overdue, centre", "count", count(F(centres=(centre,), sla=SlaState.OVERDUE)), None),
        Bench("queue_count: tab closed, centre", "count", count(closed.with_(centres=(centre,))), None),
        Bench("queue_count: tab closed, county", "count", count(closed), None),
        Bench("status_counts (tab counts): centre", "count", lambda conn: q.status_counts(conn, (centre,), now), None),
        Bench("status_counts (tab counts): county", "count", lambda conn: q.status_counts(conn, (), now), None),
    ]
    return out


class Capture:
    """Records the SQL + parameters the engine sends while `on`."""

    def __init__(self, engine: Engine) -> None:
        self.on = False
        self.stmts: list[tuple[str, Any]] = []

        @event.listens_for(engine, "before_cursor_execute")
        def _rec(_conn: Any, _cur: Any, statement: str, parameters: Any, _ctx: Any, _many: bool) -> None:
            if self.on and not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA", "EXPLAIN")):
                self.stmts.append((statement, parameters))


def explain(conn: Connection, stmt: str, params: Any) -> list[str]:
    rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + stmt, params).all()
    depth: dict[int, int] = {0: 0}
    out = []
    for node_id, parent, _notused, detail in rows:
        d = depth.get(parent, 0) + 1
        depth[node_id] = d
        out.append("  " * d + detail)
    return out


def run_suite(db: Path, benches: list[Bench], repeat: int, show_plans: bool, label: str = "",
              max_s: float = 20.0) -> list[dict[str, Any]]:
    engine = make_engine(db, poolclass=NullPool)
    cap = Capture(engine)
    results = []
    for b in benches:
        with engine.connect() as conn:  # a fresh sqlite3 connection, pragmas applied
            cap.stmts.clear()
            cap.on = True
            with conn.begin():
                t0 = time.perf_counter()
                out = b.fn(conn)  # warm-up (first run: cold caches, statement compile)
                first_ms = (time.perf_counter() - t0) * 1e3
            cap.on = False
            stmts = list(cap.stmts)
            times: list[float] = []
            budget = time.perf_counter() + max_s
            for _ in range(repeat):
                if times and time.perf_counter() > budget:
                    break  # a slow query: fewer runs (the count is reported)
                t0 = time.perf_counter()
                with conn.begin():
                    b.fn(conn)
                times.append((time.perf_counter() - t0) * 1e3)
            plans: list[dict[str, Any]] = []
            with conn.begin():  # the plan of every statement the query issued
                for s, p in stmts:
                    plans.append({"sql": " ".join(s.split()), "plan": explain(conn, s, p)})
        size = len(out) if isinstance(out, list | dict) else None
        r = {
            "name": b.name,
            "kind": b.kind,
            "p50_ms": round(statistics.median(times), 3),
            "p95_ms": round(pctl(times, 0.95), 3),
            "min_ms": round(min(times), 3),
            "max_ms": round(max(times), 3),
            "first_ms": round(first_ms, 3),
            "runs": len(times),
            "target_ms": b.target_ms,
            "ok": None if b.target_ms is None else pctl(times, 0.95) <= b.target_ms,
            "result_size": size,
            "result": out if b.kind == "count" else None,
            "plans": plans,
        }
        results.append(r)
        if show_plans:
            print(f"\n-- {label}{b.name}")
            for pl in plans:
                print("   " + short_sql(pl["sql"]))
                for line in pl["plan"]:
                    print("   " + line)
    engine.dispose()
    return results


def print_table(results: list[dict[str, Any]], title: str) -> None:
    print(f"\n{title}")
    print(f"{'query':<44} {'p50 ms':>8} {'p95 ms':>8} {'first':>8} {'runs':>4} {'target':>6}  {'':4} {'rows':>7}")
    for r in results:
        tgt = "" if r["target_ms"] is None else f"<={r['target_ms']:.0f}"
        ok = "" if r["ok"] is None else ("OK" if r["ok"] else "SLOW")
        size = r["result"] if isinstance(r["result"], int) else r["result_size"]
        print(f"{r['name']:<44} {r['p50_ms']:>8.2f} {r['p95_ms']:>8.2f} {r['first_ms']:>8.1f} {r['runs']:>4} "
              f"{tgt:>6}  {ok:4} {'' if size is None else size:>7}")


def short_sql(sql: str) -> str:
    """The SQL with a long select list abbreviated (the plans are about WHERE/ORDER BY)."""
    sql = " ".join(sql.split())
    if sql.startswith("SELECT ") and " FROM cases" in sql:
        cols = sql[7:sql.index(" FROM cases")]
        if len(cols) > 160:
            sql = f"SELECT <{cols.count(',') + 1} columns>" + sql[sql.index(" FROM cases"):]
    return sql


def copy_store(src: Path, dst: Path) -> None:
    con = sqlite3.connect(str(src), isolation_level=None)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    for suffix in ("", "-wal", "-shm"):
        p = Path(str(dst) + suffix)
        if p.exists():
            p.unlink()
    shutil.copyfile(src, dst)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, default=OUT / "bench_1m.db")
    ap.add_argument("--repeat", type=int, default=50)
    ap.add_argument("--centre", default=None, help="the township centre (default: the one with most open cases)")
    ap.add_argument("--limit", type=int, default=200, help="page size (the GUI model loads 500)")
    ap.add_argument("--max-seconds", type=float, default=20.0,
                    help="stop repeating a query after this many seconds (slow queries get fewer runs)")
    ap.add_argument("--no-explain", action="store_true", help="do not print the query plans")
    ap.add_argument("--experiment", action="append", default=[], choices=sorted(EXPERIMENTS),
                    help="also run on a copy of the store with this change (repeatable; applied cumulatively)")
    ap.add_argument("--only", action="append", default=[],
                    help="run only the queries whose name contains this text (repeatable)")
    ap.add_argument("--json", type=Path, default=None,
                    help="default: benchmarks/out/queries.json, or queries_<experiments>.json with --experiment")
    args = ap.parse_args(argv)

    db: Path = args.db.resolve()
    if not db.exists():
        print(f"no store at {db}: run benchmarks/bench_load.py first", file=sys.stderr)
        return 2
    now_s = bench_now(db)
    centre = args.centre or busiest_township(db)
    towns = township_centres(db)
    con = sqlite3.connect(str(db))
    n_rows = int(con.execute("SELECT count(*) FROM cases").fetchone()[0])
    n_open = int(con.execute("SELECT count(*) FROM cases WHERE is_open IS 1").fetchone()[0])
    n_open_c = int(con.execute("SELECT count(*) FROM cases WHERE is_open IS 1 AND centre_code = ?",
                               (centre,)).fetchone()[0])
    n_c = int(con.execute("SELECT count(*) FROM cases WHERE centre_code = ?", (centre,)).fetchone()[0])
    has_stat = bool(con.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()[0])
    con.close()
    print(f"bench_queries: {db} ({n_rows:,} cases, {n_open:,} open), now="
          f"{datetime.fromtimestamp(now_s, timezone.utc):%Y-%m-%d %H:%M}Z, repeat={args.repeat}")
    print(f"  centre {centre}: {n_c:,} cases, {n_open_c:,} open; sqlite_stat1 present: {has_stat}")
    print(f"  python {platform.python_version()}, SQLAlchemy {sqlalchemy.__version__}, SQLite {sqlite3.sqlite_version}, "
          f"{os.cpu_count()} cpus")

    benches = suite(now_s, centre, towns, args.limit)
    if args.only:
        benches = [b for b in benches if any(o in b.name for o in args.only)]
    base = run_suite(db, benches, args.repeat, not args.no_explain, max_s=args.max_seconds)
    print_table(base, "results (ms; p95 is checked against the target)")

    out: dict[str, Any] = {
        "benchmark": "queries",
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "sqlalchemy": sqlalchemy.__version__,
                    "sqlite": sqlite3.sqlite_version, "cpus": os.cpu_count(), "platform": platform.platform()},
        "db": str(db),
        "rows": n_rows,
        "open": n_open,
        "centre": centre,
        "centre_rows": n_c,
        "centre_open": n_open_c,
        "now": now_s,
        "repeat": args.repeat,
        "limit": args.limit,
        "sqlite_stat1": has_stat,
        "results": base,
    }

    if args.experiment:
        exp_db = db.with_name(db.stem + "_experiment" + db.suffix)
        copy_store(db, exp_db)
        ddl: list[str] = []
        undos: list[Callable[[], None]] = []
        try:
            con = sqlite3.connect(str(exp_db), isolation_level=None)
            for name in args.experiment:
                ex = EXPERIMENTS[name]
                print(f"\n[experiment {name}] {ex.note}")
                for stmt in ex.ddl:
                    t0 = time.perf_counter()
                    con.execute(stmt)
                    ddl.append(stmt)
                    print(f"   {stmt}  ({time.perf_counter() - t0:.1f}s)")
                if ex.patch is not None:
                    undos.append(ex.patch())
                    print(f"   monkeypatch {ex.patch.__name__} for this run")
            con.close()
            exp = run_suite(exp_db, benches, args.repeat, not args.no_explain, label="[experiment] ",
                            max_s=args.max_seconds)
        finally:
            for undo in reversed(undos):
                undo()
            for suffix in ("", "-wal", "-shm"):
                p = Path(str(exp_db) + suffix)
                if p.exists():
                    p.unlink()
        label = "+".join(args.experiment)
        print_table(exp, f"with experiment {label}")
        print(f"\nbefore/after ({label}), p50 / p95 ms")
        for b, e in zip(base, exp, strict=True):
            print(f"{b['name']:<46} {b['p50_ms']:>8.2f} {b['p95_ms']:>8.2f}  ->  {e['p50_ms']:>8.2f} {e['p95_ms']:>8.2f}")
        out["experiment"] = {"names": args.experiment, "notes": [EXPERIMENTS[n].note for n in args.experiment],
                             "patches": [fn.__name__ for n in args.experiment
                                         if (fn := EXPERIMENTS[n].patch) is not None],
                             "ddl": ddl, "results": exp}

    if args.json is None:
        args.json = OUT / ("queries.json" if not args.experiment else f"queries_{'+'.join(args.experiment)}.json")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(out, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
