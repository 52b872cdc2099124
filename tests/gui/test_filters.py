"""The filter bar of the live queue over the real seeded demo store: department,
category, township/grid, priority, severity, source and time range, driven through
the real widgets (the drop-downs, the time combo and editors, 清除筛选, Esc, the
shortcut).  The rows the model shows are checked against the store, read on its own
with plain SQL (not through QueueFilter)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6", reason="PySide6 is not installed (the 'gui' extra)")

from PySide6.QtCore import QDate, QDateTime, QPoint, Qt, QTime
from PySide6.QtGui import QImage, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QToolButton, QTreeWidgetItem, QWidget
from sqlalchemy import bindparam, text

from commandcenter.domain.enums import Priority, Severity, Source
from commandcenter.domain.timeutil import CST, UTC
from commandcenter.gui.app import make_main_window
from commandcenter.gui.views.filter_bar import ACTIVE_PROPERTY, KEY_ROLE, ChoiceFilter
from commandcenter.gui.views.help_overlay import collect_shortcuts
from commandcenter.gui.views.main_window import MainWindow
from commandcenter.services.workspace import Workspace
from commandcenter.sim.demo import seed_demo

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")

NOW = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)  # 14:00 Beijing time, a Tuesday
OPEN_TAB = 8  # 全部在办
CLOSED_TAB = 9  # 已结案


class Clock:
    def __call__(self) -> datetime:
        return NOW


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("filters") / "demo.db"
    ws = Workspace.open(path, clock=Clock())
    seed_demo(ws.engine, NOW, days=8, per_day=120)
    ws.close()
    return path


@pytest.fixture
def ws(demo_db: Path) -> Iterator[Workspace]:
    w = Workspace.open(demo_db, clock=Clock())
    yield w
    w.close()


@pytest.fixture
def window(qtbot, ws: Workspace) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    actor = ws.actor("operator")
    assert actor is not None
    w = make_main_window(ws, actor, theme="dark")
    qtbot.addWidget(w)
    w.resize(1920, 1080)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    w.ui.centreCombo.setCurrentIndex(0)  # 全县: every centre
    w.ui.setTabs.setCurrentIndex(OPEN_TAB)
    yield w
    w.close()


# --- helpers ------------------------------------------------------------------------


def shown_ids(w: MainWindow) -> set[str]:
    """Every row of the queue (the model loads a page at a time: load them all)."""
    m = w.model
    while m.canFetchMore():
        m.fetchMore()
    ids = m.case_ids()
    assert len(ids) == len(set(ids))
    return set(ids)


def store_ids(ws: Workspace, where: str = "1 = 1", *, open_only: bool = True, **params: Any) -> set[str]:
    """The ids the store holds for a condition, by plain SQL."""
    sql = "SELECT id FROM cases WHERE " + ("is_open = 1 AND " if open_only else "") + f"({where})"
    stmt = text(sql)
    for name, value in params.items():
        if isinstance(value, list | tuple):
            stmt = stmt.bindparams(bindparam(name, expanding=True))
    with ws.read() as conn:
        return {r[0] for r in conn.execute(stmt, params)}


def top_values(ws: Workspace, column: str, n: int) -> list[str]:
    """The n most frequent non-null values of a column among open cases."""
    with ws.read() as conn:
        rows = conn.execute(text(
            f"SELECT {column}, count(*) AS k FROM cases WHERE is_open = 1 AND {column} IS NOT NULL "
            f"GROUP BY {column} ORDER BY k DESC, {column} LIMIT :n"
        ), {"n": n})
        return [r[0] for r in rows]


def epoch(dt: datetime) -> int:
    return int(dt.timestamp())


def open_popup(qtbot, choice: ChoiceFilter) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(choice.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(choice.popup.isVisible)


def close_popup(qtbot, choice: ChoiceFilter) -> None:  # type: ignore[no-untyped-def]
    """Esc closes the drop-down.  (The offscreen platform activates popups like windows and
    does not hand the activation back: do what the window system does.)"""
    qtbot.keyClick(choice.popup.tree, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not choice.popup.isVisible())
    window = choice.button.window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def item_of(choice: ChoiceFilter, key: str) -> QTreeWidgetItem:
    item = choice.popup.item_of(key)
    assert item is not None, key
    return item


def click_item(qtbot, choice: ChoiceFilter, key: str) -> None:  # type: ignore[no-untyped-def]
    """Click an entry's text in the open drop-down (its group opened first)."""
    tree = choice.popup.tree
    item = item_of(choice, key)
    if item.parent() is not None:
        item.parent().setExpanded(True)
    tree.scrollToItem(item)
    rect = tree.visualItemRect(item)
    assert rect.isValid()
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.right() - 10, rect.center().y()))


