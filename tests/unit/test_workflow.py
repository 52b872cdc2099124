"""The case workflow: the closed loop, every side action, precise refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest

from commandcenter.domain.case import Actor, Case, Command
from commandcenter.domain.enums import CommandType as C
from commandcenter.domain.enums import OrgLevel, Priority, Role, SlaState, Status
from commandcenter.domain.workflow import (
    _RULES,
    Context,
    Reason,
    available_commands,
    check_invariants,
    decide,
)
from tests.conftest import (
    AUDITOR,
    COUNTY,
    COUNTY_OP,
    GRID1,
    GRIDDER,
    HANDLER,
    LEAD,
    OPERATOR,
    OTHER_HANDLER,
    SUPERVISOR,
    T1,
    T2,
    WALL,
    FakeClock,
)

CAT = "0101"  # 暴露垃圾 (enforcement)


class World:
    """Applies commands to one case through decide(), like the service does."""

    def __init__(self, ref, calendar, clock: FakeClock, case_id: str = "c-1") -> None:  # type: ignore[no-untyped-def]
        self.ref, self.calendar, self.clock, self.case_id = ref, calendar, clock, case_id
        self.case: Case | None = None
        self.history = []  # type: ignore[var-annotated]
        self.n = 0

    def ctx(self, target: Case | None = None) -> Context:
        self.n += 1
        return Context(self.ref, self.calendar, self.clock(), target=target, new_code=f"3301222026112400{self.n:03d}")

    def do(self, ctype: C, actor: Actor, target: Case | None = None, **payload: object):  # type: ignore[no-untyped-def]
        case_id = self.case.id if self.case else self.case_id
        d = decide(self.case, Command(ctype, case_id, actor, payload), self.ctx(target))
        if d.ok:
            self.case = d.case
            self.history.append(d.history)
            assert check_invariants(d.case) == []
        return d

    def ok(self, ctype: C, actor: Actor, **payload: object) -> Case:
        d = self.do(ctype, actor, **payload)
        assert d.ok, d.reason
        assert d.case is not None
        return d.case


@pytest.fixture
def w(ref, calendar, clock):  # type: ignore[no-untyped-def]
    return World(ref, calendar, clock)


def report(w: World, **extra: object) -> Case:
    payload = {"title": "白云路垃圾堆积", "source": "grid_worker", "grid_code": GRID1, "category_code": CAT}
    payload.update(extra)
    return w.ok(C.CREATE, GRIDDER, **payload)


def test_closed_loop_from_report_to_archive(w: World) -> None:
    c = report(w, reporter_phone="13812345678", reporter_name="张三")
    assert (c.status, c.version, c.centre_code, c.township_code) == (Status.REPORTED, 1, T1, T1)
    assert c.stage_deadline is not None
    c = w.ok(C.ACCEPT, OPERATOR, priority="urgent")
    assert c.status is Status.REGISTERED and c.priority is Priority.URGENT and c.deadline is not None
    c = w.ok(C.DISPATCH, OPERATOR, department_code="D-330122001-enforcement")
    assert c.status is Status.DISPATCHED and c.department_code == "D-330122001-enforcement"
    c = w.ok(C.SIGN, HANDLER)
    assert c.status is Status.IN_PROGRESS
    w.clock.advance(minutes=30)
    c = w.ok(C.FEEDBACK, HANDLER, opinion="已清运")
    assert c.status is Status.AWAITING_CHECK and c.handled_on_time is True
    c = w.ok(C.CHECK_PASS, LEAD)
    c = w.ok(C.CLOSE, LEAD)
    assert c.status is Status.CLOSED and c.closed_on_time is True and c.resolved_level is OrgLevel.TOWNSHIP
    assert c.stage_deadline is None and c.sla_state(w.clock()) is SlaState.NONE
    c = w.ok(C.EVALUATE, OPERATOR, satisfaction="satisfied")
    c = w.ok(C.ARCHIVE, LEAD)
    assert c.status is Status.ARCHIVED
    assert [h.version for h in w.history] == list(range(1, 10))
    assert [h.action for h in w.history][:3] == [C.CREATE, C.ACCEPT, C.DISPATCH]
    assert w.history[4].opinion == "已清运"


def test_every_command_type_has_a_rule() -> None:
    assert set(_RULES) == set(C)


@pytest.mark.parametrize(
    ("actor", "ctype", "code"),
    [
        (GRIDDER, C.DISPATCH, Reason.NOT_PERMITTED),
        (WALL, C.ACCEPT, Reason.NOT_PERMITTED),
        (AUDITOR, C.COMMENT, Reason.NOT_PERMITTED),
        (HANDLER, C.ACCEPT, Reason.NOT_PERMITTED),
        (Actor("op9", Role.OPERATOR, T2), C.ACCEPT, Reason.OUT_OF_SCOPE),
        (LEAD, C.CLOSE, Reason.BAD_STATE),
    ],
)
def test_refusals_say_why_and_change_nothing(w: World, actor: Actor, ctype: C, code: str) -> None:
    before = report(w)
    d = w.do(ctype, actor, category_code=CAT)
    assert not d.ok and d.code == code and d.reason
    assert w.case == before and len(w.history) == 1


def test_refusal_messages_are_plain_chinese(w: World) -> None:
    report(w)
    d = w.do(C.CLOSE, LEAD)
    assert d.reason == "事件当前状态为“待受理”，只有“待核查”的事件才能结案"
    d = w.do(C.DISPATCH, GRIDDER)
    assert d.reason == "网格员无权执行“派遣”"


def test_dispatch_needs_a_department_of_the_same_centre(w: World) -> None:
    report(w)
    w.ok(C.ACCEPT, OPERATOR)
    d = w.do(C.DISPATCH, OPERATOR)
    assert d.code == Reason.INVALID and d.reason == "请选择处置部门"
    d = w.do(C.DISPATCH, OPERATOR, department_code="D-330122002-enforcement")
    assert d.code == Reason.INVALID and "不属于" in d.reason
    d = w.do(C.DISPATCH, OPERATOR, department_code="nope")
    assert d.reason == "处置部门不存在：nope"


def test_only_the_assigned_department_may_sign(w: World) -> None:
    report(w)
    w.ok(C.ACCEPT, OPERATOR)
    w.ok(C.DISPATCH, OPERATOR, department_code="D-330122001-enforcement")
    d = w.do(C.SIGN, OTHER_HANDLER)
    assert d.code == Reason.OUT_OF_SCOPE and d.reason == "该事件未派遣给您所在的部门"


def test_reassign_requires_reason_and_a_different_department(w: World) -> None:
    report(w)
    w.ok(C.ACCEPT, OPERATOR)
    w.ok(C.DISPATCH, OPERATOR, department_code="D-330122001-enforcement")
    assert w.do(C.REASSIGN, OPERATOR, department_code="D-330122001-governance").reason == "请填写改派理由"
    d = w.do(C.REASSIGN, OPERATOR, department_code="D-330122001-enforcement", reason="x")
    assert "相同" in d.reason
    c = w.ok(C.REASSIGN, OPERATOR, department_code="D-330122001-governance", reason="属综治职责")
    assert c.department_code == "D-330122001-governance" and c.status is Status.DISPATCHED
    assert w.history[-1].details["from_department"] == "D-330122001-enforcement"


def test_return_sends_the_case_back_for_dispatch(w: World) -> None:
    report(w)
    w.ok(C.ACCEPT, OPERATOR)
    w.ok(C.DISPATCH, OPERATOR, department_code="D-330122001-enforcement")
    c = w.ok(C.RETURN, HANDLER, reason="非本部门职责")
    assert c.status is Status.REGISTERED and c.department_code is None and c.return_count == 1


def test_escalate_to_county_and_hand_down_again(w: World) -> None:
    report(w)
    w.ok(C.ACCEPT, OPERATOR)
    c = w.ok(C.ESCALATE, OPERATOR, reason="涉及多部门，需县级协调", priority="critical")
    assert c.centre_code == COUNTY and c.escalated and c.status is Status.REGISTERED
    assert c.priority is Priority.CRITICAL
    # the township operator no longer owns it
    assert w.do(C.DISPATCH, OPERATOR, department_code="D-330122-enforcement").code == Reason.OUT_OF_SCOPE
    d = w.do(C.ESCALATE, COUNTY_OP, reason="x")
    assert d.reason == "本中心没有上级指挥中心，无法上报"
    d = w.do(C.HAND_DOWN, COUNTY_OP, centre_code="330122999", opinion="请处理")
    assert "下级中心" in d.reason
    c = w.ok(C.HAND_DOWN, COUNTY_OP, centre_code=T2, opinion="请旧县街道牵头处理")
    assert c.centre_code == T2 and c.status is Status.REGISTERED


def test_supervisor_above_may_urge_and_supervise(w: World) -> None:
    report(w)
    c = w.ok(C.URGE, SUPERVISOR, opinion="请尽快受理")
    assert c.urge_count == 1
    c = w.ok(C.SUPERVISE, SUPERVISOR, opinion="县督办")
    assert c.supervised
    assert w.do(C.SUPERVISE, SUPERVISOR, opinion="again").reason == "该事件已在督办中"
    assert w.do(C.SUPERVISE, LEAD, opinion="x").code == Reason.NOT_PERMITTED


def test_extension_request_and_approval_move_the_deadline(w: World) -> None:
    report(w)
    w.ok(C.ACCEPT, OPERATOR)
    c = w.ok(C.DISPATCH, OPERATOR, department_code="D-330122001-enforcement")
    before = c.stage_deadline
    assert w.do(C.REQUEST_EXTENSION, HANDLER, minutes=0, reason="x").code == Reason.INVALID
    w.ok(C.REQUEST_EXTENSION, HANDLER, minutes=450, reason="需协调产权单位")
    assert w.do(C.REQUEST_EXTENSION, HANDLER, minutes=60, reason="again").reason == "已有一项延期申请在审批中"
    c = w.ok(C.APPROVE_EXTENSION, LEAD)
    assert c.extension_minutes is None and c.stage_deadline is not None and before is not None
    assert c.stage_deadline > before
    assert w.do(C.APPROVE_EXTENSION, LEAD).reason == "没有待审批的延期申请"


def test_suspend_stops_the_clock_and_resume_restarts_it(w: World) -> None:
    report(w)
    c = w.ok(C.ACCEPT, OPERATOR)
    left = (c.stage_deadline - w.clock()).total_seconds()  # type: ignore[operator]
    c = w.ok(C.SUSPEND, LEAD, reason="等待法院判决")
    assert c.suspended and c.stage_deadline is None and c.sla_state(w.clock()) is SlaState.NONE
    w.clock.advance(days=10)
    c = w.ok(C.RESUME, LEAD)
    assert not c.suspended and c.stage_deadline is not None
    assert (c.stage_deadline - w.clock()).total_seconds() == pytest.approx(left, abs=1)


def test_rework_and_reopen(w: World) -> None:
    report(w)
    w.ok(C.ACCEPT, OPERATOR)
    w.ok(C.DISPATCH, OPERATOR, department_code="D-330122001-enforcement")
    w.ok(C.SIGN, HANDLER)
    w.ok(C.FEEDBACK, HANDLER, opinion="已处理")
    c = w.ok(C.REWORK, LEAD, reason="现场仍有垃圾")
    assert c.status is Status.IN_PROGRESS and c.rework_count == 1
    w.ok(C.FEEDBACK, HANDLER, opinion="已彻底清运")
    assert w.do(C.CLOSE, LEAD).reason == "事件尚未核查通过，不能结案"
    w.ok(C.CHECK_PASS, LEAD)
    w.ok(C.CLOSE, LEAD)
    c = w.ok(C.REOPEN, LEAD, reason="群众再次反映")
    assert c.status is Status.REGISTERED and c.reopen_count == 1 and c.closed_at is None


def test_merge_duplicate_into_an_open_case(w: World, ref, calendar, clock) -> None:  # type: ignore[no-untyped-def]
    other = World(ref, calendar, clock, case_id="c-2")
    target = report(other)
    report(w)
    assert w.do(C.MERGE, OPERATOR, target_id=w.case.id).reason == "不能把事件合并到它自己"  # type: ignore[union-attr]
    d = w.do(C.MERGE, OPERATOR, target=None, target_id="missing")
    assert d.code == Reason.NOT_FOUND
    c = w.do(C.MERGE, OPERATOR, target=target, target_id=target.id).case
    assert c is not None and c.status is Status.MERGED and c.merged_into == target.id


def test_version_conflict_is_refused_but_comments_commute(w: World) -> None:
    report(w)
    w.ok(C.ACCEPT, OPERATOR)
    case = w.case
    assert case is not None
    stale = Command(C.DISPATCH, case.id, OPERATOR, {"department_code": "D-330122001-enforcement"}, base_version=1)
    d = decide(case, stale, w.ctx())
    assert d.code == Reason.VERSION_CONFLICT and "版本" in d.reason
    note = Command(C.COMMENT, case.id, OPERATOR, {"text": "已电话联系"}, base_version=1)
    assert decide(case, note, w.ctx()).ok


def test_create_validates_its_input(w: World) -> None:
    d = w.do(C.CREATE, OPERATOR, title="")
    assert d.reason == "请填写事件标题"
    d = w.do(C.CREATE, OPERATOR, title="噪音", reporter_phone="12345")
    assert d.code == Reason.INVALID and "联系电话格式不正确" in d.reason
    d = w.do(C.CREATE, OPERATOR, title="噪音", lon=0, lat=0)
    assert "不在中国境内" in d.reason
    d = w.do(C.CREATE, OPERATOR, title="噪音", priority="asap")
    assert "紧急程度取值无效" in d.reason
    d = w.do(C.CREATE, OPERATOR, title="噪音", grid_code="330122001001999")
    assert d.reason == "网格不存在：330122001001999"
    assert w.case is None


def test_sla_state_moves_from_normal_to_due_soon_to_overdue(w: World) -> None:
    c = report(w)
    now = w.clock()
    assert c.sla_state(now) is SlaState.NORMAL
    assert c.due_soon_at is not None and c.stage_deadline is not None
    assert c.sla_state(c.due_soon_at) is SlaState.DUE_SOON
    assert c.sla_state(c.stage_deadline + timedelta(seconds=1)) is SlaState.OVERDUE


def test_available_commands_follow_role_and_state(w: World, ref, calendar, clock) -> None:  # type: ignore[no-untyped-def]
    c = report(w)
    ctx = Context(ref, calendar, clock())
    ops = available_commands(c, OPERATOR, ctx)
    assert C.ACCEPT in ops and C.REJECT in ops and C.MERGE in ops
    assert C.DISPATCH not in ops and C.CLOSE not in ops
    assert available_commands(c, WALL, ctx) == []
    assert C.SIGN not in available_commands(c, HANDLER, ctx)


def test_centre_stages_run_round_the_clock_department_stages_on_the_calendar(w: World) -> None:
    from datetime import datetime

    from commandcenter.domain.timeutil import CST

    w.clock.t = datetime(2026, 11, 28, 22, 40, tzinfo=CST)  # Saturday night, the duty room is staffed
    c = report(w)
    assert c.stage_deadline is not None and c.stage_deadline - w.clock() <= timedelta(hours=1)
    c = w.ok(C.ACCEPT, OPERATOR)
    assert c.stage_deadline is not None and c.stage_deadline - w.clock() <= timedelta(hours=4)
    c = w.ok(C.DISPATCH, OPERATOR, department_code="D-330122001-enforcement")
    # the department's clock starts on Monday morning
    assert c.stage_deadline is not None and c.stage_deadline > datetime(2026, 11, 30, 8, 30, tzinfo=CST)


def test_a_suspended_case_waits_for_resume(w: World) -> None:
    report(w)
    w.ok(C.SUSPEND, LEAD, reason="等待权属认定")
    d = w.do(C.ACCEPT, OPERATOR)
    assert d.code == Reason.BAD_STATE and d.reason == "事件已挂账，请先解除挂账再受理立案"
    w.ok(C.COMMENT, OPERATOR, text="已联系权属单位")
    w.ok(C.RESUME, LEAD)
    assert w.ok(C.ACCEPT, OPERATOR).status is Status.REGISTERED


def test_a_refusal_keeps_its_template_and_parameters(ref, calendar, clock) -> None:  # type: ignore[no-untyped-def]
    from commandcenter.domain.workflow import Term, render_reason

    d = decide(None, Command(C.URGE, "nope", OPERATOR, {}), Context(ref, calendar, clock()))
    assert not d.ok and d.reason == "找不到该事件" and d.template == "找不到该事件" and not d.params
    d = decide(None, Command(C.CREATE, "x", OPERATOR, {"title": "  "}), Context(ref, calendar, clock(), new_code="1"))
    assert d.template == "请填写{label}" and d.params == {"label": "事件标题"} and isinstance(d.params["label"], Term)
    assert d.reason == render_reason(d.template, d.params) == "请填写事件标题"
    # a GUI renders the same template its own way: words and enums through its translator
    assert render_reason("{a}/{b}", {"a": Term("受理"), "b": (Status.REPORTED, Status.CLOSED)}, lambda v: "W",
                         " + ") == "W/W + W"
