"""A database outage on the desk: a screen whose reload failed says from when its figures are and
tries again until it loads; a figure keyed meanwhile waits in its cell and is stored once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import psycopg
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy.exc import OperationalError

from rayong_desktop.db.engine import Database
from rayong_desktop.services import desk, reports
from rayong_desktop.ui import page as page_module
from rayong_desktop.ui.home_page import HomePage
from rayong_desktop.ui.keying import rows
from rayong_desktop.ui.keying import writer as writer_module
from rayong_desktop.ui.keying.page import KeyingPage
from rayong_desktop.ui.widgets import local_time
from rayong_desktop.ui.window import MainWindow
from tests.ui.conftest import bkk, focused, press, type_text

pytestmark = pytest.mark.gui

WEEK = date(2020, 5, 18)
OUTAGE = "เชื่อมต่อฐานข้อมูลไม่ได้"


def outage() -> OperationalError:
    return OperationalError(
        "SELECT 1", None, psycopg.OperationalError("server closed the connection unexpectedly")
    )


def failing(real: Callable[..., Any], times: int, calls: list[str]) -> Callable[..., Any]:
    """`real`, failing the first `times` calls as during an outage; `calls` counts them."""

    def call(*args: Any, **kwargs: Any) -> Any:
        calls.append("call")
        if len(calls) <= times:
            raise outage()
        return real(*args, **kwargs)

    return call


def messages(window: MainWindow) -> list[str]:
    said: list[str] = []
    window.ctx.message.connect(said.append)
    return said


def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(page_module, "RETRY_DELAYS_MS", (20, 40, 60))
    monkeypatch.setattr(writer_module, "RETRY_DELAYS_MS", (20, 40, 60))


def loaded_home(qtbot: QtBot, window: MainWindow) -> HomePage:
    home = window.show_screen("home")
    assert isinstance(home, HomePage)
    qtbot.waitUntil(lambda: home.data is not None and not home.loading)
    return home


def test_a_failed_reload_says_when_its_figures_are_from_is_retried_and_clears(
    qtbot: QtBot,
    db: Database,
    open_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fast_retries(monkeypatch)
    window = open_window()
    home = loaded_home(qtbot, window)
    assert home.data is not None and not home.outage_note.isVisible()
    received_before = home.data.summary.totals.received
    loaded_at = home.loaded_at
    assert loaded_at is not None
    said = messages(window)

    calls: list[str] = []
    monkeypatch.setattr(desk, "home_figures", failing(desk.home_figures, 3, calls))
    texts: list[str] = []
    reports.record_report(
        db, unit_code="TN-RY", week=WEEK, count=1234, received_at=bkk("2020-05-21 09:30")
    )
    home.reload()
    qtbot.waitUntil(lambda: home.outage)
    texts.append(home.outage_text())
    assert texts[0] == f"ตัวเลข ณ {local_time(loaded_at)} — {OUTAGE} กำลังลองใหม่"
    assert home.outage_note.isVisible()
    assert home.data.summary.totals.received == received_before  # still the old figures

    qtbot.waitUntil(lambda: not home.outage and len(calls) == 4, timeout=5000)
    assert not home.outage_note.isVisible() and home.outage_text() == ""
    assert home.data.summary.totals.received == received_before + 1
    assert OUTAGE in said
    assert not [m for m in said if "sqlalche" in m or "server closed" in m]


def test_the_windows_poll_reloads_a_screen_left_stale_by_an_outage_at_once(
    qtbot: QtBot,
    db: Database,
    open_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window()  # the real delays: the first retry would come only in 5 s
    home = loaded_home(qtbot, window)
    calls: list[str] = []
    monkeypatch.setattr(desk, "home_figures", failing(desk.home_figures, 1, calls))
    home.reload()
    qtbot.waitUntil(lambda: home.outage)
    assert home._retry.isActive() and home._retry.interval() == 5_000

    window.check_for_others()  # the database answers the poll: the server is back
    qtbot.waitUntil(lambda: not home.outage and len(calls) == 2)
    assert not home.outage_note.isVisible()


def keyed_during_outage(
    qtbot: QtBot, window: MainWindow, typed: str
) -> tuple[KeyingPage, str, list[str]]:
    keying = window.show_screen("keying")
    assert isinstance(keying, KeyingPage)
    qtbot.waitUntil(lambda: not keying.loading and not keying.stale)
    said = messages(window)
    keying.view.setFocus()
    qtbot.waitUntil(lambda: focused() is keying.view)
    code = keying._current_code()
    assert code is not None
    type_text(typed)
    press(qtbot, Qt.Key.Key_Return)
    return keying, code, said


def row_of(keying: KeyingPage, code: str) -> rows.KeyRow:
    i = keying.model.row_of(code)
    assert i is not None
    return keying.model.rows[i]


def stored(db: Database, code: str) -> tuple[int | None, int | None]:
    (g,) = desk.grid_rows(db, WEEK, codes=[code])
    return g.count, g.version


def test_a_figure_keyed_during_an_outage_waits_marked_and_is_stored_once_when_back(
    qtbot: QtBot,
    db: Database,
    open_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window()
    calls: list[str] = []
    monkeypatch.setattr(reports, "record_report", failing(reports.record_report, 2, calls))
    keying, code, said = keyed_during_outage(qtbot, window, "120")

    qtbot.waitUntil(lambda: code in {c for c, _w in keying.writer.queued})
    row = row_of(keying, code)
    assert (row.draft, row.state) == ("120", rows.FAILED)
    assert row.message.startswith(OUTAGE) and OUTAGE in row.state_text()
    assert keying.unsettled() == [row]  # closing the window would warn: it is not stored
    assert OUTAGE in said and not [m for m in said if "sqlalche" in m or "server" in m]
    assert stored(db, code) == (None, None)

    window.check_for_others()  # the poll answers: sent again, and the outage goes on
    qtbot.waitUntil(lambda: len(calls) == 2 and bool(keying.writer.queued))
    assert row_of(keying, code).state == rows.FAILED

    window.check_for_others()
    qtbot.waitUntil(lambda: not keying.writer.queued and window.ctx.writes.pending() == 0)
    row = row_of(keying, code)
    assert (row.draft, row.count, row.state) == (None, 120, rows.SAVED)
    assert stored(db, code) == (120, 1)  # one version: stored once
    assert len(calls) == 3


def test_the_retry_timer_stores_a_waiting_figure_without_the_poll(
    qtbot: QtBot,
    db: Database,
    open_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fast_retries(monkeypatch)
    window = open_window()
    calls: list[str] = []
    monkeypatch.setattr(reports, "record_report", failing(reports.record_report, 3, calls))
    keying, code, _said = keyed_during_outage(qtbot, window, "75")
    qtbot.waitUntil(lambda: row_of(keying, code).state == rows.SAVED, timeout=5000)
    assert len(calls) == 4 and stored(db, code) == (75, 1)


def test_a_retry_of_a_figure_whose_answer_the_outage_lost_comes_back_unchanged(
    qtbot: QtBot,
    db: Database,
    open_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window()
    real = reports.record_report
    calls: list[str] = []

    def stored_then_lost(*args: Any, **kwargs: Any) -> Any:
        calls.append("call")
        result = real(*args, **kwargs)
        if len(calls) == 1:
            raise outage()  # committed, but the answer never came back
        return result

    monkeypatch.setattr(reports, "record_report", stored_then_lost)
    keying, code, _said = keyed_during_outage(qtbot, window, "88")
    qtbot.waitUntil(lambda: bool(keying.writer.queued))
    assert stored(db, code) == (88, 1)

    window.check_for_others()
    qtbot.waitUntil(lambda: not keying.writer.queued and window.ctx.writes.pending() == 0)
    row = row_of(keying, code)
    assert (row.draft, row.count, row.version, row.state) == (None, 88, 1, rows.UNCHANGED)
    assert stored(db, code) == (88, 1)  # not stored a second time
    assert not keying.writer.history.can_undo()  # nothing new to take back
