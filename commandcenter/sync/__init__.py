"""Client side of the platform protocol (DESIGN.md §3): the HTTP client, the
replica operations (push results, pulled batches, rebase, sync problems) and
the worker thread that runs them off the UI thread.

The names below are imported on first use (PEP 562): the catch-up's fetch process
(``sync.fetch``) imports only ``client`` and ``pulled``, not the store and the domain."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .client import AuthError, ServerError, Slow, SyncClient, SyncError, Unavailable
    from .replica import Replica, bootstrap_store
    from .worker import DEGRADED, OFFLINE, ONLINE, SyncStatus, SyncWorker

_WHERE = {
    "AuthError": "client",
    "ServerError": "client",
    "Slow": "client",
    "SyncClient": "client",
    "SyncError": "client",
    "Unavailable": "client",
    "Replica": "replica",
    "bootstrap_store": "replica",
    "DEGRADED": "worker",
    "OFFLINE": "worker",
    "ONLINE": "worker",
    "SyncStatus": "worker",
    "SyncWorker": "worker",
}

__all__ = [
    "DEGRADED",
    "OFFLINE",
    "ONLINE",
    "AuthError",
    "Replica",
    "ServerError",
    "Slow",
    "SyncClient",
    "SyncError",
    "SyncStatus",
    "SyncWorker",
    "Unavailable",
    "bootstrap_store",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
