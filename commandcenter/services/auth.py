"""Password hashing with scrypt (memory-hard, in the standard library)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

_N, _R, _P = 2**14, 8, 1
DISABLED = "!"  # a user who cannot log in (e.g. simulated actors)


def hash_password(password: str, *, n: int = _N) -> str:
    salt = os.urandom(16)
    dk = hashlib.scrypt(password.encode(), salt=salt, n=n, r=_R, p=_P, dklen=32)
    return f"scrypt${n}${_R}${_P}${base64.b64encode(salt).decode()}${base64.b64encode(dk).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        algo, n, r, p, salt_b64, dk_b64 = stored.split("$")
    except ValueError:
        return False
    if algo != "scrypt":
        return False
    salt, want = base64.b64decode(salt_b64), base64.b64decode(dk_b64)
    got = hashlib.scrypt(password.encode(), salt=salt, n=int(n), r=int(r), p=int(p), dklen=len(want))
    return hmac.compare_digest(got, want)


# ---------------------------------------------------------------- offline login

OFFLINE_MAX_AGE_HOURS = 72.0  # default window for logging in offline after the last online login
_OFFLINE_PREFIX = "offline_login:"

OFFLINE_OK = "ok"
OFFLINE_WRONG = "wrong_password"
OFFLINE_EXPIRED = "expired"
OFFLINE_UNKNOWN = "unknown"  # never logged in online on this workstation


class OfflineCredentials:
    """Credentials of each user's last successful *online* login on this workstation,
    kept in the local store's meta table as a salted scrypt hash plus the time of that
    login (never the password itself).  When the server cannot be reached, ``check``
    lets the same password in for ``max_age`` after that login; later, or with another
    password, it refuses.

        cache = OfflineCredentials(ws.engine, ws.now)
        cache.remember("operator", password)      # after the server said yes
        cache.check("operator", password)         # "ok" | "wrong_password" | "expired" | "unknown"
    """

    def __init__(
        self,
        engine: Any,
        clock: Callable[[], datetime],
        max_age: timedelta = timedelta(hours=OFFLINE_MAX_AGE_HOURS),
        *,
        n: int = _N,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.max_age = max_age
        self.n = n

    def remember(self, username: str, password: str, server: str = "") -> None:
        """Cache the password of a login the server just accepted (salted scrypt hash only)."""
        from ..store import repo
        from ..store.engine import write_tx

        entry = {"hash": hash_password(password, n=self.n), "at": self.clock().timestamp(), "server": server}
        with write_tx(self.engine) as conn:
            repo.set_meta(conn, _OFFLINE_PREFIX + username, json.dumps(entry))

    def _entry(self, username: str) -> dict[str, Any] | None:
        from ..store import repo
        from ..store.engine import read_tx

        with read_tx(self.engine) as conn:
            raw = repo.get_meta(conn, _OFFLINE_PREFIX + username)
        if not raw:
            return None
        try:
            entry = json.loads(raw)
        except ValueError:
            return None
        return entry if isinstance(entry, dict) and "hash" in entry and "at" in entry else None

    def last_online_login(self, username: str) -> datetime | None:
        entry = self._entry(username)
        return None if entry is None else datetime.fromtimestamp(float(entry["at"]), tz=timezone.utc)

    def check(self, username: str, password: str) -> str:
        """OFFLINE_OK, OFFLINE_WRONG, OFFLINE_EXPIRED (right password, window over) or OFFLINE_UNKNOWN."""
        entry = self._entry(username)
        if entry is None:
            return OFFLINE_UNKNOWN
        if not verify_password(password, str(entry["hash"])):
            return OFFLINE_WRONG
        at = datetime.fromtimestamp(float(entry["at"]), tz=timezone.utc)
        age = self.clock() - at
        if age > self.max_age or age < -timedelta(minutes=5):  # also refuse a clock turned back
            return OFFLINE_EXPIRED
        return OFFLINE_OK

    def verify(self, username: str, password: str) -> bool:
        """The cached password, whatever its age (unlocking a session already logged in)."""
        entry = self._entry(username)
        return entry is not None and verify_password(password, str(entry["hash"]))

    def forget(self, username: str) -> None:
        from sqlalchemy import delete

        from ..store import schema as t
        from ..store.engine import write_tx

        with write_tx(self.engine) as conn:
            conn.execute(delete(t.meta).where(t.meta.c.key == _OFFLINE_PREFIX + username))
