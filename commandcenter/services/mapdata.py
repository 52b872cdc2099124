"""What the map reads from the store: the points of the queue's cases, each grid's load,
the org outlines.  Plain rows and numpy arrays; no Qt.

The points of a filter come straight from SQL (the queue's own WHERE clause), never row
by row through the queue model, capped at ``MAX_POINTS`` (a filter over the whole
history of a 1M-case store lists ~900,000 cases: the map shows the first ``MAX_POINTS``
and says so; the counts per grid are computed in SQL over all of them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from sqlalchemy import Connection, func, select

from ..domain.enums import Priority, Severity, Status
from ..domain.timeutil import to_epoch
from ..store import schema as t
from . import queries
from .queries import QueueFilter

MAX_POINTS = 100_000

STATUS_CODES: tuple[str, ...] = tuple(s.value for s in Status)
PRIORITY_CODES: tuple[str, ...] = tuple(p.value for p in Priority)
SEVERITY_CODES: tuple[str, ...] = tuple(s.value for s in Severity)

c = t.cases.c
o = t.org_units.c


@dataclass
class MapPoints:
    """The located cases of a filter, as parallel arrays (index i is one case)."""

    ids: list[str] = field(default_factory=list)
    lon: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    lat: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    status: npt.NDArray[np.int8] = field(default_factory=lambda: np.zeros(0, np.int8))  # index in STATUS_CODES
    priority: npt.NDArray[np.int8] = field(default_factory=lambda: np.zeros(0, np.int8))  # PRIORITY_CODES
    severity: npt.NDArray[np.int8] = field(default_factory=lambda: np.zeros(0, np.int8))  # SEVERITY_CODES
    overdue: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, bool))
    total: int = 0  # cases the filter lists with a location (may exceed len(ids))

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def from_arrays(
        cls,
        ids: list[str],
        lon: npt.ArrayLike,
        lat: npt.ArrayLike,
        status: npt.ArrayLike | None = None,
        priority: npt.ArrayLike | None = None,
        severity: npt.ArrayLike | None = None,
    ) -> MapPoints:
        n = len(ids)
        z = np.zeros(n, np.int8)
        return cls(
            ids=list(ids),
            lon=np.asarray(lon, np.float64),
            lat=np.asarray(lat, np.float64),
            status=z.copy() if status is None else np.asarray(status, np.int8),
            priority=z.copy() if priority is None else np.asarray(priority, np.int8),
            severity=z.copy() if severity is None else np.asarray(severity, np.int8),
            overdue=np.zeros(n, bool),
            total=n,
        )


def _codes(values: list[Any], table: tuple[str, ...]) -> npt.NDArray[np.int8]:
    lookup = {v: i for i, v in enumerate(table)}
    return np.fromiter((lookup.get(v, 0) for v in values), dtype=np.int8, count=len(values))


def map_points(conn: Connection, f: QueueFilter, now: datetime, limit: int = MAX_POINTS) -> MapPoints:
    """The cases the queue filter lists that have a location (at most ``limit``)."""
    w = [*queries._where(f, now), c.lon.is_not(None), c.lat.is_not(None)]
    q = select(c.id, c.lon, c.lat, c.status, c.priority, c.severity, c.stage_deadline, c.is_open).where(*w)
    rows = conn.execute(q.limit(limit)).all()
    n = len(rows)
    total = n
    if n >= limit:
        total = int(conn.execute(select(func.count()).select_from(t.cases).where(*w)).scalar_one())
    if n == 0:
        return MapPoints()
    cols = list(zip(*rows, strict=True))
    epoch = int(to_epoch(now) or 0)
    deadline = np.array([d if d is not None else 2**62 for d in cols[6]], dtype=np.int64)
    is_open = np.array([bool(v) for v in cols[7]], dtype=bool)
    return MapPoints(
        ids=list(cols[0]),
        lon=np.array(cols[1], dtype=np.float64),
        lat=np.array(cols[2], dtype=np.float64),
        status=_codes(list(cols[3]), STATUS_CODES),
        priority=_codes(list(cols[4]), PRIORITY_CODES),
        severity=_codes(list(cols[5]), SEVERITY_CODES),
        overdue=is_open & (deadline <= epoch),
        total=total,
    )


def point_details(conn: Connection, case_id: str) -> dict[str, Any] | None:
    """What the map's tooltip shows for one case."""
    r = conn.execute(
        select(c.id, c.code, c.title, c.category_code, c.status, c.priority, c.stage_deadline, c.is_open,
               c.suspended, c.lon, c.lat).where(c.id == case_id)
    ).mappings().first()
    return None if r is None else dict(r)


def case_location(conn: Connection, case_id: str) -> tuple[float, float] | None:
    r = conn.execute(select(c.lon, c.lat).where(c.id == case_id)).first()
    if r is None or r[0] is None or r[1] is None:
        return None
    return float(r[0]), float(r[1])


def grid_load(conn: Connection, now: datetime, centres: tuple[str, ...] = ()) -> dict[str, tuple[int, int]]:
    """Per grid code: (open cases, overdue open cases)."""
    n = to_epoch(now)
    w = [c.is_open.is_(True), c.grid_code.is_not(None)]
    if centres:
        w.append(c.centre_code.in_(centres))
    q = select(c.grid_code, func.count(), func.count().filter(c.stage_deadline <= n)).where(*w).group_by(c.grid_code)
    return {g: (int(a), int(b)) for g, a, b in conn.execute(q)}


@dataclass(frozen=True)
class OrgShape:
    code: str
    name: str
    level: str
    parent_code: str | None
    geometry: Any  # a GeoJSON dict or a shapely geometry (WGS-84)


def org_shapes(conn: Connection, levels: tuple[str, ...]) -> list[OrgShape]:
    """The org units of these levels that have an outline, in code order (the outlines
    parsed by shapely's C GeoJSON reader: ~10x faster than json + shape() for 100k grids)."""
    q = (
        select(o.code, o.name, o.level, o.parent_code, o.geometry)
        .where(o.level.in_(levels), o.geometry.is_not(None))
        .order_by(o.code)
    )
    rows = conn.execute(q).all()
    geoms = shapely.from_geojson([r[4] for r in rows], on_invalid="ignore") if rows else []
    return [
        OrgShape(code, name, level, parent, g)
        for (code, name, level, parent, _), g in zip(rows, geoms, strict=True)
        if g is not None
    ]
