"""The case workflow as one decision function.

    reported -> registered -> dispatched -> in_progress -> awaiting_check -> closed -> archived

with side actions (reject, return, reassign, escalate, hand down, urge,
supervise, extension request/approval, suspend/resume, check pass/rework,
evaluate, reopen, comment, merge, reveal personal data).

`decide(case, command, ctx)` says whether a command is legal for this case,
actor and role, and if so returns the new case and its one history record.
It never raises for a bad command: a refusal carries a reason code (stable,
for the server protocol) and a plain-words reason (for the operator).
Client and server both call it.

The reason is Chinese. A refusal also keeps its template and parameters
(`Decision.template`, `Decision.params`) so that the GUI can show it in another
language: it translates the template (context "Refusal"), enum parameters by
their labels and `Term` parameters (field names, action words) as words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from .case import Actor, Case, Command, HistoryEntry
from .enums import (
    OPEN_STATUSES,
    CommandType,
    OrgLevel,
    Priority,
    Role,
    Satisfaction,
    Severity,
    Source,
    Status,
)
from .masking import valid_phone
from .org import Reference
from .permissions import can
from .sla import WorkCalendar, stage_clock

S = Status
C = CommandType

MAX_TITLE = 100
MAX_TEXT = 2000
MAX_EXTENSION_MINUTES = 30 * 450


class Reason:
    """Stable reason codes for refusals (part of the sync protocol)."""

    NOT_PERMITTED = "not_permitted"
    OUT_OF_SCOPE = "out_of_scope"
    BAD_STATE = "bad_state"
    VERSION_CONFLICT = "version_conflict"
    INVALID = "invalid_payload"
    NOT_FOUND = "not_found"
    DUPLICATE = "duplicate"


class Term(str):
    """A word of the domain's Chinese (a field name, an action) that a GUI translates."""

    __slots__ = ()


def render_reason(template: str, params: Mapping[str, Any], word: Callable[[Any], str] | None = None,
                  sep: str = "、") -> str:
    """Fill a refusal template. `word` turns an Enum or a Term into text (default: the Chinese)."""

    def one(v: Any) -> str:
        if isinstance(v, (Enum, Term)):
            if word is not None:
                return word(v)
            return str(getattr(v, "label", v))
        return str(v)

    values = {k: sep.join(one(x) for x in v) if isinstance(v, tuple) else one(v) for k, v in params.items()}
    return template.format(**values)


@dataclass(frozen=True)
class Decision:
    ok: bool
    case: Case | None = None
    history: HistoryEntry | None = None
    code: str = "ok"
    reason: str = ""
    template: str = ""  # the reason before its parameters were filled in (for translation)
    params: Mapping[str, Any] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return self.ok


def refused(code: str, template: str, /, **params: Any) -> Decision:
    """A refusal whose reason is `template` filled with `params` (see `render_reason`)."""
    return Decision(False, code=code, reason=render_reason(template, params), template=template, params=params)


@dataclass
class Context:
    """What a decision needs besides the case and the command."""

    ref: Reference
    calendar: WorkCalendar
    now: datetime
    target: Case | None = None  # the case a MERGE points at
    new_code: str = ""  # the human code a CREATE gets
    extras: dict[str, Any] = field(default_factory=dict)


class Refusal(Exception):
    """Internal: raised by the rules below, turned into a refused Decision."""

    def __init__(self, code: str, template: str, /, **params: Any) -> None:
        self.decision = refused(code, template, **params)
        super().__init__(self.decision.reason)
        self.code = code
        self.reason = self.decision.reason


# Commands whose effect does not depend on the case's version: they skip the
# optimistic check, so that a comment never conflicts with a dispatch.
COMMUTATIVE = frozenset({C.COMMENT, C.URGE, C.REVEAL_PII, C.SUPERVISE})

# Commands a centre's parent centre may issue on it (supervision from above).
FROM_ABOVE = frozenset({C.URGE, C.SUPERVISE, C.COMMENT, C.REVEAL_PII, C.SUSPEND, C.RESUME})

DEPT_COMMANDS = frozenset({C.SIGN, C.FEEDBACK, C.RETURN, C.REQUEST_EXTENSION})

