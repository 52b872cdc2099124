"""Login (登录): who is on duty at this workstation.

``LoginDialog`` asks for a user of the local store and their password
(``Workspace.authenticate``).  A wrong pair says "用户名或密码错误" — it never
tells which of the two was wrong; after 5 failures in a row the form is locked
for 30 seconds with a countdown.  Whatever goes wrong, the operator sees a
sentence, never a traceback.

``AttemptLimiter`` is shared with the idle lock (views/idle_lock.py).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.case import Actor
from ...services.workspace import Workspace

log = logging.getLogger(__name__)

_CTX = "LoginDialog"
MAX_FAILURES = 5
LOCKOUT_MS = 30_000
WRONG_CREDENTIALS = str(QT_TRANSLATE_NOOP("LoginDialog", "用户名或密码错误"))

_ERROR_STYLE = "color: #ff5c61;"


class AttemptLimiter:
    """Counts failed attempts; after ``max_failures`` in a row, refuses for ``lockout_ms``."""

    def __init__(
        self,
        max_failures: int = MAX_FAILURES,
        lockout_ms: int = LOCKOUT_MS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.lockout_s = lockout_ms / 1000.0
        self._clock = clock
        self.failures = 0
        self._locked_until = 0.0

    def remaining_s(self) -> float:
        """Seconds left of the lockout (0 when not locked out)."""
        return max(0.0, self._locked_until - self._clock())

    @property
    def locked(self) -> bool:
        return self.remaining_s() > 0

    def failed(self) -> bool:
        """Record a failure; True if it started a lockout."""
        self.failures += 1
        if self.failures >= self.max_failures:
            self.failures = 0
            self._locked_until = self._clock() + self.lockout_s
            return True
        return False

    def succeeded(self) -> None:
        self.failures = 0
        self._locked_until = 0.0


def lockout_text(remaining_s: float, failures: int = MAX_FAILURES) -> str:
    return QCoreApplication.translate("LoginDialog", "连续输错 {n} 次，请 {s} 秒后再试").format(n=failures, s=max(1, math.ceil(remaining_s)))


class LoginDialog(QDialog):
    """Username + password; ``actor`` holds who logged in once it is accepted."""

    sig_logged_in = Signal(object)  # Actor

    def __init__(
        self,
        workspace: Workspace,
        username: str = "",
        parent: QWidget | None = None,
        *,
        max_failures: int = MAX_FAILURES,
        lockout_ms: int = LOCKOUT_MS,
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._actor: Actor | None = None
        self.limiter = AttemptLimiter(max_failures, lockout_ms)
        self.setObjectName("loginDialog")
        self.setWindowTitle(self.tr("登录 — CommandCenter 值班工作台"))
        self.setMinimumWidth(440)

        self._countdown = QTimer(self)
        self._countdown.setInterval(200)

        title = QLabel(self.tr("社会治理综合指挥中心 · 值班工作台"), self)
        title.setObjectName("loginTitle")
        title.setStyleSheet("font-size: 16pt; font-weight: 600; padding: 4px 0 10px 0;")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.usernameEdit = QLineEdit(self)
        self.usernameEdit.setObjectName("usernameEdit")
        self.usernameEdit.setPlaceholderText(self.tr("用户名"))
        self.usernameEdit.setText(username)
        self.passwordEdit = QLineEdit(self)
        self.passwordEdit.setObjectName("passwordEdit")
        self.passwordEdit.setPlaceholderText(self.tr("密码"))
        self.passwordEdit.setEchoMode(QLineEdit.EchoMode.Password)
        self.messageLabel = QLabel(self)
        self.messageLabel.setObjectName("messageLabel")
        self.messageLabel.setStyleSheet(_ERROR_STYLE)
        self.messageLabel.setWordWrap(True)
        self.messageLabel.setMinimumHeight(22)
        self.loginButton = QPushButton(self.tr("登录"), self)
        self.loginButton.setObjectName("loginButton")
        self.loginButton.setDefault(True)
        self.quitButton = QPushButton(self.tr("退出"), self)
        self.quitButton.setObjectName("quitButton")
        self.quitButton.setAutoDefault(False)

        form = QFormLayout()
        form.addRow(self.tr("用户名"), self.usernameEdit)
        form.addRow(self.tr("密码"), self.passwordEdit)
        for field in (self.usernameEdit, self.passwordEdit):
            label = form.labelForField(field)
            if isinstance(label, QLabel):
                label.setBuddy(field)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.quitButton)
        buttons.addWidget(self.loginButton)
        root = QVBoxLayout(self)
        root.addWidget(title)
        root.addLayout(form)
        root.addWidget(self.messageLabel)
        root.addLayout(buttons)

        try:
            names = [a.username for a in workspace.users()]
        except Exception:  # the list is a convenience only
            log.exception("cannot list users")
            names = []
        completer = QCompleter(names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.usernameEdit.setCompleter(completer)

        self.loginButton.clicked.connect(self.submit)
        self.quitButton.clicked.connect(self.reject)
        self.usernameEdit.returnPressed.connect(self.on_username_return_pressed)
        self.passwordEdit.returnPressed.connect(self.submit)
        self._countdown.timeout.connect(self.on_countdown_timeout)
        (self.passwordEdit if username else self.usernameEdit).setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def actor(self) -> Actor | None:
        return self._actor

    def submit(self) -> bool:
        """Try the username and password; True when logged in (the dialog is accepted)."""
        if self.limiter.locked:
            self._show_lockout()
            return False
        username = self.usernameEdit.text().strip()
        password = self.passwordEdit.text()
        if not username:
            self._message(self.tr("请输入用户名"))
            self.usernameEdit.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        if not password:
            self._message(self.tr("请输入密码"))
            self.passwordEdit.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        try:
            actor = self._ws.authenticate(username, password)
        except Exception:
            log.exception("authentication failed for %s", username)
            self._message(self.tr("暂时无法验证身份（本地数据库不可用），请稍后再试或联系管理员"))
            return False
        if actor is None:
            log.info("login refused for %s", username)
            self.passwordEdit.clear()
            self.passwordEdit.setFocus(Qt.FocusReason.OtherFocusReason)
            if self.limiter.failed():
                self._start_lockout()
            else:
                self._message(self.tr(WRONG_CREDENTIALS))
            return False
        self.limiter.succeeded()
        log.info("login: %s (%s)", actor.username, actor.role.value)
        self._actor = actor
        self._message("")
        self.sig_logged_in.emit(actor)
        self.accept()
        return True

    def on_username_return_pressed(self) -> None:
        if self.passwordEdit.text():
            self.submit()
        else:
            self.passwordEdit.setFocus(Qt.FocusReason.OtherFocusReason)

    def on_countdown_timeout(self) -> None:
        if self.limiter.locked:
            self._show_lockout()
            return
        self._countdown.stop()
        self._set_inputs_enabled(True)
        self._message("")
        self.passwordEdit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _start_lockout(self) -> None:
        log.warning("login locked out after %d failures", self.limiter.max_failures)
        self._set_inputs_enabled(False)
        self._show_lockout()
        self._countdown.start()

    def _show_lockout(self) -> None:
        self._message(lockout_text(self.limiter.remaining_s(), self.limiter.max_failures))

    def _set_inputs_enabled(self, enabled: bool) -> None:
        for w in (self.usernameEdit, self.passwordEdit, self.loginButton):
            w.setEnabled(enabled)

    def _message(self, text: str) -> None:
        self.messageLabel.setText(text)
