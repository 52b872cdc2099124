"""Small helpers shared by the workloads, KPI and wall panels."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QTableWidgetItem

from ...domain.org import Reference
from ..i18n import QT_TRANSLATE_NOOP

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2

# (days, label) of the time-range selector
PERIODS = (
    (1, QT_TRANSLATE_NOOP("Workloads", "今天")[1]),
    (7, QT_TRANSLATE_NOOP("Workloads", "近7天")[1]),
    (30, QT_TRANSLATE_NOOP("Workloads", "近30天")[1]),
)


def tr(text: str) -> str:
    return QCoreApplication.translate("Workloads", text)


def group_name(ref: Reference, grouping: str, key: str) -> str:
    """The display name of a department, township or category (大类) code."""
    if grouping == "department":  # the full name: short names repeat across townships
        d = ref.departments.get(key)
        return d.name if d is not None else key
    if grouping == "township":
        u = ref.org_units.get(key)
        return u.name if u is not None else key
    if grouping == "category":
        c = ref.categories.get(key)
        return c.name if c is not None else key
    return key


def fmt_rate(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


def fmt_hours(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f}"


class SortItem(QTableWidgetItem):
    """A table cell that sorts by SORT_ROLE (numbers as numbers; '—' lowest)."""

    def __init__(self, text: str, sort_key: float | str | None = None) -> None:
        super().__init__(text)
        self.setData(SORT_ROLE, sort_key if sort_key is not None else float("-inf"))
        if isinstance(sort_key, int | float) or sort_key is None:
            self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        a, b = self.data(SORT_ROLE), other.data(SORT_ROLE)
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)
