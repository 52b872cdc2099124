"""The main window over a real workspace: the live queue, the detail pane, search,
tabs and the status bar.  Live changes come from plain threads, as the simulator's do."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

pytest.importorskip("PySide6", reason="PySide6 is not installed (the 'gui' extra)")

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage

from commandcenter.domain.case import Command, new_id
from commandcenter.domain.enums import CommandType as C
from commandcenter.domain.enums import Priority, SlaState, Status
from commandcenter.gui.app import make_main_window
from commandcenter.gui.models.queue_model import (
    CASE_ID_ROLE,
    COL_ADDRESS,
    COL_CODE,
    COL_DEADLINE,
    COL_PRIORITY,
    COL_SOURCE,
    COL_STATUS,
    COL_TITLE,
    FONT_ROLE,
    FOREGROUND_ROLE,
    NEW_MARKER,
    NEW_ROLE,
    SLA_ROLE,
)
from commandcenter.gui.views.main_window import LIVE_CHANGES_MAX, MainWindow
from commandcenter.services.events import CasesChanged
from commandcenter.store import schema as t
from commandcenter.store.engine import write_tx
from tests.conftest import GRID1, GRIDDER, OPERATOR, SUPERVISOR, make_workspace

HEADERS = ["编号", "标题", "状态", "紧急程度", "来源", "分类", "所属中心/部门", "地址", "上报时间", "时限"]
TAB_LABELS = ["待受理", "待派遣", "处置中", "待核查", "即将超期", "已超期", "督办", "已上报", "全部在办", "已结案"]


@pytest.fixture
def window(qtbot, workspace) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    w = make_main_window(workspace, OPERATOR, sim_status=lambda: "模拟运行中 · 已生成 5 件")
    qtbot.addWidget(w)
    w.resize(1600, 900)
    w.show()
    yield w
    w.close()


def _in_thread(fn: Callable[[], Any]) -> list[Any]:
    """Run fn on a plain (non-Qt) thread, as the simulator does; returns its result list."""
    out: list[Any] = []
    th = threading.Thread(target=lambda: out.append(fn()), name="test-sim")
    th.start()
    th.join()
    return out


class _Never:
    """A slot for signals that must not fire: records every emission."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def __call__(self, *args: Any) -> None:
        self.calls.append(args)


def _tab_texts(w: MainWindow) -> list[str]:
    return [w.ui.setTabs.tabText(i) for i in range(w.ui.setTabs.count())]


def _selected_ids(w: MainWindow) -> list[str]:
    return [w.model.case_id(ix.row()) or "" for ix in w.ui.queueView.selectionModel().selectedRows()]


def _create(title: str, **extra: Any) -> Command:
    payload = {"title": title, "grid_code": GRID1, "category_code": "0101", "address": "白云路99号", **extra}
    return Command(C.CREATE, new_id(), GRIDDER, payload)


def test_window_shows_the_reported_cases_with_chinese_headers(window: MainWindow) -> None:
    model = window.model
    assert window.windowTitle() == "桐庐县社会治理综合指挥中心 — 值班工作台"
    assert window.ui.setTabs.currentIndex() == 0
    assert [t.split(" (")[0] for t in _tab_texts(window)] == TAB_LABELS
    assert _tab_texts(window)[0] == "待受理 (5)"
    assert model.rowCount() == 5
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())] == HEADERS
    titles = sorted(model.data(model.index(r, COL_TITLE)) for r in range(5))
    assert titles == [f"测试事件{i}" for i in range(1, 6)]
    assert {model.data(model.index(r, COL_STATUS)) for r in range(5)} == {"待受理"}
    # personal data is not in the table
    cells = {str(model.data(model.index(r, c))) for r in range(5) for c in range(model.columnCount())}
    assert not any("13812345678" in s or "张三" in s for s in cells)
    # the search field and the centre filter
    assert window.ui.searchEdit.placeholderText() == "搜索 编号/标题/地址/反映人 (Ctrl+F)"
    combo = window.ui.centreCombo
    assert combo.itemText(0) == "全县"
    assert combo.currentText() == "桐君街道综合信息指挥室"
    # the status bar
    assert "值班员甲" in window.userLabel.text() and "值班员" in window.userLabel.text()
    assert "桐君街道综合信息指挥室" in window.userLabel.text()
    assert "单机模式" in window.connectionLabel.text()
    assert window.countsLabel.text() == "在办 5 · 超期 0"
    assert window.simLabel.text() == "模拟运行中 · 已生成 5 件"
    assert window.updatedLabel.text() == "最后更新 09:00:00"


