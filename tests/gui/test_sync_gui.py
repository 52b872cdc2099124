"""The workstation against a real platform server process on loopback (no mocked HTTP):
the status bar follows the server going away and coming back, a rejected command shows
in the 同步问题 panel, the login dialog offers an offline login, and the settings dialog
validates and tests the connection.  Waits are qtbot.waitUntil with timeouts."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6", reason="PySide6 is not installed (the 'gui' extra)")
pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from PySide6.QtCore import Qt

from commandcenter.domain.case import Actor, Command
from commandcenter.domain.enums import CommandType as C
from commandcenter.gui.app import attach_sync, install_sync_menu, make_main_window
from commandcenter.gui.views.main_window import MainWindow
from commandcenter.gui.views.settings_dialog import SyncSettingsDialog
from commandcenter.gui.views.sync_session import LocalAuthWorkspace, ServerLoginDialog
from commandcenter.gui.views.sync_status import SyncStatusPresenter
from commandcenter.services.workspace import Workspace
from commandcenter.sync import SyncClient, SyncWorker
from commandcenter.sync import workstation as wsn
from tests.sync_helpers import PASSWORD, ServerProcess, free_port

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")

COUNTY = "330122"
WAIT_MS = 20_000


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    srv = ServerProcess(tmp_path)
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


def open_replica(server: ServerProcess, path: Path, username: str = "operator") -> tuple[Workspace, wsn.LoginResult]:
    """A new workstation: online login, then the first download (the app's own path)."""
    ws = Workspace.open(path)
    settings = wsn.SyncSettings(server.url)
    result = wsn.login(ws, settings, username, PASSWORD)
    assert result.outcome == wsn.ONLINE_LOGIN and result.client is not None
    wsn.bootstrap_from_server(ws, result.client, server.url)
    assert ws.is_seeded and wsn.store_server(ws) == server.url
    return ws, result


class Station:
    def __init__(self, qtbot: Any, server: ServerProcess, path: Path) -> None:
        self.ws, result = open_replica(server, path)
        actor = self.ws.actor("operator")
        assert actor is not None
        self.actor: Actor = actor
        assert result.client is not None
        client = SyncClient(server.url, token=result.client.token, timeout=3.0)
        self.worker = SyncWorker(self.ws, client, "operator", PASSWORD, poll_timeout=1.0,
                                 backoff_initial=0.05, backoff_cap=0.5, push_interval=0.2)
        self.worker.start()
        self.window: MainWindow = make_main_window(self.ws, actor)
        qtbot.addWidget(self.window)
        self.presenter: SyncStatusPresenter = attach_sync(self.window, self.worker, server_url=server.url,
                                                          interval_ms=100)
        install_sync_menu(self.window, None, self.presenter)
        self.window.resize(1600, 900)
        self.window.show()

    def close(self) -> None:
        self.presenter.stop()
        self.window.close()
        self.worker.stop(5.0)
        self.ws.close()

    def do(self, ctype: C, case_id: str, payload: dict[str, Any], base: int | None = None) -> None:
        out = self.ws.commands.apply(Command(ctype, case_id, self.actor, payload, base_version=base))
        assert out.ok, out.reason

    def new_case(self, title: str) -> str:
        cid = str(uuid.uuid4())
        self.do(C.CREATE, cid, {"title": title, "category_code": "0101", "address": "迎春南路1号"})
        return cid

    def state_text(self) -> str:
        return self.window.connectionLabel.text()

    def pending_text(self) -> str:
        return self.presenter.pendingLabel.text()


@pytest.fixture
def station(qtbot, server, tmp_path) -> Iterator[Station]:  # type: ignore[no-untyped-def]
    st = Station(qtbot, server, tmp_path / "ws.db")
    try:
        yield st
    finally:
        st.close()


def test_window_shows_online_with_nothing_pending(qtbot, station: Station) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: "在线" in station.state_text(), timeout=WAIT_MS)
    assert station.pending_text() == "待同步 0"
    assert "上次同步" in station.presenter.lastSyncLabel.text()
    assert station.window.connectionLabel.property("syncState") == "online"
    assert not station.presenter.problemsButton.isVisible()
    menu_titles = [a.text() for a in station.window.menuBar().actions()]
    assert "同步(&S)" in menu_titles


def test_outage_offline_then_pending_pushed_when_back(qtbot, station: Station, server: ServerProcess) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: "在线" in station.state_text(), timeout=WAIT_MS)
    cid = station.new_case("路灯不亮")
    qtbot.waitUntil(lambda: server.case_row(cid) is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: station.pending_text() == "待同步 0", timeout=WAIT_MS)
    server.stop()
    qtbot.waitUntil(lambda: "离线" in station.state_text(), timeout=WAIT_MS)
    assert "服务器无法连接" in station.window.connectionLabel.toolTip()
    # the operator keeps working: the action is applied locally and waits in the outbox
    station.do(C.COMMENT, cid, {"text": "离线备注"})
    station.do(C.ACCEPT, cid, {})
    qtbot.waitUntil(lambda: station.pending_text() == "待同步 2", timeout=WAIT_MS)
    case = station.ws.case(cid)
    assert case is not None and case.status.value == "registered"
    server.start()
    qtbot.waitUntil(lambda: "在线" in station.state_text() and station.pending_text() == "待同步 0", timeout=WAIT_MS)
    row = server.case_row(cid)
    assert row is not None and row["status"] == "registered"


