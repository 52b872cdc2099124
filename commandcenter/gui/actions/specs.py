"""What each case action asks for: ONE table.

For every command type except CREATE (the hotline intake form does that one) the
table says which fields its dialog shows and which payload keys they fill, the
keyboard shortcut, whether it works on a multi-selection (bulk) and whether it is
a mere confirmation (a small dialog with an optional one-line opinion).

Labels are Chinese source strings marked for Qt Linguist with
``QT_TRANSLATE_NOOP("ActionSpecs", ...)``; show them through :func:`tr`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QCoreApplication

from ...domain.enums import CommandType

C = CommandType
_CTX = "ActionSpecs"

CONFIRM_SHORTCUTS = ("Ctrl+Return", "Ctrl+Enter")  # confirm in every action dialog
MAX_BULK = 200  # bulk actions work on at most this many selected cases


def tr(text: str) -> str:
    """Translate a string of this table (context ``ActionSpecs``)."""
    return QCoreApplication.translate(_CTX, text)


class FieldKind(str, Enum):
    TEXT = "text"  # an opinion / reason / note (multi-line; one line in a confirmation)
    CATEGORY = "category"  # 大类/小类 tree with a search box -> category_code
    PRIORITY = "priority"  # 一般/紧急/特急 -> priority
    SEVERITY = "severity"  # 一般/较大/重大/特别重大 -> severity
    DEPARTMENT = "department"  # the centre's departments with their load -> department_code
    CENTRE = "centre"  # the child centres (hand down) -> centre_code
    SATISFACTION = "satisfaction"  # 满意/基本满意/不满意 -> satisfaction
    MINUTES = "minutes"  # working hours or days, converted to working minutes -> minutes
    MERGE_TARGET = "merge_target"  # open cases of the centre, searchable -> target_id


@dataclass(frozen=True)
class FieldSpec:
    kind: FieldKind
    key: str  # the payload key the field fills
    label: str  # source string (translate with tr())
    required: bool = False
    placeholder: str = ""


@dataclass(frozen=True)
class ActionSpec:
    ctype: CommandType
    shortcut: str
    fields: tuple[FieldSpec, ...] = ()
    bulk: bool = False
    confirm_only: bool = False  # a small "are you sure" dialog with an optional opinion
    done: str = ""  # past tense for the status bar: "已派遣"
    question: str = ""  # the confirmation's question ("{code}" is replaced)
    toolbar: bool = False  # shown on the 操作 toolbar
    danger: bool = False  # the OK button is styled as a destructive action

    @property
    def label(self) -> str:
        return tr(self.ctype.label)


def _text(key: str, label: str, required: bool, placeholder: str = "") -> FieldSpec:
    return FieldSpec(FieldKind.TEXT, key, label, required, placeholder)


def _opinion(label: str, placeholder: str = "") -> FieldSpec:
    return _text("opinion", label, False, placeholder)


def _reason(label: str, placeholder: str = "") -> FieldSpec:
    return _text("reason", label, True, placeholder)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks a string for lupdate (which looks for this name); the value is the string itself."""
    return text


# The domain's action labels, for lupdate (shown through tr(ctype.label)).
_LABELS = (
    QT_TRANSLATE_NOOP("ActionSpecs", "受理立案"),
    QT_TRANSLATE_NOOP("ActionSpecs", "不予受理"),
    QT_TRANSLATE_NOOP("ActionSpecs", "派遣"),
    QT_TRANSLATE_NOOP("ActionSpecs", "签收"),
    QT_TRANSLATE_NOOP("ActionSpecs", "处理反馈"),
    QT_TRANSLATE_NOOP("ActionSpecs", "退回"),
    QT_TRANSLATE_NOOP("ActionSpecs", "改派"),
    QT_TRANSLATE_NOOP("ActionSpecs", "上报上级"),
    QT_TRANSLATE_NOOP("ActionSpecs", "交办"),
    QT_TRANSLATE_NOOP("ActionSpecs", "催办"),
    QT_TRANSLATE_NOOP("ActionSpecs", "督办"),
    QT_TRANSLATE_NOOP("ActionSpecs", "申请延期"),
    QT_TRANSLATE_NOOP("ActionSpecs", "批准延期"),
    QT_TRANSLATE_NOOP("ActionSpecs", "驳回延期"),
    QT_TRANSLATE_NOOP("ActionSpecs", "挂账"),
    QT_TRANSLATE_NOOP("ActionSpecs", "解除挂账"),
    QT_TRANSLATE_NOOP("ActionSpecs", "核查通过"),
    QT_TRANSLATE_NOOP("ActionSpecs", "返工"),
    QT_TRANSLATE_NOOP("ActionSpecs", "结案"),
    QT_TRANSLATE_NOOP("ActionSpecs", "评价"),
    QT_TRANSLATE_NOOP("ActionSpecs", "归档"),
    QT_TRANSLATE_NOOP("ActionSpecs", "重新打开"),
    QT_TRANSLATE_NOOP("ActionSpecs", "备注"),
    QT_TRANSLATE_NOOP("ActionSpecs", "合并重复"),
    QT_TRANSLATE_NOOP("ActionSpecs", "查看个人信息"),
)

