"""The workstation's side of connecting to a platform server (no Qt here):

* ``SyncSettings`` — the server address and TLS settings, saved as a small JSON file
  in the user config directory (``settings_path()``); an empty address means
  standalone (the embedded default).
* ``validate_server_url`` — what the settings dialog and ``--server`` accept.
* ``login`` — online login against the server, falling back to the offline
  credential cache (services/auth.py) when the server cannot be reached.
* ``bootstrap_from_server`` — fill an empty local store from the server's snapshot.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from platformdirs import user_config_dir

from ..domain.case import Actor
from ..domain.enums import Role
from ..services.auth import (
    OFFLINE_EXPIRED,
    OFFLINE_MAX_AGE_HOURS,
    OFFLINE_OK,
    OFFLINE_UNKNOWN,
    OfflineCredentials,
)
from ..services.workspace import Workspace
from .client import AuthError, SyncClient, SyncError, Unavailable
from .replica import SERVER_KEY, bootstrap_store

log = logging.getLogger(__name__)

APP = "CommandCenter"
SETTINGS_FILE = "sync.json"
PASSWORD_ENV = "COMMANDCENTER_PASSWORD"  # the password for --user with a server (never a CLI argument)


def settings_path() -> Path:
    return Path(user_config_dir(APP, appauthor=False)) / SETTINGS_FILE


def validate_server_url(url: str) -> str:
    """'' if ``url`` is a usable server address (or empty: standalone), else why not (English, for logs/CLI)."""
    url = url.strip()
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for a bad port
    except ValueError as exc:
        return f"not a valid URL: {exc}"
    if parts.scheme not in ("http", "https"):
        return "the address must start with http:// or https://"
    if not parts.hostname:
        return "the address has no host name"
    if port is not None and not 0 < port < 65536:
        return "the port must be between 1 and 65535"
    if parts.query or parts.fragment:
        return "the address must not carry a query (?…) or a fragment (#…)"
    if any(c.isspace() for c in url):
        return "the address must not contain spaces"
    return ""


@dataclass(frozen=True)
class SyncSettings:
    server_url: str = ""  # empty: standalone
    verify_tls: bool = True  # certificate verification (on by default)
    ca_bundle: str = ""  # a CA bundle file to verify the server with ('' = the system's)
    offline_login_hours: float = OFFLINE_MAX_AGE_HOURS

    @property
    def standalone(self) -> bool:
        return not self.server_url.strip()

    @property
    def verify(self) -> bool | str:
        """What requests' ``verify`` takes: False, a CA bundle path, or True."""
        if not self.verify_tls:
            return False
        return self.ca_bundle or True

    def problems(self) -> list[str]:
        """Why these settings cannot be used (English), empty when they can."""
        out = []
        err = validate_server_url(self.server_url)
        if err:
            out.append(err)
        if self.ca_bundle and not Path(self.ca_bundle).is_file():
            out.append(f"CA bundle not found: {self.ca_bundle}")
        if not 0 < self.offline_login_hours <= 24 * 90:
            out.append("offline login hours must be between 0 and 2160")
        return out

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> SyncSettings:
        d = cls()
        return cls(
            server_url=str(data.get("server_url", d.server_url) or "").strip(),
            verify_tls=bool(data.get("verify_tls", d.verify_tls)),
            ca_bundle=str(data.get("ca_bundle", d.ca_bundle) or ""),
            offline_login_hours=float(data.get("offline_login_hours", d.offline_login_hours)),
        )

    @classmethod
    def load(cls, path: Path | None = None) -> SyncSettings:
        """The saved settings; the defaults (standalone) if there are none or they cannot be read."""
        path = path or settings_path()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            log.warning("cannot read the sync settings %s (%s): using the defaults", path, exc)
            return cls()
        try:
            return cls.from_mapping(data if isinstance(data, dict) else {})
        except (TypeError, ValueError) as exc:
            log.warning("bad sync settings in %s (%s): using the defaults", path, exc)
            return cls()

    def save(self, path: Path | None = None) -> Path:
        path = path or settings_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, path)
        return path

    def with_(self, **kw: Any) -> SyncSettings:
        return replace(self, **kw)


# ---------------------------------------------------------------- login

ONLINE_LOGIN = "online"
OFFLINE_LOGIN = "offline"
REFUSED = "refused"  # the server said no (wrong credentials, locked, disabled)
WRONG_PASSWORD = "wrong_password"  # offline: not the cached password
EXPIRED = "expired"  # offline: the last online login is too old
NO_CACHE = "no_cache"  # offline: never logged in online here (or the store is empty)
FAILED = "failed"  # the server answered with an error


