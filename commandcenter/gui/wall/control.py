"""The supervisor's wall control in the workstation: the 大屏 menu.

    control = install_wall_control(window, workspace, actor)   # only for roles with DRIVE_WALL

打开大屏 opens the wall window of this process (full screen on the last screen when there
are several, else a normal window); the other actions go through ``WallController``, which
the wall obeys: put the selected case on the wall / release it, pause or resume the
rotation, choose the page.  When the workstation syncs with a server, the same commands go
to the server's ``/api/wall`` (``attach_wall_server``), which a ``--wall`` process follows.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, SignalInstance
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from ...domain.case import Actor
from ...domain.permissions import Capability, can
from ...services.wall import WallController, WallState
from ...services.workspace import Workspace
from ...sync.client import SyncClient
from ...sync.wall_channel import WallRelay
from .window import WallWindow

PIN_SHORTCUT = "Ctrl+Shift+P"


class WallControl(QObject):
    def __init__(self, window: QMainWindow, workspace: Workspace, actor: Actor) -> None:
        super().__init__(window)
        self.window = window
        self.ws = workspace
        self.actor = actor
        self.controller = WallController()
        self.wall: WallWindow | None = None
        self.relay: WallRelay | None = None  # to the server's /api/wall, when the workstation syncs
        self.menu = QMenu(window)
        self.menu.setObjectName("wallMenu")
        self.actionOpen = QAction(self)
        self.actionOpen.setObjectName("actionOpenWall")
        self.actionPin = QAction(self)
        self.actionPin.setObjectName("actionPinCase")
        self.actionPin.setShortcut(QKeySequence(PIN_SHORTCUT))
        self.actionRelease = QAction(self)
        self.actionRelease.setObjectName("actionReleaseCase")
        self.actionPause = QAction(self)
        self.actionPause.setObjectName("actionPauseWall")
        self.actionPause.setCheckable(True)
        self.pageMenu = QMenu(self.menu)
        self.pageGroup = QActionGroup(self)
        self.pageActions = []
        for i in range(3):
            act = QAction(self.pageGroup)
            act.setCheckable(True)
            act.setData(i)
            act.setObjectName(f"actionWallPage{i}")
            self.pageMenu.addAction(act)
            self.pageActions.append(act)
        self.pageActions[0].setChecked(True)
        self.menu.addAction(self.actionOpen)
        self.menu.addSeparator()
        self.menu.addActions([self.actionPin, self.actionRelease, self.actionPause])
        self.menu.addMenu(self.pageMenu)
        window.menuBar().addMenu(self.menu)
        window.addAction(self.actionPin)
        self.actionOpen.triggered.connect(self.open_wall)
        self.actionPin.triggered.connect(self.pin_selected)
        self.actionRelease.triggered.connect(lambda: self.controller.release(self.actor))
        self.actionPause.toggled.connect(self.on_pause_toggled)
        self.pageGroup.triggered.connect(lambda a: self.controller.show_page(int(a.data()), self.actor))
        self.controller.changed.connect(self._on_state_any_thread)
        self.retranslate()
        self.update_state(self.controller.state)
        window.installEventFilter(self)

    def retranslate(self) -> None:
        self.menu.setTitle(self.tr("大屏(&W)"))
        self.actionOpen.setText(self.tr("打开大屏窗口"))
        self.actionPin.setText(self.tr("选中事件上大屏"))
        self.actionRelease.setText(self.tr("取消上屏"))
        self.actionPause.setText(self.tr("暂停轮播"))
        self.pageMenu.setTitle(self.tr("大屏页面"))
        for act, name in zip(self.pageActions, (self.tr("综合态势"), self.tr("事件分布"), self.tr("部门排名")), strict=True):
            act.setText(name)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.close_wall()
        elif watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    def _on_state_any_thread(self, state: WallState) -> None:
        # the controller is driven from the GUI thread here; the wall itself marshals
        self.update_state(state)

    def update_state(self, state: WallState) -> None:
        self.actionRelease.setEnabled(state.pinned_case is not None)
        blocked = self.actionPause.blockSignals(True)
        self.actionPause.setChecked(state.paused)
        self.actionPause.blockSignals(blocked)
        if 0 <= state.page < len(self.pageActions):
            self.pageActions[state.page].setChecked(True)

    def open_wall(self) -> WallWindow:
        if self.wall is None or self.wall.closed:
            source: SignalInstance | None = getattr(self.window, "sig_cases_changed", None)
            self.wall = WallWindow(self.ws, self.controller, source=source)
            screens = QGuiApplication.screens()
            if len(screens) > 1:
                self.wall.place_on_screen(-1)
            else:
                self.wall.resize(1920, 1080)
                self.wall.show()
        else:
            self.wall.show()
            self.wall.raise_()
        return self.wall

    def close_wall(self) -> None:
        if self.wall is not None:
            self.wall.close()
            self.wall = None
        if self.relay is not None:
            self.relay.stop(timeout=1.0)
            self.relay = None

    def attach_server(self, client: SyncClient) -> WallRelay:
        """Send every wall command given here to the server too (a ``--wall`` process that
        follows the server obeys it)."""
        if self.relay is None:
            self.relay = WallRelay(self.controller, client)
            self.relay.start_publishing()
        return self.relay

    def selected_case(self) -> str | None:
        sel: Any = getattr(self.window, "selected_case_id", None)
        return sel if isinstance(sel, str) else None

    def pin_selected(self) -> bool:
        case_id = self.selected_case()
        if case_id is None:
            return False
        self.controller.pin(case_id, self.actor)
        return True

    def on_pause_toggled(self, on: bool) -> None:
        if on:
            self.controller.pause(self.actor)
        else:
            self.controller.resume(self.actor)


def install_wall_control(window: QMainWindow, workspace: Workspace, actor: Actor) -> WallControl | None:
    """The 大屏 menu, for roles that may drive the wall (the permission table); else None."""
    if not can(actor.role, Capability.DRIVE_WALL):
        return None
    return WallControl(window, workspace, actor)


def attach_wall_server(window: QMainWindow, client: SyncClient) -> WallRelay | None:
    """The workstation syncs with a server: relay its wall commands there (supervisors only)."""
    dock = getattr(window, "workloadsDock", None)
    control = getattr(dock, "wall_control", None)
    return control.attach_server(client) if isinstance(control, WallControl) else None
