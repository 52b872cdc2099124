"""The GUI's languages: translators, enum labels and durations.

The source strings of the code are Chinese (zh_CN, the default language); English
comes from ``resources/translations/commandcenter_en.qm``, built from
``commandcenter_en.ts`` by ``scripts/update_translations``.

    set_language(app, "en")      # installs the translators; every widget gets LanguageChange
    label(Status.REPORTED)       # '待受理', or 'New' in English
    countdown_text(deadline, now)

The domain's enums carry Chinese labels; the GUI shows them through :func:`label`,
which looks them up in the context ``Enum.<EnumClass>`` (marked below for lupdate).
Refusal reasons written by the domain (``domain/workflow.py``) are shown with
:func:`refusal_text`, which translates their template and parameters.
"""

from __future__ import annotations

import logging
from datetime import datetime
from enum import Enum
from typing import Any

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from ..domain.enums import (
    CommandType,
    OrgLevel,
    Priority,
    Role,
    Satisfaction,
    Severity,
    SlaState,
    Source,
    Status,
)
from ..domain.workflow import render_reason
from ..resources import RESOURCES

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "zh_CN"  # the strings in the code
LANGUAGES = ("zh_CN", "en")
# Each language's name in that language (a language menu shows them so in every language).
LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}
TRANSLATIONS = RESOURCES / "translations"
CATALOG = "commandcenter"  # commandcenter_<lang>.qm

LABELED_ENUMS: tuple[type[Enum], ...] = (
    OrgLevel,
    Status,
    Priority,
    Severity,
    Source,
    Role,
    SlaState,
    Satisfaction,
    CommandType,
)


def QT_TRANSLATE_NOOP(context: str, text: str) -> tuple[str, str]:
    """Marks a string for lupdate (which looks for this name); the value is (context, text)."""
    return context, text


