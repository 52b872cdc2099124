"""PII masking helpers, permissions table and KPI formulas."""

from __future__ import annotations

from datetime import datetime, timedelta

from commandcenter.domain.case import Case
from commandcenter.domain.enums import CommandType, OrgLevel, Role, Source, Status
from commandcenter.domain.kpi import KpiCounts, compute, count_cases
from commandcenter.domain.masking import mask_id_number, mask_name, mask_phone, mask_text, valid_phone
from commandcenter.domain.permissions import PERMISSIONS, Capability, can
from commandcenter.domain.timeutil import UTC


def test_phone_id_and_name_masks() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0571-64612345") == "0571-****2345" or mask_phone("0571-64612345").endswith("2345")
    assert "6461" not in mask_phone("0571-64612345")
    assert mask_id_number("33012219800101123X") == "330122********123X"
    assert mask_name("张三") == "张*" and mask_name("欧阳小明") == "欧***" and mask_name("") == ""


def test_mask_text_hides_numbers_inside_free_text() -> None:
    s = mask_text("反映人电话13812345678，身份证330122198001011234，座机0571-64612345")
    assert "13812345678" not in s and "138****5678" in s
    assert "330122198001011234" not in s and "330122********1234" in s
    assert "64612345" not in s


def test_phone_validation() -> None:
    assert valid_phone("13812345678") and valid_phone("0571-64612345")
    assert not valid_phone("12345") and not valid_phone("23812345678")


def test_permission_table_keeps_admin_and_auditor_apart() -> None:
    assert can(Role.OPERATOR, CommandType.DISPATCH) and not can(Role.GRID_WORKER, CommandType.DISPATCH)
    assert can(Role.AUDITOR, Capability.VIEW_AUDIT) and not can(Role.ADMIN, Capability.VIEW_AUDIT)
    assert not can(Role.AUDITOR, Capability.MANAGE_USERS)
    assert not any(isinstance(p, CommandType) for p in PERMISSIONS[Role.WALL])
    assert not can(Role.WALL, Capability.VIEW_PII)
    assert set(PERMISSIONS) == set(Role)


def _case(i: int, **kw: object) -> Case:
    t0 = datetime(2026, 11, 1, tzinfo=UTC)
    base = dict(
        id=str(i), code=str(i), title="t", centre_code="330122001", source=Source.GRID_WORKER,
        created_at=t0, updated_at=t0, accepted_at=t0, status=Status.REGISTERED,
        deadline=t0 + timedelta(days=3),
    )
    base.update(kw)
    return Case(**base)  # type: ignore[arg-type]


def test_kpi_formulas() -> None:
    t0 = datetime(2026, 11, 1, tzinfo=UTC)
    d, f = t0 + timedelta(hours=1), t0 + timedelta(hours=5)
    closed = dict(status=Status.CLOSED, closed_at=t0 + timedelta(days=1), dispatched_at=d, feedback_at=f,
                  handled_on_time=True, resolved_level=OrgLevel.TOWNSHIP)
    cases = [
        _case(1, closed_on_time=True, **closed),
        _case(2, closed_on_time=False, rework_count=1, **{**closed, "resolved_level": OrgLevel.COUNTY}),
        _case(3, status=Status.IN_PROGRESS, dispatched_at=d, stage_deadline=t0 + timedelta(hours=2),
              return_count=1),
        _case(4),  # registered, deadline not passed at `now`
        _case(5, status=Status.REJECTED),
    ]
    now = t0 + timedelta(days=10)
    k = count_cases(cases, t0, t0 + timedelta(days=1), now)
    assert (k.registered, k.due, k.closed, k.closed_on_time) == (4, 4, 2, 1)
    assert (k.dispatched, k.handle_due, k.handled_on_time, k.fed_back) == (3, 3, 2, 2)
    r = compute(k)
    assert r.closure_rate == 0.5 and r.on_time_closure_rate == 0.25
    assert r.on_time_handling_rate == 2 / 3 and r.rework_rate == 0.5 and r.return_rate == 1 / 3
    assert r.avg_handling_hours == 4.0 and r.local_resolution_rate == 0.5
    assert compute(KpiCounts()).closure_rate is None


def test_case_codes_are_not_masked_as_id_numbers() -> None:
    code = "3301222026112400001"  # county + date + 5-digit sequence
    assert mask_text(f"事件 {code} 已派遣") == f"事件 {code} 已派遣"
