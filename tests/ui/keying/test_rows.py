"""What a keyed row shows and how each answer from the services changes it: plain data, no Qt.

The unit owes its report by Thursday 21 May 2020, 12:00 (Bangkok).
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime

import pytest

from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.errors import Concern, NeedsConfirmation, RefusedError
from rayong_desktop.services import desk, reports
from rayong_desktop.ui.keying import rows
from rayong_desktop.ui.keying.history import UndoEntry, UndoHistory, WriteBook
from rayong_desktop.ui.keying.rows import KeyRow

WEEK = date(2020, 5, 18)
DUE = datetime(2020, 5, 21, 12, 0, tzinfo=BANGKOK)


def grid_row(
    *, count: int | None = None, version: int | None = None, expected: bool = True
) -> desk.GridRow:
    return desk.GridRow(
        code="R01",
        name="สำนักงานสาธารณสุขจังหวัดระยอง",
        plan_row=3,
        kind="agency",
        district="เมืองระยอง",
        quota=300,
        active=True,
        contact="ผู้ประสานงาน",
        phone="038-000000",
        fax=None,
        expected=expected,
        due_at=DUE,
        count=count,
        version=version,
        received_at=None if count is None else DUE,
        channel="phone",
        reporter=None,
        reporter_phone=None,
        previous_count=100,
        previous_week=date(2020, 5, 11),
    )


def result(
    count: int, version: int, outcome: str = "stored", minutes_late: int = 0
) -> reports.ReportResult:
    received = DUE.replace(minute=minutes_late) if minutes_late < 60 else DUE
    return reports.ReportResult(
        unit="R01",
        week=WEEK,
        count=count,
        version=version,
        outcome=outcome,
        confirmed=(),
        due_at=DUE,
        received_at=received,
        late_by_minutes=minutes_late,
    )


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (1, "1 นาที"),
        (59, "59 นาที"),
        (60, "1 ชม."),
        (135, "2 ชม. 15 นาที"),
        (24 * 60, "1 วัน"),
        (26 * 60 + 5, "1 วัน 2 ชม."),
    ],
)
def test_late_text_says_minutes_hours_then_days(minutes: int, text: str) -> None:
    assert rows.late_text(minutes) == text


def test_the_reason_is_shown_without_the_unit_and_week_the_row_already_says() -> None:
    told = "R01 สัปดาห์ 2020-W21 (18 พ.ค. 2563): ตัวเลขต้องไม่ติดลบ"
    assert rows.without_where(told) == "ตัวเลขต้องไม่ติดลบ"
    assert rows.without_where("ตัวเลขต้องไม่ติดลบ (ตรวจ): อีกครั้ง") == ("ตัวเลขต้องไม่ติดลบ (ตรวจ): อีกครั้ง")


def test_a_row_without_a_figure_says_whether_the_unit_owes_one() -> None:
    assert KeyRow.from_grid(grid_row()).state_text() == "ยังไม่ส่ง"
    assert KeyRow.from_grid(grid_row(expected=False)).state_text() == "ไม่ต้องส่งสัปดาห์นี้"
    assert KeyRow.from_grid(grid_row(count=120, version=1)).state_text() == "ส่งแล้ว · ตรงเวลา"


def test_an_empty_cell_discards_a_draft_and_the_same_figure_stores_nothing() -> None:
    row = KeyRow.from_grid(grid_row(count=1250, version=1))
    assert rows.entry_action(row, "  ") == rows.NOTHING
    row.draft = "12"
    assert rows.entry_action(row, "") == rows.DISCARD
    assert rows.entry_action(row, "1,250") == rows.SAME
    assert rows.entry_action(row, "๑๒๕๐") == rows.SAME  # Thai digits are the same figure
    assert rows.entry_action(row, "1251") == rows.SUBMIT
    assert rows.entry_action(row, "12ก") == rows.SUBMIT  # the services say what is wrong
    row.state = rows.CONFIRM  # a figure waiting for confirmation is typed again: store it
    assert rows.entry_action(row, "1250") == rows.SUBMIT


def test_a_stored_answer_settles_the_row_late_or_corrected() -> None:
    row = KeyRow.from_grid(grid_row())
    rows.start_saving(row, "120")
    assert (row.state, row.draft, row.state_text()) == (rows.SAVING, "120", "กำลังบันทึก…")
    rows.mark_stored(row, "120", result(120, 1, minutes_late=30))
    assert (row.count, row.version, row.draft, row.state) == (120, 1, None, rows.SAVED)
    assert row.state_text() == "✓ บันทึกแล้ว · ช้า 30 นาที"
    rows.start_saving(row, "130")
    rows.mark_stored(row, "130", result(130, 2, outcome="corrected"))
    assert row.state_text() == "✓ แก้ไขแล้ว (ฉบับที่ 2) · ตรงเวลา"
    rows.start_saving(row, "130")
    rows.mark_stored(row, "130", result(130, 2, outcome="unchanged"))
    assert row.state_text() == "✓ ตัวเลขเดิม · ตรงเวลา"


def test_an_answer_for_a_figure_typed_over_meanwhile_leaves_the_later_draft() -> None:
    row = KeyRow.from_grid(grid_row())
    rows.start_saving(row, "120")
    rows.start_saving(row, "125")
    rows.mark_stored(row, "120", result(120, 1))
    assert (row.count, row.version, row.draft, row.state) == (120, 1, "125", rows.SAVING)
    assert not rows.mark_not_stored(row, "120", RefusedError("ไม่รับ", "refused"))
    assert row.state == rows.SAVING


def test_refusal_confirmation_conflict_and_failure_each_say_what_to_do() -> None:
    row = KeyRow.from_grid(grid_row(count=100, version=1))
    rows.start_saving(row, "12ก")
    assert rows.mark_not_stored(row, "12ก", RefusedError("R01 สัปดาห์ 21 (18 พ.ค.): ไม่ใช่ตัวเลข", "x"))
    assert (row.state, row.state_text()) == (rows.REFUSED, "✗ ไม่ใช่ตัวเลข")
    assert rows.row_message(row, "hint") == (
        "R01 สำนักงานสาธารณสุขจังหวัดระยอง: ไม่ได้บันทึก — ไม่ใช่ตัวเลข",
        "error",
    )

    rows.start_saving(row, "9000")
    asked = NeedsConfirmation(
        [Concern("jump", "เพิ่มขึ้นมาก", "jump"), Concern("quota", "เกินเป้า", "over quota")]
    )
    assert rows.mark_not_stored(row, "9000", asked)
    assert row.state == rows.CONFIRM and rows.awaiting_confirmation(row)
    assert row.state_text().startswith("⚠ ต้องยืนยัน (F9): เพิ่มขึ้นมาก · เกินเป้า · กด F9")
    assert rows.row_message(row, "hint")[1] == "warn"

    rows.start_saving(row, "150")
    theirs = reports.ConflictError("มีผู้อื่นแก้", "conflict", current_count=1400, current_version=2)
    assert rows.mark_not_stored(row, "150", theirs)
    assert (row.state, row.count, row.version, row.their_count) == (rows.CONFLICT, 1400, 2, 1400)
    assert "1,400" in row.state_text() and rows.awaiting_confirmation(row)
    text, kind = rows.row_message(row, "hint")
    assert kind == "conflict" and "(150)" in text and "(1,400)" in text

    rows.start_saving(row, "160")
    assert rows.mark_not_stored(row, "160", OSError("disk full"))
    assert (row.state, row.state_text()) == (rows.FAILED, "✗ บันทึกไม่สำเร็จ: disk full")
    assert not rows.awaiting_confirmation(row)


def test_discarding_after_a_conflict_keeps_the_other_clerks_figure() -> None:
    row = KeyRow.from_grid(grid_row(count=100, version=1))
    rows.start_saving(row, "150")
    rows.mark_not_stored(
        row, "150", reports.ConflictError("x", "x", current_count=140, current_version=2)
    )
    rows.discard(row)
    assert (row.draft, row.state, row.count, row.message) == (
        None,
        "",
        140,
        "ใช้ตัวเลขที่ผู้อื่นบันทึกไว้",
    )
    rows.start_saving(row, "12ก")
    rows.mark_not_stored(row, "12ก", RefusedError("ไม่รับ", "x"))
    rows.discard(row)
    assert (row.draft, row.state, row.message) == (None, "", "")


def test_a_refusal_is_said_in_the_language_the_screens_pass() -> None:
    row = KeyRow.from_grid(grid_row())
    rows.start_saving(row, "12ก")
    assert rows.mark_not_stored(row, "12ก", RefusedError("ไม่ใช่ตัวเลข", "not a number"))
    assert row.message == "ไม่ใช่ตัวเลข"  # as written: Thai
    rows.start_saving(row, "12ข")
    english = rows.mark_not_stored(
        row,
        "12ข",
        RefusedError("ไม่ใช่ตัวเลข", "not a number"),
        speak=lambda e: str(e.en),  # type: ignore[attr-defined]
    )
    assert english and row.message == "not a number"


def test_details_change_only_when_different_and_correct_only_a_stored_figure() -> None:
    row = KeyRow.from_grid(grid_row())
    assert not rows.set_detail(row, rows.COL_CHANNEL, "phone")
    assert not rows.set_detail(row, rows.COL_CHANNEL, " ")
    assert rows.set_detail(row, rows.COL_CHANNEL, "fax") and row.channel == "fax"
    assert rows.set_detail(row, rows.COL_REPORTER, "  นายก  ") and row.reporter == "นายก"
    assert not rows.set_detail(row, rows.COL_REPORTER, "นายก")
    assert rows.set_detail(row, rows.COL_REPORTER, "") and row.reporter is None
    assert rows.set_detail(row, rows.COL_PHONE, "081") and row.reporter_phone == "081"
    assert not rows.details_correct_stored(row)  # used with the figure still to come
    stored = KeyRow.from_grid(grid_row(count=100, version=1))
    assert rows.details_correct_stored(stored)
    stored.draft = "120"
    assert not rows.details_correct_stored(stored)


def test_undone_and_redone_rows_say_what_happened() -> None:
    row = KeyRow.from_grid(grid_row(count=1250, version=2))
    rows.mark_undone(row, 1250, result(1000, 3))
    assert (row.count, row.version, row.state) == (1000, 3, rows.UNDONE)
    assert row.state_text() == "↶ เลิกทำ: กลับไปใช้ 1,000 แทน 1,250"
    rows.mark_undone(row, 1000, None)
    assert (row.count, row.version, row.received_at) == (None, None, None)
    assert row.state_text() == "↶ เลิกทำ: ลบตัวเลข 1,000 ที่บันทึกไว้"
    rows.mark_redone(row, result(1000, 4))
    assert (row.count, row.state, row.message) == (1000, rows.SAVED, "")
    rows.mark_redone(row, result(1250, 5, outcome="corrected"))
    assert row.state == rows.CORRECTED


def test_totals_count_expected_units_done_and_figures_not_stored() -> None:
    done = KeyRow.from_grid(grid_row(count=5, version=1))
    owed = KeyRow.from_grid(grid_row())
    spare = KeyRow.from_grid(grid_row(expected=False))
    refused = KeyRow.from_grid(grid_row())
    rows.start_saving(refused, "x")
    rows.mark_not_stored(refused, "x", RefusedError("ไม่รับ", "x"))
    listed = [done, owed, spare, refused]
    assert rows.totals(listed) == rows.Totals(rows=4, expected=3, done=1, waiting=1)
    assert rows.unsettled(listed) == [refused]


def test_a_draft_outlives_a_reload() -> None:
    kept = KeyRow.from_grid(grid_row())
    rows.start_saving(kept, "77")
    rows.mark_not_stored(kept, "77", RefusedError("ไม่รับ", "x"))
    fresh = KeyRow.from_grid(grid_row(count=70, version=1))
    rows.carry_over(fresh, kept)
    assert (fresh.count, fresh.draft, fresh.state, fresh.message) == (
        70,
        "77",
        rows.REFUSED,
        "ไม่รับ",
    )


def test_undo_history_redo_is_cleared_by_a_new_figure_only() -> None:
    history = UndoHistory()
    assert not history.can_undo() and history.take_undo() is None and history.take_redo() is None
    history.stored(UndoEntry("R01", WEEK, 120, 1, None))
    history.stored(UndoEntry("R02", WEEK, 80, 1, None))
    last = history.take_undo()
    assert last is not None and last.code == "R02"
    history.undone(last, None)
    assert history.can_redo() and last.undone_version is None
    again = history.take_redo()
    assert again is last
    history.redone(again, 80, 2)
    assert [(e.code, e.version) for e in history.undo_stack] == [("R01", 1), ("R02", 2)]
    first = history.take_undo()
    assert first is not None
    history.undone(first, 1)
    history.stored(UndoEntry("R03", WEEK, 5, 1, None))
    assert not history.can_redo()  # a new figure: what was undone cannot be redone


def test_write_book_prefers_the_version_this_desk_stored_while_writes_are_pending() -> None:
    book = WriteBook()
    key = ("R01", WEEK)
    book.start(key)
    book.start(key)  # typed again before the first answer
    assert book.expected_version(key, 0) == 0
    book.wrote(key, 1)
    assert book.expected_version(key, 0) == 1  # the row still shows none: not a conflict
    book.settle(key)
    assert book.expected_version(key, 0) == 1
    book.settle(key)
    assert book.in_flight == {} and book.expected_version(key, 0) == 0


def test_the_row_logic_loads_without_qt() -> None:
    code = (
        "import sys\n"
        "import rayong_desktop.ui.keying.rows, rayong_desktop.ui.keying.history\n"
        "assert not [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_rows_word_their_texts_through_the_translate_they_are_given() -> None:
    """Whole phrases with {n} placeholders go to `translate` under the KeyRow context (the
    screens pass QCoreApplication.translate): never fragments glued around the values."""
    english = {
        "{0} ชม. {1} นาที": "{0} h {1} min",
        "{0} นาที": "{0} min",
        "ช้า {0}": "late by {0}",
        "✓ บันทึกแล้ว · {0}": "saved · {0}",
        "เลิกทำ: กลับไปใช้ {0} แทน {1}": "undo: back to {0} from {1}",
        "{0}: ไม่ได้บันทึก — {1}": "{0}: not saved — {1}",
    }
    asked: list[tuple[str, str]] = []

    def translate(context: str, text: str) -> str:
        asked.append((context, text))
        return english.get(text, text)

    assert rows.late_text(135, translate) == "2 h 15 min"
    row = KeyRow.from_grid(grid_row())
    rows.start_saving(row, "120")
    rows.mark_stored(row, "120", result(120, 1, minutes_late=30))
    assert row.state_text(translate) == "saved · late by 30 min"
    rows.mark_undone(row, 1250, result(1000, 3), translate)
    assert row.message == "undo: back to 1,000 from 1,250"
    refused = KeyRow.from_grid(grid_row())
    rows.start_saving(refused, "12ก")
    rows.mark_not_stored(refused, "12ก", RefusedError("ไม่ใช่ตัวเลข", "not a number"), translate)
    text, kind = rows.row_message(refused, "hint", translate)
    assert (text, kind) == ("R01 สำนักงานสาธารณสุขจังหวัดระยอง: not saved — ไม่ใช่ตัวเลข", "error")
    assert {context for context, _ in asked} == {"KeyRow"}
