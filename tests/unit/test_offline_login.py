"""The offline credential cache (services/auth.py) and the sync settings file
(sync/workstation.py): no server, no Qt."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from commandcenter.services.auth import (
    OFFLINE_EXPIRED,
    OFFLINE_OK,
    OFFLINE_UNKNOWN,
    OFFLINE_WRONG,
    OfflineCredentials,
)
from commandcenter.sync.workstation import SyncSettings, validate_server_url
from tests.conftest import make_workspace

PASSWORD = "Duty-2026-秘密"
FAST = 2**4  # cheap scrypt for tests; the real cost is 2**14


@pytest.fixture
def ws(tmp_path, clock):  # type: ignore[no-untyped-def]
    w = make_workspace(tmp_path / "ws.db", clock)
    yield w
    w.close()


def cache_of(ws, clock, hours: float = 72) -> OfflineCredentials:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    return OfflineCredentials(ws.engine, clock, timedelta(hours=hours), n=FAST)


def test_accepts_the_cached_password_within_the_window(ws, clock) -> None:  # type: ignore[no-untyped-def]
    cache = cache_of(ws, clock)
    cache.remember("op1", PASSWORD, "https://cc.example:8765")
    assert cache.check("op1", PASSWORD) == OFFLINE_OK
    clock.advance(hours=71, minutes=59)
    assert cache.check("op1", PASSWORD) == OFFLINE_OK
    assert cache.last_online_login("op1") is not None


def test_refuses_after_the_window(ws, clock) -> None:  # type: ignore[no-untyped-def]
    cache = cache_of(ws, clock)
    cache.remember("op1", PASSWORD)
    clock.advance(hours=72, minutes=1)
    assert cache.check("op1", PASSWORD) == OFFLINE_EXPIRED
    # a new online login opens a new window
    cache.remember("op1", PASSWORD)
    assert cache.check("op1", PASSWORD) == OFFLINE_OK


def test_the_window_is_configurable(ws, clock) -> None:  # type: ignore[no-untyped-def]
    cache = cache_of(ws, clock, hours=8)
    cache.remember("op1", PASSWORD)
    clock.advance(hours=9)
    assert cache.check("op1", PASSWORD) == OFFLINE_EXPIRED


def test_refuses_a_wrong_password_and_an_unknown_user(ws, clock) -> None:  # type: ignore[no-untyped-def]
    cache = cache_of(ws, clock)
    cache.remember("op1", PASSWORD)
    assert cache.check("op1", "wrong") == OFFLINE_WRONG
    assert cache.check("op1", PASSWORD.upper()) == OFFLINE_WRONG
    assert cache.check("op2", PASSWORD) == OFFLINE_UNKNOWN
    assert not cache.verify("op1", "wrong") and cache.verify("op1", PASSWORD)
    clock.advance(hours=100)
    assert cache.check("op1", "wrong") == OFFLINE_WRONG  # expiry is said only to the right password
    assert cache.verify("op1", PASSWORD)  # unlocking a running session ignores the window


def test_refuses_when_the_clock_was_turned_back(ws, clock) -> None:  # type: ignore[no-untyped-def]
    cache = cache_of(ws, clock)
    cache.remember("op1", PASSWORD)
    clock.advance(hours=-2)
    assert cache.check("op1", PASSWORD) == OFFLINE_EXPIRED


def test_forget(ws, clock) -> None:  # type: ignore[no-untyped-def]
    cache = cache_of(ws, clock)
    cache.remember("op1", PASSWORD)
    cache.forget("op1")
    assert cache.check("op1", PASSWORD) == OFFLINE_UNKNOWN


def test_no_plaintext_on_disk(ws, clock, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cache = cache_of(ws, clock)
    cache.remember("op1", PASSWORD)
    cache.remember("op2", PASSWORD)
    with ws.read() as conn:
        from sqlalchemy import select

        from commandcenter.store import schema as t

        rows = dict(conn.execute(select(t.meta.c.key, t.meta.c.value).where(t.meta.c.key.like("offline_login:%"))).all())
    assert set(rows) == {"offline_login:op1", "offline_login:op2"}
    hashes = [json.loads(v)["hash"] for v in rows.values()]
    assert all(h.startswith("scrypt$") for h in hashes)
    assert hashes[0] != hashes[1]  # salted: the same password gives different hashes
    ws.close()  # checkpoint the WAL into the file
    needles = [PASSWORD.encode(), PASSWORD.encode("utf-16-le")]
    for f in tmp_path.iterdir():
        if f.is_file():
            data = f.read_bytes()
            assert not any(n in data for n in needles), f"plaintext password found in {f.name}"


# ---------------------------------------------------------------- the settings file


@pytest.mark.parametrize(
    "url",
    ["", "http://127.0.0.1:8765", "https://cc.example.gov.cn", "https://cc.example.gov.cn:8443/api-root"],
)
def test_good_server_urls(url: str) -> None:
    assert validate_server_url(url) == ""


@pytest.mark.parametrize(
    "url",
    ["127.0.0.1:8765", "ftp://cc.example", "http://", "http://host:99999", "https://h:8765/?x=1", "http://a b"],
)
def test_bad_server_urls(url: str) -> None:
    assert validate_server_url(url) != ""


def test_settings_round_trip_and_defaults(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "sync.json"
    assert SyncSettings.load(path) == SyncSettings()
    assert SyncSettings().standalone and SyncSettings().verify is True  # verification on by default
    s = SyncSettings("https://cc.example:8765", verify_tls=True, ca_bundle="", offline_login_hours=24)
    s.save(path)
    assert SyncSettings.load(path) == s
    assert SyncSettings(verify_tls=False).verify is False
    path.write_text("{not json", encoding="utf-8")
    assert SyncSettings.load(path) == SyncSettings()  # unreadable: standalone, not a crash


# ---------------------------------------------------------------- the command line


def test_cli_refuses_a_bad_server_url_and_a_missing_ca_bundle(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from commandcenter.cli import main

    base = ["--db", str(tmp_path / "ws.db"), "--log-dir", str(tmp_path / "log"), "--settings", str(tmp_path / "s.json")]
    assert main([*base, "--server", "cc.example:8765", "--seed-only"]) == 2
    assert "服务器设置有误" in capsys.readouterr().err
    assert main([*base, "--server", "https://cc.example:8765", "--ca-bundle", str(tmp_path / "no.pem"), "--seed-only"]) == 2
    assert not (tmp_path / "ws.db").exists()


def test_cli_refuses_to_sync_a_standalone_demo_store(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from commandcenter.cli import main

    db = tmp_path / "demo.db"
    base = ["--db", str(db), "--log-dir", str(tmp_path / "log"), "--settings", str(tmp_path / "s.json")]
    assert main([*base, "--seed-only", "--seed-days", "0"]) == 0
    assert main([*base, "--server", "http://127.0.0.1:9", "--seed-only"]) == 2
    assert "单机" in capsys.readouterr().err
