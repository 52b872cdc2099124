"""The wall's map panel: the operators' map widget (gui/map) without its legend or
mouse tools, showing every open case of the county and the grids filled by open load.

It re-reads the points and the grid load at most every ``RELOAD_S`` seconds, on the
wall's own refresh, so a flood of changes costs one SQL read (~0.1 s on 1M cases) per
interval. The map shows codes, categories and places only, never personal data.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QWidget

from ...services import mapdata
from ...services.queries import QueueFilter
from ...services.workspace import Workspace
from ..map.link import open_default_basemap
from ..map.widget import MapWidget
from .panels import Panel, _font

log = logging.getLogger(__name__)

RELOAD_S = 10.0


class WallMapPanel(Panel):
    def __init__(self, title: str, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setObjectName("wallMap")
        self.ws = workspace
        self.map = MapWidget(self)
        self.map.setObjectName("wallMapWidget")
        self.map.legendScroll.hide()  # the room reads the colours; nobody clicks the wall
        self.map.set_dark(True)
        self.map.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.body.addWidget(self.map, 1)
        self.note = QLabel(self)
        self.note.setObjectName("wallMapNote")
        self.body.addWidget(self.note)
        self._loaded_at = 0.0
        try:
            self.map.set_basemap(open_default_basemap())
            with self.ws.read() as conn:
                shapes = mapdata.org_shapes(conn, ("county", "township", "grid"))
            self.map.set_org(shapes, self.ws.county_code)
        except Exception:  # a missing basemap or outline must not take the wall down
            log.exception("wall map: could not load the basemap or the outlines")

    def set_scale(self, k: float) -> None:
        super().set_scale(k)
        self.note.setFont(_font(18 * k))

    def reload(self) -> None:
        now = self.ws.now()
        with self.ws.read() as conn:
            points = mapdata.map_points(conn, QueueFilter(open_only=True), now)
            load = mapdata.grid_load(conn, now)
        self.map.set_points(points)
        self.map.set_grid_load(load)
        self.note.setText(
            QCoreApplication.translate("Wall", "地图上有位置的在办事件 {n} 件 · 网格按在办数着色").format(n=points.total)
        )
        self._loaded_at = time.monotonic()

    def update_data(self, data: Any) -> None:
        if time.monotonic() - self._loaded_at < RELOAD_S and self._loaded_at:
            return
        try:
            self.reload()
        except Exception:
            log.exception("wall map: reload failed")
