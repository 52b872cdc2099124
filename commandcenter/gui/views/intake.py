"""Hotline intake (热线受理): register a case from a phone call or a visit.

``HotlineIntakeDialog`` is non-modal: the operator keeps the queue in view while
on the phone.  Closing it only hides it — the draft is kept until it is saved
or cleared, so nothing typed during a call is lost.

The form asks what a call gives: the line (12345 / 967999 / 群众来访), the
caller and phone (validated as typed), the category (searchable 大类 › 小类),
priority and severity, the place (address text and/or a grid picked township →
village → grid; the grid's centroid becomes the case position) and what was
said.  While the form is filled in, the right-hand panel lists likely
duplicates (same category, near, recent; services.duplicates).  The operator
then either saves a new case ("仍然新建" when duplicates are listed) or
"合并到此事件": the case is created and merged into the chosen one — two
commands, both through the command path, both in the history.

Every write is ``workspace.commands.apply``; a refusal is shown inline and the
form keeps its content.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.case import Actor, Command, new_id
from ...domain.enums import CommandType, OrgLevel, Priority, Severity, Source, Status
from ...domain.masking import valid_phone
from ...domain.permissions import can
from ...domain.timeutil import fmt_local, from_epoch
from ...domain.workflow import MAX_TEXT, MAX_TITLE
from ...services.duplicates import grid_centroid, likely_duplicates
from ...services.workspace import Workspace
from ..i18n import label as i18n_label
from ..i18n import refusal_text

log = logging.getLogger(__name__)

_CTX = "HotlineIntakeDialog"

PHONE_MESSAGE = str(QT_TRANSLATE_NOOP("HotlineIntakeDialog", "联系电话格式不正确：应为 11 位手机号或带区号的固定电话"))
INTAKE_SOURCES = (Source.HOTLINE_12345, Source.HOTLINE_967999, Source.VISIT)
DUPLICATE_DEBOUNCE_MS = 300
DUPLICATE_RADIUS_M = 500
DUPLICATE_HOURS = 72

# duplicate table columns
DUP_CODE, DUP_TITLE, DUP_STATUS, DUP_WHERE, DUP_CREATED, DUP_SCORE = range(6)
DUP_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1

_ERROR_STYLE = "color: #ff5c61;"
_OK_STYLE = "color: #3fb950;"


translate = QCoreApplication.translate  # lupdate reads translate("HotlineIntakeDialog", "…")


def can_intake(actor: Actor) -> bool:
    """Whether the actor's role may register cases (the intake is offered only then)."""
    return can(actor.role, CommandType.CREATE)


def make_intake_action(parent: QWidget, actor: Actor) -> QAction:
    """The "新建热线事件" action (F2), enabled only for roles that may create cases."""
    act = QAction(parent)
    act.setObjectName("actionHotlineIntake")
    act.setShortcut(QKeySequence(Qt.Key.Key_F2))
    act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    retranslate_intake_action(act)
    act.setEnabled(can_intake(actor))
    return act


def retranslate_intake_action(act: QAction) -> None:
    """The action's texts in the current language (at creation and on LanguageChange)."""
    act.setText(translate("HotlineIntakeDialog", "新建热线事件"))
    act.setIconText(translate("HotlineIntakeDialog", "新建热线事件 F2"))
    act.setToolTip(translate("HotlineIntakeDialog", "新建热线事件（F2）：登记 12345/967999 来电或群众来访"))


def _phone_looks_finished(text: str) -> bool:
    """Whether to judge the phone while it is being typed: long enough, or not a number at all."""
    p = text.strip().replace(" ", "")
    return len(p) >= 11 or any(not (ch.isdigit() or ch == "-") for ch in p)


