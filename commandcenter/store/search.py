"""The free-text search index of the cases (SQLite only): character bigrams in FTS5.

The queue's search is ``LIKE '%text%'`` over code, title, address, reporter name and
reporter phone (``services.queries``).  On 1,000,000 cases a word that matches little
reads every row of the history (1.6-1.8 s county-wide).  This index finds the candidate
rows instead; the LIKE still decides, so the results are exactly the LIKE's.

* Every searched column is cut into its overlapping character *bigrams* ("垃圾桶" ->
  "垃圾", "圾桶"), and its last character alone (so that every character starts one token),
  after folding ASCII A-Z to a-z (SQLite's LIKE ignores ASCII case only).  Two-character
  words, the usual Chinese search, are one token; longer text is all its bigrams (AND);
  one character is a prefix query on the tokens that start with it (the ``prefix`` index).
  SQLite 3.40's ``trigram`` tokenizer cannot do one or two characters.
* A token is written as the hex code points of its characters (4 digits in the BMP,
  ``g`` + 6 digits beyond), so that FTS5's ``unicode61`` tokenizer keeps it whole whatever
  the characters (punctuation, spaces, full-width forms).  The code is prefix-free: a
  token starting with a character's code starts with that character.
* The case's centre is a token too (``z`` + code): a search within some centres is
  answered by the index alone (how many rows of *these* centres match), which decides
  whether the query starts from the index or from the queue's own order (see
  ``services.queries``).
* ``cases_fts`` is a contentless FTS5 table (``content=''``, ``detail=none``: rowids
  only) keyed by the rowid of ``cases``.  Triggers keep it in step with every write to
  ``cases`` (insert, delete, and an update that changes a searched column or the centre
  -- not the other updates: of the command path, only CREATE and the rare change of
  these columns touch the index).  The triggers call ``cc_search_tokens()``, a Python
  function that ``engine.make_engine`` registers on every SQLite connection: a
  connection without it (e.g. the ``sqlite3`` shell) can read the store but not write
  cases.  Bulk inserts index each batch in one statement instead (``bulk_load``).
* ``cases`` has no INTEGER PRIMARY KEY, so its rowids are not guaranteed across a
  ``VACUUM``, and a table rebuild (a migration in Alembic's batch mode that recreates
  ``cases``) drops the triggers: after either, call ``rebuild(conn)``.  A stale index
  only hides rows (the LIKE re-checks every candidate); it never shows a wrong one.

PostgreSQL has no such table: there the queries use the plain LIKE.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# the searched columns of cases, in the order cc_search_tokens() takes them (+ centre_code)
SEARCH_COLUMNS = ("code", "title", "address", "reporter_name", "reporter_phone")
FUNCTION = "cc_search_tokens"
DEFERRED = "cc_search_deferred"  # 1 while bulk_load() indexes a batch at its end
TABLE = "cases_fts"
INSERT_TRIGGER = "cases_fts_ai"
# the tables FTS5 makes for cases_fts; not in store/schema.py (see schema.is_managed_table)
TABLES = (TABLE, f"{TABLE}_data", f"{TABLE}_idx", f"{TABLE}_content", f"{TABLE}_docsize", f"{TABLE}_config")



class _Codes(dict[int, str]):
    """str.translate table: a character to its token code (ASCII A-Z folded to a-z)."""

    def __missing__(self, o: int) -> str:
        c = o + 32 if 65 <= o <= 90 else o
        v = f"{c:04x}" if c < 0x10000 else f"g{c:06x}"
        if len(self) < 100_000:
            self[o] = v
        return v


_CODES = _Codes()


def _codes(s: str) -> list[str]:
    """The token codes of a text's characters."""
    h = s.translate(_CODES)
    if len(h) == 4 * len(s):  # all in the BMP: 4 digits each
        return [h[i : i + 4] for i in range(0, len(h), 4)]
    return [_CODES[ord(ch)] for ch in s]


def _field_tokens(s: str, out: list[str]) -> None:
    h = s.translate(_CODES)
    n = len(h)
    if n == 4 * len(s):  # the fast path: all in the BMP, 4 digits a character
        out += [h[i : i + 8] for i in range(0, n - 4, 4)]
        out.append(h[-4:])
        return
    codes = _codes(s)
    out += map(str.__add__, codes, codes[1:])
    out.append(codes[-1])


def tokens(*fields: Any, centre: str | None = None) -> str:
    """The index text of one case: its columns' tokens, space-separated (see the module;
    a token may repeat: FTS5 keeps one entry per row and token)."""
    out: list[str] = []
    for v in fields:
        if v:
            _field_tokens(str(v), out)
    if centre:
        out.append("z" + centre)
    return " ".join(out)


def _sql_tokens(code: Any, title: Any, address: Any, name: Any, phone: Any, centre: Any) -> str:
    return tokens(code, title, address, name, phone, centre=centre)


def register(dbapi_conn: Any) -> None:
    """Make the triggers' functions callable on a sqlite3 connection."""
    flag = [0]  # this connection's: 1 inside bulk_load()

    def set_deferred(value: int) -> int:
        flag[0] = int(value)
        return flag[0]

    dbapi_conn.create_function(FUNCTION, 6, _sql_tokens, deterministic=True)
    dbapi_conn.create_function(DEFERRED, 0, lambda: flag[0])
    dbapi_conn.create_function(DEFERRED + "_set", 1, set_deferred)


