#!/usr/bin/env python
"""Wall and workloads benchmark over a 1,000,000-case store (issue 6).

    .venv/bin/python benchmarks/bench_wall.py [--db PATH] [--source PATH] [--fresh]
            [--recounts 5] [--changes 200] [--rate 100] [--seconds 20] [--json PATH]

--db (default benchmarks/out/wall_1m.db) is a working copy of bench_load.py's 1M store
(--source, default benchmarks/out/bench_1m.db; copied when --db does not exist or with
--fresh, by bench_workstation.prepare_store: the source is never written).

  recount      services.aggregates.Aggregates.recount(): every counter of the workloads
               table (per department, township, category), the KPI inputs of the period and
               the trend bins, from the rows in scope (open + the last 31 days); --recounts runs.
               Target <= 1 s.
  incremental  --changes single-case commands (DISPATCH / ACCEPT / URGE / SUPERVISE on open
               cases) through Workspace.commands, each followed by the update the panels do:
               apply_changes([id]) and reading the three workload tables and the KPIs
               (compute(kpi_counts())).  The command's own write is not counted.  Target <= 100 ms.
  wall         QApplication offscreen, the WallWindow at 1920x1080 in this process, following
               the store by polling (as `main.py --wall` does, every 500 ms here) while a writer
               PROCESS (bench_workstation.py --writer) applies --rate changes/s for --seconds.
               Every 33 ms the window is repainted synchronously (QWidget.repaint(): every
               panel, chart and list); the repaint times: p50/p95/max, target p95 <= 33 ms.
               The data refreshes (read the aggregates and the two case lists, update the
               widgets) are timed too.

Prints a summary and writes benchmarks/out/wall.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from bench_workstation import BenchClock, meta, pct, prepare_store  # noqa: E402

TARGETS = {"recount_ms": 1000.0, "incremental_ms": 100.0, "repaint_p95_ms": 33.0}


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def stats(values: list[float]) -> dict[str, float]:
    return {"n": len(values), "p50": pct(values, 50), "p95": pct(values, 95), "max": max(values) if values else float("nan")}


def bench_aggregates(db: Path, clock: BenchClock, recounts: int, changes: int) -> dict[str, Any]:
    from sqlalchemy import select

    from commandcenter.domain.case import Command
    from commandcenter.domain.enums import CommandType as C
    from commandcenter.domain.enums import Role, Status
    from commandcenter.domain.kpi import compute
    from commandcenter.services.aggregates import Aggregates
    from commandcenter.services.workspace import Workspace
    from commandcenter.store import schema as t

    ws = Workspace.open(db, clock=clock)
    agg = Aggregates(ws.engine, ws.ref, clock)
    times, cpu = [], []
    for _ in range(recounts):
        t0, c0 = time.perf_counter(), time.process_time()
        agg.recount()
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    rows_in_scope = agg.rows_in_scope

    ops = {a.centre_code: a for a in ws.users(Role.OPERATOR)}
    sup = ws.users(Role.SUPERVISOR)[0]
    c = t.cases.c
    with ws.read() as conn:
        rows = conn.execute(select(c.id, c.centre_code, c.status, c.category_code).where(c.is_open.is_(True))).all()
    rng = random.Random(6)
    rng.shuffle(rows)
    inc: list[float] = []
    writes: list[float] = []
    refused = 0
    for r in rows:
        if len(inc) >= changes:
            break
        op = ops.get(r.centre_code)
        if op is None:
            continue
        if r.status == Status.REGISTERED.value:
            dept = ws.ref.suggest_department(r.category_code, r.centre_code)
            cmd = Command(C.DISPATCH, r.id, op, {"department_code": dept.code if dept else ""})
        elif r.status == Status.REPORTED.value and r.category_code:
            cmd = Command(C.ACCEPT, r.id, op, {"category_code": r.category_code})
        elif rng.random() < 0.5:
            cmd = Command(C.SUPERVISE, r.id, sup, {"opinion": "督办"})
        else:
            cmd = Command(C.URGE, r.id, op, {"opinion": "请加快"})
        t0 = time.perf_counter()
        out = ws.commands.apply(cmd)
        t1 = time.perf_counter()
        if not out.ok:
            refused += 1
            continue
        moved = agg.apply_changes([r.id])
        tables = [agg.table(g) for g in ("department", "township", "category")]
        kpis = compute(agg.kpi_counts())
        t2 = time.perf_counter()
        assert tables and kpis is not None and moved is not None
        writes.append((t1 - t0) * 1000)
        inc.append((t2 - t1) * 1000)
    # the incremental state still equals a full recount
    full = Aggregates(ws.engine, ws.ref, clock)
    full.recount()
    now = clock()
    same = agg.windows != full.windows or agg.snapshot(now) == full.snapshot(now)
    ws.close()
    return {
        "recount_ms": stats(times), "recount_cpu_ms": stats(cpu), "rows_in_scope": rows_in_scope,
        "incremental_ms": stats(inc), "command_write_ms": stats(writes), "refused": refused,
        "incremental_equals_recount": same,
    }


def bench_wall(db: Path, clock: BenchClock, rate: float, seconds: float) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from commandcenter.gui.app import configure_application
    from commandcenter.gui.wall import WallWindow
    from commandcenter.services.wall import WallController
    from commandcenter.services.workspace import Workspace

    app = QApplication.instance() or QApplication([])
    from commandcenter.gui import gc_guard

    gc_guard.install(app)  # as the application does
    assert isinstance(app, QApplication)
    configure_application(app, theme="dark")
    ws = Workspace.open(db, clock=clock)
    t0 = time.perf_counter()
    wall = WallWindow(ws, WallController(interval_s=5), poll_ms=500)
    build_ms = (time.perf_counter() - t0) * 1000
    wall.resize(1920, 1080)
    wall.show()
    app.processEvents()
    wall.refresh_ms.clear()

    repaint: list[float] = []
    idle_repaint: list[float] = []
    target = idle_repaint

    def paint() -> None:
        a = time.perf_counter()
        wall.repaint()
        target.append((time.perf_counter() - a) * 1000)

    timer = QTimer()
    timer.setInterval(33)
    timer.timeout.connect(paint)
    timer.start()
    loop = QEventLoop()
    QTimer.singleShot(3000, loop.quit)
    loop.exec()
    target = repaint

    results: list[dict[str, Any]] = []
    started = threading.Event()

    cmd = [sys.executable, str(HERE / "bench_workstation.py"), "--writer", "--db", str(db), "--rate", str(rate),
           "--seconds", str(seconds), "--writers", "1", "--writer-index", "0", "--seed", "61",
           "--clock-base", str(clock.base), "--clock-t0", str(clock.t0)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True, encoding="utf-8")

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("START"):
                started.set()
            elif line.startswith("RESULT "):
                results.append(json.loads(line[7:]))

    threading.Thread(target=read, daemon=True).start()
    done = QTimer()
    done.setInterval(100)
    done.timeout.connect(lambda: loop.quit() if proc.poll() is not None else None)
    done.start()
    loop = QEventLoop()
    loop.exec()
    timer.stop()
    done.stop()
    refresh = list(wall.refresh_ms)
    pages = {"open": wall.tiles.values.get("open"), "overdue": wall.tiles.values.get("overdue")}
    wall.shutdown()
    ws.close()
    return {
        "build_ms": build_ms, "idle_repaint_ms": stats(idle_repaint), "repaint_ms": stats(repaint),
        "refresh_ms": stats(refresh), "writer": results[0] if results else {}, "tiles_at_end": pages,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", type=Path, default=OUT / "wall_1m.db")
    ap.add_argument("--source", type=Path, default=OUT / "bench_1m.db")
    ap.add_argument("--fresh", action="store_true")
    ap.add_argument("--recounts", type=int, default=5)
    ap.add_argument("--changes", type=int, default=200)
    ap.add_argument("--rate", type=float, default=100.0)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--only", default="aggregates,wall")
    ap.add_argument("--json", type=Path, default=OUT / "wall.json")
    args = ap.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    prepare_store(args.db, args.source, args.fresh)
    base = meta(args.db, "bench_now")
    clock = BenchClock(float(base) if base else time.time(), time.time())
    r: dict[str, Any] = {"db": str(args.db), "python": platform.python_version(), "cpus": os.cpu_count(),
                         "uptime_before": uptime()}
    parts = args.only.split(",")
    if "aggregates" in parts:
        print("aggregates: recount and incremental ...", flush=True)
        r["aggregates"] = bench_aggregates(args.db, clock, args.recounts, args.changes)
    if "wall" in parts:
        print(f"wall: repaint while {args.rate:.0f} changes/s for {args.seconds:.0f} s ...", flush=True)
        r["wall"] = bench_wall(args.db, clock, args.rate, args.seconds)
    r["uptime_after"] = uptime()
    args.json.write_text(json.dumps(r, indent=2, ensure_ascii=False), encoding="utf-8")

    def ok(v: float, limit: float) -> str:
        return "OK" if v <= limit else "MISSED"

    a = r.get("aggregates")
    if a:
        rc, inc = a["recount_ms"], a["incremental_ms"]
        print(f"full recount        p50 {rc['p50']:.0f} ms  max {rc['max']:.0f} ms  (CPU p50 {a['recount_cpu_ms']['p50']:.0f} ms;"
              f" {a['rows_in_scope']} rows in scope)  [{ok(rc['p50'], TARGETS['recount_ms'])} <= 1 s]")
        print(f"incremental update  p50 {inc['p50']:.1f} ms  p95 {inc['p95']:.1f} ms  max {inc['max']:.1f} ms"
              f" over {inc['n']} changes  [{ok(inc['max'], TARGETS['incremental_ms'])} <= 100 ms]"
              f"  (== full recount: {a['incremental_equals_recount']})")
    w = r.get("wall")
    if w:
        rp, rf = w["repaint_ms"], w["refresh_ms"]
        wr = w.get("writer", {})
        print(f"wall repaint        p50 {rp['p50']:.1f} ms  p95 {rp['p95']:.1f} ms  max {rp['max']:.1f} ms"
              f" ({rp['n']} repaints)  [{ok(rp['p95'], TARGETS['repaint_p95_ms'])} p95 <= 33 ms]"
              f"  idle p95 {w['idle_repaint_ms']['p95']:.1f} ms")
        print(f"wall data refresh   p50 {rf['p50']:.1f} ms  p95 {rf['p95']:.1f} ms  max {rf['max']:.1f} ms ({rf['n']} refreshes)")
        print(f"writer: {json.dumps({k: wr[k] for k in list(wr)[:6]}, ensure_ascii=False)}")
    print(f"uptime before: {r['uptime_before']}\nuptime after:  {r['uptime_after']}")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
