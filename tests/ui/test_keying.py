"""Keying figures in the grid with the keyboard only, as a clerk does on report day.

It is Thursday 21 May 2020, 10:00 (week 2020-W21, Monday 18 May). The seeded registry has 22
units: twelve letter recipients under plan row 3 (quota 300, due Thursday 12:00) and ten plan
agencies R01 .. R11 (due Friday 12:00).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from rayong_desktop.db.engine import Database
from rayong_desktop.db.models import Unit, WeeklyReport
from rayong_desktop.domain.numbers import format_int, to_arabic_digits
from rayong_desktop.services import reports, status
from rayong_desktop.ui.keying.page import KeyingPage
from rayong_desktop.ui.keying.rows import (
    COL_COUNT,
    COL_STATE,
    CONFIRM,
    CONFLICT,
    CORRECTED,
    REFUSED,
    SAVED,
    SAVING,
    UNDONE,
    KeyRow,
)
from rayong_desktop.ui.keying.writer import CORRECTION_REASON, REDO_REASON
from rayong_desktop.ui.window import MainWindow
from tests.ui.conftest import bkk, close_window, focused, press, type_text

pytestmark = pytest.mark.gui

W20 = date(2020, 5, 11)
W21 = date(2020, 5, 18)


def stored(db: Database, week: date = W21) -> dict[str, tuple[int, int]]:
    """unit code -> (count, version) of the week's reports in the database."""
    with db.reading() as s:
        rows = s.execute(
            select(Unit.code, WeeklyReport.count, WeeklyReport.version)
            .join(Unit, Unit.id == WeeklyReport.unit_id)
            .where(WeeklyReport.week == week)
        ).all()
    return {code: (count, version) for code, count, version in rows}


def open_keying(
    qtbot: QtBot, open_window: Callable[..., MainWindow]
) -> tuple[MainWindow, KeyingPage]:
    window = open_window()
    page = window.show_screen("keying")
    assert isinstance(page, KeyingPage)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and page.week == W21)
    page.view.setFocus()
    qtbot.waitUntil(lambda: focused() is page.view)
    return window, page


