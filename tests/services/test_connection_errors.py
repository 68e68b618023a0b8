"""Which failures are an outage (the database could not be reached: try again later) and which
are answers (a refusal, a conflict, a broken schema) that trying again would not change."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError

from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.domain.reporting import ConflictError
from rayong_desktop.services.database import Database, is_connection_error


def wrapped(cls: type[OperationalError | InterfaceError], orig: Exception) -> Exception:
    return cls("SELECT 1", None, orig)


@pytest.mark.parametrize(
    "exc",
    [
        wrapped(OperationalError, psycopg.OperationalError("server closed the connection")),
        wrapped(OperationalError, psycopg.OperationalError("connection refused")),
        wrapped(InterfaceError, psycopg.InterfaceError("the connection is closed")),
        wrapped(OperationalError, sqlite3.OperationalError("unable to open database file")),
        wrapped(OperationalError, sqlite3.OperationalError("disk I/O error")),
        psycopg.OperationalError("connection failed"),
        psycopg.InterfaceError("the connection is lost"),
    ],
    ids=repr,
)
def test_an_unreachable_database_is_a_connection_error(exc: Exception) -> None:
    assert is_connection_error(exc)


@pytest.mark.parametrize(
    "exc",
    [
        RefusedError("ไม่ได้", "refused"),
        ConflictError("มีผู้อื่น", "conflict", current_count=3, current_version=2),
        wrapped(OperationalError, sqlite3.OperationalError("no such table: units")),
        wrapped(OperationalError, sqlite3.OperationalError("database is locked")),
        IntegrityError("INSERT", None, sqlite3.IntegrityError("UNIQUE constraint failed")),
        ValueError("bad"),
    ],
    ids=repr,
)
def test_refusals_and_other_failures_are_not_connection_errors(exc: Exception) -> None:
    assert not is_connection_error(exc)


def test_a_real_sqlite_failure_on_a_missing_table_is_not_an_outage(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with engine.connect() as conn, pytest.raises(OperationalError) as caught:
        conn.execute(text("SELECT * FROM nowhere"))
    engine.dispose()
    assert not is_connection_error(caught.value)


SERVER_URL = os.environ.get("RAYONG_TEST_DB_URL")


@pytest.mark.skipif(not SERVER_URL, reason="needs RAYONG_TEST_DB_URL (a PostgreSQL server)")
def test_a_server_connection_killed_from_elsewhere_is_a_connection_error() -> None:
    assert SERVER_URL is not None
    db = Database(SERVER_URL)
    admin = Database(SERVER_URL)
    try:
        with db.engine.connect() as conn:
            pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
            with admin.engine.connect() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            with pytest.raises(OperationalError) as caught:
                conn.execute(text("SELECT 1"))
        assert is_connection_error(caught.value)
    finally:
        db.dispose()
        admin.dispose()