def type_text(widget: QWidget, value: str) -> None:
    """Type Chinese as an input method delivers it (QTest's key clicks are Latin-1 only)."""
    event = QInputMethodEvent()
    event.setCommitString(value)
    QApplication.sendEvent(widget, event)


def wait_filter(qtbot, w: MainWindow, **expected: Any) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: all(getattr(w.model.filter, k) == v for k, v in expected.items()), timeout=5000)


# --- the tests ----------------------------------------------------------------------


def test_bar_lists_the_reference_data_and_starts_empty(window: MainWindow, ws: Workspace) -> None:
    bar = window.filterBar
    assert [b.text() for b in (bar.department.button, bar.category.button, bar.location.button)] == [
        "部门 ▾", "分类 ▾", "乡镇/网格 ▾"
    ]
    assert set(bar.department.choice_keys()) == set(ws.ref.departments)
    assert {c for c in bar.category.choice_keys() if c} == set(ws.ref.categories)
    assert [bar.priority.label_of(k) for k in bar.priority.choice_keys()] == ["特急", "紧急", "一般"]
    assert [bar.severity.label_of(k) for k in bar.severity.choice_keys()] == [s.label for s in Severity]
    assert [bar.source.label_of(k) for k in bar.source.choice_keys()] == [s.label for s in Source]
    townships = [k for k in bar.location.choice_keys() if len(k) == 9]
    assert len(townships) == 14 and len([k for k in bar.location.choice_keys() if len(k) == 15]) > 300
    combo = window.ui.timeCombo
    assert [combo.itemText(i) for i in range(combo.count())] == ["全部时间", "今天", "近24小时", "近7天", "近30天", "自定义…"]
    assert not window.ui.fromEdit.isVisible() and not window.ui.toEdit.isVisible()
    assert window.ui.filterSummaryLabel.text() == "" and not window.ui.clearFiltersButton.isEnabled()
    assert not bar.is_active()
    assert shown_ids(window) == store_ids(ws)