def test_live_change_from_a_thread_updates_the_row_in_place(qtbot, window: MainWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    model = window.model
    ids = model.case_ids()
    selected, target = ids[0], ids[2]
    assert window.select_case(selected)
    assert _selected_ids(window) == [selected]

    resets = _Never()
    model.modelAboutToBeReset.connect(resets)
    removed, inserted = _Never(), _Never()
    model.rowsRemoved.connect(removed)
    model.rowsInserted.connect(inserted)
    changed_rows: list[int] = []
    model.dataChanged.connect(lambda tl, br, *_: changed_rows.extend(range(tl.row(), br.row() + 1)))
    row = model.row_of(target)
    threads: list[threading.Thread] = []
    window.sig_cases_changed.connect(lambda _event: threads.append(threading.current_thread()))

    with qtbot.waitSignal(window.sig_cases_changed, timeout=5000) as blocker:
        out = _in_thread(
            lambda: workspace.commands.apply(Command(C.SUPERVISE, target, SUPERVISOR, {"opinion": "请尽快受理"}))
        )
    assert out[0].ok, out[0].reason
    assert isinstance(blocker.args[0], CasesChanged) and blocker.args[0].case_ids == (target,)
    assert threads == [threading.main_thread()]  # delivered on the GUI thread, not the worker's
    qtbot.waitUntil(lambda: "督办" in model.data(model.index(row, COL_STATUS)), timeout=5000)

    assert model.data(model.index(row, COL_STATUS)) == "待受理 · 督办"
    assert model.row_of(target) == row and model.case_ids() == ids  # in place
    assert row in changed_rows
    assert resets.calls == [] and removed.calls == [] and inserted.calls == []
    assert _selected_ids(window) == [selected]  # the selection survived
    qtbot.waitUntil(lambda: "督办 (1)" in _tab_texts(window))


def test_new_case_from_a_thread_is_inserted_and_highlighted(qtbot, window: MainWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    model = window.model
    selected = model.case_ids()[3]
    window.select_case(selected)
    resets = _Never()
    model.modelAboutToBeReset.connect(resets)
    cmd = _create("新上报：占道经营", priority=Priority.CRITICAL.value)

    with qtbot.waitSignal(model.rowsInserted, timeout=5000):
        out = _in_thread(lambda: workspace.commands.apply(cmd))
    assert out[0].ok, out[0].reason

    assert model.rowCount() == 6 and resets.calls == []
    row = model.row_of(cmd.case_id)
    assert row >= 0
    code_index = model.index(row, COL_CODE)
    assert model.data(code_index).startswith(NEW_MARKER)
    assert model.data(code_index, NEW_ROLE) is True
    assert model.data(code_index, CASE_ID_ROLE) == cmd.case_id
    assert model.data(code_index, FONT_ROLE).bold()
    assert model.data(model.index(row, COL_PRIORITY)) == "特急"
    assert model.data(model.index(row, COL_PRIORITY), FOREGROUND_ROLE) is not None
    assert _selected_ids(window) == [selected]
    qtbot.waitUntil(lambda: _tab_texts(window)[0] == "待受理 (6)")
    assert window.countsLabel.text() == "在办 6 · 超期 0"

    # opening the case clears the highlight
    window.select_case(cmd.case_id)
    row = model.row_of(cmd.case_id)
    assert not model.data(model.index(row, COL_CODE)).startswith(NEW_MARKER)
    assert model.data(model.index(row, COL_CODE), FONT_ROLE) is None
    assert "新上报：占道经营" in window.ui.caseDetail.toPlainText()


def test_accepting_a_case_removes_it_from_the_reported_tab(qtbot, window: MainWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    model = window.model
    ids = model.case_ids()
    resets = _Never()
    model.modelAboutToBeReset.connect(resets)

    with qtbot.waitSignal(model.rowsRemoved, timeout=5000):
        out = workspace.commands.apply(Command(C.ACCEPT, ids[1], OPERATOR, {"opinion": "受理"}, base_version=1))
    assert out.ok, out.reason

    assert model.case_ids() == [i for i in ids if i != ids[1]]
    assert resets.calls == []
    qtbot.waitUntil(lambda: _tab_texts(window)[:2] == ["待受理 (4)", "待派遣 (1)"])

    # and it is in 待派遣 (a tab switch is a filter change: that one resets)
    window.ui.setTabs.setCurrentIndex(1)
    assert model.case_ids() == [ids[1]]
    assert model.data(model.index(0, COL_STATUS)) == Status.REGISTERED.label


def test_detail_pane_shows_history_and_masks_personal_data(qtbot, window: MainWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    model = window.model
    case_id = model.case_ids()[0]
    window.select_case(case_id)
    detail = window.ui.caseDetail
    text = detail.toPlainText()
    assert "测试事件" in text and "处理过程" in text and "上报" in text
    assert "138****5678" in text and "张*" in text
    assert "13812345678" not in text and "张三" not in text
    assert "13812345678" not in detail.toHtml()

    # a live change of the shown case re-renders it; free text is masked too
    out = workspace.commands.apply(Command(C.COMMENT, case_id, OPERATOR, {"text": "已电话联系 13812345678"}))
    assert out.ok, out.reason
    qtbot.waitUntil(lambda: "备注" in detail.toPlainText(), timeout=5000)
    text = detail.toPlainText()
    assert "已电话联系 138****5678" in text
    assert "13812345678" not in text and "13812345678" not in detail.toHtml()
    assert "值班员" in text  # the role label of the history entry


def test_search_filters_as_you_type(qtbot, window: MainWindow) -> None:
    model = window.model
    window.ui.searchEdit.setText("白云路3号")
    assert model.rowCount() == 5  # debounced: not on every keystroke
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert model.data(model.index(0, COL_ADDRESS)) == "白云路3号"
    assert window.ui.queueInfoLabel.text() == "共 1 条"

    window.ui.searchEdit.setText("138123")  # reporter phone: searchable, never shown
    qtbot.waitUntil(lambda: model.rowCount() == 5)
    window.ui.searchEdit.setText("没有这个事件")
    qtbot.waitUntil(lambda: model.rowCount() == 0)
    window.ui.searchEdit.clear()
    qtbot.waitUntil(lambda: model.rowCount() == 5)


def test_tabs_centres_and_counts(qtbot, window: MainWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    model = window.model
    ids = model.case_ids()
    for case_id in ids[:2]:
        assert workspace.commands.apply(Command(C.ACCEPT, case_id, OPERATOR, {})).ok
    assert workspace.commands.apply(
        Command(C.DISPATCH, ids[0], OPERATOR, {"department_code": "D-330122001-enforcement"})
    ).ok
    qtbot.waitUntil(lambda: _tab_texts(window)[:3] == ["待受理 (3)", "待派遣 (1)", "处置中 (1)"])
    assert _tab_texts(window)[8] == "全部在办 (5)"

    window.ui.setTabs.setCurrentIndex(2)
    assert model.case_ids() == [ids[0]]
    assert model.data(model.index(0, COL_STATUS)) == "待签收"
    window.ui.setTabs.setCurrentIndex(8)
    assert model.rowCount() == 5

    # the other township has none; the whole county has them all
    combo = window.ui.centreCombo
    combo.setCurrentIndex(combo.findData("330122002"))
    assert model.rowCount() == 0 and _tab_texts(window)[8] == "全部在办 (0)"
    combo.setCurrentIndex(combo.findData(""))
    assert model.rowCount() == 5


def test_header_click_sorts_in_sql(window: MainWindow) -> None:
    model, header = window.model, window.ui.queueView.horizontalHeader()
    header.setSortIndicator(COL_CODE, Qt.SortOrder.DescendingOrder)
    codes = [model.data(model.index(r, COL_CODE)) for r in range(model.rowCount())]
    assert codes == sorted(codes, reverse=True)
    assert window.current_filter().sort == "code" and window.current_filter().descending
    # a column without a sort key keeps the current sort
    header.setSortIndicator(COL_SOURCE, Qt.SortOrder.AscendingOrder)
    assert header.sortIndicatorSection() == COL_CODE
    assert window.current_filter().sort == "code"
    # switching tabs goes back to the tab's own order
    window.ui.setTabs.setCurrentIndex(9)
    assert window.current_filter().sort == "updated" and window.current_filter().descending
    window.ui.setTabs.setCurrentIndex(0)
    assert window.current_filter().sort == "deadline" and header.sortIndicatorSection() == COL_DEADLINE


def test_countdowns_and_overdue_tab_follow_the_clock(qtbot, window: MainWindow, clock) -> None:  # type: ignore[no-untyped-def]
    model = window.model
    assert model.data(model.index(0, COL_DEADLINE)) == "剩余 1小时0分"
    clock.advance(hours=3)
    window.refresh()  # what the 30 s timer and F5 do
    assert model.data(model.index(0, COL_DEADLINE)).startswith("超期 ")
    assert model.data(model.index(0, COL_DEADLINE), SLA_ROLE) is SlaState.OVERDUE
    assert _tab_texts(window)[5] == "已超期 (5)"
    assert window.countsLabel.text() == "在办 5 · 超期 5"


def test_bursts_are_coalesced(qtbot, window: MainWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    model = window.model
    refreshes = _Never()
    model.sig_refreshed.connect(refreshes)
    ids = tuple(model.case_ids())

    def burst() -> None:
        for _ in range(50):
            workspace.events.cases_changed.emit(CasesChanged(ids, (), "sim"))

    _in_thread(burst)
    qtbot.waitUntil(lambda: len(refreshes.calls) >= 1)
    qtbot.wait(300)  # let any straggling timer fire
    assert 1 <= len(refreshes.calls) <= 3


def test_a_catch_up_burst_requeries_the_window_once(qtbot, window: MainWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    model = window.model
    ids = tuple(model.case_ids())
    target = ids[0]
    with write_tx(workspace.engine) as conn:  # as the sync replica writes a pulled batch
        conn.execute(t.cases.update().where(t.cases.c.id == target).values(title="追上的标题", version=t.cases.c.version + 1))
    refreshes = _Never()
    model.sig_refreshed.connect(refreshes)
    others = tuple(f"elsewhere-{i}" for i in range(LIVE_CHANGES_MAX))  # cases not in this queue
    workspace.events.cases_changed.emit(CasesChanged((*others, target), (), "sync"))
    qtbot.waitUntil(lambda: len(refreshes.calls) >= 1)
    assert model.last_change == "refresh"
    row = model.row_of(target)
    assert row >= 0 and "追上的标题" in str(model.data(model.index(row, COL_TITLE)))


def test_scroll_position_is_kept_when_cases_arrive_above(qtbot, tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    ws = make_workspace(tmp_path / "big.db", clock, n_cases=60)
    try:
        w = make_main_window(ws, OPERATOR)
        qtbot.addWidget(w)
        w.resize(1400, 700)
        w.show()
        qtbot.waitExposed(w)
        model, view = w.model, w.ui.queueView
        # newest first: arrivals land at the top, above the viewport
        view.horizontalHeader().setSortIndicator(COL_CODE, Qt.SortOrder.DescendingOrder)
        assert model.rowCount() == 60 and model.data(model.index(0, COL_CODE)).endswith("0060")
        view.scrollTo(model.index(30, 0), view.ScrollHint.PositionAtTop)
        top = model.data(view.indexAt(QPoint(1, 1)), CASE_ID_ROLE)
        assert view.verticalScrollBar().value() > 0
        resets = _Never()
        model.modelAboutToBeReset.connect(resets)

        with qtbot.waitSignal(model.rowsInserted, timeout=5000):
            _in_thread(lambda: [ws.commands.apply(_create(f"新事件{i}")) for i in range(3)])
        qtbot.waitUntil(lambda: model.rowCount() == 63)
        assert model.data(view.indexAt(QPoint(1, 1)), CASE_ID_ROLE) == top
        assert resets.calls == []
        w.close()
    finally:
        ws.close()


def test_keyboard_shortcuts(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.ui.queueView, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.ui.setTabs.currentIndex() == 2
    qtbot.keyClick(window.ui.queueView, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.ui.setTabs.currentIndex() == 9  # 已结案
    qtbot.keyClick(window.ui.queueView, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.ui.setTabs.currentIndex() == 0
    qtbot.keyClick(window.ui.queueView, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.ui.searchEdit.hasFocus)
    with qtbot.waitSignal(window.model.sig_refreshed):
        qtbot.keyClick(window.ui.queueView, Qt.Key.Key_F5)


def test_closing_the_window_stops_listening(qtbot, workspace) -> None:  # type: ignore[no-untyped-def]
    w = make_main_window(workspace, OPERATOR)
    qtbot.addWidget(w)
    w.show()
    listeners = len(workspace.events.cases_changed._callbacks)
    w.close()
    assert len(workspace.events.cases_changed._callbacks) == listeners - 1
    with qtbot.assertNotEmitted(w.sig_cases_changed, wait=200):
        _in_thread(lambda: workspace.commands.apply(_create("关闭后")))


def test_screenshot_of_the_main_window(qtbot, tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    ws = make_workspace(tmp_path / "shot.db", clock, n_cases=12)
    try:
        w = make_main_window(ws, OPERATOR, sim_status=lambda: "模拟运行中", theme="dark")
        qtbot.addWidget(w)
        w.resize(1920, 1080)
        w.show()
        qtbot.waitExposed(w)
        w.select_case(w.model.case_ids()[0])
        path = tmp_path / "main_window.png"
        assert w.grab().save(str(path))
        assert path.is_file() and path.stat().st_size > 10_000
        img = QImage(str(path))
        assert (img.width(), img.height()) == (w.width(), w.height())
        step = 37
        colours = {img.pixel(x, y) for x in range(0, img.width(), step) for y in range(0, img.height(), step)}
        assert len(colours) > 10, "the screenshot is blank"
        w.close()
    finally:
        ws.close()
