"""Many polygons as a few batched QPainterPaths.

The polygons' rings are kept as flat numpy arrays in map metres.  They are grouped
spatially into *chunks* of a few hundred polygons; each chunk has one QPainterPath per
fill class (built lazily), so drawing a region costs one ``drawPath`` per class per
chunk that intersects it -- never one item per polygon.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg
import shapely
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainterPath

from ...geo.geojson import to_shape

Projector = Callable[[npt.ArrayLike, npt.ArrayLike], tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]]


def _ranges(starts: npt.NDArray[np.int64], lengths: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The concatenation of arange(s, s + n) for each (s, n), vectorised."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    offs = np.repeat(starts - np.r_[0, np.cumsum(lengths)[:-1]], lengths)
    return np.arange(total, dtype=np.int64) + offs


class PolygonSet:
    """Polygons (Polygon/MultiPolygon, lon/lat) projected to map metres and chunked."""

    def __init__(self, geometries: Sequence[Any], project: Projector, chunk_size: int = 300) -> None:
        geoms = np.array([to_shape(g) for g in geometries], dtype=object)
        self.count = len(geoms)
        # flat arrays straight from shapely's C side (no Python object per ring)
        if self.count:
            _, coords, offsets = shapely.to_ragged_array(geoms)
            ring_off, part_off = offsets[0], offsets[1]
            ring_part = np.repeat(np.arange(len(part_off) - 1), np.diff(part_off))
            if len(offsets) > 2:  # MultiPolygon: parts -> geometries
                part_geom = np.repeat(np.arange(len(offsets[2]) - 1), np.diff(offsets[2]))
                ring_owner = part_geom[ring_part]
            else:
                ring_owner = ring_part
        else:
            coords, ring_off, ring_owner = np.zeros((0, 2)), np.zeros(1, np.int64), np.zeros(0, np.int64)
        x, y = project(coords[:, 0], coords[:, 1])
        self.x = np.ascontiguousarray(x, np.float64)
        self.y = np.ascontiguousarray(y, np.float64)
        self.ring_len = np.diff(ring_off).astype(np.int64)
        self.ring_start = np.asarray(ring_off[:-1], np.int64)
        self.ring_poly = np.asarray(ring_owner, np.int64)
        # per polygon: bounds (in metres); Mercator is monotonic in each axis, so the
        # projected corners of the lon/lat bounds are the projected bounds (to within the
        # smooth GCJ-02 shift, < 1 m)
        self._geoms = geoms
        self._project = project
        self._labels: tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]] | None = None
        if self.count:
            b = shapely.bounds(geoms)
            bx0, by0 = project(b[:, 0], b[:, 1])
            bx1, by1 = project(b[:, 2], b[:, 3])
            self.bounds = np.column_stack([bx0, by0, bx1, by1])
            self.extent = (
                float(self.bounds[:, 0].min()), float(self.bounds[:, 1].min()),
                float(self.bounds[:, 2].max()), float(self.bounds[:, 3].max()),
            )
        else:
            self.bounds = np.zeros((0, 4))
            self.extent = (0.0, 0.0, 0.0, 0.0)
        self.classes = np.zeros(self.count, np.int64)
        self._typical_m: float | None = None
        self._lod: dict[float, PolygonSet] = {}
        # big polygons (boundaries) go one per chunk: a tile then strokes only its own
        if self.count and len(self.x) / self.count > 400:
            chunk_size = 1
        self._chunk_size = chunk_size
        self._make_chunks(chunk_size)

    # --- chunks -------------------------------------------------------------------------

    def _make_chunks(self, chunk_size: int) -> None:
        if chunk_size == 1 and self.count:
            self._make_single_chunks()
            return
        if self.count == 0:
            self.chunks: list[npt.NDArray[np.int64]] = []
            self.chunk_rects: list[QRectF] = []
            self._paths: list[dict[int, QPainterPath] | None] = []
            return
        x0, y0, x1, y1 = self.extent
        n_chunks = max(1, self.count // chunk_size)
        side = math.sqrt(max((x1 - x0) * (y1 - y0), 1.0) / n_chunks)
        cx = (self.bounds[:, 0] + self.bounds[:, 2]) / 2
        cy = (self.bounds[:, 1] + self.bounds[:, 3]) / 2
        ncols = int((x1 - x0) // side) + 1
        cell = ((cy - y0) // side).astype(np.int64) * ncols + ((cx - x0) // side).astype(np.int64)
        order = np.argsort(cell, kind="stable")
        _, starts = np.unique(cell[order], return_index=True)
        ends = np.r_[starts[1:], len(order)]
        ring_order = np.argsort(self.ring_poly, kind="stable")
        ring_first = np.searchsorted(self.ring_poly[ring_order], np.arange(self.count))
        ring_last = np.searchsorted(self.ring_poly[ring_order], np.arange(self.count), side="right")
        self.chunks = []
        self.chunk_rects = []
        self.chunk_polys: list[npt.NDArray[np.int64]] = []
        for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
            polys = order[a:b]
            rings = ring_order[_ranges(ring_first[polys], ring_last[polys] - ring_first[polys])]
            self.chunks.append(rings)
            self.chunk_polys.append(polys)
            bb = self.bounds[polys]
            self.chunk_rects.append(
                QRectF(float(bb[:, 0].min()), float(bb[:, 1].min()),
                       float(bb[:, 2].max() - bb[:, 0].min()), float(bb[:, 3].max() - bb[:, 1].min()))
            )
        self._paths = [None] * len(self.chunks)

    def _make_single_chunks(self) -> None:
        """One chunk per polygon (few, big polygons), bounds from the rings themselves."""
        order = np.argsort(self.ring_poly, kind="stable")
        starts = np.searchsorted(self.ring_poly[order], np.arange(self.count))
        ends = np.searchsorted(self.ring_poly[order], np.arange(self.count), side="right")
        self.chunks, self.chunk_rects, self.chunk_polys = [], [], []
        for poly, (a, b) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
            if a == b:
                continue
            rings = order[a:b]
            idx = _ranges(self.ring_start[rings], self.ring_len[rings])
            xs, ys = self.x[idx], self.y[idx]
            self.chunks.append(rings)
            self.chunk_polys.append(np.array([poly], np.int64))
            x0, y0 = float(xs.min()), float(ys.min())
            self.chunk_rects.append(QRectF(x0, y0, float(xs.max()) - x0, float(ys.max()) - y0))
        self._paths = [None] * len(self.chunks)

    def set_classes(self, classes: npt.ArrayLike) -> None:
        """The fill class of every polygon (an int each); paths are rebuilt when next drawn."""
        self.classes = np.asarray(classes, np.int64)
        self._paths = [None] * len(self.chunks)

    def chunk_paths(self, i: int) -> dict[int, QPainterPath]:
        """Chunk ``i`` as one path per fill class."""
        paths = self._paths[i]
        if paths is None:
            paths = {}
            rings = self.chunks[i]
            ring_cls = self.classes[self.ring_poly[rings]]
            for cls in np.unique(ring_cls).tolist():
                sel = rings[ring_cls == cls]
                idx = _ranges(self.ring_start[sel], self.ring_len[sel])
                connect = np.ones(len(idx), dtype=bool)
                connect[np.cumsum(self.ring_len[sel]) - 1] = False
                paths[int(cls)] = pg.arrayToQPath(self.x[idx], self.y[idx], connect=connect, finiteCheck=False)
            self._paths[i] = paths
        return paths

    @property
    def label_x(self) -> npt.NDArray[np.float64]:
        return self._label_points()[0]

    @property
    def label_y(self) -> npt.NDArray[np.float64]:
        return self._label_points()[1]

    def _label_points(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """A point inside each polygon (computed on first use: labels are for close zoom)."""
        if self._labels is None:
            if self.count:
                rp = shapely.point_on_surface(self._geoms)
                lx, ly = self._project(shapely.get_x(rp), shapely.get_y(rp))
                self._labels = (np.asarray(lx, np.float64), np.asarray(ly, np.float64))
            else:
                self._labels = (np.zeros(0), np.zeros(0))
        return self._labels

    def simplified(self, tolerance_m: float) -> PolygonSet:
        """This set with its outlines simplified to ``tolerance_m`` metres (for far zooms),
        same polygons, same classes; cached per tolerance."""
        lod = self._lod.get(tolerance_m)
        if lod is None:
            x, y = self.x, self.y
            owner = np.repeat(np.arange(len(self.ring_len)), self.ring_len)
            rings = shapely.linearrings(np.column_stack([x, y]), indices=owner)
            simple = shapely.simplify(rings, tolerance_m, preserve_topology=False)
            ok = shapely.get_num_coordinates(simple) >= 4
            lod = PolygonSet.__new__(PolygonSet)
            lod.__dict__.update(self.__dict__)
            coords, coord_ring = shapely.get_coordinates(simple[ok], return_index=True)
            lod.x = np.ascontiguousarray(coords[:, 0])
            lod.y = np.ascontiguousarray(coords[:, 1])
            lod.ring_len = np.bincount(coord_ring, minlength=int(ok.sum())).astype(np.int64)
            lod.ring_start = np.r_[0, np.cumsum(lod.ring_len)[:-1]].astype(np.int64)
            lod.ring_poly = self.ring_poly[ok]
            lod._lod = {}
            lod._make_chunks(self._chunk_size)
            lod.classes = self.classes
            self._lod[tolerance_m] = lod
        elif lod.classes is not self.classes:
            lod.set_classes(self.classes)
        return lod

    def typical_size_m(self) -> float:
        """The median size (square root of the bounding-box area) of the polygons, metres."""
        if self._typical_m is None:
            w = self.bounds[:, 2] - self.bounds[:, 0]
            h = self.bounds[:, 3] - self.bounds[:, 1]
            self._typical_m = float(np.median(np.sqrt(np.maximum(w * h, 0.0)))) if self.count else 0.0
        return self._typical_m

    def chunks_in(self, rect: QRectF) -> list[int]:
        return [i for i, r in enumerate(self.chunk_rects) if r.intersects(rect)]

    def polygons_in(self, rect: QRectF) -> npt.NDArray[np.int64]:
        b = self.bounds
        m = (b[:, 2] >= rect.left()) & (b[:, 0] <= rect.right()) & (b[:, 3] >= rect.top()) & (b[:, 1] <= rect.bottom())
        return np.nonzero(m)[0]

