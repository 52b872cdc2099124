"""The case summary shown beside the queue: fields, clocks, flags and the history timeline.

Rendered as HTML for a QTextBrowser.  Personal data is always masked here (the
reporter's name and phone; phone and ID numbers inside free text): revealing it
is a separate, audited action.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication

from ...domain.case import Case
from ...domain.enums import CommandType, Role, SlaState, Status
from ...domain.masking import mask_name, mask_phone, mask_text
from ...domain.org import Reference
from ...domain.timeutil import countdown, fmt_local

_CTX = "CaseDetail"

_SLA_COLOURS = {
    SlaState.NORMAL: "#3fb950",
    SlaState.DUE_SOON: "#f5a623",
    SlaState.OVERDUE: "#ff5c61",
}


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def _label(enum: Any, value: object) -> str:
    if value is None or value == "":
        return ""
    try:
        return str(enum(value).label)
    except ValueError:
        return str(value)


def placeholder_html() -> str:
    return (
        "<div style='margin-top:24px; color:#8b98a9;'>"
        + escape(_tr("请在左侧列表中选择一个事件，查看详情与处理过程。"))
        + "</div>"
    )


def missing_html() -> str:
    return "<div style='color:#8b98a9;'>" + escape(_tr("该事件已不存在。")) + "</div>"


def _pii(value: str, mask: Any, reveal: bool) -> str:
    """A personal field as HTML: masked, or in clear with a note that viewing it was recorded."""
    if not value:
        return "—"
    if not reveal:
        return escape(mask(value))
    note = escape(_tr("已查看，已记入处理过程"))
    return f"{escape(value)} <span style='color:#f5a623;'>（{note}）</span>"


def render_case_html(
    case: Case,
    history: Sequence[Mapping[str, Any]],
    ref: Reference,
    now: datetime,
    user_names: Mapping[str, str] | None = None,
    reveal: bool = False,
) -> str:
    """The case as HTML: a field table, the clocks, the flags and the timeline.

    ``reveal``: show the reporter's name and phone unmasked (after the audited
    查看个人信息 action on this case)."""
    names = user_names or {}
    e = escape

    cat = ref.categories.get(case.category_code or "")
    if cat is not None and cat.parent_code:
        parent = ref.categories.get(cat.parent_code)
        category = f"{parent.name} / {cat.name}" if parent is not None else cat.name
    else:
        category = cat.name if cat is not None else _tr("未分类")
    centre = ref.centres.get(case.centre_code)
    dept = ref.departments.get(case.department_code or "")
    grid = ref.org_units.get(case.grid_code or "")

    sla = case.sla_state(now)
    sla_colour = _SLA_COLOURS.get(sla, "#8b98a9")
    if case.suspended:
        stage_text = _tr("挂账中（计时暂停）")
    elif case.stage_deadline is not None and case.is_open:
        stage_text = f"{fmt_local(case.stage_deadline)}（{countdown(case.stage_deadline, now)}）"
    else:
        stage_text = "—"
    whole_text = fmt_local(case.deadline) if case.deadline is not None else "—"

    flags: list[str] = []
    if case.supervised:
        flags.append(_tr("督办"))
    if case.suspended:
        flags.append(_tr("挂账"))
    if case.escalated:
        flags.append(_tr("已上报上级"))
    if case.urge_count:
        flags.append(_tr("催办 {n} 次").format(n=case.urge_count))
    if case.return_count:
        flags.append(_tr("退回 {n} 次").format(n=case.return_count))
    if case.rework_count:
        flags.append(_tr("返工 {n} 次").format(n=case.rework_count))
    if case.extension_minutes is not None:
        flags.append(_tr("延期申请审批中"))

    fields: list[tuple[str, str]] = [
        (_tr("编号"), e(case.code)),
        (_tr("状态"), f"<b>{e(case.status.label)}</b>"),
        (_tr("紧急程度"), e(case.priority.label)),
        (_tr("严重程度"), e(case.severity.label)),
        (_tr("来源"), e(case.source.label)),
        (_tr("分类"), e(category)),
        (_tr("所属中心"), e(centre.name if centre is not None else case.centre_code)),
        (_tr("处置部门"), e(dept.name) if dept is not None else "—"),
        (_tr("网格"), e(grid.name if grid is not None else (case.grid_code or "—"))),
        (_tr("地址"), e(case.address or "—")),
        (_tr("反映人"), _pii(case.reporter_name, mask_name, reveal)),
        (_tr("联系电话"), _pii(case.reporter_phone, mask_phone, reveal)),
        (_tr("上报时间"), e(fmt_local(case.created_at))),
        (_tr("更新时间"), e(fmt_local(case.updated_at))),
        (_tr("阶段时限"), f"<span style='color:{sla_colour};'>{e(stage_text)}</span>"),
        (_tr("总时限"), e(whole_text)),
        (_tr("标记"), e("、".join(flags)) if flags else "—"),
    ]

    out: list[str] = [
        f"<h3 style='margin:0 0 6px 0;'>{e(case.title)}</h3>",
        "<table cellspacing='0' cellpadding='3' width='100%'>",
    ]
    for label, value in fields:
        out.append(
            f"<tr><td style='color:#8b98a9; white-space:nowrap;' width='84'>{e(label)}</td><td>{value}</td></tr>"
        )
    out.append("</table>")
    if case.description:
        out.append(f"<p style='margin:8px 0 0 0; color:#8b98a9;'>{e(_tr('事件描述'))}</p>")
        out.append(f"<p style='margin:2px 0 0 0;'>{e(mask_text(case.description))}</p>")

    out.append(f"<p style='margin:12px 0 4px 0;'><b>{e(_tr('处理过程'))}</b></p>")
    out.append("<table cellspacing='0' cellpadding='3' width='100%'>")
    for h in reversed(history):  # newest first
        at = h.get("at")
        when = fmt_local(at, "%m-%d %H:%M") if isinstance(at, datetime) else ""
        actor = str(h.get("actor") or "")
        who = names.get(actor) or actor
        role = _label(Role, h.get("role"))
        action = _label(CommandType, h.get("action"))
        src, dst = _label(Status, h.get("from_status")), _label(Status, h.get("to_status"))
        move = f"{src} → {dst}" if src and src != dst else (dst if not src else "")
        opinion = mask_text(str(h.get("opinion") or ""))
        head = f"<b>{e(action)}</b>"
        if move:
            head += f"&nbsp;&nbsp;<span style='color:#8b98a9;'>{e(move)}</span>"
        line = f"{e(who)}（{e(role)}）" if role else e(who)
        out.append(
            "<tr>"
            f"<td style='color:#8b98a9; white-space:nowrap;' width='84' valign='top'>{e(when)}</td>"
            f"<td>{head}<br/>{line}"
            + (f"<br/><span>{e(opinion)}</span>" if opinion else "")
            + "</td></tr>"
        )
    if not history:
        out.append(f"<tr><td>{e(_tr('暂无记录'))}</td></tr>")
    out.append("</table>")
    return "".join(out)
