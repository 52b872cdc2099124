"""The live queue as a Qt table model, paged.

The model holds a *window* of ``services.queries.queue_page`` for its current
``QueueFilter``: the first page (``limit`` rows, 500 by default) and every
further page the view asked for with ``fetchMore()`` as the user scrolled down.
Pages are read by keyset -- the filter's sort key, then the case code (unique)
as the tie-breaker -- so page 200 costs what page 2 costs.  Sorting and
filtering stay in SQL.  Every display string is computed once per row when the
rows are read, so ``data()`` is a role comparison and a tuple lookup.

``set_filter()`` is the only path that resets the model.  Everything else
changes the loaded rows in place -- ``dataChanged`` for changed rows,
``rowsInserted`` for arrivals, ``rowsRemoved`` for departures and
``rowsMoved`` (one per row, the fewest) for rows whose place in the order
changed -- so the view keeps its selection, current index and scroll position,
on page 1 as on page 20:

- ``apply_changes(ids)``, the live path (the window calls it for the coalesced
  ``cases_changed`` events): re-reads only those cases and puts their rows
  where the store's order puts them; its cost follows the number of changes,
  not the number of rows loaded.
- ``refresh()`` (F5, the clock tick): re-queries the loaded window -- the rows
  up to the position of the last loaded row -- as (id, version, code, sort key)
  and reads full rows only for the cases that are new or changed.

Rows whose case did not change are kept; their countdown and SLA state are
recomputed only when the clock reaches the instant they change.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from ...domain.enums import OPEN_STATUSES, Priority, SlaState, Source, Status
from ...domain.org import Reference
from ...domain.sla import sla_state_of
from ...domain.timeutil import countdown, fmt_local, from_epoch, to_epoch
from ...services import queries
from ...services.queries import QueueFilter, QueueKey, queue_key
from ...services.workspace import Workspace

log = logging.getLogger(__name__)

# Roles as plain ints, bound once: enum attribute lookups in data() are slow.
DISPLAY_ROLE = int(Qt.ItemDataRole.DisplayRole)
TOOLTIP_ROLE = int(Qt.ItemDataRole.ToolTipRole)
FONT_ROLE = int(Qt.ItemDataRole.FontRole)
BACKGROUND_ROLE = int(Qt.ItemDataRole.BackgroundRole)
FOREGROUND_ROLE = int(Qt.ItemDataRole.ForegroundRole)
ALIGNMENT_ROLE = int(Qt.ItemDataRole.TextAlignmentRole)
SIZE_HINT_ROLE = int(Qt.ItemDataRole.SizeHintRole)
USER_ROLE = int(Qt.ItemDataRole.UserRole)
CASE_ID_ROLE = USER_ROLE + 1  # the case id (str), on every column
SLA_ROLE = USER_ROLE + 2  # the SlaState of the row
NEW_ROLE = USER_ROLE + 3  # True while a newly created case has not been opened
STATUS_ROLE = USER_ROLE + 4  # the Status of the row

_HORIZONTAL = Qt.Orientation.Horizontal
_ALIGN_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_ALIGN_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

# Columns, in order.
COL_CODE, COL_TITLE, COL_STATUS, COL_PRIORITY, COL_SOURCE = range(5)
COL_CATEGORY, COL_OWNER, COL_ADDRESS, COL_CREATED, COL_DEADLINE = range(5, 10)
COLUMN_COUNT = 10

# The sort key of services.queries.SORT_KEYS behind each column (None: not sortable).
COLUMN_SORT_KEYS: tuple[str | None, ...] = (
    "code",
    "title",
    "status",
    "priority",
    None,
    "category",
    "department",
    None,
    "created",
    "deadline",
)

_COLOURED_COLUMNS = frozenset({COL_TITLE, COL_PRIORITY})  # the priority text colour goes here

NEW_MARKER = "● "  # prefixed to the code of a case created since it was last opened
DEFAULT_LIMIT = 500  # rows per page

# SLA tints (translucent, so they read on the dark and the light theme) and
# priority text colours, per theme.
_SLA_TINTS = {
    SlaState.DUE_SOON: QColor(245, 166, 35, 70),  # amber
    SlaState.OVERDUE: QColor(229, 72, 77, 90),  # red
}
_PRIORITY_COLOURS_DARK = {Priority.CRITICAL: QColor("#ff5c61"), Priority.URGENT: QColor("#f5a623")}
_PRIORITY_COLOURS_LIGHT = {Priority.CRITICAL: QColor("#c8102e"), Priority.URGENT: QColor("#a85a00")}


def row_sla_state(row: Mapping[str, Any], now_epoch: int) -> SlaState:
    """The SLA state of a queue row (epoch-second times): the domain's rule."""
    return sla_state_of(row["status"], row["suspended"], row["stage_deadline"], row["due_soon_at"], now_epoch)


