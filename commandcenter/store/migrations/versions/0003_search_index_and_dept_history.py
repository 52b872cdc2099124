"""search index (FTS5 bigrams, SQLite), a department's history by last update, the history by priority

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 16:00:00

* ``cases_fts``: the free-text search index of store/search.py, with the triggers that keep
  it in step with ``cases``, filled from the existing cases (SQLite only: on PostgreSQL
  the queries use the plain LIKE).  ~25 s and ~100 MiB for 1,000,000 cases.
* ``ix_cases_dept_updated`` (department_code, updated_at, centre_code): the 已结案 tab
  filtered by a department (newest first) without sorting the department's history; the
  centre is in the index so that a department of another centre finds nothing fast.
* ``ix_cases_priority_code`` (priority, code): a re-sort of the history by priority reads
  each priority's first rows in code order instead of sorting every row.
* ``ix_cases_open_counts``: the open cases' tab counts (``status_counts``, on every filter
  change) from a covering open-only index: county-wide 40 -> 5 ms.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from commandcenter.store import search

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index("ix_cases_dept_updated", ["department_code", "updated_at", "centre_code"], unique=False)
        batch_op.create_index("ix_cases_priority_code", ["priority", "code"], unique=False)
        batch_op.create_index(
            "ix_cases_open_counts",
            ["is_open", "centre_code", "status", "stage_deadline", "due_soon_at", "supervised", "escalated"],
            unique=False,
            sqlite_where=sa.text("is_open IS 1"),
            postgresql_where=sa.text("is_open IS true"),
        )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        search.register(bind.connection.driver_connection)  # the backfill and triggers call it
        create_table, *triggers = search.ddl()
        op.execute(create_table)
        op.execute(search.backfill_sql())
        for stmt in triggers:
            op.execute(stmt)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for stmt in search.drop_ddl():
            op.execute(stmt)
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_open_counts")
        batch_op.drop_index("ix_cases_priority_code")
        batch_op.drop_index("ix_cases_dept_updated")
