"""The HTTP JSON API (FastAPI): a thin shell over ServerCore.

Every endpoint but /api/login needs `Authorization: Bearer <token>` (401 without).
The OpenAPI document is at /openapi.json.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from sqlalchemy import Engine

from .. import __version__
from ..store.engine import make_engine
from ..store.migrate import upgrade
from .core import PG_CHANNEL, LoginError, PushItem, ServerCore, Session
from .notify import ChangeNotifier, PgListener

log = logging.getLogger(__name__)

MAX_POLL_S = 60.0
_POLL_SLICE_S = 1.0  # re-read the change log at least this often (another process may have written it)


class LoginIn(BaseModel):
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


class CommandIn(BaseModel):
    command_id: str = Field(min_length=1, max_length=36)
    client_seq: int
    type: str = Field(max_length=32)
    case_id: str = Field(min_length=1, max_length=36)
    base_version: int | None = None
    payload: dict[str, Any] = Field(default_factory=dict)
    client_ts: float | None = None
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
    case: dict[str, Any]
    history: list[dict[str, Any]]


class ChangesOut(BaseModel):
    changes: list[Change]
    cursor: int
    last_seq: int
    more: bool


class WallIn(BaseModel):
    payload: dict[str, Any]


class WallOut(BaseModel):
    id: int


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
        yield
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
        items = [
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
        return {"results": core.push(s, items)}

    @app.get("/api/changes", response_model=ChangesOut)
    async def changes(
        request: Request,
        s: Session = Depends(session),  # noqa: B008
        after: int = Query(0, ge=0),
        timeout: float = Query(0.0, ge=0.0, le=MAX_POLL_S),
        limit: int = Query(1000, ge=1, le=5000),
    ) -> Any:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            gen = notifier.generation
            out = await run_in_threadpool(core.changes, after, limit)
            remaining = deadline - loop.time()
            if out["changes"] or remaining <= 0 or await request.is_disconnected():
                return out
            await notifier.wait(gen, min(remaining, _POLL_SLICE_S))

    @app.post("/api/wall", response_model=WallOut, responses={403: {}})
    def post_wall(body: WallIn, s: Session = Depends(session)) -> Any:  # noqa: B008
        mid = core.post_wall(s, body.payload)
        if mid is None:
            raise HTTPException(403, "无权控制大屏")
        return {"id": mid}

    @app.get("/api/wall")
    def get_wall(s: Session = Depends(session), after: int = Query(0, ge=0)) -> list[dict[str, Any]]:  # noqa: B008
        return core.wall_messages(after)

    return app
