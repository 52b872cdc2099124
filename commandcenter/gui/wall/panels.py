"""The wall's panels.  Each takes ``set_scale(k)`` (k = window height / 1080: every size is
a multiple of it) and ``update_data(data)``; every text it shows went through masking
(``services.wall``) before it got here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGraphicsItem,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...domain.enums import Priority, Role, Source
from ...domain.kpi import Kpis
from ...domain.timeutil import countdown, fmt_local, from_epoch
from ...services.aggregates import GroupStats, bin_label
from .. import i18n

BG = "#05080d"
PANEL = "#0c1420"
EDGE = "#1e3a5c"
TEXT = "#e8f1ff"
DIM = "#8fa7c4"
ACCENT = "#35b6ff"
GOOD = "#3ddc84"
WARN = "#ffb020"
BAD = "#ff4d4f"


@dataclass
class WallData:
    """Everything the wall shows, read once per refresh (texts already masked)."""

    now: datetime
    total: GroupStats
    kpis: Kpis
    departments: list[tuple[str, GroupStats]]  # (name, stats), most open first
    townships: list[tuple[str, GroupStats]]
    trend_24h: list[tuple[int, int, int]]  # (epoch hour, new, closed)
    sources_24h: list[tuple[str, int]]  # (label, new cases)
    overdue: list[dict[str, Any]]
    major: list[dict[str, Any]]
    roster: list[tuple[Role, str]] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # department / category code -> name


def _font(px: float, bold: bool = False) -> QFont:
    f = QFont()
    f.setPixelSize(max(8, round(px)))
    f.setBold(bold)
    return f


class Panel(QFrame):
    """A framed panel with a title."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wallPanel")
        self.title = QLabel(title, self)
        self.title.setObjectName("wallPanelTitle")
        self.body = QVBoxLayout(self)
        self.body.addWidget(self.title)
        self.k = 1.0

    def set_scale(self, k: float) -> None:
        self.k = k
        m = round(10 * k)
        self.body.setContentsMargins(m, m, m, m)
        self.body.setSpacing(round(6 * k))
        self.title.setFont(_font(26 * k, True))

    def update_data(self, data: WallData) -> None:  # pragma: no cover - overridden
        pass