# Every label of the domain's enums, for lupdate.  tests/gui/test_i18n_theme.py checks
# that no member is missing.
MARKED_LABELS: frozenset[tuple[str, str]] = frozenset(
    {
        QT_TRANSLATE_NOOP("Enum.OrgLevel", "省"),
        QT_TRANSLATE_NOOP("Enum.OrgLevel", "市"),
        QT_TRANSLATE_NOOP("Enum.OrgLevel", "县(市、区)"),
        QT_TRANSLATE_NOOP("Enum.OrgLevel", "乡镇(街道)"),
        QT_TRANSLATE_NOOP("Enum.OrgLevel", "村(社区)"),
        QT_TRANSLATE_NOOP("Enum.OrgLevel", "网格"),
        QT_TRANSLATE_NOOP("Enum.Status", "待受理"),
        QT_TRANSLATE_NOOP("Enum.Status", "待派遣"),
        QT_TRANSLATE_NOOP("Enum.Status", "待签收"),
        QT_TRANSLATE_NOOP("Enum.Status", "处置中"),
        QT_TRANSLATE_NOOP("Enum.Status", "待核查"),
        QT_TRANSLATE_NOOP("Enum.Status", "已结案"),
        QT_TRANSLATE_NOOP("Enum.Status", "已归档"),
        QT_TRANSLATE_NOOP("Enum.Status", "不予受理"),
        QT_TRANSLATE_NOOP("Enum.Status", "已合并"),
        QT_TRANSLATE_NOOP("Enum.Priority", "一般"),
        QT_TRANSLATE_NOOP("Enum.Priority", "紧急"),
        QT_TRANSLATE_NOOP("Enum.Priority", "特急"),
        QT_TRANSLATE_NOOP("Enum.Severity", "一般"),
        QT_TRANSLATE_NOOP("Enum.Severity", "较大"),
        QT_TRANSLATE_NOOP("Enum.Severity", "重大"),
        QT_TRANSLATE_NOOP("Enum.Severity", "特别重大"),
        QT_TRANSLATE_NOOP("Enum.Source", "网格员上报"),
        QT_TRANSLATE_NOOP("Enum.Source", "967999热线"),
        QT_TRANSLATE_NOOP("Enum.Source", "12345热线"),
        QT_TRANSLATE_NOOP("Enum.Source", "视频巡查"),
        QT_TRANSLATE_NOOP("Enum.Source", "群众来访"),
        QT_TRANSLATE_NOOP("Enum.Source", "领导批示"),
        QT_TRANSLATE_NOOP("Enum.Source", "部门转办"),
        QT_TRANSLATE_NOOP("Enum.Role", "值班员"),
        QT_TRANSLATE_NOOP("Enum.Role", "值班长"),
        QT_TRANSLATE_NOOP("Enum.Role", "督查员"),
        QT_TRANSLATE_NOOP("Enum.Role", "部门处置员"),
        QT_TRANSLATE_NOOP("Enum.Role", "网格员"),
        QT_TRANSLATE_NOOP("Enum.Role", "大屏"),
        QT_TRANSLATE_NOOP("Enum.Role", "系统管理员"),
        QT_TRANSLATE_NOOP("Enum.Role", "安全审计员"),
        QT_TRANSLATE_NOOP("Enum.SlaState", "—"),
        QT_TRANSLATE_NOOP("Enum.SlaState", "正常"),
        QT_TRANSLATE_NOOP("Enum.SlaState", "即将超期"),
        QT_TRANSLATE_NOOP("Enum.SlaState", "已超期"),
        QT_TRANSLATE_NOOP("Enum.Satisfaction", "满意"),
        QT_TRANSLATE_NOOP("Enum.Satisfaction", "基本满意"),
        QT_TRANSLATE_NOOP("Enum.Satisfaction", "不满意"),
        QT_TRANSLATE_NOOP("Enum.CommandType", "上报"),
        QT_TRANSLATE_NOOP("Enum.CommandType", "受理立案"),
        QT_TRANSLATE_NOOP("Enum.CommandType", "不予受理"),
        QT_TRANSLATE_NOOP("Enum.CommandType", "派遣"),
        QT_TRANSLATE_NOOP("Enum.CommandType", "签收"),
        QT_TRANSLATE_NOOP("Enum.CommandType", "处理反馈"),
        QT_TRANSLATE_NOOP("Enum.CommandType", "退回"),
        QT_TRANSLATE_NOOP("Enum.CommandType", "改派"),
        QT_TRANSLATE_NOOP("Enum.CommandType", "上报上级"),
        QT_TRANSLATE_NOOP("Enum.CommandType", "交办"),
        QT_TRANSLATE_NOOP("Enum.CommandType", "催办"),
        QT_TRANSLATE_NOOP("Enum.CommandType", "督办"),
        QT_TRANSLATE_NOOP("Enum.CommandType", "申请延期"),
        QT_TRANSLATE_NOOP("Enum.CommandType", "批准延期"),
        QT_TRANSLATE_NOOP("Enum.CommandType", "驳回延期"),
        QT_TRANSLATE_NOOP("Enum.CommandType", "挂账"),
        QT_TRANSLATE_NOOP("Enum.CommandType", "解除挂账"),
        QT_TRANSLATE_NOOP("Enum.CommandType", "核查通过"),
        QT_TRANSLATE_NOOP("Enum.CommandType", "返工"),
        QT_TRANSLATE_NOOP("Enum.CommandType", "结案"),
        QT_TRANSLATE_NOOP("Enum.CommandType", "评价"),
        QT_TRANSLATE_NOOP("Enum.CommandType", "归档"),
        QT_TRANSLATE_NOOP("Enum.CommandType", "重新打开"),
        QT_TRANSLATE_NOOP("Enum.CommandType", "备注"),
        QT_TRANSLATE_NOOP("Enum.CommandType", "合并重复"),
        QT_TRANSLATE_NOOP("Enum.CommandType", "查看个人信息"),
    }
)


