"""Alembic environment: always run from rayong_desktop.db.migrate with a connection in hand.

The caller has already opened the one transaction the whole upgrade runs in; Alembic sees it and
does not open or commit its own.
"""

from __future__ import annotations

from alembic import context

from rayong_desktop.db.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through rayong_desktop.db.migrate, not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    transactional_ddl=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
