"""Hotline intake: the form creates cases through the command path, validates the
phone as typed, lists likely duplicates and merges into one of them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("PySide6", reason="PySide6 is not installed (the 'gui' extra)")

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from commandcenter.domain.case import Actor, Command, new_id
from commandcenter.domain.enums import CommandType as C
from commandcenter.domain.enums import Priority, Role, Severity, Source, Status
from commandcenter.gui.app import make_main_window
from commandcenter.gui.views.intake import PHONE_MESSAGE, HotlineIntakeDialog
from commandcenter.gui.views.main_window import MainWindow
from commandcenter.store import schema as t
from tests.conftest import GRID1, GRID2, GRIDDER, OPERATOR, T1, WALL

LEFT = Qt.MouseButton.LeftButton

# The offscreen platform plugin warns about what it cannot do for a real window manager
# (a dialog with a layout: "...propagateSizeHints()"); that says nothing about our code.
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")


def _count(ws: Any, table: Any = t.cases) -> int:
    with ws.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


@pytest.fixture
def dialog(qtbot, workspace) -> Iterator[HotlineIntakeDialog]:  # type: ignore[no-untyped-def]
    dlg = HotlineIntakeDialog(workspace, OPERATOR, debounce_ms=10)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    yield dlg
    dlg.close()


def _fill(qtbot, dlg: HotlineIntakeDialog, *, phone: str = "13900001111", category: str = "1001",  # type: ignore[no-untyped-def]
          grid: str | None = GRID2, address: str = "洋洲路8号") -> None:
    dlg.sourceCombo.setCurrentIndex(dlg.sourceCombo.findData(Source.HOTLINE_967999.value))
    dlg.callerEdit.setText("李四")
    qtbot.keyClicks(dlg.phoneEdit, phone)
    assert dlg.set_category(category)
    dlg.priorityCombo.setCurrentIndex(dlg.priorityCombo.findData(Priority.URGENT.value))
    dlg.severityCombo.setCurrentIndex(dlg.severityCombo.findData(Severity.MAJOR.value))
    dlg.addressEdit.setText(address)
    if grid is not None:
        assert dlg.set_grid(grid)
    dlg.descriptionEdit.setPlainText("楼上装修噪音，夜间施工，多次协商未果")


def test_intake_creates_the_case_with_its_fields_and_history(qtbot, dialog: HotlineIntakeDialog, workspace) -> None:  # type: ignore[no-untyped-def]
    before, outbox = _count(workspace), _count(workspace, t.outbox)
    _fill(qtbot, dialog)
    dialog.titleEdit.setText("洋洲路8号装修扰民")
    assert dialog.phoneMessage.isHidden()
    with qtbot.waitSignal(dialog.sig_case_created, timeout=2000) as blocker:
        qtbot.mouseClick(dialog.saveButton, LEFT)
    case_id, code = blocker.args
    case = workspace.case(case_id)
    assert case is not None and case.code == code
    assert case.title == "洋洲路8号装修扰民"
    assert case.source is Source.HOTLINE_967999
    assert case.category_code == "1001"
    assert case.priority is Priority.URGENT and case.severity is Severity.MAJOR
    assert case.reporter_name == "李四" and case.reporter_phone == "13900001111"
    assert case.grid_code == GRID2 and case.township_code == GRID2[:9]
    assert case.address == "洋洲路8号"
    assert case.description == "楼上装修噪音，夜间施工，多次协商未果"
    assert case.centre_code == T1  # the call came to the operator's centre: its queue takes it
    assert case.status is Status.REPORTED and case.stage_deadline is not None
    history = workspace.history(case_id)
    assert [(h["action"], h["actor"], h["role"], h["to_status"]) for h in history] == [
        ("create", "op1", "operator", "reported")
    ]
    assert history[0]["details"] == {"source": "hotline_967999"}
    assert _count(workspace) == before + 1 and _count(workspace, t.outbox) == outbox + 1
    # saved: the form is cleared for the next call and put away
    assert not dialog.isVisible()
    assert dialog.phoneEdit.text() == "" and dialog.addressEdit.text() == "" and dialog.category_code() is None


def test_title_is_generated_when_left_empty_and_grid_gives_the_position(qtbot, dialog, workspace) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import update

    with workspace.engine.begin() as conn:
        conn.execute(update(t.org_units).where(t.org_units.c.code == GRID2).values(centroid_lon=119.70, centroid_lat=29.80))
    _fill(qtbot, dialog, address="")
    with qtbot.waitSignal(dialog.sig_case_created, timeout=2000) as blocker:
        qtbot.mouseClick(dialog.saveButton, LEFT)
    case = workspace.case(blocker.args[0])
    assert case.title == "邻里纠纷：洋洲社区第1网格"
    assert (case.lon, case.lat) == (119.70, 29.80)


def test_a_bad_phone_is_flagged_as_typed_and_blocks_saving(qtbot, dialog: HotlineIntakeDialog, workspace) -> None:  # type: ignore[no-untyped-def]
    before, outbox = _count(workspace), _count(workspace, t.outbox)
    _fill(qtbot, dialog, phone="1380013")
    assert dialog.phoneMessage.isHidden()  # still typing: not judged yet
    qtbot.keyClick(dialog.phoneEdit, Qt.Key.Key_Return)  # done with the field
    assert dialog.phoneMessage.isVisible()
    assert dialog.phoneMessage.text() == PHONE_MESSAGE == "联系电话格式不正确：应为 11 位手机号或带区号的固定电话"
    dialog.phoneEdit.setText("23800138000")  # eleven digits, not a mobile number: judged at once
    assert dialog.phoneMessage.isVisible()

    with qtbot.assertNotEmitted(dialog.sig_case_created, wait=100):
        qtbot.mouseClick(dialog.saveButton, LEFT)
    assert dialog.messageLabel.text() == PHONE_MESSAGE
    assert _count(workspace) == before and _count(workspace, t.outbox) == outbox  # nothing written
    # nothing lost either
    assert dialog.isVisible()
    assert dialog.phoneEdit.text() == "23800138000" and dialog.addressEdit.text() == "洋洲路8号"
    assert dialog.callerEdit.text() == "李四" and dialog.category_code() == "1001"

    dialog.phoneEdit.setText("0571-64612345")  # a landline with its area code is fine
    assert dialog.phoneMessage.isHidden()
    with qtbot.waitSignal(dialog.sig_case_created, timeout=2000) as blocker:
        qtbot.mouseClick(dialog.saveButton, LEFT)
    assert workspace.case(blocker.args[0]).reporter_phone == "0571-64612345"


def test_missing_category_or_place_is_explained(qtbot, dialog: HotlineIntakeDialog, workspace) -> None:  # type: ignore[no-untyped-def]
    before = _count(workspace)
    _fill(qtbot, dialog, grid=None, address="")
    assert not dialog.save()
    assert dialog.messageLabel.text() == "请填写事件地址或选择所属网格"
    dialog.addressEdit.setText("白云路1号")
    dialog.categoryCombo.setEditText("不存在的分类")
    assert not dialog.save()
    assert dialog.messageLabel.text() == "事件分类“不存在的分类”不存在，请从列表中选择一个小类"
    dialog.categoryCombo.setEditText("矛盾纠纷 › 邻里纠纷")  # the searchable combo: the text names the 小类
    assert dialog.category_code() == "1001"
    assert _count(workspace) == before


def test_a_refusal_is_shown_inline_and_the_form_keeps_its_content(qtbot, workspace) -> None:  # type: ignore[no-untyped-def]
    stray = Actor("opx", Role.OPERATOR, "330122999", display_name="配置有误的值班员")
    dlg = HotlineIntakeDialog(workspace, stray, debounce_ms=10)
    qtbot.addWidget(dlg)
    dlg.show()
    before = _count(workspace)
    _fill(qtbot, dlg)
    with qtbot.assertNotEmitted(dlg.sig_case_created, wait=100):
        qtbot.mouseClick(dlg.saveButton, LEFT)
    assert dlg.messageLabel.text() == "未能保存：受理中心不存在：330122999"
    assert _count(workspace) == before
    assert dlg.isVisible() and dlg.phoneEdit.text() == "13900001111" and dlg.grid_code() == GRID2
    assert dlg.descriptionEdit.toPlainText() == "楼上装修噪音，夜间施工，多次协商未果"
    assert dlg.saveButton.isEnabled()
    dlg.close()


def test_duplicates_are_listed_and_merge_records_both_steps(qtbot, dialog: HotlineIntakeDialog, workspace) -> None:  # type: ignore[no-untyped-def]
    # another category in the same grid: listed too, but lower
    other = Command(C.CREATE, new_id(), GRIDDER, {"title": "道路不洁", "grid_code": GRID1, "category_code": "0104"})
    assert workspace.commands.apply(other).ok
    existing = [d["id"] for d in _all_cases(workspace) if d["category_code"] == "0101"]
    assert len(existing) == 5
    assert dialog.duplicateTable.rowCount() == 0
    assert "选择事件分类和所属网格后" in dialog.duplicateHint.text()
    assert dialog.saveButton.text() == "保存"

    _fill(qtbot, dialog, category="0101", grid=GRID1, address="白云路2号")
    qtbot.waitUntil(lambda: dialog.duplicateTable.rowCount() == 6, timeout=3000)
    listed = [d["id"] for d in dialog.duplicates]
    assert set(listed[:5]) == set(existing) and listed[5] == other.case_id  # same 小类 first
    assert dialog.duplicateTable.item(0, 3).text() == "同网格"
    assert dialog.duplicateHint.text().startswith("发现 6 件可能重复的事件")
    assert dialog.saveButton.text() == "仍然新建"
    assert not dialog.mergeButton.isEnabled()  # nothing chosen yet

    target = existing[2]
    target_before = workspace.case(target)
    assert dialog.select_duplicate(target)
    assert dialog.mergeButton.isEnabled()
    before = _count(workspace)
    with qtbot.waitSignal(dialog.sig_case_merged, timeout=2000) as blocker:
        qtbot.mouseClick(dialog.mergeButton, LEFT)
    new_id_, target_id = blocker.args
    assert target_id == target and new_id_ not in existing
    assert _count(workspace) == before + 1
    merged = workspace.case(new_id_)
    assert merged.status is Status.MERGED and merged.merged_into == target
    assert merged.source is Source.HOTLINE_967999 and merged.reporter_phone == "13900001111"
    history = workspace.history(new_id_)
    assert [(h["action"], h["from_status"], h["to_status"], h["actor"]) for h in history] == [
        ("create", None, "reported", "op1"),
        ("merge", "reported", "merged", "op1"),
    ]
    assert history[1]["details"] == {"target_id": target, "target_code": target_before.code}
    assert target_before.code in history[1]["opinion"]
    assert workspace.case(target).version == target_before.version  # the old case is untouched
    assert not dialog.isVisible()


def test_still_create_when_the_duplicates_are_different_matters(qtbot, dialog, workspace) -> None:  # type: ignore[no-untyped-def]
    _fill(qtbot, dialog, category="0101", grid=GRID1)
    qtbot.waitUntil(lambda: dialog.duplicateTable.rowCount() == 5, timeout=3000)
    with qtbot.waitSignal(dialog.sig_case_created, timeout=2000) as blocker:
        qtbot.mouseClick(dialog.saveButton, LEFT)  # "仍然新建"
    assert workspace.case(blocker.args[0]).status is Status.REPORTED


def test_a_role_that_may_create_but_not_merge_is_not_offered_the_merge(qtbot, workspace) -> None:  # type: ignore[no-untyped-def]
    dlg = HotlineIntakeDialog(workspace, GRIDDER, debounce_ms=10)
    qtbot.addWidget(dlg)
    dlg.show()
    _fill(qtbot, dlg, category="0101", grid=GRID1)
    qtbot.waitUntil(lambda: dlg.duplicateTable.rowCount() == 5, timeout=3000)
    dlg.duplicateTable.selectRow(0)
    assert not dlg.mergeButton.isEnabled() and dlg.saveButton.isEnabled()
    assert "无权合并" in dlg.mergeButton.toolTip()
    dlg.close()


def _all_cases(ws: Any) -> list[dict[str, Any]]:
    with ws.read() as conn:
        return [dict(r) for r in conn.execute(select(t.cases.c.id, t.cases.c.category_code)).mappings()]


@pytest.fixture
def window(qtbot, workspace) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    w = make_main_window(workspace, OPERATOR)
    qtbot.addWidget(w)
    w.resize(1600, 900)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def test_f2_opens_the_non_modal_form_and_the_new_case_is_selected(qtbot, window: MainWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    act = window.actionHotlineIntake
    assert act.text() == "新建热线事件" and act.shortcut().toString() == "F2" and act.isEnabled()
    assert act in window.actionToolBar.actions()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.ui.queueView, Qt.Key.Key_F2)
    dlg = window.intake_dialog
    assert dlg is not None
    qtbot.waitExposed(dlg)
    assert not dlg.isModal() and QApplication.activeModalWidget() is None  # the queue stays usable
    _fill(qtbot, dlg, category="1001", grid=GRID1)
    dlg.priorityCombo.setCurrentIndex(dlg.priorityCombo.findData(Priority.CRITICAL.value))
    with qtbot.waitSignal(dlg.sig_case_created, timeout=2000) as blocker:
        qtbot.mouseClick(dlg.saveButton, LEFT)
    case_id = blocker.args[0]
    qtbot.waitUntil(lambda: window.selected_case_id == case_id, timeout=3000)
    assert "已新建事件" in window.ui.statusbar.currentMessage()
    qtbot.wait(300)  # let the alert batch run: the operator's own 特急 case is no "new case" alert
    assert window.alerts.alerts == []

    # a draft survives closing the form
    window.open_hotline_intake()
    dlg.addressEdit.setText("草稿：白云路5号")
    dlg.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.ui.queueView, Qt.Key.Key_F2)
    assert window.intake_dialog is dlg and dlg.isVisible() and dlg.addressEdit.text() == "草稿：白云路5号"


def test_roles_that_cannot_create_are_not_offered_the_intake(qtbot, workspace) -> None:  # type: ignore[no-untyped-def]
    w = make_main_window(workspace, WALL)
    qtbot.addWidget(w)
    w.show()
    assert not w.actionHotlineIntake.isEnabled()
    assert w.open_hotline_intake() is None and w.intake_dialog is None
    w.close()


def test_screenshot_of_the_intake_form_with_duplicates(qtbot, tmp_path, workspace) -> None:  # type: ignore[no-untyped-def]
    w = make_main_window(workspace, OPERATOR, theme="dark")
    qtbot.addWidget(w)
    w.resize(1920, 1080)
    w.show()
    dlg = w.open_hotline_intake()
    assert dlg is not None
    qtbot.waitExposed(dlg)
    _fill(qtbot, dlg, category="0101", grid=GRID1, phone="1390000")
    dlg.phoneEdit.editingFinished.emit()
    qtbot.waitUntil(lambda: dlg.duplicateTable.rowCount() == 5, timeout=3000)
    dlg.duplicateTable.selectRow(1)
    path = tmp_path / "intake.png"
    assert dlg.grab().save(str(path))
    img = QImage(str(path))
    assert (img.width(), img.height()) == (dlg.width(), dlg.height())
    colours = {img.pixel(x, y) for x in range(0, img.width(), 29) for y in range(0, img.height(), 29)}
    assert len(colours) > 10, "the screenshot is blank"
    w.close()
