"""The Qt-free import contract (DESIGN.md section 1).

* Only ``commandcenter/gui/`` may import PySide6 / PyQt / shiboken6 / pyqtgraph.
* Every other module imports and runs with those packages absent.
* ``commandcenter.domain`` imports nothing of the layers above it.

The tests are generic: they look at whatever modules exist, so they keep working
as the package grows.  No Qt is needed to run them.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "commandcenter"
GUI = PACKAGE / "gui"

QT_NAMES = frozenset({"PySide6", "PyQt5", "PyQt6", "shiboken6", "pyqtgraph"})

# Modules that are GUI entry points by nature: they are not imported in the
# "runs without Qt" check (importing them would start the application).
GUI_ENTRY_POINTS = frozenset({"commandcenter.__main__"})

# domain -> nothing of these (the one-way arrows gui -> services -> store -> domain).
DOMAIN_FORBIDDEN = ("store", "services", "sync", "server", "gui", "sim")


def _python_files(base: Path, *, skip: Path | None = None) -> Iterator[Path]:
    for path in sorted(base.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        if skip is not None and path.is_relative_to(skip):
            continue
        yield path


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    """Yield (line, absolute dotted name) for every import in ``path``.

    Relative imports are resolved against the module's package.  Calls of
    ``importlib.import_module("x")`` / ``__import__("x")`` with a literal name are
    included, so a lazy import cannot slip past.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                if node.level > 1:
                    base_parts = base_parts[: -(node.level - 1)]
                base = ".".join(base_parts)
                target = f"{base}.{node.module}" if node.module else base
                yield node.lineno, target
                if not node.module:  # from . import x  -> package.x
                    for alias in node.names:
                        yield node.lineno, f"{base}.{alias.name}"
            else:
                assert node.module is not None
                yield node.lineno, node.module
                for alias in node.names:  # from commandcenter import gui
                    yield node.lineno, f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = (
                func.attr
                if isinstance(func, ast.Attribute)
                else func.id
                if isinstance(func, ast.Name)
                else None
            )
            first = node.args[0]
            if (
                name in {"import_module", "__import__"}
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and not first.value.startswith(".")
            ):
                yield node.lineno, first.value


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_no_qt_imports_outside_gui() -> None:
    offenders = [
        f"{_rel(path)}:{line}: imports {name}"
        for path in _python_files(PACKAGE, skip=GUI)
        for line, name in _imports(path)
        if name.split(".")[0] in QT_NAMES
    ]
    assert not offenders, (
        "Only commandcenter/gui/ may import Qt or pyqtgraph (DESIGN.md section 1):\n  "
        + "\n  ".join(offenders)
    )


def test_domain_imports_nothing_from_upper_layers() -> None:
    forbidden = tuple(f"commandcenter.{layer}" for layer in DOMAIN_FORBIDDEN)
    offenders = [
        f"{_rel(path)}:{line}: imports {name}"
        for path in _python_files(PACKAGE / "domain")
        for line, name in _imports(path)
        if any(name == f or name.startswith(f + ".") for f in forbidden)
    ]
    assert not offenders, (
        "commandcenter.domain must not import store/services/sync/server/gui/sim "
        "(arrows point one way, DESIGN.md section 1):\n  " + "\n  ".join(offenders)
    )


_IMPORT_ALL_WITHOUT_QT = textwrap.dedent(
    """
    import importlib, importlib.abc, json, os, pkgutil, sys, traceback

    BLOCKED = set(sys.argv[1].split(","))
    SKIP_PREFIX = sys.argv[2]
    SKIP_EXACT = set(sys.argv[3].split(","))

    class QtBlocked(ImportError):
        pass

    class BlockQt(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname, path=None, target=None):
            if fullname.split(".")[0] in BLOCKED:
                raise QtBlocked(f"{fullname} is blocked: Qt must not be needed here")
            return None

    sys.meta_path.insert(0, BlockQt())

    def walk(path, prefix):
        # Like pkgutil.walk_packages, but never imports a package just to look
        # inside it, so commandcenter.gui is not even touched.
        for info in pkgutil.iter_modules(path, prefix):
            if info.name == SKIP_PREFIX or info.name.startswith(SKIP_PREFIX + "."):
                continue
            if info.name in SKIP_EXACT or info.name.endswith(".__main__"):
                continue
            yield info.name
            if info.ispkg:
                sub = getattr(info.module_finder, "path", None)
                if sub is not None:
                    yield from walk([os.path.join(sub, info.name.rpartition(".")[2])],
                                    info.name + ".")

    import commandcenter
    names = ["commandcenter", *walk(commandcenter.__path__, "commandcenter.")]
    failures = {}
    for name in names:
        try:
            importlib.import_module(name)
        except BaseException as exc:
            chain, e = [], exc
            while e is not None:
                chain.append(e)
                e = e.__cause__ or e.__context__
            qt = any(isinstance(e, QtBlocked) for e in chain)
            failures[name] = {
                "qt": qt,
                "error": "".join(traceback.format_exception(exc)[-10:]),
            }
    leaked = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
    print(json.dumps({"imported": names, "failures": failures, "leaked": leaked}))
    """
)


def test_core_imports_without_qt() -> None:
    import json

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    env.pop("QT_QPA_PLATFORM", None)
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            _IMPORT_ALL_WITHOUT_QT,
            ",".join(sorted(QT_NAMES)),
            "commandcenter.gui",
            ",".join(sorted(GUI_ENTRY_POINTS)),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, f"import subprocess crashed:\n{proc.stdout}\n{proc.stderr}"
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert "commandcenter" in result["imported"]

    qt_failures = {n: f for n, f in result["failures"].items() if f["qt"]}
    other_failures = {n: f for n, f in result["failures"].items() if not f["qt"]}
    message = []
    if qt_failures:
        message.append(
            "These modules need Qt/pyqtgraph (directly or through an import); only "
            "commandcenter.gui may:\n"
            + "\n".join(f"--- {n}\n{f['error']}" for n, f in sorted(qt_failures.items()))
        )
    if other_failures:
        message.append(
            "These modules failed to import (with Qt blocked):\n"
            + "\n".join(f"--- {n}\n{f['error']}" for n, f in sorted(other_failures.items()))
        )
    if result["leaked"]:
        message.append(f"Qt modules ended up in sys.modules: {result['leaked']}")
    assert not message, "\n\n".join(message)
