"""Login (users from the store, lockout after 5 failures) and the idle lock."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6", reason="PySide6 is not installed (the 'gui' extra)")

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from sqlalchemy import insert

from commandcenter.cli import build_parser, main
from commandcenter.domain.case import Actor, Command, new_id
from commandcenter.domain.enums import CommandType as C
from commandcenter.gui.app import LOGIN_LINE, login, make_main_window
from commandcenter.gui.views.idle_lock import IdleLock
from commandcenter.gui.views.intake import HotlineIntakeDialog
from commandcenter.gui.views.login import LoginDialog
from commandcenter.gui.views.main_window import MainWindow
from commandcenter.services.auth import hash_password
from commandcenter.store import schema as t
from commandcenter.store.engine import write_tx
from tests.conftest import GRID1, GRIDDER, OPERATOR, OPERATOR2

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")

PASSWORD = "Duty-2026"
ROOT = Path(__file__).resolve().parents[2]


def add_user(ws: Any, actor: Actor, password: str = PASSWORD, *, active: bool = True) -> None:
    row = {
        "username": actor.username,
        "display_name": actor.display_name,
        "role": actor.role.value,
        "centre_code": actor.centre_code,
        "department_code": actor.department_code,
        "password_hash": hash_password(password, n=2**4),  # cheap for tests; the real cost is 2**14
        "active": active,
    }
    with write_tx(ws.engine) as conn:
        conn.execute(insert(t.users), [row])


@pytest.fixture
def users(workspace) -> Any:  # type: ignore[no-untyped-def]
    add_user(workspace, OPERATOR)
    add_user(workspace, OPERATOR2, "another-password")
    add_user(workspace, Actor("gone", OPERATOR.role, OPERATOR.centre_code, display_name="离职"), active=False)
    return workspace


def _login_dialog(qtbot, ws: Any, username: str = "op1", **kw: Any) -> LoginDialog:  # type: ignore[no-untyped-def]
    dlg = LoginDialog(ws, username, **kw)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


# --- login ---------------------------------------------------------------------------


def test_login_with_the_right_password_and_enter(qtbot, users) -> None:  # type: ignore[no-untyped-def]
    dlg = _login_dialog(qtbot, users)
    assert dlg.usernameEdit.text() == "op1"
    qtbot.waitUntil(dlg.passwordEdit.hasFocus)  # prefilled user: the cursor waits in the password
    qtbot.keyClicks(dlg.passwordEdit, PASSWORD)
    with qtbot.waitSignal(dlg.accepted, timeout=2000):
        qtbot.keyClick(dlg.passwordEdit, Qt.Key.Key_Return)
    assert dlg.result() == LoginDialog.DialogCode.Accepted
    assert dlg.actor == OPERATOR


def test_wrong_password_unknown_or_inactive_user_all_say_the_same(qtbot, users) -> None:  # type: ignore[no-untyped-def]
    dlg = _login_dialog(qtbot, users, "")
    with qtbot.assertNotEmitted(dlg.accepted, wait=50):
        for user, pw in (("op1", "wrong"), ("nobody", PASSWORD), ("gone", PASSWORD), ("op2", PASSWORD)):
            dlg.usernameEdit.setText(user)
            dlg.passwordEdit.setText(pw)
            qtbot.mouseClick(dlg.loginButton, Qt.MouseButton.LeftButton)
            assert dlg.messageLabel.text() == "用户名或密码错误"
            assert dlg.passwordEdit.text() == ""  # typed again, never kept
    assert dlg.actor is None and dlg.isVisible()
    dlg.usernameEdit.setText("op1")
    assert not dlg.submit()
    assert dlg.messageLabel.text() == "请输入密码"
    dlg.usernameEdit.clear()
    assert not dlg.submit()
    assert dlg.messageLabel.text() == "请输入用户名"


def test_five_failures_lock_the_form_with_a_countdown(qtbot, users) -> None:  # type: ignore[no-untyped-def]
    dlg = _login_dialog(qtbot, users, lockout_ms=600)
    for i in range(5):
        dlg.passwordEdit.setText(f"guess{i}")
        assert not dlg.submit()
    assert dlg.messageLabel.text().startswith("连续输错 5 次，请 ")
    assert dlg.messageLabel.text().endswith(" 秒后再试")
    assert not dlg.loginButton.isEnabled() and not dlg.passwordEdit.isEnabled()
    dlg.passwordEdit.setText(PASSWORD)
    assert not dlg.submit()  # even the right password waits for the lockout to end
    assert dlg.actor is None
    qtbot.waitUntil(dlg.loginButton.isEnabled, timeout=5000)
    assert dlg.messageLabel.text() == ""
    dlg.passwordEdit.setText(PASSWORD)
    with qtbot.waitSignal(dlg.accepted, timeout=2000):
        assert dlg.submit()


def test_a_store_failure_is_a_sentence_not_a_traceback(qtbot, users, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(*_a: Any) -> None:
        raise RuntimeError("database is locked")

    monkeypatch.setattr(users, "authenticate", broken)
    dlg = _login_dialog(qtbot, users)
    dlg.passwordEdit.setText(PASSWORD)
    assert not dlg.submit()
    assert dlg.messageLabel.text() == "暂时无法验证身份（本地数据库不可用），请稍后再试或联系管理员"
    assert "Traceback" not in dlg.messageLabel.text() and dlg.loginButton.isEnabled()


def test_login_function_runs_the_dialog_and_returns_the_actor(qtbot, users) -> None:  # type: ignore[no-untyped-def]
    seen: list[Any] = []

    def answer(password: str) -> None:
        dlg = QApplication.activeModalWidget()
        seen.append(dlg)
        assert isinstance(dlg, LoginDialog)
        assert dlg.usernameEdit.text() == "op1"
        dlg.passwordEdit.setText(password)
        dlg.submit()

    QTimer.singleShot(0, lambda: answer(PASSWORD))
    assert login(users, "op1") == OPERATOR

    QTimer.singleShot(0, lambda: QApplication.activeModalWidget().reject())  # 退出
    assert login(users, "op1") is None


def test_cli_asks_for_a_login_unless_user_is_given(tmp_path) -> None:  # type: ignore[no-untyped-def]
    args = build_parser().parse_args([])
    assert args.user is None and args.idle_lock_minutes == 10
    args = build_parser().parse_args(["--user", "operator", "--idle-lock-minutes", "0"])
    assert args.user == "operator" and args.idle_lock_minutes == 0
    assert main(["--db", str(tmp_path / "x.db"), "--idle-lock-minutes", "-1", "--log-dir", str(tmp_path)]) == 2


@pytest.mark.slow
def test_main_py_without_user_shows_the_login_and_quits_cleanly(tmp_path: Path) -> None:
    db = tmp_path / "cc.db"
    assert main(["--db", str(db), "--seed-only", "--seed-days", "1", "--log-dir", str(tmp_path / "seed")]) == 0
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen(
        [sys.executable, "main.py", "--db", str(db), "--log-dir", str(tmp_path / "logs"), "--no-sim"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert proc.stderr is not None
    threading.Thread(target=lambda: [lines.put(x) for x in iter(proc.stderr.readline, "")], daemon=True).start()
    said: list[str] = []
    try:
        while not any(LOGIN_LINE in s for s in said):
            said.append(lines.get(timeout=60))
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert rc == 0, f"exit code {rc}; said {said}"
    log_text = (tmp_path / "logs" / "commandcenter.log").read_text(encoding="utf-8")
    assert "login dialog shown" in log_text and "Traceback" not in log_text


# --- idle lock -----------------------------------------------------------------------


@pytest.fixture
def window(qtbot, users) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    w = make_main_window(users, OPERATOR)
    qtbot.addWidget(w)
    w.resize(1400, 800)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def _lock(qtbot, w: MainWindow, ws: Any, timeout_ms: int = 50, **kw: Any) -> IdleLock:  # type: ignore[no-untyped-def]
    lock = IdleLock(w, ws, OPERATOR, timeout_ms, **kw)
    qtbot.addWidget(lock.dialog)
    lock.install()
    return lock


def test_idle_lock_locks_and_only_the_users_password_unlocks(qtbot, window: MainWindow, users) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    window.ui.searchEdit.setFocus()
    qtbot.waitUntil(window.ui.searchEdit.hasFocus)
    lock = _lock(qtbot, window, users)
    try:
        with qtbot.waitSignal(lock.sig_locked, timeout=3000):
            pass
        assert lock.is_locked
        qtbot.waitExposed(lock.dialog)
        assert lock.dialog.isModal() and lock.dialog.isVisible()
        assert "值班员甲" in lock.dialog.userLabel.text() and "op1" in lock.dialog.userLabel.text()
        shade = next(s for s in lock.shades if s.parentWidget() is window)
        assert shade.isVisible() and shade.geometry() == window.rect()
        window.resize(1300, 760)  # the shade follows the window
        qtbot.waitUntil(lambda: shade.geometry() == window.rect())

        # the queue keeps updating underneath
        rows = window.model.rowCount()
        cmd = Command(C.CREATE, new_id(), GRIDDER, {"title": "锁屏期间上报", "grid_code": GRID1})
        assert users.commands.apply(cmd).ok
        qtbot.waitUntil(lambda: window.model.rowCount() == rows + 1, timeout=3000)

        # Esc and the window's close button do not unlock
        qtbot.keyClick(lock.dialog.passwordEdit, Qt.Key.Key_Escape)
        lock.dialog.windowHandle().close()  # as the window manager's close button does
        lock.dialog.close()
        assert lock.is_locked and lock.dialog.isVisible()
        # a wrong password, and another user's password, do not unlock
        assert not lock.try_unlock("wrong")
        assert lock.dialog.messageLabel.text() == "密码错误"
        assert not lock.try_unlock("another-password")  # op2's
        assert lock.is_locked and lock.dialog.isVisible()

        qtbot.keyClicks(lock.dialog.passwordEdit, PASSWORD)
        # idle long enough after the unlock to see where the keyboard went (at 50 ms it could
        # lock again before a slow machine looked: the focus check raced the next lock)
        lock.timeout_ms = 1500
        with qtbot.waitSignal(lock.sig_unlocked, timeout=2000):
            qtbot.keyClick(lock.dialog.passwordEdit, Qt.Key.Key_Return)
        assert not lock.is_locked and not lock.dialog.isVisible()
        qtbot.waitUntil(lambda: not shade.isVisible())
        assert lock.shades == []
        qtbot.waitUntil(window.ui.searchEdit.hasFocus)  # the keyboard is back where it was

        # and after another idle spell it locks again
        with qtbot.waitSignal(lock.sig_locked, timeout=5000):
            pass
        assert lock.try_unlock(PASSWORD)
    finally:
        lock.uninstall()


def test_input_postpones_the_lock(qtbot, window: MainWindow, users) -> None:  # type: ignore[no-untyped-def]
    now = [100.0]
    lock = _lock(qtbot, window, users, timeout_ms=1000, clock=lambda: now[0])
    try:
        now[0] = 100.8
        qtbot.keyClick(window.ui.searchEdit, Qt.Key.Key_A)  # any key or mouse input counts
        now[0] = 101.5
        lock.on_timer_timeout()
        assert not lock.is_locked  # 0.7 s since the key, of 1 s
        qtbot.mouseMove(window.ui.queueView.viewport())
        qtbot.mouseClick(window.ui.queueView.viewport(), Qt.MouseButton.LeftButton)
        now[0] = 102.4
        lock.on_timer_timeout()
        assert not lock.is_locked
        now[0] = 102.6
        lock.on_timer_timeout()
        assert lock.is_locked
        assert lock.try_unlock(PASSWORD)
    finally:
        lock.uninstall()


def test_an_open_intake_form_is_covered_and_its_draft_survives(qtbot, window: MainWindow, users) -> None:  # type: ignore[no-untyped-def]
    dlg = window.open_hotline_intake()
    assert isinstance(dlg, HotlineIntakeDialog)
    qtbot.waitExposed(dlg)
    dlg.addressEdit.setText("白云路7号")
    dlg.phoneEdit.setText("13900002222")
    lock = _lock(qtbot, window, users)
    try:
        with qtbot.waitSignal(lock.sig_locked, timeout=3000):
            pass
        assert {s.parentWidget() for s in lock.shades} >= {window, dlg}
        assert dlg.isVisible()  # covered, not closed
        assert lock.try_unlock(PASSWORD)
        assert dlg.isVisible() and dlg.addressEdit.text() == "白云路7号" and dlg.phoneEdit.text() == "13900002222"
    finally:
        lock.uninstall()


def test_unlock_lockout_after_five_wrong_passwords(qtbot, window: MainWindow, users) -> None:  # type: ignore[no-untyped-def]
    lock = _lock(qtbot, window, users, lockout_ms=500)
    try:
        lock.lock()
        for _ in range(5):
            assert not lock.try_unlock("nope")
        assert lock.dialog.messageLabel.text().startswith("连续输错 5 次")
        assert not lock.dialog.unlockButton.isEnabled()
        assert not lock.try_unlock(PASSWORD)  # not during the lockout
        qtbot.waitUntil(lock.dialog.unlockButton.isEnabled, timeout=5000)
        assert lock.try_unlock(PASSWORD)
    finally:
        lock.uninstall()


def test_zero_minutes_disables_the_lock(qtbot, window: MainWindow, users) -> None:  # type: ignore[no-untyped-def]
    lock = IdleLock.from_minutes(window, users, OPERATOR, 0)
    lock.install()
    assert not lock.enabled and not lock._timer.isActive()
    assert IdleLock.from_minutes(window, users, OPERATOR, 10).timeout_ms == 600_000
    with qtbot.assertNotEmitted(lock.sig_locked, wait=100):
        pass
    assert not lock.is_locked


def test_screenshot_of_the_lock(qtbot, tmp_path, window: MainWindow, users) -> None:  # type: ignore[no-untyped-def]
    lock = _lock(qtbot, window, users, timeout_ms=60_000)
    try:
        lock.lock()
        qtbot.waitExposed(lock.dialog)
        shaded = tmp_path / "locked_window.png"
        dialog = tmp_path / "lock_dialog.png"
        assert window.grab().save(str(shaded)) and lock.dialog.grab().save(str(dialog))
        img = QImage(str(shaded))
        # the shade hides the queue: one colour all over
        colours = {img.pixel(x, y) for x in range(0, img.width(), 41) for y in range(0, img.height(), 41)}
        assert len(colours) <= 8  # (the shade and its one line of text)
        img = QImage(str(dialog))
        colours = {img.pixel(x, y) for x in range(0, img.width(), 7) for y in range(0, img.height(), 7)}
        assert len(colours) > 5, "the lock dialog is blank"
        assert lock.try_unlock(PASSWORD)
    finally:
        lock.uninstall()


def test_the_lock_lets_the_application_quit(qtbot, window: MainWindow, users) -> None:  # type: ignore[no-untyped-def]
    lock = _lock(qtbot, window, users, timeout_ms=60_000)
    try:
        lock.lock()
        lock.dialog.close()
        assert lock.dialog.isVisible()  # refused
        # QApplication::quit() sends Quit to the application, then closes every window
        lock.eventFilter(QApplication.instance(), QEvent(QEvent.Type.Quit))
        lock.dialog.close()
        assert not lock.dialog.isVisible()
    finally:
        lock.uninstall()


@pytest.mark.slow
def test_sigterm_quits_cleanly_while_locked(tmp_path: Path) -> None:
    db = tmp_path / "cc.db"
    assert main(["--db", str(db), "--seed-only", "--seed-days", "1", "--log-dir", str(tmp_path / "seed")]) == 0
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    log_file = tmp_path / "logs" / "commandcenter.log"
    proc = subprocess.Popen(
        [sys.executable, "main.py", "--db", str(db), "--log-dir", str(tmp_path / "logs"), "--no-sim",
         "--user", "operator", "--idle-lock-minutes", "0.005"],  # 0.3 s
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        done = threading.Event()
        for _ in range(600):
            if log_file.is_file() and "workstation locked" in log_file.read_text(encoding="utf-8"):
                break
            done.wait(0.1)
        assert "workstation locked" in log_file.read_text(encoding="utf-8")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert rc == 0
    assert "Traceback" not in log_file.read_text(encoding="utf-8")
