"""Read-side queries: a centre's queue, department workloads, KPIs.

Everything is filtered, sorted and counted in SQL; callers get plain rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Select,
    and_,
    case,
    column,
    func,
    literal,
    literal_column,
    not_,
    or_,
    select,
    table,
    union_all,
)
from sqlalchemy import text as sql_text
from sqlalchemy.sql.elements import ColumnElement

from ..domain.enums import OPEN_STATUSES, OrgLevel, Priority, Severity, SlaState, Source, Status
from ..domain.kpi import KpiCounts, Kpis, compute
from ..domain.timeutil import to_epoch
from ..store import schema as t
from ..store import search

c = t.cases.c

# The columns a queue row carries (enough for the table; the case panel loads the rest).
QUEUE_COLUMNS = (
    c.id,
    c.code,
    c.title,
    c.status,
    c.priority,
    c.severity,
    c.source,
    c.category_code,
    c.centre_code,
    c.department_code,
    c.township_code,
    c.grid_code,
    c.address,
    c.reporter_name,
    c.reporter_phone,
    c.created_at,
    c.updated_at,
    c.stage_deadline,
    c.due_soon_at,
    c.deadline,
    c.supervised,
    c.suspended,
    c.escalated,
    c.version,
    c.lon,
    c.lat,
)

_PRIORITY_RANKS = {"critical": 0, "urgent": 1, "normal": 2}  # any other value: 3
SORT_KEYS: dict[str, Any] = {
    "deadline": c.stage_deadline,
    "created": c.created_at,
    "updated": c.updated_at,
    "code": c.code,
    "priority": case(_PRIORITY_RANKS, value=c.priority, else_=3),
    "status": c.status,
    "department": c.department_code,
    "category": c.category_code,
    "title": c.title,
}


@dataclass(frozen=True)
class QueueFilter:
    centres: tuple[str, ...] = ()  # empty: every centre
    statuses: tuple[Status, ...] = ()  # empty: see open_only
    open_only: bool = True
    departments: tuple[str, ...] = ()
    category: str = ""  # a 大类 or 小类 code (prefix match)
    township: str = ""
    grid: str = ""
    priorities: tuple[Priority, ...] = ()
    severities: tuple[Severity, ...] = ()
    sources: tuple[Source, ...] = ()
    sla: SlaState | None = None
    supervised: bool | None = None
    escalated: bool | None = None
    text: str = ""
    created_from: datetime | None = None
    created_to: datetime | None = None
    bbox: tuple[float, float, float, float] | None = None  # (west, south, east, north) WGS-84: the map's rectangle
    sort: str = "deadline"
    descending: bool = False
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def with_(self, **kw: Any) -> QueueFilter:
        return replace(self, **kw)


def _where(f: QueueFilter, now: datetime, plan: TextSearch | None = None) -> list[ColumnElement[bool]]:
    w: list[ColumnElement[bool]] = []
    n = to_epoch(now)
    if f.centres:
        w.append(c.centre_code.in_(f.centres) if len(f.centres) > 1 else c.centre_code == f.centres[0])
    if f.statuses:
        vals = [s.value for s in f.statuses]
        w.append(c.status.in_(vals) if len(vals) > 1 else c.status == vals[0])
        if set(f.statuses) <= OPEN_STATUSES:
            w.append(c.is_open.is_(True))  # lets SQLite use the small open-only indexes
    elif f.open_only:
        w.append(c.is_open.is_(True))
    if f.departments:
        w.append(c.department_code.in_(f.departments))
    if f.category:
        w.append(c.category_code.like(f.category + "%") if len(f.category) < 4 else c.category_code == f.category)
    if f.township:
        w.append(c.township_code == f.township)
    if f.grid:
        w.append(c.grid_code == f.grid)
    if f.priorities:
        w.append(c.priority.in_([p.value for p in f.priorities]))
    if f.severities:
        w.append(c.severity.in_([s.value for s in f.severities]))
    if f.sources:
        w.append(c.source.in_([s.value for s in f.sources]))
    if f.sla is SlaState.OVERDUE:
        w += [c.is_open.is_(True), c.stage_deadline <= n]
    elif f.sla is SlaState.DUE_SOON:
        w += [c.is_open.is_(True), c.due_soon_at <= n, c.stage_deadline > n]
    elif f.sla is SlaState.NORMAL:
        w += [c.is_open.is_(True), c.due_soon_at > n]
    if f.supervised is not None:
        w.append(c.supervised.is_(f.supervised))
    if f.escalated is not None:
        w.append(c.escalated.is_(f.escalated))
    if f.text.strip():
        q = "%" + f.text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        w.append(
            or_(
                c.code.like(q, escape="\\"),
                c.title.like(q, escape="\\"),
                c.address.like(q, escape="\\"),
                c.reporter_name.like(q, escape="\\"),
                c.reporter_phone.like(q, escape="\\"),
            )
        )
    if f.created_from is not None:
        start = to_epoch(f.created_from) or 0
        w.append(c.created_at >= start)
        # Implied (a case is updated when or after it is created; a day's margin for clocks
        # that disagree): lets the newest-first history walk its updated_at index over the
        # range only, instead of over the whole history when the other filters are selective.
        w.append(c.updated_at >= start - 86_400)
    if f.created_to is not None:
        w.append(c.created_at < to_epoch(f.created_to))
    if f.bbox is not None:
        west, south, east, north = f.bbox
        w += [c.lon >= west, c.lon <= east, c.lat >= south, c.lat <= north]
    return _with_search(w, plan)


# --- free-text search through the index (store/search.py) --------------------------------

_fts = table(search.TABLE, column("rowid"))

# How a search uses the index, by its number of candidates (the cases whose columns hold
# every bigram of the text -- within the filter's centres when there are many; the LIKE then
# decides):
# - at most SEARCH_DRIVE_MAX: the query starts from them (read by rowid, ~3-5 µs each, sorted);
# - up to SEARCH_PROBE_MAX: the query walks the queue's own order (its index) and keeps the
#   rows among the candidates: the test needs only the rowid, which the index entry has, so
#   the other rows are never read (a common word in the whole history: 470 -> 55 ms);
# - more: the word is everywhere (1 case in 20 county-wide, 1 in 4 of a township, or more),
#   and the plain LIKE finds a page at once.
# queue_count reads every matching row: from the candidates up to SEARCH_COUNT_DRIVE_MAX.
SEARCH_DRIVE_MAX = 10_000
SEARCH_PROBE_MAX = 50_000
SEARCH_COUNT_DRIVE_MAX = 100_000


@dataclass(frozen=True)
class TextSearch:
    """How a query uses the search index (see search_plan)."""

    match: str  # the FTS5 MATCH expression of the candidates
    drive: bool  # start from the candidates (True) or test the rows against them (False)


def _with_search(w: list[ColumnElement[bool]], plan: TextSearch | None) -> list[ColumnElement[bool]]:
    """The WHERE terms ``w`` (the LIKE among them) with the search index's candidates."""
    if plan is None:
        return w
    sub = select(_fts.c.rowid).where(sql_text(f"{search.TABLE} MATCH :fts_match").bindparams(fts_match=plan.match))
    if not plan.drive:
        # `+rowid`: the planner may not look rows up by these rowids, only test them
        return [*w, literal_column("+cases.rowid").in_(sub)]
    # the candidates drive: the other terms go inside a CASE, where the planner cannot use
    # them (else it may prefer e.g. a centre's index and test its 170,000 closed cases)
    drive = literal_column("cases.rowid").in_(sub)
    return [drive, case((and_(*w), 1), else_=0) == 1] if w else [drive]


