"""Two workstations and a real server process on loopback (no mocked HTTP).

The server is `python -m commandcenter.server --port P --db <tmp sqlite>`; each
workstation has its own SQLite replica, bootstrapped from the server, and a
SyncWorker. Waits are bounded condition polls, never bare sleeps.
"""

from __future__ import annotations

import logging
import shutil
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from sqlalchemy import func, select

from commandcenter.domain.case import Actor, Command
from commandcenter.domain.enums import CommandType as C
from commandcenter.services.workspace import Workspace
from commandcenter.store import schema as t
from commandcenter.sync import OFFLINE, ONLINE, SyncClient, SyncWorker, bootstrap_store
from tests import sync_helpers
from tests.sync_helpers import PASSWORD, wait_for

COUNTY = "330122"
CASE_FIELDS = ("id", "code", "version", "status", "department_code", "urge_count", "centre_code")


class ServerProcess(sync_helpers.ServerProcess):
    def case(self, case_id: str) -> dict[str, Any] | None:
        rows = self.query(select(*[t.cases.c[f] for f in CASE_FIELDS]).where(t.cases.c.id == case_id))
        return dict(rows[0]._mapping) if rows else None


class Station:
    def __init__(self, server: ServerProcess, path: Path, username: str) -> None:
        client = SyncClient(server.url)
        client.login(username, PASSWORD, f"boot-{uuid.uuid4().hex[:8]}")
        bootstrap_store(path, client.bootstrap(), server.url)
        self.ws = Workspace.open(path)
        self.username = username
        self.server = server
        actor = self.ws.actor(username)
        assert actor is not None
        self.actor: Actor = actor
        self.worker: SyncWorker | None = None

    def start(self, run: bool = True, **options: Any) -> None:
        client = SyncClient(self.server.url, timeout=3.0)
        self.worker = SyncWorker(self.ws, client, self.username, PASSWORD, poll_timeout=1.0,
                                 backoff_initial=0.05, backoff_cap=0.5, push_interval=0.2, **options)
        if run:
            self.worker.start()

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.worker = None

    def do(self, ctype: C, case_id: str, payload: dict[str, Any], base: int | None = None) -> None:
        out = self.ws.commands.apply(Command(ctype, case_id, self.actor, payload, base_version=base))
        assert out.ok, out.reason

    def case(self, case_id: str) -> dict[str, Any] | None:
        c = self.ws.case(case_id)
        if c is None:
            return None
        return {"id": c.id, "code": c.code, "version": c.version, "status": c.status.value,
                "department_code": c.department_code, "urge_count": c.urge_count, "centre_code": c.centre_code}

    def pending(self) -> int:
        assert self.worker is not None
        return self.worker.status().pending

    def outbox(self) -> list[Any]:
        with self.ws.read() as conn:
            return list(conn.execute(select(t.outbox.c.command_id, t.outbox.c.state)))


@pytest.fixture
def world(tmp_path) -> Iterator[tuple[ServerProcess, Station, Station]]:  # type: ignore[no-untyped-def]
    server = ServerProcess(tmp_path)
    server.start()
    a = Station(server, tmp_path / "a.db", "operator")
    b = Station(server, tmp_path / "b.db", "operator2")
    a.start()
    b.start()
    try:
        yield server, a, b
    finally:
        a.stop()
        b.stop()
        a.ws.close()
        b.ws.close()
        server.stop()


def new_case(st: Station, title: str) -> str:
    cid = str(uuid.uuid4())
    st.do(C.CREATE, cid, {"title": title, "category_code": "0101", "address": "迎春南路1号"})
    return cid


def converged(server: ServerProcess, stations: tuple[Station, ...], case_ids: list[str]) -> bool:
    for cid in case_ids:
        want = server.case(cid)
        if want is None or any(st.case(cid) != want for st in stations):
            return False
    return all(st.pending() == 0 for st in stations)