# Refusal reasons of the domain and the command service (templates, field names and
# action words; see domain.workflow.render_reason), for lupdate.  tests/gui/test_refusal_i18n.py
# checks that every template and word of domain/workflow.py and services/commands.py is here.
MARKED_REFUSALS: frozenset[tuple[str, str]] = frozenset(
    {
        QT_TRANSLATE_NOOP("Refusal", "该事件属于{owner}，不在您的职责范围"),
        QT_TRANSLATE_NOOP("Refusal", "事件标题"),
        QT_TRANSLATE_NOOP("Refusal", "事件描述"),
        QT_TRANSLATE_NOOP("Refusal", "事件来源"),
        QT_TRANSLATE_NOOP("Refusal", "紧急程度"),
        QT_TRANSLATE_NOOP("Refusal", "严重程度"),
        QT_TRANSLATE_NOOP("Refusal", "联系电话"),
        QT_TRANSLATE_NOOP("Refusal", "反映人"),
        QT_TRANSLATE_NOOP("Refusal", "地址"),
        QT_TRANSLATE_NOOP("Refusal", "受理"),
        QT_TRANSLATE_NOOP("Refusal", "受理意见"),
        QT_TRANSLATE_NOOP("Refusal", "不予受理"),
        QT_TRANSLATE_NOOP("Refusal", "不予受理的理由"),
        QT_TRANSLATE_NOOP("Refusal", "派遣"),
        QT_TRANSLATE_NOOP("Refusal", "派遣意见"),
        QT_TRANSLATE_NOOP("Refusal", "签收"),
        QT_TRANSLATE_NOOP("Refusal", "签收意见"),
        QT_TRANSLATE_NOOP("Refusal", "反馈处理结果"),
        QT_TRANSLATE_NOOP("Refusal", "处理结果"),
        QT_TRANSLATE_NOOP("Refusal", "退回"),
        QT_TRANSLATE_NOOP("Refusal", "退回理由"),
        QT_TRANSLATE_NOOP("Refusal", "改派"),
        QT_TRANSLATE_NOOP("Refusal", "改派理由"),
        QT_TRANSLATE_NOOP("Refusal", "上报上级中心"),
        QT_TRANSLATE_NOOP("Refusal", "上报理由"),
        QT_TRANSLATE_NOOP("Refusal", "交办"),
        QT_TRANSLATE_NOOP("Refusal", "交办意见"),
        QT_TRANSLATE_NOOP("Refusal", "催办"),
        QT_TRANSLATE_NOOP("Refusal", "催办意见"),
        QT_TRANSLATE_NOOP("Refusal", "督办"),
        QT_TRANSLATE_NOOP("Refusal", "督办意见"),
        QT_TRANSLATE_NOOP("Refusal", "申请延期"),
        QT_TRANSLATE_NOOP("Refusal", "延期理由"),
        QT_TRANSLATE_NOOP("Refusal", "批准延期"),
        QT_TRANSLATE_NOOP("Refusal", "审批意见"),
        QT_TRANSLATE_NOOP("Refusal", "驳回延期"),
        QT_TRANSLATE_NOOP("Refusal", "驳回理由"),
        QT_TRANSLATE_NOOP("Refusal", "挂账"),
        QT_TRANSLATE_NOOP("Refusal", "挂账理由"),
        QT_TRANSLATE_NOOP("Refusal", "解除挂账说明"),
        QT_TRANSLATE_NOOP("Refusal", "核查"),
        QT_TRANSLATE_NOOP("Refusal", "核查意见"),
        QT_TRANSLATE_NOOP("Refusal", "返工"),
        QT_TRANSLATE_NOOP("Refusal", "返工理由"),
        QT_TRANSLATE_NOOP("Refusal", "结案"),
        QT_TRANSLATE_NOOP("Refusal", "结案意见"),
        QT_TRANSLATE_NOOP("Refusal", "评价"),
        QT_TRANSLATE_NOOP("Refusal", "评价结果"),
        QT_TRANSLATE_NOOP("Refusal", "回访意见"),
        QT_TRANSLATE_NOOP("Refusal", "归档"),
        QT_TRANSLATE_NOOP("Refusal", "重新打开"),
        QT_TRANSLATE_NOOP("Refusal", "重新打开的理由"),
        QT_TRANSLATE_NOOP("Refusal", "备注内容"),
        QT_TRANSLATE_NOOP("Refusal", "合并"),
        QT_TRANSLATE_NOOP("Refusal", "合并说明"),
        QT_TRANSLATE_NOOP("Refusal", "查看理由"),
        QT_TRANSLATE_NOOP("Refusal", "未实现的操作：{action}"),
        QT_TRANSLATE_NOOP("Refusal", "{role}无权执行“{action}”"),
        QT_TRANSLATE_NOOP("Refusal", "{label}应为文字"),
        QT_TRANSLATE_NOOP("Refusal", "请填写{label}"),
        QT_TRANSLATE_NOOP("Refusal", "{label}过长（最多 {limit} 字，实际 {actual} 字）"),
        QT_TRANSLATE_NOOP("Refusal", "事件当前状态为“{status}”，只有“{allowed}”的事件才能{action}"),
        QT_TRANSLATE_NOOP("Refusal", "请选择处置部门"),
        QT_TRANSLATE_NOOP("Refusal", "处置部门不存在：{code}"),
        QT_TRANSLATE_NOOP("Refusal", "“{department}”不属于{owner}，不能派遣（可上报或交办）"),
        QT_TRANSLATE_NOOP("Refusal", "事件分类不存在或不是小类：{category}"),
        QT_TRANSLATE_NOOP("Refusal", "联系电话格式不正确：{phone}（应为 11 位手机号或带区号的固定电话）"),
        QT_TRANSLATE_NOOP("Refusal", "位置坐标不完整：经度和纬度需同时提供"),
        QT_TRANSLATE_NOOP("Refusal", "受理中心不存在：{centre}"),
        QT_TRANSLATE_NOOP("Refusal", "只能向本中心或下级中心上报事件"),
        QT_TRANSLATE_NOOP("Refusal", "未分配事件编号"),
        QT_TRANSLATE_NOOP("Refusal", "请选择事件分类（小类）"),
        QT_TRANSLATE_NOOP("Refusal", "事件已挂账，解除挂账后才能反馈"),
        QT_TRANSLATE_NOOP("Refusal", "改派的部门与当前处置部门相同，请选择其他部门"),
        QT_TRANSLATE_NOOP("Refusal", "本中心没有上级指挥中心，无法上报"),
        QT_TRANSLATE_NOOP("Refusal", "本中心没有下级中心，无法交办"),
        QT_TRANSLATE_NOOP("Refusal", "交办对象必须是本中心的下级中心：{target}"),
        QT_TRANSLATE_NOOP("Refusal", "该事件已在督办中"),
        QT_TRANSLATE_NOOP("Refusal", "已有一项延期申请在审批中"),
        QT_TRANSLATE_NOOP("Refusal", "延期时长应在 1 分钟到 30 个工作日之间，实际 {minutes} 分钟"),
        QT_TRANSLATE_NOOP("Refusal", "没有待审批的延期申请"),
        QT_TRANSLATE_NOOP("Refusal", "事件已处于挂账状态"),
        QT_TRANSLATE_NOOP("Refusal", "事件未挂账"),
        QT_TRANSLATE_NOOP("Refusal", "该事件已核查通过，请结案"),
        QT_TRANSLATE_NOOP("Refusal", "事件尚未核查通过，不能结案"),
        QT_TRANSLATE_NOOP("Refusal", "该事件已评价（{satisfaction}）"),
        QT_TRANSLATE_NOOP("Refusal", "请选择评价结果：满意、基本满意或不满意"),
        QT_TRANSLATE_NOOP("Refusal", "归档说明"),
        QT_TRANSLATE_NOOP("Refusal", "请选择要合并到的事件"),
        QT_TRANSLATE_NOOP("Refusal", "不能把事件合并到它自己"),
        QT_TRANSLATE_NOOP("Refusal", "找不到要合并到的事件"),
        QT_TRANSLATE_NOOP("Refusal", "目标事件 {code} 状态为“{status}”，不能作为合并目标"),
        QT_TRANSLATE_NOOP("Refusal", "只能查看反映人姓名和联系电话"),
        QT_TRANSLATE_NOOP("Refusal", "未知的操作类型：{type}"),
        QT_TRANSLATE_NOOP("Refusal", "该事件未派遣给您所在的部门"),
        QT_TRANSLATE_NOOP("Refusal", "{label}取值无效：{value}，可选：{allowed}"),
        QT_TRANSLATE_NOOP("Refusal", "位置不在中国境内：{lon}, {lat}"),
        QT_TRANSLATE_NOOP("Refusal", "网格不存在：{grid}"),
        QT_TRANSLATE_NOOP("Refusal", "请填写延期时长（工作分钟数）"),
        QT_TRANSLATE_NOOP("Refusal", "该事件已存在，不能重复上报"),
        QT_TRANSLATE_NOOP("Refusal", "找不到该事件"),
        QT_TRANSLATE_NOOP("Refusal", "事件已归档，不能再操作"),
        QT_TRANSLATE_NOOP("Refusal", "事件已挂账，请先解除挂账再{action}"),
        QT_TRANSLATE_NOOP("Refusal", "事件已被他人更新（当前版本 {current}，操作基于版本 {base}），请刷新后重试"),
        QT_TRANSLATE_NOOP("Refusal", "位置坐标应为数字"),
        QT_TRANSLATE_NOOP("Refusal", "事件已被他人更新，请刷新后重试"),
        QT_TRANSLATE_NOOP("Refusal", "保存失败，未做任何更改：{error}"),
        QT_TRANSLATE_NOOP("Refusal", "该操作已执行过（重复提交）"),
        QT_TRANSLATE_NOOP("Refusal", "{label}应为编码文字：{value}"),
        QT_TRANSLATE_NOOP("Refusal", "事件分类"),
        QT_TRANSLATE_NOOP("Refusal", "网格"),
        QT_TRANSLATE_NOOP("Refusal", "受理中心"),
        QT_TRANSLATE_NOOP("Refusal", "交办对象"),
        QT_TRANSLATE_NOOP("Refusal", "合并目标"),
        QT_TRANSLATE_NOOP("Refusal", "、"),
    }
)