# What may happen to a suspended (挂账) case: everything else waits for RESUME.
WHILE_SUSPENDED = frozenset(
    {C.RESUME, C.COMMENT, C.REVEAL_PII, C.URGE, C.SUPERVISE, C.REJECT, C.MERGE, C.APPROVE_EXTENSION, C.DENY_EXTENSION}
)


def decide(case: Case | None, cmd: Command, ctx: Context) -> Decision:
    """Decide a command. Never raises for bad input: returns a refusal instead."""
    try:
        ctype = C(cmd.type)
    except ValueError:
        return refused(Reason.INVALID, "未知的操作类型：{type}", type=cmd.type)
    rule = _RULES.get(ctype)
    if rule is None:  # pragma: no cover - every type has a rule (tested)
        return refused(Reason.INVALID, "未实现的操作：{action}", action=ctype)
    actor = cmd.actor
    if not can(actor.role, ctype):
        return refused(Reason.NOT_PERMITTED, "{role}无权执行“{action}”", role=actor.role, action=ctype)
    try:
        if ctype is C.CREATE:
            if case is not None:
                raise Refusal(Reason.DUPLICATE, "该事件已存在，不能重复上报")
            new, opinion, details = _create(cmd, ctx)
            from_status = None
        else:
            if case is None:
                raise Refusal(Reason.NOT_FOUND, "找不到该事件")
            if case.status in (S.ARCHIVED,) and ctype not in (C.REVEAL_PII,):
                raise Refusal(Reason.BAD_STATE, "事件已归档，不能再操作")
            _check_scope(case, actor, ctype, ctx)
            if case.suspended and ctype not in WHILE_SUSPENDED:
                raise Refusal(Reason.BAD_STATE, "事件已挂账，请先解除挂账再{action}", action=ctype)
            if (
                cmd.base_version is not None
                and ctype not in COMMUTATIVE
                and cmd.base_version != case.version
            ):
                raise Refusal(
                    Reason.VERSION_CONFLICT,
                    "事件已被他人更新（当前版本 {current}，操作基于版本 {base}），请刷新后重试",
                    current=case.version,
                    base=cmd.base_version,
                )
            new, opinion, details = rule(case, cmd, ctx)
            from_status = case.status
            new = new.evolve(version=case.version + 1, updated_at=ctx.now)
    except Refusal as r:
        return r.decision
    hist = HistoryEntry(
        case_id=new.id,
        version=new.version,
        action=ctype,
        actor=actor.username,
        role=actor.role,
        from_status=from_status,
        to_status=new.status,
        opinion=opinion,
        at=ctx.now,
        command_id=cmd.command_id,
        details=details,
        client_ts=cmd.client_ts,
    )
    return Decision(True, new, hist)


# ---------------------------------------------------------------- helpers


def _check_scope(case: Case, actor: Actor, ctype: C, ctx: Context) -> None:
    if actor.role is Role.DEPT_HANDLER:
        if case.department_code is None or case.department_code != actor.department_code:
            raise Refusal(Reason.OUT_OF_SCOPE, "该事件未派遣给您所在的部门")
        return
    if actor.centre_code == case.centre_code:
        return
    if ctype in FROM_ABOVE and actor.centre_code in ctx.ref.centre_ancestors(case.centre_code):
        return
    owner = ctx.ref.centres.get(case.centre_code)
    raise Refusal(
        Reason.OUT_OF_SCOPE, "该事件属于{owner}，不在您的职责范围", owner=owner.name if owner else case.centre_code
    )


def _text(payload: Mapping[str, Any], key: str, label: str, required: bool, limit: int = MAX_TEXT) -> str:
    raw = payload.get(key, "")
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        raise Refusal(Reason.INVALID, "{label}应为文字", label=Term(label))
    value = raw.strip()
    if required and not value:
        raise Refusal(Reason.INVALID, "请填写{label}", label=Term(label))
    if len(value) > limit:
        raise Refusal(
            Reason.INVALID, "{label}过长（最多 {limit} 字，实际 {actual} 字）", label=Term(label), limit=limit,
            actual=len(value),
        )
    return value


def _code(payload: Mapping[str, Any], key: str, label: str) -> str | None:
    """A code field (category, grid, centre, case id): a string or absent, never a list or a number."""
    raw = payload.get(key)
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str):
        raise Refusal(Reason.INVALID, "{label}应为编码文字：{value}", label=Term(label), value=repr(raw)[:40])
    return raw


