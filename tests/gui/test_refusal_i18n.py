"""Refusal reasons in English: the domain keeps the template and parameters of each
Chinese reason, the GUI translates them (context "Refusal"), and every template and
word the domain and the command service use is in the catalogue."""

from __future__ import annotations

import ast
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("PySide6", reason="PySide6 is not installed (the 'gui' extra)")

from PySide6.QtCore import QCoreApplication

from commandcenter.domain.case import Command
from commandcenter.domain.enums import CommandType as C
from commandcenter.domain.enums import Status
from commandcenter.gui import i18n
from commandcenter.gui.app import install_translator
from tests.conftest import OPERATOR

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "commandcenter" / "domain" / "workflow.py", ROOT / "commandcenter" / "services" / "commands.py"]
TS = ROOT / "resources" / "translations" / "commandcenter_en.ts"
CJK = re.compile(r"[\u4e00-\u9fff]")
# Which positional argument of these calls is a template or a word the GUI translates.
TEXT_ARG = {"Refusal": 1, "refused": 1, "_text": 2, "_code": 2, "_enum": 3, "_need_status": 2}


def _domain_texts() -> set[str]:
    out: set[str] = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            i = TEXT_ARG.get(name)
            if i is None or len(node.args) <= i:
                continue
            arg = node.args[i]
            assert not isinstance(arg, ast.JoinedStr), (
                f"{path.name}:{node.lineno}: {name}() needs a literal text (an f-string cannot be translated)"
            )
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                out.add(arg.value)
    return out


@pytest.fixture
def english(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    app = QCoreApplication.instance()
    assert app is not None and install_translator(app, "en")
    yield
    i18n.set_language(app, i18n.SOURCE_LANGUAGE)
    QCoreApplication.sendPostedEvents(None, 0)


def test_every_refusal_text_is_marked_and_none_is_stale() -> None:
    marked = {text for ctx, text in i18n.MARKED_REFUSALS if ctx == "Refusal"}
    texts = _domain_texts()
    assert len(texts) > 80
    assert texts - marked == set(), "add these to gui/i18n.py MARKED_REFUSALS"
    assert marked - texts - {"、"} == set(), "these are no longer used by the domain"


def test_each_english_template_has_the_same_placeholders() -> None:
    names = re.compile(r"\{(\w+)\}")
    root = ET.parse(TS).getroot()
    seen = 0
    for ctx in root.iter("context"):
        if ctx.findtext("name") != "Refusal":
            continue
        for msg in ctx.iter("message"):
            src, tr = msg.findtext("source") or "", msg.findtext("translation") or ""
            assert set(names.findall(src)) == set(names.findall(tr)), (src, tr)
            assert not CJK.search(tr), tr
            seen += 1
    assert seen >= len(i18n.MARKED_REFUSALS)


def test_a_refusal_reads_in_chinese_then_in_english(workspace, english) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from commandcenter.store import schema as t

    with workspace.read() as conn:
        case_id = conn.execute(select(t.cases.c.id).limit(1)).scalar_one()
    out = workspace.commands.apply(Command(C.DISPATCH, case_id, OPERATOR, {"department_code": "x"}))
    assert not out.ok and out.decision.template
    assert CJK.search(out.reason)  # the stored, logged and served reason stays Chinese
    text = i18n.refusal_text(out)
    assert not CJK.search(text), text
    assert text.startswith("To dispatch, a case must be") and f"this one is “{i18n.label(Status.REPORTED)}”" in text
    out = workspace.commands.apply(Command(C.CLOSE, case_id, OPERATOR, {}))
    assert i18n.refusal_text(out) == f"A {i18n.label(OPERATOR.role)} may not “{i18n.label(C.CLOSE)}”"
    # an empty-field refusal names the field in English
    out = workspace.commands.apply(Command(C.REJECT, case_id, OPERATOR, {"reason": " "}))
    assert not out.ok and i18n.refusal_text(out) == "Please fill in the reason for rejecting"


def test_in_chinese_the_reason_is_shown_as_the_domain_wrote_it(workspace) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from commandcenter.store import schema as t

    with workspace.read() as conn:
        case_id = conn.execute(select(t.cases.c.id).limit(1)).scalar_one()
    out = workspace.commands.apply(Command(C.DISPATCH, case_id, OPERATOR, {"department_code": "x"}))
    assert i18n.current_language() == "zh_CN"
    assert i18n.refusal_text(out) == out.reason and out.reason.startswith("事件当前状态为“待受理”")


def test_the_simulator_status_follows_the_language(qtbot, workspace, english) -> None:  # type: ignore[no-untyped-def]
    from commandcenter.gui.app import make_main_window

    status = {"running": True, "speed": 60.0, "rate": 8.0, "reports": 3, "actions": 12}
    w = make_main_window(workspace, OPERATOR, sim_status=lambda: status)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.simLabel.text() != "", timeout=3000)
    assert not CJK.search(w.simLabel.text()) and "60" in w.simLabel.text() and "12" in w.simLabel.text()
    status["running"] = False
    i18n.set_language(QCoreApplication.instance(), i18n.SOURCE_LANGUAGE)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: w.simLabel.text() == "模拟器已停止", timeout=3000)
    w.close()
