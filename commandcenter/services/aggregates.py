"""Live aggregates: per department / township / category counters, KPI inputs and trends,
kept up to date **incrementally** from the ids of ``cases_changed`` events.

    agg = Aggregates(workspace.engine, workspace.ref, workspace.now)
    agg.recount()                       # the full recount (also after a day rollover)
    agg.apply_changes(event.case_ids)   # incremental: old row state out, new row state in
    agg.table("department")             # {department code: GroupStats}
    agg.kpi_counts()                    # KpiCounts of the whole scope (the KPI tiles)
    agg.trend("h", "source")            # {source: [(bin, new, closed), ...]}

How: every case row *contributes* to a set of counters -- static ones (``open``, ``closed
today``, the KPI counts of the period, trend bins) and timed ones, which count once the
clock passes an instant (``overdue`` from the stage deadline, ``due soon`` from the
due-soon instant until the deadline, the KPI's 应结案/应处置 of open cases).  Static
counters are plain sums; a timed counter keeps two sorted lists of instants (starts and
ends of the intervals) and its value at ``now`` is two bisections.  The service keeps the
row state of every case in scope (open, or created / closed / registered inside the
windows: about 3 % + a month of the history), so a change is: subtract what the old row
contributed, add what the new row contributes.  No recount; cost follows the changes.

The windows (KPI period, "today", the trend scope) are fixed at the last full recount;
``needs_recount()`` says when the local day rolled over.  Definitions match
``domain.kpi.count_cases`` and ``services.queries`` (tests cross-check them).
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, or_, select

from ..domain.enums import OrgLevel, Status
from ..domain.kpi import KpiCounts
from ..domain.org import Reference
from ..domain.timeutil import CST, from_epoch
from ..store import schema as t
from ..store.engine import read_tx

c = t.cases.c

GROUPINGS = ("department", "township", "category")
TOTAL = "total"  # the grouping with one group, "": the whole scope

# The row state the counters depend on (a plain tuple per case, in this order).
ROW_COLUMNS = (
    c.id,
    c.department_code,
    c.township_code,
    c.category_code,
    c.source,
    c.status,
    c.is_open,
    c.stage_deadline,
    c.due_soon_at,
    c.deadline,
    c.created_at,
    c.accepted_at,
    c.dispatched_at,
    c.feedback_at,
    c.closed_at,
    c.handled_on_time,
    c.closed_on_time,
    c.rework_count,
    c.return_count,
    c.resolved_level,
    c.supervised,
)
(
    _ID, _DEPT, _TOWN, _CAT, _SRC, _STATUS, _OPEN, _STAGE_DL, _DUE_SOON, _DEADLINE, _CREATED, _ACCEPTED,
    _DISPATCHED, _FEEDBACK, _CLOSED, _HANDLED_OT, _CLOSED_OT, _REWORK, _RETURN, _LEVEL, _SUPERVISED,
) = range(len(ROW_COLUMNS))

Row = tuple[Any, ...]
# (department, township, category group), static fields, handling seconds, timed fields, trend points, source
Parts = tuple[
    tuple[str | None, str | None, str | None], tuple[str, ...], int, tuple[tuple[str, int, int], ...],
    tuple[tuple[str, int], ...], str,
]

_HANDLING = frozenset({Status.DISPATCHED.value, Status.IN_PROGRESS.value})
_EXCLUDED = frozenset({Status.REJECTED.value, Status.MERGED.value})
_LOCAL = frozenset({OrgLevel.TOWNSHIP.value, OrgLevel.VILLAGE.value, OrgLevel.GRID.value})
_INF = 2**62
HOUR = 3600
DAY = 86400
_CST_OFFSET = 8 * HOUR
TREND_DAYS = 30  # the day trend; the hour trend shows the last 24 hours
SCOPE_DAYS = 31  # rows created / closed within this many local days before today are kept

# the KPI counts of a group, by field name of KpiCounts
KPI_FIELDS = (
    "registered", "due", "closed", "closed_on_time", "dispatched", "handle_due", "handled_on_time",
    "fed_back", "reworked", "returned", "handle_seconds", "closed_local",
)


def local_day(epoch: int) -> int:
    """The local (Asia/Shanghai) day number of an epoch second."""
    return (epoch + _CST_OFFSET) // DAY


def day_start(day: int) -> int:
    """The epoch second a local day number begins."""
    return day * DAY - _CST_OFFSET


@dataclass(frozen=True)
class Windows:
    """The instants the static counters are counted against (fixed until the next recount)."""

    today: int  # local day number of "today"
    period_start: int  # KPI period [period_start, period_end)
    period_end: int
    scope_start: int  # trend bins and the rows kept start here

    @property
    def today_start(self) -> int:
        return day_start(self.today)

    @classmethod
    def at(cls, now: datetime, period_days: int = 1) -> Windows:
        """Windows for ``now``: the period is the last ``period_days`` local days incl. today."""
        n = int(now.timestamp())
        today = local_day(n)
        days = max(1, min(period_days, SCOPE_DAYS))
        return cls(
            today=today,
            period_start=day_start(today - days + 1),
            period_end=day_start(today + 1),
            scope_start=day_start(today - SCOPE_DAYS),
        )


@dataclass
class GroupStats:
    """One row of the workloads table."""

    key: str
    open: int = 0
    handling: int = 0  # 处置中 (待签收 + 处置中)
    overdue: int = 0
    due_soon: int = 0
    supervised: int = 0
    closed_today: int = 0
    kpi: KpiCounts = field(default_factory=KpiCounts)

    @property
    def avg_handling_hours(self) -> float | None:
        k = self.kpi
        return None if k.fed_back == 0 else k.handle_seconds / k.fed_back / 3600

    @property
    def on_time_handling_rate(self) -> float | None:
        k = self.kpi
        return None if k.handle_due == 0 else k.handled_on_time / k.handle_due

    @property
    def returned(self) -> int:
        return self.kpi.returned


Key = tuple[str, str, str]  # (grouping, group, field)
TrendKey = tuple[str, str, int, str, str]  # (resolution h|d, kind new|closed, bin, dim, value)


class _Timed:
    """A counter of intervals [a, b): its value at t is #(a <= t) - #(b <= t)."""

    __slots__ = ("ends", "starts")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, a: int, b: int) -> None:
        bisect.insort(self.starts, a)
        if b < _INF:
            bisect.insort(self.ends, b)

    def remove(self, a: int, b: int) -> None:
        _remove(self.starts, a)
        if b < _INF:
            _remove(self.ends, b)

    def value(self, now: int) -> int:
        return bisect.bisect_right(self.starts, now) - bisect.bisect_right(self.ends, now)

    def __len__(self) -> int:
        return len(self.starts)


