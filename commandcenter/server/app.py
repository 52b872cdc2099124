"""The HTTP JSON API (FastAPI): a thin shell over ServerCore.

Every endpoint but /api/login needs `Authorization: Bearer <token>` (401 without).
The OpenAPI document is at /openapi.json.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field, ValidationError, model_validator
from sqlalchemy import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..store.engine import make_engine
from ..store.migrate import upgrade
from .core import PG_CHANNEL, LoginError, PushItem, ServerCore, Session
from .notify import ChangeNotifier, PgListener

log = logging.getLogger(__name__)

MAX_POLL_S = 60.0
MAX_INT = 2**63 - 1  # what the store's integer columns hold (SQLite INTEGER, PostgreSQL BIGINT)
MAX_TS = 32_503_680_000.0  # client timestamps: epoch seconds before the year 3000
_POLL_SLICE_S = 1.0  # re-read the change log at least this often (another process may have written it)
_FEED_CACHE_S = 0.25
_ANSWER_BUDGET_PER_S = 400.0  # feed answers with changes a second, shared by the clients (see pace())
_MAX_ANSWER_INTERVAL_S = 0.25
_PG_POLL_SLICE_S = 10.0  # ... unless LISTEN/NOTIFY is up and wakes us (then this is only a safety net)


def _has_lone_surrogate(value: Any) -> bool:
    """JSON may carry \\udXXX escapes that decode to strings no database can store."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_lone_surrogate(v) for v in value)
    return False


class _Body(BaseModel):
    @model_validator(mode="after")
    def _storable_text(self) -> Any:
        if _has_lone_surrogate(self.model_dump()):
            raise ValueError("text must be valid Unicode (no unpaired surrogates)")
        return self


class LoginIn(_Body):
    username: str = Field(max_length=64)
    password: str = Field(max_length=256)
    client_id: str = Field(min_length=1, max_length=64)


class UserOut(BaseModel):
    username: str
    display_name: str
    role: str
    centre_code: str | None
    department_code: str | None


class LoginOut(BaseModel):
    token: str
    expires_at: int
    user: UserOut


class CommandIn(_Body):
    command_id: str = Field(min_length=1, max_length=36)
    client_seq: int = Field(ge=0, le=MAX_INT)
    type: str = Field(max_length=32)
    case_id: str = Field(min_length=1, max_length=36)
    base_version: int | None = Field(None, ge=0, le=MAX_INT)
    payload: dict[str, Any] = Field(default_factory=dict)
    client_ts: float | None = Field(None, ge=0, le=MAX_TS, allow_inf_nan=False)
    actor: dict[str, Any] | None = Field(
        default=None, description="Informational only: the server acts as the token's user"
    )


class PushIn(BaseModel):
    commands: list[CommandIn] = Field(max_length=500)


class CommandResult(BaseModel):
    command_id: str
    result: Literal["applied", "rejected", "duplicate"]
    original: str | None = Field(None, description="for a duplicate: the first answer (applied/rejected)")
    case_id: str
    version: int | None = None
    code: str | None = Field(None, description="the case's official code (creates)")
    reason_code: str | None = None
    reason: str | None = None
    case: dict[str, Any] | None = Field(None, description="for a rejection: the server's current case row")


class PushOut(BaseModel):
    results: list[CommandResult]


class Change(BaseModel):
    seq: int
    # the case row as of this change; left out when the same answer changes the case again
    # later (the last change of each case in an answer carries its row)
    case: dict[str, Any] | None = None
    history: list[dict[str, Any]]


class ChangesOut(BaseModel):
    changes: list[Change]
    cursor: int
    last_seq: int
    more: bool


class WallIn(_Body):
    payload: dict[str, Any]


class WallOut(BaseModel):
    id: int


def _push_items(body: PushIn) -> list[PushItem]:
    return [
        PushItem(
            c.command_id,
            c.client_seq,
            c.type,
            c.case_id,
            c.base_version,
            c.payload,
            c.client_ts,
            (c.actor or {}).get("username") if isinstance((c.actor or {}).get("username"), str) else None,
        )
        for c in body.commands
    ]


async def poll_session(core: ServerCore, token: str | None) -> Session | None:
    """The session of a change poll's token: one checked in the last few seconds is not
    looked up again (ServerCore.cached_session: in the event loop, no thread hop, no store
    read); another is looked up in the store on a worker thread. None: no such live token."""
    s = core.cached_session(token)
    if s is None and token:
        s = await run_in_threadpool(core.session, token)
    return s


