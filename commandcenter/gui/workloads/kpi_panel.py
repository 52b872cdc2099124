"""The KPI panel: the standard KPIs (domain.kpi) for a chosen period, for the whole scope
and per department / township / category, with the definitions in the tooltips and
export of the table to CSV and XLSX."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.kpi import Kpis, compute
from ...services.aggregates import TOTAL
from ...services.export import write_csv, write_xlsx
from .common import KEY_ROLE, PERIODS, SortItem, fmt_hours, fmt_rate, group_name, tr
from .feed import AggregatesFeed

# (field of Kpis, is a rate)
KPI_COLUMNS = (
    ("closure_rate", True),
    ("on_time_closure_rate", True),
    ("on_time_handling_rate", True),
    ("rework_rate", True),
    ("return_rate", True),
    ("avg_handling_hours", False),
    ("local_resolution_rate", True),
)


class KpiPanel(QWidget):
    sig_exported = Signal(str)  # the path written

    def __init__(self, feed: AggregatesFeed, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kpiPanel")
        self.feed = feed
        self.ref = feed.workspace.ref
        self.periodLabel, self.groupingLabel = QLabel(self), QLabel(self)
        self.periodCombo = QComboBox(self)
        self.periodCombo.setObjectName("kpiPeriodCombo")
        for days, _label in PERIODS:
            self.periodCombo.addItem("", days)
        self.groupingCombo = QComboBox(self)
        self.groupingCombo.setObjectName("kpiGroupingCombo")
        for key in ("department", "township", "category"):
            self.groupingCombo.addItem("", key)
        self.csvButton = QPushButton(self)
        self.csvButton.setObjectName("exportCsvButton")
        self.xlsxButton = QPushButton(self)
        self.xlsxButton.setObjectName("exportXlsxButton")
        top = QHBoxLayout()
        for w in (self.periodLabel, self.periodCombo, self.groupingLabel, self.groupingCombo):
            top.addWidget(w)
        top.addStretch(1)
        top.addWidget(self.csvButton)
        top.addWidget(self.xlsxButton)
        self.table = QTableWidget(0, 2 + len(KPI_COLUMNS), self)
        self.table.setObjectName("kpiTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setSortingEnabled(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        self.retranslate()
        self.periodCombo.currentIndexChanged.connect(self.on_period_changed)
        self.groupingCombo.currentIndexChanged.connect(self.refresh)
        self.csvButton.clicked.connect(lambda: self.ask_export("csv"))
        self.xlsxButton.clicked.connect(lambda: self.ask_export("xlsx"))
        feed.sig_updated.connect(self.refresh)
        self.refresh()

    def definitions(self) -> dict[str, str]:
        return {
            "closure_rate": self.tr("结案率 = 结案数 / 应结案数。应结案数：期内立案且已结案或已过整体办结时限的事件"),
            "on_time_closure_rate": self.tr("按期结案率 = 按期结案数 / 应结案数"),
            "on_time_handling_rate": self.tr(
                "按期处置率 = 按期处置数 / 应处置数。应处置数：已派遣且已反馈或已过处置时限的事件"
            ),
            "rework_rate": self.tr("返工率 = 返工案件数 / 处置反馈数"),
            "return_rate": self.tr("回退率 = 回退案件数 / 派遣数"),
            "avg_handling_hours": self.tr("平均处置时长 = Σ(反馈时间 − 派遣时间) / 处置反馈数（小时）"),
            "local_resolution_rate": self.tr("镇村解决率 = 在乡镇(街道)及以下结案数 / 结案数"),
        }

    def headers(self) -> list[str]:
        names = {
            "closure_rate": self.tr("结案率"),
            "on_time_closure_rate": self.tr("按期结案率"),
            "on_time_handling_rate": self.tr("按期处置率"),
            "rework_rate": self.tr("返工率"),
            "return_rate": self.tr("回退率"),
            "avg_handling_hours": self.tr("平均处置时长(小时)"),
            "local_resolution_rate": self.tr("镇村解决率"),
        }
        return [self.tr("名称"), self.tr("立案数"), *(names[f] for f, _ in KPI_COLUMNS)]

    def retranslate(self) -> None:
        self.periodLabel.setText(self.tr("统计周期"))
        self.groupingLabel.setText(self.tr("分组"))
        for i, (_days, label) in enumerate(PERIODS):
            self.periodCombo.setItemText(i, tr(label))
        for i, text in enumerate((self.tr("按部门"), self.tr("按乡镇"), self.tr("按类别"))):
            self.groupingCombo.setItemText(i, text)
        self.csvButton.setText(self.tr("导出 CSV"))
        self.xlsxButton.setText(self.tr("导出 Excel"))
        self.table.setHorizontalHeaderLabels(self.headers())
        defs = self.definitions()
        first = self.table.horizontalHeaderItem(1)
        if first is not None:
            first.setToolTip(self.tr("期内立案（受理）的事件数，不含不予受理和已合并"))
        for i, (f, _rate) in enumerate(KPI_COLUMNS, start=2):
            item = self.table.horizontalHeaderItem(i)
            if item is not None:
                item.setToolTip(defs[f])

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and hasattr(self, "table"):
            self.retranslate()
            self.refresh()
        super().changeEvent(event)

    def on_period_changed(self, _index: int) -> None:
        self.feed.set_period_days(int(self.periodCombo.currentData()))
        self.refresh()

    def rows(self) -> list[tuple[str, str, Kpis]]:
        """(key, name, KPIs): the whole scope first, then each group."""
        agg = self.feed.aggregates
        grouping = str(self.groupingCombo.currentData())
        out = [(TOTAL, self.tr("合计"), compute(agg.kpi_counts()))]
        for key, s in agg.table(grouping).items():
            if s.kpi.registered:
                out.append((key, group_name(self.ref, grouping, key), compute(s.kpi)))
        return out

    def refresh(self) -> None:
        i = self.periodCombo.findData(self.feed.aggregates.period_days)
        if i >= 0 and i != self.periodCombo.currentIndex():
            blocked = self.periodCombo.blockSignals(True)
            self.periodCombo.setCurrentIndex(i)
            self.periodCombo.blockSignals(blocked)
        rows = self.rows()
        table = self.table
        header = table.horizontalHeader()
        col, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
        table.setSortingEnabled(False)
        table.setRowCount(len(rows))
        defs = self.definitions()
        for r, (key, name, k) in enumerate(rows):
            # the total row always sorts first
            item = SortItem(name, "" if key == TOTAL else name)
            item.setData(KEY_ROLE, key)
            table.setItem(r, 0, item)
            table.setItem(r, 1, SortItem(str(k.counts.registered), k.counts.registered))
            for c, (f, rate) in enumerate(KPI_COLUMNS, start=2):
                v = getattr(k, f)
                cell = SortItem(fmt_rate(v) if rate else fmt_hours(v), v)
                cell.setToolTip(defs[f])
                table.setItem(r, c, cell)
        table.setSortingEnabled(True)
        if col >= 0:
            table.sortItems(col, order)

    # --- export --------------------------------------------------------------------------

    def table_data(self) -> tuple[list[str], list[list[str | int | float | None]]]:
        """What an export writes: the headers and the rows as shown (rates as numbers)."""
        headers = self.headers()
        data: list[list[str | int | float | None]] = []
        for _key, name, k in self.rows():
            row: list[str | int | float | None] = [name, k.counts.registered]
            for f, rate in KPI_COLUMNS:
                v = getattr(k, f)
                row.append(None if v is None else round(v, 4) if rate else round(v, 2))
            data.append(row)
        return headers, data

    def export(self, path: str | Path) -> Path:
        headers, data = self.table_data()
        p = Path(path)
        out = write_xlsx(p, headers, data, "KPI") if p.suffix.lower() == ".xlsx" else write_csv(p, headers, data)
        self.sig_exported.emit(str(out))
        return out

    def ask_export(self, kind: str) -> Path | None:
        filt = self.tr("Excel 工作簿 (*.xlsx)") if kind == "xlsx" else self.tr("CSV 文件 (*.csv)")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出考核指标"), f"kpi.{kind}", filt)
        if not path:
            return None
        if not path.lower().endswith("." + kind):
            path += "." + kind
        return self.export(path)

