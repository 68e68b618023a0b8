"""The desk's own reads and writes: the keying grid's rows, the week's deadlines, call notes.

Thursday 21 May 2020, 10:00 in Bangkok; W21 is the week of Monday 18 May.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from rayong_desktop.db.engine import Database
from rayong_desktop.db.models import AuditLog
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.services import desk, registry, reports, status

W19, W20, W21 = date(2020, 5, 4), date(2020, 5, 11), date(2020, 5, 18)


def bkk(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2020, 5, day, hour, minute, tzinfo=BANGKOK)


@pytest.fixture(autouse=True)
def _thursday(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAYONG_NOW", "2020-05-21 10:00")


def test_grid_rows_carry_the_weeks_figure_its_version_and_the_last_one_before(db: Database) -> None:
    reports.record_report(
        db,
        unit_code="R01",
        week=W19,
        count=400,
        received_at=bkk(8, 9),
        channel="fax",
        reporter="งานสารบรรณ",
    )
    reports.record_report(db, unit_code="R01", week=W21, count=600, received_at=bkk(20, 9))
    reports.record_report(db, unit_code="R01", week=W21, count=650, reason="แก้")
    reports.record_report(
        db,
        unit_code="TN-RY",
        week=W20,
        count=90,
        received_at=bkk(14, 13),
        channel="line",
        reporter="กองวิชาการ",
        reporter_phone="038-1",
    )
    rows = {r.code: r for r in desk.grid_rows(db, W21)}
    assert len(rows) == 22
    assert list(rows)[:3] == ["R01", "R02", "LAO-BCH"]  # plan row, then code
    r01 = rows["R01"]
    assert (r01.count, r01.version, r01.previous_count, r01.previous_week) == (650, 2, 400, W19)
    assert r01.received_at == bkk(20, 9) and r01.late_by_minutes == 0
    assert r01.due_at == bkk(22, 12) and r01.expected
    assert (r01.channel, r01.reporter) == ("phone", None)  # this week's report's own values
    tn = rows["TN-RY"]
    assert (tn.count, tn.version, tn.previous_count) == (None, None, 90)
    # No figure yet this week: the grid offers what the unit used last time.
    assert (tn.channel, tn.reporter, tn.reporter_phone) == ("line", "กองวิชาการ", "038-1")
    assert tn.due_at == bkk(21, 12)
    assert desk.grid_row(db, W21, "tn-ry") == tn


def test_retired_units_leave_the_grid_unless_they_reported_that_week(db: Database) -> None:
    reports.record_report(db, unit_code="R10", week=W20, count=50, received_at=bkk(15, 9))
    registry.retire_unit(db, "R10", on=date(2020, 5, 18))
    registry.retire_unit(db, "R11", on=date(2020, 5, 18))
    codes = {r.code for r in desk.grid_rows(db, W21)}
    assert "R10" not in codes and "R11" not in codes
    w20 = {r.code: r for r in desk.grid_rows(db, W20)}
    assert "R10" in w20 and not w20["R10"].active and w20["R10"].count == 50
    assert "R11" not in w20


def test_a_unit_starting_later_is_in_the_grid_but_not_expected_yet(db: Database) -> None:
    registry.add_unit(
        db, code="SAO-X", name="อบต. (ทดสอบ)", plan_row=3, kind="sao", active_from=date(2020, 6, 1)
    )
    row = desk.grid_row(db, W21, "SAO-X")
    assert row is not None and not row.expected and row.quota == 300


def test_deadlines_count_who_owes_each_and_who_is_missing(db: Database) -> None:
    reports.record_report(db, unit_code="TN-RY", week=W21, count=100, received_at=bkk(20, 9))
    reports.record_report(db, unit_code="R01", week=W21, count=100, received_at=bkk(21, 9))
    summary = status.week_summary(db, W21)
    thursday, friday = desk.week_deadlines(db, summary)
    assert (thursday.schedule, thursday.due_at) == ("letter", bkk(21, 12))
    assert (thursday.expected, thursday.received, thursday.missing) == (12, 1, 11)
    assert (friday.schedule, friday.due_at) == ("plan", bkk(22, 12))
    assert (friday.expected, friday.received, friday.missing) == (10, 1, 9)
    assert thursday.missing + friday.missing == summary.totals.missing


def test_call_notes_are_kept_in_the_audit_log_per_unit_and_week(db: Database) -> None:
    desk.add_call_note(db, unit_code="tn-ry", week=W21, text="  รับปากส่งก่อน  15.00 น. ")
    desk.add_call_note(db, unit_code="TN-RY", week=W21, text="ส่งโทรสารแล้ว", actor="clerk-b")
    desk.add_call_note(db, unit_code="TN-RY", week=W20, text="สัปดาห์ก่อน")
    desk.add_call_note(db, unit_code="R01", week=W21, text="ไม่มีผู้รับสาย")
    notes = desk.call_notes(db, W21)
    assert [(n.text, n.clerk) for n in notes["TN-RY"]] == [
        ("รับปากส่งก่อน 15.00 น.", "test-clerk"),
        ("ส่งโทรสารแล้ว", "clerk-b"),
    ]
    assert [n.text for n in notes["R01"]] == ["ไม่มีผู้รับสาย"]
    assert [n.text for n in desk.call_notes(db, W20)["TN-RY"]] == ["สัปดาห์ก่อน"]
    with db.reading() as s:
        keys = list(s.scalars(select(AuditLog.entity_key).where(AuditLog.entity == "call_note")))
    assert sorted(keys) == [
        "R01/2020-05-18",
        "TN-RY/2020-05-11",
        "TN-RY/2020-05-18",
        "TN-RY/2020-05-18",
    ]


@pytest.mark.parametrize("text", ["", "   ", "x" * 501])
def test_blank_or_overlong_call_notes_are_refused(db: Database, text: str) -> None:
    with pytest.raises(RefusedError):
        desk.add_call_note(db, unit_code="TN-RY", week=W21, text=text)
    assert desk.call_notes(db, W21) == {}


def test_a_note_for_an_unknown_unit_is_refused(db: Database) -> None:
    with pytest.raises(RefusedError, match="NOPE"):
        desk.add_call_note(db, unit_code="NOPE", week=W21, text="?")


def test_week_choices_are_the_campaigns_weeks_and_any_later_week_with_reports(db: Database) -> None:
    weeks = desk.week_choices(db, now=bkk(21, 10))
    assert weeks[0] == date(2020, 4, 27) and weeks[-1] == date(2020, 7, 27) and len(weeks) == 14
    later = desk.week_choices(db, now=datetime(2020, 8, 20, 9, tzinfo=BANGKOK))
    assert later[-1] == date(2020, 8, 17)  # a few weeks after the end: still offered
    much_later = desk.week_choices(db, now=datetime(2026, 11, 26, 9, tzinfo=BANGKOK))
    assert much_later[-1] == date(2020, 7, 27)