def _candidates(conn: Connection, match: str, cap: int) -> int:
    """How many cases the MATCH finds, counting up to ``cap + 1`` only."""
    sql = f"SELECT count(*) FROM (SELECT rowid FROM {search.TABLE} WHERE {search.TABLE} MATCH ? LIMIT ?)"
    return int(conn.exec_driver_sql(sql, (match, cap + 1)).scalar_one())


def search_plan(conn: Connection, f: QueueFilter, count: bool = False) -> TextSearch | None:
    """How a query with the filter's text uses the search index; None: not at all (no text,
    PostgreSQL, a store without the index, or a word too common: the plain LIKE then).
    ``count``: for queue_count, which reads every matching row (see SEARCH_COUNT_DRIVE_MAX)."""
    text = f.text.strip()
    if not text or conn.dialect.name != "sqlite" or not search.exists(conn):
        return None
    drive_max = SEARCH_COUNT_DRIVE_MAX if count else SEARCH_DRIVE_MAX
    cap = max(drive_max, SEARCH_PROBE_MAX)
    m = search.match_expression(text)
    if m is None:
        return None
    n = _candidates(conn, m, cap)
    if n > drive_max and f.centres:
        # many in the county: how many in the filter's centres (a word of one township's
        # addresses is common in the county and rare elsewhere)
        m = search.match_expression(text, f.centres) or m
        n = _candidates(conn, m, cap)
    if n <= drive_max:
        return TextSearch(m, drive=True)
    if n <= SEARCH_PROBE_MAX:
        return TextSearch(m, drive=False)
    return None


