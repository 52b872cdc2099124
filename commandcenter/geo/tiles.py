"""Web Mercator tile arithmetic (the XYZ / "slippy map" scheme), no Qt.

Tile (z, x, y) covers a square of ``world_size / 2**z`` metres; x grows eastwards from
-180°, y grows *southwards* from the top (85.05°N) -- the scheme of OSM and of every web
map.  MBTiles files store rows the other way round (TMS: row 0 at the bottom); see
:func:`xyz_to_tms_row`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from .transform import MERCATOR_HALF_WORLD, lonlat_to_mercator

WORLD_SIZE_M = 2.0 * MERCATOR_HALF_WORLD
TILE_PX = 256


def tile_size_m(z: int) -> float:
    """The width (= height) of one tile of zoom ``z`` in Web Mercator metres."""
    return WORLD_SIZE_M / (1 << z)


def xyz_to_tms_row(z: int, y: int) -> int:
    """The TMS row (MBTiles ``tile_row``) of XYZ row ``y`` at zoom ``z``; its own inverse."""
    return (1 << z) - 1 - y


tms_to_xyz_row = xyz_to_tms_row


def tile_bounds_m(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """(xmin, ymin, xmax, ymax) of XYZ tile (z, x, y) in Web Mercator metres."""
    s = tile_size_m(z)
    x0 = -MERCATOR_HALF_WORLD + x * s
    y1 = MERCATOR_HALF_WORLD - y * s
    return x0, y1 - s, x0 + s, y1


def tile_of_m(z: int, mx: float, my: float) -> tuple[int, int]:
    """The XYZ tile (x, y) of zoom ``z`` containing the Mercator point (clamped to the world)."""
    n = 1 << z
    s = tile_size_m(z)
    x = math.floor((mx + MERCATOR_HALF_WORLD) / s)
    y = math.floor((MERCATOR_HALF_WORLD - my) / s)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def tiles_in_rect_m(z: int, xmin: float, ymin: float, xmax: float, ymax: float) -> Iterator[tuple[int, int]]:
    """The XYZ tiles (x, y) of zoom ``z`` that intersect the Mercator rectangle."""
    x0, y0 = tile_of_m(z, xmin, ymax)
    x1, y1 = tile_of_m(z, xmax, ymin)
    for y in range(y0, y1 + 1):
        for x in range(x0, x1 + 1):
            yield x, y


def tiles_in_lonlat_bounds(z: int, bounds: tuple[float, float, float, float]) -> Iterator[tuple[int, int]]:
    """The XYZ tiles of zoom ``z`` covering (west, south, east, north) in degrees."""
    w, s, e, n = bounds
    xmin, ymin = lonlat_to_mercator(w, s)
    xmax, ymax = lonlat_to_mercator(e, n)
    return tiles_in_rect_m(z, xmin, ymin, xmax, ymax)


def zoom_for_resolution(m_per_px: float, max_zoom: int = 22) -> int:
    """The smallest zoom whose tiles, drawn at ``m_per_px``, are not magnified (crisp)."""
    if m_per_px <= 0:
        return max_zoom
    z = math.ceil(math.log2(WORLD_SIZE_M / (TILE_PX * m_per_px)) - 1e-9)
    return max(0, min(max_zoom, z))
