"""Command line: `commandcenter [options]` and `python main.py [options]`."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from platformdirs import user_data_dir

from . import __version__
from .logsetup import APP, setup_logging

log = logging.getLogger(__name__)


def default_db() -> Path:
    return Path(user_data_dir(APP, appauthor=False)) / "commandcenter.db"


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
    db = args.db or default_db()
    from .domain.case import Actor
    from .services.workspace import Workspace

    try:
        ws = Workspace.open(db)
    except Exception as exc:
        print(f"无法打开本地库 {db}：{exc}", file=sys.stderr)
        log.exception("cannot open store %s", db)
        return 1
    if not ws.is_seeded:
        if ws.ref.centres:
            print(f"{db} 不是空库，也不是演示库；请用 --db 指定另一个文件", file=sys.stderr)
            return 1
        from .domain.timeutil import utcnow
        from .sim.demo import seed_demo

        print(f"首次启动：正在生成演示数据（桐庐县）到 {db} …", file=sys.stderr)
        seed_demo(ws.engine, utcnow(), days=args.seed_days)
        ws.reload_reference()
    log.info("CommandCenter %s started, store %s, log %s", __version__, db, log_path)
    if args.seed_only:
        ws.close()
        return 0
    actor = None  # None: the login dialog asks
    if args.user is not None:
        actor = ws.actor(args.user)
        if actor is None:
            print(f"用户不存在：{args.user}", file=sys.stderr)
            return 2
    sims = []

    def start_session(who: Actor) -> Callable[[], str] | None:
        """Once someone works at the window: start the simulator around them."""
        if args.no_sim:
            return None
        from .sim.live import LiveSimulator, SimConfig

        human = (who.centre_code,) if who.centre_code else ()
        sim = LiveSimulator(ws, SimConfig(rate_per_hour=args.sim_rate, speed=args.sim_speed, human_centres=human))
        sim.start()
        sims.append(sim)
        return sim.status_text

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
        )
    finally:
        for sim in sims:
            sim.stop()
        ws.close()
