"""Where the campaign is heading: each unit's count at the campaign's end at its recent pace.

The rule (RULE, stated in RULE_TEXT and the README): a unit's weekly pace is the mean weekly rise
over its last three reported weeks, that is (latest count - the count three reports earlier)
divided by the calendar weeks between those two reports. A unit with fewer than four reports
uses what it has, measured from zero in the week before the campaign's first week (so one report
of 500 in the second campaign week is a pace of 250 a week). A fall counts as no rise (pace 0).
The pace is carried forward from the unit's latest report to the campaign's last week (or the
week before the unit retires), rounded down to whole people. No report at all projects 0.

A plan row, a district or the province projects the sum of its units' projections; its share is
of its own quota. The weekly rise needed is the shortfall against the quota spread over the weeks
left after the status week (a unit's comes from its own schedule: UnitWeek.pace_needed). A group
or unit whose projection falls short of its quota by more than `margin_pct` percent is behind.

Pure: plain values in, plain values out; the service reads the reports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from math import floor

from rayong_desktop.domain.calendar import week_start

RULE = "mean_weekly_rise_last_3_reports"
RULE_TEXT = (
    "mean weekly rise over the last three reported weeks (latest count minus the count three "
    "reports earlier, over the calendar weeks between them; fewer reports are measured from "
    "zero before the campaign's first week; a fall counts as no rise), carried forward from "
    "the latest report to the campaign's last week, rounded down"
)
WINDOW = 3  # reported weeks whose rises are averaged
DEFAULT_MARGIN_PCT = 10


@dataclass(frozen=True)
class Point:
    """One report: the Monday of its week and the cumulative count."""

    week: date
    count: int


@dataclass(frozen=True)
class Forecast:
    quota: int
    count: int  # the count now (a missing unit's last figure)
    weekly_pace: Fraction  # people a week at the recent pace
    at_end: int
    pct_of_quota_at_end: float | None  # percent; None when the quota is 0
    weekly_needed: int | None  # 0 when met; None when a shortfall remains and no week is left
    behind: bool  # projected to miss the quota by more than the margin


@dataclass(frozen=True)
class Outlook:
    """The province's forecast as the summary prints it (and a closed week keeps it): the
    count at the campaign's end, its share of the quota, the weekly rise needed, the campaign's
    last week (Monday) and the rule's name."""

    at_end: int
    pct_of_quota_at_end: float | None
    weekly_needed: int | None
    end_week: date
    rule: str = RULE


def weekly_pace(recent: Sequence[Point], *, campaign_start: date) -> Fraction:
    """The mean weekly rise over the last WINDOW reported weeks of ``recent`` (oldest first;
    only its last WINDOW + 1 points matter)."""
    if not recent:
        return Fraction(0)
    points = sorted(recent, key=lambda p: p.week)
    latest = points[-1]
    if len(points) > WINDOW:
        base = points[-(WINDOW + 1)]
    else:
        base = Point(week_start(campaign_start) - timedelta(weeks=1), 0)
    weeks = (latest.week - base.week).days // 7
    if weeks <= 0:
        raise ValueError("reports must be for different weeks")
    return max(Fraction(0), Fraction(latest.count - base.count, weeks))


def is_behind(at_end: int, quota: int, margin_pct: int) -> bool:
    """Short of the quota by more than ``margin_pct`` percent of it."""
    return quota > 0 and at_end * 100 < quota * (100 - margin_pct)


def _pct(part: int, whole: int) -> float | None:
    return None if whole == 0 else 100.0 * part / whole


def unit_forecast(
    quota: int,
    recent: Sequence[Point],
    *,
    campaign_start: date,
    last_week: date,
    pace_needed: int | None,
    margin_pct: int = DEFAULT_MARGIN_PCT,
) -> Forecast:
    """One unit's forecast. ``recent``: its reports up to the status week (oldest first, at
    least the last four when it has them); ``last_week``: the Monday of the last week it can
    still grow in (the campaign's last week, or the one before it retires); ``pace_needed``: its
    weekly rise needed (UnitWeek.pace_needed, from its schedule)."""
    pace = weekly_pace(recent, campaign_start=campaign_start)
    if recent:
        latest = max(recent, key=lambda p: p.week)
        weeks_ahead = max(0, (last_week - latest.week).days // 7)
        count = latest.count
        at_end = count + floor(pace * weeks_ahead)
    else:
        count = at_end = 0
    return Forecast(
        quota=quota,
        count=count,
        weekly_pace=pace,
        at_end=at_end,
        pct_of_quota_at_end=_pct(at_end, quota),
        weekly_needed=pace_needed,
        behind=is_behind(at_end, quota, margin_pct),
    )


def weekly_needed(shortfall: int, weeks_left: int) -> int | None:
    """The rise a week that closes ``shortfall`` in ``weeks_left`` weeks."""
    if shortfall <= 0:
        return 0
    if weeks_left <= 0:
        return None
    return -(-shortfall // weeks_left)


def group_forecast(
    quota: int,
    count: int,
    members: Sequence[Forecast],
    *,
    weeks_left: int,
    margin_pct: int = DEFAULT_MARGIN_PCT,
) -> Forecast:
    """A plan row's, district's or the province's forecast from its units' (``count``: the
    group's count now, ``weeks_left``: weeks after the status week up to the campaign's last)."""
    at_end = sum(m.at_end for m in members)
    return Forecast(
        quota=quota,
        count=count,
        weekly_pace=sum((m.weekly_pace for m in members), Fraction(0)),
        at_end=at_end,
        pct_of_quota_at_end=_pct(at_end, quota),
        weekly_needed=weekly_needed(quota - count, weeks_left),
        behind=is_behind(at_end, quota, margin_pct),
    )


def weeks_between(week: date, last_week: date) -> int:
    """Whole weeks after ``week`` up to and including ``last_week`` (0 when none)."""
    return max(0, (last_week - week).days // 7)
