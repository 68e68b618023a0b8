"""Behind the kept figures the database is opened and read off the GUI thread: attaching it
runs no SQL on the GUI thread (a server database on a slow network would freeze the window)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import event
from sqlalchemy.engine import Engine

from rayong_desktop.db.engine import Database
from rayong_desktop.services import home_snapshot, reports
from rayong_desktop.services.startup import open_database
from rayong_desktop.ui.window import MainWindow
from tests.ui.conftest import ScriptedClock, bkk, close_window

pytestmark = [pytest.mark.sqlite_only, pytest.mark.gui]

W21 = date(2020, 5, 18)


@pytest.fixture
def gui_thread_sql() -> Iterator[list[str]]:
    """The statements run on the GUI (main) thread while the fixture is in use."""
    seen: list[str] = []
    main = threading.main_thread()

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if threading.current_thread() is main:
            seen.append(" ".join(statement.split())[:80])

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def test_attaching_the_database_behind_kept_figures_reads_nothing_on_the_gui_thread(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    db: Database,
    db_path: Path,
    clock: ScriptedClock,
    gui_thread_sql: list[str],
) -> None:
    reports.record_report(
        db, unit_code="R01", week=W21, count=900, received_at=bkk("2020-05-21 09:00")
    )
    first = open_window()
    home = first.show_screen("home")
    qtbot.waitUntil(lambda: home is not None and home.data is not None and not home.loading)
    close_window(qtbot, first)
    opening = home_snapshot.load(db_path, clock())
    assert opening is not None

    window = open_window(database=None, opening=opening, target=str(db_path))
    gui_thread_sql.clear()
    window.open_in_background(
        lambda: open_database(db_path), lambda exc: pytest.fail(f"refused: {exc}")
    )
    qtbot.waitUntil(lambda: window.ctx.ready, timeout=10_000)
    page = window.pages["home"]
    qtbot.waitUntil(lambda: not page.loading and not page.stale, timeout=10_000)
    assert gui_thread_sql == [], "\n".join(gui_thread_sql)