_DEPARTMENT = FieldSpec(FieldKind.DEPARTMENT, "department_code", QT_TRANSLATE_NOOP("ActionSpecs", "处置部门"), True)

SPECS: dict[CommandType, ActionSpec] = {
    s.ctype: s
    for s in (
        ActionSpec(
            C.ACCEPT,
            "A",
            (
                FieldSpec(FieldKind.CATEGORY, "category_code", QT_TRANSLATE_NOOP("ActionSpecs", "事件分类"), True),
                FieldSpec(FieldKind.PRIORITY, "priority", QT_TRANSLATE_NOOP("ActionSpecs", "紧急程度")),
                FieldSpec(FieldKind.SEVERITY, "severity", QT_TRANSLATE_NOOP("ActionSpecs", "严重程度")),
                _opinion(QT_TRANSLATE_NOOP("ActionSpecs", "受理意见"), QT_TRANSLATE_NOOP("ActionSpecs", "选填")),
            ),
            done=QT_TRANSLATE_NOOP("ActionSpecs", "已受理"),
            toolbar=True,
        ),
        ActionSpec(
            C.REJECT,
            "X",
            (_reason(QT_TRANSLATE_NOOP("ActionSpecs", "不予受理的理由"), QT_TRANSLATE_NOOP("ActionSpecs", "如：重复上报、不属于受理范围、信息无效")),),
            done=QT_TRANSLATE_NOOP("ActionSpecs", "已不予受理"),
            danger=True,
        ),
        ActionSpec(
            C.DISPATCH,
            "D",
            (_DEPARTMENT, _opinion(QT_TRANSLATE_NOOP("ActionSpecs", "派遣意见"), QT_TRANSLATE_NOOP("ActionSpecs", "选填：处置要求、注意事项"))),
            bulk=True,
            done=QT_TRANSLATE_NOOP("ActionSpecs", "已派遣"),
            toolbar=True,
        ),
        ActionSpec(
            C.SIGN,
            "S",
            (_opinion(QT_TRANSLATE_NOOP("ActionSpecs", "签收意见"), QT_TRANSLATE_NOOP("ActionSpecs", "选填")),),
            confirm_only=True,
            done=QT_TRANSLATE_NOOP("ActionSpecs", "已签收"),
            question=QT_TRANSLATE_NOOP("ActionSpecs", "确认签收事件 {code}？签收后开始处置计时。"),
            toolbar=True,
        ),
        ActionSpec(
            C.FEEDBACK,
            "F",
            (_text("opinion", QT_TRANSLATE_NOOP("ActionSpecs", "处理结果"), True, QT_TRANSLATE_NOOP("ActionSpecs", "处置经过与结果")),),
            done=QT_TRANSLATE_NOOP("ActionSpecs", "已反馈"),
            toolbar=True,
        ),
        ActionSpec(
            C.RETURN,
            "B",
            (_reason(QT_TRANSLATE_NOOP("ActionSpecs", "退回理由"), QT_TRANSLATE_NOOP("ActionSpecs", "如：不属于本部门职责")),),
            done=QT_TRANSLATE_NOOP("ActionSpecs", "已退回"),
            danger=True,
        ),
        ActionSpec(
            C.REASSIGN,
            "R",
            (_DEPARTMENT, _reason(QT_TRANSLATE_NOOP("ActionSpecs", "改派理由"))),
            bulk=True,
            done=QT_TRANSLATE_NOOP("ActionSpecs", "已改派"),
            toolbar=True,
        ),
        ActionSpec(
            C.ESCALATE,
            "E",
            (
                _reason(QT_TRANSLATE_NOOP("ActionSpecs", "上报理由"), QT_TRANSLATE_NOOP("ActionSpecs", "如：涉及多个部门，本级无法协调")),
                FieldSpec(FieldKind.PRIORITY, "priority", QT_TRANSLATE_NOOP("ActionSpecs", "紧急程度")),
            ),
            done=QT_TRANSLATE_NOOP("ActionSpecs", "已上报上级"),
            toolbar=True,
        ),
        ActionSpec(
            C.HAND_DOWN,
            "H",
            (
                FieldSpec(FieldKind.CENTRE, "centre_code", QT_TRANSLATE_NOOP("ActionSpecs", "交办给"), True),
                _text("opinion", QT_TRANSLATE_NOOP("ActionSpecs", "交办意见"), True, QT_TRANSLATE_NOOP("ActionSpecs", "工作要求与时限")),
            ),
            done=QT_TRANSLATE_NOOP("ActionSpecs", "已交办"),
        ),
        ActionSpec(
            C.URGE,
            "U",
            (_opinion(QT_TRANSLATE_NOOP("ActionSpecs", "催办意见"), QT_TRANSLATE_NOOP("ActionSpecs", "选填")),),
            bulk=True,
            confirm_only=True,
            done=QT_TRANSLATE_NOOP("ActionSpecs", "已催办"),
            question=QT_TRANSLATE_NOOP("ActionSpecs", "催办事件 {code}？"),
            toolbar=True,
        ),
        ActionSpec(
            C.SUPERVISE,
            "Shift+U",
            (_text("opinion", QT_TRANSLATE_NOOP("ActionSpecs", "督办意见"), True, QT_TRANSLATE_NOOP("ActionSpecs", "督办要求")),),
            done=QT_TRANSLATE_NOOP("ActionSpecs", "已督办"),
            toolbar=True,
        ),
        ActionSpec(
            C.REQUEST_EXTENSION,
            "Y",
            (
                FieldSpec(FieldKind.MINUTES, "minutes", QT_TRANSLATE_NOOP("ActionSpecs", "延期时长"), True),
                _reason(QT_TRANSLATE_NOOP("ActionSpecs", "延期理由")),
            ),
            done=QT_TRANSLATE_NOOP("ActionSpecs", "已申请延期"),
        ),
        ActionSpec(
            C.APPROVE_EXTENSION,
            "P",
            (_opinion(QT_TRANSLATE_NOOP("ActionSpecs", "审批意见"), QT_TRANSLATE_NOOP("ActionSpecs", "选填")),),
            confirm_only=True,
            done=QT_TRANSLATE_NOOP("ActionSpecs", "已批准延期"),
            question=QT_TRANSLATE_NOOP("ActionSpecs", "批准事件 {code} 的延期申请？"),
        ),
        ActionSpec(
            C.DENY_EXTENSION,
            "Shift+P",
            (_reason(QT_TRANSLATE_NOOP("ActionSpecs", "驳回理由")),),
            done=QT_TRANSLATE_NOOP("ActionSpecs", "已驳回延期"),
            danger=True,
        ),
        ActionSpec(
            C.SUSPEND,
            "G",
            (_reason(QT_TRANSLATE_NOOP("ActionSpecs", "挂账理由"), QT_TRANSLATE_NOOP("ActionSpecs", "如：需等待上级政策、资金到位")),),
            done=QT_TRANSLATE_NOOP("ActionSpecs", "已挂账"),
        ),
        ActionSpec(
            C.RESUME,
            "Shift+G",
            (_opinion(QT_TRANSLATE_NOOP("ActionSpecs", "解除挂账说明"), QT_TRANSLATE_NOOP("ActionSpecs", "选填")),),
            confirm_only=True,
            done=QT_TRANSLATE_NOOP("ActionSpecs", "已解除挂账"),
            question=QT_TRANSLATE_NOOP("ActionSpecs", "解除事件 {code} 的挂账？计时将恢复。"),
        ),
        ActionSpec(
            C.CHECK_PASS,
            "K",
            (_opinion(QT_TRANSLATE_NOOP("ActionSpecs", "核查意见"), QT_TRANSLATE_NOOP("ActionSpecs", "选填")),),
            confirm_only=True,
            done=QT_TRANSLATE_NOOP("ActionSpecs", "已核查通过"),
            question=QT_TRANSLATE_NOOP("ActionSpecs", "确认事件 {code} 核查通过？"),
            toolbar=True,
        ),
        ActionSpec(
            C.REWORK,
            "W",
            (_reason(QT_TRANSLATE_NOOP("ActionSpecs", "返工理由"), QT_TRANSLATE_NOOP("ActionSpecs", "核查发现的问题")),),
            done=QT_TRANSLATE_NOOP("ActionSpecs", "已返工"),
            danger=True,
        ),
        ActionSpec(
            C.CLOSE,
            "C",
            (_opinion(QT_TRANSLATE_NOOP("ActionSpecs", "结案意见"), QT_TRANSLATE_NOOP("ActionSpecs", "选填")),),
            confirm_only=True,
            done=QT_TRANSLATE_NOOP("ActionSpecs", "已结案"),
            question=QT_TRANSLATE_NOOP("ActionSpecs", "确认事件 {code} 结案？"),
            toolbar=True,
        ),
        ActionSpec(
            C.EVALUATE,
            "V",
            (
                FieldSpec(FieldKind.SATISFACTION, "satisfaction", QT_TRANSLATE_NOOP("ActionSpecs", "评价结果"), True),
                _opinion(QT_TRANSLATE_NOOP("ActionSpecs", "回访意见"), QT_TRANSLATE_NOOP("ActionSpecs", "选填：回访情况")),
            ),
            done=QT_TRANSLATE_NOOP("ActionSpecs", "已评价"),
        ),
        ActionSpec(
            C.ARCHIVE,
            "Shift+C",
            (_opinion(QT_TRANSLATE_NOOP("ActionSpecs", "归档说明"), QT_TRANSLATE_NOOP("ActionSpecs", "选填")),),
            confirm_only=True,
            done=QT_TRANSLATE_NOOP("ActionSpecs", "已归档"),
            question=QT_TRANSLATE_NOOP("ActionSpecs", "将事件 {code} 归档？归档后不能再操作。"),
        ),
        ActionSpec(
            C.REOPEN,
            "O",
            (_reason(QT_TRANSLATE_NOOP("ActionSpecs", "重新打开的理由")),),
            done=QT_TRANSLATE_NOOP("ActionSpecs", "已重新打开"),
            danger=True,
        ),
        ActionSpec(
            C.COMMENT,
            "N",
            (_text("text", QT_TRANSLATE_NOOP("ActionSpecs", "备注内容"), True),),
            done=QT_TRANSLATE_NOOP("ActionSpecs", "已添加备注"),
        ),
        ActionSpec(
            C.MERGE,
            "M",
            (
                FieldSpec(FieldKind.MERGE_TARGET, "target_id", QT_TRANSLATE_NOOP("ActionSpecs", "合并到"), True),
                _opinion(QT_TRANSLATE_NOOP("ActionSpecs", "合并说明"), QT_TRANSLATE_NOOP("ActionSpecs", "选填")),
            ),
            done=QT_TRANSLATE_NOOP("ActionSpecs", "已合并"),
            danger=True,
        ),
        ActionSpec(
            C.REVEAL_PII,
            "I",
            (_text("reason", QT_TRANSLATE_NOOP("ActionSpecs", "查看理由"), False, QT_TRANSLATE_NOOP("ActionSpecs", "选填：如回访核实")),),
            confirm_only=True,
            done=QT_TRANSLATE_NOOP("ActionSpecs", "已显示个人信息"),
            question=QT_TRANSLATE_NOOP("ActionSpecs", "查看事件 {code} 反映人的姓名和联系电话？此操作将记入处理过程。"),
        ),
    )
}

