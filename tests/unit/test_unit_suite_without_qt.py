"""The unit tests pass with PySide6 absent (DESIGN.md section 1).

Runs tests/unit in a child pytest in which importing any Qt binding fails and
the pytest-qt plugin is not loaded, as on a machine without PySide6.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHILD_ENV = "COMMANDCENTER_NO_QT_CHILD"

RUNNER = textwrap.dedent(
    """
    import importlib.abc, sys
    BLOCKED = {"PySide6", "PyQt5", "PyQt6", "shiboken6", "pyqtgraph", "pytestqt"}

    class BlockQt(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname, path=None, target=None):
            if fullname.split(".")[0] in BLOCKED:
                raise ImportError(f"{fullname} is blocked: this run simulates a machine without Qt")
            return None

    sys.meta_path.insert(0, BlockQt())
    import pytest
    sys.exit(pytest.main(sys.argv[1:]))
    """
)


def test_unit_tests_pass_without_pyside6() -> None:
    if os.environ.get(CHILD_ENV):
        return  # the child run itself: nothing to nest
    env = {**os.environ, CHILD_ENV: "1"}
    env.pop("QT_QPA_PLATFORM", None)
    args = [
        sys.executable, "-c", RUNNER,
        "-p", "no:pytest-qt", "-p", "no:cacheprovider",
        "-o", "addopts=", "-o", "qt_api=", "-q", "-x",
        "-W", "ignore::pytest.PytestConfigWarning",
        "tests/unit",
    ]
    proc = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-30:])
    assert proc.returncode == 0, f"unit tests failed with Qt blocked:\n{tail}"
    assert " passed" in proc.stdout and "PySide6" not in proc.stdout.split("passed")[-1]