def queue_select(
    f: QueueFilter, now: datetime, limit: int = 200, offset: int = 0, plan: TextSearch | None = None
) -> Select[Any]:
    """``plan``: see search_plan (None: the plain LIKE)."""
    key = SORT_KEYS.get(f.sort, c.stage_deadline)
    # one sort key only, so the (centre, is_open, stage_deadline) index serves the page without a sort
    order = key.desc() if f.descending else key.asc()
    return select(*QUEUE_COLUMNS).where(*_where(f, now, plan)).order_by(order).limit(limit).offset(offset)


def queue(conn: Connection, f: QueueFilter, now: datetime, limit: int = 200, offset: int = 0) -> list[dict[str, Any]]:
    """One page of the queue, as plain dicts (times as epoch seconds)."""
    q = queue_select(f, now, limit, offset, search_plan(conn, f))
    return [dict(r) for r in conn.execute(q).mappings()]


def queue_count(conn: Connection, f: QueueFilter, now: datetime) -> int:
    w = _where(f, now, search_plan(conn, f, count=True))
    return int(conn.execute(select(func.count()).select_from(t.cases).where(*w)).scalar_one())


def queue_ids(conn: Connection, f: QueueFilter, now: datetime, limit: int = 1_000_000) -> list[str]:
    """The ordered ids of the whole filtered queue (for a view that fetches rows lazily)."""
    key = SORT_KEYS.get(f.sort, c.stage_deadline)
    w = _where(f, now, search_plan(conn, f, count=True))
    q = select(c.id).where(*w).order_by(key.desc() if f.descending else key.asc()).limit(limit)
    return [r[0] for r in conn.execute(q)]


def rows_by_ids(conn: Connection, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(ids), 500):
        for r in conn.execute(select(*QUEUE_COLUMNS).where(c.id.in_(ids[i : i + 500]))).mappings():
            out[r["id"]] = dict(r)
    return out


def status_counts(conn: Connection, centres: Sequence[str], now: datetime) -> dict[str, int]:
    """Open cases per status, plus due-soon/overdue/supervised/escalated counts (the queue tabs)."""
    n = to_epoch(now)
    w: list[ColumnElement[bool]] = [c.is_open.is_(True)]
    if centres:
        w.append(c.centre_code.in_(centres))
    out: dict[str, int] = {s.value: 0 for s in OPEN_STATUSES}
    for status, cnt in conn.execute(select(c.status, func.count()).where(*w).group_by(c.status)):
        out[status] = int(cnt)
    row = conn.execute(
        select(
            func.count().filter(c.stage_deadline <= n),
            func.count().filter(and_(c.due_soon_at <= n, c.stage_deadline > n)),
            func.count().filter(c.supervised.is_(True)),
            func.count().filter(c.escalated.is_(True)),
        ).where(*w)
    ).one()
    out.update(overdue=int(row[0]), due_soon=int(row[1]), supervised=int(row[2]), escalated=int(row[3]))
    return out


@dataclass(frozen=True)
class Workload:
    department_code: str
    open: int
    overdue: int
    due_soon: int
    supervised: int
    closed_in_range: int = 0


