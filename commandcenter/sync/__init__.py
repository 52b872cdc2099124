"""Client side of the platform protocol (DESIGN.md §3): the HTTP client, the
replica operations (push results, pulled batches, rebase, sync problems) and
the worker thread that runs them off the UI thread."""

from .client import AuthError, ServerError, Slow, SyncClient, SyncError, Unavailable
from .replica import Replica, bootstrap_store
from .worker import DEGRADED, OFFLINE, ONLINE, SyncStatus, SyncWorker

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
