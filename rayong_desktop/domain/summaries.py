"""The province's picture for one report week, built from plain rows.

Reporting figures follow the DHIS2 definitions: a unit is *expected* when it owes a report this
week; *received* counts expected units that reported; *on time* those received by the deadline.
Rates are percentages (0-100) of the expected units, like every percentage in this module, so
``numbers.format_percent`` can print any of them directly.

Counts are cumulative (members in the group so far). A unit that has not reported this week keeps
its last figure in the totals: its members did not disappear because a fax is late.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from rayong_desktop.domain.calendar import (
    Schedule,
    due_at,
    is_expected,
    late_minutes,
    remaining_due_weeks,
    week_start,
)

DEFAULT_MONTHLY_MESSAGE_QUOTA = 3_800_000


@dataclass(frozen=True)
class UnitInfo:
    id: int
    code: str
    name: str
    plan_row: int  # PlanRowInfo.number
    kind: str
    district: str | None
    quota: int
    contact: str | None
    phone: str | None
    fax: str | None
    active_from: date | None
    retired_on: date | None
    schedule: Schedule


@dataclass(frozen=True)
class PlanRowInfo:
    number: int
    name: str
    quota: int


@dataclass(frozen=True)
class ReportInfo:
    unit_id: int
    week: date  # Monday
    count: int
    received_at: datetime  # aware

    def __post_init__(self) -> None:
        if self.received_at.tzinfo is None or self.received_at.utcoffset() is None:
            # A naive time cannot be compared with a Bangkok deadline without guessing its zone.
            raise ValueError(f"received_at must be timezone-aware (unit {self.unit_id})")
        if self.week.weekday() != 0:
            raise ValueError(f"report week must be a Monday, got {self.week} (unit {self.unit_id})")


@dataclass(frozen=True)
class CampaignInfo:
    start: date
    end: date
    stated_quota: int | None  # the figure the letter announced; shown beside the computed one


@dataclass(frozen=True)
class OAStat:
    """Figures the clerk copies from the LINE Official Account's statistics page."""

    date: date
    friends: int
    blocked: int | None
    reach: int | None
    sent_this_month: int | None


@dataclass(frozen=True)
class UnitWeek:
    """One unit in one week."""

    unit: UnitInfo
    expected: bool
    reported: bool
    count: int | None  # this week's report, else the carried last count, else None
    reported_count: int | None  # this week's report only
    previous_count: int | None  # last count before this week
    increase: int | None  # count - previous_count; count for a first report; None without count
    due_at: datetime
    received_at: datetime | None
    on_time: bool
    late_by_minutes: int | None  # 0 when on time, None when not reported
    missing: bool  # expected and not reported
    pct_of_quota: float | None  # percent; None when quota is 0 or there is no count
    shortfall: int  # max(0, quota - (count or 0))
    # ceil(shortfall / deadlines still owed after this week); 0 when the quota is met;
    # None when a shortfall remains but no deadline is left.
    pace_needed: int | None
    # Missing and its deadline has passed (as of the `now` given to summarize_week): the ones
    # to chase. Before the deadline a missing unit is simply not due yet.
    overdue: bool = False


@dataclass(frozen=True)
class GroupTotals:
    """Totals for a plan row or the province."""

    quota: int  # the plan's target (province: sum of the plan rows' targets)
    units_quota: int  # sum of the member units' own quotas
    count: int
    previous_count: int
    increase: int
    shortfall: int  # against ``quota``: max(0, quota - count)
    pct_of_quota: float | None  # percent of ``quota``; None when quota is 0
    expected: int
    received: int
    on_time: int
    late: int
    missing: int
    reporting_rate: float | None  # percent of expected; None when nothing is expected
    on_time_rate: float | None  # percent of expected; None when nothing is expected
    overdue: int = 0  # missing units whose deadline has passed


@dataclass(frozen=True)
class PlanRowWeek:
    row: PlanRowInfo
    units: tuple[UnitWeek, ...]
    totals: GroupTotals


