"""The schema. Times are INTEGER seconds since the epoch (UTC); geometry is
GeoJSON text (WGS-84); enums are their stable string values."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
    true,
)

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

org_units = Table(
    "org_units",
    metadata,
    Column("code", String(15), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("level", String(16), nullable=False),
    Column("parent_code", String(15), ForeignKey("org_units.code"), nullable=True),
    Column("geometry", Text, nullable=True),  # GeoJSON geometry, WGS-84
    Column("centroid_lon", Float, nullable=True),
    Column("centroid_lat", Float, nullable=True),
    Column("area_km2", Float, nullable=True),
    Index("ix_org_units_parent", "parent_code"),
    Index("ix_org_units_level", "level"),
)

centres = Table(
    "centres",
    metadata,
    Column("code", String(15), ForeignKey("org_units.code"), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("level", String(16), nullable=False),
    Column("parent_code", String(15), ForeignKey("centres.code"), nullable=True),
)

departments = Table(
    "departments",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("short_name", String(50), nullable=False, server_default=""),
    Column("kind", String(32), nullable=False),
    Column("centre_code", String(15), ForeignKey("centres.code"), nullable=False),
    Index("ix_departments_centre", "centre_code"),
)

categories = Table(
    "categories",
    metadata,
    Column("code", String(16), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("parent_code", String(16), ForeignKey("categories.code"), nullable=True),
    Column("family", String(16), nullable=False),
    Column("default_dept_kind", String(32), nullable=True),
    Column("accept_min", Integer, nullable=True),
    Column("dispatch_min", Integer, nullable=True),
    Column("handle_min", Integer, nullable=True),
    Column("check_min", Integer, nullable=True),
)

users = Table(
    "users",
    metadata,
    Column("username", String(64), primary_key=True),
    Column("display_name", String(64), nullable=False),
    Column("role", String(16), nullable=False),
    Column("centre_code", String(15), ForeignKey("centres.code"), nullable=True),
    Column("department_code", String(32), ForeignKey("departments.code"), nullable=True),
    Column("phone", String(20), nullable=False, server_default=""),
    Column("password_hash", Text, nullable=False),
    Column("active", Boolean, nullable=False, server_default=true()),
)

def is_managed_table(name: str | None) -> bool:
    """Whether a table of the database is declared here: not the search index's FTS5
    tables (store/search.py), which Alembic cannot reflect and must neither create nor drop."""
    return not (name or "").startswith("cases_fts")


_OPEN_SQLITE = text("is_open IS 1")
_OPEN_PG = text("is_open IS true")

cases = Table(
    "cases",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("code", String(40), nullable=False),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("category_code", String(16), nullable=True),
    Column("source", String(24), nullable=False),
    Column("priority", String(16), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("reporter_name", String(64), nullable=False, server_default=""),
    Column("reporter_phone", String(24), nullable=False, server_default=""),
    Column("lon", Float, nullable=True),
    Column("lat", Float, nullable=True),
    Column("address", String(255), nullable=False, server_default=""),
    Column("grid_code", String(15), nullable=True),
    Column("township_code", String(15), nullable=True),
    Column("centre_code", String(15), nullable=False),
    Column("department_code", String(32), nullable=True),
    Column("status", String(16), nullable=False),
    Column("is_open", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
    Column("supervised", Boolean, nullable=False, server_default=false()),
    Column("suspended", Boolean, nullable=False, server_default=false()),
    Column("escalated", Boolean, nullable=False, server_default=false()),
    Column("check_passed", Boolean, nullable=False, server_default=false()),
    Column("urge_count", Integer, nullable=False, server_default=text("0")),
    Column("return_count", Integer, nullable=False, server_default=text("0")),
    Column("rework_count", Integer, nullable=False, server_default=text("0")),
    Column("reopen_count", Integer, nullable=False, server_default=text("0")),
    Column("extension_minutes", Integer, nullable=True),
    Column("extension_reason", Text, nullable=False, server_default=""),
    Column("stage_started_at", Integer, nullable=True),
    Column("stage_deadline", Integer, nullable=True),
    Column("due_soon_at", Integer, nullable=True),
    Column("deadline", Integer, nullable=True),
    Column("suspended_remaining_s", Integer, nullable=True),
    Column("created_at", Integer, nullable=False),
    Column("updated_at", Integer, nullable=False),
    Column("accepted_at", Integer, nullable=True),
    Column("dispatched_at", Integer, nullable=True),
    Column("signed_at", Integer, nullable=True),
    Column("feedback_at", Integer, nullable=True),
    Column("closed_at", Integer, nullable=True),
    Column("handled_on_time", Boolean, nullable=True),
    Column("closed_on_time", Boolean, nullable=True),
    Column("resolved_level", String(16), nullable=True),
    Column("satisfaction", String(16), nullable=True),
    Column("merged_into", String(36), nullable=True),
    UniqueConstraint("code", name="uq_cases_code"),
    # the live queue: a centre's open cases by deadline, and by status
    Index("ix_cases_queue", "centre_code", "is_open", "stage_deadline"),
    Index("ix_cases_status", "centre_code", "status", "stage_deadline"),
    # department workloads
    Index("ix_cases_dept", "department_code", "is_open", "stage_deadline"),
    Index("ix_cases_township", "township_code", "is_open"),
    Index("ix_cases_grid", "grid_code"),
    Index("ix_cases_merged_into", "merged_into"),  # the duplicates merged into a case
    Index("ix_cases_created", "created_at"),
    Index("ix_cases_accepted", "accepted_at"),
    Index("ix_cases_updated", "updated_at"),
    # open cases only (a few % of the table): county-wide tabs, tab counts, per-status tabs.
    # The condition must read exactly as the queries write it (`is_open IS 1` on SQLite).
    Index("ix_cases_open_deadline", "is_open", "stage_deadline", sqlite_where=_OPEN_SQLITE, postgresql_where=_OPEN_PG),
    Index("ix_cases_open_due_soon", "is_open", "due_soon_at", sqlite_where=_OPEN_SQLITE, postgresql_where=_OPEN_PG),
    Index("ix_cases_open_status", "is_open", "status", "stage_deadline", sqlite_where=_OPEN_SQLITE, postgresql_where=_OPEN_PG),
    Index("ix_cases_open_centre_status", "centre_code", "is_open", "status", "stage_deadline", sqlite_where=_OPEN_SQLITE, postgresql_where=_OPEN_PG),
    # the tab counts (queries.status_counts), from the index alone: county-wide 40 -> 5 ms
    Index(
        "ix_cases_open_counts", "is_open", "centre_code", "status", "stage_deadline", "due_soon_at", "supervised",
        "escalated", sqlite_where=_OPEN_SQLITE, postgresql_where=_OPEN_PG,
    ),
    # a centre's closed tab (by last update) and its KPIs (by registration time)
    Index("ix_cases_centre_updated", "centre_code", "updated_at"),
    Index("ix_cases_centre_accepted", "centre_code", "accepted_at"),
    Index("ix_cases_closed", "closed_at"),
    # the 已结案 tab of one department, newest first (the centre: another centre's department finds nothing fast)
    Index("ix_cases_dept_updated", "department_code", "updated_at", "centre_code"),
    # the history by priority: one priority's cases in code order (services/queries._first_ids)
    Index("ix_cases_priority_code", "priority", "code"),
)
# The free-text search index (SQLite: the FTS5 table cases_fts and its triggers) is made by
# migration 0003 from store/search.py, not declared here; see is_managed_table.

case_history = Table(
    "case_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(36), nullable=False),
    Column("version", Integer, nullable=False),
    Column("action", String(24), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("role", String(16), nullable=False),
    Column("from_status", String(16), nullable=True),
    Column("to_status", String(16), nullable=False),
    Column("opinion", Text, nullable=False, server_default=""),
    Column("details", Text, nullable=False, server_default="{}"),
    Column("at", Integer, nullable=False),
    Column("client_ts", Integer, nullable=True),
    Column("command_id", String(36), nullable=False),
    Index("ix_case_history_case", "case_id", "version"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("command_id", String(36), nullable=False, unique=True),
    Column("client_id", String(64), nullable=False),
    Column("client_seq", Integer, nullable=False),
    Column("type", String(24), nullable=False),
    Column("case_id", String(36), nullable=False),
    Column("base_version", Integer, nullable=True),
    Column("payload", Text, nullable=False),
    Column("actor", Text, nullable=False),  # JSON: username, role, centre, department
    Column("client_ts", Integer, nullable=False),
    Column("state", String(16), nullable=False, server_default="pending"),
    Column("reason_code", String(32), nullable=True),
    Column("reason", Text, nullable=True),
    UniqueConstraint("client_id", "client_seq", name="uq_outbox_client_seq"),
    Index("ix_outbox_state", "state", "seq"),
)

code_sequences = Table(
    "code_sequences",
    metadata,
    Column("prefix", String(32), primary_key=True),
    Column("last", Integer, nullable=False),
)

# ---------------------------------------------------------------- platform server (issue 4)
# Written only by the server (commandcenter.server); present but empty in a workstation's store.

change_log = Table(
    "change_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(36), nullable=False),
    Column("version", Integer, nullable=False),
    Column("payload", Text, nullable=False),  # JSON: {"case": row, "history": [rows]}
    Column("at", Integer, nullable=False),
    Index("ix_change_log_case", "case_id"),
)

processed_commands = Table(
    "processed_commands",
    metadata,
    Column("command_id", String(36), primary_key=True),
    Column("client_id", String(64), nullable=False),
    Column("client_seq", Integer, nullable=False),
    Column("username", String(64), nullable=False),
    Column("type", String(24), nullable=False),
    Column("result", String(16), nullable=False),  # applied | rejected
    Column("reason_code", String(32), nullable=True),
    Column("reason", Text, nullable=True),
    Column("case_id", String(36), nullable=False),
    Column("version", Integer, nullable=True),
    Column("code", String(40), nullable=True),
    Column("at", Integer, nullable=False),
    Index("ix_processed_commands_client", "client_id", "client_seq"),
)

tokens = Table(
    "tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),  # sha256 hex of the token
    Column("username", String(64), nullable=False),
    Column("client_id", String(64), nullable=False),
    Column("created_at", Integer, nullable=False),
    Column("expires_at", Integer, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", Integer, nullable=False),
    Column("username", String(64), nullable=False),
    Column("client_id", String(64), nullable=True),
    Column("action", String(32), nullable=False),  # login | login_failed | login_locked | command | wall
    Column("command_id", String(36), nullable=True),
    Column("result", String(16), nullable=False),
    Column("detail", Text, nullable=False, server_default=""),
    Index("ix_audit_log_at", "at"),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("username", String(64), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_at", Integer, nullable=False),
    Column("locked_until", Integer, nullable=True),
)

wall_messages = Table(
    "wall_messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", Integer, nullable=False),
    Column("username", String(64), nullable=False),
    Column("payload", Text, nullable=False),  # JSON
)

# ---------------------------------------------------------------- workstation sync (issue 4)

sync_problems = Table(
    "sync_problems",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", Integer, nullable=False),
    Column("command_id", String(36), nullable=False),
    Column("command_type", String(24), nullable=False),
    Column("case_id", String(36), nullable=False),
    Column("case_code", String(40), nullable=False, server_default=""),
    Column("case_title", String(200), nullable=False, server_default=""),
    Column("actor", String(64), nullable=False, server_default=""),
    Column("reason_code", String(32), nullable=False),
    Column("reason", Text, nullable=False),
    Column("resolved", Boolean, nullable=False, server_default=text("false")),
)
