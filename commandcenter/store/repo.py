"""Row <-> entity mapping and the small queries the services build on."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from ..domain.case import Case, HistoryEntry
from ..domain.enums import OPEN_STATUSES, OrgLevel, Priority, Satisfaction, Severity, Source, Status
from ..domain.org import Category, Centre, Department, OrgUnit, Reference, TimeLimits
from ..domain.timeutil import from_epoch, to_epoch
from . import schema as t
from . import search

_TIME_FIELDS = (
    "stage_started_at",
    "stage_deadline",
    "due_soon_at",
    "deadline",
    "created_at",
    "updated_at",
    "accepted_at",
    "dispatched_at",
    "signed_at",
    "feedback_at",
    "closed_at",
)
_OPEN_VALUES = frozenset(s.value for s in OPEN_STATUSES)
CASE_COLUMNS = tuple(c.name for c in t.cases.columns)


def case_to_row(c: Case) -> dict[str, Any]:
    """The cases-table row of a case (enums as values, times as epoch seconds)."""
    row: dict[str, Any] = {
        "id": c.id,
        "code": c.code,
        "title": c.title,
        "description": c.description,
        "category_code": c.category_code,
        "source": c.source.value,
        "priority": c.priority.value,
        "severity": c.severity.value,
        "reporter_name": c.reporter_name,
        "reporter_phone": c.reporter_phone,
        "lon": c.lon,
        "lat": c.lat,
        "address": c.address,
        "grid_code": c.grid_code,
        "township_code": c.township_code,
        "centre_code": c.centre_code,
        "department_code": c.department_code,
        "status": c.status.value,
        "is_open": c.status.value in _OPEN_VALUES,
        "version": c.version,
        "supervised": c.supervised,
        "suspended": c.suspended,
        "escalated": c.escalated,
        "check_passed": c.check_passed,
        "urge_count": c.urge_count,
        "return_count": c.return_count,
        "rework_count": c.rework_count,
        "reopen_count": c.reopen_count,
        "extension_minutes": c.extension_minutes,
        "extension_reason": c.extension_reason,
        "suspended_remaining_s": c.suspended_remaining_s,
        "handled_on_time": c.handled_on_time,
        "closed_on_time": c.closed_on_time,
        "resolved_level": c.resolved_level.value if c.resolved_level else None,
        "satisfaction": c.satisfaction.value if c.satisfaction else None,
        "merged_into": c.merged_into,
    }
    for f in _TIME_FIELDS:
        row[f] = to_epoch(getattr(c, f))
    return row


def row_to_case(r: Mapping[Any, Any]) -> Case:
    kw: dict[str, Any] = {k: r[k] for k in CASE_COLUMNS if k != "is_open"}
    kw["source"] = Source(r["source"])
    kw["priority"] = Priority(r["priority"])
    kw["severity"] = Severity(r["severity"])
    kw["status"] = Status(r["status"])
    kw["resolved_level"] = OrgLevel(r["resolved_level"]) if r["resolved_level"] else None
    kw["satisfaction"] = Satisfaction(r["satisfaction"]) if r["satisfaction"] else None
    for b in ("supervised", "suspended", "escalated", "check_passed"):
        kw[b] = bool(r[b])
    for b in ("handled_on_time", "closed_on_time"):
        kw[b] = None if r[b] is None else bool(r[b])
    for f in _TIME_FIELDS:
        kw[f] = from_epoch(r[f])
    return Case(**kw)


def get_case(conn: Connection, case_id: str) -> Case | None:
    r = conn.execute(select(t.cases).where(t.cases.c.id == case_id)).mappings().first()
    return None if r is None else row_to_case(r)


def get_case_by_code(conn: Connection, code: str) -> Case | None:
    r = conn.execute(select(t.cases).where(t.cases.c.code == code)).mappings().first()
    return None if r is None else row_to_case(r)


def bulk_insert_cases(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> int:
    """Insert many case rows fast: the statement is compiled once by SQLAlchemy and
    the driver gets plain tuples (per-row parameter processing for 48 columns would
    cost ~15 µs a row). Rows are `case_to_row` dicts."""
    if not rows:
        return 0
    compiled = insert(t.cases).compile(dialect=conn.dialect)
    if compiled.positiontup is not None:
        params: Any = list(map(itemgetter(*compiled.positiontup), rows))
    else:
        params = list(rows)
    return _insert_cases(conn, compiled.string, params)


def bulk_insert_case_tuples(conn: Connection, rows: Sequence[tuple[Any, ...]]) -> int:
    """`bulk_insert_cases` of rows already made tuples in CASE_COLUMNS order."""
    if not rows:
        return 0
    compiled = insert(t.cases).compile(dialect=conn.dialect)
    if compiled.positiontup is None:
        return _insert_cases(conn, compiled.string, [dict(zip(CASE_COLUMNS, r, strict=True)) for r in rows])
    if tuple(compiled.positiontup) == CASE_COLUMNS:
        return _insert_cases(conn, compiled.string, list(rows))
    order = [CASE_COLUMNS.index(c) for c in compiled.positiontup]
    return _insert_cases(conn, compiled.string, [tuple(r[i] for i in order) for r in rows])


def _insert_cases(conn: Connection, sql: str, params: Any) -> int:
    if conn.dialect.name == "sqlite":
        # the search index is filled once for the batch, not row by row (store/search.py)
        with search.bulk_load(conn.connection.driver_connection):
            conn.exec_driver_sql(sql, params)
    else:
        conn.exec_driver_sql(sql, params)
    return len(params)


def insert_case(conn: Connection, c: Case) -> None:
    conn.execute(insert(t.cases), [case_to_row(c)])


_UPDATE_COLUMNS = tuple(name for name in CASE_COLUMNS if name != "id")
_update_sql: dict[str, tuple[str, Any]] = {}  # dialect name -> (SQL, parameter order)


def _compiled_update(conn: Connection) -> tuple[str, Any]:
    """UPDATE cases SET <every column> WHERE id AND version, compiled once per dialect
    (building the 47-column statement per command was half of a command's cost)."""
    key = conn.dialect.name
    if key not in _update_sql:
        stmt = (
            update(t.cases)
            .where(t.cases.c.id == bindparam("w_id"), t.cases.c.version == bindparam("w_version"))
            .values({name: bindparam(name) for name in _UPDATE_COLUMNS})
        )
        compiled = stmt.compile(dialect=conn.dialect)
        order = itemgetter(*compiled.positiontup) if compiled.positiontup is not None else None
        _update_sql[key] = (compiled.string, order)
    return _update_sql[key]


def update_case(conn: Connection, c: Case, expected_version: int) -> bool:
    """Write the case if its stored version is still `expected_version`."""
    sql, order = _compiled_update(conn)
    row = case_to_row(c)
    row["w_id"], row["w_version"] = row.pop("id"), expected_version
    res = conn.exec_driver_sql(sql, order(row) if order is not None else row)
    return res.rowcount == 1


def history_row(h: HistoryEntry) -> dict[str, Any]:
    return {
        "case_id": h.case_id,
        "version": h.version,
        "action": h.action.value,
        "actor": h.actor,
        "role": h.role.value,
        "from_status": h.from_status.value if h.from_status else None,
        "to_status": h.to_status.value,
        "opinion": h.opinion,
        "details": json.dumps(dict(h.details), ensure_ascii=False, default=str),
        "at": to_epoch(h.at),
        "client_ts": to_epoch(h.client_ts),
        "command_id": h.command_id,
    }


def insert_history(conn: Connection, h: HistoryEntry) -> None:
    conn.execute(insert(t.case_history), [history_row(h)])


def case_history(conn: Connection, case_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(t.case_history).where(t.case_history.c.case_id == case_id).order_by(t.case_history.c.version)
    ).mappings()
    out = []
    for r in rows:
        d = dict(r)
        d["details"] = json.loads(d["details"] or "{}")
        d["at"] = from_epoch(d["at"])
        d["client_ts"] = from_epoch(d["client_ts"])
        out.append(d)
    return out


def next_code(conn: Connection, prefix: str) -> int:
    """The next number of a code sequence (call inside the write transaction)."""
    cur = conn.execute(select(t.code_sequences.c.last).where(t.code_sequences.c.prefix == prefix)).scalar()
    if cur is None:
        conn.execute(insert(t.code_sequences), [{"prefix": prefix, "last": 1}])
        return 1
    conn.execute(update(t.code_sequences).where(t.code_sequences.c.prefix == prefix).values(last=cur + 1))
    return int(cur) + 1


def get_meta(conn: Connection, key: str, default: str | None = None) -> str | None:
    v = conn.execute(select(t.meta.c.value).where(t.meta.c.key == key)).scalar()
    return default if v is None else str(v)


def set_meta(conn: Connection, key: str, value: str) -> None:
    if get_meta(conn, key) is None:
        conn.execute(insert(t.meta), [{"key": key, "value": value}])
    else:
        conn.execute(update(t.meta).where(t.meta.c.key == key).values(value=value))


# ---------------------------------------------------------------- reference data


def load_reference(conn: Connection) -> Reference:
    units = [
        OrgUnit(r.code, r.name, OrgLevel(r.level), r.parent_code)
        for r in conn.execute(
            select(t.org_units.c.code, t.org_units.c.name, t.org_units.c.level, t.org_units.c.parent_code)
        )
    ]
    cents = [
        Centre(r.code, r.name, OrgLevel(r.level), r.parent_code) for r in conn.execute(select(t.centres))
    ]
    depts = [
        Department(r.code, r.name, r.kind, r.centre_code, r.short_name) for r in conn.execute(select(t.departments))
    ]
    cats = []
    for r in conn.execute(select(t.categories)):
        limits = None
        if r.parent_code is not None and r.accept_min is not None:
            limits = TimeLimits(r.accept_min, r.dispatch_min, r.handle_min, r.check_min)
        cats.append(Category(r.code, r.name, r.parent_code, r.family, r.default_dept_kind, limits))
    return Reference.build(units, cents, depts, cats)


def write_reference(
    conn: Connection,
    org: Iterable[Mapping[str, Any]],
    centres: Iterable[Centre],
    departments: Iterable[Department],
    categories: Sequence[Category],
) -> None:
    """Bulk insert reference data (org rows may carry geometry/centroid/area)."""
    org_rows = [dict(o) for o in org]
    # parents first so the self-referencing foreign key holds
    order = {OrgLevel.PROVINCE.value: 0, "city": 1, "county": 2, "township": 3, "village": 4, "grid": 5}
    org_rows.sort(key=lambda r: order.get(str(r["level"]), 9))
    if org_rows:
        conn.execute(insert(t.org_units), org_rows)
    cent = sorted(centres, key=lambda c: len(c.code))
    if cent:
        conn.execute(
            insert(t.centres),
            [{"code": c.code, "name": c.name, "level": c.level.value, "parent_code": c.parent_code} for c in cent],
        )
    dep = list(departments)
    if dep:
        conn.execute(
            insert(t.departments),
            [
                {"code": d.code, "name": d.name, "short_name": d.short_name, "kind": d.kind, "centre_code": d.centre_code}
                for d in dep
            ],
        )
    cats = sorted(categories, key=lambda c: c.parent_code is not None)
    if cats:
        conn.execute(
            insert(t.categories),
            [
                {
                    "code": c.code,
                    "name": c.name,
                    "parent_code": c.parent_code,
                    "family": c.family,
                    "default_dept_kind": c.default_dept_kind,
                    "accept_min": c.limits.accept if c.limits else None,
                    "dispatch_min": c.limits.dispatch if c.limits else None,
                    "handle_min": c.limits.handle if c.limits else None,
                    "check_min": c.limits.check if c.limits else None,
                }
                for c in cats
            ],
        )


def iso(dt: datetime | None) -> str | None:
    return None if dt is None else dt.isoformat()
