"""The free-text search index (store/search.py, migration 0003): the queue's search gives
exactly the LIKE's results, also after writes, and on a store migrated from 0002."""

from __future__ import annotations

import dataclasses
import random
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Connection, delete, select, text, update

from commandcenter.domain.enums import Status
from commandcenter.services import queries
from commandcenter.services.queries import QueueFilter
from commandcenter.store import repo, search
from commandcenter.store import schema as t
from commandcenter.store.engine import make_engine, write_tx
from commandcenter.store.migrate import current_revision, upgrade
from tests.conftest import T1, T2, make_workspace

ALL = QueueFilter(open_only=False, sort="code")

# (title, address, reporter name, reporter phone) of the cases the tests add
ROWS = [
    ("垃圾桶满溢", "白云路3号", "张三", "13812345678"),
    ("道路积水", "桐君街道迎春南路88号", "李四", "13900001111"),
    ("乱扔垃圾", "洋洲社区", "王五", ""),
    ("噪音扰民 KTV", "白云路12号", "赵六", "0571-64212345"),
    ("窨井盖缺失", "环城西路(近中医院)", "", "15000000000"),
    ("违章搭建", "旧县街道 新民村 5 组", "张伟", "13812340000"),
    ("100%_满意", "C区 3栋", "Smith", "+86 138 1234 5678"),
    ("古籍𠀋字", "𠀋路1号", "钱七", "13700000000"),
    ("路灯不亮", "路", "孙八", "13600000000"),
    ("垃圾", "垃", "圾", "13500000000"),
]

QUERIES = [
    # one character (a prefix query on the index), two (one bigram), three and more
    "垃", "圾", "路", "张", "号", "𠀋", "K", "k", "%", "_", "-", "(",
    "垃圾", "白云", "路3", "张三", "ktv", "KTV", "Kt", "c区", "近中", "𠀋字", "5 组",
    "垃圾桶", "白云路", "迎春南路88号", "环城西路(近中医院)", "100%_", "%_", "新民村 5",
    "没有这个事件", "垃圾桶满溢白云路",  # the title and the address joined: no match
    # codes and phone numbers
    "138", "1381234", "13812345678", "0571-6421", "+86 138", "5678", "00000", "330122",
]


def _add_cases(ws: Any, centre_of: dict[int, str] | None = None) -> list[str]:
    """ROWS as cases (copies of an existing case row with these texts), their ids."""
    with ws.read() as conn:
        base = dict(conn.execute(select(t.cases).limit(1)).mappings().one())
    rows = []
    for i, (title, address, name, phone) in enumerate(ROWS):
        r = dict(base)
        r.update(id=f"case-{i:02d}", code=f"33012220261124{9000 + i:05d}", title=title, address=address,
                 reporter_name=name, reporter_phone=phone, centre_code=(centre_of or {}).get(i, T1))
        rows.append(r)
    with write_tx(ws.engine) as conn:
        repo.bulk_insert_cases(conn, rows)
    return [r["id"] for r in rows]


def _like_ids(conn: Connection, f: QueueFilter, now: datetime) -> list[str]:
    """The plain LIKE's answer (the query without the index)."""
    q = queries.queue_page_select(f, now, limit=100_000, plan=None)
    return [r["id"] for r in conn.execute(q).mappings()]


def _check_same(conn: Connection, f: QueueFilter, now: datetime) -> list[str]:
    """The queue's search (whatever plan it picks, and each plan forced) == the plain LIKE."""
    want = _like_ids(conn, f, now)
    got = [r["id"] for r in queries.queue_page(conn, f, now, limit=100_000)]
    assert got == want, f.text
    assert queries.queue_count(conn, f, now) == len(want), f.text
    plain = [r["id"] for r in conn.execute(queries.queue_select(f, now, limit=100_000)).mappings()]
    assert sorted(r["id"] for r in queries.queue(conn, f, now, limit=100_000)) == sorted(plain), f.text
    keys = [k[0] for k in queries.queue_page_keys(conn, f, now, limit=100_000)]
    assert keys == want, f.text
    match = search.match_expression(f.text.strip(), f.centres)
    assert match is not None
    for drive in (True, False):
        q = queries.queue_page_select(f, now, limit=100_000, plan=queries.TextSearch(match, drive))
        assert [r["id"] for r in conn.execute(q).mappings()] == want, (f.text, drive)
    return want


