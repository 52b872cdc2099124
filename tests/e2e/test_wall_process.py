"""`python main.py --wall`: the wall as its own read-only process on a local store that
another process writes; SIGTERM ends it cleanly."""

from __future__ import annotations

import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

from commandcenter.gui.wall.run import READY_LINE

ROOT = Path(__file__).resolve().parents[2]


def _lines(stream, out: queue.Queue[str]) -> None:  # type: ignore[no-untyped-def]
    for line in iter(stream.readline, ""):
        out.put(line.rstrip("\n"))


def _count(db: Path, sql: str) -> int:
    con = sqlite3.connect(db, timeout=10)
    try:
        return int(con.execute(sql).fetchone()[0])
    finally:
        con.close()


def test_wall_process_shows_the_wall_writes_nothing_and_stops_cleanly(tmp_path: Path) -> None:
    db, logs = tmp_path / "cc.db", tmp_path / "logs"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    seed = subprocess.run([sys.executable, "main.py", "--db", str(db), "--log-dir", str(logs), "--seed-days", "2",
                           "--seed-only"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert seed.returncode == 0, seed.stderr
    history, outbox = (_count(db, f"select count(*) from {t}") for t in ("case_history", "outbox"))
    proc = subprocess.Popen(
        [sys.executable, "main.py", "--db", str(db), "--log-dir", str(logs), "--wall", "--wall-interval", "5"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_lines, args=(proc.stderr, lines), daemon=True).start()
    seen: list[str] = []
    try:
        while READY_LINE not in seen:
            try:
                seen.append(lines.get(timeout=120))
            except queue.Empty:
                raise AssertionError(f"no {READY_LINE!r}; the program said: {seen}") from None
    finally:
        proc.send_signal(signal.SIGTERM)
        rc = proc.wait(timeout=30)
    assert rc == 0, f"exit code {rc}: {seen}"
    assert _count(db, "select count(*) from case_history") == history  # it applied no command
    assert _count(db, "select count(*) from outbox") == outbox
    log_text = (logs / "commandcenter.log").read_text(encoding="utf-8")
    assert "wall shown on screen" in log_text and "Traceback" not in log_text
