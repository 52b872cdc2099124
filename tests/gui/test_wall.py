"""The wall display: live tiles, supervisor control, masking of every text it shows, and
screenshots at 1920×1080 and 3840×2160."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from commandcenter.domain.case import Command, new_id
from commandcenter.domain.enums import CommandType as C
from commandcenter.gui.wall import WallWindow
from commandcenter.services import queries
from commandcenter.services.wall import WallController, WallPermissionError
from tests.conftest import GRID1, GRIDDER, HANDLER, LEAD, OPERATOR, SUPERVISOR, make_workspace

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")

ENF = "D-330122001-enforcement"
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID18 = re.compile(r"(?<![\dXx])\d{17}[\dXx](?![\dXx])")
LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")
SHOT_DIR = Path("/tmp/wall_shots")


@pytest.fixture
def pii_workspace(tmp_path, clock):  # type: ignore[no-untyped-def]
    """Cases whose every free text carries phone and ID numbers; some urgent, some overdue."""
    ws = make_workspace(tmp_path / "wall.db", clock)
    ids = []
    for i in range(12):
        cid = new_id()
        ws.commands.apply(Command(C.CREATE, cid, GRIDDER, {
            "title": f"占道经营{i} 联系人13812345{i:03d} 身份证33012219800101{i:03d}X",
            "description": "报警人电话13998765432，座机0571-64612345",
            "grid_code": GRID1, "category_code": "0101", "reporter_name": "张三丰",
            "reporter_phone": f"1391234{i:04d}", "address": f"白云路{i}号 电话13700001{i:03d}",
            "priority": ("critical" if i % 4 == 0 else "urgent" if i % 4 == 1 else "normal"),
        }))
        ids.append(cid)
    for cid in ids[:8]:
        ws.commands.apply(Command(C.ACCEPT, cid, OPERATOR, {"opinion": "回电13812349999"}))
        ws.commands.apply(Command(C.DISPATCH, cid, OPERATOR, {"department_code": ENF}))
    for cid in ids[:3]:
        ws.commands.apply(Command(C.SIGN, cid, HANDLER, {}))
        ws.commands.apply(Command(C.FEEDBACK, cid, HANDLER, {"opinion": "已联系13812348888处理"}))
        ws.commands.apply(Command(C.CHECK_PASS, cid, LEAD, {}))
        ws.commands.apply(Command(C.CLOSE, cid, LEAD, {}))
    clock.advance(hours=30)  # the rest are overdue now
    yield ws, ids
    ws.close()


def _unmasked(texts: list[str]) -> list[str]:
    return [t for t in texts if t and (PHONE.search(t) or ID18.search(t) or LANDLINE.search(t) or "张三丰" in t)]


def _wall(qtbot, ws, w: int, h: int, **kw):  # type: ignore[no-untyped-def]
    wall = WallWindow(ws, **kw)
    qtbot.addWidget(wall)
    wall.resize(w, h)
    wall.show()
    qtbot.waitExposed(wall)
    qtbot.waitUntil(lambda: abs(wall.k - h / 1080) < 0.01 and wall.tiles.height() == round(150 * h / 1080))
    return wall


def test_no_unmasked_phone_or_id_number_anywhere_on_the_wall(qtbot, pii_workspace) -> None:  # type: ignore[no-untyped-def]
    ws, ids = pii_workspace
    controller = WallController()
    wall = _wall(qtbot, ws, 1920, 1080, controller=controller)
    assert wall.overdueList.list.count() >= 5 and wall.majorList.list.count() >= 4
    # the raw data really holds them (the check below is not vacuous)
    with ws.read() as conn:
        raw = queries.queue(conn, queries.QueueFilter(), ws.now())
    assert any(PHONE.search(r["title"]) for r in raw) and any(ID18.search(r["title"]) for r in raw)
    pages = []
    for page in range(3):
        controller.show_page(page)
        qtbot.waitUntil(lambda page=page: wall.page == page)
        pages.append(wall.all_texts())
    with qtbot.waitSignal(wall.sig_page_changed, timeout=2000):
        controller.pin(ids[0], SUPERVISOR)
    assert wall.pinned.case_id == ids[0] and wall.pinned.timeline.count() >= 5
    pages.append(wall.all_texts())
    texts = [t for p in pages for t in p]
    assert any("****" in t for t in texts)  # the masked forms are there
    assert _unmasked(texts) == []
    wall.close()


def test_a_case_change_moves_the_tiles_and_charts(qtbot, pii_workspace) -> None:  # type: ignore[no-untyped-def]
    ws, ids = pii_workspace
    wall = _wall(qtbot, ws, 1920, 1080)
    before_open = wall.tiles.values["open"]
    before_trend = list(wall.trend.series)
    before_rank = list(wall.ranking.rows)
    with qtbot.waitSignal(wall.sig_refreshed, timeout=3000):
        ws.commands.apply(Command(C.CREATE, new_id(), GRIDDER, {"title": "新事件", "grid_code": GRID1}))
    assert int(wall.tiles.values["open"]) == int(before_open) + 1
    assert sum(n for _, n, _ in wall.trend.series) == sum(n for _, n, _ in before_trend) + 1
    with qtbot.waitSignal(wall.sig_refreshed, timeout=3000):
        ws.commands.apply(Command(C.ACCEPT, ids[10], OPERATOR, {}))
        ws.commands.apply(Command(C.DISPATCH, ids[10], OPERATOR, {"department_code": ENF}))
    assert wall.ranking.rows != before_rank
    wall.close()


def test_supervisor_drives_the_wall(qtbot, pii_workspace) -> None:  # type: ignore[no-untyped-def]
    ws, ids = pii_workspace
    controller = WallController(interval_s=3)
    wall = _wall(qtbot, ws, 1920, 1080, controller=controller)
    assert wall.page == 0
    with qtbot.waitSignal(wall.sig_page_changed, timeout=5000):  # rotation
        pass
    assert wall.page == 1
    controller.pause(SUPERVISOR)
    qtbot.waitUntil(lambda: not wall._rotate_timer.isActive())
    assert wall.stateLabel.text() == "轮播已暂停"
    controller.show_page(2, SUPERVISOR)
    qtbot.waitUntil(lambda: wall.page == 2)
    wall.next_page()  # paused: stays
    assert wall.page == 2
    controller.pin(ids[1], SUPERVISOR)
    qtbot.waitUntil(lambda: wall.stack.currentWidget() is wall.pinned)
    controller.release(SUPERVISOR)
    qtbot.waitUntil(lambda: wall.page == 2)
    controller.resume(SUPERVISOR)
    qtbot.waitUntil(wall._rotate_timer.isActive)
    with pytest.raises(WallPermissionError):
        controller.pin(ids[1], OPERATOR)
    assert [e["action"] for e in controller.log] == ["pause", "page", "pin", "release", "resume"]
    assert all(e["by"] == SUPERVISOR.username for e in controller.log)
    wall.close()


@pytest.mark.parametrize("size", [(1920, 1080), (3840, 2160)])
def test_wall_screenshots(qtbot, pii_workspace, tmp_path, size) -> None:  # type: ignore[no-untyped-def]
    ws, ids = pii_workspace
    w, h = size
    controller = WallController()
    wall = _wall(qtbot, ws, w, h, controller=controller)
    shots = []
    for page in range(3):
        controller.show_page(page)
        qtbot.waitUntil(lambda page=page: wall.page == page)
        shots.append((f"wall_{w}x{h}_page{page}.png", wall.grab()))
    controller.pin(ids[0])
    qtbot.waitUntil(lambda: wall.stack.currentWidget() is wall.pinned)
    shots.append((f"wall_{w}x{h}_pinned.png", wall.grab()))
    SHOT_DIR.mkdir(exist_ok=True)
    for name, pixmap in shots:
        assert pixmap.width() == w and pixmap.height() == h
        assert pixmap.save(str(tmp_path / name))
        pixmap.save(str(SHOT_DIR / name))
    # type scales with the height
    assert wall.tiles.tiles["open"][1].font().pixelSize() == round(64 * h / 1080)
    wall.close()


def test_workstation_supervisor_puts_a_case_on_the_wall(qtbot, pii_workspace) -> None:  # type: ignore[no-untyped-def]
    from commandcenter.gui.app import make_main_window

    ws, ids = pii_workspace
    w = make_main_window(ws, SUPERVISOR)
    qtbot.addWidget(w)
    w.show()
    control = w.workloadsDock.wall_control
    assert control is not None
    wall = control.open_wall()
    qtbot.waitExposed(wall)
    assert w.reveal_case(ids[5]) or w.selected_case_id == ids[5]
    control.actionPin.trigger()
    qtbot.waitUntil(lambda: wall.stack.currentWidget() is wall.pinned)
    assert wall.pinned.case_id == ids[5] and control.actionRelease.isEnabled()
    control.actionPause.trigger()
    control.pageActions[2].trigger()
    control.actionRelease.trigger()
    qtbot.waitUntil(lambda: wall.page == 2)
    assert control.controller.state.paused and not wall._rotate_timer.isActive()
    # a live change reaches the wall through the window's bridge
    before = int(wall.tiles.values["open"])
    with qtbot.waitSignal(wall.sig_refreshed, timeout=3000):
        ws.commands.apply(Command(C.CREATE, new_id(), GRIDDER, {"title": "又一件", "grid_code": GRID1}))
    assert int(wall.tiles.values["open"]) == before + 1
    wall.close()  # closed by hand: 打开大屏 makes a new one
    again = control.open_wall()
    assert again is not wall and not again.closed and again.controller is control.controller
    w.close()
    assert control.wall is None and again.closed


def test_operator_has_no_wall_menu(qtbot, pii_workspace) -> None:  # type: ignore[no-untyped-def]
    from commandcenter.gui.app import make_main_window

    ws, _ids = pii_workspace
    w = make_main_window(ws, OPERATOR)
    qtbot.addWidget(w)
    assert w.workloadsDock.wall_control is None
    from PySide6.QtWidgets import QMenu

    assert w.findChild(QMenu, "wallMenu") is None
    w.close()
