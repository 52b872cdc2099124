"""Layers drawn through a cache of 256-px tiles in the Web Mercator (XYZ) pyramid.

A pan or a zoom inside one tile level only re-blits cached images.  Tiles that are not
cached yet are rendered within a per-frame time budget; the rest show their parent (or
children) scaled as a placeholder and are finished in the next frames, so no single
repaint takes long even for the province's 109,000 grids.

Tile images are stored with row 0 at the *south* edge (the view's y axis points north),
so each is drawn with one ``drawImage`` into its rectangle in map metres.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPen, QTransform
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from ...geo.tiles import TILE_PX, WORLD_SIZE_M, tile_bounds_m, tiles_in_rect_m
from .polygons import PolygonSet

TileKey = tuple[int, int, int]
SPLAT_BELOW_PX = 3.0  # polygons smaller than this are drawn as coloured squares
FIRST_FRAME_BUDGET_S = 1.0  # a frame with nothing to show renders up to this long
LOD_MAX_ZOOM = 13  # up to this tile zoom, detailed outlines are drawn simplified
LOD_MIN_VERTICES_PER_POLYGON = 50  # ...when they are detailed (boundaries; not the grids)


def tile_rect(z: int, x: int, y: int) -> QRectF:
    x0, y0, x1, y1 = tile_bounds_m(z, x, y)
    return QRectF(x0, y0, x1 - x0, y1 - y0)


def tile_transform(z: int, x: int, y: int, size: int = TILE_PX) -> QTransform:
    """Map metres -> pixels of tile (z, x, y), row 0 at the tile's south edge."""
    x0, y0, x1, _ = tile_bounds_m(z, x, y)
    s = size / (x1 - x0)
    return QTransform(s, 0.0, 0.0, s, -x0 * s, -y0 * s)


