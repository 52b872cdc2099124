"""The case actions of the workstation: one QAction per command type.

    controller = ActionController(workspace, actor, window, selection=window_selected_ids)
    controller.update_state()          # on selection change and after each refresh
    controller.trigger(CommandType.DISPATCH)

An action is enabled when the workflow and the actor's role allow it on the
current selection (``available_commands``); on a multi-selection only the bulk
actions (dispatch, reassign, urge) that are available for every selected case.
Triggering opens the action's :class:`CommandDialog` window-modally without
blocking (``open()``), and applies the commands it returns through the command
service.  Outcomes are reported through ``sig_message`` (the status bar), never
with a modal box; nothing here raises into Qt's event loop.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from functools import partial

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar, QWidget

from ...domain.case import Actor, Case, Command
from ...domain.enums import CommandType
from ...domain.permissions import can
from ...domain.workflow import Context, Reason, available_commands, decide
from ...services.commands import Outcome
from ...services.workspace import Workspace
from ..i18n import refusal_text
from .dialog import CommandDialog
from .specs import BULK_TYPES, GROUPS, MAX_BULK, ORDER, SPECS, ActionSpec, tr

log = logging.getLogger(__name__)

C = CommandType

# Readable on the dark and the light theme; a disabled action must look disabled.
TOOLBAR_QSS = """
QToolBar { border: none; spacing: 4px; padding: 2px 6px; }
QToolBar QToolButton { padding: 4px 10px; border: 1px solid transparent; border-radius: 4px; }
QToolBar QToolButton:hover { border-color: #3a8dde; }
QToolBar QToolButton:pressed { background-color: rgba(58, 141, 222, 0.25); }
QToolBar QToolButton:disabled { color: #5c6773; }
"""


def action_text(spec: ActionSpec) -> str:
    """'派遣(&D)' for a one-key shortcut (the Chinese menu convention), else the label."""
    key = spec.shortcut
    return f"{spec.label}(&{key})" if len(key) == 1 else spec.label


class ActionController(QObject):
    """Owns the case actions of one window and runs them through their dialogs."""

    sig_message = Signal(str)  # a one-line report for the status bar
    sig_pii_revealed = Signal(str)  # case id whose personal data the actor has just revealed
    sig_applied = Signal(object)  # list[Outcome] of one action (all cases of a bulk action)
    sig_dialog_opened = Signal(object)  # the CommandDialog just opened (tests and the help overlay use it)

    def __init__(
        self,
        workspace: Workspace,
        actor: Actor,
        parent: QWidget,
        selection: Callable[[], Sequence[str]],
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._actor = actor
        self._window = parent
        self._selection = selection
        self._dialog: CommandDialog | None = None
        self._case_ids: list[str] = []
        self._cache: dict[tuple[str, int], frozenset[CommandType]] = {}
        self._actions: dict[CommandType, QAction] = {}
        for ctype in ORDER:
            spec = SPECS[ctype]
            act = QAction(action_text(spec), parent)
            act.setObjectName(f"action_{ctype.value}")
            act.setShortcut(QKeySequence(spec.shortcut))
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.setToolTip(self._with_key(spec))
            act.setIconText(f"{spec.label} {spec.shortcut}")
            act.setData(ctype.value)
            permitted = can(actor.role, ctype)
            act.setVisible(permitted)  # what a role can never do is not offered at all
            act.setEnabled(False)
            act.triggered.connect(partial(self._on_action_triggered, ctype))
            self._actions[ctype] = act

    # --- public -------------------------------------------------------------------

    @property
    def actor(self) -> Actor:
        return self._actor

    def action(self, ctype: CommandType) -> QAction:
        return self._actions[ctype]

    def actions(self) -> list[QAction]:
        """Every action, in menu order (invisible ones included)."""
        return [self._actions[c] for c in ORDER]

    def enabled_types(self) -> list[CommandType]:
        return [c for c in ORDER if self._actions[c].isEnabled()]

    @property
    def current_dialog(self) -> CommandDialog | None:
        """The action dialog that is open now, if any."""
        return self._dialog

    def populate_menu(self, menu: QMenu, *, enabled_only: bool = False) -> None:
        """Add the actions the role may use, grouped by stage of the loop."""
        for group in GROUPS:
            acts = [
                self._actions[c]
                for c in group
                if self._actions[c].isVisible() and (self._actions[c].isEnabled() or not enabled_only)
            ]
            if not acts:
                continue
            if not menu.isEmpty():
                menu.addSeparator()
            menu.addActions(acts)

    def populate_toolbar(self, toolbar: QToolBar) -> None:
        """The common actions (spec.toolbar) the role may use."""
        if not toolbar.styleSheet():
            toolbar.setStyleSheet(TOOLBAR_QSS)
        for c in ORDER:
            if SPECS[c].toolbar and self._actions[c].isVisible():
                toolbar.addAction(self._actions[c])

    def context_menu(self, parent: QWidget | None = None) -> QMenu:
        """A menu of the actions enabled for the selection (empty if none)."""
        menu = QMenu(parent or self._window)
        menu.setObjectName("caseActionMenu")
        self.populate_menu(menu, enabled_only=True)
        return menu

    def selected_ids(self) -> list[str]:
        return list(self._case_ids)

    def update_state(self) -> None:
        """Enable exactly the actions the workflow and the role allow on the selection now."""
        try:
            self._update_state()
        except Exception:  # never raise into Qt
            log.exception("updating the action state failed")
            for act in self._actions.values():
                act.setEnabled(False)

    def _with_key(self, spec: ActionSpec) -> str:
        """'派遣（D）': the action and its key, for tool tips."""
        return self.tr("{a}（{k}）").format(a=spec.label, k=spec.shortcut)

    def retranslate(self) -> None:
        """Re-set the actions' texts in the current language (the window calls it on LanguageChange)."""
        for ctype, act in self._actions.items():
            spec = SPECS[ctype]
            act.setText(action_text(spec))
            act.setIconText(f"{spec.label} {spec.shortcut}")
        self.update_state()  # and their tool tips

    def trigger(self, ctype: CommandType) -> CommandDialog | None:
        """Open the action's dialog for the selection (non-blocking); None if not possible now."""
        try:
            return self._trigger(ctype)
        except Exception as exc:
            log.exception("opening the %s dialog failed", ctype.value)
            self.sig_message.emit(self.tr("无法打开“{a}”：{e}").format(a=tr(ctype.label), e=exc))
            return None

    # --- state --------------------------------------------------------------------

    def _load(self, ids: Sequence[str]) -> list[Case]:
        out: list[Case] = []
        for cid in ids:
            case = self._ws.case(cid)
            if case is not None:
                out.append(case)
        return out

    def _available(self, case: Case, ctx: Context) -> frozenset[CommandType]:
        key = (case.id, case.version)
        hit = self._cache.get(key)
        if hit is None:
            hit = frozenset(available_commands(case, self._actor, ctx))
            if len(self._cache) > 4096:
                self._cache.clear()
            self._cache[key] = hit
        return hit

    def _context(self) -> Context:
        return Context(self._ws.commands.ref, self._ws.commands.calendar, self._ws.now())

    def _update_state(self) -> None:
        ids = list(dict.fromkeys(i for i in self._selection() if i))
        self._case_ids = ids
        cases = self._load(ids) if len(ids) <= MAX_BULK else []
        ctx = self._context()
        tips: dict[CommandType, str] = {}
        if not cases:
            allowed: frozenset[CommandType] = frozenset()
        elif len(cases) == 1:
            allowed = self._available(cases[0], ctx)
            for ctype in ORDER:  # say why a permitted action is not possible on this case
                if ctype not in allowed and can(self._actor.role, ctype):
                    d = decide(cases[0], Command(ctype, cases[0].id, self._actor, {}), ctx)
                    if not d.ok and d.code != Reason.INVALID:
                        tips[ctype] = refusal_text(d)
        else:
            allowed = BULK_TYPES
            for ctype in BULK_TYPES:  # a bulk action needs every selected case to allow it
                if not can(self._actor.role, ctype):
                    continue
                blocker = next((c for c in cases if ctype not in self._available(c, ctx)), None)
                if blocker is not None:
                    allowed = allowed - {ctype}
                    d = decide(blocker, Command(ctype, blocker.id, self._actor, {}), ctx)
                    tips[ctype] = self.tr("所选事件中 {code} 不能执行：{reason}").format(
                        code=blocker.code, reason=refusal_text(d)
                    )
        for ctype, act in self._actions.items():
            spec = SPECS[ctype]
            act.setEnabled(ctype in allowed and act.isVisible())
            base = self._with_key(spec)
            if ctype in tips:
                act.setToolTip(f"{base}\n{tips[ctype]}")
                act.setStatusTip(tips[ctype])
            elif len(ids) > 1 and ctype not in BULK_TYPES and act.isVisible():
                act.setToolTip(f"{base}\n" + self.tr("不支持批量操作，请只选一件"))
                act.setStatusTip(self.tr("“{a}”不支持批量操作，请只选一件").format(a=spec.label))
            elif len(ids) > MAX_BULK:
                act.setToolTip(f"{base}\n" + self.tr("最多批量处理 {n} 件").format(n=MAX_BULK))
                act.setStatusTip("")
            else:
                act.setToolTip(base)
                act.setStatusTip("")

    # --- running an action ----------------------------------------------------------

    def _on_action_triggered(self, ctype: CommandType, _checked: bool = False) -> None:
        self.trigger(ctype)

    def _trigger(self, ctype: CommandType) -> CommandDialog | None:
        spec = SPECS.get(ctype)
        if spec is None:
            return None
        self.update_state()  # the selection or the cases may have moved since the last refresh
        act = self._actions[ctype]
        if not act.isEnabled():
            if act.isVisible() and self._case_ids:
                reason = act.statusTip() or self.tr("当前选中的事件不能执行此操作")
                self.sig_message.emit(self.tr("不能{a}：{r}").format(a=spec.label, r=reason))
            return None
        cases = self._load(self._case_ids)
        if not cases:
            return None
        if len(cases) > 1 and not spec.bulk:
            return None
        if self._dialog is not None:
            self._dialog.reject()
        dialog = CommandDialog(self._ws, self._actor, spec, cases, self._window)
        dialog.accepted.connect(partial(self._on_dialog_accepted, dialog))
        dialog.finished.connect(partial(self._on_dialog_finished, dialog))
        self._dialog = dialog
        dialog.open()
        dialog.activateWindow()  # typing goes to the form at once
        self.sig_dialog_opened.emit(dialog)
        return dialog

    def _on_dialog_finished(self, dialog: CommandDialog, _result: int) -> None:
        if self._dialog is dialog:
            self._dialog = None
        dialog.deleteLater()

    def _on_dialog_accepted(self, dialog: CommandDialog) -> None:
        try:
            self._apply(dialog.spec, dialog.cases, dialog.commands(), dialog.refusals())
        except Exception as exc:  # never raise into Qt
            log.exception("applying %s failed", dialog.spec.ctype.value)
            self.sig_message.emit(self.tr("{a}失败：{e}").format(a=dialog.spec.label, e=exc))

    def _apply(
        self, spec: ActionSpec, cases: Sequence[Case], commands: Sequence[Command], refusals: dict[str, str]
    ) -> list[Outcome]:
        outcomes = self._ws.commands.apply_many(commands) if commands else []
        failed = dict(refusals)
        for out in outcomes:
            if not out.ok:
                failed[out.command.case_id] = refusal_text(out)
        ok = [o for o in outcomes if o.ok]
        codes = {c.id: c.code for c in cases}
        for o in ok:
            if o.case is not None:
                codes[o.case.id] = o.case.code
        self.sig_message.emit(self._report(spec, cases, ok, failed, codes))
        for o in ok:
            log.info("%s applied to %s by %s", spec.ctype.value, codes.get(o.command.case_id), self._actor.username)
        if spec.ctype is C.REVEAL_PII:
            for o in ok:
                self.sig_pii_revealed.emit(o.command.case_id)
        self.sig_applied.emit(outcomes)
        self.update_state()
        return outcomes

    def _report(
        self,
        spec: ActionSpec,
        cases: Sequence[Case],
        ok: Sequence[Outcome],
        failed: dict[str, str],
        codes: dict[str, str],
    ) -> str:
        done = tr(spec.done) if spec.done else spec.label
        listing = self.tr("；").join(
            self.tr("{code}：{reason}").format(code=codes.get(cid, cid), reason=reason) for cid, reason in failed.items()
        )
        if len(cases) == 1:
            if ok:
                head = self.tr("{done}：{code}").format(done=done, code=codes.get(ok[0].command.case_id, ""))
                return head + self._detail(ok[0])
            return self.tr("未能{a}：{r}").format(a=spec.label, r=listing)
        if not ok:
            return self.tr("{a}未执行，{m} 件均被拒绝：{list}").format(a=spec.label, m=len(failed), list=listing)
        text = self.tr("{done} {n} 件").format(done=done, n=len(ok))
        if failed:
            text += self.tr("，{m} 件未执行：{list}").format(m=len(failed), list=listing)
        return text

    def _detail(self, outcome: Outcome) -> str:
        """' → 桐君街道综合执法平台' for actions that move the case somewhere."""
        case = outcome.case
        if case is None:
            return ""
        ref = self._ws.ref
        ctype = outcome.command.type
        if ctype in (C.DISPATCH, C.REASSIGN):
            dept = ref.departments.get(case.department_code or "")
            return f" → {dept.name}" if dept is not None else ""
        if ctype in (C.ESCALATE, C.HAND_DOWN):
            centre = ref.centres.get(case.centre_code)
            return f" → {centre.name}" if centre is not None else ""
        if ctype is C.MERGE and case.merged_into:
            target = self._ws.case(case.merged_into)
            return f" → {target.code}" if target is not None else ""
        return ""
