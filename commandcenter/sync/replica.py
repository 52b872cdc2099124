"""The workstation's replica side of sync: read the outbox, apply push results and
pulled change batches (one transaction each), rebase what is still pending, keep
the cursor, list sync problems. No HTTP here (see client.py / worker.py)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from ..domain.case import Actor, Command
from ..domain.enums import CommandType, Role
from ..domain.timeutil import from_epoch, to_epoch, utcnow
from ..domain.workflow import Context, decide
from ..services.auth import DISABLED
from ..services.commands import is_provisional
from ..services.workspace import Workspace
from ..store import repo
from ..store import schema as t
from ..store.engine import make_engine, read_tx, write_tx
from ..store.migrate import upgrade
from .pulled import Orders, Pulled

log = logging.getLogger(__name__)

CURSOR_KEY = "sync_cursor"
SERVER_KEY = "sync_server"
CASE_COLUMNS = frozenset(c.name for c in t.cases.columns)
HISTORY_COLUMNS = frozenset(c.name for c in t.case_history.columns) - {"id"}
_CHUNK = 500


def command_from_outbox(r: Any) -> Command:
    a = json.loads(r.actor)
    actor = Actor(a["username"], Role(a["role"]), a.get("centre_code"), a.get("department_code"))
    return Command(
        CommandType(r.type),
        r.case_id,
        actor,
        json.loads(r.payload),
        base_version=r.base_version,
        command_id=r.command_id,
        client_id=r.client_id,
        client_seq=r.client_seq,
        client_ts=from_epoch(r.client_ts) or utcnow(),
    )


def wire_command(r: Any) -> dict[str, Any]:
    """An outbox row as the server's /api/commands expects it."""
    return {
        "command_id": r.command_id,
        "client_seq": r.client_seq,
        "type": r.type,
        "case_id": r.case_id,
        "base_version": r.base_version,
        "payload": json.loads(r.payload),
        "client_ts": r.client_ts,
        "actor": json.loads(r.actor),
    }


_CASE_ORDER = tuple(c.name for c in t.cases.columns)
assert _CASE_ORDER[0] == "id"
_SELECT_COLUMNS = ", ".join(f'"{c}"' for c in _CASE_ORDER)
_HISTORY_ORDER = tuple(c.name for c in t.case_history.columns if c.name != "id")
ORDERS: Orders = (_CASE_ORDER, _HISTORY_ORDER)  # how Pulled makes the rows (sync.pulled)
_HISTORY_DELETE = (
    "DELETE FROM case_history WHERE case_id = ? AND command_id = ?",
    "DELETE FROM case_history WHERE case_id = %s AND command_id = %s",
)
_compiled: dict[tuple[str, str], tuple[str, Any]] = {}
_positional: dict[tuple[str, str], tuple[str, ...] | None] = {}


def _compile(conn: Connection, name: str, stmt: Any) -> tuple[str, Any]:
    """(SQL, parameter order or None) of a statement compiled once per dialect."""
    key = (conn.dialect.name, name)
    if key not in _compiled:
        c = stmt.compile(dialect=conn.dialect)
        _compiled[key] = (c.string, itemgetter(*c.positiontup) if c.positiontup is not None else None)
        _positional[key] = tuple(c.positiontup) if c.positiontup is not None else None
    return _compiled[key]


def _positions(conn: Connection, name: str) -> tuple[str, ...] | None:
    return _positional.get((conn.dialect.name, name))


def _compiled_history_insert(conn: Connection) -> tuple[str, Any]:
    return _compile(conn, "history_insert", insert(t.case_history).values({c: bindparam(c) for c in _HISTORY_ORDER}))


def _upsert_case(conn: Connection, row: Mapping[str, Any]) -> None:
    values = {k: v for k, v in row.items() if k in CASE_COLUMNS}
    res = conn.execute(update(t.cases).where(t.cases.c.id == values["id"]).values(**values))
    if res.rowcount == 0:
        conn.execute(insert(t.cases), [values])


_H_CASE = _HISTORY_ORDER.index("case_id")
_H_COMMAND = _HISTORY_ORDER.index("command_id")


