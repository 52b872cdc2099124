"""The server's use cases, free of HTTP: login and tokens, the command push,
the change feed, the bootstrap snapshot, reference data and wall messages.

The HTTP layer (app.py) is a thin shell over `ServerCore`; everything here runs
in the caller's thread against the store through `write_tx`/`read_tx`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, text, update
from sqlalchemy.exc import SQLAlchemyError

from ..domain.case import Actor, Command
from ..domain.enums import CommandType, Role
from ..domain.org import Reference
from ..domain.permissions import Capability, can
from ..domain.sla import WorkCalendar, load_calendar
from ..domain.timeutil import from_epoch, to_epoch, utcnow
from ..domain.workflow import Reason
from ..services.auth import DISABLED, verify_password
from ..services.commands import decide_and_write, official_code
from ..store import repo
from ..store import schema as t
from ..store.engine import read_tx, write_tx

log = logging.getLogger(__name__)

TOKEN_TTL_S = 12 * 3600
SESSION_CACHE_S = 5.0
MAX_FAILURES = 5
LOCKOUT_S = 15 * 60
MAX_BATCH = 500
PG_CHANNEL = "cc_changes"
_PG_APPLY_LOCK = 330_122_004  # advisory lock key: one command at a time keeps change_log seq commit-ordered


class LoginError(Exception):
    def __init__(self, code: str, reason: str, retry_after: int | None = None) -> None:
        super().__init__(reason)
        self.code, self.reason, self.retry_after = code, reason, retry_after


@dataclass(frozen=True)
class Session:
    """Who a valid token belongs to."""

    actor: Actor
    client_id: str


@dataclass
class PushItem:
    """One command as it arrives on the wire (the actor is NOT taken from here)."""

    command_id: str
    client_seq: int
    type: str
    case_id: str
    base_version: int | None = None
    payload: Mapping[str, Any] = field(default_factory=dict)
    client_ts: float | None = None
    actor_username: str | None = None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


_CASE_HEAD = '{"case":{'
_HISTORY_KEY = ',"history":['


def _history_only(payload: str) -> str:
    """The members after the opening brace of a stored change payload, without its case row:
    `"history":[…]}`. The payload is `{"case":{flat row},"history":[…]}` as _dump wrote it;
    `,"history":[` cannot occur inside a JSON string (its quotes would be escaped) nor in the
    flat row, so its first occurrence ends the case. Anything else is passed whole."""
    p = payload.strip()
    i = p.find(_HISTORY_KEY)
    if not p.startswith(_CASE_HEAD) or i < 0 or p[i - 1] != "}":
        return p[1:]
    return p[i + 1 :]


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, default=str, separators=(",", ":"))


class ServerCore:
    def __init__(
        self,
        engine: Engine,
        clock: Callable[[], datetime] = utcnow,
        token_ttl_s: int = TOKEN_TTL_S,
        max_failures: int = MAX_FAILURES,
        lockout_s: int = LOCKOUT_S,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.token_ttl_s = token_ttl_s
        self.max_failures = max_failures
        self.lockout_s = lockout_s
        self.calendar: WorkCalendar = load_calendar()
        self.listeners: list[Callable[[int], object]] = []  # called with the seq of each change, after its commit
        self._lock = threading.Lock()
        self._sessions: dict[str, tuple[Session, int, float]] = {}  # token hash -> (session, expires, cached at)
        self.reload_reference()

    @property
    def is_pg(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def reload_reference(self) -> None:
        with read_tx(self.engine) as conn:
            self.ref: Reference = repo.load_reference(conn)
            self.county_code = repo.get_meta(conn, "county_code", "") or ""

    # ------------------------------------------------------------ login and tokens

    def login(self, username: str, password: str, client_id: str) -> tuple[str, int, Actor]:
        """A fresh token (and its expiry, epoch s) or LoginError; audited either way."""
        now = to_epoch(self.clock()) or 0
        with write_tx(self.engine) as conn:
            fail = conn.execute(select(t.login_failures).where(t.login_failures.c.username == username)).first()
            locked = fail is not None and fail.locked_until is not None and fail.locked_until > now
            if locked:
                self._audit(conn, username, client_id, "login_locked", "refused", detail="账号已锁定")
        if locked:  # raised after the commit: the audit record stays
            assert fail is not None
            wait = int(fail.locked_until - now)
            raise LoginError("locked", f"连续登录失败次数过多，账号已锁定，请 {max(1, wait // 60)} 分钟后再试", wait)
        with write_tx(self.engine) as conn:
            r = conn.execute(select(t.users).where(t.users.c.username == username)).first()
            ok = (
                r is not None
                and bool(r.active)
                and r.password_hash != DISABLED
                and verify_password(password, r.password_hash)
            )
            if not ok:
                failures = (fail.failures if fail is not None and fail.locked_until is None else 0) + 1
                locked_until = now + self.lockout_s if failures >= self.max_failures else None
                if fail is None:
                    conn.execute(
                        insert(t.login_failures),
                        [{"username": username, "failures": failures, "last_at": now, "locked_until": locked_until}],
                    )
                else:
                    conn.execute(
                        update(t.login_failures)
                        .where(t.login_failures.c.username == username)
                        .values(failures=failures, last_at=now, locked_until=locked_until)
                    )
                self._audit(conn, username, client_id, "login_failed", "refused", detail=f"failures={failures}")
            else:
                assert r is not None
                conn.execute(delete(t.login_failures).where(t.login_failures.c.username == username))
                token = secrets.token_urlsafe(32)
                expires = now + self.token_ttl_s
                conn.execute(
                    insert(t.tokens),
                    [
                        {
                            "token_hash": hash_token(token),
                            "username": username,
                            "client_id": client_id,
                            "created_at": now,
                            "expires_at": expires,
                        }
                    ],
                )
                conn.execute(delete(t.tokens).where(t.tokens.c.expires_at < now))
                self._audit(conn, username, client_id, "login", "ok")
                actor = Actor(r.username, Role(r.role), r.centre_code, r.department_code, r.display_name)
        if not ok:
            # raised outside the transaction so that the failure count is committed
            raise LoginError("bad_credentials", "用户名或密码错误")
        return token, expires, actor

    def session(self, token: str | None) -> Session | None:
        if not token:
            return None
        now = to_epoch(self.clock()) or 0
        key = hash_token(token)
        with read_tx(self.engine) as conn:
            row = conn.execute(
                select(t.tokens, t.users)
                .join(t.users, t.users.c.username == t.tokens.c.username)
                .where(t.tokens.c.token_hash == key)
            ).first()
        if row is None or row.expires_at <= now or not row.active:
            self._sessions.pop(key, None)
            return None
        s = Session(Actor(row.username, Role(row.role), row.centre_code, row.department_code, row.display_name), row.client_id)
        if len(self._sessions) > 10_000:
            self._sessions.clear()
        self._sessions[key] = (s, int(row.expires_at), time.monotonic())
        return s

    def cached_session(self, token: str | None) -> Session | None:
        """The session of a token looked up less than SESSION_CACHE_S ago (no store access:
        100 workstations long-polling would otherwise read the tokens table for every answer);
        None when not cached, and the caller asks `session()`. A deactivated user or a
        deleted token is therefore refused at most SESSION_CACHE_S later; expiry is exact."""
        if not token:
            return None
        hit = self._sessions.get(hash_token(token))
        if hit is None or time.monotonic() - hit[2] >= SESSION_CACHE_S or hit[1] <= (to_epoch(self.clock()) or 0):
            return None
        return hit[0]

    def _audit(
        self,
        conn: Connection,
        username: str,
        client_id: str | None,
        action: str,
        result: str,
        command_id: str | None = None,
        detail: str = "",
    ) -> None:
        conn.execute(
            insert(t.audit_log),
            [
                {
                    "at": to_epoch(self.clock()),
                    "username": username,
                    "client_id": client_id,
                    "action": action,
                    "command_id": command_id,
                    "result": result,
                    "detail": detail,
                }
            ],
        )

    # ------------------------------------------------------------ commands

    def push(self, session: Session, items: Sequence[PushItem]) -> list[dict[str, Any]]:
        """Apply a batch in the given order, each command in its own transaction."""
        results = []
        for item in items[:MAX_BATCH]:
            results.append(self._push_one(session, item))
        return results

    def _push_one(self, session: Session, item: PushItem) -> dict[str, Any]:
        actor = session.actor
        with self._lock, write_tx(self.engine) as conn:
            if self.is_pg:
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_APPLY_LOCK})
            prev = conn.execute(
                select(t.processed_commands).where(t.processed_commands.c.command_id == item.command_id)
            ).first()
            if prev is not None:
                self._audit(conn, actor.username, session.client_id, "command", "duplicate", item.command_id, item.type)
                return {
                    "command_id": item.command_id,
                    "result": "duplicate",
                    "original": prev.result,
                    "case_id": prev.case_id,
                    "version": prev.version,
                    "code": prev.code,
                    "reason_code": prev.reason_code,
                    "reason": prev.reason,
                    "case": self._case_row(conn, prev.case_id) if prev.result == "rejected" else None,
                }
            now = self.clock()
            last_seq = conn.execute(
                select(func.max(t.processed_commands.c.client_seq)).where(
                    t.processed_commands.c.client_id == session.client_id
                )
            ).scalar()
            code, reason = "", ""
            decision = None
            seq = 0
            if item.actor_username is not None and item.actor_username != actor.username:
                code, reason = Reason.NOT_PERMITTED, f"该操作由 {item.actor_username} 录入，与当前登录用户 {actor.username} 不一致"
            elif last_seq is not None and item.client_seq <= last_seq:
                code, reason = "out_of_order", f"操作序号 {item.client_seq} 不大于已处理的序号 {last_seq}"
            else:
                try:
                    ctype = CommandType(item.type)
                except ValueError:
                    code, reason = Reason.INVALID, f"未知的操作类型：{item.type}"
                else:
                    cmd = Command(
                        ctype,
                        item.case_id,
                        actor,
                        dict(item.payload),
                        base_version=item.base_version,
                        command_id=item.command_id,
                        client_id=session.client_id,
                        client_seq=item.client_seq,
                        client_ts=from_epoch(item.client_ts) or now,
                    )
                    try:
                        # a savepoint: a command the domain cannot digest leaves no partial write
                        with conn.begin_nested():
                            decision = decide_and_write(
                                conn, cmd, self.ref, self.calendar, now,
                                lambda c, n: official_code(c, self.county_code, n),
                            )
                    except SQLAlchemyError:
                        raise  # the store failed (locked, gone): not the command's fault, the client retries
                    except Exception as exc:  # malformed payload values (e.g. a list where a code belongs)
                        log.warning("command %s (%s) could not be processed: %r", item.command_id, item.type, exc)
                        decision = None
                        code, reason = Reason.INVALID, f"操作内容无法处理：{type(exc).__name__}"
                    else:
                        if not decision.ok:
                            code, reason = decision.code, decision.reason
            applied = decision is not None and decision.ok
            out: dict[str, Any] = {
                "command_id": item.command_id,
                "result": "applied" if applied else "rejected",
                "original": None,
                "case_id": item.case_id,
                "version": None,
                "code": None,
                "reason_code": None if applied else code,
                "reason": None if applied else reason,
                "case": None,
            }
            if applied:
                assert decision is not None and decision.case is not None and decision.history is not None
                row = {k: v for k, v in repo.case_to_row(decision.case).items() if v is not None}
                hist = repo.history_row(decision.history)
                logged = conn.execute(
                    insert(t.change_log).values(
                        case_id=item.case_id,
                        version=decision.case.version,
                        payload=_dump({"case": row, "history": [hist]}),
                        at=to_epoch(now),
                    )
                )
                key = logged.inserted_primary_key
                assert key is not None
                seq = int(key[0])
                out["version"], out["code"] = decision.case.version, decision.case.code
                if self.is_pg:
                    conn.execute(text(f"NOTIFY {PG_CHANNEL}"))
            else:
                out["case"] = self._case_row(conn, item.case_id)
            conn.execute(
                insert(t.processed_commands),
                [
                    {
                        "command_id": item.command_id,
                        "client_id": session.client_id,
                        "client_seq": item.client_seq,
                        "username": actor.username,
                        "type": item.type[:24],
                        "result": out["result"],
                        "reason_code": out["reason_code"],
                        "reason": out["reason"],
                        "case_id": item.case_id,
                        "version": out["version"],
                        "code": out["code"],
                        "at": to_epoch(now),
                    }
                ],
            )
            self._audit(
                conn,
                actor.username,
                session.client_id,
                "command",
                out["result"],
                item.command_id,
                _dump({"type": item.type, "case_id": item.case_id, "reason_code": out["reason_code"]}),
            )
        if applied:
            self._notify(seq)  # committed: the listeners may read it now
        return out

    def _case_row(self, conn: Connection, case_id: str) -> dict[str, Any] | None:
        r = conn.execute(select(t.cases).where(t.cases.c.id == case_id)).mappings().first()
        return None if r is None else {k: _jsonable(v) for k, v in r.items()}

    def _notify(self, seq: int) -> None:
        for cb in list(self.listeners):
            try:
                cb(seq)
            except Exception:
                log.exception("change listener failed")

    # ------------------------------------------------------------ feed and snapshot

    def last_seq(self, conn: Connection | None = None) -> int:
        if conn is None:
            with read_tx(self.engine) as c:
                return self.last_seq(c)
        return int(conn.execute(select(func.coalesce(func.max(t.change_log.c.seq), 0))).scalar_one())

    def _change_rows(self, after: int, limit: int) -> tuple[Sequence[Any], int]:
        with read_tx(self.engine) as conn:
            rows = conn.execute(
                select(t.change_log.c.seq, t.change_log.c.case_id, t.change_log.c.payload)
                .where(t.change_log.c.seq > after)
                .order_by(t.change_log.c.seq)
                .limit(limit)
            ).all()
            last = self.last_seq(conn)
        return rows, last

    def changes(self, after: int, limit: int = 1000) -> dict[str, Any]:
        """The feed's answer: {"changes": [{seq, case?, history}], "cursor", "last_seq", "more"}."""
        return dict(json.loads(self.changes_json(after, limit)[0]))

    def changes_json(self, after: int, limit: int = 1000) -> tuple[bytes, int]:
        """`changes()` as the JSON document itself, spliced from the stored payloads
        (each already a JSON object) without parsing them: the catch-up of a workstation
        that was offline moves ~1.5 KB a change. Returns (body, number of changes)."""
        rows, last = self._change_rows(after, limit)
        cursor = rows[-1].seq if rows else max(after, 0)
        # A case changed again later in the page needs its row only there: the earlier changes
        # carry their history alone ("case" left out). A workstation catching up after an
        # outage sees a case accepted, dispatched, urged … in one page: this halves what it
        # downloads and parses.
        last_of: dict[str, int] = {r.case_id: i for i, r in enumerate(rows)}
        items = ",".join(
            f'{{"seq":{int(r.seq)},{_history_only(r.payload) if last_of[r.case_id] != i else r.payload.strip()[1:]}'
            for i, r in enumerate(rows)
        )
        more = "true" if rows and cursor < last else "false"
        body = f'{{"changes":[{items}],"cursor":{int(cursor)},"last_seq":{int(last)},"more":{more}}}'
        return body.encode("utf-8"), len(rows)

    def reference(self) -> dict[str, Any]:
        with read_tx(self.engine) as conn:
            return _reference(conn)

    def bootstrap(self, include_history: bool = True) -> dict[str, Any]:
        with self.engine.connect() as conn:
            if self.is_pg:
                # one snapshot for seq, cases and history (READ COMMITTED would let a command
                # committed meanwhile into the cases but not under the seq: pulled twice)
                conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                return self._bootstrap(conn, include_history)

    def _bootstrap(self, conn: Connection, include_history: bool) -> dict[str, Any]:
        seq = self.last_seq(conn)
        out = _reference(conn)
        out["cases"] = [{k: _jsonable(v) for k, v in r.items()} for r in conn.execute(select(t.cases)).mappings()]
        hist_cols = [c for c in t.case_history.c if c.name != "id"]
        out["history"] = (
            [dict(r) for r in conn.execute(select(*hist_cols).order_by(t.case_history.c.id)).mappings()]
            if include_history
            else []
        )
        out["seq"] = seq
        return out

    # ------------------------------------------------------------ wall

    def post_wall(self, session: Session, payload: Mapping[str, Any]) -> int | None:
        """Store a wall control message; None when the user may not drive the wall."""
        actor = session.actor
        with write_tx(self.engine) as conn:
            if not can(actor.role, Capability.DRIVE_WALL):
                self._audit(conn, actor.username, session.client_id, "wall", "refused")
                return None
            res = conn.execute(
                insert(t.wall_messages).returning(t.wall_messages.c.id),
                [{"at": to_epoch(self.clock()), "username": actor.username, "payload": _dump(dict(payload))}],
            )
            mid = int(res.scalar_one())
            self._audit(conn, actor.username, session.client_id, "wall", "ok", detail=_dump(dict(payload))[:500])
        return mid

    def wall_messages(self, after: int = 0) -> list[dict[str, Any]]:
        with read_tx(self.engine) as conn:
            rows = conn.execute(
                select(t.wall_messages).where(t.wall_messages.c.id > after).order_by(t.wall_messages.c.id).limit(100)
            ).mappings()
            return [{**dict(r), "payload": json.loads(r["payload"])} for r in rows]


def _jsonable(v: Any) -> Any:
    return v


def _reference(conn: Connection) -> dict[str, Any]:
    def rows(table: Any, cols: Iterable[Any] | None = None) -> list[dict[str, Any]]:
        q = select(*(cols or table.c))
        return [dict(r) for r in conn.execute(q).mappings()]

    return {
        "county_code": repo.get_meta(conn, "county_code", "") or "",
        "county_name": repo.get_meta(conn, "county_name", "") or "",
        "org_units": rows(t.org_units),
        "centres": rows(t.centres),
        "departments": rows(t.departments),
        "categories": rows(t.categories),
        # users' display data only: never a password hash
        "users": rows(
            t.users,
            [
                t.users.c.username,
                t.users.c.display_name,
                t.users.c.role,
                t.users.c.centre_code,
                t.users.c.department_code,
                t.users.c.active,
            ],
        ),
    }
