"""Likely duplicates of a new report: same category, near, recent.

A hotline operator about to register a call asks: has this already been
reported?  ``likely_duplicates`` answers from the local store:

* open cases, or cases closed since (a closed case can still take a merge),
  reported in the last ``hours``;
* with the same 小类 (scored higher) or another 小类 of the same 大类;
* within ``radius_m`` of the new report's position (great-circle distance; a
  lon/lat bounding box in SQL keeps the candidates few), or — when either side
  has no coordinates — in the same grid.

Each result carries its distance (metres, ``None`` when matched by grid) and a
score in [0, 1]; results come best first.  Plain Python and SQL, no Qt.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, or_, select
from sqlalchemy.sql.elements import ColumnElement

from ..domain.enums import OPEN_STATUSES, Status
from ..domain.timeutil import to_epoch
from ..store import schema as t

EARTH_RADIUS_M = 6_371_008.8
METRES_PER_DEGREE_LAT = 111_320.0

# score weights: category match, nearness, recency (they add up to 1)
W_CATEGORY, W_NEAR, W_RECENT = 0.50, 0.30, 0.20
SAME_MAJOR_FACTOR = 0.4  # another 小类 of the same 大类 counts for less
SAME_GRID_NEARNESS = 0.6  # matched by grid (no coordinates): as if 40 % of the radius away
CLOSED_FACTOR = 0.8  # a closed case is a less likely home for a new call than an open one

_CANDIDATE_STATUSES = (*(s.value for s in OPEN_STATUSES), Status.CLOSED.value)

c = t.cases.c


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres between two WGS-84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lon: float, lat: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min_lon, min_lat, max_lon, max_lat) of a box that holds the circle."""
    dlat = radius_m / METRES_PER_DEGREE_LAT
    coslat = max(math.cos(math.radians(lat)), 1e-6)
    dlon = radius_m / (METRES_PER_DEGREE_LAT * coslat)
    return lon - dlon, lat - dlat, lon + dlon, lat + dlat


def same_major(conn: Connection, category_code: str) -> list[str]:
    """The 小类 codes of the category's 大类 (itself included; just itself if it has no parent)."""
    cat = t.categories.c
    parent = conn.execute(select(cat.parent_code).where(cat.code == category_code)).scalar()
    if parent is None:
        return [category_code]
    codes = [r[0] for r in conn.execute(select(cat.code).where(cat.parent_code == parent))]
    return codes if category_code in codes else [*codes, category_code]


def grid_centroid(conn: Connection, grid_code: str) -> tuple[float, float] | None:
    """The grid's centroid (lon, lat) from the org tree, or None if it has none."""
    r = conn.execute(
        select(t.org_units.c.centroid_lon, t.org_units.c.centroid_lat).where(t.org_units.c.code == grid_code)
    ).first()
    if r is None or r[0] is None or r[1] is None:
        return None
    return float(r[0]), float(r[1])


def likely_duplicates(
    conn: Connection,
    *,
    category_code: str | None,
    lon: float | None,
    lat: float | None,
    grid_code: str | None,
    now: datetime,
    radius_m: float = 500,
    hours: float = 72,
    limit: int = 10,
) -> list[dict[str, Any]]:
    """Cases that may already be the one being reported, best first.

    Without a category, or without any location (neither coordinates nor a
    grid), there is nothing to compare: the answer is empty.
    """
    if not category_code or limit <= 0:
        return []
    has_point = lon is not None and lat is not None
    if not has_point and not grid_code:
        return []
    since = to_epoch(now - timedelta(hours=hours))
    siblings = same_major(conn, category_code)

    where: list[ColumnElement[bool]] = [
        c.created_at >= since,
        c.status.in_(_CANDIDATE_STATUSES),
        c.category_code.in_(siblings) if len(siblings) > 1 else c.category_code == category_code,
    ]
    place: list[ColumnElement[bool]] = []
    if has_point:
        assert lon is not None and lat is not None
        min_lon, min_lat, max_lon, max_lat = bounding_box(lon, lat, radius_m)
        place.append(and_(c.lon.between(min_lon, max_lon), c.lat.between(min_lat, max_lat)))
    if grid_code:
        # the same grid counts for cases we cannot measure: either side has no point
        place.append(and_(c.grid_code == grid_code, c.lon.is_(None)) if has_point else c.grid_code == grid_code)
    where.append(or_(*place) if len(place) > 1 else place[0])

    cols = (
        c.id, c.code, c.title, c.status, c.priority, c.category_code, c.address, c.grid_code,
        c.centre_code, c.lon, c.lat, c.created_at, c.closed_at,
    )
    n = to_epoch(now) or 0
    span = max(hours * 3600.0, 1.0)
    out: list[dict[str, Any]] = []
    for row in conn.execute(select(*cols).where(*where)).mappings():
        r = dict(row)
        distance: float | None = None
        if has_point and r["lon"] is not None and r["lat"] is not None:
            assert lon is not None and lat is not None
            distance = haversine_m(lon, lat, float(r["lon"]), float(r["lat"]))
            if distance > radius_m:
                continue  # in the box, outside the circle
            nearness = 1.0 - distance / radius_m if radius_m > 0 else 1.0
        else:
            nearness = SAME_GRID_NEARNESS  # matched by grid
        same_minor = r["category_code"] == category_code
        cat = 1.0 if same_minor else SAME_MAJOR_FACTOR
        recency = max(0.0, 1.0 - (n - int(r["created_at"])) / span)
        score = W_CATEGORY * cat + W_NEAR * nearness + W_RECENT * recency
        if r["status"] == Status.CLOSED.value:
            score *= CLOSED_FACTOR
        r["distance_m"] = None if distance is None else round(distance, 1)
        r["same_category"] = same_minor
        r["matched_by"] = "distance" if distance is not None else "grid"
        r["score"] = round(score, 4)
        out.append(r)
    out.sort(key=lambda d: (-d["score"], -int(d["created_at"]), d["code"]))
    return out[:limit]
