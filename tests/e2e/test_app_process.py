"""The real program as a user starts it: `python main.py`, a fresh store,
the demo county seeded, the simulator running, the window up; SIGTERM ends
it cleanly and nothing was lost."""

from __future__ import annotations

import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

from commandcenter.gui.app import READY_LINE

ROOT = Path(__file__).resolve().parents[2]


def _lines(stream, out: queue.Queue[str]) -> None:  # type: ignore[no-untyped-def]
    for line in iter(stream.readline, ""):
        out.put(line.rstrip("\n"))


def _wait_for(lines: queue.Queue[str], needle: str, timeout: float) -> list[str]:
    seen: list[str] = []
    while True:
        try:
            line = lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no {needle!r} within {timeout} s; the program said: {seen}") from None
        seen.append(line)
        if needle in line:
            return seen


def _count(db: Path, sql: str) -> int:
    con = sqlite3.connect(db, timeout=10)
    try:
        return int(con.execute(sql).fetchone()[0])
    finally:
        con.close()


def test_main_py_seeds_shows_the_window_simulates_and_stops_cleanly(tmp_path: Path) -> None:
    db, logs = tmp_path / "cc.db", tmp_path / "logs"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen(
        [sys.executable, "main.py", "--db", str(db), "--log-dir", str(logs), "--seed-days", "3",
         "--sim-rate", "2000", "--sim-speed", "60", "--user", "operator"],  # --user: no login dialog
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_lines, args=(proc.stderr, lines), daemon=True).start()
    try:
        said = _wait_for(lines, READY_LINE, timeout=120)
        assert any("正在生成演示数据" in s for s in said)
        seeded = _count(db, "select count(*) from case_history")
        # the simulator reports through the command path while the window is up
        done = threading.Event()
        for _ in range(600):
            if _count(db, "select count(*) from outbox where type = 'create'") >= 3:
                break
            done.wait(0.1)
        assert _count(db, "select count(*) from outbox where type = 'create'") >= 3
    finally:
        proc.send_signal(signal.SIGTERM)
        rc = proc.wait(timeout=30)
    assert rc == 0, f"exit code {rc}"
    assert _count(db, "select count(*) from case_history") > seeded
    # every applied command left exactly one history record and one outbox row
    assert _count(db, "select count(*) from case_history") - seeded == _count(db, "select count(*) from outbox")
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    log_text = (logs / "commandcenter.log").read_text(encoding="utf-8")
    assert "main window shown" in log_text and "Traceback" not in log_text