def _enum(payload: Mapping[str, Any], key: str, enum: Any, label: str, default: Any = None) -> Any:
    raw = payload.get(key)
    if raw is None or raw == "":
        return default
    try:
        return enum(raw)
    except ValueError:
        allowed = "、".join(f"{m.value}({m.label})" for m in enum)
        raise Refusal(
            Reason.INVALID, "{label}取值无效：{value}，可选：{allowed}", label=Term(label), value=repr(raw),
            allowed=allowed,
        ) from None


def _need_status(case: Case, allowed: set[Status] | frozenset[Status], what: str) -> None:
    if case.status not in allowed:
        names = tuple(sorted(allowed, key=lambda s: list(S).index(s)))
        raise Refusal(
            Reason.BAD_STATE, "事件当前状态为“{status}”，只有“{allowed}”的事件才能{action}", status=case.status,
            allowed=names, action=Term(what),
        )


def _stage(case: Case, ctx: Context, minutes: int) -> dict[str, Any]:
    # the centre's own stages (受理 while reported, 派遣 while registered) run round
    # the clock; the departments' handling and the check run on the work calendar
    natural = case.status in (S.REPORTED, S.REGISTERED)
    clock = stage_clock(ctx.calendar, ctx.now, minutes, case.priority, natural=natural)
    return {
        "stage_started_at": clock.started_at,
        "stage_deadline": clock.deadline,
        "due_soon_at": clock.due_soon_at,
        "suspended_remaining_s": None,
    }


_NO_STAGE: dict[str, Any] = {
    "stage_started_at": None,
    "stage_deadline": None,
    "due_soon_at": None,
    "suspended_remaining_s": None,
}


def _department(case: Case, payload: Mapping[str, Any], ctx: Context) -> str:
    code = payload.get("department_code")
    if not code or not isinstance(code, str):
        raise Refusal(Reason.INVALID, "请选择处置部门")
    dept = ctx.ref.departments.get(code)
    if dept is None:
        raise Refusal(Reason.INVALID, "处置部门不存在：{code}", code=code)
    if dept.centre_code != case.centre_code:
        owner = ctx.ref.centres.get(case.centre_code)
        raise Refusal(
            Reason.INVALID,
            "“{department}”不属于{owner}，不能派遣（可上报或交办）",
            department=dept.name,
            owner=owner.name if owner else case.centre_code,
        )
    return code


Result = tuple[Case, str, dict[str, Any]]

# ---------------------------------------------------------------- rules


def _create(cmd: Command, ctx: Context) -> Result:
    p = cmd.payload
    actor = cmd.actor
    title = _text(p, "title", "事件标题", True, MAX_TITLE)
    description = _text(p, "description", "事件描述", False)
    source = _enum(p, "source", Source, "事件来源", Source.GRID_WORKER)
    priority = _enum(p, "priority", Priority, "紧急程度", Priority.NORMAL)
    severity = _enum(p, "severity", Severity, "严重程度", Severity.ORDINARY)
    category = _code(p, "category_code", "事件分类")
    if category is not None and (category not in ctx.ref.categories or not ctx.ref.categories[category].is_leaf):
        raise Refusal(Reason.INVALID, "事件分类不存在或不是小类：{category}", category=category)
    phone = _text(p, "reporter_phone", "联系电话", False, 20)
    if phone and not valid_phone(phone):
        raise Refusal(Reason.INVALID, "联系电话格式不正确：{phone}（应为 11 位手机号或带区号的固定电话）", phone=phone)
    name = _text(p, "reporter_name", "反映人", False, 50)
    address = _text(p, "address", "地址", False, 200)
    lon, lat = p.get("lon"), p.get("lat")
    if (lon is None) != (lat is None):
        raise Refusal(Reason.INVALID, "位置坐标不完整：经度和纬度需同时提供")
    if lon is not None and lat is not None:
        try:
            lon, lat = float(lon), float(lat)
        except (TypeError, ValueError):
            raise Refusal(Reason.INVALID, "位置坐标应为数字") from None
        if not (73.0 <= lon <= 136.0 and 3.0 <= lat <= 54.0):
            raise Refusal(Reason.INVALID, "位置不在中国境内：{lon}, {lat}", lon=f"{lon:.5f}", lat=f"{lat:.5f}")
    grid = _code(p, "grid_code", "网格")
    township = None
    if grid is not None:
        unit = ctx.ref.org_units.get(grid)
        if unit is None or unit.level is not OrgLevel.GRID:
            raise Refusal(Reason.INVALID, "网格不存在：{grid}", grid=grid)
        township = grid[:9]
    centre = _code(p, "centre_code", "受理中心") or (ctx.ref.centre_for_grid(grid) if grid else None) or actor.centre_code
    if centre not in ctx.ref.centres:
        raise Refusal(Reason.INVALID, "受理中心不存在：{centre}", centre=centre)
    if actor.role is not Role.GRID_WORKER and centre != actor.centre_code and actor.centre_code not in (
        ctx.ref.centre_ancestors(centre)
    ):
        raise Refusal(Reason.OUT_OF_SCOPE, "只能向本中心或下级中心上报事件")
    if not ctx.new_code:
        raise Refusal(Reason.INVALID, "未分配事件编号")
    case = Case(
        id=cmd.case_id,
        code=ctx.new_code,
        title=title,
        centre_code=centre,
        source=source,
        created_at=ctx.now,
        updated_at=ctx.now,
        description=description,
        category_code=category,
        priority=priority,
        severity=severity,
        reporter_name=name,
        reporter_phone=phone,
        lon=lon,
        lat=lat,
        address=address,
        grid_code=grid,
        township_code=township,
    )
    limits = ctx.ref.limits_for(category)
    case = case.evolve(**_stage(case, ctx, limits.accept))
    return case, description, {"source": source.value}