def _credentials_url(engine: Engine) -> str:
    """A libpq URL for psycopg.connect from the SQLAlchemy engine URL."""
    url = engine.url.set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def create_app(db_url: str, *, core: ServerCore | None = None, migrate: bool = True) -> FastAPI:
    """The application over the store at `db_url` (a URL or a SQLite path)."""
    if core is None:
        engine = make_engine(db_url)
        if migrate:
            upgrade(engine)
        core = ServerCore(engine)
    notifier = ChangeNotifier()
    core.listeners.append(notifier.notify)
    listener: PgListener | None = None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        nonlocal listener
        notifier.bind(asyncio.get_running_loop())
        if core.is_pg:
            listener = PgListener(_credentials_url(core.engine), PG_CHANNEL, notifier)
            listener.start()
        try:
            yield
        finally:
            if listener is not None:
                listener.stop()

    app = FastAPI(title="CommandCenter platform server", version=__version__, lifespan=lifespan)
    app.state.core = core
    app.state.notifier = notifier
    bearer = HTTPBearer(auto_error=False)

    def session(creds: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Session:  # noqa: B008
        s = core.session(creds.credentials if creds is not None else None)
        if s is None:
            raise HTTPException(401, "未登录或登录已过期", headers={"WWW-Authenticate": "Bearer"})
        return s

    async def feed_session(creds: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Session:  # noqa: B008
        """For the change feed only (read-only, polled by every workstation all day): a token
        checked in the last few seconds is not looked up again (ServerCore.cached_session)."""
        s = await poll_session(core, creds.credentials if creds is not None else None)
        if s is None:
            raise HTTPException(401, "未登录或登录已过期", headers={"WWW-Authenticate": "Bearer"})
        return s

    @app.post("/api/login", response_model=LoginOut, responses={401: {}, 429: {}})
    def login(body: LoginIn) -> Any:
        try:
            token, expires, actor = core.login(body.username, body.password, body.client_id)
        except LoginError as e:
            status = 429 if e.code == "locked" else 401
            headers = {"Retry-After": str(e.retry_after)} if e.retry_after else None
            return JSONResponse({"detail": {"code": e.code, "reason": e.reason}}, status_code=status, headers=headers)
        return {
            "token": token,
            "expires_at": expires,
            "user": {
                "username": actor.username,
                "display_name": actor.display_name,
                "role": actor.role.value,
                "centre_code": actor.centre_code,
                "department_code": actor.department_code,
            },
        }

    @app.get("/api/reference")
    def reference(s: Session = Depends(session)) -> dict[str, Any]:  # noqa: B008
        return core.reference()

    @app.get("/api/bootstrap")
    def bootstrap(s: Session = Depends(session), history: bool = True) -> dict[str, Any]:  # noqa: B008
        return core.bootstrap(include_history=history)

    @app.post("/api/commands", response_model=PushOut)
    def push(body: PushIn, s: Session = Depends(session)) -> Any:  # noqa: B008
        return {"results": core.push(s, _push_items(body))}

    # The feed's answers, shared: a hundred long-polls woken by one command all ask for the
    # same page (after=the old last seq); one store read serves them. An entry is valid for
    # the notifier generation it was read in (any commit here, or a NOTIFY, moves it on) and
    # at most _FEED_CACHE_S (another process may write a SQLite store without telling us).
    feed_cache: dict[tuple[int, int], tuple[int, float, asyncio.Future[tuple[bytes, int]]]] = {}

    answered: dict[str, float] = {}  # client id -> when its last non-empty feed answer was made
    pacing = [0.0, 0.0]  # [computed at, interval]

    def pace(now: float) -> float:
        """The least time between two answers with changes to one client: the answer budget
        shared among the clients answered in the last two seconds (0.005 s for two clients,
        0.25 s for a hundred), re-computed twice a second."""
        if now - pacing[0] > 0.5:
            active = sum(1 for at in answered.values() if now - at < 2.0)
            pacing[:] = [now, min(_MAX_ANSWER_INTERVAL_S, active / _ANSWER_BUDGET_PER_S)]
        return pacing[1]

    async def feed(after: int, limit: int, gen: int) -> tuple[bytes, int]:
        loop = asyncio.get_running_loop()
        key, now = (after, limit), loop.time()
        hit = feed_cache.get(key)
        failed = hit is not None and hit[2].done() and (hit[2].cancelled() or hit[2].exception() is not None)
        if hit is None or failed or hit[0] != gen or now - hit[1] >= _FEED_CACHE_S:
            if len(feed_cache) > 512:
                for k in [k for k, v in feed_cache.items() if now - v[1] >= _FEED_CACHE_S]:
                    del feed_cache[k]
            fut: asyncio.Future[tuple[bytes, int]] = asyncio.ensure_future(
                run_in_threadpool(core.changes_json, after, limit)
            )
            hit = (gen, now, fut)
            feed_cache[key] = hit
        return await asyncio.shield(hit[2])

    async def answer_changes(
        client_id: str, after: int, timeout: float, limit: int, disconnected: Callable[[], Awaitable[bool]]
    ) -> bytes:
        """The feed answer (a ChangesOut document) to one long-poll."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        prev = answered.get(client_id)
        if timeout > 0 and prev is not None and after > 0:
            # Pacing: a client answered with changes less than pace() ago waits out the rest
            # (with a little jitter, so that the clients do not come back as one wave), so that
            # while commands stream in each answer carries several of them: otherwise 100
            # workstations are answered once per command each, and the pushes queue behind.
            now = loop.time()
            pause = min(prev + pace(now) * (1.0 + 0.5 * random.random()) - now, timeout)
            if pause > 0:
                await asyncio.sleep(pause)
        while True:
            gen = notifier.generation
            body, n = await feed(after, limit, gen)
            if n:
                if len(answered) > 10_000:
                    answered.clear()
                answered[client_id] = loop.time()
            remaining = deadline - loop.time()
            if n or remaining <= 0 or await disconnected():
                # the stored payloads spliced as they are (see ServerCore.changes_json): the
                # document has the ChangesOut shape without a parse/validate/dump round trip
                return body
            listening = listener is not None and listener.connected.is_set()
            await notifier.wait(gen, min(remaining, _PG_POLL_SLICE_S if listening else _POLL_SLICE_S))

    @app.get("/api/changes", response_model=ChangesOut)
    async def changes(
        request: Request,
        s: Session = Depends(feed_session),  # noqa: B008
        after: int = Query(0, ge=0, le=MAX_INT),
        timeout: float = Query(0.0, ge=0.0, le=MAX_POLL_S),
        limit: int = Query(1000, ge=1, le=5000),
    ) -> Any:
        # Most polls never get here: FastPaths answers the well-formed ones with a live token.
        # This route answers the rest (a 401, a 422) and describes the endpoint in the OpenAPI
        # document.
        body = await answer_changes(s.client_id, after, timeout, limit, request.is_disconnected)
        return Response(body, media_type="application/json")

    @app.post("/api/wall", response_model=WallOut, responses={403: {}})
    def post_wall(body: WallIn, s: Session = Depends(session)) -> Any:  # noqa: B008
        mid = core.post_wall(s, body.payload)
        if mid is None:
            raise HTTPException(403, "无权控制大屏")
        return {"id": mid}

    @app.get("/api/wall")
    def get_wall(s: Session = Depends(session), after: int = Query(0, ge=0, le=MAX_INT)) -> list[dict[str, Any]]:  # noqa: B008
        return core.wall_messages(after)

    app.state.fast_answers = Counter()
    app.add_middleware(FastPaths, core=core, answer=answer_changes, answered=app.state.fast_answers)
    return app


_INT = re.compile(rb"[0-9]{1,19}")
_SECONDS = re.compile(rb"[0-9]{1,6}(?:\.[0-9]{1,6})?")
_JSON_HEADERS = [(b"content-type", b"application/json")]


class FastPaths:
    """ASGI middleware in front of FastAPI for the two requests that make a server's load:
    GET /api/changes, which every workstation repeats all day (100 workstations while
    commands stream in: ~300 answers a second), and POST /api/commands. A request that is
    plainly valid (a poll's query: after, timeout, limit as the OpenAPI document says, each
    at most once; a push: a JSON body that PushIn accepts) with a live token is answered
    here, without FastAPI's routing, dependency and serialization layers, which took about
    half of the event loop's time under load. Any other request, and any of these that is
    not plainly valid or whose token is unknown, goes on to FastAPI, which answers it as its
    routes say (a 401, a 422) and describes both endpoints in the OpenAPI document."""

    MAX_PUSH_BYTES = 8 << 20  # a larger body goes on to FastAPI as it is

    def __init__(
        self, app: ASGIApp, core: ServerCore, answer: Callable[..., Awaitable[bytes]], answered: Counter[str]
    ) -> None:
        self.app, self.core, self.answer = app, core, answer
        self.answered = answered  # path -> requests answered here (app.state.fast_answers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path, method = scope["path"], scope["method"]
            if path == "/api/changes" and method == "GET":
                poll = await self._poll(scope)
                if poll is not None:
                    await self._serve_poll(poll, receive, send)
                    return
            elif path == "/api/commands" and method == "POST":
                await self._push(scope, receive, send)
                return
        await self.app(scope, receive, send)

    @staticmethod
    def _token(scope: Scope) -> str | None:
        token = None
        for name, value in scope["headers"]:
            if name == b"authorization":
                scheme, _, credentials = value.partition(b" ")
                if scheme.lower() != b"bearer" or token is not None:
                    return None
                token = credentials.decode("latin-1")
        return token

    async def _poll(self, scope: Scope) -> tuple[str, int, float, int] | None:
        """(client id, after, timeout, limit) of a plainly valid poll with a live token."""
        args = {"after": b"0", "timeout": b"0", "limit": b"1000"}
        seen = set()
        for part in scope["query_string"].split(b"&") if scope["query_string"] else ():
            key, eq, value = part.partition(b"=")
            name = key.decode("latin-1")
            if not eq or name not in args or name in seen:
                return None
            seen.add(name)
            args[name] = value
        if not (_INT.fullmatch(args["after"]) and _INT.fullmatch(args["limit"]) and _SECONDS.fullmatch(args["timeout"])):
            return None
        after, limit, timeout = int(args["after"]), int(args["limit"]), float(args["timeout"])
        if after > MAX_INT or not 1 <= limit <= 5000 or timeout > MAX_POLL_S:
            return None
        session = await poll_session(self.core, self._token(scope))
        if session is None:
            return None
        return session.client_id, after, timeout, limit

    async def _serve_poll(self, poll: tuple[str, int, float, int], receive: Receive, send: Send) -> None:
        gone = asyncio.Event()

        async def watch() -> None:  # the client hanging up ends the wait (as Request.is_disconnected)
            while (await receive())["type"] != "http.disconnect":
                pass
            gone.set()

        async def disconnected() -> bool:
            return gone.is_set()

        watcher = asyncio.ensure_future(watch())
        try:
            body = await self.answer(*poll, disconnected)
        finally:
            watcher.cancel()
        self.answered["/api/changes"] += 1
        await _send_json(send, body)

    async def _push(self, scope: Scope, receive: Receive, send: Send) -> None:
        chunks: list[bytes] = []
        size, more = 0, True
        while more and size <= self.MAX_PUSH_BYTES:
            message = await receive()
            if message["type"] != "http.request":  # the client left: nothing to answer
                return
            chunk = message.get("body", b"")
            chunks.append(chunk)
            size += len(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        token = self._token(scope)
        answer = None
        if not more and token and _is_json(scope):
            answer = await run_in_threadpool(self._push_now, token, body)
        if answer is not None:
            self.answered["/api/commands"] += 1
            await _send_json(send, answer)
            return
        replayed = False

        async def replay() -> Message:  # FastAPI reads the body again: what was read, then the rest
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": more}
            return await receive()

        await self.app(scope, replay, send)

    def _push_now(self, token: str, body: bytes) -> bytes | None:
        """The push's answer, or None for FastAPI to answer (bad body, unknown token)."""
        try:
            push = PushIn.model_validate_json(body)
        except ValidationError:
            return None
        session = self.core.session(token)  # looked up for every push (not the poll cache)
        if session is None:
            return None
        out = PushOut.model_validate({"results": self.core.push(session, _push_items(push))})
        return out.model_dump_json().encode("utf-8")


def _is_json(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"content-type":
            return value.split(b";")[0].strip().lower() == b"application/json"
    return False


async def _send_json(send: Send, body: bytes) -> None:
    await send({"type": "http.response.start", "status": 200,
                "headers": [*_JSON_HEADERS, (b"content-length", str(len(body)).encode("ascii"))]})
    await send({"type": "http.response.body", "body": body})