def test_rejected_command_appears_in_the_problems_panel(qtbot, station: Station, server: ServerProcess,  # type: ignore[no-untyped-def]
                                                        tmp_path: Path) -> None:
    qtbot.waitUntil(lambda: "在线" in station.state_text(), timeout=WAIT_MS)
    depts = sorted(d.code for d in station.ws.ref.departments.values() if d.centre_code == COUNTY)
    cid = station.new_case("井盖缺失")
    station.do(C.ACCEPT, cid, {}, base=1)
    station.do(C.DISPATCH, cid, {"department_code": depts[0]}, base=2)
    qtbot.waitUntil(lambda: (server.case_row(cid) or {}).get("version") == 3, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: station.pending_text() == "待同步 0", timeout=WAIT_MS)
    server.stop()
    qtbot.waitUntil(lambda: "离线" in station.state_text(), timeout=WAIT_MS)
    station.do(C.REASSIGN, cid, {"department_code": depts[1], "reason": "职责调整"}, base=3)
    # meanwhile another workstation reassigns the same case through a second server process
    # on the same store (this workstation's server address stays closed)
    other = ServerProcess(tmp_path, db=server.db)
    other.start()
    try:
        b = SyncClient(other.url)
        b.login("operator2", PASSWORD, "other-ws")
        res = b.push([{"command_id": str(uuid.uuid4()), "client_seq": 1, "type": "reassign", "case_id": cid,
                       "base_version": 3, "payload": {"department_code": depts[2], "reason": "就近处置"},
                       "client_ts": None, "actor": None}])
        assert res[0]["result"] == "applied", (res[0].get("reason_code"), res[0].get("reason"))
    finally:
        other.stop()
    server.start()
    dock = station.presenter.dock
    qtbot.waitUntil(lambda: dock.row_count() == 1, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: station.pending_text() == "待同步 0", timeout=WAIT_MS)
    assert dock.isVisible()  # a rejection opens the panel: nothing vanishes silently
    p = dock.problems[0]
    assert p["reason_code"] == "version_conflict" and p["case_id"] == cid
    table = dock.table
    assert table.item(0, 4).text() == "version_conflict"
    assert table.item(0, 5).text() == p["reason"] and p["reason"]
    assert table.item(0, 3).text() == "改派"
    assert table.item(0, 2).text() == "井盖缺失"
    button = station.presenter.problemsButton
    assert button.isVisible() and button.text() == "同步问题 1"
    # the local case is the server's again (the other workstation's department)
    qtbot.waitUntil(lambda: (station.ws.case(cid) or Any).department_code == depts[2], timeout=WAIT_MS)  # type: ignore[union-attr]
    # double-click opens the case in the case panel
    rect = table.visualItemRect(table.item(0, 2))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: station.window.selected_case_id == cid, timeout=WAIT_MS)
    assert "井盖缺失" in station.window.ui.caseDetail.toPlainText()
    # dismissing is explicit, and recorded in the replica
    table.selectRow(0)
    assert dock.dismissButton.isEnabled()
    qtbot.mouseClick(dock.dismissButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dock.row_count() == 0, timeout=WAIT_MS)
    assert station.worker.problems() == []
    resolved = station.worker.replica.problems(include_resolved=True)
    assert len(resolved) == 1 and resolved[0]["resolved"]


# ---------------------------------------------------------------- login


def test_login_dialog_online_then_offline_with_the_cached_credentials(qtbot, server: ServerProcess,  # type: ignore[no-untyped-def]
                                                                      tmp_path: Path) -> None:
    ws, _ = open_replica(server, tmp_path / "ws.db")
    settings = wsn.SyncSettings(server.url)
    try:
        dlg = ServerLoginDialog(ws, settings, "operator")
        qtbot.addWidget(dlg)
        dlg.passwordEdit.setText(PASSWORD)
        dlg.submit()
        qtbot.waitUntil(lambda: dlg.login_result is not None, timeout=WAIT_MS)
        assert dlg.result() == ServerLoginDialog.DialogCode.Accepted and not dlg.is_offline
        assert dlg.actor is not None and dlg.actor.username == "operator"

        server.stop()
        dlg2 = ServerLoginDialog(ws, settings, "operator")
        qtbot.addWidget(dlg2)
        dlg2.passwordEdit.setText("not-the-password")
        dlg2.submit()
        qtbot.waitUntil(lambda: not dlg2.busy and dlg2.messageLabel.text() != "", timeout=WAIT_MS)
        assert dlg2.login_result is None and "用户名或密码错误" in dlg2.messageLabel.text()
        dlg2.passwordEdit.setText(PASSWORD)
        dlg2.submit()  # first: the dialog says the server is gone and offers an offline login
        qtbot.waitUntil(lambda: dlg2.loginButton.text() == "离线登录", timeout=WAIT_MS)
        assert "离线登录" in dlg2.messageLabel.text() and dlg2.login_result is None
        dlg2.submit()  # the operator confirms
        qtbot.waitUntil(lambda: dlg2.login_result is not None, timeout=WAIT_MS)
        assert dlg2.is_offline and dlg2.result() == ServerLoginDialog.DialogCode.Accepted

        # the idle lock of a server-backed replica checks the cached password (users there have no local one)
        assert ws.authenticate("operator", PASSWORD) is None
        lock_ws = LocalAuthWorkspace(ws, wsn.offline_cache(ws, settings)).as_workspace()
        who = lock_ws.authenticate("operator", PASSWORD)
        assert who is not None and who.username == "operator"
        assert lock_ws.authenticate("operator", "wrong") is None

        # an operator who never logged in online here cannot log in offline
        dlg3 = ServerLoginDialog(ws, settings, "operator2")
        qtbot.addWidget(dlg3)
        dlg3.passwordEdit.setText(PASSWORD)
        dlg3.submit()
        qtbot.waitUntil(lambda: not dlg3.busy and dlg3.messageLabel.text() != "", timeout=WAIT_MS)
        assert dlg3.login_result is None and "没有在线登录记录" in dlg3.messageLabel.text()
    finally:
        ws.close()


