"""The scenario database fixtures, built once per test process and copied for each test.

Imported by tests/documents/conftest.py and by tests/test_cli_documents.py.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from rayong_desktop.db.engine import Database
from rayong_desktop.services.startup import open_database
from tests.documents import scenario


@pytest.fixture(scope="session")
def scenario_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scenario") / "scenario.sqlite3"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RAYONG_HOME", str(path.parent / "home"))
        mp.setenv("RAYONG_CLERK", "test-clerk")
        mp.delenv("RAYONG_DB", raising=False)
        scenario.build(path)
    return path


@pytest.fixture
def scenario_db(
    scenario_file: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Database]:
    """A fresh copy of the scenario at ``db_path`` (so the ``cli`` fixture sees it too), with
    the clock at the scenario's moment."""
    shutil.copyfile(scenario_file, db_path)
    monkeypatch.setenv("RAYONG_NOW", scenario.NOW)
    db = open_database(db_path)
    yield db
    db.dispose()