def workloads(
    conn: Connection,
    now: datetime,
    centres: Sequence[str] = (),
    closed_from: datetime | None = None,
    closed_to: datetime | None = None,
) -> dict[str, Workload]:
    """Per department: open, overdue, due-soon, supervised; optionally closed in a range."""
    n = to_epoch(now)
    w: list[ColumnElement[bool]] = [c.is_open.is_(True), c.department_code.is_not(None)]
    if centres:
        w.append(c.centre_code.in_(centres))
    q = (
        select(
            c.department_code,
            func.count(),
            func.count().filter(c.stage_deadline <= n),
            func.count().filter(and_(c.due_soon_at <= n, c.stage_deadline > n)),
            func.count().filter(c.supervised.is_(True)),
        )
        .where(*w)
        .group_by(c.department_code)
    )
    out = {d: Workload(d, int(a), int(b), int(s), int(v)) for d, a, b, s, v in conn.execute(q)}
    if closed_from is not None and closed_to is not None:
        wc: list[ColumnElement[bool]] = [
            c.closed_at >= to_epoch(closed_from),
            c.closed_at < to_epoch(closed_to),
            c.department_code.is_not(None),
        ]
        if centres:
            wc.append(c.centre_code.in_(centres))
        for d, k in conn.execute(select(c.department_code, func.count()).where(*wc).group_by(c.department_code)):
            old = out.get(d, Workload(d, 0, 0, 0, 0))
            out[d] = replace(old, closed_in_range=int(k))
    return out


def kpi_counts(
    conn: Connection, start: datetime, end: datetime, now: datetime, centres: Sequence[str] = ()
) -> KpiCounts:
    """The KPI inputs over cases registered in [start, end) — see domain.kpi for the definitions."""
    n = to_epoch(now)
    closed = c.closed_at.is_not(None)
    fed = c.feedback_at.is_not(None)
    disp = c.dispatched_at.is_not(None)
    late_open = and_(
        not_(fed), c.status.in_([Status.DISPATCHED.value, Status.IN_PROGRESS.value]), c.stage_deadline <= n
    )
    local_levels = [OrgLevel.TOWNSHIP.value, OrgLevel.VILLAGE.value, OrgLevel.GRID.value]
    w: list[ColumnElement[bool]] = [
        c.accepted_at >= to_epoch(start),
        c.accepted_at < to_epoch(end),
        c.status.not_in([Status.REJECTED.value, Status.MERGED.value]),
    ]
    if centres:
        w.append(c.centre_code.in_(centres))
    q = select(
        func.count(),
        func.count().filter(or_(closed, c.deadline <= n)),
        func.count().filter(closed),
        func.count().filter(and_(closed, c.closed_on_time.is_(True))),
        func.count().filter(disp),
        func.count().filter(and_(disp, or_(fed, late_open))),
        func.count().filter(and_(disp, fed, c.handled_on_time.is_(True))),
        func.count().filter(and_(disp, fed)),
        func.count().filter(and_(disp, fed, c.rework_count > 0)),
        func.count().filter(and_(disp, c.return_count > 0)),
        func.coalesce(func.sum(case((and_(disp, fed), c.feedback_at - c.dispatched_at), else_=0)), 0),
        func.count().filter(and_(closed, c.resolved_level.in_(local_levels))),
    ).where(*w)
    r = [int(x) for x in conn.execute(q).one()]
    return KpiCounts(
        registered=r[0], due=r[1], closed=r[2], closed_on_time=r[3], dispatched=r[4], handle_due=r[5],
        handled_on_time=r[6], fed_back=r[7], reworked=r[8], returned=r[9], handle_seconds=float(r[10]),
        closed_local=r[11],
    )


def kpis(conn: Connection, start: datetime, end: datetime, now: datetime, centres: Sequence[str] = ()) -> Kpis:
    return compute(kpi_counts(conn, start, end, now, centres))


# --- keyset paging (the GUI's queue loads further pages as the user scrolls) -----------------

# Sort keys whose column may be NULL: their keyset conditions must place the NULLs.
_NULLABLE_SORT_KEYS = frozenset({"deadline", "department", "category"})

