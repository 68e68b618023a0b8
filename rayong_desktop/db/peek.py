"""A look at a desk database file without the database layer: which state is it in?

Every change the desk, the command line or an import makes is audited, so the newest audit row
(its id and a hash of everything in it) with the schema revision names the state of the data.
Restoring an older backup and keying again may reuse an id, but not with the same moment to the
microsecond (and `services.maintenance.restore` forgets what was kept for the file anyway).

Only the standard library's sqlite3 is used (it loads in milliseconds), so the desk can tell
whether the figures it kept from its last session still hold before SQLAlchemy has loaded.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

MARKER_SQL = (
    "SELECT (SELECT version_num FROM alembic_version),"
    " id, at, actor, action, entity, entity_key, field, old, new, reason"
    " FROM audit_log ORDER BY id DESC LIMIT 1"
)
EMPTY_SQL = "SELECT version_num FROM alembic_version"


def read_only_uri(path: Path) -> str:
    """SQLite's read-only URI for `path`, its characters escaped: a folder named "C#" or
    "50% done" must not open (or create) another file."""
    return path.resolve().as_uri() + "?mode=ro"


def is_server_url(target: object) -> bool:
    """A server database's URL (PostgreSQL), not a SQLite file's path."""
    return isinstance(target, str) and target.startswith(("postgresql:", "postgresql+"))


def data_marker(path: Path) -> str | None:
    """A text that changes whenever the file's data or schema changes; None when the file
    cannot be read this way (missing, not a desk database, locked by a half-done restore)."""
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=1.0)
    except (OSError, ValueError, sqlite3.Error):
        return None
    try:
        row = conn.execute(MARKER_SQL).fetchone()
        if row is None:  # a new database with nothing audited yet
            empty = conn.execute(EMPTY_SQL).fetchone()
            return None if empty is None else f"{empty[0]}|empty"
        schema, row_id, *rest = row
        # The whole newest row, hashed: the same id keyed again after a restore differs in
        # its moment, or (with a pinned training clock) in what it says.
        digest = hashlib.sha256(repr(rest).encode("utf-8")).hexdigest()[:32]
        return f"{schema}|{row_id}|{digest}"
    except sqlite3.Error:
        return None
    finally:
        conn.close()