def _accept(case: Case, cmd: Command, ctx: Context) -> Result:
    _need_status(case, {S.REPORTED}, "受理")
    p = cmd.payload
    category = _code(p, "category_code", "事件分类") or case.category_code
    if not category:
        raise Refusal(Reason.INVALID, "请选择事件分类（小类）")
    cat = ctx.ref.categories.get(category)
    if cat is None or not cat.is_leaf:
        raise Refusal(Reason.INVALID, "事件分类不存在或不是小类：{category}", category=category)
    priority = _enum(p, "priority", Priority, "紧急程度", case.priority)
    severity = _enum(p, "severity", Severity, "严重程度", case.severity)
    opinion = _text(p, "opinion", "受理意见", False)
    new = case.evolve(category_code=category, priority=priority, severity=severity, status=S.REGISTERED)
    limits = ctx.ref.limits_for(category)
    stage = _stage(new, ctx, limits.dispatch)
    whole = stage_clock(ctx.calendar, ctx.now, limits.after_accept, priority)
    new = new.evolve(status=S.REGISTERED, accepted_at=ctx.now, deadline=whole.deadline, **stage)
    return new, opinion, {"category_code": category, "priority": priority.value, "severity": severity.value}


def _reject(case: Case, cmd: Command, ctx: Context) -> Result:
    _need_status(case, {S.REPORTED, S.REGISTERED}, "不予受理")
    reason = _text(cmd.payload, "reason", "不予受理的理由", True)
    return case.evolve(status=S.REJECTED, supervised=False, suspended=False, **_NO_STAGE), reason, {}


def _dispatch(case: Case, cmd: Command, ctx: Context) -> Result:
    _need_status(case, {S.REGISTERED}, "派遣")
    dept = _department(case, cmd.payload, ctx)
    opinion = _text(cmd.payload, "opinion", "派遣意见", False)
    limits = ctx.ref.limits_for(case.category_code)
    new = case.evolve(status=S.DISPATCHED, department_code=dept, dispatched_at=ctx.now, signed_at=None)
    return new.evolve(**_stage(new, ctx, limits.handle)), opinion, {"department_code": dept}


def _sign(case: Case, cmd: Command, ctx: Context) -> Result:
    _need_status(case, {S.DISPATCHED}, "签收")
    opinion = _text(cmd.payload, "opinion", "签收意见", False)
    return case.evolve(status=S.IN_PROGRESS, signed_at=ctx.now), opinion, {}


