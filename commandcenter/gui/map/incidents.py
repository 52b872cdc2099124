"""The incidents layer: one symbol per case, or clusters when there are too many to see.

Everything is drawn by one item in one ``paint``: the points inside the view are found
with numpy, mapped to device pixels and drawn as cached symbol pixmaps (colour by status,
shape by priority, size by severity; overdue cases get a red rim).  With more than
``DETAIL_MAX`` points in view they are binned into ``CLUSTER_PX`` cells and each cell is a
disc sized by its count (red share = overdue share).  The selected case is ringed on top.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QWidget

from ...services.mapdata import STATUS_CODES, MapPoints

DETAIL_MAX = 4000  # more points than this in view: clusters
CLUSTER_PX = 52
PICK_PX = 9.0

STATUS_COLORS: dict[str, str] = {
    "reported": "#3b82f6",
    "registered": "#06b6d4",
    "dispatched": "#a855f7",
    "in_progress": "#f59e0b",
    "awaiting_check": "#10b981",
    "closed": "#9ca3af",
    "archived": "#6b7280",
    "rejected": "#4b5563",
    "merged": "#4b5563",
}
SEVERITY_PX = (9, 12, 15, 18)  # ordinary, major, serious, extreme
PRIORITY_SHAPES = ("circle", "diamond", "triangle")  # normal, urgent, critical


def symbol_path(shape: str, size: float) -> QPainterPath:
    path = QPainterPath()
    r = size / 2.0
    if shape == "diamond":
        path.addPolygon(QPolygonF([QPointF(0, -r), QPointF(r, 0), QPointF(0, r), QPointF(-r, 0), QPointF(0, -r)]))
    elif shape == "triangle":
        h = r * 1.1
        path.addPolygon(QPolygonF([QPointF(0, -h), QPointF(h, h * 0.8), QPointF(-h, h * 0.8), QPointF(0, -h)]))
    else:
        path.addEllipse(QPointF(0, 0), r, r)
    return path


def symbol_pixmap(status: str, priority: int, severity: int, overdue: bool) -> QPixmap:
    size = SEVERITY_PX[min(max(severity, 0), 3)]
    pad = 3
    pm = QPixmap(size + 2 * pad, size + 2 * pad)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.translate(pm.width() / 2, pm.height() / 2)
    pen = QPen(QColor("#dc2626") if overdue else QColor(255, 255, 255, 230), 2.2 if overdue else 1.2)
    p.setPen(pen)
    p.setBrush(QBrush(QColor(STATUS_COLORS.get(status, "#9ca3af"))))
    p.drawPath(symbol_path(PRIORITY_SHAPES[min(max(priority, 0), 2)], size))
    p.end()
    return pm


class IncidentLayer(pg.GraphicsObject):
    def __init__(self) -> None:
        super().__init__()
        self.points = MapPoints()
        self.x = np.zeros(0)
        self.y = np.zeros(0)
        self._rect = QRectF()
        self._symbols: dict[tuple[int, int, int, bool], QPixmap] = {}
        self._discs: dict[tuple[int, int], QPixmap] = {}
        self._index: dict[str, int] = {}
        self.selected: str | None = None
        self.selected_xy: tuple[float, float] | None = None
        self.mode = "auto"  # auto | points | clusters
        self.last_mode = "points"
        self.last_clusters: list[tuple[float, float, int]] = []  # (x m, y m, count) of the last frame
        self.setFlag(self.GraphicsItemFlag.ItemUsesExtendedStyleOption)
        self.setZValue(20)

    def set_points(self, points: MapPoints, x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> None:
        self.prepareGeometryChange()
        self.points = points
        self.x, self.y = np.asarray(x, np.float64), np.asarray(y, np.float64)
        self._index = {cid: i for i, cid in enumerate(points.ids)}
        if len(self.x):
            x0, x1, y0, y1 = self.x.min(), self.x.max(), self.y.min(), self.y.max()
            self._rect = QRectF(x0 - 1000, y0 - 1000, x1 - x0 + 2000, y1 - y0 + 2000)
        else:
            self._rect = QRectF()
        self._grow_for_selection()
        self.update()

    def index_of(self, case_id: str) -> int:
        return self._index.get(case_id, -1)

    def set_selected(self, case_id: str | None, xy: tuple[float, float] | None) -> None:
        self.prepareGeometryChange()
        self.selected, self.selected_xy = case_id, xy
        self._grow_for_selection()
        self.update()

    def _grow_for_selection(self) -> None:
        if self.selected_xy is not None:
            sx, sy = self.selected_xy
            self._rect = self._rect.united(QRectF(sx - 1000, sy - 1000, 2000, 2000))

    def boundingRect(self) -> QRectF:
        return QRectF(self._rect)

    # --- picking -----------------------------------------------------------------------

    def pick(self, mx: float, my: float, m_per_px: float, radius_px: float = PICK_PX) -> str | None:
        """The case whose symbol is nearest to (mx, my) metres, within ``radius_px`` pixels."""
        if not len(self.x) or self.last_mode == "clusters":
            return None
        tol = radius_px * m_per_px
        near = np.nonzero((np.abs(self.x - mx) <= tol) & (np.abs(self.y - my) <= tol))[0]
        if not len(near):
            return None
        d = np.hypot(self.x[near] - mx, self.y[near] - my)
        k = int(np.argmin(d))
        return self.points.ids[int(near[k])] if d[k] <= tol else None

    def cluster_at(self, mx: float, my: float, m_per_px: float) -> tuple[float, float, int] | None:
        best = None
        for cx, cy, n in self.last_clusters:
            r = self._cluster_radius(n) * m_per_px
            d = math.hypot(cx - mx, cy - my)
            if d <= r and (best is None or d < best[0]):
                best = (d, (cx, cy, n))
        return None if best is None else best[1]

    @staticmethod
    def _cluster_radius(n: int) -> float:
        """Grows with log(n), never wider than its cell (clusters must not hide the map)."""
        return min(CLUSTER_PX / 2 - 3, 8.0 + 2.0 * math.log2(max(n, 1)))

    # --- painting ------------------------------------------------------------------------

    def _symbol(self, s: int, p: int, v: int, late: bool) -> QPixmap:
        key = (s, p, v, late)
        pm = self._symbols.get(key)
        if pm is None:
            pm = self._symbols[key] = symbol_pixmap(STATUS_CODES[s], p, v, late)
        return pm

    def _disc(self, n: int, share10: int) -> QPixmap:
        """A cluster of n cases, its red share (overdue) in tenths, with its count: drawn
        once, then blitted (one drawPixmap a cluster)."""
        key = (n, share10)
        pm = self._discs.get(key)
        if pm is None:
            if len(self._discs) > 6000:
                self._discs.clear()
            r = round(self._cluster_radius(n))
            share = share10 / 10.0
            col = QColor.fromRgbF(0.23 + 0.63 * share, 0.51 - 0.36 * share, 0.96 - 0.80 * share, 0.72)
            pm = QPixmap(2 * r + 4, 2 * r + 4)
            pm.fill(Qt.GlobalColor.transparent)
            p = QPainter(pm)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setPen(QPen(QColor(255, 255, 255, 220), 1.5))
            p.setBrush(QBrush(col))
            p.drawEllipse(QPointF(r + 2, r + 2), r, r)
            font = QFont(p.font())
            font.setPixelSize(11)
            font.setBold(True)
            p.setFont(font)
            p.setPen(QColor("white"))
            p.drawText(QRectF(0, 0, pm.width(), pm.height()), Qt.AlignmentFlag.AlignCenter, str(n))
            p.end()
            self._discs[key] = pm
        return pm

    def paint(self, painter: QPainter, option: Any, widget: QWidget | None = None) -> None:
        vb = self.getViewBox()
        if vb is None:
            return
        view = vb.viewRect()
        t = painter.transform()
        m_per_px = 1.0 / (abs(t.m11()) or 1.0)
        margin = 20 * m_per_px
        x, y = self.x, self.y
        if len(x):
            inside = np.nonzero(
                (x >= view.left() - margin) & (x <= view.right() + margin)
                & (y >= view.top() - margin) & (y <= view.bottom() + margin)
            )[0]
        else:
            inside = np.zeros(0, np.int64)
        dx = t.m11() * x[inside] + t.m21() * y[inside] + t.dx()
        dy = t.m12() * x[inside] + t.m22() * y[inside] + t.dy()
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        mode = self.mode
        if mode == "auto":
            mode = "clusters" if len(inside) > DETAIL_MAX else "points"
        self.last_mode = mode
        if mode == "clusters":
            self._paint_clusters(painter, inside, dx, dy, t)
        else:
            self.last_clusters = []
            self._paint_points(painter, inside, dx, dy)
        if self.selected_xy is not None:
            sx, sy = self.selected_xy
            px = t.m11() * sx + t.m21() * sy + t.dx()
            py = t.m12() * sx + t.m22() * sy + t.dy()
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(0, 0, 0, 200), 5))
            painter.drawEllipse(QPointF(px, py), 15, 15)
            painter.setPen(QPen(QColor("#facc15"), 3))
            painter.drawEllipse(QPointF(px, py), 15, 15)
        painter.restore()

    def _paint_points(self, painter: QPainter, inside: npt.NDArray[np.int64], dx: Any, dy: Any) -> None:
        pts = self.points
        s, p, v, late = pts.status[inside], pts.priority[inside], pts.severity[inside], pts.overdue[inside]
        # big symbols first, overdue on top
        order = np.lexsort((late, -v))
        for k in order.tolist():
            pm = self._symbol(int(s[k]), int(p[k]), int(v[k]), bool(late[k]))
            painter.drawPixmap(int(dx[k]) - pm.width() // 2, int(dy[k]) - pm.height() // 2, pm)

    def _paint_clusters(self, painter: QPainter, inside: npt.NDArray[np.int64], dx: Any, dy: Any, t: Any) -> None:
        if not len(inside):
            self.last_clusters = []
            return
        cx = np.floor(dx / CLUSTER_PX).astype(np.int64)
        cy = np.floor(dy / CLUSTER_PX).astype(np.int64)
        cx -= cx.min()
        cy -= cy.min()
        key = cy * (int(cx.max()) + 1) + cx
        __, inv, counts = np.unique(key, return_inverse=True, return_counts=True)
        sx = np.bincount(inv, weights=dx) / counts
        sy = np.bincount(inv, weights=dy) / counts
        late = np.bincount(inv, weights=self.points.overdue[inside].astype(np.float64))
        inv_t, _ = t.inverted()
        order = np.argsort(counts)
        share10 = np.rint(10.0 * late / counts).astype(np.int64)
        for _i, n, sh, px, py in zip(order.tolist(), counts[order].tolist(), share10[order].tolist(),
                                    sx[order].tolist(), sy[order].tolist(), strict=True):
            pm = self._disc(n, sh)
            painter.drawPixmap(int(px) - pm.width() // 2, int(py) - pm.height() // 2, pm)
        # cluster centres back in metres (for clicks on a cluster)
        mx = inv_t.m11() * sx + inv_t.m21() * sy + inv_t.dx()
        my = inv_t.m12() * sx + inv_t.m22() * sy + inv_t.dy()
        self.last_clusters = list(zip(mx.tolist(), my.tolist(), counts.tolist(), strict=True))
