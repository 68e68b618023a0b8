"""Operations say what they changed: the kinds of data and the audit entries they made."""

from __future__ import annotations

from datetime import date

import pytest

from rayong_desktop.db.engine import Database
from rayong_desktop.domain.changes import NOTES, REGISTRY, REPORTS, SETTINGS
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.services import desk, ops, registry, reports
from rayong_desktop.services.settings import update_setting

W21 = date(2020, 5, 18)


@pytest.fixture(autouse=True)
def _saturday_morning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAYONG_NOW", "2020-05-23T10:00")


def key(db: Database, unit: str, count: int) -> reports.ReportResult:
    return reports.record_report(db, unit_code=unit, week=W21, count=count)


def test_a_report_changes_reports_only_and_its_marker_is_its_audit_entry(db: Database) -> None:
    before = ops.newest_marker(db)
    op = ops.run(lambda: key(db, "R01", 500))
    assert op.result.count == 500
    assert op.changes.kinds == {REPORTS}
    assert op.changes.marker == ops.newest_marker(db) and op.changes.marker > before


def test_each_kind_of_write_names_its_kind(db: Database) -> None:
    assert ops.run(lambda: update_setting(db, "rise_floor", "400")).changes.kinds == {SETTINGS}
    edit = ops.run(lambda: registry.edit_unit(db, "R01", {"contact": "งานประชาสัมพันธ์"}))
    assert edit.changes.kinds == {REGISTRY}
    note = ops.run(lambda: desk.add_call_note(db, unit_code="R01", week=W21, text="โทรแล้ว"))
    assert note.changes.kinds == {NOTES}


def test_a_refused_or_unchanged_write_changes_nothing(db: Database) -> None:
    key(db, "R01", 500)
    with pytest.raises(RefusedError):
        ops.run(lambda: key(db, "NO-SUCH", 1))
    same = ops.run(lambda: key(db, "R01", 500))
    assert same.result.outcome == "unchanged"
    assert not same.changes and same.changes.marker is None


def test_an_import_of_many_rows_reports_every_entry_it_made(db: Database) -> None:
    start = ops.newest_marker(db)
    op = ops.run(lambda: [key(db, code, 100) for code in ("R01", "R02", "R04")])
    assert op.changes.kinds == {REPORTS}
    assert len(op.changes.markers) == 3
    assert op.changes.markers == set(range(start + 1, start + 4))


def test_the_poll_skips_the_desks_own_entries_and_sees_everyone_elses(db: Database) -> None:
    start = ops.newest_marker(db)
    mine = ops.run(lambda: key(db, "R01", 500)).changes
    quiet = ops.changes_since(db, start, own=mine.markers)
    assert not quiet.changes and quiet.upto == mine.marker
    key(db, "R02", 300)  # another clerk, or the command line
    update_setting(db, "rise_floor", "450")
    feed = ops.changes_since(db, quiet.upto, own=mine.markers)
    assert feed.changes.kinds == {REPORTS, SETTINGS}
    assert feed.upto == ops.newest_marker(db)
