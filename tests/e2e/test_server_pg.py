"""The command push and the change feed against PostgreSQL (the machine's server on
127.0.0.1:5432), with TWO server processes on one database: a long-poll held on one
process is woken (LISTEN/NOTIFY) by a command pushed to the other.

Isolation: a fresh database per module (CREATE DATABASE … TEMPLATE template0),
dropped afterwards. PostgreSQL missing is a failure, not a skip (CI starts it).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
pytest.importorskip("psycopg")

from sqlalchemy import func, select, text

from commandcenter.domain.case import Command
from commandcenter.domain.enums import CommandType as C
from commandcenter.services.workspace import Workspace
from commandcenter.store import schema as t
from commandcenter.store.engine import make_engine
from commandcenter.sync import SyncClient, SyncWorker, bootstrap_store
from tests.e2e.procs import Server, fresh_pg_database, wait_for

PASSWORD = "demo1234"
COUNTY = "330122"
CREATE = {"title": "路灯不亮", "category_code": "0101", "address": "迎春南路1号"}


class Pg:
    def __init__(self, url: str, a: Server, b: Server) -> None:
        self.url, self.a, self.b = url, a, b
        self.engine = make_engine(url)

    def rows(self, q: Any, **params: Any) -> list[Any]:
        with self.engine.connect() as conn:
            return list(conn.execute(q, params))


@pytest.fixture(scope="module")
def pg(tmp_path_factory) -> Iterator[Pg]:  # type: ignore[no-untyped-def]
    tmp: Path = tmp_path_factory.mktemp("pg")
    with fresh_pg_database() as url:
        a, b = Server(url, tmp, "server-a"), Server(url, tmp, "server-b")
        env = None
        try:
            a.start()  # migrates and seeds the new database
            b.start()  # finds it ready
            env = Pg(url, a, b)
            yield env
        finally:
            a.stop()
            b.stop()
            if env is not None:
                env.engine.dispose()


def client(server: Server, username: str, client_id: str | None = None) -> SyncClient:
    c = SyncClient(server.url, timeout=10.0)
    c.login(username, PASSWORD, client_id or f"pg-{username}-{uuid.uuid4().hex[:6]}")
    return c


class Seq:
    def __init__(self) -> None:
        self.n = 0

    def __call__(self) -> int:
        self.n += 1
        return self.n


def cmd(seq: Seq, ctype: C, case_id: str, payload: dict[str, Any] | None = None, base: int | None = None,
        **kw: Any) -> dict[str, Any]:
    return {"command_id": str(uuid.uuid4()), "client_seq": seq(), "type": ctype.value, "case_id": case_id,
            "base_version": base, "payload": payload or {}, **kw}


def last_seq(c: SyncClient) -> int:
    return int(c.changes(0, limit=1)["last_seq"])


def test_push_and_feed_on_postgresql(pg: Pg) -> None:
    a = client(pg.a, "operator", "pg-ws-a")
    b = client(pg.b, "operator2", "pg-ws-b")
    start = last_seq(a)
    sa, sb, cid = Seq(), Seq(), str(uuid.uuid4())
    batch = [cmd(sa, C.CREATE, cid, CREATE), cmd(sa, C.ACCEPT, cid, base=1)]
    first = a.push(batch)
    assert [(r["result"], r["version"]) for r in first] == [("applied", 1), ("applied", 2)]
    assert first[0]["code"].startswith(COUNTY) and len(first[0]["code"]) == 19
    # the same batch again, this time through the OTHER process: duplicates, nothing re-applied
    b_as_a = SyncClient(pg.b.url, token=a.token)
    again = b_as_a.push(batch)
    assert [(r["result"], r["original"], r["version"]) for r in again] == [
        ("duplicate", "applied", 1), ("duplicate", "applied", 2)]
    # per-client order is kept across processes
    late = b_as_a.push([{**cmd(Seq(), C.COMMENT, cid, {"text": "迟到"}), "client_seq": 1}])
    assert late[0]["result"] == "rejected" and late[0]["reason_code"] == "out_of_order"
    # a stale base version from another workstation: rejected with the server's case
    conflict = b.push([cmd(sb, C.REJECT, cid, {"reason": "重复"}, base=1)])
    assert conflict[0]["result"] == "rejected" and conflict[0]["reason_code"] == "version_conflict"
    assert conflict[0]["case"]["version"] == 2 and conflict[0]["case"]["status"] == "registered"
    ok = b.push([cmd(sb, C.COMMENT, cid, {"text": "已知悉"}, base=1)])  # commutative: applies
    assert ok[0]["result"] == "applied" and ok[0]["version"] == 3
    # the feed, read from either process, is the same ordered log
    for c in (a, b):
        feed = c.changes(start)
        assert [ch["seq"] for ch in feed["changes"]] == [start + 1, start + 2, start + 3]
        assert [ch["history"][0]["version"] for ch in feed["changes"]] == [1, 2, 3]
        assert [ch.get("case", {}).get("version") for ch in feed["changes"]] == [None, None, 3]
        assert [ch["history"][0]["action"] for ch in feed["changes"]] == ["create", "accept", "comment"]
        assert feed["cursor"] == start + 3 and not feed["more"]
    page = b.changes(start, limit=1)
    assert page["cursor"] == start + 1 and page["more"]
    empty = a.changes(start + 3, timeout=0.3)
    assert empty["changes"] == [] and empty["cursor"] == start + 3
    # server side: each applied command once in history, once in processed_commands, audited once as applied
    applied_ids = [batch[0]["command_id"], batch[1]["command_id"], ok[0]["command_id"]]
    for command_id in applied_ids:
        n_hist = pg.rows(select(func.count()).select_from(t.case_history).where(t.case_history.c.command_id == command_id))
        n_proc = pg.rows(select(func.count()).select_from(t.processed_commands)
                         .where(t.processed_commands.c.command_id == command_id))
        audit = pg.rows(select(t.audit_log.c.result).where(t.audit_log.c.command_id == command_id))
        assert n_hist[0][0] == 1 and n_proc[0][0] == 1, command_id
        assert sorted(r.result for r in audit).count("applied") == 1
    assert sorted(r.result for r in pg.rows(select(t.audit_log.c.result).where(
        t.audit_log.c.command_id == batch[0]["command_id"]))) == ["applied", "duplicate"]


def test_both_processes_listen_on_the_database(pg: Pg) -> None:
    dbname = pg.url.rsplit("/", 1)[1]
    n = wait_for(lambda: pg.rows(text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = :d AND query LIKE 'LISTEN%'"), d=dbname)[0][0] == 2,
        10, "both server processes to LISTEN")
    assert n


@pytest.mark.parametrize("direction", ["a->b", "b->a"])
def test_long_poll_on_one_process_is_woken_by_a_command_on_the_other(pg: Pg, direction: str) -> None:
    """With LISTEN up the feed re-reads the log only every 10 s: an answer within a
    couple of seconds can only come from the NOTIFY sent by the other process."""
    pusher_srv, poller_srv = (pg.a, pg.b) if direction == "a->b" else (pg.b, pg.a)
    pusher, poller = client(pusher_srv, "operator"), client(poller_srv, "operator2")
    s, cid = Seq(), str(uuid.uuid4())
    pusher.push([cmd(s, C.CREATE, cid, CREATE)])
    cursor = last_seq(poller)
    got: dict[str, Any] = {}

    def poll() -> None:
        t0 = time.monotonic()
        got["out"] = poller.changes(cursor, timeout=8.0)
        got["done"] = time.monotonic()
        got["held"] = got["done"] - t0

    th = threading.Thread(target=poll)
    th.start()
    threading.Event().wait(1.0)  # the poll is now held by the poller's process
    assert th.is_alive(), "the long-poll answered before any change"
    res = pusher.push([cmd(s, C.URGE, cid, {"opinion": "请尽快"})])
    pushed = time.monotonic()
    assert res[0]["result"] == "applied"
    th.join(10)
    assert not th.is_alive()
    assert [ch["case"]["id"] for ch in got["out"]["changes"]] == [cid]
    assert got["out"]["changes"][0]["history"][0]["action"] == "urge"
    latency = got["done"] - pushed
    assert got["held"] >= 0.9 and latency < 2.5, (got["held"], latency)


def test_concurrent_pushes_on_two_processes_keep_one_ordered_log(pg: Pg) -> None:
    ca, cb = client(pg.a, "operator"), client(pg.b, "operator2")
    start = last_seq(ca)
    n_each, results = 30, {}
    barrier = threading.Barrier(2)

    def run(name: str, c: SyncClient) -> None:
        s = Seq()
        barrier.wait(10)
        out = []
        for i in range(0, n_each, 5):
            out += c.push([cmd(s, C.CREATE, str(uuid.uuid4()), {**CREATE, "title": f"{name}{j}"})
                           for j in range(i, i + 5)])
        results[name] = out

    ths = [threading.Thread(target=run, args=(n, c)) for n, c in (("甲", ca), ("乙", cb))]
    for th in ths:
        th.start()
    for th in ths:
        th.join(60)
    every = results["甲"] + results["乙"]
    assert len(every) == 2 * n_each and {r["result"] for r in every} == {"applied"}
    assert len({r["code"] for r in every}) == 2 * n_each  # official codes unique across processes
    feed = ca.changes(start, limit=5000)
    seqs = [ch["seq"] for ch in feed["changes"]]
    assert seqs == list(range(start + 1, start + 1 + 2 * n_each))  # gap-free, in order
    assert {ch["case"]["id"] for ch in feed["changes"]} == {r["case_id"] for r in every}
    # the same case changed from both processes at once: exactly one wins
    cases = [str(uuid.uuid4()) for _ in range(4)]
    setup = Seq()
    setup.n = 100  # after the creates above (same client)
    made = ca.push([cmd(setup, C.CREATE, cid, CREATE) for cid in cases])
    assert {r["result"] for r in made} == {"applied"}
    outcomes: dict[str, list[str]] = {cid: [] for cid in cases}
    lock = threading.Lock()
    barrier2 = threading.Barrier(2)

    def accept_all(c: SyncClient) -> None:
        s = Seq()
        s.n = 1000
        barrier2.wait(10)
        for cid in cases:
            r = c.push([cmd(s, C.ACCEPT, cid, base=1)])[0]
            with lock:
                outcomes[cid].append(r["reason_code"] or r["result"])

    ths = [threading.Thread(target=accept_all, args=(SyncClient(srv.url, token=c.token),))
           for srv, c in ((pg.a, ca), (pg.b, cb))]
    for th in ths:
        th.start()
    for th in ths:
        th.join(60)
    for cid in cases:
        assert sorted(outcomes[cid]) == ["applied", "version_conflict"], outcomes[cid]


class Station:
    def __init__(self, server: Server, path: Path, username: str) -> None:
        boot = client(server, username)
        bootstrap_store(path, boot.bootstrap(history=False), server.url)
        self.ws = Workspace.open(path)
        actor = self.ws.actor(username)
        assert actor is not None
        self.actor = actor
        self.worker = SyncWorker(self.ws, SyncClient(server.url, timeout=5.0), username, PASSWORD,
                                 poll_timeout=2.0, backoff_initial=0.05, backoff_cap=0.5, push_interval=0.2)
        self.worker.start()

    def close(self) -> None:
        self.worker.stop()
        self.ws.close()


def test_two_workstations_on_two_server_processes_converge(pg: Pg, tmp_path) -> None:  # type: ignore[no-untyped-def]
    a = Station(pg.a, tmp_path / "a.db", "operator")
    b = Station(pg.b, tmp_path / "b.db", "operator2")
    try:
        cid = str(uuid.uuid4())
        assert a.ws.commands.apply(Command(C.CREATE, cid, a.actor, CREATE)).ok
        seen = wait_for(lambda: b.ws.case(cid), 15, "B (on server-b) to receive A's case (pushed to server-a)")
        assert seen.code.startswith(COUNTY)
        assert b.ws.commands.apply(Command(C.COMMENT, cid, b.actor, {"text": "乙已知悉"})).ok
        wait_for(lambda: [h["action"] for h in a.ws.history(cid)] == ["create", "comment"], 15,
                 "A to receive B's comment")
        wait_for(lambda: a.worker.status().pending == 0 and b.worker.status().pending == 0, 15, "empty outboxes")
        ca, cb = a.ws.case(cid), b.ws.case(cid)
        assert ca is not None and cb is not None and (ca.version, ca.code) == (cb.version, cb.code) == (2, seen.code)
    finally:
        a.close()
        b.close()
