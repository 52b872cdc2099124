"""What deserves an operator's attention now: new 紧急/特急 cases and cases that
cross into due-soon or overdue.  Plain Python (the GUI's AlertCenter wraps it).

``AlertWatch`` remembers the last SLA state of every open case in its scope
(a set of centres, or all).  ``scan()`` is called with the cases that changed
since the last call (from the workspace's ``cases_changed`` event) and on a
timer; it returns the alerts to raise:

* a case created since the last scan with priority 紧急/特急 ("新的特急事件");
* a case whose SLA state got worse — normal → due soon ("即将超期"), anything →
  overdue ("已超期").  Clocks pass without any change to the case, so besides
  the changed cases each scan asks the store for the cases whose due-soon or
  deadline instant fell between the previous scan and now.

The first scan of a scope only records states: the backlog that was already
due soon or overdue does not alert.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.sql.elements import ColumnElement

from ..domain.enums import OPEN_STATUSES, Priority, SlaState
from ..domain.sla import sla_state_of
from ..domain.timeutil import to_epoch
from ..store import schema as t
from .workspace import Workspace

NEW_CRITICAL = "new_critical"
NEW_URGENT = "new_urgent"
DUE_SOON = "due_soon"
OVERDUE = "overdue"

REASONS = {
    NEW_CRITICAL: "新的特急事件",
    NEW_URGENT: "新的紧急事件",
    DUE_SOON: "即将超期",
    OVERDUE: "已超期",
}
# most pressing first (for picking the sound of a batch)
SEVERITY_ORDER = (NEW_CRITICAL, OVERDUE, NEW_URGENT, DUE_SOON)

_RANK = {SlaState.NONE: 0, SlaState.NORMAL: 1, SlaState.DUE_SOON: 2, SlaState.OVERDUE: 3}
_OPEN_VALUES = frozenset(s.value for s in OPEN_STATUSES)
_NEW_KINDS = {Priority.CRITICAL.value: NEW_CRITICAL, Priority.URGENT.value: NEW_URGENT}

c = t.cases.c
_STATE_COLS = (c.id, c.status, c.suspended, c.stage_deadline, c.due_soon_at)
_ALERT_COLS = (*_STATE_COLS, c.code, c.title, c.priority, c.centre_code)


@dataclass(frozen=True)
class Alert:
    case_id: str
    code: str
    title: str
    kind: str  # NEW_CRITICAL, NEW_URGENT, DUE_SOON, OVERDUE
    priority: str
    at: datetime

    @property
    def reason(self) -> str:
        return REASONS[self.kind]


def sla_state(row: Mapping[str, Any], now_epoch: int) -> SlaState:
    """The SLA state of a case row (epoch-second times), as Case.sla_state computes it."""
    return sla_state_of(row["status"], row["suspended"], row["stage_deadline"], row["due_soon_at"], now_epoch)


def most_pressing(alerts: Iterable[Alert]) -> str | None:
    kinds = {a.kind for a in alerts}
    return next((k for k in SEVERITY_ORDER if k in kinds), None)


class AlertWatch:
    """Remembers SLA states of one scope and turns changes into alerts."""

    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace
        self._scope: tuple[str, ...] | None = None  # None: no baseline yet
        self._states: dict[str, SlaState] = {}
        self._last: int = 0  # epoch of the previous scan

    @property
    def scope(self) -> tuple[str, ...] | None:
        return self._scope

    def state_of(self, case_id: str) -> SlaState | None:
        return self._states.get(case_id)

    def __len__(self) -> int:
        return len(self._states)

    def reset(self) -> None:
        """Forget everything: the next scan is a baseline again."""
        self._scope = None
        self._states.clear()

    def scan(
        self,
        centres: Sequence[str],
        now: datetime,
        changed: Iterable[str] = (),
        created: Iterable[str] = (),
    ) -> list[Alert]:
        """The alerts since the last scan; ``centres`` empty means every centre."""
        scope = tuple(sorted(set(centres)))
        n = to_epoch(now) or 0
        created_ids = set(created)
        with self._ws.read() as conn:
            if self._scope != scope:  # first scan of this scope: remember, do not alert
                self._baseline(conn, scope, n)
                first: list[Alert] = []
                if created_ids:  # new cases that arrived with the baseline still count
                    news = self._rows(conn, created_ids)
                    first = [a for r in news if (a := self._new_case_alert(r, now)) is not None]
                return first
            ids = set(changed) | created_ids
            rows = {r["id"]: r for r in self._rows(conn, ids)} if ids else {}
            crossed: set[str] = set()
            for r in self._crossings(conn, scope, self._last, n):
                crossed.add(r["id"])
                rows.setdefault(r["id"], r)
        self._last = max(self._last, n)
        alerts = []
        for case_id, r in rows.items():
            if case_id in created_ids:
                a = self._new_case_alert(r, now)
                if a is not None:
                    alerts.append(a)
                    self._remember(r, n)
                    continue
            a = self._state_alert(r, now, n, crossed=case_id in crossed)
            if a is not None:
                alerts.append(a)
        return alerts

    # --- helpers ------------------------------------------------------------------

    def _in_scope(self, row: Mapping[str, Any]) -> bool:
        return not self._scope or row["centre_code"] in self._scope

    def _remember(self, row: Mapping[str, Any], n: int) -> SlaState:
        state = sla_state(row, n)
        if row["status"] in _OPEN_VALUES and self._in_scope(row):
            self._states[row["id"]] = state
        else:
            self._states.pop(row["id"], None)
        return state

    def _new_case_alert(self, row: Mapping[str, Any], now: datetime) -> Alert | None:
        kind = _NEW_KINDS.get(row["priority"])
        if kind is None or row["status"] not in _OPEN_VALUES or not self._in_scope(row):
            return None
        return Alert(row["id"], row["code"], row["title"], kind, row["priority"], now)

    def _state_alert(self, row: Mapping[str, Any], now: datetime, n: int, *, crossed: bool) -> Alert | None:
        prev = self._states.get(row["id"])
        new = self._remember(row, n)
        if new not in (SlaState.DUE_SOON, SlaState.OVERDUE) or not self._in_scope(row):
            return None
        if prev is None:
            if not crossed:
                return None  # first sight of this case (it entered the scope): just remember it
            prev = SlaState.NORMAL  # its due-soon or deadline instant passed since the last scan
        if _RANK[new] <= _RANK[prev]:
            return None
        kind = OVERDUE if new is SlaState.OVERDUE else DUE_SOON
        return Alert(row["id"], row["code"], row["title"], kind, row["priority"], now)

    def _baseline(self, conn: Connection, scope: tuple[str, ...], n: int) -> None:
        where: list[ColumnElement[bool]] = [c.is_open.is_(True)]
        if scope:
            where.append(c.centre_code.in_(scope))
        rows = conn.execute(select(*_STATE_COLS).where(*where)).mappings()
        self._states = {r["id"]: sla_state(dict(r), n) for r in rows}
        self._scope = scope
        self._last = n

    def _rows(self, conn: Connection, ids: Iterable[str]) -> list[dict[str, Any]]:
        ids = list(ids)
        out: list[dict[str, Any]] = []
        for i in range(0, len(ids), 500):
            q = select(*_ALERT_COLS).where(c.id.in_(ids[i : i + 500]))
            out += [dict(r) for r in conn.execute(q).mappings()]
        return out

    def _crossings(self, conn: Connection, scope: tuple[str, ...], last: int, n: int) -> list[dict[str, Any]]:
        if n <= last:
            return []
        # two range scans over the open-only indexes (one OR would read every open case)
        found: dict[str, dict[str, Any]] = {}
        for col in (c.due_soon_at, c.stage_deadline):
            where: list[ColumnElement[bool]] = [c.is_open.is_(True), col > last, col <= n]
            if scope:
                where.append(c.centre_code.in_(scope))
            for r in conn.execute(select(*_ALERT_COLS).where(*where)).mappings():
                found[r["id"]] = dict(r)
        return list(found.values())
