"""Screenshots of the real main window, rendered offscreen at 1920×1080 to PNG files
under the test's tmp dir: zh_CN in the dark and the light theme with a populated
queue and a selected case, the keyboard help overlay, and the English window.

Each PNG must exist, have the right size and not be blank; the dark one must be
darker than the light one.  (Look at them: pytest --basetemp=/tmp/shots ...)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("PySide6", reason="PySide6 is not installed (the 'gui' extra)")

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QImage

from commandcenter.domain.case import Command, new_id
from commandcenter.domain.enums import CommandType as C
from commandcenter.domain.enums import Priority
from commandcenter.gui import i18n
from commandcenter.gui.app import make_main_window
from commandcenter.gui.views.main_window import MainWindow
from commandcenter.services.workspace import Workspace
from tests.conftest import GRID1, GRID2, GRIDDER, OPERATOR, SUPERVISOR, make_workspace

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")

SIZE = (1920, 1080)
LON, LAT = 119.6912, 29.7975


def _apply(ws: Workspace, ctype: C, case_id: str, **payload: Any) -> None:
    actor = SUPERVISOR if ctype in (C.SUPERVISE, C.URGE) else OPERATOR
    out = ws.commands.apply(Command(ctype, case_id, actor, payload))
    assert out.ok, out.reason


@pytest.fixture
def populated(tmp_path: Path, clock) -> Iterator[Workspace]:  # type: ignore[no-untyped-def]
    """A queue with some of everything: new, accepted, dispatched, supervised, urgent and
    critical cases, located ones, a merged duplicate; half an hour later."""
    ws = make_workspace(tmp_path / "shots.db", clock, n_cases=24)
    titles = ("占道经营", "井盖缺失", "噪音扰民", "违章搭建", "垃圾满溢", "路灯不亮")
    for i, title in enumerate(titles):
        priority = (Priority.CRITICAL, Priority.URGENT, Priority.NORMAL)[i % 3].value
        payload = {"title": f"{title}（热线反映）", "grid_code": GRID1 if i % 2 else GRID2, "category_code": "0101",
                   "address": f"迎春南路{10 + i}号", "lon": LON + 0.0004 * i, "lat": LAT, "priority": priority,
                   "reporter_name": "李四", "reporter_phone": "13912345678"}
        ws.commands.apply(Command(C.CREATE, new_id(), GRIDDER, payload))
    with ws.read() as conn:
        from sqlalchemy import text

        ids = [r[0] for r in conn.execute(text("SELECT id FROM cases ORDER BY code"))]
    for case_id in ids[:8]:
        _apply(ws, C.ACCEPT, case_id)
    for case_id in ids[:4]:
        _apply(ws, C.DISPATCH, case_id, department_code="D-330122001-enforcement")
    for case_id in ids[8:11]:
        _apply(ws, C.SUPERVISE, case_id, opinion="请限时处置")
    _apply(ws, C.MERGE, ids[-1], target_id=ids[-2], opinion="同一问题")
    clock.advance(minutes=40)  # some clocks run low
    yield ws
    ws.close()


def _window(qtbot, ws: Workspace, theme: str) -> MainWindow:  # type: ignore[no-untyped-def]
    w = make_main_window(ws, OPERATOR, sim_status=lambda: "模拟运行中 · 已生成 30 件", theme=theme)
    qtbot.addWidget(w)
    w.resize(*SIZE)
    w.show()
    qtbot.waitExposed(w)
    w.ui.setTabs.setCurrentIndex(8)  # 全部在办: every open case
    ids = w.model.case_ids()
    assert len(ids) >= 20
    located = [cid for cid in ids if (c := ws.case(cid)) is not None and c.lon is not None and c.status.value == "reported"]
    assert w.select_case(located[-1] if located else ids[0])
    return w


def _save(w: MainWindow, path: Path) -> QImage:
    assert (w.width(), w.height()) == SIZE
    assert w.grab().save(str(path))
    assert path.is_file() and path.stat().st_size > 20_000
    img = QImage(str(path))
    assert (img.width(), img.height()) == SIZE
    return img


def _luminance(img: QImage) -> np.ndarray:
    img = img.convertToFormat(QImage.Format.Format_RGB32)
    h, w = img.height(), img.width()
    raw = np.frombuffer(img.constBits(), dtype=np.uint8, count=img.sizeInBytes())
    px = raw.reshape(h, img.bytesPerLine())[:, : w * 4].reshape(h, w, 4).astype(np.float64)
    b, g, r = px[..., 0], px[..., 1], px[..., 2]  # little-endian ARGB32 is B, G, R, A in memory
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _assert_not_blank(img: QImage) -> np.ndarray:
    lum = _luminance(img)
    assert lum.std() > 8, "the screenshot is (nearly) one colour"
    small = img.scaled(192, 108)
    colours = {small.pixel(x, y) for x in range(small.width()) for y in range(small.height())}
    assert len(colours) > 40, "the screenshot is blank"
    return lum


def test_main_window_dark_and_light(qtbot, populated: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    means: dict[str, float] = {}
    for theme in ("dark", "light"):
        w = _window(qtbot, populated, theme)
        text = w.ui.caseDetail.toPlainText()
        assert "相关事件" in text and "位置" in text  # the case panel is filled
        img = _save(w, tmp_path / f"main_window_zh_CN_{theme}.png")
        means[theme] = float(_assert_not_blank(img).mean())
        w.close()
    assert means["dark"] < 80 < 150 < means["light"], means
    assert means["dark"] + 80 < means["light"]


def test_help_overlay(qtbot, populated: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    w = _window(qtbot, populated, "dark")
    before = _luminance(w.grab().toImage())
    w.helpOverlay.show_overlay()
    assert w.helpOverlay.isVisible()
    img = _save(w, tmp_path / "help_overlay_zh_CN_dark.png")
    after = _assert_not_blank(img)
    g = w.helpOverlay.geometry()
    assert abs(after[g.top() : g.bottom(), g.left() : g.right()] - before[g.top() : g.bottom(), g.left() : g.right()]).mean() > 5
    w.close()


def test_main_window_english(qtbot, populated: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = QCoreApplication.instance()
    assert app is not None
    try:
        assert i18n.set_language(app, "en")
        w = _window(qtbot, populated, "dark")
        assert w.ui.setTabs.tabText(0).startswith("New")
        _assert_not_blank(_save(w, tmp_path / "main_window_en_dark.png"))
        w.close()
    finally:
        i18n.set_language(app, i18n.SOURCE_LANGUAGE)
        QCoreApplication.sendPostedEvents(None, 0)