_OPEN_VALUES = frozenset(s.value for s in OPEN_STATUSES)


def _label(enum: Any, value: str) -> str:
    try:
        return str(enum(value).label)
    except ValueError:
        return value


class _Row:
    """One precomputed queue row: what data() hands out, per column and role."""

    __slots__ = (
        "case_id",
        "display",
        "due_soon_at",
        "font",
        "is_new",
        "key",
        "pos",
        "priority",
        "sla",
        "stage_deadline",
        "status",
        "suspended",
        "tooltip",
        "valid_until",
        "version",
    )

    def __init__(
        self,
        case_id: str,
        display: tuple[str, ...],
        tooltip: str,
        sla: SlaState,
        status: Status | None,
        priority: Priority | None,
        is_new: bool,
        version: int,
        bold: QFont,
        pos: QueueKey,
        live: tuple[bool, int | None, int | None],
        now_ts: float,
    ) -> None:
        self.case_id = case_id
        self.display = display
        self.tooltip = tooltip
        self.sla = sla
        self.status = status
        self.priority = priority
        self.is_new = is_new
        self.version = version
        self.font = bold if is_new else None
        self.pos = pos  # (sort-key value, case code): the row's place in the keyset order
        # what the countdown and the SLA state are computed from
        self.suspended, self.stage_deadline, self.due_soon_at = live
        # until when (epoch seconds) the countdown text and the SLA state stay as they are
        self.valid_until = self._valid_until(now_ts)
        # what makes two rows of the same case look the same
        self.key = (version, display, sla, is_new, priority)

    def _valid_until(self, t: float) -> float:
        """The next instant the countdown (minutes, as timeutil.countdown shows them) or the
        SLA state (due-soon and deadline instants) may change, from time ``t``."""
        d = self.stage_deadline
        if d is None or self.suspended or self.status is None or self.status.value not in _OPEN_VALUES:
            return math.inf  # no countdown, no SLA state: nothing moves with the clock
        left = d - t
        minutes = int(abs(left)) // 60
        until = d - minutes * 60 if left >= 0 else d + (minutes + 1) * 60
        due = self.due_soon_at
        if due is not None and t < due:
            until = min(until, due)
        return until

    def sla_at(self, now_epoch: int) -> SlaState:
        if self.status is None or self.status.value not in _OPEN_VALUES or self.suspended:
            return SlaState.NONE
        if self.stage_deadline is None:
            return SlaState.NONE
        if now_epoch >= self.stage_deadline:
            return SlaState.OVERDUE
        if self.due_soon_at is not None and now_epoch >= self.due_soon_at:
            return SlaState.DUE_SOON
        return SlaState.NORMAL


