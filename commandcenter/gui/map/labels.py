"""Names on the map: townships (and the county) always, grid codes/names at close zoom.

Drawn in device pixels in one item (text does not scale with the map), with a halo, at
most ``MAX_LABELS`` per frame, skipping labels that would overlap ones already drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QWidget

MAX_LABELS = 250


@dataclass
class LabelGroup:
    name: str
    x: np.ndarray
    y: np.ndarray
    texts: list[str]
    max_m_per_px: float  # shown only when zoomed in at least this far
    min_m_per_px: float = 0.0  # and not closer than this
    pixel_size: int = 13
    bold: bool = False
    color: str = "#111827"
    halo: str = "#ffffff"
    visible: bool = True
    lazy: Callable[[], tuple[np.ndarray, np.ndarray]] | None = None  # x, y computed when first shown
    extent: tuple[float, float, float, float] | None = None  # of a lazy group


class LabelLayer(pg.GraphicsObject):
    def __init__(self) -> None:
        super().__init__()
        self.groups: dict[str, LabelGroup] = {}
        self._rect = QRectF()
        self._cache: dict[tuple[str, str], QPixmap] = {}
        self.setZValue(15)

    def set_group(self, group: LabelGroup) -> None:
        self.prepareGeometryChange()
        self.groups[group.name] = group
        rect = QRectF()
        for g in self.groups.values():
            if g.lazy is None and len(g.x):
                rect = rect.united(QRectF(float(g.x.min()), float(g.y.min()),
                                          float(np.ptp(g.x)) + 1, float(np.ptp(g.y)) + 1))
        self._rect = rect.adjusted(-5000, -5000, 5000, 5000) if not rect.isEmpty() else QRectF()
        if group.lazy is not None and group.extent is not None:
            x0, y0, x1, y1 = group.extent
            self._rect = self._rect.united(QRectF(x0, y0, x1 - x0, y1 - y0))
        self.update()

    def set_visible(self, name: str, visible: bool) -> None:
        if name in self.groups:
            self.groups[name].visible = visible
            self.update()

    def _pixmap(self, g: LabelGroup, text: str, font: QFont) -> QPixmap:
        """The label drawn once (text with its halo) and reused: a blit is ~20x cheaper
        than stroking the text outline every frame."""
        key = (g.name, text)
        pm = self._cache.get(key)
        if pm is None:
            if len(self._cache) > 4000:
                self._cache.clear()
            fm = QFontMetricsF(font)
            lines = text.split("\n")
            w = max(fm.horizontalAdvance(s) for s in lines) + 6
            h = fm.height() * len(lines) + 4
            pm = QPixmap(int(w + 1), int(h + 1))
            pm.fill(Qt.GlobalColor.transparent)
            p = QPainter(pm)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            path = QPainterPath()
            for k, s in enumerate(lines):
                sw = fm.horizontalAdvance(s)
                path.addText(QPointF((w - sw) / 2, 2 + fm.ascent() + k * fm.height()), font, s)
            pen = QPen(QColor(g.halo), 3.0)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            p.strokePath(path, pen)
            p.fillPath(path, QColor(g.color))
            p.end()
            self._cache[key] = pm
        return pm

    def clear_cache(self) -> None:
        self._cache.clear()
        self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(self._rect)

    def paint(self, painter: QPainter, option: Any, widget: QWidget | None = None) -> None:
        vb = self.getViewBox()
        if vb is None:
            return
        view = vb.viewRect()
        t = painter.transform()
        m_per_px = 1.0 / (abs(t.m11()) or 1.0)
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        taken: list[QRectF] = []
        drawn = 0
        for g in sorted(self.groups.values(), key=lambda g: -g.pixel_size):
            if not g.visible or not (g.min_m_per_px <= m_per_px <= g.max_m_per_px):
                continue
            if g.lazy is not None:
                g.x, g.y = g.lazy()
                g.lazy = None
            if not len(g.x):
                continue
            inside = np.nonzero(
                (g.x >= view.left()) & (g.x <= view.right()) & (g.y >= view.top()) & (g.y <= view.bottom())
            )[0]
            font = QFont(painter.font())
            font.setPixelSize(g.pixel_size)
            font.setBold(g.bold)
            for i in inside[: MAX_LABELS * 2].tolist():
                if drawn >= MAX_LABELS:
                    break
                pm = self._pixmap(g, g.texts[i], font)
                px = t.m11() * g.x[i] + t.m21() * g.y[i] + t.dx()
                py = t.m12() * g.x[i] + t.m22() * g.y[i] + t.dy()
                box = QRectF(px - pm.width() / 2, py - pm.height() / 2, pm.width(), pm.height())
                if any(box.intersects(r) for r in taken):
                    continue
                taken.append(box)
                painter.drawPixmap(int(box.left()), int(box.top()), pm)
                drawn += 1
        painter.restore()
