"""The live aggregates of a workspace, for the workloads panel, the KPI panel and the wall.

``AggregatesFeed`` owns one ``services.aggregates.Aggregates``: it recounts once, then
listens to ``events.cases_changed`` (any thread), coalesces bursts on the GUI thread and
applies just the changed ids (incremental), then emits ``sig_updated``.  A clock tick
re-emits (overdue / due-soon counts move with time) and recounts after midnight.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt, QTimer, Signal, SignalInstance

from ...services.aggregates import Aggregates
from ...services.events import CasesChanged
from ...services.workspace import Workspace

log = logging.getLogger(__name__)

COALESCE_MS = 100  # at most ~10 updates a second under a burst of changes
TICK_MS = 30_000


class AggregatesFeed(QObject):
    sig_updated = Signal()  # the counters moved (GUI thread)
    _sig_changed = Signal(object)  # CasesChanged, emitted on whatever thread the change came from
    _sig_recounted = Signal(float)  # a background recount is done (its time in ms)

    def __init__(
        self,
        workspace: Workspace,
        parent: QObject | None = None,
        *,
        centres: Sequence[str] = (),
        period_days: int = 1,
        recount: bool = True,
        source: SignalInstance | None = None,
        listen: bool = True,
    ) -> None:
        """``source``: a Qt signal of CasesChanged already on the GUI thread (the main window's
        ``sig_cases_changed``) to follow instead of listening to the workspace itself.
        ``listen`` False: follow nothing; the owner calls ``push(ids)`` (a polling wall)."""
        super().__init__(parent)
        self.workspace = workspace
        self.aggregates = Aggregates(workspace.engine, workspace.ref, workspace.now, centres=centres, period_days=period_days)
        self._pending: set[str] = set()
        self._lock = threading.Lock()
        self._attached = source is None and listen
        self._active = True
        self._stale = not recount  # not counted yet, or changes arrived while inactive: recount when active
        self.last_update_ms = 0.0  # how long the last incremental update took
        self.last_recount_ms = 0.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COALESCE_MS)
        self._timer.timeout.connect(self.flush)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self.on_tick)
        self._sig_recounted.connect(self._on_recounted, Qt.ConnectionType.QueuedConnection)
        if not listen:
            pass
        elif source is None:
            self._sig_changed.connect(self._on_changed, Qt.ConnectionType.QueuedConnection)
            workspace.events.cases_changed.connect(self._forward)
        else:
            source.connect(self._on_changed)
        if recount:
            self.recount()
        self._tick.start()

    # --- plumbing ------------------------------------------------------------------------

    def _forward(self, event: CasesChanged) -> None:
        with self._lock:
            if not self._attached:
                return
            try:
                self._sig_changed.emit(event)
            except RuntimeError:  # the Qt object is gone
                self._attached = False

    def _on_changed(self, event: CasesChanged) -> None:
        if not self._active:
            self._stale = True
            return
        self._pending.update(event.case_ids)
        if not self._timer.isActive():
            self._timer.start()

    def push(self, case_ids: Sequence[str]) -> None:
        """Changed cases found by other means (polling the store): applied like events."""
        self._on_changed(CasesChanged(tuple(case_ids), origin="poll"))

    def flush(self) -> None:
        """Apply the pending changes now (incremental) and tell the panels."""
        self._timer.stop()
        ids, self._pending = self._pending, set()
        if not ids:
            return
        t0 = time.perf_counter()
        try:
            self.aggregates.apply_changes(ids)
        except Exception:
            log.exception("incremental aggregate update failed: recounting")
            self.aggregates.recount()
        self.last_update_ms = (time.perf_counter() - t0) * 1000
        self.sig_updated.emit()

    def recount(self, period_days: int | None = None, *, background: bool = False) -> None:
        """The full recount; ``background``: on a plain thread (~1 s with a million cases), the
        panels keep the old numbers until ``sig_updated``."""
        if not background:
            t0 = time.perf_counter()
            self.aggregates.recount(period_days=period_days)
            self.last_recount_ms = (time.perf_counter() - t0) * 1000
            self.sig_updated.emit()
            return
        if period_days is not None:
            self.aggregates.period_days = period_days  # the selectors show it at once

        def work() -> None:
            t0 = time.perf_counter()
            try:
                self.aggregates.recount(period_days=period_days)
            except Exception:
                log.exception("background recount failed")
                return
            with contextlib.suppress(RuntimeError):  # the feed is gone
                self._sig_recounted.emit((time.perf_counter() - t0) * 1000)

        threading.Thread(target=work, name="aggregates-recount", daemon=True).start()

    def _on_recounted(self, ms: float) -> None:
        self.last_recount_ms = ms
        self.sig_updated.emit()

    def set_active(self, active: bool) -> None:
        """Inactive (nobody looks): changes are not applied; a recount follows re-activation."""
        if active == self._active:
            return
        self._active = active
        if active and self._stale:
            self._stale = False
            self.recount(background=True)

    @property
    def active(self) -> bool:
        return self._active

    def on_tick(self) -> None:
        if not self._active:
            return
        if self.aggregates.needs_recount():
            self.recount(background=True)
        else:
            self.sig_updated.emit()

    def set_period_days(self, days: int) -> None:
        if days != self.aggregates.period_days:
            self.recount(period_days=days, background=True)

    def detach(self) -> None:
        if self._attached:
            self.workspace.events.cases_changed.disconnect(self._forward)
        with self._lock:
            self._attached = False
        self._timer.stop()
        self._tick.stop()