class HotlineIntakeDialog(QDialog):
    """Create a case from a call; offers to merge into a likely duplicate."""

    sig_case_created = Signal(str, str)  # case id, case code (after the CREATE applied)
    sig_case_merged = Signal(str, str)  # new case id, target case id (after the MERGE applied)

    def __init__(
        self,
        workspace: Workspace,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        debounce_ms: int = DUPLICATE_DEBOUNCE_MS,
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._actor = actor
        self._created: tuple[str, str] | None = None  # (id, code) once the CREATE applied but the MERGE did not
        self._phone_touched = False
        self._duplicates: list[dict[str, Any]] = []
        self.setObjectName("hotlineIntakeDialog")
        self.setWindowTitle(self.tr("新建热线事件"))
        self.setModal(False)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setSizeGripEnabled(True)
        self.resize(1320, 720)

        self._dup_timer = QTimer(self)
        self._dup_timer.setSingleShot(True)
        self._dup_timer.setInterval(debounce_ms)

        self._build()
        self._fill_choices()
        self._connect()
        if parent is not None:
            parent.installEventFilter(self)  # the window closes: put the form away with it
        self._update_duplicate_hint()
        self._update_buttons()

    # --- building -----------------------------------------------------------------

    def _build(self) -> None:
        form_box = QGroupBox(self.tr("来电信息"), self)
        form = QFormLayout(form_box)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(8)

        self.sourceCombo = QComboBox(form_box)
        self.sourceCombo.setObjectName("sourceCombo")
        self.callerEdit = QLineEdit(form_box)
        self.callerEdit.setObjectName("callerEdit")
        self.callerEdit.setPlaceholderText(self.tr("来电人姓名（可匿名）"))
        self.callerEdit.setMaxLength(50)
        self.phoneEdit = QLineEdit(form_box)
        self.phoneEdit.setObjectName("phoneEdit")
        self.phoneEdit.setPlaceholderText(self.tr("手机号或带区号的固定电话，如 13812345678、0571-64612345"))
        self.phoneEdit.setMaxLength(20)
        self.phoneMessage = QLabel(form_box)
        self.phoneMessage.setObjectName("phoneMessage")
        self.phoneMessage.setStyleSheet(_ERROR_STYLE)
        self.phoneMessage.setVisible(False)
        phone_box = QWidget(form_box)
        phone_layout = QVBoxLayout(phone_box)
        phone_layout.setContentsMargins(0, 0, 0, 0)
        phone_layout.setSpacing(2)
        phone_layout.addWidget(self.phoneEdit)
        phone_layout.addWidget(self.phoneMessage)

        self.categoryCombo = QComboBox(form_box)
        self.categoryCombo.setObjectName("categoryCombo")
        self.categoryCombo.setEditable(True)
        self.categoryCombo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.categoryCombo.setMaxVisibleItems(20)
        line = self.categoryCombo.lineEdit()
        assert line is not None  # editable
        line.setPlaceholderText(self.tr("输入关键字搜索，如“垃圾”“纠纷”“消防”"))
        completer = QCompleter(self.categoryCombo.model(), self.categoryCombo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.categoryCombo.setCompleter(completer)

        self.priorityCombo = QComboBox(form_box)
        self.priorityCombo.setObjectName("priorityCombo")
        self.severityCombo = QComboBox(form_box)
        self.severityCombo.setObjectName("severityCombo")
        levels = QWidget(form_box)
        levels_layout = QHBoxLayout(levels)
        levels_layout.setContentsMargins(0, 0, 0, 0)
        levels_layout.addWidget(self.priorityCombo, 1)
        sev_label = QLabel(self.tr("严重程度"), levels)
        sev_label.setBuddy(self.severityCombo)
        levels_layout.addWidget(sev_label)
        levels_layout.addWidget(self.severityCombo, 1)

        self.addressEdit = QLineEdit(form_box)
        self.addressEdit.setObjectName("addressEdit")
        self.addressEdit.setPlaceholderText(self.tr("来电人所说的地点，如 白云路12号菜场门口"))
        self.addressEdit.setMaxLength(200)
        self.townshipCombo = QComboBox(form_box)
        self.townshipCombo.setObjectName("townshipCombo")
        self.villageCombo = QComboBox(form_box)
        self.villageCombo.setObjectName("villageCombo")
        self.gridCombo = QComboBox(form_box)
        self.gridCombo.setObjectName("gridCombo")
        grid_row = QWidget(form_box)
        grid_layout = QHBoxLayout(grid_row)
        grid_layout.setContentsMargins(0, 0, 0, 0)
        for combo in (self.townshipCombo, self.villageCombo, self.gridCombo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
            grid_layout.addWidget(combo, 1)

        self.titleEdit = QLineEdit(form_box)
        self.titleEdit.setObjectName("titleEdit")
        self.titleEdit.setPlaceholderText(self.tr("留空则自动生成：分类 + 地点"))
        self.titleEdit.setMaxLength(MAX_TITLE)
        self.descriptionEdit = QPlainTextEdit(form_box)
        self.descriptionEdit.setObjectName("descriptionEdit")
        self.descriptionEdit.setPlaceholderText(self.tr("来电内容：发生了什么、持续多久、有无人员受伤、来电人诉求"))
        self.descriptionEdit.setTabChangesFocus(True)
        self.descriptionEdit.setMinimumHeight(110)

        form.addRow(self.tr("来电渠道"), self.sourceCombo)
        form.addRow(self.tr("来电人"), self.callerEdit)
        form.addRow(self.tr("联系电话"), phone_box)
        form.addRow(self.tr("事件分类 *"), self.categoryCombo)
        form.addRow(self.tr("紧急程度"), levels)
        form.addRow(self.tr("事件地址"), self.addressEdit)
        form.addRow(self.tr("所属网格"), grid_row)
        form.addRow(self.tr("事件标题"), self.titleEdit)
        form.addRow(self.tr("来电内容"), self.descriptionEdit)
        for field in (self.sourceCombo, self.callerEdit, self.categoryCombo, self.priorityCombo, self.addressEdit,
                      self.townshipCombo, self.titleEdit, self.descriptionEdit):
            label = form.labelForField(field if field is not self.priorityCombo else levels)
            if isinstance(label, QLabel):
                label.setBuddy(field)
        phone_label = form.labelForField(phone_box)
        if isinstance(phone_label, QLabel):
            phone_label.setBuddy(self.phoneEdit)

        # likely duplicates
        dup_box = QGroupBox(self.tr("可能重复的事件"), self)
        dup_layout = QVBoxLayout(dup_box)
        self.duplicateHint = QLabel(dup_box)
        self.duplicateHint.setObjectName("duplicateHint")
        self.duplicateHint.setWordWrap(True)
        self.duplicateTable = QTableWidget(0, 6, dup_box)
        self.duplicateTable.setObjectName("duplicateTable")
        self.duplicateTable.setHorizontalHeaderLabels(
            [self.tr("编号"), self.tr("标题"), self.tr("状态"), self.tr("距离"), self.tr("上报时间"), self.tr("相似度")]
        )
        self.duplicateTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.duplicateTable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.duplicateTable.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.duplicateTable.verticalHeader().setVisible(False)
        self.duplicateTable.setWordWrap(False)
        header = self.duplicateTable.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DUP_TITLE, QHeaderView.ResizeMode.Stretch)
        self.mergeButton = QPushButton(self.tr("合并到此事件"), dup_box)
        self.mergeButton.setObjectName("mergeButton")
        self.mergeButton.setAutoDefault(False)
        self.mergeButton.setToolTip(self.tr("新建本次来电的事件，并把它合并到选中的事件（两步都记入处理过程）"))
        merge_row = QHBoxLayout()
        merge_row.addStretch(1)
        merge_row.addWidget(self.mergeButton)
        dup_layout.addWidget(self.duplicateHint)
        dup_layout.addWidget(self.duplicateTable, 1)
        dup_layout.addLayout(merge_row)

        self.messageLabel = QLabel(self)
        self.messageLabel.setObjectName("messageLabel")
        self.messageLabel.setWordWrap(True)
        self.messageLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.clearButton = QPushButton(self.tr("清空"), self)
        self.clearButton.setObjectName("clearButton")
        self.clearButton.setAutoDefault(False)
        self.closeButton = QPushButton(self.tr("关闭"), self)
        self.closeButton.setObjectName("closeButton")
        self.closeButton.setAutoDefault(False)
        self.closeButton.setToolTip(self.tr("关闭窗口；已填写的内容会保留，再按 F2 继续"))
        self.saveButton = QPushButton(self.tr("保存"), self)
        self.saveButton.setObjectName("saveButton")
        self.saveButton.setAutoDefault(False)
        self.saveButton.setToolTip(self.tr("保存为新事件（Ctrl+Enter）"))

        body = QHBoxLayout()
        body.addWidget(form_box, 1)
        body.addWidget(dup_box, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.messageLabel, 1)
        buttons.addWidget(self.clearButton)
        buttons.addWidget(self.closeButton)
        buttons.addWidget(self.saveButton)
        root = QVBoxLayout(self)
        root.addLayout(body, 1)
        root.addLayout(buttons)

        self._save_shortcuts = [
            QShortcut(QKeySequence("Ctrl+Return"), self),
            QShortcut(QKeySequence("Ctrl+Enter"), self),
        ]
        QWidget.setTabOrder(self.sourceCombo, self.callerEdit)
        QWidget.setTabOrder(self.callerEdit, self.phoneEdit)
        QWidget.setTabOrder(self.phoneEdit, self.categoryCombo)
        QWidget.setTabOrder(self.categoryCombo, self.priorityCombo)
        QWidget.setTabOrder(self.priorityCombo, self.severityCombo)
        QWidget.setTabOrder(self.severityCombo, self.addressEdit)
        QWidget.setTabOrder(self.addressEdit, self.townshipCombo)
        QWidget.setTabOrder(self.townshipCombo, self.villageCombo)
        QWidget.setTabOrder(self.villageCombo, self.gridCombo)
        QWidget.setTabOrder(self.gridCombo, self.titleEdit)
        QWidget.setTabOrder(self.titleEdit, self.descriptionEdit)
        QWidget.setTabOrder(self.descriptionEdit, self.duplicateTable)
        QWidget.setTabOrder(self.duplicateTable, self.mergeButton)
        QWidget.setTabOrder(self.mergeButton, self.saveButton)
        QWidget.setTabOrder(self.saveButton, self.closeButton)
        QWidget.setTabOrder(self.closeButton, self.clearButton)

    def _fill_choices(self) -> None:
        for src in INTAKE_SOURCES:
            self.sourceCombo.addItem(i18n_label(src), src.value)
        for p in Priority:
            self.priorityCombo.addItem(i18n_label(p), p.value)
        for s in Severity:
            self.severityCombo.addItem(i18n_label(s), s.value)
        cats = self._ws.ref.categories
        majors = sorted((c for c in cats.values() if not c.is_leaf), key=lambda c: c.code)
        self.categoryCombo.addItem("", None)
        for major in majors:
            for leaf in sorted((c for c in cats.values() if c.parent_code == major.code), key=lambda c: c.code):
                self.categoryCombo.addItem(f"{major.name} › {leaf.name}", leaf.code)
        self.categoryCombo.setCurrentIndex(0)
        self.townshipCombo.addItem(self.tr("乡镇/街道（可选）"), None)
        units = self._ws.ref.org_units.values()
        for u in sorted((u for u in units if u.level is OrgLevel.TOWNSHIP), key=lambda u: u.code):
            self.townshipCombo.addItem(u.name, u.code)
        self._fill_children(self.villageCombo, None, OrgLevel.VILLAGE, self.tr("村/社区"))
        self._fill_children(self.gridCombo, None, OrgLevel.GRID, self.tr("网格"))

    def _fill_children(self, combo: QComboBox, parent: str | None, level: OrgLevel, what: str) -> None:
        blocked = combo.blockSignals(True)
        combo.clear()
        combo.addItem(self.tr("{what}（可选）").format(what=what) if parent else self.tr("先选上一级"), None)
        if parent:
            units = self._ws.ref.org_units.values()
            for u in sorted((u for u in units if u.level is level and u.parent_code == parent), key=lambda u: u.code):
                combo.addItem(u.name, u.code)
        combo.setEnabled(bool(parent) and combo.count() > 1)
        combo.blockSignals(blocked)

    def _connect(self) -> None:
        self.phoneEdit.textChanged.connect(self.on_phone_text_changed)
        self.phoneEdit.editingFinished.connect(self.on_phone_editing_finished)
        self.categoryCombo.currentIndexChanged.connect(self.on_location_or_category_changed)
        self.categoryCombo.editTextChanged.connect(self.on_location_or_category_changed)
        self.townshipCombo.currentIndexChanged.connect(self.on_township_changed)
        self.villageCombo.currentIndexChanged.connect(self.on_village_changed)
        self.gridCombo.currentIndexChanged.connect(self.on_location_or_category_changed)
        self._dup_timer.timeout.connect(self.refresh_duplicates)
        self.duplicateTable.itemSelectionChanged.connect(self._update_buttons)
        self.saveButton.clicked.connect(self.save)
        self.mergeButton.clicked.connect(self.merge_into_selected)
        self.closeButton.clicked.connect(self.close)
        self.clearButton.clicked.connect(self.clear_form)
        for sc in self._save_shortcuts:
            sc.activated.connect(self.save)

    # --- public API ---------------------------------------------------------------

    @property
    def duplicates(self) -> list[dict[str, Any]]:
        return list(self._duplicates)

    def category_code(self) -> str | None:
        """The chosen 小类 code, or None when the text does not name one."""
        combo = self.categoryCombo
        text = combo.currentText().strip()
        if not text:
            return None
        idx = combo.findText(text, Qt.MatchFlag.MatchFixedString)
        if idx < 0:
            return None
        data = combo.itemData(idx)
        return data if isinstance(data, str) else None

    def set_category(self, code: str) -> bool:
        idx = self.categoryCombo.findData(code)
        if idx < 0:
            return False
        self.categoryCombo.setCurrentIndex(idx)
        return True

    def set_grid(self, grid_code: str) -> bool:
        """Pick township, village and grid for a grid code (as the operator would)."""
        unit = self._ws.ref.org_units.get(grid_code)
        if unit is None or unit.level is not OrgLevel.GRID or unit.parent_code is None:
            return False
        village = self._ws.ref.org_units.get(unit.parent_code)
        if village is None or village.parent_code is None:
            return False
        self.townshipCombo.setCurrentIndex(max(0, self.townshipCombo.findData(village.parent_code)))
        self.villageCombo.setCurrentIndex(max(0, self.villageCombo.findData(village.code)))
        self.gridCombo.setCurrentIndex(max(0, self.gridCombo.findData(grid_code)))
        return self.gridCombo.currentData() == grid_code

    def grid_code(self) -> str | None:
        data = self.gridCombo.currentData()
        return data if isinstance(data, str) else None

    def phone_error(self) -> str:
        """'' when the phone is empty or valid, else the message shown under the field."""
        text = self.phoneEdit.text().strip()
        if not text or valid_phone(text):
            return ""
        return self.tr(PHONE_MESSAGE)

    def payload(self) -> tuple[dict[str, Any] | None, str]:
        """The CREATE payload from the form, or (None, what is wrong)."""
        phone_error = self.phone_error()
        if phone_error:
            return None, phone_error
        category = self.category_code()
        if category is None:
            if self.categoryCombo.currentText().strip():
                return None, self.tr("事件分类“{t}”不存在，请从列表中选择一个小类").format(
                    t=self.categoryCombo.currentText().strip()
                )
            return None, self.tr("请选择事件分类（小类）")
        address = self.addressEdit.text().strip()
        grid = self.grid_code()
        if not address and not grid:
            return None, self.tr("请填写事件地址或选择所属网格")
        description = self.descriptionEdit.toPlainText().strip()
        if len(description) > MAX_TEXT:
            return None, self.tr("来电内容过长（最多 {n} 字）").format(n=MAX_TEXT)
        title = self.titleEdit.text().strip() or self._auto_title(category, address, grid)
        payload: dict[str, Any] = {
            "title": title[:MAX_TITLE],
            "description": description,
            "source": self.sourceCombo.currentData(),
            "category_code": category,
            "priority": self.priorityCombo.currentData(),
            "severity": self.severityCombo.currentData(),
            "reporter_name": self.callerEdit.text().strip(),
            "reporter_phone": self.phoneEdit.text().strip().replace(" ", ""),
            "address": address,
        }
        if grid:
            payload["grid_code"] = grid
            point = self._grid_point(grid)
            if point is not None:
                payload["lon"], payload["lat"] = point
        if self._actor.centre_code:
            payload["centre_code"] = self._actor.centre_code  # the call came to this centre: its queue takes it
        return payload, ""

    def save(self) -> bool:
        """Create the case ("保存" / "仍然新建"). True when it was created."""
        if self._created is not None:
            self._show_message(self.tr("事件 {code} 已新建；请合并，或关闭窗口").format(code=self._created[1]), error=True)
            return False
        return self._create() is not None

    def merge_into_selected(self) -> bool:
        """Create the case (unless already created) and merge it into the selected duplicate."""
        target = self.selected_duplicate()
        if target is None:
            self._show_message(self.tr("请先在右侧列表中选择要合并到的事件"), error=True)
            return False
        created = self._created or self._create(close_on_success=False)
        if created is None:
            return False
        case_id, code = created
        cmd = Command(
            CommandType.MERGE,
            case_id,
            self._actor,
            {"target_id": target["id"], "opinion": self.tr("热线来电与 {code} 反映同一问题，合并").format(code=target["code"])},
            base_version=1,
        )
        out = self._apply(cmd)
        if out is None or not out.ok:
            self._created = created
            reason = refusal_text(out) if out is not None else self.tr("保存失败")
            self._show_message(
                self.tr("事件 {code} 已新建，但未能合并到 {target}：{reason}").format(
                    code=code, target=target["code"], reason=reason
                ),
                error=True,
            )
            self._update_buttons()
            return False
        self.sig_case_merged.emit(case_id, target["id"])
        self._finish(self.tr("已新建事件 {code} 并合并到 {target}").format(code=code, target=target["code"]))
        return True

    def selected_duplicate(self) -> dict[str, Any] | None:
        rows = self.duplicateTable.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.duplicateTable.item(rows[0].row(), DUP_CODE)
        case_id = item.data(DUP_ID_ROLE) if item is not None else None
        return next((d for d in self._duplicates if d["id"] == case_id), None)

    def select_duplicate(self, case_id: str) -> bool:
        for row in range(self.duplicateTable.rowCount()):
            item = self.duplicateTable.item(row, DUP_CODE)
            if item is not None and item.data(DUP_ID_ROLE) == case_id:
                self.duplicateTable.selectRow(row)
                return True
        return False

    def refresh_duplicates(self) -> None:
        """List the likely duplicates of what the form says now."""
        self._dup_timer.stop()
        category, grid = self.category_code(), self.grid_code()
        found: list[dict[str, Any]] = []
        if category and grid:
            point = self._grid_point(grid)
            try:
                with self._ws.read() as conn:
                    found = likely_duplicates(
                        conn,
                        category_code=category,
                        lon=point[0] if point else None,
                        lat=point[1] if point else None,
                        grid_code=grid,
                        now=self._ws.now(),
                        radius_m=DUPLICATE_RADIUS_M,
                        hours=DUPLICATE_HOURS,
                    )
            except Exception:  # a failed look-up must not block the call: say so and go on
                log.exception("duplicate look-up failed")
                self.duplicateHint.setText(self.tr("查重失败，可直接保存"))
                found = []
        selected = self.selected_duplicate()
        self._duplicates = found
        table = self.duplicateTable
        table.setRowCount(len(found))
        cats = self._ws.ref.categories
        for row, d in enumerate(found):
            where = (
                self.tr("{m} 米").format(m=round(d["distance_m"])) if d["distance_m"] is not None else self.tr("同网格")
            )
            try:
                status = i18n_label(Status(d["status"]))
            except ValueError:
                status = str(d["status"])
            cat = cats.get(d["category_code"] or "")
            cells = [
                d["code"],
                d["title"],
                status,
                where,
                fmt_local(from_epoch(d["created_at"]), "%m-%d %H:%M"),
                f"{round(d['score'] * 100)}%",
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == DUP_CODE:
                    item.setData(DUP_ID_ROLE, d["id"])
                if col == DUP_TITLE:
                    tip = d["title"] + (f"（{cat.name}）" if cat else "") + (f"\n{d['address']}" if d["address"] else "")
                    item.setToolTip(tip)
                table.setItem(row, col, item)
        if selected is not None:
            self.select_duplicate(selected["id"])
        self._update_duplicate_hint()
        self._update_buttons()

    def clear_form(self) -> None:
        """Empty the form for the next call (source and levels back to their defaults)."""
        for edit in (self.callerEdit, self.phoneEdit, self.addressEdit, self.titleEdit):
            edit.clear()
        self.descriptionEdit.clear()
        self.sourceCombo.setCurrentIndex(0)
        self.priorityCombo.setCurrentIndex(0)
        self.severityCombo.setCurrentIndex(0)
        self.categoryCombo.setCurrentIndex(0)
        self.categoryCombo.setEditText("")
        self.townshipCombo.setCurrentIndex(0)
        self._phone_touched = False
        self._created = None
        self._show_phone_message("")
        self._show_message("")
        self.refresh_duplicates()
        self.callerEdit.setFocus(Qt.FocusReason.OtherFocusReason)

    def start_call(self) -> None:
        """Show the dialog (raised, focused on the caller field) for a call."""
        self.show()
        self.raise_()
        self.activateWindow()
        if not self.callerEdit.text():
            self.callerEdit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # --- slots --------------------------------------------------------------------

    def on_phone_text_changed(self, text: str) -> None:
        if self._phone_touched or _phone_looks_finished(text) or not text.strip():
            self._show_phone_message(self.phone_error())

    def on_phone_editing_finished(self) -> None:
        self._phone_touched = True
        self._show_phone_message(self.phone_error())

    def on_township_changed(self, _index: int) -> None:
        self._fill_children(self.villageCombo, self.townshipCombo.currentData(), OrgLevel.VILLAGE, self.tr("村/社区"))
        self._fill_children(self.gridCombo, None, OrgLevel.GRID, self.tr("网格"))
        self.on_location_or_category_changed()

    def on_village_changed(self, _index: int) -> None:
        self._fill_children(self.gridCombo, self.villageCombo.currentData(), OrgLevel.GRID, self.tr("网格"))
        if self.gridCombo.count() == 2:  # a village with one grid: pick it
            self.gridCombo.setCurrentIndex(1)
        self.on_location_or_category_changed()

    def on_location_or_category_changed(self, *_args: object) -> None:
        self._dup_timer.start()

    # --- helpers ------------------------------------------------------------------

    def _create(self, *, close_on_success: bool = True) -> tuple[str, str] | None:
        payload, problem = self.payload()
        if payload is None:
            self._show_message(problem, error=True)
            if problem == self.phone_error():
                self._phone_touched = True
                self._show_phone_message(problem)
                self.phoneEdit.setFocus(Qt.FocusReason.OtherFocusReason)
            return None
        cmd = Command(CommandType.CREATE, new_id(), self._actor, payload)
        out = self._apply(cmd)
        if out is None:
            return None
        if not out.ok or out.case is None:
            self._show_message(self.tr("未能保存：{reason}").format(reason=refusal_text(out)), error=True)
            return None
        created = (cmd.case_id, out.case.code)
        self.sig_case_created.emit(*created)
        if close_on_success:
            self._finish(self.tr("已新建事件 {code}").format(code=out.case.code))
        return created

    def _apply(self, cmd: Command) -> Any:
        """Apply through the command path; never raises (a failure is shown inline)."""
        self.saveButton.setEnabled(False)
        self.mergeButton.setEnabled(False)
        try:
            return self._ws.commands.apply(cmd)
        except Exception as exc:  # the service refuses cleanly; this is a last line of defence
            log.exception("intake command failed")
            self._show_message(self.tr("未能保存：{reason}").format(reason=str(exc)), error=True)
            return None
        finally:
            self._update_buttons()

    def _finish(self, message: str) -> None:
        """Saved: clear the form for the next call and hide (the main window shows the case)."""
        self.clear_form()
        self._show_message(message, error=False)
        self.hide()

    def _auto_title(self, category: str, address: str, grid: str | None) -> str:
        cat = self._ws.ref.categories.get(category)
        place = address or (self._ws.ref.org_units[grid].name if grid and grid in self._ws.ref.org_units else "")
        name = cat.name if cat else ""
        return f"{name}：{place}" if place else name or self.tr("热线来电")

    def _grid_point(self, grid: str) -> tuple[float, float] | None:
        try:
            with self._ws.read() as conn:
                return grid_centroid(conn, grid)
        except Exception:
            log.exception("grid centroid look-up failed")
            return None

    def _show_phone_message(self, text: str) -> None:
        self.phoneMessage.setText(text)
        self.phoneMessage.setVisible(bool(text))
        self.phoneEdit.setProperty("invalid", bool(text))
        self.phoneEdit.setStyleSheet("border: 1px solid #ff5c61;" if text else "")

    def _show_message(self, text: str, *, error: bool = False) -> None:
        self.messageLabel.setText(text)
        self.messageLabel.setStyleSheet(_ERROR_STYLE if error else _OK_STYLE)

    def _update_duplicate_hint(self) -> None:
        if self._duplicates:
            self.duplicateHint.setText(
                self.tr("发现 {n} 件可能重复的事件（{h} 小时内、{r} 米范围或同网格的同类事件）。"
                        "同一件事请选中后“合并到此事件”，不同的事请“仍然新建”。").format(
                    n=len(self._duplicates), h=DUPLICATE_HOURS, r=DUPLICATE_RADIUS_M
                )
            )
            self.duplicateHint.setStyleSheet("color: #c98414;")
        else:
            has_input = self.category_code() is not None and self.grid_code() is not None
            self.duplicateHint.setText(
                self.tr("未发现可能重复的事件。")
                if has_input
                else self.tr("选择事件分类和所属网格后，这里列出 {h} 小时内附近的同类事件。").format(h=DUPLICATE_HOURS)
            )
            self.duplicateHint.setStyleSheet("")

    def _update_buttons(self) -> None:
        can_create = can(self._actor.role, CommandType.CREATE)
        can_merge = can(self._actor.role, CommandType.MERGE)
        self.saveButton.setText(self.tr("仍然新建") if self._duplicates else self.tr("保存"))
        self.saveButton.setEnabled(can_create and self._created is None)
        self.mergeButton.setEnabled(
            can_merge and (can_create or self._created is not None) and self.selected_duplicate() is not None
        )
        if not can_merge:
            self.mergeButton.setToolTip(self.tr("{role}无权合并事件").format(role=i18n_label(self._actor.role)))

    # --- events -------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Close:
            self.hide()
        return False

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing hides: the draft stays for the next F2."""
        self._dup_timer.stop()
        super().closeEvent(event)
