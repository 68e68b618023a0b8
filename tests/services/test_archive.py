from __future__ import annotations

import json
import sqlite3
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest

from rayong_desktop.db.models import Base
from rayong_desktop.domain import calendar
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.services import archive, oa, registry, status
from rayong_desktop.services.reports import record_report
from rayong_desktop.services.startup import open_database
from tests.helpers import dump

# About the SQLite file itself: deselected when the suite runs on PostgreSQL.
pytestmark = pytest.mark.sqlite_only


@pytest.fixture(autouse=True)
def _campaign_over(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAYONG_NOW", "2020-08-05 10:00")


def _fill(db_path: Path) -> None:
    db = open_database(db_path)
    registry.add_unit(
        db,
        code="SAO-A",
        name="อบต.ตัวอย่าง",
        plan_row=3,
        kind="sao",
        district="แกลง",
        phone="038-000-000",
        active_from=date(2020, 5, 20),
    )
    registry.retire_unit(db, "TM-BCH", on=date(2020, 6, 15), reason="ทดสอบ")
    weeks = calendar.campaign_weeks(date(2020, 5, 1), date(2020, 7, 31))[1:]
    for w, week in enumerate(weeks):
        for i, code in enumerate(["TN-RY", "TM-MTP", "PAO-RY", "R01", "R08", "SAO-A"]):
            if (w + i) % 4 == 0:
                continue  # some weeks missing
            if code == "SAO-A" and week < date(2020, 5, 18):
                continue
            received = calendar.due_at(
                calendar.Schedule(3, calendar.time(12, 0), date(2020, 5, 7)), week
            )
            record_report(
                db,
                unit_code=code,
                week=week,
                count=100 * (w + 1) + i,
                received_at=received + timedelta(minutes=(w * 7 + i) % 50 - 10),
                confirm=True,
            )
        if w % 3 == 0:
            oa.record_oa_stat(
                db,
                on=week + timedelta(days=3),
                friends=1000 * (w + 1),
                blocked=w,
                sent_this_month=5000 * w,
            )
    record_report(
        db,
        unit_code="TN-RY",
        week=weeks[2],
        count=555,
        confirm=True,
        reason="แก้ตัวเลข",
        allow_correction=True,
    )
    db.dispose()


def _statuses(db_path: Path) -> dict[str, object]:
    db = open_database(db_path)
    try:
        weeks = calendar.campaign_weeks(date(2020, 5, 1), date(2020, 7, 31))
        return {str(w): status.status_json(status.week_summary(db, w)) for w in weeks}
    finally:
        db.dispose()


def _counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {
            t.name: conn.execute(f"SELECT count(*) FROM {t.name}").fetchone()[0]
            for t in Base.metadata.sorted_tables
        }
    finally:
        conn.close()


def test_export_import_round_trip_gives_identical_status_every_week(tmp_path: Path) -> None:
    source = tmp_path / "office.sqlite3"
    _fill(source)
    out = tmp_path / "everything.zip"
    db = open_database(source)
    manifest = archive.export_archive(db, out)
    db.dispose()
    assert manifest["tables"]["report_revision"]["rows"] == _counts(source)["report_revision"]

    target = tmp_path / "new-pc.sqlite3"
    counts = archive.import_archive(out, target)
    assert counts == _counts(source) == _counts(target)
    assert _statuses(target) == _statuses(source)
    # Opening the imported database does not seed on top of it.
    assert _counts(target) == _counts(source)


def test_archive_refusals_change_nothing(tmp_path: Path) -> None:
    source = tmp_path / "office.sqlite3"
    _fill(source)
    out = tmp_path / "everything.zip"
    db = open_database(source)
    archive.export_archive(db, out)
    db.dispose()

    # Into a database that already holds data.
    before = dump(source)
    with pytest.raises(RefusedError) as info:
        archive.import_archive(out, source)
    assert info.value.code == "not_empty"
    assert dump(source) == before

    # A member changed after export.
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(tampered, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "unit.jsonl":
                data = data.replace(b"TN-RY", b"TN-XX")
            dst.writestr(item, data)
    target = tmp_path / "t.sqlite3"
    with pytest.raises(RefusedError, match="checksum"):
        archive.import_archive(tampered, target)
    assert not target.exists() or _counts(target)["unit"] == 0

    # Written by a newer app.
    newer = tmp_path / "newer.zip"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(newer, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "manifest.json":
                m = json.loads(data)
                m["schema_revision"] = ["9999_future"]
                data = json.dumps(m).encode()
            dst.writestr(item, data)
    with pytest.raises(RefusedError, match="newer version"):
        archive.import_archive(newer, tmp_path / "n.sqlite3")

    # Not an archive at all.
    junk = tmp_path / "junk.zip"
    junk.write_text("hello")
    with pytest.raises(RefusedError, match="not a desk archive"):
        archive.import_archive(junk, tmp_path / "j.sqlite3")
