"""services.wall (no Qt): the controller, masking of the wall's lists, the roster, polling;
services.export: CSV and XLSX."""

from __future__ import annotations

import csv

import pytest

from commandcenter.domain.case import Command, new_id
from commandcenter.domain.enums import CommandType as C
from commandcenter.domain.enums import Role
from commandcenter.services import wall
from commandcenter.services.export import read_xlsx_cells, write_csv, write_xlsx
from commandcenter.store import schema as t
from commandcenter.store.engine import write_tx
from tests.conftest import GRID1, GRIDDER, OPERATOR, SUPERVISOR, T1, WALL


def test_controller_obeys_supervisors_only_and_logs_payloads() -> None:
    c = wall.WallController(interval_s=10)
    seen: list[wall.WallState] = []
    c.changed.connect(seen.append)
    c.pin("case-1", SUPERVISOR)
    assert c.state.pinned_case == "case-1" and seen[-1] is c.state
    c.pause(SUPERVISOR)
    c.show_page(2, SUPERVISOR)
    c.release(SUPERVISOR)
    assert (c.state.paused, c.state.page, c.state.pinned_case, c.state.seq) == (True, 2, None, 4)
    for who in (OPERATOR, WALL):
        with pytest.raises(wall.WallPermissionError):
            c.resume(who)
    c.apply({"action": "resume"})  # a trusted channel (the server) has no actor
    assert not c.state.paused
    with pytest.raises(ValueError):
        c.apply({"action": "explode"}, SUPERVISOR)
    assert [e["action"] for e in c.log] == ["pin", "pause", "page", "release", "resume"]


def test_wall_lists_are_masked_and_polling_finds_changes(workspace, clock) -> None:  # type: ignore[no-untyped-def]
    cid = new_id()
    workspace.commands.apply(Command(C.CREATE, cid, GRIDDER, {
        "title": "噪音扰民 13812345678", "grid_code": GRID1, "priority": "critical", "category_code": "0101",
        "address": "身份证330122198001011234", "reporter_name": "李四"}))
    with workspace.read() as conn:
        major = wall.major_cases(conn, workspace.now())
        _ids, cursor = wall.changed_since(conn, 0)
    assert major[0]["title"] == "噪音扰民 138****5678" and major[0]["reporter_phone"] == ""
    assert "1980" not in major[0]["address"] and major[0]["reporter_name"] == "李*"
    clock.advance(minutes=5)
    out = workspace.commands.apply(Command(C.ACCEPT, cid, OPERATOR, {}))
    assert out.ok, out.reason
    with workspace.read() as conn:
        ids, nxt = wall.changed_since(conn, cursor + 1)
        clock.advance(hours=30)
        overdue = wall.overdue_cases(conn, workspace.now())
    assert ids == [cid] and nxt > cursor
    assert overdue and all("13812345678" not in r["title"] for r in overdue)


def test_duty_roster_comes_from_users_masked(workspace) -> None:  # type: ignore[no-untyped-def]
    with write_tx(workspace.engine) as conn:
        conn.execute(t.users.insert(), [
            {"username": "lead1", "display_name": "王小明", "role": "shift_lead", "centre_code": T1, "password_hash": "x"},
            {"username": "op1", "display_name": "赵六", "role": "operator", "centre_code": T1, "password_hash": "x"},
            {"username": "adm", "display_name": "管理员", "role": "admin", "centre_code": T1, "password_hash": "x"},
        ])
    with workspace.read() as conn:
        roster = wall.duty_roster(conn, T1)
    assert roster == [(Role.SHIFT_LEAD, "王**"), (Role.OPERATOR, "赵*")]


def test_export_csv_and_xlsx_mask_what_they_write(tmp_path) -> None:  # type: ignore[no-untyped-def]
    headers = ["名称", "值", "率"]
    rows = [["县公安局 13812345678", 3, 0.5], ["合计", None, 1.0]]
    p = write_csv(tmp_path / "a.csv", headers, rows)
    got = list(csv.reader(p.open(encoding="utf-8-sig")))
    assert got == [headers, ["县公安局 138****5678", "3", "0.5"], ["合计", "", "1.0"]]
    x = read_xlsx_cells(write_xlsx(tmp_path / "a.xlsx", headers, rows))
    assert x[0] == headers and x[1] == ["县公安局 138****5678", "3", "0.5"] and x[2] == ["合计", "1.0"]


def test_cli_has_the_wall_options() -> None:
    from commandcenter.cli import build_parser

    args = build_parser().parse_args(["--wall", "--wall-screen", "1", "--wall-interval", "30"])
    assert (args.wall, args.wall_screen, args.wall_interval) == (True, 1, 30)
    assert build_parser().parse_args([]).wall is False


def test_published_commands_exclude_trusted_ones() -> None:
    c = wall.WallController()
    out: list[dict[str, object]] = []
    c.published.connect(out.append)
    c.pin("x", SUPERVISOR)
    c.apply({"action": "release"})  # from the server: not published again
    assert out == [{"action": "pin", "case_id": "x"}]