@dataclass
class LoginResult:
    outcome: str
    actor: Actor | None = None
    detail: str = ""  # the server's reason or the error (for the log / a tooltip)
    code: str = ""  # the server's reason code for REFUSED
    client: SyncClient | None = field(default=None, repr=False)  # logged in (online) or not (offline)

    @property
    def ok(self) -> bool:
        return self.outcome in (ONLINE_LOGIN, OFFLINE_LOGIN)


def _actor_of(user: Mapping[str, Any]) -> Actor:
    return Actor(
        str(user["username"]),
        Role(str(user["role"])),
        user.get("centre_code"),
        user.get("department_code"),
        str(user.get("display_name") or ""),
    )


def login(
    ws: Workspace,
    settings: SyncSettings,
    username: str,
    password: str,
    *,
    cache: OfflineCredentials | None = None,
    timeout: float = 8.0,
) -> LoginResult:
    """Log in at the server; if it cannot be reached, with the offline credential cache
    (only for a store that already holds data).  Blocks: call it off the GUI thread."""
    cache = cache or offline_cache(ws, settings)
    client = SyncClient(settings.server_url, verify=settings.verify, timeout=timeout)
    try:
        out = client.login(username, password, ws.client_id)
    except AuthError as exc:
        log.info("server refused the login of %s: %s (%s)", username, exc, exc.code)
        return LoginResult(REFUSED, detail=str(exc), code=exc.code)
    except Unavailable as exc:
        log.warning("server %s unreachable at login: %s", settings.server_url, exc)
        return _offline_login(ws, cache, username, password, str(exc), client)
    except SyncError as exc:
        log.warning("login at %s failed: %s", settings.server_url, exc)
        return LoginResult(FAILED, detail=str(exc))
    try:
        cache.remember(username, password, settings.server_url)
    except Exception:  # the cache is a convenience for later: never block an online login
        log.exception("cannot cache the credentials of %s for offline login", username)
    actor = ws.actor(username) or _actor_of(out["user"])
    log.info("online login: %s at %s", username, settings.server_url)
    return LoginResult(ONLINE_LOGIN, actor, client=client)


def _offline_login(
    ws: Workspace, cache: OfflineCredentials, username: str, password: str, why: str, client: SyncClient
) -> LoginResult:
    if not ws.is_seeded:
        return LoginResult(NO_CACHE, detail=why)
    verdict = cache.check(username, password)
    actor = ws.actor(username)
    if verdict == OFFLINE_OK and actor is not None:
        log.warning("OFFLINE login: %s (server unreachable: %s)", username, why)
        return LoginResult(OFFLINE_LOGIN, actor, detail=why, client=client)
    if verdict == OFFLINE_EXPIRED:
        log.info("offline login refused for %s: the last online login is too old", username)
        return LoginResult(EXPIRED, detail=why)
    if verdict == OFFLINE_UNKNOWN or actor is None:
        log.info("offline login refused for %s: no online login on this workstation", username)
        return LoginResult(NO_CACHE, detail=why)
    log.info("offline login refused for %s: wrong password", username)
    return LoginResult(WRONG_PASSWORD, detail=why)


def offline_cache(ws: Workspace, settings: SyncSettings) -> OfflineCredentials:
    from datetime import timedelta

    return OfflineCredentials(ws.engine, ws.now, timedelta(hours=settings.offline_login_hours))


# ---------------------------------------------------------------- first start


def bootstrap_from_server(ws: Workspace, client: SyncClient, server_url: str) -> int:
    """Fill the (empty) local store of ``ws`` from the server's snapshot; returns the number
    of cases.  ``client`` must be logged in.  Blocks: call it off the GUI thread."""
    snapshot = client.bootstrap()
    target = ws.engine.url.database
    if not target:
        raise ValueError("the local store has no file")
    bootstrap_store(target, snapshot, server_url)
    ws.reload_reference()
    return len(snapshot.get("cases", ()))


def store_server(ws: Workspace) -> str | None:
    """The server a replica was bootstrapped from; None for a standalone (demo) store."""
    from ..store import repo

    with ws.read() as conn:
        return repo.get_meta(conn, SERVER_KEY)


def describe_verify(settings: SyncSettings) -> str:
    """For the log: how the server's certificate is checked."""
    v = settings.verify
    if v is False:
        return "TLS certificate verification OFF"
    return f"TLS verified with {v}" if isinstance(v, str) else "TLS verified with the system CAs"



@dataclass(frozen=True)
class SyncOptions:
    """How the app was asked to sync (cli -> gui.app.run)."""

    settings: SyncSettings
    settings_file: Path | None = None  # where the settings dialog saves (None: settings_path())
    password: str | None = None  # from $COMMANDCENTER_PASSWORD, for a login without the dialog
    insecure: bool = False  # certificate verification turned off (by --insecure or the settings)

    @property
    def enabled(self) -> bool:
        return not self.settings.standalone
