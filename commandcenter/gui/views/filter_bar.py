"""The filter bar of the live queue: department, category, township/grid, priority,
severity, source and the time range of ``created_at``, plus 清除筛选.

The widgets live in the Designer form (``ui/main_window.ui``, the ``filterBar`` row);
this module gives them behaviour.  :class:`FilterBar` turns their state into the
fields of a :class:`~commandcenter.services.queries.QueueFilter` (``apply_to``);
the window adds the tab, centre, search and sort, and the store filters in SQL.
Nothing here reads cases.

- :class:`ChoiceFilter` drives a tool button that opens a :class:`ChoicePopup`: a
  searchable tree (groups and their items), multi-select with check boxes (department,
  priority, severity, source) or single-select (category 大类/小类, township/grid).
- :class:`TimeFilter` drives the time-range combo (今天, 近24小时, 近7天, 近30天, 全部,
  自定义…) and the custom from–to editors; a from later than the to is refused with a
  message and changes nothing.

An active control is highlighted (the dynamic property ``filterActive``) and the bar
says how many filters are on; its tool tip lists them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCore import QDate, QDateTime, QEvent, QObject, QPoint, QSize, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateTimeEdit,
    QFrame,
    QLineEdit,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.enums import OrgLevel, Priority, Severity, Source
from ...domain.org import Reference
from ...domain.timeutil import CST, UTC, fmt_local
from ...services.queries import QueueFilter
from .. import i18n
from ..forms.ui_main_window import Ui_MainWindow

KEY_ROLE = Qt.ItemDataRole.UserRole  # an item's key; None for a group that only groups
ACTIVE_PROPERTY = "filterActive"
INVALID_PROPERTY = "filterInvalid"
BUTTON_VALUE_CHARS = 10  # a chosen value longer than this is elided on its button
POPUP_MAX_HEIGHT = 440
POPUP_MIN_WIDTH = 300

TIME_ALL, TIME_TODAY, TIME_24H, TIME_7D, TIME_30D, TIME_CUSTOM = "all", "today", "24h", "7d", "30d", "custom"
TIME_PRESETS = (TIME_ALL, TIME_TODAY, TIME_24H, TIME_7D, TIME_30D, TIME_CUSTOM)

# Theme-neutral (it sits on the dark and the light theme): borders from a mid grey,
# the accent of the window (#3a8dde) for what is active.
FILTER_BAR_STYLE = """
QWidget#filterBar QToolButton, QWidget#filterBar QPushButton {
    background-color: rgba(128, 142, 158, 26);
    border: 1px solid rgba(128, 142, 158, 110);
    border-radius: 4px;
    padding: 5px 10px;
}
QWidget#filterBar QToolButton:hover, QWidget#filterBar QPushButton:hover,
QWidget#filterBar QToolButton:focus, QWidget#filterBar QPushButton:focus {
    border-color: #3a8dde;
}
QWidget#filterBar QPushButton:disabled {
    color: rgba(128, 142, 158, 150);
    background-color: transparent;
    border-color: rgba(128, 142, 158, 60);
}
QWidget#filterBar QDateTimeEdit {
    background-color: rgba(128, 142, 158, 26);
    border: 1px solid rgba(128, 142, 158, 110);
    border-radius: 4px;
    padding: 4px 6px;
}
QWidget#filterBar QDateTimeEdit:focus { border-color: #3a8dde; }
QWidget#filterBar *[filterActive="true"] {
    border: 1px solid #3a8dde;
    background-color: rgba(58, 141, 222, 55);
}
QWidget#filterBar QDateTimeEdit[filterInvalid="true"] { border: 1px solid #e5484d; }
QLabel#filterSummaryLabel { color: #3a8dde; padding: 0 4px; }
QFrame#filterPopup { border: 1px solid #3a8dde; }
"""


def _set_flag(widget: QWidget, name: str, on: bool) -> None:
    """Set a dynamic property the style sheet looks at, and re-polish if it changed."""
    if bool(widget.property(name)) == on:
        return
    widget.setProperty(name, on)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    return [c for c in (item.child(i) for i in range(item.childCount())) if c is not None]


def _elide(text: str, n: int = BUTTON_VALUE_CHARS) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


@dataclass(frozen=True)
class Choice:
    """One entry of a picker: a key (None: a group heading that cannot be chosen itself)."""

    key: str | None
    label: str
    children: tuple[Choice, ...] = ()


class ChoicePopup(QFrame):
    """The drop-down of a :class:`ChoiceFilter`: an optional search field over a tree.

    Multi-select: items carry check boxes (Space or a click toggles; a group toggles all
    of its items); Enter or Esc closes.  Single-select: a click or Enter picks the item
    and closes.  Typing in the search field hides what does not match; ↓ goes to the list.
    """

    sig_chosen = Signal(str)  # single-select: the key picked ("" = no filter)
    sig_toggled = Signal()  # multi-select: a check box changed

    def __init__(self, parent: QWidget, *, multi: bool, searchable: bool) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("filterPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._multi = multi
        self._filling = False
        self._pressed: tuple[QTreeWidgetItem, Qt.CheckState] | None = None
        self._toggle_timer = QTimer(self)
        self._toggle_timer.setSingleShot(True)
        self._toggle_timer.setInterval(0)
        self._toggle_timer.timeout.connect(self.sig_toggled)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        self.searchEdit: QLineEdit | None = None
        if searchable:
            edit = QLineEdit(self)
            edit.setObjectName("filterPopupSearch")
            edit.setClearButtonEnabled(True)
            edit.textChanged.connect(self.on_search_text_changed)
            edit.installEventFilter(self)
            layout.addWidget(edit)
            self.searchEdit = edit
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("filterPopupTree")
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setColumnCount(1)
        self.tree.itemChanged.connect(self.on_item_changed)
        self.tree.itemPressed.connect(self.on_item_pressed)
        self.tree.itemClicked.connect(self.on_item_clicked)
        self.tree.itemActivated.connect(self.on_item_activated)
        self.tree.installEventFilter(self)
        layout.addWidget(self.tree)
        self.retranslate()

    # --- contents -----------------------------------------------------------------

    def set_choices(self, choices: Sequence[Choice], checked: Sequence[str]) -> None:
        self._filling = True
        try:
            self.tree.clear()
            wanted = set(checked)
            for choice in choices:
                self.tree.addTopLevelItem(self._make_item(choice, wanted))
            self.tree.setRootIsDecorated(any(c.children for c in choices))
        finally:
            self._filling = False

    def _make_item(self, choice: Choice, checked: set[str]) -> QTreeWidgetItem:
        item = QTreeWidgetItem([choice.label])
        item.setData(0, KEY_ROLE, choice.key)
        item.setToolTip(0, choice.label)
        flags = Qt.ItemFlag.ItemIsEnabled
        if self._multi:
            flags |= Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable
            if choice.children:
                flags |= Qt.ItemFlag.ItemIsAutoTristate
        elif choice.key is not None:
            flags |= Qt.ItemFlag.ItemIsSelectable
        item.setFlags(flags)
        for child in choice.children:
            item.addChild(self._make_item(child, checked))
        if self._multi and not choice.children:
            on = choice.key in checked
            item.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        return item

    def top_items(self) -> list[QTreeWidgetItem]:
        tree = self.tree
        return [it for it in (tree.topLevelItem(i) for i in range(tree.topLevelItemCount())) if it is not None]

    def items(self) -> list[QTreeWidgetItem]:
        out: list[QTreeWidgetItem] = []

        def walk(item: QTreeWidgetItem) -> None:
            out.append(item)
            for child in _children(item):
                walk(child)

        for top in self.top_items():
            walk(top)
        return out

    def item_of(self, key: str) -> QTreeWidgetItem | None:
        return next((it for it in self.items() if it.data(0, KEY_ROLE) == key), None)

    def checked_keys(self) -> tuple[str, ...]:
        return tuple(
            str(it.data(0, KEY_ROLE))
            for it in self.items()
            if it.childCount() == 0 and it.data(0, KEY_ROLE) is not None and it.checkState(0) == Qt.CheckState.Checked
        )

    def set_checked(self, keys: Sequence[str]) -> None:
        wanted = set(keys)
        self._filling = True
        try:
            for it in self.items():
                if it.childCount() == 0 and it.data(0, KEY_ROLE) is not None:
                    state = Qt.CheckState.Checked if it.data(0, KEY_ROLE) in wanted else Qt.CheckState.Unchecked
                    if it.checkState(0) != state:
                        it.setCheckState(0, state)
        finally:
            self._filling = False

    # --- showing ------------------------------------------------------------------

    def popup_under(self, button: QWidget, current: str | None = None) -> None:
        if self.searchEdit is not None:
            self.searchEdit.clear()
        self.on_search_text_changed("")
        item = self.item_of(current) if current is not None else None
        if item is None:
            item = self.tree.topLevelItem(0) if self.tree.topLevelItemCount() else None
        if item is not None:
            parent = item.parent()
            if parent is not None:
                parent.setExpanded(True)
            self.tree.setCurrentItem(item)
            self.tree.scrollToItem(item)
        rows = max(1, sum(1 for it in self.items() if not it.isHidden()))
        row_h = max(self.tree.sizeHintForRow(0), 22)
        extra = (self.searchEdit.sizeHint().height() + 6) if self.searchEdit is not None else 0
        height = min(POPUP_MAX_HEIGHT, rows * row_h + extra + 24)
        width = max(button.width(), POPUP_MIN_WIDTH)
        self.resize(QSize(width, height))
        pos = button.mapToGlobal(QPoint(0, button.height() + 2))
        screen = button.screen().availableGeometry() if button.screen() is not None else None
        if screen is not None:
            pos.setX(max(screen.left(), min(pos.x(), screen.right() - width)))
            if pos.y() + height > screen.bottom():
                pos.setY(button.mapToGlobal(QPoint(0, 0)).y() - height - 2)
        self.move(pos)
        self.show()  # a Qt.Popup takes the keyboard without activating a window
        (self.searchEdit or self.tree).setFocus(Qt.FocusReason.PopupFocusReason)

    # --- slots --------------------------------------------------------------------

    def on_search_text_changed(self, text: str) -> None:
        needle = text.strip().lower()
        first: QTreeWidgetItem | None = None
        for top in self.top_items():
            top_match = not needle or needle in top.text(0).lower()
            if top_match and first is None and needle and (self._multi or top.data(0, KEY_ROLE) is not None):
                first = top
            any_child = False
            for child in _children(top):
                show = top_match or needle in child.text(0).lower()
                child.setHidden(not show)
                any_child = any_child or show
                if show and first is None and needle and (self._multi or child.data(0, KEY_ROLE) is not None):
                    first = child
            top.setHidden(not (top_match or any_child))
            if needle:
                top.setExpanded(any_child)
        if first is not None:
            self.tree.setCurrentItem(first)

    def on_item_pressed(self, item: QTreeWidgetItem, _column: int) -> None:
        self._pressed = (item, item.checkState(0)) if self._multi else None

    def on_item_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        if not self._multi:
            self._choose(item)
            return
        pressed, self._pressed = self._pressed, None
        if pressed is not None and pressed[0] is item and item.checkState(0) == pressed[1]:
            # a click on the text, not on the box: toggle too
            on = item.checkState(0) != Qt.CheckState.Checked
            item.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def on_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        if not self._multi:
            self._choose(item)

    def on_item_changed(self, _item: QTreeWidgetItem, _column: int) -> None:
        # a group's box changes every item of it: one signal for the lot, once control returns
        if self._multi and not self._filling and not self._toggle_timer.isActive():
            self._toggle_timer.start()

    def _choose(self, item: QTreeWidgetItem) -> None:
        key = item.data(0, KEY_ROLE)
        if key is None:  # a group heading: open or close it
            item.setExpanded(not item.isExpanded())
            return
        self.hide()
        self.sig_chosen.emit(str(key))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.searchEdit and key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown):
                self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
                current = self.tree.currentItem()
                if current is None or current.isHidden():
                    visible = [it for it in self.items() if not it.isHidden()]
                    if visible:
                        self.tree.setCurrentItem(visible[0])
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                current = self.tree.currentItem()
                if self._multi or current is None or current.isHidden():
                    self.hide()
                else:
                    self._choose(current)
                return True
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        if self.searchEdit is not None:
            self.searchEdit.setPlaceholderText(self.tr("输入名称筛选列表…"))


class ChoiceFilter(QObject):
    """One tool button of the bar and its drop-down: the values it stands for."""

    sig_changed = Signal()

    def __init__(
        self,
        button: QToolButton,
        title: Callable[[], str],
        *,
        multi: bool,
        searchable: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.button = button
        self._title = title
        self._multi = multi
        self._values: tuple[str, ...] = ()
        self._labels: dict[str, str] = {}
        self._choices: list[Choice] = []
        self.popup = ChoicePopup(button, multi=multi, searchable=searchable)
        self.popup.sig_chosen.connect(self.on_chosen)
        self.popup.sig_toggled.connect(self.on_toggled)
        button.clicked.connect(self.open_popup)

    @property
    def multi(self) -> bool:
        return self._multi

    def set_choices(self, choices: Sequence[Choice]) -> None:
        """(Re)fill the list; values no longer offered are dropped (without a signal)."""
        self._choices = list(choices)
        self._labels = {}

        def walk(cs: Sequence[Choice]) -> None:
            for c in cs:
                if c.key is not None:
                    self._labels[c.key] = c.label
                walk(c.children)

        walk(self._choices)
        self._values = tuple(v for v in self._values if v in self._labels)
        self.popup.set_choices(self._choices, self._values)
        self.update_button()

    def choice_keys(self) -> list[str]:
        return list(self._labels)

    def label_of(self, key: str) -> str:
        return self._labels.get(key, key)

    def values(self) -> tuple[str, ...]:
        return self._values

    def value(self) -> str:
        """The single value ("" when none)."""
        return self._values[0] if self._values else ""

    def is_active(self) -> bool:
        return bool(self._values)

    def set_values(self, keys: Sequence[str], *, emit: bool = True) -> bool:
        """Choose these keys (unknown ones ignored); True if that changed anything."""
        wanted = [k for k in dict.fromkeys(keys) if k and k in self._labels]
        if not self._multi:
            wanted = wanted[:1]
        new = tuple(k for k in self._labels if k in set(wanted)) if self._multi else tuple(wanted)
        if new == self._values:
            return False
        self._values = new
        if self._multi:
            self.popup.set_checked(new)
        self.update_button()
        if emit:
            self.sig_changed.emit()
        return True

    def clear(self, *, emit: bool = True) -> bool:
        return self.set_values((), emit=emit)

    def open_popup(self) -> None:
        self.popup.popup_under(self.button, None if self._multi else self.value())

    def summary(self) -> str:
        """'部门：县公安局、县消防救援大队' ('' when inactive)."""
        if not self._values:
            return ""
        return self.tr("{title}：{values}").format(
            title=self._title(), values="、".join(self.label_of(k) for k in self._values)
        )

    def update_button(self) -> None:
        title = self._title()
        n = len(self._values)
        if n == 0:
            text = title
        elif n == 1:
            text = self.tr("{title}：{value}").format(title=title, value=_elide(self.label_of(self._values[0])))
        else:
            text = self.tr("{title}：{n}项").format(title=title, n=n)
        self.button.setText(text + " ▾")
        self.button.setProperty("filterSummary", self.summary())
        _set_flag(self.button, ACTIVE_PROPERTY, n > 0)

    def on_chosen(self, key: str) -> None:
        self.set_values((key,) if key else ())
        self.button.setFocus(Qt.FocusReason.PopupFocusReason)

    def on_toggled(self) -> None:
        self._values = self.popup.checked_keys()
        self.update_button()
        self.sig_changed.emit()


class TimeFilter(QObject):
    """The time range on created_at: a preset, or a custom from–to applied with 应用/Enter."""

    sig_changed = Signal()
    sig_message = Signal(str)

    def __init__(
        self,
        combo: QComboBox,
        from_edit: QDateTimeEdit,
        to_edit: QDateTimeEdit,
        to_label: QWidget,
        apply_button: QToolButton,
        now: Callable[[], datetime],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.combo, self.fromEdit, self.toEdit, self.applyButton = combo, from_edit, to_edit, apply_button
        self._custom_widgets: tuple[QWidget, ...] = (from_edit, to_label, to_edit, apply_button)
        self._now = now
        self._range: tuple[datetime | None, datetime | None] = (None, None)
        self._custom_ready = False
        for edit in (from_edit, to_edit):
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
            edit.setCalendarPopup(True)
            edit.installEventFilter(self)
            edit.dateTimeChanged.connect(self.on_edit_changed)
        for i in range(len(TIME_PRESETS)):
            combo.addItem("", TIME_PRESETS[i])
        self.retranslate()
        combo.setCurrentIndex(0)
        combo.currentIndexChanged.connect(self.on_preset_changed)
        apply_button.clicked.connect(self.apply_custom)
        self._show_custom(False)

    # --- state --------------------------------------------------------------------

    @property
    def preset(self) -> str:
        return str(self.combo.currentData() or TIME_ALL)

    @property
    def range(self) -> tuple[datetime | None, datetime | None]:
        """The applied [from, to) in UTC (None: open)."""
        return self._range

    def is_active(self) -> bool:
        return self._range != (None, None)

    def set_preset(self, preset: str, *, emit: bool = True) -> None:
        index = self.combo.findData(preset)
        if index < 0:
            return
        if index == self.combo.currentIndex():
            if preset != TIME_CUSTOM:
                self._set_range(self.preset_range(preset), emit=emit)
            return
        blocked = self.combo.blockSignals(True)
        self.combo.setCurrentIndex(index)
        self.combo.blockSignals(blocked)
        self._on_preset(preset, emit=emit)

    def clear(self, *, emit: bool = True) -> bool:
        changed = self.is_active() or self.preset != TIME_ALL
        self.set_preset(TIME_ALL, emit=emit)
        return changed

    def preset_range(self, preset: str) -> tuple[datetime | None, datetime | None]:
        now = self._now()
        if preset == TIME_TODAY:
            day = now.astimezone(CST).replace(hour=0, minute=0, second=0, microsecond=0)
            return day.astimezone(UTC), None
        hours = {TIME_24H: 24, TIME_7D: 24 * 7, TIME_30D: 24 * 30}.get(preset)
        if hours is not None:
            return now - timedelta(hours=hours), None
        return None, None

    def roll(self, step: timedelta = timedelta(hours=1)) -> bool:
        """Move a preset's range with the clock: 今天 at midnight, 近N天/小时 once it is ``step``
        behind (not at every tick: each move re-queries the queue). Custom ranges stay put.
        Returns True when the range moved (and ``sig_changed`` went out)."""
        preset = self.preset
        if preset in (TIME_CUSTOM, TIME_ALL):
            return False
        start, end = self.preset_range(preset)
        old = self._range[0]
        if start is None or old is None or (start == old) or (preset != TIME_TODAY and start - old < step):
            return False
        self._set_range((start, end), emit=True)
        return True

    def set_custom(self, start: datetime, end: datetime) -> None:
        """Put a range (any time zone) into the editors, shown in Beijing time (not applied)."""
        for edit, value in ((self.fromEdit, start), (self.toEdit, end)):
            t = value.astimezone(CST)
            edit.setDateTime(QDateTime(QDate(t.year, t.month, t.day), QTime(t.hour, t.minute)))
        self._custom_ready = True

    def custom_values(self) -> tuple[datetime, datetime]:
        return self._edit_value(self.fromEdit), self._edit_value(self.toEdit)

    @staticmethod
    def _edit_value(edit: QDateTimeEdit) -> datetime:
        dt = edit.dateTime()
        d, t = dt.date(), dt.time()
        return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=CST).astimezone(UTC)

    def apply_custom(self) -> bool:
        """应用: validate the from–to and filter by it; a bad range changes nothing."""
        start, end = self.custom_values()
        if start >= end:
            for edit in (self.fromEdit, self.toEdit):
                _set_flag(edit, INVALID_PROPERTY, True)
            self.sig_message.emit(
                self.tr("时间段无效：开始时间（{a}）必须早于结束时间（{b}），筛选未改变").format(
                    a=fmt_local(start), b=fmt_local(end)
                )
            )
            return False
        if self.preset != TIME_CUSTOM:
            blocked = self.combo.blockSignals(True)
            self.combo.setCurrentIndex(self.combo.findData(TIME_CUSTOM))
            self.combo.blockSignals(blocked)
            self._show_custom(True)
        self._set_range((start, end), emit=True)
        return True

    def summary(self) -> str:
        start, end = self._range
        if start is None and end is None:
            return ""
        if self.preset == TIME_CUSTOM:
            return self.tr("上报时间：{a} 至 {b}").format(a=fmt_local(start), b=fmt_local(end))
        return self.tr("上报时间：{preset}（{a} 起）").format(preset=self.combo.currentText(), a=fmt_local(start))

    def _set_range(self, rng: tuple[datetime | None, datetime | None], *, emit: bool) -> None:
        changed = rng != self._range
        self._range = rng
        _set_flag(self.combo, ACTIVE_PROPERTY, self.is_active())
        self.combo.setToolTip(self.summary() or self.tr("按上报时间筛选"))
        if changed and emit:
            self.sig_changed.emit()

    def _show_custom(self, on: bool) -> None:
        for w in self._custom_widgets:
            w.setVisible(on)

    def _on_preset(self, preset: str, *, emit: bool) -> None:
        custom = preset == TIME_CUSTOM
        self._show_custom(custom)
        if not custom:
            for edit in (self.fromEdit, self.toEdit):
                _set_flag(edit, INVALID_PROPERTY, False)
            self._set_range(self.preset_range(preset), emit=emit)
            return
        start, end = self.custom_values()
        if not self._custom_ready or start >= end:  # from today 00:00 to the next full hour
            now = self._now()
            midnight, _ = self.preset_range(TIME_TODAY)
            self.set_custom(midnight or now, now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1))
        if emit:
            self.apply_custom()  # valid: made so above
            self.fromEdit.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self._set_range(self.custom_values(), emit=False)

    # --- slots --------------------------------------------------------------------

    def on_preset_changed(self, _index: int) -> None:
        self._on_preset(self.preset, emit=True)

    def on_edit_changed(self, _value: QDateTime) -> None:
        for edit in (self.fromEdit, self.toEdit):
            _set_flag(edit, INVALID_PROPERTY, False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and watched in (self.fromEdit, self.toEdit)
        ):
            self.apply_custom()
            return True
        return super().eventFilter(watched, event)

    def retranslate(self) -> None:
        texts = {
            TIME_ALL: self.tr("全部时间"),
            TIME_TODAY: self.tr("今天"),
            TIME_24H: self.tr("近24小时"),
            TIME_7D: self.tr("近7天"),
            TIME_30D: self.tr("近30天"),
            TIME_CUSTOM: self.tr("自定义…"),
        }
        for i in range(self.combo.count()):
            self.combo.setItemText(i, texts.get(str(self.combo.itemData(i)), ""))
        self.combo.setToolTip(self.summary() or self.tr("按上报时间筛选"))


class FilterBar(QObject):
    """The whole bar: what it filters (``apply_to``), clear, focus, the active summary."""

    sig_changed = Signal()  # the user changed a filter: re-query the queue
    sig_message = Signal(str)  # a refusal to show (a bad custom time range)

    def __init__(self, ui: Ui_MainWindow, ref: Reference, now: Callable[[], datetime], parent: QObject) -> None:
        super().__init__(parent)
        self.ui = ui
        self._ref = ref
        ui.filterBar.setStyleSheet(FILTER_BAR_STYLE)
        self.department = ChoiceFilter(ui.departmentButton, lambda: self.tr("部门"), multi=True, searchable=True, parent=self)
        self.category = ChoiceFilter(ui.categoryButton, lambda: self.tr("分类"), multi=False, searchable=True, parent=self)
        self.location = ChoiceFilter(ui.locationButton, lambda: self.tr("乡镇/网格"), multi=False, searchable=True, parent=self)
        self.priority = ChoiceFilter(ui.priorityButton, lambda: self.tr("紧急程度"), multi=True, parent=self)
        self.severity = ChoiceFilter(ui.severityButton, lambda: self.tr("严重程度"), multi=True, parent=self)
        self.source = ChoiceFilter(ui.sourceButton, lambda: self.tr("来源"), multi=True, parent=self)
        self.time = TimeFilter(ui.timeCombo, ui.fromEdit, ui.toEdit, ui.timeToLabel, ui.timeApplyButton, now, self)
        self.choices: tuple[ChoiceFilter, ...] = (
            self.department, self.category, self.location, self.priority, self.severity, self.source
        )
        for button in (ui.departmentButton, ui.categoryButton, ui.locationButton, ui.priorityButton,
                       ui.severityButton, ui.sourceButton, ui.timeApplyButton):
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.fill()
        for f in self.choices:
            f.sig_changed.connect(self.on_part_changed)
        self.time.sig_changed.connect(self.on_part_changed)
        self.time.sig_message.connect(self.sig_message)
        ui.clearFiltersButton.clicked.connect(self.on_clear_clicked)
        self.update_summary()

    # --- choices ------------------------------------------------------------------

    def fill(self) -> None:
        """(Re)fill every list from the reference data and the enums (current language)."""
        ref = self._ref
        self.department.set_choices(self._department_choices(ref))
        self.category.set_choices(self._category_choices(ref))
        self.location.set_choices(self._location_choices(ref))
        self.priority.set_choices(
            [Choice(p.value, i18n.label(p)) for p in (Priority.CRITICAL, Priority.URGENT, Priority.NORMAL)]
        )
        self.severity.set_choices([Choice(s.value, i18n.label(s)) for s in Severity])
        self.source.set_choices([Choice(s.value, i18n.label(s)) for s in Source])

    def _department_choices(self, ref: Reference) -> list[Choice]:
        by_centre: dict[str, list[Choice]] = {}
        for d in sorted(ref.departments.values(), key=lambda d: d.code):
            by_centre.setdefault(d.centre_code, []).append(Choice(d.code, d.name))
        out: list[Choice] = []
        for code in sorted(by_centre, key=lambda c: (len(c), c)):
            centre = ref.centres.get(code)
            name = centre.name if centre is not None else (code or self.tr("其他"))
            out.append(Choice(None, name, tuple(by_centre[code])))
        return out

    def _category_choices(self, ref: Reference) -> list[Choice]:
        cats = sorted(ref.categories.values(), key=lambda c: c.code)
        out = [Choice("", self.tr("全部分类"))]
        for major in (c for c in cats if c.parent_code is None):
            minors = tuple(Choice(c.code, c.name) for c in cats if c.parent_code == major.code)
            out.append(Choice(major.code, major.name, minors))
        return out

    def _location_choices(self, ref: Reference) -> list[Choice]:
        units = sorted(ref.org_units.values(), key=lambda u: u.code)
        grids: dict[str, list[Choice]] = {}
        for u in units:
            if u.level is OrgLevel.GRID:
                grids.setdefault(u.code[:9], []).append(Choice(u.code, u.name))
        out = [Choice("", self.tr("全部乡镇/网格"))]
        for u in units:
            if u.level is OrgLevel.TOWNSHIP:
                out.append(Choice(u.code, u.name, tuple(grids.get(u.code, ()))))
        return out

    # --- the filter ---------------------------------------------------------------

    def apply_to(self, f: QueueFilter) -> QueueFilter:
        """``f`` with the bar's filters (the tab's, centre's and search's fields untouched)."""
        place = self.location.value()
        start, end = self.time.range
        return f.with_(
            departments=self.department.values(),
            category=self.category.value(),
            township=place if len(place) == 9 else "",
            grid=place if len(place) == 15 else "",
            priorities=tuple(Priority(v) for v in self.priority.values()),
            severities=tuple(Severity(v) for v in self.severity.values()),
            sources=tuple(Source(v) for v in self.source.values()),
            created_from=start,
            created_to=end,
        )

    def active_count(self) -> int:
        return sum(1 for f in self.choices if f.is_active()) + (1 if self.time.is_active() else 0)

    def is_active(self) -> bool:
        return self.active_count() > 0

    def summary_lines(self) -> list[str]:
        lines = [f.summary() for f in self.choices if f.is_active()]
        if self.time.is_active():
            lines.append(self.time.summary())
        return lines

    def clear(self, *, emit: bool = True) -> bool:
        """Reset every filter; one sig_changed (if ``emit`` and anything changed)."""
        changed = False
        for f in self.choices:
            changed = f.clear(emit=False) or changed
        changed = self.time.clear(emit=False) or changed
        self.update_summary()
        if changed and emit:
            self.sig_changed.emit()
        return changed

    def focus(self) -> None:
        self.ui.departmentButton.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def has_focus(self) -> bool:
        w = QApplication.focusWidget()
        return w is not None and (w is self.ui.filterBar or self.ui.filterBar.isAncestorOf(w))

    def focus_chain(self) -> list[QWidget]:
        """The bar's widgets in Tab order (hidden ones are skipped by Qt)."""
        u = self.ui
        return [
            u.departmentButton, u.categoryButton, u.locationButton, u.priorityButton, u.severityButton,
            u.sourceButton, u.timeCombo, u.fromEdit, u.toEdit, u.timeApplyButton, u.clearFiltersButton,
        ]

    def update_summary(self) -> None:
        n = self.active_count()
        label = self.ui.filterSummaryLabel
        label.setText(self.tr("已筛选 {n} 项").format(n=n) if n else "")
        label.setToolTip("\n".join(self.summary_lines()))
        self.ui.clearFiltersButton.setEnabled(n > 0)

    def retranslate(self) -> None:
        self.fill()  # the enum labels and the 全部 entries
        self.time.retranslate()
        for f in self.choices:
            f.update_button()
        self.update_summary()

    # --- slots --------------------------------------------------------------------

    def on_part_changed(self) -> None:
        self.update_summary()
        self.sig_changed.emit()

    def on_clear_clicked(self) -> None:
        self.clear()
