"""The map in the workstation: a dock next to the queue, wired both ways.

* the queue's selection -> the map centres on the case and rings it;
* a click on a symbol -> the case is selected in the queue and opened in the case panel
  (``MainWindow.reveal_case``);
* hovering a symbol -> a tooltip (code, category, status, time left);
* a rectangle (Shift+drag, or the legend's 框选区域) -> ``MainWindow.map_bbox``, which
  ``current_filter()`` passes to SQL (``QueueFilter.bbox``): the queue lists that area;
* 在地图上定位 (Ctrl+L, and the button on the case panel) -> show the map and centre
  the case.

The points come from SQL for the window's current filter (``services.mapdata``), off the
GUI thread, whenever the filter changes or cases change (at most every
``RELOAD_MS``).  The whole wiring is here; main_window.py only calls :func:`attach_map`.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QSettings, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QToolButton

from ...domain.enums import Role, Status
from ...domain.timeutil import countdown, from_epoch
from ...geo.mbtiles import MBTiles, MBTilesError
from ...geo.tilecache import CachedTileSource
from ...resources import RESOURCES
from ...services import mapdata
from ...services.queries import QueueFilter
from .. import i18n
from ..models.queue_model import BackgroundReader
from .import_dialog import MapImportDialog
from .widget import MapWidget

if TYPE_CHECKING:
    from ..views.main_window import MainWindow

log = logging.getLogger(__name__)

RELOAD_MS = 1500
DOCK_HEIGHT = 300
DEMO_BASEMAP = RESOURCES / "maps" / "tonglu_demo.mbtiles"


IMPORT_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR})
XYZ_ENV = "COMMANDCENTER_MAP_XYZ"  # "URL-template" or "URL-template|gcj02": an online basemap


def open_mbtiles(path: str | Path, datum: str | None = None) -> MBTiles | None:
    try:
        mb = MBTiles(path)
    except MBTilesError:
        log.warning("the basemap %s cannot be read", path, exc_info=True)
        return None
    if datum:
        mb.datum = datum
    return mb


def open_default_basemap() -> Any | None:
    """The basemap chosen in the import dialog (QSettings), else an online XYZ source given
    in $COMMANDCENTER_MAP_XYZ (cached on disk), else the shipped demo MBTiles."""
    settings = QSettings()
    path = str(settings.value("map/basemap", "") or "")
    if path and Path(path).is_file():
        mb = open_mbtiles(path, str(settings.value("map/basemap_datum", "") or "") or None)
        if mb is not None:
            return mb
    xyz = os.environ.get(XYZ_ENV, "").strip()
    if xyz:
        url, _, flag = xyz.partition("|")
        cache = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)) / "tiles"
        try:
            return CachedTileSource(url, cache, gcj02=flag.strip().lower() in ("gcj02", "gcj-02"))
        except ValueError:
            log.warning("ignoring %s=%r", XYZ_ENV, xyz, exc_info=True)
    return open_mbtiles(DEMO_BASEMAP) if DEMO_BASEMAP.is_file() else None


class _TileFetcher(QObject):
    """Downloads the tiles an online source lacks, two at a time, off the GUI thread."""

    sig_arrived = Signal()

    def __init__(self, source: CachedTileSource, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="tiles")
        self._asked: set[tuple[int, int, int]] = set()

    def fetch(self, z: int, x: int, y: int) -> None:
        key = (z, x, y)
        if key in self._asked or self.source.offline:
            return
        self._asked.add(key)
        self.pool.submit(self._get, z, x, y)

    def _get(self, z: int, x: int, y: int) -> None:
        if self.source.tile(z, x, y) is not None:
            self.sig_arrived.emit()

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


class MapLink(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ws = window._ws
        self.map = MapWidget()
        self.dock = QDockWidget(window)
        self.dock.setObjectName("mapDock")
        self.dock.setWidget(self.map)
        self.dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        window.resizeDocks([self.dock], [DOCK_HEIGHT], Qt.Orientation.Vertical)
        self.reader = BackgroundReader(self)
        self._seq = 0
        self._loaded_filter: QueueFilter | None = None
        self._dirty = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RELOAD_MS)
        self.loads = 0  # point loads delivered (tests wait on it)
        self._sized = False

        self.actionLocate = QAction(window)
        self.actionLocate.setObjectName("actionLocateOnMap")
        self.actionLocate.setShortcut(QKeySequence("Ctrl+L"))
        self.actionLocate.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        window.addAction(self.actionLocate)
        menu = getattr(window, "caseMenu", None)
        if menu is not None:
            menu.addSeparator()
            menu.addAction(self.actionLocate)
            menu.menuAction().setVisible(True)
        view_menu = getattr(window, "viewMenu", None)
        if view_menu is not None:
            self.dock.toggleViewAction().setObjectName("actionShowMap")
            view_menu.addAction(self.dock.toggleViewAction())
        self.locateButton = QToolButton(window.ui.caseDetail)
        self.locateButton.setObjectName("mapLocateButton")
        self.locateButton.setDefaultAction(self.actionLocate)
        self.locateButton.setAutoRaise(True)
        window.ui.caseDetail.installEventFilter(self)

        self.map.details_provider = self.tooltip_text
        self.map.sig_case_clicked.connect(self.on_map_case_clicked)
        self.map.sig_rect_selected.connect(self.on_map_rect)
        self.actionLocate.triggered.connect(self.locate_selected)
        window.ui.queueView.selectionModel().selectionChanged.connect(self.on_queue_selection)
        window.model.sig_refreshed.connect(self.on_queue_refreshed)
        window.sig_cases_changed.connect(self.on_cases_changed)
        self._timer.timeout.connect(self.reload)
        window.installEventFilter(self)
        self.retranslate()
        self.fetcher: _TileFetcher | None = None
        self.map.importButton.setVisible(window._actor.role in IMPORT_ROLES)
        self.map.sig_import_requested.connect(self.open_import_dialog)
        self.import_dialog: MapImportDialog | None = None
        self.load_org()
        self.set_basemap(open_default_basemap())

    def set_basemap(self, source: Any | None) -> None:
        if self.fetcher is not None:
            self.fetcher.close()
            self.fetcher = None
        self.map.set_basemap(source)
        layer = self.map.basemap
        if isinstance(source, CachedTileSource) and layer is not None:
            self.fetcher = _TileFetcher(source, self)
            layer.fetch_async = self.fetcher.fetch
            self.fetcher.sig_arrived.connect(layer.tile_arrived, Qt.ConnectionType.QueuedConnection)

    def open_import_dialog(self) -> MapImportDialog:
        if self.import_dialog is None:
            self.import_dialog = MapImportDialog(self.ws, self.window)
            self.import_dialog.sig_units_imported.connect(self.on_units_imported)
            self.import_dialog.sig_basemap_chosen.connect(self.on_basemap_chosen)
        self.import_dialog.show()
        self.import_dialog.raise_()
        return self.import_dialog

    def on_units_imported(self, _n: int) -> None:
        self.load_org()
        self.reload()

    def on_basemap_chosen(self, path: str, datum: str) -> None:
        mb = open_mbtiles(path, datum)
        if mb is None:
            return
        settings = QSettings()
        settings.setValue("map/basemap", path)
        settings.setValue("map/basemap_datum", datum)
        self.set_basemap(mb)

    # --- text -----------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.dock.setWindowTitle(self.tr("地图"))
        self.dock.toggleViewAction().setText(self.tr("显示地图"))
        self.actionLocate.setText(self.tr("在地图上定位"))
        self.actionLocate.setToolTip(self.tr("在地图上定位当前事件（Ctrl+L）"))
        self.map.retranslate()
        self._place_locate_button()

    def tooltip_text(self, case_id: str) -> str | None:
        with self.ws.read() as conn:
            d = mapdata.point_details(conn, case_id)
        if d is None:
            return None
        cat = self.ws.ref.categories.get(d["category_code"] or "")
        status = i18n.enum_label(Status, d["status"])
        if d["is_open"] and d["suspended"]:
            left = self.tr("挂账中")
        elif d["is_open"] and d["stage_deadline"] is not None:
            left = countdown(from_epoch(d["stage_deadline"]), self.ws.now())
        else:
            left = ""
        lines = [
            f"<b>{escape(d['code'])}</b> {escape(d['title'])}",
            escape(cat.name if cat is not None else (d["category_code"] or "")),
            escape(status) + (" · " + escape(left) if left else ""),
        ]
        return "<br>".join(lines)

    # --- data ------------------------------------------------------------------------------

    def load_org(self) -> None:
        with self.ws.read() as conn:
            shapes = mapdata.org_shapes(conn, ("county", "township", "grid"))
        self.map.set_org(shapes, self.ws.county_code)

    def map_filter(self) -> QueueFilter:
        return replace(self.window.model.filter)

    def reload(self) -> None:
        """Re-read the points and the grid load for the current filter (off the GUI thread)."""
        self._timer.stop()
        f = self.map_filter()
        now = self.ws.now()
        centres = f.centres
        self._seq += 1
        seq = self._seq
        self._dirty = False
        self._loaded_filter = f

        def work() -> tuple[mapdata.MapPoints, dict[str, tuple[int, int]]]:
            with self.ws.read() as conn:
                return mapdata.map_points(conn, f, now), mapdata.grid_load(conn, now, centres)

        self.reader.submit(work, lambda result: self._deliver(seq, result))

    def reload_now(self) -> None:
        """Synchronous reload (tests, benchmarks)."""
        f = self.map_filter()
        now = self.ws.now()
        with self.ws.read() as conn:
            result = mapdata.map_points(conn, f, now), mapdata.grid_load(conn, now, f.centres)
        self._seq += 1
        self._loaded_filter = f
        self._deliver(self._seq, result)

    def _deliver(self, seq: int, result: tuple[mapdata.MapPoints, dict[str, tuple[int, int]]]) -> None:
        if seq != self._seq:
            return
        points, load = result
        self.map.set_points(points)
        self.map.set_grid_load(load)
        sel = self.window.selected_case_id
        if sel is not None and self.map.selected_case_id != sel:
            self._select_on_map(sel, center=False)
        self.loads += 1

    def on_queue_refreshed(self) -> None:
        f = self.window.model.filter
        if self._loaded_filter is None or f != self._loaded_filter:
            self.reload()  # a new filter: at once
        elif self._dirty and not self._timer.isActive():
            self._timer.start()

    def on_cases_changed(self, _event: Any) -> None:
        self._dirty = True
        if not self._timer.isActive():
            self._timer.start()

    # --- linking ---------------------------------------------------------------------------

    def _select_on_map(self, case_id: str, center: bool) -> bool:
        lonlat = None
        if self.map.incidents.index_of(case_id) < 0:
            with self.ws.read() as conn:
                lonlat = mapdata.case_location(conn, case_id)
            if lonlat is None:
                self.map.set_selected(None)
                return False
        self.map.set_selected(case_id, lonlat, center=center)
        return self.map.selected_case_id == case_id

    def on_queue_selection(self, *_: Any) -> None:
        case_id = self.window.selected_case_id
        if case_id is not None and case_id != self.map.selected_case_id:
            self._select_on_map(case_id, center=self.dock.isVisible())

    def on_map_case_clicked(self, case_id: str) -> None:
        self._select_on_map(case_id, center=False)
        self.window.reveal_case(case_id)

    def on_map_rect(self, bbox: tuple[float, float, float, float] | None) -> None:
        self.window.map_bbox = bbox
        self.window._apply_filter()
        if bbox is not None:
            self.window.ui.statusbar.showMessage(self.tr("事件列表只显示地图框选区域内的事件"), 10_000)

    def locate_selected(self) -> bool:
        case_id = self.window.selected_case_id
        if case_id is None:
            return False
        self.dock.show()
        self.dock.raise_()
        found = self._select_on_map(case_id, center=True)
        if found and self.map.m_per_px() > 40:
            xy = self.map.incidents.selected_xy
            if xy is not None:
                self.map.center_on(xy[0], xy[1], 10.0)
        if not found:
            self.window.ui.statusbar.showMessage(self.tr("该事件没有位置信息"), 5_000)
        return found

    # --- events ----------------------------------------------------------------------------

    def _place_locate_button(self) -> None:
        detail = self.window.ui.caseDetail
        self.locateButton.adjustSize()
        sb = detail.verticalScrollBar()
        right = detail.width() - (sb.width() if sb.isVisible() else 0) - 6
        bottom = detail.height() - 6
        self.locateButton.move(right - self.locateButton.width(), bottom - self.locateButton.height())
        self.locateButton.raise_()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        et = event.type()
        if obj is self.window.ui.caseDetail and et in (QEvent.Type.Resize, QEvent.Type.Show):
            self._place_locate_button()
        elif obj is self.window:
            if et == QEvent.Type.Show and not self._sized:
                self._sized = True  # the dock's first height, once the window has its own
                self.window.resizeDocks([self.dock], [max(DOCK_HEIGHT, self.window.height() // 3)],
                                        Qt.Orientation.Vertical)
            elif et == QEvent.Type.Close:
                self._timer.stop()
                self.reader.close()
                if self.fetcher is not None:
                    self.fetcher.close()
            elif et == QEvent.Type.LanguageChange:
                self.retranslate()
        return False


def attach_map(window: MainWindow) -> MapLink:
    """Add the map dock to the window and wire it (see the module docstring)."""
    return MapLink(window)
