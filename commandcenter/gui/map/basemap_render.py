"""Renders the demo county's offline basemap (an MBTiles file) with QPainter.

Everything comes from the demo county's own vector data (``sim.geometry``): the land
inside the real county outline, coloured by its villages (built-up 社区 of the 街道,
farmland and wooded hills elsewhere), the village and township outlines, and a
synthetic but plausible 富春江 / 分水江 and road network joining the township seats.
The tiles are Web Mercator XYZ (256 px PNG), stored in TMS row order, drawn in WGS-84
(``datum`` = WGS-84).  ``scripts/build_demo_basemap.py`` calls :func:`build_demo_basemap`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QImage,
    QImageWriter,
    QPainter,
    QPainterPath,
    QPen,
    QTransform,
)

from ...geo.geojson import to_shape
from ...geo.mbtiles import write_mbtiles
from ...geo.tiles import TILE_PX, tile_bounds_m, tiles_in_lonlat_bounds
from ...geo.transform import lonlat_to_mercator, lonlat_to_mercator_array
from ...sim.basemap_data import ATTRIBUTION, DESCRIPTION, NAME, is_urban
from ...sim.geometry import TOWNSHIPS, DemoGeometry, build_demo_geometry

# (lon, lat) WGS-84: synthetic courses through the real county seat and valleys
FUCHUN = [(119.42, 29.58), (119.50, 29.625), (119.575, 29.665), (119.63, 29.725), (119.665, 29.772),
          (119.695, 29.792), (119.74, 29.805), (119.79, 29.83), (119.85, 29.865), (119.93, 29.905),
          (120.02, 29.95)]
FENSHUI = [(119.18, 29.97), (119.27, 29.93), (119.35, 29.935), (119.42, 29.925), (119.49, 29.905),
           (119.55, 29.875), (119.60, 29.85), (119.645, 29.825), (119.675, 29.81), (119.692, 29.795)]

OUTSIDE = QColor("#e4e7e1")
URBAN = QColor("#efe6d8")
FARM = QColor("#e9efd4")
FOREST = QColor("#cfe1bf")
HILL = QColor("#bcd6ab")
WATER = QColor("#a9cbe8")
ROAD = QColor("#ffffff")
ROAD_CASE = QColor("#d9b26f")
MAJOR_ROAD = QColor("#fbd38d")


def _path(coords: Sequence[tuple[float, float]] | np.ndarray, close: bool) -> QPainterPath:
    arr = np.asarray(coords, dtype=np.float64)
    x, y = lonlat_to_mercator_array(arr[:, 0], arr[:, 1])
    p = QPainterPath(QPointF(float(x[0]), float(y[0])))
    for i in range(1, len(x)):
        p.lineTo(float(x[i]), float(y[i]))
    if close:
        p.closeSubpath()
    return p


def _smooth(coords: Sequence[tuple[float, float]]) -> QPainterPath:
    """A smooth curve through the midpoints of the polyline (quadratic Béziers)."""
    pts = [QPointF(*lonlat_to_mercator(*c)) for c in coords]
    p = QPainterPath(pts[0])
    for i in range(1, len(pts) - 1):
        mid = (pts[i] + pts[i + 1]) / 2
        p.quadTo(pts[i], mid)
    p.lineTo(pts[-1])
    return p


def _geom_path(geometry: dict) -> QPainterPath:
    shape = to_shape(geometry)
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    polys = list(getattr(shape, "geoms", [shape]))
    for poly in polys:
        for ring in [poly.exterior, *poly.interiors]:
            path.addPath(_path(np.asarray(ring.coords), close=True))
    return path


class DemoBasemap:
    """The demo county's cartography, ready to draw any tile."""

    def __init__(self, geo: DemoGeometry) -> None:
        self.geo = geo
        self.county = _geom_path(geo.county.geometry)
        self.townships = [_geom_path(u.geometry) for u in geo.townships]
        self.villages: list[tuple[QPainterPath, QColor, str, QPointF]] = []
        rng = np.random.default_rng(330122)
        for u in geo.villages:
            urban = is_urban(geo, u)
            base = URBAN if urban else (FARM, FOREST, HILL)[int(rng.integers(0, 3))]
            col = QColor(base)
            col = col.lighter(int(97 + rng.integers(0, 6)))
            rp = to_shape(u.geometry).representative_point()
            self.villages.append((_geom_path(u.geometry), col, u.name, QPointF(*lonlat_to_mercator(rp.x, rp.y))))
        self.rivers = [(_smooth(FUCHUN), 420.0), (_smooth(FENSHUI), 170.0)]
        seat = (119.688, 29.800)
        self.major_roads = [_smooth([seat, (119.64, 29.76), (119.60, 29.70), (119.52, 29.64)]),
                            _smooth([seat, (119.75, 29.83), (119.83, 29.875), (119.95, 29.93)]),
                            _smooth([seat, (119.66, 29.84), (119.60, 29.90), (119.50, 29.92), (119.42, 29.93),
                                     (119.30, 29.905)])]
        # local roads: a spanning tree over the township seats (Prim), from the county seat
        seats = [seat] + [(t.lon, t.lat) for t in TOWNSHIPS]
        done, todo = [0], list(range(1, len(seats)))
        self.roads = []
        while todo:
            i, j = min(((i, j) for i in done for j in todo),
                       key=lambda ij: math.dist(seats[ij[0]], seats[ij[1]]))
            (ax, ay), (bx, by) = seats[i], seats[j]
            bend = 0.15 * math.sin(7.0 * (ax + by))
            mid = ((ax + bx) / 2 - bend * (by - ay), (ay + by) / 2 + bend * (bx - ax))
            self.roads.append(_smooth([seats[i], mid, seats[j]]))
            done.append(j)
            todo.remove(j)
        self.bounds = self._bounds()

    def _bounds(self) -> tuple[float, float, float, float]:
        b = to_shape(self.geo.county.geometry).bounds
        return (b[0] - 0.02, b[1] - 0.02, b[2] + 0.02, b[3] + 0.02)

    def draw(self, p: QPainter, z: int, m_per_px: float) -> None:
        """Draw everything in map metres (the painter maps metres to pixels)."""
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)

        def px(w: float) -> QPen:
            return QPen(QColor(0, 0, 0), w * m_per_px)

        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QBrush(OUTSIDE))
        p.drawRect(QRectF(-2.1e7, -2.1e7, 4.2e7, 4.2e7))
        p.save()
        p.setClipPath(self.county)
        for path, col, _, _ in self.villages:
            p.setBrush(QBrush(col))
            p.drawPath(path)
        p.restore()
        # rivers: true width in metres, at least a couple of pixels
        p.setBrush(Qt.BrushStyle.NoBrush)
        for path, width in self.rivers:
            pen = QPen(WATER, max(width, 2.5 * m_per_px))
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            p.setPen(pen)
            p.drawPath(path)
        # roads
        if z >= 10:
            for paths, fill, w in ((self.major_roads, MAJOR_ROAD, 4.0 if z >= 12 else 2.5),
                                   (self.roads, ROAD, 3.0 if z >= 12 else 1.6)):
                case = px(w + 1.6)
                case.setColor(ROAD_CASE)
                case.setCapStyle(Qt.PenCapStyle.RoundCap)
                inner = px(w)
                inner.setColor(fill)
                inner.setCapStyle(Qt.PenCapStyle.RoundCap)
                for pen in (case, inner):
                    p.setPen(pen)
                    for path in paths:
                        p.drawPath(path)
        # village outlines (dotted) and names at close zoom
        if z >= 12:
            pen = px(0.8)
            pen.setColor(QColor(120, 120, 110, 150))
            pen.setStyle(Qt.PenStyle.DotLine)
            p.setPen(pen)
            for path, _, _, _ in self.villages:
                p.drawPath(path)
        if z >= 13:
            font = QFont()
            font.setPixelSize(11)
            for _, _, name, at in self.villages:
                p.save()
                p.translate(at)
                p.scale(m_per_px, -m_per_px)  # text upright, in pixels
                text = QPainterPath()
                text.addText(QPointF(-len(name) * 6.0, 20.0), font, name)
                p.setPen(QPen(QColor(255, 255, 255, 220), 3))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawPath(text)
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QColor("#6b5b45"))
                p.drawPath(text)
                p.restore()

    def render_tile(self, z: int, x: int, y: int) -> QImage:
        x0, _y0, x1, y1 = tile_bounds_m(z, x, y)
        s = TILE_PX / (x1 - x0)
        img = QImage(TILE_PX, TILE_PX, QImage.Format.Format_RGB32)
        img.fill(OUTSIDE)
        p = QPainter(img)
        p.setTransform(QTransform(s, 0.0, 0.0, -s, -x0 * s, y1 * s))  # PNG row 0 = north
        self.draw(p, z, 1.0 / s)
        p.end()
        return img

    def tiles(self, zooms: Sequence[int]) -> Iterator[tuple[int, int, int]]:
        for z in zooms:
            for x, y in tiles_in_lonlat_bounds(z, self.bounds):
                yield z, x, y


