#!/usr/bin/env python
"""Bulk-load benchmark: N realistic case rows into a migrated SQLite store.

    .venv/bin/python benchmarks/bench_load.py [--n 1000000] [--db PATH] [--keep]
                                              [--batch 20000] [--variants] [--variant-rows 200000]
                                              [--slow-variants] [--now EPOCH] [--seed S]

Generates N `cases` rows of the demo county (see casegen.py; generation time is
not counted), then loads the same rows, batch by batch, into two fresh,
migrated (make_engine + upgrade, reference data written) SQLite files:

  (a) project path: `store.repo.bulk_insert_cases` (Core-compiled INSERT, driver tuples)
      inside `write_tx(engine)` (one write transaction per batch);
  (b) baseline: a plain `sqlite3` connection with the same pragmas,
      `BEGIN IMMEDIATE; executemany("INSERT INTO cases (...) VALUES (?,...)", tuples); COMMIT`.

The two loads are interleaved batch by batch (alternating which goes first),
so that machine noise and cache warm-up hit both alike. Reports rows/s of each
and the ratio (a)/(b) (target >= 0.7); writes benchmarks/out/load.json. The
(a) database is kept at --db for bench_queries.py; the "now" the rows were
generated around is stored in its meta table (key bench_now).

--variants additionally loads the first --variant-rows rows through other
ways of issuing the same INSERT from a SQLAlchemy Connection (each into its own
fresh store, interleaved with its own plain-sqlite3 baseline) to show where
the Core overhead goes and which variant reaches the target.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import sqlite3
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import casegen  # benchmarks/casegen.py (the script's directory is on sys.path)
import sqlalchemy
from sqlalchemy import Engine, insert

from commandcenter.sim.demo import build_world, write_world
from commandcenter.store import repo, search
from commandcenter.store import schema as t
from commandcenter.store.engine import SQLITE_PRAGMAS, make_engine, write_tx
from commandcenter.store.migrate import upgrade
from commandcenter.store.repo import bulk_insert_cases

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
COLS = casegen.COLUMNS
PLAIN_SQL = f"INSERT INTO cases ({', '.join(COLS)}) VALUES ({', '.join('?' * len(COLS))})"
TARGET = 0.7


# ---------------------------------------------------------------- stores


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        p = Path(str(path) + suffix)
        if p.exists():
            p.unlink()


def fresh_store(path: Path, world: Any, now: int, extra_ddl: list[str] | None = None) -> Engine:
    """A new migrated store with the demo county's reference data (no cases)."""
    remove_db(path)
    engine = make_engine(path)
    upgrade(engine)
    if extra_ddl:  # a candidate schema change (e.g. an extra index), tried in this run only
        with write_tx(engine) as conn:
            for stmt in extra_ddl:
                conn.exec_driver_sql(stmt)
    write_world(engine, world)
    with write_tx(engine) as conn:
        repo.set_meta(conn, "bench_now", str(now))
    return engine


