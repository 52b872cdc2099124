"""The wall display: a separate top-level window, frameless and full screen on a chosen
screen, dark and high-contrast, sized from its height (1920×1080 … 3840×2160).

    wall = WallWindow(workspace, controller=WallController())
    wall.place_on_screen(1)          # frameless, the screen's whole geometry
    controller.pin(case_id, actor)   # the wall obeys (from any thread)

Pages rotate every ``interval_s`` unless paused; a pinned case replaces the pages until it
is released.  Every text shown is masked (``services.wall.wall_text``) whatever the role.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal, SignalInstance
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from ...domain.enums import CommandType
from ...domain.kpi import compute
from ...domain.masking import mask_name
from ...domain.org import Reference
from ...domain.timeutil import fmt_local
from ...services import wall as wall_service
from ...services.wall import WallController, WallState, wall_text
from ...services.workspace import Workspace
from .. import i18n
from ..workloads.common import group_name
from ..workloads.feed import AggregatesFeed
from .panels import (
    ACCENT,
    BG,
    DIM,
    EDGE,
    PANEL,
    TEXT,
    CaseListPanel,
    DepartmentBoard,
    KpiTiles,
    MapPlaceholder,
    Panel,
    PinnedCasePanel,
    RankingPanel,
    RosterPanel,
    SourcePanel,
    TrendPanel,
    WallData,
    _font,
    clock_text,
    source_label,
)

log = logging.getLogger(__name__)

BASE_HEIGHT = 1080
LIST_LIMIT = 30
PERIOD_DAYS = 7  # the KPI tiles: cases registered in the last 7 days


def _stylesheet(k: float) -> str:
    r = round(10 * k)
    return f"""
    QWidget#wallWindow {{ background: {BG}; }}
    QWidget {{ color: {TEXT}; }}
    QFrame#wallPanel, QFrame#wallRanking, QFrame#wallTrend, QFrame#wallSources, QFrame#wallRoster,
    QFrame#wallMap, QFrame#wallBoard, QFrame[objectName^="wallList_"] {{
        background: {PANEL}; border: {max(1, round(2 * k))}px solid {EDGE}; border-radius: {r}px; }}
    QFrame#wallTile {{ background: {PANEL}; border: {max(1, round(2 * k))}px solid {EDGE}; border-radius: {r}px; }}
    QLabel {{ background: transparent; border: none; }}
    QLabel#wallPanelTitle, QLabel#wallTileName, QLabel#wallBoardHead {{ color: {DIM}; }}
    QLabel#wallTitle {{ color: {TEXT}; }}
    QLabel#wallClock {{ color: {ACCENT}; }}
    QLabel#wallMapPlaceholder {{ color: {DIM}; border: {max(1, round(2 * k))}px dashed {EDGE}; }}
    QLabel#wallRosterNote {{ color: {DIM}; }}
    QLabel#wallPinnedBanner {{ color: #ff4d4f; }}
    QListWidget {{ background: transparent; border: none; color: {TEXT}; }}
    QListWidget::item {{ padding: {round(4 * k)}px 0; border-bottom: 1px solid {EDGE}; }}
    QFrame#wallPinned {{ background: {PANEL}; border: {max(2, round(4 * k))}px solid #ff4d4f; border-radius: {r}px; }}
    """


class _StateBridge(QObject):
    """WallController.changed (any thread) -> a queued Qt signal."""

    sig_state = Signal(object)

    def __init__(self, controller: WallController, parent: QObject) -> None:
        super().__init__(parent)
        self.controller = controller
        self._attached = True
        controller.changed.connect(self._forward)

    def _forward(self, state: WallState) -> None:
        if not self._attached:
            return
        try:
            self.sig_state.emit(state)
        except RuntimeError:
            self._attached = False

    def detach(self) -> None:
        self._attached = False
        self.controller.changed.disconnect(self._forward)


class WallWindow(QWidget):
    sig_refreshed = Signal()  # the panels show new data
    sig_page_changed = Signal(int)

    def __init__(
        self,
        workspace: Workspace,
        controller: WallController | None = None,
        *,
        feed: AggregatesFeed | None = None,
        source: SignalInstance | None = None,
        centre_code: str | None = None,
        interval_s: int | None = None,
        poll_ms: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        """``feed``: share an existing AggregatesFeed (else the wall has its own, following
        ``source`` -- the main window's ``sig_cases_changed`` -- or the workspace's events).
        ``poll_ms`` > 0: follow a store that other processes write (the ``--wall`` process)."""
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("wallWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.ws = workspace
        self.controller = controller or WallController()
        if interval_s is not None and interval_s != self.controller.state.interval_s:
            self.controller.set_interval(interval_s)
        self.centre_code = centre_code if centre_code is not None else (workspace.county_code or None)
        self._own_feed = feed is None
        self.feed = feed or AggregatesFeed(workspace, self, source=source, listen=poll_ms <= 0, period_days=PERIOD_DAYS)
        self.k = 1.0
        self.refresh_ms: list[float] = []  # how long each refresh took
        self.data: WallData | None = None
        self._closed = False

        self._build()
        self._state_bridge = _StateBridge(self.controller, self)
        self._state_bridge.sig_state.connect(self.on_state, Qt.ConnectionType.QueuedConnection)
        self.feed.sig_updated.connect(self.schedule_refresh)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(50)
        self._refresh_timer.timeout.connect(self.refresh)
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(1000)
        self._clock_timer.timeout.connect(self.update_clock)
        self._clock_timer.start()
        self._rotate_timer = QTimer(self)
        self._rotate_timer.timeout.connect(self.next_page)
        self._poll_timer = QTimer(self)
        self._poll_cursor = 0
        if poll_ms > 0:
            self._poll_cursor = wall_service.epoch(workspace.now()) - 1
            self._poll_timer.setInterval(poll_ms)
            self._poll_timer.timeout.connect(self.poll_store)
            self._poll_timer.start()
        self.set_scale_from_height(BASE_HEIGHT)
        self.on_state(self.controller.state)
        self.refresh()

    # --- layout --------------------------------------------------------------------------

    def _build(self) -> None:
        centre = self.ws.ref.centres.get(self.centre_code or "")
        self.titleLabel = QLabel(centre.name if centre is not None else QCoreApplication.translate("Wall", "社会治理综合指挥中心"), self)
        self.titleLabel.setObjectName("wallTitle")
        self.pageLabel = QLabel(self)
        self.pageLabel.setObjectName("wallPageLabel")
        self.clockLabel = QLabel(self)
        self.clockLabel.setObjectName("wallClock")
        self.stateLabel = QLabel(self)
        self.stateLabel.setObjectName("wallStateLabel")
        header = QHBoxLayout()
        header.addWidget(self.titleLabel)
        header.addSpacing(20)
        header.addWidget(self.pageLabel)
        header.addStretch(1)
        header.addWidget(self.stateLabel)
        header.addSpacing(20)
        header.addWidget(self.clockLabel)

        self.tiles = KpiTiles(self)
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("wallPages")

        # page 0: overview
        p0 = QWidget(self.stack)
        g0 = QGridLayout(p0)
        self.ranking = RankingPanel(QCoreApplication.translate("Wall", "部门在办排名"), p0)
        self.trend = TrendPanel(QCoreApplication.translate("Wall", "近24小时新增与办结"), p0)
        self.sources = SourcePanel(QCoreApplication.translate("Wall", "24小时事件来源"), p0)
        self.overdueList = CaseListPanel(QCoreApplication.translate("Wall", "超期事件"), "overdue", p0)
        self.majorList = CaseListPanel(QCoreApplication.translate("Wall", "重大紧急事件"), "major", p0)
        self.roster = RosterPanel(QCoreApplication.translate("Wall", "今日值班"), p0)
        g0.addWidget(self.ranking, 0, 0)
        g0.addWidget(self.trend, 0, 1)
        g0.addWidget(self.sources, 0, 2)
        g0.addWidget(self.overdueList, 1, 0)
        g0.addWidget(self.majorList, 1, 1)
        g0.addWidget(self.roster, 1, 2)
        g0.setColumnStretch(0, 4)
        g0.setColumnStretch(1, 4)
        g0.setColumnStretch(2, 3)
        g0.setRowStretch(0, 5)
        g0.setRowStretch(1, 4)
        # page 1: map and lists
        p1 = QWidget(self.stack)
        g1 = QGridLayout(p1)
        self.mapPanel: Panel = _make_map_panel(QCoreApplication.translate("Wall", "事件分布"), self.ws, p1)
        self.majorList2 = CaseListPanel(QCoreApplication.translate("Wall", "重大紧急事件"), "major", p1)
        self.overdueList2 = CaseListPanel(QCoreApplication.translate("Wall", "超期事件"), "overdue", p1)
        g1.addWidget(self.mapPanel, 0, 0, 2, 1)
        g1.addWidget(self.majorList2, 0, 1)
        g1.addWidget(self.overdueList2, 1, 1)
        g1.setColumnStretch(0, 3)
        g1.setColumnStretch(1, 2)
        # page 2: ranking board
        p2 = QWidget(self.stack)
        g2 = QGridLayout(p2)
        self.board = DepartmentBoard(QCoreApplication.translate("Wall", "部门办理情况（超期优先）"), p2)
        self.townRanking = RankingPanel(QCoreApplication.translate("Wall", "乡镇在办排名"), p2, which="townships")
        self.trend2 = TrendPanel(QCoreApplication.translate("Wall", "近24小时新增与办结"), p2)
        g2.addWidget(self.board, 0, 0, 2, 1)
        g2.addWidget(self.townRanking, 0, 1)
        g2.addWidget(self.trend2, 1, 1)
        g2.setColumnStretch(0, 3)
        g2.setColumnStretch(1, 2)
        # the pinned case
        self.pinned = PinnedCasePanel(self.stack)
        for page in (p0, p1, p2, self.pinned):
            self.stack.addWidget(page)
        self.pages = [p0, p1, p2]
        self.panels: list[Panel] = [
            self.ranking, self.trend, self.sources, self.overdueList, self.majorList, self.roster, self.mapPanel,
            self.majorList2, self.overdueList2, self.board, self.townRanking, self.trend2,
        ]
        lay = QVBoxLayout(self)
        lay.addLayout(header)
        lay.addWidget(self.tiles)
        lay.addWidget(self.stack, 1)
        self._layout = lay
        self._header = header

    def page_names(self) -> list[str]:
        return [QCoreApplication.translate("Wall", "综合态势"), QCoreApplication.translate("Wall", "事件分布"), QCoreApplication.translate("Wall", "部门排名")]

    def set_scale_from_height(self, height: int) -> None:
        k = max(0.5, height / BASE_HEIGHT)
        self.k = k
        self.setStyleSheet(_stylesheet(k))
        m = round(16 * k)
        self._layout.setContentsMargins(m, m, m, m)
        self._layout.setSpacing(round(12 * k))
        self.titleLabel.setFont(_font(44 * k, True))
        self.pageLabel.setFont(_font(30 * k))
        self.stateLabel.setFont(_font(26 * k))
        self.clockLabel.setFont(_font(40 * k, True))
        self.tiles.set_scale(k)
        self.tiles.setFixedHeight(round(150 * k))
        for p in self.panels:
            p.set_scale(k)
        for page in self.pages:
            grid = page.layout()
            if grid is not None:
                grid.setContentsMargins(0, 0, 0, 0)
                grid.setSpacing(round(12 * k))
        self.pinned.set_scale(k)
        self._layout.activate()  # lay out at the new sizes now, not on the next event loop turn
        self.tiles.fit_all()

    def resizeEvent(self, event: QResizeEvent) -> None:
        if abs(event.size().height() / BASE_HEIGHT - self.k) > 0.01:
            self.set_scale_from_height(event.size().height())
        super().resizeEvent(event)

    def place_on_screen(self, index: int = -1) -> None:
        """Frameless over the whole of screen ``index`` (-1: the last one, usually the wall).
        ``showFullScreen`` alone does not resize under a bare X server, so set the geometry."""
        screens = QGuiApplication.screens()
        screen = screens[index] if screens and -len(screens) <= index < len(screens) else QGuiApplication.primaryScreen()
        geo = screen.geometry()
        self.setGeometry(geo)
        self.set_scale_from_height(geo.height())
        self.show()
        handle = self.windowHandle()
        if handle is not None:
            handle.setScreen(screen)
        self.setGeometry(geo)
        self.showFullScreen()

    # --- data ----------------------------------------------------------------------------

    def schedule_refresh(self) -> None:
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def collect(self) -> WallData:
        """Read everything the wall shows (masked)."""
        agg = self.feed.aggregates
        now = self.ws.now()
        ref = self.ws.ref
        total = agg.total(now)
        depts = agg.table("department", now)
        towns = agg.table("township", now)
        departments = sorted(((_dept_name(ref, k), s) for k, s in depts.items()),
                             key=lambda kv: (-kv[1].open, kv[0]))
        townships = sorted(((group_name(ref, "township", k), s) for k, s in towns.items()),
                           key=lambda kv: (-kv[1].open, kv[0]))
        trend = agg.trend("h", "all", now).get("", [])
        by_source = agg.trend("h", "source", now)
        sources = sorted(((source_label(v), sum(n for _, n, _ in series)) for v, series in by_source.items()),
                         key=lambda kv: -kv[1])
        centres = (self.centre_code,) if self.centre_code and agg.centres else ()
        with self.ws.read() as conn:
            overdue = wall_service.overdue_cases(conn, now, centres, LIST_LIMIT)
            major = wall_service.major_cases(conn, now, centres, LIST_LIMIT)
            if self.data is None or not self.data.roster:
                roster = wall_service.duty_roster(conn, self.centre_code)
            else:
                roster = self.data.roster
        return WallData(now=now, total=total, kpis=compute(total.kpi), departments=departments, townships=townships,
                        trend_24h=trend, sources_24h=sources, overdue=overdue, major=major, roster=roster)

    def refresh(self) -> None:
        if self._closed:
            return
        t0 = time.perf_counter()
        self.data = data = self.collect()
        self.tiles.update_data(data)
        for p in self.panels:
            p.update_data(data)
        self.update_clock()
        if self.controller.state.pinned_case is not None:
            self._show_pinned(self.controller.state.pinned_case)
        self.refresh_ms.append((time.perf_counter() - t0) * 1000)
        del self.refresh_ms[:-1000]
        self.sig_refreshed.emit()

    def update_clock(self) -> None:
        self.clockLabel.setText(clock_text(self.ws.now()))

    def poll_store(self) -> None:
        """The ``--wall`` process: pick up cases other processes changed since the last poll."""
        with self.ws.read() as conn:
            ids, cursor = wall_service.changed_since(conn, self._poll_cursor)
        self._poll_cursor = cursor
        if ids:
            self.feed.push(ids)

    # --- control -------------------------------------------------------------------------

    @property
    def page(self) -> int:
        return self.stack.currentIndex()

    def on_state(self, state: WallState) -> None:
        self._rotate_timer.setInterval(max(3, state.interval_s) * 1000)
        if state.pinned_case is not None:
            self._rotate_timer.stop()
            self._show_pinned(state.pinned_case)
            self.stack.setCurrentWidget(self.pinned)
        else:
            self.stack.setCurrentIndex(state.page % len(self.pages))
            if state.paused:
                self._rotate_timer.stop()
            else:
                self._rotate_timer.start()
        self._update_labels()
        self.sig_page_changed.emit(self.page)

    def _update_labels(self) -> None:
        s = self.controller.state
        if s.pinned_case is not None:
            self.pageLabel.setText(QCoreApplication.translate("Wall", "督办事件"))
        else:
            self.pageLabel.setText(self.page_names()[self.page % len(self.pages)])
        self.stateLabel.setText(QCoreApplication.translate("Wall", "轮播已暂停") if s.paused and s.pinned_case is None else "")

    def next_page(self) -> None:
        s = self.controller.state
        if s.paused or s.pinned_case is not None:
            return
        self.stack.setCurrentIndex((self.stack.currentIndex() + 1) % len(self.pages))
        self._update_labels()
        self.sig_page_changed.emit(self.page)

    def _show_pinned(self, case_id: str) -> None:
        case = self.ws.case(case_id)
        if case is None:
            self.pinned.show_case(case_id, [QCoreApplication.translate("Wall", "事件不存在"), ""], "", [])
            return
        ref = self.ws.ref
        cat = ref.categories.get(case.category_code or "")
        dept = ref.departments.get(case.department_code or "")
        meta = "　".join(x for x in (
            case.code, i18n.label(case.status), i18n.label(case.priority), cat.name if cat else "",
            (dept.short_name or dept.name) if dept else "",
            QCoreApplication.translate("Wall", "办理时限 {t}").format(t=fmt_local(case.stage_deadline)) if case.stage_deadline else "",
        ) if x)
        loc = ""
        if case.lon is not None and case.lat is not None:
            loc = f"（{case.lon:.5f}, {case.lat:.5f}）"
        place = wall_text(case.address) + loc
        lines = []
        for h in self.ws.history(case_id):
            at = h.get("at")
            when = fmt_local(at, "%m-%d %H:%M") if isinstance(at, datetime) else ""
            action = i18n.enum_label(CommandType, h.get("action"))
            opinion = wall_text(str(h.get("opinion") or ""))
            who = mask_name(str(h.get("actor") or ""))
            lines.append(f"{when}  {action}  {who}  {opinion}".rstrip())
        self.pinned.show_case(case_id, [wall_text(case.title), meta], place, lines)

    # --- keys and closing ------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.isFullScreen():
            self.showNormal()
            return
        if event.key() in (Qt.Key.Key_Right, Qt.Key.Key_PageDown):
            self.next_page()
            return
        super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and hasattr(self, "pinned"):
            self._update_labels()
        super().changeEvent(event)

    @property
    def closed(self) -> bool:
        return self._closed

    def shutdown(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._state_bridge.detach()
        for timer in (self._refresh_timer, self._clock_timer, self._rotate_timer, self._poll_timer):
            timer.stop()
        if self._own_feed:
            self.feed.detach()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    def all_texts(self) -> list[str]:
        """Every text the wall shows or hides in a tooltip (labels, list items, chart ticks)."""
        out: list[str] = [self.windowTitle(), self.toolTip()]
        for w in self.findChildren(QWidget):
            out.append(w.toolTip())
            text: Callable[[], str] | None = getattr(w, "text", None)
            if isinstance(w, QLabel) and text is not None:
                out.append(w.text())
            count = getattr(w, "count", None)
            item = getattr(w, "item", None)
            if callable(count) and callable(item) and w.metaObject().className() == "QListWidget":
                for i in range(count()):
                    it = item(i)
                    if it is not None:
                        out += [it.text(), it.toolTip()]
        for p in (self.ranking, self.townRanking, self.sources):
            out += [t for _, t in p.ticks]
        return out


def _dept_name(ref: Reference, code: str) -> str:
    """The full name: short names repeat across townships (8 综合执法 platforms)."""
    d = ref.departments.get(code)
    return d.name if d is not None else code


def _make_map_panel(title: str, workspace: Workspace, parent: QWidget) -> Panel:
    """The map (gui/map) when it can be built here, else the placeholder (never no wall)."""
    try:
        from .map_panel import WallMapPanel

        return WallMapPanel(title, workspace, parent)
    except Exception:
        log.exception("wall: the map panel could not be built; showing the placeholder")
        return MapPlaceholder(title, parent)
