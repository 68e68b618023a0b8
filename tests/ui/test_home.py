"""This week: the countdown and the call list under a scripted clock.

Thursday 21 May 2020 at 10:00: the letter's recipients (plan row 3) owe their figure by 12:00
today, the plan's agencies by Friday 12:00.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from rayong_desktop.db.engine import Database
from rayong_desktop.domain.changes import REPORTS, Changes
from rayong_desktop.services import desk, registry, reports
from rayong_desktop.ui.home_page import HomePage, countdown
from rayong_desktop.ui.window import MainWindow
from rayong_desktop.ui.window.poll import OTHERS
from tests.ui.conftest import ScriptedClock, bkk, focused, press, type_text

pytestmark = pytest.mark.gui

W21 = date(2020, 5, 18)


def open_home(qtbot: QtBot, open_window: Callable[..., MainWindow]) -> tuple[MainWindow, HomePage]:
    window = open_window()
    home = window.show_screen("home")
    assert isinstance(home, HomePage)
    qtbot.waitUntil(lambda: home.data is not None and not home.loading)
    return window, home


def test_the_countdown_follows_the_clock_to_each_deadline_and_past_it(
    qtbot: QtBot, open_window: Callable[..., MainWindow], clock: ScriptedClock
) -> None:
    _window, home = open_home(qtbot, open_window)
    assert (
        "สัปดาห์ที่ 4 ของโครงการ" in home.heading.text() and "18–24 พฤษภาคม 2563" in home.heading.text()
    )
    thursday, friday = home.cards[0], home.cards[1]
    assert "วันพฤหัสบดีที่ 21 พ.ค. 2563 เวลา 12.00 น." in thursday.when.text()
    assert "วันศุกร์ที่ 22 พ.ค. 2563 เวลา 12.00 น." in friday.when.text()
    assert home.countdown_texts() == ["อีก 02:00:00", "อีก 1 วัน 02:00:00"]
    assert "12 หน่วย" in thursday.who.text() and "10 หน่วย" in friday.who.text()

    clock.advance(hours=1, minutes=59, seconds=30)
    home.tick()
    assert home.countdown_texts() == ["อีก 00:00:30", "อีก 1 วัน 00:00:30"]
    assert "#b3261e" in thursday.clock.styleSheet()  # half a minute left: red

    clock.advance(minutes=5, seconds=30)
    home.tick()
    assert home.countdown_texts()[0] == "เลยกำหนดมาแล้ว 5 นาที"

    clock.advance(days=1, hours=3)
    home.tick()
    assert home.countdown_texts() == ["เลยกำหนดมาแล้ว 1 วัน 3 ชม. 5 นาที", "เลยกำหนดมาแล้ว 3 ชม. 5 นาที"]
    # The timer drives the same tick every second while the screen is open.
    assert home.timer.isActive() and home.timer.interval() == 1000


def test_countdown_wording() -> None:
    due = bkk("2020-05-21 12:00")
    assert countdown(due, bkk("2020-05-18 09:30")) == ("อีก 3 วัน 02:30:00", "ok")
    assert countdown(due, bkk("2020-05-20 13:00")) == ("อีก 23:00:00", "soon")
    assert countdown(due, bkk("2020-05-21 10:00")) == ("อีก 02:00:00", "urgent")
    assert countdown(due, bkk("2020-05-21 12:00")) == ("เลยกำหนดมาแล้ว 0 นาที", "late")
    assert countdown(due, bkk("2020-05-21 14:10")) == ("เลยกำหนดมาแล้ว 2 ชม. 10 นาที", "late")
    assert countdown(due, bkk("2020-06-21 14:10")) == ("ครบกำหนดแล้ว", "closed")


def test_the_call_list_names_who_to_call_and_keeps_notes_of_the_calls(
    qtbot: QtBot, db: Database, open_window: Callable[..., MainWindow], clock: ScriptedClock
) -> None:
    registry.edit_unit(
        db, "TN-RY", {"contact": "งานประชาสัมพันธ์", "phone": "038-611-111", "fax": "038-611-112"}
    )
    reports.record_report(
        db, unit_code="LAO-MRY", week=W21, count=120, received_at=bkk("2020-05-20 09:00")
    )
    window, home = open_home(qtbot, open_window)
    codes = [r.entry.code for r in home.call_model.rows]
    assert len(codes) == 21 and "LAO-MRY" not in codes
    # Today's deadline first: the eleven letter recipients still missing, then the agencies.
    assert all(c.startswith(("LAO", "PAO", "TN", "TM")) for c in codes[:11])
    assert codes[11:] == ["R01", "R02", "R04", "R05", "R06", "R07", "R08", "R09", "R10", "R11"]
    row = codes.index("TN-RY")
    cells = [home.call_model.index(row, c).data() for c in range(home.call_model.columnCount())]
    assert cells[:6] == [
        "ทน.ระยอง",  # the kind shortened, as officials write it
        "งานประชาสัมพันธ์",
        "038-611-111",
        "038-611-112",
        "–",
        "พฤ. 12.00 น.",
    ]
    assert home.tile_missing.value.text() == "21" and home.tile_received.value.text() == "1"

    # Select TN-RY and type the note straight from the list: the keys go into the note field.
    home.call_table.setFocus()
    home.call_table.selectRow(row)
    qtbot.waitUntil(lambda: focused() is home.call_table)
    type_text("รับปากส่งก่อน 15.00 น.")
    assert focused() is home.note_edit and home.note_edit.text() == "รับปากส่งก่อน 15.00 น."
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(desk.call_notes(db, W21).get("TN-RY")))
    note = desk.call_notes(db, W21)["TN-RY"][0]
    assert (note.text, note.clerk) == ("รับปากส่งก่อน 15.00 น.", "test-clerk")
    qtbot.waitUntil(lambda: any(r.entry.code == "TN-RY" and r.notes for r in home.call_model.rows))
    row = [r.entry.code for r in home.call_model.rows].index("TN-RY")
    assert home.call_model.index(row, 6).data() == "10.00 น. รับปากส่งก่อน 15.00 น."

    # The unit phones its figure in: it leaves the call list.
    reports.record_report(
        db, unit_code="TN-RY", week=W21, count=250, received_at=bkk("2020-05-21 09:55")
    )
    window.ctx.announce(Changes(frozenset({REPORTS})), OTHERS)  # as the poll would
    qtbot.waitUntil(lambda: "TN-RY" not in [r.entry.code for r in home.call_model.rows])
    assert home.tile_received.value.text() == "2"


def test_the_province_total_is_set_against_the_quota_and_each_plan_row_has_its_bar(
    qtbot: QtBot, db: Database, open_window: Callable[..., MainWindow]
) -> None:
    reports.record_report(
        db, unit_code="R09", week=W21, count=30_000, received_at=bkk("2020-05-20 09:00")
    )
    _window, home = open_home(qtbot, open_window)
    assert "30,000" in home.province_figure.text() and "241,000" in home.province_figure.text()
    assert home.province_bar.format() == "12.4%"
    assert "231,000" in home.province_detail.text() and "10,000" in home.province_detail.text()
    rows = home.row_model.rows
    assert [r.row.number for r in rows] == list(range(1, 12))
    nine = home.row_model.index(8, 1)
    assert nine.data() == "50.0% · 30,000 / 60,000"
    from rayong_desktop.ui.tablemodel import VALUE_ROLE

    assert nine.data(VALUE_ROLE) == 50.0


def test_lists_shorten_the_kind_so_the_place_name_stays_visible() -> None:
    from rayong_desktop.ui.widgets import short_unit_name

    assert short_unit_name("องค์การบริหารส่วนตำบลบ้านแลง") == "อบต.บ้านแลง"
    assert short_unit_name("เทศบาลเมืองมาบตาพุด") == "ทม.มาบตาพุด"
    assert short_unit_name("องค์การบริหารส่วนจังหวัดระยอง") == "อบจ.ระยอง"
    assert short_unit_name("สำนักงานขนส่งจังหวัดระยอง") == "สำนักงานขนส่งจังหวัดระยอง"
