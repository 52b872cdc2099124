"""The case (事件/案卷), the actor, the command and the history record."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from .enums import (
    OPEN_STATUSES,
    CommandType,
    OrgLevel,
    Priority,
    Role,
    Satisfaction,
    Severity,
    SlaState,
    Source,
    Status,
)
from .sla import sla_state_of
from .timeutil import utcnow


def new_id() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class Actor:
    """Who issues a command: a user with one role, at a centre or a department."""

    username: str
    role: Role
    centre_code: str | None = None
    department_code: str | None = None
    display_name: str = ""


@dataclass(frozen=True)
class Case:
    id: str
    code: str
    title: str
    centre_code: str
    source: Source
    created_at: datetime
    updated_at: datetime
    status: Status = Status.REPORTED
    version: int = 1
    description: str = ""
    category_code: str | None = None
    priority: Priority = Priority.NORMAL
    severity: Severity = Severity.ORDINARY
    reporter_name: str = ""
    reporter_phone: str = ""
    lon: float | None = None
    lat: float | None = None
    address: str = ""
    grid_code: str | None = None
    township_code: str | None = None
    department_code: str | None = None
    # flags
    supervised: bool = False  # 督办
    suspended: bool = False  # 挂账
    escalated: bool = False  # 已上报上级
    check_passed: bool = False
    # counters
    urge_count: int = 0
    return_count: int = 0
    rework_count: int = 0
    reopen_count: int = 0
    # pending extension request (延期申请), in working minutes
    extension_minutes: int | None = None
    extension_reason: str = ""
    # clocks
    stage_started_at: datetime | None = None
    stage_deadline: datetime | None = None
    due_soon_at: datetime | None = None
    deadline: datetime | None = None  # whole case
    suspended_remaining_s: int | None = None
    # milestones
    accepted_at: datetime | None = None
    dispatched_at: datetime | None = None
    signed_at: datetime | None = None
    feedback_at: datetime | None = None
    closed_at: datetime | None = None
    handled_on_time: bool | None = None  # 按期处置
    closed_on_time: bool | None = None  # 按期结案
    resolved_level: OrgLevel | None = None
    satisfaction: Satisfaction | None = None
    merged_into: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def sla_state(self, now: datetime) -> SlaState:
        return sla_state_of(self.status, self.suspended, self.stage_deadline, self.due_soon_at, now)

    def evolve(self, **changes: Any) -> Case:
        return replace(self, **changes)


@dataclass(frozen=True)
class Command:
    """A user action, as it travels from the UI to the store and the server."""

    type: CommandType
    case_id: str
    actor: Actor
    payload: Mapping[str, Any] = field(default_factory=dict)
    base_version: int | None = None  # None: no optimistic check (create, or caller does not care)
    command_id: str = field(default_factory=new_id)
    client_id: str = "local"
    client_seq: int = 0
    client_ts: datetime = field(default_factory=utcnow)


@dataclass(frozen=True)
class HistoryEntry:
    """One record per accepted command: who, role, action, from/to, opinion, when."""

    case_id: str
    version: int
    action: CommandType
    actor: str
    role: Role
    from_status: Status | None
    to_status: Status
    opinion: str
    at: datetime
    command_id: str
    details: Mapping[str, Any] = field(default_factory=dict)
    client_ts: datetime | None = None
