"""A real platform-server process on loopback for tests (no mocked HTTP): the pattern of
tests/e2e/test_sync_two_clients.py, shared with the GUI sync tests.

    server = ServerProcess(tmp_path)
    server.start()          # python -m commandcenter.server --port P --db tmp/server.db
    ...
    server.stop()           # SIGTERM, then kill
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select

from commandcenter.store import schema as t
from commandcenter.store.engine import make_engine
from commandcenter.sync import SyncClient

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "demo1234"


def wait_for(pred: Callable[[], Any], timeout: float = 15.0, what: str = "condition", tick: float = 0.05) -> Any:
    """A bounded condition poll (no bare sleeps)."""
    deadline = time.monotonic() + timeout
    ev = threading.Event()
    while True:
        value = pred()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        ev.wait(tick)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def child_env() -> dict[str, str]:
    """The environment of a child process that imports this checkout."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


def terminate(proc: subprocess.Popen[bytes] | None) -> None:
    """SIGTERM a child process, kill it if it has not ended 10 s later."""
    if proc is not None and proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def wait_until_answering(
    proc: subprocess.Popen[bytes], probe: SyncClient, log_path: Path, what: str, timeout: float = 60.0,
    tick: float = 0.05,
) -> None:
    """Wait until a started server answers ``probe``; if it exits or never answers, it is
    terminated (not left running after the test that failed to start it) and the wait fails."""

    def up() -> bool:
        if proc.poll() is not None:
            raise AssertionError(f"{what} exited: {log_path.read_text(errors='replace')[-3000:]}")
        return probe.ping()

    try:
        wait_for(up, timeout, f"{what} to answer", tick=tick)
    except BaseException:
        terminate(proc)
        raise


class TlsFiles:
    """A private CA and a certificate it signed for 127.0.0.1 and localhost (openssl, in ``folder``)."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.ca, self.ca_key = folder / "ca.pem", folder / "ca.key"
        self.cert, self.key = folder / "server.pem", folder / "server.key"
        csr, ext = folder / "server.csr", folder / "server.ext"
        ext.write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n")

        def run(*args: str) -> None:
            subprocess.run(["openssl", *args], check=True, capture_output=True)

        run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=CommandCenter test CA",
            "-keyout", str(self.ca_key), "-out", str(self.ca))
        run("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", str(self.key),
            "-out", str(csr))
        run("x509", "-req", "-in", str(csr), "-CA", str(self.ca), "-CAkey", str(self.ca_key), "-CAcreateserial",
            "-days", "2", "-extfile", str(ext), "-out", str(self.cert))


class ServerProcess:
    """One `python -m commandcenter.server` on 127.0.0.1; ``db`` and ``port`` may be shared
    or chosen (a second process on the same store, a known-closed port)."""

    def __init__(
        self, tmp: Path, db: Path | None = None, port: int | None = None, tls: TlsFiles | None = None
    ) -> None:
        self.port = port or free_port()
        self.db = db or tmp / "server.db"
        self.tmp = tmp
        self.tls = tls
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.log: IO[bytes] | None = None
        self.log_path: Path | None = None

    def start(self) -> None:
        env = child_env()
        self.log_path = self.tmp / f"server-{self.port}-{time.monotonic_ns()}.log"
        self.log = open(self.log_path, "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "commandcenter.server", "--port", str(self.port), "--db", str(self.db),
             "--log-level", "warning",
             *(["--tls-cert", str(self.tls.cert), "--tls-key", str(self.tls.key)] if self.tls else [])],
            cwd=self.tmp, stdout=self.log, stderr=subprocess.STDOUT, env=env,
        )
        probe = SyncClient(self.url, timeout=1.0, verify=str(self.tls.ca) if self.tls else True)
        wait_until_answering(self.proc, probe, self.log_path, "the server")

    def stop(self) -> None:
        terminate(self.proc)
        self.proc = None
        if self.log is not None:
            self.log.close()
            self.log = None

    def query(self, q: Any) -> list[Any]:
        engine = make_engine(self.db)
        try:
            with engine.connect() as conn:
                return list(conn.execute(q))
        finally:
            engine.dispose()

    def case_row(self, case_id: str) -> dict[str, Any] | None:
        rows = self.query(select(t.cases).where(t.cases.c.id == case_id))
        return dict(rows[0]._mapping) if rows else None
