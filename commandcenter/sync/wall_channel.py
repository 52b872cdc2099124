"""The wall's control channel through the platform server (``POST``/``GET /api/wall``).

    relay = WallRelay(controller, client)
    relay.start_publishing()      # a supervisor's workstation: its wall commands go to the server
    relay.start_following()       # a wall process: it obeys the commands the server holds

The server checks the permission (DRIVE_WALL) when a command is posted and audits it; a
follower applies what it reads as a trusted command (``WallController.apply`` without an
actor), so it is not published again.  Network calls run on a plain thread; failures are
logged and retried on the next turn, never raised into the GUI.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from ..services.wall import WallController
from .client import SyncClient, SyncError

log = logging.getLogger(__name__)

FOLLOW_INTERVAL_S = 2.0


class WallRelay:
    def __init__(
        self,
        controller: WallController,
        client: SyncClient,
        *,
        token: Callable[[], str | None] | None = None,
        interval_s: float = FOLLOW_INTERVAL_S,
    ) -> None:
        """``token``: where to read the current token before each call (the sync worker's
        client re-logs in when its token expires); None: the client keeps its own."""
        self.controller = controller
        self.client = client
        self._token = token
        self.interval_s = interval_s
        self.cursor = 0  # the last wall message applied
        self.posted: list[int] = []  # ids of the messages this relay posted
        self._outbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._publishing = False

    def _refresh_token(self) -> None:
        if self._token is not None:
            token = self._token()
            if token:
                self.client.token = token

    # --- the workstation side --------------------------------------------------------------

    def start_publishing(self) -> None:
        if self._publishing:
            return
        self._publishing = True
        self.controller.published.connect(self._outbox.put)
        t = threading.Thread(target=self._publish_loop, name="wall-publish", daemon=True)
        t.start()
        self._threads.append(t)

    def _publish_loop(self) -> None:
        while not self._stop.is_set():
            payload = self._outbox.get()
            if payload is None:
                return
            try:
                self._refresh_token()
                self.posted.append(self.client.post_wall(payload))
            except SyncError as exc:
                log.warning("wall command not sent to the server: %s (%s)", payload.get("action"), exc)

    # --- the wall side --------------------------------------------------------------------

    def follow_once(self) -> int:
        """Apply the messages stored since the cursor; how many were applied."""
        self._refresh_token()
        n = 0
        while True:
            messages = self.client.get_wall(self.cursor)
            for m in messages:
                self.cursor = max(self.cursor, int(m.get("id", 0)))
                payload = m.get("payload")
                if isinstance(payload, str):
                    payload = json.loads(payload)
                try:
                    self.controller.apply(dict(payload or {}))
                    n += 1
                except (ValueError, TypeError) as exc:
                    log.warning("wall message %s ignored: %s", m.get("id"), exc)
            if len(messages) < 100:
                return n

    def start_following(self) -> None:
        t = threading.Thread(target=self._follow_loop, name="wall-follow", daemon=True)
        t.start()
        self._threads.append(t)

    def _follow_loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.follow_once()
            except SyncError as exc:
                log.info("wall channel: %s", exc)
            except Exception:  # a broken message must not stop the wall following
                log.exception("wall channel failed")
            self._stop.wait(self.interval_s)

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._publishing:
            self.controller.published.disconnect(self._outbox.put)
            self._outbox.put(None)
        for t in self._threads:
            t.join(timeout)
