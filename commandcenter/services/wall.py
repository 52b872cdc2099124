"""Driving the wall display: the state a supervisor controls, and what the wall reads.

``WallController`` is plain Python: the supervisor's workstation calls it, the wall
window listens to ``changed`` (any thread) and obeys.  Every command is also a small JSON
payload (``{"action": "pin", "case_id": ...}``) -- the same the platform server's
``/api/wall`` stores -- so a wall in another process can follow the same commands.

Also here: the wall's read-side helpers (lists of overdue and major cases, the duty
roster, cases changed since a cursor) and ``wall_text``, the masking every text on the
wall goes through.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from ..domain.case import Actor
from ..domain.enums import Priority, Role, SlaState
from ..domain.masking import mask_name, mask_text
from ..domain.permissions import Capability, can
from ..domain.timeutil import to_epoch
from ..store import schema as t
from . import queries
from .events import Event

ACTIONS = ("pin", "release", "pause", "resume", "page", "interval")
DEFAULT_INTERVAL_S = 20


@dataclass(frozen=True)
class WallState:
    page: int = 0
    paused: bool = False
    pinned_case: str | None = None
    interval_s: int = DEFAULT_INTERVAL_S
    seq: int = 0  # bumped by every accepted command


class WallPermissionError(PermissionError):
    pass


class WallController:
    """The wall's state and the commands that change it (thread-safe)."""

    def __init__(self, interval_s: int = DEFAULT_INTERVAL_S) -> None:
        self._state = WallState(interval_s=interval_s)
        self._lock = threading.Lock()
        self.changed: Event[WallState] = Event("wall_changed")
        # the commands a user gave here (with an actor), for a relay to the server's /api/wall;
        # those that came from the server (no actor) are not published again
        self.published: Event[dict[str, Any]] = Event("wall_published")
        self.log: list[dict[str, Any]] = []  # the commands accepted, as payloads (with who)

    @property
    def state(self) -> WallState:
        return self._state

    def apply(self, payload: Mapping[str, Any], actor: Actor | None = None) -> WallState:
        """Apply one command payload.  With an actor, the permission table decides
        (DRIVE_WALL); without one the payload comes from a trusted channel (the server)."""
        if actor is not None and not can(actor.role, Capability.DRIVE_WALL):
            raise WallPermissionError(f"{actor.username} may not drive the wall")
        action = str(payload.get("action", ""))
        if action not in ACTIONS:
            raise ValueError(f"unknown wall action {action!r}")
        with self._lock:
            s = self._state
            if action == "pin":
                case_id = str(payload.get("case_id") or "")
                if not case_id:
                    raise ValueError("pin needs a case_id")
                s = replace(s, pinned_case=case_id)
            elif action == "release":
                s = replace(s, pinned_case=None)
            elif action == "pause":
                s = replace(s, paused=True)
            elif action == "resume":
                s = replace(s, paused=False)
            elif action == "page":
                s = replace(s, page=max(0, int(payload.get("page", 0))))
            elif action == "interval":
                s = replace(s, interval_s=max(3, int(payload.get("seconds", DEFAULT_INTERVAL_S))))
            s = replace(s, seq=s.seq + 1)
            self._state = s
            entry = dict(payload)
            if actor is not None:
                entry["by"] = actor.username
            self.log.append(entry)
        self.changed.emit(s)
        if actor is not None:
            self.published.emit({k: v for k, v in entry.items() if k != "by"})
        return s

    # conveniences for the workstation
    def pin(self, case_id: str, actor: Actor | None = None) -> WallState:
        return self.apply({"action": "pin", "case_id": case_id}, actor)

    def release(self, actor: Actor | None = None) -> WallState:
        return self.apply({"action": "release"}, actor)

    def pause(self, actor: Actor | None = None) -> WallState:
        return self.apply({"action": "pause"}, actor)

    def resume(self, actor: Actor | None = None) -> WallState:
        return self.apply({"action": "resume"}, actor)

    def show_page(self, page: int, actor: Actor | None = None) -> WallState:
        return self.apply({"action": "page", "page": page}, actor)

    def set_interval(self, seconds: int, actor: Actor | None = None) -> WallState:
        return self.apply({"action": "interval", "seconds": seconds}, actor)


# --- what the wall shows ---------------------------------------------------------------------


def wall_text(text: str | None) -> str:
    """Every free text on the wall: phone and ID numbers masked, whatever the role."""
    return mask_text(text or "")


def overdue_cases(conn: Connection, now: datetime, centres: Sequence[str] = (), limit: int = 40) -> list[dict[str, Any]]:
    f = queries.QueueFilter(centres=tuple(centres), sla=SlaState.OVERDUE, sort="deadline")
    return [_masked(r) for r in queries.queue(conn, f, now, limit=limit)]


def major_cases(conn: Connection, now: datetime, centres: Sequence[str] = (), limit: int = 40) -> list[dict[str, Any]]:
    """Open 紧急/特急 cases, 特急 first, then by deadline."""
    out: list[dict[str, Any]] = []
    for p in (Priority.CRITICAL, Priority.URGENT):
        f = queries.QueueFilter(centres=tuple(centres), priorities=(p,), sort="deadline")
        out += queries.queue(conn, f, now, limit=limit - len(out))
        if len(out) >= limit:
            break
    return [_masked(r) for r in out]


def _masked(row: Mapping[str, Any]) -> dict[str, Any]:
    r = dict(row)
    r["title"] = wall_text(r.get("title"))
    r["address"] = wall_text(r.get("address"))
    r["reporter_name"] = mask_name(r.get("reporter_name") or "")
    r["reporter_phone"] = ""  # never on the wall
    return r


ROSTER_ROLES = (Role.SUPERVISOR, Role.SHIFT_LEAD, Role.OPERATOR)


def duty_roster(conn: Connection, centre_code: str | None) -> list[tuple[Role, str]]:
    """Today's duty staff: there is no roster table yet, so the active users of the centre by
    role (督查员, 值班长, 值班员), names masked."""
    u = t.users.c
    q = select(u.role, u.display_name, u.username).where(u.active.is_(True), u.role.in_([r.value for r in ROSTER_ROLES]))
    if centre_code:
        q = q.where(u.centre_code == centre_code)
    order = {r.value: i for i, r in enumerate(ROSTER_ROLES)}
    rows = sorted(conn.execute(q), key=lambda r: (order[r.role], r.username))
    return [(Role(r.role), mask_name(r.display_name or r.username)) for r in rows]


def changed_since(conn: Connection, cursor: int) -> tuple[list[str], int]:
    """Ids of cases updated at or after ``cursor`` (epoch s) and the next cursor: how a wall in
    its own process follows the store other processes write (the ``ix_cases_updated`` index)."""
    c = t.cases.c
    rows = conn.execute(select(c.id, c.updated_at).where(c.updated_at >= cursor)).all()
    nxt = max((int(r[1]) for r in rows), default=cursor)
    return [r[0] for r in rows], nxt


def epoch(now: datetime) -> int:
    v = to_epoch(now)
    assert v is not None
    return v