def settle(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(
        lambda: (
            window.ctx.writes.pending() == 0
            and all(r.state != SAVING for r in window.keying().model.rows)
        )
    )


def current(page: KeyingPage) -> KeyRow:
    found = page._current_row()
    assert found is not None
    return found[1]


def test_twenty_figures_keyed_with_the_keyboard_reach_the_database_and_the_home_screen(
    qtbot: QtBot, db: Database, open_window: Callable[..., MainWindow]
) -> None:
    window, page = open_keying(qtbot, open_window)
    assert page.view.currentIndex().column() == COL_COUNT
    assert current(page).code == "R01"  # the first unit still to report
    # Twenty figures, a few in Thai digits, moving on by Enter, Tab and the Down arrow.
    typed = [
        "120",
        "๒๓๕",
        "1,250",
        "88",
        "๙๐",
        "101",
        "102",
        "๑,๐๓๐",
        "104",
        "105",
        "106",
        "107",
        "๑๐๘",
        "109",
        "110",
        "111",
        "112",
        "113",
        "๑๑๔",
        "115",
    ]
    moves = (Qt.Key.Key_Return, Qt.Key.Key_Tab, Qt.Key.Key_Down, Qt.Key.Key_Enter)
    codes = []
    for i, text in enumerate(typed):
        codes.append(current(page).code)
        type_text(text)
        assert focused().objectName() == "countEditor"  # typing opened the cell
        press(qtbot, moves[i % len(moves)])
    settle(qtbot, window)

    expected = {
        code: int(to_arabic_digits(t).replace(",", ""))
        for code, t in zip(codes, typed, strict=True)
    }
    assert len(set(codes)) == 20
    assert stored(db) == {code: (count, 1) for code, count in expected.items()}
    for row in page.model.rows:
        if row.code in expected:
            assert (row.count, row.state, row.draft) == (expected[row.code], SAVED, None)

    home = window.show_screen("home")
    qtbot.waitUntil(lambda: home.data is not None and not home.loading and not home.stale)
    totals = status.week_summary(db, W21).totals
    assert totals.received == 20
    assert home.tile_received.value.text() == "20"
    assert home.tile_missing.value.text() == str(totals.expected - 20)
    assert format_int(sum(expected.values())) in home.province_figure.text()
    assert len(home.call_model.rows) == totals.expected - 20
    assert not {r.entry.code for r in home.call_model.rows} & set(codes)


def test_a_refused_value_stays_unsaved_with_its_reason_on_the_cell(
    qtbot: QtBot, db: Database, open_window: Callable[..., MainWindow]
) -> None:
    window, page = open_keying(qtbot, open_window)
    type_text("12ก")
    press(qtbot, Qt.Key.Key_Return)
    settle(qtbot, window)
    row = page.model.rows[page.model.row_of("R01")]
    assert row.state == REFUSED and row.draft == "12ก" and row.count is None
    index = page.proxy.mapFromSource(page.model.index(page.model.row_of("R01"), COL_STATE))
    cell = index.data()
    assert "ไม่ใช่ตัวเลข" in cell and cell.startswith("✗")
    assert index.siblingAtColumn(COL_COUNT).data() == "12ก"
    assert "ไม่ใช่ตัวเลข" in index.siblingAtColumn(COL_COUNT).data(Qt.ItemDataRole.ToolTipRole)
    assert stored(db) == {}
    # Back on the row, the message bar says it in full; typing a good figure stores it.
    press(qtbot, Qt.Key.Key_Up)
    assert current(page).code == "R01"
    assert "ไม่ได้บันทึก" in page.message_bar.text() and "ไม่ใช่ตัวเลข" in page.message_bar.text()
    type_text("120")
    press(qtbot, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert stored(db) == {"R01": (120, 1)}
    assert page.model.rows[page.model.row_of("R01")].state == SAVED


def test_a_figure_needing_confirmation_is_stored_with_one_key(
    qtbot: QtBot, db: Database, open_window: Callable[..., MainWindow]
) -> None:
    reports.record_report(
        db, unit_code="R01", week=W20, count=500, received_at=bkk("2020-05-15 09:00")
    )
    window, page = open_keying(qtbot, open_window)
    assert current(page).code == "R01"
    type_text("๔๐๐")  # fewer than last week's 500
    press(qtbot, Qt.Key.Key_Return)
    settle(qtbot, window)
    row = page.model.rows[page.model.row_of("R01")]
    assert row.state == CONFIRM and "น้อยกว่า" in row.message
    assert (
        "ต้องยืนยัน"
        in page.proxy.mapFromSource(page.model.index(page.model.row_of("R01"), COL_STATE)).data()
    )
    assert stored(db) == {}
    press(qtbot, Qt.Key.Key_F9)  # from the next row: confirms the one waiting
    settle(qtbot, window)
    assert stored(db) == {"R01": (400, 1)}
    history = reports.unit_history(db, "R01")[1]
    assert history[0].confirmed == ("below_previous",)


def answer_reasons(monkeypatch: pytest.MonkeyPatch, *answers: str | None) -> list[str]:
    """The clerk's answers to the desk's "why" questions, in order; returns the questions."""
    from rayong_desktop.ui import prompts

    asked: list[str] = []
    given = iter(answers)

    def ask_text(_parent: object, _title: str, text: str, default: str = "") -> str | None:
        asked.append(text)
        return next(given)

    monkeypatch.setattr(prompts, "ask_text", ask_text)
    return asked


def test_undo_and_redo_take_back_and_put_back_the_last_figures(
    qtbot: QtBot,
    db: Database,
    open_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = answer_reasons(monkeypatch, "โทรสารฉบับแก้ไข")
    reports.record_report(
        db, unit_code="R02", week=W21, count=700, received_at=bkk("2020-05-19 09:00")
    )
    window, page = open_keying(qtbot, open_window)
    assert current(page).code == "R01"
    type_text("150")
    press(qtbot, Qt.Key.Key_Return)  # R01: a first figure
    assert current(page).code == "R02"
    type_text("750")
    press(qtbot, Qt.Key.Key_Return)  # R02: a correction of 700, which asks why
    qtbot.waitUntil(lambda: len(asked) == 1)
    assert "R02" in asked[0] and "700" in asked[0] and "750" in asked[0]
    settle(qtbot, window)
    assert stored(db) == {"R01": (150, 1), "R02": (750, 2)}
    assert window.undo_action.isEnabled()

    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert stored(db) == {"R01": (150, 1), "R02": (700, 3)}
    assert page.model.rows[page.model.row_of("R02")].count == 700
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert stored(db) == {"R02": (700, 3)}
    r01 = page.model.rows[page.model.row_of("R01")]
    assert (r01.count, r01.state) == (None, UNDONE)
    assert not window.undo_action.isEnabled() and window.redo_action.isEnabled()

    press(qtbot, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert stored(db) == {"R01": (150, 1), "R02": (700, 3)}
    press(
        qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier
    )
    settle(qtbot, window)
    assert stored(db) == {"R01": (150, 1), "R02": (750, 4)}
    assert page.model.rows[page.model.row_of("R02")].count == 750
    assert not window.redo_action.isEnabled()
    # The trail keeps every step: keyed, corrected, undone, redone.
    reasons = [r.reason for r in reports.unit_history(db, "R02")[1]]
    assert reasons == [None, "โทรสารฉบับแก้ไข", reports.UNDO_REASON, REDO_REASON]


def test_someone_elses_newer_figure_is_shown_and_the_clerk_chooses(
    qtbot: QtBot,
    db: Database,
    open_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = answer_reasons(monkeypatch, "หน่วยแจ้งตัวเลขใหม่")
    reports.record_report(
        db, unit_code="R01", week=W21, count=300, received_at=bkk("2020-05-19 09:00")
    )
    window, page = open_keying(qtbot, open_window)
    # Meanwhile, on the command line, a colleague corrects it.
    reports.record_report(
        db, unit_code="R01", week=W21, count=320, reason="fax re-read", actor="colleague"
    )
    page.view.setCurrentIndex(
        page.proxy.mapFromSource(page.model.index(page.model.row_of("R01"), COL_COUNT))
    )
    type_text("350")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(asked) == 1)  # a correction of 300 (as the clerk saw it)
    settle(qtbot, window)
    row = page.model.rows[page.model.row_of("R01")]
    assert row.state == CONFLICT and row.their_count == 320 and row.draft == "350"
    assert "320" in row.state_text()
    assert stored(db) == {"R01": (320, 2)}
    press(qtbot, Qt.Key.Key_Up)
    press(qtbot, Qt.Key.Key_F9)  # keep the clerk's figure, knowingly
    settle(qtbot, window)
    assert stored(db) == {"R01": (350, 3)}
    assert reports.unit_history(db, "R01")[1][-1].reason == "หน่วยแจ้งตัวเลขใหม่"


def test_closing_the_window_keeps_a_figure_still_in_its_cell(
    qtbot: QtBot, db: Database, open_window: Callable[..., MainWindow]
) -> None:
    window, _page = open_keying(qtbot, open_window)
    type_text("๓๓๓")
    assert focused().objectName() == "countEditor"
    close_window(qtbot, window)
    assert stored(db) == {"R01": (333, 1)}


def test_closing_with_a_figure_waiting_for_confirmation_asks_first(
    qtbot: QtBot,
    db: Database,
    open_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rayong_desktop.ui import prompts

    reports.record_report(
        db, unit_code="R01", week=W20, count=500, received_at=bkk("2020-05-15 09:00")
    )
    window, _page = open_keying(qtbot, open_window)
    type_text("400")
    press(qtbot, Qt.Key.Key_Return)
    settle(qtbot, window)
    asked: list[str] = []
    answers = iter([1, 0])  # first "go back and check", then "confirm and store them all"

    def choose(_parent: object, _title: str, text: str, _choices: object, default: int = 0) -> int:
        asked.append(text)
        return next(answers)

    monkeypatch.setattr(prompts, "ask_choice", choose)
    window.close()  # the figures are stored first: then the question, answered "go back"
    qtbot.waitUntil(lambda: len(asked) == 1)
    assert window.isVisible() and window.current_screen() == "keying"
    assert stored(db) == {} and not window.ctx.closed
    close_window(qtbot, window)
    assert "R01 (400)" in asked[0]
    assert stored(db) == {"R01": (400, 1)}


def test_filters_narrow_the_grid_and_keying_goes_on_in_it(
    qtbot: QtBot, db: Database, open_window: Callable[..., MainWindow]
) -> None:
    reports.record_report(
        db, unit_code="LAO-KLG", week=W21, count=90, received_at=bkk("2020-05-19 09:00")
    )
    window, page = open_keying(qtbot, open_window)
    page.plan_filter.setCurrentIndex(page.plan_filter.findData(3))
    assert page.proxy.rowCount() == 12
    page.missing_filter.setChecked(True)
    assert page.proxy.rowCount() == 11
    page.district_filter.setCurrentIndex(page.district_filter.findData("แกลง"))
    assert page.proxy.rowCount() == 0
    page.district_filter.setCurrentIndex(0)
    page.search.setText("มาบตาพุด")
    assert page.proxy.rowCount() == 1
    page.view.setFocus()
    type_text("210")
    press(qtbot, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert stored(db)["TM-MTP"] == (210, 1)
    assert page.proxy.rowCount() == 1  # keyed rows stay in view until the filter changes


def test_a_figure_typed_again_before_the_first_is_stored_is_a_correction_not_a_conflict(
    qtbot: QtBot, db: Database, open_window: Callable[..., MainWindow]
) -> None:
    window, page = open_keying(qtbot, open_window)
    type_text("100")
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_Up)  # straight back, without waiting for the save
    type_text("120")
    press(qtbot, Qt.Key.Key_Return)
    settle(qtbot, window)
    row = page.model.rows[page.model.row_of("R01")]
    assert (row.count, row.version, row.draft) == (120, 2, None)
    assert row.state == CORRECTED
    assert stored(db) == {"R01": (120, 2)}
    assert [r.reason for r in reports.unit_history(db, "R01")[1]] == [None, CORRECTION_REASON]
