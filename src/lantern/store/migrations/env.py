"""Alembic environment: runs against the connection Lantern hands it."""

from __future__ import annotations

from alembic import context

from lantern.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through lantern.store.db.migrate()")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
