"""The case panel beside the queue: fields, location, clocks, flags, related cases and
the history timeline.

Rendered as HTML for a QTextBrowser.  Personal data is always masked here (the
reporter's name and phone; phone and ID numbers inside free text): revealing it
is a separate, audited action.  Related cases are links ``case:<id>``
(:func:`case_id_of_link` reads them back); the window opens the case on a click.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication, QUrl

from ...domain.case import Case
from ...domain.enums import CommandType, OrgLevel, Role, SlaState, Status
from ...domain.masking import mask_name, mask_phone, mask_text
from ...domain.org import OrgUnit, Reference
from ...domain.timeutil import fmt_local
from ...services.related import DUPLICATE, MERGED_FROM, MERGED_INTO, RelatedCase
from ..i18n import countdown_text, enum_label, label

translate = QCoreApplication.translate  # lupdate reads translate("CaseDetail", "…")

LINK_SCHEME = "case"
MUTED = "#8b98a9"
# Links drawn in the theme's colour (the window's QSS may hide its palette from the browser).
LINK_COLOURS = {"dark": "#58a6ff", "light": "#0b5cd5"}

_SLA_COLOURS = {
    SlaState.NORMAL: "#3fb950",
    SlaState.DUE_SOON: "#f5a623",
    SlaState.OVERDUE: "#ff5c61",
}


def case_link(case_id: str) -> str:
    return f"{LINK_SCHEME}:{case_id}"


def case_id_of_link(url: QUrl | str) -> str | None:
    """The case id of a ``case:<id>`` link, else None."""
    text = url.toString() if isinstance(url, QUrl) else str(url)
    prefix = LINK_SCHEME + ":"
    return (text[len(prefix) :] or None) if text.startswith(prefix) else None


def placeholder_html() -> str:
    return (
        f"<div style='margin-top:24px; color:{MUTED};'>"
        + escape(translate("CaseDetail", "请在左侧列表中选择一个事件，查看详情与处理过程。"))
        + "</div>"
    )


def missing_html() -> str:
    return f"<div style='color:{MUTED};'>" + escape(translate("CaseDetail", "该事件已不存在。")) + "</div>"


def _pii(value: str, mask: Any, reveal: bool) -> str:
    """A personal field as HTML: masked, or in clear with a note that viewing it was recorded."""
    if not value:
        return "—"
    if not reveal:
        return escape(mask(value))
    note = escape(translate("CaseDetail", "已查看，已记入处理过程"))
    return escape(value) + " <span style='color:#f5a623;'>" + _with_note("", note).strip() + "</span>"


def _with_note(text: str, note: str) -> str:
    """'text（note）' — with the brackets of the current language."""
    return translate("CaseDetail", "{text}（{note}）").format(text=text, note=note)


def _ancestor(ref: Reference, code: str | None, level: OrgLevel) -> OrgUnit | None:
    """The unit of ``level`` at or above ``code`` in the org tree."""
    seen = 0
    unit = ref.org_units.get(code or "")
    while unit is not None and seen < 10:
        if unit.level is level:
            return unit
        unit = ref.org_units.get(unit.parent_code or "")
        seen += 1
    return None


def _unit_text(unit: OrgUnit | None, code: str | None = None, *, with_code: bool = False) -> str:
    if unit is None:
        return escape(code) if code else "—"
    if with_code:
        return f"{escape(unit.name)} <span style='color:{MUTED};'>{escape(unit.code)}</span>"
    return escape(unit.name)


def _table(rows: Sequence[tuple[str, str]]) -> str:
    out = ["<table cellspacing='0' cellpadding='3' width='100%'>"]
    for name, value in rows:
        out.append(
            f"<tr><td style='color:{MUTED}; white-space:nowrap;' width='84'>{escape(name)}</td><td>{value}</td></tr>"
        )
    out.append("</table>")
    return "".join(out)


def _section(title: str) -> str:
    return f"<p style='margin:12px 0 4px 0;'><b>{escape(title)}</b></p>"


def _related_line(r: RelatedCase, link_colour: str) -> str:
    status = label(r.status) if isinstance(r.status, Status) else str(r.status)
    parts = [status]
    if r.created_at is not None:
        parts.append(fmt_local(r.created_at, "%m-%d %H:%M"))
    if r.relation == DUPLICATE:
        if r.distance_m is not None:
            parts.append(translate("CaseDetail", "相距 {m} 米").format(m=round(r.distance_m)))
        else:
            parts.append(translate("CaseDetail", "同一网格"))
        if r.score is not None:
            parts.append(translate("CaseDetail", "相似度 {p}%").format(p=round(r.score * 100)))
    return (
        f"<a href='{escape(case_link(r.id))}' style='color:{link_colour};'>{escape(r.code)}</a>"
        f"&nbsp;&nbsp;{escape(mask_text(r.title))}"
        f"<br/><span style='color:{MUTED};'>{escape(' · '.join(parts))}</span>"
    )


def related_html(related: Sequence[RelatedCase], theme: str = "dark") -> str:
    """The 相关事件 section: merged into, merged from, likely duplicates; each a link."""
    groups = (
        (MERGED_INTO, translate("CaseDetail", "已合并到")),
        (MERGED_FROM, translate("CaseDetail", "合并进来的事件")),
        (DUPLICATE, translate("CaseDetail", "疑似重复")),
    )
    rows: list[tuple[str, str]] = []
    for relation, name in groups:
        items = [r for r in related if r.relation == relation]
        if items:
            link = LINK_COLOURS.get(theme, LINK_COLOURS["dark"])
            rows.append((name, "<br/>".join(_related_line(r, link) for r in items)))
    out = [_section(translate("CaseDetail", "相关事件"))]
    if rows:
        out.append(_table(rows))
    else:
        none = translate("CaseDetail", "未发现相关或疑似重复的事件")  # lupdate reads no call inside an f-string
        out.append(f"<p style='margin:0; color:{MUTED};'>{escape(none)}</p>")
    return "".join(out)


def render_case_html(
    case: Case,
    history: Sequence[Mapping[str, Any]],
    ref: Reference,
    now: datetime,
    user_names: Mapping[str, str] | None = None,
    reveal: bool = False,
    related: Sequence[RelatedCase] | None = None,
    theme: str = "dark",
) -> str:
    """The case as HTML: fields, location, clocks and flags, related cases, the timeline.

    ``reveal``: show the reporter's name and phone unmasked (after the audited
    查看个人信息 action on this case).  ``related``: the cases of the 相关事件
    section (``services.related.related_cases``); None leaves the section out.
    ``theme``: the colour of the links."""
    names = user_names or {}
    e = escape

    cat = ref.categories.get(case.category_code or "")
    if cat is not None and cat.parent_code:
        parent = ref.categories.get(cat.parent_code)
        category = f"{parent.name} / {cat.name}" if parent is not None else cat.name
    else:
        category = cat.name if cat is not None else translate("CaseDetail", "未分类")
    centre = ref.centres.get(case.centre_code)
    dept = ref.departments.get(case.department_code or "")

    # location: township / village / grid from the org tree
    grid = ref.org_units.get(case.grid_code or "")
    village = _ancestor(ref, case.grid_code, OrgLevel.VILLAGE)
    township = ref.org_units.get(case.township_code or "") or _ancestor(ref, case.grid_code, OrgLevel.TOWNSHIP)
    if case.lon is not None and case.lat is not None:
        coords = f"{case.lon:.6f}, {case.lat:.6f} <span style='color:{MUTED};'>WGS-84</span>"
    else:
        coords = "—"

    # clocks
    sla = case.sla_state(now)
    sla_colour = _SLA_COLOURS.get(sla, MUTED)
    if case.suspended:
        stage_text = translate("CaseDetail", "挂账中（计时暂停）")
    elif case.stage_deadline is not None and case.is_open:
        stage_text = _with_note(fmt_local(case.stage_deadline), countdown_text(case.stage_deadline, now))
    else:
        stage_text = "—"
    if case.deadline is not None and case.is_open and not case.suspended:
        whole_text = _with_note(fmt_local(case.deadline), countdown_text(case.deadline, now))
    elif case.deadline is not None:
        whole_text = fmt_local(case.deadline)
    else:
        whole_text = "—"

    flags: list[str] = []
    if case.supervised:
        flags.append(translate("CaseDetail", "督办"))
    if case.suspended:
        flags.append(translate("CaseDetail", "挂账"))
    if case.escalated:
        flags.append(translate("CaseDetail", "已上报上级"))
    if case.urge_count:
        flags.append(translate("CaseDetail", "催办 {n} 次").format(n=case.urge_count))
    if case.return_count:
        flags.append(translate("CaseDetail", "退回 {n} 次").format(n=case.return_count))
    if case.rework_count:
        flags.append(translate("CaseDetail", "返工 {n} 次").format(n=case.rework_count))
    if case.reopen_count:
        flags.append(translate("CaseDetail", "重新打开 {n} 次").format(n=case.reopen_count))
    if case.extension_minutes is not None:
        flags.append(translate("CaseDetail", "延期申请审批中"))

    fields: list[tuple[str, str]] = [
        (translate("CaseDetail", "编号"), e(case.code)),
        (translate("CaseDetail", "状态"), f"<b>{e(label(case.status))}</b>"),
        (translate("CaseDetail", "紧急程度"), e(label(case.priority))),
        (translate("CaseDetail", "严重程度"), e(label(case.severity))),
        (translate("CaseDetail", "来源"), e(label(case.source))),
        (translate("CaseDetail", "分类"), e(category)),
        (translate("CaseDetail", "所属中心"), e(centre.name if centre is not None else case.centre_code)),
        (translate("CaseDetail", "处置部门"), e(dept.name) if dept is not None else "—"),
        (translate("CaseDetail", "反映人"), _pii(case.reporter_name, mask_name, reveal)),
        (translate("CaseDetail", "联系电话"), _pii(case.reporter_phone, mask_phone, reveal)),
        (translate("CaseDetail", "上报时间"), e(fmt_local(case.created_at))),
        (translate("CaseDetail", "更新时间"), e(fmt_local(case.updated_at))),
    ]
    location: list[tuple[str, str]] = [
        (translate("CaseDetail", "乡镇(街道)"), _unit_text(township, case.township_code)),
        (translate("CaseDetail", "村(社区)"), _unit_text(village)),
        (translate("CaseDetail", "网格"), _unit_text(grid, case.grid_code, with_code=True)),
        (translate("CaseDetail", "地址"), e(case.address or "—")),
        (translate("CaseDetail", "坐标"), coords),
    ]
    clocks: list[tuple[str, str]] = [
        (translate("CaseDetail", "阶段时限"), f"<span style='color:{sla_colour};'>{e(stage_text)}</span>"),
        (translate("CaseDetail", "总时限"), e(whole_text)),
        (translate("CaseDetail", "标记"), e(translate("CaseDetail", "、").join(flags)) if flags else "—"),
    ]

    out: list[str] = [f"<h3 style='margin:0 0 6px 0;'>{e(case.title)}</h3>", _table(fields)]
    out.append(_section(translate("CaseDetail", "位置")))
    out.append(_table(location))
    out.append(_section(translate("CaseDetail", "时限与标记")))
    out.append(_table(clocks))
    if case.description:
        heading = translate("CaseDetail", "事件描述")
        out.append(f"<p style='margin:8px 0 0 0; color:{MUTED};'>{e(heading)}</p>")
        out.append(f"<p style='margin:2px 0 0 0;'>{e(mask_text(case.description))}</p>")
    if related is not None:
        out.append(related_html(related, theme))

    out.append(_section(translate("CaseDetail", "处理过程")))
    out.append("<table cellspacing='0' cellpadding='3' width='100%'>")
    for h in reversed(history):  # newest first
        at = h.get("at")
        when = fmt_local(at, "%m-%d %H:%M") if isinstance(at, datetime) else ""
        actor = str(h.get("actor") or "")
        who = names.get(actor) or actor
        role = enum_label(Role, h.get("role"))
        action = enum_label(CommandType, h.get("action"))
        src, dst = enum_label(Status, h.get("from_status")), enum_label(Status, h.get("to_status"))
        move = f"{src} → {dst}" if src and src != dst else (dst if not src else "")
        opinion = mask_text(str(h.get("opinion") or ""))
        head = f"<b>{e(action)}</b>"
        if move:
            head += f"&nbsp;&nbsp;<span style='color:{MUTED};'>{e(move)}</span>"
        line = e(_with_note(who, role)) if role else e(who)
        out.append(
            "<tr>"
            f"<td style='color:{MUTED}; white-space:nowrap;' width='84' valign='top'>{e(when)}</td>"
            f"<td>{head}<br/>{line}"
            + (f"<br/><span>{e(opinion)}</span>" if opinion else "")
            + "</td></tr>"
        )
    if not history:
        empty = translate("CaseDetail", "暂无记录")
        out.append(f"<tr><td>{e(empty)}</td></tr>")
    out.append("</table>")
    return "".join(out)
