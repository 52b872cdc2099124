"""Every case action driven through its real dialog in the real main window,
checked in the store afterwards: the case, one new history row, one outbox row."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

pytest.importorskip("PySide6", reason="PySide6 is not installed (the 'gui' extra)")

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QImage, QInputMethodEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)
from sqlalchemy import select

from commandcenter.domain.case import Actor, Command
from commandcenter.domain.enums import CommandType as C
from commandcenter.domain.enums import Priority, Role, Satisfaction, Severity, Status
from commandcenter.gui.actions.controller import ActionController
from commandcenter.gui.actions.dialog import CODE_ROLE, CommandDialog
from commandcenter.gui.actions.specs import CONFIRM_SHORTCUTS, ORDER, SPECS
from commandcenter.gui.app import make_main_window
from commandcenter.gui.views.main_window import MainWindow
from commandcenter.services.workspace import Workspace
from commandcenter.store import schema as t
from tests.conftest import (
    AUDITOR,
    COUNTY,
    COUNTY_OP,
    GRIDDER,
    HANDLER,
    LEAD,
    OPERATOR,
    OPERATOR2,
    SUPERVISOR,
    T1,
    T2,
    WALL,
    make_workspace,
)

# The offscreen platform plugin warns about what it cannot do for a real window manager: any
# dialog with a layout ("...propagateSizeHints()"), a popup menu ("...raise()", "...grabbing the
# keyboard").  Those warnings say nothing about our code.
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")

ENFORCEMENT = "D-330122001-enforcement"  # the suggested department of category 0101 at T1
GOVERNANCE = "D-330122001-governance"
TAB_OPEN, TAB_CLOSED = 8, 9

OpenWindow = Callable[[Actor], MainWindow]


# --- fixtures and helpers ---------------------------------------------------------------


@pytest.fixture
def open_window(qtbot, workspace) -> Iterator[OpenWindow]:  # type: ignore[no-untyped-def]
    windows: list[MainWindow] = []

    def make(actor: Actor) -> MainWindow:
        w = make_main_window(workspace, actor)
        qtbot.addWidget(w)
        w.resize(1600, 900)
        w.show()
        qtbot.waitExposed(w)
        windows.append(w)
        return w

    yield make
    for w in windows:
        w.close()


def _ids(ws: Workspace) -> list[str]:
    with ws.read() as conn:
        return [r[0] for r in conn.execute(select(t.cases.c.id).order_by(t.cases.c.code))]


def _apply(ws: Workspace, ctype: C, case_id: str, actor: Actor, **payload: Any) -> None:
    """Set-up through the command path (the action under test goes through its dialog)."""
    out = ws.commands.apply(Command(ctype, case_id, actor, payload))
    assert out.ok, out.reason


def _accepted(ws: Workspace, case_id: str) -> None:
    _apply(ws, C.ACCEPT, case_id, OPERATOR)


def _dispatched(ws: Workspace, case_id: str, dept: str = ENFORCEMENT) -> None:
    _accepted(ws, case_id)
    _apply(ws, C.DISPATCH, case_id, OPERATOR, department_code=dept)


def _in_progress(ws: Workspace, case_id: str) -> None:
    _dispatched(ws, case_id)
    _apply(ws, C.SIGN, case_id, HANDLER)


def _awaiting_check(ws: Workspace, case_id: str) -> None:
    _in_progress(ws, case_id)
    _apply(ws, C.FEEDBACK, case_id, HANDLER, opinion="已拆除")


def _closed(ws: Workspace, case_id: str) -> None:
    _awaiting_check(ws, case_id)
    _apply(ws, C.CHECK_PASS, case_id, LEAD)
    _apply(ws, C.CLOSE, case_id, LEAD)


def _show(w: MainWindow, case_id: str, *, centre: str | None = None, tab: int = TAB_OPEN) -> None:
    """Bring the case into the queue (tab, centre) and select its row."""
    combo = w.ui.centreCombo
    combo.setCurrentIndex(combo.findData(w._actor.centre_code if centre is None else centre))
    w.ui.setTabs.setCurrentIndex(tab)
    w.refresh()
    assert w.select_case(case_id), "the case is not in the queue"


def _open(qtbot, w: MainWindow, ctype: C, case_id: str | None = None, **show: Any) -> CommandDialog:  # type: ignore[no-untyped-def]
    if case_id is not None:
        _show(w, case_id, **show)
    controller = w.action_controller
    assert controller.action(ctype).isEnabled(), f"{ctype.label} is disabled"
    with qtbot.waitSignal(controller.sig_dialog_opened, timeout=2000) as blocker:
        dlg = controller.trigger(ctype)
    assert isinstance(dlg, CommandDialog) and blocker.args[0] is dlg
    qtbot.waitExposed(dlg)
    assert dlg.isVisible() and dlg.isModal()
    assert controller.current_dialog is dlg
    return dlg


def _child(dlg: QWidget, cls: type, name: str) -> Any:
    widget = dlg.findChild(cls, name)
    assert widget is not None, f"no {cls.__name__} {name!r} in the dialog"
    return widget


def _ime(widget: QWidget, text: str) -> None:
    """Type Chinese as an input method does: one commit string (QTest's key clicks are ASCII only)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def _type(qtbot, dlg: CommandDialog, key: str, text: str) -> None:  # type: ignore[no-untyped-def]
    edit = dlg.findChild(QPlainTextEdit, f"{key}Edit") or dlg.findChild(QLineEdit, f"{key}Edit")
    assert edit is not None, f"no text field {key!r}"
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:
        _ime(edit, text)


def _tree_item(tree: QTreeWidget, code: str) -> QTreeWidgetItem:
    items = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    items += [it.child(j) for it in list(items) if it is not None for j in range(it.childCount())]
    for it in items:
        if it is not None and it.data(0, CODE_ROLE) == code:
            return it
    raise AssertionError(f"{code} not listed")


def _choose(qtbot, tree: QTreeWidget, code: str) -> None:  # type: ignore[no-untyped-def]
    item = _tree_item(tree, code)
    tree.scrollToItem(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center())
    assert tree.currentItem() is item


def _ok(qtbot, w: MainWindow, dlg: CommandDialog) -> list[Any]:  # type: ignore[no-untyped-def]
    """Click OK and wait for the controller to apply; returns the outcomes."""
    assert dlg.okButton.isEnabled(), dlg.errorLabel.text()
    with qtbot.waitSignal(w.action_controller.sig_applied, timeout=3000) as blocker:
        qtbot.mouseClick(dlg.okButton, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    outcomes = blocker.args[0]
    assert all(o.ok for o in outcomes), [o.reason for o in outcomes]
    return outcomes


def _history(ws: Workspace, case_id: str) -> list[dict[str, Any]]:
    return ws.history(case_id)


def _outbox(ws: Workspace, case_id: str) -> list[dict[str, Any]]:
    with ws.read() as conn:
        rows = conn.execute(select(t.outbox).where(t.outbox.c.case_id == case_id).order_by(t.outbox.c.seq))
        return [dict(r._mapping) for r in rows]


class _Snapshot:
    """The case's version, history and outbox before an action, to check exactly one step."""

    def __init__(self, ws: Workspace, case_id: str) -> None:
        self.ws, self.case_id = ws, case_id
        case = ws.case(case_id)
        assert case is not None
        self.version = case.version
        self.history = len(_history(ws, case_id))
        self.outbox = len(_outbox(ws, case_id))

    def one_step(self, action: C, actor: Actor, opinion: str | None = None) -> dict[str, Any]:
        case = self.ws.case(self.case_id)
        assert case is not None and case.version == self.version + 1
        hist = _history(self.ws, self.case_id)
        assert len(hist) == self.history + 1
        last = hist[-1]
        assert last["action"] == action.value and last["actor"] == actor.username
        assert last["role"] == actor.role.value and last["version"] == case.version
        if opinion is not None:
            assert last["opinion"] == opinion
        box = _outbox(self.ws, self.case_id)
        assert len(box) == self.outbox + 1
        row = box[-1]
        assert row["type"] == action.value and row["state"] == "pending"
        assert row["base_version"] == self.version and row["command_id"] == last["command_id"]
        return {"history": last, "outbox": row, "payload": json.loads(row["payload"])}

    def unchanged(self) -> None:
        case = self.ws.case(self.case_id)
        assert case is not None and case.version == self.version
        assert len(_history(self.ws, self.case_id)) == self.history
        assert len(_outbox(self.ws, self.case_id)) == self.outbox


def _message(w: MainWindow) -> str:
    return w.ui.statusbar.currentMessage()


# --- the spec table -------------------------------------------------------------------


def test_every_command_but_create_has_one_spec_and_a_unique_shortcut() -> None:
    assert set(SPECS) == set(C) - {C.CREATE}
    assert set(ORDER) == set(SPECS)
    shortcuts = [QKeySequence(s.shortcut).toString() for s in SPECS.values()]
    assert len(set(shortcuts)) == len(shortcuts)
    taken = {"Ctrl+F", "F5", *(f"Ctrl+{i}" for i in range(10)), *CONFIRM_SHORTCUTS}
    assert not taken & set(shortcuts)
    assert {c for c, s in SPECS.items() if s.bulk} == {C.DISPATCH, C.REASSIGN, C.URGE}
    assert SPECS[C.SIGN].confirm_only and SPECS[C.CHECK_PASS].confirm_only
    assert not SPECS[C.REASSIGN].confirm_only
    reason = next(f for f in SPECS[C.REASSIGN].fields if f.key == "reason")
    assert reason.required


def test_actions_carry_label_shortcut_and_window_context(open_window: OpenWindow) -> None:
    w = open_window(OPERATOR)
    act = w.action_controller.action(C.DISPATCH)
    assert act.text() == "派遣(&D)" and act.shortcut() == QKeySequence("D")
    assert act.shortcutContext() is Qt.ShortcutContext.WindowShortcut
    assert w.action_controller.action(C.SUPERVISE).shortcut() == QKeySequence("Shift+U")
    # the toolbar, the 案件 menu and the queue in extended selection
    assert w.actionToolBar.windowTitle() == "操作" and w.actionToolBar.isVisible()
    assert act in w.actionToolBar.actions()
    assert w.caseMenu.title() == "案件(&C)"
    menu_actions = [a for a in w.caseMenu.actions() if not a.isSeparator()]
    assert act in menu_actions and w.action_controller.action(C.ACCEPT) in menu_actions
    assert w.action_controller.action(C.SIGN) not in menu_actions  # not the operator's job
    assert w.ui.queueView.selectionMode() is w.ui.queueView.SelectionMode.ExtendedSelection


# --- each action through its dialog -------------------------------------------------------


def test_accept_with_category_priority_and_severity(qtbot, open_window: OpenWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    w = open_window(OPERATOR)
    case_id = w.model.case_ids()[0]
    snap = _Snapshot(workspace, case_id)
    dlg = _open(qtbot, w, C.ACCEPT, case_id, tab=0)
    tree = _child(dlg, QTreeWidget, "categoryTree")
    assert tree.currentItem().data(0, CODE_ROLE) == "0101"  # the reported category is preselected
    assert dlg.okButton.isEnabled()
    search = _child(dlg, QLineEdit, "categorySearch")
    _ime(search, "暴露垃圾")
    visible = [it for it in (_tree_item(tree, c) for c in ("0101", "0102")) if not it.isHidden()]
    assert [it.data(0, CODE_ROLE) for it in visible] == ["0102"]
    assert not dlg.okButton.isEnabled()  # the chosen category was filtered away
    qtbot.keyClick(search, Qt.Key.Key_Return)  # Enter picks the first match
    assert tree.currentItem().data(0, CODE_ROLE) == "0102" and dlg.okButton.isEnabled()
    assert "0102" in _child(dlg, QWidget, "categoryHint").text()
    priority = _child(dlg, QComboBox, "priorityCombo")
    assert priority.currentData() == Priority.NORMAL.value
    priority.setCurrentIndex(priority.findData(Priority.URGENT.value))
    severity = _child(dlg, QComboBox, "severityCombo")
    severity.setCurrentIndex(severity.findData(Severity.MAJOR.value))
    _type(qtbot, dlg, "opinion", "情况属实，予以受理")
    _ok(qtbot, w, dlg)

    case = workspace.case(case_id)
    assert case.status is Status.REGISTERED and case.category_code == "0102"
    assert case.priority is Priority.URGENT and case.severity is Severity.MAJOR
    step = snap.one_step(C.ACCEPT, OPERATOR, "情况属实，予以受理")
    assert step["payload"]["category_code"] == "0102" and step["payload"]["priority"] == "urgent"
    assert _message(w) == f"已受理：{case.code}"


def test_reject_needs_a_reason(qtbot, open_window: OpenWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    w = open_window(OPERATOR)
    case_id = w.model.case_ids()[1]
    snap = _Snapshot(workspace, case_id)
    dlg = _open(qtbot, w, C.REJECT, case_id, tab=0)
    assert not dlg.okButton.isEnabled()
    _type(qtbot, dlg, "reason", "重复上报")
    _ok(qtbot, w, dlg)
    assert workspace.case(case_id).status is Status.REJECTED
    snap.one_step(C.REJECT, OPERATOR, "重复上报")


def test_dispatch_suggests_the_default_department_and_shows_loads(qtbot, open_window: OpenWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    ids = _ids(workspace)
    for other in ids[1:3]:  # the enforcement platform already has two open cases
        _dispatched(workspace, other)
    _accepted(workspace, ids[0])
    w = open_window(OPERATOR)
    snap = _Snapshot(workspace, ids[0])
    dlg = _open(qtbot, w, C.DISPATCH, ids[0])
    tree = _child(dlg, QTreeWidget, "departmentList")
    assert tree.topLevelItemCount() == 2  # the township's departments only
    top = tree.topLevelItem(0)
    assert top.data(0, CODE_ROLE) == ENFORCEMENT and tree.currentItem() is top
    assert top.text(0) == "桐君街道综合执法平台（推荐）"
    assert top.text(1) == "在办 2 · 超期 0"
    assert _tree_item(tree, GOVERNANCE).text(1) == "在办 0 · 超期 0"
    assert dlg.okButton.isEnabled()  # the suggestion is preselected; the opinion is optional
    _type(qtbot, dlg, "opinion", "请两日内拆除")
    _ok(qtbot, w, dlg)

    case = workspace.case(ids[0])
    assert case.status is Status.DISPATCHED and case.department_code == ENFORCEMENT
    step = snap.one_step(C.DISPATCH, OPERATOR, "请两日内拆除")
    assert step["payload"]["department_code"] == ENFORCEMENT
    assert _message(w) == f"已派遣：{case.code} → 桐君街道综合执法平台"


def test_overdue_load_is_shown(qtbot, open_window: OpenWindow, workspace, clock) -> None:  # type: ignore[no-untyped-def]
    ids = _ids(workspace)
    _dispatched(workspace, ids[1])
    clock.advance(days=10)
    _accepted(workspace, ids[0])
    w = open_window(OPERATOR)
    dlg = _open(qtbot, w, C.DISPATCH, ids[0])
    assert _tree_item(_child(dlg, QTreeWidget, "departmentList"), ENFORCEMENT).text(1) == "在办 1 · 超期 1"
    dlg.reject()


def test_sign_as_handler_is_a_confirmation(qtbot, open_window: OpenWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    case_id = _ids(workspace)[0]
    _dispatched(workspace, case_id)
    w = open_window(HANDLER)
    snap = _Snapshot(workspace, case_id)
    dlg = _open(qtbot, w, C.SIGN, case_id)
    assert dlg.spec.confirm_only
    assert "确认签收事件" in dlg.caseLabel.text()
    assert isinstance(dlg.findChild(QLineEdit, "opinionEdit"), QLineEdit)  # one optional line
    assert dlg.okButton.isEnabled()
    _type(qtbot, dlg, "opinion", "已签收")
    _ok(qtbot, w, dlg)
    assert workspace.case(case_id).status is Status.IN_PROGRESS
    snap.one_step(C.SIGN, HANDLER, "已签收")


def test_feedback_as_handler(qtbot, open_window: OpenWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    case_id = _ids(workspace)[0]
    _in_progress(workspace, case_id)
    w = open_window(HANDLER)
    snap = _Snapshot(workspace, case_id)
    dlg = _open(qtbot, w, C.FEEDBACK, case_id)
    assert not dlg.okButton.isEnabled()
    _type(qtbot, dlg, "opinion", "违建已拆除，现场已清理")
    _ok(qtbot, w, dlg)
    assert workspace.case(case_id).status is Status.AWAITING_CHECK
    snap.one_step(C.FEEDBACK, HANDLER, "违建已拆除，现场已清理")


def test_return_as_handler(qtbot, open_window: OpenWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    case_id = _ids(workspace)[0]
    _dispatched(workspace, case_id)
    w = open_window(HANDLER)
    snap = _Snapshot(workspace, case_id)
    dlg = _open(qtbot, w, C.RETURN, case_id)
    _type(qtbot, dlg, "reason", "不属于本部门职责")
    _ok(qtbot, w, dlg)
    case = workspace.case(case_id)
    assert case.status is Status.REGISTERED and case.department_code is None and case.return_count == 1
    snap.one_step(C.RETURN, HANDLER, "不属于本部门职责")


def test_reassign_requires_a_reason(qtbot, open_window: OpenWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    case_id = _ids(workspace)[0]
    _dispatched(workspace, case_id)
    w = open_window(OPERATOR)
    snap = _Snapshot(workspace, case_id)
    dlg = _open(qtbot, w, C.REASSIGN, case_id)
    tree = _child(dlg, QTreeWidget, "departmentList")
    current = _tree_item(tree, ENFORCEMENT)
    assert "当前" in current.text(0) and not current.flags() & Qt.ItemFlag.ItemIsEnabled
    _choose(qtbot, tree, GOVERNANCE)
    assert not dlg.okButton.isEnabled()  # the reason is required
    _type(qtbot, dlg, "reason", "涉及综治调解")
    assert dlg.okButton.isEnabled()
    _ok(qtbot, w, dlg)
    case = workspace.case(case_id)
    assert case.status is Status.DISPATCHED and case.department_code == GOVERNANCE
    step = snap.one_step(C.REASSIGN, OPERATOR, "涉及综治调解")
    assert step["history"]["details"]["from_department"] == ENFORCEMENT


def test_escalate_to_the_county(qtbot, open_window: OpenWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    w = open_window(OPERATOR)
    case_id = w.model.case_ids()[0]
    snap = _Snapshot(workspace, case_id)
    dlg = _open(qtbot, w, C.ESCALATE, case_id, tab=0)
    priority = _child(dlg, QComboBox, "priorityCombo")
    priority.setCurrentIndex(priority.findData(Priority.CRITICAL.value))
    assert not dlg.okButton.isEnabled()
    _type(qtbot, dlg, "reason", "涉及多个部门，本级无法协调")
    _ok(qtbot, w, dlg)
    case = workspace.case(case_id)
    assert case.centre_code == COUNTY and case.escalated and case.priority is Priority.CRITICAL
    snap.one_step(C.ESCALATE, OPERATOR, "涉及多个部门，本级无法协调")
    assert _message(w) == f"已上报上级：{case.code} → 桐庐县社会治理综合指挥中心"


def test_hand_down_by_the_county_operator(qtbot, open_window: OpenWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    case_id = _ids(workspace)[0]
    _apply(workspace, C.ESCALATE, case_id, OPERATOR, reason="需县级协调")
    w = open_window(COUNTY_OP)
    snap = _Snapshot(workspace, case_id)
    dlg = _open(qtbot, w, C.HAND_DOWN, case_id, tab=0)
    tree = _child(dlg, QTreeWidget, "centreList")
    assert {tree.topLevelItem(i).data(0, CODE_ROLE) for i in range(tree.topLevelItemCount())} == {T1, T2}
    assert tree.currentItem().data(0, CODE_ROLE) == T1 and "事发地" in tree.currentItem().text(0)
    _choose(qtbot, tree, T2)
    assert not dlg.okButton.isEnabled()  # instructions are required
    _type(qtbot, dlg, "opinion", "请旧县街道牵头处置")
    _ok(qtbot, w, dlg)
    assert workspace.case(case_id).centre_code == T2
    snap.one_step(C.HAND_DOWN, COUNTY_OP, "请旧县街道牵头处置")


def test_urge(qtbot, open_window: OpenWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    case_id = _ids(workspace)[0]
    _dispatched(workspace, case_id)
    w = open_window(OPERATOR)
    snap = _Snapshot(workspace, case_id)
    dlg = _open(qtbot, w, C.URGE, case_id)
    assert dlg.okButton.isEnabled()
    _type(qtbot, dlg, "opinion", "请尽快签收")
    _ok(qtbot, w, dlg)
    assert workspace.case(case_id).urge_count == 1
    snap.one_step(C.URGE, OPERATOR, "请尽快签收")


def test_supervise_by_the_county_supervisor(qtbot, open_window: OpenWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    case_id = _ids(workspace)[0]
    w = open_window(SUPERVISOR)
    snap = _Snapshot(workspace, case_id)
    dlg = _open(qtbot, w, C.SUPERVISE, case_id, centre="", tab=0)
    assert not dlg.okButton.isEnabled()
    _type(qtbot, dlg, "opinion", "县督查：限期办结")
    _ok(qtbot, w, dlg)
    assert workspace.case(case_id).supervised
    snap.one_step(C.SUPERVISE, SUPERVISOR, "县督查：限期办结")


def test_extension_request_approve_and_deny(qtbot, open_window: OpenWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    case_id = _ids(workspace)[0]
    _in_progress(workspace, case_id)
    handler = open_window(HANDLER)
    snap = _Snapshot(workspace, case_id)
    dlg = _open(qtbot, handler, C.REQUEST_EXTENSION, case_id)
    spin = _child(dlg, QDoubleSpinBox, "minutesSpin")
    unit = _child(dlg, QComboBox, "minutesUnit")
    assert unit.currentData() == "days"
    spin.selectAll()
    qtbot.keyClicks(spin, "2")
    assert "900 个工作分钟" in _child(dlg, QWidget, "minutesHint").text()
    assert not dlg.okButton.isEnabled()
    _type(qtbot, dlg, "reason", "需等待材料")
    _ok(qtbot, handler, dlg)
    assert workspace.case(case_id).extension_minutes == 900
    step = snap.one_step(C.REQUEST_EXTENSION, HANDLER, "需等待材料")
    assert step["payload"]["minutes"] == 900

    deadline = workspace.case(case_id).stage_deadline
    lead = open_window(LEAD)
    snap = _Snapshot(workspace, case_id)
    dlg = _open(qtbot, lead, C.APPROVE_EXTENSION, case_id)
    assert "2 个工作日" in dlg.infoLabel.text() and "需等待材料" in dlg.infoLabel.text()
    _ok(qtbot, lead, dlg)
    case = workspace.case(case_id)
    assert case.extension_minutes is None and case.stage_deadline > deadline
    snap.one_step(C.APPROVE_EXTENSION, LEAD, "")

    # a second request, in working hours, denied
    _apply(workspace, C.REQUEST_EXTENSION, case_id, HANDLER, minutes=180, reason="再等等")
    deadline = workspace.case(case_id).stage_deadline
    snap = _Snapshot(workspace, case_id)
    dlg = _open(qtbot, lead, C.DENY_EXTENSION, case_id)
    assert "3 小时" in dlg.infoLabel.text()
    assert not dlg.okButton.isEnabled()
    _type(qtbot, dlg, "reason", "理由不充分")
    _ok(qtbot, lead, dlg)
    case = workspace.case(case_id)
    assert case.extension_minutes is None and case.stage_deadline == deadline
    snap.one_step(C.DENY_EXTENSION, LEAD, "理由不充分")


def test_extension_in_working_hours(qtbot, open_window: OpenWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    case_id = _ids(workspace)[0]
    _dispatched(workspace, case_id)
    w = open_window(HANDLER)
    dlg = _open(qtbot, w, C.REQUEST_EXTENSION, case_id)
    unit = _child(dlg, QComboBox, "minutesUnit")
    unit.setCurrentIndex(unit.findData("hours"))
    _child(dlg, QDoubleSpinBox, "minutesSpin").setValue(1.5)
    _type(qtbot, dlg, "reason", "等待业主")
    _ok(qtbot, w, dlg)
    assert workspace.case(case_id).extension_minutes == 90


def test_suspend_and_resume(qtbot, open_window: OpenWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    case_id = _ids(workspace)[0]
    _dispatched(workspace, case_id)
    w = open_window(LEAD)
    snap = _Snapshot(workspace, case_id)
    dlg = _open(qtbot, w, C.SUSPEND, case_id)
    _type(qtbot, dlg, "reason", "等待上级政策")
    _ok(qtbot, w, dlg)
    assert workspace.case(case_id).suspended
    snap.one_step(C.SUSPEND, LEAD, "等待上级政策")

    snap = _Snapshot(workspace, case_id)
    dlg = _open(qtbot, w, C.RESUME, case_id)
    assert dlg.spec.confirm_only and dlg.okButton.isEnabled()
    _ok(qtbot, w, dlg)
    assert not workspace.case(case_id).suspended
    snap.one_step(C.RESUME, LEAD, "")


def test_rework_then_check_pass_close_evaluate_archive(qtbot, open_window: OpenWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    case_id = _ids(workspace)[0]
    _awaiting_check(workspace, case_id)
    w = open_window(LEAD)

    snap = _Snapshot(workspace, case_id)
    dlg = _open(qtbot, w, C.REWORK, case_id)
    _type(qtbot, dlg, "reason", "现场仍有建筑垃圾")
    _ok(qtbot, w, dlg)
    case = workspace.case(case_id)
    assert case.status is Status.IN_PROGRESS and case.rework_count == 1
    snap.one_step(C.REWORK, LEAD, "现场仍有建筑垃圾")

    _apply(workspace, C.FEEDBACK, case_id, HANDLER, opinion="已清理")
    snap = _Snapshot(workspace, case_id)
    dlg = _open(qtbot, w, C.CHECK_PASS, case_id)
    assert dlg.spec.confirm_only and "核查通过" in dlg.caseLabel.text()
    _type(qtbot, dlg, "opinion", "现场核查属实")
    _ok(qtbot, w, dlg)
    assert workspace.case(case_id).check_passed
    snap.one_step(C.CHECK_PASS, LEAD, "现场核查属实")

    snap = _Snapshot(workspace, case_id)
    dlg = _open(qtbot, w, C.CLOSE, case_id)
    _ok(qtbot, w, dlg)
    assert workspace.case(case_id).status is Status.CLOSED
    snap.one_step(C.CLOSE, LEAD, "")

    snap = _Snapshot(workspace, case_id)
    dlg = _open(qtbot, w, C.EVALUATE, case_id, tab=TAB_CLOSED)
    assert not dlg.okButton.isEnabled()  # the satisfaction is required
    qtbot.mouseClick(_child(dlg, QRadioButton, "satisfaction_basically"), Qt.MouseButton.LeftButton)
    _type(qtbot, dlg, "opinion", "回访：基本满意")
    _ok(qtbot, w, dlg)
    assert workspace.case(case_id).satisfaction is Satisfaction.BASICALLY
    snap.one_step(C.EVALUATE, LEAD, "回访：基本满意")

    snap = _Snapshot(workspace, case_id)
    dlg = _open(qtbot, w, C.ARCHIVE, case_id, tab=TAB_CLOSED)
    _ok(qtbot, w, dlg)
    assert workspace.case(case_id).status is Status.ARCHIVED
    snap.one_step(C.ARCHIVE, LEAD, "")
    _show(w, case_id, tab=TAB_CLOSED)
    assert w.action_controller.enabled_types() == [C.REVEAL_PII]  # archived: nothing else


def test_reopen(qtbot, open_window: OpenWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    case_id = _ids(workspace)[0]
    _closed(workspace, case_id)
    w = open_window(LEAD)
    snap = _Snapshot(workspace, case_id)
    dlg = _open(qtbot, w, C.REOPEN, case_id, tab=TAB_CLOSED)
    assert not dlg.okButton.isEnabled()
    _type(qtbot, dlg, "reason", "群众反映问题复发")
    _ok(qtbot, w, dlg)
    case = workspace.case(case_id)
    assert case.status is Status.REGISTERED and case.reopen_count == 1
    snap.one_step(C.REOPEN, LEAD, "群众反映问题复发")


def test_comment(qtbot, open_window: OpenWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    w = open_window(OPERATOR)
    case_id = w.model.case_ids()[0]
    snap = _Snapshot(workspace, case_id)
    dlg = _open(qtbot, w, C.COMMENT, case_id, tab=0)
    assert not dlg.okButton.isEnabled()
    _type(qtbot, dlg, "text", "已电话联系反映人")
    _ok(qtbot, w, dlg)
    snap.one_step(C.COMMENT, OPERATOR, "已电话联系反映人")
    qtbot.waitUntil(lambda: "已电话联系反映人" in w.ui.caseDetail.toPlainText())


def test_merge_into_a_searched_case(qtbot, open_window: OpenWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    ids = _ids(workspace)
    source, target = ids[0], ids[3]
    target_code = workspace.case(target).code
    w = open_window(OPERATOR)
    snap = _Snapshot(workspace, source)
    dlg = _open(qtbot, w, C.MERGE, source, tab=0)
    tree = _child(dlg, QTreeWidget, "mergeList")
    listed = {tree.topLevelItem(i).data(0, CODE_ROLE) for i in range(tree.topLevelItemCount())}
    assert listed == set(ids) - {source}  # the centre's open cases, not the case itself
    assert not dlg.okButton.isEnabled()
    qtbot.keyClicks(_child(dlg, QLineEdit, "mergeSearch"), target_code[-4:])
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 1)
    assert tree.topLevelItem(0).text(0) == target_code
    _choose(qtbot, tree, target)
    _type(qtbot, dlg, "opinion", "同一处违建")
    _ok(qtbot, w, dlg)
    case = workspace.case(source)
    assert case.status is Status.MERGED and case.merged_into == target
    step = snap.one_step(C.MERGE, OPERATOR, "同一处违建")
    assert step["payload"]["target_id"] == target
    assert _message(w).endswith(f"→ {target_code}")


def test_reveal_personal_data_is_recorded_and_shown_for_that_case_only(qtbot, open_window: OpenWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    w = open_window(OPERATOR)
    first, second = w.model.case_ids()[:2]
    detail = w.ui.caseDetail
    _show(w, first, tab=0)
    assert "138****5678" in detail.toPlainText() and "13812345678" not in detail.toHtml()
    snap = _Snapshot(workspace, first)
    dlg = _open(qtbot, w, C.REVEAL_PII)
    assert "记入处理过程" in dlg.caseLabel.text()
    assert "13812345678" not in detail.toHtml()  # not before the action is applied
    _type(qtbot, dlg, "reason", "回访核实")
    with qtbot.waitSignal(w.action_controller.sig_pii_revealed) as blocker:
        _ok(qtbot, w, dlg)
    assert blocker.args == [first]
    step = snap.one_step(C.REVEAL_PII, OPERATOR, "回访核实")
    assert step["history"]["action"] == "reveal_pii"
    assert step["payload"]["fields"] == ["reporter_name", "reporter_phone"]
    text = detail.toPlainText()
    assert "13812345678" in text and "张三" in text and "已查看" in text
    # a live refresh of the same case keeps it revealed
    w.refresh(reload_detail=True)
    assert "13812345678" in detail.toPlainText()
    # another case: masked again, and so is the first one when it comes back
    w.select_case(second)
    assert "13812345678" not in detail.toHtml()
    w.select_case(first)
    assert "13812345678" not in detail.toHtml() and "138****5678" in detail.toPlainText()


# --- refusals, roles, bulk ----------------------------------------------------------


def test_a_domain_refusal_is_shown_inline_and_nothing_changes(qtbot, open_window: OpenWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    ids = _ids(workspace)
    source, target = ids[0], ids[1]
    w = open_window(OPERATOR)
    dlg = _open(qtbot, w, C.MERGE, source, tab=0)
    tree = _child(dlg, QTreeWidget, "mergeList")
    _choose(qtbot, tree, target)
    # meanwhile a colleague rejects the target
    _apply(workspace, C.REJECT, target, OPERATOR2, reason="无效信息")
    snap = _Snapshot(workspace, source)
    applied: list[Any] = []
    w.action_controller.sig_applied.connect(applied.append)
    qtbot.mouseClick(dlg.okButton, Qt.MouseButton.LeftButton)
    assert dlg.isVisible()  # stays open
    assert dlg.errorLabel.isVisible()
    assert "不能作为合并目标" in dlg.errorLabel.text() and "不予受理" in dlg.errorLabel.text()
    assert applied == []
    snap.unchanged()
    # changing the input clears the message
    _type(qtbot, dlg, "opinion", "x")
    assert not dlg.errorLabel.isVisible()
    dlg.reject()


def test_a_concurrent_change_reloads_the_case_and_then_explains(qtbot, open_window: OpenWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    case_id = _ids(workspace)[0]
    _accepted(workspace, case_id)
    w = open_window(OPERATOR)
    dlg = _open(qtbot, w, C.DISPATCH, case_id)
    _apply(workspace, C.DISPATCH, case_id, OPERATOR2, department_code=GOVERNANCE)  # someone was faster
    snap = _Snapshot(workspace, case_id)
    qtbot.mouseClick(dlg.okButton, Qt.MouseButton.LeftButton)
    assert dlg.isVisible() and "被他人更新" in dlg.errorLabel.text() and "待签收" in dlg.errorLabel.text()
    assert "待签收" in dlg.caseLabel.text()  # the dialog now shows the case as it is
    qtbot.mouseClick(dlg.okButton, Qt.MouseButton.LeftButton)
    assert dlg.isVisible() and "只有“待派遣”的事件才能派遣" in dlg.errorLabel.text()
    snap.unchanged()
    assert workspace.case(case_id).department_code == GOVERNANCE
    dlg.reject()


@pytest.mark.parametrize("actor", [WALL, AUDITOR], ids=["wall", "auditor"])
def test_read_only_roles_get_no_action(qtbot, open_window: OpenWindow, workspace, actor: Actor) -> None:  # type: ignore[no-untyped-def]
    w = open_window(actor)
    _show(w, _ids(workspace)[0], centre="", tab=0)
    controller = w.action_controller
    assert controller.enabled_types() == []
    assert not any(a.isVisible() for a in controller.actions())
    assert not w.actionToolBar.isVisible()
    assert controller.context_menu(w).isEmpty()
    assert controller.trigger(C.ACCEPT) is None


def test_a_grid_worker_may_only_comment(qtbot, open_window: OpenWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    w = open_window(GRIDDER)
    _show(w, _ids(workspace)[0], tab=0)
    assert w.action_controller.enabled_types() == [C.COMMENT]  # the permission table allows 备注
    assert not w.action_controller.action(C.ACCEPT).isVisible()


def test_handler_cannot_dispatch_and_acts_only_on_own_department(qtbot, open_window: OpenWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    ids = _ids(workspace)
    _accepted(workspace, ids[0])
    _dispatched(workspace, ids[1])
    _dispatched(workspace, ids[2], GOVERNANCE)
    w = open_window(HANDLER)
    controller = w.action_controller
    assert not controller.action(C.DISPATCH).isVisible()
    _show(w, ids[0])
    assert controller.enabled_types() == []  # not dispatched to the handler's department
    assert "未派遣给您所在的部门" in controller.action(C.SIGN).toolTip()
    _show(w, ids[1])
    assert set(controller.enabled_types()) == {C.SIGN, C.RETURN, C.REQUEST_EXTENSION, C.COMMENT, C.REVEAL_PII}
    assert controller.trigger(C.DISPATCH) is None
    _show(w, ids[2])
    assert controller.enabled_types() == []


def test_operator_actions_follow_the_case_state(qtbot, open_window: OpenWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    w = open_window(OPERATOR)
    controller = w.action_controller
    case_id = w.model.case_ids()[0]
    _show(w, case_id, tab=0)
    enabled = set(controller.enabled_types())
    assert {C.ACCEPT, C.REJECT, C.ESCALATE, C.MERGE, C.URGE, C.COMMENT, C.REVEAL_PII} == enabled
    assert "只有“待派遣”的事件才能派遣" in controller.action(C.DISPATCH).toolTip()
    # after a change the state follows (the controller refreshes after each live refresh)
    _accepted(workspace, case_id)
    qtbot.waitUntil(lambda: controller.action(C.DISPATCH).isEnabled(), timeout=3000)
    assert not controller.action(C.ACCEPT).isEnabled()


def _select_rows(w: MainWindow, case_ids: list[str]) -> None:
    sm = w.ui.queueView.selectionModel()
    sm.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for cid in case_ids:
        row = w.model.row_of(cid)
        assert row >= 0
        sm.select(w.model.index(row, 0), flags)


def test_bulk_dispatch_of_three_cases(qtbot, open_window: OpenWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    ids = _ids(workspace)[:3]
    for cid in ids:
        _accepted(workspace, cid)
    w = open_window(OPERATOR)
    w.ui.setTabs.setCurrentIndex(1)  # 待派遣
    assert sorted(w.model.case_ids()) == sorted(ids)
    # click the first row, ctrl-click the others, as an operator would
    view = w.ui.queueView
    for i, cid in enumerate(ids):
        rect = view.visualRect(w.model.index(w.model.row_of(cid), 1))
        mod = Qt.KeyboardModifier.ControlModifier if i else Qt.KeyboardModifier.NoModifier
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, mod, rect.center())
    assert len(view.selectionModel().selectedRows()) == 3
    controller = w.action_controller
    assert set(controller.enabled_types()) == {C.DISPATCH, C.URGE}  # bulk actions only
    snaps = [_Snapshot(workspace, cid) for cid in ids]
    dlg = _open(qtbot, w, C.DISPATCH)
    assert dlg.is_bulk and dlg.windowTitle() == "批量派遣（3 件）"
    assert "已选 3 件" in dlg.caseLabel.text()
    tree = _child(dlg, QTreeWidget, "departmentList")
    assert tree.currentItem().data(0, CODE_ROLE) == ENFORCEMENT  # the same suggestion for all three
    outcomes = _ok(qtbot, w, dlg)
    assert len(outcomes) == 3
    for cid, snap in zip(ids, snaps, strict=True):
        case = workspace.case(cid)
        assert case.status is Status.DISPATCHED and case.department_code == ENFORCEMENT
        snap.one_step(C.DISPATCH, OPERATOR)
    assert _message(w) == "已派遣 3 件"


def test_bulk_reassign_lists_the_failed_cases_with_their_reason(qtbot, open_window: OpenWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    ids = _ids(workspace)[:3]
    _dispatched(workspace, ids[0])
    _dispatched(workspace, ids[1])
    _dispatched(workspace, ids[2], GOVERNANCE)  # already there: reassigning it there is refused
    w = open_window(OPERATOR)
    w.ui.setTabs.setCurrentIndex(2)  # 处置中
    _select_rows(w, ids)
    assert C.REASSIGN in w.action_controller.enabled_types()
    snap = _Snapshot(workspace, ids[2])
    dlg = _open(qtbot, w, C.REASSIGN)
    _choose(qtbot, _child(dlg, QTreeWidget, "departmentList"), GOVERNANCE)
    _type(qtbot, dlg, "reason", "调整分工")
    _ok(qtbot, w, dlg)
    assert [workspace.case(c).department_code for c in ids] == [GOVERNANCE] * 3
    snap.unchanged()
    code = workspace.case(ids[2]).code
    assert _message(w) == f"已改派 2 件，1 件未执行：{code}：改派的部门与当前处置部门相同，请选择其他部门"


def test_bulk_urge_reports_a_refusal_at_apply_time(qtbot, open_window: OpenWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    ids = _ids(workspace)[:3]
    w = open_window(OPERATOR)
    _select_rows(w, ids)
    dlg = _open(qtbot, w, C.URGE)
    assert dlg.windowTitle() == "批量催办（3 件）"
    # between OK's check and the write a colleague rejects one of them: the service refuses it
    original = workspace.commands.apply_many

    def colleague_first(cmds, origin="local"):  # type: ignore[no-untyped-def]
        assert original([Command(C.REJECT, ids[1], OPERATOR2, {"reason": "重复"})])[0].ok
        return original(cmds, origin)

    workspace.commands.apply_many = colleague_first  # type: ignore[method-assign]
    try:
        with qtbot.waitSignal(w.action_controller.sig_applied) as blocker:
            qtbot.mouseClick(dlg.okButton, Qt.MouseButton.LeftButton)
    finally:
        workspace.commands.apply_many = original  # type: ignore[method-assign]
    assert [o.ok for o in blocker.args[0]] == [True, False, True]
    code = workspace.case(ids[1]).code
    msg = _message(w)
    assert msg.startswith("已催办 2 件，1 件未执行：") and code in msg and "只有" in msg
    assert [workspace.case(c).urge_count for c in ids] == [1, 0, 1]


def test_a_non_bulk_action_is_disabled_on_a_multi_selection(qtbot, open_window: OpenWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    w = open_window(OPERATOR)
    _select_rows(w, w.model.case_ids()[:2])
    controller = w.action_controller
    assert controller.enabled_types() == [C.URGE]
    assert controller.trigger(C.ACCEPT) is None


# --- keyboard, context menu, screenshot -------------------------------------------------


def test_shortcut_opens_the_dialog_and_ctrl_enter_confirms(qtbot, open_window: OpenWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    case_id = _ids(workspace)[0]
    _accepted(workspace, case_id)
    w = open_window(OPERATOR)
    _show(w, case_id)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    controller = w.action_controller
    # typing a letter in the search box is text, not a shortcut
    with qtbot.assertNotEmitted(controller.sig_dialog_opened, wait=50):
        qtbot.keyClicks(w.ui.searchEdit, "d")
    w.ui.searchEdit.clear()
    w.ui.queueView.setFocus()
    _show(w, case_id)
    with qtbot.waitSignal(controller.sig_dialog_opened, timeout=2000) as blocker:
        qtbot.keyClick(w.ui.queueView, Qt.Key.Key_D)
    dlg = blocker.args[0]
    assert dlg.spec.ctype is C.DISPATCH
    qtbot.waitExposed(dlg)
    qtbot.waitUntil(dlg.isActiveWindow)
    edit = _child(dlg, QPlainTextEdit, "opinionEdit")
    _ime(edit, "快")
    with qtbot.waitSignal(controller.sig_applied, timeout=3000):
        qtbot.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert workspace.case(case_id).status is Status.DISPATCHED


def test_shift_u_supervises_and_u_urges(qtbot, open_window: OpenWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    w = open_window(SUPERVISOR)
    _show(w, _ids(workspace)[0], centre="", tab=0)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    controller = w.action_controller
    with qtbot.waitSignal(controller.sig_dialog_opened) as blocker:
        qtbot.keyClick(w.ui.queueView, Qt.Key.Key_U, Qt.KeyboardModifier.ShiftModifier)
    assert blocker.args[0].spec.ctype is C.SUPERVISE
    blocker.args[0].reject()
    with qtbot.waitSignal(controller.sig_dialog_opened) as blocker:
        qtbot.keyClick(w.ui.queueView, Qt.Key.Key_U)
    assert blocker.args[0].spec.ctype is C.URGE
    blocker.args[0].reject()


def test_context_menu_lists_the_enabled_actions(qtbot, open_window: OpenWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    w = open_window(OPERATOR)
    ids = w.model.case_ids()
    w.select_case(ids[0])
    # a right click on another row selects it first
    view = w.ui.queueView
    pos = view.visualRect(w.model.index(w.model.row_of(ids[2]), 1)).center()
    w.on_queue_context_menu_requested(pos)
    assert w.selected_case_id == ids[2]
    menu = w.action_controller.context_menu(w)
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts[:2] == ["受理立案(&A)", "不予受理(&X)"]
    assert "派遣(&D)" not in texts and "签收(&S)" not in texts
    assert all(a.isEnabled() for a in menu.actions() if not a.isSeparator())
    for m in w.findChildren(type(menu)):
        if m.objectName() == "caseActionMenu":
            m.close()


def test_screenshot_of_the_dispatch_dialog(qtbot, tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    ws = make_workspace(tmp_path / "shot.db", clock, n_cases=6)
    try:
        for cid in _ids(ws)[:4]:
            _dispatched(ws, cid)
        case_id = _ids(ws)[5]
        _accepted(ws, case_id)
        w = make_main_window(ws, OPERATOR, theme="dark")
        qtbot.addWidget(w)
        w.resize(1920, 1080)
        w.show()
        qtbot.waitExposed(w)
        _show(w, case_id)
        dlg = _open(qtbot, w, C.DISPATCH)
        path = tmp_path / "dispatch_dialog.png"
        assert dlg.grab().save(str(path))
        img = QImage(str(path))
        assert img.width() >= 600 and img.height() >= 300
        colours = {img.pixel(x, y) for x in range(0, img.width(), 23) for y in range(0, img.height(), 23)}
        assert len(colours) > 8, "the dialog is blank"
        assert w.grab().save(str(tmp_path / "main_window_with_toolbar.png"))
        dlg.reject()
        w.close()
    finally:
        ws.close()


def test_the_controller_never_raises_into_qt(qtbot, open_window: OpenWindow, workspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    w = open_window(OPERATOR)
    _show(w, w.model.case_ids()[0], tab=0)
    controller: ActionController = w.action_controller

    def broken(*_a: Any, **_k: Any) -> Any:
        raise RuntimeError("数据库已锁定")

    monkeypatch.setattr(workspace.commands, "apply_many", broken)
    dlg = _open(qtbot, w, C.URGE)
    with qtbot.waitSignal(controller.sig_message) as blocker:
        qtbot.mouseClick(dlg.okButton, Qt.MouseButton.LeftButton)
    assert "数据库已锁定" in blocker.args[0]
    assert Role.OPERATOR is controller.actor.role
