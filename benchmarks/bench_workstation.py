#!/usr/bin/env python
"""Workstation benchmark: the duty operator's window over a 1,000,000-case store.

    .venv/bin/python benchmarks/bench_workstation.py [--db PATH] [--source PATH] [--fresh]
            [--only start,filters,live,paging] [--runs 7] [--repeat 3]
            [--rate 500] [--seconds 60] [--writers 1] [--live-tab open] [--live-centre ""]
            [--json PATH]

Measures the figures of issue 3's benchmark on the store at --db (default
benchmarks/out/ws_1m.db, a copy of bench_load.py's 1M store: --source, default
benchmarks/out/bench_1m.db, is copied there when --db does not exist or with --fresh;
the copy is marked as seeded so that main.py opens it):

  start    process start to window shown with the first rows: `python main.py --db DB
           --no-sim --user operator` spawned with QT_QPA_PLATFORM=offscreen, timed from spawn to
           the READY_LINE on stderr (printed from the event loop once the window is shown; the
           window's constructor has loaded the first page synchronously before that). --runs
           runs; p50/max, target <= 1.5 s. The process's VmRSS/VmHWM at READY are recorded too.
  filters  in-process (QApplication offscreen, the real theme, make_main_window at 1920x1080):
           every tab x {the operator's centre, the busiest township, 全县}, the centre combo,
           search texts, department filters, and a re-sort by every sortable column (both
           directions) on the working tabs: time from the change to the model populated (the
           handler returned: query, reset, tab counts) and to the view painted (pending events
           processed). Targets: filter/search <= 150 ms, re-sort <= 500 ms.
  live     --writers writer PROCESSES (this script with --writer) apply --rate case changes per
           second in total for --seconds through Workspace.commands (URGE, COMMENT, ACCEPT,
           DISPATCH, CREATE on the store's open cases) while the window is open on the same store,
           on --live-tab/--live-centre. A watcher thread in the window's process reads the outbox
           every 50 ms and announces the changed cases on workspace.events.cases_changed, as the
           sync worker does for changes pulled from the platform. A 10 ms single-shot QTimer
           chain records how late each tick fires: p50/p95/p99/max (target p99 <= 50 ms).
  paging   fetchMore() page after page (500 rows) on the county-wide 全部在办 tab and on 已结案,
           and a refresh() with those pages loaded.
  memory   VmRSS and VmHWM (/proc/self/status) of this (the window's) process after each part
           (target <= 1 GB).

Prints a table and writes benchmarks/out/workstation.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(ROOT))

READY_TIMEOUT_S = 60.0
TARGETS = {"start_s": 1.5, "filter_ms": 150.0, "sort_ms": 500.0, "lag_p99_ms": 50.0, "rss_mb": 1024.0}


# ---------------------------------------------------------------- helpers


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of values; nan when empty."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, round(p / 100 * len(s) + 0.5) - 1))
    return s[k]


def proc_status(pid: int | str = "self") -> dict[str, float]:
    """VmRSS and VmHWM of a process, in MiB, and VmRSS split into RssAnon (the process's own
    memory) and RssFile (pages of mapped files: libraries, and the store, which every SQLite
    connection maps with PRAGMA mmap_size=256 MiB -- shared with the page cache)."""
    out: dict[str, float] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                out[key] = int(rest.split()[0]) / 1024
    except OSError:
        pass
    return out


def meta(db: Path, key: str) -> str | None:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])
    finally:
        con.close()


def prepare_store(db: Path, source: Path, fresh: bool) -> None:
    """Copy the 1M store (sqlite backup: consistent even with a WAL) and mark it seeded."""
    if fresh or not db.exists():
        if not source.exists():
            sys.exit(f"no store at {source}: build it with  .venv/bin/python benchmarks/bench_load.py --n 1000000")
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        print(f"copying {source} -> {db} ...", flush=True)
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(str(db))
        src.backup(dst, pages=65536)
        src.close()
        dst.close()
    con = sqlite3.connect(str(db))
    try:
        if con.execute("SELECT 1 FROM meta WHERE key = 'seeded'").fetchone() is None:
            # bench_load writes the reference data and users but not the demo's 'seeded' mark,
            # without which main.py refuses a non-empty store
            con.execute("INSERT INTO meta (key, value) VALUES ('seeded', 'bench_workstation')")
        # nor the daily code sequences: without them a new case gets code ...00001 of a day that
        # already has cases, and CREATE fails on the unique code
        con.execute(
            "INSERT OR REPLACE INTO code_sequences (prefix, last) "
            "SELECT substr(code, 1, 14), max(CAST(substr(code, 15) AS INTEGER)) FROM cases "
            "WHERE length(code) = 19 GROUP BY substr(code, 1, 14)"
        )
        con.commit()
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


class BenchClock:
    """`now` as the store was generated (meta bench_now), moving with the wall clock from t0."""

    def __init__(self, base_epoch: float, t0_wall: float) -> None:
        self.base = base_epoch
        self.t0 = t0_wall

    def __call__(self) -> datetime:
        return datetime.fromtimestamp(self.base + (time.time() - self.t0), timezone.utc)


# ---------------------------------------------------------------- (a) start


def bench_start(db: Path, runs: int) -> dict[str, Any]:
    from commandcenter.gui.app import READY_LINE

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    times: list[float] = []
    mem: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="bench_ws_logs") as logs:
        for i in range(runs):
            cmd = [sys.executable, str(ROOT / "main.py"), "--db", str(db), "--no-sim", "--user", "operator",
                   "--idle-lock-minutes", "0", "--log-dir", logs]
            t0 = time.perf_counter()
            proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                    text=True, encoding="utf-8")
            assert proc.stderr is not None
            ready = None
            lines: list[str] = []
            deadline = t0 + READY_TIMEOUT_S
            while time.perf_counter() < deadline:
                line = proc.stderr.readline()
                if not line:
                    break
                if READY_LINE in line:
                    ready = time.perf_counter() - t0
                    break
                lines.append(line)
            if ready is not None:
                mem.append(proc_status(proc.pid))
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            if ready is None:
                raise SystemExit("main.py did not show its window:\n" + "".join(lines[-20:]))
            times.append(ready)
            print(f"  start run {i + 1}: {ready:.3f} s  (RSS {mem[-1].get('VmRSS', 0):.0f} MiB)", flush=True)
    return {
        "runs_s": times,
        "p50_s": statistics.median(times),
        "max_s": max(times),
        "rss_mb_at_ready": max(m.get("VmRSS", 0.0) for m in mem),
        "hwm_mb_at_ready": max(m.get("VmHWM", 0.0) for m in mem),
        "target_s": TARGETS["start_s"],
    }


# ---------------------------------------------------------------- the window in this process


class Gui:
    """A QApplication (offscreen, the real theme) and the operator's main window on the store."""

    def __init__(self, db: Path, clock: BenchClock, mmap_mb: int | None = None) -> None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtWidgets import QApplication

        from commandcenter.gui.app import configure_application, make_main_window
        from commandcenter.services.workspace import Workspace

        self.app = QApplication.instance() or QApplication([sys.argv[0]])
        configure_application(self.app, theme="dark")
        self.ws = Workspace.open(db, clock=clock)
        if mmap_mb is not None:  # experiment: another PRAGMA mmap_size on every connection from now on
            from sqlalchemy import event

            @event.listens_for(self.ws.engine, "connect")
            def _mmap(dbapi_conn: Any, _record: Any) -> None:
                dbapi_conn.execute(f"PRAGMA mmap_size={mmap_mb * 2**20}")

            self.ws.engine.dispose()
        actor = self.ws.actor("operator")
        assert actor is not None, "the store has no user 'operator'"
        self.actor = actor
        t0 = time.perf_counter()
        self.window = make_main_window(self.ws, actor)
        self.window.set_theme("dark")
        self.window.resize(1920, 1080)
        self.window.show()
        self.app.processEvents()
        self.built_s = time.perf_counter() - t0

    def settle(self) -> None:
        self.app.processEvents()

    def timed(self, change: Callable[[], None]) -> tuple[float, float]:
        """(ms until `change` returned, ms until the pending events -- the repaint -- were processed)."""
        self.settle()
        t0 = time.perf_counter()
        change()
        t1 = time.perf_counter()
        self.app.processEvents()
        t2 = time.perf_counter()
        return (t1 - t0) * 1000, (t2 - t0) * 1000

    def close(self) -> None:
        self.window.close()
        self.window.shutdown()
        self.app.processEvents()
        self.ws.close()


