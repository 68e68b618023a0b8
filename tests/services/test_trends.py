"""The campaign's curve must say, for every week, what that week's status says."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from rayong_desktop.db.engine import Database
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.services import oa, registry, reports, status, trends
from rayong_desktop.services.settings import update_setting

W19, W20, W21, W22 = (date(2020, 5, 4) + timedelta(weeks=i) for i in range(4))
NOW = datetime(2020, 5, 28, 15, tzinfo=BANGKOK)


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day + timedelta(days=2), datetime.min.time(), BANGKOK).replace(
        hour=hour
    )


@pytest.fixture(autouse=True)
def _thursday(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAYONG_NOW", "2020-05-28 15:00")


def test_each_weeks_figure_equals_the_weeks_status_total(db: Database) -> None:
    scenario = {
        ("R01", W19): 300,
        ("R01", W21): 700,  # skips W20: carried
        ("R09", W19): 5_000,
        ("R09", W20): 12_000,
        ("R09", W21): 11_500,  # a fall, confirmed
        ("TN-RY", W20): 150,
        ("TN-RY", W22): 260,
        ("LAO-KLG", W21): 80,
    }
    for (code, week), count in scenario.items():
        reports.record_report(
            db, unit_code=code, week=week, count=count, received_at=at(week), confirm=True
        )
    reports.record_report(db, unit_code="R01", week=W21, count=720, reason="แก้")  # a correction
    registry.retire_unit(db, "LAO-KLG", on=date(2020, 5, 26))  # its figure stays in the totals
    t = trends.campaign_trend(db, now=NOW)
    assert t.weeks[0] == date(2020, 4, 27) and t.weeks[-1] == date(2020, 7, 27)
    assert t.current_week == W22
    for i, week in enumerate(t.weeks):
        if week <= W22:
            summary = status.week_summary(db, week)
            assert t.province.values[i] == summary.totals.count, week
            for series, row in zip(t.rows, summary.plan_rows, strict=True):
                assert series.values[i] == row.totals.count, (week, series.key)
        else:
            assert t.province.values[i] is None
    i21 = t.weeks.index(W21)
    assert t.province.values[i21] == 720 + 11_500 + 150 + 80
    assert t.province.quota == 241_000 and t.stated_quota == 231_000
    assert [s.quota for s in t.rows][:3] == [2_000, 70_000, 20_000]
    assert t.rows[8].latest == 11_500


def test_the_oa_friend_count_is_the_last_one_read_by_each_weeks_end(db: Database) -> None:
    oa.record_oa_stat(db, on=date(2020, 5, 12), friends=1_000)
    oa.record_oa_stat(db, on=date(2020, 5, 14), friends=1_500)
    oa.record_oa_stat(db, on=date(2020, 5, 25), friends=3_000)
    t = trends.campaign_trend(db, now=NOW)
    by_week = dict(zip(t.weeks, t.oa_friends, strict=True))
    assert by_week[W19] is None
    assert by_week[W20] == 1_500  # the Thursday reading, not Tuesday's
    assert by_week[W21] == 1_500  # nothing read that week: the last reading stands
    assert by_week[W22] == 3_000
    assert by_week[date(2020, 6, 1)] is None  # not yet


def test_an_empty_database_gives_a_flat_curve_at_zero(db: Database) -> None:
    t = trends.campaign_trend(db, now=NOW)
    assert [v for v in t.province.values if v is not None] == [0] * 5
    assert all(f is None for f in t.oa_friends)


def test_weeks_after_the_campaign_with_reports_extend_the_chart(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAYONG_NOW", "2020-08-20 10:00")
    # Stored while the campaign ran longer (a week after the end is refused at entry), then
    # the campaign was shortened again.
    update_setting(db, "campaign_months", "4")
    reports.record_report(db, unit_code="R01", week=date(2020, 8, 17), count=900)
    update_setting(db, "campaign_months", "3")
    t = trends.campaign_trend(db, now=datetime(2020, 8, 20, 10, tzinfo=BANGKOK))
    assert t.weeks[-1] == date(2020, 8, 17) and t.province.values[-1] == 900
