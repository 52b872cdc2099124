"""Crash: a workstation process is killed with SIGKILL while its SyncWorker pushes,
twice, and restarted on the same SQLite file. Nothing is lost, nothing is applied
twice on the server (history, processed commands and audit counted per command
id), and the file passes `PRAGMA integrity_check` after each kill."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from sqlalchemy import func, select

from commandcenter.store import schema as t
from commandcenter.store.engine import make_engine
from commandcenter.sync import SyncClient, bootstrap_store
from tests.e2e.procs import ROOT, Server, child_env, wait_for

PASSWORD = "demo1234"
USER = "operator"


class ClientProcess:
    def __init__(self, db: Path, url: str, *args: str) -> None:
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.e2e.crash_client", str(db), url, USER, *args],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=child_env(), text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def done(self) -> int:
        return sum(1 for ln in self.lines if ln.startswith("done "))

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        self._reader.join(5)

    def wait(self, timeout: float) -> int:
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError("client did not finish:\n" + "\n".join(self.lines[-30:])) from None
        self._reader.join(5)
        return rc


def server_count(db: Path, table: Any, *where: Any) -> int:
    engine = make_engine(db)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())
    finally:
        engine.dispose()


def integrity(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return str(con.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        con.close()


def test_sigkill_while_pushing_loses_nothing_and_applies_nothing_twice(tmp_path) -> None:  # type: ignore[no-untyped-def]
    server = Server(tmp_path / "server.db", tmp_path).start()
    try:
        boot = SyncClient(server.url)
        boot.login(USER, PASSWORD, "crash-boot")
        ws_db = tmp_path / "ws.db"
        bootstrap_store(ws_db, boot.bootstrap(history=False), server.url)
        sdb = tmp_path / "server.db"
        made = 0
        for round_no, (n, kill_after) in enumerate(((200, 40), (200, 60))):
            before = server_count(sdb, t.processed_commands)
            cp = ClientProcess(ws_db, server.url, "work", str(n))
            try:
                wait_for(lambda b=before, k=kill_after: server_count(sdb, t.processed_commands) >= b + k,  # type: ignore[misc]
                         60, f"round {round_no}: the server to process {kill_after} commands")
            finally:
                cp.kill()  # SIGKILL, mid-push
            at_kill = server_count(sdb, t.processed_commands)
            made += cp.done()
            assert "drained" not in cp.lines, "the client finished before it was killed: the test proves nothing"
            assert integrity(ws_db) == "ok"
            con = sqlite3.connect(ws_db)
            local_total = con.execute("SELECT count(*) FROM outbox").fetchone()[0]
            pending = con.execute("SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone()[0]
            con.close()
            assert local_total >= made  # every command reported done is in the outbox
            assert pending > 0, "killed with nothing left to push"
            assert at_kill <= local_total
        # restart on the same file: it pushes what is left, then exits
        cp = ClientProcess(ws_db, server.url, "drain")
        assert cp.wait(90) == 0, "\n".join(cp.lines[-30:])
        assert cp.lines[-1] == "drained"
        assert integrity(ws_db) == "ok"

        con = sqlite3.connect(ws_db)
        client_id = con.execute("SELECT value FROM meta WHERE key = 'client_id'").fetchone()[0]
        outbox = con.execute("SELECT command_id, client_seq, state FROM outbox ORDER BY client_seq").fetchall()
        local_hist = Counter(r[0] for r in con.execute("SELECT command_id FROM case_history WHERE command_id IS NOT NULL"))
        local_cases = {r[0]: (r[1], r[2]) for r in con.execute("SELECT id, version, code FROM cases")}
        con.close()
        ids = [r[0] for r in outbox]
        assert len(ids) >= made and [r[1] for r in outbox] == list(range(1, len(ids) + 1))  # no gap in client order
        assert {r[2] for r in outbox} == {"applied"}

        engine = make_engine(sdb)
        with engine.connect() as conn:
            processed = dict(conn.execute(
                select(t.processed_commands.c.command_id, t.processed_commands.c.result)
                .where(t.processed_commands.c.client_id == client_id)).all())
            hist = Counter(conn.execute(select(t.case_history.c.command_id)).scalars())
            audit_applied = Counter(conn.execute(
                select(t.audit_log.c.command_id).where(t.audit_log.c.action == "command",
                                                       t.audit_log.c.result == "applied")).scalars())
            srv_cases = {r.id: (r.version, r.code) for r in conn.execute(select(t.cases.c.id, t.cases.c.version,
                                                                                    t.cases.c.code))}
        engine.dispose()
        # nothing lost: every local command reached the server and was applied
        assert sorted(processed) == sorted(ids) and set(processed.values()) == {"applied"}
        # nothing applied twice: one history record and one 'applied' audit entry per command id
        assert all(hist[c] == 1 for c in ids) and all(audit_applied[c] == 1 for c in ids)
        assert all(local_hist[c] == 1 for c in ids)
        # and the workstation's replica equals the server's
        assert local_cases == srv_cases
        assert not any(code.startswith("L-") for _, code in local_cases.values())
    finally:
        server.stop()