def busiest(db: Path, column: str, where: str = "1") -> str:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = con.execute(
            f"SELECT {column}, count(*) AS n FROM cases WHERE {where} AND {column} IS NOT NULL "
            f"GROUP BY {column} ORDER BY n DESC LIMIT 1"
        ).fetchone()
        return str(row[0])
    finally:
        con.close()


# ---------------------------------------------------------------- (b) filters and sorting


def bench_filters(gui: Gui, db: Path, repeat: int) -> dict[str, Any]:
    from PySide6.QtCore import Qt

    from commandcenter.gui.models.queue_model import COLUMN_SORT_KEYS

    w = gui.window
    tabs, combo, search = w.ui.setTabs, w.ui.centreCombo, w.ui.searchEdit
    home = gui.actor.centre_code or ""
    township = busiest(db, "centre_code", "length(centre_code) = 9")
    scopes = {"本中心": home, "乡镇": township, "全县": ""}
    labels = [ws.label for ws in w.work_sets]
    keys = [ws.key for ws in w.work_sets]
    results: list[dict[str, Any]] = []

    def record(kind: str, name: str, samples: list[tuple[float, float]], rows: int, target: float) -> None:
        pop = [s[0] for s in samples]
        shown = [s[1] for s in samples]
        results.append({"kind": kind, "name": name, "rows": rows, "populated_ms": pop, "shown_ms": shown,
                        "p50_ms": statistics.median(pop), "max_ms": max(pop), "shown_max_ms": max(shown),
                        "target_ms": target})
        flag = "" if max(pop) <= target else "  <-- over target"
        print(f"  {kind:7s} {name:44s} rows {rows:4d}  p50 {statistics.median(pop):6.1f}  max {max(pop):6.1f}  "
              f"shown max {max(shown):6.1f} ms{flag}", flush=True)

    def set_scope(code: str) -> None:
        combo.setCurrentIndex(combo.findData(code))

    def set_tab(i: int) -> None:
        tabs.setCurrentIndex(i)

    # every tab x scope: switch to it from the previous tab (repeat rounds)
    per: dict[tuple[str, int], list[tuple[float, float]]] = {}
    rows: dict[tuple[str, int], int] = {}
    for scope_name, code in scopes.items():
        set_tab(len(labels) - 1)
        set_scope(code)
        for _ in range(repeat):
            for i in range(len(labels)):
                per.setdefault((scope_name, i), []).append(gui.timed(lambda i=i: set_tab(i)))
                rows[(scope_name, i)] = w.model.rowCount()
    for (scope_name, i), samples in per.items():
        record("tab", f"{labels[i]} × {scope_name}", samples, rows[(scope_name, i)], TARGETS["filter_ms"])

    # the centre combo, on the default tab and on 全部在办 / 已结案
    for i in (0, keys.index("open"), keys.index("closed")):
        set_tab(i)
        for scope_name, code in scopes.items():
            samples = []
            for _ in range(repeat):
                set_scope(home if code != home else township)
                samples.append(gui.timed(lambda code=code: set_scope(code)))
            record("centre", f"{labels[i]}: → {scope_name}", samples, w.model.rowCount(), TARGETS["filter_ms"])

    # search (Enter: no debounce), on the working tabs and the full history
    texts = ["垃圾", "张", "13812345678", "没有这个事件"]
    for i in (keys.index("open"), keys.index("reported"), keys.index("closed")):
        for scope_name, code in scopes.items():
            set_tab(i)
            set_scope(code)
            for text in texts:
                samples = []
                for _ in range(repeat):
                    search.blockSignals(True)
                    search.setText(text)
                    search.blockSignals(False)
                    samples.append(gui.timed(search.returnPressed.emit))
                    n = w.model.rowCount()
                    search.blockSignals(True)
                    search.clear()
                    search.blockSignals(False)
                    gui.timed(search.returnPressed.emit)
                record("search", f"{labels[i]} × {scope_name}: “{text}”", samples, n, TARGETS["filter_ms"])

    # a department filter (the window has no department widget yet: set on the model, as one would)
    depts = {"县局": busiest(db, "department_code", "length(centre_code) = 6"),
             "乡镇平台": busiest(db, "department_code", f"centre_code = '{township}'")}
    for i in (keys.index("open"), keys.index("handling"), keys.index("closed")):
        for scope_name, code in scopes.items():
            set_tab(i)
            set_scope(code)
            base = w.current_filter()
            for dname, dept in depts.items():
                samples = []
                for _ in range(repeat):
                    samples.append(gui.timed(lambda base=base, dept=dept: w.model.set_filter(
                        base.with_(departments=(dept,)))))
                    n = w.model.rowCount()
                    w.model.set_filter(base)
                record("dept", f"{labels[i]} × {scope_name}: {dname}", samples, n, TARGETS["filter_ms"])

    # re-sort by every sortable column, both directions
    header = w.ui.queueView.horizontalHeader()
    sortable = [c for c, k in enumerate(COLUMN_SORT_KEYS) if k is not None]
    for i in (keys.index("reported"), keys.index("open"), keys.index("closed")):
        for scope_name, code in scopes.items():
            if scope_name == "乡镇" and keys[i] != "closed":
                continue
            set_tab(i)
            set_scope(code)
            for col in sortable:
                for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
                    w.on_tabs_current_changed(i)  # the tab's own order
                    if (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (col, order):
                        continue  # that is the tab's own order: no re-sort
                    samples = []
                    for _ in range(repeat):
                        w.on_tabs_current_changed(i)  # back to the tab's own order (not timed)
                        samples.append(gui.timed(lambda col=col, order=order: header.setSortIndicator(col, order)))
                    arrow = "↑" if order == Qt.SortOrder.AscendingOrder else "↓"
                    record("sort", f"{labels[i]} × {scope_name}: {COLUMN_SORT_KEYS[col]} {arrow}", samples,
                           w.model.rowCount(), TARGETS["sort_ms"])
    set_tab(0)
    set_scope(home)
    return {"items": results, "scopes": scopes, "departments": depts}


# ---------------------------------------------------------------- (c) live changes


def writer_main(args: argparse.Namespace) -> int:
    """A writer process: --rate commands a second for --seconds through Workspace.commands."""
    from sqlalchemy import select

    from commandcenter.domain.case import Command, new_id
    from commandcenter.domain.enums import CommandType as C
    from commandcenter.domain.enums import OrgLevel, Role, Source, Status
    from commandcenter.services.workspace import Workspace
    from commandcenter.store import schema as t

    clock = BenchClock(args.clock_base, args.clock_t0)
    if "fast_update" in args.writer_experiment:
        fast_update_case()
    ws = Workspace.open(args.db, clock=clock)
    rng = random.Random(args.seed)
    ops = {}
    for a in ws.users(Role.OPERATOR):
        ops.setdefault(a.centre_code, a)
    c = t.cases.c
    with ws.read() as conn:
        rows = conn.execute(select(c.id, c.centre_code, c.status, c.category_code).where(c.is_open.is_(True))).all()
    # this writer's share of the open cases (writers never touch the same case)
    rows = [r for r in rows if int(r.id[:8], 16) % args.writers == args.writer_index]
    open_ids = [(r.id, r.centre_code) for r in rows if r.centre_code in ops]
    reported = [(r.id, r.centre_code, r.category_code) for r in rows if r.status == Status.REPORTED.value]
    registered = [(r.id, r.centre_code, r.category_code) for r in rows if r.status == Status.REGISTERED.value]
    leaves = [k for k, cat in ws.ref.categories.items() if cat.is_leaf]
    grids: dict[str, list[str]] = {}
    for u in ws.ref.org_units.values():
        if u.level is OrgLevel.GRID:
            centre = ws.ref.centre_for_grid(u.code)
            if centre:
                grids.setdefault(centre, []).append(u.code)
    centres = sorted(ops)
    county = min(centres, key=len)
    titles = ["占道经营", "垃圾堆放", "噪声扰民", "道路积水", "井盖缺失", "违章搭建", "邻里纠纷", "油烟扰民"]

    def make() -> Command:
        r = rng.random()
        if r < 0.20 or not open_ids:  # a new report by a centre's operator (hotline)
            centre = rng.choice(centres)
            grid = rng.choice(grids.get(centre) or grids[rng.choice([k for k in grids if k != county])])
            payload = {"title": rng.choice(titles), "grid_code": grid, "category_code": rng.choice(leaves),
                       "source": Source.HOTLINE_12345.value, "reporter_name": "李四",
                       "reporter_phone": "13812345678", "address": f"城南路{rng.randint(1, 999)}号",
                       "centre_code": centre}
            return Command(C.CREATE, new_id(), ops[centre], payload)
        if r < 0.32 and reported:
            cid, centre, cat = reported.pop(rng.randrange(len(reported)))
            payload = {"opinion": "受理", "category_code": cat or rng.choice(leaves)}
            return Command(C.ACCEPT, cid, ops[centre], payload)
        if r < 0.42 and registered:
            cid, centre, cat = registered.pop(rng.randrange(len(registered)))
            dept = ws.ref.suggest_department(cat, centre)
            payload = {"opinion": "请处置", "department_code": dept.code if dept else ""}
            return Command(C.DISPATCH, cid, ops[centre], payload)
        cid, centre = rng.choice(open_ids)
        if r < 0.75:
            return Command(C.URGE, cid, ops[centre], {"opinion": "请加快处置"})
        return Command(C.COMMENT, cid, ops[centre], {"text": "已电话联系反映人"})

    cmds = [make() for _ in range(int(args.rate * args.seconds * 1.1) + 10)]  # made up front: not timed
    print("START", flush=True)
    interval = 1.0 / args.rate
    start = time.perf_counter()
    end = start + args.seconds
    due = start
    latencies: list[float] = []
    by_type: dict[str, int] = {}
    refused: dict[str, int] = {}
    behind_max = 0.0
    for cmd in cmds:
        now = time.perf_counter()
        if now >= end:
            break
        if due > now:
            time.sleep(due - now)
        behind_max = max(behind_max, now - due)
        t0 = time.perf_counter()
        out = ws.commands.apply(cmd)
        latencies.append((time.perf_counter() - t0) * 1000)
        if out.ok:
            by_type[cmd.type.value] = by_type.get(cmd.type.value, 0) + 1
            if cmd.type is C.ACCEPT:
                registered.append((cmd.case_id, cmd.actor.centre_code or "", cmd.payload.get("category_code")))
            elif cmd.type is C.CREATE:
                reported.append((cmd.case_id, cmd.payload["centre_code"], cmd.payload["category_code"]))
                open_ids.append((cmd.case_id, cmd.payload["centre_code"]))
        else:
            key = f"{cmd.type.value}: {out.decision.code}"
            refused[key] = refused.get(key, 0) + 1
        due += interval
    spent = time.perf_counter() - start
    applied = sum(by_type.values())
    ws.close()
    print("RESULT " + json.dumps({
        "applied": applied, "refused": refused, "by_type": by_type, "seconds": spent,
        "rate": applied / spent, "attempted": len(latencies), "apply_ms_p50": pct(latencies, 50),
        "apply_ms_p99": pct(latencies, 99), "apply_ms_max": max(latencies, default=0.0),
        "behind_max_s": behind_max,
    }), flush=True)
    return 0


def fast_update_case() -> None:
    """Experiment (writer process only): store.repo.update_case with one prebuilt UPDATE whose
    SET list is bind parameters, instead of building `update().values(**row)` per command (the
    per-call statement construction and cache-key generation over 47 values)."""
    from sqlalchemy import bindparam, update

    from commandcenter.store import repo
    from commandcenter.store import schema as t

    cols = [c.name for c in t.cases.columns if c.name != "id"]
    stmt = (
        update(t.cases)
        .where(t.cases.c.id == bindparam("b_id"), t.cases.c.version == bindparam("b_version"))
        .values({c: bindparam(c) for c in cols})
    )

    def update_case(conn: Any, case: Any, expected_version: int) -> bool:
        row = repo.case_to_row(case)
        row["b_id"] = row.pop("id")
        row["b_version"] = expected_version
        return bool(conn.execute(stmt, row).rowcount == 1)

    repo.update_case = update_case


class OutboxWatcher(threading.Thread):
    """Reads the store's outbox every `period` s and announces the changed cases on the
    workspace's cases_changed event (from this thread), as the sync worker does."""

    def __init__(self, ws: Any, period: float = 0.05) -> None:
        super().__init__(name="bench-outbox-watcher", daemon=True)
        from sqlalchemy import func, select

        from commandcenter.store import schema as t

        self.ws = ws
        self.period = period
        self.stop_flag = threading.Event()
        self.batches = 0
        self.changes = 0
        self._o = t.outbox.c
        with ws.read() as conn:
            self.last = int(conn.execute(select(func.coalesce(func.max(self._o.seq), 0))).scalar_one())

    def run(self) -> None:
        from sqlalchemy import select

        from commandcenter.services.events import CasesChanged

        o = self._o
        while not self.stop_flag.wait(self.period):
            with self.ws.read() as conn:
                rows = conn.execute(
                    select(o.seq, o.case_id, o.type).where(o.seq > self.last).order_by(o.seq)
                ).all()
            if not rows:
                continue
            self.last = rows[-1].seq
            ids = tuple(dict.fromkeys(r.case_id for r in rows))
            created = tuple(r.case_id for r in rows if r.type == "create")
            self.batches += 1
            self.changes += len(rows)
            self.ws.events.cases_changed.emit(CasesChanged(ids, created, "sync"))


class LagProbe:
    """A 10 ms single-shot timer chain on the GUI thread: how late each tick fires (ms)."""

    def __init__(self, interval_ms: int = 10) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.interval_ms = interval_ms
        self.samples: list[float] = []
        self.recording = False
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._tick)
        self.expected = 0.0

    def start(self) -> None:
        self.expected = time.perf_counter() + self.interval_ms / 1000
        self.timer.start(self.interval_ms)

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        if self.recording:
            self.samples.append(max(0.0, (now - self.expected) * 1000))
        self.expected = now + self.interval_ms / 1000
        self.timer.start(self.interval_ms)


