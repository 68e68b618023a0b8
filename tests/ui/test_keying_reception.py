"""The keying grid asks when a late-keyed figure came, asks why a figure is corrected, and
says when a week is closed (issue 15: nothing on paper may be wrong without a warning).

Thursday 21 May 2020 (week 2020-W21). The letter recipients (TN-RY...) owe their figure by
Thursday 12:00, the plan's agencies (R01...) by Friday 12:00. The clock is moved to Thursday
15:00, past the letter recipients' deadline, where a test needs it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from rayong_desktop.db.engine import Database
from rayong_desktop.services import closing, reports
from rayong_desktop.services.reports import Reception
from rayong_desktop.ui.keying.page import KeyingPage
from rayong_desktop.ui.keying.rows import COL_COUNT, COL_RECEIVED, COL_STATE, REFUSED, SAVED, KeyRow
from rayong_desktop.ui.window import MainWindow
from tests.ui.conftest import ScriptedClock, bkk, focused, press, type_text
from tests.ui.test_keying import W20, W21, answer_reasons, open_keying, settle, stored

pytestmark = pytest.mark.gui

THURSDAY_NOON = bkk("2020-05-21 12:00")


@pytest.fixture
def afternoon(clock: ScriptedClock, monkeypatch: pytest.MonkeyPatch) -> ScriptedClock:
    """Thursday 15:00 for the desk and the services: faxes of the morning keyed late."""
    monkeypatch.setenv("RAYONG_NOW", "2020-05-21 15:00")
    clock.advance(hours=5)
    return clock


def row_of(page: KeyingPage, code: str) -> KeyRow:
    i = page.model.row_of(code)
    assert i is not None
    return page.model.rows[i]


def go_to(qtbot: QtBot, page: KeyingPage, code: str, column: int = COL_COUNT) -> None:
    i = page.model.row_of(code)
    assert i is not None
    page.view.setCurrentIndex(page.proxy.mapFromSource(page.model.index(i, column)))
    page.view.setFocus()
    qtbot.waitUntil(lambda: focused() is page.view)


def shown(page: KeyingPage, code: str, column: int) -> str:
    i = page.model.row_of(code)
    assert i is not None
    return str(page.model.index(i, column).data())


def test_a_late_keyed_figure_is_refused_until_the_row_says_when_it_came(
    qtbot: QtBot, db: Database, open_window: Callable[..., MainWindow], afternoon: ScriptedClock
) -> None:
    window, page = open_keying(qtbot, open_window)
    assert page.received.choice() is Reception.UNSTATED
    go_to(qtbot, page, "TN-RY")
    type_text("๑๒๐")
    press(qtbot, Qt.Key.Key_Return)
    settle(qtbot, window)
    row = row_of(page, "TN-RY")
    # Not stamped "late by 3 hours" just because it was keyed at 15:00: refused, kept typed.
    assert (row.state, row.draft, stored(db)) == (REFUSED, "๑๒๐", {})
    assert "ระบุเวลารับรายงาน" in shown(page, "TN-RY", COL_STATE)

    # The clerk types the fax header's time in the row's received cell: the figure goes in.
    go_to(qtbot, page, "TN-RY", COL_RECEIVED)
    type_text("11:40")
    assert focused().objectName() == "receivedEditor"
    press(qtbot, Qt.Key.Key_Return)
    settle(qtbot, window)
    row = row_of(page, "TN-RY")
    assert (row.state, row.count, row.received_at) == (SAVED, 120, bkk("2020-05-21 11:40"))
    assert "ตรงเวลา" in shown(page, "TN-RY", COL_STATE)
    assert "11.40" in shown(page, "TN-RY", COL_RECEIVED)
    assert stored(db) == {"TN-RY": (120, 1)}


def test_the_sessions_choice_on_time_is_recorded_as_the_deadline_and_shown_so(
    qtbot: QtBot, db: Database, open_window: Callable[..., MainWindow], afternoon: ScriptedClock
) -> None:
    window, page = open_keying(qtbot, open_window)
    page.received.choose(Reception.ON_TIME)
    go_to(qtbot, page, "TN-RY")
    type_text("90")
    press(qtbot, Qt.Key.Key_Return)
    settle(qtbot, window)
    row = row_of(page, "TN-RY")
    assert (row.state, row.received_at, row.received_on_time) == (SAVED, THURSDAY_NOON, True)
    assert "ทันกำหนด" in shown(page, "TN-RY", COL_STATE)
    assert "ทันกำหนด" in shown(page, "TN-RY", COL_RECEIVED)
    history = reports.unit_history(db, "TN-RY")[1]
    assert history[0].confirmed == (reports.RECEIVED_ON_TIME,)

    # "The moment I type it" is a choice too, said explicitly: then it is late, knowingly.
    page.received.choose(Reception.NOW)
    go_to(qtbot, page, "TM-MTP")
    type_text("45")
    press(qtbot, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert row_of(page, "TM-MTP").received_at == bkk("2020-05-21 15:00")
    assert "ช้า 3 ชม." in shown(page, "TM-MTP", COL_STATE)


def test_before_the_deadline_nothing_is_asked(
    qtbot: QtBot, db: Database, open_window: Callable[..., MainWindow], afternoon: ScriptedClock
) -> None:
    window, page = open_keying(qtbot, open_window)
    go_to(qtbot, page, "R01")  # due Friday
    type_text("70")
    press(qtbot, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert row_of(page, "R01").received_at == bkk("2020-05-21 15:00")
    assert stored(db) == {"R01": (70, 1)}


def test_a_bad_received_time_changes_nothing_and_says_why(
    qtbot: QtBot, db: Database, open_window: Callable[..., MainWindow], afternoon: ScriptedClock
) -> None:
    window, page = open_keying(qtbot, open_window)
    go_to(qtbot, page, "TN-RY", COL_RECEIVED)
    type_text("พรุ่งนี้")
    press(qtbot, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert row_of(page, "TN-RY").reception is None
    qtbot.waitUntil(lambda: "ไม่ถูกรูปแบบ" in page.message_bar.text())
    assert "TN-RY" in page.message_bar.text()
    index = page.proxy.mapToSource(page.view.currentIndex())
    assert (page.model.rows[index.row()].code, index.column()) == ("TN-RY", COL_RECEIVED)
    assert stored(db) == {}


def test_correcting_the_received_time_of_a_stored_figure_asks_why(
    qtbot: QtBot,
    db: Database,
    open_window: Callable[..., MainWindow],
    afternoon: ScriptedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reports.record_report(
        db, unit_code="TN-RY", week=W21, count=80, received_at=bkk("2020-05-21 14:30")
    )
    asked = answer_reasons(monkeypatch, "เวลาตามหัวโทรสาร")
    window, page = open_keying(qtbot, open_window)
    go_to(qtbot, page, "TN-RY", COL_RECEIVED)
    type_text("ทัน")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(asked) == 1)
    settle(qtbot, window)
    assert "TN-RY" in asked[0]
    row = row_of(page, "TN-RY")
    assert (row.count, row.received_at, row.received_on_time) == (80, THURSDAY_NOON, True)
    last = reports.unit_history(db, "TN-RY")[1][-1]
    assert (last.version, last.reason, last.received_at) == (2, "เวลาตามหัวโทรสาร", THURSDAY_NOON)


def test_a_correction_without_a_reason_is_not_stored(
    qtbot: QtBot,
    db: Database,
    open_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reports.record_report(db, unit_code="R01", week=W21, count=300)
    asked = answer_reasons(monkeypatch, "  ")
    window, page = open_keying(qtbot, open_window)
    go_to(qtbot, page, "R01")
    type_text("330")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(asked) == 1)
    settle(qtbot, window)
    row = row_of(page, "R01")
    assert (row.state, row.draft, row.count) == (REFUSED, "330", 300)
    assert "เหตุผล" in shown(page, "R01", COL_STATE)
    assert stored(db) == {"R01": (300, 1)}
    go_to(qtbot, page, "R01")
    press(qtbot, Qt.Key.Key_Escape)  # the clerk drops it
    assert row_of(page, "R01").draft is None


def test_a_closed_week_says_so_and_takes_a_late_first_figure_with_a_reason(
    qtbot: QtBot,
    db: Database,
    open_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reports.record_report(
        db, unit_code="R01", week=W20, count=100, received_at=bkk("2020-05-15 09:00")
    )
    closing.close_week(db, W20)
    asked = answer_reasons(monkeypatch, "โทรสารตกหล่น พบภายหลัง")
    window, page = open_keying(qtbot, open_window)
    assert not page.closed_banner.isVisible()
    window.ctx.set_week(W20)
    qtbot.waitUntil(lambda: page.week == W20 and not page.loading)
    assert page.closed_banner.isVisible() and "ปิดแล้ว" in page.closed_banner.text()
    page.received.choose(Reception.ON_TIME)  # the fax came in time, the clerk missed it
    go_to(qtbot, page, "R02")
    type_text("55")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(asked) == 1)
    settle(qtbot, window)
    assert "ปิดแล้ว" in asked[0]
    assert stored(db, W20)["R02"] == (55, 1)
    assert reports.unit_history(db, "R02")[1][0].reason == "โทรสารตกหล่น พบภายหลัง"
    assert row_of(page, "R02").state == SAVED
