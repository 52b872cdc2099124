"""Authentication and permissions of the server API, in-process (TestClient over a
real SQLite file): every operation in the OpenAPI document but login refuses a
request without a valid token, and every role × every command type is allowed or
refused exactly as the domain's permission table says (commandcenter/domain/permissions.py).
A subset runs against a real server process in tests/e2e/test_server_auth_process.py."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from commandcenter.domain.enums import CommandType as C
from commandcenter.domain.enums import Role
from commandcenter.domain.permissions import Capability, can
from commandcenter.server import create_app
from commandcenter.store import schema as t
from commandcenter.store.engine import make_engine, write_tx
from tests.unit.test_server import CREATE, PASSWORD, USERS, make_server_db

PUBLIC = {("post", "/api/login")}
# one realistic payload per command type (permission is decided before the payload is looked at)
PAYLOADS: dict[C, dict[str, Any]] = {
    C.CREATE: CREATE, C.ACCEPT: {}, C.REJECT: {"reason": "重复"},
    C.DISPATCH: {"department_code": "D-330122001-enforcement"}, C.SIGN: {}, C.FEEDBACK: {"result": "已处置"},
    C.RETURN: {"reason": "非本部门职责"}, C.REASSIGN: {"department_code": "D-330122001-governance", "reason": "职责"},
    C.ESCALATE: {"reason": "需县级协调"}, C.HAND_DOWN: {"centre_code": "330122001", "reason": "属地"},
    C.URGE: {"opinion": "请尽快"}, C.SUPERVISE: {"opinion": "督办"}, C.REQUEST_EXTENSION: {"hours": 24, "reason": "等材料"},
    C.APPROVE_EXTENSION: {}, C.DENY_EXTENSION: {"reason": "不同意"}, C.SUSPEND: {"reason": "等待"}, C.RESUME: {},
    C.CHECK_PASS: {}, C.REWORK: {"reason": "未处置到位"}, C.CLOSE: {}, C.EVALUATE: {"satisfaction": "satisfied"},
    C.ARCHIVE: {}, C.REOPEN: {"reason": "群众再次反映"}, C.COMMENT: {"text": "备注"},
    C.MERGE: {"target_id": str(uuid.uuid4())}, C.REVEAL_PII: {"reason": "回访"},
}


def test_payload_table_covers_every_command_type() -> None:
    assert set(PAYLOADS) == set(C)


@pytest.fixture(scope="module")
def api(tmp_path_factory):  # type: ignore[no-untyped-def]
    db = make_server_db(tmp_path_factory.mktemp("auth") / "server.db")
    with TestClient(create_app(db)) as client:
        client.db_path = db  # type: ignore[attr-defined]
        yield client


def token(api: TestClient, username: str) -> str:
    r = api.post("/api/login", json={"username": username, "password": PASSWORD, "client_id": f"ws-{username}-{uuid.uuid4().hex[:6]}"})
    assert r.status_code == 200, r.text
    return str(r.json()["token"])


def operations(api: TestClient) -> list[tuple[str, str]]:
    doc = api.get("/openapi.json").json()
    return [(m, p) for p, item in doc["paths"].items() for m in item if m in ("get", "post", "put", "patch", "delete")]


def test_openapi_lists_every_api_route(api: TestClient) -> None:
    ops = set(operations(api))
    routes = {(m.lower(), r.path) for r in api.app.routes if r.path.startswith("/api/")  # type: ignore[attr-defined]
              for m in getattr(r, "methods", ()) if m != "HEAD"}
    assert routes == ops
    assert {p for _, p in ops} >= {"/api/login", "/api/bootstrap", "/api/reference", "/api/commands",
                                   "/api/changes", "/api/wall"}


@pytest.mark.parametrize("credentials", ["none", "garbage", "wrong-scheme", "expired", "deactivated-user"])
def test_every_operation_but_login_is_401_without_a_valid_token(api: TestClient, credentials: str) -> None:
    headers: dict[str, str] = {}
    if credentials == "garbage":
        headers = {"Authorization": "Bearer " + "x" * 43}
    elif credentials == "wrong-scheme":
        headers = {"Authorization": "Basic b3AxOnB3LTEyMzQ="}
    elif credentials in ("expired", "deactivated-user"):
        user = "admin" if credentials == "expired" else "audit"
        tok = token(api, user)
        engine = make_engine(api.db_path)  # type: ignore[attr-defined]
        with write_tx(engine) as conn:
            if credentials == "expired":
                conn.execute(update(t.tokens).where(t.tokens.c.username == user).values(expires_at=0))
            else:
                conn.execute(update(t.users).where(t.users.c.username == user).values(active=False))
        engine.dispose()
        headers = {"Authorization": f"Bearer {tok}"}
    ops = operations(api)
    assert len(ops) >= 6
    for method, path in ops:
        if (method, path) in PUBLIC:
            continue
        # a well-formed body, so that 401 is about the token and nothing else
        body = {"commands": []} if path == "/api/commands" else {"payload": {}} if path == "/api/wall" else None
        r = api.request(method.upper(), path, headers=headers, json=body)
        assert r.status_code == 401, (credentials, method, path, r.status_code, r.text)
        assert r.headers.get("www-authenticate", "").startswith("Bearer")
    if credentials == "deactivated-user":
        engine = make_engine(api.db_path)  # type: ignore[attr-defined]
        with write_tx(engine) as conn:
            conn.execute(update(t.users).where(t.users.c.username == "audit").values(active=True))
        engine.dispose()


def push(api: TestClient, tok: str, cmds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    r = api.post("/api/commands", json={"commands": cmds}, headers={"Authorization": f"Bearer {tok}"})
    assert r.status_code == 200, r.text
    return list(r.json()["results"])


@pytest.mark.parametrize("username", list(USERS))
def test_each_role_against_each_command_type_follows_the_permission_table(api: TestClient, username: str) -> None:
    role: Role = USERS[username][0]
    lead = token(api, "lead1")
    case_id = str(uuid.uuid4())
    setup = push(api, lead, [
        {"command_id": str(uuid.uuid4()), "client_seq": i + 1, "type": ct.value, "case_id": case_id,
         "base_version": i or None, "payload": p}
        for i, (ct, p) in enumerate([(C.CREATE, CREATE), (C.ACCEPT, {}),
                                     (C.DISPATCH, {"department_code": "D-330122001-enforcement"})])
    ])
    assert [r["result"] for r in setup] == ["applied"] * 3
    tok = token(api, username)
    sent: list[dict[str, Any]] = []
    for seq, ctype in enumerate(C, start=1):
        target = str(uuid.uuid4()) if ctype is C.CREATE else case_id
        sent.append({"command_id": str(uuid.uuid4()), "client_seq": seq, "type": ctype.value, "case_id": target,
                     "payload": PAYLOADS[ctype]})
    results = push(api, tok, sent)
    assert len(results) == len(C)
    wrong = []
    for ctype, res in zip(C, results, strict=True):
        refused = res["result"] == "rejected" and res["reason_code"] == "not_permitted"
        if refused == can(role, ctype):
            wrong.append((ctype.value, "allowed by the table" if can(role, ctype) else "refused by the table", res))
        if refused:
            assert res["reason"], res
    assert not wrong, f"{role.value}: {wrong}"
    # refused commands leave no trace but the audit record; every command is audited once
    engine = make_engine(api.db_path)  # type: ignore[attr-defined]
    with engine.connect() as conn:
        for cmd, res in zip(sent, results, strict=True):
            audit = conn.execute(select(t.audit_log.c.result, t.audit_log.c.username)
                                 .where(t.audit_log.c.command_id == cmd["command_id"])).all()
            assert [tuple(a) for a in audit] == [(res["result"], username)]
            hist = conn.execute(select(t.case_history.c.id).where(t.case_history.c.command_id == cmd["command_id"])).all()
            assert len(hist) == (1 if res["result"] == "applied" else 0)
    engine.dispose()


@pytest.mark.parametrize("username", list(USERS))
def test_wall_control_follows_the_drive_wall_capability(api: TestClient, username: str) -> None:
    role: Role = USERS[username][0]
    h = {"Authorization": f"Bearer {token(api, username)}"}
    r = api.post("/api/wall", json={"payload": {"page": "map"}}, headers=h)
    assert r.status_code == (200 if can(role, Capability.DRIVE_WALL) else 403), (role, r.status_code)
    assert api.get("/api/wall", headers=h).status_code == 200