def apply_before_0003(db: Path) -> Callable[[], None]:
    """Experiment 'before_0003' (the filters part): the queries as before migration 0003, for a
    before/after under the same machine load -- the search without the index (the plain LIKE),
    the history by priority as one sorted query, and ix_cases_dept_updated /
    ix_cases_priority_code dropped.  Undone afterwards (the indexes re-created)."""
    from sqlalchemy import select

    from commandcenter.services import queries as q

    orig_plan, orig_first = q.search_plan, q._first_ids

    def no_plan(conn: Any, f: Any, count: bool = False) -> None:
        return None

    def first_ids(f: Any, w: Any, order: Any, limit: int) -> Any:
        return select(q.c.id).where(*w).order_by(*order).limit(limit)

    q.search_plan = no_plan
    q._first_ids = first_ids
    con = sqlite3.connect(str(db))
    ddl = {r[0]: r[1] for r in con.execute(
        "SELECT name, sql FROM sqlite_master WHERE name IN ('ix_cases_dept_updated', 'ix_cases_priority_code')")}
    for name in ddl:
        con.execute(f"DROP INDEX {name}")
    con.commit()
    con.close()
    print(f"  experiment before_0003: plain LIKE search, one-query priority order, dropped {sorted(ddl)}",
          flush=True)

    def undo() -> None:
        q.search_plan, q._first_ids = orig_plan, orig_first
        con = sqlite3.connect(str(db))
        for sql in ddl.values():
            con.execute(sql)
        con.commit()
        con.close()

    return undo