def test_department_multi_select_with_search(qtbot, window: MainWindow, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    bar = window.filterBar
    first, second = top_values(ws, "department_code", 2)
    first_name, second_name = ws.ref.departments[first].name, ws.ref.departments[second].name

    # type the name in the search field, ↓ into the list, Space ticks the first match
    open_popup(qtbot, bar.department)
    search = bar.department.popup.searchEdit
    assert search is not None
    qtbot.waitUntil(search.hasFocus)
    type_text(search, first_name)
    tree = bar.department.popup.tree
    visible = [it for it in bar.department.popup.items() if not it.isHidden() and it.childCount() == 0]
    assert [it.data(0, KEY_ROLE) for it in visible] == [first]
    qtbot.keyClick(search, Qt.Key.Key_Down)
    qtbot.waitUntil(tree.hasFocus)
    assert tree.currentItem().data(0, KEY_ROLE) == first
    qtbot.keyClick(tree, Qt.Key.Key_Space)
    wait_filter(qtbot, window, departments=(first,))
    assert shown_ids(window) == store_ids(ws, "department_code = :d", d=first)
    assert bar.department.button.text().startswith("部门：")
    assert bar.department.button.property(ACTIVE_PROPERTY) is True
    assert window.ui.filterSummaryLabel.text() == "已筛选 1 项"
    assert first_name in window.ui.filterSummaryLabel.toolTip()

    # a click on the second one's name adds it
    search.clear()
    click_item(qtbot, bar.department, second)
    wait_filter(qtbot, window, departments=tuple(sorted((first, second), key=bar.department.choice_keys().index)))
    assert bar.department.button.text() == "部门：2项 ▾"
    expected = store_ids(ws, "department_code IN :d", d=[first, second])
    assert shown_ids(window) == expected
    qtbot.keyClick(tree, Qt.Key.Key_Return)  # Enter closes the list
    qtbot.waitUntil(lambda: not bar.department.popup.isVisible())
    assert second_name in window.ui.filterSummaryLabel.toolTip()

    # combined with the tab and the search
    window.ui.setTabs.setCurrentIndex(0)  # 待受理
    wait_filter(qtbot, window, statuses=window.work_sets[0].filter.statuses)
    assert window.model.filter.departments == bar.department.values()
    assert shown_ids(window) == expected & store_ids(ws, "status = 'reported'")


def test_priority_category_and_search_combine(qtbot, window: MainWindow, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    bar = window.filterBar
    open_popup(qtbot, bar.priority)
    assert bar.priority.popup.searchEdit is None
    click_item(qtbot, bar.priority, Priority.URGENT.value)
    click_item(qtbot, bar.priority, Priority.CRITICAL.value)
    wait_filter(qtbot, window, priorities=(Priority.CRITICAL, Priority.URGENT))
    close_popup(qtbot, bar.priority)
    urgent = store_ids(ws, "priority IN ('urgent', 'critical')")
    assert urgent and shown_ids(window) == urgent

    # a 大类 matches all of its 小类 (picked by typing and Enter)
    major = top_values(ws, "substr(category_code, 1, 2)", 1)[0]
    open_popup(qtbot, bar.category)
    search = bar.category.popup.searchEdit
    assert search is not None
    type_text(search, ws.ref.categories[major].name)
    qtbot.keyClick(search, Qt.Key.Key_Return)
    wait_filter(qtbot, window, category=major)
    assert not bar.category.popup.isVisible()
    in_major = store_ids(ws, "category_code LIKE :p", p=major + "%")
    assert shown_ids(window) == urgent & in_major
    assert bar.category.button.text() == f"分类：{ws.ref.categories[major].name} ▾"

    # a 小类 by a click
    minor = top_values(ws, "category_code", 1)[0]
    open_popup(qtbot, bar.category)
    click_item(qtbot, bar.category, minor)
    wait_filter(qtbot, window, category=minor)
    assert shown_ids(window) == urgent & store_ids(ws, "category_code = :c", c=minor)
    assert window.ui.filterSummaryLabel.text() == "已筛选 2 项"

    # the free-text search narrows it further
    window.ui.setTabs.setCurrentIndex(OPEN_TAB)
    ids = sorted(shown_ids(window))
    if ids:
        code = ws.case(ids[0]).code  # type: ignore[union-attr]
        qtbot.keyClicks(window.ui.searchEdit, code)
        qtbot.keyClick(window.ui.searchEdit, Qt.Key.Key_Return)
        wait_filter(qtbot, window, text=code, category=minor)
        assert shown_ids(window) == {ids[0]}


def test_township_grid_severity_and_source(qtbot, window: MainWindow, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    bar = window.filterBar
    township = top_values(ws, "township_code", 1)[0]
    open_popup(qtbot, bar.location)
    click_item(qtbot, bar.location, township)
    wait_filter(qtbot, window, township=township, grid="")
    assert shown_ids(window) == store_ids(ws, "township_code = :t", t=township)

    grid = top_values(ws, "grid_code", 1)[0]
    open_popup(qtbot, bar.location)
    click_item(qtbot, bar.location, grid)
    wait_filter(qtbot, window, township="", grid=grid)
    assert shown_ids(window) == store_ids(ws, "grid_code = :g", g=grid)
    assert bar.location.button.text().startswith("乡镇/网格：")

    window.ui.setTabs.setCurrentIndex(CLOSED_TAB)  # the closed cases: more of them
    open_popup(qtbot, bar.location)
    click_item(qtbot, bar.location, "")  # 全部乡镇/网格
    wait_filter(qtbot, window, grid="", township="")
    source = top_values(ws, "source", 2)[1]  # not the most common one
    open_popup(qtbot, bar.source)
    click_item(qtbot, bar.source, source)
    wait_filter(qtbot, window, sources=(Source(source),))
    close_popup(qtbot, bar.source)
    open_popup(qtbot, bar.severity)
    for sev in (Severity.MAJOR, Severity.SERIOUS):
        click_item(qtbot, bar.severity, sev.value)
    wait_filter(qtbot, window, severities=(Severity.MAJOR, Severity.SERIOUS))
    close_popup(qtbot, bar.severity)
    closed = "status IN ('closed', 'archived') AND source = :s AND severity IN ('major', 'serious')"
    assert shown_ids(window) == store_ids(ws, closed, open_only=False, s=source)


def test_time_presets_and_custom_range(qtbot, window: MainWindow, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    bar, ui = window.filterBar, window.ui
    window.ui.setTabs.setCurrentIndex(CLOSED_TAB)
    combo = ui.timeCombo

    combo.setCurrentIndex(combo.findText("近7天"))
    wait_filter(qtbot, window, created_from=NOW - timedelta(days=7), created_to=None)
    closed = "status IN ('closed', 'archived')"
    week = store_ids(ws, f"{closed} AND created_at >= :a", open_only=False, a=epoch(NOW - timedelta(days=7)))
    assert week and shown_ids(window) == week
    assert combo.property(ACTIVE_PROPERTY) is True

    combo.setCurrentIndex(combo.findText("今天"))
    midnight = datetime(2026, 11, 24, 0, 0, tzinfo=CST)
    wait_filter(qtbot, window, created_from=midnight.astimezone(UTC), created_to=None)
    assert shown_ids(window) == store_ids(ws, f"{closed} AND created_at >= :a", open_only=False, a=epoch(midnight))

    combo.setCurrentIndex(combo.findText("近24小时"))
    wait_filter(qtbot, window, created_from=NOW - timedelta(hours=24))
    assert shown_ids(window) == store_ids(
        ws, f"{closed} AND created_at >= :a", open_only=False, a=epoch(NOW - timedelta(hours=24))
    )

    # custom: the editors appear; set a range and press 应用
    combo.setCurrentIndex(combo.findText("自定义…"))
    qtbot.waitUntil(ui.fromEdit.isVisible)
    assert ui.toEdit.isVisible() and ui.timeApplyButton.isVisible()
    ui.fromEdit.setDateTime(QDateTime(QDate(2026, 11, 19), QTime(8, 30)))
    ui.toEdit.setDateTime(QDateTime(QDate(2026, 11, 21), QTime(17, 0)))
    qtbot.mouseClick(ui.timeApplyButton, Qt.MouseButton.LeftButton)
    start, end = datetime(2026, 11, 19, 8, 30, tzinfo=CST), datetime(2026, 11, 21, 17, 0, tzinfo=CST)
    wait_filter(qtbot, window, created_from=start.astimezone(UTC), created_to=end.astimezone(UTC))
    custom = store_ids(ws, f"{closed} AND created_at >= :a AND created_at < :b", open_only=False,
                       a=epoch(start), b=epoch(end))
    assert custom and shown_ids(window) == custom
    assert "2026-11-19 08:30 至 2026-11-21 17:00" in ui.filterSummaryLabel.toolTip()

    # from later than to: refused with a message, nothing changes (no re-query, no reset)
    before = window.model.filter
    resets: list[int] = []
    window.model.modelAboutToBeReset.connect(lambda: resets.append(1))
    ui.fromEdit.setDateTime(QDateTime(QDate(2026, 11, 23), QTime(9, 0)))
    ui.toEdit.setDateTime(QDateTime(QDate(2026, 11, 22), QTime(9, 0)))
    ui.toEdit.setFocus()
    qtbot.keyClick(ui.toEdit, Qt.Key.Key_Return)
    message = ui.statusbar.currentMessage()
    assert "开始时间" in message and "早于结束时间" in message and "筛选未改变" in message
    assert ui.toEdit.property("filterInvalid") is True
    qtbot.mouseClick(ui.timeApplyButton, Qt.MouseButton.LeftButton)
    assert window.model.filter == before and resets == []
    assert shown_ids(window) == custom
    # equal ends are refused too
    ui.toEdit.setDateTime(QDateTime(QDate(2026, 11, 23), QTime(9, 0)))
    assert ui.toEdit.property("filterInvalid") is False  # editing clears the mark
    assert not bar.time.apply_custom()
    assert window.model.filter == before and resets == []

    # leaving the bad range behind: another preset, then 自定义… again starts from a valid range
    ui.toEdit.setDateTime(QDateTime(QDate(2026, 11, 20), QTime(9, 0)))
    combo.setCurrentIndex(combo.findText("近30天"))
    wait_filter(qtbot, window, created_from=NOW - timedelta(days=30), created_to=None)
    assert not ui.fromEdit.isVisible()
    combo.setCurrentIndex(combo.findText("自定义…"))
    today = datetime(2026, 11, 24, 0, 0, tzinfo=CST).astimezone(UTC)
    wait_filter(qtbot, window, created_from=today, created_to=NOW + timedelta(hours=1))
    assert combo.currentText() == "自定义…" and bar.time.range == (today, NOW + timedelta(hours=1))
    # the whole range from the store
    combo.setCurrentIndex(combo.findText("全部时间"))
    wait_filter(qtbot, window, created_from=None, created_to=None)
    assert shown_ids(window) == store_ids(ws, closed, open_only=False)
    assert combo.property(ACTIVE_PROPERTY) is False


def test_clear_button_escape_and_shortcuts(qtbot, window: MainWindow, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    bar, ui = window.filterBar, window.ui
    base = window.current_filter()
    everything = shown_ids(window)

    def set_some() -> None:
        bar.priority.set_values([Priority.NORMAL.value])
        ui.timeCombo.setCurrentIndex(ui.timeCombo.findText("近7天"))
        open_popup(qtbot, bar.department)
        click_item(qtbot, bar.department, top_values(ws, "department_code", 1)[0])
        close_popup(qtbot, bar.department)
        qtbot.waitUntil(lambda: len(window.model.filter.departments) == 1)
        assert ui.filterSummaryLabel.text() == "已筛选 3 项" and ui.clearFiltersButton.isEnabled()

    set_some()
    qtbot.mouseClick(ui.clearFiltersButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.filter == base)
    assert shown_ids(window) == everything == store_ids(ws)
    assert ui.filterSummaryLabel.text() == "" and not ui.clearFiltersButton.isEnabled()
    assert ui.timeCombo.currentText() == "全部时间"
    assert [b.text() for b in (bar.department.button, bar.priority.button)] == ["部门 ▾", "紧急程度 ▾"]
    assert not any(c.button.property(ACTIVE_PROPERTY) for c in bar.choices)

    # Ctrl+Shift+F puts the keyboard on the bar; Esc there clears; Esc again goes to the queue
    set_some()
    ui.queueView.setFocus()
    qtbot.keyClick(ui.queueView, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(ui.departmentButton.hasFocus)
    qtbot.keyClick(ui.departmentButton, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is ui.categoryButton
    qtbot.keyClick(ui.categoryButton, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.model.filter == base)
    assert ui.categoryButton.hasFocus()
    qtbot.keyClick(ui.categoryButton, Qt.Key.Key_Escape)
    qtbot.waitUntil(ui.queueView.hasFocus)

    # Ctrl+Shift+X clears from anywhere
    set_some()
    qtbot.keyClick(ui.queueView, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.model.filter == base)

    # both are in the 视图 menu, so the help overlay lists them
    listed = {(e.group, e.text): e.keys for e in collect_shortcuts(window)}
    assert listed[("视图", "筛选栏")] == ("Ctrl+Shift+F",)
    assert listed[("视图", "清除筛选")] == ("Ctrl+Shift+X",)


def test_keyboard_only_single_select_and_selection_kept(qtbot, window: MainWindow, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    bar, ui = window.filterBar, window.ui
    ids = window.model.case_ids()
    case = ws.case(ids[0])
    assert case is not None and case.category_code
    assert window.select_case(case.id)

    # Space opens the drop-down, type, ↓, Enter picks: the selected case still matches and stays selected
    ui.categoryButton.setFocus()
    qtbot.keyClick(ui.categoryButton, Qt.Key.Key_Space)
    qtbot.waitUntil(bar.category.popup.isVisible)
    search = bar.category.popup.searchEdit
    assert search is not None
    qtbot.waitUntil(search.hasFocus)
    type_text(search, ws.ref.categories[case.category_code].name)
    qtbot.keyClick(search, Qt.Key.Key_Down)
    tree = bar.category.popup.tree
    while tree.currentItem().data(0, KEY_ROLE) != case.category_code:
        qtbot.keyClick(tree, Qt.Key.Key_Down)
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    wait_filter(qtbot, window, category=case.category_code)
    qtbot.waitUntil(ui.categoryButton.hasFocus)
    assert window.selected_case_id == case.id
    assert [window.model.case_id(ix.row()) for ix in ui.queueView.selectionModel().selectedRows()] == [case.id]
    assert shown_ids(window) == store_ids(ws, "category_code = :c", c=case.category_code)


def test_language_switch_keeps_the_filters(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    bar = window.filterBar
    bar.priority.set_values([Priority.URGENT.value])
    wait_filter(qtbot, window, priorities=(Priority.URGENT,))
    window.retranslate()  # what a LanguageChange does
    assert window.model.filter.priorities == (Priority.URGENT,)
    assert bar.priority.button.text() == "紧急程度：紧急 ▾"
    assert window.ui.filterSummaryLabel.text() == "已筛选 1 项"


def test_screenshot_with_active_filters(qtbot, window: MainWindow, ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bar, ui = window.filterBar, window.ui
    bar.department.set_values(top_values(ws, "department_code", 2))
    bar.priority.set_values([Priority.URGENT.value, Priority.CRITICAL.value])
    ui.timeCombo.setCurrentIndex(ui.timeCombo.findText("自定义…"))
    qtbot.waitUntil(ui.fromEdit.isVisible)
    qtbot.waitUntil(lambda: window.model.filter.created_to is not None)
    path = tmp_path / "filter_bar_zh_CN_dark.png"
    assert window.grab().save(str(path))
    img = QImage(str(path))
    assert (img.width(), img.height()) == (1920, 1080)
    # the bar sits below the search row, fully inside the window
    bar_rect = ui.filterBar.geometry()
    assert bar_rect.top() > ui.searchEdit.geometry().bottom() - 2
    for b in (ui.departmentButton, ui.clearFiltersButton, ui.toEdit):
        assert b.isVisible() and b.mapTo(window, QPoint(b.width(), 0)).x() <= window.width()
    assert isinstance(ui.departmentButton, QToolButton)


def test_revealing_a_case_the_filters_hide_clears_them(qtbot, window: MainWindow, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    bar = window.filterBar
    with ws.read() as conn:
        hidden = conn.execute(text("SELECT id FROM cases WHERE is_open = 1 AND priority = 'normal' LIMIT 1")).scalar()
    assert hidden is not None
    bar.priority.set_values([Priority.CRITICAL.value])
    wait_filter(qtbot, window, priorities=(Priority.CRITICAL,))
    assert window.model.row_of(hidden) < 0
    assert window.reveal_case(hidden)  # as an alert or a link in the case panel does
    assert window.selected_case_id == hidden
    assert not bar.is_active() and window.model.filter.priorities == ()
    assert window.ui.filterSummaryLabel.text() == "" and bar.priority.button.text() == "紧急程度 ▾"


class MovingClock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def test_time_presets_move_with_the_clock(qtbot, demo_db: Path) -> None:  # type: ignore[no-untyped-def]
    """A night shift leaves 近24小时 or 今天 on: the range follows the clock (hourly, and at
    midnight), not the moment it was chosen; a custom range stays put."""
    clock = MovingClock()
    ws = Workspace.open(demo_db, clock=clock)
    actor = ws.actor("operator")
    assert actor is not None
    w = make_main_window(ws, actor, theme="dark")
    qtbot.addWidget(w)
    w.show()
    try:
        combo = w.ui.timeCombo
        combo.setCurrentIndex(combo.findText("近24小时"))
        wait_filter(qtbot, w, created_from=NOW - timedelta(hours=24))
        clock.now = NOW + timedelta(minutes=20)
        w.on_tick_timer_timeout()  # under the hour's step: no re-query
        assert w.model.filter.created_from == NOW - timedelta(hours=24)
        clock.now = NOW + timedelta(hours=2)
        w.on_tick_timer_timeout()
        wait_filter(qtbot, w, created_from=NOW - timedelta(hours=22))

        combo.setCurrentIndex(combo.findText("今天"))
        wait_filter(qtbot, w, created_from=datetime(2026, 11, 24, 0, 0, tzinfo=CST).astimezone(UTC))
        clock.now = datetime(2026, 11, 25, 0, 5, tzinfo=CST).astimezone(UTC)  # past midnight
        w.on_tick_timer_timeout()
        wait_filter(qtbot, w, created_from=datetime(2026, 11, 25, 0, 0, tzinfo=CST).astimezone(UTC))

        w.filterBar.time.set_custom(NOW - timedelta(days=2), NOW)
        assert w.filterBar.time.apply_custom()
        wait_filter(qtbot, w, created_from=NOW - timedelta(days=2), created_to=NOW)
        clock.now += timedelta(days=1)
        assert not w.filterBar.time.roll()
        assert w.model.filter.created_to == NOW
    finally:
        w.close()
        ws.close()