class Replica:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    # ------------------------------------------------------------ reading

    def cursor(self) -> int:
        with read_tx(self.ws.engine) as conn:
            return int(repo.get_meta(conn, CURSOR_KEY, "0") or 0)

    def pending(self, limit: int = 100) -> list[Any]:
        with read_tx(self.ws.engine) as conn:
            return list(
                conn.execute(
                    select(t.outbox)
                    .where(t.outbox.c.state == "pending", t.outbox.c.client_id == self.ws.client_id)
                    .order_by(t.outbox.c.client_seq)
                    .limit(limit)
                )
            )

    def pending_count(self) -> int:
        with read_tx(self.ws.engine) as conn:
            return int(
                conn.execute(
                    select(func.count()).select_from(t.outbox).where(t.outbox.c.state == "pending")
                ).scalar_one()
            )

    def problems(self, include_resolved: bool = False) -> list[dict[str, Any]]:
        """Commands the server refused (newest first): what the sync problems panel lists."""
        q = select(t.sync_problems).order_by(t.sync_problems.c.id.desc())
        if not include_resolved:
            q = q.where(t.sync_problems.c.resolved.is_(False))
        with read_tx(self.ws.engine) as conn:
            return [{**dict(r), "at": from_epoch(r["at"])} for r in conn.execute(q).mappings()]

    def resolve_problem(self, problem_id: int) -> None:
        with write_tx(self.ws.engine) as conn:
            conn.execute(update(t.sync_problems).where(t.sync_problems.c.id == problem_id).values(resolved=True))

    # ------------------------------------------------------------ push results

    def apply_results(self, results: Sequence[Mapping[str, Any]]) -> tuple[list[str], list[str]]:
        """Mark pushed outbox rows; undo rejected commands. Returns (changed case ids, rejected command ids)."""
        changed: list[str] = []
        rejected: list[str] = []
        with write_tx(self.ws.engine) as conn:
            for res in results:
                outcome = res.get("original") if res["result"] == "duplicate" else res["result"]
                row = conn.execute(select(t.outbox).where(t.outbox.c.command_id == res["command_id"])).first()
                if row is None or row.state != "pending":
                    continue
                if outcome == "applied":
                    conn.execute(
                        update(t.outbox).where(t.outbox.c.command_id == row.command_id).values(state="applied")
                    )
                    code = res.get("code")
                    if row.type == CommandType.CREATE.value and code:
                        cur = repo.get_case(conn, row.case_id)
                        if cur is not None and is_provisional(cur.code) and cur.code != code:
                            conn.execute(update(t.cases).where(t.cases.c.id == row.case_id).values(code=code))
                            changed.append(row.case_id)
                    continue
                # rejected: undo locally, restore the server's case, keep the problem visible
                self._record_problem(conn, row, res.get("reason_code") or "rejected", res.get("reason") or "")
                rejected.append(row.command_id)
                conn.execute(delete(t.case_history).where(t.case_history.c.command_id == row.command_id))
                server_case = res.get("case")
                if server_case:
                    _upsert_case(conn, server_case)
                else:
                    conn.execute(delete(t.cases).where(t.cases.c.id == row.case_id))
                    conn.execute(delete(t.case_history).where(t.case_history.c.case_id == row.case_id))
                self._rebase(conn, [row.case_id])
                changed.append(row.case_id)
        return list(dict.fromkeys(changed)), rejected

    def _record_problem(self, conn: Connection, row: Any, code: str, reason: str) -> None:
        case = repo.get_case(conn, row.case_id)
        title = case.title if case else str(json.loads(row.payload).get("title", ""))
        conn.execute(
            update(t.outbox)
            .where(t.outbox.c.command_id == row.command_id)
            .values(state="rejected", reason_code=code, reason=reason)
        )
        conn.execute(
            insert(t.sync_problems),
            [
                {
                    "at": to_epoch(self.ws.now()),
                    "command_id": row.command_id,
                    "command_type": row.type,
                    "case_id": row.case_id,
                    "case_code": case.code if case else "",
                    "case_title": title[:200],
                    "actor": json.loads(row.actor).get("username", ""),
                    "reason_code": code,
                    "reason": reason,
                    "resolved": False,
                }
            ],
        )
        log.warning("server rejected %s on %s: %s (%s)", row.type, row.case_id, reason, code)

    # ------------------------------------------------------------ pulled changes

    def apply_changes(self, changes: Sequence[Mapping[str, Any]], cursor: int) -> tuple[list[str], list[str]]:
        """Apply one pulled batch in ONE transaction; returns (changed case ids, created case ids)."""
        return self.apply_pulled(Pulled.of(changes, ORDERS), cursor)

    def apply_pulled(self, pulled: Pulled, cursor: int) -> tuple[list[str], list[str]]:
        """`apply_changes` of a batch already made ready (``Pulled.of``), in ONE transaction.

        Bulk, because a workstation back from a long outage pulls thousands of changes:
        the latest row of each case once (executemany UPDATEs of the changed columns for
        the known cases, one bulk INSERT for the new ones; columns the server left out are
        NULL), the history rows in one executemany, the rebase only over what is pending."""
        latest, history = pulled.latest, pulled.history
        created: list[str] = []
        with write_tx(self.ws.engine) as conn:
            mark = "%s" if conn.dialect.name == "postgresql" else "?"
            if latest:
                ids = list(latest)
                current: dict[str, tuple[Any, ...]] = {}
                for i in range(0, len(ids), _CHUNK):
                    part = ids[i : i + _CHUNK]
                    rows = conn.exec_driver_sql(
                        f"SELECT {_SELECT_COLUMNS} FROM cases WHERE id IN ({', '.join([mark] * len(part))})",
                        tuple(part),
                    )
                    current.update((r[0], tuple(r)) for r in rows)
                created = [cid for cid in ids if cid not in current]
                self._update_cases(conn, latest, current)
                new_rows = [latest[c] for c in created]
                for i in range(0, len(new_rows), 5000):
                    repo.bulk_insert_case_tuples(conn, new_rows[i : i + 5000])
            if history:
                command_ids = [h[_H_COMMAND] for h in history]
                ours: set[str] = set()
                for i in range(0, len(command_ids), _CHUNK):
                    part = command_ids[i : i + _CHUNK]
                    ours.update(
                        r[0]
                        for r in conn.exec_driver_sql(
                            f"SELECT command_id FROM outbox WHERE command_id IN ({', '.join([mark] * len(part))})",
                            tuple(part),
                        )
                    )
                if ours:
                    # our own commands, applied here first: their local history record gives way
                    # to the server's, and the feed proves the server applied them
                    conn.exec_driver_sql(
                        _HISTORY_DELETE[conn.dialect.name == "postgresql"],
                        [(h[_H_CASE], h[_H_COMMAND]) for h in history if h[_H_COMMAND] in ours],
                    )
                    mine = list(ours)
                    for i in range(0, len(mine), _CHUNK):
                        conn.execute(
                            update(t.outbox)
                            .where(t.outbox.c.command_id.in_(mine[i : i + _CHUNK]), t.outbox.c.state == "pending")
                            .values(state="applied")
                        )
                sql, order = _compiled_history_insert(conn)
                if _positions(conn, "history_insert") == _HISTORY_ORDER:  # the tuples as they are
                    conn.exec_driver_sql(sql, history)
                else:
                    dicts = [dict(zip(_HISTORY_ORDER, h, strict=True)) for h in history]
                    conn.exec_driver_sql(sql, [order(r) for r in dicts] if order is not None else dicts)
            if latest:
                self._rebase(conn, list(latest))
            repo.set_meta(conn, CURSOR_KEY, str(cursor))
        return list(latest), created

    @staticmethod
    def _update_cases(
        conn: Connection, latest: Mapping[str, tuple[Any, ...]], current: Mapping[str, tuple[Any, ...]]
    ) -> None:
        """Write the server's rows of the known cases: only the columns that differ (an UPDATE
        maintains just the indexes of the columns it sets; a full-row SET rewrites all twenty),
        one executemany per set of changed columns (a handful per page: accept, dispatch …)."""
        groups: dict[tuple[int, ...], list[tuple[Any, ...]]] = {}
        for cid, new in latest.items():
            cur = current.get(cid)
            if cur is None or new == cur:
                continue
            changed = tuple(i for i in range(1, len(new)) if new[i] != cur[i])
            if changed:
                groups.setdefault(changed, []).append((*(new[i] for i in changed), cid))
        mark = "%s" if conn.dialect.name == "postgresql" else "?"
        for cols, params in groups.items():
            sets = ", ".join(f'"{_CASE_ORDER[i]}" = {mark}' for i in cols)
            conn.exec_driver_sql(f"UPDATE cases SET {sets} WHERE id = {mark}", params)

    def _rebase(self, conn: Connection, case_ids: Iterable[str]) -> None:
        """Re-run the still-pending local commands of these cases on the server's state
        (the server stays the authority: a command that no longer applies is left
        pending, and the server's answer to it decides)."""
        ids = set(case_ids)
        # few commands are pending at any time: read them through the (state, seq) index and
        # keep those of these cases (the outbox has no index on case_id)
        pending = [
            r
            for r in conn.execute(
                select(t.outbox).where(t.outbox.c.state == "pending").order_by(t.outbox.c.client_seq)
            ).all()
            if r.case_id in ids
        ]
        if not pending:
            return
        by_case: dict[str, list[Any]] = {}
        for r in pending:
            by_case.setdefault(r.case_id, []).append(r)
        now = self.ws.now()
        for case_id, rows in by_case.items():
            case = repo.get_case(conn, case_id)
            if case is None:
                continue
            start = case
            for r in rows:
                cmd = command_from_outbox(r)
                if cmd.type is CommandType.CREATE:
                    continue
                target = None
                if cmd.type is CommandType.MERGE and isinstance(cmd.payload.get("target_id"), str):
                    target = repo.get_case(conn, cmd.payload["target_id"])
                d = decide(case, cmd, Context(self.ws.ref, self.ws.calendar, now, target=target))
                if d.ok and d.case is not None:
                    case = d.case
            if case is not start:
                row = repo.case_to_row(case)
                conn.execute(update(t.cases).where(t.cases.c.id == case_id).values(**row))


