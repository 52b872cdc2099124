"""The dialog of one case action, built from its :class:`ActionSpec`.

It asks only what the action needs, keeps OK disabled until the required fields
are filled, and on OK checks the command with the domain (``decide``) against
the case as it is in the store now.  A refusal is shown inline, in plain words,
and the dialog stays open; nothing is written by the dialog itself: the
controller applies :meth:`CommandDialog.commands` through the command service.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.case import Actor, Case, Command
from ...domain.enums import CommandType, Priority, Satisfaction, Severity, Status
from ...domain.org import WORKDAY_MINUTES
from ...domain.timeutil import fmt_local, from_epoch
from ...domain.workflow import MAX_EXTENSION_MINUTES, Context, Reason, decide
from ...services import queries
from ...services.queries import QueueFilter
from ...services.workspace import Workspace
from ..i18n import label as i18n_label
from ..i18n import refusal_text
from .specs import CONFIRM_SHORTCUTS, ActionSpec, FieldKind, FieldSpec, tr

log = logging.getLogger(__name__)

C = CommandType
CODE_ROLE = Qt.ItemDataRole.UserRole
ERROR_COLOUR = "#ff5c61"
OVERDUE_COLOUR = "#ff7b72"
MUTED_COLOUR = "#8b98a9"
MERGE_SEARCH_DEBOUNCE_MS = 200
MERGE_LIST_LIMIT = 50
DEPARTMENT_SEARCH_FROM = 9  # show a search box over the department list from this many departments
PII_FIELDS = ["reporter_name", "reporter_phone"]
UNIT_MINUTES = {"hours": 60, "days": WORKDAY_MINUTES}

RADIO_QSS = """
QRadioButton { spacing: 6px; }
QRadioButton::indicator { width: 14px; height: 14px; border-radius: 8px; border: 1px solid #6b7888; }
QRadioButton::indicator:hover { border-color: #3a8dde; }
QRadioButton::indicator:checked {
    border-color: #3a8dde;
    background: qradialgradient(cx:0.5, cy:0.5, radius:0.5, fx:0.5, fy:0.5,
                                stop:0 #3a8dde, stop:0.5 #3a8dde, stop:0.6 transparent, stop:1 transparent);
}
"""
LIST_QSS = "QTreeWidget::item { padding: 3px 2px; }"


class _SearchEnter(QObject):
    """Enter in a search box picks from its list; it must not press the dialog's OK button."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
            and isinstance(watched, QLineEdit)
        ):
            watched.returnPressed.emit()
            return True
        return super().eventFilter(watched, event)


class CommandDialog(QDialog):
    """The form of one action on one case, or on several cases at once (bulk)."""

    def __init__(
        self,
        workspace: Workspace,
        actor: Actor,
        spec: ActionSpec,
        cases: Sequence[Case],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if not cases:
            raise ValueError("CommandDialog needs at least one case")
        self._ws = workspace
        self._actor = actor
        self._spec = spec
        self._cases: list[Case] = list(cases)
        self._commands: list[Command] = []
        self._refusals: dict[str, str] = {}  # case id -> reason, found on OK (bulk)
        self._value_getters: dict[str, Any] = {}
        self._required: list[tuple[FieldSpec, Any]] = []
        self._merge_timer: QTimer | None = None
        self._search_enter = _SearchEnter(self)

        self.setObjectName(f"commandDialog_{spec.ctype.value}")
        self.setWindowTitle(self._title())
        self.setModal(True)
        self.setSizeGripEnabled(not spec.confirm_only)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.setSpacing(10)

        self.caseLabel = QLabel(self)
        self.caseLabel.setObjectName("caseLabel")
        self.caseLabel.setWordWrap(True)
        self.caseLabel.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.caseLabel)

        self.infoLabel = QLabel(self)
        self.infoLabel.setObjectName("infoLabel")
        self.infoLabel.setWordWrap(True)
        layout.addWidget(self.infoLabel)

        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.setHorizontalSpacing(12)
        self.form.setVerticalSpacing(10)
        layout.addLayout(self.form, 1)

        self.errorLabel = QLabel(self)
        self.errorLabel.setObjectName("errorLabel")
        self.errorLabel.setWordWrap(True)
        self.errorLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.errorLabel.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.errorLabel.setVisible(False)
        layout.addWidget(self.errorLabel)

        self.buttonBox = QDialogButtonBox(self)
        self.buttonBox.setObjectName("buttonBox")
        self.okButton: QPushButton = self.buttonBox.addButton(spec.label, QDialogButtonBox.ButtonRole.AcceptRole)
        self.okButton.setObjectName("okButton")
        self.okButton.setDefault(True)
        self.okButton.setToolTip(self.tr("确定（Ctrl+Enter）"))
        if spec.danger:
            self.okButton.setProperty("danger", True)
        self.cancelButton: QPushButton = self.buttonBox.addButton(
            self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.cancelButton.setObjectName("cancelButton")
        self.cancelButton.setAutoDefault(False)
        self.buttonBox.accepted.connect(self.try_accept)
        self.buttonBox.rejected.connect(self.reject)
        layout.addWidget(self.buttonBox)

        for seq in CONFIRM_SHORTCUTS:
            shortcut = QShortcut(QKeySequence(seq), self)
            shortcut.activated.connect(self.try_accept)

        self._show_case_summary()
        self._show_info()
        first: QWidget | None = None
        for f in spec.fields:
            widget = self._add_field(f)
            first = first or widget
        if spec.confirm_only:
            self.setMinimumWidth(480)
        elif any(f.kind in (FieldKind.CATEGORY, FieldKind.DEPARTMENT, FieldKind.MERGE_TARGET) for f in spec.fields):
            self.resize(max(660, self.sizeHint().width()), self.sizeHint().height())
        else:
            self.setMinimumWidth(560)
        self._update_ok()
        if spec.confirm_only:
            self.okButton.setFocus()
        elif first is not None:
            first.setFocus()

    # --- public -------------------------------------------------------------------

    @property
    def spec(self) -> ActionSpec:
        return self._spec

    @property
    def cases(self) -> list[Case]:
        return list(self._cases)

    @property
    def is_bulk(self) -> bool:
        return len(self._cases) > 1

    def payload(self) -> dict[str, Any]:
        """The command payload from what the form holds now."""
        out: dict[str, Any] = {}
        for key, getter in self._value_getters.items():
            value = getter()
            if value is None or value == "":
                continue
            out[key] = value
        if self._spec.ctype is C.REVEAL_PII:
            out["fields"] = list(PII_FIELDS)
        return out

    def commands(self) -> list[Command]:
        """The commands the domain accepted on OK (empty before OK)."""
        return list(self._commands)

    def refusals(self) -> dict[str, str]:
        """Cases of a bulk action the domain refused on OK: case id -> reason."""
        return dict(self._refusals)

    def is_complete(self) -> bool:
        """All required fields are filled."""
        return all(self._has_value(f, getter) for f, getter in self._required)

    def show_error(self, text: str) -> None:
        self.errorLabel.setText(text)
        self.errorLabel.setVisible(bool(text))

    def try_accept(self) -> None:
        """OK: build the commands, check them with the domain, accept or explain."""
        if not self.okButton.isEnabled():
            return
        try:
            self._check_and_accept()
        except Exception as exc:  # never raise into Qt's event loop
            log.exception("checking %s failed", self._spec.ctype.value)
            self.show_error(self.tr("检查失败：{e}").format(e=exc))

    # --- the check ----------------------------------------------------------------

    def _check_and_accept(self) -> None:
        payload = self.payload()
        target = None
        if self._spec.ctype is C.MERGE and payload.get("target_id"):
            target = self._ws.case(str(payload["target_id"]))
        ctx = Context(self._ws.commands.ref, self._ws.commands.calendar, self._ws.now(), target=target)
        commands: list[Command] = []
        refusals: dict[str, str] = {}
        for i, seen in enumerate(self._cases):
            fresh = self._ws.case(seen.id)
            cmd = Command(self._spec.ctype, seen.id, self._actor, dict(payload), base_version=seen.version)
            if fresh is None:
                refusals[seen.id] = self.tr("找不到该事件")
                continue
            d = decide(fresh, cmd, ctx)
            if d.ok:
                commands.append(cmd)
                continue
            if d.code == Reason.VERSION_CONFLICT and not self.is_bulk:
                # someone changed it meanwhile: show the case as it is now and let the operator decide again
                self._cases[i] = fresh
                self._show_case_summary()
                self._show_info()
                self.show_error(
                    self.tr("事件刚被他人更新（现为“{status}”），已载入最新状态，请核对后再提交。").format(
                        status=i18n_label(fresh.status)
                    )
                )
                return
            refusals[seen.id] = refusal_text(d)
        if not commands:
            if not self.is_bulk:
                self.show_error(next(iter(refusals.values())))
            else:
                self.show_error(
                    self.tr("所选 {n} 件均无法执行：").format(n=len(self._cases)) + self._refusal_text(refusals)
                )
            return
        self._commands = commands
        self._refusals = refusals
        self.show_error("")
        self.accept()

    def _refusal_text(self, refusals: Mapping[str, str]) -> str:
        codes = {c.id: c.code for c in self._cases}
        return self.tr("；").join(
            self.tr("{code}：{reason}").format(code=codes.get(cid, cid), reason=reason)
            for cid, reason in refusals.items()
        )

    # --- header -------------------------------------------------------------------

    def _title(self) -> str:
        label = self._spec.label
        if len(self._cases) > 1:
            return self.tr("批量{action}（{n} 件）").format(action=label, n=len(self._cases))
        return f"{label} — {self._cases[0].code}"

    def _show_case_summary(self) -> None:
        ref = self._ws.ref
        e = escape
        if self.is_bulk:
            codes = [c.code for c in self._cases]
            shown = self.tr("、").join(codes[:6]) + (self.tr(" 等") if len(codes) > 6 else "")
            text = "<b>" + e(self.tr("已选 {n} 件").format(n=len(codes))) + "</b>" + e(self.tr("：")) + e(shown)
        else:
            case = self._cases[0]
            cat = ref.categories.get(case.category_code or "")
            parent = ref.categories.get(cat.parent_code or "") if cat is not None else None
            category = (f"{parent.name} / {cat.name}" if parent else cat.name) if cat else self.tr("未分类")
            dept = ref.departments.get(case.department_code or "")
            centre = ref.centres.get(case.centre_code)
            where = dept.name if dept is not None else (centre.name if centre is not None else case.centre_code)
            parts = [i18n_label(case.status), category, where]
            if case.address:
                parts.append(case.address)
            text = (
                f"<b>{e(case.code)}</b>&nbsp;&nbsp;{e(case.title)}<br/>"
                f"<span style='color:{MUTED_COLOUR};'>{e(' · '.join(parts))}</span>"
            )
        if self._spec.confirm_only and self._spec.question and not self.is_bulk:
            text += "<br/><br/>" + e(tr(self._spec.question).format(code=self._cases[0].code))
        elif self._spec.confirm_only and self._spec.question:
            text += "<br/><br/>" + e(tr(self._spec.question).format(code=self.tr("所选事件")))
        self.caseLabel.setText(text)

    def _show_info(self) -> None:
        """Facts the decision rests on (the pending extension request)."""
        info = ""
        case = self._cases[0]
        if self._spec.ctype in (C.APPROVE_EXTENSION, C.DENY_EXTENSION) and case.extension_minutes is not None:
            info = self.tr("延期申请：{span}（{m} 个工作分钟）。理由：{reason}").format(
                span=_span_text(case.extension_minutes), m=case.extension_minutes, reason=case.extension_reason
            )
        self.infoLabel.setText(info)
        self.infoLabel.setVisible(bool(info))

    # --- fields -------------------------------------------------------------------

    def _add_field(self, f: FieldSpec) -> QWidget:
        makers = {
            FieldKind.TEXT: self._make_text,
            FieldKind.CATEGORY: self._make_category,
            FieldKind.PRIORITY: self._make_priority,
            FieldKind.SEVERITY: self._make_severity,
            FieldKind.DEPARTMENT: self._make_department,
            FieldKind.CENTRE: self._make_centre,
            FieldKind.SATISFACTION: self._make_satisfaction,
            FieldKind.MINUTES: self._make_minutes,
            FieldKind.MERGE_TARGET: self._make_merge_target,
        }
        widget, focus, getter = makers[f.kind](f)
        self._value_getters[f.key] = getter
        if f.required:
            self._required.append((f, getter))
        label = QLabel(self)
        label.setObjectName(f"{f.key}Label")
        label.setTextFormat(Qt.TextFormat.RichText)
        mark = f"<span style='color:{ERROR_COLOUR};'>*</span> " if f.required else ""
        label.setText(mark + escape(tr(f.label)))
        label.setBuddy(focus)
        self.form.addRow(label, widget)
        return focus

    def _changed(self, *_args: object) -> None:
        if self.errorLabel.isVisible():
            self.show_error("")
        self._update_ok()

    def _update_ok(self) -> None:
        self.okButton.setEnabled(self.is_complete())

    @staticmethod
    def _has_value(f: FieldSpec, getter: Any) -> bool:
        value = getter()
        if f.kind is FieldKind.MINUTES:
            return isinstance(value, int) and value > 0
        return value is not None and value != ""

    def _make_text(self, f: FieldSpec) -> tuple[QWidget, QWidget, Any]:
        placeholder = tr(f.placeholder) if f.placeholder else ("" if f.required else self.tr("选填"))
        if self._spec.confirm_only:
            line = QLineEdit(self)
            line.setObjectName(f"{f.key}Edit")
            line.setPlaceholderText(placeholder)
            line.setMaxLength(2000)
            line.textChanged.connect(self._changed)
            return line, line, lambda: line.text().strip()
        edit = QPlainTextEdit(self)
        edit.setObjectName(f"{f.key}Edit")
        edit.setPlaceholderText(placeholder)
        edit.setTabChangesFocus(True)
        edit.setMinimumHeight(72)
        edit.setMaximumHeight(120)
        edit.textChanged.connect(self._changed)
        return edit, edit, lambda: edit.toPlainText().strip()

    def _make_enum_combo(self, name: str, enum: Any, current: Any) -> tuple[QWidget, QWidget, Any]:
        combo = QComboBox(self)
        combo.setObjectName(name)
        for member in enum:
            combo.addItem(i18n_label(member), member.value)
        combo.setCurrentIndex(max(0, combo.findData(current.value if current is not None else None)))
        combo.currentIndexChanged.connect(self._changed)
        return combo, combo, lambda: combo.currentData()

    def _make_priority(self, f: FieldSpec) -> tuple[QWidget, QWidget, Any]:
        return self._make_enum_combo("priorityCombo", Priority, self._cases[0].priority)

    def _make_severity(self, f: FieldSpec) -> tuple[QWidget, QWidget, Any]:
        return self._make_enum_combo("severityCombo", Severity, self._cases[0].severity)

    def _make_satisfaction(self, f: FieldSpec) -> tuple[QWidget, QWidget, Any]:
        box = QWidget(self)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(18)
        group = QButtonGroup(box)
        group.setExclusive(True)
        buttons: list[QRadioButton] = []
        for member in Satisfaction:
            button = QRadioButton(i18n_label(member), box)
            button.setObjectName(f"satisfaction_{member.value}")
            button.setProperty("value", member.value)
            group.addButton(button)
            row.addWidget(button)
            buttons.append(button)
        row.addStretch(1)
        box.setStyleSheet(RADIO_QSS)  # the themes draw no visible indicator on their dark background
        group.buttonToggled.connect(self._changed)
        self._satisfaction_group = group

        def value() -> str | None:
            checked = group.checkedButton()
            return str(checked.property("value")) if checked is not None else None

        return box, buttons[0], value

    def _make_minutes(self, f: FieldSpec) -> tuple[QWidget, QWidget, Any]:
        box = QWidget(self)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        spin = QDoubleSpinBox(box)
        spin.setObjectName("minutesSpin")
        spin.setDecimals(1)
        spin.setSingleStep(0.5)
        spin.setRange(0.0, MAX_EXTENSION_MINUTES / WORKDAY_MINUTES)
        spin.setMinimumWidth(110)
        unit = QComboBox(box)
        unit.setObjectName("minutesUnit")
        unit.addItem(self.tr("工作日"), "days")
        unit.addItem(self.tr("工作小时"), "hours")
        hint = QLabel(box)
        hint.setObjectName("minutesHint")
        hint.setStyleSheet(f"color: {MUTED_COLOUR};")
        row.addWidget(spin)
        row.addWidget(unit)
        row.addWidget(hint, 1)

        def value() -> int | None:
            per = UNIT_MINUTES.get(str(unit.currentData()), 60)
            minutes = round(spin.value() * per)
            return minutes if minutes > 0 else None

        def update() -> None:
            limit = MAX_EXTENSION_MINUTES / UNIT_MINUTES.get(str(unit.currentData()), 60)
            if spin.maximum() != limit:
                spin.setMaximum(limit)
            m = value()
            hint.setText(
                self.tr("= {m} 个工作分钟").format(m=m or 0)
            )
            hint.setToolTip(
                self.tr("1 个工作日按 {d} 个工作分钟计；最长 30 个工作日").format(d=WORKDAY_MINUTES)
            )
            self._changed()

        spin.valueChanged.connect(update)
        unit.currentIndexChanged.connect(update)
        update()
        return box, spin, value

    def _make_tree(self, name: str, headers: Sequence[str]) -> QTreeWidget:
        tree = QTreeWidget(self)
        tree.setObjectName(name)
        tree.setColumnCount(len(headers))
        tree.setHeaderLabels(list(headers))
        tree.setRootIsDecorated(False)
        tree.setUniformRowHeights(True)
        tree.setAlternatingRowColors(True)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        tree.setAllColumnsShowFocus(True)
        tree.setStyleSheet(LIST_QSS)
        header = tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(headers)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        return tree

    @staticmethod
    def _selected_code(tree: QTreeWidget) -> str | None:
        item = tree.currentItem()
        if item is None or not item.isSelected() or item.isHidden():
            return None
        if not (item.flags() & Qt.ItemFlag.ItemIsEnabled) or not (item.flags() & Qt.ItemFlag.ItemIsSelectable):
            return None
        code = item.data(0, CODE_ROLE)
        return str(code) if code else None

    def _make_category(self, f: FieldSpec) -> tuple[QWidget, QWidget, Any]:
        ref = self._ws.ref
        box = QWidget(self)
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(4)
        search = QLineEdit(box)
        search.setObjectName("categorySearch")
        search.installEventFilter(self._search_enter)
        search.setPlaceholderText(self.tr("搜索分类名称或编码，回车选第一项"))
        search.setClearButtonEnabled(True)
        tree = QTreeWidget(box)
        tree.setObjectName("categoryTree")
        tree.setHeaderHidden(True)
        tree.setColumnCount(1)
        tree.setUniformRowHeights(True)
        tree.setStyleSheet(LIST_QSS)
        tree.setMinimumHeight(260)
        hint = QLabel(box)
        hint.setObjectName("categoryHint")
        hint.setStyleSheet(f"color: {MUTED_COLOUR};")
        col.addWidget(search)
        col.addWidget(tree, 1)
        col.addWidget(hint)

        majors = sorted((c for c in ref.categories.values() if c.parent_code is None), key=lambda c: c.code)
        leaves: dict[str, list[Any]] = {}
        for c in ref.categories.values():
            if c.parent_code is not None:
                leaves.setdefault(c.parent_code, []).append(c)
        bold = QFont(tree.font())
        bold.setBold(True)
        current_code = self._cases[0].category_code
        current_item: QTreeWidgetItem | None = None
        for major in majors:
            top = QTreeWidgetItem(tree, [major.name])
            top.setData(0, CODE_ROLE, None)
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            top.setFont(0, bold)
            top.setToolTip(0, major.code)
            for leaf in sorted(leaves.get(major.code, []), key=lambda c: c.code):
                item = QTreeWidgetItem(top, [leaf.name])
                item.setData(0, CODE_ROLE, leaf.code)
                item.setToolTip(0, f"{leaf.code} {major.name} / {leaf.name}")
                if leaf.code == current_code:
                    current_item = item

        def filter_tree(text: str) -> None:
            needle = text.strip().lower()
            selected = tree.currentItem()
            for top in _top_items(tree):
                major_hit = not needle or needle in top.text(0).lower() or needle == str(top.toolTip(0))
                any_child = False
                for child in _children(top):
                    code = str(child.data(0, CODE_ROLE))
                    hit = major_hit or needle in child.text(0).lower() or code.startswith(needle)
                    child.setHidden(not hit)
                    any_child = any_child or hit
                top.setHidden(not any_child)
                holds_selection = selected is not None and selected.parent() is top
                top.setExpanded(any_child and (bool(needle) or holds_selection))
            if selected is not None and selected.isHidden():
                tree.clearSelection()
                tree.setCurrentIndex(QModelIndex())
            self._changed()

        def first_visible_leaf() -> None:
            for top in _top_items(tree):
                if top.isHidden():
                    continue
                for child in _children(top):
                    if not child.isHidden():
                        tree.setCurrentItem(child)
                        tree.scrollToItem(child)
                        return

        def on_current(*_args: object) -> None:
            code = self._selected_code(tree)
            cat = ref.categories.get(code or "")
            if cat is None:
                hint.setText(self.tr("请选择小类"))
            else:
                dept = ref.suggest_department(cat.code, self._cases[0].centre_code)
                limits = ref.limits_for(cat.code)
                hint.setText(
                    self.tr("{code} · 派遣时限 {d} · 处置时限 {h}{dept}").format(
                        code=cat.code,
                        d=_span_text(limits.dispatch),
                        h=_span_text(limits.handle),
                        dept=self.tr(" · 默认部门 {name}").format(name=dept.name) if dept is not None else "",
                    )
                )
            self._changed()

        search.textChanged.connect(filter_tree)
        search.returnPressed.connect(first_visible_leaf)
        tree.currentItemChanged.connect(on_current)
        tree.itemSelectionChanged.connect(on_current)
        if current_item is not None:
            parent = current_item.parent()
            if parent is not None:
                parent.setExpanded(True)
            tree.setCurrentItem(current_item)
            tree.scrollToItem(current_item)
        on_current()
        self.categoryTree = tree
        return box, search, lambda: self._selected_code(tree)

    def _make_department(self, f: FieldSpec) -> tuple[QWidget, QWidget, Any]:
        ref = self._ws.ref
        case = self._cases[0]
        centre = case.centre_code
        depts = ref.departments_of(centre)
        suggestions = {
            s.code for s in (ref.suggest_department(c.category_code, c.centre_code) for c in self._cases) if s
        }
        unanimous = (
            len(suggestions) == 1
            and all(ref.suggest_department(c.category_code, c.centre_code) is not None for c in self._cases)
        )
        current = {c.department_code for c in self._cases if c.department_code}
        now = self._ws.now()
        with self._ws.read() as conn:
            loads = queries.workloads(conn, now, [centre])
        box = QWidget(self)
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(4)
        search: QLineEdit | None = None
        if len(depts) >= DEPARTMENT_SEARCH_FROM:
            search = QLineEdit(box)
            search.setObjectName("departmentSearch")
            search.installEventFilter(self._search_enter)
            search.setPlaceholderText(self.tr("搜索部门"))
            search.setClearButtonEnabled(True)
            col.addWidget(search)
        tree = self._make_tree("departmentList", [self.tr("部门"), self.tr("当前负荷")])
        col.addWidget(tree, 1)
        bold = QFont(tree.font())
        bold.setBold(True)
        ordered = sorted(depts, key=lambda d: (d.code not in suggestions, d.code))
        preselect: QTreeWidgetItem | None = None
        for d in ordered:
            load = loads.get(d.code)
            open_n, overdue = (load.open, load.overdue) if load is not None else (0, 0)
            name = d.name
            tags: list[str] = []
            if d.code in suggestions:
                tags.append(self.tr("推荐"))
            if d.code in current and not self.is_bulk:
                tags.append(self.tr("当前"))
            if tags:
                name += self.tr("（{tags}）").format(tags=self.tr("，").join(tags))
            load_text = self.tr("在办 {open} · 超期 {overdue}").format(open=open_n, overdue=overdue)
            item = QTreeWidgetItem(tree, [name, load_text])
            item.setData(0, CODE_ROLE, d.code)
            item.setToolTip(0, d.code)
            if d.code in suggestions:
                item.setFont(0, bold)
            if overdue:
                item.setForeground(1, QBrush(QColor(OVERDUE_COLOUR)))
            if self._spec.ctype is C.REASSIGN and not self.is_bulk and d.code in current:
                item.setFlags(Qt.ItemFlag.NoItemFlags)  # reassigning to the same department makes no sense
                item.setForeground(0, QBrush(QColor(MUTED_COLOUR)))
                item.setToolTip(0, self.tr("当前处置部门"))
            elif unanimous and d.code in suggestions and preselect is None:
                preselect = item
        _fit_rows(tree, len(depts))
        if preselect is not None:
            tree.setCurrentItem(preselect)
        tree.currentItemChanged.connect(self._changed)
        tree.itemSelectionChanged.connect(self._changed)
        if search is not None:

            def filter_list(text: str) -> None:
                needle = text.strip().lower()
                for item in _top_items(tree):
                    item.setHidden(bool(needle) and needle not in item.text(0).lower())
                self._changed()

            search.textChanged.connect(filter_list)
        self.departmentList = tree
        return box, tree, lambda: self._selected_code(tree)

    def _make_centre(self, f: FieldSpec) -> tuple[QWidget, QWidget, Any]:
        ref = self._ws.ref
        case = self._cases[0]
        children = sorted(ref.child_centres(case.centre_code), key=lambda c: c.code)
        suggested = ref.centre_for_grid(case.grid_code) if case.grid_code else None
        now = self._ws.now()
        with self._ws.read() as conn:
            counts = {c.code: queries.status_counts(conn, [c.code], now) for c in children}
        tree = self._make_tree("centreList", [self.tr("下级中心"), self.tr("当前负荷")])
        _fit_rows(tree, len(children))
        preselect: QTreeWidgetItem | None = None
        for c in sorted(children, key=lambda c: (c.code != suggested, c.code)):
            cnt = counts.get(c.code, {})
            open_n = sum(cnt.get(s.value, 0) for s in Status if s.value in cnt)
            name = c.name + (self.tr("（推荐：事发地）") if c.code == suggested else "")
            item = QTreeWidgetItem(
                tree,
                [name, self.tr("在办 {open} · 超期 {overdue}").format(open=open_n, overdue=cnt.get("overdue", 0))],
            )
            item.setData(0, CODE_ROLE, c.code)
            if c.code == suggested:
                preselect = item
        if preselect is not None:
            tree.setCurrentItem(preselect)
        tree.currentItemChanged.connect(self._changed)
        tree.itemSelectionChanged.connect(self._changed)
        self.centreList = tree
        return tree, tree, lambda: self._selected_code(tree)

    def _make_merge_target(self, f: FieldSpec) -> tuple[QWidget, QWidget, Any]:
        box = QWidget(self)
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(4)
        search = QLineEdit(box)
        search.setObjectName("mergeSearch")
        search.installEventFilter(self._search_enter)
        search.setPlaceholderText(self.tr("按编号或标题搜索本中心在办事件"))
        search.setClearButtonEnabled(True)
        tree = self._make_tree("mergeList", [self.tr("编号"), self.tr("标题"), self.tr("状态"), self.tr("上报时间")])
        header = tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        tree.setMinimumHeight(220)
        col.addWidget(search)
        col.addWidget(tree, 1)
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(MERGE_SEARCH_DEBOUNCE_MS)
        self._merge_timer = timer
        timer.timeout.connect(lambda: self._fill_merge_list(tree, search.text()))
        search.textChanged.connect(lambda _t: timer.start())

        def search_now() -> None:
            timer.stop()
            self._fill_merge_list(tree, search.text())

        search.returnPressed.connect(search_now)
        tree.currentItemChanged.connect(self._changed)
        tree.itemSelectionChanged.connect(self._changed)
        self._fill_merge_list(tree, "")
        self.mergeList = tree
        return box, search, lambda: self._selected_code(tree)

    def _fill_merge_list(self, tree: QTreeWidget, text: str) -> None:
        case = self._cases[0]
        own = {c.id for c in self._cases}
        f = QueueFilter(centres=(case.centre_code,), open_only=True, text=text.strip(), sort="created", descending=True)
        with self._ws.read() as conn:
            rows = queries.queue(conn, f, self._ws.now(), limit=MERGE_LIST_LIMIT + len(own))
        current = tree.currentItem()
        keep = current.data(0, CODE_ROLE) if current is not None else None
        tree.clear()
        for r in rows:
            if r["id"] in own:
                continue
            created = from_epoch(r["created_at"])
            status = r["status"]
            with contextlib.suppress(ValueError):
                status = i18n_label(Status(status))
            item = QTreeWidgetItem(tree, [r["code"], r["title"], status, fmt_local(created, "%m-%d %H:%M")])
            item.setData(0, CODE_ROLE, r["id"])
            item.setToolTip(1, r["title"])
            if r["id"] == keep:
                tree.setCurrentItem(item)
        self._changed()


def _fit_rows(tree: QTreeWidget, rows: int, most: int = 10) -> None:
    """A short list is as tall as its rows (up to `most` rows, then it scrolls)."""
    row = tree.fontMetrics().height() + 14
    header = tree.header().sizeHint().height()
    tree.setFixedHeight(header + row * max(2, min(rows, most)) + 2 * tree.frameWidth() + 4)


def _top_items(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    items = (tree.topLevelItem(i) for i in range(tree.topLevelItemCount()))
    return [item for item in items if item is not None]


def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    children = (item.child(j) for j in range(item.childCount()))
    return [child for child in children if child is not None]


def _span_text(minutes: int) -> str:
    """Working minutes as the operator thinks of them: '2 个工作日', '3 小时', '1 个工作日 2 小时'."""
    days, rest = divmod(int(minutes), WORKDAY_MINUTES)
    hours, mins = divmod(rest, 60)
    parts: list[str] = []
    if days:
        parts.append(QCoreApplication.translate("CommandDialog", "{n} 个工作日").format(n=days))
    if hours:
        parts.append(QCoreApplication.translate("CommandDialog", "{n} 小时").format(n=hours))
    if mins or not parts:
        parts.append(QCoreApplication.translate("CommandDialog", "{n} 分钟").format(n=mins))
    return " ".join(parts)
