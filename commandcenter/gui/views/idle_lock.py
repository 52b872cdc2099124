"""Idle lock (无操作自动锁屏).

``IdleLock`` is an application-wide event filter.  After ``timeout_ms`` without
keyboard or mouse input it locks the workstation:

* every visible top-level window (the main window, an open intake form …) is
  covered by an opaque shade — nothing is hidden or closed, so nothing typed is
  lost, and the queue, the timers and the simulator go on underneath;
* an application-modal ``LockDialog`` asks for the password of the user who is
  logged in (and nobody else's).  Esc and the window's close button do nothing;
  5 wrong passwords in a row lock the form for 30 seconds.

A timeout of 0 (``--idle-lock-minutes 0``) disables the lock.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.case import Actor
from ...domain.timeutil import fmt_local
from ...services.workspace import Workspace
from ..i18n import label as i18n_label
from .login import LOCKOUT_MS, MAX_FAILURES, AttemptLimiter, lockout_text

log = logging.getLogger(__name__)

DEFAULT_MINUTES = 10

_E = QEvent.Type
INPUT_EVENTS = frozenset(
    {
        _E.KeyPress,
        _E.MouseButtonPress,
        _E.MouseButtonDblClick,
        _E.MouseMove,
        _E.Wheel,
        _E.TouchBegin,
        _E.TouchUpdate,
        _E.TabletPress,
        _E.InputMethod,
    }
)

_ERROR_STYLE = "color: #ff5c61;"
_SHADE_STYLE = """
QWidget#lockShade { background-color: rgb(9, 13, 18); }
QLabel#lockShadeLabel { color: #8b98a9; font-size: 20pt; background: transparent; }
"""


class LockShade(QWidget):
    """An opaque cover over one top-level window; follows its size."""

    def __init__(self, host: QWidget, text: str) -> None:
        super().__init__(host)
        self.setObjectName("lockShade")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(_SHADE_STYLE)
        label = QLabel(text, self)
        label.setObjectName("lockShadeLabel")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        self._host = host
        host.installEventFilter(self)
        self.setGeometry(host.rect())
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._host and event.type() in (_E.Resize, _E.ChildAdded):
            self.setGeometry(self._host.rect())
            self.raise_()
        return False

    def remove(self) -> None:
        if not shiboken6.isValid(self):  # its window was deleted, and it with it
            return
        if shiboken6.isValid(self._host):
            self._host.removeEventFilter(self)
        self.hide()
        self.deleteLater()


class LockDialog(QDialog):
    """Asks the logged-in user's password; only that unlocks."""

    sig_unlocked = Signal()

    def __init__(
        self,
        workspace: Workspace,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        max_failures: int = MAX_FAILURES,
        lockout_ms: int = LOCKOUT_MS,
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._actor = actor
        self._may_close = False
        self.limiter = AttemptLimiter(max_failures, lockout_ms)
        self.setObjectName("lockDialog")
        self.setWindowTitle(self.tr("工作台已锁定"))
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowFlags(
            Qt.WindowType.Dialog | Qt.WindowType.CustomizeWindowHint | Qt.WindowType.WindowTitleHint
        )
        self.setMinimumWidth(420)

        title = QLabel(self.tr("工作台已锁定"), self)
        title.setStyleSheet("font-size: 16pt; font-weight: 600;")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        who = actor.display_name or actor.username
        self.userLabel = QLabel(
            self.tr("值班人员：{who}（{role}，{user}）").format(who=who, role=i18n_label(actor.role), user=actor.username), self
        )
        self.userLabel.setObjectName("lockUserLabel")
        self.userLabel.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.sinceLabel = QLabel(self)
        self.sinceLabel.setObjectName("lockSinceLabel")
        self.sinceLabel.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.sinceLabel.setStyleSheet("color: #8b98a9;")
        self.passwordEdit = QLineEdit(self)
        self.passwordEdit.setObjectName("lockPasswordEdit")
        self.passwordEdit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passwordEdit.setPlaceholderText(self.tr("输入 {user} 的密码解锁").format(user=actor.username))
        self.messageLabel = QLabel(self)
        self.messageLabel.setObjectName("lockMessageLabel")
        self.messageLabel.setStyleSheet(_ERROR_STYLE)
        self.messageLabel.setMinimumHeight(22)
        self.unlockButton = QPushButton(self.tr("解锁"), self)
        self.unlockButton.setObjectName("unlockButton")
        self.unlockButton.setDefault(True)

        row = QHBoxLayout()
        row.addWidget(self.passwordEdit, 1)
        row.addWidget(self.unlockButton)
        root = QVBoxLayout(self)
        root.addWidget(title)
        root.addWidget(self.userLabel)
        root.addWidget(self.sinceLabel)
        root.addSpacing(8)
        root.addLayout(row)
        root.addWidget(self.messageLabel)

        self._countdown = QTimer(self)
        self._countdown.setInterval(200)
        self._countdown.timeout.connect(self.on_countdown_timeout)
        self.unlockButton.clicked.connect(self.submit)
        self.passwordEdit.returnPressed.connect(self.submit)

    def prepare(self, since_text: str) -> None:
        self._may_close = False
        self.sinceLabel.setText(since_text)
        self.passwordEdit.clear()
        if not self.limiter.locked:
            self.messageLabel.clear()

    def submit(self) -> bool:
        """Check the password; True (and sig_unlocked) when it is the logged-in user's."""
        if self.limiter.locked:
            self._show_lockout()
            return False
        password = self.passwordEdit.text()
        if not password:
            self.messageLabel.setText(self.tr("请输入密码"))
            return False
        try:
            who = self._ws.authenticate(self._actor.username, password)
        except Exception:
            log.exception("unlock: authentication failed")
            self.messageLabel.setText(self.tr("暂时无法验证身份，请稍后再试"))
            return False
        self.passwordEdit.clear()
        if who is None or who.username != self._actor.username:
            log.info("unlock refused for %s", self._actor.username)
            if self.limiter.failed():
                self._set_inputs_enabled(False)
                self._show_lockout()
                self._countdown.start()
            else:
                self.messageLabel.setText(self.tr("密码错误"))
            return False
        self.limiter.succeeded()
        self.messageLabel.clear()
        self._may_close = True
        self.hide()
        self.sig_unlocked.emit()
        return True

    def on_countdown_timeout(self) -> None:
        if self.limiter.locked:
            self._show_lockout()
            return
        self._countdown.stop()
        self._set_inputs_enabled(True)
        self.messageLabel.clear()
        self.passwordEdit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_lockout(self) -> None:
        self.messageLabel.setText(lockout_text(self.limiter.remaining_s(), self.limiter.max_failures))

    def _set_inputs_enabled(self, enabled: bool) -> None:
        self.passwordEdit.setEnabled(enabled)
        self.unlockButton.setEnabled(enabled)

    def allow_close(self) -> None:
        """The application is quitting (SIGTERM, session end): let the dialog close with it."""
        self._may_close = True

    def reject(self) -> None:
        """Esc (and QDialog's own close handling): stay locked, unless the application quits."""
        if self._may_close:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._may_close:
            super().closeEvent(event)
        else:
            event.ignore()


class IdleLock(QObject):
    """Locks ``window`` (and every other top-level window) after a time without input."""

    sig_locked = Signal()
    sig_unlocked = Signal()

    def __init__(
        self,
        window: QWidget,
        workspace: Workspace,
        actor: Actor,
        timeout_ms: int,
        parent: QObject | None = None,
        *,
        max_failures: int = MAX_FAILURES,
        lockout_ms: int = LOCKOUT_MS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent if parent is not None else window)
        self._window = window
        self._ws = workspace
        self._actor = actor
        self.timeout_ms = max(0, int(timeout_ms))
        self._clock = clock
        self._last_input = clock()
        self._locked = False
        self._installed = False
        self._shades: list[LockShade] = []
        self._focus: QWidget | None = None  # where the keyboard was when it locked
        self.dialog = LockDialog(workspace, actor, window, max_failures=max_failures, lockout_ms=lockout_ms)
        self.dialog.sig_unlocked.connect(self.on_dialog_unlocked)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.on_timer_timeout)

    @classmethod
    def from_minutes(cls, window: QWidget, workspace: Workspace, actor: Actor, minutes: float) -> IdleLock:
        return cls(window, workspace, actor, round(minutes * 60_000))

    @property
    def enabled(self) -> bool:
        return self.timeout_ms > 0

    @property
    def is_locked(self) -> bool:
        return self._locked

    @property
    def shades(self) -> list[LockShade]:
        return list(self._shades)

    def install(self) -> None:
        """Start watching input (no-op when disabled)."""
        app = QApplication.instance()
        if not self.enabled or self._installed or app is None:
            return
        app.installEventFilter(self)
        self._installed = True
        self._last_input = self._clock()
        self._timer.start(self.timeout_ms)

    def uninstall(self) -> None:
        app = QApplication.instance()
        if self._installed and app is not None:
            app.removeEventFilter(self)
        self._installed = False
        self._timer.stop()

    def idle_ms(self) -> float:
        return (self._clock() - self._last_input) * 1000.0

    def lock(self) -> None:
        """Lock now: shade every window and ask for the password."""
        if self._locked:
            return
        self._locked = True
        self._timer.stop()
        popup = QApplication.activePopupWidget()
        while popup is not None:  # an open combo list or menu would sit above the shade
            popup.close()
            nxt = QApplication.activePopupWidget()
            popup = nxt if nxt is not popup else None
        self._focus = QApplication.focusWidget()
        text = self.tr("工作台已锁定")
        for w in QApplication.topLevelWidgets():
            if w is self.dialog or not w.isVisible() or not w.isWindow():
                continue
            if w.windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
                continue
            self._shades.append(LockShade(w, text))
        since = fmt_local(self._ws.now(), "%H:%M")
        if self.timeout_ms >= 60_000:
            idle = self.tr("{m} 分钟").format(m=round(self.timeout_ms / 60_000))
        else:
            idle = self.tr("{s} 秒").format(s=max(1, round(self.timeout_ms / 1000)))
        self.dialog.prepare(self.tr("{idle}无操作，{t} 自动锁定").format(idle=idle, t=since))
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        self.dialog.passwordEdit.setFocus(Qt.FocusReason.OtherFocusReason)
        log.info("workstation locked after %.0f ms idle (%s)", self.idle_ms(), self._actor.username)
        self.sig_locked.emit()

    def try_unlock(self, password: str) -> bool:
        """Unlock with the password (as the dialog does); True when unlocked."""
        self.dialog.passwordEdit.setText(password)
        return self.dialog.submit()

    # --- slots --------------------------------------------------------------------

    def on_timer_timeout(self) -> None:
        if self._locked or not self._installed:
            return
        left = self.timeout_ms - self.idle_ms()
        if left <= 0:
            self.lock()
        else:
            self._timer.start(max(1, int(left) + 1))

    def on_dialog_unlocked(self) -> None:
        for shade in self._shades:
            shade.remove()
        self._shades.clear()
        self._locked = False
        self._last_input = self._clock()
        if self._installed:
            self._timer.start(self.timeout_ms)
        target, self._focus = self._focus, None
        if target is not None and shiboken6.isValid(target) and target.isVisible():
            target.window().activateWindow()
            target.setFocus(Qt.FocusReason.OtherFocusReason)
        log.info("workstation unlocked (%s)", self._actor.username)
        self.sig_unlocked.emit()

    # --- events -------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        etype = event.type()
        if etype in INPUT_EVENTS:
            if not self._locked:
                self._last_input = self._clock()
        elif etype == _E.Quit:  # quitting closes every window; the lock must not refuse
            self.dialog.allow_close()
        return False
