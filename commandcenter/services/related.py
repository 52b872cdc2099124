"""The cases related to one case, for the case panel's 相关事件 section.

* the case it was merged into (合并到), if it was merged;
* the cases merged into it (合并进来的重复上报);
* likely duplicates (``duplicates.likely_duplicates``): same category, near, reported
  within three days of it, not already merged.

Plain Python and SQL, no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Select, select

from ..domain.case import Case
from ..domain.enums import Status
from ..domain.timeutil import from_epoch
from ..store import schema as t
from .duplicates import likely_duplicates

MERGED_INTO = "merged_into"  # the case this one was merged into
MERGED_FROM = "merged_from"  # a case merged into this one
DUPLICATE = "duplicate"  # a likely duplicate

DUPLICATE_HOURS = 72  # either side of the case's report time
DUPLICATE_RADIUS_M = 500
DUPLICATE_LIMIT = 5
MERGED_FROM_LIMIT = 50

c = t.cases.c


@dataclass(frozen=True)
class RelatedCase:
    relation: str  # MERGED_INTO, MERGED_FROM or DUPLICATE
    id: str
    code: str
    title: str
    status: Status | str
    created_at: datetime | None
    distance_m: float | None = None  # duplicates matched by distance
    score: float | None = None  # duplicates: likelihood in [0, 1]


def _status(value: str) -> Status | str:
    try:
        return Status(value)
    except ValueError:
        return value


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _row_to_related(relation: str, r: dict[str, object]) -> RelatedCase:
    created = r.get("created_at")
    return RelatedCase(
        relation,
        str(r["id"]),
        str(r["code"]),
        str(r["title"]),
        _status(str(r["status"])),
        from_epoch(int(created)) if isinstance(created, int) else None,
        _number(r.get("distance_m")),
        _number(r.get("score")),
    )


_COLS = (c.id, c.code, c.title, c.status, c.created_at)


def merged_from_select(case_id: str) -> Select[Any]:
    """The query of :func:`merged_from` (served by the index on ``merged_into``)."""
    where = [c.merged_into == case_id, c.status == Status.MERGED.value]
    return select(*_COLS).where(*where).order_by(c.created_at, c.code).limit(MERGED_FROM_LIMIT)


def merged_from(conn: Connection, case_id: str) -> list[RelatedCase]:
    """The cases merged into ``case_id``, oldest first."""
    q = merged_from_select(case_id)
    return [_row_to_related(MERGED_FROM, dict(r)) for r in conn.execute(q).mappings()]


def related_cases(
    conn: Connection,
    case: Case,
    now: datetime,
    *,
    duplicate_limit: int = DUPLICATE_LIMIT,
) -> list[RelatedCase]:
    """Everything the 相关事件 section lists for ``case``: merged into, merged from, duplicates."""
    out: list[RelatedCase] = []
    if case.merged_into:
        r = conn.execute(select(*_COLS).where(c.id == case.merged_into)).mappings().first()
        if r is not None:
            out.append(_row_to_related(MERGED_INTO, dict(r)))
    out.extend(merged_from(conn, case.id))
    if duplicate_limit > 0 and case.status is not Status.MERGED:
        seen = {case.id, *(r.id for r in out)}
        # the window: three days either side of the report (not beyond now)
        anchor = min(now, case.created_at + timedelta(hours=DUPLICATE_HOURS))
        found = likely_duplicates(
            conn,
            category_code=case.category_code,
            lon=case.lon,
            lat=case.lat,
            grid_code=case.grid_code,
            now=anchor,
            radius_m=DUPLICATE_RADIUS_M,
            hours=2 * DUPLICATE_HOURS,
            limit=duplicate_limit + len(seen),
        )
        dups = [_row_to_related(DUPLICATE, d) for d in found if d["id"] not in seen]
        out.extend(dups[:duplicate_limit])
    return out