def _feedback(case: Case, cmd: Command, ctx: Context) -> Result:
    _need_status(case, {S.IN_PROGRESS}, "反馈处理结果")
    if case.suspended:
        raise Refusal(Reason.BAD_STATE, "事件已挂账，解除挂账后才能反馈")
    opinion = _text(cmd.payload, "opinion", "处理结果", True)
    on_time = case.stage_deadline is None or ctx.now <= case.stage_deadline
    limits = ctx.ref.limits_for(case.category_code)
    new = case.evolve(
        status=S.AWAITING_CHECK,
        feedback_at=ctx.now,
        handled_on_time=on_time,
        check_passed=False,
        extension_minutes=None,
        extension_reason="",
    )
    return new.evolve(**_stage(new, ctx, limits.check)), opinion, {"on_time": on_time}


def _return(case: Case, cmd: Command, ctx: Context) -> Result:
    _need_status(case, {S.DISPATCHED, S.IN_PROGRESS}, "退回")
    reason = _text(cmd.payload, "reason", "退回理由", True)
    limits = ctx.ref.limits_for(case.category_code)
    new = case.evolve(
        status=S.REGISTERED,
        department_code=None,
        return_count=case.return_count + 1,
        extension_minutes=None,
        extension_reason="",
        suspended=False,
    )
    return new.evolve(**_stage(new, ctx, limits.dispatch)), reason, {"department_code": case.department_code}


def _reassign(case: Case, cmd: Command, ctx: Context) -> Result:
    _need_status(case, {S.DISPATCHED, S.IN_PROGRESS}, "改派")
    dept = _department(case, cmd.payload, ctx)
    if dept == case.department_code:
        raise Refusal(Reason.INVALID, "改派的部门与当前处置部门相同，请选择其他部门")
    reason = _text(cmd.payload, "reason", "改派理由", True)
    limits = ctx.ref.limits_for(case.category_code)
    new = case.evolve(
        status=S.DISPATCHED,
        department_code=dept,
        dispatched_at=ctx.now,
        signed_at=None,
        extension_minutes=None,
        extension_reason="",
        suspended=False,
    )
    details = {"from_department": case.department_code, "department_code": dept}
    return new.evolve(**_stage(new, ctx, limits.handle)), reason, details


def _escalate(case: Case, cmd: Command, ctx: Context) -> Result:
    _need_status(case, {S.REPORTED, S.REGISTERED, S.DISPATCHED, S.IN_PROGRESS}, "上报上级中心")
    centre = ctx.ref.centres.get(case.centre_code)
    if centre is None or not centre.parent_code or centre.parent_code not in ctx.ref.centres:
        raise Refusal(Reason.BAD_STATE, "本中心没有上级指挥中心，无法上报")
    reason = _text(cmd.payload, "reason", "上报理由", True)
    priority = _enum(cmd.payload, "priority", Priority, "紧急程度", case.priority)
    limits = ctx.ref.limits_for(case.category_code)
    status = S.REPORTED if case.status is S.REPORTED else S.REGISTERED
    new = case.evolve(
        status=status,
        centre_code=centre.parent_code,
        department_code=None,
        escalated=True,
        priority=priority,
        extension_minutes=None,
        extension_reason="",
        suspended=False,
    )
    minutes = limits.accept if status is S.REPORTED else limits.dispatch
    details = {"from_centre": case.centre_code, "centre_code": centre.parent_code, "priority": priority.value}
    return new.evolve(**_stage(new, ctx, minutes)), reason, details


def _hand_down(case: Case, cmd: Command, ctx: Context) -> Result:
    _need_status(case, {S.REPORTED, S.REGISTERED}, "交办")
    target = _code(cmd.payload, "centre_code", "交办对象")
    children = {c.code for c in ctx.ref.child_centres(case.centre_code)}
    if not children:
        raise Refusal(Reason.BAD_STATE, "本中心没有下级中心，无法交办")
    if target not in children:
        raise Refusal(Reason.INVALID, "交办对象必须是本中心的下级中心：{target}", target=target)
    instructions = _text(cmd.payload, "opinion", "交办意见", True)
    limits = ctx.ref.limits_for(case.category_code)
    new = case.evolve(centre_code=target, department_code=None)
    minutes = limits.accept if case.status is S.REPORTED else limits.dispatch
    return new.evolve(**_stage(new, ctx, minutes)), instructions, {"from_centre": case.centre_code, "centre_code": target}


def _urge(case: Case, cmd: Command, ctx: Context) -> Result:
    _need_status(case, OPEN_STATUSES, "催办")
    opinion = _text(cmd.payload, "opinion", "催办意见", False)
    return case.evolve(urge_count=case.urge_count + 1), opinion, {}


