"""The campaign's curve: cumulative members per week, for the province and each plan row.

The week's figure is what the week's status would show: every unit's latest count at or before
the week (a late fax does not make members disappear), summed. Instead of one status per week,
the database gives each report's change against the unit's previous report (a window function),
summed per week and plan row; a running sum then yields every week at once. That keeps the
chart a single query however long the history grows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rayong_desktop.db.engine import Database
from rayong_desktop.db.models import OAStat, PlanRow, Unit, WeeklyReport
from rayong_desktop.domain import calendar
from rayong_desktop.domain.districts import NO_DISTRICT_TH
from rayong_desktop.domain.registry import DISTRICTS
from rayong_desktop.services.common import now_utc
from rayong_desktop.services.settings import load_settings


@dataclass(frozen=True)
class Series:
    """One curve: a cumulative figure per week (None for weeks still to come)."""

    key: str  # "province" or the plan row number
    label: str
    quota: int
    values: tuple[int | None, ...]

    @property
    def latest(self) -> int | None:
        known = [v for v in self.values if v is not None]
        return known[-1] if known else None


@dataclass(frozen=True)
class Trend:
    weeks: tuple[date, ...]  # Mondays, oldest first
    current_week: date | None  # the week holding today, when it is on the chart
    province: Series
    rows: tuple[Series, ...]  # by plan row number
    oa_friends: tuple[int | None, ...]  # the OA's friend count as last read by each week's end
    stated_quota: int | None  # the plan's printed total, shown beside the computed quota


def weekly_changes(session: Session, *, up_to: date | None = None) -> list[tuple[date, int, int]]:
    """(week, plan row number, change) oldest first: the sum of that week's reports' changes
    over each unit's previous report, per plan row. Running sums of these are the cumulative
    counts a week's status shows. `up_to` filters inside the window: a unit's previous report
    is always earlier, so later weeks are never needed."""
    return [
        (week, int(row), change) for week, row, change in _changes(session, PlanRow.number, up_to)
    ]


def _changes(session: Session, key: Any, up_to: date | None) -> list[tuple[date, Any, int]]:
    """`weekly_changes` summed per week and ``key`` (a column of Unit or PlanRow)."""
    previous = (
        func.lag(WeeklyReport.count)
        .over(partition_by=WeeklyReport.unit_id, order_by=WeeklyReport.week)
        .label("previous")
    )
    reports = select(
        WeeklyReport.week.label("week"),
        key.label("row"),
        (WeeklyReport.count - func.coalesce(previous, 0)).label("change"),
    )
    if up_to is not None:
        reports = reports.where(WeeklyReport.week <= up_to)
    changes = (
        reports.join(Unit, Unit.id == WeeklyReport.unit_id)
        .join(PlanRow, PlanRow.id == Unit.plan_row_id)
        .subquery()
    )
    return [
        (week, row, int(change or 0))
        for week, row, change in session.execute(
            select(changes.c.week, changes.c.row, func.sum(changes.c.change))
            .group_by(changes.c.week, changes.c.row)
            .order_by(changes.c.week, changes.c.row)
        )
    ]


def campaign_trend(db: Database, *, now: datetime | None = None) -> Trend:
    moment = now or now_utc()
    today_week = calendar.week_start(moment.astimezone(calendar.BANGKOK).date())
    with db.reading() as session:
        settings = load_settings(session)
        start = settings.campaign_start
        end = calendar.campaign_end(start, settings.campaign_months)
        plan_rows = [
            (r.number, r.name, r.quota)
            for r in session.scalars(select(PlanRow).order_by(PlanRow.number))
        ]
        per_week = weekly_changes(session)
        stats = list(session.execute(select(OAStat.date, OAStat.friends).order_by(OAStat.date)))

    weeks = calendar.campaign_weeks(start, end)
    last_reported = per_week[-1][0] if per_week else None
    while last_reported is not None and weeks[-1] < last_reported:
        weeks.append(weeks[-1] + timedelta(weeks=1))

    running = {number: 0 for number, _, _ in plan_rows}
    changes_by_week: dict[date, list[tuple[int, int]]] = {}
    for week, row, change in per_week:
        if week < weeks[0]:
            # Figures from before the chart's first week are where the curve starts from.
            running[row] = running.get(row, 0) + int(change)
        else:
            changes_by_week.setdefault(week, []).append((row, int(change)))

    row_values: dict[int, list[int | None]] = {number: [] for number in running}
    friends: list[int | None] = []
    stat_index = 0
    last_friends: int | None = None
    for week in weeks:
        future = week > today_week
        for row, change in changes_by_week.get(week, ()):
            running[row] = running.get(row, 0) + change
        for number in row_values:
            row_values[number].append(None if future else running[number])
        week_end = week + timedelta(days=6)
        while stat_index < len(stats) and stats[stat_index][0] <= week_end:
            last_friends = int(stats[stat_index][1])
            stat_index += 1
        friends.append(None if future else last_friends)

    rows = tuple(
        Series(str(number), name, quota, tuple(row_values[number]))
        for number, name, quota in plan_rows
    )
    province_values = tuple(
        None if weeks[i] > today_week else sum(v[i] or 0 for v in row_values.values())
        for i in range(len(weeks))
    )
    province = Series("province", "ทั้งจังหวัด", sum(q for _, _, q in plan_rows), province_values)
    return Trend(
        weeks=tuple(weeks),
        current_week=today_week if weeks[0] <= today_week <= weeks[-1] else None,
        province=province,
        rows=rows,
        oa_friends=tuple(friends),
        stated_quota=settings.plan_stated_total,
    )


def province_counts(db: Database, week: date) -> list[tuple[date, int]]:
    """The province's cumulative count for every campaign week up to ``week`` (and ``week``
    itself), as the summary's trend chart prints it: a running total of `weekly_changes`."""
    with db.reading() as session:
        settings = load_settings(session)
        per_week = weekly_changes(session, up_to=week)
    start = settings.campaign_start
    end = calendar.campaign_end(start, settings.campaign_months)
    weeks = [w for w in calendar.campaign_weeks(start, end) if w <= week]
    if not weeks or weeks[-1] != week:
        weeks.append(week)
    points: list[tuple[date, int]] = []
    total = 0
    i = 0
    for w in weeks:
        while i < len(per_week) and per_week[i][0] <= w:
            total += per_week[i][2]
            i += 1
        points.append((w, total))
    return points