def png_bytes(img: QImage, color_table: Sequence[int] | None = None) -> bytes:
    """PNG bytes of the image; with ``color_table`` (ARGB ints) as 8-bit indexed colour,
    each pixel mapped to its nearest table colour (~2.5x smaller for flat map colours)."""
    if color_table is not None:
        img = img.convertToFormat(
            QImage.Format.Format_Indexed8, list(color_table), Qt.ImageConversionFlag.ThresholdDither
        )
    ba = QByteArray()
    buf = QBuffer(ba)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    QImageWriter(buf, QByteArray(b"PNG")).write(img)
    buf.close()
    return bytes(ba.data())


def palette_of(images: Sequence[QImage], size: int = 256) -> list[int]:
    """The ``size`` most frequent colours of the images (ARGB ints)."""
    counts: dict[int, int] = {}
    for img in images:
        img = img.convertToFormat(QImage.Format.Format_RGB32)
        raw = np.frombuffer(img.constBits(), dtype=np.uint32, count=img.width() * img.height())
        vals, n = np.unique(raw, return_counts=True)
        for v, k in zip(vals.tolist(), n.tolist(), strict=True):
            counts[v] = counts.get(v, 0) + k
    return [int(v) for v, _ in sorted(counts.items(), key=lambda kv: -kv[1])[:size]]


def build_demo_basemap(
    out: str | Path,
    zooms: Sequence[int] = tuple(range(9, 15)),
    geo: DemoGeometry | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Render the demo basemap to an MBTiles file; returns the number of tiles."""
    bm = DemoBasemap(geo or build_demo_geometry())
    keys = list(bm.tiles(zooms))
    w, s, e, n = bm.bounds

    table = palette_of([bm.render_tile(*k) for k in keys[:: max(1, len(keys) // 60)]])

    def gen() -> Iterator[tuple[int, int, int, bytes]]:
        for i, (z, x, y) in enumerate(keys):
            yield z, x, y, png_bytes(bm.render_tile(z, x, y), table)
            if progress is not None:
                progress(i + 1, len(keys))

    meta = {
        "name": NAME,
        "description": DESCRIPTION,
        "format": "png",
        "type": "baselayer",
        "version": "1",
        "bounds": f"{w:.5f},{s:.5f},{e:.5f},{n:.5f}",
        "center": f"119.69,29.80,{min(max(zooms), 11)}",
        "minzoom": str(min(zooms)),
        "maxzoom": str(max(zooms)),
        "datum": "WGS-84",
        "attribution": ATTRIBUTION,
    }
    return write_mbtiles(out, gen(), meta)
