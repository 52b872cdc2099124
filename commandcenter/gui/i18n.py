"""The GUI's languages: translators, enum labels and durations.

The source strings of the code are Chinese (zh_CN, the default language); English
comes from ``resources/translations/commandcenter_en.qm``, built from
``commandcenter_en.ts`` by ``scripts/update_translations``.

    set_language(app, "en")      # installs the translators; every widget gets LanguageChange
    label(Status.REPORTED)       # '待受理', or 'New' in English
    countdown_text(deadline, now)

The domain's enums carry Chinese labels; the GUI shows them through :func:`label`,
which looks them up in the context ``Enum.<EnumClass>`` (marked below for lupdate).
Refusal reasons written by the domain (``domain/workflow.py``) stay Chinese.
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
