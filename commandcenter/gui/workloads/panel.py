"""The department workloads panel: a sortable table per department (or township, or
category), a bar chart of the same, and trend charts of new vs closed cases.

Clicking a department's row emits ``sig_department_activated(code)``: the main window
filters the queue to it.  The numbers follow ``AggregatesFeed.sig_updated``.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.enums import Source
from ...services.aggregates import GroupStats, bin_label
from .. import i18n
from .common import KEY_ROLE, PERIODS, SortItem, fmt_hours, fmt_rate, group_name, tr
from .feed import AggregatesFeed

# the table's columns: (key, getter); headers are set in retranslate()
COLUMNS = ("name", "open", "handling", "overdue", "due_soon", "closed_today", "avg_hours", "on_time", "returned")
BAR_TOP = 10  # groups in the bar chart
TREND_SERIES = 6  # lines per trend chart when split by source or category
PALETTE = ("#4ea1ff", "#ff7b72", "#3fb950", "#d29922", "#bc8cff", "#39c5cf", "#f778ba", "#8b949e")


def _value(s: GroupStats, col: str) -> float | None:
    if col == "avg_hours":
        return s.avg_handling_hours
    if col == "on_time":
        return s.on_time_handling_rate
    if col == "returned":
        return s.returned
    return float(getattr(s, col))


class WorkloadsPanel(QWidget):
    sig_department_activated = Signal(str)  # a department's code: filter the queue to it
    sig_group_activated = Signal(str, str)  # (grouping, key) for any grouping

    def __init__(self, feed: AggregatesFeed, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workloadsPanel")
        self.feed = feed
        self.ref = feed.workspace.ref
        self.groupingCombo = QComboBox(self)
        self.groupingCombo.setObjectName("groupingCombo")
        for key in ("department", "township", "category"):
            self.groupingCombo.addItem("", key)
        self.periodCombo = QComboBox(self)
        self.periodCombo.setObjectName("periodCombo")
        for days, _label in PERIODS:
            self.periodCombo.addItem("", days)
        self.trendCombo = QComboBox(self)
        self.trendCombo.setObjectName("trendCombo")
        for key in ("all", "source", "category"):
            self.trendCombo.addItem("", key)
        self.groupingLabel, self.periodLabel, self.trendLabel = QLabel(self), QLabel(self), QLabel(self)
        top = QHBoxLayout()
        for w in (self.groupingLabel, self.groupingCombo, self.periodLabel, self.periodCombo,
                  self.trendLabel, self.trendCombo):
            top.addWidget(w)
        top.addStretch(1)

        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("workloadsTable")
        self.table.setSortingEnabled(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.sortItems(COLUMNS.index("open"), Qt.SortOrder.DescendingOrder)

        pg.setConfigOptions(antialias=True)
        self.barPlot = pg.PlotWidget(self)
        self.barPlot.setObjectName("workloadsBarPlot")
        self.barPlot.setMouseEnabled(False, False)
        self.barPlot.hideButtons()
        self.barPlot.invertY(True)  # horizontal bars, the most loaded on top
        self.barPlot.getAxis("left").setWidth(110)
        self.barOpen = pg.BarGraphItem(x0=[], y=[], height=0.7, width=[], brush="#4ea1ff")
        self.barOverdue = pg.BarGraphItem(x0=[], y=[], height=0.7, width=[], brush="#ff7b72")
        self.barPlot.addItem(self.barOpen)
        self.barPlot.addItem(self.barOverdue)
        self.hourPlot = self._trend_plot("hourTrendPlot")
        self.dayPlot = self._trend_plot("dayTrendPlot")

        charts = QSplitter(Qt.Orientation.Vertical, self)
        for w in (self.barPlot, self.hourPlot, self.dayPlot):
            charts.addWidget(w)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.table)
        split.addWidget(charts)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        lay.addWidget(split, 1)

        self.retranslate()
        self.groupingCombo.currentIndexChanged.connect(self.refresh)
        self.trendCombo.currentIndexChanged.connect(self.refresh)
        self.periodCombo.currentIndexChanged.connect(self.on_period_changed)
        self.table.cellClicked.connect(self.on_cell_clicked)
        feed.sig_updated.connect(self.refresh)
        self.bar_values: list[tuple[str, int, int]] = []  # what the bar chart shows: (key, open, overdue)
        self.trend_values: dict[str, dict[str, list[tuple[int, int, int]]]] = {}
        self.refresh()

    def _trend_plot(self, name: str) -> pg.PlotWidget:
        p = pg.PlotWidget(self)
        p.setObjectName(name)
        p.setMouseEnabled(False, False)
        p.hideButtons()
        p.showGrid(x=False, y=True, alpha=0.2)
        p.addLegend(offset=(-10, 10))
        return p

    # --- language ------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.groupingLabel.setText(self.tr("统计维度"))
        self.periodLabel.setText(self.tr("时间范围"))
        self.trendLabel.setText(self.tr("趋势分组"))
        for i, text in enumerate((self.tr("按部门"), self.tr("按乡镇"), self.tr("按类别"))):
            self.groupingCombo.setItemText(i, text)
        for i, (_days, label) in enumerate(PERIODS):
            self.periodCombo.setItemText(i, tr(label))
        for i, text in enumerate((self.tr("新增与办结"), self.tr("按来源"), self.tr("按类别"))):
            self.trendCombo.setItemText(i, text)
        headers = [
            self.tr("名称"), self.tr("在办"), self.tr("处置中"), self.tr("超期"), self.tr("即将超期"),
            self.tr("今日办结"), self.tr("平均处置时长(小时)"), self.tr("按期处置率"), self.tr("回退"),
        ]
        self.table.setHorizontalHeaderLabels(headers)
        tips = {
            6: self.tr("平均处置时长 = Σ(反馈时间 − 派遣时间) / 处置反馈数，按所选时间范围内立案的事件"),
            7: self.tr("按期处置率 = 按期处置数 / 应处置数（已反馈或处置时限已过），按所选时间范围内立案的事件"),
            8: self.tr("所选时间范围内立案、被部门退回过的事件数"),
        }
        for col, tip in tips.items():
            item = self.table.horizontalHeaderItem(col)
            if item is not None:
                item.setToolTip(tip)
        self.barPlot.setTitle(self.tr("在办（蓝）与超期（红），前 {n} 名").format(n=BAR_TOP))
        self.hourPlot.setTitle(self.tr("近24小时（按小时）"))
        self.dayPlot.setTitle(self.tr("近30天（按天）"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and hasattr(self, "table"):
            self.retranslate()
            self.refresh()
        super().changeEvent(event)

    # --- data ----------------------------------------------------------------------------

    @property
    def grouping(self) -> str:
        return str(self.groupingCombo.currentData())

    def on_period_changed(self, _index: int) -> None:
        self.feed.set_period_days(int(self.periodCombo.currentData()))
        self.refresh()

    def refresh(self) -> None:
        agg = self.feed.aggregates
        days = agg.period_days
        i = self.periodCombo.findData(days)
        if i >= 0 and i != self.periodCombo.currentIndex():
            blocked = self.periodCombo.blockSignals(True)
            self.periodCombo.setCurrentIndex(i)
            self.periodCombo.blockSignals(blocked)
        grouping = self.grouping
        stats = agg.table(grouping)
        self._fill_table(grouping, stats)
        self._fill_bars(grouping, stats)
        self._fill_trends()

    def _fill_table(self, grouping: str, stats: dict[str, GroupStats]) -> None:
        table = self.table
        header = table.horizontalHeader()
        col, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
        selected = self.selected_key()
        table.setSortingEnabled(False)
        table.setRowCount(len(stats))
        for row, (key, s) in enumerate(stats.items()):
            name = group_name(self.ref, grouping, key)
            item = SortItem(name, name)
            item.setData(KEY_ROLE, key)
            item.setToolTip(key)
            table.setItem(row, 0, item)
            for c, column in enumerate(COLUMNS[1:], start=1):
                v = _value(s, column)
                text = fmt_hours(v) if column == "avg_hours" else fmt_rate(v) if column == "on_time" else str(int(v or 0))
                cell = SortItem(text, v)
                if column == "overdue" and v:
                    cell.setForeground(Qt.GlobalColor.red)
                table.setItem(row, c, cell)
        table.setSortingEnabled(True)
        table.sortItems(col, order)
        if selected is not None:
            for row in range(table.rowCount()):
                it = table.item(row, 0)
                if it is not None and it.data(KEY_ROLE) == selected:
                    blocked = table.blockSignals(True)
                    table.selectRow(row)
                    table.blockSignals(blocked)
                    break

    def _fill_bars(self, grouping: str, stats: dict[str, GroupStats]) -> None:
        top = sorted(stats.items(), key=lambda kv: (-kv[1].open, kv[0]))[:BAR_TOP]
        self.bar_values = [(k, s.open, s.overdue) for k, s in top]
        ys = list(range(len(top)))
        zeros = [0] * len(top)
        self.barOpen.setOpts(x0=zeros, y=ys, width=[s.open for _, s in top], height=0.7, name=self.tr("在办"))
        self.barOverdue.setOpts(x0=zeros, y=ys, width=[s.overdue for _, s in top], height=0.7, name=self.tr("超期"))
        ticks = [(i, group_name(self.ref, grouping, k)[:9]) for i, (k, _s) in enumerate(top)]
        self.barPlot.getAxis("left").setTicks([ticks])
        if top:
            self.barPlot.setYRange(-0.6, len(top) - 0.4, padding=0)

    def _fill_trends(self) -> None:
        dim = str(self.trendCombo.currentData())
        agg = self.feed.aggregates
        for res, plot in (("h", self.hourPlot), ("d", self.dayPlot)):
            data = agg.trend(res, dim)
            self.trend_values[res] = data
            plot.clear()
            legend = plot.plotItem.legend
            if legend is not None:
                legend.clear()
            if not data:
                continue
            first = next(iter(data.values()))
            xs = list(range(len(first)))
            if dim == "all":
                series = data[""]
                plot.plot(xs, [n for _, n, _ in series], pen=pg.mkPen(PALETTE[0], width=2), name=self.tr("新增"))
                plot.plot(xs, [k for _, _, k in series], pen=pg.mkPen(PALETTE[2], width=2), name=self.tr("办结"))
            else:
                ranked = sorted(data.items(), key=lambda kv: -sum(n for _, n, _ in kv[1]))[:TREND_SERIES]
                for i, (value, series) in enumerate(ranked):
                    plot.plot(xs, [n for _, n, _ in series], pen=pg.mkPen(PALETTE[i % len(PALETTE)], width=2),
                              name=self._dim_label(dim, value))
            step = 4 if res == "h" else 7
            ticks = [(i, bin_label(res, b)) for i, (b, _n, _k) in enumerate(first) if i % step == 0]
            plot.getAxis("bottom").setTicks([ticks])

    def _dim_label(self, dim: str, value: str) -> str:
        if dim == "source":
            try:
                return i18n.label(Source(value))
            except ValueError:
                return value
        return group_name(self.ref, "category", value)

    # --- interaction ---------------------------------------------------------------------

    def selected_key(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        it = self.table.item(rows[0].row(), 0)
        return None if it is None else str(it.data(KEY_ROLE))

    def row_of(self, key: str) -> int:
        for row in range(self.table.rowCount()):
            it = self.table.item(row, 0)
            if it is not None and it.data(KEY_ROLE) == key:
                return row
        return -1

    def on_cell_clicked(self, row: int, _col: int) -> None:
        it = self.table.item(row, 0)
        if it is None:
            return
        key = str(it.data(KEY_ROLE))
        self.sig_group_activated.emit(self.grouping, key)
        if self.grouping == "department":
            self.sig_department_activated.emit(key)
