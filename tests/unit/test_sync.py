"""The workstation side of sync on a real SQLite replica: push results, pulled
batches, rebase, sync problems, provisional codes, and the worker's status when
the server cannot be reached (a closed loopback port, no mocked HTTP)."""

from __future__ import annotations

import io
import socket
import threading
import time
from typing import Any

import pytest
from sqlalchemy import select

from commandcenter.domain.case import Command, new_id
from commandcenter.domain.enums import CommandType as C
from commandcenter.server.cli import prepare_store
from commandcenter.server.core import PushItem, ServerCore
from commandcenter.services.workspace import Workspace
from commandcenter.store import repo
from commandcenter.store import schema as t
from commandcenter.store.engine import make_engine
from commandcenter.sync import OFFLINE, Replica, SyncClient, SyncWorker, Unavailable, bootstrap_store
from commandcenter.sync.client import Slow
from tests.conftest import GRID1, GRIDDER, OPERATOR, OPERATOR2, make_workspace

CREATE = {"title": "占道经营", "grid_code": GRID1, "category_code": "0101"}


def outbox(ws) -> list[Any]:  # type: ignore[no-untyped-def]
    with ws.read() as conn:
        return list(conn.execute(select(t.outbox).order_by(t.outbox.c.client_seq)))


def server_row(ws, case_id: str, **changes: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """What the server would send for this case: the local row with some changes."""
    with ws.read() as conn:
        c = repo.get_case(conn, case_id)
    assert c is not None
    return {**repo.case_to_row(c), **changes}


def test_applied_create_takes_the_official_code(tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    ws = make_workspace(tmp_path / "a.db", clock)
    ws.commands.provisional_codes = True
    cid = new_id()
    assert ws.commands.apply(Command(C.CREATE, cid, OPERATOR, CREATE)).ok
    assert ws.case(cid).code.startswith("L-")  # type: ignore[union-attr]
    rep = Replica(ws)
    [row] = rep.pending()
    changed, rejected = rep.apply_results([{"command_id": row.command_id, "result": "applied", "case_id": cid,
                                            "version": 1, "code": "3301222026112400007"}])
    assert changed == [cid] and rejected == [] and rep.pending_count() == 0
    assert ws.case(cid).code == "3301222026112400007"  # type: ignore[union-attr]
    ws.close()


def test_a_rejected_command_is_undone_and_listed(tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    ws = make_workspace(tmp_path / "a.db", clock, n_cases=1)
    rep = Replica(ws)
    rep.apply_results([{"command_id": r.command_id, "result": "applied", "case_id": r.case_id} for r in rep.pending()])
    [case_id] = [r.case_id for r in outbox(ws)]
    before = server_row(ws, case_id)
    assert ws.commands.apply(Command(C.ACCEPT, case_id, OPERATOR, {}, base_version=1)).ok
    assert ws.case(case_id).status.value == "registered"  # type: ignore[union-attr]
    [row] = rep.pending()
    # the server had the case rejected by someone else meanwhile (version 2)
    srv = {**before, "status": "rejected", "is_open": False, "version": 2, "stage_deadline": None,
           "due_soon_at": None, "stage_started_at": None}
    changed, rejected = rep.apply_results([{"command_id": row.command_id, "result": "rejected", "case_id": case_id,
                                            "reason_code": "version_conflict", "reason": "事件已被他人更新",
                                            "case": srv}])
    assert changed == [case_id] and rejected == [row.command_id]
    c = ws.case(case_id)
    assert c is not None and c.version == 2 and c.status.value == "rejected"
    assert [h["action"] for h in ws.history(case_id)] == ["create"]  # the undone accept's record is gone
    [p] = rep.problems()
    assert (p["reason_code"], p["command_type"], p["case_code"], p["actor"]) == (
        "version_conflict", "accept", c.code, OPERATOR.username)
    assert outbox(ws)[-1].state == "rejected"
    rep.resolve_problem(p["id"])
    assert rep.problems() == [] and len(rep.problems(include_resolved=True)) == 1
    ws.close()


def test_a_rejected_create_removes_the_case_but_keeps_the_problem(tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    ws = make_workspace(tmp_path / "a.db", clock)
    cid = new_id()
    ws.commands.apply(Command(C.CREATE, cid, OPERATOR, CREATE))
    rep = Replica(ws)
    [row] = rep.pending()
    rep.apply_results([{"command_id": row.command_id, "result": "rejected", "case_id": cid,
                        "reason_code": "not_permitted", "reason": "无权上报", "case": None}])
    assert ws.case(cid) is None and ws.history(cid) == []
    [p] = rep.problems()
    assert p["case_title"] == "占道经营" and p["reason"] == "无权上报"
    ws.close()


def test_pulled_batch_is_applied_and_pending_commands_are_rebased(tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    ws = make_workspace(tmp_path / "a.db", clock, n_cases=2)
    rep = Replica(ws)
    rep.apply_results([{"command_id": r.command_id, "result": "applied", "case_id": r.case_id} for r in rep.pending()])
    c1, c2 = [r.case_id for r in outbox(ws)]
    base1, base2 = server_row(ws, c1), server_row(ws, c2)
    # local, still pending: a comment on c1 (commutative) and an accept of c2 based on version 1
    ws.commands.apply(Command(C.COMMENT, c1, OPERATOR, {"text": "本地备注"}))
    ws.commands.apply(Command(C.ACCEPT, c2, OPERATOR, {}, base_version=1))
    # the server: someone urged c1 (v2) and c2 (v2); and a brand-new case c3 from another workstation
    c3 = new_id()
    other = make_workspace(tmp_path / "other.db", clock)
    other.commands.apply(Command(C.CREATE, c3, OPERATOR2, CREATE))
    changes = [
        {"seq": 10, "case": {**base1, "version": 2, "urge_count": 1},
         "history": [{"case_id": c1, "version": 2, "action": "urge", "actor": "op2", "role": "operator",
                      "from_status": "reported", "to_status": "reported", "opinion": "", "details": "{}",
                      "at": 1, "client_ts": 1, "command_id": "srv-1"}]},
        {"seq": 11, "case": {**base2, "version": 2, "urge_count": 1}, "history": []},
        {"seq": 12, "case": server_row(other, c3, code="3301222026112400099"), "history": []},
    ]
    changed, created = rep.apply_changes(changes, cursor=12)
    assert set(changed) == {c1, c2, c3} and created == [c3] and rep.cursor() == 12
    a, b = ws.case(c1), ws.case(c2)
    assert a is not None and b is not None
    # c1: the server's urge plus the rebased local comment
    assert a.urge_count == 1 and a.version == 3
    # c2: the accept was based on version 1, the server is at 2: not rebased, left for the server to answer
    assert b.urge_count == 1 and b.version == 2 and b.status.value == "reported"
    assert rep.pending_count() == 2
    assert ws.case(c3).code == "3301222026112400099"  # type: ignore[union-attr]
    assert "srv-1" in [h["command_id"] for h in ws.history(c1)]
    # the feed proves a pending command was applied: it is marked so
    [comment] = [r for r in rep.pending() if r.type == "comment"]
    rep.apply_changes([{"seq": 13, "case": server_row(ws, c1), "history": [
        {"case_id": c1, "version": 3, "action": "comment", "actor": OPERATOR.username, "role": "operator",
         "from_status": "reported", "to_status": "reported", "opinion": "本地备注", "details": "{}", "at": 2,
         "client_ts": 2, "command_id": comment.command_id}]}], cursor=13)
    assert rep.pending_count() == 1
    assert [h["command_id"] for h in ws.history(c1)].count(comment.command_id) == 1
    other.close()
    ws.close()


def test_worker_is_offline_and_backs_off_when_the_server_is_unreachable(tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    ws = make_workspace(tmp_path / "a.db", clock, n_cases=2)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once the block ends: connections are refused
    worker = SyncWorker(ws, SyncClient(f"http://127.0.0.1:{port}", token="t", timeout=0.5), poll_timeout=0.1,
                        backoff_initial=0.01, backoff_cap=0.08)
    assert ws.commands.provisional_codes
    worker.start()
    deadline = time.monotonic() + 5
    tick = threading.Event()
    while worker._pull_backoff.delay < 0.08 and time.monotonic() < deadline:
        tick.wait(0.02)
    st = worker.status()
    worker.stop()
    assert st.state == OFFLINE and st.pending == 2 and st.last_sync is None and st.error
    assert worker._pull_backoff.delay == 0.08  # doubled up to the cap, not beyond
    # local work goes on regardless
    assert ws.commands.apply(Command(C.CREATE, new_id(), GRIDDER, CREATE)).ok
    ws.close()


class _FeedThatDropsOnce:
    """The server's change feed (a real ServerCore on its SQLite store, in-process) whose
    connection drops once, on the ``fail_at``-th request: the network failing half-way
    through a catch-up."""

    def __init__(self, core: Any, fail_at: int) -> None:
        self.core, self.fail_at, self.calls = core, fail_at, 0
        self.lock = threading.Lock()

    def changes(self, after: int, timeout: float = 0.0, limit: int = 1000) -> dict[str, Any]:
        with self.lock:
            self.calls += 1
            if self.calls == self.fail_at:
                raise Unavailable("GET /api/changes: connection reset")
        return dict(self.core.changes(after, limit))


def test_a_catch_up_cut_half_way_resumes_without_losing_or_repeating_a_change(tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(tmp_path / "server.db")
    prepare_store(engine)
    core = ServerCore(engine)
    bootstrap_store(tmp_path / "ws.db", core.bootstrap(), "")  # the workstation, before the changes
    token, _, _ = core.login("operator", "demo1234", "other-station")
    session = core.session(token)
    assert session is not None
    ids = [new_id() for _ in range(12)]
    seq = iter(range(1, 100))
    items = [PushItem(new_id(), next(seq), "create", cid, None, {"title": f"积水点{i}", "category_code": "0101", "address": "迎春南路1号"})
             for i, cid in enumerate(ids)]
    items += [PushItem(new_id(), next(seq), "accept", cid, 1) for cid in ids]
    results = core.push(session, items)
    assert {r["result"] for r in results} == {"applied"}, [r["reason"] for r in results if r["reason"]][:3]  # 24 changes
    ws = Workspace.open(tmp_path / "ws.db")
    feed = _FeedThatDropsOnce(core, fail_at=3)
    worker = SyncWorker(ws, feed, page=5, catch_up_batch=10)  # type: ignore[arg-type]
    with pytest.raises(Unavailable):
        worker.pull_once(0)
    cut = worker.replica.cursor()
    assert 5 <= cut < 24  # what was fetched before the cut is written, the rest is not
    while worker.pull_once(0):
        pass
    assert worker.replica.cursor() == 24
    with ws.read() as conn:
        hist = conn.execute(select(t.case_history.c.case_id, t.case_history.c.version)).all()
    assert sorted(hist) == sorted((cid, v) for cid in ids for v in (1, 2))  # each change exactly once
    for cid in ids:
        case = ws.case(cid)
        assert case is not None and case.version == 2 and case.status.value == "registered"
    ws.close()
    engine.dispose()


class _OneAnswerServer:
    """A loopback HTTP server that answers each request with the same raw bytes, then holds
    the connection open (``hold``) or closes it: what a server or a network dying in the
    middle of an answer leaves the client with."""

    def __init__(self, answer: bytes, hold: bool) -> None:
        self.answer, self.hold = answer, hold
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.requests = self.connections = 0
        self.done = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        conns = []
        while not self.done.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            conns.append(conn)
            self.connections += 1
            while True:
                data = conn.recv(65536)
                if not data:
                    break
                if b"\r\n\r\n" in data:
                    self.requests += 1
                    conn.sendall(self.answer)
                    if not self.hold:
                        conn.close()
                        break
        for c in conns:
            c.close()

    def close(self) -> None:
        self.done.set()
        self.sock.close()


def _answer(body: bytes, length: int | None = None) -> bytes:
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {length or len(body)}\r\n\r\n"
    return head.encode() + body


def test_an_answer_cut_off_half_way_is_reported_as_unavailable() -> None:
    srv = _OneAnswerServer(_answer(b'{"changes": [', length=5000), hold=False)
    try:
        with pytest.raises(Unavailable, match="cut off"):
            SyncClient(srv.url, token="t", timeout=2.0).changes(0)
    finally:
        srv.close()


def test_an_answer_that_stalls_half_way_is_reported_as_slow_within_the_timeout() -> None:
    srv = _OneAnswerServer(_answer(b'{"changes": [', length=5000), hold=True)
    t0 = time.monotonic()
    try:
        with pytest.raises(Slow, match="no answer within"):
            SyncClient(srv.url, token="t", timeout=0.3).changes(0)
    finally:
        srv.close()
    assert time.monotonic() - t0 < 5


def test_answers_are_read_whole_and_the_connection_is_kept_alive() -> None:
    body = b'{"changes": [], "cursor": 7, "last_seq": 7, "more": false, "pad": "' + b"x" * 200_000 + b'"}'
    srv = _OneAnswerServer(_answer(body), hold=True)
    try:
        client = SyncClient(srv.url, token="t", timeout=2.0)
        answers = [client.changes(0) for _ in range(3)]
        assert [a["cursor"] for a in answers] == [7, 7, 7] and len(answers[0]["pad"]) == 200_000
        assert srv.requests == 3 and srv.connections == 1  # kept alive: one connection carried all three
    finally:
        srv.close()


def test_the_fetch_process_reports_each_failure_as_the_in_process_fetch_would_raise_it() -> None:
    """sync.fetch hands its failures over a pipe: the worker must get the same exception
    (same class, message, login code, HTTP status) to go offline, degraded or log in again."""
    from commandcenter.sync import client as sc
    from commandcenter.sync.fetch import _error_frame, _read, _write, rebuild_error

    cases: list[BaseException] = [
        sc.Slow("GET /api/changes: no answer within 10 s"),
        sc.Unavailable("GET /api/changes: connection refused"),
        sc.AuthError("账号已锁定", "locked"),
        sc.ServerError("GET /api/changes: HTTP 500: boom", 500),
        ValueError("Expecting value: line 1 column 1"),
    ]
    pipe = io.BytesIO()
    for exc in cases:
        _write(pipe, _error_frame(exc))
    pipe.seek(0)
    back = []
    while (frame := _read(pipe)) is not None:
        back.append(rebuild_error(*frame[1:]))
    assert [type(e) for e in back] == [sc.Slow, sc.Unavailable, sc.AuthError, sc.ServerError, sc.SyncError]
    assert [str(e) for e in back[:4]] == [str(e) for e in cases[:4]]
    assert back[2].code == "locked" and back[3].status == 500  # type: ignore[attr-defined]
    assert str(back[4]) == "ValueError: Expecting value: line 1 column 1"