class KpiTiles(QWidget):
    """A row of big numbers."""

    KEYS = ("open", "new_24h", "closed_today", "overdue", "due_soon", "closure_rate", "on_time_handling_rate",
            "local_resolution_rate")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wallKpiTiles")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self._lay = lay
        self.tiles: dict[str, tuple[QFrame, QLabel, QLabel]] = {}
        self._tile_layouts: list[QVBoxLayout] = []
        titles = {
            "open": QCoreApplication.translate("Wall", "在办事件"), "new_24h": QCoreApplication.translate("Wall", "24小时新增"), "closed_today": QCoreApplication.translate("Wall", "今日办结"),
            "overdue": QCoreApplication.translate("Wall", "已超期"), "due_soon": QCoreApplication.translate("Wall", "即将超期"),
            "closure_rate": QCoreApplication.translate("Wall", "近7天结案率"),
            "on_time_handling_rate": QCoreApplication.translate("Wall", "近7天按期处置率"),
            "local_resolution_rate": QCoreApplication.translate("Wall", "近7天镇村解决率"),
        }
        for key in self.KEYS:
            tile = QFrame(self)
            tile.setObjectName("wallTile")
            v = QVBoxLayout(tile)
            self._tile_layouts.append(v)
            value = QLabel("—", tile)
            value.setObjectName(f"tile_{key}")
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            # the number never widens the tile (the row must fit the screen): it is shrunk to fit
            value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            name = QLabel(titles[key], tile)
            name.setAlignment(Qt.AlignmentFlag.AlignCenter)
            name.setObjectName("wallTileName")
            v.addWidget(value, 1)
            v.addWidget(name)
            lay.addWidget(tile)
            self.tiles[key] = (tile, value, name)
        self.values: dict[str, str] = {}

    def set_scale(self, k: float) -> None:
        self.k = k
        self._lay.setSpacing(round(12 * k))
        for _tile, value, name in self.tiles.values():
            value.setFont(_font(64 * k, True))
            name.setFont(_font(24 * k))
            name.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        for v in self._tile_layouts:
            v.setContentsMargins(round(8 * k), round(6 * k), round(8 * k), round(8 * k))

    def update_data(self, data: WallData) -> None:
        t, k = data.total, data.kpis

        def rate(v: float | None) -> str:
            return "—" if v is None else f"{v * 100:.1f}%"

        new_24h = sum(n for _, n, _ in data.trend_24h)
        vals = {
            "open": (str(t.open), TEXT), "new_24h": (str(new_24h), ACCENT), "closed_today": (str(t.closed_today), GOOD),
            "overdue": (str(t.overdue), BAD if t.overdue else GOOD), "due_soon": (str(t.due_soon), WARN),
            "closure_rate": (rate(k.closure_rate), TEXT), "on_time_handling_rate": (rate(k.on_time_handling_rate), TEXT),
            "local_resolution_rate": (rate(k.local_resolution_rate), TEXT),
        }
        for key, (text, colour) in vals.items():
            label = self.tiles[key][1]
            if label.text() != text:
                label.setText(text)
                self._fit(label)
            label.setStyleSheet(f"color: {colour};")
            self.values[key] = text

    def _fit(self, label: QLabel) -> None:
        """The largest type up to 64 px (at 1080 lines) with which the number fits its tile."""
        k = getattr(self, "k", 1.0)
        size = 64 * k
        n = len(self.KEYS)
        # the tiles share the row equally (their own geometry may not be laid out yet)
        width = max(1, (self.width() - self._lay.spacing() * (n - 1)) / n - 2 * round(8 * k) - 4 * k)
        advance = QFontMetrics(_font(size, True)).horizontalAdvance(label.text())
        if advance > width:
            size = max(12, size * width / advance)
        label.setFont(_font(size, True))

    def fit_all(self) -> None:
        for _tile, value, _name in self.tiles.values():
            self._fit(value)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_all()


def _plot(parent: QWidget) -> pg.PlotWidget:
    p = pg.PlotWidget(parent, background=PANEL)
    p.setMouseEnabled(False, False)
    p.hideButtons()
    p.setMenuEnabled(False)
    for name in ("left", "bottom"):
        ax = p.getAxis(name)
        ax.setTextPen(pg.mkPen(TEXT))
        ax.setPen(pg.mkPen(EDGE))
        # the axes' tick texts (large CJK type) are most of a repaint: draw them from a pixmap
        # that is re-made only when the axis changes
        ax.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    return p


class RankingPanel(Panel):
    """Departments with the most open cases (overdue in red), as horizontal bars."""

    TOP = 10

    def __init__(self, title: str, parent: QWidget | None = None, which: str = "departments") -> None:
        super().__init__(title, parent)
        self.setObjectName("wallRanking")
        self.which = which
        self.plot = _plot(self)
        self.plot.invertY(True)
        self.plot.showGrid(x=True, y=False, alpha=0.15)
        self.bars_open = pg.BarGraphItem(x0=[], y=[], height=0.62, width=[], brush=QColor(ACCENT))
        self.bars_overdue = pg.BarGraphItem(x0=[], y=[], height=0.62, width=[], brush=QColor(BAD))
        self.plot.addItem(self.bars_open)
        self.plot.addItem(self.bars_overdue)
        self.body.addWidget(self.plot, 1)
        self.rows: list[tuple[str, int, int]] = []
        self.ticks: list[tuple[int, str]] = []

    def set_scale(self, k: float) -> None:
        super().set_scale(k)
        for name in ("left", "bottom"):
            ax = self.plot.getAxis(name)
            ax.setStyle(tickFont=_font(22 * k))
        self.plot.getAxis("left").setWidth(round(250 * k))

    def update_data(self, data: WallData) -> None:
        items = data.departments if self.which == "departments" else data.townships
        top = items[: self.TOP]
        rows = [(name, s.open, s.overdue) for name, s in top]
        if rows == self.rows:
            return
        self.rows = rows
        ys = list(range(len(rows)))
        self.bars_open.setOpts(x0=[0] * len(rows), y=ys, height=0.62, width=[r[1] for r in rows])
        self.bars_overdue.setOpts(x0=[0] * len(rows), y=ys, height=0.62, width=[r[2] for r in rows])
        self.ticks = [(i, r[0][:10]) for i, r in enumerate(rows)]
        self.plot.getAxis("left").setTicks([self.ticks])
        self.plot.setYRange(-0.6, max(len(rows), self.TOP) - 0.4, padding=0)
        self.plot.setXRange(0, max([r[1] for r in rows] + [1]) * 1.05, padding=0)


