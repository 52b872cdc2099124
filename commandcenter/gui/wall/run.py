"""``commandcenter --wall``: the wall display as its own read-only process on the local store.

It applies no command: it reads the store, follows what other processes write by polling
the cases changed since its last look (every ``POLL_MS``), and shows the wall full screen
on the chosen screen.  Its control state starts at page 0, rotating; a supervisor's
workstation drives a wall *window* of its own process directly (``WallController``).
"""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from ...services.wall import DEFAULT_INTERVAL_S, WallController
from ...services.workspace import Workspace
from .window import WallWindow

log = logging.getLogger(__name__)

POLL_MS = 2000
READY_LINE = "CommandCenter: wall shown"  # end-to-end tests and scripts wait for this line


def run_wall(
    workspace: Workspace,
    *,
    screen: int = -1,
    interval_s: int = DEFAULT_INTERVAL_S,
    lang: str = "zh_CN",
    argv: Sequence[str] | None = None,
    sync: Any = None,
    username: str | None = None,
) -> int:
    """``sync``: the cli's SyncOptions; with a server the wall logs in (``username``, default
    ``wall``, password from $COMMANDCENTER_PASSWORD) and follows the server's wall commands."""
    from ..app import configure_application

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv or sys.argv))
    configure_application(app, lang=lang, theme="dark")
    controller = WallController(interval_s=interval_s)
    wall = WallWindow(workspace, controller, poll_ms=POLL_MS)
    wall.place_on_screen(screen)
    relay = _follow_server(workspace, controller, sync, username or "wall")

    def quit_(signum: int, _frame: object) -> None:
        log.info("signal %s: closing the wall", signum)
        app.quit()

    signal.signal(signal.SIGTERM, quit_)
    signal.signal(signal.SIGINT, quit_)
    keepalive = QTimer(app)  # lets Python run signal handlers while Qt waits
    keepalive.timeout.connect(lambda: None)
    keepalive.start(250)
    QTimer.singleShot(0, lambda: print(READY_LINE, file=sys.stderr, flush=True))
    log.info("wall shown on screen %s, %sx%s", screen, wall.width(), wall.height())
    try:
        return int(app.exec())
    finally:
        wall.shutdown()
        if relay is not None:
            relay.stop(timeout=1.0)


def _follow_server(workspace: Workspace, controller: WallController, sync: Any, username: str) -> Any:
    if sync is None or not getattr(sync, "enabled", False):
        return None
    from ...sync import workstation as wsn
    from ...sync.wall_channel import WallRelay

    if not sync.password:
        log.warning("wall: no password ($%s) for %s: not following the server's wall commands", wsn.PASSWORD_ENV, username)
        return None
    result = wsn.login(workspace, sync.settings, username, sync.password)
    if result.client is None or result.client.token is None:
        log.warning("wall: login of %s at %s failed (%s): local control only", username, sync.settings.server_url,
                    result.detail)
        return None
    relay = WallRelay(controller, result.client)
    relay.start_following()
    log.info("wall: following the wall commands of %s as %s", sync.settings.server_url, username)
    return relay
