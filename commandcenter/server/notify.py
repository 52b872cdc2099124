"""Waking long-polls: a generation counter bumped by the apply path (any thread),
waited on by the change-feed handlers (the event loop). For PostgreSQL a
LISTEN thread bumps it too when another server process commits a command."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading

log = logging.getLogger(__name__)


class ChangeNotifier:
    def __init__(self) -> None:
        self._gen = 0
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._event: asyncio.Event | None = None

    @property
    def generation(self) -> int:
        with self._lock:
            return self._gen

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._event = asyncio.Event()

    def notify(self, *_: object) -> None:
        """Something changed (callable from any thread)."""
        with self._lock:
            self._gen += 1
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # loop shutting down
                loop.call_soon_threadsafe(self._wake)

    def _wake(self) -> None:
        if self._event is not None:
            self._event.set()
            self._event = asyncio.Event()  # waiters hold the old one, which stays set

    async def wait(self, since_generation: int, timeout: float) -> bool:
        """Wait until the generation moves past `since_generation` or `timeout` s pass."""
        if self.generation != since_generation:
            return True
        if self._event is None:
            self.bind(asyncio.get_running_loop())
        assert self._event is not None
        event = self._event
        if self.generation != since_generation:
            return True
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except asyncio.TimeoutError:
            return self.generation != since_generation
        return True


class PgListener(threading.Thread):
    """LISTEN on the change channel of a PostgreSQL database; each NOTIFY bumps the notifier.

    `connected` is set while the LISTEN connection is up: the change feed then relies on
    NOTIFY and re-reads the change log only rarely. Every (re)connection bumps the
    notifier once, since notifications sent while it was down are lost."""

    def __init__(self, dsn: str, channel: str, notifier: ChangeNotifier) -> None:
        super().__init__(name="cc-pg-listen", daemon=True)
        self.dsn, self.channel, self.notifier = dsn, channel, notifier
        # NB: not `_stop`: threading.Thread has a private `_stop()` that join() calls
        self._stop_evt = threading.Event()
        self.connected = threading.Event()

    def stop(self, timeout: float = 3.0) -> None:
        self._stop_evt.set()
        if self.is_alive():
            self.join(timeout)

    def run(self) -> None:
        import psycopg

        while not self._stop_evt.is_set():
            try:
                with psycopg.connect(self.dsn, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {self.channel}")
                    self.connected.set()
                    self.notifier.notify()  # anything committed while we were not listening
                    while not self._stop_evt.is_set():
                        for _ in conn.notifies(timeout=0.5):
                            self.notifier.notify()
            except Exception:
                if self._stop_evt.is_set():
                    break
                log.exception("LISTEN %s failed; retrying", self.channel)
                self._stop_evt.wait(2.0)
            finally:
                self.connected.clear()
