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