@dataclass(frozen=True)
class CallListEntry:
    """A unit to phone: expected this week and not yet reported."""

    code: str
    name: str
    plan_row: int
    contact: str | None
    phone: str | None
    fax: str | None
    last_count: int | None
    last_week: date | None
    due_at: datetime
    overdue: bool = False


@dataclass(frozen=True)
class OASummary:
    stat: OAStat | None
    reported_total: int
    friends: int | None
    reported_over_friends: bool  # units claim more members than the OA has: double counting?
    reach_per_broadcast: int | None
    monthly_quota: int
    sent_this_month: int | None
    broadcasts_left: int | None
    runs_out_on: date | None  # None when the current pace does not exhaust the quota this month


@dataclass(frozen=True)
class WeekSummary:
    week: date
    units: tuple[UnitWeek, ...]  # sorted by plan row, then code
    plan_rows: tuple[PlanRowWeek, ...]  # sorted by plan row number
    totals: GroupTotals  # the province
    stated_quota: int | None
    call_list: tuple[CallListEntry, ...]
    oa: OASummary


def _percent(part: int, whole: int) -> float | None:
    return None if whole == 0 else 100.0 * part / whole


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


@dataclass(frozen=True)
class _Due:
    """What a unit's schedule, active_from and retired_on make of one week: the same for every
    unit that shares them, so worked out once per such combination."""

    deadline: datetime
    expected: bool
    remaining: int  # deadlines still owed after this week's (see _pace)


def _due(unit: UnitInfo, week: date, campaign: CampaignInfo) -> _Due:
    expected = is_expected(
        unit.schedule,
        week,
        campaign_start=campaign.start,
        campaign_end=campaign.end,
        active_from=unit.active_from,
        retired_on=unit.retired_on,
    )
    # Counts only the future weeks in which the unit will be expected, so a unit starting late
    # or retiring early gets a pace that matches the reports it will actually send.
    first_due = max(
        unit.schedule.first_due,
        campaign.start,
        unit.active_from or campaign.start,
    )
    last_due = campaign.end
    if unit.retired_on is not None:
        last_due = min(last_due, unit.retired_on - timedelta(days=1))
    remaining = remaining_due_weeks(
        replace(unit.schedule, first_due=first_due), week, campaign_end=last_due
    )
    return _Due(due_at(unit.schedule, week), expected, remaining)


def _pace(shortfall: int, remaining: int) -> int | None:
    """People needed per remaining report to reach the quota by the campaign's end.

    0 when the quota is met. None when a shortfall remains but no report is left to close it
    (campaign over, or unit retiring): there is no honest per-week figure then.
    """
    if shortfall == 0:
        return 0
    if remaining == 0:
        return None
    return _ceil_div(shortfall, remaining)


def _unit_week(
    unit: UnitInfo,
    report: ReportInfo | None,
    last: ReportInfo | None,
    due: _Due,
    now: datetime | None,
) -> UnitWeek:
    deadline = due.deadline
    expected = due.expected
    previous_count = last.count if last is not None else None
    reported_count = report.count if report is not None else None
    count = reported_count if reported_count is not None else previous_count

    increase: int | None
    if count is None:
        increase = None
    elif previous_count is None:
        increase = count
    else:
        increase = count - previous_count

    received_at = report.received_at if report is not None else None
    late_by = late_minutes(received_at, deadline) if received_at is not None else None
    shortfall = max(0, unit.quota - (count or 0))
    pct = None if count is None else _percent(count, unit.quota)

    return UnitWeek(
        unit=unit,
        expected=expected,
        reported=report is not None,
        count=count,
        reported_count=reported_count,
        previous_count=previous_count,
        increase=increase,
        due_at=deadline,
        received_at=received_at,
        on_time=late_by == 0,
        late_by_minutes=late_by,
        missing=expected and report is None,
        pct_of_quota=pct,
        shortfall=shortfall,
        pace_needed=_pace(shortfall, due.remaining),
        overdue=expected and report is None and now is not None and deadline <= now,
    )