class TrendPanel(Panel):
    """New vs closed over the last 24 hours."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setObjectName("wallTrend")
        self.plot = _plot(self)
        self.plot.showGrid(x=False, y=True, alpha=0.15)
        self.legend = self.plot.addLegend(offset=(10, 5), labelTextColor=TEXT)
        self.new_curve = self.plot.plot([], [], pen=pg.mkPen(ACCENT, width=4), name=QCoreApplication.translate("Wall", "新增"))
        self.closed_curve = self.plot.plot([], [], pen=pg.mkPen(GOOD, width=4), name=QCoreApplication.translate("Wall", "办结"))
        self.body.addWidget(self.plot, 1)
        self.series: list[tuple[int, int, int]] = []

    def set_scale(self, k: float) -> None:
        super().set_scale(k)
        for name in ("left", "bottom"):
            self.plot.getAxis(name).setStyle(tickFont=_font(20 * k))
        self.new_curve.setPen(pg.mkPen(ACCENT, width=max(2, round(4 * k))))
        self.closed_curve.setPen(pg.mkPen(GOOD, width=max(2, round(4 * k))))
        if self.legend is not None:
            size = f"{round(20 * k)}px"
            self.legend.setLabelTextSize(size)
            for _sample, label in self.legend.items:
                label.setText(label.text, size=size, color=TEXT)

    def update_data(self, data: WallData) -> None:
        if data.trend_24h == self.series:
            return
        self.series = list(data.trend_24h)
        xs = list(range(len(self.series)))
        self.new_curve.setData(xs, [n for _, n, _ in self.series])
        self.closed_curve.setData(xs, [c for _, _, c in self.series])
        ticks = [(i, bin_label("h", b)) for i, (b, _n, _c) in enumerate(self.series) if i % 3 == 0]
        self.plot.getAxis("bottom").setTicks([ticks])


class SourcePanel(Panel):
    """New cases in the last 24 hours by source."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setObjectName("wallSources")
        self.plot = _plot(self)
        self.plot.invertY(True)
        self.bars = pg.BarGraphItem(x0=[], y=[], height=0.6, width=[], brush=QColor("#9b7bff"))
        self.plot.addItem(self.bars)
        self.body.addWidget(self.plot, 1)
        self.rows: list[tuple[str, int]] = []
        self.ticks: list[tuple[int, str]] = []

    def set_scale(self, k: float) -> None:
        super().set_scale(k)
        for name in ("left", "bottom"):
            self.plot.getAxis(name).setStyle(tickFont=_font(20 * k))
        self.plot.getAxis("left").setWidth(round(150 * k))

    def update_data(self, data: WallData) -> None:
        if data.sources_24h == self.rows:
            return
        self.rows = list(data.sources_24h)
        ys = list(range(len(self.rows)))
        self.bars.setOpts(x0=[0] * len(ys), y=ys, height=0.6, width=[n for _, n in self.rows])
        self.ticks = [(i, name) for i, (name, _n) in enumerate(self.rows)]
        self.plot.getAxis("left").setTicks([self.ticks])
        self.plot.setYRange(-0.6, max(len(ys), 1) - 0.4, padding=0)
        self.plot.setXRange(0, max([n for _, n in self.rows] + [1]) * 1.1, padding=0)