def test_case_created_on_a_shows_up_on_b_with_the_official_code(world) -> None:  # type: ignore[no-untyped-def]
    server, a, b = world
    cid = new_case(a, "两车剐蹭占道")
    local = a.case(cid)
    assert local is not None and local["code"].startswith("L-")
    seen = wait_for(lambda: b.case(cid), what="B to receive A's case")
    assert not seen["code"].startswith("L-") and seen["code"].startswith(COUNTY)
    wait_for(lambda: a.case(cid) == server.case(cid) == b.case(cid), what="A, B and the server to agree")
    wa = a.worker
    assert wa is not None
    wait_for(lambda: wa.status().state == ONLINE, what="A's status to say online")


def test_concurrent_reassign_one_applied_one_rejected_and_shown(world) -> None:  # type: ignore[no-untyped-def]
    server, a, b = world
    depts = sorted(d.code for d in a.ws.ref.departments.values() if d.centre_code == COUNTY)
    cid = new_case(a, "井盖缺失")
    a.do(C.ACCEPT, cid, {}, base=1)
    a.do(C.DISPATCH, cid, {"department_code": depts[0]}, base=2)
    wait_for(lambda: (b.case(cid) or {}).get("version") == 3, what="B to see the dispatched case")
    b.stop()  # B keeps working on its replica, not yet talking to the server
    a.do(C.REASSIGN, cid, {"department_code": depts[1], "reason": "职责调整"}, base=3)
    b.do(C.REASSIGN, cid, {"department_code": depts[2], "reason": "就近处置"}, base=3)
    wait_for(lambda: a.pending() == 0, what="A's reassign to be answered")
    assert server.case(cid)["department_code"] == depts[1]  # type: ignore[index]
    b.start()
    problems = wait_for(lambda: b.worker.problems(), what="B's sync problem")  # type: ignore[union-attr]
    assert len(problems) == 1
    p = problems[0]
    assert p["reason_code"] == "version_conflict" and p["reason"] and p["command_type"] == "reassign"
    assert p["case_id"] == cid and p["case_code"] == server.case(cid)["code"]  # type: ignore[index]
    wait_for(lambda: converged(server, (a, b), [cid]), what="B's case to equal the server's")
    assert b.case(cid)["department_code"] == depts[1]  # type: ignore[index]
    states = {s for _, s in b.outbox()}
    assert states == {"rejected"} and a.worker is not None and not a.worker.problems()


def test_outage_both_converge_and_every_command_is_applied_once(world) -> None:  # type: ignore[no-untyped-def]
    server, a, b = world
    shared = new_case(a, "路灯不亮")
    wait_for(lambda: b.case(shared) and a.pending() == 0, what="the shared case on B")
    server.stop()
    for st in (a, b):
        st.do(C.COMMENT, shared, {"text": f"{st.username} 离线备注"})
    a.do(C.URGE, shared, {"opinion": "请尽快"})
    a_case = new_case(a, "离线上报甲")
    b_case = new_case(b, "离线上报乙")
    b.do(C.ACCEPT, b_case, {}, base=1)
    wait_for(lambda: a.worker.status().state == OFFLINE and b.worker.status().state == OFFLINE,  # type: ignore[union-attr]
             what="both workers to notice the outage")
    assert a.pending() == 3 and b.pending() == 3
    assert a.case(a_case)["code"].startswith("L-")  # type: ignore[index]
    server.start()
    ids = [shared, a_case, b_case]
    wait_for(lambda: converged(server, (a, b), ids), 20, "both workstations to converge")
    assert server.case(shared)["urge_count"] == 1 and server.case(shared)["version"] == 4  # type: ignore[index]
    assert not server.case(a_case)["code"].startswith("L-")  # type: ignore[index]
    assert server.case(b_case)["status"] == "registered"  # type: ignore[index]
    # exactly once: every command of both outboxes processed once, applied, with one history record
    sent = [cmd for st in (a, b) for cmd, _ in st.outbox()]
    assert {s for st in (a, b) for _, s in st.outbox()} == {"applied"}
    processed = server.query(select(t.processed_commands.c.command_id, t.processed_commands.c.result))
    assert sorted(c for c, _ in processed) == sorted(sent) and {r for _, r in processed} == {"applied"}
    hist = server.query(select(t.case_history.c.command_id, func.count()).group_by(t.case_history.c.command_id))
    assert sorted(c for c, _ in hist) == sorted(sent) and {n for _, n in hist} == {1}
    audited = server.query(select(t.audit_log.c.command_id).where(t.audit_log.c.action == "command",
                                                                  t.audit_log.c.result == "applied"))
    assert sorted(c for (c,) in audited) == sorted(sent)  # audited as applied once each (retries: "duplicate")
    server_hist = [r.command_id for r in server.query(
        select(t.case_history.c.command_id).where(t.case_history.c.case_id == shared).order_by(t.case_history.c.version))]
    for st in (a, b):
        assert [h["command_id"] for h in st.ws.history(shared)] == server_hist


