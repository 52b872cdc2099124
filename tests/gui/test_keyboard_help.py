"""Keyboard: the help overlay lists every shortcut the window really has, J opens the
next new case, Esc goes back to the queue, Tab walks search → centre → filter bar → queue
→ case panel → toolbar."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

pytest.importorskip("PySide6", reason="PySide6 is not installed (the 'gui' extra)")

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget

from commandcenter.domain.case import Command, new_id
from commandcenter.domain.enums import CommandType as C
from commandcenter.gui.app import make_main_window
from commandcenter.gui.views.help_overlay import clean_text, collect_shortcuts
from commandcenter.gui.views.main_window import NEXT_NEW_SHORTCUT, MainWindow
from tests.conftest import GRID1, GRIDDER, HANDLER, OPERATOR

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")

NATIVE = QKeySequence.SequenceFormat.NativeText


@pytest.fixture
def window(qtbot, workspace) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    w = make_main_window(workspace, OPERATOR, theme="dark")
    qtbot.addWidget(w)
    w.resize(1600, 900)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    yield w
    w.close()


def _create_from_thread(workspace, title: str) -> str:  # type: ignore[no-untyped-def]
    cmd = Command(C.CREATE, new_id(), GRIDDER, {"title": title, "grid_code": GRID1, "category_code": "0101"})
    out: list[object] = []
    th = threading.Thread(target=lambda: out.append(workspace.commands.apply(cmd)))
    th.start()
    th.join()
    assert getattr(out[0], "ok", False)
    return cmd.case_id


def _window_shortcuts(w: MainWindow) -> list[tuple[str, tuple[str, ...]]]:
    """Every (text, keys) the window answers to, found independently of the overlay:
    every visible QAction with a shortcut that lives in the window (not in a dialog)
    and every enabled QShortcut of the window."""
    found: list[tuple[str, tuple[str, ...]]] = []
    for act in w.findChildren(QAction):
        keys = tuple(s.toString(NATIVE) for s in act.shortcuts() if not s.isEmpty())
        if not keys or not act.isVisible():
            continue
        owners = [o for o in act.associatedObjects() if isinstance(o, QWidget)]
        if owners and all(o.window() is not w for o in owners):
            continue  # an action of a dialog parented to the window
        found.append((clean_text(act.text()), keys))
    for sc in w.findChildren(QShortcut):
        parent = sc.parent()
        if sc.isEnabled() and isinstance(parent, QWidget) and parent.window() is w:
            found.append((sc.whatsThis(), tuple(k.toString(NATIVE) for k in sc.keys())))  # noqa: SIM118
    return found


def test_help_overlay_lists_every_shortcut_of_the_window(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    overlay = window.helpOverlay
    assert not overlay.isVisible()
    qtbot.keyClick(window.ui.queueView, Qt.Key.Key_F1)
    assert overlay.isVisible()

    listed = {(e.text, e.keys) for e in overlay.entries()}
    expected = _window_shortcuts(window)
    offered = [a for a in window.action_controller.actions() if a.isVisible()]
    assert len(offered) >= 10
    # the case actions the operator may use, F2, J, Esc, F1/?, Ctrl+F, F5, the filter bar's
    # Ctrl+Shift+F and Ctrl+Shift+X, the map's Ctrl+L (在地图上定位), and the ten tabs
    assert len(expected) == len(offered) + 6 + 2 + 1 + 10
    missing = [item for item in expected if item not in listed]
    assert missing == []
    text = overlay.text()
    for label, keys in expected:
        assert label in text
        for key in keys:
            assert key in text
    # the ones the issue names, by key
    keys = {k for e in overlay.entries() for k in e.keys}
    for key in ("F2", "J", "Esc", "F1", "?", "Ctrl+F", "F5", "A", "X", "D", "R", "E", "U", "I", "N", "M"):
        assert QKeySequence(key).toString(NATIVE) in keys, key
    for i in range(10):
        assert f"Ctrl+{i}" in keys
    # nothing listed twice, and grouped as the menu bar is
    assert len(overlay.entries()) == len({(e.text, e.keys) for e in overlay.entries()})
    groups = list(dict.fromkeys(e.group for e in overlay.entries()))
    assert groups[:3] == ["案件", "视图", "帮助"] and "工作集" in groups


def test_overlay_lists_only_what_the_role_is_offered(qtbot, workspace) -> None:  # type: ignore[no-untyped-def]
    w = make_main_window(workspace, HANDLER)
    qtbot.addWidget(w)
    w.show()
    entries = collect_shortcuts(w)
    texts = {e.text for e in entries}
    assert "签收" in texts and "处理反馈" in texts
    assert "派遣" not in texts and "受理立案" not in texts  # a department handler never dispatches
    assert not w.action_controller.action(C.DISPATCH).isVisible()
    w.close()


def test_overlay_is_non_modal_and_closes_with_esc_f1_and_question_mark(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    overlay, view = window.helpOverlay, window.ui.queueView
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Question)
    assert overlay.isVisible()
    assert QApplication.activeModalWidget() is None
    assert view.hasFocus()  # the overlay never takes the keyboard
    # the other shortcuts keep working while it is shown
    qtbot.keyClick(view, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.ui.setTabs.currentIndex() == 2
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not overlay.isVisible()
    qtbot.keyClick(view, Qt.Key.Key_F1)
    assert overlay.isVisible()
    qtbot.keyClick(view, Qt.Key.Key_F1)
    assert not overlay.isVisible()
    # it sits over the window, inside it
    qtbot.keyClick(view, Qt.Key.Key_F1)
    assert window.rect().contains(overlay.geometry())
    overlay.closeButton.click()
    assert not overlay.isVisible()


def test_next_new_case_key_selects_the_new_case(qtbot, window: MainWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    model = window.model
    first = model.case_ids()[0]
    window.select_case(first)
    with qtbot.waitSignal(model.rowsInserted, timeout=5000):
        new_id_ = _create_from_thread(workspace, "新上报：井盖缺失")
    assert model.is_new(new_id_)
    assert window.selected_case_id == first

    qtbot.keyClick(window.ui.queueView, Qt.Key.Key_J)
    assert NEXT_NEW_SHORTCUT == "J"
    assert window.selected_case_id == new_id_
    assert [model.case_id(ix.row()) for ix in window.ui.queueView.selectionModel().selectedRows()] == [new_id_]
    assert not model.is_new(new_id_)  # opened: no longer highlighted
    assert "新上报：井盖缺失" in window.ui.caseDetail.toPlainText()

    # nothing new any more: the selection stays and the status bar says so
    qtbot.keyClick(window.ui.queueView, Qt.Key.Key_J)
    assert window.selected_case_id == new_id_
    assert window.ui.statusbar.currentMessage() == "没有新到的事件"


def test_next_new_case_finds_a_new_case_outside_the_current_tab(qtbot, window: MainWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    window.ui.setTabs.setCurrentIndex(9)  # 已结案: new reports never show here
    with qtbot.waitSignal(window.sig_cases_changed, timeout=5000):
        new_id_ = _create_from_thread(workspace, "新上报：路灯不亮")
    assert window.model.is_new(new_id_) and window.model.row_of(new_id_) < 0
    qtbot.keyClick(window.ui.queueView, Qt.Key.Key_J)
    assert window.selected_case_id == new_id_
    assert window.ui.setTabs.currentIndex() != 9
    assert window.model.row_of(new_id_) >= 0


def test_escape_puts_the_keyboard_back_on_the_queue(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    search = window.ui.searchEdit
    qtbot.keyClick(window.ui.queueView, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(search.hasFocus)
    qtbot.keyClick(search, Qt.Key.Key_Escape)
    qtbot.waitUntil(window.ui.queueView.hasFocus)
    window.ui.caseDetail.setFocus()
    qtbot.keyClick(window.ui.caseDetail, Qt.Key.Key_Escape)
    qtbot.waitUntil(window.ui.queueView.hasFocus)


def test_tab_order_search_centre_queue_panel_toolbar(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.select_case(window.model.case_ids()[0])  # toolbar actions enabled
    window.ui.searchEdit.setFocus()
    qtbot.waitUntil(window.ui.searchEdit.hasFocus)

    def tab(key: Qt.Key = Qt.Key.Key_Tab) -> QWidget | None:
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, key)
        return QApplication.focusWidget()

    # the filter bar (views/filter_bar.py) sits between the centre and the queue; its custom
    # time-range editors are hidden and the 清除筛选 button disabled while no filter is on
    bar = [w for w in window.filterBar.focus_chain() if w.isVisible() and w.isEnabled()]
    seen = [tab() for _ in range(len(bar) + 3)]
    assert seen == [window.ui.centreCombo, *bar, window.ui.queueView, window.ui.caseDetail]
    # inside the case panel Tab first walks its links (the related cases), then leaves
    links = window.ui.caseDetail.toHtml().count('href="case:')
    for _ in range(links):
        assert tab() is window.ui.caseDetail
    toolbar = window.actionToolBar
    first_button = toolbar.widgetForAction(window.actionHotlineIntake)
    assert tab() is first_button
    second = tab()
    assert second is not None and second.parent() is toolbar and second is not first_button
    # and back
    assert tab(Qt.Key.Key_Backtab) is first_button