def enum_context(member: Enum) -> str:
    return f"Enum.{type(member).__name__}"


def label(member: Any) -> str:
    """The label of a domain enum member in the current language ('' for None)."""
    if member is None:
        return ""
    text = getattr(member, "label", None)
    if not isinstance(text, str):
        return str(member)
    return QCoreApplication.translate(enum_context(member), text)


def enum_label(enum: Any, value: object) -> str:
    """The label of ``enum(value)``; the value itself when it is not a member ('' for None/'')."""
    if value is None or value == "":
        return ""
    try:
        return label(enum(value))
    except ValueError:
        return str(value)


def refusal_text(outcome: Any) -> str:
    """A refusal (a Decision, or an Outcome of the command service) in the current language.

    The domain keeps the template and parameters of its Chinese reason; this translates
    the template in the context "Refusal", enum parameters by their labels and Term
    parameters (field names, action words) as words.  Without a template, or when a
    translation does not fit its parameters, the Chinese reason is shown as it is.
    """
    decision = getattr(outcome, "decision", outcome)
    reason = str(getattr(decision, "reason", "") or "")
    template = str(getattr(decision, "template", "") or "")
    if not template or _language == SOURCE_LANGUAGE:
        return reason

    def word(value: Any) -> str:
        if isinstance(value, Enum):
            return label(value)
        return QCoreApplication.translate("Refusal", str(value))

    try:
        return render_reason(
            QCoreApplication.translate("Refusal", template),
            getattr(decision, "params", {}) or {},
            word,
            QCoreApplication.translate("Refusal", "、"),
        )
    except (KeyError, IndexError, ValueError):
        log.warning("refusal translation does not fit its parameters: %r", template)
        return reason