@pytest.mark.parametrize("fetch", ["process", "thread", "no-python", "child-says-nothing"])
def test_back_from_a_long_outage_the_replica_catches_up_page_by_page(world, fetch, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    """B, 36 changes behind, catches up: its pages fetched by a fetch process (sync.fetch), on
    a thread, or, where the process cannot start or ends without a word, in-process after all."""
    server, a, b = world
    b.stop()
    depts = sorted(d.code for d in a.ws.ref.departments.values() if d.centre_code == COUNTY)
    ids = []
    for i in range(12):  # 36 changes: each case created, accepted and dispatched
        cid = new_case(a, f"积水点{i}")
        a.do(C.ACCEPT, cid, {}, base=1)
        a.do(C.DISPATCH, cid, {"department_code": depts[i % len(depts)]}, base=2)
        ids.append(cid)
    wait_for(lambda: a.pending() == 0, what="A's commands to reach the server")
    # B comes back 36 changes behind, fetching 5 a page and writing the pages it has in hand together
    b.start(run=False, page=5, catch_up_batch=12, fetch_in_process=fetch != "thread")
    assert b.worker is not None
    if fetch == "no-python":
        monkeypatch.setattr(sys, "executable", str(Path(__file__).parent / "no-such-python"))
    elif fetch == "child-says-nothing":
        monkeypatch.setattr(sys, "executable", shutil.which("true"))
    caplog.set_level(logging.INFO, logger="commandcenter.sync.worker")
    batches: list[int] = []
    apply_pulled = b.worker.replica.apply_pulled

    def counted(pulled: Any, cursor: int) -> Any:
        batches.append(pulled.changes)
        return apply_pulled(pulled, cursor)

    b.worker.replica.apply_pulled = counted  # type: ignore[method-assign]
    b.worker.start()
    wait_for(lambda: converged(server, (a, b), ids), 20, "B to catch up with the server")
    for cid in ids:
        assert [h["action"] for h in b.ws.history(cid)] == ["create", "accept", "dispatch"]
        assert b.case(cid)["status"] == server.case(cid)["status"] == "dispatched"  # type: ignore[index]
    assert sum(batches) == 36 and max(batches) <= 12  # every change once, at most 12 a transaction
    wait_for(lambda: any("caught up" in r.getMessage() for r in caplog.records), what="the catch-up's log line")
    [done] = [r.getMessage() for r in caplog.records if "caught up" in r.getMessage()]
    assert done.startswith("caught up 36 changes")
    if fetch == "process":
        assert done.endswith("(pages fetched by a fetch process)") and b.worker.fetch_in_process
    else:
        assert done.endswith("(pages fetched in-process)")
        # the process could not run: said once in the log, and not tried again by this worker
        assert (fetch == "thread") == (not any("fetch process" in r.getMessage() for r in caplog.records
                                               if r.levelno == logging.WARNING))
        assert not b.worker.fetch_in_process