def apply_live_experiments(gui: Gui, names: list[str]) -> list[Callable[[], None]]:
    """Temporary changes for the 'live' run (--experiment NAME), undone afterwards."""
    undo: list[Callable[[], None]] = []
    w = gui.window
    for name in names:
        if name == "no_counts":  # the upper bound: no tab counts on the live path
            original = w._update_counts
            w._update_counts = lambda: None  # type: ignore[method-assign]
            undo.append(lambda original=original: setattr(w, "_update_counts", original))
        elif name == "no_alerts":  # attribution: the alert scan (views/alerts.py, services/alerting.py) off
            check = w.alerts.check
            w.alerts.check = lambda: []  # type: ignore[method-assign]
            undo.append(lambda check=check: setattr(w.alerts, "check", check))
        elif name == "alert_index":  # the alert scan's crossings as two index ranges + an open-only due_soon_at index
            from sqlalchemy import and_, select

            from commandcenter.services import alerting

            with gui.ws.engine.begin() as conn:
                conn.exec_driver_sql(DUE_INDEX)
            original_crossings = alerting.AlertWatch._crossings

            def crossings(self: Any, conn: Any, scope: tuple[str, ...], last: int, n: int) -> list[dict[str, Any]]:
                if n <= last:
                    return []
                c = alerting.c
                out: dict[str, dict[str, Any]] = {}
                for cond in (and_(c.due_soon_at > last, c.due_soon_at <= n),
                             and_(c.stage_deadline > last, c.stage_deadline <= n)):
                    where = [c.is_open.is_(True), cond, *([c.centre_code.in_(scope)] if scope else [])]
                    for r in conn.execute(select(*alerting._ALERT_COLS).where(*where)).mappings():
                        out[r["id"]] = dict(r)
                return list(out.values())

            alerting.AlertWatch._crossings = crossings  # type: ignore[method-assign]

            def undo_alert_index(original_crossings: Any = original_crossings) -> None:
                alerting.AlertWatch._crossings = original_crossings  # type: ignore[method-assign]
                with gui.ws.engine.begin() as conn:
                    conn.exec_driver_sql("DROP INDEX IF EXISTS ix_bench_open_due")
            undo.append(undo_alert_index)
        elif name == "counts_index":  # a covering index for status_counts (on --db, dropped after)
            with gui.ws.engine.begin() as conn:
                conn.exec_driver_sql(COUNTS_INDEX)
            def drop() -> None:
                with gui.ws.engine.begin() as conn:
                    conn.exec_driver_sql("DROP INDEX IF EXISTS ix_bench_open_counts")
            undo.append(drop)
        elif name == "mmap_64":
            pass  # applied when the window's workspace is opened (Gui)
        else:
            raise SystemExit(f"unknown experiment {name!r}")
    return undo