# --- durations ------------------------------------------------------------------------


def duration_text(seconds: float) -> str:
    """'2小时15分', '3天4小时', '25分' (as domain.timeutil.fmt_duration) in the current language."""
    s = int(abs(seconds))
    days, rem = divmod(s, 86400)
    hours, rem = divmod(rem, 3600)
    minutes = rem // 60
    if days:
        return QCoreApplication.translate("Duration", "{d}天{h}小时").format(d=days, h=hours)
    if hours:
        return QCoreApplication.translate("Duration", "{h}小时{m}分").format(h=hours, m=minutes)
    return QCoreApplication.translate("Duration", "{m}分").format(m=minutes)


def countdown_text(deadline: datetime | None, now: datetime) -> str:
    """'剩余 2小时15分' / '超期 3小时0分' (as domain.timeutil.countdown) in the current language."""
    if deadline is None:
        return ""
    left = (deadline - now).total_seconds()
    if left >= 0:
        return QCoreApplication.translate("Duration", "剩余 {t}").format(t=duration_text(left))
    return QCoreApplication.translate("Duration", "超期 {t}").format(t=duration_text(left))


# --- translators ----------------------------------------------------------------------

_installed: list[QTranslator] = []
_language = SOURCE_LANGUAGE


def current_language() -> str:
    """The language last set with :func:`set_language` (zh_CN until then)."""
    return _language


def qm_path(lang: str) -> str:
    return str(TRANSLATIONS / f"{CATALOG}_{lang}.qm")


def set_language(app: QCoreApplication, lang: str) -> bool:
    """Make ``lang`` the language of the application, at start or at run time.

    Removes the translators installed before and installs the new ones: for
    zh_CN Qt's own Chinese strings (context menus of text fields and the like),
    for another language our catalogue ``commandcenter_<lang>.qm``.  Installing
    a translator sends every widget a LanguageChange event.  Returns False (and
    keeps the source language) when the catalogue cannot be loaded.
    """
    global _language
    for old in _installed:
        app.removeTranslator(old)
        old.deleteLater()
    _installed.clear()
    ok = True
    if lang and lang != SOURCE_LANGUAGE:
        ours = QTranslator(app)
        if ours.load(QLocale(lang), CATALOG, "_", str(TRANSLATIONS)):
            app.installTranslator(ours)
            _installed.append(ours)
        else:
            log.warning("no translation for %s in %s: staying with %s", lang, TRANSLATIONS, SOURCE_LANGUAGE)
            ours.deleteLater()
            ok = False
            lang = SOURCE_LANGUAGE
    qt = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if lang == SOURCE_LANGUAGE and qt.load(QLocale(lang), "qtbase", "_", qt_dir):
        app.installTranslator(qt)
        _installed.append(qt)
    else:
        qt.deleteLater()
    _language = lang or SOURCE_LANGUAGE
    return ok
