"""The server's command line and store preparation, and its place in the layering:
gui/ never imports the server, the server and sync never import gui/."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from commandcenter.store import schema as t
from commandcenter.store.engine import make_engine

ROOT = Path(__file__).resolve().parents[2]
PKG = ROOT / "commandcenter"


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            mod = node.module or ""
            if node.level:  # resolve relative imports against the file's package
                parts = list(path.relative_to(ROOT).with_suffix("").parts)
                base = parts[: len(parts) - node.level]
                mod = ".".join([*base, mod] if mod else base)
            names.add(mod)
            names.update(f"{mod}.{a.name}" for a in node.names)
    return names


def test_gui_never_imports_the_server_and_server_sync_never_import_gui() -> None:
    bad = [
        f"{p.relative_to(ROOT)} imports {n}"
        for p in (PKG / "gui").rglob("*.py")
        for n in _imported(p)
        if n == "commandcenter.server" or n.startswith("commandcenter.server.")
    ]
    for sub in ("server", "sync"):
        bad += [
            f"{p.relative_to(ROOT)} imports {n}"
            for p in (PKG / sub).rglob("*.py")
            for n in _imported(p)
            if n == "commandcenter.gui" or n.startswith("commandcenter.gui.")
        ]
    assert not bad, "\n".join(bad)


def test_cli_help_runs() -> None:
    out = subprocess.run([sys.executable, "-m", "commandcenter.server", "--help"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "--db" in out.stdout and "--port" in out.stdout


def test_prepare_store_migrates_and_seeds_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("fastapi")
    from commandcenter.server.cli import prepare_store

    engine = make_engine(tmp_path / "server.db")
    assert prepare_store(engine) is True
    assert prepare_store(engine) is False  # already seeded: left alone
    with engine.connect() as conn:
        users = conn.execute(select(func.count()).select_from(t.users)).scalar_one()
        cases = conn.execute(select(func.count()).select_from(t.cases)).scalar_one()
    engine.dispose()
    assert users > 10 and cases == 0


def test_https_options_are_checked_before_anything_starts(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("uvicorn")
    from commandcenter.server.cli import main

    db = tmp_path / "s.db"
    assert main(["--db", str(db), "--tls-cert", str(tmp_path / "cert.pem")]) == 2
    assert "both --tls-cert and --tls-key" in capsys.readouterr().err
    (tmp_path / "key.pem").write_text("x")
    assert main(["--db", str(db), "--tls-cert", str(tmp_path / "cert.pem"), "--tls-key", str(tmp_path / "key.pem")]) == 2
    assert f"--tls-cert: no such file: {tmp_path / 'cert.pem'}" in capsys.readouterr().err
    assert not db.exists()  # nothing created
