"""The QApplication, its font, theme and translators, and the top-level wiring.

    from commandcenter.gui.app import run
    sys.exit(run(workspace, actor, sim_status=simulator.status_text))

``make_main_window`` builds the window without touching application-wide state
(tests use it on the shared pytest-qt QApplication).
"""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu

from ..domain.case import Actor
from ..resources import RESOURCES
from ..services.workspace import Workspace
from ..sync import workstation as wsn
from . import gc_guard
from .i18n import SOURCE_LANGUAGE, TRANSLATIONS, set_language  # noqa: F401  (re-exported)
from .views.idle_lock import DEFAULT_MINUTES, IdleLock
from .views.login import LoginDialog
from .views.main_window import MainWindow

if TYPE_CHECKING:
    from ..sync.worker import SyncWorker
    from .views.sync_status import SyncStatusPresenter

log = logging.getLogger(__name__)

APP_NAME = "CommandCenter"
STYLES = RESOURCES / "styles"
THEMES = ("dark", "light")
DEFAULT_LOGIN_USER = "operator"  # the login dialog is prefilled with the demo's duty operator

# Preferred CJK UI fonts, best first (Linux, Windows, macOS).
CJK_FONT_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "WenQuanYi Micro Hei",
    "Noto Sans SC",
)
UI_POINT_SIZE = 11  # legible at a duty desk on a 1920x1080 screen


def cjk_font_family() -> str | None:
    """The first installed family of CJK_FONT_FAMILIES, or None."""
    installed = set(QFontDatabase.families())
    return next((f for f in CJK_FONT_FAMILIES if f in installed), None)


def ui_font() -> QFont:
    font = QFont(QApplication.font())
    family = cjk_font_family()
    if family is not None:
        font.setFamilies([family])
    font.setPointSize(UI_POINT_SIZE)
    return font


def stylesheet_path(theme: str) -> Path:
    return STYLES / f"{theme}.qss"


def load_stylesheet(theme: str) -> str:
    """The theme's QSS ('' when the theme has no stylesheet)."""
    path = stylesheet_path(theme)
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def theme_palette(theme: str) -> QPalette:
    """A palette matching the QSS, so parts the stylesheet does not reach agree with it."""
    dark = theme == "dark"
    colours = {
        QPalette.ColorRole.Window: "#111820" if dark else "#f3f5f8",
        QPalette.ColorRole.WindowText: "#d3dbe4" if dark else "#1f2933",
        QPalette.ColorRole.Base: "#0d1319" if dark else "#ffffff",
        QPalette.ColorRole.AlternateBase: "#121a23" if dark else "#f6f8fa",
        QPalette.ColorRole.Text: "#d3dbe4" if dark else "#1f2933",
        QPalette.ColorRole.Button: "#18212b" if dark else "#e9edf2",
        QPalette.ColorRole.ButtonText: "#d3dbe4" if dark else "#1f2933",
        QPalette.ColorRole.Highlight: "#1f4f8a" if dark else "#cfe3ff",
        QPalette.ColorRole.HighlightedText: "#ffffff" if dark else "#0b1a2b",
        QPalette.ColorRole.ToolTipBase: "#1c2530" if dark else "#ffffff",
        QPalette.ColorRole.ToolTipText: "#d3dbe4" if dark else "#1f2933",
        QPalette.ColorRole.PlaceholderText: "#6b7888" if dark else "#8a96a3",
        QPalette.ColorRole.Link: "#58a6ff" if dark else "#0b5cd5",
    }
    palette = QPalette()
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    return palette


def install_translator(app: QCoreApplication, lang: str) -> bool:
    """Make ``lang`` the application's language (gui/i18n.py: resources/translations/
    commandcenter_<lang>.qm; zh_CN is the source language).  False if it cannot be loaded."""
    return set_language(app, lang)


def apply_theme(app: QApplication, theme: str) -> None:
    """Style the whole application with the theme: at start, and when switched at run time."""
    if theme not in THEMES:
        return
    app.setStyle("Fusion")
    app.setPalette(theme_palette(theme))
    app.setStyleSheet(load_stylesheet(theme))


def configure_application(app: QApplication, *, lang: str = SOURCE_LANGUAGE, theme: str = "dark") -> None:
    """Application-wide set-up: name, CJK font, style, theme, translator, and Python's
    garbage collection on the GUI thread only (gc_guard)."""
    gc_guard.install(app)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setFont(ui_font())
    apply_theme(app, theme)
    install_translator(app, lang)


def make_main_window(
    workspace: Workspace,
    actor: Actor,
    *,
    sim_status: Callable[[], str] | None = None,
    theme: str | None = None,
) -> MainWindow:
    """The main window, not yet shown.  ``theme`` styles just this window (for
    tests and previews); ``run`` themes the whole application instead."""
    window = MainWindow(workspace, actor, sim_status)
    if theme is not None:
        window.setStyleSheet(load_stylesheet(theme))
        window.setPalette(theme_palette(theme))
        window.set_theme(theme)
    return window


