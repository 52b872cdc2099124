"""The workloads and KPI panels: live numbers, click-to-filter, export without personal data."""

from __future__ import annotations

import csv

import pytest

from commandcenter.domain.case import Command
from commandcenter.domain.enums import CommandType as C
from commandcenter.gui.workloads import AggregatesFeed, KpiPanel, WorkloadsPanel
from commandcenter.services import queries
from commandcenter.services.export import read_xlsx_cells
from tests.conftest import HANDLER, OPERATOR

ENF = "D-330122001-enforcement"
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")


def _ids(ws, clock):  # type: ignore[no-untyped-def]
    with ws.read() as conn:
        return [r["id"] for r in queries.queue(conn, queries.QueueFilter(), clock())]


def _cell(panel: WorkloadsPanel, key: str, col: int) -> str:
    row = panel.row_of(key)
    assert row >= 0
    item = panel.table.item(row, col)
    assert item is not None
    return item.text()


def test_a_case_change_moves_the_table_and_the_charts(qtbot, workspace, clock) -> None:  # type: ignore[no-untyped-def]
    feed = AggregatesFeed(workspace)
    panel = WorkloadsPanel(feed)
    qtbot.addWidget(panel)
    panel.resize(1400, 800)
    panel.show()
    assert panel.row_of(ENF) == -1 and panel.bar_values == []
    assert sum(n for _, n, _ in panel.trend_values["h"][""]) == 5  # 5 new cases in the last hour
    ids = _ids(workspace, clock)
    with qtbot.waitSignal(feed.sig_updated, timeout=3000):
        workspace.commands.apply(Command(C.ACCEPT, ids[0], OPERATOR, {}))
        workspace.commands.apply(Command(C.DISPATCH, ids[0], OPERATOR, {"department_code": ENF}))
    assert _cell(panel, ENF, 1) == "1" and _cell(panel, ENF, 2) == "1"
    assert panel.bar_values == [(ENF, 1, 0)]
    # a handler returns it: the 回退 column counts it
    with qtbot.waitSignal(feed.sig_updated, timeout=3000):
        workspace.commands.apply(Command(C.RETURN, ids[0], HANDLER, {"reason": "不属于本部门"}))
    assert panel.row_of(ENF) == -1 or _cell(panel, ENF, 1) == "0"
    # time passes: the 24 h trend keeps its shape, by source too
    panel.trendCombo.setCurrentIndex(1)
    assert set(panel.trend_values["h"]) and all(len(v) == 24 for v in panel.trend_values["h"].values())
    feed.detach()


def test_clicking_a_department_asks_to_filter_the_queue(qtbot, workspace, clock) -> None:  # type: ignore[no-untyped-def]
    ids = _ids(workspace, clock)
    workspace.commands.apply(Command(C.ACCEPT, ids[0], OPERATOR, {}))
    workspace.commands.apply(Command(C.DISPATCH, ids[0], OPERATOR, {"department_code": ENF}))
    feed = AggregatesFeed(workspace)
    panel = WorkloadsPanel(feed)
    qtbot.addWidget(panel)
    row = panel.row_of(ENF)
    with qtbot.waitSignal(panel.sig_department_activated, timeout=1000) as blocker:
        panel.on_cell_clicked(row, 0)
    assert blocker.args == [ENF]
    # township grouping: no department signal, a group signal instead
    panel.groupingCombo.setCurrentIndex(1)
    assert panel.table.rowCount() >= 1
    feed.detach()


def test_sorting_is_numeric(qtbot, workspace, clock) -> None:  # type: ignore[no-untyped-def]
    feed = AggregatesFeed(workspace)
    panel = WorkloadsPanel(feed)
    qtbot.addWidget(panel)
    panel.groupingCombo.setCurrentIndex(2)  # by category
    panel.table.sortItems(1)
    assert panel.table.rowCount() >= 1
    feed.detach()