# The tie-breaker after the sort key: unique and NOT NULL, and in creation order (the code
# is the county code + date + sequence), so that equal keys list the oldest case first.  It
# is ascending in both directions: with a LIMIT, SQLite's sorter drops a row that ranks
# after the rows kept, and rows arrive in about creation order, so a large group of equal
# keys (closed cases by deadline: all NULL; by status or priority) costs a scan, not a
# sort -- a descending tie-breaker made those re-sorts of the history 5-8x slower.
_tiebreak = c.code

# A position in a queue: (sort-key value, case code) of a row, as queue_page returns them.
QueueKey = tuple[Any, str]


def queue_key(row: dict[str, Any]) -> QueueKey:
    """The keyset position of a row returned by queue_page."""
    return (row["sort_key"], row["code"])


def _keyset(
    f: QueueFilter, key: Any, pos: QueueKey, *, after: bool, nulls_low: bool
) -> ColumnElement[bool]:
    """Rows strictly after ``pos`` (after=True) or at/before it (after=False) in the order
    ``key [asc|desc], code asc``.  NULL keys sort lowest (SQLite) unless ``nulls_low`` is
    False (PostgreSQL's default)."""
    k, i = pos
    desc = f.descending
    nullable = f.sort in _NULLABLE_SORT_KEYS
    nulls_first = nulls_low != desc  # where NULL keys are in this order
    if after:
        tie = _tiebreak > i
        if k is None:
            rest = and_(key.is_(None), tie)
            return or_(rest, key.is_not(None)) if nulls_first else rest
        # `key >= k` first: a range on the index that serves the order
        bound = and_(key <= k, or_(key < k, tie)) if desc else and_(key >= k, or_(key > k, tie))
        return or_(bound, key.is_(None)) if nullable and not nulls_first else bound
    tie = _tiebreak <= i
    if k is None:
        rest = and_(key.is_(None), tie)
        return rest if nulls_first else or_(rest, key.is_not(None))
    bound = and_(key >= k, or_(key > k, tie)) if desc else and_(key <= k, or_(key < k, tie))
    return or_(bound, key.is_(None)) if nullable and nulls_first else bound


def _page_parts(
    f: QueueFilter,
    now: datetime,
    after: QueueKey | None,
    upto: QueueKey | None,
    nulls_low: bool,
    plan: TextSearch | None = None,
) -> tuple[Any, list[ColumnElement[bool]], list[Any]]:
    """(sort key, WHERE, ORDER BY) of a keyset page."""
    key = SORT_KEYS.get(f.sort, c.stage_deadline)
    w = _where(f, now)
    if after is not None:
        w.append(_keyset(f, key, after, after=True, nulls_low=nulls_low))
    if upto is not None:
        w.append(_keyset(f, key, upto, after=False, nulls_low=nulls_low))
    w = _with_search(w, plan)
    order = [key.desc() if f.descending else key.asc()]
    if key is not _tiebreak:
        # ties always oldest first, whatever the direction: rows mostly come out of the table
        # and its indexes in creation (code) order, so the sort stays cheap (see _tiebreak)
        order.append(_tiebreak.asc())
    return key, w, order


def queue_page_select(
    f: QueueFilter,
    now: datetime,
    limit: int = 500,
    after: QueueKey | None = None,
    upto: QueueKey | None = None,
    nulls_low: bool = True,
    plan: TextSearch | None = None,
) -> Select[Any]:
    """The SELECT of queue_page (see there); ``plan``: see search_plan (None: the plain LIKE)."""
    key, w, order = _page_parts(f, now, after, upto, nulls_low, plan)
    # A deferred join: sort and limit the ids, then read those rows.  The sorter then carries
    # (key, code, id) instead of 26 columns: a re-sort of a centre's history (130k rows) by
    # code or creation time, newest first, takes ~250 ms instead of ~480; a page served by
    # an index costs ~1 ms more.
    ids = _first_ids(f, w, order, limit).scalar_subquery()
    return select(*QUEUE_COLUMNS, key.label("sort_key")).where(c.id.in_(ids)).order_by(*order)


def _implies_open(f: QueueFilter) -> bool:
    """Whether the filter lists open cases only (then the small open-only indexes serve it)."""
    if f.statuses:
        return set(f.statuses) <= OPEN_STATUSES
    return f.open_only or f.sla is not None


