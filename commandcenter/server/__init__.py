"""The platform server: an HTTP JSON API over the same domain, services and store
as the workstation (optional extra `server`; never imported by gui/).

    commandcenter-server [--host 127.0.0.1] [--port 8765] [--db URL]
    python -m commandcenter.server ...
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI


def create_app(db_url: str, **kw: Any) -> FastAPI:
    from .app import create_app as _create

    return _create(db_url, **kw)


__all__ = ["create_app"]
