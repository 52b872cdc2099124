"""Alerts: new 紧急/特急 cases and SLA crossings raise a banner line and a sound;
muting is time-limited; nothing modal, the keyboard focus stays where it was."""

from __future__ import annotations

import subprocess
import sys
import threading
import wave
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6", reason="PySide6 is not installed (the 'gui' extra)")

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from commandcenter.domain.case import Command, new_id
from commandcenter.domain.enums import CommandType as C
from commandcenter.domain.enums import Priority, Status
from commandcenter.gui.app import make_main_window
from commandcenter.gui.views.alerts import (
    SOUND_FILES,
    SOUNDS,
    AlertCenter,
    BeepSoundPlayer,
    default_sound_player,
    has_qt_multimedia,
)
from commandcenter.gui.views.main_window import MainWindow
from commandcenter.services.alerting import DUE_SOON, NEW_CRITICAL, NEW_URGENT, OVERDUE
from tests.conftest import GRID1, GRID2, GRIDDER, OPERATOR, make_workspace

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")

LEFT = Qt.MouseButton.LeftButton


class FakeSound:
    """A sound player that counts what it was asked to play."""

    name = "fake"

    def __init__(self) -> None:
        self.calls: list[str] = []

    def play(self, kind: str) -> None:
        self.calls.append(kind)


def _in_thread(fn: Callable[[], Any]) -> list[Any]:
    """Run fn on a plain thread, as the simulator does."""
    out: list[Any] = []
    th = threading.Thread(target=lambda: out.append(fn()))
    th.start()
    th.join()
    return out


def _report(ws: Any, title: str, priority: Priority = Priority.CRITICAL, grid: str = GRID1) -> str:
    cmd = Command(C.CREATE, new_id(), GRIDDER, {"title": title, "grid_code": grid, "category_code": "0101",
                                                "priority": priority.value})
    out = _in_thread(lambda: ws.commands.apply_many([cmd], origin="sim"))[0][0]
    assert out.ok, out.reason
    return cmd.case_id


def _open(qtbot, ws: Any) -> tuple[MainWindow, FakeSound]:  # type: ignore[no-untyped-def]
    w = make_main_window(ws, OPERATOR)
    qtbot.addWidget(w)
    w.resize(1600, 900)
    w.show()
    qtbot.waitExposed(w)
    sound = FakeSound()
    w.alerts.sound = sound
    w.alerts.min_sound_gap_s = 0
    qtbot.waitUntil(lambda: w.alerts.watch.scope is not None)  # the first scan (baseline) ran
    return w, sound


@pytest.fixture
def opened(qtbot, workspace) -> Iterator[tuple[MainWindow, FakeSound]]:  # type: ignore[no-untyped-def]
    w, sound = _open(qtbot, workspace)
    yield w, sound
    w.close()


def test_a_new_critical_case_raises_an_alert_and_a_sound(qtbot, opened, workspace) -> None:  # type: ignore[no-untyped-def]
    w, sound = opened
    bar = w.alertBar
    assert bar.isHidden() and w.alerts.alerts == []
    with qtbot.waitSignal(w.alerts.sig_alert, timeout=3000) as blocker:
        case_id = _report(workspace, "化工厂气味刺鼻")
    alert = blocker.args[0]
    case = workspace.case(case_id)
    assert (alert.case_id, alert.code, alert.kind, alert.reason) == (case_id, case.code, NEW_CRITICAL, "新的特急事件")
    assert sound.calls == [NEW_CRITICAL]
    assert bar.isVisible()
    line = bar.lines[0].text()
    assert "新的特急事件" in line and case.code in line and "化工厂气味刺鼻" in line and "特急" in line
    assert not bar.lines[1].isVisible()

    with qtbot.waitSignal(w.alerts.sig_alert, timeout=3000) as blocker:
        _report(workspace, "道路塌陷", Priority.URGENT)
    assert blocker.args[0].reason == "新的紧急事件" and blocker.args[0].kind == NEW_URGENT
    assert sound.calls == [NEW_CRITICAL, NEW_URGENT]
    assert "道路塌陷" in bar.lines[0].text() and "化工厂气味刺鼻" in bar.lines[1].text()  # newest first

    # an ordinary case, or one of another centre's queue, is not an alert
    with qtbot.assertNotEmitted(w.alerts.sig_alert, wait=400):
        _report(workspace, "一般事件", Priority.NORMAL)
        _report(workspace, "旧县街道的特急事件", Priority.CRITICAL, grid=GRID2)
    assert len(w.alerts.alerts) == 2 and len(sound.calls) == 2


