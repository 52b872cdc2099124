"""The sync state in the main window: the status bar (online / degraded / offline, pending
commands, last successful sync, the sync-problems badge) and the 同步问题 panel listing
the commands the server rejected.

The sync worker runs in its own threads; everything here runs on the GUI thread: a
QTimer reads ``worker.status()`` and ``worker.problems()`` (two small local queries) and
updates the widgets.  Nothing vanishes from the panel unless the operator dismisses it
(``Replica.resolve_problem`` records that in the local store).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.enums import CommandType
from ...domain.timeutil import fmt_local
from ...sync.worker import DEGRADED, OFFLINE, ONLINE, SyncStatus
from .. import i18n

log = logging.getLogger(__name__)

STATUS_INTERVAL_MS = 1_000
STATE_COLOURS = {ONLINE: "#3fb950", DEGRADED: "#e0a030", OFFLINE: "#ff5c61"}
PROBLEM_ID_ROLE = Qt.ItemDataRole.UserRole + 1
CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 2


class StatusSource(Protocol):
    """What the status bar needs of the sync worker."""

    def status(self) -> SyncStatus: ...

    def problems(self) -> list[dict[str, Any]]: ...


def _command_label(value: str) -> str:
    try:
        return i18n.label(CommandType(value))
    except ValueError:
        return value


class SyncProblemsDock(QDockWidget):
    """同步问题: the commands the server refused, newest first, until dismissed."""

    sig_case_activated = Signal(str)  # case id (double-click / 打开事件)
    sig_dismiss = Signal(int)  # problem id (已处理)

    COLUMNS = 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncProblemsDock")
        body = QWidget(self)
        self.hintLabel = QLabel(body)
        self.hintLabel.setObjectName("syncProblemsHint")
        self.hintLabel.setWordWrap(True)
        self.table = QTableWidget(0, self.COLUMNS, body)
        self.table.setObjectName("syncProblemsTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.openButton = QPushButton(body)
        self.openButton.setObjectName("syncProblemOpenButton")
        self.dismissButton = QPushButton(body)
        self.dismissButton.setObjectName("syncProblemDismissButton")
        self.table.setMinimumHeight(110)
        buttons = QHBoxLayout()
        buttons.addWidget(self.hintLabel, 1)
        buttons.addWidget(self.openButton)
        buttons.addWidget(self.dismissButton)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        body.setMinimumWidth(640)
        self.setWidget(body)
        self._problems: list[dict[str, Any]] = []
        self.table.itemDoubleClicked.connect(self.on_item_double_clicked)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.openButton.clicked.connect(self.on_open_clicked)
        self.dismissButton.clicked.connect(self.on_dismiss_clicked)
        self.retranslate()
        self._update_buttons()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("同步问题"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("时间"), self.tr("事件编号"), self.tr("事件标题"), self.tr("操作"), self.tr("原因代码"), self.tr("服务器给出的原因")]
        )
        self.hintLabel.setText(
            self.tr("服务器拒绝了以下操作，本机已撤销它们。请打开事件重新处理，处理后点“已处理”移除。")
        )
        self.openButton.setText(self.tr("打开事件"))
        self.dismissButton.setText(self.tr("已处理，移除"))
        if self._problems:
            self.set_problems(self._problems)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    @property
    def problems(self) -> list[dict[str, Any]]:
        return list(self._problems)

    def row_count(self) -> int:
        return self.table.rowCount()

    def set_problems(self, problems: list[dict[str, Any]]) -> None:
        selected = self.selected_problem_id()
        self._problems = list(problems)
        table = self.table
        table.setRowCount(len(problems))
        for row, p in enumerate(problems):
            at = p.get("at")
            values = [
                fmt_local(at, "%m-%d %H:%M:%S") if isinstance(at, datetime) else "",
                str(p.get("case_code") or ""),
                str(p.get("case_title") or ""),
                _command_label(str(p.get("command_type") or "")),
                str(p.get("reason_code") or ""),
                str(p.get("reason") or ""),
            ]
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(PROBLEM_ID_ROLE, int(p["id"]))
                item.setData(CASE_ID_ROLE, str(p.get("case_id") or ""))
                item.setToolTip(
                    self.tr("{who} 的“{op}”被服务器拒绝：{reason}").format(
                        who=p.get("actor") or "", op=values[3], reason=values[5]
                    )
                )
                table.setItem(row, col, item)
            if p["id"] == selected:
                table.selectRow(row)
        self._update_buttons()

    def selected_problem_id(self) -> int | None:
        items = self.table.selectedItems()
        return int(items[0].data(PROBLEM_ID_ROLE)) if items else None

    def _selected_case_id(self) -> str | None:
        items = self.table.selectedItems()
        return str(items[0].data(CASE_ID_ROLE)) if items else None

    def _update_buttons(self) -> None:
        has = bool(self.table.selectedItems())
        self.openButton.setEnabled(has)
        self.dismissButton.setEnabled(has)

    def on_item_double_clicked(self, item: QTableWidgetItem) -> None:
        case_id = item.data(CASE_ID_ROLE)
        if case_id:
            self.sig_case_activated.emit(str(case_id))

    def on_open_clicked(self) -> None:
        case_id = self._selected_case_id()
        if case_id:
            self.sig_case_activated.emit(case_id)

    def on_dismiss_clicked(self) -> None:
        pid = self.selected_problem_id()
        if pid is not None:
            self.sig_dismiss.emit(pid)


class SyncStatusPresenter(QObject):
    """Shows the worker's status in ``window``'s status bar and keeps the problems panel current."""

    def __init__(
        self,
        window: QMainWindow,
        source: StatusSource,
        dismiss: Callable[[int], None],
        *,
        server_url: str = "",
        insecure: bool = False,
        interval_ms: int = STATUS_INTERVAL_MS,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._source = source
        self._dismiss = dismiss
        self._server_url = server_url
        self._insecure = insecure
        self._problem_ids: tuple[int, ...] = ()
        self._seen_problem_ids: set[int] = set()
        self.last_status: SyncStatus | None = None
        bar = window.statusBar()
        self.pendingLabel = QLabel(bar)
        self.pendingLabel.setObjectName("syncPendingLabel")
        self.lastSyncLabel = QLabel(bar)
        self.lastSyncLabel.setObjectName("syncLastLabel")
        self.problemsButton = QToolButton(bar)
        self.problemsButton.setObjectName("syncProblemsButton")
        self.problemsButton.setAutoRaise(True)
        self.problemsButton.setVisible(False)
        connection = window.findChild(QLabel, "connectionLabel")
        self._connection_label = connection
        # right after the connection state (the other permanent widgets stay where they are)
        for w in (self.pendingLabel, self.lastSyncLabel, self.problemsButton):
            bar.addPermanentWidget(w)
        self.dock = SyncProblemsDock(window)
        bottom = [
            d for d in window.findChildren(QDockWidget)
            if d is not self.dock and window.dockWidgetArea(d) == Qt.DockWidgetArea.BottomDockWidgetArea
        ]
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        if bottom:  # under the other bottom panel (the map), full width, not squeezed beside it
            window.splitDockWidget(bottom[0], self.dock, Qt.Orientation.Vertical)
        self.dock.hide()
        self.dock.sig_case_activated.connect(self.on_case_activated)
        self.dock.sig_dismiss.connect(self.on_dismiss)
        self.problemsButton.clicked.connect(self.show_problems)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.update_now)
        self.timer.start()
        self.update_now()

    def stop(self) -> None:
        self.timer.stop()

    def show_problems(self) -> None:
        self.dock.show()
        self.dock.raise_()

    def state_text(self, state: str) -> str:
        return {ONLINE: self.tr("在线"), DEGRADED: self.tr("连接不稳定"), OFFLINE: self.tr("离线")}.get(state, state)

    def update_now(self) -> None:
        """Read the worker's status and problems (GUI thread) and show them."""
        try:
            st = self._source.status()
            problems = self._source.problems()
        except Exception:  # a status read must never break the window
            log.exception("reading the sync status failed")
            return
        self.last_status = st
        text = self.state_text(st.state)
        tips = [self.tr("服务器：{url}").format(url=self._server_url)]
        if st.state == OFFLINE:
            tips.append(self.tr("服务器无法连接：所有操作照常保存在本机，恢复连接后自动同步。"))
        elif st.state == DEGRADED:
            tips.append(self.tr("服务器应答异常或过慢：正在重试。"))
        if st.error:
            tips.append(self.tr("错误：{error}").format(error=st.error))
        if self._insecure:
            tips.append(self.tr("警告：已关闭 TLS 证书验证"))
        tooltip = "\n".join(tips)
        window: Any = self._window
        window.set_connection_state(text, tooltip)
        if self._connection_label is not None:
            self._connection_label.setStyleSheet(f"color: {STATE_COLOURS.get(st.state, '#8b98a9')};")
            self._connection_label.setProperty("syncState", st.state)
        self.pendingLabel.setText(self.tr("待同步 {n}").format(n=st.pending))
        self.pendingLabel.setToolTip(self.tr("本机已保存、尚未得到服务器确认的操作数"))
        self.pendingLabel.setStyleSheet("color: #e0a030;" if st.pending else "")
        last = fmt_local(st.last_sync, "%H:%M:%S") if st.last_sync else self.tr("尚未同步")
        self.lastSyncLabel.setText(self.tr("上次同步 {t}").format(t=last))
        self.lastSyncLabel.setToolTip(
            fmt_local(st.last_sync, "%Y-%m-%d %H:%M:%S") if st.last_sync else self.tr("尚未与服务器成功同步")
        )
        self.problemsButton.setText(self.tr("同步问题 {n}").format(n=len(problems)))
        self.problemsButton.setToolTip(self.tr("服务器拒绝的操作：点击查看"))
        self.problemsButton.setStyleSheet("color: #ff5c61; font-weight: 600;" if problems else "")
        self.problemsButton.setVisible(bool(problems) or self.dock.isVisible())
        ids = tuple(int(p["id"]) for p in problems)
        if ids != self._problem_ids:
            self._problem_ids = ids
            self.dock.set_problems(problems)
            new = set(ids) - self._seen_problem_ids
            self._seen_problem_ids |= set(ids)
            if new:  # a rejection must not go unnoticed: open the panel and say so
                self.show_problems()
                window.statusBar().showMessage(
                    self.tr("服务器拒绝了 {n} 个操作，详见“同步问题”").format(n=len(new)), 15_000
                )

    def on_case_activated(self, case_id: str) -> None:
        window: Any = self._window
        window.reveal_case(case_id)

    def on_dismiss(self, problem_id: int) -> None:
        try:
            self._dismiss(problem_id)
        except Exception:
            log.exception("dismissing sync problem %s failed", problem_id)
            return
        log.info("sync problem %s dismissed by the operator", problem_id)
        self.update_now()
