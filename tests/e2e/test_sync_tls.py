"""The workstation talks HTTPS to a real server process (uvicorn with --tls-cert/--tls-key,
a private CA made with openssl): verification is on by default, a CA bundle lets a private
CA through, and a certificate that cannot be verified keeps the workstation offline, with
its actions kept for later, instead of talking to an unverified server."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from commandcenter.domain.case import Command
from commandcenter.domain.enums import CommandType as C
from commandcenter.services.workspace import Workspace
from commandcenter.sync import OFFLINE, ONLINE, SyncClient, SyncWorker, Unavailable, bootstrap_store
from commandcenter.sync.client import PROBE_NOT_SERVER, PROBE_OK, PROBE_TLS, PROBE_UNREACHABLE
from tests.sync_helpers import PASSWORD, ServerProcess, TlsFiles, wait_for


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    return TlsFiles(tmp_path_factory.mktemp("tls"))


@pytest.fixture(autouse=True)
def system_bundle_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on many managed machines: requests would let it override a Session's own verify."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", requests.certs.where())


@pytest.fixture
def https_server(tmp_path: Path, tls: TlsFiles) -> Iterator[ServerProcess]:
    server = ServerProcess(tmp_path, tls=tls)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_the_connection_test_tells_a_certificate_problem_from_an_unreachable_server(
    https_server: ServerProcess, tls: TlsFiles
) -> None:
    assert https_server.url.startswith("https://")
    assert SyncClient(https_server.url, verify=str(tls.ca)).probe()[0] == PROBE_OK
    code, detail = SyncClient(https_server.url).probe()  # the system's CAs do not know this one
    assert code == PROBE_TLS and "certificate" in detail.lower()
    assert SyncClient(https_server.url, verify=False).probe()[0] == PROBE_OK  # --insecure
    # plain HTTP to the HTTPS port is not mistaken for a server
    assert SyncClient(https_server.url.replace("https", "http")).probe()[0] in (PROBE_NOT_SERVER, PROBE_UNREACHABLE)
    with pytest.raises(Unavailable):
        SyncClient(https_server.url).login("operator", PASSWORD, "c-1")


def test_a_workstation_syncs_over_https_and_refuses_an_unverified_server(
    https_server: ServerProcess, tls: TlsFiles, tmp_path: Path
) -> None:
    boot = SyncClient(https_server.url, verify=str(tls.ca))
    boot.login("operator", PASSWORD, "boot")
    bootstrap_store(tmp_path / "ws.db", boot.bootstrap(), https_server.url)
    ws = Workspace.open(tmp_path / "ws.db")
    actor = ws.actor("operator")
    assert actor is not None
    cid = str(uuid.uuid4())
    # verification on, without the CA: nothing is sent, the action waits and the status says why
    worker = SyncWorker(ws, SyncClient(https_server.url, timeout=3.0), "operator", PASSWORD,
                        poll_timeout=1.0, backoff_initial=0.05, backoff_cap=0.3, push_interval=0.2)
    worker.start()
    try:
        out = ws.commands.apply(Command(C.CREATE, cid, actor, {"title": "加密通道测试", "category_code": "0101",
                                                               "address": "迎春南路1号"}))
        assert out.ok
        status = wait_for(lambda: (s := worker.status()).state == OFFLINE and "certificate" in s.error.lower() and s,
                          what="the worker to report the certificate problem")
        assert status.pending == 1 and https_server.case_row(cid) is None
    finally:
        worker.stop(10)
    # with the private CA's bundle (the settings' CA file / --ca-bundle) it goes through
    worker = SyncWorker(ws, SyncClient(https_server.url, verify=str(tls.ca), timeout=3.0), "operator", PASSWORD,
                        poll_timeout=1.0, backoff_initial=0.05, backoff_cap=0.3, push_interval=0.2)
    worker.start()
    try:
        wait_for(lambda: worker.status().pending == 0 and worker.status().state == ONLINE,
                 what="the pending create to reach the server over HTTPS")
        row = https_server.case_row(cid)
        assert row is not None and row["title"] == "加密通道测试"
        local = ws.case(cid)
        wait_for(lambda: (c := ws.case(cid)) is not None and c.code == row["code"], what="the official code")
        assert local is not None
    finally:
        worker.stop(10)
        ws.close()