def test_search_gives_the_like_results(tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    ws = make_workspace(tmp_path / "s.db", clock, n_cases=5)
    _add_cases(ws)
    now = clock()
    with ws.read() as conn:
        assert search.exists(conn)
        for text_ in QUERIES:
            f = ALL.with_(text=text_)
            assert queries.search_plan(conn, f) is not None  # the index is used
            _check_same(conn, f, now)
            _check_same(conn, f.with_(centres=(T1,)), now)
            _check_same(conn, f.with_(centres=(T2,)), now)
            _check_same(conn, f.with_(sort="updated", descending=True), now)
        # a few answers spelled out
        def titles(q: str) -> set[str]:
            return {r["title"] for r in queries.queue(conn, ALL.with_(text=q), now, limit=1000)}

        assert titles("垃圾") == {"垃圾桶满溢", "乱扔垃圾", "垃圾"}
        assert titles("圾") == {"垃圾桶满溢", "乱扔垃圾", "垃圾"}
        assert titles("ktv") == titles("KTV") == {"噪音扰民 KTV"}  # ASCII case ignored, as LIKE
        assert titles("𠀋") == {"古籍𠀋字"}
        assert titles("100%_") == {"100%_满意"}  # % and _ are plain characters
        assert titles("垃圾桶满溢白云路") == set()
        assert titles("13812345678") >= {"垃圾桶满溢"} and "违章搭建" not in titles("13812345678")
        assert len(titles("1381234")) >= 7  # the five fixture cases, 垃圾桶满溢, 违章搭建
        assert titles("64212345") == {"噪音扰民 KTV"}
        code = "3301222026112409003"
        assert [r["code"] for r in queries.queue(conn, ALL.with_(text=code), now)] == [code]
        assert len(queries.queue(conn, ALL.with_(text=code[-6:]), now)) == 1
    ws.close()


def test_random_texts_match_like(tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    """Random texts over a small alphabet (many overlaps) and random queries."""
    ws = make_workspace(tmp_path / "r.db", clock, n_cases=1)
    rng = random.Random(7)
    alphabet = "垃圾桶路号白云aA1- 𠀋"
    with ws.read() as conn:
        base = dict(conn.execute(select(t.cases).limit(1)).mappings().one())

    def word(lo: int, hi: int) -> str:
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(lo, hi)))

    rows = []
    for i in range(300):
        r = dict(base)
        r.update(id=f"r{i:04d}", code=f"R{i:04d}{word(0, 3)}", title=word(1, 12), address=word(0, 10),
                 reporter_name=word(0, 3), reporter_phone=word(0, 5))
        rows.append(r)
    with write_tx(ws.engine) as conn:
        repo.bulk_insert_cases(conn, rows)
    now = clock()
    with ws.read() as conn:
        for _ in range(300):
            q = word(1, 4)
            if not q.strip():
                continue
            _check_same(conn, ALL.with_(text=q), now)
    ws.close()