def _remove(lst: list[int], x: int) -> None:
    i = bisect.bisect_left(lst, x)
    if i < len(lst) and lst[i] == x:
        del lst[i]
    else:  # pragma: no cover - the bookkeeping is wrong
        raise KeyError(x)


class Aggregates:
    """The counters of one store (thread-safe: updates and reads take a lock)."""

    def __init__(
        self,
        engine: Engine,
        ref: Reference,
        clock: Callable[[], datetime],
        *,
        centres: Sequence[str] = (),
        period_days: int = 1,
    ) -> None:
        self.engine = engine
        self.ref = ref
        self.clock = clock
        self.centres = tuple(centres)
        self.period_days = period_days
        self.windows = Windows.at(clock(), period_days)
        self._lock = threading.RLock()
        self._rows: dict[str, Row] = {}
        self._static: dict[Key, float] = {}
        self._timed: dict[Key, _Timed] = {}
        self._trend: dict[TrendKey, int] = {}
        self._parent: dict[str, str] = {}
        self._groups_cache: dict[tuple[str | None, str | None, str | None], list[tuple[str, str]]] = {}
        self.generation = 0  # bumped by every recount and every applied change
        self._recount_lock = threading.Lock()
        self._changed_meanwhile: set[str] | None = None  # ids changed while a recount reads
        self._index_gen = -1
        self._index_cache: dict[tuple[str, str], list[str]] = {}

    # --- scope ---------------------------------------------------------------------------

    def _category_group(self, code: str | None) -> str | None:
        if not code:
            return None
        g = self._parent.get(code)
        if g is None:
            cat = self.ref.categories.get(code)
            g = (cat.parent_code or cat.code) if cat is not None else code[:2]
            self._parent[code] = g
        return g

    def _in_centres(self, centre: str | None) -> bool:
        return not self.centres or centre in self.centres

    # --- contributions -------------------------------------------------------------------

    def _groups(self, g3: tuple[str | None, str | None, str | None]) -> list[tuple[str, str]]:
        """(grouping, group) pairs a row with these (department, township, category) counts in."""
        out = self._groups_cache.get(g3)
        if out is None:
            out = [(TOTAL, "")]
            for grouping, v in zip(GROUPINGS, g3, strict=True):
                if v:
                    out.append((grouping, v))
            self._groups_cache[g3] = out
        return out

    def _parts(self, row: Row) -> Parts:
        """What one row contributes, compactly: its groups, its static fields (each counts 1),
        the handling seconds, its timed fields (field, from, until) and its trend points
        (kind, epoch hour, source, category)."""
        w = self.windows
        status = row[_STATUS]
        cat = self._category_group(row[_CAT])
        fields: list[str] = []
        tfields: list[tuple[str, int, int]] = []
        handle_s = 0
        stage_dl = row[_STAGE_DL]
        if row[_OPEN]:
            fields.append("open")
            if status in _HANDLING:
                fields.append("handling")
            if row[_SUPERVISED]:
                fields.append("supervised")
            if stage_dl is not None:
                tfields.append(("overdue", stage_dl, _INF))
                due_soon = row[_DUE_SOON]
                if due_soon is not None and due_soon < stage_dl:
                    tfields.append(("due_soon", due_soon, stage_dl))
        closed_at = row[_CLOSED]
        if closed_at is not None and w.today_start <= closed_at < w.today_start + DAY:
            fields.append("closed_today")
        acc = row[_ACCEPTED]
        if acc is not None and w.period_start <= acc < w.period_end and status not in _EXCLUDED:
            fields.append("registered")
            if closed_at is not None:
                fields += ("due", "closed")
                if row[_CLOSED_OT]:
                    fields.append("closed_on_time")
                if row[_LEVEL] in _LOCAL:
                    fields.append("closed_local")
            elif row[_DEADLINE] is not None:
                tfields.append(("due", row[_DEADLINE], _INF))
            disp = row[_DISPATCHED]
            if disp is not None:
                fields.append("dispatched")
                if row[_RETURN] > 0:
                    fields.append("returned")
                fb = row[_FEEDBACK]
                if fb is not None:
                    fields += ("handle_due", "fed_back")
                    handle_s = fb - disp
                    if row[_HANDLED_OT]:
                        fields.append("handled_on_time")
                    if row[_REWORK] > 0:
                        fields.append("reworked")
                elif status in _HANDLING and stage_dl is not None:
                    tfields.append(("handle_due", stage_dl, _INF))
        trend: list[tuple[str, int]] = []
        created = row[_CREATED]
        if created is not None and created >= w.scope_start:
            trend.append(("new", created // HOUR))
        if closed_at is not None and closed_at >= w.scope_start:
            trend.append(("closed", closed_at // HOUR))
        return (row[_DEPT], row[_TOWN], cat), tuple(fields), handle_s, tuple(tfields), tuple(trend), row[_SRC]

    @staticmethod
    def _has(parts: Parts) -> bool:
        return bool(parts[1] or parts[3] or parts[4])

    def _trend_keys(self, kind: str, h: int, src: str, cat: str | None) -> list[TrendKey]:
        d = local_day(h * HOUR)
        keys: list[TrendKey] = [("h", kind, h, "all", ""), ("d", kind, d, "all", ""), ("h", kind, h, "source", src),
                                ("d", kind, d, "source", src)]
        if cat:
            keys += [("h", kind, h, "category", cat), ("d", kind, d, "category", cat)]
        return keys

    def _apply_parts(self, parts: Parts, sign: int) -> None:
        g3, fields, handle_s, tfields, trend, src = parts
        st, tm, tr = self._static, self._timed, self._trend
        for g, v in self._groups(g3):
            for f in fields:
                k = (g, v, f)
                n = st.get(k, 0) + sign
                if n:
                    st[k] = n
                else:
                    del st[k]
            if handle_s:
                k = (g, v, "handle_seconds")
                x = st.get(k, 0) + sign * handle_s
                if x:
                    st[k] = x
                else:
                    del st[k]
            for f, a, b in tfields:
                k = (g, v, f)
                counter = tm.get(k)
                if sign > 0:
                    if counter is None:
                        counter = tm[k] = _Timed()
                    counter.add(a, b)
                else:
                    assert counter is not None
                    counter.remove(a, b)
                    if not len(counter):
                        del tm[k]
        for kind, h in trend:
            for tk in self._trend_keys(kind, h, src, g3[2]):
                n = tr.get(tk, 0) + sign
                if n:
                    tr[tk] = n
                else:
                    del tr[tk]

    def _bulk_load(self, rows: Iterable[Row]) -> None:
        """The full recount's fast path: the same parts as _apply_parts, summed per distinct
        (groups, fields) and (trend point) first, then expanded once per distinct value."""
        keep: dict[str, Row] = {}
        sigs: dict[tuple[Any, tuple[str, ...]], int] = {}
        handle: dict[Any, int] = {}
        timed: list[tuple[Any, tuple[str, int, int]]] = []
        trends: dict[tuple[str, int, str, Any], int] = {}
        parts_of = self._parts
        w = self.windows
        scope, today, period = w.scope_start, w.today_start, w.period_start
        cat_of = self._category_group
        for row in rows:
            if not row[_OPEN]:
                # most rows: closed before today and registered before the period -- only their
                # trend points count (the same as _parts, without building the rest)
                closed_at, acc = row[_CLOSED], row[_ACCEPTED]
                if (closed_at is None or closed_at < today) and (acc is None or acc < period):
                    created = row[_CREATED]
                    new_in = created is not None and created >= scope
                    closed_in = closed_at is not None and closed_at >= scope
                    if new_in or closed_in:
                        cat = cat_of(row[_CAT])
                        if new_in:
                            tk = ("new", created // HOUR, row[_SRC], cat)
                            trends[tk] = trends.get(tk, 0) + 1
                        if closed_in:
                            tk = ("closed", closed_at // HOUR, row[_SRC], cat)
                            trends[tk] = trends.get(tk, 0) + 1
                        keep[row[_ID]] = row
                    continue
            g3, fields, handle_s, tfields, trend, src = parts_of(row)
            if not (fields or tfields or trend):
                continue
            keep[row[_ID]] = row
            if fields:
                k = (g3, fields)
                sigs[k] = sigs.get(k, 0) + 1
            if handle_s:
                handle[g3] = handle.get(g3, 0) + handle_s
            for tf in tfields:
                timed.append((g3, tf))
            for kind, h in trend:
                tk = (kind, h, src, g3[2])
                trends[tk] = trends.get(tk, 0) + 1
        st: dict[Key, float] = {}
        for (g3, fields), n in sigs.items():
            for g, v in self._groups(g3):
                for f in fields:
                    sk = (g, v, f)
                    st[sk] = st.get(sk, 0) + n
        for g3, x in handle.items():
            for g, v in self._groups(g3):
                sk = (g, v, "handle_seconds")
                st[sk] = st.get(sk, 0) + x
        self._static = {k: v for k, v in st.items() if v}
        # timed fields: gather the instants per (groups, field) first, then extend each group's
        # lists by whole lists (a few thousand extends instead of ~10 appends per open case)
        per: dict[tuple[Any, str], tuple[list[int], list[int]]] = {}
        for g3, (f, a, b) in timed:
            lists = per.get((g3, f))
            if lists is None:
                lists = per[(g3, f)] = ([], [])
            lists[0].append(a)
            if b < _INF:
                lists[1].append(b)
        tm: dict[Key, _Timed] = {}
        for (g3, f), (starts, ends) in per.items():
            for g, v in self._groups(g3):
                counter = tm.get((g, v, f))
                if counter is None:
                    counter = tm[(g, v, f)] = _Timed()
                counter.starts += starts
                counter.ends += ends
        for counter in tm.values():
            counter.starts.sort()
            counter.ends.sort()
        self._timed = tm
        # trend points -> the keys of _trend_keys, in stages: per hour (all / source / category),
        # then the days from the (far fewer) hour sums
        hours: dict[tuple[str, str, str, int], int] = {}  # (dim, value, kind, hour)
        for (kind, h, src, cat), n in trends.items():
            for hk in (("all", "", kind, h), ("source", src, kind, h), ("category", cat, kind, h)):
                if hk[1] is None:
                    continue
                hours[hk] = hours.get(hk, 0) + n
        tr: dict[TrendKey, int] = {}
        for (dim, value, kind, h), n in hours.items():
            if dim == "category" and not value:
                continue
            tr[("h", kind, h, dim, value)] = n
            dk: TrendKey = ("d", kind, local_day(h * HOUR), dim, value)
            tr[dk] = tr.get(dk, 0) + n
        self._trend = tr
        self._rows = keep

    # --- loading -------------------------------------------------------------------------

    def _scope_where(self) -> list[Any]:
        """The rows in scope (any dialect): open, or created / closed / registered in the windows."""
        w = self.windows
        where: list[Any] = [
            or_(
                c.is_open.is_(True),
                c.created_at >= w.scope_start,
                c.closed_at >= w.scope_start,
                c.accepted_at >= w.period_start,
            )
        ]
        if self.centres:
            where.append(c.centre_code.in_(self.centres))
        return where

    def _scope_queries(self) -> list[str]:
        """The rows in scope, as index-friendly SQL (SQLite: '+col' keeps the planner on the
        index of the first condition); the results overlap only in the open ones."""
        w = self.windows
        cols = ", ".join(col.name for col in ROW_COLUMNS)
        centre = ""
        if self.centres:
            centre = " AND centre_code IN (" + ", ".join("'" + c_.replace("'", "''") + "'" for c_ in self.centres) + ")"
        s, p = int(w.scope_start), int(w.period_start)
        return [
            f"SELECT {cols} FROM cases WHERE created_at >= {s}{centre}",
            f"SELECT {cols} FROM cases WHERE closed_at >= {s} AND +created_at < {s}{centre}",
            f"SELECT {cols} FROM cases WHERE accepted_at >= {p} AND +created_at < {s}"
            f" AND (closed_at IS NULL OR +closed_at < {s}){centre}",
            f"SELECT {cols} FROM cases WHERE is_open IS 1 AND +created_at < {s}"
            f" AND (accepted_at IS NULL OR +accepted_at < {p}) AND (closed_at IS NULL OR +closed_at < {s}){centre}",
        ]

    def _read_rows(self, ids: Sequence[str] | None) -> list[Row]:
        with read_tx(self.engine) as conn:
            if ids is None:
                if conn.dialect.name == "sqlite":
                    raw = conn.connection.driver_connection
                    assert raw is not None
                    out: list[Row] = []
                    for sql in self._scope_queries():
                        out += raw.execute(sql).fetchall()
                    return out
                return [tuple(r) for r in conn.execute(select(*ROW_COLUMNS).where(*self._scope_where()))]
            found: list[Row] = []
            for i in range(0, len(ids), 500):
                q = select(*ROW_COLUMNS, c.centre_code).where(c.id.in_(ids[i : i + 500]))
                for r in conn.execute(q):
                    if self._in_centres(r[-1]):
                        found.append(tuple(r[:-1]))
            return found

    def recount(self, now: datetime | None = None, period_days: int | None = None) -> None:
        """The full recount: re-read every row in scope and rebuild every counter.

        The new counters are built aside (the lock is not held while reading: readers and
        ``apply_changes`` carry on with the old ones), then swapped in; the cases changed
        meanwhile are applied again on top, so none is lost.  Safe from any thread."""
        with self._recount_lock:
            if period_days is not None:
                self.period_days = period_days
            shadow = Aggregates(self.engine, self.ref, self.clock, centres=self.centres, period_days=self.period_days)
            shadow.windows = Windows.at(now or self.clock(), self.period_days)
            shadow._parent = self._parent
            with self._lock:
                self._changed_meanwhile = set()
            try:
                shadow._bulk_load(shadow._read_rows(None))
            finally:
                with self._lock:
                    seen, self._changed_meanwhile = self._changed_meanwhile or set(), None
            with self._lock:
                self.windows = shadow.windows
                self._rows, self._static, self._timed, self._trend = (
                    shadow._rows, shadow._static, shadow._timed, shadow._trend,
                )
                self.generation += 1
            if seen:
                self.apply_changes(seen)

    def apply_changes(self, case_ids: Iterable[str]) -> set[str]:
        """Incremental update for these changed cases; the ids whose counters moved."""
        ids = list(dict.fromkeys(case_ids))
        if not ids:
            return set()
        new_rows = {r[_ID]: r for r in self._read_rows(ids)}
        moved: set[str] = set()
        with self._lock:
            if self._changed_meanwhile is not None:
                self._changed_meanwhile.update(ids)
            for cid in ids:
                old = self._rows.pop(cid, None)
                new = new_rows.get(cid)
                if old == new:
                    if old is not None:
                        self._rows[cid] = old
                    continue
                if old is not None:
                    self._apply_parts(self._parts(old), -1)
                if new is not None:
                    parts = self._parts(new)
                    if self._has(parts):
                        self._apply_parts(parts, +1)
                        self._rows[cid] = new
                moved.add(cid)
            if moved:
                self.generation += 1
        return moved

    def needs_recount(self, now: datetime | None = None) -> bool:
        """True once the local day has rolled over since the last recount."""
        n = int((now or self.clock()).timestamp())
        return local_day(n) != self.windows.today

    # --- reading -------------------------------------------------------------------------

    @property
    def rows_in_scope(self) -> int:
        return len(self._rows)

    def row(self, case_id: str) -> Row | None:
        return self._rows.get(case_id)

    def _index(self) -> dict[tuple[str, str], list[str]]:
        """The groups of each grouping and the values of each trend dimension, re-made once per
        generation (a refresh reads them many times)."""
        if self._index_gen != self.generation:
            idx: dict[tuple[str, str], set[str]] = {}
            for k in self._static:
                idx.setdefault(("g", k[0]), set()).add(k[1])
            for k in self._timed:
                idx.setdefault(("g", k[0]), set()).add(k[1])
            for tk in self._trend:
                idx.setdefault((tk[0], tk[3]), set()).add(tk[4])
            self._index_cache = {k: sorted(v) for k, v in idx.items()}
            self._index_gen = self.generation
        return self._index_cache

    def groups(self, grouping: str) -> list[str]:
        with self._lock:
            return list(self._index().get(("g", grouping), []))

    def stats(self, grouping: str, group: str, now: datetime | None = None) -> GroupStats:
        n = int((now or self.clock()).timestamp())
        with self._lock:
            st, tm = self._static, self._timed

            def s(f: str) -> float:
                return st.get((grouping, group, f), 0)

            def tv(f: str) -> int:
                counter = tm.get((grouping, group, f))
                return 0 if counter is None else counter.value(n)

            k = KpiCounts(
                registered=int(s("registered")),
                due=int(s("due")) + tv("due"),
                closed=int(s("closed")),
                closed_on_time=int(s("closed_on_time")),
                dispatched=int(s("dispatched")),
                handle_due=int(s("handle_due")) + tv("handle_due"),
                handled_on_time=int(s("handled_on_time")),
                fed_back=int(s("fed_back")),
                reworked=int(s("reworked")),
                returned=int(s("returned")),
                handle_seconds=float(s("handle_seconds")),
                closed_local=int(s("closed_local")),
            )
            return GroupStats(
                key=group,
                open=int(s("open")),
                handling=int(s("handling")),
                overdue=tv("overdue"),
                due_soon=tv("due_soon"),
                supervised=int(s("supervised")),
                closed_today=int(s("closed_today")),
                kpi=k,
            )

    def table(self, grouping: str, now: datetime | None = None) -> dict[str, GroupStats]:
        """Every group of the grouping that has anything to count, by group key."""
        return {g: self.stats(grouping, g, now) for g in self.groups(grouping)}

    def total(self, now: datetime | None = None) -> GroupStats:
        return self.stats(TOTAL, "", now)

    def kpi_counts(self, now: datetime | None = None) -> KpiCounts:
        return self.total(now).kpi

    def trend(self, resolution: str, dim: str = "all", now: datetime | None = None) -> dict[str, list[tuple[int, int, int]]]:
        """Per value of ``dim`` ("all", "source", "category"): [(bin, new, closed)] over the last
        24 hours (resolution "h": bins are epoch hours) or 30 days ("d": local day numbers)."""
        n = int((now or self.clock()).timestamp())
        last = n // HOUR if resolution == "h" else local_day(n)
        count = 24 if resolution == "h" else TREND_DAYS
        bins = range(last - count + 1, last + 1)
        with self._lock:
            values = list(self._index().get((resolution, dim), []))
            if dim == "all":
                values = [""]
            tr = self._trend
            return {
                v: [(b, tr.get((resolution, "new", b, dim, v), 0), tr.get((resolution, "closed", b, dim, v), 0)) for b in bins]
                for v in values
            }

    def snapshot(self, now: datetime | None = None) -> dict[str, Any]:
        """Every counter's value at ``now`` (tests compare an incremental and a full recount)."""
        n = int((now or self.clock()).timestamp())
        with self._lock:
            return {
                "static": dict(self._static),
                "timed": {k: v.value(n) for k, v in self._timed.items() if v.value(n)},
                "trend": dict(self._trend),
                "rows": dict(self._rows),
            }


def bin_label(resolution: str, b: int) -> str:
    """'14时' for an hour bin, '11-28' for a day bin (local time)."""
    if resolution == "h":
        return f"{(b + 8) % 24:02d}"
    d = datetime(1970, 1, 1, tzinfo=CST) + timedelta(days=b)
    return d.strftime("%m-%d")


def period_range(days: int, now: datetime) -> tuple[datetime, datetime]:
    """The [start, end) of the period of the last ``days`` local days including today."""
    w = Windows.at(now, days)
    start, end = from_epoch(w.period_start), from_epoch(w.period_end)
    assert start is not None and end is not None
    return start, end

