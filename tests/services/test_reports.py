"""Keying weekly reports through the service: storing, refusing, confirming, correcting, history.

It is Saturday 30 May 2020, 09:00 in Bangkok (RAYONG_NOW). Weeks are named by their Monday:
W19 = 4 May, W20 = 11 May, W21 = 18 May, W22 = 25 May (the current week), W23 = 1 June.
Local administrations (plan row 3, quota 300 each) owe their report on Thursday by 12:00,
every other unit (R01 .. R11, holding its plan row's quota) on Friday by 12:00.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from rayong_desktop.db.engine import Database
from rayong_desktop.db.models import AuditLog, ReportRevision, Unit
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.errors import NeedsConfirmation, RefusedError
from rayong_desktop.services import reports, status
from rayong_desktop.services.settings import update_setting
from tests.helpers import dump

W18, W19, W20, W21, W22, W23 = (date(2020, 4, 27) + timedelta(weeks=i) for i in range(6))
NOW = "2020-05-30 09:00"


def bkk(day: int, hour: int, minute: int = 0, second: int = 0, month: int = 5) -> datetime:
    return datetime(2020, month, day, hour, minute, second, tzinfo=BANGKOK)


@pytest.fixture(autouse=True)
def _saturday_morning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAYONG_NOW", NOW)


def key(
    db: Database, unit: str, week: date, count: str | int, received: datetime, **kw: Any
) -> reports.ReportResult:
    return reports.record_report(
        db, unit_code=unit, week=week, count=count, received_at=received, **kw
    )


def revisions(db: Database) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count(ReportRevision.id))) or 0


# ---------------------------------------------------------------- storing


def test_a_first_report_is_stored_as_version_1(db: Database) -> None:
    result = key(db, "r01", W19, "500", bkk(8, 10), channel="fax", reporter="นางสาวสมศรี")
    assert (result.unit, result.week, result.count) == ("R01", W19, 500)
    assert (result.outcome, result.version, result.confirmed) == ("stored", 1, ())
    assert result.due_at == bkk(8, 12)
    assert result.late_by_minutes == 0
    data = result.as_json()
    assert (data["week"], data["week_start"], data["on_time"]) == ("2020-W19", "2020-05-04", True)
    assert data["received_at"] == "2020-05-08T10:00:00+07:00"
    assert data["due_at"] == "2020-05-08T12:00:00+07:00"
    _, history = reports.unit_history(db, "R01")
    assert [(r.count, r.version, r.channel, r.reporter, r.clerk) for r in history] == [
        (500, 1, "fax", "นางสาวสมศรี", "test-clerk")
    ]
    with db.reading() as s:
        unit = s.scalar(select(Unit).where(Unit.code == "R01"))
        assert unit is not None
        assert (unit.last_channel, unit.last_reporter) == ("fax", "นางสาวสมศรี")


LATE_CASES = [  # one unit each, all in W19
    ("R01", bkk(8, 11, 59, 59), 0),
    ("R02", bkk(8, 12, 0, 0), 0),  # exactly at the deadline
    ("R04", bkk(8, 12, 0, 1), 1),  # a second late shows as a minute, never as 0
    ("R05", bkk(8, 12, 1), 1),
    ("R06", bkk(8, 13, 30), 90),
    ("R07", bkk(11, 9), 3 * 24 * 60 - 3 * 60),  # the next Monday 09:00
    ("LAO-MRY", bkk(7, 12, 0, 0), 0),  # Thursday deadline
    ("LAO-BCH", bkk(7, 12, 1), 1),
    ("LAO-KLG", bkk(8, 11), 23 * 60),  # before Friday's deadline, a day after Thursday's
    ("TM-BCH", bkk(4, 0, 0), 0),  # the week opens on Monday 00:00
]


def test_late_by_minutes_against_the_units_deadline(db: Database) -> None:
    for unit, received, late in LATE_CASES:
        result = key(db, unit, W19, "120", received)
        assert result.late_by_minutes == late, unit
        assert result.as_json()["on_time"] is (late == 0), unit
        weekday = 3 if unit.startswith(("LAO", "TM")) else 4
        due = datetime.combine(W19 + timedelta(days=weekday), time(12), BANGKOK)
        assert result.due_at == due, unit


def test_thai_digits_commas_and_spaces_are_read(db: Database) -> None:
    typed_by_unit = zip(
        ("R01", "R02", "R04", "R05", "R06", "R07", "R08"),
        ("1250", "1,250", " 1,250 ", "๑๒๕๐", "๑,๒๕๐", "1250.0", 1250),
        strict=True,
    )
    for unit, typed in typed_by_unit:
        assert key(db, unit, W20, typed, bkk(15, 9)).count == 1250, typed


def test_zero_is_a_count(db: Database) -> None:
    assert key(db, "R05", W19, "0", bkk(8, 9)).count == 0


def test_received_defaults_to_now(db: Database) -> None:
    result = reports.record_report(db, unit_code="R04", week=W22, count="4")
    assert result.received_at == bkk(30, 9)
    assert result.late_by_minutes == 21 * 60  # Friday 29 May 12:00 -> Saturday 09:00


def test_channels_in_english_or_thai(db: Database) -> None:
    assert reports.parse_channel("โทรสาร") == "fax"
    assert reports.parse_channel("E-mail") == "email"
    assert reports.parse_channel(" LINE ") == "line"
    assert reports.parse_channel(None) == "phone"


# ---------------------------------------------------------------- refused: nothing stored


REFUSED_COUNTS = [
    ("-5", "count_negative"),
    ("abc", "count_not_a_number"),
    ("", "count_blank"),
    ("   ", "count_blank"),
    ("1.5", "count_fraction"),
    ("๑.๕", "count_fraction"),
    ("1 250", "count_not_a_number"),
    ("1,000,001", "count_too_large"),
]


def test_refused_counts_name_unit_week_and_value_and_change_nothing(
    db: Database, db_path: Path
) -> None:
    key(db, "R09", W20, "20000", bkk(15, 9))
    before = dump(db_path)
    for typed, code in REFUSED_COUNTS:
        with pytest.raises(RefusedError) as info:
            key(db, "R09", W21, typed, bkk(22, 9))
        assert info.value.code == code
        message = info.value.en
        assert "R09" in message and "2020-W21" in message, message
        if typed.strip():
            assert f"'{typed.strip()}'" in message, message
        assert "R09" in info.value.th and "2020-W21" in info.value.th
        assert "\n" not in message
        assert dump(db_path) == before, typed


def test_the_ceiling_is_a_setting(db: Database, db_path: Path) -> None:
    # At the default ceiling of 1,000,000 the figure is allowed (though it needs confirming).
    with pytest.raises(NeedsConfirmation):
        key(db, "R09", W19, "1,000,000", bkk(8, 9))
    update_setting(db, "count_ceiling", "50,000")
    before = dump(db_path)
    with pytest.raises(RefusedError) as info:
        key(db, "R09", W19, "50,001", bkk(8, 9))
    assert info.value.code == "count_too_large"
    assert "50,001" in info.value.en
    assert dump(db_path) == before
    assert key(db, "R09", W19, "50,000", bkk(8, 9)).count == 50_000


OTHER_REFUSALS = [
    ("R99", W21, bkk(22, 9), None, "unknown_unit"),
    ("R01", W23, bkk(30, 8), None, "future_week"),
    ("R01", date(2020, 4, 20), bkk(24, 9, month=4), None, "before_campaign"),
    ("R01", W22, bkk(30, 10), None, "received_in_future"),
    ("R01", W22, bkk(24, 23, 59), None, "received_before_week"),
    ("R01", W21, bkk(22, 9), "pigeon", "unknown_channel"),
]


def test_other_refusals_change_nothing(db: Database, db_path: Path) -> None:
    before = dump(db_path)
    for unit, week, received, channel, code in OTHER_REFUSALS:
        with pytest.raises(RefusedError) as info:
            key(db, unit, week, "100", received, channel=channel)
        assert info.value.code == code
        assert info.value.th and info.value.en
        assert dump(db_path) == before, code


def test_a_received_time_a_few_minutes_ahead_is_taken_as_a_fast_clock(db: Database) -> None:
    assert key(db, "R01", W22, "100", bkk(30, 9, 5)).received_at == bkk(30, 9, 5)


# ---------------------------------------------------------------- keyed again, corrected


def test_a_different_figure_needs_a_correction(db: Database, db_path: Path) -> None:
    key(db, "R01", W21, "1,400", bkk(22, 10))
    before = dump(db_path)
    with pytest.raises(RefusedError) as info:
        key(db, "R01", W21, "1,350", bkk(22, 10), allow_correction=False)
    assert info.value.code == "already_reported"
    assert "R01" in info.value.en and "2020-W21" in info.value.en
    assert dump(db_path) == before


def test_the_same_figure_keyed_again_is_unchanged(
    db: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAYONG_NOW", "2020-05-22 10:05")
    first = key(db, "R01", W21, "1400", bkk(22, 10), channel="fax", reporter="สมศรี")
    before = dump(db_path)
    # Keyed again at the same desk: the same figure, with and without the details.
    again = key(db, "R01", W21, "1,400", bkk(22, 10), allow_correction=False, channel="fax")
    assert (again.outcome, again.version, again.count) == ("unchanged", 1, 1400)
    # ... and later that day, typed without the received time or channel at all.
    monkeypatch.setenv("RAYONG_NOW", "2020-05-22 15:00")
    later = reports.record_report(
        db, unit_code="R01", week=W21, count="1400", allow_correction=False
    )
    assert (later.outcome, later.version, later.received_at) == ("unchanged", 1, first.received_at)
    assert later.late_by_minutes == 0
    assert dump(db_path) == before


def test_correction_keeps_every_version_with_who_when_why(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAYONG_NOW", "2020-05-22 10:05")
    key(db, "R01", W21, "1400", bkk(22, 10), channel="fax", reporter="สมศรี", actor="somsri")
    monkeypatch.setenv("RAYONG_NOW", NOW)
    fixed = reports.record_report(
        db,
        unit_code="R01",
        week=W21,
        count="1,350",
        reason="หน่วยโทรแจ้ง พิมพ์ผิด",
        actor="clerk-b",
    )
    assert (fixed.outcome, fixed.version, fixed.count) == ("corrected", 2, 1350)
    # A correction is not a late report: the unit reported on Friday at 10:00.
    assert (fixed.received_at, fixed.late_by_minutes) == (bkk(22, 10), 0)

    unit, history = reports.unit_history(db, "R01")
    assert unit.code == "R01"
    assert [(r.version, r.count, r.current, r.previous_count) for r in history] == [
        (1, 1400, False, None),
        (2, 1350, True, 1400),
    ]
    old, new = history
    assert (old.clerk, old.entered_at, old.reason) == ("somsri", bkk(22, 10, 5), None)
    assert (new.clerk, new.entered_at, new.reason) == ("clerk-b", bkk(30, 9), "หน่วยโทรแจ้ง พิมพ์ผิด")
    assert (new.channel, new.reporter) == ("fax", "สมศรี")  # kept: not given again
    data = new.as_json()
    assert (data["previous_count"], data["reason"], data["clerk"]) == (1400, new.reason, "clerk-b")
    assert data["entered_at"] == "2020-05-30T09:00:00+07:00"

    r01 = next(u for u in status.week_summary(db, W21).units if u.unit.code == "R01")
    assert (r01.count, r01.on_time) == (1350, True)
    with db.reading() as s:
        entries = list(
            s.scalars(
                select(AuditLog)
                .where(AuditLog.entity_key == "R01/2020-05-18")
                .order_by(AuditLog.id)
            )
        )
    assert [(e.action, e.actor, e.old, e.new, e.reason) for e in entries] == [
        ("report", "somsri", None, "1400", None),
        ("correct", "clerk-b", "1400", "1350", "หน่วยโทรแจ้ง พิมพ์ผิด"),
    ]


def test_a_correction_may_give_a_new_received_time(db: Database) -> None:
    key(db, "R01", W21, "1400", bkk(22, 10))
    fixed = key(db, "R01", W21, "1400", bkk(22, 12, 30), reason="รับจริงตอนบ่าย")
    assert (fixed.outcome, fixed.version, fixed.late_by_minutes) == ("corrected", 2, 30)


def test_history_lists_newest_week_first_then_versions(db: Database) -> None:
    key(db, "LAO-KLG", W19, "80", bkk(7, 9))
    key(db, "LAO-KLG", W20, "150", bkk(14, 9))
    key(db, "LAO-KLG", W20, "155", bkk(14, 9), reason="r1")
    key(db, "LAO-KLG", W20, "160", bkk(14, 9), reason="r2")
    _, history = reports.unit_history(db, "lao-klg")
    assert [(r.week, r.version, r.count, r.current) for r in history] == [
        (W20, 1, 150, False),
        (W20, 2, 155, False),
        (W20, 3, 160, True),
        (W19, 1, 80, True),
    ]
    assert [r.previous_count for r in history] == [None, 150, 155, None]
    with pytest.raises(RefusedError) as info:
        reports.unit_history(db, "NOPE")
    assert info.value.code == "unknown_unit"


# ---------------------------------------------------------------- confirmation


def test_a_falling_count_needs_confirmation(db: Database, db_path: Path) -> None:
    key(db, "R02", W20, "25,000", bkk(15, 9))
    before = dump(db_path)
    with pytest.raises(NeedsConfirmation) as info:
        key(db, "R02", W21, "24,000", bkk(22, 9))
    assert [c.code for c in info.value.concerns] == ["below_previous"]
    assert "R02" in info.value.en and "2020-W21" in info.value.en
    assert "24,000" in info.value.en and "25,000" in info.value.en
    assert dump(db_path) == before
    stored = key(db, "R02", W21, "24,000", bkk(22, 9), confirm=True)
    assert (stored.outcome, stored.count, stored.confirmed) == (
        "stored",
        24_000,
        ("below_previous",),
    )
    _, history = reports.unit_history(db, "R02")
    assert history[0].confirmed == ("below_previous",)


def test_a_big_rise_needs_confirmation(db: Database, db_path: Path) -> None:
    # TN-RY's quota is 300: a rise is questioned above max(300, 5 x 300) = 1,500 (and above 4x
    # its largest earlier rise, 110 here).
    key(db, "TN-RY", W19, "150", bkk(7, 9))
    key(db, "TN-RY", W20, "260", bkk(14, 9))
    jump = 260 + max(300, 5 * 300) + 1
    before = dump(db_path)
    with pytest.raises(NeedsConfirmation) as info:
        key(db, "TN-RY", W21, str(jump), bkk(21, 9))
    assert [c.code for c in info.value.concerns] == ["big_rise"]
    assert "TN-RY" in info.value.en and "2020-W21" in info.value.en
    assert dump(db_path) == before
    # One fewer is an ordinary week.
    assert key(db, "TN-RY", W21, str(jump - 1), bkk(21, 9)).confirmed == ()
    stored = key(db, "TN-RY", W21, "450,000", bkk(21, 9), reason="งานใหญ่", confirm=True)
    assert (stored.outcome, stored.count, stored.confirmed) == ("corrected", 450_000, ("big_rise",))


def test_a_first_report_far_above_the_quota_needs_confirmation(db: Database) -> None:
    with pytest.raises(NeedsConfirmation) as info:
        key(db, "PAO-RY", W19, "1,501", bkk(7, 9))
    assert [c.code for c in info.value.concerns] == ["big_rise"]
    assert key(db, "PAO-RY", W19, "1,500", bkk(7, 9)).confirmed == ()


def test_an_earlier_week_above_a_later_one_needs_confirmation(db: Database) -> None:
    key(db, "R11", W20, "6,000", bkk(15, 9))
    key(db, "R11", W21, "9,500", bkk(22, 9))
    with pytest.raises(NeedsConfirmation) as info:
        key(db, "R11", W20, "9,600", bkk(15, 9), reason="แก้")
    assert [c.code for c in info.value.concerns] == ["above_later"]
    fixed = key(db, "R11", W20, "9,600", bkk(15, 9), reason="แก้", confirm=True)
    assert fixed.confirmed == ("above_later",)


def test_a_correction_below_the_previous_week_needs_confirmation(db: Database) -> None:
    key(db, "R08", W19, "10,000", bkk(8, 9))
    key(db, "R08", W20, "12,000", bkk(15, 9))
    with pytest.raises(NeedsConfirmation):
        key(db, "R08", W20, "9,000", bkk(15, 9), reason="แก้")
    assert key(db, "R08", W20, "9,000", bkk(15, 9), reason="แก้", confirm=True).version == 2


# ---------------------------------------------------------------- two clerks at once


def test_a_correction_based_on_an_old_version_is_a_conflict(db: Database, db_path: Path) -> None:
    seen = key(db, "R07", W21, "2,000", bkk(22, 9))
    # Clerk A and clerk B both opened version 1; A saves first.
    a = key(db, "R07", W21, "2,100", bkk(22, 9), reason="A", expected_version=seen.version)
    assert a.version == 2
    before = dump(db_path)
    with pytest.raises(reports.ConflictError) as info:
        key(db, "R07", W21, "2,200", bkk(22, 9), reason="B", expected_version=seen.version)
    assert (info.value.current_count, info.value.current_version) == (2100, 2)
    assert info.value.code == "conflict"
    assert "R07" in info.value.en and "2020-W21" in info.value.en
    assert dump(db_path) == before
    # B looks again and saves on top of what A stored.
    b = key(db, "R07", W21, "2,200", bkk(22, 9), reason="B", expected_version=2)
    assert (b.version, b.count) == (3, 2200)


def test_a_first_entry_racing_another_is_a_conflict(db: Database) -> None:
    """A clerk who saw no report (version 0) is told when someone else stored one meanwhile."""
    key(db, "R06", W21, "3,000", bkk(22, 9))
    with pytest.raises(reports.ConflictError) as info:
        key(db, "R06", W21, "3,100", bkk(22, 9), expected_version=0)
    assert info.value.current_count == 3000
    assert revisions(db) == 1


def test_undo_restores_the_previous_version_and_removes_a_first_entry(
    db: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rayong_desktop.services.reports import ConflictError, undo_report

    monkeypatch.setenv("RAYONG_NOW", "2020-05-20 09:00")
    week = date(2020, 5, 11)
    first = reports.record_report(db, unit_code="TN-RY", week=week, count=400)
    fixed = reports.record_report(
        db, unit_code="TN-RY", week=week, count=450, reason="typo", allow_correction=True
    )
    assert fixed.version == 2
    with pytest.raises(ConflictError):
        undo_report(db, unit_code="TN-RY", week=week, expected_version=1)
    undone = undo_report(db, unit_code="TN-RY", week=week, expected_version=2)
    assert undone is not None and (undone.count, undone.version) == (400, 3)
    _unit, history = reports.unit_history(db, "TN-RY")
    assert [(r.version, r.count) for r in history] == [(1, 400), (2, 450), (3, 400)]
    assert history[-1].reason and "undo" in history[-1].reason
    # A first entry is taken back entirely; the audit log remembers it.
    before = dump(db_path)
    entry = reports.record_report(db, unit_code="R01", week=week, count=1500)
    assert entry.version == first.version == 1
    assert undo_report(db, unit_code="R01", week=week, expected_version=1) is None
    assert reports.unit_history(db, "R01")[1] == []
    with db.reading() as s:
        undo_rows = s.scalars(select(AuditLog).where(AuditLog.action == "undo")).all()
    assert [(a.entity_key, a.old, a.new) for a in undo_rows] == [
        ("TN-RY/2020-05-11", "450", "400"),
        ("R01/2020-05-11", "1500", None),
    ]

    # The reports are as before the entry (the unit still remembers the channel last used).
    def reports_only(lines: list[str]) -> list[str]:
        return [line for line in lines if "weekly_report" in line or "report_revision" in line]

    assert reports_only(dump(db_path)) == reports_only(before)
