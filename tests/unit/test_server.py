"""The platform server's HTTP API, through FastAPI's TestClient over a real SQLite file."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient
from sqlalchemy import func, insert, select

from commandcenter.domain.enums import CommandType as C
from commandcenter.domain.enums import Role
from commandcenter.domain.permissions import can
from commandcenter.domain.timeutil import local, utcnow
from commandcenter.server import create_app
from commandcenter.services.auth import hash_password
from commandcenter.store import repo
from commandcenter.store import schema as t
from commandcenter.store.engine import make_engine, write_tx
from commandcenter.store.migrate import upgrade
from tests.conftest import COUNTY, GRID1, T1, small_reference

PASSWORD = "pw-1234"
# username -> (role, centre, department)
USERS: dict[str, tuple[Role, str, str | None]] = {
    "op1": (Role.OPERATOR, T1, None),
    "op2": (Role.OPERATOR, T1, None),
    "lead1": (Role.SHIFT_LEAD, T1, None),
    "sup1": (Role.SUPERVISOR, COUNTY, None),
    "h1": (Role.DEPT_HANDLER, T1, "D-330122001-enforcement"),
    "g1": (Role.GRID_WORKER, T1, None),
    "wall": (Role.WALL, COUNTY, None),
    "admin": (Role.ADMIN, COUNTY, None),
    "audit": (Role.AUDITOR, COUNTY, None),
}


def make_server_db(path: Path) -> str:
    engine = make_engine(path)
    upgrade(engine)
    ref = small_reference()
    pw = hash_password(PASSWORD, n=2**10)
    with write_tx(engine) as conn:
        org = [{"code": u.code, "name": u.name, "level": u.level.value, "parent_code": u.parent_code}
               for u in ref.org_units.values()]
        repo.write_reference(conn, org, ref.centres.values(), ref.departments.values(), list(ref.categories.values()))
        repo.set_meta(conn, "county_code", COUNTY)
        conn.execute(insert(t.users), [
            {"username": u, "display_name": u, "role": r.value, "centre_code": c, "department_code": d,
             "password_hash": pw, "active": True}
            for u, (r, c, d) in USERS.items()
        ])
    engine.dispose()
    return str(path)


@pytest.fixture
def server(tmp_path):  # type: ignore[no-untyped-def]
    db = make_server_db(tmp_path / "server.db")
    with TestClient(create_app(db)) as client:
        client.db_path = db  # type: ignore[attr-defined]
        yield client


def login(client: TestClient, username: str, client_id: str | None = None) -> dict[str, str]:
    r = client.post("/api/login", json={"username": username, "password": PASSWORD,
                                        "client_id": client_id or f"ws-{username}"})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


class Seq:
    def __init__(self) -> None:
        self.n = 0

    def __call__(self) -> int:
        self.n += 1
        return self.n


def cmd(seq: Seq, ctype: C, case_id: str, payload: dict[str, Any] | None = None,
        base: int | None = None, **kw: Any) -> dict[str, Any]:
    return {"command_id": str(uuid.uuid4()), "client_seq": seq(), "type": ctype.value, "case_id": case_id,
            "base_version": base, "payload": payload or {}, **kw}


CREATE = {"title": "占道经营", "grid_code": GRID1, "category_code": "0101", "reporter_phone": "13812345678"}


def push(client: TestClient, headers: dict[str, str], *cmds: dict[str, Any]) -> list[dict[str, Any]]:
    r = client.post("/api/commands", json={"commands": list(cmds)}, headers=headers)
    assert r.status_code == 200, r.text
    return list(r.json()["results"])


def count(db: str, table: Any, *where: Any) -> int:
    engine = make_engine(db)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())
    finally:
        engine.dispose()


def test_every_endpoint_but_login_needs_a_token(server) -> None:  # type: ignore[no-untyped-def]
    routes = [(m, r.path) for r in server.app.routes if r.path.startswith("/api/")
              for m in getattr(r, "methods", ()) if m in ("GET", "POST")]
    assert {p for _, p in routes} >= {"/api/login", "/api/bootstrap", "/api/reference", "/api/commands",
                                      "/api/changes", "/api/wall"}
    for method, path in routes:
        if path == "/api/login":
            continue
        for headers in ({}, {"Authorization": "Bearer not-a-token"}):
            r = server.request(method, path, headers=headers, json={} if method == "POST" else None)
            assert r.status_code == 401, (method, path, r.status_code)
    assert server.get("/openapi.json").status_code == 200


def test_login_tokens_are_stored_hashed_and_expire(server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    r = server.post("/api/login", json={"username": "op1", "password": PASSWORD, "client_id": "ws1"})
    body = r.json()
    assert r.status_code == 200 and body["user"]["role"] == "operator" and len(body["token"]) >= 32
    engine = make_engine(server.db_path)
    with engine.connect() as conn:
        stored = conn.execute(select(t.tokens.c.token_hash)).scalars().all()
    engine.dispose()
    assert body["token"] not in stored and len(stored) == 1 and len(stored[0]) == 64
    assert server.get("/api/reference", headers={"Authorization": f"Bearer {body['token']}"}).status_code == 200
    # an expired token is refused
    from sqlalchemy import update
    engine = make_engine(server.db_path)
    with write_tx(engine) as conn:
        conn.execute(update(t.tokens).values(expires_at=0))
    engine.dispose()
    assert server.get("/api/reference", headers={"Authorization": f"Bearer {body['token']}"}).status_code == 401


def test_failed_logins_lock_the_account_and_are_audited(server) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        r = server.post("/api/login", json={"username": "op2", "password": "wrong", "client_id": "ws"})
        assert r.status_code == 401 and r.json()["detail"]["code"] == "bad_credentials"
    r = server.post("/api/login", json={"username": "op2", "password": PASSWORD, "client_id": "ws"})
    assert r.status_code == 429 and r.json()["detail"]["code"] == "locked"
    # other users are not affected
    login(server, "op1")
    assert count(server.db_path, t.audit_log, t.audit_log.c.action == "login_failed") == 5
    assert count(server.db_path, t.audit_log, t.audit_log.c.action == "login_locked") == 1
    assert count(server.db_path, t.audit_log, t.audit_log.c.action == "login") == 1


def test_create_gets_an_official_code_and_a_repeated_batch_is_duplicate(server) -> None:  # type: ignore[no-untyped-def]
    h = login(server, "op1")
    seq, cid = Seq(), str(uuid.uuid4())
    batch = [cmd(seq, C.CREATE, cid, CREATE), cmd(seq, C.ACCEPT, cid, {}, base=1)]
    first = push(server, h, *batch)
    assert [r["result"] for r in first] == ["applied", "applied"]
    day = local(utcnow()).strftime("%Y%m%d")
    assert first[0]["code"] == f"{COUNTY}{day}00001" and first[0]["version"] == 1 and first[1]["version"] == 2
    again = push(server, h, *batch)
    assert [(r["result"], r["original"], r["version"]) for r in again] == [
        ("duplicate", "applied", 1), ("duplicate", "applied", 2)]
    assert count(server.db_path, t.case_history, t.case_history.c.case_id == cid) == 2
    assert count(server.db_path, t.processed_commands) == 2
    assert count(server.db_path, t.audit_log, t.audit_log.c.action == "command") == 4


def test_commands_apply_in_client_order(server) -> None:  # type: ignore[no-untyped-def]
    h = login(server, "op1")
    seq, cid = Seq(), str(uuid.uuid4())
    # accept before create (in the batch's order) is refused: the case does not exist yet
    s_create, s_accept = seq(), seq()
    res = push(server, h,
               {**cmd(Seq(), C.ACCEPT, cid, {}, base=1), "client_seq": s_accept - 1},
               {**cmd(Seq(), C.CREATE, cid, CREATE), "client_seq": s_accept})
    assert [r["result"] for r in res] == ["rejected", "applied"] and res[0]["reason_code"] == "not_found"
    # a sequence number at or below one already processed is refused as out of order
    late = push(server, h, {**cmd(Seq(), C.COMMENT, cid, {"text": "迟到"}), "client_seq": s_create})
    assert late[0]["result"] == "rejected" and late[0]["reason_code"] == "out_of_order"


def test_version_conflict_is_rejected_with_the_servers_case(server) -> None:  # type: ignore[no-untyped-def]
    a, b = login(server, "op1", "wsA"), login(server, "op2", "wsB")
    sa, sb, cid = Seq(), Seq(), str(uuid.uuid4())
    push(server, a, cmd(sa, C.CREATE, cid, CREATE))
    ra = push(server, a, cmd(sa, C.ACCEPT, cid, {}, base=1))
    rb = push(server, b, cmd(sb, C.REJECT, cid, {"reason": "重复"}, base=1))
    assert ra[0]["result"] == "applied"
    assert rb[0]["result"] == "rejected" and rb[0]["reason_code"] == "version_conflict" and rb[0]["reason"]
    assert rb[0]["case"]["version"] == 2 and rb[0]["case"]["status"] == "registered"
    # commutative commands skip the check
    rc = push(server, b, cmd(sb, C.COMMENT, cid, {"text": "已知悉"}, base=1))
    assert rc[0]["result"] == "applied" and rc[0]["version"] == 3


def test_the_actor_is_the_tokens_user(server) -> None:  # type: ignore[no-untyped-def]
    h = login(server, "g1")
    seq, cid = Seq(), str(uuid.uuid4())
    forged = push(server, h, cmd(seq, C.CREATE, cid, CREATE, actor={"username": "lead1", "role": "shift_lead"}))
    assert forged[0]["result"] == "rejected" and forged[0]["reason_code"] == "not_permitted"
    ok = push(server, h, cmd(seq, C.CREATE, cid, CREATE, actor={"username": "g1", "role": "shift_lead"}))
    assert ok[0]["result"] == "applied"
    # the grid worker may not accept, whatever role the body claims
    res = push(server, h, cmd(seq, C.ACCEPT, cid, {}, base=1))
    assert res[0]["reason_code"] == "not_permitted"
    feed = server.get("/api/changes", params={"after": 0}, headers=h).json()
    assert feed["changes"][0]["history"][0]["actor"] == "g1" and feed["changes"][0]["history"][0]["role"] == "grid_worker"


@pytest.mark.parametrize("username", list(USERS))
def test_each_role_against_each_command_follows_the_permission_table(server, username) -> None:  # type: ignore[no-untyped-def]
    role = USERS[username][0]
    setup = login(server, "lead1", "setup")
    s, cid = Seq(), str(uuid.uuid4())
    push(server, setup, cmd(s, C.CREATE, cid, CREATE), cmd(s, C.ACCEPT, cid, {}, base=1),
         cmd(s, C.DISPATCH, cid, {"department_code": "D-330122001-enforcement"}, base=2))
    h = login(server, username)
    mine = Seq()
    payloads: dict[C, dict[str, Any]] = {
        C.CREATE: CREATE, C.COMMENT: {"text": "备注"}, C.URGE: {"opinion": "请尽快"}, C.SUPERVISE: {"opinion": "督办"},
        C.SIGN: {}, C.REASSIGN: {"department_code": "D-330122001-governance", "reason": "职责"},
        C.SUSPEND: {"reason": "等待"}, C.CLOSE: {}, C.ACCEPT: {}, C.REVEAL_PII: {"reason": "回访"},
    }
    for ctype, payload in payloads.items():
        target = str(uuid.uuid4()) if ctype is C.CREATE else cid
        res = push(server, h, cmd(mine, ctype, target, payload))[0]
        refused_by_table = res["result"] == "rejected" and res["reason_code"] == "not_permitted"
        assert refused_by_table == (not can(role, ctype)), (role, ctype, res)


def test_change_feed_leaves_out_a_case_row_only_when_a_later_change_carries_it(server) -> None:  # type: ignore[no-untyped-def]
    h = login(server, "op1")
    seq, cid, other = Seq(), str(uuid.uuid4()), str(uuid.uuid4())
    tricky = {**CREATE, "title": 'a,"history":[}"x', "description": '},"history":[{"case":{'}
    push(server, h, cmd(seq, C.CREATE, cid, tricky), cmd(seq, C.CREATE, other, CREATE),
         cmd(seq, C.ACCEPT, cid, {}, base=1))
    feed = server.get("/api/changes", params={"after": 0}, headers=h).json()
    first, second, third = feed["changes"]
    assert "case" not in first and first["history"][0]["case_id"] == cid  # cid changes again below
    assert second["case"]["id"] == other  # its only change: the row is there
    assert third["case"]["title"] == tricky["title"] and third["case"]["description"] == tricky["description"]
    assert third["case"]["version"] == 2


def test_change_feed_orders_changes_and_long_polls(server) -> None:  # type: ignore[no-untyped-def]
    h = login(server, "op1")
    seq, cid = Seq(), str(uuid.uuid4())
    push(server, h, cmd(seq, C.CREATE, cid, CREATE), cmd(seq, C.ACCEPT, cid, {}, base=1))
    feed = server.get("/api/changes", params={"after": 0}, headers=h).json()
    assert [c["seq"] for c in feed["changes"]] == [1, 2] and feed["cursor"] == 2 and not feed["more"]
    assert [c["history"][0]["version"] for c in feed["changes"]] == [1, 2]
    assert feed["changes"][1]["history"][0]["action"] == "accept"
    # the case row once, with its last change in the answer: the earlier one carries its history alone
    assert "case" not in feed["changes"][0] and feed["changes"][1]["case"]["version"] == 2
    # paging
    page = server.get("/api/changes", params={"after": 0, "limit": 1}, headers=h).json()
    assert page["cursor"] == 1 and page["more"]
    assert page["changes"][0]["case"]["version"] == 1 and page["changes"][0]["case"]["status"] == "reported"
    # nothing new: an empty answer after the timeout
    empty = server.get("/api/changes", params={"after": 2, "timeout": 0.2}, headers=h).json()
    assert empty["changes"] == [] and empty["cursor"] == 2
    # a long-poll is woken by a command from another client
    got: dict[str, Any] = {}
    started = threading.Event()

    def poll() -> None:
        started.set()
        got["r"] = server.get("/api/changes", params={"after": 2, "timeout": 20}, headers=h).json()

    th = threading.Thread(target=poll)
    th.start()
    started.wait(5)
    push(server, login(server, "op2", "other"), cmd(Seq(), C.COMMENT, cid, {"text": "唤醒"}))
    th.join(10)
    assert not th.is_alive() and [c["seq"] for c in got["r"]["changes"]] == [3]


def test_bootstrap_and_reference_carry_no_password_hashes(server) -> None:  # type: ignore[no-untyped-def]
    h = login(server, "op1")
    push(server, h, cmd(Seq(), C.CREATE, str(uuid.uuid4()), CREATE))
    snap = server.get("/api/bootstrap", headers=h).json()
    assert snap["seq"] == 1 and len(snap["cases"]) == 1 and len(snap["history"]) == 1
    assert snap["county_code"] == COUNTY and {c["code"] for c in snap["centres"]} >= {COUNTY, T1}
    assert all("password_hash" not in u for u in snap["users"])
    ref = server.get("/api/reference", headers=h).json()
    assert "cases" not in ref and len(ref["categories"]) > 10


def test_wall_messages_need_the_drive_wall_capability(server) -> None:  # type: ignore[no-untyped-def]
    assert server.post("/api/wall", json={"payload": {"page": "map"}}, headers=login(server, "op1")).status_code == 403
    sup = login(server, "sup1")
    r = server.post("/api/wall", json={"payload": {"page": "map", "case_id": "x"}}, headers=sup)
    assert r.status_code == 200
    assert server.get("/api/wall", headers=sup).json()[0]["payload"]["page"] == "map"


def test_polls_and_pushes_take_the_fast_path_and_anything_else_gets_the_routes_answer(server) -> None:  # type: ignore[no-untyped-def]
    """FastPaths answers plainly valid polls and pushes with a live token; whatever it passes
    on gets FastAPI's own answer (a 401, a 422 that names the field): same API either way."""
    fast = server.app.state.fast_answers
    h, seq, case_id = login(server, "op1"), Seq(), str(uuid.uuid4())
    first = cmd(seq, C.CREATE, case_id, CREATE)
    [res] = push(server, h, first)
    assert res["result"] == "applied" and res["code"] and res["version"] == 1
    assert set(res) == {"command_id", "result", "original", "case_id", "version", "code", "reason_code", "reason", "case"}
    [again] = push(server, h, first)
    assert again["result"] == "duplicate" and again["original"] == "applied"
    assert fast["/api/commands"] == 2

    r = server.get("/api/changes", params={"after": 0, "timeout": 0, "limit": 10}, headers=h)
    assert r.status_code == 200 and [c["case"]["id"] for c in r.json()["changes"]] == [case_id]
    assert fast["/api/changes"] == 1
    # not plainly valid: FastAPI answers, as its route says
    extra = server.get("/api/changes", params={"after": 0, "since": "x"}, headers=h)
    assert extra.status_code == 200 and extra.json() == r.json() | {"more": False}
    for bad in ({"after": -1}, {"limit": 0}, {"limit": 5001}, {"timeout": 61}, {"after": "1e3"}):
        assert server.get("/api/changes", params=bad, headers=h).status_code == 422, bad
    assert server.get("/api/changes", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert fast["/api/changes"] == 1

    # a push FastAPI must read again (the fast path read its body first): 422 naming the field
    r = server.post("/api/commands", json={"commands": [{"type": "comment", "case_id": case_id}]}, headers=h)
    assert r.status_code == 422 and "command_id" in r.text
    other = cmd(seq, C.COMMENT, case_id, {"text": "备注"})
    r = server.post("/api/commands", json={"commands": [other]}, headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401
    r = server.post("/api/commands", content=b'{"commands": []', headers={**h, "Content-Type": "application/json"})
    assert r.status_code == 422
    assert fast["/api/commands"] == 2
    assert count(server.db_path, t.processed_commands) == 1  # none of those wrote anything
