"""Helpers for the end-to-end tests that run real server processes on loopback:
a server subprocess over any store URL, bounded condition waits, and a fresh
PostgreSQL database per test module (dropped afterwards)."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.sync_helpers import (  # noqa: F401  (ROOT, wait_for re-exported)
    ROOT,
    child_env,
    free_port,
    terminate,
    wait_for,
    wait_until_answering,
)

PG_HOST, PG_PORT = "127.0.0.1", 5432
PG_ADMIN_DSN = f"postgresql://postgres@{PG_HOST}:{PG_PORT}/test"


class Server:
    """`python -m commandcenter.server --port P --db TARGET` as a subprocess."""

    def __init__(self, db: str | Path, workdir: Path, name: str = "server") -> None:
        self.db = str(db)
        self.workdir = workdir
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = workdir / f"{name}.log"

    def start(self, timeout: float = 60.0) -> Server:
        from commandcenter.sync import SyncClient

        self._log = open(self.log_path, "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "commandcenter.server", "--port", str(self.port), "--db", self.db,
             "--log-level", "warning"],
            cwd=self.workdir, stdout=self._log, stderr=subprocess.STDOUT, env=child_env(),
        )
        wait_until_answering(self.proc, SyncClient(self.url, timeout=1.0), self.log_path, self.name, timeout, 0.1)
        return self

    def stop(self) -> None:
        terminate(self.proc)
        self.proc = None
        if getattr(self, "_log", None) is not None:
            self._log.close()
            self._log = None

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def pg_admin_connect() -> Any:
    """An autocommit psycopg connection to the machine's PostgreSQL, or a clear FAILURE
    (never a skip: CI guarantees the server, see .ci/run)."""
    import psycopg

    try:
        return psycopg.connect(PG_ADMIN_DSN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(
            f"PostgreSQL is not reachable at {PG_HOST}:{PG_PORT} as user postgres, database test ({exc}). "
            "These tests need it: .ci/run starts it; by hand: pg_ctlcluster <version> main start",
            pytrace=False,
        )


@contextmanager
def fresh_pg_database(prefix: str = "cc_e2e") -> Iterator[str]:
    """A new, empty database for one test module; yields its SQLAlchemy URL; dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = pg_admin_connect()
    try:
        admin.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")
        try:
            yield f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/{name}"
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        admin.close()
