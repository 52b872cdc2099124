"""The case panel: location (township, village, grid, address, coordinates), deadlines,
flags and the 相关事件 section (merged into / merged in / likely duplicates), each a link
that opens the case.  Personal data stays masked unless revealed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("PySide6", reason="PySide6 is not installed (the 'gui' extra)")

from PySide6.QtCore import Qt, QUrl
from sqlalchemy import text

from commandcenter.domain.case import Actor, Command, new_id
from commandcenter.domain.enums import CommandType as C
from commandcenter.gui.actions.dialog import CommandDialog
from commandcenter.gui.app import make_main_window
from commandcenter.gui.views.case_detail import case_id_of_link, case_link
from commandcenter.gui.views.main_window import MainWindow
from commandcenter.services.related import (
    DUPLICATE,
    MERGED_FROM,
    MERGED_INTO,
    merged_from_select,
    related_cases,
)
from commandcenter.services.workspace import Workspace
from tests.conftest import GRID1, GRID2, GRIDDER, OPERATOR, SUPERVISOR

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")

LON, LAT = 119.6912, 29.7975  # in 桐君街道


@pytest.fixture
def window(qtbot, workspace) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    w = make_main_window(workspace, OPERATOR, theme="dark")
    qtbot.addWidget(w)
    w.resize(1600, 900)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def _apply(ws: Workspace, ctype: C, case_id: str, actor: Actor, **payload: Any) -> None:
    out = ws.commands.apply(Command(ctype, case_id, actor, payload))
    assert out.ok, out.reason


def _create(ws: Workspace, title: str, **extra: Any) -> str:
    payload = {"title": title, "grid_code": GRID1, "category_code": "0101", "address": "白云路88号", **extra}
    cmd = Command(C.CREATE, new_id(), GRIDDER, payload)
    out = ws.commands.apply(cmd)
    assert out.ok, out.reason
    return cmd.case_id


def _code(ws: Workspace, case_id: str) -> str:
    case = ws.case(case_id)
    assert case is not None
    return case.code


def _show(qtbot, w: MainWindow, case_id: str) -> str:  # type: ignore[no-untyped-def]
    w.refresh()
    assert w.reveal_case(case_id) or w.selected_case_id == case_id
    return w.ui.caseDetail.toPlainText()


def test_location_deadlines_and_flags(qtbot, window: MainWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    case_id = _create(workspace, "路面塌陷", lon=LON, lat=LAT, address="白云路12号")
    _apply(workspace, C.ACCEPT, case_id, OPERATOR)
    _apply(workspace, C.SUPERVISE, case_id, SUPERVISOR, opinion="限时处置")
    _apply(workspace, C.URGE, case_id, SUPERVISOR)
    text = _show(qtbot, window, case_id)
    lines = [line.strip() for line in text.splitlines()]
    # location, from the org tree
    assert "位置" in lines
    assert lines[lines.index("乡镇(街道)") + 1] == "桐君街道"
    assert lines[lines.index("村(社区)") + 1] == "白云社区"
    assert lines[lines.index("网格") + 1] == f"白云社区第1网格 {GRID1}"
    assert lines[lines.index("地址") + 1] == "白云路12号"
    assert lines[lines.index("坐标") + 1] == f"{LON:.6f}, {LAT:.6f} WGS-84"
    # deadlines and flags
    case = workspace.case(case_id)
    assert case.stage_deadline is not None and case.deadline is not None
    stage = lines[lines.index("阶段时限") + 1]
    assert stage.endswith("）") and "剩余 " in stage
    assert lines[lines.index("总时限") + 1].startswith(case.deadline.astimezone().strftime("%Y-") or "")
    flags = lines[lines.index("标记") + 1]
    assert "督办" in flags and "催办 1 次" in flags


def test_a_case_without_a_grid_or_point_shows_dashes(qtbot, window: MainWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    case_id = window.model.case_ids()[0]
    lines = [line.strip() for line in _show(qtbot, window, case_id).splitlines()]
    assert lines[lines.index("坐标") + 1] == "—"
    assert lines[lines.index("乡镇(街道)") + 1] == "桐君街道"


def test_merged_cases_are_listed_both_ways_and_open_on_click(qtbot, window: MainWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    target, dup = window.model.case_ids()[:2]
    _apply(workspace, C.MERGE, dup, OPERATOR, target_id=target, opinion="同一问题")
    detail = window.ui.caseDetail

    # the target lists what was merged into it, as a link
    text = _show(qtbot, window, target)
    assert "相关事件" in text and "合并进来的事件" in text and _code(workspace, dup) in text
    assert f'href="{case_link(dup)}"' in detail.toHtml()
    assert "已合并到" not in text

    # a click on it opens the merged case (it is in no tab: the panel shows it)
    detail.anchorClicked.emit(QUrl(case_link(dup)))
    assert window.selected_case_id == dup
    text = detail.toPlainText()
    assert "已合并" in text and "已合并到" in text and _code(workspace, target) in text
    assert f'href="{case_link(target)}"' in detail.toHtml()

    # by keyboard: Tab to the link, Enter opens the target again, selected in the queue
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    detail.setFocus()
    qtbot.keyClick(detail, Qt.Key.Key_Tab)
    with qtbot.waitSignal(detail.anchorClicked, timeout=2000) as blocker:
        qtbot.keyClick(detail, Qt.Key.Key_Return)
    assert case_id_of_link(blocker.args[0]) == target
    assert window.selected_case_id == target
    rows = window.ui.queueView.selectionModel().selectedRows()
    assert [window.model.case_id(ix.row()) for ix in rows] == [target]


def test_likely_duplicates_are_listed_with_distance(qtbot, window: MainWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    a = _create(workspace, "占道经营 A", lon=LON, lat=LAT)
    b = _create(workspace, "占道经营 B", lon=LON + 0.001, lat=LAT)  # ~97 m east
    far = _create(workspace, "占道经营 远处", lon=LON + 0.05, lat=LAT)
    other = _create(workspace, "其他类别", lon=LON, lat=LAT, category_code="0201")
    elsewhere = _create(workspace, "别的街道", grid_code=GRID2)
    with workspace.read() as conn:
        case = workspace.case(a)
        assert case is not None
        related = related_cases(conn, case, workspace.now())
    dups = [r for r in related if r.relation == DUPLICATE]
    assert dups and dups[0].id == b and 90 < (dups[0].distance_m or 0) < 110
    assert {far, other, elsewhere, a}.isdisjoint(r.id for r in dups)

    text = _show(qtbot, window, a)
    assert "疑似重复" in text and _code(workspace, b) in text
    assert "相距 97 米" in text or "相距 96 米" in text or "相距 98 米" in text
    assert _code(workspace, far) not in text and _code(workspace, other) not in text
    window.ui.caseDetail.anchorClicked.emit(QUrl(case_link(b)))
    assert window.selected_case_id == b


def test_no_related_cases(qtbot, window: MainWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    lonely = _create(workspace, "孤立事件", grid_code=GRID2, category_code="0201")
    text = _show(qtbot, window, lonely)
    assert "相关事件" in text and "未发现相关或疑似重复的事件" in text


def test_personal_data_stays_masked_unless_revealed(qtbot, window: MainWindow, workspace) -> None:  # type: ignore[no-untyped-def]
    first, second = window.model.case_ids()[:2]
    _apply(workspace, C.COMMENT, second, OPERATOR, text="联系人 13912345678")
    noisy = _create(workspace, "来电 13912345678 反映占道", reporter_phone="13912345678")
    detail = window.ui.caseDetail
    text = _show(qtbot, window, first)
    html = detail.toHtml()
    assert "138****5678" in text and "张*" in text
    assert "13812345678" not in html and "13912345678" not in html  # related titles are masked too
    assert "139****5678" in text and _code(workspace, noisy) in text

    # the audited reveal shows this case's reporter in clear, and only this case's
    controller = window.action_controller
    with qtbot.waitSignal(controller.sig_dialog_opened, timeout=2000):
        dlg = controller.trigger(C.REVEAL_PII)
    assert isinstance(dlg, CommandDialog)
    with qtbot.waitSignal(controller.sig_pii_revealed, timeout=3000):
        qtbot.mouseClick(dlg.okButton, Qt.MouseButton.LeftButton)
    text = detail.toPlainText()
    assert "13812345678" in text and "张三" in text and "已查看" in text
    assert "白云社区第1网格" in text and "相关事件" in text  # the rest of the panel is still there
    assert "13912345678" not in detail.toHtml()  # other cases' titles stay masked
    window.select_case(second)
    assert "13812345678" not in detail.toHtml()


def test_merged_from_uses_an_index(workspace) -> None:  # type: ignore[no-untyped-def]
    """No full scan of the cases table for every case shown (a million rows in the benchmark)."""
    q = merged_from_select("x" * 32)
    with workspace.read() as conn:
        compiled = q.compile(conn, compile_kwargs={"literal_binds": True})
        plan = " | ".join(str(r[-1]) for r in conn.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "USING INDEX" in plan and "SCAN cases" not in plan.replace("SCAN cases USING", ""), plan


def test_relations_of_the_service(workspace) -> None:  # type: ignore[no-untyped-def]
    with workspace.read() as conn:
        ids = [r[0] for r in conn.execute(text("SELECT id FROM cases ORDER BY code"))]
    target = ids[0]
    for dup in ids[1:3]:
        _apply(workspace, C.MERGE, dup, OPERATOR, target_id=target)
    with workspace.read() as conn:
        t_case, d_case = workspace.case(target), workspace.case(ids[1])
        assert t_case is not None and d_case is not None
        of_target = related_cases(conn, t_case, workspace.now())
        of_dup = related_cases(conn, d_case, workspace.now())
    assert [(r.relation, r.id) for r in of_target if r.relation == MERGED_FROM] == [
        (MERGED_FROM, ids[1]),
        (MERGED_FROM, ids[2]),
    ]
    assert not {ids[1], ids[2]} & {r.id for r in of_target if r.relation == DUPLICATE}
    assert [(r.relation, r.id) for r in of_dup] == [(MERGED_INTO, target)]  # a merged case lists no duplicates
