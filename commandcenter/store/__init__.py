"""The local store: SQLAlchemy 2 schema (Core), engine set-up (SQLite WAL or
PostgreSQL), Alembic migrations, and the row <-> entity mapping."""
