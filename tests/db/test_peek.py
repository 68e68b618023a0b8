"""The data marker: read with the standard library only, it names the state a desk database file
is in, and moves with every change the desk, the command line or an import makes.

It is Thursday 21 May 2020, 10:00 in Bangkok (RAYONG_NOW) unless a test moves the clock.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from rayong_desktop.db.engine import Database
from rayong_desktop.db.peek import data_marker, is_server_url
from rayong_desktop.documents import xlsx_forms
from rayong_desktop.domain import calendar
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.services import desk, excel_io, maintenance, oa, registry, reports
from rayong_desktop.services.settings import get_settings, update_setting
from rayong_desktop.services.startup import open_database
from tests.helpers import dump

# About the SQLite file itself: deselected when the suite runs on PostgreSQL.
pytestmark = pytest.mark.sqlite_only

NOW = datetime(2020, 5, 21, 10, 0, tzinfo=BANGKOK)
WEEK = calendar.week_start(NOW.date())


def set_clock(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setenv("RAYONG_NOW", moment.isoformat())


@pytest.fixture(autouse=True)
def _thursday(monkeypatch: pytest.MonkeyPatch) -> None:
    set_clock(monkeypatch, NOW)


def newest_audit_id(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT max(id) FROM audit_log").fetchone()[0])
    finally:
        conn.close()


# ---------------------------------------------------------------- files that are no desk database


def test_no_marker_for_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "desk.sqlite3"
    assert data_marker(missing) is None
    assert not missing.exists() and not missing.parent.exists()  # and nothing was created


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not a database at all\n" * 200,
        b"SQLite format 3\x00" + b"\xff" * 4000,  # the header, then garbage
    ],
    ids=["empty", "text", "damaged-header"],
)
def test_no_marker_for_a_file_that_is_not_a_database(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "desk.sqlite3"
    path.write_bytes(content)
    assert data_marker(path) is None
    assert path.read_bytes() == content


def test_no_marker_for_another_programs_sqlite_database(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE audit (id INTEGER PRIMARY KEY, at TEXT)")
    conn.execute("INSERT INTO audit (at) VALUES ('2020-05-21')")
    conn.commit()
    conn.close()
    assert data_marker(path) is None


def test_no_marker_for_a_folder(tmp_path: Path) -> None:
    assert data_marker(tmp_path) is None


# ---------------------------------------------------------------- a desk database


def test_a_seeded_database_has_a_marker_that_stays_while_nothing_changes(
    db: Database, db_path: Path
) -> None:
    first = data_marker(db_path)
    assert first is not None
    assert data_marker(db_path) == first
    # Reading, backing up and refused changes change nothing.
    desk.home_figures(db, WEEK)
    maintenance.make_backup(db_path, "manual")
    with pytest.raises(RefusedError):
        reports.record_report(db, unit_code="TN-RY", week=WEEK, count="many")
    with pytest.raises(RefusedError):
        desk.add_call_note(db, unit_code="TN-RY", week=WEEK, text="   ")
    assert data_marker(db_path) == first
    # Closing and opening the database again changes nothing either.
    db.dispose()
    again = open_database(db_path)
    try:
        assert data_marker(db_path) == first
    finally:
        again.dispose()
    assert data_marker(db_path) == first


def test_reading_the_marker_writes_nothing(db: Database, db_path: Path) -> None:
    db.dispose()
    before = dump(db_path)
    stat = db_path.stat()
    for _ in range(3):
        assert data_marker(db_path) is not None
    assert dump(db_path) == before
    assert db_path.stat().st_mtime_ns == stat.st_mtime_ns
    assert sorted(p.name for p in db_path.parent.iterdir() if p.name.startswith(db_path.name)) == [
        db_path.name
    ]  # no journal, WAL or shared-memory file left behind


def test_the_marker_is_about_the_data_not_the_files_name(db: Database, tmp_path: Path) -> None:
    db.dispose()
    assert db.path is not None
    odd = tmp_path / "ข้อมูล #1 ?x%20 [a]" / "desk file.sqlite3"
    odd.parent.mkdir()
    shutil.copyfile(db.path, odd)
    assert data_marker(odd) == data_marker(db.path) is not None


def test_a_migrated_database_with_nothing_audited_has_a_marker(tmp_path: Path) -> None:
    path = tmp_path / "bare.sqlite3"
    open_database(path, seed=False).dispose()
    bare = data_marker(path)
    assert bare is not None
    seeded = open_database(path)
    seeded.dispose()
    assert data_marker(path) not in (None, bare)


def test_the_marker_follows_the_schema_revision(db: Database, db_path: Path) -> None:
    db.dispose()
    before = data_marker(db_path)
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = 'f00dcafe0000'")
    conn.commit()
    conn.close()
    assert data_marker(db_path) not in (None, before)


# ---------------------------------------------------------------- every kind of change moves it

Step = Callable[[Database, Path], object]


def _nothing(db: Database, tmp_path: Path) -> None:
    return None


def _report(count: int, **kw: Any) -> Step:
    def step(db: Database, tmp_path: Path) -> object:
        return reports.record_report(db, unit_code="TN-RY", week=WEEK, count=count, **kw)

    return step


def _then(*steps: Step) -> Step:
    def step(db: Database, tmp_path: Path) -> None:
        for s in steps:
            s(db, tmp_path)

    return step


def _undo(version: int) -> Step:
    def step(db: Database, tmp_path: Path) -> object:
        return reports.undo_report(db, unit_code="TN-RY", week=WEEK, expected_version=version)

    return step


def _edit_unit(db: Database, tmp_path: Path) -> object:
    return registry.edit_unit(db, "TN-RY", {"phone": "038-999-999"})


def _add_unit(db: Database, tmp_path: Path) -> object:
    return registry.add_unit(db, code="SAO-X", name="อบต. ทดสอบ", plan_row=3, kind="sao")


def _retire_unit(db: Database, tmp_path: Path) -> object:
    return registry.retire_unit(db, "R10", on=WEEK)


def _plan_row_quota(db: Database, tmp_path: Path) -> object:
    row = registry.plan_overview(db).rows[0]
    return registry.set_plan_row_quota(db, row.number, row.quota + 1_000)


def _setting(db: Database, tmp_path: Path) -> object:
    ceiling = get_settings(db).count_ceiling
    return update_setting(db, "count_ceiling", str(ceiling // 2))


def _oa_stat(friends: int) -> Step:
    def step(db: Database, tmp_path: Path) -> object:
        return oa.record_oa_stat(db, on=NOW.date(), friends=friends)

    return step


def _call_note(db: Database, tmp_path: Path) -> object:
    return desk.add_call_note(db, unit_code="TN-RY", week=WEEK, text="รับปากส่งก่อน 15.00 น.")


def _excel_form(db: Database, tmp_path: Path) -> object:
    form = tmp_path / "form.xlsx"
    excel_io.export_form(db, form, week=WEEK)
    wb = openpyxl.load_workbook(form)
    ws = wb[xlsx_forms.FORM_SHEET]
    column = {c.key: c.letter for c in xlsx_forms.FORM_COLUMNS}
    rows = {ws[f"A{r}"].value: r for r in range(xlsx_forms.FIRST_ROW, ws.max_row + 1)}
    ws[f"{column['count']}{rows['PAO-RY']}"] = 1_250
    wb.save(form)
    result = excel_io.import_forms(db, form)
    assert result.committed
    return result


CHANGES: dict[str, tuple[Step, Step]] = {
    # name: (what is there before the first marker, the change)
    "report": (_nothing, _report(120, received_at=NOW - timedelta(hours=1))),
    "correction": (_report(120), _report(150, reason="พิมพ์ผิด")),
    "correction-of-received-time": (
        _report(120, received_at=NOW - timedelta(hours=1)),
        _report(120, received_at=NOW - timedelta(hours=3), reason="เวลารับผิด"),
    ),
    "undo-first-entry": (_report(120), _undo(1)),
    "undo-correction": (_then(_report(120), _report(150, reason="พิมพ์ผิด")), _undo(2)),
    "registry-edit": (_nothing, _edit_unit),
    "registry-add": (_nothing, _add_unit),
    "registry-retire": (_nothing, _retire_unit),
    "plan-row-quota": (_nothing, _plan_row_quota),
    "setting": (_nothing, _setting),
    "oa-stat": (_nothing, _oa_stat(5_000)),
    "oa-stat-correction": (_oa_stat(5_000), _oa_stat(5_100)),
    "call-note": (_nothing, _call_note),
    "second-call-note": (_call_note, _call_note),
    "excel-form-import": (_nothing, _excel_form),
}


@pytest.mark.parametrize(("setup", "change"), list(CHANGES.values()), ids=list(CHANGES))
def test_every_kind_of_change_moves_the_marker(
    db: Database, db_path: Path, tmp_path: Path, setup: Step, change: Step
) -> None:
    setup(db, tmp_path)
    before_marker, before_data = data_marker(db_path), dump(db_path)
    assert before_marker is not None

    change(db, tmp_path)

    assert dump(db_path) != before_data  # the step did change the data
    after = data_marker(db_path)
    assert after is not None and after != before_marker
    assert data_marker(db_path) == after


def test_the_marker_moves_with_each_change_of_a_session(
    db: Database, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = [data_marker(db_path)]
    steps = [
        _report(120),
        _report(150, reason="พิมพ์ผิด"),
        _undo(2),
        _call_note,
        _oa_stat(5_000),
        _edit_unit,
        _setting,
    ]
    for minutes, step in enumerate(steps, start=1):
        set_clock(monkeypatch, NOW + timedelta(minutes=minutes))
        step(db, tmp_path)
        seen.append(data_marker(db_path))
    assert None not in seen
    assert len(set(seen)) == len(seen)


# ---------------------------------------------------------------- restoring an older backup


def test_a_change_after_restoring_a_backup_is_told_from_the_one_it_replays(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Restore a backup, then key again: the new audit row gets the very id the replaced file's
    newest row had (and the same action and subject); only its moment tells them apart."""
    db = open_database(db_path)
    try:
        saved = maintenance.make_backup(db_path, "manual")
        at_backup = data_marker(db_path)
        reports.record_report(db, unit_code="TN-RY", week=WEEK, count=120)
        before_restore = data_marker(db_path)
        replaced_id = newest_audit_id(db_path)
        assert before_restore not in (None, at_backup)
    finally:
        db.dispose()

    maintenance.restore(db_path, saved.path)
    assert data_marker(db_path) == at_backup

    set_clock(monkeypatch, NOW + timedelta(minutes=5))
    db = open_database(db_path)
    try:
        reports.record_report(db, unit_code="TN-RY", week=WEEK, count=125)
    finally:
        db.dispose()
    assert newest_audit_id(db_path) == replaced_id  # the scenario: the id is reused
    after = data_marker(db_path)
    assert after is not None
    assert after != before_restore
    assert after != at_backup


# ---------------------------------------------------------------- server URLs


@pytest.mark.parametrize(
    ("target", "server"),
    [
        ("postgresql://x", True),
        ("postgresql+psycopg://user:pw@host:5432/desk", True),
        ("postgresql+psycopg://x", True),
        (Path("postgresql://x"), False),  # a path is a file, whatever it is called
        (Path("desk.sqlite3"), False),
        ("desk.sqlite3", False),
        ("rayong-desk.sqlite3", False),
        ("/data/postgresql/desk.sqlite3", False),
        ("sqlite:///desk.sqlite3", False),
        ("", False),
        (None, False),
    ],
)
def test_server_urls_are_told_from_file_paths(target: object, server: bool) -> None:
    assert is_server_url(target) is server