def _first_ids(f: QueueFilter, w: list[ColumnElement[bool]], order: list[Any], limit: int) -> Select[Any]:
    """The ids of the first ``limit`` rows of the filter in ``order`` (a deferred join's inner query)."""
    if f.sort != "priority" or _implies_open(f):
        return select(c.id).where(*w).order_by(*order).limit(limit)
    # The priority order is a CASE, which no index serves: over the history (937,000 cases
    # county-wide) every row was read and sorted (230-550 ms).  Instead, one arm per priority
    # takes that priority's first rows in code order from ix_cases_priority_code, and only
    # those (at most 3 x limit) are sorted.  Not for open-only filters: the open-only indexes
    # and a sort of the <= 30,000 open cases are cheaper there.
    # (The column holds Priority values only: row_to_case reads nothing else.)
    arms = []
    for p in Priority:
        rank = _PRIORITY_RANKS.get(p.value, 3)
        arm = select(c.id, c.code, literal(rank).label("rank")).where(*w, c.priority == p.value)
        sub = arm.order_by(c.code).limit(limit).subquery()
        arms.append(select(sub.c.id, sub.c.code, sub.c.rank))
    u = union_all(*arms).subquery()
    rank_order = u.c.rank.desc() if f.descending else u.c.rank.asc()
    return select(u.c.id).order_by(rank_order, u.c.code.asc()).limit(limit)


def queue_page(
    conn: Connection,
    f: QueueFilter,
    now: datetime,
    limit: int = 500,
    after: QueueKey | None = None,
    upto: QueueKey | None = None,
) -> list[dict[str, Any]]:
    """Up to ``limit`` rows of the queue in a total order -- the filter's sort key (either
    direction), then the case code (unique, ascending) as the tie-breaker -- for keyset paging.

    ``after``: only rows strictly after this position (the ``queue_key`` of the last row
    already loaded): the next page.  ``upto``: only rows at or before this position: the
    window already loaded, re-queried.  Each row is a ``queue`` row plus ``sort_key``, the
    value of the sort key.
    """
    nulls_low = conn.dialect.name != "postgresql"
    q = queue_page_select(f, now, limit, after, upto, nulls_low, search_plan(conn, f))
    return [dict(r) for r in conn.execute(q).mappings()]


def queue_page_keys(
    conn: Connection,
    f: QueueFilter,
    now: datetime,
    limit: int = 500,
    after: QueueKey | None = None,
    upto: QueueKey | None = None,
) -> list[tuple[str, int, str, Any]]:
    """What ``queue_page`` would return, as ``(id, version, code, sort_key)`` tuples only: for
    re-checking a loaded window cheaply (~2 ms for 500 rows instead of ~10), then reading the
    rows that changed with ``rows_by_ids``."""
    nulls_low = conn.dialect.name != "postgresql"
    key, w, order = _page_parts(f, now, after, upto, nulls_low, search_plan(conn, f))
    q = select(c.id, c.version, c.code, key.label("sort_key"))
    if f.sort == "priority" and not _implies_open(f):
        q = q.where(c.id.in_(_first_ids(f, w, order, limit).scalar_subquery())).order_by(*order)
    else:
        q = q.where(*w).order_by(*order).limit(limit)
    return [(r[0], int(r[1]), r[2], r[3]) for r in conn.execute(q)]


def queue_rows_of(conn: Connection, f: QueueFilter, now: datetime, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Of these cases, the ones the filter lists now, as ``queue_page`` rows (with
    ``sort_key``), by id: how a live change moved, changed or removed them in a queue."""
    key = SORT_KEYS.get(f.sort, c.stage_deadline)
    w = _where(f, now)
    # The filter goes inside a CASE, where the planner cannot use it: the rows are found by
    # their primary key (otherwise SQLite walks e.g. all 30,000 open cases: 57 ms, not 1).
    listed = case((and_(*w), 1), else_=0) == 1 if w else None
    out: dict[str, dict[str, Any]] = {}
    ids = list(ids)
    for i in range(0, len(ids), 500):
        q = select(*QUEUE_COLUMNS, key.label("sort_key")).where(c.id.in_(ids[i : i + 500]))
        if listed is not None:
            q = q.where(listed)
        for r in conn.execute(q).mappings():
            out[r["id"]] = dict(r)
    return out
