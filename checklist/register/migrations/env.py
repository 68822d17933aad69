"""Alembic's entry point: migrations run on the connection checklist hands over."""

from __future__ import annotations

from alembic import context

from checklist.register.tables import metadata

context.configure(connection=context.config.attributes["connection"], target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
