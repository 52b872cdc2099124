"""Plain-Python events (the model side of napari's split): the services emit,
the GUI connects and marshals to its own thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

log = logging.getLogger(__name__)
E = TypeVar("E")


class Event(Generic[E]):
    """A list of callbacks; emit() calls each, a failing callback is logged, not fatal."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._callbacks: list[Callable[[E], object]] = []
        self._lock = threading.Lock()

    def connect(self, cb: Callable[[E], object]) -> Callable[[E], object]:
        with self._lock:
            self._callbacks.append(cb)
        return cb

    def disconnect(self, cb: Callable[[E], object]) -> None:
        with self._lock:
            if cb in self._callbacks:
                self._callbacks.remove(cb)

    def emit(self, value: E) -> None:
        with self._lock:
            callbacks = list(self._callbacks)
        for cb in callbacks:
            try:
                cb(value)
            except Exception:  # a broken listener must not break the command path
                log.exception("listener of %s failed", self.name)


@dataclass(frozen=True)
class CasesChanged:
    """Cases that were created or changed (after the transaction committed)."""

    case_ids: tuple[str, ...]
    created: tuple[str, ...] = ()
    origin: str = "local"  # "local" (this workstation), "sim", "sync"


class Events:
    def __init__(self) -> None:
        self.cases_changed: Event[CasesChanged] = Event("cases_changed")
