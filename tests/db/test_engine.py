from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from rayong_desktop.db.engine import EXPECTED_PRAGMAS, Database

# About the SQLite file itself: deselected when the suite runs on PostgreSQL.
pytestmark = pytest.mark.sqlite_only


def test_every_pooled_connection_has_the_safe_pragmas(tmp_path: Path) -> None:
    db = Database(tmp_path / "p.sqlite3")
    # Hold several connections at once so the pool has to open distinct ones.
    conns = [db.read_engine.connect() for _ in range(4)]
    try:
        seen = set()
        for conn in conns:
            raw = conn.connection.dbapi_connection
            seen.add(id(raw))
            got = {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar() for name in EXPECTED_PRAGMAS
            }
            assert got == EXPECTED_PRAGMAS
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert len(seen) == 4
    finally:
        for conn in conns:
            conn.close()
        db.dispose()


def test_ddl_is_transactional(tmp_path: Path) -> None:
    """A failed schema change leaves no table behind (sqlite3's legacy mode would keep it)."""
    db = Database(tmp_path / "t.sqlite3")
    with pytest.raises(RuntimeError), db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE half_done (x INTEGER)"))
        raise RuntimeError("migration step failed")
    with db.engine.connect() as conn:
        names = conn.exec_driver_sql("SELECT name FROM sqlite_master").scalars().all()
    assert "half_done" not in names
    db.dispose()


def test_readers_do_not_take_the_write_lock(tmp_path: Path) -> None:
    db = Database(tmp_path / "r.sqlite3")
    with db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    with db.reading() as session:
        session.execute(text("SELECT count(*) FROM t")).scalar()
        # A writer on another connection is not blocked by the open read transaction.
        with db.engine.begin() as writer:
            writer.execute(text("INSERT INTO t VALUES (1)"))
    with db.reading() as session:
        assert session.execute(text("SELECT count(*) FROM t")).scalar() == 1
    db.dispose()
