"""The duty workstation's main window: working-set tabs, the live queue, the case
summary and the status bar.

Threading: the workspace announces changes through a plain-Python event that
may fire on any thread (the live simulator and the sync worker run in their own
threads).  ``_EventBridge`` turns each into a Qt signal, delivered to the window
on the GUI thread through a queued connection as ``sig_cases_changed``.  Bursts
are coalesced: the first change starts a single-shot timer and the queue is
re-queried when it fires, so the view refreshes at most ~10 times a second.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QObject,
    QPoint,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QApplication, QHeaderView, QLabel, QMainWindow, QWidget

from ...domain.case import Actor, Case
from ...domain.enums import OPEN_STATUSES, SlaState, Status
from ...domain.timeutil import fmt_local
from ...services import queries
from ...services.events import CasesChanged, Event
from ...services.queries import QueueFilter
from ...services.related import RelatedCase, related_cases
from ...services.workspace import Workspace
from .. import i18n
from ..actions.controller import ActionController
from ..forms.ui_main_window import Ui_MainWindow
from ..map.link import attach_map
from ..models.queue_model import (
    COL_ADDRESS,
    COL_CATEGORY,
    COL_CODE,
    COL_CREATED,
    COL_DEADLINE,
    COL_OWNER,
    COL_PRIORITY,
    COL_SOURCE,
    COL_STATUS,
    COL_TITLE,
    COLUMN_SORT_KEYS,
    BackgroundReader,
    QueueModel,
)
from ..workloads.dock import install_workloads
from .alerts import AlertBar, AlertCenter, MuteButton
from .case_detail import case_id_of_link, missing_html, placeholder_html, render_case_html
from .filter_bar import FilterBar
from .help_overlay import HELP_GROUP_PROPERTY, HelpOverlay
from .intake import HotlineIntakeDialog, make_intake_action, retranslate_intake_action

log = logging.getLogger(__name__)

REFRESH_INTERVAL_MS = 100  # coalesce bursts of changes: at most ~10 refreshes a second
SEARCH_DEBOUNCE_MS = 250
TICK_INTERVAL_MS = 30_000  # countdowns and SLA states move with the clock
STATUS_INTERVAL_MS = 1_000  # the simulator's status text
NEXT_NEW_SHORTCUT = "J"  # open the next newly arrived (highlighted) case
HELP_SHORTCUTS = ("F1", "?")  # the keyboard help overlay
THEMES = ("dark", "light")
RELATED_MAX_AGE_S = 10.0  # the case panel re-reads the related cases at most this often per case version

_QUEUED = Qt.ConnectionType.QueuedConnection

# Initial column widths (px) for a 1920-wide screen; the title and address columns
# share what is left (they stretch).
_COLUMN_WIDTHS = {
    COL_CODE: 176,
    COL_STATUS: 110,
    COL_PRIORITY: 86,
    COL_SOURCE: 96,
    COL_CATEGORY: 120,
    COL_OWNER: 170,
    COL_CREATED: 96,
    COL_DEADLINE: 120,
}
_STRETCHED_COLUMNS = (COL_TITLE, COL_ADDRESS)



# More cases changed in one coalesced burst than this (a workstation catching up after an
# outage writes 10,000 a transaction): the loaded window is re-queried once instead of
# re-reading every changed case (the cost of that follows the changes).
LIVE_CHANGES_MAX = 2000

class _EventBridge(QObject):
    """Forwards a plain-Python event (emitted on any thread) as a Qt signal.

    ``sig_event`` is emitted on the emitting thread; connect it with a queued
    connection to reach the receiver's thread.  ``detach()`` disconnects from the
    event; after it returns no further emission happens.
    """

    sig_event = Signal(object)

    def __init__(self, event: Event[CasesChanged], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._event = event
        self._lock = threading.Lock()
        self._attached = True
        event.connect(self._forward)

    def _forward(self, value: CasesChanged) -> None:
        with self._lock:
            if not self._attached:
                return
            try:
                self.sig_event.emit(value)
            except RuntimeError:  # the Qt object is gone (destroyed without detach()): stop listening
                self._attached = False
                self._event.disconnect(self._forward)

    def detach(self) -> None:
        self._event.disconnect(self._forward)
        with self._lock:
            self._attached = False


@dataclass(frozen=True)
class WorkSet:
    """One tab of the queue: its filter, default sort and how to count it."""

    key: str
    label: str
    filter: QueueFilter
    count: Callable[[Mapping[str, int]], int] | None


def _count_of(*keys: str) -> Callable[[Mapping[str, int]], int]:
    return lambda counts: sum(counts.get(k, 0) for k in keys)


_OPEN_KEYS = tuple(s.value for s in Status if s in OPEN_STATUSES)


class MainWindow(QMainWindow):
    """The workstation window for one logged-in actor over one workspace."""

    sig_cases_changed = Signal(object)  # CasesChanged, always on the GUI thread
    # the case panel's related cases: ((case id, version), monotonic time read, cases)
    _related_cache: tuple[tuple[str, int], float, list[RelatedCase]] | None

    def __init__(
        self,
        workspace: Workspace,
        actor: Actor,
        sim_status: Callable[[], Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)
        self._ws = workspace
        self._actor = actor
        self._sim_status = sim_status
        self._closed = False
        self._selected_id: str | None = None
        self._shown_id: str | None = None  # the case the detail pane shows
        self._changed_ids: set[str] = set()
        self._counts: dict[str, int] = {}
        self._user_names = {a.username: a.display_name for a in workspace.users() if a.display_name}
        self._work_sets = self._make_work_sets()
        self._sort = (self._work_sets[0].filter.sort, self._work_sets[0].filter.descending)

        self.model = QueueModel(workspace, self)
        self._bridge = _EventBridge(workspace.events.cases_changed, self)
        self._counts_reader = BackgroundReader(self)  # the tab counts of live refreshes, off the GUI thread
        self._live_refresh = False  # refreshing for coalesced live changes (not a filter change, F5 or tick)
        self._tick_refresh = False  # refreshing for the clock tick: counts off the GUI thread too
        self._counts_seq = self._counts_shown_seq = 0

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_INTERVAL_MS)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._tick_timer = QTimer(self)
        self._tick_timer.setInterval(TICK_INTERVAL_MS)
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(STATUS_INTERVAL_MS)

        self._setup_tabs()
        self._setup_centres()
        self._setup_filter_bar()
        self._setup_view()
        self._setup_status_bar()
        self._setup_shortcuts()
        self._setup_actions()
        self._setup_hotline_and_alerts()
        self._setup_keyboard()
        self.workloadsDock = install_workloads(self, workspace, actor)  # issue 6: workloads and KPIs
        self._connect_signals()
        self.map_bbox: tuple[float, float, float, float] | None = None  # the map's rectangle filter
        self.map_link = attach_map(self)  # the map dock and all its wiring (gui/map/link.py)

        self._apply_filter()
        self.ui.caseDetail.setHtml(placeholder_html())
        self._tick_timer.start()
        if self._sim_status is not None:
            self._status_timer.start()

    # --- set-up -------------------------------------------------------------------

    def _make_work_sets(self) -> list[WorkSet]:
        S = Status
        return [
            WorkSet("reported", self.tr("待受理"), QueueFilter(statuses=(S.REPORTED,)), _count_of("reported")),
            WorkSet("registered", self.tr("待派遣"), QueueFilter(statuses=(S.REGISTERED,)), _count_of("registered")),
            WorkSet(
                "handling",
                self.tr("处置中"),
                QueueFilter(statuses=(S.DISPATCHED, S.IN_PROGRESS)),
                _count_of("dispatched", "in_progress"),
            ),
            WorkSet(
                "checking", self.tr("待核查"), QueueFilter(statuses=(S.AWAITING_CHECK,)), _count_of("awaiting_check")
            ),
            WorkSet("due_soon", self.tr("即将超期"), QueueFilter(sla=SlaState.DUE_SOON), _count_of("due_soon")),
            WorkSet("overdue", self.tr("已超期"), QueueFilter(sla=SlaState.OVERDUE), _count_of("overdue")),
            WorkSet("supervised", self.tr("督办"), QueueFilter(supervised=True), _count_of("supervised")),
            WorkSet("escalated", self.tr("已上报"), QueueFilter(escalated=True), _count_of("escalated")),
            WorkSet("open", self.tr("全部在办"), QueueFilter(open_only=True), _count_of(*_OPEN_KEYS)),
            WorkSet(
                "closed",
                self.tr("已结案"),
                QueueFilter(statuses=(S.CLOSED, S.ARCHIVED), open_only=False, sort="updated", descending=True),
                None,
            ),
        ]

    def _setup_tabs(self) -> None:
        tabs = self.ui.setTabs
        tabs.setExpanding(False)
        tabs.setDrawBase(False)
        tabs.setUsesScrollButtons(True)
        for i, ws in enumerate(self._work_sets):
            tabs.addTab(ws.label)
            tabs.setTabData(i, ws.key)
            if i < 10:
                tabs.setTabToolTip(i, self.tr("{tab}（Ctrl+{n}）").format(tab=ws.label, n=(i + 1) % 10))

    def _setup_centres(self) -> None:
        combo = self.ui.centreCombo
        combo.addItem(self.tr("全县"), "")
        centres = sorted(self._ws.ref.centres.values(), key=lambda c: (len(c.code), c.code))
        for c in centres:
            combo.addItem(c.name, c.code)
        home = combo.findData(self._actor.centre_code or "")
        combo.setCurrentIndex(max(home, 0))

    def _setup_view(self) -> None:
        view = self.ui.queueView
        view.setModel(self.model)
        # The queue is the operator's work: docks (map, workloads) never squeeze it below ~8 rows.
        view.setMinimumHeight(view.verticalHeader().defaultSectionSize() * 8 + view.horizontalHeader().sizeHint().height())
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col in _STRETCHED_COLUMNS:
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        for col, width in _COLUMN_WIDTHS.items():
            view.setColumnWidth(col, width)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        self._show_sort_indicator()
        vh = view.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(30)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.ui.mainSplitter.setStretchFactor(0, 3)
        self.ui.mainSplitter.setStretchFactor(1, 1)
        self.ui.mainSplitter.setSizes([1420, 460])

    def _setup_status_bar(self) -> None:
        bar = self.ui.statusbar
        a = self._actor
        centre = self._ws.ref.centres.get(a.centre_code or "")
        who = a.display_name or a.username
        parts = [self.tr("{name}（{role}）").format(name=who, role=i18n.label(a.role))]
        if centre is not None:
            parts.append(centre.name)
        self.userLabel = self._status_label("userLabel", " · ".join(parts))
        self.connectionLabel = self._status_label("connectionLabel", "● " + self.tr("单机模式"))
        self.connectionLabel.setToolTip(self.tr("未配置服务器：本机数据库即为权威数据"))
        self.countsLabel = self._status_label("countsLabel", "")
        self.simLabel = self._status_label("simLabel", "")
        self.simLabel.setVisible(self._sim_status is not None)
        self.updatedLabel = self._status_label("updatedLabel", "")
        bar.addWidget(self.userLabel)
        bar.addPermanentWidget(self.connectionLabel)
        bar.addPermanentWidget(self.countsLabel)
        bar.addPermanentWidget(self.simLabel)
        bar.addPermanentWidget(self.updatedLabel)

    def _status_label(self, name: str, text: str) -> QLabel:
        label = QLabel(text, self.ui.statusbar)
        label.setObjectName(name)
        return label

    def _setup_shortcuts(self) -> None:
        self.addAction(self.ui.actionFocusSearch)
        self.addAction(self.ui.actionRefresh)
        # Ctrl+1 … Ctrl+9 for the first nine tabs, Ctrl+0 for the tenth (已结案)
        count = min(len(self._work_sets), 10)
        self._tab_shortcuts = [QShortcut(QKeySequence(f"Ctrl+{(i + 1) % 10}"), self) for i in range(count)]

    def _connect_signals(self) -> None:
        """Every signal connection of the window, in one place."""
        self._bridge.sig_event.connect(self.sig_cases_changed, _QUEUED)
        self.sig_cases_changed.connect(self.on_workspace_cases_changed)
        self._refresh_timer.timeout.connect(self.on_refresh_timer_timeout)
        self._search_timer.timeout.connect(self.on_search_timer_timeout)
        self._tick_timer.timeout.connect(self.on_tick_timer_timeout)
        self._status_timer.timeout.connect(self.on_status_timer_timeout)
        self.ui.setTabs.currentChanged.connect(self.on_tabs_current_changed)
        self.ui.searchEdit.textChanged.connect(self.on_search_text_changed)
        self.ui.searchEdit.returnPressed.connect(self.on_search_return_pressed)
        self.ui.centreCombo.currentIndexChanged.connect(self.on_centre_index_changed)
        self.filterBar.sig_changed.connect(self.on_filter_bar_changed)
        self.filterBar.sig_message.connect(self.on_filter_bar_message)
        self.ui.actionFocusFilters.triggered.connect(self.on_focus_filters_triggered)
        self.ui.actionClearFilters.triggered.connect(self.on_clear_filters_triggered)
        self.ui.queueView.horizontalHeader().sortIndicatorChanged.connect(self.on_header_sort_changed)
        self.ui.queueView.selectionModel().selectionChanged.connect(self.on_queue_selection_changed)
        self.model.sig_refreshed.connect(self.on_model_refreshed)
        self.ui.actionFocusSearch.triggered.connect(self.on_search_action_triggered)
        self.ui.actionRefresh.triggered.connect(self.on_refresh_action_triggered)
        for i, shortcut in enumerate(self._tab_shortcuts):
            shortcut.activated.connect(partial(self.ui.setTabs.setCurrentIndex, i))
        self.ui.queueView.selectionModel().selectionChanged.connect(self.on_action_selection_changed)
        self.ui.queueView.customContextMenuRequested.connect(self.on_queue_context_menu_requested)
        self.model.sig_refreshed.connect(self.action_controller.update_state)
        self.action_controller.sig_message.connect(self.on_action_message)
        self.action_controller.sig_pii_revealed.connect(self.on_pii_revealed)
        self.sig_cases_changed.connect(self.on_cases_changed_note_arrivals)
        self.actionNextNewCase.triggered.connect(self.select_next_new_case)
        self.actionFocusQueue.triggered.connect(self.on_escape)
        self.actionShortcutHelp.triggered.connect(self.helpOverlay.toggle)
        self._language_group.triggered.connect(self.on_language_action_triggered)
        self._theme_group.triggered.connect(self.on_theme_action_triggered)
        self.ui.caseDetail.anchorClicked.connect(self.on_case_detail_anchor_clicked)

    # --- public API ---------------------------------------------------------------

    @property
    def work_sets(self) -> list[WorkSet]:
        return list(self._work_sets)

    @property
    def selected_case_id(self) -> str | None:
        return self._selected_id

    def current_filter(self) -> QueueFilter:
        """The queue filter for the current tab, centre, search text and sort."""
        ws = self._work_sets[max(self.ui.setTabs.currentIndex(), 0)]
        centre = self.ui.centreCombo.currentData() or ""
        key, descending = self._sort
        f = ws.filter.with_(
            centres=(centre,) if centre else (),
            text=self.ui.searchEdit.text().strip(),
            bbox=getattr(self, "map_bbox", None),
            sort=key,
            descending=descending,
        )
        return self.filterBar.apply_to(f)  # department, category, place, priority, … time

    def select_case(self, case_id: str) -> bool:
        """Select (and open) the case's row if it is in the current queue."""
        row = self.model.row_of(case_id)
        if row < 0:
            return False
        view = self.ui.queueView
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        view.selectionModel().setCurrentIndex(self.model.index(row, 0), flags)
        view.scrollTo(self.model.index(row, 0))
        return True

    def refresh(self, *, reload_detail: bool = False) -> None:
        """Re-query the queue and the counts now (F5, the timers, coalesced changes)."""
        self._refresh_timer.stop()
        anchor = self._scroll_anchor()
        if self._live_refresh and len(self._changed_ids) <= LIVE_CHANGES_MAX:
            # re-read just the changed cases (cost follows the changes, not the rows)
            self.model.apply_changes(self._changed_ids)
        else:
            self.model.refresh()
        self._restore_scroll(anchor)
        changed, self._changed_ids = self._changed_ids, set()
        if reload_detail:
            self._related_cache = None  # F5 and the clock tick read the related cases afresh
        if self._selected_id is not None and (reload_detail or self._selected_id in changed):
            self._show_case(self._selected_id)

    def set_theme(self, theme: str) -> None:
        """Match colours drawn by the window itself (not by the QSS) to the theme."""
        self._theme = theme
        self.model.set_dark(theme != "light")
        for act in getattr(self, "_theme_group", QActionGroup(self)).actions():
            act.setChecked(act.data() == theme)
        overlay = getattr(self, "helpOverlay", None)
        if overlay is not None:
            overlay.set_theme(theme)

    def set_connection_state(self, text: str, tooltip: str = "") -> None:
        """Show the sync state (the sync worker calls this; standalone: 单机模式)."""
        self._connection_state_set = True  # the language switch leaves it to the caller
        self.connectionLabel.setText("● " + text)
        self.connectionLabel.setToolTip(tooltip)

    def shutdown(self) -> None:
        """Stop listening and stop the timers (idempotent); called on close."""
        if self._closed:
            return
        self._closed = True
        self._bridge.detach()
        self._counts_reader.close()
        for timer in (self._refresh_timer, self._search_timer, self._tick_timer, self._status_timer):
            timer.stop()

    # --- slots --------------------------------------------------------------------

    def on_workspace_cases_changed(self, event: CasesChanged) -> None:
        if self._closed:
            return
        if event.created:
            self.model.mark_new(event.created)
        self._changed_ids.update(event.case_ids)
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def on_refresh_timer_timeout(self) -> None:
        self._live_refresh = True  # a burst of live changes: re-read only those cases
        try:
            self.refresh()
        finally:
            self._live_refresh = False

    def on_tick_timer_timeout(self) -> None:
        if self.filterBar.time.roll():  # 今天 / 近24小时 … moved on with the clock: re-queried
            return
        self._tick_refresh = True
        try:
            self.refresh(reload_detail=True)
        finally:
            self._tick_refresh = False

    def on_status_timer_timeout(self) -> None:
        self._update_sim_status()

    def on_refresh_action_triggered(self) -> None:
        self.refresh(reload_detail=True)

    def on_search_action_triggered(self) -> None:
        self.ui.searchEdit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.ui.searchEdit.selectAll()

    def on_search_text_changed(self, _text: str) -> None:
        self._search_timer.start()

    def on_search_return_pressed(self) -> None:
        self._search_timer.stop()
        self._apply_filter()

    def on_search_timer_timeout(self) -> None:
        self._apply_filter()

    def on_centre_index_changed(self, _index: int) -> None:
        self._apply_filter()

    def on_tabs_current_changed(self, index: int) -> None:
        if not 0 <= index < len(self._work_sets):
            return
        f = self._work_sets[index].filter
        self._sort = (f.sort, f.descending)
        self._show_sort_indicator()
        self._apply_filter()

    def on_header_sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        key = COLUMN_SORT_KEYS[column] if 0 <= column < len(COLUMN_SORT_KEYS) else None
        if key is None:  # not a sortable column: put the indicator back
            self._show_sort_indicator()
            return
        self._sort = (key, order == Qt.SortOrder.DescendingOrder)
        self._apply_filter()

    def on_queue_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.ui.queueView.selectionModel().selectedRows()
        if not rows:
            return  # the row left the queue or the filter changed: keep showing the case
        case_id = self.model.case_id(rows[0].row())
        if case_id is None:
            return
        if self.model.is_new(case_id):
            self.model.mark_seen(case_id)
        if case_id != self._selected_id:
            self._selected_id = case_id
            self._show_case(case_id)

    def on_model_refreshed(self) -> None:
        self._update_counts()
        self._update_sim_status()
        now = self.model.last_refresh or self._ws.now()
        self.updatedLabel.setText(self.tr("最后更新 {t}").format(t=fmt_local(now, "%H:%M:%S")))

    # --- helpers ------------------------------------------------------------------

    def _apply_filter(self) -> None:
        """A new filter: reset the model, then reselect the case that was selected."""
        self._search_timer.stop()
        self._refresh_timer.stop()
        self._changed_ids.clear()
        selected = self._selected_id
        self.model.set_filter(self.current_filter())
        if selected is not None and self.model.row_of(selected) >= 0:
            self.select_case(selected)
        else:
            self.ui.queueView.scrollToTop()

    def _show_sort_indicator(self) -> None:
        header = self.ui.queueView.horizontalHeader()
        key, descending = self._sort
        col = COLUMN_SORT_KEYS.index(key) if key in COLUMN_SORT_KEYS else -1
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        blocked = header.blockSignals(True)
        header.setSortIndicator(col, order)
        header.blockSignals(blocked)

    def _scroll_anchor(self) -> tuple[str, int] | None:
        """The case at the top of the viewport and its offset, if the user scrolled down."""
        view = self.ui.queueView
        if view.verticalScrollBar().value() == 0:
            return None  # at the top: stay there, arrivals show up
        index = view.indexAt(QPoint(1, 1))
        case_id = self.model.case_id(index.row()) if index.isValid() else None
        return (case_id, view.visualRect(index).top()) if case_id is not None else None

    def _restore_scroll(self, anchor: tuple[str, int] | None) -> None:
        if anchor is None:
            return
        case_id, offset = anchor
        row = self.model.row_of(case_id)
        if row < 0:
            return
        view = self.ui.queueView
        view.doItemsLayout()  # the scroll range is updated lazily; bring it up to date first
        bar = view.verticalScrollBar()
        target = view.rowViewportPosition(row) + bar.value() - offset
        bar.setValue(max(0, target))

    def _show_case(self, case_id: str) -> None:
        case = self._ws.case(case_id)
        if case is None:
            self.ui.caseDetail.setHtml(missing_html())
            self._shown_id = None
            return
        history = self._ws.history(case_id)
        bar = self.ui.caseDetail.verticalScrollBar()
        keep = bar.value() if case_id == self._shown_id else 0  # a live update keeps the reader's place
        reveal = case_id == self._revealed_id
        self.ui.caseDetail.setHtml(
            render_case_html(
                case, history, self._ws.ref, self._ws.now(), self._user_names, reveal=reveal,
                related=self._related(case), theme=getattr(self, "_theme", "dark"),
            )
        )
        self._shown_id = case_id
        bar.setValue(keep)

    def _update_counts(self) -> None:
        """The tab counts and the queue's total: now, or -- for live changes, the clock tick or a
        page fetched while scrolling -- on the counts thread, shown when they arrive.  The total of a list
        longer than what is loaded (a count over the whole history can take 50-700 ms) is
        always counted there; the label stays empty until it arrives."""
        centre = self.ui.centreCombo.currentData() or ""
        f, shown, more, now = self.model.filter, self.model.rowCount(), self.model.more, self._ws.now()

        def count_tabs() -> dict[str, int]:
            with self._ws.read() as conn:
                return queries.status_counts(conn, [centre] if centre else [], now)

        def count_total() -> int:
            if not more:
                return shown
            with self._ws.read() as conn:
                return queries.queue_count(conn, f, now)

        self._counts_seq += 1
        seq = self._counts_seq
        show = partial(self._show_counts, seq, centre, f)
        if self._tick_refresh or self.model.last_change in ("changes", "fetch"):
            self._counts_reader.submit(lambda: (count_tabs(), count_total()), show)
            return
        tab_counts = count_tabs()
        if more:
            show((tab_counts, -1))
            self._counts_reader.submit(lambda: (tab_counts, count_total()), show)
        else:
            show((tab_counts, shown))

    def _show_counts(self, seq: int, centre: str, f: QueueFilter, result: tuple[dict[str, int], int]) -> None:
        if self._closed or seq < self._counts_shown_seq or f != self.model.filter:
            return  # counted for a filter that is no longer shown, or older than what is shown
        if centre != (self.ui.centreCombo.currentData() or ""):
            return
        self._counts_shown_seq = seq
        counts, total = result
        self._counts = counts
        tabs = self.ui.setTabs
        for i, ws in enumerate(self._work_sets):
            text = ws.label if ws.count is None else f"{ws.label} ({ws.count(counts)})"
            if tabs.tabText(i) != text:
                tabs.setTabText(i, text)
        open_n = sum(counts.get(k, 0) for k in _OPEN_KEYS)
        self.countsLabel.setText(
            self.tr("在办 {n} · 超期 {m}").format(n=open_n, m=counts.get("overdue", 0))
        )
        shown = self.model.rowCount()
        if total < 0:  # not counted yet
            self.ui.queueInfoLabel.setText("")
            return
        total = max(total, shown)
        if total > shown:
            info = self.tr("显示前 {shown} 条，共 {total} 条").format(shown=shown, total=total)
        else:
            info = self.tr("共 {total} 条").format(total=total)
        self.ui.queueInfoLabel.setText(info)

    def _update_sim_status(self) -> None:
        if self._sim_status is None:
            return
        try:
            status: Any = self._sim_status()
        except Exception:  # a status callback must never break the window
            status = ""
        text = self._sim_status_text(status) if isinstance(status, Mapping) else str(status)
        if self.simLabel.text() != text:
            self.simLabel.setText(text)

    def _sim_status_text(self, s: Mapping[str, Any]) -> str:
        """The simulator's status (sim/live.py LiveSimulator.status) in the current language."""
        if not s.get("running"):
            return self.tr("模拟器已停止")
        return self.tr("模拟器运行中 ×{speed} · 每小时新报 {rate} 件 · 已新报 {reports} 件 · 已处置动作 {actions} 次").format(
            speed=f"{s.get('speed', 0):g}", rate=f"{s.get('rate', 0):g}", reports=s.get("reports", 0),
            actions=s.get("actions", 0),
        )

    # --- events -------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    # --- case actions (commandcenter.gui.actions) ---------------------------------

    def _setup_actions(self) -> None:
        """The case actions: the 操作 toolbar, the 案件 menu, the queue's context menu, their shortcuts."""
        self._revealed_id: str | None = None  # personal data shown in clear for this case only
        self.action_controller = ActionController(self._ws, self._actor, self, self._action_case_ids)
        self.addActions(self.action_controller.actions())  # shortcuts work wherever the focus is
        toolbar = self.addToolBar(self.tr("操作"))
        toolbar.setObjectName("actionToolBar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.action_controller.populate_toolbar(toolbar)
        toolbar.setVisible(any(a.isVisible() for a in toolbar.actions()))
        menu = self.menuBar().addMenu(self.tr("案件(&C)"))
        menu.setObjectName("caseMenu")
        self.action_controller.populate_menu(menu)
        menu.menuAction().setVisible(not menu.isEmpty())
        self.actionToolBar, self.caseMenu = toolbar, menu
        view = self.ui.queueView
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)  # bulk actions
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def _action_case_ids(self) -> list[str]:
        """The cases the actions work on: the selected rows, else the case the panel shows."""
        rows = sorted(ix.row() for ix in self.ui.queueView.selectionModel().selectedRows())
        ids = [cid for cid in (self.model.case_id(r) for r in rows) if cid]
        if not ids and self._shown_id is not None:
            return [self._shown_id]
        return ids

    def on_action_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        if self._revealed_id is not None and self._selected_id != self._revealed_id:
            self._revealed_id = None  # another case is open: personal data is masked again
        self.action_controller.update_state()

    def on_queue_context_menu_requested(self, pos: QPoint) -> None:
        view = self.ui.queueView
        index = view.indexAt(pos)
        if index.isValid() and not view.selectionModel().isRowSelected(index.row(), index.parent()):
            self.select_case(self.model.case_id(index.row()) or "")
        self.action_controller.update_state()
        menu = self.action_controller.context_menu(self)
        if menu.isEmpty():
            menu.deleteLater()
            return
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(view.viewport().mapToGlobal(pos))

    def on_action_message(self, text: str) -> None:
        self.ui.statusbar.showMessage(text, 15_000)

    def on_pii_revealed(self, case_id: str) -> None:
        self._revealed_id = case_id
        if case_id == self._shown_id:
            self._show_case(case_id)

    # --- hotline intake and alerts (views/intake.py, views/alerts.py) -------------

    def _setup_hotline_and_alerts(self) -> None:
        """F2 新建热线事件 (for roles that may create cases), the alert banner and its sound."""
        self.actionHotlineIntake = make_intake_action(self, self._actor)
        self.addAction(self.actionHotlineIntake)
        if self.actionHotlineIntake.isEnabled():
            toolbar = getattr(self, "actionToolBar", None)
            if toolbar is not None:
                first = toolbar.actions()[0] if toolbar.actions() else None
                toolbar.insertAction(first, self.actionHotlineIntake)
                if first is not None:
                    toolbar.insertSeparator(first)
                toolbar.setVisible(True)
            menu = getattr(self, "caseMenu", None)
            if menu is not None:
                first = menu.actions()[0] if menu.actions() else None
                menu.insertAction(first, self.actionHotlineIntake)
                if first is not None:
                    menu.insertSeparator(first)
                menu.menuAction().setVisible(True)
        self._intake: HotlineIntakeDialog | None = None
        self._reveal_pending: str | None = None
        self.actionHotlineIntake.triggered.connect(self.open_hotline_intake)

        self.alerts = AlertCenter(self._ws, self._alert_scope, self)
        self.alertBar = AlertBar(self.alerts, self.ui.centralwidget)
        self.ui.centralLayout.insertWidget(2, self.alertBar)  # between the filter row and the queue
        self.alertSoundButton = MuteButton(self.alerts, self.ui.statusbar)
        self.ui.statusbar.addPermanentWidget(self.alertSoundButton)
        self.sig_cases_changed.connect(self.alerts.on_cases_changed)
        self.alertBar.sig_case_activated.connect(self.reveal_case)
        self.alerts.stop_on_close(self)
        self.alerts.start()

    def _alert_scope(self) -> tuple[str, ...]:
        """The centres the alerts watch: the centre the window shows (empty: all)."""
        centre = self.ui.centreCombo.currentData() or ""
        return (centre,) if centre else ()

    @property
    def intake_dialog(self) -> HotlineIntakeDialog | None:
        return self._intake

    def open_hotline_intake(self) -> HotlineIntakeDialog | None:
        """F2: show the (non-modal) hotline intake form; an unsaved draft is still there."""
        if not self.actionHotlineIntake.isEnabled():
            return None
        if self._intake is None:
            self._intake = HotlineIntakeDialog(self._ws, self._actor, self)
            self._intake.sig_case_created.connect(self.on_intake_case_created)
            self._intake.sig_case_merged.connect(self.on_intake_case_merged)
        self._intake.start_call()
        return self._intake

    def on_intake_case_created(self, case_id: str, code: str) -> None:
        self.alerts.ignore_new(case_id)  # the operator just typed it in: no "new case" alert
        self.ui.statusbar.showMessage(self.tr("已新建事件 {code}").format(code=code), 15_000)
        self._reveal_later(case_id)

    def on_intake_case_merged(self, case_id: str, target_id: str) -> None:
        self.ui.statusbar.showMessage(self.tr("来电已合并到原事件，处理过程中留有记录"), 15_000)
        self._reveal_later(target_id)

    def _reveal_later(self, case_id: str) -> None:
        """Reveal once the change has reached the queue (after the queued change signal)."""
        self._reveal_pending = case_id
        QTimer.singleShot(0, self._reveal_pending_case)

    def _reveal_pending_case(self) -> None:
        case_id, self._reveal_pending = self._reveal_pending, None
        if case_id is not None and not self._closed:
            self.reveal_case(case_id)

    def reveal_case(self, case_id: str) -> bool:
        """Select the case; if the current tab, centre or search hides it, switch to one that
        shows it.  A case that no tab lists (merged, rejected) is shown in the panel only."""
        if self._closed:
            return False
        if self.select_case(case_id):
            return True
        case = self._ws.case(case_id)
        if case is None:
            return False
        self.refresh()  # it may have just arrived
        if self.select_case(case_id):
            return True
        key = "open" if case.is_open else "closed" if case.status in (Status.CLOSED, Status.ARCHIVED) else None
        index = next((i for i, w in enumerate(self._work_sets) if w.key == key), -1)
        if index >= 0:
            search, combo, tabs = self.ui.searchEdit, self.ui.centreCombo, self.ui.setTabs
            for widget in (search, combo, tabs):
                widget.blockSignals(True)
            search.clear()
            self.filterBar.clear(emit=False)
            if combo.currentData() and combo.currentData() != case.centre_code:
                combo.setCurrentIndex(max(0, combo.findData(case.centre_code)))
            if tabs.currentIndex() != index:
                tabs.setCurrentIndex(index)
                f = self._work_sets[index].filter
                self._sort = (f.sort, f.descending)
                self._show_sort_indicator()
            for widget in (search, combo, tabs):
                widget.blockSignals(False)
            self._apply_filter()
            if self.select_case(case_id):
                return True
        # not listed (or beyond the first page): show it anyway; no row stays selected, so
        # selecting that row again (a link in the case panel) opens it again
        self.ui.queueView.selectionModel().clearSelection()
        self._selected_id = case_id
        self._show_case(case_id)
        return False

    # --- the filter bar (views/filter_bar.py) -------------------------------------

    def _setup_filter_bar(self) -> None:
        """Department, category, township/grid, priority, severity, source and time range;
        Ctrl+Shift+F focuses the bar, Ctrl+Shift+X (or Esc in the bar) clears it."""
        self.filterBar = FilterBar(self.ui, self._ws.ref, self._ws.now, self)
        self.addAction(self.ui.actionFocusFilters)
        self.addAction(self.ui.actionClearFilters)

    def on_filter_bar_changed(self) -> None:
        self._apply_filter()

    def on_filter_bar_message(self, text: str) -> None:
        self.ui.statusbar.showMessage(text, 15_000)

    def on_focus_filters_triggered(self) -> None:
        self.filterBar.focus()

    def on_clear_filters_triggered(self) -> None:
        if not self.filterBar.clear():
            self.ui.statusbar.showMessage(self.tr("没有启用的筛选条件"), 5_000)

    # --- keyboard, related cases, language and theme ------------------------------
    # (views/help_overlay.py, services/related.py, gui/i18n.py)

    def _setup_keyboard(self) -> None:
        """The 视图 and 帮助 menus: next new case (J), Esc back to the queue, language,
        theme, the keyboard help overlay (F1, ?); and the Tab order."""
        self._theme = getattr(self, "_theme", "dark")
        self._connection_state_set = getattr(self, "_connection_state_set", False)
        self._arrivals: dict[str, None] = {}  # cases created while the window is open, oldest first
        self._related_cache = None

        def window_action(name: str, *keys: str) -> QAction:
            act = QAction(self)
            act.setObjectName(name)
            act.setShortcuts([QKeySequence(k) for k in keys])
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(act)  # the keys work wherever the focus is in the window
            return act

        self.actionNextNewCase = window_action("actionNextNewCase", NEXT_NEW_SHORTCUT)
        self.actionFocusQueue = window_action("actionFocusQueue", "Esc")
        self.actionShortcutHelp = window_action("actionShortcutHelp", *HELP_SHORTCUTS)

        menu = self.menuBar().addMenu("")
        menu.setObjectName("viewMenu")
        menu.addActions([self.actionNextNewCase, self.ui.actionFocusSearch, self.actionFocusQueue, self.ui.actionRefresh])
        menu.addActions([self.ui.actionFocusFilters, self.ui.actionClearFilters])
        menu.addSeparator()
        self.languageMenu = menu.addMenu("")
        self.languageMenu.setObjectName("languageMenu")
        self._language_group = QActionGroup(self)
        for lang in i18n.LANGUAGES:
            act = QAction(i18n.LANGUAGE_NAMES[lang], self._language_group)  # each in its own language
            act.setObjectName(f"actionLanguage_{lang}")
            act.setData(lang)
            act.setCheckable(True)
            act.setChecked(lang == i18n.current_language())
            self.languageMenu.addAction(act)
        self.themeMenu = menu.addMenu("")
        self.themeMenu.setObjectName("themeMenu")
        self._theme_group = QActionGroup(self)
        for theme in THEMES:
            act = QAction(self._theme_group)
            act.setObjectName(f"actionTheme_{theme}")
            act.setData(theme)
            act.setCheckable(True)
            act.setChecked(theme == self._theme)
            self.themeMenu.addAction(act)
        self.viewMenu = menu

        self.helpMenu = self.menuBar().addMenu("")
        self.helpMenu.setObjectName("helpMenu")
        self.helpMenu.addAction(self.actionShortcutHelp)
        self.helpOverlay = HelpOverlay(self)

        self._setup_tab_order()
        self._retranslate_keyboard()

    def _setup_tab_order(self) -> None:
        """Tab: search → centre → queue → case panel → toolbar (arrow keys move inside the queue)."""
        view = self.ui.queueView
        view.setTabKeyNavigation(False)
        self.ui.caseDetail.setTabChangesFocus(True)
        chain: list[QWidget] = [
            self.ui.searchEdit, self.ui.centreCombo, *self.filterBar.focus_chain(), view, self.ui.caseDetail
        ]
        toolbar = getattr(self, "actionToolBar", None)
        if toolbar is not None:
            for act in toolbar.actions():
                button = toolbar.widgetForAction(act)
                if button is not None and act.isVisible() and not act.isSeparator():
                    button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
                    chain.append(button)
        for i in range(len(chain) - 1):
            QWidget.setTabOrder(chain[i], chain[i + 1])

    def _retranslate_keyboard(self) -> None:
        self.actionNextNewCase.setText(self.tr("下一个新事件"))
        self.actionNextNewCase.setToolTip(self.tr("打开列表中下一个新到的（加粗高亮的）事件（{key}）").format(key=NEXT_NEW_SHORTCUT))
        self.actionFocusQueue.setText(self.tr("回到事件列表"))
        self.actionShortcutHelp.setText(self.tr("键盘快捷键"))
        self.viewMenu.setTitle(self.tr("视图(&V)"))
        self.languageMenu.setTitle(self.tr("语言"))
        self.themeMenu.setTitle(self.tr("主题"))
        theme_names = {"dark": self.tr("深色"), "light": self.tr("浅色")}
        for act in self._theme_group.actions():
            act.setText(theme_names.get(str(act.data()), str(act.data())))
        self.helpMenu.setTitle(self.tr("帮助(&H)"))
        for i, shortcut in enumerate(self._tab_shortcuts):
            shortcut.setProperty(HELP_GROUP_PROPERTY, self.tr("工作集"))
            shortcut.setWhatsThis(self.tr("切换到“{tab}”").format(tab=self._work_sets[i].label))

    def on_cases_changed_note_arrivals(self, event: CasesChanged) -> None:
        for case_id in event.created:
            self._arrivals[case_id] = None
        while len(self._arrivals) > 2000:
            del self._arrivals[next(iter(self._arrivals))]

    def select_next_new_case(self) -> str | None:
        """J: open the next new (highlighted) case below the current row, wrapping round;
        if the tab shows none, the oldest new case elsewhere.  The case id, or None."""
        model = self.model
        ids = model.case_ids()
        current = model.row_of(self._selected_id) if self._selected_id is not None else -1
        for row in [*range(current + 1, len(ids)), *range(0, current + 1)]:
            if model.is_new(ids[row]):
                self.select_case(ids[row])
                self.ui.queueView.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return ids[row]
        for case_id in list(self._arrivals):
            if not model.is_new(case_id):
                del self._arrivals[case_id]
            elif self.reveal_case(case_id):
                self.ui.queueView.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return case_id
        self.ui.statusbar.showMessage(self.tr("没有新到的事件"), 5_000)
        return None

    def on_escape(self) -> None:
        """Esc: close the help overlay, else put the keyboard back on the queue."""
        if self.helpOverlay.isVisible():
            self.helpOverlay.hide()
            return
        if self.filterBar.has_focus() and self.filterBar.is_active():
            self.filterBar.clear()  # Esc in the filter bar resets it (once more: back to the queue)
            return
        view = self.ui.queueView
        view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if self._selected_id is not None:
            row = self.model.row_of(self._selected_id)
            if row >= 0 and view.currentIndex().row() != row:
                view.selectionModel().setCurrentIndex(
                    self.model.index(row, 0), QItemSelectionModel.SelectionFlag.NoUpdate
                )

    def _related(self, case: Case) -> list[RelatedCase] | None:
        """The 相关事件 of the case panel (None if they cannot be read now).

        A live update of the shown case re-renders the panel: the related cases read for
        the same version of the case less than RELATED_MAX_AGE_S ago are reused (with a
        million cases they take tens of milliseconds to find)."""
        now = time.monotonic()
        hit = self._related_cache
        if hit is not None and hit[0] == (case.id, case.version) and now - hit[1] < RELATED_MAX_AGE_S:
            return hit[2]
        try:
            with self._ws.read() as conn:
                related = related_cases(conn, case, self._ws.now())
        except Exception:  # the panel must show even if this fails
            log.exception("reading the related cases failed")
            return None
        self._related_cache = ((case.id, case.version), now, related)
        return related

    def on_case_detail_anchor_clicked(self, url: QUrl) -> None:
        case_id = case_id_of_link(url)
        if case_id is not None:
            self.reveal_case(case_id)

    # language

    def set_language(self, lang: str) -> bool:
        """Switch the application's language now (every window retranslates itself)."""
        app = QCoreApplication.instance()
        ok = app is not None and i18n.set_language(app, lang)
        for act in self._language_group.actions():
            act.setChecked(act.data() == i18n.current_language())
        if not ok:
            self.ui.statusbar.showMessage(self.tr("无法加载该语言的翻译文件"), 10_000)
        return ok

    def on_language_action_triggered(self, action: QAction) -> None:
        self.set_language(str(action.data()))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and hasattr(self, "helpOverlay"):
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Re-set every text of the window in the current language (on LanguageChange)."""
        self.ui.retranslateUi(self)
        self._work_sets = self._make_work_sets()
        tabs = self.ui.setTabs
        for i, ws in enumerate(self._work_sets):
            tabs.setTabText(i, ws.label)
            if i < 10:
                tabs.setTabToolTip(i, self.tr("{tab}（Ctrl+{n}）").format(tab=ws.label, n=(i + 1) % 10))
        self.ui.centreCombo.setItemText(0, self.tr("全县"))
        self.filterBar.retranslate()
        a = self._actor
        centre = self._ws.ref.centres.get(a.centre_code or "")
        who = a.display_name or a.username
        parts = [self.tr("{name}（{role}）").format(name=who, role=i18n.label(a.role))]
        if centre is not None:
            parts.append(centre.name)
        self.userLabel.setText(" · ".join(parts))
        if not self._connection_state_set:
            self.connectionLabel.setText("● " + self.tr("单机模式"))
            self.connectionLabel.setToolTip(self.tr("未配置服务器：本机数据库即为权威数据"))
        self.actionToolBar.setWindowTitle(self.tr("操作"))
        self.caseMenu.setTitle(self.tr("案件(&C)"))
        retranslate_actions = getattr(self.action_controller, "retranslate", None)
        if callable(retranslate_actions):
            retranslate_actions()
        retranslate_intake_action(self.actionHotlineIntake)
        self._retranslate_keyboard()
        retranslate_model = getattr(self.model, "retranslate", None)  # headers, once queue_model has it
        if callable(retranslate_model):
            retranslate_model()
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, self.model.columnCount() - 1))
        self._apply_filter()  # rows are re-made: their labels are in the new language
        if self._shown_id is not None:
            self._show_case(self._shown_id)
        elif self._selected_id is None:
            self.ui.caseDetail.setHtml(placeholder_html())

    # theme

    def apply_theme(self, theme: str) -> None:
        """Switch between the dark and the light theme now."""
        from .. import app as gui_app  # app.py imports this module: import it when needed

        if self.styleSheet():  # a window themed on its own (make_main_window(theme=...))
            self.setStyleSheet(gui_app.load_stylesheet(theme))
            self.setPalette(gui_app.theme_palette(theme))
        else:
            app = QApplication.instance()
            if isinstance(app, QApplication):
                gui_app.apply_theme(app, theme)
        self.set_theme(theme)
        if self._shown_id is not None:
            self._show_case(self._shown_id)  # its links follow the theme

    @property
    def theme(self) -> str:
        return self._theme

    def on_theme_action_triggered(self, action: QAction) -> None:
        self.apply_theme(str(action.data()))