DUE_INDEX = "CREATE INDEX IF NOT EXISTS ix_bench_open_due ON cases (is_open, due_soon_at) WHERE is_open IS 1"
COUNTS_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_bench_open_counts ON cases "
    "(is_open, centre_code, status, stage_deadline, due_soon_at, supervised, escalated) WHERE is_open IS 1"
)


def bench_live(gui: Gui, db: Path, args: argparse.Namespace, clock: BenchClock) -> dict[str, Any]:
    from PySide6.QtCore import QEventLoop, QTimer

    w = gui.window
    keys = [ws.key for ws in w.work_sets]
    w.ui.centreCombo.setCurrentIndex(w.ui.centreCombo.findData(args.live_centre))
    w.ui.setTabs.setCurrentIndex(keys.index(args.live_tab))
    if w.model.rowCount():
        w.select_case(w.model.case_id(min(5, w.model.rowCount() - 1)) or "")
    w.alerts.check()  # the alert watch's baseline for this scope (a running window has it already)
    gui.settle()
    model = w.model

    counts = {"dataChanged": 0, "rowsInserted": 0, "rowsRemoved": 0, "rowsMoved": 0, "modelReset": 0}

    def counter(name: str) -> Callable[..., None]:
        def bump(*_a: Any) -> None:
            counts[name] += 1
        return bump

    counters = [(sig, counter(name)) for sig, name in (
        (model.dataChanged, "dataChanged"), (model.rowsInserted, "rowsInserted"), (model.rowsRemoved, "rowsRemoved"),
        (model.rowsMoved, "rowsMoved"), (model.modelReset, "modelReset"))]
    for sig, slot in counters:
        sig.connect(slot)

    refresh_ms: list[float] = []
    original_refresh = w.refresh

    def timed_refresh(*a: Any, **kw: Any) -> None:
        t0 = time.perf_counter()
        original_refresh(*a, **kw)
        refresh_ms.append((time.perf_counter() - t0) * 1000)

    w.refresh = timed_refresh  # type: ignore[method-assign]
    undo = apply_live_experiments(gui, args.experiment)

    probe = LagProbe(10)
    probe.start()
    watcher = OutboxWatcher(gui.ws)
    watcher.start()
    # the event loop idles for 2 s first: the probe's baseline
    loop = QEventLoop()
    QTimer.singleShot(2000, loop.quit)
    probe.recording = True
    loop.exec()
    idle = list(probe.samples)
    probe.samples.clear()

    writers = []
    started = threading.Event()
    results: list[dict[str, Any]] = []
    lock = threading.Lock()
    n_started = [0]

    def read_writer(proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("START"):
                with lock:
                    n_started[0] += 1
                    if n_started[0] == args.writers:
                        started.set()
            elif line.startswith("RESULT "):
                with lock:
                    results.append(json.loads(line[7:]))

    probe.recording = False
    for k in range(args.writers):
        cmd = [sys.executable, str(Path(__file__).resolve()), "--writer", "--db", str(db),
               *[f"--writer-experiment={x}" for x in args.writer_experiment],
               "--rate", str(args.rate / args.writers), "--seconds", str(args.seconds),
               "--writers", str(args.writers), "--writer-index", str(k), "--seed", str(1000 + k),
               "--clock-base", str(clock.base), "--clock-t0", str(clock.t0)]
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True, encoding="utf-8")
        threading.Thread(target=read_writer, args=(proc,), daemon=True).start()
        writers.append(proc)

    # run the real event loop until the writers finish
    loop = QEventLoop()
    poll = QTimer()
    phase = {"t0": 0.0, "t1": 0.0}

    profiler = None
    if args.profile_live:
        import cProfile

        profiler = cProfile.Profile()

    def check() -> None:
        if started.is_set() and not probe.recording and phase["t0"] == 0.0:
            probe.samples.clear()
            for k in counts:
                counts[k] = 0
            refresh_ms.clear()
            phase["t0"] = time.perf_counter()
            probe.recording = True
            if profiler is not None:
                profiler.enable()  # the GUI thread only
        if all(p.poll() is not None for p in writers):
            if profiler is not None:
                profiler.disable()
            phase["t1"] = time.perf_counter()
            probe.recording = False
            loop.quit()

    poll.timeout.connect(check)
    poll.start(20)
    loop.exec()
    poll.stop()
    for sig, slot in counters:
        sig.disconnect(slot)
    counts = dict(counts)
    watcher.stop_flag.set()
    watcher.join()
    probe.stop()
    for p in writers:
        p.wait()
    w.refresh = original_refresh  # type: ignore[method-assign]
    for fn in undo:
        fn()
    gui.settle()
    if profiler is not None:
        profiler.dump_stats(str(args.profile_live))
        print(f"  cProfile of the GUI thread during the run: {args.profile_live}", flush=True)
    lag = probe.samples
    applied = sum(r["applied"] for r in results)
    spent = max((r["seconds"] for r in results), default=float("nan"))
    return {
        "tab": args.live_tab, "centre": args.live_centre or "全县", "rows_loaded": model.rowCount(),
        "writers": args.writers, "target_rate": args.rate, "seconds": args.seconds,
        "applied": applied, "achieved_rate": applied / spent if spent else float("nan"), "writer_results": results,
        "watcher_batches": watcher.batches, "watcher_changes": watcher.changes,
        "lag_ms": {"n": len(lag), "p50": pct(lag, 50), "p95": pct(lag, 95), "p99": pct(lag, 99),
                   "max": max(lag, default=float("nan"))},
        "idle_lag_ms": {"n": len(idle), "p50": pct(idle, 50), "p99": pct(idle, 99), "max": max(idle, default=0.0)},
        "refresh_ms": {"n": len(refresh_ms), "p50": pct(refresh_ms, 50), "p95": pct(refresh_ms, 95),
                       "p99": pct(refresh_ms, 99), "max": max(refresh_ms, default=float("nan"))},
        "model_signals": counts, "measured_s": phase["t1"] - phase["t0"],
        "target_p99_ms": TARGETS["lag_p99_ms"],
    }


