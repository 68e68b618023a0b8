"""The demo database: generated over the whole campaign, deterministic, marked, never mixed
into a database that holds real work."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rayong_desktop.db.engine import Database
from rayong_desktop.db.models import AuditLog, OAStat, ReportRevision, Setting, Unit, WeeklyReport
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.services import demo, desk, oa, reports, status, trends
from rayong_desktop.services.startup import open_database
from tests.helpers import dump

AFTER = datetime(2020, 11, 1, 9, tzinfo=BANGKOK)


def fill(path: Path, now: datetime = AFTER) -> tuple[Database, demo.DemoResult]:
    db = open_database(path)
    return db, demo.fill_demo(db, now=now)


@pytest.mark.sqlite_only  # the demo is its own SQLite file (--demo)
def test_the_demo_covers_the_whole_campaign_and_is_marked(tmp_path: Path) -> None:
    db, result = fill(tmp_path / "demo.sqlite3")
    try:
        assert demo.is_demo(db) and demo.demo_mark(db) == {
            "seed": demo.DEFAULT_SEED,
            "generated_at": "2020-11-01T09:00:00+07:00",
        }
        assert result.units_added == 24 and result.reports > 400 and result.corrections > 0
        t = trends.campaign_trend(db, now=AFTER)
        weeks_with_reports = [w for w, v in zip(t.weeks, t.province.values, strict=True) if v]
        assert weeks_with_reports[0] == date(2020, 5, 4) and weeks_with_reports[-1] == date(
            2020, 7, 27
        )
        assert all(
            b >= a * 0.9 for a, b in zip(t.province.values[1:], t.province.values[2:], strict=False)
        )
        assert t.province.values[-1] > 0.5 * t.province.quota
        last = status.week_summary(db, date(2020, 7, 27))
        assert last.call_list, "the last week leaves someone to call"
        assert desk.call_notes(db, date(2020, 7, 27))
        assert len(oa.list_oa_stats(db)) == result.oa_stats > 10
        # Every report has its version history, as the services keep it.
        with db.reading() as s:
            versions = s.scalar(select(func.sum(WeeklyReport.version)))
            revisions = s.scalar(select(func.count(ReportRevision.id)))
        assert versions == revisions == result.reports + result.corrections
        with db.reading() as s:
            reasons = list(
                s.scalars(select(ReportRevision.reason).where(ReportRevision.version == 2))
            )
        assert reasons == [demo.CORRECTION_REASON] * result.corrections
    finally:
        db.dispose()


@pytest.mark.sqlite_only  # the demo is its own SQLite file (--demo)
def test_everything_generated_is_plainly_fake(tmp_path: Path) -> None:
    db, _ = fill(tmp_path / "demo.sqlite3")
    try:
        with db.reading() as s:
            units = list(s.scalars(select(Unit)))
            reporters = set(s.scalars(select(WeeklyReport.reporter)))
        extra = [u for u in units if u.code.startswith("DEMO-")]
        assert len(extra) == 24
        assert all("(ตัวอย่าง)" in u.name for u in extra)
        assert all("(ตัวอย่าง)" in (u.contact or "") for u in units)
        # Ten digits after the zero: one more than a Thai landline number has.
        assert all(re.fullmatch(r"038-000-\d{4}", u.phone or "") for u in units)
        assert all("(ตัวอย่าง)" in (r or "") for r in reporters)
    finally:
        db.dispose()


@pytest.mark.sqlite_only  # the demo is its own SQLite file (--demo)
def test_the_same_seed_and_clock_give_the_same_database(tmp_path: Path) -> None:
    a, _ = fill(tmp_path / "a.sqlite3")
    b, _ = fill(tmp_path / "b.sqlite3")
    a.dispose()
    b.dispose()

    def content(path: Path) -> list[str]:
        # Row data only: created_at of the seed is the real clock, the rest is generated.
        return [line for line in dump(path) if line.startswith('INSERT INTO "weekly_report"')]

    assert content(tmp_path / "a.sqlite3") == content(tmp_path / "b.sqlite3")


@pytest.mark.sqlite_only  # the demo is its own SQLite file (--demo)
def test_mid_campaign_only_the_past_is_filled(tmp_path: Path) -> None:
    now = datetime(2020, 6, 11, 10, 15, tzinfo=BANGKOK)
    db, _ = fill(tmp_path / "demo.sqlite3", now)
    try:
        with db.reading() as s:
            last_week = s.scalar(select(func.max(WeeklyReport.week)))
            latest = s.scalar(select(func.max(WeeklyReport.received_at)))
        assert last_week == date(2020, 6, 8)
        assert latest is not None and latest <= now
    finally:
        db.dispose()


def _row_counts(db: Database) -> dict[str, int]:
    with db.reading() as s:
        return {
            model.__tablename__: s.scalar(select(func.count()).select_from(model)) or 0
            for model in (Unit, WeeklyReport, ReportRevision, OAStat, AuditLog, Setting)
        }


def test_demo_data_is_never_mixed_into_a_database_with_reports(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAYONG_NOW", "2020-05-21 10:00")
    reports.record_report(db, unit_code="R01", week=date(2020, 5, 18), count=10)
    before = _row_counts(db)
    with pytest.raises(RefusedError) as info:
        demo.fill_demo(db)
    assert info.value.code == "not_empty"
    assert _row_counts(db) == before
    assert not demo.is_demo(db)


def test_demo_data_is_never_mixed_into_a_database_with_oa_figures(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAYONG_NOW", "2020-05-21 10:00")
    oa.record_oa_stat(db, on=date(2020, 5, 20), friends=100)
    with pytest.raises(RefusedError):
        demo.fill_demo(db)
    assert not demo.is_demo(db)


@pytest.mark.sqlite_only  # the demo is its own SQLite file (--demo)
def test_a_demo_is_filled_once(tmp_path: Path) -> None:
    db, _ = fill(tmp_path / "demo.sqlite3")
    try:
        with pytest.raises(RefusedError) as info:
            demo.fill_demo(db, now=AFTER)
        assert info.value.code == "demo_done"
    finally:
        db.dispose()