class QueueModel(QAbstractTableModel):
    """The rows of one queue filter, a page at a time; see the module docstring."""

    sig_refreshed = Signal()  # after every refresh(), apply_changes(), set_filter() and fetchMore()

    def __init__(self, workspace: Workspace, parent: Any = None, limit: int = DEFAULT_LIMIT) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._ref: Reference = workspace.ref
        self._limit = max(1, limit)
        self._filter = QueueFilter()
        self._rows: list[_Row] = []
        self._index: dict[str, int] = {}
        self._index_dirty = False
        # Are there rows after the loaded window, and the keyset position the window ends at
        # (None when every row of the filter is loaded).
        self._more = False
        self._boundary: QueueKey | None = None
        self._nulls_first = True
        self._new_ids: dict[str, None] = {}  # insertion-ordered set, bounded below
        self._bold = QFont()
        self._bold.setBold(True)
        self._background: dict[object, QBrush] = {k: QBrush(v) for k, v in _SLA_TINTS.items()}
        self._foreground: dict[object, QBrush] = {}
        self.set_dark(True)
        self.retranslate()
        self.last_refresh: datetime | None = None
        # what the last sig_refreshed was for: "filter", "refresh", "changes" or "fetch"
        self.last_change = "filter"

    # --- the public API -----------------------------------------------------------

    @property
    def filter(self) -> QueueFilter:
        return self._filter

    @property
    def limit(self) -> int:
        """Rows per page."""
        return self._limit

    @property
    def more(self) -> bool:
        """True while the filter has rows beyond the loaded ones (fetchMore() loads them)."""
        return self._more

    def set_filter(self, f: QueueFilter) -> None:
        """Show another filter, from its first page: the one place the model is reset."""
        page = self._limit
        now = self._ws.now()
        with self._ws.read() as conn:
            raw = queries.queue_page(conn, f, now, limit=page + 1)
        more = len(raw) > page
        del raw[page:]
        rows = self._make_rows(raw, now)
        self.beginResetModel()
        self._filter = f
        # where NULL sort keys go: first ascending on SQLite (NULL is the smallest value), last on PostgreSQL
        self._nulls_first = (self._ws.engine.dialect.name != "postgresql") != f.descending
        self._rows = rows
        self._more = more
        self._boundary = rows[-1].pos if more else None
        self._index_dirty = True
        self.endResetModel()
        self.last_change = "filter"
        self.sig_refreshed.emit()

    def refresh(self) -> None:
        """Re-query the loaded window and apply the difference row by row (never a reset)."""
        self._apply(self._fetch_window())
        self.last_change = "refresh"
        self.sig_refreshed.emit()

    def apply_changes(self, case_ids: Iterable[str]) -> None:
        """Live changes of these cases (the workspace's cases_changed): re-read only them and
        update, move, insert or remove their rows in the loaded window (never a reset); the
        other loaded rows only have their countdown and SLA state brought up to now.  The cost
        follows the number of changes, not the number of rows loaded.  A change nobody
        announced (another process writing the store) shows at the next refresh()."""
        ids = list(dict.fromkeys(case_ids))
        now = self._ws.now()
        fresh: dict[str, dict[str, Any]] = {}
        if ids:
            with self._ws.read() as conn:
                fresh = queries.queue_rows_of(conn, self._filter, now, ids)
        self.last_refresh = now
        n = to_epoch(now) or 0
        rows, root, last_col = self._rows, QModelIndex(), COLUMN_COUNT - 1
        index = self._index_map()
        old_pos = {cid: rows[i].pos for cid in ids if (i := index.get(cid, -1)) >= 0}
        for cid in ids:
            r = fresh.get(cid)
            pos: QueueKey | None = (r["sort_key"], r["code"]) if r is not None else None
            if pos is not None and self._more and self._boundary is not None and self._precedes(self._boundary, pos):
                pos = None  # it now sorts after the loaded rows: the next page has it
            i = self._locate(cid, old_pos[cid]) if cid in old_pos else -1
            if i < 0 and pos is None:
                continue
            if pos is None:
                self.beginRemoveRows(root, i, i)
                del rows[i]
                self._index_dirty = True
                self.endRemoveRows()
                continue
            assert r is not None
            row = self._make_row(r, now, n, pos)
            j = self._bisect(pos)  # among the rows as they are, the old one included
            if i < 0:
                self.beginInsertRows(root, j, j)
                rows.insert(j, row)
                self._index_dirty = True
                self.endInsertRows()
                continue
            old = rows[i]
            if j not in (i, i + 1):
                self.beginMoveRows(root, i, i, root, j)
                rows.pop(i)
                i = j - 1 if j > i else j
                rows.insert(i, old)
                self._index_dirty = True
                self.endMoveRows()
            rows[i] = row
            if old.key != row.key:
                self.dataChanged.emit(self.index(i, 0), self.index(i, last_col))
        # the others: the clock moved on
        t = now.timestamp()
        for i, old in enumerate(rows):
            if t >= old.valid_until:
                row = self._retimed(old, now, n)
                if row is not old:
                    rows[i] = row
                    self.dataChanged.emit(self.index(i, 0), self.index(i, last_col))
        if self._more and len(rows) < self._limit:  # rows left the window: pull the next ones in
            self._apply(self._fetch_window())
        self.last_change = "changes"
        self.sig_refreshed.emit()

    def case_id(self, row: int) -> str | None:
        return self._rows[row].case_id if 0 <= row < len(self._rows) else None

    def case_ids(self) -> list[str]:
        return [r.case_id for r in self._rows]

    def row_of(self, case_id: str) -> int:
        return self._index_map().get(case_id, -1)

    def is_new(self, case_id: str) -> bool:
        return case_id in self._new_ids

    def mark_new(self, case_ids: Iterable[str]) -> None:
        """Highlight these (newly created) cases until they are opened."""
        for cid in case_ids:
            self._new_ids[cid] = None
        while len(self._new_ids) > 2000:  # a long shift: forget the oldest
            del self._new_ids[next(iter(self._new_ids))]
        # rows already shown pick the highlight up on the next refresh()

    def retranslate(self) -> None:
        """Take the headers and the model's own texts from the current translator (the window
        calls this on LanguageChange, then re-applies its filter, which re-makes the rows)."""
        self._headers = [
            self.tr("编号"),
            self.tr("标题"),
            self.tr("状态"),
            self.tr("紧急程度"),
            self.tr("来源"),
            self.tr("分类"),
            self.tr("所属中心/部门"),
            self.tr("地址"),
            self.tr("上报时间"),
            self.tr("时限"),
        ]
        self._flag_labels = (self.tr("督办"), self.tr("挂账"), self.tr("已上报"))
        self._suspended_text = self.tr("挂账中")
        self._uncategorised = self.tr("未分类")

    def set_dark(self, dark: bool) -> None:
        """Use the priority text colours of the dark (default) or the light theme."""
        colours = _PRIORITY_COLOURS_DARK if dark else _PRIORITY_COLOURS_LIGHT
        self._foreground = {k: QBrush(v) for k, v in colours.items()}
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, COLUMN_COUNT - 1), [FOREGROUND_ROLE]
            )

    def mark_seen(self, case_id: str) -> None:
        """The case was opened: drop its highlight."""
        if case_id in self._new_ids:
            del self._new_ids[case_id]
            row = self.row_of(case_id)
            if row >= 0:
                old = self._rows[row]
                self._rows[row] = self._make_row_from_display(old, is_new=False)
                self.dataChanged.emit(self.index(row, 0), self.index(row, COLUMN_COUNT - 1))

    # --- Qt model interface -------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else COLUMN_COUNT

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> bool:
        return self._more and not (parent is not None and parent.isValid())

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> None:
        """Append the next page (the view calls this when the user scrolls to the bottom)."""
        if not self.canFetchMore(parent) or self._boundary is None:
            return
        page = self._limit
        now = self._ws.now()
        with self._ws.read() as conn:
            raw = queries.queue_page(conn, self._filter, now, limit=page + 1, after=self._boundary)
        more = len(raw) > page
        del raw[page:]
        index = self._index_map()
        # a case whose sort key changed since the last refresh may be loaded already: the
        # next refresh() puts it in its place
        rows = self._make_rows([r for r in raw if r["id"] not in index], now)
        self._more = more
        self._boundary = queue_key(raw[-1]) if more else None
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self._index_dirty = True
            self.endInsertRows()
        self.last_change = "fetch"
        self.sig_refreshed.emit()

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = DISPLAY_ROLE) -> Any:
        row = self._rows[index.row()]
        if role == DISPLAY_ROLE:
            return row.display[index.column()]
        if role == BACKGROUND_ROLE:
            return self._background.get(row.sla)
        if role == FOREGROUND_ROLE:
            col = index.column()
            return self._foreground.get(row.priority) if col in _COLOURED_COLUMNS else None
        if role == FONT_ROLE:
            return row.font
        if role == CASE_ID_ROLE:
            return row.case_id
        if role == TOOLTIP_ROLE:
            return row.tooltip
        if role == SLA_ROLE:
            return row.sla
        if role == NEW_ROLE:
            return row.is_new
        if role == STATUS_ROLE:
            return row.status
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY_ROLE) -> Any:
        if orientation == _HORIZONTAL and 0 <= section < COLUMN_COUNT:
            if role == DISPLAY_ROLE:
                return self._headers[section]
            if role == ALIGNMENT_ROLE:
                return _ALIGN_LEFT
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # --- rows ---------------------------------------------------------------------

    def _precedes(self, a: QueueKey, b: QueueKey) -> bool:
        """True if position ``a`` comes before ``b`` in the filter's order, as the store sorts:
        the sort key either way (NULLs where the store puts them), then the code ascending.
        Text compares as SQLite's BINARY collation does (UTF-8 byte order = code point order)."""
        ka, kb = a[0], b[0]
        if ka != kb:
            if ka is None:
                return self._nulls_first
            if kb is None:
                return not self._nulls_first
            return bool(ka > kb) if self._filter.descending else bool(ka < kb)
        return a[1] < b[1]

    def _bisect(self, pos: QueueKey) -> int:
        """The index of the first loaded row that does not come before ``pos``."""
        rows = self._rows
        lo, hi = 0, len(rows)
        while lo < hi:
            mid = (lo + hi) // 2
            if self._precedes(rows[mid].pos, pos):
                lo = mid + 1
            else:
                hi = mid
        return lo

    def _locate(self, case_id: str, pos: QueueKey) -> int:
        """The index of a loaded row, from its position (the rows are in position order)."""
        i = self._bisect(pos)
        if i < len(self._rows) and self._rows[i].case_id == case_id:
            return i
        return next((k for k, r in enumerate(self._rows) if r.case_id == case_id), -1)

    def _index_map(self) -> dict[str, int]:
        if self._index_dirty:
            self._index = {r.case_id: i for i, r in enumerate(self._rows)}
            self._index_dirty = False
        return self._index

    def _fetch_window(self) -> list[_Row]:
        """The loaded window as it is now: every row up to the window's end position (plus
        arrivals, at most a page more), topped up to a page when rows left it.

        The window is re-queried as (id, version, code, sort key) only; full rows are read
        for the cases that are new in it or changed since they were read, and the others
        are kept (their countdown and SLA state brought up to now)."""
        page = self._limit
        f = self._filter
        now = self._ws.now()
        with self._ws.read() as conn:
            if self._more and self._boundary is not None:
                cap = len(self._rows) + page
                keys = queries.queue_page_keys(conn, f, now, limit=cap + 1, upto=self._boundary)
                if len(keys) > cap:  # a burst of arrivals inside the window: it ends earlier
                    del keys[cap:]
                    self._boundary = (keys[-1][3], keys[-1][2])
                elif len(keys) < page:  # rows left the window: pull the next ones in
                    need = page - len(keys)
                    extra = queries.queue_page_keys(conn, f, now, limit=need + 1, after=self._boundary)
                    self._more = len(extra) > need
                    keys += extra[:need]
                    self._boundary = (keys[-1][3], keys[-1][2]) if self._more and keys else None
            else:
                cap = max(len(self._rows), page)
                keys = queries.queue_page_keys(conn, f, now, limit=cap + 1)
                self._more = len(keys) > cap
                del keys[cap:]
                self._boundary = (keys[-1][3], keys[-1][2]) if self._more else None
            index, rows = self._index_map(), self._rows
            stale = [k[0] for k in keys if (i := index.get(k[0], -1)) < 0 or rows[i].version != k[1]]
            fresh = queries.rows_by_ids(conn, stale) if stale else {}
        self.last_refresh = now
        n = to_epoch(now) or 0
        new_ids = self._new_ids
        out: list[_Row] = []
        for cid, _version, code, sort_key in keys:
            pos: QueueKey = (sort_key, code)
            r = fresh.get(cid)
            if r is not None:
                out.append(self._make_row(r, now, n, pos))
                continue
            old = rows[index[cid]]
            if old.is_new != (cid in new_ids):  # marked new after it was read
                old = self._make_row_from_display(old, is_new=cid in new_ids)
            row = self._retimed(old, now, n)
            row.pos = pos
            out.append(row)
        return out

    def _make_rows(self, raw: list[dict[str, Any]], now: datetime) -> list[_Row]:
        """Rows for queue_page results."""
        self.last_refresh = now
        n = to_epoch(now) or 0
        return [self._make_row(r, now, n) for r in raw]

    def _limit_text(self, status_value: str, suspended: bool, stage_deadline: int | None, now: datetime) -> str:
        if status_value not in _OPEN_VALUES:
            return ""
        if suspended:
            return self._suspended_text
        return countdown(from_epoch(stage_deadline), now)

    def _retimed(self, old: _Row, now: datetime, now_epoch: int) -> _Row:
        """``old`` with its countdown and SLA state at ``now`` (``old`` itself if they did not move)."""
        if now.timestamp() < old.valid_until:
            return old
        sla = old.sla_at(now_epoch)
        status_value = old.status.value if old.status is not None else ""
        text = self._limit_text(status_value, old.suspended, old.stage_deadline, now)
        if sla is old.sla and text == old.display[COL_DEADLINE]:
            old.valid_until = old._valid_until(now.timestamp())
            return old
        display = (*old.display[:COL_DEADLINE], text, *old.display[COL_DEADLINE + 1 :])
        return _Row(
            old.case_id, display, old.tooltip, sla, old.status, old.priority, old.is_new, old.version,
            self._bold, old.pos, (old.suspended, old.stage_deadline, old.due_soon_at), now.timestamp(),
        )

    def _make_row(self, r: Mapping[str, Any], now: datetime, now_epoch: int, pos: QueueKey | None = None) -> _Row:
        ref = self._ref
        cid: str = r["id"]
        is_new = cid in self._new_ids
        try:
            status: Status | None = Status(r["status"])
        except ValueError:
            status = None
        try:
            priority: Priority | None = Priority(r["priority"])
        except ValueError:
            priority = None
        sla = row_sla_state(r, now_epoch)

        status_text = status.label if status is not None else str(r["status"])
        flags = [lab for on, lab in zip((r["supervised"], r["suspended"], r["escalated"]), self._flag_labels, strict=True) if on]
        if flags:
            status_text = " · ".join([status_text, *flags])

        cat = ref.categories.get(r["category_code"] or "")
        dept = ref.departments.get(r["department_code"] or "")
        if dept is not None:
            owner = dept.short_name or dept.name
        else:
            centre = ref.centres.get(r["centre_code"])
            owner = centre.name if centre is not None else str(r["centre_code"])

        code = r["code"]
        display = (
            NEW_MARKER + code if is_new else code,
            r["title"],
            status_text,
            priority.label if priority is not None else str(r["priority"]),
            _label(Source, r["source"]),
            cat.name if cat is not None else self._uncategorised,
            owner,
            r["address"] or "",
            fmt_local(from_epoch(r["created_at"]), "%m-%d %H:%M"),
            self._limit_text(r["status"], bool(r["suspended"]), r["stage_deadline"], now),
        )
        tooltip = f"{code}  {r['title']}\n{r['address'] or ''}".rstrip()
        if pos is None:
            pos = (r["sort_key"], code)
        live = (bool(r["suspended"]), r["stage_deadline"], r["due_soon_at"])
        return _Row(
            cid, display, tooltip, sla, status, priority, is_new, int(r["version"]), self._bold, pos, live,
            now.timestamp(),
        )

    def _make_row_from_display(self, old: _Row, *, is_new: bool) -> _Row:
        code = old.display[COL_CODE].removeprefix(NEW_MARKER)
        display = (NEW_MARKER + code if is_new else code, *old.display[1:])
        row = _Row(
            old.case_id, display, old.tooltip, old.sla, old.status, old.priority, is_new, old.version,
            self._bold, old.pos, (old.suspended, old.stage_deadline, old.due_soon_at), 0.0,
        )
        row.valid_until = old.valid_until  # the same countdown and SLA state as old's
        return row

    def _move_into_order(self, order: list[str]) -> None:
        """Reorder the rows (the same cases as ``order``) into ``order`` with the fewest
        single-row moves: the rows on a longest increasing subsequence stay, each other row
        moves once, to just after the row that precedes it in ``order``."""
        rows = self._rows
        rank = {cid: i for i, cid in enumerate(order)}
        seq = [rank[r.case_id] for r in rows]
        if all(x < y for x, y in pairwise(seq)):
            return
        # patience sorting: tails[k] = index into seq of the smallest tail of a run of length k+1
        tails: list[int] = []
        prev = [-1] * len(seq)
        for i, v in enumerate(seq):
            lo, hi = 0, len(tails)
            while lo < hi:
                mid = (lo + hi) // 2
                if seq[tails[mid]] < v:
                    lo = mid + 1
                else:
                    hi = mid
            prev[i] = tails[lo - 1] if lo else -1
            if lo == len(tails):
                tails.append(i)
            else:
                tails[lo] = i
        keep: set[str] = set()
        k = tails[-1] if tails else -1
        while k >= 0:
            keep.add(rows[k].case_id)
            k = prev[k]
        root = QModelIndex()
        for n, cid in enumerate(order):
            if cid in keep:
                continue
            src = next(i for i, r in enumerate(rows) if r.case_id == cid)
            dest = 0 if n == 0 else next(i for i, r in enumerate(rows) if r.case_id == order[n - 1]) + 1
            if dest in (src, src + 1):
                keep.add(cid)
                continue
            self.beginMoveRows(root, src, src, root, dest)
            row = rows.pop(src)
            rows.insert(dest - 1 if dest > src else dest, row)
            self._index_dirty = True
            self.endMoveRows()
            keep.add(cid)

    def _apply(self, new_rows: list[_Row]) -> None:
        """Turn the current rows into ``new_rows`` with removes, moves, inserts and dataChanged."""
        root = QModelIndex()
        rows = self._rows
        wanted = {r.case_id for r in new_rows}

        # 1. departures, bottom-up in contiguous runs
        i = len(rows) - 1
        while i >= 0:
            if rows[i].case_id in wanted:
                i -= 1
                continue
            j = i
            while j > 0 and rows[j - 1].case_id not in wanted:
                j -= 1
            self.beginRemoveRows(root, j, i)
            del rows[j : i + 1]
            self._index_dirty = True
            self.endRemoveRows()
            i = j - 1

        # 2. moves: the rows outside a longest run already in the target order move, once each
        present = {r.case_id for r in rows}
        self._move_into_order([r.case_id for r in new_rows if r.case_id in present])

        # 3. walk the target order: keep, update, or insert runs of arrivals
        last_col = COLUMN_COUNT - 1
        pos = 0
        while pos < len(new_rows):
            target = new_rows[pos]
            cur = rows[pos] if pos < len(rows) else None
            if cur is not None and cur.case_id == target.case_id:
                if cur is not target:
                    rows[pos] = target
                    if cur.key != target.key:
                        self.dataChanged.emit(self.index(pos, 0), self.index(pos, last_col))
                pos += 1
                continue
            assert target.case_id not in present  # step 2 put the present rows in order
            end = pos + 1
            while end < len(new_rows) and new_rows[end].case_id not in present:
                end += 1
            self.beginInsertRows(root, pos, end - 1)
            rows[pos:pos] = new_rows[pos:end]
            self._index_dirty = True
            self.endInsertRows()
            present.update(r.case_id for r in new_rows[pos:end])
            pos = end
        assert len(rows) == len(new_rows)


