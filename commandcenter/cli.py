"""Command line: `commandcenter [options]` and `python main.py [options]`."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir

from . import __version__
from .logsetup import APP, setup_logging

log = logging.getLogger(__name__)


def default_db() -> Path:
    return Path(user_data_dir(APP, appauthor=False)) / "commandcenter.db"


def default_replica_db() -> Path:
    """The default local store when working with a server (never the standalone demo store)."""
    return Path(user_data_dir(APP, appauthor=False)) / "replica.db"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="commandcenter",
        description="CommandCenter 值班工作台 — 社会治理综合指挥中心桌面客户端。"
        " With no options it opens the workstation on its embedded default: a local SQLite store"
        " seeded with the demo county 桐庐县 and the live simulator running.",
    )
    p.add_argument("--db", type=Path, default=None, help=f"local store (SQLite file); default {default_db()}")
    p.add_argument("--no-sim", action="store_true", help="do not run the live incident simulator")
    p.add_argument("--sim-rate", type=float, default=8.0, help="new reports per simulated hour (default 8)")
    p.add_argument("--sim-speed", type=float, default=60.0, help="time compression of the simulator (default 60)")
    p.add_argument(
        "--user",
        default=None,
        help="work as this user of the store and skip the login dialog (default: ask, prefilled with operator)",
    )
    p.add_argument(
        "--idle-lock-minutes",
        type=float,
        default=10.0,
        help="lock the workstation after this many minutes without input; 0 disables (default 10)",
    )
    p.add_argument("--seed-days", type=int, default=30, help="days of history when seeding a new store (default 30)")
    p.add_argument("--lang", default="zh_CN", choices=["zh_CN", "en"], help="language (default zh_CN)")
    p.add_argument("--theme", default="dark", choices=["dark", "light"], help="colour theme (default dark)")
    p.add_argument("--log-dir", type=Path, default=None, help="where the rotating log goes")
    p.add_argument("--seed-only", action="store_true", help="create and seed the store, then exit (no window)")
    p.add_argument("--wall", action="store_true", help="run the wall display (大屏) as its own read-only process")
    p.add_argument("--wall-screen", type=int, default=-1, help="the screen the wall fills (index; default -1: the last)")
    p.add_argument("--wall-interval", type=int, default=20, help="seconds between the wall's pages (default 20)")
    g = p.add_argument_group("platform server (see README: Run a server and point workstations at it)")
    g.add_argument(
        "--server",
        metavar="URL",
        default=None,
        help="sync with this platform server (http[s]://host:port); overrides the saved setting,"
        " '' forces standalone. Default: the saved setting (服务器设置), else standalone",
    )
    g.add_argument("--ca-bundle", metavar="PATH", default=None, help="verify the server's TLS certificate with this CA bundle")
    g.add_argument(
        "--insecure",
        action="store_true",
        help="turn TLS certificate verification OFF (test set-ups only; logged as a warning)",
    )
    g.add_argument("--settings", metavar="PATH", type=Path, default=None, help="the sync settings file (JSON)")
    g.add_argument(
        "--sim",
        action="store_true",
        help="run the live simulator even with a server (off by default against a server)",
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.sim_rate < 0 or args.sim_speed <= 0:
        print("--sim-rate must be >= 0 and --sim-speed > 0", file=sys.stderr)
        return 2
    if args.idle_lock_minutes < 0:
        print("--idle-lock-minutes must be >= 0 (0 disables the lock)", file=sys.stderr)
        return 2
    log_path = setup_logging(directory=args.log_dir)
    from .sync import workstation as wsn

    sync = _sync_options(args)
    if isinstance(sync, int):
        return sync
    with_server = sync.enabled
    db = args.db or (default_replica_db() if with_server else default_db())
    from .domain.case import Actor
    from .services.workspace import Workspace

    try:
        ws = Workspace.open(db)
    except Exception as exc:
        print(f"无法打开本地库 {db}：{exc}", file=sys.stderr)
        log.exception("cannot open store %s", db)
        return 1
    if with_server:
        if ws.is_seeded and wsn.store_server(ws) is None:
            print(f"{db} 是单机（演示）库，不能与服务器同步；请用 --db 指定一个新文件", file=sys.stderr)
            ws.close()
            return 2
        if not ws.is_seeded and ws.ref.centres:
            print(f"{db} 不是空库；请用 --db 指定一个新文件", file=sys.stderr)
            ws.close()
            return 1
        log.info("CommandCenter %s started, store %s, server %s (%s), log %s", __version__, db,
                 sync.settings.server_url, wsn.describe_verify(sync.settings), log_path)
        if args.seed_only:
            try:
                return _bootstrap_only(ws, sync, args.user)
            finally:
                ws.close()
    elif not ws.is_seeded:
        if ws.ref.centres:
            print(f"{db} 不是空库，也不是演示库；请用 --db 指定另一个文件", file=sys.stderr)
            return 1
        from .domain.timeutil import utcnow
        from .sim.demo import seed_demo

        print(f"首次启动：正在生成演示数据（桐庐县）到 {db} …", file=sys.stderr)
        seed_demo(ws.engine, utcnow(), days=args.seed_days)
        ws.reload_reference()
    if not with_server:
        log.info("CommandCenter %s started, store %s, log %s", __version__, db, log_path)
    if args.seed_only:
        ws.close()
        return 0
    if args.wall:  # issue 6: the wall display, read-only, on the local store
        try:
            from .gui.wall.run import run_wall
        except ImportError as exc:
            print(f"图形界面不可用（{exc}）。请用 scripts/start 安装完整依赖。", file=sys.stderr)
            return 1
        try:
            return run_wall(ws, screen=args.wall_screen, interval_s=args.wall_interval, lang=args.lang,
                            sync=sync if with_server else None, username=args.user)
        finally:
            ws.close()
    actor = None  # None: the login dialog asks
    if args.user is not None and not with_server:  # with a server the server says who exists
        actor = ws.actor(args.user)
        if actor is None:
            print(f"用户不存在：{args.user}", file=sys.stderr)
            return 2
    sims = []

    def start_session(who: Actor) -> Callable[[], Any] | None:
        """Once someone works at the window: start the simulator around them."""
        if args.no_sim or (with_server and not args.sim):
            return None  # against a server the simulator runs only when asked (--sim)
        from .sim.live import LiveSimulator, SimConfig

        human = (who.centre_code,) if who.centre_code else ()
        sim = LiveSimulator(ws, SimConfig(rate_per_hour=args.sim_rate, speed=args.sim_speed, human_centres=human))
        sim.start()
        sims.append(sim)
        return sim.status

    try:
        from .gui.app import run
    except ImportError as exc:
        print(f"图形界面不可用（{exc}）。请用 scripts/start 安装完整依赖。", file=sys.stderr)
        return 1
    try:
        return run(
            ws,
            actor,
            on_login=start_session,
            lang=args.lang,
            theme=args.theme,
            idle_lock_minutes=args.idle_lock_minutes,
            login_username=args.user or "operator",
            sync=sync,
        )
    finally:
        for sim in sims:
            sim.stop()
        ws.close()


def _sync_options(args: argparse.Namespace) -> Any:
    """The SyncOptions from the saved settings and the options, or an exit code (2) with a message."""
    import os

    from .sync import workstation as wsn

    settings = wsn.SyncSettings.load(args.settings)
    if args.server is not None:
        settings = settings.with_(server_url=args.server.strip())
    if args.ca_bundle:
        settings = settings.with_(ca_bundle=str(args.ca_bundle), verify_tls=True)
    if args.insecure:
        settings = settings.with_(verify_tls=False)
    bad = settings.problems()
    if bad:
        print("服务器设置有误：" + "; ".join(bad), file=sys.stderr)
        return 2
    insecure = not settings.standalone and not settings.verify_tls
    if insecure:
        msg = f"TLS certificate verification is OFF for {settings.server_url}: the server's identity is NOT checked"
        log.warning("!!! %s", msg)
        print(f"警告：已关闭 TLS 证书验证（{settings.server_url}），无法确认服务器身份，仅限测试环境使用", file=sys.stderr)
    return wsn.SyncOptions(settings, args.settings, os.environ.get(wsn.PASSWORD_ENV) or None, insecure)


def _bootstrap_only(ws: Any, sync: Any, username: str | None) -> int:
    """--seed-only with a server: download an empty store without a window ($COMMANDCENTER_PASSWORD)."""
    from .sync import workstation as wsn

    if ws.is_seeded:
        return 0
    if not username or not sync.password:
        print(f"--seed-only 需要 --user 和环境变量 {wsn.PASSWORD_ENV}", file=sys.stderr)
        return 2
    result = wsn.login(ws, sync.settings, username, sync.password)
    if result.outcome != wsn.ONLINE_LOGIN or result.client is None:
        print(f"无法登录服务器 {sync.settings.server_url}：{result.outcome} {result.detail}", file=sys.stderr)
        return 1
    n = wsn.bootstrap_from_server(ws, result.client, sync.settings.server_url)
    print(f"已从服务器下载 {n} 件事件到本地库", file=sys.stderr)
    return 0