def run(
    workspace: Workspace,
    actor: Actor | None,
    *,
    sim_status: Callable[[], str] | None = None,
    lang: str = SOURCE_LANGUAGE,
    theme: str = "dark",
    argv: Sequence[str] | None = None,
    login_username: str = DEFAULT_LOGIN_USER,
    on_login: Callable[[Actor], Callable[[], Any] | None] | None = None,
    idle_lock_minutes: float = DEFAULT_MINUTES,
    sync: wsn.SyncOptions | None = None,
) -> int:
    """Create the QApplication, show the main window maximised and run the event loop.

    With ``actor`` None the login dialog comes first (prefilled with
    ``login_username``); cancelling it ends the program (0).  ``on_login`` runs
    with whoever works at the window before it is built (the cli starts the
    simulator there) and may return the status-text callback.  The idle lock
    engages after ``idle_lock_minutes`` without input (0: never).

    With ``sync`` naming a server, the login goes to the server (offline login with the
    cached credentials when it cannot be reached), an empty local store is downloaded
    from it first, and a SyncWorker runs while the window is open (stopped on exit).
    """
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv or sys.argv))
    configure_application(app, lang=lang, theme=theme)
    _quit_on_signals(app)
    session: _ServerSession | None = None
    if sync is not None and sync.enabled:
        outcome = _server_login(workspace, sync, login_username)
        if isinstance(outcome, int):
            return outcome
        session = outcome
        actor = session.actor
    elif actor is None:
        actor = login(workspace, login_username)
        if actor is None:
            log.info("login cancelled: quitting")
            return 0
    if on_login is not None:
        sim_status = on_login(actor) or sim_status
    window = make_main_window(workspace, actor, sim_status=sim_status)
    window.set_theme(theme)
    window.resize(1920, 1080)
    presenter = None
    lock_ws = workspace
    if session is not None and sync is not None:
        from .views.sync_session import LocalAuthWorkspace

        worker = session.start_worker(workspace)
        presenter = attach_sync(window, worker, server_url=sync.settings.server_url, insecure=sync.insecure)
        from .wall.control import attach_wall_server  # issue 6: wall commands go to the server too

        attach_wall_server(window, worker.client)
        lock_ws = LocalAuthWorkspace(workspace, wsn.offline_cache(workspace, sync.settings)).as_workspace()
    install_sync_menu(window, sync, presenter)
    window.showMaximized()
    if session is not None and session.offline:
        window.statusBar().showMessage(
            QCoreApplication.translate("SyncApp", "离线登录：服务器暂时无法连接，操作先保存在本机，恢复后自动同步"), 60_000
        )
    idle_lock = IdleLock.from_minutes(window, lock_ws, actor, idle_lock_minutes)
    idle_lock.install()
    QTimer.singleShot(0, _announce_ready)
    try:
        return int(app.exec())
    finally:
        idle_lock.uninstall()
        if presenter is not None:
            presenter.stop()
        window.shutdown()
        if session is not None:
            session.stop()


# ---------------------------------------------------------------- platform server

class _ServerSession:
    """Who logged in at the server (or offline), and the sync worker started for them."""

    def __init__(self, actor: Actor, result: wsn.LoginResult, password: str, sync: wsn.SyncOptions) -> None:
        self.actor = actor
        self.result = result
        self.password = password
        self.sync = sync
        self.worker: SyncWorker | None = None

    @property
    def offline(self) -> bool:
        return self.result.outcome == wsn.OFFLINE_LOGIN

    def start_worker(self, workspace: Workspace) -> SyncWorker:
        from ..sync.client import SyncClient
        from ..sync.worker import SyncWorker

        s = self.sync.settings
        token = self.result.client.token if self.result.client is not None else None
        client = SyncClient(s.server_url, token=token, verify=s.verify)
        self.worker = SyncWorker(workspace, client, self.actor.username, self.password)
        self.worker.start()
        log.info("sync worker started for %s at %s (%s)", self.actor.username, s.server_url, wsn.describe_verify(s))
        return self.worker

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop(timeout=5.0)
            if self.worker.is_alive():  # still in a long-poll: a daemon thread, it ends with the process
                log.info("sync worker stopped (its pull was still waiting on the server)")
            else:
                log.info("sync worker stopped")
            self.worker = None


