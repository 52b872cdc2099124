"""baseline schema

Revision ID: 0001
Revises:
Create Date: 2026-11-28 14:27:03.408372
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_history",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("opinion", sa.Text(), server_default="", nullable=False),
        sa.Column("details", sa.Text(), server_default="{}", nullable=False),
        sa.Column("at", sa.Integer(), nullable=False),
        sa.Column("client_ts", sa.Integer(), nullable=True),
        sa.Column("command_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_history")),
    )
    with op.batch_alter_table("case_history", schema=None) as batch_op:
        batch_op.create_index("ix_case_history_case", ["case_id", "version"], unique=False)

    op.create_table(
        "cases",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("category_code", sa.String(length=16), nullable=True),
        sa.Column("source", sa.String(length=24), nullable=False),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("reporter_name", sa.String(length=64), server_default="", nullable=False),
        sa.Column("reporter_phone", sa.String(length=24), server_default="", nullable=False),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("address", sa.String(length=255), server_default="", nullable=False),
        sa.Column("grid_code", sa.String(length=15), nullable=True),
        sa.Column("township_code", sa.String(length=15), nullable=True),
        sa.Column("centre_code", sa.String(length=15), nullable=False),
        sa.Column("department_code", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("supervised", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("suspended", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("escalated", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("check_passed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("urge_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("return_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("rework_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("reopen_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("extension_minutes", sa.Integer(), nullable=True),
        sa.Column("extension_reason", sa.Text(), server_default="", nullable=False),
        sa.Column("stage_started_at", sa.Integer(), nullable=True),
        sa.Column("stage_deadline", sa.Integer(), nullable=True),
        sa.Column("due_soon_at", sa.Integer(), nullable=True),
        sa.Column("deadline", sa.Integer(), nullable=True),
        sa.Column("suspended_remaining_s", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.Integer(), nullable=False),
        sa.Column("accepted_at", sa.Integer(), nullable=True),
        sa.Column("dispatched_at", sa.Integer(), nullable=True),
        sa.Column("signed_at", sa.Integer(), nullable=True),
        sa.Column("feedback_at", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.Integer(), nullable=True),
        sa.Column("handled_on_time", sa.Boolean(), nullable=True),
        sa.Column("closed_on_time", sa.Boolean(), nullable=True),
        sa.Column("resolved_level", sa.String(length=16), nullable=True),
        sa.Column("satisfaction", sa.String(length=16), nullable=True),
        sa.Column("merged_into", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("code", name="uq_cases_code"),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index("ix_cases_accepted", ["accepted_at"], unique=False)
        batch_op.create_index("ix_cases_centre_accepted", ["centre_code", "accepted_at"], unique=False)
        batch_op.create_index("ix_cases_centre_updated", ["centre_code", "updated_at"], unique=False)
        batch_op.create_index("ix_cases_closed", ["closed_at"], unique=False)
        batch_op.create_index("ix_cases_created", ["created_at"], unique=False)
        batch_op.create_index("ix_cases_dept", ["department_code", "is_open", "stage_deadline"], unique=False)
        batch_op.create_index("ix_cases_grid", ["grid_code"], unique=False)
        batch_op.create_index("ix_cases_merged_into", ["merged_into"], unique=False)
        batch_op.create_index(
            "ix_cases_open_centre_status",
            ["centre_code", "is_open", "status", "stage_deadline"],
            unique=False,
            sqlite_where=sa.text("is_open IS 1"),
            postgresql_where=sa.text("is_open IS true"),
        )
        batch_op.create_index(
            "ix_cases_open_deadline",
            ["is_open", "stage_deadline"],
            unique=False,
            sqlite_where=sa.text("is_open IS 1"),
            postgresql_where=sa.text("is_open IS true"),
        )
        batch_op.create_index(
            "ix_cases_open_due_soon",
            ["is_open", "due_soon_at"],
            unique=False,
            sqlite_where=sa.text("is_open IS 1"),
            postgresql_where=sa.text("is_open IS true"),
        )
        batch_op.create_index(
            "ix_cases_open_status",
            ["is_open", "status", "stage_deadline"],
            unique=False,
            sqlite_where=sa.text("is_open IS 1"),
            postgresql_where=sa.text("is_open IS true"),
        )
        batch_op.create_index("ix_cases_queue", ["centre_code", "is_open", "stage_deadline"], unique=False)
        batch_op.create_index("ix_cases_status", ["centre_code", "status", "stage_deadline"], unique=False)
        batch_op.create_index("ix_cases_township", ["township_code", "is_open"], unique=False)
        batch_op.create_index("ix_cases_updated", ["updated_at"], unique=False)

    op.create_table(
        "categories",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("parent_code", sa.String(length=16), nullable=True),
        sa.Column("family", sa.String(length=16), nullable=False),
        sa.Column("default_dept_kind", sa.String(length=32), nullable=True),
        sa.Column("accept_min", sa.Integer(), nullable=True),
        sa.Column("dispatch_min", sa.Integer(), nullable=True),
        sa.Column("handle_min", sa.Integer(), nullable=True),
        sa.Column("check_min", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_code"], ["categories.code"], name=op.f("fk_categories_parent_code_categories")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_categories")),
    )
    op.create_table(
        "code_sequences",
        sa.Column("prefix", sa.String(length=32), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("prefix", name=op.f("pk_code_sequences")),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_meta")),
    )
    op.create_table(
        "org_units",
        sa.Column("code", sa.String(length=15), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("parent_code", sa.String(length=15), nullable=True),
        sa.Column("geometry", sa.Text(), nullable=True),
        sa.Column("centroid_lon", sa.Float(), nullable=True),
        sa.Column("centroid_lat", sa.Float(), nullable=True),
        sa.Column("area_km2", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_code"], ["org_units.code"], name=op.f("fk_org_units_parent_code_org_units")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_org_units")),
    )
    with op.batch_alter_table("org_units", schema=None) as batch_op:
        batch_op.create_index("ix_org_units_level", ["level"], unique=False)
        batch_op.create_index("ix_org_units_parent", ["parent_code"], unique=False)

    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("command_id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("client_seq", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=24), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("client_ts", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), server_default="pending", nullable=False),
        sa.Column("reason_code", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_outbox")),
        sa.UniqueConstraint("client_id", "client_seq", name="uq_outbox_client_seq"),
        sa.UniqueConstraint("command_id", name=op.f("uq_outbox_command_id")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_state", ["state", "seq"], unique=False)

    op.create_table(
        "centres",
        sa.Column("code", sa.String(length=15), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("parent_code", sa.String(length=15), nullable=True),
        sa.ForeignKeyConstraint(["code"], ["org_units.code"], name=op.f("fk_centres_code_org_units")),
        sa.ForeignKeyConstraint(
            ["parent_code"], ["centres.code"], name=op.f("fk_centres_parent_code_centres")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_centres")),
    )
    op.create_table(
        "departments",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("short_name", sa.String(length=50), server_default="", nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("centre_code", sa.String(length=15), nullable=False),
        sa.ForeignKeyConstraint(
            ["centre_code"], ["centres.code"], name=op.f("fk_departments_centre_code_centres")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_departments")),
    )
    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.create_index("ix_departments_centre", ["centre_code"], unique=False)

    op.create_table(
        "users",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("centre_code", sa.String(length=15), nullable=True),
        sa.Column("department_code", sa.String(length=32), nullable=True),
        sa.Column("phone", sa.String(length=20), server_default="", nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.ForeignKeyConstraint(["centre_code"], ["centres.code"], name=op.f("fk_users_centre_code_centres")),
        sa.ForeignKeyConstraint(
            ["department_code"], ["departments.code"], name=op.f("fk_users_department_code_departments")
        ),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_users")),
    )


def downgrade() -> None:
    op.drop_table("users")
    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.drop_index("ix_departments_centre")

    op.drop_table("departments")
    op.drop_table("centres")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_state")

    op.drop_table("outbox")
    with op.batch_alter_table("org_units", schema=None) as batch_op:
        batch_op.drop_index("ix_org_units_parent")
        batch_op.drop_index("ix_org_units_level")

    op.drop_table("org_units")
    op.drop_table("meta")
    op.drop_table("code_sequences")
    op.drop_table("categories")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_updated")
        batch_op.drop_index("ix_cases_township")
        batch_op.drop_index("ix_cases_status")
        batch_op.drop_index("ix_cases_queue")
        batch_op.drop_index(
            "ix_cases_open_status",
            sqlite_where=sa.text("is_open IS 1"),
            postgresql_where=sa.text("is_open IS true"),
        )
        batch_op.drop_index(
            "ix_cases_open_due_soon",
            sqlite_where=sa.text("is_open IS 1"),
            postgresql_where=sa.text("is_open IS true"),
        )
        batch_op.drop_index(
            "ix_cases_open_deadline",
            sqlite_where=sa.text("is_open IS 1"),
            postgresql_where=sa.text("is_open IS true"),
        )
        batch_op.drop_index(
            "ix_cases_open_centre_status",
            sqlite_where=sa.text("is_open IS 1"),
            postgresql_where=sa.text("is_open IS true"),
        )
        batch_op.drop_index("ix_cases_merged_into")
        batch_op.drop_index("ix_cases_grid")
        batch_op.drop_index("ix_cases_dept")
        batch_op.drop_index("ix_cases_created")
        batch_op.drop_index("ix_cases_closed")
        batch_op.drop_index("ix_cases_centre_updated")
        batch_op.drop_index("ix_cases_centre_accepted")
        batch_op.drop_index("ix_cases_accepted")

    op.drop_table("cases")
    with op.batch_alter_table("case_history", schema=None) as batch_op:
        batch_op.drop_index("ix_case_history_case")

    op.drop_table("case_history")