# ---------------------------------------------------------------- paging


def bench_paging(gui: Gui, pages: int) -> dict[str, Any]:
    from PySide6.QtCore import QModelIndex

    w = gui.window
    keys = [ws.key for ws in w.work_sets]
    out: dict[str, Any] = {}
    for key, centre in (("open", ""), ("closed", "")):
        w.ui.centreCombo.setCurrentIndex(w.ui.centreCombo.findData(centre))
        w.ui.setTabs.setCurrentIndex(keys.index(key))
        gui.settle()
        model = w.model
        fetch_ms = []
        for _ in range(pages):
            if not model.canFetchMore(QModelIndex()):
                break
            fetch_ms.append(gui.timed(partial(model.fetchMore, QModelIndex()))[0])
        refresh = [gui.timed(w.refresh)[0] for _ in range(3)]
        # the live path with that many rows loaded: 50 announced changes (here: unchanged cases)
        rng = random.Random(5)
        ids = model.case_ids()
        changes = [gui.timed(partial(model.apply_changes, rng.sample(ids, min(50, len(ids)))))[0] for _ in range(5)]
        name = f"{w.work_sets[keys.index(key)].label} × 全县"
        out[name] = {"pages": len(fetch_ms), "rows": model.rowCount(), "fetch_ms_p50": pct(fetch_ms, 50),
                     "fetch_ms_max": max(fetch_ms, default=float("nan")), "refresh_ms_p50": statistics.median(refresh),
                     "refresh_ms_max": max(refresh), "changes50_ms_p50": statistics.median(changes),
                     "changes50_ms_max": max(changes), "memory": proc_status()}
        print(f"  paging {name}: {len(fetch_ms)} pages -> {model.rowCount()} rows, fetchMore p50 "
              f"{pct(fetch_ms, 50):.1f} max {max(fetch_ms, default=0):.1f} ms; full refresh of the loaded rows "
              f"p50 {statistics.median(refresh):.1f} max {max(refresh):.1f} ms; live path (50 changes) p50 "
              f"{statistics.median(changes):.1f} max {max(changes):.1f} ms; RSS "
              f"{out[name]['memory'].get('VmRSS', 0):.0f} MiB (anon {out[name]['memory'].get('RssAnon', 0):.0f})",
              flush=True)
    w.ui.setTabs.setCurrentIndex(0)
    w.ui.centreCombo.setCurrentIndex(w.ui.centreCombo.findData(gui.actor.centre_code or ""))
    return out


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, default=OUT / "ws_1m.db", help="the store the window opens (written by 'live')")
    ap.add_argument("--source", type=Path, default=OUT / "bench_1m.db", help="copied to --db when it is missing")
    ap.add_argument("--fresh", action="store_true", help="copy --source to --db even if --db exists")
    ap.add_argument("--only", default="start,filters,live,paging", help="comma-separated parts to run")
    ap.add_argument("--runs", type=int, default=7, help="process starts for 'start'")
    ap.add_argument("--repeat", type=int, default=3, help="repeats of each filter/sort change")
    ap.add_argument("--rate", type=float, default=500.0, help="case changes per second in total (live)")
    ap.add_argument("--seconds", type=float, default=60.0, help="how long the writers write (live)")
    ap.add_argument("--writers", type=int, default=1, help="writer processes sharing --rate (live)")
    ap.add_argument("--live-tab", default="open", help="the tab key shown during 'live' (default open: 全部在办)")
    ap.add_argument("--live-centre", default="", help="the centre shown during 'live' ('' = 全县)")
    ap.add_argument("--pages", type=int, default=20, help="pages fetched per tab in 'paging'")
    ap.add_argument("--json", type=Path, default=OUT / "workstation.json")
    ap.add_argument("--experiment", action="append", default=[], choices=["no_counts", "no_alerts", "counts_index", "alert_index", "mmap_64",
                             "before_0003"],
                    help="a temporary change for 'live' (repeatable; see README)")
    ap.add_argument("--writer-experiment", action="append", default=[], choices=["fast_update"],
                    help="a temporary change in the writer processes (repeatable; see README)")
    ap.add_argument("--profile-live", type=Path, default=None, metavar="PATH",
                    help="cProfile the GUI thread during 'live' into PATH (pstats format)")
    # the writer process (internal)
    ap.add_argument("--writer", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--prepare-only", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--writer-index", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--seed", type=int, default=1000, help=argparse.SUPPRESS)
    ap.add_argument("--clock-base", type=float, default=0.0, help=argparse.SUPPRESS)
    ap.add_argument("--clock-t0", type=float, default=0.0, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.writer:
        return writer_main(args)

    db: Path = args.db.resolve()
    if args.prepare_only:
        prepare_store(db, args.source.resolve(), args.fresh)
        return 0
    parts = {p.strip() for p in args.only.split(",") if p.strip()}
    OUT.mkdir(parents=True, exist_ok=True)
    # in a child process, so that this (the window's) process's peak memory is the window's own
    cmd = [sys.executable, str(Path(__file__).resolve()), "--prepare-only", "--db", str(db), "--source", str(args.source)]
    subprocess.run(cmd + (["--fresh"] if args.fresh else []), check=True)
    base = float(meta(db, "bench_now") or time.time())
    clock = BenchClock(base, time.time())
    import sqlalchemy

    result: dict[str, Any] = {
        "benchmark": "workstation",
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "sqlalchemy": sqlalchemy.__version__,
                    "sqlite": sqlite3.sqlite_version, "cpus": os.cpu_count(), "platform": platform.platform()},
        "db": str(db), "db_mb": db.stat().st_size / 2**20, "bench_now": base, "targets": TARGETS,
    }
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    result["cases"] = con.execute("SELECT count(*) FROM cases").fetchone()[0]
    result["open_cases"] = con.execute("SELECT count(*) FROM cases WHERE is_open IS 1").fetchone()[0]
    con.close()
    print(f"bench_workstation: {db} ({result['cases']:,} cases, {result['open_cases']:,} open, "
          f"{result['db_mb']:,.0f} MiB), now = {datetime.fromtimestamp(base, timezone.utc):%Y-%m-%d %H:%M}Z",
          flush=True)

    if "start" in parts:
        print("(a) process start -> window shown with the first rows", flush=True)
        result["start"] = bench_start(db, args.runs)
    gui = None
    if parts & {"filters", "live", "paging"}:
        gui = Gui(db, clock, 64 if "mmap_64" in args.experiment else None)
        result["window_built_s"] = gui.built_s
        result["memory_after_open"] = proc_status()
    if gui is not None and "filters" in parts:
        print("(b) filters, search, centre, department, re-sort", flush=True)
        undo_before = apply_before_0003(db) if "before_0003" in args.experiment else None
        try:
            result["filters"] = bench_filters(gui, db, args.repeat)
        finally:
            if undo_before is not None:
                undo_before()
        result["memory_after_filters"] = proc_status()
    if gui is not None and "live" in parts:
        print(f"(c) {args.rate:.0f} changes/s for {args.seconds:.0f} s by {args.writers} writer process(es)", flush=True)
        result["live"] = bench_live(gui, db, args, clock)
        result["memory_after_live"] = proc_status()
    if gui is not None and "paging" in parts:
        print("(e) paging", flush=True)
        result["paging"] = bench_paging(gui, args.pages)
        result["memory_after_paging"] = proc_status()
    if gui is not None:
        gui.close()
    result["memory_end"] = proc_status()

    report(result)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(f"\nwrote {args.json}")
    return 0


def report(r: dict[str, Any]) -> None:
    def ok(good: bool) -> str:
        return "OK" if good else "MISSED"

    print()
    print(f"{'figure':<58} {'measured':>26} {'target':>10}  ")
    if "start" in r:
        s = r["start"]
        print(f"{'(a) start -> window with first rows, p50 / max':<58} "
              f"{s['p50_s']:>11.3f} / {s['max_s']:.3f} s {'≤ 1.5 s':>10}  {ok(s['max_s'] <= TARGETS['start_s'])}")
    if "filters" in r:
        items = r["filters"]["items"]
        for kind, label, target in (("tab", "(b) tab × centre", "filter_ms"), ("centre", "(b) centre combo", "filter_ms"),
                                    ("search", "(b) search", "filter_ms"), ("dept", "(b) department filter", "filter_ms"),
                                    ("sort", "(b) re-sort", "sort_ms")):
            sel = [i for i in items if i["kind"] == kind]
            if not sel:
                continue
            worst = max(sel, key=lambda i: i["max_ms"])
            over = [i for i in sel if i["max_ms"] > TARGETS[target]]
            p50 = statistics.median([i["p50_ms"] for i in sel])
            print(f"{label + f' ({len(sel)} changes), median p50 / worst max':<58} {p50:>11.1f} / {worst['max_ms']:.1f} ms "
                  f"{'≤ ' + str(int(TARGETS[target])) + ' ms':>10}  {ok(not over)}"
                  + (f" ({len(over)} over: worst {worst['name']})" if over else ""))
    if "live" in r:
        lv = r["live"]
        lag = lv["lag_ms"]
        print(f"{'(c) writer rate achieved (target 500/s)':<58} {lv['achieved_rate']:>17.0f} /s      {'500/s':>10}  "
              f"{ok(lv['achieved_rate'] >= 0.97 * lv['target_rate'])}")
        print(f"{'(c) event-loop lag p50 / p95 / p99 / max':<58} "
              f"{lag['p50']:.1f} / {lag['p95']:.1f} / {lag['p99']:.1f} / {lag['max']:.1f} ms {'p99 ≤ 50':>9}  "
              f"{ok(lag['p99'] <= TARGETS['lag_p99_ms'])}")
        rf = lv["refresh_ms"]
        print(f"{'(c) window refreshes: n, p50 / p99 / max':<58} {rf['n']:>5d}, {rf['p50']:.1f} / {rf['p99']:.1f} / "
              f"{rf['max']:.1f} ms")
        print(f"{'(c) model signals during the run':<58} {json.dumps(lv['model_signals'])}")
    mems = [v for k, v in r.items() if k.startswith("memory_") and isinstance(v, dict) and v]
    if mems:
        rss = max(m.get("VmRSS", 0.0) for m in mems)
        hwm = max(m.get("VmHWM", 0.0) for m in mems)
        anon = max(m.get("RssAnon", 0.0) for m in mems)
        mapped = max(m.get("RssFile", 0.0) for m in mems)
        print(f"{'(d) GUI process RSS max / peak (VmHWM)':<58} {rss:>13.0f} / {hwm:.0f} MiB {'≤ 1024':>9}  "
              f"{ok(hwm <= TARGETS['rss_mb'])}")
        print(f"{'(d)   of which RssAnon max / RssFile (mapped store) max':<58} {anon:>13.0f} / {mapped:.0f} MiB")
    if "start" in r:
        print(f"{'(d) main.py RSS / VmHWM at READY':<58} {r['start']['rss_mb_at_ready']:>13.0f} / "
              f"{r['start']['hwm_mb_at_ready']:.0f} MiB")


if __name__ == "__main__":
    sys.exit(main())
