"""Apply a command: validate with the domain, update the case, append history
and the outbox — in one transaction — then tell listeners."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, func, insert, select

from ..domain.case import Case, Command
from ..domain.enums import CommandType
from ..domain.masking import mask_text
from ..domain.org import Reference
from ..domain.sla import WorkCalendar
from ..domain.timeutil import local, to_epoch
from ..domain.workflow import Context, Decision, Reason, decide, refused
from ..store import repo
from ..store import schema as t
from ..store.engine import write_tx
from .events import CasesChanged, Events
from .geoimport import GridLocator

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What happened to one command: applied (with the new case) or refused (with why)."""

    command: Command
    decision: Decision

    @property
    def ok(self) -> bool:
        return self.decision.ok

    @property
    def case(self) -> Case | None:
        return self.decision.case

    @property
    def reason(self) -> str:
        return self.decision.reason


def official_code(conn: Connection, county_code: str, now: datetime) -> str:
    """County code + local date + a 5-digit daily sequence: 19 digits, so that a
    case code is never taken for an 18-digit ID number (and masked) in logs."""
    day = local(now).strftime("%Y%m%d")
    n = repo.next_code(conn, f"{county_code}{day}")
    return f"{county_code}{day}{n:05d}"


def provisional_code(conn: Connection, client_id: str, now: datetime) -> str:
    """A workstation's own code for a case created while the server has not yet seen it."""
    day = local(now).strftime("%Y%m%d")
    n = repo.next_code(conn, f"L{client_id}{day}")
    return f"L-{client_id[:8]}-{day}-{n:04d}"


def is_provisional(code: str) -> bool:
    return code.startswith("L-")


def decide_and_write(
    conn: Connection,
    cmd: Command,
    ref: Reference,
    calendar: WorkCalendar,
    now: datetime,
    new_code: Callable[[Connection, datetime], str],
) -> Decision:
    """The one apply path shared by the workstation and the server, inside the
    caller's write transaction: load the case (and a merge target), decide with the
    domain, and on success write the case and its history record. A refusal
    writes nothing (except a burnt code number for a refused create)."""
    case = repo.get_case(conn, cmd.case_id)
    target = None
    if cmd.type is CommandType.MERGE and isinstance(cmd.payload.get("target_id"), str):
        target = repo.get_case(conn, cmd.payload["target_id"])
    ctx = Context(ref, calendar, now, target=target)
    if cmd.type is CommandType.CREATE and case is None:
        ctx.new_code = new_code(conn, now)
    decision = decide(case, cmd, ctx)
    if not decision.ok:
        return decision
    assert decision.case is not None and decision.history is not None
    if case is None:
        repo.insert_case(conn, decision.case)
    elif not repo.update_case(conn, decision.case, case.version):
        return refused(Reason.VERSION_CONFLICT, "事件已被他人更新，请刷新后重试")
    repo.insert_history(conn, decision.history)
    return decision


class CommandService:
    def __init__(
        self,
        engine: Engine,
        ref: Reference,
        calendar: WorkCalendar,
        events: Events,
        clock: Callable[[], datetime],
        county_code: str,
        client_id: str = "local",
        provisional_codes: bool = False,
    ) -> None:
        self.engine = engine
        self.ref = ref
        self.calendar = calendar
        self.events = events
        self.clock = clock
        self.county_code = county_code
        self.client_id = client_id
        self.provisional_codes = provisional_codes
        self._lock = threading.Lock()  # one writer per process keeps client_seq gap-free
        self.grids = GridLocator(engine)  # a new case with a location and no grid gets one

    def apply(self, cmd: Command, origin: str = "local") -> Outcome:
        return self.apply_many([cmd], origin)[0]

    def apply_many(self, cmds: Sequence[Command], origin: str = "local") -> list[Outcome]:
        """Apply commands in order, each in its own transaction; refusals change nothing."""
        outcomes = []
        changed: list[str] = []
        created: list[str] = []
        for cmd in cmds:
            cmd = self.grids.with_grid(cmd)
            out = self._apply_one(cmd)
            outcomes.append(out)
            if out.ok:
                changed.append(cmd.case_id)
                if cmd.type is CommandType.CREATE:
                    created.append(cmd.case_id)
            else:
                log.info(
                    "refused %s on %s by %s: %s (%s)",
                    cmd.type.value,
                    cmd.case_id,
                    cmd.actor.username,
                    mask_text(out.reason),
                    out.decision.code,
                )
        if changed:
            self.events.cases_changed.emit(CasesChanged(tuple(dict.fromkeys(changed)), tuple(created), origin))
        return outcomes

    def _apply_one(self, cmd: Command) -> Outcome:
        with self._lock:
            try:
                with write_tx(self.engine) as conn:
                    dup = conn.execute(
                        select(t.outbox.c.seq).where(t.outbox.c.command_id == cmd.command_id)
                    ).first()
                    if dup is not None:
                        return Outcome(
                            cmd, refused(Reason.DUPLICATE, "该操作已执行过（重复提交）")
                        )
                    now = self.clock()
                    decision = decide_and_write(conn, cmd, self.ref, self.calendar, now, self._new_code)
                    if not decision.ok:
                        return Outcome(cmd, decision)
                    self._append_outbox(conn, cmd)
                    return Outcome(cmd, decision)
            except Exception as exc:  # database trouble: refuse clearly, nothing half-written
                log.exception("command %s failed", cmd.command_id)
                return Outcome(cmd, refused("store_error", "保存失败，未做任何更改：{error}", error=str(exc)))

    def _new_code(self, conn: Connection, now: datetime) -> str:
        if self.provisional_codes:
            return provisional_code(conn, self.client_id, now)
        return official_code(conn, self.county_code, now)

    def _append_outbox(self, conn: Connection, cmd: Command) -> None:
        seq = conn.execute(
            select(func.coalesce(func.max(t.outbox.c.client_seq), 0)).where(t.outbox.c.client_id == self.client_id)
        ).scalar_one()
        a = cmd.actor
        conn.execute(
            insert(t.outbox),
            [
                {
                    "command_id": cmd.command_id,
                    "client_id": self.client_id,
                    "client_seq": int(seq) + 1,
                    "type": cmd.type.value,
                    "case_id": cmd.case_id,
                    "base_version": cmd.base_version,
                    "payload": json.dumps(dict(cmd.payload), ensure_ascii=False, default=str),
                    "actor": json.dumps(
                        {
                            "username": a.username,
                            "role": a.role.value,
                            "centre_code": a.centre_code,
                            "department_code": a.department_code,
                        },
                        ensure_ascii=False,
                    ),
                    "client_ts": to_epoch(cmd.client_ts),
                    "state": "pending",
                }
            ],
        )