def test_kpi_panel_exports_csv_and_xlsx_without_personal_data(qtbot, workspace, clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ids = _ids(workspace, clock)
    for cid in ids[:3]:
        workspace.commands.apply(Command(C.ACCEPT, cid, OPERATOR, {}))
    workspace.commands.apply(Command(C.DISPATCH, ids[0], OPERATOR, {"department_code": ENF}))
    feed = AggregatesFeed(workspace)
    panel = KpiPanel(feed)
    qtbot.addWidget(panel)
    assert panel.table.rowCount() == 2  # 合计 + the one department with registered cases
    tip = panel.table.horizontalHeaderItem(2).toolTip()
    assert "结案率" in tip and "应结案数" in tip
    csv_path = panel.export(tmp_path / "kpi.csv")
    rows = list(csv.reader(csv_path.open(encoding="utf-8-sig")))
    assert rows[0][0] == "名称" and rows[1][0] == "合计" and rows[1][1] == "3"
    xlsx = read_xlsx_cells(panel.export(tmp_path / "kpi.xlsx"))
    assert xlsx[0][:2] == ["名称", "立案数"] and xlsx[1][1] == "3"
    text = csv_path.read_text(encoding="utf-8-sig") + str(xlsx)
    assert "13812345678" not in text and "张三" not in text
    # a change moves the KPI table
    with qtbot.waitSignal(feed.sig_updated, timeout=3000):
        workspace.commands.apply(Command(C.ACCEPT, ids[3], OPERATOR, {}))
    assert panel.table_data()[1][0][1] == 4
    feed.detach()


def test_main_window_dock_filters_the_queue_to_a_department(qtbot, workspace, clock) -> None:  # type: ignore[no-untyped-def]
    from commandcenter.gui.app import make_main_window
    from tests.conftest import OPERATOR as OP
    from tests.conftest import SUPERVISOR

    ids = _ids(workspace, clock)
    workspace.commands.apply(Command(C.ACCEPT, ids[0], OP, {}))
    workspace.commands.apply(Command(C.DISPATCH, ids[0], OP, {"department_code": ENF}))
    w = make_main_window(workspace, SUPERVISOR)
    qtbot.addWidget(w)
    w.show()
    dock = w.workloadsDock
    qtbot.waitUntil(dock.isVisible)
    assert dock.feed.active
    panel = dock.workloads
    panel.on_cell_clicked(panel.row_of(ENF), 0)
    assert w.current_filter().departments == (ENF,)
    panel.groupingCombo.setCurrentIndex(1)  # by township
    panel.on_cell_clicked(panel.row_of("330122001"), 0)
    assert w.current_filter().township == "330122001"
    panel.groupingCombo.setCurrentIndex(2)  # by category (大类)
    panel.on_cell_clicked(panel.row_of("01"), 0)
    assert w.current_filter().category == "01"
    panel.groupingCombo.setCurrentIndex(0)
    # a live change reaches the dock through the window's own bridge
    with qtbot.waitSignal(dock.feed.sig_updated, timeout=3000):
        workspace.commands.apply(Command(C.ACCEPT, ids[1], OP, {}))
    assert dock.kpis.table_data()[1][0][1] == 2
    w.close()


def test_operator_dock_is_hidden_and_idle(qtbot, workspace) -> None:  # type: ignore[no-untyped-def]
    from commandcenter.gui.app import make_main_window

    w = make_main_window(workspace, OPERATOR)
    qtbot.addWidget(w)
    w.show()
    assert not w.workloadsDock.isVisible() and not w.workloadsDock.feed.active
    w.workloadsDock.toggle.trigger()
    qtbot.waitUntil(lambda: w.workloadsDock.feed.active)
    qtbot.waitUntil(lambda: w.workloadsDock.feed.aggregates.total().open == 5)  # counted in the background
    w.close()


def test_changing_the_period_recounts_in_the_background(qtbot, workspace, clock) -> None:  # type: ignore[no-untyped-def]
    ids = _ids(workspace, clock)
    workspace.commands.apply(Command(C.ACCEPT, ids[0], OPERATOR, {}))
    feed = AggregatesFeed(workspace)
    panel = KpiPanel(feed)
    qtbot.addWidget(panel)
    assert feed.aggregates.period_days == 1
    with qtbot.waitSignal(feed.sig_updated, timeout=5000):
        panel.periodCombo.setCurrentIndex(2)  # 近30天
    assert feed.aggregates.period_days == 30 and feed.aggregates.windows.period_end - feed.aggregates.windows.period_start == 30 * 86400
    assert panel.table_data()[1][0][1] == 1
    feed.detach()
