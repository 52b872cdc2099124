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

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication

from ..domain.case import Actor
from ..resources import RESOURCES
from ..services.workspace import Workspace
from .i18n import SOURCE_LANGUAGE, TRANSLATIONS, set_language  # noqa: F401  (re-exported)
from .views.idle_lock import DEFAULT_MINUTES, IdleLock
from .views.login import LoginDialog
from .views.main_window import MainWindow

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
    """Application-wide set-up: name, CJK font, style, theme and translator."""
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
    on_login: Callable[[Actor], Callable[[], str] | None] | None = None,
    idle_lock_minutes: float = DEFAULT_MINUTES,
) -> int:
    """Create the QApplication, show the main window maximised and run the event loop.

    With ``actor`` None the login dialog comes first (prefilled with
    ``login_username``); cancelling it ends the program (0).  ``on_login`` runs
    with whoever works at the window before it is built (the cli starts the
    simulator there) and may return the status-text callback.  The idle lock
    engages after ``idle_lock_minutes`` without input (0: never).
    """
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv or sys.argv))
    configure_application(app, lang=lang, theme=theme)
    _quit_on_signals(app)
    if actor is None:
        actor = login(workspace, login_username)
        if actor is None:
            log.info("login cancelled: quitting")
            return 0
    if on_login is not None:
        sim_status = on_login(actor) or sim_status
    window = make_main_window(workspace, actor, sim_status=sim_status)
    window.set_theme(theme)
    window.resize(1920, 1080)
    window.showMaximized()
    idle_lock = IdleLock.from_minutes(window, workspace, actor, idle_lock_minutes)
    idle_lock.install()
    QTimer.singleShot(0, _announce_ready)
    try:
        return int(app.exec())
    finally:
        idle_lock.uninstall()
        window.shutdown()


READY_LINE = "CommandCenter: 主窗口已显示"
LOGIN_LINE = "CommandCenter: 请登录"


def login(workspace: Workspace, username: str = DEFAULT_LOGIN_USER) -> Actor | None:
    """Show the login dialog (the QApplication must exist); the actor, or None if cancelled."""
    dialog = LoginDialog(workspace, username)

    def cancel(signum: int, _frame: object) -> None:  # SIGTERM/SIGINT at the login: cancel it, quit cleanly
        log.info("signal %s at the login dialog: quitting", signum)
        dialog.reject()

    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    for sig in previous:
        signal.signal(sig, cancel)
    QTimer.singleShot(0, _announce_login)
    try:
        accepted = dialog.exec() == LoginDialog.DialogCode.Accepted
        return dialog.actor if accepted else None
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        dialog.deleteLater()


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
