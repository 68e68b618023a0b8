from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from rayong_desktop.db import migrate
from rayong_desktop.db.engine import Database
from rayong_desktop.db.models import Base
from rayong_desktop.services.startup import open_database
from tests.helpers import dump, python_output, run_cli_subprocess

# About the SQLite file itself: deselected when the suite runs on PostgreSQL.
pytestmark = pytest.mark.sqlite_only


def _tables(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()


def test_migration_from_empty_creates_the_whole_schema(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    db = Database(path)
    result = migrate.upgrade(db)
    assert result.before == ()
    assert result.after == migrate.app_heads()
    assert set(Base.metadata.tables) <= _tables(path)
    assert not any(t.startswith("_alembic_tmp") for t in _tables(path))
    # A second upgrade finds nothing to do.
    assert not migrate.upgrade(db).changed
    db.dispose()


def test_migrated_schema_matches_the_models(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    db = Database(tmp_path / "cmp.sqlite3")
    migrate.upgrade(db)
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    db.dispose()


def _stamp_future(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()


def test_newer_schema_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    open_database(path).dispose()
    _stamp_future(path)
    before = dump(path)
    with pytest.raises(migrate.SchemaTooNewError) as info:
        open_database(path)
    assert "9999_from_the_future" in info.value.en
    assert "ใหม่กว่าโปรแกรม" in info.value.th
    assert dump(path) == before


def test_newer_schema_refused_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "future-cli.sqlite3"
    open_database(path).dispose()
    _stamp_future(path)
    result = run_cli_subprocess(["--db", str(path), "units"])
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and "newer than this app" in lines[0]
    assert "Traceback" not in result.err


def test_heads_read_from_the_files_match_alembics() -> None:
    # The fast start-up path compares the stored version with these instead of loading Alembic.
    assert set(migrate.file_heads()) == set(migrate.app_heads())


def test_the_models_load_no_postgresql_dialect() -> None:
    """A SQLite start or command pays nothing for the server database's driver code."""

    probe = (
        "import sys\n"
        "import rayong_desktop.db.models\n"
        "print(sorted(m for m in sys.modules if m.startswith('sqlalchemy.dialects.postgresql')))\n"
    )
    output = python_output(probe)
    assert output.strip() == "[]"