# ---------------------------------------------------------------- a new workstation


def bootstrap_store(target: str | Path, snapshot: Mapping[str, Any], server_url: str = "") -> None:
    """Write a server snapshot (GET /api/bootstrap) into an empty local store."""
    engine = make_engine(target)
    try:
        upgrade(engine)
        with write_tx(engine) as conn:
            if repo.get_meta(conn, "county_code") is not None:
                raise ValueError(f"{target} already holds data; bootstrap needs an empty store")
            order = {"province": 0, "city": 1, "county": 2, "township": 3, "village": 4, "grid": 5}
            org = sorted(snapshot["org_units"], key=lambda r: order.get(str(r["level"]), 9))
            for table, rows in (
                (t.org_units, org),
                (t.centres, sorted(snapshot["centres"], key=lambda r: len(r["code"]))),
                (t.departments, snapshot["departments"]),
                (t.categories, sorted(snapshot["categories"], key=lambda r: r["parent_code"] is not None)),
            ):
                for i in range(0, len(rows), 5000):
                    conn.execute(insert(table), rows[i : i + 5000])
            users = [{**u, "phone": "", "password_hash": DISABLED} for u in snapshot["users"]]
            if users:
                conn.execute(insert(t.users), users)
            cases = [{k: v for k, v in c.items() if k in CASE_COLUMNS} for c in snapshot["cases"]]
            for i in range(0, len(cases), 5000):
                repo.bulk_insert_cases(conn, cases[i : i + 5000])
            hist = [{k: v for k, v in h.items() if k in HISTORY_COLUMNS} for h in snapshot.get("history", ())]
            for i in range(0, len(hist), 10000):
                conn.execute(insert(t.case_history), hist[i : i + 10000])
            repo.set_meta(conn, "county_code", snapshot["county_code"])
            if snapshot.get("county_name"):
                repo.set_meta(conn, "county_name", snapshot["county_name"])
            repo.set_meta(conn, CURSOR_KEY, str(int(snapshot["seq"])))
            repo.set_meta(conn, SERVER_KEY, server_url)
            repo.set_meta(conn, "seeded", datetime.now().astimezone().isoformat())
    finally:
        engine.dispose()
