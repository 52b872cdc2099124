"""The command line and the log file."""

from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys
from pathlib import Path

from commandcenter.cli import main
from commandcenter.logsetup import setup_logging

ROOT = Path(__file__).resolve().parents[2]


def test_main_py_and_entry_point_share_the_help() -> None:
    env = {"COLUMNS": "100", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "main.py", "--help"], cwd=ROOT, capture_output=True, text=True, check=True, env=env)
    assert "--db" in out.stdout and "--no-sim" in out.stdout
    script = Path(sys.executable).with_name("commandcenter")
    ep = subprocess.run([str(script), "--help"], cwd=ROOT, capture_output=True, text=True, check=True, env=env)
    assert ep.stdout == out.stdout


def test_seed_only_creates_a_demo_store(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    assert main(["--db", str(db), "--seed-only", "--seed-days", "2", "--log-dir", str(tmp_path / "logs")]) == 0
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from centres").fetchone()[0] == 15
    assert con.execute("select count(*) from cases").fetchone()[0] > 50
    assert con.execute("select value from meta where key='county_code'").fetchone()[0] == "330122"
    assert (tmp_path / "logs" / "commandcenter.log").exists()
    # a second start does not seed again
    n = con.execute("select count(*) from cases").fetchone()[0]
    con.close()
    assert main(["--db", str(db), "--seed-only", "--log-dir", str(tmp_path / "logs")]) == 0
    assert sqlite3.connect(db).execute("select count(*) from cases").fetchone()[0] == n


def test_bad_arguments_get_a_clear_message(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--db", str(tmp_path / "x.db"), "--sim-speed", "0", "--log-dir", str(tmp_path)]) == 2
    assert "--sim-speed" in capsys.readouterr().err
    db = tmp_path / "s.db"
    main(["--db", str(db), "--seed-only", "--seed-days", "1", "--log-dir", str(tmp_path)])
    assert main(["--db", str(db), "--user", "nobody", "--no-sim", "--log-dir", str(tmp_path)]) == 2
    assert "用户不存在：nobody" in capsys.readouterr().err


def test_log_file_never_holds_unmasked_personal_data(tmp_path: Path) -> None:
    path = setup_logging(directory=tmp_path)
    log = logging.getLogger("commandcenter.test")
    log.info("caller %s, id %s", "13812345678", "330122198001011234")
    try:
        raise ValueError("bad phone 13900001111")
    except ValueError:
        log.exception("failed for 0571-64612345")
    for h in logging.getLogger().handlers:
        h.flush()
    text = path.read_text(encoding="utf-8")
    assert "138****5678" in text and "13812345678" not in text
    assert "330122198001011234" not in text and "13900001111" not in text and "64612345" not in text