class BackgroundReader(QObject):
    """Runs read-only work on one worker thread and hands each result to its callback on
    the GUI thread.  At most one piece of work runs at a time; requests made meanwhile are
    coalesced (the newest wins).  sqlite3 releases the GIL while a statement runs, so a
    30-90 ms count over the store does not hold up the event loop.

    The window uses it for the tab counts on the live path (10 refreshes a second under a
    burst of changes); a filter change, F5 and the clock tick still count synchronously.
    """

    _sig_result = Signal(object)  # (callback, result), emitted on the worker thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._pending: tuple[Callable[[], Any], Callable[[Any], None]] | None = None
        self._thread: threading.Thread | None = None  # started once, then waits for work
        self._running = False
        self._closed = False
        self._sig_result.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def submit(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        """Run ``work()`` on the worker thread, then ``done(result)`` on this object's thread."""
        with self._lock:
            if self._closed:
                return
            self._pending = (work, done)
            if self._thread is None:  # one thread for the reader's life: starting one costs the GUI thread
                self._thread = threading.Thread(target=self._run, name="queue-counts", daemon=True)
                self._thread.start()
            self._wake.notify()

    @property
    def busy(self) -> bool:
        with self._lock:
            return self._running or self._pending is not None

    def close(self, timeout: float = 5.0) -> None:
        """Drop what is pending, wait for the running work; no callback runs afterwards."""
        with self._lock:
            self._closed = True
            self._pending = None
            thread = self._thread
            self._wake.notify()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._lock:
                while self._pending is None and not self._closed:
                    self._wake.wait()
                if self._closed:
                    return
                job, self._pending = self._pending, None
                self._running = True
            assert job is not None
            work, done = job
            try:
                result = work()
            except Exception:  # a failed count must never break the window; the next one retries
                log.exception("background read failed")
                continue
            finally:
                with self._lock:
                    self._running = False
            try:
                self._sig_result.emit((done, result))
            except RuntimeError:  # the Qt object is gone
                return

    def _deliver(self, item: tuple[Callable[[Any], None], Any]) -> None:
        if not self._closed:
            done, result = item
            done(result)