def test_offline_login_refused_after_the_window(qtbot, server: ServerProcess, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws, _ = open_replica(server, tmp_path / "ws.db")
    server.stop()
    try:
        settings = wsn.SyncSettings(server.url, offline_login_hours=72)
        cache = wsn.offline_cache(ws, settings)
        from datetime import timedelta

        later = wsn.offline_cache(ws, settings)
        later.clock = lambda: ws.now() + timedelta(hours=73)
        assert cache.check("operator", PASSWORD) == "ok"
        result = wsn.login(ws, settings, "operator", PASSWORD, cache=later)
        assert result.outcome == wsn.EXPIRED and not result.ok
        # the same store three days later: the dialog refuses, and says why
        from commandcenter.domain.timeutil import utcnow

        ws_later = Workspace.open(tmp_path / "ws.db", clock=lambda: utcnow() + timedelta(hours=73))
        try:
            dlg = ServerLoginDialog(ws_later, settings, "operator")
            qtbot.addWidget(dlg)
            dlg.passwordEdit.setText(PASSWORD)
            dlg.submit()
            qtbot.waitUntil(lambda: not dlg.busy and dlg.messageLabel.text() != "", timeout=WAIT_MS)
            assert dlg.login_result is None and "离线登录已过期" in dlg.messageLabel.text()
            assert "72 小时" in dlg.messageLabel.text()
        finally:
            ws_later.close()
    finally:
        ws.close()


# ---------------------------------------------------------------- settings dialog


def test_settings_dialog_refuses_a_bad_url_and_saves_nothing(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "conf" / "sync.json"
    dlg = SyncSettingsDialog(wsn.SyncSettings(), path)
    qtbot.addWidget(dlg)
    assert dlg.verifyCheck.isChecked()  # certificate verification on by default
    for bad in ("cc.example.gov.cn:8765", "ftp://cc.example", "http://host:99999"):
        dlg.urlEdit.setText(bad)
        assert dlg.save() is False
        assert "服务器地址无效" in dlg.messageLabel.text()
        assert not path.exists() and dlg.saved is None
    dlg.urlEdit.setText("https://cc.example.gov.cn:8765")
    dlg.caEdit.setText(str(tmp_path / "missing.pem"))
    assert dlg.save() is False and "找不到 CA 证书文件" in dlg.messageLabel.text() and not path.exists()
    dlg.caEdit.setText("")
    assert dlg.save() is True
    assert wsn.SyncSettings.load(path) == wsn.SyncSettings("https://cc.example.gov.cn:8765")


def test_settings_dialog_empty_url_means_standalone(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "sync.json"
    dlg = SyncSettingsDialog(wsn.SyncSettings("http://127.0.0.1:1"), path)
    qtbot.addWidget(dlg)
    dlg.urlEdit.setText("")
    assert dlg.save() is True and wsn.SyncSettings.load(path).standalone


def test_settings_dialog_connection_test(qtbot, server: ServerProcess, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dlg = SyncSettingsDialog(wsn.SyncSettings(), tmp_path / "sync.json")
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.urlEdit.setText(server.url)
    with qtbot.waitSignal(dlg.sig_test_finished, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(dlg.testButton, Qt.MouseButton.LeftButton)
    assert blocker.args is not None and blocker.args[0] is True
    assert "连接成功" in dlg.testLabel.text()

    closed = f"http://127.0.0.1:{free_port()}"
    dlg.urlEdit.setText(closed)
    with qtbot.waitSignal(dlg.sig_test_finished, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(dlg.testButton, Qt.MouseButton.LeftButton)
    assert blocker.args is not None and blocker.args[0] is False
    assert "无法连接" in dlg.testLabel.text()
    assert dlg.testButton.isEnabled() and not (tmp_path / "sync.json").exists()  # testing saves nothing
