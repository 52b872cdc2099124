"""Every Qt Designer form in ui/ has an up-to-date generated module in commandcenter/gui/forms.

The modules are produced by ``scripts/build_forms`` (pyside6-uic) and committed;
this test recompiles each form and compares, ignoring the header line that names
the Qt version of the compiler.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6", reason="PySide6 is not installed (the 'gui' extra)")

ROOT = Path(__file__).resolve().parents[2]
UI_DIR = ROOT / "ui"
FORMS_DIR = ROOT / "commandcenter" / "gui" / "forms"
FORMS = sorted(UI_DIR.glob("*.ui"))


def _uic() -> Path:
    bindir = Path(sys.executable).parent
    for name in ("pyside6-uic", "pyside6-uic.exe"):
        if (bindir / name).is_file():
            return bindir / name
    raise AssertionError(f"pyside6-uic not found next to {sys.executable}: install the gui extra")


def _normalised(text: str) -> list[str]:
    return [
        line.rstrip()
        for line in text.splitlines()
        if "Qt User Interface Compiler version" not in line
    ]


def test_there_are_forms() -> None:
    assert FORMS, f"no Qt Designer forms in {UI_DIR}"
    assert (FORMS_DIR / "__init__.py").is_file()


@pytest.mark.parametrize("form", FORMS, ids=[f.name for f in FORMS])
def test_generated_module_matches_its_form(form: Path, tmp_path: Path) -> None:
    module = FORMS_DIR / f"ui_{form.stem}.py"
    fix = "run scripts/build_forms and commit the result"
    assert module.is_file(), f"{form.relative_to(ROOT)} has no generated module {module.relative_to(ROOT)}: {fix}"
    out = tmp_path / module.name
    # the same invocation as scripts/build_forms: relative paths from the repository root
    done = subprocess.run(
        [str(_uic()), str(form.relative_to(ROOT)), "-o", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"pyside6-uic failed on {form.name}:\n{done.stderr}"
    fresh = _normalised(out.read_text(encoding="utf-8"))
    committed = _normalised(module.read_text(encoding="utf-8"))
    assert fresh == committed, (
        f"{module.relative_to(ROOT)} is out of date with {form.relative_to(ROOT)}: {fix} "
        "(never edit the generated module by hand)"
    )
