"""Enumerations of the domain. Values are stable strings stored in the database
and sent over the wire; labels are the Chinese names the UI shows."""

from __future__ import annotations

from enum import Enum


class _Labeled(str, Enum):
    """A str enum whose members carry a Chinese label."""

    label: str

    def __new__(cls, value: str, label: str = "") -> _Labeled:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        return obj

    def __str__(self) -> str:
        return self.value


class OrgLevel(_Labeled):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县(市、区)"
    TOWNSHIP = "township", "乡镇(街道)"
    VILLAGE = "village", "村(社区)"
    GRID = "grid", "网格"


class Status(_Labeled):
    REPORTED = "reported", "待受理"
    REGISTERED = "registered", "待派遣"
    DISPATCHED = "dispatched", "待签收"
    IN_PROGRESS = "in_progress", "处置中"
    AWAITING_CHECK = "awaiting_check", "待核查"
    CLOSED = "closed", "已结案"
    ARCHIVED = "archived", "已归档"
    REJECTED = "rejected", "不予受理"
    MERGED = "merged", "已合并"


OPEN_STATUSES: frozenset[Status] = frozenset(
    {Status.REPORTED, Status.REGISTERED, Status.DISPATCHED, Status.IN_PROGRESS, Status.AWAITING_CHECK}
)
TERMINAL_STATUSES: frozenset[Status] = frozenset({Status.ARCHIVED, Status.REJECTED, Status.MERGED})


class Priority(_Labeled):
    NORMAL = "normal", "一般"
    URGENT = "urgent", "紧急"
    CRITICAL = "critical", "特急"


class Severity(_Labeled):
    ORDINARY = "ordinary", "一般"
    MAJOR = "major", "较大"
    SERIOUS = "serious", "重大"
    EXTREME = "extreme", "特别重大"


class Source(_Labeled):
    GRID_WORKER = "grid_worker", "网格员上报"
    HOTLINE_967999 = "hotline_967999", "967999热线"
    HOTLINE_12345 = "hotline_12345", "12345热线"
    VIDEO = "video", "视频巡查"
    VISIT = "visit", "群众来访"
    LEADER = "leader", "领导批示"
    TRANSFER = "transfer", "部门转办"


class Role(_Labeled):
    OPERATOR = "operator", "值班员"
    SHIFT_LEAD = "shift_lead", "值班长"
    SUPERVISOR = "supervisor", "督查员"
    DEPT_HANDLER = "dept_handler", "部门处置员"
    GRID_WORKER = "grid_worker", "网格员"
    WALL = "wall", "大屏"
    ADMIN = "admin", "系统管理员"
    AUDITOR = "auditor", "安全审计员"


class SlaState(_Labeled):
    NONE = "none", "—"
    NORMAL = "normal", "正常"
    DUE_SOON = "due_soon", "即将超期"
    OVERDUE = "overdue", "已超期"


class Satisfaction(_Labeled):
    SATISFIED = "satisfied", "满意"
    BASICALLY = "basically", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class CommandType(_Labeled):
    CREATE = "create", "上报"
    ACCEPT = "accept", "受理立案"
    REJECT = "reject", "不予受理"
    DISPATCH = "dispatch", "派遣"
    SIGN = "sign", "签收"
    FEEDBACK = "feedback", "处理反馈"
    RETURN = "return", "退回"
    REASSIGN = "reassign", "改派"
    ESCALATE = "escalate", "上报上级"
    HAND_DOWN = "hand_down", "交办"
    URGE = "urge", "催办"
    SUPERVISE = "supervise", "督办"
    REQUEST_EXTENSION = "request_extension", "申请延期"
    APPROVE_EXTENSION = "approve_extension", "批准延期"
    DENY_EXTENSION = "deny_extension", "驳回延期"
    SUSPEND = "suspend", "挂账"
    RESUME = "resume", "解除挂账"
    CHECK_PASS = "check_pass", "核查通过"
    REWORK = "rework", "返工"
    CLOSE = "close", "结案"
    EVALUATE = "evaluate", "评价"
    ARCHIVE = "archive", "归档"
    REOPEN = "reopen", "重新打开"
    COMMENT = "comment", "备注"
    MERGE = "merge", "合并重复"
    REVEAL_PII = "reveal_pii", "查看个人信息"
