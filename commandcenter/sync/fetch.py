"""The catch-up's fetch process: downloads the change feed page after page and makes each
page ready to write (``Pulled``) in a process of its own, so that parsing it does not take
the GIL from the sync thread writing the pages before (nor from the GUI thread).

A workstation back from a long outage pulls tens of thousands of changes: in one process,
parsing the JSON and making the row tuples took about a third of the catch-up's time under
the same GIL as the writes; here it runs on the other core. The parent reads each page as
one pickle (about a third of the cost of parsing its JSON).

    python -m commandcenter.sync.fetch      # started by FetchProcess, not by hand

Protocol: the parent writes one pickled ``dict`` (the server, the token, the cursor …) on
the child's stdin; the child writes frames on its stdout, each an 8-byte big-endian length
and a pickle: ``("page", latest, history, changes, cursor, end)`` until ``end``, or
``("error", kind, message, extra)`` once. The token goes through the pipe, never argv.
Imports only ``sync.client`` and ``sync.pulled`` (the package imports lazily): it starts in
a fraction of a second.
"""

from __future__ import annotations

import os
import pickle
import struct
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO, Any

from . import client as sc
from .pulled import Orders, Pulled

_LEN = struct.Struct(">Q")


class FetchProcessFailed(Exception):
    """The fetch process could not start or ended without a word: fetch in-process instead."""


def _write(out: IO[bytes], item: tuple[Any, ...]) -> None:
    data = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_LEN.pack(len(data)))
    out.write(data)
    out.flush()


def _read(stream: IO[bytes]) -> tuple[Any, ...] | None:
    """The next frame; None at the end of the stream (the child ended or was stopped)."""
    head = stream.read(_LEN.size)
    if len(head) < _LEN.size:
        return None
    n = _LEN.unpack(head)[0]
    data = stream.read(n)
    if len(data) < n:
        return None
    item = pickle.loads(data)
    assert isinstance(item, tuple)
    return item


def _error_frame(exc: BaseException) -> tuple[Any, ...]:
    extra: Any = None
    if isinstance(exc, sc.AuthError):
        extra = exc.code
    elif isinstance(exc, sc.ServerError):
        extra = exc.status
    return ("error", type(exc).__name__, str(exc), extra)


def rebuild_error(kind: str, message: str, extra: Any) -> BaseException:
    """The exception the child reported, as the in-process fetch would have raised it."""
    if kind == "AuthError":
        return sc.AuthError(message, str(extra or "unauthorized"))
    if kind == "ServerError":
        return sc.ServerError(message, int(extra or 0))
    cls = {"Slow": sc.Slow, "Unavailable": sc.Unavailable, "SyncError": sc.SyncError}.get(kind)
    if cls is not None:
        return cls(message)
    return sc.SyncError(f"{kind}: {message}")


def main() -> int:
    """The child: fetch and hand over pages until the last one or an error."""
    job = pickle.load(sys.stdin.buffer)
    out = sys.stdout.buffer
    client = sc.SyncClient(job["base_url"], token=job["token"], verify=job["verify"], timeout=job["timeout"])
    orders: Orders = job["orders"]
    after, page = int(job["after"]), int(job["page"])
    while True:
        try:
            answer = client.changes(after, timeout=0.0, limit=page)
        except Exception as exc:  # reported to the parent, which raises it
            _write(out, _error_frame(exc))
            return 0
        changes = answer["changes"]
        pulled = Pulled.of(changes, orders)
        cursor = int(answer["cursor"])
        end = not changes or not answer.get("more")
        try:
            _write(out, ("page", pulled.latest, pulled.history, pulled.changes, cursor, end))
        except BrokenPipeError:  # the parent stopped the catch-up
            return 0
        if end:
            return 0
        after = cursor


class FetchProcess:
    """The parent's side: start the child for ``client``'s server from cursor ``after``,
    then ``next()`` page after page. ``stop()`` ends it at any time (idempotent)."""

    def __init__(self, client: sc.SyncClient, after: int, page: int, orders: Orders) -> None:
        root = str(Path(__file__).resolve().parents[2])  # the commandcenter package's parent
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        # its stderr (a traceback, if any) in a file: a pipe nobody reads could fill and stall it
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed in close())
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "commandcenter.sync.fetch"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self.errors,
                env=env,
            )
            assert self.proc.stdin is not None
            job = {"base_url": client.base_url, "token": client.token, "verify": client.verify,
                   "timeout": client.timeout, "after": after, "page": page, "orders": orders}
            self.proc.stdin.write(pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL))
            self.proc.stdin.close()
        except (OSError, ValueError) as exc:
            if hasattr(self, "proc"):
                self.close()
            else:
                self.errors.close()
            raise FetchProcessFailed(f"cannot start the fetch process: {exc}") from exc
        self.pages = 0

    def next(self) -> tuple[Pulled, int, bool]:
        """The next page: (pulled, cursor, end). Raises what the fetch raised (SyncError …),
        or FetchProcessFailed if the child ended without a word (it could not start here)."""
        assert self.proc.stdout is not None
        item = _read(self.proc.stdout)
        if item is None:
            self.proc.wait()
            self.errors.seek(0)
            err = self.errors.read().decode("utf-8", "replace")[-2000:]
            raise FetchProcessFailed(f"the fetch process ended (exit {self.proc.returncode}): {err.strip()}")
        if item[0] == "error":
            raise rebuild_error(*item[1:])
        _, latest, history, changes, cursor, end = item
        self.pages += 1
        return Pulled(latest, history, changes), int(cursor), bool(end)

    def kill(self) -> None:
        """End the child now (any thread): a ``next()`` waiting on it returns at once."""
        if self.proc.poll() is None:
            self.proc.kill()

    def close(self) -> None:
        """Kill, reap and close the pipes (the thread that reads, once done)."""
        self.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout, self.errors):
            if stream is not None:
                stream.close()


if __name__ == "__main__":
    sys.exit(main())
