"""A workstation process for the crash test (tests/e2e/test_crash.py):

    python -m tests.e2e.crash_client DB URL USER work N   # make N commands while syncing, then drain
    python -m tests.e2e.crash_client DB URL USER drain    # only push what is pending, then exit

Prints `done <client_seq>` after each local command has committed and
`drained` once the outbox is empty. The test SIGKILLs it mid-push."""

from __future__ import annotations

import sys
import threading
import time
import uuid

from commandcenter.domain.case import Command
from commandcenter.domain.enums import CommandType as C
from commandcenter.services.workspace import Workspace
from commandcenter.sync import SyncClient, SyncWorker

PASSWORD = "demo1234"


def main(argv: list[str]) -> int:
    db, url, username, mode = argv[:4]
    n = int(argv[4]) if len(argv) > 4 else 0
    ws = Workspace.open(db)
    actor = ws.actor(username)
    assert actor is not None
    worker = SyncWorker(ws, SyncClient(url, timeout=5.0), username, PASSWORD, poll_timeout=1.0,
                        batch_size=2 if mode == "work" else 50, backoff_initial=0.05, backoff_cap=0.5,
                        push_interval=0.05)
    worker.start()
    tick = threading.Event()
    last: str | None = None
    for i in range(n if mode == "work" else 0):
        if last is None or i % 3 == 0:
            last = str(uuid.uuid4())
            cmd = Command(C.CREATE, last, actor, {"title": f"崩溃测试{i}", "category_code": "0101",
                                                   "address": f"迎春南路{i}号"})
        else:
            cmd = Command(C.COMMENT if i % 3 == 1 else C.URGE, last, actor,
                          {"text": f"备注{i}"} if i % 3 == 1 else {"opinion": f"催办{i}"})
        out = ws.commands.apply(cmd)
        assert out.ok, out.reason
        print(f"done {i}", flush=True)  # commands come faster than the pushes of 2 answer them
    deadline = time.monotonic() + 60
    while worker.status().pending and time.monotonic() < deadline:
        tick.wait(0.05)
    ok = worker.status().pending == 0
    print("drained" if ok else "NOT drained", flush=True)
    worker.stop(5)
    ws.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
