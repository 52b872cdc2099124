"""Property: no sequence of commands, legal or not, leaves a case in an
impossible state; every accepted command leaves exactly one history record
and bumps the version by one; a refused command changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commandcenter.domain.case import Command
from commandcenter.domain.enums import CommandType as C
from commandcenter.domain.permissions import can
from commandcenter.domain.workflow import Context, check_invariants, decide
from tests.conftest import (
    COUNTY_OP,
    GRID1,
    GRIDDER,
    HANDLER,
    LEAD,
    OPERATOR,
    OTHER_HANDLER,
    SUPERVISOR,
    T2,
    WALL,
    FakeClock,
    small_reference,
)

REF = small_reference()
ACTORS = [OPERATOR, LEAD, SUPERVISOR, COUNTY_OP, HANDLER, OTHER_HANDLER, GRIDDER, WALL]
PAYLOADS = [
    {},
    {"reason": "理由", "opinion": "意见", "text": "备注"},
    {"department_code": "D-330122001-enforcement", "reason": "r", "opinion": "o"},
    {"department_code": "D-330122001-governance", "reason": "r"},
    {"department_code": "D-330122-police", "reason": "r"},
    {"centre_code": T2, "opinion": "交办"},
    {"minutes": 120, "reason": "需要时间"},
    {"satisfaction": "satisfied"},
    {"category_code": "1001", "priority": "urgent"},
    {"target_id": "other", "opinion": "重复"},
    {"minutes": -5, "satisfaction": "bogus", "priority": "x"},
]
STEP = st.tuples(
    st.sampled_from([c for c in C if c is not C.CREATE]),
    st.sampled_from(ACTORS),
    st.sampled_from(PAYLOADS),
    st.integers(min_value=0, max_value=3000),  # minutes that pass before the step
    st.booleans(),  # send with the current base_version or a stale one
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, min_size=1, max_size=40))
def test_random_command_sequences_keep_cases_consistent(calendar, steps) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock()
    ctx0 = Context(REF, calendar, clock(), new_code="3301222026112400001")
    create = Command(C.CREATE, "c-1", GRIDDER, {"title": "占道经营", "grid_code": GRID1, "category_code": "0501"})
    case = decide(None, create, ctx0).case
    other = decide(None, Command(C.CREATE, "other", GRIDDER, {"title": "t", "grid_code": GRID1}), ctx0).case
    assert case is not None and other is not None
    history = 1
    for ctype, actor, payload, minutes, fresh in steps:
        clock.advance(minutes=minutes)
        base = case.version if fresh else case.version - 1
        cmd = Command(ctype, case.id, actor, payload, base_version=base)
        d = decide(case, cmd, Context(REF, calendar, clock(), target=other))
        if d.ok:
            assert d.case is not None and d.history is not None
            assert d.case.version == case.version + 1 == d.history.version
            assert d.history.action is ctype and d.history.to_status is d.case.status
            assert d.history.from_status is case.status
            history += 1
            case = d.case
        else:
            assert d.case is None and d.history is None
            assert d.reason and d.code != "ok"
        assert check_invariants(case) == [], (ctype, payload, case)
    assert case.version == history


def test_long_quiet_periods_do_not_break_clocks(calendar) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock()
    ctx = Context(REF, calendar, clock(), new_code="X1")
    case = decide(None, Command(C.CREATE, "c", GRIDDER, {"title": "t", "grid_code": GRID1}), ctx).case
    assert case is not None and case.stage_deadline is not None
    clock.advance(days=400)
    assert case.sla_state(clock()).value == "overdue"
    assert case.stage_deadline - case.created_at < timedelta(days=5)


# Values of every JSON type (and a few Python ones a buggy client could send through
# the server's JSON): nested lists and objects, huge and negative numbers, NaN, bools.
ODD = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5) | st.sampled_from(
        ["0101", GRID1, T2, "other", "satisfied", "urgent", "D-330122001-enforcement", "1e400"]
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=5,
)
KEYS = ["title", "description", "category_code", "grid_code", "centre_code", "department_code", "priority",
        "severity", "source", "reporter_phone", "reporter_name", "address", "lon", "lat", "reason", "opinion",
        "text", "minutes", "satisfaction", "target_id", "fields"]


@pytest.mark.parametrize("ctype", list(C), ids=lambda c: c.value)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_ill_typed_payloads_are_refused_never_raised(calendar, ctype, data) -> None:  # type: ignore[no-untyped-def]
    allowed = [a for a in ACTORS if can(a.role, ctype)] or ACTORS
    actor = data.draw(st.sampled_from(allowed))
    payload = data.draw(st.dictionaries(st.sampled_from(KEYS), ODD, max_size=6))
    clock = FakeClock()
    ctx0 = Context(REF, calendar, clock(), new_code="3301222026112400001")
    case = decide(None, Command(C.CREATE, "c-1", OPERATOR, {"title": "占道经营", "grid_code": GRID1,
                                                             "category_code": "0501"}), ctx0).case
    other = decide(None, Command(C.CREATE, "other", GRIDDER, {"title": "t", "grid_code": GRID1}), ctx0).case
    assert case is not None and other is not None
    target = None if ctype is C.CREATE else case
    d = decide(target, Command(ctype, "c-2" if target is None else case.id, actor, payload),
               Context(REF, calendar, clock(), target=other, new_code="3301222026112400002"))
    assert d.ok or (d.reason and d.code != "ok")
    if d.ok:
        assert d.case is not None and check_invariants(d.case) == []
