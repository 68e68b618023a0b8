"""The database as the screens see it: its type, whether a target names a server, and whether a
failure was the connection to it (an outage: try again later) rather than a refusal.

The screens (rayong_desktop.ui) never import rayong_desktop.db (an import-linter contract in
pyproject.toml); what they need of it comes from here.
"""

from __future__ import annotations

import sqlite3

import psycopg
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from rayong_desktop.db.engine import Database
from rayong_desktop.db.peek import is_server_url

__all__ = ["Database", "is_connection_error", "is_server_url"]

# What SQLite says when the file itself cannot be reached (a network share gone, a USB disk
# pulled); its other OperationalErrors (a locked database, a missing table) are not outages.
_SQLITE_UNREACHABLE = ("unable to open database file", "disk i/o error")


def is_connection_error(exc: BaseException) -> bool:
    """True when `exc` says the database could not be reached (the server is down or dropped the
    connection): nothing was decided, and the same request can be made again once it is back.
    False for everything else, refusals and conflicts included."""
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        if not isinstance(exc, (OperationalError, InterfaceError)):
            return False
        orig = exc.orig
        if isinstance(orig, sqlite3.Error):
            return any(text in str(orig).lower() for text in _SQLITE_UNREACHABLE)
        return True  # a server driver's OperationalError / InterfaceError: the connection
    # psycopg's own errors, raised outside SQLAlchemy
    return isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError))