def plain_connection(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection set up as make_engine sets up its own: the same pragmas and
    the search index's function (store/search.py: the cases triggers call it)."""
    con = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    for p in SQLITE_PRAGMAS:
        con.execute(p)
    search.register(con)
    return con


# ---------------------------------------------------------------- loaders
# Each loader takes (dicts, tuples) of one batch and writes it in one write transaction.

Loader = Callable[[list[dict[str, Any]], list[tuple[Any, ...]]], None]


def core_loader(engine: Engine) -> Loader:
    """(a) the project's path: store.repo.bulk_insert_cases (Core-compiled INSERT, driver tuples)."""

    def load(dicts: list[dict[str, Any]], _tuples: list[tuple[Any, ...]]) -> None:
        with write_tx(engine) as conn:
            bulk_insert_cases(conn, dicts)

    return load


def plain_loader(con: sqlite3.Connection) -> Loader:
    """(b) the baseline: sqlite3 executemany with tuples (the search index filled once for the
    batch, as repo.bulk_insert_cases does: store/search.py bulk_load)."""

    def load(_dicts: list[dict[str, Any]], tuples: list[tuple[Any, ...]]) -> None:
        con.execute("BEGIN IMMEDIATE")
        try:
            with search.bulk_load(con):
                con.executemany(PLAIN_SQL, tuples)
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")

    return load


def variant_loaders(engine: Engine | None, slow: bool = False) -> dict[str, Loader]:
    """Other ways to issue the same INSERT from a SQLAlchemy Connection (engine None: just the names)."""
    stmt = insert(t.cases)

    def tx() -> Any:
        assert engine is not None
        return write_tx(engine)

    max_vars = 32766  # SQLITE_MAX_VARIABLE_NUMBER (3.32+)
    per_stmt = max_vars // len(COLS)

    def core_dicts(d: list[dict[str, Any]], _tp: list[tuple[Any, ...]]) -> None:
        with tx() as conn:
            conn.execute(stmt, d)

    def core_bulk_insert_cases(d: list[dict[str, Any]], _tp: list[tuple[Any, ...]]) -> None:
        with tx() as conn:
            bulk_insert_cases(conn, d)

    def driver_sql_tuples(_d: list[dict[str, Any]], tp: list[tuple[Any, ...]]) -> None:
        with tx() as conn:
            conn.exec_driver_sql(PLAIN_SQL, tp)

    def dbapi_cursor(_d: list[dict[str, Any]], tp: list[tuple[Any, ...]]) -> None:
        with tx() as conn:
            conn.connection.driver_connection.executemany(PLAIN_SQL, tp)

    def core_values_multirow(d: list[dict[str, Any]], _tp: list[tuple[Any, ...]]) -> None:
        with tx() as conn:
            for i in range(0, len(d), per_stmt):
                conn.execute(insert(t.cases).values(d[i:i + per_stmt]))

    out: dict[str, Loader] = {
        "core_insert_dicts": core_dicts,
        "repo.bulk_insert_cases (a)": core_bulk_insert_cases,
        "exec_driver_sql tuples": driver_sql_tuples,
        "dbapi executemany via conn": dbapi_cursor,
    }
    if slow:  # ~30x slower than (b): compiling a 33k-parameter statement per chunk
        out[f"insert().values(~{per_stmt} rows)"] = core_values_multirow
    return out


# ---------------------------------------------------------------- timing


def run_interleaved(cols: dict[str, list[Any]], loaders: dict[str, Loader], batch: int,
                    stop: int | None = None, progress: bool = True) -> dict[str, float]:
    """Load every batch through every loader (rotating who goes first); seconds per loader."""
    names = list(loaders)
    spent = dict.fromkeys(names, 0.0)
    n = len(cols["id"]) if stop is None else stop
    done = 0
    t_start = time.perf_counter()
    gc_was = gc.isenabled()
    for b, (dicts, tuples) in enumerate(casegen.batches(cols, batch, stop=stop)):
        order = names[b % len(names):] + names[:b % len(names)]
        gc.disable()  # a collection of the big row lists would land on whoever runs then
        try:
            for name in order:
                t0 = time.perf_counter()
                loaders[name](dicts, tuples)
                spent[name] += time.perf_counter() - t0
        finally:
            if gc_was:
                gc.enable()
        done += len(tuples)
        if progress and (b % 10 == 9 or done == n):
            rates = "  ".join(f"{k}: {done / v:,.0f}/s" for k, v in spent.items())
            print(f"  {done:>9,}/{n:,} rows  ({time.perf_counter() - t_start:5.0f}s)  {rates}", flush=True)
    return spent


def checkpoint(path: Path) -> None:
    con = sqlite3.connect(str(path), isolation_level=None)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def digest(path: Path) -> str:
    """A checksum of the stored cases (every column, typed), to show two loads stored the same rows."""
    import hashlib

    h = hashlib.sha256()
    con = sqlite3.connect(str(path))
    cols = ", ".join(f"{c}, typeof({c})" for c in COLS)
    for row in con.execute(f"SELECT {cols} FROM cases ORDER BY code"):
        h.update(repr(row).encode())
    con.close()
    return h.hexdigest()[:16]


def count_rows(path: Path) -> int:
    con = sqlite3.connect(str(path))
    n = int(con.execute("SELECT count(*) FROM cases").fetchone()[0])
    con.close()
    return n


def make_openable(path: Path) -> None:
    """Let `python main.py --db <store>` open the loaded store: mark it seeded and
    continue each day's code sequence after the generated codes (untimed)."""
    con = sqlite3.connect(path)
    with con:
        con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('seeded', 'bench_load')")
        con.execute(
            "INSERT OR REPLACE INTO code_sequences (prefix, last) "
            "SELECT substr(code, 1, 14), max(CAST(substr(code, 15) AS INTEGER)) FROM cases GROUP BY 1"
        )
    con.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1_000_000, help="rows to generate and load (default 1,000,000)")
    ap.add_argument("--db", type=Path, default=OUT / "bench_1m.db", help="the (a) store, kept for bench_queries")
    ap.add_argument("--keep", action="store_true", help="keep the (b) and variant stores too (else deleted)")
    ap.add_argument("--batch", type=int, default=20_000, help="rows per batch / write transaction")
    ap.add_argument("--seed", type=int, default=330122)
    ap.add_argument("--now", type=int, default=None, help="epoch seconds the history ends at (default: now)")
    ap.add_argument("--variants", action="store_true", help="also time other ways of issuing the INSERT")
    ap.add_argument("--variant-rows", type=int, default=200_000)
    ap.add_argument("--slow-variants", action="store_true",
                    help="with --variants: also insert(t.cases).values(rows) multi-row statements (very slow)")
    ap.add_argument("--extra-ddl", action="append", default=[], metavar="SQL",
                    help="run this DDL (e.g. CREATE INDEX ...) on every fresh store after upgrade (repeatable): "
                         "to measure what a candidate index costs the load")
    ap.add_argument("--json", type=Path, default=OUT / "load.json")
    args = ap.parse_args(argv)

    OUT.mkdir(parents=True, exist_ok=True)
    db_a: Path = args.db.resolve()
    db_b = db_a.with_name(db_a.stem + "_sqlite3" + db_a.suffix)
    now = args.now if args.now is not None else int(time.time()) // 60 * 60

    print(f"bench_load: n={args.n:,} batch={args.batch:,} now={datetime.fromtimestamp(now, timezone.utc):%Y-%m-%d %H:%M}Z")
    for stmt in args.extra_ddl:
        print(f"  extra DDL on every store: {stmt}")
    print(f"  python {platform.python_version()}, SQLAlchemy {sqlalchemy.__version__}, "
          f"SQLite {sqlite3.sqlite_version}, {os.cpu_count()} cpus")
    t0 = time.perf_counter()
    world = build_world(args.seed)
    cols = casegen.generate(world, args.n, now, seed=args.seed)
    gen_s = time.perf_counter() - t0
    summ = casegen.summary(cols, now)
    bad = casegen.check_sample(cols)
    print(f"  generated {args.n:,} rows in {gen_s:.1f}s (not counted); invariant violations in a 5,000-row sample: "
          f"{len(bad)}")
    print("  " + json.dumps(summ, ensure_ascii=False))
    if bad:
        print("\n".join("    " + b for b in bad[:10]))

    # ---- (a) vs (b)
    eng_a = fresh_store(db_a, world, now, args.extra_ddl)
    eng_b = fresh_store(db_b, world, now, args.extra_ddl)
    eng_b.dispose()
    con_b = plain_connection(db_b)
    loaders = {"a": core_loader(eng_a), "b": plain_loader(con_b)}
    print(f"loading into (a) {db_a} and (b) {db_b} ...")
    spent = run_interleaved(cols, loaders, args.batch)
    con_b.close()
    eng_a.dispose()
    for p in (db_a, db_b):
        checkpoint(p)
    counts = {"a": count_rows(db_a), "b": count_rows(db_b)}
    assert counts["a"] == counts["b"] == args.n, counts
    same = digest(db_a) == digest(db_b)
    print(f"  stored rows identical in (a) and (b): {same}")
    size_mb = db_a.stat().st_size / 2**20
    rate = {k: args.n / v for k, v in spent.items()}
    ratio = rate["a"] / rate["b"]
    us_row = {k: v / args.n * 1e6 for k, v in spent.items()}

    print()
    print(f"{'path':<58} {'seconds':>9} {'rows/s':>10} {'us/row':>8}")
    print(f"{'(a) store: repo.bulk_insert_cases in write_tx':<58} {spent['a']:>9.1f} {rate['a']:>10,.0f} "
          f"{us_row['a']:>8.1f}")
    print(f"{'(b) sqlite3 executemany(tuples), same pragmas':<58} {spent['b']:>9.1f} {rate['b']:>10,.0f} "
          f"{us_row['b']:>8.1f}")
    verdict = "OK" if ratio >= TARGET else "BELOW TARGET"
    print(f"{'ratio (a)/(b)':<58} {ratio:>9.2f}   target >= {TARGET}  {verdict}")
    print(f"  Core overhead: {us_row['a'] - us_row['b']:.1f} us/row; store size {size_mb:,.0f} MiB")

    result: dict[str, Any] = {
        "benchmark": "load",
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "sqlalchemy": sqlalchemy.__version__,
                    "sqlite": sqlite3.sqlite_version, "cpus": os.cpu_count(), "platform": platform.platform()},
        "n": args.n,
        "batch": args.batch,
        "now": now,
        "generation_s": round(gen_s, 2),
        "extra_ddl": args.extra_ddl,
        "data": summ,
        "invariant_violations_in_sample": len(bad),
        "db": str(db_a),
        "db_size_mib": round(size_mb, 1),
        "a_core": {"seconds": round(spent["a"], 3), "rows_per_s": round(rate["a"]), "us_per_row": round(us_row["a"], 2)},
        "b_sqlite3": {"seconds": round(spent["b"], 3), "rows_per_s": round(rate["b"]),
                      "us_per_row": round(us_row["b"], 2)},
        "ratio": round(ratio, 3),
        "identical_rows": same,
        "target": TARGET,
        "meets_target": ratio >= TARGET,
    }

    # ---- variants
    if args.variants:
        m = min(args.variant_rows, args.n)
        print(f"\nvariants on the first {m:,} rows (each into a fresh store, interleaved with its own sqlite3 baseline):")
        vpaths: list[Path] = []
        engines: list[Engine] = []
        vloaders: dict[str, Loader] = {}
        base_path = db_a.with_name(db_a.stem + "_v_baseline" + db_a.suffix)
        eng = fresh_store(base_path, world, now, args.extra_ddl)
        eng.dispose()
        con_base = plain_connection(base_path)
        vloaders["sqlite3 executemany (b)"] = plain_loader(con_base)
        vpaths.append(base_path)
        for i, name in enumerate(variant_loaders(None, args.slow_variants)):
            p = db_a.with_name(f"{db_a.stem}_v{i}{db_a.suffix}")
            e = fresh_store(p, world, now, args.extra_ddl)
            engines.append(e)
            vpaths.append(p)
            vloaders[name] = variant_loaders(e, args.slow_variants)[name]
        vspent = run_interleaved(cols, vloaders, args.batch, stop=m, progress=False)
        con_base.close()
        for e in engines:
            e.dispose()
        base_rate = m / vspent["sqlite3 executemany (b)"]
        ref_digest = digest(vpaths[0])
        print(f"{'variant':<40} {'rows/s':>10} {'us/row':>8} {'vs (b)':>7}  same rows")
        variants = {}
        for p, (name, s) in zip(vpaths, vspent.items(), strict=True):
            assert count_rows(p) == m, p
            r = m / s
            same_v = digest(p) == ref_digest  # every column and its SQLite type equal to the baseline's
            variants[name] = {"rows_per_s": round(r), "us_per_row": round(s / m * 1e6, 2),
                              "ratio_vs_b": round(r / base_rate, 3), "identical_rows": same_v}
            print(f"{name:<40} {r:>10,.0f} {s / m * 1e6:>8.1f} {r / base_rate:>7.2f}  {same_v}")
            if not args.keep:
                remove_db(p)
        result["variants"] = {"rows": m, "results": variants}

    if not args.keep:
        remove_db(db_b)
    make_openable(db_a)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.json}; kept (a) store {db_a}" + (f" and (b) {db_b}" if args.keep else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
