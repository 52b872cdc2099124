"""Geography without Qt: datums (WGS-84 <-> GCJ-02), projections (Web Mercator, an
equal-area projection for areas), GeoJSON reading/writing and shapely helpers.

All coordinates the project stores are WGS-84 longitude/latitude in degrees.
"""

from __future__ import annotations

from .transform import (
    gcj02_to_wgs84,
    gcj02_to_wgs84_array,
    gcj02_to_wgs84_geometry,
    haversine_m,
    lonlat_to_mercator,
    lonlat_to_mercator_array,
    mercator_to_lonlat,
    mercator_to_lonlat_array,
    out_of_china,
    transform_geometry,
    wgs84_to_gcj02,
    wgs84_to_gcj02_array,
    wgs84_to_gcj02_geometry,
)

__all__ = [
    "gcj02_to_wgs84",
    "gcj02_to_wgs84_array",
    "gcj02_to_wgs84_geometry",
    "haversine_m",
    "lonlat_to_mercator",
    "lonlat_to_mercator_array",
    "mercator_to_lonlat",
    "mercator_to_lonlat_array",
    "out_of_china",
    "transform_geometry",
    "wgs84_to_gcj02",
    "wgs84_to_gcj02_array",
    "wgs84_to_gcj02_geometry",
]
