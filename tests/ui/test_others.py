"""The desk refreshes what others changed (another clerk on a server database, the CLI)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from rayong_desktop.db.engine import Database
from rayong_desktop.services import reports
from rayong_desktop.ui.home_page import HomePage
from rayong_desktop.ui.window import MainWindow
from tests.ui.conftest import bkk

pytestmark = pytest.mark.gui


def test_a_figure_stored_elsewhere_appears_without_touching_the_desk(
    qtbot: QtBot, db: Database, db_target: object, open_window: Callable[..., MainWindow]
) -> None:
    from rayong_desktop.services.startup import open_database

    window = open_window()
    home = window.show_screen("home")
    assert isinstance(home, HomePage)
    qtbot.waitUntil(lambda: home.data is not None and not home.loading)
    received_before = home.data.summary.totals.received
    assert "TN-RY" in {c.code for c in home.data.summary.call_list}  # owes its figure
    window.check_for_others()  # the first look only notes where the data stands
    qtbot.waitUntil(lambda: window._last_marker is not None)

    other_clerk = open_database(db_target)  # type: ignore[arg-type]
    try:
        reports.record_report(
            other_clerk,
            unit_code="TN-RY",
            week=date(2020, 5, 18),
            count=1234,
            received_at=bkk("2020-05-21 09:30"),
            actor="other",
        )
    finally:
        other_clerk.dispose()

    window.check_for_others()
    qtbot.waitUntil(
        lambda: home.data is not None and home.data.summary.totals.received == received_before + 1,
        timeout=5000,
    )
    assert "TN-RY" not in {c.code for c in home.data.summary.call_list}


def test_the_poll_skips_the_desks_own_writes_and_refreshes_only_what_others_changed(
    qtbot: QtBot, db: Database, db_target: object, open_window: Callable[..., MainWindow]
) -> None:
    """Fetches are counted: after the desk's own write the poll makes no screen load again; a
    settings change made elsewhere reloads the screen on show only if it shows settings."""
    from rayong_desktop.services.settings import update_setting
    from rayong_desktop.services.startup import open_database

    window = open_window()
    home = window.show_screen("home")
    assert isinstance(home, HomePage)
    qtbot.waitUntil(lambda: home.data is not None and not home.loading)
    window.check_for_others()
    qtbot.waitUntil(lambda: window._last_marker is not None)
    fetches: list[str] = []
    real_fetch = home.fetch
    home.fetch = lambda: (fetches.append("home"), real_fetch())[1]  # type: ignore[method-assign]

    # The desk's own write, through its writes queue: its markers are remembered as its own.
    done: list[object] = []
    window.ctx.writes.submit(
        lambda: reports.record_report(
            window.ctx.db,
            unit_code="TN-RY",
            week=date(2020, 5, 18),
            count=1234,
            received_at=bkk("2020-05-21 09:30"),
        ),
        done.append,
    )
    qtbot.waitUntil(lambda: bool(done))
    assert window.ctx.own_markers
    marker_before = window._last_marker
    window.check_for_others()
    qtbot.waitUntil(lambda: window._last_marker != marker_before)
    qtbot.wait(300)  # longer than a screen's debounce
    assert fetches == []

    other_clerk = open_database(db_target)  # type: ignore[arg-type]
    try:
        update_setting(other_clerk, "rise_floor", "450", actor="other")
    finally:
        other_clerk.dispose()
    marker_before = window._last_marker
    window.check_for_others()
    qtbot.waitUntil(lambda: window._last_marker != marker_before)
    qtbot.waitUntil(lambda: fetches == ["home"], timeout=5000)  # home shows settings
    assert window.ctx.own_markers == set()  # the poll has passed them
