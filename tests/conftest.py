"""Every test runs offscreen, against databases in its own temp folder, never the user's data."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from rayong_desktop.db.engine import Database
from tests.helpers import CliResult, run_cli_inprocess


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAYONG_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("RAYONG_DB", raising=False)
    monkeypatch.delenv("RAYONG_NOW", raising=False)
    monkeypatch.delenv("RAYONG_LANG", raising=False)
    monkeypatch.setenv("RAYONG_CLERK", "test-clerk")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "desk.sqlite3"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    from rayong_desktop.services.startup import open_database

    database = open_database(db_path)
    yield database
    database.dispose()


@pytest.fixture
def cli(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run the command line in-process against the test database: cli("units", "--json")."""

    def run(*args: str) -> CliResult:
        return run_cli_inprocess(["--db", str(db_path), *args], capsys)

    return run
