"""The live queue as a Qt table model.

The model holds the first page (``limit`` rows, 500 by default) of
``services.queries.queue`` for its current ``QueueFilter``.  Every display string
is computed once per row when the rows are fetched, so ``data()`` is a role
comparison and a list lookup.

``set_filter()`` is the only path that resets the model.  A live change goes
through ``refresh()``, which re-queries and diffs by case id: changed rows get
``dataChanged``, arrivals ``rowsInserted``, departures ``rowsRemoved`` and rows
whose place in the sort order changed ``rowsMoved`` -- so the view keeps its
selection, current index and scroll position.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from ...domain.enums import OPEN_STATUSES, Priority, SlaState, Source, Status
from ...domain.org import Reference
from ...domain.timeutil import countdown, fmt_local, from_epoch, to_epoch
from ...services import queries
from ...services.queries import QueueFilter
from ...services.workspace import Workspace

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
DEFAULT_LIMIT = 500

# SLA tints (translucent, so they read on the dark and the light theme) and
# priority text colours, per theme.
_SLA_TINTS = {
    SlaState.DUE_SOON: QColor(245, 166, 35, 70),  # amber
    SlaState.OVERDUE: QColor(229, 72, 77, 90),  # red
}
_PRIORITY_COLOURS_DARK = {Priority.CRITICAL: QColor("#ff5c61"), Priority.URGENT: QColor("#f5a623")}
_PRIORITY_COLOURS_LIGHT = {Priority.CRITICAL: QColor("#c8102e"), Priority.URGENT: QColor("#a85a00")}


def sla_state_of(row: Mapping[str, Any], now_epoch: int) -> SlaState:
    """The SLA state of a queue row (epoch-second times), as Case.sla_state computes it."""
    if row["status"] not in _OPEN_VALUES or row["suspended"] or row["stage_deadline"] is None:
        return SlaState.NONE
    if now_epoch >= row["stage_deadline"]:
        return SlaState.OVERDUE
    due = row["due_soon_at"]
    if due is not None and now_epoch >= due:
        return SlaState.DUE_SOON
    return SlaState.NORMAL


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
        "font",
        "is_new",
        "key",
        "priority",
        "sla",
        "status",
        "tooltip",
    )

    def __init__(
        self,
        case_id: str,
        display: list[str],
        tooltip: str,
        sla: SlaState,
        status: Status | None,
        priority: Priority | None,
        is_new: bool,
        version: int,
        bold: QFont,
    ) -> None:
        self.case_id = case_id
        self.display = display
        self.tooltip = tooltip
        self.sla = sla
        self.status = status
        self.priority = priority
        self.is_new = is_new
        self.font = bold if is_new else None
        # what makes two rows of the same case look the same
        self.key = (version, tuple(display), sla, is_new, priority)


class QueueModel(QAbstractTableModel):
    """The rows of one queue filter; see the module docstring."""

    sig_refreshed = Signal()  # after every refresh() and set_filter()

    def __init__(self, workspace: Workspace, parent: Any = None, limit: int = DEFAULT_LIMIT) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._ref: Reference = workspace.ref
        self._limit = limit
        self._filter = QueueFilter()
        self._rows: list[_Row] = []
        self._index: dict[str, int] = {}
        self._new_ids: dict[str, None] = {}  # insertion-ordered set, bounded below
        self._bold = QFont()
        self._bold.setBold(True)
        self._background: dict[object, QBrush] = {k: QBrush(v) for k, v in _SLA_TINTS.items()}
        self._foreground: dict[object, QBrush] = {}
        self.set_dark(True)
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
        self.last_refresh: datetime | None = None

    # --- the public API -----------------------------------------------------------

    @property
    def filter(self) -> QueueFilter:
        return self._filter

    @property
    def limit(self) -> int:
        return self._limit

    def set_filter(self, f: QueueFilter) -> None:
        """Show another filter: the one place the model is reset."""
        rows = self._fetch(f)
        self.beginResetModel()
        self._filter = f
        self._rows = rows
        self._reindex()
        self.endResetModel()
        self.sig_refreshed.emit()

    def refresh(self) -> None:
        """Re-query the current filter and apply the difference row by row (never a reset)."""
        self._apply(self._fetch(self._filter))
        self.sig_refreshed.emit()

    def case_id(self, row: int) -> str | None:
        return self._rows[row].case_id if 0 <= row < len(self._rows) else None

    def case_ids(self) -> list[str]:
        return [r.case_id for r in self._rows]

    def row_of(self, case_id: str) -> int:
        return self._index.get(case_id, -1)

    def is_new(self, case_id: str) -> bool:
        return case_id in self._new_ids

    def mark_new(self, case_ids: Iterable[str]) -> None:
        """Highlight these (newly created) cases until they are opened."""
        for cid in case_ids:
            self._new_ids[cid] = None
        while len(self._new_ids) > 2000:  # a long shift: forget the oldest
            del self._new_ids[next(iter(self._new_ids))]
        # rows already shown pick the highlight up on the next refresh()

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
            row = self._index.get(case_id, -1)
            if row >= 0:
                old = self._rows[row]
                self._rows[row] = self._make_row_from_display(old, is_new=False)
                self.dataChanged.emit(self.index(row, 0), self.index(row, COLUMN_COUNT - 1))

    # --- Qt model interface -------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else COLUMN_COUNT

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

    def _fetch(self, f: QueueFilter) -> list[_Row]:
        now = self._ws.now()
        with self._ws.read() as conn:
            raw = queries.queue(conn, f, now, limit=self._limit)
        self.last_refresh = now
        n = to_epoch(now) or 0
        return [self._make_row(r, now, n) for r in raw]

    def _make_row(self, r: Mapping[str, Any], now: datetime, now_epoch: int) -> _Row:
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
        sla = sla_state_of(r, now_epoch)

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

        if r["suspended"] and r["status"] in _OPEN_VALUES:
            limit_text = self._suspended_text
        elif r["status"] in _OPEN_VALUES:
            limit_text = countdown(from_epoch(r["stage_deadline"]), now)
        else:
            limit_text = ""

        code = r["code"]
        display = [
            NEW_MARKER + code if is_new else code,
            r["title"],
            status_text,
            priority.label if priority is not None else str(r["priority"]),
            _label(Source, r["source"]),
            cat.name if cat is not None else self._uncategorised,
            owner,
            r["address"] or "",
            fmt_local(from_epoch(r["created_at"]), "%m-%d %H:%M"),
            limit_text,
        ]
        tooltip = f"{code}  {r['title']}\n{r['address'] or ''}".rstrip()
        return _Row(cid, display, tooltip, sla, status, priority, is_new, int(r["version"]), self._bold)

    def _make_row_from_display(self, old: _Row, *, is_new: bool) -> _Row:
        display = list(old.display)
        code = display[COL_CODE].removeprefix(NEW_MARKER)
        display[COL_CODE] = NEW_MARKER + code if is_new else code
        return _Row(
            old.case_id, display, old.tooltip, old.sla, old.status, old.priority, is_new, old.key[0], self._bold
        )

    def _reindex(self) -> None:
        self._index = {r.case_id: i for i, r in enumerate(self._rows)}

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
            self._reindex()
            self.endRemoveRows()
            i = j - 1

        # 2. walk the target order: keep, update, move up, or insert runs of arrivals
        present = {r.case_id for r in rows}
        last_col = COLUMN_COUNT - 1
        pos = 0
        while pos < len(new_rows):
            target = new_rows[pos]
            cur = rows[pos] if pos < len(rows) else None
            if cur is not None and cur.case_id == target.case_id:
                if cur.key != target.key:
                    rows[pos] = target
                    self.dataChanged.emit(self.index(pos, 0), self.index(pos, last_col))
                pos += 1
                continue
            if target.case_id in present:
                j = next(k for k in range(pos + 1, len(rows)) if rows[k].case_id == target.case_id)
                self.beginMoveRows(root, j, j, root, pos)
                moved = rows.pop(j)
                rows.insert(pos, moved)
                self._reindex()
                self.endMoveRows()
                if moved.key != target.key:
                    rows[pos] = target
                    self.dataChanged.emit(self.index(pos, 0), self.index(pos, last_col))
                pos += 1
                continue
            end = pos + 1
            while end < len(new_rows) and new_rows[end].case_id not in present:
                end += 1
            self.beginInsertRows(root, pos, end - 1)
            rows[pos:pos] = new_rows[pos:end]
            self._reindex()
            self.endInsertRows()
            present.update(r.case_id for r in new_rows[pos:end])
            pos = end
        assert len(rows) == len(new_rows)