def test_sla_crossings_alert_once_and_the_backlog_never(qtbot, tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    ws = make_workspace(tmp_path / "sla.db", clock, n_cases=3)  # three cases, 60 working minutes to accept
    try:
        clock.advance(minutes=90)  # 10:30: they are overdue before the window opens (the backlog)
        w, sound = _open(qtbot, ws)
        assert w.alerts.check() == [] and w.alerts.alerts == [] and sound.calls == []
        assert w.alerts.watch.state_of(w.model.case_ids()[0]) is not None  # remembered

        fresh = [_report(ws, f"新上报{i}", Priority.NORMAL) for i in range(4)]
        qtbot.waitUntil(lambda: all(w.alerts.watch.state_of(c) is not None for c in fresh), timeout=3000)
        assert w.alerts.alerts == []
        clock.advance(minutes=50)  # past 80 % of the 60 minutes: due soon
        new = w.alerts.check()
        assert sorted(a.case_id for a in new) == sorted(fresh)
        assert {(a.kind, a.reason) for a in new} == {(DUE_SOON, "即将超期")}
        assert sound.calls == [DUE_SOON]  # one sound for the batch
        assert w.alerts.check() == []  # remembered: not again

        clock.advance(minutes=15)
        new = w.alerts.check()
        assert sorted(a.case_id for a in new) == sorted(fresh)
        assert {a.reason for a in new} == {"已超期"}
        assert sound.calls == [DUE_SOON, OVERDUE]
        assert len(w.alerts.alerts) == 4  # one line per case: "已超期" replaced "即将超期"
        bar = w.alertBar
        assert all(b.isVisible() for b in bar.lines) and bar.moreLabel.text() == "另有 1 条"
        assert w.alerts.check() == []
        w.close()
    finally:
        ws.close()


def test_mute_is_time_limited(qtbot, opened, workspace) -> None:  # type: ignore[no-untyped-def]
    w, sound = opened
    alerts, button = w.alerts, w.alertSoundButton
    assert button.text() == "提醒声音"
    alerts.mute()  # the default: 15 minutes
    assert alerts.is_muted and alerts.mute_remaining_s() == 900
    assert button.text() == "静音 剩余 15:00"
    assert w.alertBar.muteButton.text() == "取消静音（15:00）"
    alerts.unmute()
    assert not alerts.is_muted and w.alertBar.muteButton.text() == "静音 15 分钟"

    alerts.mute(duration_ms=400)
    assert button.text().startswith("静音 剩余")
    with qtbot.waitSignal(alerts.sig_alert, timeout=3000):
        _report(workspace, "静音期间的特急事件")
    assert sound.calls == []  # muted: seen, not heard
    assert w.alertBar.isVisible()

    with qtbot.waitSignal(alerts.sig_mute_changed, timeout=3000) as blocker:
        pass  # the mute runs out by itself
    assert blocker.args == [False] and not alerts.is_muted
    assert button.text() == "提醒声音"
    with qtbot.waitSignal(alerts.sig_alert, timeout=3000):
        _report(workspace, "恢复声音后的特急事件")
    assert sound.calls == [NEW_CRITICAL]


def test_the_bar_buttons_mute_and_clear(qtbot, opened, workspace) -> None:  # type: ignore[no-untyped-def]
    w, _sound = opened
    with qtbot.waitSignal(w.alerts.sig_alert, timeout=3000):
        _report(workspace, "特急一")
    bar = w.alertBar
    qtbot.mouseClick(bar.muteButton, LEFT)
    assert w.alerts.is_muted and bar.muteButton.text().startswith("取消静音")
    qtbot.mouseClick(w.alertSoundButton, LEFT)  # the status-bar button toggles back
    assert not w.alerts.is_muted
    qtbot.mouseClick(bar.clearButton, LEFT)
    assert w.alerts.alerts == [] and bar.isHidden()


def test_an_alert_never_steals_the_focus(qtbot, opened, workspace) -> None:  # type: ignore[no-untyped-def]
    w, _sound = opened
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    search = w.ui.searchEdit
    search.setFocus()
    qtbot.waitUntil(search.hasFocus)
    qtbot.keyClicks(search, "bai")
    with qtbot.waitSignal(w.alerts.sig_alert, timeout=3000):
        _report(workspace, "特急：打字时到达")
    qtbot.waitUntil(w.alertBar.isVisible)
    assert search.hasFocus() and QApplication.focusWidget() is search
    assert QApplication.activeWindow() is w and QApplication.activeModalWidget() is None
    qtbot.keyClicks(search, "yun")
    assert search.text() == "baiyun"  # the typing went on where it was
    # clicking the alert line does not take the focus either (it opens the case)
    qtbot.mouseClick(w.alertBar.lines[0], LEFT)
    assert search.hasFocus()


def test_clicking_an_alert_opens_its_case_even_on_another_tab(qtbot, opened, workspace) -> None:  # type: ignore[no-untyped-def]
    w, _sound = opened
    with qtbot.waitSignal(w.alerts.sig_alert, timeout=3000):
        first = _report(workspace, "特急甲")
    qtbot.waitUntil(lambda: w.model.row_of(first) >= 0)
    qtbot.mouseClick(w.alertBar.lines[0], LEFT)
    assert w.selected_case_id == first
    assert w.alerts.alerts == [] and w.alertBar.isHidden()  # seen: the line goes

    with qtbot.waitSignal(w.alerts.sig_alert, timeout=3000):
        second = _report(workspace, "特急乙")
    out = workspace.commands.apply(Command(C.ACCEPT, second, OPERATOR, {}))  # leaves the 待受理 tab
    assert out.ok, out.reason
    qtbot.waitUntil(lambda: w.model.row_of(second) < 0, timeout=3000)
    assert w.ui.setTabs.currentIndex() == 0
    qtbot.mouseClick(w.alertBar.lines[0], LEFT)
    assert w.selected_case_id == second
    assert w.work_sets[w.ui.setTabs.currentIndex()].key == "open"  # 全部在办
    assert workspace.case(second).status is Status.REGISTERED
    assert "特急乙" in w.ui.caseDetail.toPlainText()


def test_closing_the_window_stops_the_alerts(qtbot, workspace) -> None:  # type: ignore[no-untyped-def]
    w, sound = _open(qtbot, workspace)
    w.close()
    with qtbot.assertNotEmitted(w.alerts.sig_alert, wait=300):
        _report(workspace, "关闭后的特急事件")
    assert w.alerts.check() == [] and sound.calls == []


def test_sound_files_are_committed_and_up_to_date() -> None:
    for kind in (NEW_CRITICAL, NEW_URGENT, DUE_SOON, OVERDUE):
        path = SOUNDS / SOUND_FILES[kind]
        with wave.open(str(path), "rb") as wav:
            assert wav.getnchannels() == 1 and wav.getsampwidth() == 2
            assert 0.2 < wav.getnframes() / wav.getframerate() < 1.5  # short
    script = Path(__file__).resolve().parents[2] / "scripts" / "make_sounds.py"
    out = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_offscreen_uses_the_silent_beep(qtbot) -> None:  # type: ignore[no-untyped-def]
    # PySide6-Essentials has no QtMultimedia; offscreen (the tests) always gets the beep, silent there
    assert isinstance(has_qt_multimedia(), bool)
    player = default_sound_player(QApplication.instance())
    assert isinstance(player, BeepSoundPlayer) and player.name == "beep"
    player.play(NEW_CRITICAL)  # harmless


def test_the_window_uses_the_beep_offscreen(opened) -> None:  # type: ignore[no-untyped-def]
    w, _sound = opened
    fresh = AlertCenter(w._ws, lambda: (), w)
    assert isinstance(fresh.sound, BeepSoundPlayer) and fresh.sound.name == "beep"
    fresh.stop()


def test_screenshot_of_the_window_with_alerts(qtbot, tmp_path, workspace) -> None:  # type: ignore[no-untyped-def]
    w = make_main_window(workspace, OPERATOR, theme="dark")
    qtbot.addWidget(w)
    w.resize(1920, 1080)
    w.show()
    qtbot.waitExposed(w)
    w.alerts.sound = FakeSound()
    qtbot.waitUntil(lambda: w.alerts.watch.scope is not None)
    with qtbot.waitSignal(w.alerts.sig_alerts_changed, timeout=3000):
        _report(workspace, "化工厂附近气味刺鼻，多名群众反映头晕")
    w.alerts.mute()
    path = tmp_path / "alerts.png"
    assert w.grab().save(str(path))
    img = QImage(str(path))
    assert (img.width(), img.height()) == (w.width(), w.height())
    bar = w.alertBar.geometry().translated(w.ui.centralwidget.pos())
    assert bar.height() > 20 and img.pixelColor(bar.center().x(), bar.top() + 3) != img.pixelColor(5, bar.bottom() + 40)
    colours = {img.pixel(x, y) for x in range(0, img.width(), 37) for y in range(0, img.height(), 37)}
    assert len(colours) > 10, "the screenshot is blank"
    w.close()