def _totals(quota: int, units: Iterable[UnitWeek]) -> GroupTotals:
    members = list(units)
    count = sum(u.count or 0 for u in members)
    previous_count = sum(u.previous_count or 0 for u in members)
    expected = [u for u in members if u.expected]
    received = [u for u in expected if u.reported]
    on_time = sum(1 for u in received if u.on_time)
    return GroupTotals(
        quota=quota,
        units_quota=sum(u.unit.quota for u in members),
        count=count,
        previous_count=previous_count,
        increase=count - previous_count,
        shortfall=max(0, quota - count),
        pct_of_quota=_percent(count, quota),
        expected=len(expected),
        received=len(received),
        on_time=on_time,
        late=len(received) - on_time,
        missing=len(expected) - len(received),
        reporting_rate=_percent(len(received), len(expected)),
        on_time_rate=_percent(on_time, len(expected)),
        overdue=sum(1 for u in members if u.overdue),
    )


def group_totals(quota: int, units: Iterable[UnitWeek]) -> GroupTotals:
    """The totals of any group of units (a plan row, a district) against ``quota``."""
    return _totals(quota, units)


def _check_inputs(
    week: date,
    units: Sequence[UnitInfo],
    plan_rows: Sequence[PlanRowInfo],
    this_week: Mapping[int, ReportInfo],
    previous: Mapping[int, ReportInfo],
) -> None:
    # These are contracts between the service and this module; a breach is a bug upstream,
    # and a summary silently built on it would mislead the governor.
    if week_start(week) != week:
        raise ValueError(f"week must be a Monday, got {week.isoformat()}")
    numbers = [row.number for row in plan_rows]
    if len(set(numbers)) != len(numbers):
        raise ValueError(f"duplicate plan row numbers: {sorted(numbers)}")
    ids = [unit.id for unit in units]
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate unit ids")
    known_rows = set(numbers)
    for unit in units:
        if unit.plan_row not in known_rows:
            raise ValueError(f"unit {unit.code} belongs to unknown plan row {unit.plan_row}")
    known_units = set(ids)
    for unit_id, report in this_week.items():
        if unit_id not in known_units or report.unit_id != unit_id:
            raise ValueError(f"report keyed {unit_id} does not match a unit")
        if report.week != week:
            raise ValueError(f"report of unit {unit_id} is for {report.week}, not {week}")
    for unit_id, report in previous.items():
        if unit_id not in known_units or report.unit_id != unit_id:
            raise ValueError(f"previous report keyed {unit_id} does not match a unit")
        if report.week >= week:
            raise ValueError(f"previous report of unit {unit_id} is not before {week}")


def summarize_week(
    week: date,
    *,
    units: Sequence[UnitInfo],
    plan_rows: Sequence[PlanRowInfo],
    this_week: Mapping[int, ReportInfo],
    previous: Mapping[int, ReportInfo],
    campaign: CampaignInfo,
    oa_stat: OAStat | None = None,
    monthly_message_quota: int = DEFAULT_MONTHLY_MESSAGE_QUOTA,
    now: datetime | None = None,
) -> WeekSummary:
    """Summarise one report week.

    ``this_week`` maps unit id to its report for ``week``; ``previous`` maps unit id to its
    latest report strictly before ``week``. Every unit is listed, expected or not; only
    expected units count towards expected/received/on-time figures and rates.
    """
    _check_inputs(week, units, plan_rows, this_week, previous)

    dues: dict[tuple[Schedule, date | None, date | None], _Due] = {}

    def unit_week(unit: UnitInfo) -> UnitWeek:
        key = (unit.schedule, unit.active_from, unit.retired_on)
        due = dues.get(key)
        if due is None:
            due = dues[key] = _due(unit, week, campaign)
        return _unit_week(unit, this_week.get(unit.id), previous.get(unit.id), due, now)

    unit_weeks = sorted(
        (unit_week(unit) for unit in units),
        key=lambda uw: (uw.unit.plan_row, uw.unit.code),
    )

    by_row: dict[int, list[UnitWeek]] = {}
    for uw in unit_weeks:  # one pass; each row keeps the units' order
        by_row.setdefault(uw.unit.plan_row, []).append(uw)
    row_weeks = []
    for row in sorted(plan_rows, key=lambda r: r.number):
        members = tuple(by_row.get(row.number, ()))
        row_weeks.append(PlanRowWeek(row=row, units=members, totals=_totals(row.quota, members)))

    province = _totals(sum(row.quota for row in plan_rows), unit_weeks)

    call_list = tuple(
        CallListEntry(
            code=uw.unit.code,
            name=uw.unit.name,
            plan_row=uw.unit.plan_row,
            contact=uw.unit.contact,
            phone=uw.unit.phone,
            fax=uw.unit.fax,
            last_count=uw.previous_count,
            last_week=last.week if (last := previous.get(uw.unit.id)) is not None else None,
            due_at=uw.due_at,
            overdue=uw.overdue,
        )
        for uw in unit_weeks
        if uw.missing
    )

    return WeekSummary(
        week=week,
        units=tuple(unit_weeks),
        plan_rows=tuple(row_weeks),
        totals=province,
        stated_quota=campaign.stated_quota,
        call_list=call_list,
        oa=oa_summary(oa_stat, reported_total=province.count, monthly_quota=monthly_message_quota),
    )


