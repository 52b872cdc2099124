"""HTTP client of the platform server's API (requests; TLS verification on by default)."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from typing import Any

import requests
import urllib3

PROBE_OK = "ok"
PROBE_UNREACHABLE = "unreachable"  # refused, no route, DNS
PROBE_TIMEOUT = "timeout"
PROBE_TLS = "tls"  # certificate or TLS handshake failure
PROBE_HTTP_ERROR = "http_error"  # answered, but with an error status
PROBE_NOT_SERVER = "not_server"  # answered something that is not this API


class SyncError(Exception):
    """The server could not be used for this call."""


class Unavailable(SyncError):
    """The server cannot be reached (connection refused, timeout, 502/503/504)."""


class Slow(Unavailable):
    """The server took the connection but did not answer in time (read timeout)."""


class AuthError(SyncError):
    """401: no valid token (or, for login, bad credentials / locked account)."""

    def __init__(self, message: str, code: str = "unauthorized") -> None:
        super().__init__(message)
        self.code = code


class ServerError(SyncError):
    """Any other non-2xx answer."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def _body(r: requests.Response, what: str, wait: float) -> Any:
    """The JSON body of a 2xx answer, read in one go. requests reads a body 10 KB at a time,
    and each read lets go of the GIL and waits to get it back: a 3 MB catch-up page made
    ~300 hand-overs with the sync thread writing the page before it (~7 % of the catch-up).
    The whole read gives the connection back to the pool (keep-alive), as requests does."""
    try:
        data = r.raw.read(decode_content=True)
    except urllib3.exceptions.ReadTimeoutError as exc:
        raise Slow(f"{what}: no answer within {wait:g} s") from exc
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        raise Unavailable(f"{what}: the answer was cut off: {exc}") from exc
    return json.loads(data)  # ValueError if it is not JSON (as requests' r.json())


class SyncClient:
    """One server; thread-safe (each thread gets its own requests.Session)."""

    def __init__(
        self, base_url: str, token: str | None = None, verify: bool | str = True, timeout: float = 10.0
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.verify = verify  # True, False, or a CA bundle path
        if verify is False:
            # turned off on purpose (--insecure, logged loudly at start): not one warning per request
            urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
        self.timeout = timeout
        self.user: dict[str, Any] | None = None
        self._local = threading.local()

    def _session(self) -> requests.Session:
        s: requests.Session | None = getattr(self._local, "session", None)
        if s is None:
            s = requests.Session()
            s.verify = self.verify
            self._local.session = s
        return s

    def _call(self, method: str, path: str, timeout: float | None = None, auth: bool = True, **kw: Any) -> Any:
        headers = kw.pop("headers", {})
        if auth and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        url, wait = self.base_url + path, timeout or self.timeout
        # verify given with each request: requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE in the
        # environment override a Session's own verify (a CA bundle path, or False for --insecure)
        kw["verify"] = self.verify
        # stream: the body is read below in one go (see _body)
        try:
            try:
                r = self._session().request(method, url, headers=headers, timeout=wait, stream=True, **kw)
            except requests.ConnectionError as exc:
                if isinstance(exc, requests.ConnectTimeout):
                    raise
                # A kept-alive connection the server closed while idle fails on reuse; one fresh
                # attempt is safe: reads are reads and command pushes are idempotent by command id.
                r = self._session().request(method, url, headers=headers, timeout=wait, stream=True, **kw)
        except requests.ReadTimeout as exc:
            raise Slow(f"{method} {path}: no answer within {wait:g} s") from exc
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise Unavailable(f"{method} {path}: {exc}") from exc
        if r.status_code in (401, 429):
            code = "unauthorized"
            try:
                detail = r.json().get("detail")
                if isinstance(detail, dict):
                    code = str(detail.get("code", code))
                    msg = str(detail.get("reason", r.text))
                else:
                    msg = str(detail)
            except ValueError:
                msg = r.text
            raise AuthError(msg, code)
        if r.status_code in (502, 503, 504):
            raise Unavailable(f"{method} {path}: HTTP {r.status_code}")
        if not r.ok:
            raise ServerError(f"{method} {path}: HTTP {r.status_code}: {r.text[:300]}", r.status_code)
        return _body(r, f"{method} {path}", wait)

    def login(self, username: str, password: str, client_id: str) -> dict[str, Any]:
        out = self._call(
            "POST", "/api/login", auth=False, json={"username": username, "password": password, "client_id": client_id}
        )
        self.token = out["token"]
        self.user = out["user"]
        return dict(out)

    def bootstrap(self, history: bool = True) -> dict[str, Any]:
        return dict(self._call("GET", "/api/bootstrap", params={"history": history}, timeout=max(self.timeout, 120)))

    def reference(self) -> dict[str, Any]:
        return dict(self._call("GET", "/api/reference"))

    def push(self, commands: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        return list(self._call("POST", "/api/commands", json={"commands": list(commands)})["results"])

    def changes(self, after: int, timeout: float = 0.0, limit: int = 1000) -> dict[str, Any]:
        return dict(
            self._call(
                "GET",
                "/api/changes",
                params={"after": after, "timeout": timeout, "limit": limit},
                timeout=self.timeout + timeout,
            )
        )

    def post_wall(self, payload: dict[str, Any]) -> int:
        return int(self._call("POST", "/api/wall", json={"payload": payload})["id"])

    def get_wall(self, after: int = 0) -> list[dict[str, Any]]:
        """The wall control messages stored after message ``after`` (at most 100), oldest first."""
        return list(self._call("GET", "/api/wall", params={"after": after}))

    def ping(self) -> bool:
        """A connection test: True if the server answers (even with 401)."""
        return self.probe()[0] == PROBE_OK

    def probe(self) -> tuple[str, str]:
        """A connection test that says why it failed: (PROBE_* code, detail for a tooltip/log)."""
        try:
            self._call("GET", "/openapi.json", auth=False)
        except Slow as exc:
            return PROBE_TIMEOUT, str(exc)
        except Unavailable as exc:
            cause: BaseException | None = exc.__cause__
            if isinstance(cause, requests.exceptions.SSLError):
                return PROBE_TLS, str(cause)
            if isinstance(cause, requests.Timeout):
                return PROBE_TIMEOUT, str(exc)
            return PROBE_UNREACHABLE, str(exc)
        except AuthError as exc:  # answering with 401/429 still proves it is up
            return PROBE_OK, str(exc)
        except ServerError as exc:
            return PROBE_HTTP_ERROR, str(exc)
        except (ValueError, requests.RequestException) as exc:  # not JSON / a malformed URL
            return PROBE_NOT_SERVER, str(exc)
        return PROBE_OK, ""
