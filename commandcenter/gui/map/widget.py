"""The map widget: pyqtgraph in Web Mercator metres, north up, with a legend.

Layers, bottom to top: basemap (MBTiles or a cached online XYZ source), grids (filled by
open-case load or overdue count), boundaries (county and townships), names, incidents.
Polygons are drawn through tile caches (``tiled.py``) from a few batched paths per chunk
(``polygons.py``); incidents by one item (``incidents.py``).

Data is WGS-84; when the basemap's tiles are GCJ-02 the widget shifts everything it
draws to GCJ-02 (``datum``) and the cursor read-out converts back to WGS-84.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QFont, QPainter, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ...geo.transform import (
    gcj02_to_wgs84_array,
    lonlat_to_mercator_array,
    mercator_to_lonlat_array,
    wgs84_to_gcj02_array,
)
from ...services.mapdata import MapPoints, OrgShape
from .incidents import PRIORITY_SHAPES, IncidentLayer, symbol_pixmap
from .labels import LabelGroup, LabelLayer
from .polygons import PolygonSet
from .tiled import BasemapLayer, PolygonStyle, VectorTileLayer

# grid fill classes: open cases / overdue cases -> class 1..5 (0: none)
LOAD_BINS = (1, 3, 6, 11, 21)
OVERDUE_BINS = (1, 2, 4, 7, 11)
FILL_COLORS = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
GRID_LABEL_M_PER_PX = 8.0  # grid names at this zoom or closer
MIN_RANGE_M = 150.0
SELECT_M_PER_PX = 10.0  # the zoom a selected case is shown at when the view shows no place
FILL_MODES = ("none", "open", "overdue")
DARK_BASEMAP_OPACITY = 0.3
LABEL_COLORS = {"grids": ("#1f2937", "#ffffff"), "townships": ("#334155", "#ffffff"), "county": ("#4c1d95", "#ffffff")}
LABEL_COLORS_DARK = {"grids": ("#e2e8f0", "#0f172a"), "townships": ("#f1f5f9", "#0f172a"),
                     "county": ("#ddd6fe", "#0f172a")}


def fill_classes(counts: npt.NDArray[np.int64], bins: Sequence[int]) -> npt.NDArray[np.int64]:
    """0 for no cases, else 1 + the number of bins the count reaches (1..len(bins))."""
    return np.searchsorted(np.asarray(bins), counts, side="right").astype(np.int64)


class MapViewBox(pg.ViewBox):
    """Pan with the left button, zoom with the wheel; Shift+drag (or rectangle mode) draws
    a rectangle, announced in view coordinates (metres) by ``sig_rect``."""

    sig_rect = Signal(QRectF)

    def __init__(self) -> None:
        super().__init__(lockAspect=True, enableMenu=False, invertY=False)
        self.rect_mode = False

    def mouseDragEvent(self, ev: Any, axis: Any = None) -> None:
        shift = bool(ev.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if ev.button() == Qt.MouseButton.LeftButton and (shift or self.rect_mode):
            ev.accept()
            if ev.isFinish():
                self.rbScaleBox.hide()
                a, b = self.mapToView(ev.buttonDownPos()), self.mapToView(ev.pos())
                self.sig_rect.emit(QRectF(a, b).normalized())
            else:
                self.updateScaleBox(ev.buttonDownPos(), ev.pos())
            return
        super().mouseDragEvent(ev, axis)


class _Overlay(QWidget):
    """Scale bar (bottom left) and north arrow (top right), drawn over the view."""

    def __init__(self, view: pg.GraphicsView, vb: MapViewBox, to_lat: Callable[[float], float]) -> None:
        super().__init__(view)
        self._vb = vb
        self._to_lat = to_lat
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)

    def scale_bar(self) -> tuple[float, str]:
        """(length in px, label) of a round-numbered scale bar ~120 px long."""
        rect = self._vb.viewRect()
        width_px = max(self._vb.width(), 1.0)
        m_per_px = rect.width() / width_px
        lat = self._to_lat(rect.center().y())
        true_m_per_px = m_per_px * math.cos(math.radians(lat))  # Mercator stretches by 1/cos(lat)
        target = true_m_per_px * 120
        if target <= 0:
            return 0.0, ""
        base = 10 ** math.floor(math.log10(target))
        nice = max(s * base for s in (1, 2, 5) if s * base <= target) if target >= base else base
        label = f"{nice / 1000:g} km" if nice >= 1000 else f"{nice:g} m"
        return nice / true_m_per_px, label

    def paintEvent(self, event: Any) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        length, label = self.scale_bar()
        if length > 0:
            x0, y0 = 14.0, self.height() - 18.0
            p.setPen(QPen(QColor(255, 255, 255, 230), 6))
            p.drawLine(QPointF(x0, y0), QPointF(x0 + length, y0))
            p.setPen(QPen(QColor("#111827"), 2))
            p.drawLine(QPointF(x0, y0), QPointF(x0 + length, y0))
            p.drawLine(QPointF(x0, y0 - 6), QPointF(x0, y0 + 1))
            p.drawLine(QPointF(x0 + length, y0 - 6), QPointF(x0 + length, y0 + 1))
            font = QFont(p.font())
            font.setPixelSize(12)
            font.setBold(True)
            p.setFont(font)
            p.setPen(QColor(255, 255, 255, 230))
            for dx, dy in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                p.drawText(QPointF(x0 + dx, y0 - 9 + dy), label)
            p.setPen(QColor("#111827"))
            p.drawText(QPointF(x0, y0 - 9), label)
        # north arrow
        cx, cy = self.width() - 28.0, 30.0
        p.setPen(QPen(QColor("#111827"), 1.5))
        p.setBrush(QColor("#111827"))
        p.drawPolygon(QPolygonF([QPointF(cx, cy - 16), QPointF(cx + 8, cy + 8), QPointF(cx, cy + 3), QPointF(cx - 8, cy + 8)]))
        font = QFont(p.font())
        font.setPixelSize(12)
        font.setBold(True)
        p.setFont(font)
        p.drawText(QRectF(cx - 10, cy + 8, 20, 16), Qt.AlignmentFlag.AlignCenter, "N")
        p.end()


class MapWidget(QWidget):
    sig_case_clicked = Signal(str)  # a case's symbol was clicked
    sig_rect_selected = Signal(object)  # (west, south, east, north) WGS-84, or None: cleared
    sig_view_changed = Signal()
    sig_import_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mapWidget")
        self.datum = "WGS-84"
        self.dark = False
        self.details_provider: Callable[[str], str | None] | None = None
        self._org: list[OrgShape] = []
        self._grid_codes: list[str] = []
        self._grid_load: dict[str, tuple[int, int]] = {}
        self._points = MapPoints()
        self._selected: tuple[str, float, float] | None = None  # (id, lon, lat)
        self._county_rect = QRectF()
        self._hover_id: str | None = None
        self.fill_mode = "open"
        self._grid_classes: npt.NDArray[np.int64] = np.zeros(0, np.int64)
        self._grid_classes_key: tuple[object, ...] = ()
        self.rect_filter: tuple[float, float, float, float] | None = None
        self._fit_pending = True

        self.view = pg.GraphicsView(self)
        self.view.setObjectName("mapView")
        self.view.setBackground(QColor("#e4e7e1"))  # the demo basemap's "outside" colour
        self.vb = MapViewBox()
        self.view.setCentralItem(self.vb)
        self.view.setMouseTracking(True)
        self.basemap: BasemapLayer | None = None
        self.vector = VectorTileLayer()
        self.vector.setZValue(5)
        self.labels = LabelLayer()
        self.incidents = IncidentLayer()
        for item in (self.vector, self.labels, self.incidents):
            self.vb.addItem(item, ignoreBounds=True)
        self.overlay = _Overlay(self.view, self.vb, self._lat_of_y)
        self.coordLabel = QLabel(self.view)
        self.coordLabel.setObjectName("mapCoordLabel")
        self.coordLabel.setStyleSheet(
            "QLabel { background: rgba(255,255,255,210); color: #111827; padding: 2px 6px; border-radius: 3px; }"
        )
        self.infoLabel = QLabel(self.view)
        self.infoLabel.setObjectName("mapInfoLabel")
        self.infoLabel.setStyleSheet(self.coordLabel.styleSheet())
        self.infoLabel.hide()
        self.coordLabel.hide()
        self.view.viewport().installEventFilter(self)

        self._build_legend()
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.view, 1)
        # The legend scrolls: its full height must never set the dock's (and so the
        # window's) minimum height, which would push the queue and the status bar off screen.
        self.legendScroll = QScrollArea(self)
        self.legendScroll.setObjectName("mapLegendScroll")
        self.legendScroll.setWidget(self.legend)
        self.legendScroll.setWidgetResizable(True)
        self.legendScroll.setFrameShape(QFrame.Shape.NoFrame)
        self.legendScroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.legendScroll.setFixedWidth(self.legend.width() + self.legendScroll.verticalScrollBar().sizeHint().width())
        self.legendScroll.setMinimumHeight(80)
        lay.addWidget(self.legendScroll)

        self.vb.sigRangeChanged.connect(self._on_range_changed)
        self.vb.sigResized.connect(self._on_view_resized)
        self.vb.sigRangeChangedManually.connect(self._on_user_moved)
        self.vb.sig_rect.connect(self._on_rect)
        self.view.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.view.scene().sigMouseClicked.connect(self._on_mouse_clicked)
        self.retranslate()

    # --- legend ---------------------------------------------------------------------------

    def _build_legend(self) -> None:
        lg = QFrame(self)
        lg.setObjectName("mapLegend")
        lg.setFrameShape(QFrame.Shape.StyledPanel)
        lg.setFixedWidth(178)
        v = QVBoxLayout(lg)
        v.setContentsMargins(8, 8, 8, 8)
        v.setSpacing(4)
        self.layersLabel = QLabel(lg)
        self.layersLabel.setStyleSheet("font-weight: bold")
        v.addWidget(self.layersLabel)
        self.basemapCheck = QCheckBox(lg)
        self.boundariesCheck = QCheckBox(lg)
        self.gridsCheck = QCheckBox(lg)
        self.incidentsCheck = QCheckBox(lg)
        for name, box in (
            ("mapBasemapCheck", self.basemapCheck),
            ("mapBoundariesCheck", self.boundariesCheck),
            ("mapGridsCheck", self.gridsCheck),
            ("mapIncidentsCheck", self.incidentsCheck),
        ):
            box.setObjectName(name)
            box.setChecked(True)
            v.addWidget(box)
        self.fillLabel = QLabel(lg)
        v.addWidget(self.fillLabel)
        self.fillCombo = QComboBox(lg)
        self.fillCombo.setObjectName("mapFillCombo")
        for mode in FILL_MODES:
            self.fillCombo.addItem("", mode)
        self.fillCombo.setCurrentIndex(1)
        v.addWidget(self.fillCombo)
        self.fillKey = QLabel(lg)
        self.fillKey.setTextFormat(Qt.TextFormat.RichText)
        v.addWidget(self.fillKey)
        self.pointsLabel = QLabel(lg)
        v.addWidget(self.pointsLabel)
        self.pointsCombo = QComboBox(lg)
        self.pointsCombo.setObjectName("mapPointsCombo")
        for mode in ("auto", "points", "clusters"):
            self.pointsCombo.addItem("", mode)
        v.addWidget(self.pointsCombo)
        keys = QGridLayout()
        keys.setSpacing(2)
        keys.setColumnStretch(1, 1)
        self._status_keys: list[tuple[str, QLabel]] = []
        shown = ("reported", "registered", "dispatched", "in_progress", "awaiting_check", "closed")
        for row, status in enumerate(shown):
            icon = QLabel(lg)
            icon.setPixmap(symbol_pixmap(status, 0, 0, False))
            text = QLabel(lg)
            keys.addWidget(icon, row, 0)
            keys.addWidget(text, row, 1)
            self._status_keys.append((status, text))
        r = len(shown)
        self._shape_keys: list[QLabel] = []
        for k in range(len(PRIORITY_SHAPES)):
            icon = QLabel(lg)
            icon.setPixmap(symbol_pixmap("closed", k, 1, False))
            text = QLabel(lg)
            keys.addWidget(icon, r + k, 0)
            keys.addWidget(text, r + k, 1)
            self._shape_keys.append(text)
        icon = QLabel(lg)
        icon.setPixmap(symbol_pixmap("in_progress", 0, 0, True))
        self._overdue_key = QLabel(lg)
        keys.addWidget(icon, r + 3, 0)
        keys.addWidget(self._overdue_key, r + 3, 1)
        v.addLayout(keys)
        v.addSpacing(6)
        self.fitButton = QPushButton(lg)
        self.fitButton.setObjectName("mapFitButton")
        self.rectButton = QPushButton(lg)
        self.rectButton.setObjectName("mapRectButton")
        self.rectButton.setCheckable(True)
        self.clearRectButton = QPushButton(lg)
        self.clearRectButton.setObjectName("mapClearRectButton")
        self.clearRectButton.setEnabled(False)
        self.importButton = QPushButton(lg)
        self.importButton.setObjectName("mapImportButton")
        self.importButton.setVisible(False)  # shown for the roles that may import (link.py)
        for b in (self.fitButton, self.rectButton, self.clearRectButton, self.importButton):
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            v.addWidget(b)
        v.addStretch(1)
        self.legend = lg

        self.basemapCheck.toggled.connect(self._on_basemap_toggled)
        self.boundariesCheck.toggled.connect(self._on_boundaries_toggled)
        self.gridsCheck.toggled.connect(self._on_grids_toggled)
        self.incidentsCheck.toggled.connect(self.incidents.setVisible)
        self.fillCombo.currentIndexChanged.connect(self._on_fill_changed)
        self.pointsCombo.currentIndexChanged.connect(self._on_points_mode_changed)
        self.fitButton.clicked.connect(self.fit_county)
        self.rectButton.toggled.connect(self._on_rect_mode)
        self.clearRectButton.clicked.connect(self.clear_rect_filter)
        self.importButton.clicked.connect(self.sig_import_requested)

    def retranslate(self) -> None:
        self.layersLabel.setText(self.tr("图层"))
        self.basemapCheck.setText(self.tr("底图"))
        self.boundariesCheck.setText(self.tr("行政边界"))
        self.gridsCheck.setText(self.tr("网格"))
        self.incidentsCheck.setText(self.tr("事件"))
        self.fillLabel.setText(self.tr("网格着色"))
        for i, text in enumerate((self.tr("不着色"), self.tr("按在办事件数"), self.tr("按超期事件数"))):
            self.fillCombo.setItemText(i, text)
        self.pointsLabel.setText(self.tr("事件显示"))
        for i, text in enumerate((self.tr("自动（缩小时聚合）"), self.tr("逐个显示"), self.tr("聚合"))):
            self.pointsCombo.setItemText(i, text)
        names = {
            "reported": self.tr("待受理"), "registered": self.tr("待派遣"), "dispatched": self.tr("待签收"),
            "in_progress": self.tr("处置中"), "awaiting_check": self.tr("待核查"), "closed": self.tr("已结案"),
        }
        for status, label in self._status_keys:
            label.setText(names[status])
        for label, text in zip(self._shape_keys, (self.tr("一般"), self.tr("紧急"), self.tr("特急")), strict=True):
            label.setText(text)
        self._overdue_key.setText(self.tr("已超期（红圈）"))
        self.fitButton.setText(self.tr("全县"))
        self.fitButton.setToolTip(self.tr("缩放到全县范围"))
        self.rectButton.setText(self.tr("框选区域"))
        self.rectButton.setToolTip(self.tr("在地图上拖出矩形，事件列表只显示框内事件（也可按住 Shift 拖动）"))
        self.clearRectButton.setText(self.tr("清除框选"))
        self.importButton.setText(self.tr("导入地图数据…"))
        self._update_fill_key()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self.set_dark(self.palette().color(QPalette.ColorRole.Window).lightness() < 110)
        super().changeEvent(event)

    def set_dark(self, dark: bool) -> None:
        """The night-shift look (the dark theme): a dimmed basemap on a dark ground, light
        outlines and names.  Follows the window's palette by itself."""
        if dark == self.dark:
            return
        self.dark = dark
        self.view.setBackground(QColor("#15191d") if dark else QColor("#e4e7e1"))
        if self.basemap is not None:
            self.basemap.setOpacity(DARK_BASEMAP_OPACITY if dark else 1.0)
        self.vector.set_style("townships", self._boundary_style("townships"))
        self.vector.set_style("county", self._boundary_style("county"))
        self.vector.set_style("grids", self._grid_style())
        for group in self.labels.groups.values():
            group.color, group.halo = (LABEL_COLORS_DARK if dark else LABEL_COLORS)[group.name]
        self.labels.clear_cache()

    def _boundary_style(self, level: str) -> PolygonStyle:
        if level == "county":
            return PolygonStyle(outline=QColor("#a78bfa" if self.dark else "#7c3aed"), width_px=3.0, min_outline_px=0.0)
        return PolygonStyle(outline=QColor("#94a3b8" if self.dark else "#475569"), width_px=1.6, min_outline_px=0.0)

    def _update_fill_key(self) -> None:
        bins = LOAD_BINS if self.fill_mode == "open" else OVERDUE_BINS
        if self.fill_mode == "none":
            self.fillKey.setText("")
            return
        parts = []
        for i, color in enumerate(FILL_COLORS):
            lo = bins[i]
            hi = bins[i + 1] - 1 if i + 1 < len(bins) else None
            rng = f"{lo}" if hi == lo else (f"{lo}–{hi}" if hi is not None else f"≥{lo}")
            parts.append(f"<span style='background:{color}; color:{color}'>██</span> {rng}")
        self.fillKey.setText("<br>".join(parts))

    # --- projection ------------------------------------------------------------------------

    def project(self, lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """WGS-84 lon/lat -> map metres (through GCJ-02 when the basemap is GCJ-02)."""
        if self.datum == "GCJ-02":
            lon, lat = wgs84_to_gcj02_array(lon, lat)
        return lonlat_to_mercator_array(lon, lat)

    def unproject(self, x: npt.ArrayLike, y: npt.ArrayLike) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Map metres -> WGS-84 lon/lat."""
        lon, lat = mercator_to_lonlat_array(x, y)
        if self.datum == "GCJ-02":
            lon, lat = gcj02_to_wgs84_array(lon, lat)
        return lon, lat

    def project_one(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = self.project(np.array([lon]), np.array([lat]))
        return float(x[0]), float(y[0])

    def unproject_one(self, x: float, y: float) -> tuple[float, float]:
        lon, lat = self.unproject(np.array([x]), np.array([y]))
        return float(lon[0]), float(lat[0])

    def _lat_of_y(self, y: float) -> float:
        return float(mercator_to_lonlat_array(np.array([0.0]), np.array([y]))[1][0])

    # --- data ------------------------------------------------------------------------------

    def set_org(self, shapes: Sequence[OrgShape], county_code: str = "") -> None:
        """The outlines: the county (or counties), townships and grids."""
        self._org = list(shapes)
        self._county_code = county_code
        self._rebuild_polygons()
        self._apply_limits()
        self.fit_county()

    def _rebuild_polygons(self) -> None:
        by_level: dict[str, list[OrgShape]] = {}
        for s in self._org:
            by_level.setdefault(s.level, []).append(s)
        grids = by_level.get("grid", [])
        towns = by_level.get("township", [])
        counties = by_level.get("county", [])
        self._grid_codes = [g.code for g in grids]
        self._grid_names = [g.name for g in grids]
        gp = PolygonSet([g.geometry for g in grids], self.project) if grids else None
        tp = PolygonSet([g.geometry for g in towns], self.project) if towns else None
        cp = PolygonSet([g.geometry for g in counties], self.project) if counties else None
        self.vector.set_polygons("grids", gp, self._grid_style())
        self.vector.set_polygons("townships", tp, self._boundary_style("townships"))
        self.vector.set_polygons("county", cp, self._boundary_style("county"))
        if gp is not None:
            self._apply_grid_classes()
            labels = [f"{n}\n{c[-6:]}" for n, c in zip(self._grid_names, self._grid_codes, strict=True)]
            self.labels.set_group(
                LabelGroup("grids", np.zeros(0), np.zeros(0), labels, GRID_LABEL_M_PER_PX, pixel_size=11,
                           lazy=gp._label_points, extent=gp.extent, color=self._label_colors("grids")[0], halo=self._label_colors("grids")[1])
            )
        if tp is not None:
            self.labels.set_group(
                LabelGroup("townships", tp.label_x, tp.label_y, [t.name for t in towns], 400.0,
                           min_m_per_px=GRID_LABEL_M_PER_PX, pixel_size=14, bold=True, color=self._label_colors("townships")[0], halo=self._label_colors("townships")[1])
            )
        if cp is not None:
            self.labels.set_group(
                LabelGroup("county", cp.label_x, cp.label_y, [c.name for c in counties], 1e9,
                           min_m_per_px=400.0, pixel_size=16, bold=True, color=self._label_colors("county")[0], halo=self._label_colors("county")[1])
            )
        ext = (cp or tp or gp)
        if ext is not None:
            x0, y0, x1, y1 = ext.extent
            self._county_rect = QRectF(x0, y0, x1 - x0, y1 - y0)
        self._reproject_points()

    def _label_colors(self, group: str) -> tuple[str, str]:
        return (LABEL_COLORS_DARK if self.dark else LABEL_COLORS)[group]

    def _grid_style(self) -> PolygonStyle:
        fills = {0: QColor(255, 255, 255, 0)}
        if self.fill_mode != "none":
            for i, c in enumerate(FILL_COLORS):
                col = QColor(c)
                col.setAlpha(120)
                fills[i + 1] = col
        outline = QColor(203, 213, 225, 110) if self.dark else QColor(71, 85, 105, 150)
        return PolygonStyle(fills=fills, outline=outline, width_px=0.8, min_outline_px=5.0)

    def _apply_grid_classes(self) -> None:
        gp = self.vector.polygons("grids")
        if gp is None:
            return
        if self.fill_mode == "none":
            classes = np.zeros(gp.count, np.int64)
        else:
            k = 0 if self.fill_mode == "open" else 1
            counts = np.array([self._grid_load.get(c, (0, 0))[k] for c in self._grid_codes], np.int64)
            classes = fill_classes(counts, LOAD_BINS if k == 0 else OVERDUE_BINS)
        key = (id(gp), gp.count, self.fill_mode, self.dark)
        if key == self._grid_classes_key and np.array_equal(classes, self._grid_classes):
            return  # a live change that moves no grid to another fill class re-renders nothing
        self._grid_classes, self._grid_classes_key = classes, key
        gp.set_classes(classes)
        self.vector.set_style("grids", self._grid_style())

    def set_grid_load(self, load: dict[str, tuple[int, int]]) -> None:
        """Per grid code (open, overdue) -> the grid fill."""
        if load == self._grid_load:
            return
        self._grid_load = dict(load)
        self._apply_grid_classes()

    def set_points(self, points: MapPoints) -> None:
        self._points = points
        self._reproject_points()
        if points.total > len(points):
            self.infoLabel.setText(self.tr("地图显示前 {n} 个事件，共 {total} 个").format(n=len(points), total=points.total))
            self.infoLabel.adjustSize()
            self.infoLabel.show()
        else:
            self.infoLabel.hide()

    def _reproject_points(self) -> None:
        x, y = self.project(self._points.lon, self._points.lat)
        self.incidents.set_points(self._points, x, y)
        if self._selected is not None:
            cid, lon, lat = self._selected
            self.incidents.set_selected(cid, self.project_one(lon, lat))

    def set_selected(self, case_id: str | None, lonlat: tuple[float, float] | None = None, center: bool = True) -> None:
        """Highlight a case (its location given, or looked up among the points) and centre it."""
        if case_id is not None and lonlat is None:
            i = self.incidents.index_of(case_id)
            if i >= 0:
                lonlat = (float(self._points.lon[i]), float(self._points.lat[i]))
        if case_id is None or lonlat is None:
            self._selected = None
            self.incidents.set_selected(None, None)
            return
        self._selected = (case_id, lonlat[0], lonlat[1])
        xy = self.project_one(*lonlat)
        self.incidents.set_selected(case_id, xy)
        if center:
            mpp = self.m_per_px()
            # a view that shows no place (nothing loaded yet) or the whole province: street zoom
            self.center_on(*xy, SELECT_M_PER_PX if not 0.5 <= mpp <= 400 else None)

    @property
    def selected_case_id(self) -> str | None:
        return self._selected[0] if self._selected else None

    # --- basemap ---------------------------------------------------------------------------

    def set_basemap(self, source: Any | None) -> None:
        """A tile source (``MBTiles``, ``CachedTileSource``) or None; its ``datum`` decides
        whether the data is shifted to GCJ-02."""
        if self.basemap is not None:
            self.vb.removeItem(self.basemap)
            self.basemap = None
        datum = "WGS-84"
        if source is not None:
            self.basemap = BasemapLayer(source)
            self.basemap.setZValue(0)
            self.vb.addItem(self.basemap, ignoreBounds=True)
            self.basemap.setVisible(self.basemapCheck.isChecked())
            self.basemap.setOpacity(DARK_BASEMAP_OPACITY if self.dark else 1.0)
            datum = getattr(source, "datum", "WGS-84")
        self.basemapCheck.setEnabled(source is not None)
        bounds = getattr(source, "bounds", None)
        if self._county_rect.isEmpty() and bounds is not None:  # no outlines: the basemap's extent
            x0, y0 = self.project_one(bounds[0], bounds[1])
            x1, y1 = self.project_one(bounds[2], bounds[3])
            self._county_rect = QRectF(x0, y0, x1 - x0, y1 - y0)
            self._apply_limits()
            self.fit_county()
        if datum != self.datum:
            center = self.vb.viewRect().center()
            lonlat = self.unproject_one(center.x(), center.y())
            self.datum = datum
            if self._org:
                self._rebuild_polygons()
                self._apply_limits()
            self.center_on(*self.project_one(*lonlat))

    # --- view ------------------------------------------------------------------------------

    def _apply_limits(self) -> None:
        r = self._county_rect
        if r.isEmpty():
            return
        # up to ~3x the data's larger side either way: a wide dock still shows the whole
        # county (the range of the long axis exceeds the data there), no further
        side = max(r.width(), r.height())
        pad = side * 1.5
        self.vb.setLimits(
            xMin=r.left() - pad, xMax=r.right() + pad, yMin=r.top() - pad, yMax=r.bottom() + pad,
            minXRange=MIN_RANGE_M, minYRange=MIN_RANGE_M, maxXRange=3 * side, maxYRange=3 * side,
        )

    def fit_county(self) -> None:
        self._fit_pending = True  # and again on resizes, until the user moves the map
        r = self._county_rect
        if r.isEmpty():
            return
        # a rectangle of the view's own aspect (else the aspect lock may crop the county)
        w_px, h_px = max(self.vb.width(), 1.0), max(self.vb.height(), 1.0)
        mpp = max(r.width() / w_px, r.height() / h_px) * 1.06
        c = r.center()
        self.vb.setRange(rect=QRectF(c.x() - w_px * mpp / 2, c.y() - h_px * mpp / 2, w_px * mpp, h_px * mpp),
                         padding=0.0)

    def data_rect(self) -> QRectF:
        return QRectF(self._county_rect)

    def center_on(self, x: float, y: float, m_per_px: float | None = None) -> None:
        self._fit_pending = False
        rect = self.vb.viewRect()
        w, h = rect.width(), rect.height()
        if m_per_px is not None:
            scale = m_per_px / (w / max(self.vb.width(), 1.0))
            w, h = w * scale, h * scale
        self.vb.setRange(rect=QRectF(x - w / 2, y - h / 2, w, h), padding=0.0)

    def m_per_px(self) -> float:
        return self.vb.viewRect().width() / max(self.vb.width(), 1.0)

    def _on_range_changed(self, *_: Any) -> None:
        self.overlay.update()
        self.sig_view_changed.emit()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._place_overlays()
        elif event.type() == QEvent.Type.Leave:
            self.coordLabel.setText("")
            self.coordLabel.hide()
        return False

    def _place_overlays(self) -> None:
        vp = self.view.viewport()
        self.overlay.setGeometry(vp.geometry())
        self.overlay.raise_()
        self.coordLabel.adjustSize()
        self.coordLabel.move(vp.width() - self.coordLabel.width() - 8, vp.height() - self.coordLabel.height() - 8)
        self.infoLabel.move(8, 8)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._place_overlays()

    def _on_view_resized(self, *_: Any) -> None:
        """Until the user moves the map, it shows the whole county whatever its size."""
        if self._fit_pending and self.vb.width() > 50 and self.vb.height() > 50:
            self.fit_county()

    def _on_user_moved(self, *_: Any) -> None:
        self._fit_pending = False

    # --- mouse ---------------------------------------------------------------------------------

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        if not self.vb.sceneBoundingRect().contains(scene_pos):
            return
        p = self.vb.mapSceneToView(scene_pos)
        lon, lat = self.unproject_one(p.x(), p.y())
        self.coordLabel.setText(f"{lon:.5f}°E  {lat:.5f}°N  (WGS-84)")
        self.coordLabel.show()
        self._place_overlays()
        if not self.incidents.isVisible():
            return
        cid = self.incidents.pick(p.x(), p.y(), self.m_per_px())
        if cid != self._hover_id:
            self._hover_id = cid
            if cid is None:
                QToolTip.hideText()
            elif self.details_provider is not None:
                text = self.details_provider(cid)
                if text:
                    QToolTip.showText(QCursor.pos(), text, self.view)

    def _on_mouse_clicked(self, ev: Any) -> None:
        if ev.button() != Qt.MouseButton.LeftButton or ev.double():
            return
        p = self.vb.mapSceneToView(ev.scenePos())
        self.click_at(p.x(), p.y())

    def click_at(self, x: float, y: float) -> str | None:
        """What a click at (x, y) metres does: select the case there, or zoom into a cluster."""
        if not self.incidents.isVisible():
            return None
        mpp = self.m_per_px()
        cid = self.incidents.pick(x, y, mpp)
        if cid is not None:
            self.sig_case_clicked.emit(cid)
            return cid
        cluster = self.incidents.cluster_at(x, y, mpp)
        if cluster is not None:
            self.center_on(cluster[0], cluster[1], mpp / 4)
        return None

    def _on_rect_mode(self, on: bool) -> None:
        self.vb.rect_mode = on

    def _on_rect(self, rect: QRectF) -> None:
        self.rectButton.setChecked(False)
        if rect.width() < 3 * self.m_per_px() or rect.height() < 3 * self.m_per_px():
            return  # a click, not a rectangle
        w, s = self.unproject_one(rect.left(), rect.top())
        e, n = self.unproject_one(rect.right(), rect.bottom())
        self.set_rect_filter((min(w, e), min(s, n), max(w, e), max(s, n)))

    def set_rect_filter(self, bbox: tuple[float, float, float, float] | None) -> None:
        self.rect_filter = bbox
        self.clearRectButton.setEnabled(bbox is not None)
        self.sig_rect_selected.emit(bbox)

    def clear_rect_filter(self) -> None:
        self.set_rect_filter(None)

    # --- toggles ---------------------------------------------------------------------------

    def _on_basemap_toggled(self, on: bool) -> None:
        if self.basemap is not None:
            self.basemap.setVisible(on)

    def _on_boundaries_toggled(self, on: bool) -> None:
        self.vector.set_part_visible("townships", on)
        self.vector.set_part_visible("county", on)
        self.labels.set_visible("townships", on)
        self.labels.set_visible("county", on)

    def _on_grids_toggled(self, on: bool) -> None:
        self.vector.set_part_visible("grids", on)
        self.labels.set_visible("grids", on)

    def _on_fill_changed(self, index: int) -> None:
        self.fill_mode = str(self.fillCombo.itemData(index))
        self._apply_grid_classes()
        self._update_fill_key()

    def _on_points_mode_changed(self, index: int) -> None:
        self.incidents.mode = str(self.pointsCombo.itemData(index))
        self.incidents.update()

    # --- rendering helpers (tests, benchmarks) ------------------------------------------

    def tiles_pending(self) -> bool:
        layers = [self.vector] + ([self.basemap] if self.basemap is not None else [])
        return any(layer.pending for layer in layers if layer.isVisible())

    def set_force_complete(self, on: bool) -> None:
        for layer in (self.vector, self.basemap):
            if layer is not None:
                layer.force_complete = on

