"""Working against a platform server: the login dialog that asks the server (and offers
an offline login when it cannot be reached), the first-start download of the local
store, and a small helper that runs blocking calls off the GUI thread.

Nothing here blocks the GUI thread on the network: every HTTP call runs on a plain
thread and its result comes back through a queued Qt signal.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, cast

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QLabel, QMessageBox, QProgressDialog, QWidget

from ...domain.case import Actor
from ...domain.timeutil import fmt_local
from ...services.auth import OfflineCredentials
from ...services.workspace import Workspace
from ...sync import workstation as wsn
from ...sync.client import SyncClient
from .login import WRONG_CREDENTIALS, LoginDialog

log = logging.getLogger(__name__)

_INFO_STYLE = "color: #8b98a9;"
_WARN_STYLE = "color: #e0a030;"
_ERROR_STYLE = "color: #ff5c61;"


class _Relay(QObject):
    """Carries one result from a plain thread back to the GUI thread."""

    sig_done = Signal(object, object)  # result, exception

    def __init__(self, on_done: Callable[[Any, BaseException | None], None], parent: QObject | None) -> None:
        super().__init__(parent)
        self._on_done = on_done
        self.sig_done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @Slot(object, object)
    def _deliver(self, result: Any, error: BaseException | None) -> None:
        _LIVE_RELAYS.discard(self)
        try:
            self._on_done(result, error)
        finally:
            self.deleteLater()


_LIVE_RELAYS: set[_Relay] = set()  # relays without a parent stay alive until they deliver


def run_off_gui(
    parent: QObject | None, fn: Callable[[], Any], on_done: Callable[[Any, BaseException | None], None], name: str = "cc-gui-call"
) -> threading.Thread:
    """Run ``fn`` on a plain thread; ``on_done(result, exception)`` runs later on the GUI thread."""
    relay = _Relay(on_done, parent)
    if parent is None:
        _LIVE_RELAYS.add(relay)

    def body() -> None:
        result: Any = None
        error: BaseException | None = None
        try:
            result = fn()
        except BaseException as exc:  # handed to on_done, which decides what to say
            error = exc
        try:
            relay.sig_done.emit(result, error)
        except RuntimeError:  # the receiver is gone (its window closed meanwhile)
            log.debug("result of %s dropped: receiver gone", name)

    th = threading.Thread(target=body, name=name, daemon=True)
    th.start()
    return th


def wait_off_gui(fn: Callable[[], Any], parent: QObject | None = None) -> tuple[Any, BaseException | None]:
    """Run ``fn`` off the GUI thread and wait for it with the event loop turning (the GUI stays live)."""
    loop = QEventLoop()
    out: list[tuple[Any, BaseException | None]] = []

    def done(result: Any, error: BaseException | None) -> None:
        out.append((result, error))
        loop.quit()

    run_off_gui(parent, fn, done)
    while not out:
        loop.exec()
    return out[0]


class LocalAuthWorkspace:
    """The workspace as the idle lock sees it on a server-backed replica: users there carry
    no local password, so unlocking checks the password cached at the last online login."""

    def __init__(self, ws: Workspace, cache: OfflineCredentials) -> None:
        self._ws = ws
        self._cache = cache

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ws, name)

    def authenticate(self, username: str, password: str) -> Actor | None:
        if self._cache.verify(username, password):
            return self._ws.actor(username)
        return self._ws.authenticate(username, password)

    def as_workspace(self) -> Workspace:
        return cast(Workspace, self)


class ServerLoginDialog(LoginDialog):
    """Login at the platform server.  When the server cannot be reached and this
    workstation holds data, it offers an offline login with the credentials cached at
    the user's last online login (``login_result.outcome`` says which it was)."""

    def __init__(
        self,
        workspace: Workspace,
        settings: wsn.SyncSettings,
        username: str = "",
        parent: QWidget | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(workspace, username, parent, **kw)
        self._settings = settings
        self._busy = False
        self._offline_offered = False
        self.login_result: wsn.LoginResult | None = None
        self.password = ""  # the sync worker logs in again with it (kept in memory only)
        self.setWindowTitle(self.tr("登录 — CommandCenter 值班工作台（服务器）"))
        self.serverLabel = QLabel(self)
        self.serverLabel.setObjectName("serverLabel")
        self.serverLabel.setStyleSheet(_INFO_STYLE)
        self.serverLabel.setWordWrap(True)
        self.serverLabel.setText(self.tr("服务器：{url}").format(url=settings.server_url))
        layout = self.layout()
        if layout is not None:
            layout.addWidget(self.serverLabel)  # under the buttons: where this login goes

    @property
    def is_offline(self) -> bool:
        return self.login_result is not None and self.login_result.outcome == wsn.OFFLINE_LOGIN

    @property
    def busy(self) -> bool:
        return self._busy

    def submit(self) -> bool:
        """Start the login (asynchronous); the dialog is accepted when it succeeds."""
        if self._busy:
            return False
        if self.limiter.locked:
            self._show_lockout()
            return False
        username = self.usernameEdit.text().strip()
        password = self.passwordEdit.text()
        if not username:
            self._say(QCoreApplication.translate("LoginDialog", "请输入用户名"))
            self.usernameEdit.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        if not password:
            self._say(QCoreApplication.translate("LoginDialog", "请输入密码"))
            self.passwordEdit.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        self._busy = True
        self._set_inputs_enabled(False)
        self.quitButton.setEnabled(False)
        self._say(self.tr("正在连接服务器 {url} …").format(url=self._settings.server_url), _INFO_STYLE)
        settings, ws = self._settings, self._ws

        def attempt() -> wsn.LoginResult:
            return wsn.login(ws, settings, username, password)

        run_off_gui(self, attempt, lambda r, e: self._on_result(username, password, r, e), "cc-login")
        return False

    def _on_result(self, username: str, password: str, result: wsn.LoginResult | None, error: BaseException | None) -> None:
        self._busy = False
        self._set_inputs_enabled(True)
        self.quitButton.setEnabled(True)
        if error is not None or result is None:
            log.error("login failed", exc_info=error)
            self._say(self.tr("登录时出错，请稍后再试或联系管理员"))
            return
        outcome = result.outcome
        if outcome == wsn.ONLINE_LOGIN or (outcome == wsn.OFFLINE_LOGIN and self._offline_offered):
            self._accept_login(result, password)
            return
        if outcome == wsn.OFFLINE_LOGIN:  # reachable only offline: say so and let the operator confirm
            self._offline_offered = True
            cache = wsn.offline_cache(self._ws, self._settings)
            last = cache.last_online_login(username)
            until = fmt_local(last + cache.max_age, "%m-%d %H:%M") if last else "—"
            self._say(
                self.tr("无法连接服务器。可以离线登录：使用本机保存的上次在线登录凭据（有效至 {until}）；离线期间的操作保存在本机，服务器恢复后自动同步。").format(until=until),
                _WARN_STYLE,
            )
            self.loginButton.setText(self.tr("离线登录"))
            self.setWindowTitle(self.tr("离线登录 — CommandCenter 值班工作台"))
            return
        self.passwordEdit.clear()
        self.passwordEdit.setFocus(Qt.FocusReason.OtherFocusReason)
        if outcome in (wsn.REFUSED, wsn.WRONG_PASSWORD):
            if result.code == "locked":
                self._say(self.tr("登录失败次数过多，服务器已暂时锁定该账号，请稍后再试"))
                return
            if self.limiter.failed():
                self._start_lockout()
            else:
                self._say(QCoreApplication.translate("LoginDialog", WRONG_CREDENTIALS))
        elif outcome == wsn.EXPIRED:
            hours = self._settings.offline_login_hours
            self._say(
                self.tr("无法连接服务器，且离线登录已过期：距上次在线登录已超过 {h} 小时。请等服务器恢复后在线登录。").format(
                    h=f"{hours:g}"
                )
            )
        elif outcome == wsn.NO_CACHE:
            if self._ws.is_seeded:
                self._say(self.tr("无法连接服务器，且该用户在本机没有在线登录记录，不能离线登录。请检查网络或服务器设置。"))
            else:
                self._say(self.tr("无法连接服务器 {url}。本机还没有数据，首次使用必须连上服务器下载。请检查网络或服务器设置。").format(
                    url=self._settings.server_url))
        else:
            self._say(self.tr("服务器出错，暂时无法登录，请稍后再试"))
            self.messageLabel.setToolTip(result.detail)

    def _accept_login(self, result: wsn.LoginResult, password: str) -> None:
        assert result.actor is not None
        self.limiter.succeeded()
        self.login_result = result
        self.password = password
        self._actor = result.actor
        self._say("")
        self.sig_logged_in.emit(result.actor)
        self.accept()

    def _say(self, text: str, style: str = _ERROR_STYLE) -> None:
        self.messageLabel.setStyleSheet(style)
        self.messageLabel.setText(text)


def download_store(ws: Workspace, client: SyncClient, server_url: str, parent: QWidget | None = None) -> bool:
    """First start against a server: fill the empty local store from its snapshot, with a
    wait dialog (the download runs off the GUI thread).  False, after saying why, on failure."""
    progress = QProgressDialog(parent)
    progress.setObjectName("bootstrapProgress")
    progress.setWindowTitle(QCoreApplication.translate("SyncSession", "首次同步"))
    progress.setLabelText(QCoreApplication.translate("SyncSession", "正在从服务器 {url} 下载本中心的数据，请稍候…").format(url=server_url))
    progress.setRange(0, 0)  # busy: the size is not known in advance
    progress.setCancelButton(None)
    progress.setMinimumDuration(0)
    progress.setWindowModality(Qt.WindowModality.ApplicationModal)
    progress.show()
    try:
        count, error = wait_off_gui(lambda: wsn.bootstrap_from_server(ws, client, server_url), progress)
    finally:
        progress.close()
        progress.deleteLater()
    if error is None:
        log.info("bootstrapped %s cases from %s", count, server_url)
        return True
    log.error("bootstrap from %s failed: %s", server_url, error)
    box = QMessageBox(QMessageBox.Icon.Critical, QCoreApplication.translate("SyncSession", "首次同步失败"),
                      QCoreApplication.translate("SyncSession", "无法从服务器 {url} 下载数据，本机还不能工作。请检查网络或服务器设置后重新启动。").format(url=server_url),
                      QMessageBox.StandardButton.Ok, parent)
    box.setDetailedText(str(error))
    box.exec()
    return False
