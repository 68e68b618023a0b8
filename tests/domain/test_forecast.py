"""The forecast rule on cases worked out by hand.

The campaign starts Friday 1 May 2020 (its first week is 2020-W18, Monday 27 April), so a unit
with fewer than four reports is measured from zero in the week of Monday 20 April. Its last week
is 2020-W31 (Monday 27 July; the campaign ends Friday 31 July).
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest

from rayong_desktop.domain import forecast
from rayong_desktop.domain.forecast import Point, unit_forecast

START = date(2020, 5, 1)
LAST = date(2020, 7, 27)
W19, W20, W21, W22 = (date(2020, 5, 4) + timedelta(weeks=i) for i in range(4))


def run(quota: int, *points: tuple[date, int], last: date = LAST) -> forecast.Forecast:
    return unit_forecast(
        quota,
        [Point(w, c) for w, c in points],
        campaign_start=START,
        last_week=last,
        pace_needed=None,
        margin_pct=10,
    )


def test_no_reports_projects_nothing() -> None:
    f = run(1_000)
    assert (f.count, f.weekly_pace, f.at_end, f.pct_of_quota_at_end) == (0, 0, 0, 0.0)
    assert f.behind


def test_one_report_is_measured_from_zero_before_the_campaign() -> None:
    # 300 in W19: two weeks after the zero week (20 April) -> 150 a week; 12 weeks to W31.
    f = run(2_000, (W19, 300))
    assert f.weekly_pace == 150
    assert f.at_end == 300 + 150 * 12 == 2_100
    assert f.pct_of_quota_at_end == pytest.approx(105.0)
    assert not f.behind


def test_flat_reports_project_the_same_count() -> None:
    f = run(1_000, (W19, 100), (W20, 100), (W21, 100), (W22, 100))
    assert (f.weekly_pace, f.at_end) == (0, 100)
    assert f.behind


def test_rising_reports_use_the_last_three_weekly_rises() -> None:
    # Rises 100, 200, 300 over W20..W22: mean 200 a week; W22 (25 May) to W31 is 9 weeks.
    f = run(2_500, (W19, 100), (W20, 200), (W21, 400), (W22, 700))
    assert f.weekly_pace == 200
    assert f.at_end == 700 + 200 * 9 == 2_500
    # An older report does not count: only the last three rises do.
    assert (
        run(2_500, (W19 - timedelta(weeks=1), 0), (W19, 100), (W20, 200), (W21, 400), (W22, 700))
        == f
    )


def test_a_gap_between_reports_is_counted_in_calendar_weeks() -> None:
    # Two reports: from zero (20 April) to 400 on 25 May is 5 weeks -> 80 a week.
    f = run(1_000, (W19, 100), (W22, 400))
    assert f.weekly_pace == 80
    assert f.at_end == 400 + 80 * 9 == 1_120


def test_the_projection_is_rounded_down() -> None:
    # 20 after three weeks from zero: 20/3 a week; 11 weeks from W20 -> 20 + 73.33 -> 93.
    f = run(1_000, (W19, 10), (W20, 20))
    assert f.weekly_pace == Fraction(20, 3)
    assert f.at_end == 93


def test_a_correction_changes_the_pace_through_the_corrected_figure() -> None:
    # W21 first keyed 900 then corrected to 300: three reports, measured from zero (4 weeks).
    wrong = run(3_000, (W19, 100), (W20, 200), (W21, 900))
    right = run(3_000, (W19, 100), (W20, 200), (W21, 300))
    assert (wrong.weekly_pace, wrong.at_end) == (225, 900 + 225 * 10)
    assert (right.weekly_pace, right.at_end) == (75, 300 + 75 * 10)


def test_a_fall_counts_as_no_rise() -> None:
    f = run(1_000, (W19, 500), (W20, 600), (W21, 550), (W22, 450))
    assert (f.weekly_pace, f.at_end) == (0, 450)


def test_a_retiring_unit_grows_only_until_it_retires() -> None:
    f = run(1_000, (W19, 100), (W20, 200), (W21, 300), (W22, 400), last=W22 + timedelta(weeks=2))
    # Pace (400 - 100) / 3 = 100 a week, two weeks left.
    assert f.at_end == 600


def test_behind_is_a_miss_by_more_than_the_margin() -> None:
    assert forecast.is_behind(899, 1_000, 10)
    assert not forecast.is_behind(900, 1_000, 10)
    assert not forecast.is_behind(0, 0, 10)


def test_a_group_adds_its_units_and_needs_its_own_shortfall_per_week() -> None:
    a = run(2_000, (W19, 300))  # 2,100 at the end
    b = run(1_000, (W19, 100), (W22, 400))  # 1,120 at the end
    g = forecast.group_forecast(5_000, 700, [a, b], weeks_left=9, margin_pct=10)
    assert g.at_end == 3_220
    assert g.weekly_pace == 230
    assert g.weekly_needed == -(-(5_000 - 700) // 9) == 478
    assert g.pct_of_quota_at_end == pytest.approx(64.4)
    assert g.behind
    assert forecast.weekly_needed(0, 0) == 0
    assert forecast.weekly_needed(10, 0) is None
