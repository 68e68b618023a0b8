"""Every test runs offscreen, against databases in its own temp folder, never the user's data.

With RAYONG_TEST_DB_URL set (a PostgreSQL server URL whose user may create databases), the
`db` and `cli` fixtures give every test its own fresh PostgreSQL database instead of a SQLite
file, and tests marked `sqlite_only` (they are about the SQLite file itself: pragmas, locks,
backups, crash safety) are deselected. Tests marked `server_only` need that server.
"""

from __future__ import annotations

import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from rayong_desktop.db.engine import Database
from tests import helpers
from tests.helpers import CliResult, run_cli_inprocess

SERVER_URL = os.environ.get("RAYONG_TEST_DB_URL", "").strip()


# Fixtures that hand a test a prepared SQLite file (copied into place): such tests are about
# what is built from the data (documents), and run once, on SQLite.
SQLITE_FILE_FIXTURES = {"scenario_db", "scenario_file"}
# Fixtures that need a QApplication: a test using one (directly or through another fixture)
# is marked `gui`, so `-m "not gui"` runs the suite without Qt.
QT_FIXTURES = {"qtbot", "qapp"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if SQLITE_FILE_FIXTURES & fixtures:
            item.add_marker(pytest.mark.sqlite_only)
        if QT_FIXTURES & fixtures:
            item.add_marker(pytest.mark.gui)
    skip_marker = "sqlite_only" if SERVER_URL else "server_only"
    selected = [item for item in items if skip_marker not in item.keywords]
    deselected = [item for item in items if skip_marker in item.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


@pytest.fixture(scope="session")
def server_template() -> Iterator[str | None]:
    """A migrated, seeded template database; each test's database is a copy of it."""
    if not SERVER_URL:
        yield None
        return
    from rayong_desktop.services.startup import open_database

    name = f"rayong_tpl_{os.getpid()}"
    helpers.drop_server_database(SERVER_URL, name)
    helpers.create_server_database(SERVER_URL, name)
    open_database(helpers.server_url_for(SERVER_URL, name)).dispose()
    yield name
    helpers.drop_server_database(SERVER_URL, name)


@pytest.fixture
def db_target(
    db_path: Path, server_template: str | None, request: pytest.FixtureRequest
) -> Iterator[Path | str]:
    """What the `db` and `cli` fixtures open: the test's SQLite file, or its own server DB."""
    if server_template is None:
        yield db_path
        return
    name = f"rayong_t_{os.getpid()}_{abs(hash(request.node.nodeid)) % 10**9}"
    helpers.drop_server_database(SERVER_URL, name)
    helpers.create_server_database(SERVER_URL, name, template=server_template)
    url = helpers.server_url_for(SERVER_URL, name)
    helpers.ACTIVE_SERVER_URL = url
    yield url
    helpers.ACTIVE_SERVER_URL = None
    helpers.drop_server_database(SERVER_URL, name)


@pytest.fixture(autouse=True)
def _garbage_collected_between_tests() -> Iterator[None]:
    """Once a test has created the desk's application, Python's collector runs only from the
    GUI thread's timer (ui.application.collect_on_gui_thread), that is while an event loop
    runs: after every test too, on this (the GUI) thread, what is due."""
    yield
    if not gc.isenabled():
        from rayong_desktop.ui.application import collect_due

        collect_due()


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAYONG_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("RAYONG_DB", raising=False)
    monkeypatch.delenv("RAYONG_DB_URL", raising=False)  # the command line would open that server
    monkeypatch.delenv("RAYONG_UI_STATE", raising=False)  # the window state goes in RAYONG_HOME
    monkeypatch.delenv("RAYONG_NOW", raising=False)
    monkeypatch.delenv("RAYONG_LANG", raising=False)
    monkeypatch.setenv("RAYONG_CLERK", "test-clerk")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "desk.sqlite3"


@pytest.fixture
def db(db_target: Path | str) -> Iterator[Database]:
    from rayong_desktop.services.startup import open_database

    database = open_database(db_target)
    yield database
    database.dispose()


@pytest.fixture
def cli(db_target: Path | str, capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run the command line in-process against the test database: cli("units", "--json")."""
    where = ["--db", str(db_target)] if isinstance(db_target, Path) else ["--db-url", db_target]

    def run(*args: str) -> CliResult:
        return run_cli_inprocess([*where, *args], capsys)

    return run
