"""Keeping id sequences right when rows arrive with their ids (archive import, data moves)."""

from __future__ import annotations

from sqlalchemy import Connection, text

from rayong_desktop.db.models import Base


def reset_sequences(conn: Connection) -> None:
    """After rows arrive with their own ids, PostgreSQL's id sequences must move past them."""
    if conn.dialect.name != "postgresql":
        return  # SQLite takes max(rowid) + 1 by itself
    for table in Base.metadata.sorted_tables:
        if "id" not in table.columns:
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 1), "
                f"(SELECT MAX(id) FROM {table.name}) IS NOT NULL)"
            )
        )