class CaseListPanel(Panel):
    """A list of cases that scrolls by itself (overdue, or major cases)."""

    SCROLL_MS = 2500

    def __init__(self, title: str, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setObjectName(f"wallList_{kind}")
        self.kind = kind
        self.list = QListWidget(self)
        self.list.setObjectName(f"wallListWidget_{kind}")
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        self.body.addWidget(self.list, 1)
        self.empty = QLabel(QCoreApplication.translate("Wall", "暂无"), self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.empty)
        self.empty.hide()
        self.lines: list[str] = []
        self._row = 0
        self.timer = QTimer(self)
        self.timer.setInterval(self.SCROLL_MS)
        self.timer.timeout.connect(self.scroll_step)
        self.timer.start()

    def set_scale(self, k: float) -> None:
        super().set_scale(k)
        self.list.setFont(_font(24 * k))
        self.empty.setFont(_font(24 * k))

    def _line(self, r: dict[str, Any], now: datetime) -> tuple[str, str]:
        deadline = from_epoch(r.get("stage_deadline"))
        left = countdown(deadline, now) if deadline is not None else ""
        if self.kind == "major":
            p = Priority(r["priority"]) if r.get("priority") in Priority._value2member_map_ else Priority.NORMAL
            tag = i18n.label(p)
            colour = BAD if p is Priority.CRITICAL else WARN
        else:
            tag = left
            colour = BAD
        return f"【{tag}】{r['title']}  {r.get('address') or ''}", colour

    def update_data(self, data: WallData) -> None:
        rows = data.overdue if self.kind == "overdue" else data.major
        lines = [self._line(r, data.now) for r in rows]
        texts = [t for t, _ in lines]
        self.empty.setVisible(not texts)
        self.list.setVisible(bool(texts))
        if texts == self.lines:
            return
        self.lines = texts
        self.list.clear()
        for text, colour in lines:
            item = QListWidgetItem(text)
            item.setForeground(QColor(colour if self.kind == "major" else TEXT))
            self.list.addItem(item)
        self._row = min(self._row, max(0, len(texts) - 1))

    def scroll_step(self) -> None:
        n = self.list.count()
        if n == 0:
            return
        self._row = (self._row + 1) % n
        item = self.list.item(self._row)
        if item is not None:
            self.list.scrollToItem(item, QAbstractItemView.ScrollHint.PositionAtTop)


class RosterPanel(Panel):
    """Today's duty staff (from the users and their roles: there is no roster table yet)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setObjectName("wallRoster")
        self.label = QLabel(self)
        self.label.setObjectName("wallRosterText")
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.note = QLabel(QCoreApplication.translate("Wall", "（按系统用户角色生成，尚无排班表）"), self)
        self.note.setObjectName("wallRosterNote")
        self.body.addWidget(self.label, 1)
        self.body.addWidget(self.note)

    def set_scale(self, k: float) -> None:
        super().set_scale(k)
        self.label.setFont(_font(24 * k))
        self.note.setFont(_font(16 * k))

    def update_data(self, data: WallData) -> None:
        by_role: dict[Role, list[str]] = {}
        for role, name in data.roster:
            by_role.setdefault(role, []).append(name)
        text = "\n".join(f"{i18n.label(role)}：{'、'.join(names[:6])}" for role, names in by_role.items())
        if self.label.text() != text:
            self.label.setText(text or QCoreApplication.translate("Wall", "暂无"))


class MapPlaceholder(Panel):
    """Where the map goes once gui/map lands (this wall does not depend on it)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setObjectName("wallMap")
        self.label = QLabel(QCoreApplication.translate("Wall", "地图（接入中）"), self)
        self.label.setObjectName("wallMapPlaceholder")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.label, 1)

    def set_scale(self, k: float) -> None:
        super().set_scale(k)
        self.label.setFont(_font(36 * k))