def _supervise(case: Case, cmd: Command, ctx: Context) -> Result:
    _need_status(case, OPEN_STATUSES, "督办")
    if case.supervised:
        raise Refusal(Reason.BAD_STATE, "该事件已在督办中")
    opinion = _text(cmd.payload, "opinion", "督办意见", True)
    return case.evolve(supervised=True), opinion, {}


def _request_extension(case: Case, cmd: Command, ctx: Context) -> Result:
    _need_status(case, {S.DISPATCHED, S.IN_PROGRESS}, "申请延期")
    if case.extension_minutes is not None:
        raise Refusal(Reason.BAD_STATE, "已有一项延期申请在审批中")
    raw = cmd.payload.get("minutes")
    try:
        minutes = int(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        raise Refusal(Reason.INVALID, "请填写延期时长（工作分钟数）") from None
    if not 0 < minutes <= MAX_EXTENSION_MINUTES:
        raise Refusal(Reason.INVALID, "延期时长应在 1 分钟到 30 个工作日之间，实际 {minutes} 分钟", minutes=minutes)
    reason = _text(cmd.payload, "reason", "延期理由", True)
    new = case.evolve(extension_minutes=minutes, extension_reason=reason)
    return new, reason, {"minutes": minutes}


def _approve_extension(case: Case, cmd: Command, ctx: Context) -> Result:
    _need_status(case, {S.DISPATCHED, S.IN_PROGRESS}, "批准延期")
    if case.extension_minutes is None:
        raise Refusal(Reason.BAD_STATE, "没有待审批的延期申请")
    opinion = _text(cmd.payload, "opinion", "审批意见", False)
    minutes = case.extension_minutes
    changes: dict[str, Any] = {"extension_minutes": None, "extension_reason": ""}
    if case.stage_deadline is not None:
        base = max(case.stage_deadline, ctx.now)
        new_deadline = ctx.calendar.add_working_minutes(base, minutes)
        changes["stage_deadline"] = new_deadline
        start = case.stage_started_at or ctx.now
        changes["due_soon_at"] = start + (new_deadline - start) * 0.8
    elif case.suspended_remaining_s is not None:
        changes["suspended_remaining_s"] = case.suspended_remaining_s + minutes * 60
    if case.deadline is not None:
        changes["deadline"] = ctx.calendar.add_working_minutes(max(case.deadline, ctx.now), minutes)
    return case.evolve(**changes), opinion, {"minutes": minutes}


def _deny_extension(case: Case, cmd: Command, ctx: Context) -> Result:
    _need_status(case, {S.DISPATCHED, S.IN_PROGRESS}, "驳回延期")
    if case.extension_minutes is None:
        raise Refusal(Reason.BAD_STATE, "没有待审批的延期申请")
    reason = _text(cmd.payload, "reason", "驳回理由", True)
    return case.evolve(extension_minutes=None, extension_reason=""), reason, {}


def _suspend(case: Case, cmd: Command, ctx: Context) -> Result:
    _need_status(case, OPEN_STATUSES, "挂账")
    if case.suspended:
        raise Refusal(Reason.BAD_STATE, "事件已处于挂账状态")
    reason = _text(cmd.payload, "reason", "挂账理由", True)
    remaining = None
    if case.stage_deadline is not None:
        remaining = max(0, int((case.stage_deadline - ctx.now).total_seconds()))
    new = case.evolve(suspended=True, stage_deadline=None, due_soon_at=None, suspended_remaining_s=remaining)
    return new, reason, {}


def _resume(case: Case, cmd: Command, ctx: Context) -> Result:
    if not case.suspended:
        raise Refusal(Reason.BAD_STATE, "事件未挂账")
    opinion = _text(cmd.payload, "opinion", "解除挂账说明", False)
    remaining = case.suspended_remaining_s if case.suspended_remaining_s is not None else 3600
    deadline = ctx.now + timedelta(seconds=remaining)
    new = case.evolve(
        suspended=False,
        stage_started_at=ctx.now,
        stage_deadline=deadline,
        due_soon_at=ctx.now + (deadline - ctx.now) * 0.8,
        suspended_remaining_s=None,
    )
    return new, opinion, {}


def _check_pass(case: Case, cmd: Command, ctx: Context) -> Result:
    _need_status(case, {S.AWAITING_CHECK}, "核查")
    if case.check_passed:
        raise Refusal(Reason.BAD_STATE, "该事件已核查通过，请结案")
    opinion = _text(cmd.payload, "opinion", "核查意见", False)
    return case.evolve(check_passed=True), opinion, {}


def _rework(case: Case, cmd: Command, ctx: Context) -> Result:
    _need_status(case, {S.AWAITING_CHECK}, "返工")
    reason = _text(cmd.payload, "reason", "返工理由", True)
    limits = ctx.ref.limits_for(case.category_code)
    new = case.evolve(status=S.IN_PROGRESS, check_passed=False, rework_count=case.rework_count + 1)
    return new.evolve(**_stage(new, ctx, limits.handle)), reason, {}


def _close(case: Case, cmd: Command, ctx: Context) -> Result:
    _need_status(case, {S.AWAITING_CHECK}, "结案")
    if not case.check_passed:
        raise Refusal(Reason.BAD_STATE, "事件尚未核查通过，不能结案")
    opinion = _text(cmd.payload, "opinion", "结案意见", False)
    on_time = case.deadline is None or ctx.now <= case.deadline
    centre = ctx.ref.centres.get(case.centre_code)
    new = case.evolve(
        status=S.CLOSED,
        closed_at=ctx.now,
        closed_on_time=on_time,
        resolved_level=centre.level if centre else None,
        suspended=False,
        **_NO_STAGE,
    )
    return new, opinion, {"on_time": on_time}


def _evaluate(case: Case, cmd: Command, ctx: Context) -> Result:
    _need_status(case, {S.CLOSED}, "评价")
    if case.satisfaction is not None:
        raise Refusal(Reason.BAD_STATE, "该事件已评价（{satisfaction}）", satisfaction=case.satisfaction)
    sat = _enum(cmd.payload, "satisfaction", Satisfaction, "评价结果")
    if sat is None:
        raise Refusal(Reason.INVALID, "请选择评价结果：满意、基本满意或不满意")
    opinion = _text(cmd.payload, "opinion", "回访意见", False)
    return case.evolve(satisfaction=sat), opinion, {"satisfaction": sat.value}


def _archive(case: Case, cmd: Command, ctx: Context) -> Result:
    _need_status(case, {S.CLOSED}, "归档")
    return case.evolve(status=S.ARCHIVED), _text(cmd.payload, "opinion", "归档说明", False), {}


def _reopen(case: Case, cmd: Command, ctx: Context) -> Result:
    _need_status(case, {S.CLOSED}, "重新打开")
    reason = _text(cmd.payload, "reason", "重新打开的理由", True)
    limits = ctx.ref.limits_for(case.category_code)
    new = case.evolve(
        status=S.REGISTERED,
        department_code=None,
        closed_at=None,
        closed_on_time=None,
        resolved_level=None,
        check_passed=False,
        satisfaction=None,
        reopen_count=case.reopen_count + 1,
    )
    return new.evolve(**_stage(new, ctx, limits.dispatch)), reason, {}


def _comment(case: Case, cmd: Command, ctx: Context) -> Result:
    text = _text(cmd.payload, "text", "备注内容", True)
    return case, text, {}


def _merge(case: Case, cmd: Command, ctx: Context) -> Result:
    _need_status(case, {S.REPORTED, S.REGISTERED}, "合并")
    target_id = _code(cmd.payload, "target_id", "合并目标")
    if not target_id:
        raise Refusal(Reason.INVALID, "请选择要合并到的事件")
    if target_id == case.id:
        raise Refusal(Reason.INVALID, "不能把事件合并到它自己")
    target = ctx.target
    if target is None or target.id != target_id:
        raise Refusal(Reason.NOT_FOUND, "找不到要合并到的事件")
    if target.status not in OPEN_STATUSES and target.status is not S.CLOSED:
        raise Refusal(Reason.BAD_STATE, "目标事件 {code} 状态为“{status}”，不能作为合并目标", code=target.code, status=target.status)
    opinion = _text(cmd.payload, "opinion", "合并说明", False)
    new = case.evolve(status=S.MERGED, merged_into=target.id, suspended=False, supervised=False, **_NO_STAGE)
    return new, opinion, {"target_id": target.id, "target_code": target.code}


def _reveal(case: Case, cmd: Command, ctx: Context) -> Result:
    fields = cmd.payload.get("fields") or ["reporter_name", "reporter_phone"]
    if not isinstance(fields, list) or not all(f in ("reporter_name", "reporter_phone") for f in fields):
        raise Refusal(Reason.INVALID, "只能查看反映人姓名和联系电话")
    reason = _text(cmd.payload, "reason", "查看理由", False)
    return case, reason, {"fields": list(fields)}


_RULES: dict[C, Callable[[Case, Command, Context], Result]] = {
    C.CREATE: lambda case, cmd, ctx: _create(cmd, ctx),
    C.ACCEPT: _accept,
    C.REJECT: _reject,
    C.DISPATCH: _dispatch,
    C.SIGN: _sign,
    C.FEEDBACK: _feedback,
    C.RETURN: _return,
    C.REASSIGN: _reassign,
    C.ESCALATE: _escalate,
    C.HAND_DOWN: _hand_down,
    C.URGE: _urge,
    C.SUPERVISE: _supervise,
    C.REQUEST_EXTENSION: _request_extension,
    C.APPROVE_EXTENSION: _approve_extension,
    C.DENY_EXTENSION: _deny_extension,
    C.SUSPEND: _suspend,
    C.RESUME: _resume,
    C.CHECK_PASS: _check_pass,
    C.REWORK: _rework,
    C.CLOSE: _close,
    C.EVALUATE: _evaluate,
    C.ARCHIVE: _archive,
    C.REOPEN: _reopen,
    C.COMMENT: _comment,
    C.MERGE: _merge,
    C.REVEAL_PII: _reveal,
}


def available_commands(case: Case, actor: Actor, ctx: Context) -> list[C]:
    """The commands this actor could issue on this case now (for enabling UI actions).

    Checks role, scope and state with an empty payload; a command that only
    lacks its form input (a reason, a department) still counts as available.
    """
    out: list[C] = []
    for ctype in C:
        if ctype is C.CREATE or not can(actor.role, ctype):
            continue
        d = decide(case, Command(ctype, case.id, actor, {}), ctx)
        if d.ok or d.code == Reason.INVALID:
            out.append(ctype)
    return out


def check_invariants(case: Case) -> list[str]:
    """Everything that must hold for any case; an empty list means consistent."""
    bad: list[str] = []
    st = case.status
    if st in (S.DISPATCHED, S.IN_PROGRESS) and not case.department_code:
        bad.append("dispatched/in_progress without department")
    if st in (S.REPORTED, S.REGISTERED) and case.department_code:
        bad.append("not dispatched but has department")
    if case.check_passed and st not in (S.AWAITING_CHECK, S.CLOSED, S.ARCHIVED):
        bad.append("check_passed outside check/closed")
    if (case.closed_at is not None) != (st in (S.CLOSED, S.ARCHIVED)):
        bad.append("closed_at inconsistent with status")
    if (case.merged_into is not None) != (st is S.MERGED):
        bad.append("merged_into inconsistent with status")
    if case.suspended and st not in OPEN_STATUSES:
        bad.append("suspended but not open")
    if case.satisfaction is not None and st not in (S.CLOSED, S.ARCHIVED):
        bad.append("evaluated but not closed")
    if case.extension_minutes is not None and st not in (S.DISPATCHED, S.IN_PROGRESS):
        bad.append("pending extension outside handling")
    if st in OPEN_STATUSES and not case.suspended and case.stage_deadline is None:
        bad.append("open case without a stage deadline")
    if st in OPEN_STATUSES and case.suspended and case.stage_deadline is not None:
        bad.append("suspended case with a running clock")
    if st not in OPEN_STATUSES and case.stage_deadline is not None:
        bad.append("finished case with a running clock")
    if st in (S.CLOSED, S.ARCHIVED) and case.resolved_level is None and case.closed_at is not None:
        bad.append("closed without resolved level")
    if min(case.urge_count, case.return_count, case.rework_count, case.reopen_count) < 0 or case.version < 1:
        bad.append("negative counter or version")
    if case.due_soon_at is not None and case.stage_deadline is not None and case.due_soon_at > case.stage_deadline:
        bad.append("due_soon after deadline")
    return bad
