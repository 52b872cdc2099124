"""The sync worker: off the UI thread, pushes the outbox in order and pulls the
server's change feed (long-poll), with capped exponential back-off while the
server is unreachable, and a status for the status bar.

    worker = SyncWorker(ws, SyncClient(url), username="operator", password="…")
    worker.start()
    worker.status()   # SyncStatus(state="online", pending=0, last_sync=…)
    worker.stop()
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from ..services.events import CasesChanged
from ..services.workspace import Workspace
from .client import AuthError, Slow, SyncClient, SyncError, Unavailable
from .fetch import FetchProcess, FetchProcessFailed
from .pulled import Pulled
from .replica import ORDERS, Replica, wire_command

log = logging.getLogger(__name__)

ONLINE, DEGRADED, OFFLINE = "online", "degraded", "offline"
PAGE = 5000  # changes asked for per feed request (the server's largest page)
CATCH_UP_BATCH = 10_000  # at most this many changes applied in one transaction while catching up
FETCH_PROCESS_PAGES = 3  # behind by this many pages or more: the pages come from a fetch process


@dataclass(frozen=True)
class SyncStatus:
    state: str  # online | degraded | offline
    pending: int  # outbox commands not yet answered by the server
    last_sync: datetime | None  # last successful exchange with the server
    problems: int  # unresolved sync problems (rejected commands)
    error: str = ""


class _Backoff:
    def __init__(self, initial: float, cap: float) -> None:
        self.initial, self.cap = initial, cap
        self.delay = 0.0

    def fail(self) -> float:
        self.delay = min(self.cap, self.delay * 2 if self.delay else self.initial)
        return self.delay

    def reset(self) -> None:
        self.delay = 0.0


class SyncWorker(threading.Thread):
    """Runs the pull loop; a companion thread runs the push loop (so a held long-poll
    never delays a push). Both write the local store only through Replica."""

    def __init__(
        self,
        ws: Workspace,
        client: SyncClient,
        username: str | None = None,
        password: str | None = None,
        poll_timeout: float = 15.0,
        batch_size: int = 100,
        backoff_initial: float = 0.5,
        backoff_cap: float = 30.0,
        push_interval: float = 2.0,
        clock: Callable[[], datetime] | None = None,
        page: int = PAGE,
        catch_up_batch: int = CATCH_UP_BATCH,
        fetch_in_process: bool = True,
    ) -> None:
        super().__init__(name="cc-sync-pull", daemon=True)
        self.ws = ws
        self.client = client
        self.replica = Replica(ws)
        self.username, self.password = username, password
        self.poll_timeout = poll_timeout
        self.batch_size = batch_size
        self.push_interval = push_interval
        self.page, self.catch_up_batch = page, catch_up_batch
        # a long catch-up downloads and parses in a process of its own (sync.fetch); False
        # (or a client that is not a SyncClient) keeps it on a thread of this process
        self.fetch_in_process = fetch_in_process
        self.clock = clock or ws.now
        self._stop_evt = threading.Event()
        self._kick = threading.Event()
        self._auth_lock = threading.Lock()
        self._state_lock = threading.Lock()
        self._pull_backoff = _Backoff(backoff_initial, backoff_cap)
        self._push_backoff = _Backoff(backoff_initial, backoff_cap)
        self._pull_state, self._push_state = OFFLINE, OFFLINE
        self._error = ""
        self._last_sync: datetime | None = None
        self._pusher = threading.Thread(target=self._push_loop, name="cc-sync-push", daemon=True)
        # in sync mode the server gives official codes; local creates carry provisional ones
        ws.commands.provisional_codes = True
        ws.events.cases_changed.connect(self._on_local_change)

    # ------------------------------------------------------------ public

    def start(self) -> None:
        super().start()
        self._pusher.start()

    def stop(self, timeout: float | None = None) -> None:
        self._stop_evt.set()
        self._kick.set()
        self.ws.events.cases_changed.disconnect(self._on_local_change)
        if self._pusher.is_alive():
            self._pusher.join(timeout)
        if self.is_alive():
            self.join(timeout)

    def kick(self) -> None:
        """Push now (called on every local change)."""
        self._kick.set()

    def status(self) -> SyncStatus:
        with self._state_lock:
            states = {self._pull_state, self._push_state}
            state = OFFLINE if OFFLINE in states else DEGRADED if DEGRADED in states else ONLINE
            last, err = self._last_sync, self._error
        return SyncStatus(state, self.replica.pending_count(), last, len(self.replica.problems()), err)

    def problems(self) -> list[dict[str, Any]]:
        return self.replica.problems()

    # ------------------------------------------------------------ loops

    def _on_local_change(self, ev: CasesChanged) -> None:
        if ev.origin != "sync":
            self._kick.set()

    def _ensure_login(self) -> None:
        with self._auth_lock:
            if self.client.token is None:
                if self.username is None or self.password is None:
                    raise AuthError("no token and no credentials", "no_credentials")
                self.client.login(self.username, self.password, self.ws.client_id)

    def _relogin_after(self, used_token: str | None) -> None:
        with self._auth_lock:
            if self.client.token == used_token and self.username is not None:
                self.client.token = None

    def _set(self, which: str, state: str, error: str = "") -> None:
        with self._state_lock:
            if which == "pull":
                self._pull_state = state
            else:
                self._push_state = state
            if state == ONLINE:
                self._last_sync = self.clock()
                if error == "" and self._pull_state == ONLINE and self._push_state == ONLINE:
                    self._error = ""
            else:
                self._error = error

    def _guard(self, which: str, backoff: _Backoff, step: Callable[[], object]) -> None:
        token = self.client.token
        try:
            self._ensure_login()
            step()
            backoff.reset()
        except Slow as exc:  # reachable but not answering in time: degraded, not gone
            self._set(which, DEGRADED, str(exc))
            self._stop_evt.wait(backoff.fail())
        except Unavailable as exc:
            self._set(which, OFFLINE, str(exc))
            self._stop_evt.wait(backoff.fail())
        except AuthError as exc:
            self._set(which, DEGRADED, f"登录失败：{exc}")
            self._relogin_after(token)
            self._stop_evt.wait(backoff.fail())
        except SyncError as exc:
            self._set(which, DEGRADED, str(exc))
            self._stop_evt.wait(backoff.fail())
        except Exception as exc:  # a bug or a store error: keep the worker alive, say so
            log.exception("sync %s step failed", which)
            self._set(which, DEGRADED, repr(exc))
            self._stop_evt.wait(backoff.fail())

    def run(self) -> None:
        while not self._stop_evt.is_set():
            # Until a pull has answered (at start, after a failure) ask without waiting, so the
            # status turns online as soon as the server answers, not after a whole long-poll.
            with self._state_lock:
                probing = self._pull_state != ONLINE
            self._guard("pull", self._pull_backoff, (lambda: self.pull_once(0.0)) if probing else self.pull_once)

    def _push_loop(self) -> None:
        while not self._stop_evt.is_set():
            self._guard("push", self._push_backoff, self.push_once)
            self._kick.wait(self.push_interval)
            self._kick.clear()

    # ------------------------------------------------------------ one step each (also usable directly)

    def push_once(self) -> int:
        """Push everything pending, in client order, batch by batch. Returns how many were answered."""
        answered = 0
        while not self._stop_evt.is_set():
            rows = self.replica.pending(self.batch_size)
            if not rows:
                break
            results = self.client.push([wire_command(r) for r in rows])
            if not results:
                break
            changed, _rejected = self.replica.apply_results(results)
            answered += len(results)
            if changed:
                self.ws.events.cases_changed.emit(CasesChanged(tuple(changed), (), "sync"))
        self._set("push", ONLINE)
        return answered

    def pull_once(self, timeout: float | None = None) -> int:
        """Fetch and apply the next batch of the change feed (long-poll). Returns how many changes.

        Behind by more than a page (back from an outage), it catches up: the next pages are
        fetched and made ready (``Pulled``) on a helper thread while the last ones are written,
        and the pages in hand are written together (at most ``catch_up_batch`` changes, one
        transaction)."""
        wait = self.poll_timeout if timeout is None else timeout
        answer = self.client.changes(self.replica.cursor(), timeout=wait, limit=self.page)
        page = _Page.of(answer)
        n = 0
        if page.pulled.changes:
            behind = int(answer.get("last_seq") or 0) - page.cursor
            n = self._catch_up(page, behind) if not page.end else self._apply(page)
        self._set("pull", ONLINE)
        return n

    def _apply(self, page: _Page) -> int:
        changed, created = self.replica.apply_pulled(page.pulled, page.cursor)
        self.ws.events.cases_changed.emit(CasesChanged(tuple(changed), tuple(created), "sync"))
        return page.pulled.changes

    def _catch_up(self, first: _Page, behind: int) -> int:
        ready: queue.Queue[_Page | BaseException] = queue.Queue(maxsize=2)
        halt = threading.Event()
        children: list[FetchProcess] = []  # the fetch process, killed when the catch-up ends
        in_process = (
            self.fetch_in_process and isinstance(self.client, SyncClient) and behind >= FETCH_PROCESS_PAGES * self.page
        )
        fetch = partial(self._fetch_pages_in_process, children=children) if in_process else self._fetch_pages
        fetcher = threading.Thread(target=fetch, args=(first.cursor, ready, halt), name="cc-sync-fetch", daemon=True)
        fetcher.start()
        started = time.monotonic()
        applied = 0
        batch: _Page | None = first
        try:
            while batch is not None:
                failed: BaseException | None = None
                while not batch.end and batch.pulled.changes < self.catch_up_batch:  # add the pages in hand
                    try:
                        item = ready.get_nowait()
                    except queue.Empty:
                        break
                    if isinstance(item, BaseException):
                        failed = item  # reported once what was fetched before it is written
                        break
                    batch = batch.then(item)
                applied += self._apply(batch)
                if failed is not None:
                    raise failed
                self._set("pull", ONLINE)
                if batch.end:
                    log.info(
                        "caught up %d changes in %.1f s (pages fetched %s)",
                        applied,
                        time.monotonic() - started,
                        "by a fetch process" if in_process and self.fetch_in_process else "in-process",
                    )
                    return applied
                batch = None
                while batch is None and not self._stop_evt.is_set():  # wait for the next page
                    try:
                        batch = _unwrap(ready.get(timeout=0.2))
                    except queue.Empty:
                        continue
                if batch is not None and not batch.pulled.changes:
                    return applied
            return applied
        finally:
            halt.set()  # a fetcher still at work drops its page and ends
            for child in children:
                child.kill()

    def _fetch_pages(
        self,
        after: int,
        ready: queue.Queue[_Page | BaseException],
        halt: threading.Event,
        source: Callable[[int], _Page] | None = None,
    ) -> None:
        """Hand the pages after ``after`` to the pull thread until the last one or a failure
        (handed over too); ``source`` fetches one page (default: in this process)."""
        fetch = source or self._fetch_page
        item: _Page | BaseException
        while not halt.is_set():
            try:
                item = fetch(after)
            except BaseException as exc:  # handed to the pull thread, which reports it
                item = exc
            while not halt.is_set():
                try:
                    ready.put(item, timeout=0.2)
                    break
                except queue.Full:
                    continue
            if isinstance(item, BaseException) or item.end:
                return
            after = item.cursor

    def _fetch_page(self, after: int) -> _Page:
        return _Page.of(self.client.changes(after, timeout=0.0, limit=self.page))

    def _fetch_pages_in_process(
        self, after: int, ready: queue.Queue[_Page | BaseException], halt: threading.Event, children: list[FetchProcess]
    ) -> None:
        """``_fetch_pages`` with the downloading and parsing in a process of its own
        (``sync.fetch``): on the other core, without the GIL of this one. If that process
        cannot run here, or ends without a word, the pages come in-process from where it was."""
        assert isinstance(self.client, SyncClient)
        try:
            child = FetchProcess(self.client, after, self.page, ORDERS)
        except FetchProcessFailed as exc:
            log.warning("%s; the catch-up fetches in-process", exc)
            self.fetch_in_process = False
            self._fetch_pages(after, ready, halt)
            return
        children.append(child)
        from_child = True

        def fetch(after: int) -> _Page:
            nonlocal from_child
            if from_child:
                try:
                    return _Page(*child.next())
                except FetchProcessFailed as exc:
                    if halt.is_set():  # killed: the catch-up is over
                        raise
                    log.warning("%s; the catch-up goes on in-process from seq %d", exc, after)
                    if not child.pages:
                        self.fetch_in_process = False  # it could not run here: not again
                    from_child = False
            return self._fetch_page(after)

        try:
            self._fetch_pages(after, ready, halt, fetch)
        finally:
            child.close()


class _Page:
    """A feed answer (or several in a row), made ready to write."""

    __slots__ = ("cursor", "end", "pulled")

    def __init__(self, pulled: Pulled, cursor: int, end: bool) -> None:
        self.pulled, self.cursor, self.end = pulled, cursor, end

    @classmethod
    def of(cls, answer: dict[str, Any]) -> _Page:
        changes = answer["changes"]
        return cls(Pulled.of(changes, ORDERS), int(answer["cursor"]), not changes or not answer.get("more"))

    def then(self, later: _Page) -> _Page:
        """This page and the next, as one batch."""
        return _Page(
            self.pulled.extend(later.pulled), later.cursor if later.pulled.changes else self.cursor, later.end
        )


def _unwrap(item: _Page | BaseException) -> _Page:
    if isinstance(item, BaseException):
        raise item
    return item
