"""Roles and permissions: ONE table.

The server enforces it; the client mirrors it to enable or disable actions.
Administrator and auditor are kept apart from case work and from each other,
as the classified-protection (等保) rules ask.
"""

from __future__ import annotations

from enum import Enum

from .enums import CommandType as C
from .enums import Role as R


class Capability(str, Enum):
    VIEW_QUEUE = "view_queue"
    VIEW_PII = "view_pii"  # may reveal masked personal data (audited)
    EXPORT = "export"
    DRIVE_WALL = "drive_wall"
    VIEW_WALL = "view_wall"
    MANAGE_USERS = "manage_users"
    MANAGE_REFERENCE = "manage_reference"
    VIEW_AUDIT = "view_audit"


_CASE_STAFF: set[C | Capability] = {C.COMMENT, C.URGE, C.EVALUATE, C.REVEAL_PII, Capability.VIEW_QUEUE, Capability.VIEW_PII}

PERMISSIONS: dict[R, frozenset[C | Capability]] = {
    R.OPERATOR: frozenset(
        _CASE_STAFF
        | {C.CREATE, C.ACCEPT, C.REJECT, C.DISPATCH, C.REASSIGN, C.ESCALATE, C.HAND_DOWN, C.MERGE}
        | {Capability.EXPORT}
    ),
    R.SHIFT_LEAD: frozenset(
        _CASE_STAFF
        | {C.CREATE, C.ACCEPT, C.REJECT, C.DISPATCH, C.REASSIGN, C.ESCALATE, C.HAND_DOWN, C.MERGE}
        | {C.APPROVE_EXTENSION, C.DENY_EXTENSION, C.SUSPEND, C.RESUME}
        | {C.CHECK_PASS, C.REWORK, C.CLOSE, C.ARCHIVE, C.REOPEN}
        | {Capability.EXPORT}
    ),
    R.SUPERVISOR: frozenset(
        _CASE_STAFF
        | {C.CREATE, C.ESCALATE, C.HAND_DOWN, C.SUPERVISE, C.APPROVE_EXTENSION, C.DENY_EXTENSION}
        | {C.SUSPEND, C.RESUME, C.REOPEN}
        | {Capability.DRIVE_WALL, Capability.VIEW_WALL, Capability.EXPORT}
    ),
    R.DEPT_HANDLER: frozenset(
        {C.SIGN, C.FEEDBACK, C.RETURN, C.REQUEST_EXTENSION, C.COMMENT, C.REVEAL_PII}
        | {Capability.VIEW_QUEUE, Capability.VIEW_PII}
    ),
    R.GRID_WORKER: frozenset({C.CREATE, C.COMMENT}),
    R.WALL: frozenset({Capability.VIEW_WALL}),
    R.ADMIN: frozenset({Capability.MANAGE_USERS, Capability.MANAGE_REFERENCE}),
    R.AUDITOR: frozenset({Capability.VIEW_AUDIT}),
}


def can(role: R, what: C | Capability) -> bool:
    return what in PERMISSIONS.get(role, frozenset())


def allowed_commands(role: R) -> list[C]:
    return [c for c in C if can(role, c)]


def roles_that_can(what: C | Capability) -> list[R]:
    return [r for r in R if can(r, what)]
