"""Generated requests from the server's own OpenAPI document (schemathesis, in-process
over ASGI, a real SQLite store): no request, valid or not, may get a 5xx.

Bounded: a fixed number of examples per operation, long-poll timeouts clamped.
CC_FUZZ_EXAMPLES=N raises the count for a longer hunt by hand."""

from __future__ import annotations

import os
import uuid
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")
pytest.importorskip("schemathesis")

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from commandcenter.server import create_app
from tests.unit.test_server import PASSWORD, make_server_db

EXAMPLES = int(os.environ.get("CC_FUZZ_EXAMPLES", "40"))
# Slow-ish and Qt-free: run once, not again in test_unit_suite_without_qt's child run
# (which still imports this module, so a Qt import here would be caught).
pytestmark = pytest.mark.skipif(bool(os.environ.get("COMMANDCENTER_NO_QT_CHILD")),
                                reason="runs in the main run only")


@pytest.fixture(scope="module")
def app(tmp_path_factory):  # type: ignore[no-untyped-def]
    return create_app(make_server_db(tmp_path_factory.mktemp("fuzz") / "server.db"))


@pytest.fixture(scope="module")
def tokens(app) -> dict[str, str]:  # type: ignore[no-untyped-def]
    out = {}
    with TestClient(app) as c:
        # a shift lead may send almost every command type; a supervisor may drive the wall
        for user in ("lead1", "sup1"):
            r = c.post("/api/login", json={"username": user, "password": PASSWORD, "client_id": f"fuzz-{user}"})
            assert r.status_code == 200, r.text
            out[user] = r.json()["token"]
    return out


@pytest.fixture(scope="module")
def operations(app) -> list[Any]:  # type: ignore[no-untyped-def]
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    return [op.ok() for op in schema.get_all_operations()]


def test_every_operation_is_generated(operations) -> None:  # type: ignore[no-untyped-def]
    labels = {op.label for op in operations}
    assert labels >= {"POST /api/login", "GET /api/bootstrap", "GET /api/reference", "POST /api/commands",
                      "GET /api/changes", "POST /api/wall", "GET /api/wall"}


def _runner(op: Any, tokens: dict[str, str], seen: dict[str, int]) -> Any:
    @given(case=op.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        if case.query and "timeout" in case.query:  # a long-poll must not hold the test
            v = case.query["timeout"]
            case.query["timeout"] = min(v, 0.05) if isinstance(v, int | float) and not isinstance(v, bool) else v
        headers = {}
        if case.path != "/api/login":
            user = "sup1" if case.path == "/api/wall" else "lead1"
            headers["Authorization"] = f"Bearer {tokens[user]}"
        elif isinstance(case.body, dict) and isinstance(case.body.get("username"), str):
            case.body["username"] = f"fuzz-{uuid.uuid4().hex[:8]}"  # never lock a real account
        response = case.call(headers=headers)
        seen[op.label] = seen.get(op.label, 0) + 1
        case.validate_response(response, checks=[not_a_server_error])

    return run


def test_generated_requests_get_no_server_error(operations, tokens) -> None:  # type: ignore[no-untyped-def]
    seen: dict[str, int] = {}
    for op in operations:
        _runner(op, tokens, seen)()
    assert len(seen) >= 7 and min(seen.values()) >= 5, seen


# ---------------------------------------------------------------- commands the domain knows, odd payloads
# schemathesis cannot guess the command types or payload keys (free strings in the schema);
# this generator sends real types, real and random keys, and values of every JSON kind.

from hypothesis import strategies as st  # noqa: E402

from commandcenter.domain.enums import CommandType  # noqa: E402
from tests.unit.test_server_api_auth import PAYLOADS  # noqa: E402

KEYS = ["title", "description", "source", "priority", "severity", "category_code", "reporter_phone",
        "reporter_name", "address", "lon", "lat", "grid_code", "centre_code", "department_code", "reason",
        "opinion", "text", "result", "satisfaction", "target_id", "minutes", "hours", "fields"]
JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30), st.sampled_from(["0101", "330122001001001", "330122001", "D-330122001-enforcement",
                                           "urgent", "satisfied", "13812345678", "", " "]),
)
JSON = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=6)


def test_generated_commands_of_every_type_get_no_server_error(app) -> None:  # type: ignore[no-untyped-def]
    with TestClient(app, raise_server_exceptions=False) as c:
        # a client id of its own: the requests above may have used any sequence number
        r = c.post("/api/login", json={"username": "lead1", "password": PASSWORD, "client_id": "fuzz-typed"})
        h = {"Authorization": f"Bearer {r.json()['token']}"}
        cases = [str(uuid.uuid4()) for _ in range(3)]
        seq = [10_000]

        def next_seq() -> int:
            seq[0] += 1
            return seq[0]

        made = c.post("/api/commands", headers=h, json={"commands": [
            {"command_id": str(uuid.uuid4()), "client_seq": next_seq(), "type": "create", "case_id": cid,
             "payload": PAYLOADS[CommandType.CREATE]} for cid in cases]})
        assert {r["result"] for r in made.json()["results"]} == {"applied"}
        # a valid payload for the type with one to three keys replaced or added
        command = st.builds(
            lambda ct, case_id, base, changes: {"type": ct.value, "case_id": case_id, "base_version": base,
                                                "payload": {**PAYLOADS[ct], **changes}},
            st.sampled_from(list(CommandType)),
            st.sampled_from(cases) | st.uuids().map(str),
            st.none() | st.integers(min_value=0, max_value=50),
            st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), JSON, min_size=1, max_size=3),
        )
        statuses: dict[int, int] = {}

        @given(batch=st.lists(command, min_size=1, max_size=4))
        @settings(max_examples=EXAMPLES * 3, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def run(batch: list[dict[str, Any]]) -> None:
            body = [{**b, "command_id": str(uuid.uuid4()), "client_seq": next_seq()} for b in batch]
            r = c.post("/api/commands", headers=h, json={"commands": body})
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
            assert r.status_code < 500, (r.status_code, r.text[:500], body)
            if r.status_code == 200:
                assert len(r.json()["results"]) == len(body)

        run()
        assert statuses.get(200, 0) > EXAMPLES, statuses
