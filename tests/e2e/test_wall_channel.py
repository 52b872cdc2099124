"""The wall's control channel through a real server: a supervisor's commands reach a wall
that follows ``/api/wall``; the server refuses them from a role that may not drive the wall."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("uvicorn")

from commandcenter.domain.case import Actor
from commandcenter.domain.enums import Role
from commandcenter.services.wall import WallController
from commandcenter.sync.client import SyncClient
from commandcenter.sync.wall_channel import WallRelay
from tests.sync_helpers import PASSWORD, ServerProcess, wait_for


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    srv = ServerProcess(tmp_path)
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


def _client(server: ServerProcess, username: str) -> SyncClient:
    client = SyncClient(server.url, timeout=5.0)
    client.login(username, PASSWORD, f"test-{username}")
    return client


def test_supervisor_commands_reach_a_following_wall(server: ServerProcess) -> None:
    supervisor = Actor("supervisor", Role.SUPERVISOR, "330122")
    desk = WallController()
    publisher = WallRelay(desk, _client(server, "supervisor"))
    publisher.start_publishing()
    wall = WallController()
    follower = WallRelay(wall, _client(server, "wall"), interval_s=0.2)
    follower.start_following()
    try:
        desk.pin("case-42", supervisor)
        desk.pause(supervisor)
        desk.show_page(2, supervisor)
        wait_for(lambda: wall.state.pinned_case == "case-42" and wall.state.paused and wall.state.page == 2, 20,
                 "the wall to follow")
        desk.release(supervisor)
        wait_for(lambda: wall.state.pinned_case is None, 20, "the release")
        assert len(publisher.posted) == 4
        assert wall.log and all("by" not in e for e in wall.log)  # applied as trusted, not re-published
    finally:
        publisher.stop()
        follower.stop()


def test_the_server_refuses_wall_commands_of_an_operator(server: ServerProcess) -> None:
    op = _client(server, "operator")
    before = len(_client(server, "wall").get_wall(0))
    relay = WallRelay(WallController(), op)
    relay.start_publishing()
    try:
        relay.controller.apply({"action": "pause"}, Actor("supervisor", Role.SUPERVISOR, "330122"))  # local say-so
        wait_for(lambda: relay._outbox.empty(), 10, "the relay to try")
    finally:
        relay.stop()
    assert relay.posted == [] and len(_client(server, "wall").get_wall(0)) == before
