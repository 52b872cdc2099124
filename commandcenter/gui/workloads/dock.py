"""The workloads / KPI dock of the main window, and its wiring.

    dock = install_workloads(window, workspace, actor)

Adds a dock with the two panels (shown at start for roles that drive the wall, else
hidden; 视图 → 工作量与考核 toggles it; no shortcut of its own), and filters the queue to a department when
its row is clicked (the filter bar's department filter: ``QueueFilter.departments``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt, SignalInstance
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabWidget, QWidget

from ...domain.case import Actor
from ...domain.permissions import Capability, can
from ...services.workspace import Workspace
from .feed import AggregatesFeed
from .kpi_panel import KpiPanel
from .panel import WorkloadsPanel

DEFAULT_PERIOD_DAYS = 7  # the time range the panels open with


class WorkloadsDock(QDockWidget):
    def __init__(
        self, workspace: Workspace, actor: Actor, parent: QWidget | None = None, *, source: SignalInstance | None = None,
        active: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("workloadsDock")
        self.feed = AggregatesFeed(workspace, self, source=source, recount=active, period_days=DEFAULT_PERIOD_DAYS)
        if not active:
            self.feed.set_active(False)  # counted when first shown
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("workloadsTabs")
        self.workloads = WorkloadsPanel(self.feed, self.tabs)
        self.kpis = KpiPanel(self.feed, self.tabs)
        self.tabs.addTab(self.workloads, "")
        self.tabs.addTab(self.kpis, "")
        self.setWidget(self.tabs)
        self.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.toggle = self.toggleViewAction()
        self.toggle.setObjectName("actionToggleWorkloads")
        self.visibilityChanged.connect(self.feed.set_active)
        self.wall_control: Any = None  # the 大屏 menu (gui/wall/control.py), for supervisors
        self.kpis.setEnabled(can(actor.role, Capability.EXPORT) or can(actor.role, Capability.DRIVE_WALL))
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("工作量与考核"))
        self.tabs.setTabText(0, self.tr("部门工作量"))
        self.tabs.setTabText(1, self.tr("考核指标"))
        self.toggle.setText(self.tr("工作量与考核"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and hasattr(self, "tabs"):
            self.retranslate()
        super().changeEvent(event)


def install_workloads(window: QMainWindow, workspace: Workspace, actor: Actor) -> WorkloadsDock:
    visible = can(actor.role, Capability.DRIVE_WALL)
    source = getattr(window, "sig_cases_changed", None)  # the window's own bridge: no second listener
    dock = WorkloadsDock(workspace, actor, window, source=source, active=visible)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    dock.setVisible(visible)
    window.addAction(dock.toggle)
    menu = getattr(window, "viewMenu", None)
    if menu is not None:
        menu.addSeparator()
        menu.addAction(dock.toggle)
    filter_bar: Any = getattr(window, "filterBar", None)

    def filter_to(code: str) -> None:
        if filter_bar is not None:
            filter_bar.department.set_values((code,))

    dock.workloads.sig_department_activated.connect(filter_to)

    def filter_group(grouping: str, key: str) -> None:
        """A township or category row: the filter bar's place / category filter (unknown keys
        are ignored by the filter)."""
        if filter_bar is None:
            return
        if grouping == "township":
            filter_bar.location.set_values((key,))
        elif grouping == "category":
            filter_bar.category.set_values((key,))

    dock.workloads.sig_group_activated.connect(filter_group)
    from ..wall.control import install_wall_control  # the wall imports the workloads package

    dock.wall_control = install_wall_control(window, workspace, actor)
    return dock