def _month_end(d: date) -> date:
    first_next = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def _runs_out_on(stat_date: date, sent: int, quota: int) -> date | None:
    if sent >= quota:
        return stat_date
    if sent <= 0:
        return None
    # Daily rate = sent / days elapsed this month (the stat date's day counts as elapsed).
    # Days still needed = ceil((quota - sent) / rate), in integers to avoid float edges.
    days_needed = _ceil_div((quota - sent) * stat_date.day, sent)
    # Compared as a day count: at a trickle the date itself could overflow the calendar.
    days_left_in_month = (_month_end(stat_date) - stat_date).days
    if days_needed > days_left_in_month:
        return None
    return stat_date + timedelta(days=days_needed)


def oa_summary(stat: OAStat | None, *, reported_total: int, monthly_quota: int) -> OASummary:
    """Compare the units' reported total with the OA's own figures and project message use.

    The reach of one broadcast is the stated target reach, else friends minus blocks.
    """
    if stat is None:
        return OASummary(
            stat=None,
            reported_total=reported_total,
            friends=None,
            reported_over_friends=False,
            reach_per_broadcast=None,
            monthly_quota=monthly_quota,
            sent_this_month=None,
            broadcasts_left=None,
            runs_out_on=None,
        )

    reach = stat.reach if stat.reach is not None else stat.friends - (stat.blocked or 0)
    reach = max(0, reach)
    sent = stat.sent_this_month

    broadcasts_left: int | None = None
    runs_out_on: date | None = None
    if sent is not None:
        if reach > 0:
            broadcasts_left = max(0, (monthly_quota - sent) // reach)
        runs_out_on = _runs_out_on(stat.date, sent, monthly_quota)

    return OASummary(
        stat=stat,
        reported_total=reported_total,
        friends=stat.friends,
        reported_over_friends=reported_total > stat.friends,
        reach_per_broadcast=reach,
        monthly_quota=monthly_quota,
        sent_this_month=sent,
        broadcasts_left=broadcasts_left,
        runs_out_on=runs_out_on,
    )


@dataclass(frozen=True)
class CallLists:
    """Whom to call, in two lists: the units past their deadline (most overdue first) and
    those whose deadline is still to come (soonest first). "ยังไม่ส่ง 17" on a Thursday
    afternoon is 9 to chase and 8 Friday units not yet due."""

    overdue: tuple[CallListEntry, ...]
    not_yet_due: tuple[CallListEntry, ...]

    @property
    def in_order(self) -> tuple[CallListEntry, ...]:
        return self.overdue + self.not_yet_due


def call_lists(entries: Iterable[CallListEntry], now: datetime) -> CallLists:
    """Split and sort a week's call list at `now` (the earliest deadline is the most overdue;
    then by plan row and code, like every list of units)."""
    ordered = sorted(entries, key=lambda c: (c.due_at, c.plan_row, c.code))
    return CallLists(
        overdue=tuple(c for c in ordered if c.due_at <= now),
        not_yet_due=tuple(c for c in ordered if c.due_at > now),
    )
