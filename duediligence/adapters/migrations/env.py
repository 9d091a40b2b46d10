"""Alembic environment: migrations run on the connection the store hands over, never from a URL
in an ini file, so the same scripts serve SQLite and (later) PostgreSQL."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
# Batch mode lets later migrations alter tables on SQLite, which has little ALTER TABLE.
context.configure(connection=connection, target_metadata=None, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
