"""Point in grid with a spatial index (shapely STRtree), for any set of grids. No Qt.

The demo county has its own (``sim.geometry.DemoGeometry.locate_grid``); this one is
built from whatever grids the store holds (imported ones included) and follows the same
rule: a point on a border between grids goes to the grid with the lowest code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely

from .geojson import to_shape


class GridIndex:
    def __init__(self, grids: Iterable[tuple[str, Mapping[str, Any] | Any]]) -> None:
        pairs = sorted(((code, to_shape(g)) for code, g in grids), key=lambda p: p[0])
        self.codes = [c for c, _ in pairs]
        self.shapes = [s for _, s in pairs]
        self._tree = shapely.STRtree(self.shapes)

    def __len__(self) -> int:
        return len(self.codes)

    def locate(self, lon: float, lat: float) -> str | None:
        hits = self._tree.query(shapely.points(lon, lat), predicate="intersects")
        return None if len(hits) == 0 else self.codes[int(np.min(hits))]

    def locate_many(self, lon: npt.ArrayLike, lat: npt.ArrayLike) -> list[str | None]:
        pts = np.atleast_1d(shapely.points(np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)))
        best = np.full(len(pts), -1, dtype=np.int64)
        p, g = self._tree.query(pts, predicate="intersects")
        if len(p):
            order = np.lexsort((g, p))  # by point, then lowest grid index first
            p, g = p[order], g[order]
            first = np.r_[True, p[1:] != p[:-1]]
            best[p[first]] = g[first]
        return [None if i < 0 else self.codes[i] for i in best.tolist()]