@contextmanager
def bulk_load(dbapi_conn: Any) -> Iterator[None]:
    """Index the cases inserted inside the block in one statement at its end, instead of one
    by one in the insert trigger: FTS5 writes its pending terms at every statement's end, so
    20,000 single-row INSERTs cost ~75 µs a row more than one INSERT … SELECT.  Inside one
    write transaction; cases only inserted (new rows get rowids above the largest so far).
    ``dbapi_conn``: a sqlite3 connection set up by ``register``."""
    cur = dbapi_conn.cursor()
    try:
        has_index = cur.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)).fetchone()
        if not has_index:
            yield
            return
        last = cur.execute("SELECT coalesce(max(rowid), 0) FROM cases").fetchone()[0]
        # Inside a transaction the insert trigger is dropped for the block and put back at its
        # end (DDL is transactional: a rollback restores it too): even skipped by its WHEN, a
        # row trigger costs ~55 µs a row (a sub-program and a Python call), more than the
        # insert itself with its twenty indexes. Outside one, the flag alone skips it.
        trigger = None
        if dbapi_conn.in_transaction:
            trigger = cur.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (INSERT_TRIGGER,)
            ).fetchone()
            if trigger is not None:
                cur.execute(f"DROP TRIGGER {INSERT_TRIGGER}")
        cur.execute(f"SELECT {DEFERRED}_set(1)")
        try:
            yield
        finally:
            cur.execute(f"SELECT {DEFERRED}_set(0)")
            if trigger is not None:
                cur.execute(trigger[0])
        cur.execute(backfill_sql() + " WHERE rowid > ?", (last,))
    finally:
        cur.close()


def match_expression(text: str, centres: tuple[str, ...] | list[str] = ()) -> str | None:
    """The FTS5 MATCH expression finding every case whose searched columns may contain
    ``text`` (a superset: the LIKE decides), within ``centres`` if any; None if empty."""
    if not text:
        return None
    codes = _codes(text)
    if len(codes) == 1:
        terms = [f'"{codes[0]}"*']
    else:
        terms = [f'"{t}"' for t in dict.fromkeys(map(str.__add__, codes, codes[1:]))]
    expr = " AND ".join(terms)
    if centres:
        scope = " OR ".join('"z' + c + '"' for c in centres)
        expr = f"({expr}) AND ({scope})"
    return expr


def _tokens_sql(p: str) -> str:
    return f"{FUNCTION}({', '.join(f'{p}.{c}' for c in SEARCH_COLUMNS)}, {p}.centre_code)"


def ddl() -> list[str]:
    """CREATE the index table and its triggers (SQLite)."""
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in (*SEARCH_COLUMNS, "centre_code"))
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
        f"tokens, content='', detail=none, prefix='4', tokenize='unicode61 remove_diacritics 0')",
        f"CREATE TRIGGER IF NOT EXISTS cases_fts_ai AFTER INSERT ON cases WHEN NOT {DEFERRED}() BEGIN "
        f"INSERT INTO {TABLE}(rowid, tokens) VALUES (new.rowid, {_tokens_sql('new')}); END",
        f"CREATE TRIGGER IF NOT EXISTS cases_fts_ad AFTER DELETE ON cases BEGIN "
        f"INSERT INTO {TABLE}({TABLE}, rowid, tokens) VALUES ('delete', old.rowid, {_tokens_sql('old')}); END",
        f"CREATE TRIGGER IF NOT EXISTS cases_fts_au AFTER UPDATE ON cases WHEN {changed} BEGIN "
        f"INSERT INTO {TABLE}({TABLE}, rowid, tokens) VALUES ('delete', old.rowid, {_tokens_sql('old')}); "
        f"INSERT INTO {TABLE}(rowid, tokens) VALUES (new.rowid, {_tokens_sql('new')}); END",
    ]


def drop_ddl() -> list[str]:
    return [
        "DROP TRIGGER IF EXISTS cases_fts_au",
        "DROP TRIGGER IF EXISTS cases_fts_ad",
        "DROP TRIGGER IF EXISTS cases_fts_ai",
        f"DROP TABLE IF EXISTS {TABLE}",
    ]


def backfill_sql() -> str:
    """Index every existing case (after creating an empty index)."""
    return f"INSERT INTO {TABLE}(rowid, tokens) SELECT rowid, {_tokens_sql('cases')} FROM cases"


def rebuild(conn: Any) -> None:
    """Re-index every case and re-create the triggers (after a VACUUM, or a rebuild of
    ``cases``, which drops its triggers); in a write transaction."""
    create_table, *triggers = ddl()
    conn.exec_driver_sql(create_table)
    conn.exec_driver_sql(f"INSERT INTO {TABLE}({TABLE}) VALUES ('delete-all')")
    conn.exec_driver_sql(backfill_sql())
    for stmt in triggers:
        conn.exec_driver_sql(stmt)


def exists(conn: Any) -> bool:
    if conn.dialect.name != "sqlite":
        return False
    return conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)
    ).first() is not None