def test_the_index_follows_updates_and_deletes(tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    ws = make_workspace(tmp_path / "u.db", clock, n_cases=3)
    ids = _add_cases(ws)
    now = clock()

    def found(q: str, f: QueueFilter = ALL) -> set[str]:
        with ws.read() as conn:
            assert queries.search_plan(conn, f.with_(text=q)) is not None
            return set(_check_same(conn, f.with_(text=q), now))

    assert ids[0] in found("垃圾桶") and not found("井水")
    # a new title and address, written as the sync replica writes rows (UPDATE … SET)
    with write_tx(ws.engine) as conn:
        conn.execute(update(t.cases).where(t.cases.c.id == ids[0]).values(title="井水外溢", address="东门街7号"))
    assert ids[0] not in found("垃圾桶") and ids[0] not in found("白云路3")
    assert found("井水") == {ids[0]} and found("东门街") == {ids[0]} and ids[0] in found("井")
    assert ids[0] in found("张三")  # the unchanged columns are still found
    # through the command path's update_case (every column written)
    with write_tx(ws.engine) as conn:
        case = repo.get_case(conn, ids[1])
        assert case is not None
        new = dataclasses.replace(case, title="路面塌陷", reporter_phone="18800001234", version=case.version + 1)
        assert repo.update_case(conn, new, case.version)
    assert ids[1] in found("塌陷") and ids[1] not in found("积水") and ids[1] in found("1880000")
    # a case moved to another centre is found there, not in the old one
    with write_tx(ws.engine) as conn:
        conn.execute(update(t.cases).where(t.cases.c.id == ids[1]).values(centre_code=T2))
    assert found("塌陷", ALL.with_(centres=(T2,))) == {ids[1]}
    assert found("塌陷", ALL.with_(centres=(T1,))) == set()
    # an update of other columns leaves the index alone (and stays right)
    with write_tx(ws.engine) as conn:
        conn.execute(update(t.cases).where(t.cases.c.id == ids[2]).values(status=Status.CLOSED.value, is_open=False))
    assert ids[2] in found("垃圾") and ids[2] not in found("垃圾", ALL.with_(open_only=True))
    # a deleted case is gone from the index too
    with write_tx(ws.engine) as conn:
        conn.execute(delete(t.cases).where(t.cases.c.id == ids[2]))
        n_index = conn.exec_driver_sql("SELECT count(*) FROM cases_fts").scalar()
        n_cases = conn.exec_driver_sql("SELECT count(*) FROM cases").scalar()
    assert ids[2] not in found("垃圾") and ids[2] not in found("乱")
    assert n_index == n_cases
    with ws.read() as conn:  # FTS5's own consistency check of the index
        conn.exec_driver_sql("INSERT INTO cases_fts(cases_fts, rank) VALUES ('integrity-check', 0)")
    ws.close()


def test_a_bulk_load_puts_the_insert_trigger_back_even_when_rolled_back(tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    ws = make_workspace(tmp_path / "b.db", clock, n_cases=3)
    ids = _add_cases(ws)  # a bulk load, committed: the trigger is dropped inside it and put back
    now = clock()

    def trigger_sql() -> str | None:
        with ws.read() as conn:
            return conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (search.INSERT_TRIGGER,)
            ).scalar()

    before = trigger_sql()
    assert before is not None and search.DEFERRED in before
    with ws.read() as conn:
        base = dict(conn.execute(select(t.cases).where(t.cases.c.id == ids[0])).mappings().one())
    # a bulk load that fails half-way: rolled back, the trigger is still there and nothing was written
    with pytest.raises(Exception, match="UNIQUE"), write_tx(ws.engine) as conn:
        repo.bulk_insert_cases(conn, [{**base, "id": "bulk-1", "code": "x-1"}, {**base, "id": "bulk-2"}])
    assert trigger_sql() == before
    with ws.read() as conn:
        assert _check_same(conn, ALL.with_(text="垃圾桶"), now) == [ids[0]]
    # one row inserted the ordinary way after the bulk loads is indexed by the trigger
    with write_tx(ws.engine) as conn:
        conn.execute(t.cases.insert(), [{**base, "id": "single", "code": "33012220261124099999", "title": "井水外溢"}])
    with ws.read() as conn:
        assert _check_same(conn, ALL.with_(text="井水"), now) == ["single"]
        n_index = conn.exec_driver_sql("SELECT count(*) FROM cases_fts").scalar()
        assert n_index == conn.exec_driver_sql("SELECT count(*) FROM cases").scalar()
    ws.close()


def test_the_plan_follows_the_number_of_candidates(tmp_path, clock, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ws = make_workspace(tmp_path / "c.db", clock, n_cases=5)
    _add_cases(ws)
    now = clock()
    monkeypatch.setattr(queries, "SEARCH_DRIVE_MAX", 1)
    monkeypatch.setattr(queries, "SEARCH_PROBE_MAX", 3)
    with ws.read() as conn:
        rare, some, common = ALL.with_(text="迎春"), ALL.with_(text="垃圾"), ALL.with_(text="白云路")
        assert queries.search_plan(conn, rare) == queries.TextSearch('"8fce6625"', drive=True)
        plan = queries.search_plan(conn, some)  # 3 candidates: tested while walking the order
        assert plan is not None and not plan.drive
        assert queries.search_plan(conn, common) is None  # 7 candidates: the plain LIKE
        # many in the county, none in T2: the candidates of T2's cases only (the centre token)
        assert queries.search_plan(conn, common.with_(centres=(T2,))) == queries.TextSearch(
            '("767d4e91" AND "4e918def") AND ("z330122002")', drive=True)
        assert _check_same(conn, common.with_(centres=(T2,)), now) == []
        assert queries.search_plan(conn, common, count=True) == queries.TextSearch(
            '"767d4e91" AND "4e918def"', drive=True)  # queue_count: up to SEARCH_COUNT_DRIVE_MAX
        assert len(_check_same(conn, rare, now)) == 1
        assert len(_check_same(conn, some, now)) == 3
        assert len(_check_same(conn, common, now)) == 7
        assert queries.search_plan(conn, ALL.with_(text="  ")) is None
    ws.close()


def test_tokens_are_prefix_free_and_fold_ascii_only() -> None:
    assert search.tokens("Ab") == search.tokens("aB")
    assert search.tokens("É") != search.tokens("é")  # LIKE folds ASCII only
    assert set(search.tokens("垃圾").split()) == {"5783573e", "573e"}
    assert set(search.tokens("𠀋x").split()) == {"g02000b0078", "0078"}
    assert search.match_expression("垃") == '"5783"*'
    assert search.match_expression("垃圾桶", ("330122",)) == '("5783573e" AND "573e6876") AND ("z330122")'
    assert search.match_expression("") is None


def test_migration_0003_indexes_existing_cases(tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    """A store at 0002 with cases: the upgrade builds the index and the triggers."""
    path = tmp_path / "old.db"
    engine = make_engine(path)
    upgrade(engine, "0002")
    engine.dispose()
    ws = make_workspace(path, clock, n_cases=4)  # upgrades to head: the fixture's own cases
    # back to 0002 (the index and its triggers dropped), cases added there, then the upgrade
    from alembic import command

    from commandcenter.store.migrate import alembic_config

    cfg = alembic_config()
    with ws.engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
        conn.commit()
    assert current_revision(ws.engine) == "0002"
    with ws.engine.connect() as conn:
        assert not search.exists(conn)
        assert conn.execute(text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")).scalar() == 0
    ids = _add_cases(ws)  # written at 0002: no index, no triggers
    upgrade(ws.engine)
    assert current_revision(ws.engine) == "0003"
    now = clock()
    with ws.read() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM cases_fts").scalar() == 4 + len(ROWS)
        for text_ in QUERIES:
            f = ALL.with_(text=text_)
            assert queries.search_plan(conn, f) is not None
            _check_same(conn, f, now)
        assert ids[0] in {r["id"] for r in queries.queue(conn, ALL.with_(text="垃圾桶"), now)}
    # and the triggers are in place after the upgrade
    with write_tx(ws.engine) as conn:
        conn.execute(update(t.cases).where(t.cases.c.id == ids[0]).values(title="井水外溢"))
    with ws.read() as conn:
        assert [r["id"] for r in queries.queue(conn, ALL.with_(text="井水"), now)] == [ids[0]]
        assert queries.search_plan(conn, ALL.with_(text="井水")) is not None
    ws.close()


def test_rebuild_reindexes_every_case(tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    ws = make_workspace(tmp_path / "b.db", clock, n_cases=2)
    _add_cases(ws)
    with write_tx(ws.engine) as conn:
        search.rebuild(conn)
    now = clock()
    with ws.read() as conn:
        for text_ in ("垃圾", "张", "13812345678"):
            _check_same(conn, ALL.with_(text=text_), now)
    ws.close()


@pytest.mark.parametrize("text_", ["垃圾", "张", "138123"])
def test_postgresql_searches_with_the_plain_like(text_: str) -> None:
    """On PostgreSQL (127.0.0.1:5432) there is no index: the same queries use the LIKE."""
    import uuid

    from sqlalchemy import create_engine

    schema = f"cc_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/test")
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine = create_engine(
        "postgresql+psycopg://postgres@127.0.0.1:5432/test", connect_args={"options": f"-csearch_path={schema}"}
    )
    try:
        upgrade(engine)
        with engine.begin() as conn:
            rows = [_pg_row(i, *texts) for i, texts in enumerate(ROWS)]
            conn.execute(text("SET session_replication_role = replica"))  # no foreign keys: bare rows
            conn.execute(t.cases.insert(), rows)
        with engine.connect() as conn:
            f = ALL.with_(text=text_)
            assert queries.search_plan(conn, f) is None
            want = {r["id"] for r in rows if any(text_ in (r[c] or "") for c in search.SEARCH_COLUMNS)}
            got = {r["id"] for r in queries.queue_page(conn, f, datetime(2026, 11, 24), limit=1000)}
            assert got == want and queries.queue_count(conn, f, datetime(2026, 11, 24)) == len(want)
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def _pg_row(i: int, title: str, address: str, name: str, phone: str) -> dict[str, Any]:
    return {
        "id": f"pg-{i}", "code": f"33012220261124{i:05d}", "title": title, "description": "",
        "category_code": "0101", "source": "hotline", "priority": "normal", "severity": "general",
        "reporter_name": name, "reporter_phone": phone, "lon": None, "lat": None, "address": address,
        "grid_code": None, "township_code": T1, "centre_code": T1, "department_code": None,
        "status": "reported", "is_open": True, "version": 1, "supervised": False, "suspended": False,
        "escalated": False, "check_passed": False, "urge_count": 0, "return_count": 0, "rework_count": 0,
        "reopen_count": 0, "extension_minutes": None, "extension_reason": "", "stage_started_at": None,
        "stage_deadline": None, "due_soon_at": None, "deadline": None, "suspended_remaining_s": None,
        "created_at": 1_790_000_000 + i, "updated_at": 1_790_000_000 + i, "accepted_at": None,
        "dispatched_at": None, "signed_at": None, "feedback_at": None, "closed_at": None,
        "handled_on_time": None, "closed_on_time": None, "resolved_level": None, "satisfaction": None,
        "merged_into": None,
    }