# The order of the actions in menus and on the toolbar: the closed loop first.
ORDER: tuple[CommandType, ...] = (
    C.ACCEPT,
    C.REJECT,
    C.DISPATCH,
    C.REASSIGN,
    C.ESCALATE,
    C.HAND_DOWN,
    C.MERGE,
    C.SIGN,
    C.FEEDBACK,
    C.RETURN,
    C.REQUEST_EXTENSION,
    C.URGE,
    C.SUPERVISE,
    C.APPROVE_EXTENSION,
    C.DENY_EXTENSION,
    C.SUSPEND,
    C.RESUME,
    C.CHECK_PASS,
    C.REWORK,
    C.CLOSE,
    C.EVALUATE,
    C.ARCHIVE,
    C.REOPEN,
    C.COMMENT,
    C.REVEAL_PII,
)

# Menu groups (a separator between groups).
GROUPS: tuple[tuple[CommandType, ...], ...] = (
    (C.ACCEPT, C.REJECT, C.DISPATCH, C.REASSIGN, C.ESCALATE, C.HAND_DOWN, C.MERGE),
    (C.SIGN, C.FEEDBACK, C.RETURN, C.REQUEST_EXTENSION),
    (C.URGE, C.SUPERVISE, C.APPROVE_EXTENSION, C.DENY_EXTENSION, C.SUSPEND, C.RESUME),
    (C.CHECK_PASS, C.REWORK, C.CLOSE, C.EVALUATE, C.ARCHIVE, C.REOPEN),
    (C.COMMENT, C.REVEAL_PII),
)

BULK_TYPES: frozenset[CommandType] = frozenset(t for t, s in SPECS.items() if s.bulk)


def spec_for(ctype: CommandType) -> ActionSpec:
    return SPECS[ctype]