def _server_login(workspace: Workspace, sync: wsn.SyncOptions, username: str) -> _ServerSession | int:
    """Log in at the server (the dialog, or $COMMANDCENTER_PASSWORD for ``--user``), then
    download an empty store.  An exit code instead when cancelled (0) or when the store
    cannot be filled (1)."""
    from .views.sync_session import ServerLoginDialog, download_store, wait_off_gui

    result: wsn.LoginResult | None = None
    password = sync.password or ""
    if sync.password and username:
        out, error = wait_off_gui(lambda: wsn.login(workspace, sync.settings, username, password))
        result = out if error is None else None
        if result is None or not result.ok:
            why = result.outcome if result is not None else repr(error)
            print(f"CommandCenter: login at the server failed ({why}); showing the login dialog", file=sys.stderr)
            log.warning("non-interactive login of %s failed: %s", username, why)
            result = None
    if result is None:
        dialog = ServerLoginDialog(workspace, sync.settings, username)
        try:
            if not _exec_login_dialog(dialog) or dialog.login_result is None:
                log.info("login cancelled: quitting")
                return 0
            result, password = dialog.login_result, dialog.password
        finally:
            dialog.deleteLater()
    if not workspace.is_seeded:
        if result.client is None or result.outcome != wsn.ONLINE_LOGIN:
            return 1
        if not download_store(workspace, result.client, sync.settings.server_url):
            return 1
    actor = workspace.actor(result.actor.username if result.actor else username) or result.actor
    assert actor is not None
    return _ServerSession(actor, result, password, sync)


def attach_sync(
    window: MainWindow, worker: SyncWorker, *, server_url: str = "", insecure: bool = False, interval_ms: int = 1000
) -> SyncStatusPresenter:
    """Show ``worker``'s state in the window's status bar and its rejected commands in the
    同步问题 panel (GUI timer; the worker's threads never touch a widget)."""
    from .views.sync_status import SyncStatusPresenter

    return SyncStatusPresenter(
        window, worker, worker.replica.resolve_problem, server_url=server_url, insecure=insecure, interval_ms=interval_ms
    )


def install_sync_menu(
    window: QMainWindow, sync: wsn.SyncOptions | None = None, presenter: SyncStatusPresenter | None = None
) -> QMenu:
    """The 同步 menu: 服务器设置… (always) and 同步问题 (with a server), before 帮助."""
    from .views.settings_dialog import SyncSettingsDialog

    menu = QMenu(QCoreApplication.translate("SyncApp", "同步(&S)"), window)
    menu.setObjectName("syncMenu")
    settings_action = menu.addAction(QCoreApplication.translate("SyncApp", "服务器设置…"))
    settings_action.setObjectName("actionSyncSettings")

    def open_settings() -> None:
        path = sync.settings_file if sync is not None else None
        current = wsn.SyncSettings.load(path)
        dialog = SyncSettingsDialog(current, path, window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    settings_action.triggered.connect(open_settings)
    if presenter is not None:
        problems_action = menu.addAction(QCoreApplication.translate("SyncApp", "同步问题"))
        problems_action.setObjectName("actionSyncProblems")
        problems_action.triggered.connect(presenter.show_problems)
    help_menu = window.findChild(QMenu, "helpMenu")
    bar = window.menuBar()
    if help_menu is not None:
        bar.insertMenu(help_menu.menuAction(), menu)
    else:
        bar.addMenu(menu)
    return menu


READY_LINE = "CommandCenter: 主窗口已显示"
LOGIN_LINE = "CommandCenter: 请登录"


def login(workspace: Workspace, username: str = DEFAULT_LOGIN_USER) -> Actor | None:
    """Show the login dialog (the QApplication must exist); the actor, or None if cancelled."""
    dialog = LoginDialog(workspace, username)
    try:
        return dialog.actor if _exec_login_dialog(dialog) else None
    finally:
        dialog.deleteLater()


def _exec_login_dialog(dialog: LoginDialog) -> bool:
    """Run the login dialog modally; SIGTERM/SIGINT cancel it.  True if accepted."""

    def cancel(signum: int, _frame: object) -> None:  # SIGTERM/SIGINT at the login: cancel it, quit cleanly
        log.info("signal %s at the login dialog: quitting", signum)
        dialog.reject()

    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    for sig in previous:
        signal.signal(sig, cancel)
    QTimer.singleShot(0, _announce_login)
    try:
        return dialog.exec() == LoginDialog.DialogCode.Accepted
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _announce_login() -> None:
    log.info("login dialog shown")
    print(LOGIN_LINE, file=sys.stderr, flush=True)


def _announce_ready() -> None:
    """Runs once the event loop turns: the window is up (end-to-end tests wait for this line)."""
    log.info("main window shown")
    print(READY_LINE, file=sys.stderr, flush=True)


def _quit_on_signals(app: QApplication) -> None:
    """SIGTERM/SIGINT end the event loop cleanly (the store and simulator are closed after it)."""

    def handler(signum: int, _frame: object) -> None:
        log.info("signal %s: quitting", signum)
        app.quit()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    # Python runs signal handlers only between bytecodes: a light timer lets it in
    # while Qt's event loop waits in C++.
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(250)
