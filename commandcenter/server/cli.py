"""`commandcenter-server [--host H] [--port P] [--db URL] [--seed-demo-days N] [--tls-cert PEM --tls-key PEM]`."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Engine

from .. import __version__
from ..domain.timeutil import utcnow
from ..store import repo
from ..store.engine import make_engine, read_tx, write_tx
from ..store.migrate import upgrade

log = logging.getLogger(__name__)
DEFAULT_DB = "commandcenter-server.db"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="commandcenter-server",
        description="CommandCenter platform server: HTTP JSON API (OpenAPI at /openapi.json) for the workstations.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    p.add_argument(
        "--db",
        default=None,
        help=f"database URL (postgresql+psycopg://user:pw@host/db) or SQLite file; default ./{DEFAULT_DB}",
    )
    p.add_argument(
        "--seed-demo-days",
        type=int,
        default=0,
        help="when the store is empty: also generate N days of demo history (default 0: reference data and users only)",
    )
    p.add_argument("--tls-cert", default=None, metavar="PEM", help="serve HTTPS with this certificate (chain) file")
    p.add_argument("--tls-key", default=None, metavar="PEM", help="the private key of --tls-cert")
    p.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return p


def prepare_store(engine: Engine, seed_demo_days: int = 0) -> bool:
    """Migrate; seed the demo county (reference data + users) if the store is empty. True if seeded now."""
    upgrade(engine)
    with read_tx(engine) as conn:
        if repo.get_meta(conn, "county_code") is not None:
            return False
    from ..sim.demo import build_world, seed_demo, write_world

    now = utcnow()
    if seed_demo_days > 0:
        seed_demo(engine, now, days=seed_demo_days)
    else:
        write_world(engine, build_world())
        with write_tx(engine) as conn:
            repo.set_meta(conn, "seeded", now.isoformat())
    return True


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    target = args.db or str(Path.cwd() / DEFAULT_DB)
    if bool(args.tls_cert) != bool(args.tls_key):
        print("HTTPS needs both --tls-cert and --tls-key", file=sys.stderr)
        return 2
    for what, path in (("--tls-cert", args.tls_cert), ("--tls-key", args.tls_key)):
        if path and not Path(path).is_file():
            print(f"{what}: no such file: {path}", file=sys.stderr)
            return 2
    try:
        import uvicorn

        from .app import create_app
        from .core import ServerCore
    except ImportError as exc:
        print(f"the server needs the 'server' extra (pip install -e '.[server]'): {exc}", file=sys.stderr)
        return 2
    engine = make_engine(target, pool_size=20, max_overflow=20)
    if prepare_store(engine, args.seed_demo_days):
        log.info("seeded the demo county into %s", engine.url.render_as_string(hide_password=True))
    app = create_app(target, core=ServerCore(engine))
    tls = {"ssl_certfile": args.tls_cert, "ssl_keyfile": args.tls_key} if args.tls_cert else {}
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, timeout_graceful_shutdown=2, **tls)
    engine.dispose()
    return 0