def district_series(db: Database, t: Trend) -> tuple[Series, ...]:
    """The curve of each district (the registry's order, any other name, then the units
    without a district: key ""), on the weeks of ``t``; the quotas are grouped as
    domain.districts groups them, so the curves add up to the province's."""
    with db.reading() as session:
        per_week = _changes(session, Unit.district, None)
        quotas = {
            d: int(q or 0)
            for d, q in session.execute(
                select(Unit.district, func.sum(Unit.quota)).group_by(Unit.district)
            )
        }
    names: list[str | None] = [name for _code, name in DISTRICTS]
    names += sorted(d for d in {*quotas, *(k for _w, k, _c in per_week)} if d and d not in names)
    names.append(None)
    named_quota = sum(quotas.get(n, 0) for n in names if n is not None)
    running = dict.fromkeys(names, 0)
    values: dict[str | None, list[int | None]] = {n: [] for n in names}
    i = 0
    for index, week in enumerate(t.weeks):
        while i < len(per_week) and per_week[i][0] <= week:
            running[per_week[i][1]] += per_week[i][2]
            i += 1
        future = t.province.values[index] is None  # weeks still to come, as the province's
        for n in names:
            values[n].append(None if future else running[n])
    return tuple(
        Series(
            n or "",
            n or NO_DISTRICT_TH,
            quotas.get(n, 0) if n is not None else max(0, t.province.quota - named_quota),
            tuple(values[n]),
        )
        for n in names
    )
