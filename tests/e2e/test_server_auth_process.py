"""Authentication and permissions over a real server process (a representative
subset of tests/unit/test_server_api_auth.py): every operation of the served
OpenAPI document but login → 401 without a token; a few roles × a few commands
allowed or refused as the permission table says."""

from __future__ import annotations

import uuid

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

import requests

from commandcenter.domain.enums import CommandType as C
from commandcenter.domain.permissions import can
from tests.e2e.procs import Server
from tests.unit.test_server import PASSWORD, USERS, make_server_db
from tests.unit.test_server_api_auth import PAYLOADS

ROLES = ["g1", "op1", "lead1", "sup1", "h1", "wall"]
COMMANDS = [C.CREATE, C.ACCEPT, C.COMMENT, C.SUPERVISE, C.SIGN, C.CLOSE, C.REVEAL_PII]


def test_auth_and_permissions_over_a_real_server_process(tmp_path) -> None:  # type: ignore[no-untyped-def]
    server = Server(make_server_db(tmp_path / "server.db"), tmp_path).start()
    try:
        http = requests.Session()
        doc = http.get(server.url + "/openapi.json", timeout=10).json()
        ops = [(m.upper(), p) for p, item in doc["paths"].items() for m in item]
        assert len(ops) >= 6
        for method, path in ops:
            if path == "/api/login":
                continue
            r = http.request(method, server.url + path, json={}, timeout=10)
            assert r.status_code == 401, (method, path, r.status_code)

        def login(username: str) -> dict[str, str]:
            r = http.post(server.url + "/api/login", timeout=10, json={
                "username": username, "password": PASSWORD, "client_id": f"p-{username}-{uuid.uuid4().hex[:6]}"})
            assert r.status_code == 200, r.text
            return {"Authorization": f"Bearer {r.json()['token']}"}

        lead = login("lead1")
        case_id = str(uuid.uuid4())
        setup = [(C.CREATE, None), (C.ACCEPT, 1), (C.DISPATCH, 2)]
        r = http.post(server.url + "/api/commands", headers=lead, timeout=10, json={"commands": [
            {"command_id": str(uuid.uuid4()), "client_seq": i + 1, "type": ct.value, "case_id": case_id,
             "base_version": base, "payload": PAYLOADS[ct]} for i, (ct, base) in enumerate(setup)]})
        assert [x["result"] for x in r.json()["results"]] == ["applied"] * 3
        for username in ROLES:
            role = USERS[username][0]
            h = login(username)
            cmds = [{"command_id": str(uuid.uuid4()), "client_seq": i + 1, "type": ct.value,
                     "case_id": str(uuid.uuid4()) if ct is C.CREATE else case_id, "payload": PAYLOADS[ct]}
                    for i, ct in enumerate(COMMANDS)]
            r = http.post(server.url + "/api/commands", headers=h, json={"commands": cmds}, timeout=10)
            assert r.status_code == 200, r.text
            for ct, res in zip(COMMANDS, r.json()["results"], strict=True):
                refused = res["result"] == "rejected" and res["reason_code"] == "not_permitted"
                assert refused == (not can(role, ct)), (role, ct, res)
    finally:
        server.stop()