class TiledLayer(pg.GraphicsObject):
    """Base class: subclasses implement :meth:`render_tile`."""

    def __init__(self, *, max_zoom: int = 20, cache_tiles: int = 192, budget_ms: float = 8.0) -> None:
        super().__init__()
        self.max_zoom = max_zoom
        self.min_zoom = 0
        self.cache_tiles = cache_tiles
        self.budget_s = budget_ms / 1000.0
        self._cache: OrderedDict[TileKey, QImage | None] = OrderedDict()
        self._extent = QRectF()
        self._generation = 0
        self.pending = False  # tiles in view still to render
        self.force_complete = False  # render every missing tile in this frame (benchmarks, screenshots)
        self.last_zoom = 0
        self.setFlag(self.GraphicsItemFlag.ItemUsesExtendedStyleOption)

    # --- for subclasses ----------------------------------------------------------------

    def render_tile(self, painter: QPainter, z: int, x: int, y: int, rect: QRectF) -> bool:
        """Draw tile (z, x, y) covering ``rect`` (metres) with ``painter`` in metres; False: empty."""
        raise NotImplementedError

    def tile_zoom(self, m_per_px: float) -> int:
        """The tile level for this resolution: the nearest in log scale, so tiles are drawn
        at 0.71x-1.41x (a quarter of the tiles of never-magnified ones, a little softer)."""
        z = round(math.log2(WORLD_SIZE_M / (TILE_PX * m_per_px))) if m_per_px > 0 else self.max_zoom
        return max(self.min_zoom, min(self.max_zoom, z))

    # --- cache ---------------------------------------------------------------------------

    def set_extent(self, rect: QRectF) -> None:
        self.prepareGeometryChange()
        self._extent = QRectF(rect)
        self.invalidate()

    def invalidate(self) -> None:
        self._cache.clear()
        self._generation += 1
        self.update()

    def cached_tiles(self) -> int:
        return sum(1 for v in self._cache.values() if v is not None)

    def _render(self, key: TileKey) -> QImage | None:
        z, x, y = key
        img = QImage(TILE_PX, TILE_PX, QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(0)
        p = QPainter(img)
        p.setTransform(tile_transform(z, x, y))
        try:
            drawn = self.render_tile(p, z, x, y, tile_rect(z, x, y))
        finally:
            p.end()
        return img if drawn else None

    def _store(self, key: TileKey, img: QImage | None) -> None:
        self._cache[key] = img
        self._cache.move_to_end(key)
        while len(self._cache) > self.cache_tiles:
            self._cache.popitem(last=False)

    # --- QGraphicsItem -------------------------------------------------------------------

    def boundingRect(self) -> QRectF:
        return QRectF(self._extent)

    def visible_rect(self, painter: QPainter, option: QStyleOptionGraphicsItem | None) -> QRectF:
        vb = self.getViewBox()
        rect = vb.viewRect() if vb is not None else (option.exposedRect if option is not None else self._extent)
        return QRectF(rect).intersected(self._extent)

    def paint(self, painter: QPainter, option: Any, widget: QWidget | None = None) -> None:
        rect = self.visible_rect(painter, option)
        if rect.isEmpty():
            return
        scale = abs(painter.transform().m11()) or 1.0
        z = self.tile_zoom(1.0 / scale)
        self.last_zoom = z
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        start = time.perf_counter()
        pending = False
        missing: list[TileKey] = []
        shown = 0
        for x, y in tiles_in_rect_m(z, rect.left(), rect.top(), rect.right(), rect.bottom()):
            key = (z, x, y)
            if key in self._cache:
                self._cache.move_to_end(key)
                img = self._cache[key]
                shown += 1
                if img is not None:
                    painter.drawImage(tile_rect(*key), img)
            else:
                missing.append(key)
        # nothing to show yet (the first frame, a jump): no placeholders either, so rather
        # finish the frame at once than show an empty map for several frames
        blank = shown == 0 and not any(self._has_placeholder(k) for k in missing)
        deadline = start + (FIRST_FRAME_BUDGET_S if blank else self.budget_s)
        for n, key in enumerate(missing):
            # at least one tile a frame, however long the cached ones took to draw
            if self.force_complete or n == 0 or time.perf_counter() < deadline:
                img = self._render(key)
                self._store(key, img)
                if img is not None:
                    painter.drawImage(tile_rect(*key), img)
            else:
                pending = True
                self._draw_placeholder(painter, key)
        self.pending = pending
        if pending:
            QTimer.singleShot(0, self.update)

    def _has_placeholder(self, key: TileKey) -> bool:
        z, x, y = key
        if z > 0 and self._cache.get((z - 1, x // 2, y // 2)) is not None:
            return True
        return any(self._cache.get((z + 1, 2 * x + dx, 2 * y + dy)) is not None for dx in (0, 1) for dy in (0, 1))

    def _draw_placeholder(self, painter: QPainter, key: TileKey) -> None:
        z, x, y = key
        parent = self._cache.get((z - 1, x // 2, y // 2)) if z > 0 else None
        if parent is not None:
            half = TILE_PX / 2
            src = QRectF((x % 2) * half, 0.0 if y % 2 else half, half, half)
            painter.drawImage(tile_rect(*key), parent, src)
            return
        for dy in (0, 1):
            for dx in (0, 1):
                child = (z + 1, 2 * x + dx, 2 * y + dy)
                img = self._cache.get(child)
                if img is not None:
                    painter.drawImage(tile_rect(*child), img)


# --- vector layers (grids, boundaries) --------------------------------------------------


class PolygonStyle:
    """How one PolygonSet is drawn: a brush per fill class and an outline pen."""

    def __init__(
        self,
        fills: dict[int, QColor] | None = None,
        outline: QColor | None = None,
        width_px: float = 1.0,
        min_outline_px: float = 6.0,
    ) -> None:
        self.fills = fills or {}
        self.outline = outline
        self.width_px = width_px
        self.min_outline_px = min_outline_px  # no outlines while polygons are smaller than this


class VectorTileLayer(TiledLayer):
    """Several polygon sets (grids, then boundaries on top) rendered into shared tiles."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self._sets: list[tuple[str, PolygonSet, PolygonStyle]] = []
        self._hidden: set[str] = set()

    def set_polygons(self, name: str, polys: PolygonSet | None, style: PolygonStyle | None = None) -> None:
        self._sets = [s for s in self._sets if s[0] != name]
        if polys is not None and polys.count:
            self._sets.append((name, polys, style or PolygonStyle()))
            self._sets.sort(key=lambda s: _ORDER.get(s[0], 50))
        self._update_extent()

    def polygons(self, name: str) -> PolygonSet | None:
        return next((p for n, p, _ in self._sets if n == name), None)

    def set_style(self, name: str, style: PolygonStyle) -> None:
        self._sets = [(n, p, style if n == name else s) for n, p, s in self._sets]
        self.invalidate()

    def set_part_visible(self, name: str, visible: bool) -> None:
        if visible:
            self._hidden.discard(name)
        else:
            self._hidden.add(name)
        self.invalidate()

    def _update_extent(self) -> None:
        rect = QRectF()
        for _, p, _ in self._sets:
            x0, y0, x1, y1 = p.extent
            rect = rect.united(QRectF(x0, y0, x1 - x0, y1 - y0))
        self.set_extent(rect)

    def render_tile(self, painter: QPainter, z: int, x: int, y: int, rect: QRectF) -> bool:
        m_per_px = rect.width() / TILE_PX
        # a tile's neighbours' outlines may spill over: widen the query by a few pixels
        query = rect.adjusted(-4 * m_per_px, -4 * m_per_px, 4 * m_per_px, 4 * m_per_px)
        drawn = False
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, z >= 11)
        for name, polys, style in self._sets:
            if name in self._hidden:
                continue
            if z <= LOD_MAX_ZOOM and len(polys.x) > LOD_MIN_VERTICES_PER_POLYGON * polys.count:
                polys = polys.simplified(m_per_px * 0.5)  # detailed outlines, far away: half a pixel
            typical = polys.typical_size_m() / m_per_px
            if typical < SPLAT_BELOW_PX and style.fills:
                drawn = self._splat(painter, polys, style, rect, m_per_px, typical) or drawn
                continue
            chunks = polys.chunks_in(query)
            if not chunks:
                continue
            pen = QPen(Qt.PenStyle.NoPen)
            if style.outline is not None and typical >= style.min_outline_px:
                pen = QPen(style.outline, style.width_px)
                pen.setCosmetic(True)
            painter.setPen(pen)
            for i in chunks:
                for cls, path in polys.chunk_paths(i).items():
                    color = style.fills.get(cls)
                    if color is None and pen.style() == Qt.PenStyle.NoPen:
                        continue
                    painter.setBrush(QBrush(color) if color is not None else Qt.BrushStyle.NoBrush)
                    painter.drawPath(path)
                    drawn = True
        return drawn


    @staticmethod
    def _splat(
        painter: QPainter, polys: PolygonSet, style: PolygonStyle, rect: QRectF, m_per_px: float, typical: float
    ) -> bool:
        """Polygons of a pixel or two: each one a square of its fill colour at its centre,
        written with numpy (~1 ms a tile, where 10,000 tiny paths take ~30 ms)."""
        idx = polys.polygons_in(rect)
        if not len(idx):
            return False
        b = polys.bounds[idx]
        col = np.floor(((b[:, 0] + b[:, 2]) / 2 - rect.left()) / m_per_px).astype(np.int64)
        row = np.floor(((b[:, 1] + b[:, 3]) / 2 - rect.top()) / m_per_px).astype(np.int64)
        argb = np.zeros(len(idx), np.uint32)
        for cls, color in style.fills.items():
            a = color.alpha()
            if a == 0:
                continue
            pm = (a << 24) | ((color.red() * a // 255) << 16) | ((color.green() * a // 255) << 8) | (color.blue() * a // 255)
            argb[polys.classes[idx] == cls] = pm
        keep = argb != 0
        if not keep.any():
            return False
        col, row, argb = col[keep], row[keep], argb[keep]
        size = max(1, round(typical))
        buf = np.zeros((TILE_PX, TILE_PX), np.uint32)
        lo = -(size // 2)
        for dr in range(lo, lo + size):
            for dc in range(lo, lo + size):
                r, c = row + dr, col + dc
                ok = (r >= 0) & (r < TILE_PX) & (c >= 0) & (c < TILE_PX)
                buf[r[ok], c[ok]] = argb[ok]
        img = QImage(buf.data, TILE_PX, TILE_PX, TILE_PX * 4, QImage.Format.Format_ARGB32_Premultiplied)
        painter.save()
        painter.resetTransform()
        painter.drawImage(0, 0, img)
        painter.restore()
        return True


_ORDER = {"grids": 10, "villages": 20, "townships": 30, "county": 40}


# --- raster basemap -------------------------------------------------------------------


class BasemapLayer(TiledLayer):
    """Image tiles from a source with ``tile(z, x, y) -> bytes | None``, ``minzoom``, ``maxzoom``.

    Beyond the source's zoom range the nearest level is scaled.  ``fetch_async`` (if
    given) is called for tiles the source does not return at once (online sources);
    it must call :meth:`tile_arrived` later on the GUI thread."""

    def __init__(self, source: Any, *, background: QColor | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self.source = source
        self.min_zoom = int(getattr(source, "minzoom", 0))
        self.max_zoom = int(getattr(source, "maxzoom", 18))
        self.background = background
        self.fetch_async: Callable[[int, int, int], None] | None = None
        self.set_extent(QRectF(-2.0037508342789244e7, -2.0037508342789244e7, 4.007501668557849e7, 4.007501668557849e7))

    def tile_image(self, z: int, x: int, y: int) -> QImage | None:
        data = self.source.tile(z, x, y) if self.fetch_async is None else self.source.cached(z, x, y)
        if not data:
            if self.fetch_async is not None:
                self.fetch_async(z, x, y)
            return None
        img = QImage.fromData(data)
        if img.isNull():
            return None
        return img.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied).flipped(Qt.Orientation.Vertical)

    def tile_arrived(self) -> None:
        self.invalidate()

    def render_tile(self, painter: QPainter, z: int, x: int, y: int, rect: QRectF) -> bool:
        # tiles are requested at this layer's zoom, which is clamped to the source's range:
        # the view scales them (overzoom), so each tile maps 1:1 here
        img = self.tile_image(z, x, y)
        if img is None:
            return False
        painter.resetTransform()
        painter.drawImage(QPointF(0, 0), img)
        return True