class DepartmentBoard(Panel):
    """A big table-like board: department, open, overdue, 按期处置率."""

    ROWS = 12

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setObjectName("wallBoard")
        self.grid = QGridLayout()
        self.body.addLayout(self.grid, 1)
        heads = (QCoreApplication.translate("Wall", "部门"), QCoreApplication.translate("Wall", "在办"), QCoreApplication.translate("Wall", "超期"), QCoreApplication.translate("Wall", "即将超期"), QCoreApplication.translate("Wall", "按期处置率"))
        self.head = [QLabel(h, self) for h in heads]
        for c, label in enumerate(self.head):
            label.setObjectName("wallBoardHead")
            self.grid.addWidget(label, 0, c)
        self.cells = [[QLabel("", self) for _ in heads] for _ in range(self.ROWS)]
        for r, row in enumerate(self.cells, start=1):
            for c, label in enumerate(row):
                if c:
                    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.grid.addWidget(label, r, c)
        self.grid.setColumnStretch(0, 3)

    def set_scale(self, k: float) -> None:
        super().set_scale(k)
        for label in self.head:
            label.setFont(_font(24 * k, True))
        for row in self.cells:
            for label in row:
                label.setFont(_font(26 * k))

    def update_data(self, data: WallData) -> None:
        items = sorted(data.departments, key=lambda kv: (-kv[1].overdue, -kv[1].open))[: self.ROWS]
        for r, row in enumerate(self.cells):
            if r < len(items):
                name, s = items[r]
                rate = s.on_time_handling_rate
                vals = [name, str(s.open), str(s.overdue), str(s.due_soon), "—" if rate is None else f"{rate * 100:.0f}%"]
            else:
                vals = [""] * len(row)
            for label, v in zip(row, vals, strict=True):
                if label.text() != v:
                    label.setText(v)
            row[2].setStyleSheet(f"color: {BAD};" if r < len(items) and items[r][1].overdue else "")


class PinnedCasePanel(QFrame):
    """One case, large: what, where, its timeline (shown until the supervisor releases it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wallPinned")
        self.banner = QLabel(QCoreApplication.translate("Wall", "督办事件"), self)
        self.banner.setObjectName("wallPinnedBanner")
        self.title = QLabel(self)
        self.title.setObjectName("wallPinnedTitle")
        self.title.setWordWrap(True)
        self.meta = QLabel(self)
        self.meta.setObjectName("wallPinnedMeta")
        self.meta.setWordWrap(True)
        self.place = QLabel(self)
        self.place.setObjectName("wallPinnedPlace")
        self.place.setWordWrap(True)
        self.map = QLabel(QCoreApplication.translate("Wall", "地图（接入中）"), self)
        self.map.setObjectName("wallMapPlaceholder")
        self.map.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.timeline_title = QLabel(QCoreApplication.translate("Wall", "处置过程"), self)
        self.timeline = QListWidget(self)
        self.timeline.setObjectName("wallPinnedTimeline")
        self.timeline.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.timeline.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.timeline.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.timeline.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.timeline.setWordWrap(True)
        left = QVBoxLayout()
        for w in (self.banner, self.title, self.meta, self.place):
            left.addWidget(w)
        left.addWidget(self.map, 1)
        right = QVBoxLayout()
        right.addWidget(self.timeline_title)
        right.addWidget(self.timeline, 1)
        lay = QHBoxLayout(self)
        lay.addLayout(left, 3)
        lay.addLayout(right, 2)
        self._lay = lay
        self.case_id: str | None = None

    def set_scale(self, k: float) -> None:
        self.banner.setFont(_font(34 * k, True))
        self.title.setFont(_font(56 * k, True))
        self.meta.setFont(_font(30 * k))
        self.place.setFont(_font(30 * k))
        self.map.setFont(_font(32 * k))
        self.timeline_title.setFont(_font(30 * k, True))
        self.timeline.setFont(_font(24 * k))
        m = round(24 * k)
        self._lay.setContentsMargins(m, m, m, m)

    def show_case(self, case_id: str | None, header: Sequence[str], place: str, timeline: Sequence[str]) -> None:
        """Texts already masked: [title, meta], place, timeline lines."""
        self.case_id = case_id
        self.title.setText(header[0] if header else "")
        self.meta.setText(header[1] if len(header) > 1 else "")
        self.place.setText(place)
        self.timeline.clear()
        for line in timeline:
            self.timeline.addItem(line)


def source_label(value: str) -> str:
    try:
        return i18n.label(Source(value))
    except ValueError:
        return value


def clock_text(now: datetime) -> str:
    return fmt_local(now, "%Y-%m-%d %H:%M:%S")
