"""Week summary over a scripted scenario.

Week of Monday 11 May 2020 (ISO 2020-W20). Local administrations (plan row 1) owe their report by
Thursday 14 May 12:00, government agencies (plan row 2) by Friday 15 May 12:00. Each unit below
carries, next to its data, what the scenario says about it; the expected totals are computed
from those statements, not from the program.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest

from rayong_desktop.domain.calendar import BANGKOK, Schedule
from rayong_desktop.domain.summaries import (
    CampaignInfo,
    OAStat,
    PlanRowInfo,
    ReportInfo,
    UnitInfo,
    UnitWeek,
    WeekSummary,
    oa_summary,
    summarize_week,
)

WEEK = date(2020, 5, 11)
LAST_WEEK = date(2020, 5, 4)
THURSDAY = Schedule(weekday=3, cutoff=time(12, 0), first_due=date(2020, 5, 7))
FRIDAY = Schedule(weekday=4, cutoff=time(12, 0), first_due=date(2020, 5, 8))
THURSDAY_DUE = datetime(2020, 5, 14, 12, 0, tzinfo=BANGKOK)
FRIDAY_DUE = datetime(2020, 5, 15, 12, 0, tzinfo=BANGKOK)
CAMPAIGN = CampaignInfo(start=date(2020, 5, 1), end=date(2020, 7, 31), stated_quota=230_000)

LOCAL_ROW = PlanRowInfo(number=1, name="องค์กรปกครองส่วนท้องถิ่น", quota=150_000)
AGENCY_ROW = PlanRowInfo(number=2, name="ส่วนราชการ", quota=81_000)
PLAN_ROWS = (AGENCY_ROW, LOCAL_ROW)  # deliberately out of order


def bkk(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2020, 5, day, hour, minute, second, tzinfo=BANGKOK)


def unit(
    uid: int,
    code: str,
    row: PlanRowInfo,
    quota: int,
    *,
    active_from: date | None = None,
    retired_on: date | None = None,
) -> UnitInfo:
    return UnitInfo(
        id=uid,
        code=code,
        name=f"หน่วย {code}",
        plan_row=row.number,
        kind="local" if row is LOCAL_ROW else "agency",
        district="เมืองระยอง",
        quota=quota,
        contact=f"contact {code}",
        phone=f"038-000-{uid:03d}",
        fax=None if uid % 2 else f"038-111-{uid:03d}",
        active_from=active_from,
        retired_on=retired_on,
        schedule=THURSDAY if row is LOCAL_ROW else FRIDAY,
    )


@dataclass(frozen=True)
class Case:
    """A unit with its reports and what the scenario says about it this week."""

    unit: UnitInfo
    now: tuple[int, datetime] | None  # this week's (count, received_at)
    before: tuple[date, int] | None  # latest earlier (week, count)
    expected: bool
    on_time: bool  # meaningful only when reported
    late_minutes: int | None


CASES = (
    # Reported Thursday 09:15 Bangkok, given in UTC (02:15): on time.
    Case(
        unit(1, "LA-001", LOCAL_ROW, 40_000),
        (12_000, datetime(2020, 5, 14, 2, 15, tzinfo=UTC)),
        (LAST_WEEK, 9_000),
        expected=True,
        on_time=True,
        late_minutes=0,
    ),
    # Reported exactly at 12:00:00: on time. First report ever.
    Case(
        unit(2, "LA-002", LOCAL_ROW, 30_000),
        (8_000, bkk(14, 12)),
        None,
        expected=True,
        on_time=True,
        late_minutes=0,
    ),
    # Reported at 12:00:30: late by one (started) minute.
    Case(
        unit(3, "LA-003", LOCAL_ROW, 20_000),
        (5_000, bkk(14, 12, 0, 30)),
        (LAST_WEEK, 4_500),
        expected=True,
        on_time=False,
        late_minutes=1,
    ),
    # Missing; carries last week's 7,000.
    Case(
        unit(4, "LA-004", LOCAL_ROW, 25_000),
        None,
        (LAST_WEEK, 7_000),
        expected=True,
        on_time=False,
        late_minutes=None,
    ),
    # Not yet expected: joins from 20 May, after this week's Thursday. Nothing reported ever.
    Case(
        unit(5, "LA-005", LOCAL_ROW, 10_000, active_from=date(2020, 5, 20)),
        None,
        None,
        expected=False,
        on_time=False,
        late_minutes=None,
    ),
    # Missing; its last report is from the week of 27 April.
    Case(
        unit(6, "LA-006", LOCAL_ROW, 15_000),
        None,
        (date(2020, 4, 27), 2_000),
        expected=True,
        on_time=False,
        late_minutes=None,
    ),
    # Reported Friday 11:59: on time.
    Case(
        unit(7, "GOV-01", AGENCY_ROW, 50_000),
        (20_000, bkk(15, 11, 59)),
        (LAST_WEEK, 15_000),
        expected=True,
        on_time=True,
        late_minutes=0,
    ),
    # Reported Saturday 08:00: 20 hours late; and lower than last week.
    Case(
        unit(8, "GOV-02", AGENCY_ROW, 20_000),
        (6_000, bkk(16, 8)),
        (LAST_WEEK, 6_500),
        expected=True,
        on_time=False,
        late_minutes=20 * 60,
    ),
    # Retired on Friday 15 May, the due day itself: owes nothing, keeps its members in the count.
    Case(
        unit(9, "GOV-03", AGENCY_ROW, 5_000, retired_on=date(2020, 5, 15)),
        None,
        (LAST_WEEK, 3_000),
        expected=False,
        on_time=False,
        late_minutes=None,
    ),
    # Missing and never reported.
    Case(
        unit(10, "GOV-04", AGENCY_ROW, 6_000),
        None,
        None,
        expected=True,
        on_time=False,
        late_minutes=None,
    ),
    # Active only from 18 May, so not expected, but reported early anyway; no quota of its own.
    Case(
        unit(11, "GOV-05", AGENCY_ROW, 0, active_from=date(2020, 5, 18)),
        (1_000, bkk(15, 10)),
        None,
        expected=False,
        on_time=True,
        late_minutes=0,
    ),
)

OA_STAT = OAStat(
    date=date(2020, 5, 15), friends=60_000, blocked=1_000, reach=None, sent_this_month=1_180_000
)


def this_week_reports(cases: tuple[Case, ...] = CASES) -> dict[int, ReportInfo]:
    return {
        c.unit.id: ReportInfo(c.unit.id, WEEK, c.now[0], c.now[1])
        for c in cases
        if c.now is not None
    }


def previous_reports(cases: tuple[Case, ...] = CASES) -> dict[int, ReportInfo]:
    # received_at of old reports does not matter to the summary; any aware time will do.
    return {
        c.unit.id: ReportInfo(c.unit.id, c.before[0], c.before[1], bkk(1, 9))
        for c in cases
        if c.before is not None
    }


def summarize(cases: tuple[Case, ...] = CASES, oa_stat: OAStat | None = OA_STAT) -> WeekSummary:
    # Units handed over in reverse to prove the summary sorts them itself.
    return summarize_week(
        WEEK,
        units=[c.unit for c in reversed(cases)],
        plan_rows=PLAN_ROWS,
        this_week=this_week_reports(cases),
        previous=previous_reports(cases),
        campaign=CAMPAIGN,
        oa_stat=oa_stat,
    )


def count_of(c: Case) -> int:
    if c.now is not None:
        return c.now[0]
    if c.before is not None:
        return c.before[1]
    return 0


def previous_of(c: Case) -> int:
    return c.before[1] if c.before is not None else 0


def by_code(summary: WeekSummary) -> dict[str, UnitWeek]:
    return {uw.unit.code: uw for uw in summary.units}


@pytest.fixture(scope="module")
def summary() -> WeekSummary:
    return summarize()


def test_every_unit_is_listed_sorted_by_plan_row_then_code(summary: WeekSummary) -> None:
    expected_order = sorted((c.unit.plan_row, c.unit.code) for c in CASES)
    assert [(uw.unit.plan_row, uw.unit.code) for uw in summary.units] == expected_order
    assert [row.row.number for row in summary.plan_rows] == [1, 2]
    for row in summary.plan_rows:
        assert all(uw.unit.plan_row == row.row.number for uw in row.units)
        assert [uw.unit.code for uw in row.units] == sorted(uw.unit.code for uw in row.units)


def test_each_unit_matches_the_scenario(summary: WeekSummary) -> None:
    rows = by_code(summary)
    for c in CASES:
        uw = rows[c.unit.code]
        reported = c.now is not None
        assert uw.expected is c.expected, c.unit.code
        assert uw.reported is reported, c.unit.code
        assert uw.missing is (c.expected and not reported), c.unit.code
        assert uw.late_by_minutes == c.late_minutes, c.unit.code
        assert uw.on_time is (reported and c.on_time), c.unit.code
        assert uw.due_at == (THURSDAY_DUE if c.unit.plan_row == 1 else FRIDAY_DUE)
        assert uw.received_at == (c.now[1] if c.now is not None else None)
        assert uw.reported_count == (c.now[0] if c.now is not None else None)
        assert uw.previous_count == (c.before[1] if c.before is not None else None)
        has_count = c.now is not None or c.before is not None
        assert uw.count == (count_of(c) if has_count else None), c.unit.code
        assert uw.shortfall == max(0, c.unit.quota - count_of(c)), c.unit.code


def test_counts_increase_and_percent_of_quota(summary: WeekSummary) -> None:
    rows = by_code(summary)
    assert rows["LA-001"].increase == 12_000 - 9_000
    assert rows["LA-002"].increase == 8_000  # first report: all of it is new
    assert rows["LA-004"].count == 7_000  # carried
    assert rows["LA-004"].increase == 0
    assert rows["GOV-02"].increase == 6_000 - 6_500
    assert rows["LA-005"].count is None
    assert rows["LA-005"].increase is None
    assert rows["LA-005"].pct_of_quota is None
    assert rows["GOV-05"].pct_of_quota is None  # quota 0
    assert rows["LA-001"].pct_of_quota == pytest.approx(100 * 12_000 / 40_000)
    assert rows["GOV-03"].pct_of_quota == pytest.approx(100 * 3_000 / 5_000)


def test_pace_needed(summary: WeekSummary) -> None:
    rows = by_code(summary)
    # Thursdays after 14 May up to 31 July: 21, 28 May; 4, 11, 18, 25 June; 2, 9, 16, 23, 30 July.
    thursdays_left = 2 + 4 + 5
    assert rows["LA-004"].pace_needed == math.ceil((25_000 - 7_000) / thursdays_left)
    # LA-005 starts 20 May: its first report is 21 May, so the same Thursdays remain.
    assert rows["LA-005"].pace_needed == math.ceil(10_000 / thursdays_left)
    # Fridays after 15 May: 22, 29 May; 5, 12, 19, 26 June; 3, 10, 17, 24, 31 July.
    fridays_left = 2 + 4 + 5
    assert rows["GOV-01"].pace_needed == math.ceil((50_000 - 20_000) / fridays_left)
    # Retired: a shortfall with no report left to close it.
    assert rows["GOV-03"].shortfall == 2_000
    assert rows["GOV-03"].pace_needed is None
    # No quota, nothing to catch up.
    assert rows["GOV-05"].pace_needed == 0


def expected_reporting(cases: list[Case]) -> dict[str, int]:
    expected = [c for c in cases if c.expected]
    received = [c for c in expected if c.now is not None]
    on_time = [c for c in received if c.on_time]
    return {
        "expected": len(expected),
        "received": len(received),
        "on_time": len(on_time),
        "late": len(received) - len(on_time),
        "missing": len(expected) - len(received),
    }


@pytest.mark.parametrize("row", [LOCAL_ROW, AGENCY_ROW])
def test_plan_row_totals(summary: WeekSummary, row: PlanRowInfo) -> None:
    cases = [c for c in CASES if c.unit.plan_row == row.number]
    (row_week,) = [r for r in summary.plan_rows if r.row == row]
    totals = row_week.totals
    count = sum(count_of(c) for c in cases)
    previous = sum(previous_of(c) for c in cases)
    reporting = expected_reporting(cases)

    assert totals.quota == row.quota
    assert totals.units_quota == sum(c.unit.quota for c in cases)
    assert totals.count == count
    assert totals.previous_count == previous
    assert totals.increase == count - previous
    assert totals.shortfall == max(0, row.quota - count)
    assert totals.pct_of_quota == pytest.approx(100 * count / row.quota)
    for name, value in reporting.items():
        assert getattr(totals, name) == value, name
    assert totals.reporting_rate == pytest.approx(
        100 * reporting["received"] / reporting["expected"]
    )
    assert totals.on_time_rate == pytest.approx(100 * reporting["on_time"] / reporting["expected"])


def test_province_totals(summary: WeekSummary) -> None:
    totals = summary.totals
    cases = list(CASES)
    reporting = expected_reporting(cases)
    count = sum(count_of(c) for c in cases)

    assert totals.quota == LOCAL_ROW.quota + AGENCY_ROW.quota
    assert totals.units_quota == sum(c.unit.quota for c in cases)
    assert totals.count == count
    assert totals.increase == count - sum(previous_of(c) for c in cases)
    for name, value in reporting.items():
        assert getattr(totals, name) == value, name
    assert totals.reporting_rate == pytest.approx(
        100 * reporting["received"] / reporting["expected"]
    )
    assert totals.on_time_rate == pytest.approx(100 * reporting["on_time"] / reporting["expected"])
    # Spot check against the scenario read by hand: 8 units owe a report (LA-001..004, LA-006,
    # GOV-01, GOV-02, GOV-04), 5 of them sent one, 3 by the deadline.
    assert (totals.expected, totals.received, totals.on_time, totals.missing) == (8, 5, 3, 3)
    assert summary.stated_quota == CAMPAIGN.stated_quota


def test_plan_rows_add_up_to_the_province(summary: WeekSummary) -> None:
    for field in ("quota", "units_quota", "count", "previous_count", "increase", "expected"):
        assert getattr(summary.totals, field) == sum(
            getattr(r.totals, field) for r in summary.plan_rows
        )


def test_call_list_names_the_missing_units(summary: WeekSummary) -> None:
    missing = sorted(
        (c for c in CASES if c.expected and c.now is None),
        key=lambda c: (c.unit.plan_row, c.unit.code),
    )
    assert [e.code for e in summary.call_list] == [c.unit.code for c in missing]
    assert [e.code for e in summary.call_list] == ["LA-004", "LA-006", "GOV-04"]
    for entry, c in zip(summary.call_list, missing, strict=True):
        assert entry.name == c.unit.name
        assert entry.plan_row == c.unit.plan_row
        assert (entry.contact, entry.phone, entry.fax) == (c.unit.contact, c.unit.phone, c.unit.fax)
        assert entry.last_count == (c.before[1] if c.before is not None else None)
        assert entry.last_week == (c.before[0] if c.before is not None else None)
        assert entry.due_at == (THURSDAY_DUE if c.unit.plan_row == 1 else FRIDAY_DUE)


def test_oa_part_of_the_summary(summary: WeekSummary) -> None:
    oa = summary.oa
    assert oa.reported_total == summary.totals.count
    assert oa.friends == 60_000
    # Units claim more members than the OA has friends: a hint of double counting.
    assert oa.reported_over_friends is (summary.totals.count > 60_000)
    assert oa.reported_over_friends
    assert oa.reach_per_broadcast == 60_000 - 1_000
    assert oa.monthly_quota == 3_800_000
    assert oa.broadcasts_left == (3_800_000 - 1_180_000) // 59_000
    # 1,180,000 in 15 days = 78,667 a day; the remaining 2,620,000 take 34 more days: June.
    assert oa.runs_out_on is None


def test_week_before_the_first_deadline_expects_nobody() -> None:
    # Week of 27 April: in the campaign (holds 1 May) but both deadlines precede first_due.
    early_case = CASES[5]  # LA-006 reported in that week
    assert early_case.before is not None
    week = early_case.before[0]
    report = ReportInfo(early_case.unit.id, week, early_case.before[1], bkk(1, 9))
    summary = summarize_week(
        week,
        units=[c.unit for c in CASES],
        plan_rows=PLAN_ROWS,
        this_week={early_case.unit.id: report},
        previous={},
        campaign=CAMPAIGN,
    )
    totals = summary.totals
    assert (totals.expected, totals.received, totals.missing) == (0, 0, 0)
    assert totals.reporting_rate is None
    assert totals.on_time_rate is None
    assert summary.call_list == ()
    assert totals.count == early_case.before[1]
    assert summary.oa.stat is None
    assert summary.oa.friends is None


def test_plan_row_without_units_and_zero_quota() -> None:
    empty_row = PlanRowInfo(number=3, name="ว่าง", quota=0)
    summary = summarize_week(
        WEEK,
        units=[CASES[0].unit],
        plan_rows=[LOCAL_ROW, empty_row],
        this_week={},
        previous={},
        campaign=CAMPAIGN,
    )
    (_, empty) = summary.plan_rows
    assert empty.units == ()
    assert (empty.totals.count, empty.totals.expected, empty.totals.shortfall) == (0, 0, 0)
    assert empty.totals.pct_of_quota is None
    assert empty.totals.reporting_rate is None
    assert summary.totals.quota == LOCAL_ROW.quota


def test_inconsistent_input_is_refused() -> None:
    units = [c.unit for c in CASES]
    with pytest.raises(ValueError, match="Monday"):
        summarize_week(
            date(2020, 5, 14),
            units=units,
            plan_rows=PLAN_ROWS,
            this_week={},
            previous={},
            campaign=CAMPAIGN,
        )
    with pytest.raises(ValueError, match="plan row"):
        summarize_week(
            WEEK, units=units, plan_rows=[LOCAL_ROW], this_week={}, previous={}, campaign=CAMPAIGN
        )
    stale = {1: ReportInfo(1, WEEK, 5, bkk(14, 9))}
    with pytest.raises(ValueError, match="not before"):
        summarize_week(
            WEEK, units=units, plan_rows=PLAN_ROWS, this_week={}, previous=stale, campaign=CAMPAIGN
        )
    wrong_week = {1: ReportInfo(1, LAST_WEEK, 5, bkk(7, 9))}
    with pytest.raises(ValueError):
        summarize_week(
            WEEK,
            units=units,
            plan_rows=PLAN_ROWS,
            this_week=wrong_week,
            previous={},
            campaign=CAMPAIGN,
        )


def test_report_info_requires_aware_time_and_monday() -> None:
    with pytest.raises(ValueError):
        ReportInfo(1, WEEK, 5, datetime(2020, 5, 14, 9, 0))
    with pytest.raises(ValueError):
        ReportInfo(1, date(2020, 5, 14), 5, bkk(14, 9))


# --- OA summary on its own -------------------------------------------------------------------


def stat(sent: int | None, *, day: int = 15, reach: int | None = None) -> OAStat:
    return OAStat(
        date=date(2020, 5, day), friends=60_000, blocked=1_000, reach=reach, sent_this_month=sent
    )


def test_oa_without_stat() -> None:
    oa = oa_summary(None, reported_total=64_000, monthly_quota=3_800_000)
    assert oa.reported_total == 64_000
    assert oa.friends is None
    assert oa.reported_over_friends is False
    assert (oa.reach_per_broadcast, oa.broadcasts_left, oa.runs_out_on) == (None, None, None)


def test_oa_runs_out_within_the_month() -> None:
    # 2,000,000 sent by 15 May = 133,333.3 a day. After 13 more days (28 May) the total is
    # 3,733,333 < 3,800,000; after 14 (29 May) it is 3,866,667: the quota runs out on 29 May.
    rate = 2_000_000 / 15
    days = math.ceil((3_800_000 - 2_000_000) / rate)
    assert 2_000_000 + (days - 1) * rate < 3_800_000 <= 2_000_000 + days * rate
    oa = oa_summary(stat(2_000_000), reported_total=50_000, monthly_quota=3_800_000)
    assert oa.runs_out_on == date(2020, 5, 15) + timedelta(days=days) == date(2020, 5, 29)
    assert oa.reported_over_friends is False


def test_oa_runs_out_on_the_last_day_of_the_month() -> None:
    # 1,000,000 a day for 30 days reaches 31,000,000 exactly on 31 May.
    oa = oa_summary(stat(30_000_000, day=30), reported_total=0, monthly_quota=31_000_000)
    assert oa.runs_out_on == date(2020, 5, 31)
    # One more message in the quota pushes it into June.
    oa = oa_summary(stat(30_000_000, day=30), reported_total=0, monthly_quota=31_000_001)
    assert oa.runs_out_on is None


def test_oa_quota_already_used_up() -> None:
    oa = oa_summary(stat(3_900_000), reported_total=0, monthly_quota=3_800_000)
    assert oa.runs_out_on == date(2020, 5, 15)
    assert oa.broadcasts_left == 0


def test_oa_nothing_sent_yet() -> None:
    oa = oa_summary(stat(0), reported_total=0, monthly_quota=3_800_000)
    assert oa.runs_out_on is None
    assert oa.broadcasts_left == 3_800_000 // 59_000


def test_oa_stated_reach_wins_over_friends_minus_blocked() -> None:
    oa = oa_summary(stat(1_000_000, reach=40_000), reported_total=0, monthly_quota=3_800_000)
    assert oa.reach_per_broadcast == 40_000
    assert oa.broadcasts_left == (3_800_000 - 1_000_000) // 40_000


def test_oa_unknown_sent_and_zero_reach() -> None:
    oa = oa_summary(stat(None), reported_total=0, monthly_quota=3_800_000)
    assert (oa.sent_this_month, oa.broadcasts_left, oa.runs_out_on) == (None, None, None)
    zero = OAStat(date=date(2020, 5, 15), friends=0, blocked=None, reach=None, sent_this_month=10)
    oa = oa_summary(zero, reported_total=1, monthly_quota=3_800_000)
    assert oa.reach_per_broadcast == 0
    assert oa.broadcasts_left is None
    assert oa.reported_over_friends is True


def test_missing_units_are_overdue_only_once_their_deadline_has_passed() -> None:
    thursday = Schedule(3, time(12, 0), date(2020, 5, 7))
    friday = Schedule(4, time(12, 0), date(2020, 5, 8))
    units = [
        UnitInfo(1, "LA", "la", 3, "sao", None, 300, None, None, None, None, None, thursday),
        UnitInfo(2, "AG", "ag", 1, "agency", None, 2000, None, None, None, None, None, friday),
    ]
    rows = [PlanRowInfo(1, "r1", 2000), PlanRowInfo(3, "r3", 20000)]
    campaign = CampaignInfo(date(2020, 5, 1), date(2020, 7, 31), None)
    week = date(2020, 5, 11)
    # Friday 2020-05-15 09:00 Bangkok: Thursday's deadline has passed, Friday's has not.
    now = datetime(2020, 5, 15, 2, 0, tzinfo=UTC)
    s = summarize_week(
        week, units=units, plan_rows=rows, this_week={}, previous={}, campaign=campaign, now=now
    )
    by_code = {u.unit.code: u for u in s.units}
    assert by_code["LA"].missing and by_code["LA"].overdue
    assert by_code["AG"].missing and not by_code["AG"].overdue
    assert (s.totals.missing, s.totals.overdue) == (2, 1)
    assert [(c.code, c.overdue) for c in s.call_list] == [("AG", False), ("LA", True)]
    # Without a clock nothing is claimed overdue.
    plain = summarize_week(
        week, units=units, plan_rows=rows, this_week={}, previous={}, campaign=campaign
    )
    assert plain.totals.overdue == 0


def test_call_lists_split_overdue_from_not_yet_due_most_overdue_first() -> None:
    from rayong_desktop.domain.summaries import CallListEntry, call_lists

    def entry(code: str, plan_row: int, due: datetime) -> CallListEntry:
        return CallListEntry(code, code, plan_row, None, None, None, None, None, due)

    thursday = datetime(2020, 5, 21, 12, 0, tzinfo=BANGKOK)
    friday = datetime(2020, 5, 22, 12, 0, tzinfo=BANGKOK)
    wednesday = datetime(2020, 5, 20, 12, 0, tzinfo=BANGKOK)
    entries = [entry("R01", 1, friday), entry("B", 3, thursday), entry("A", 3, thursday)]
    entries.append(entry("OLD", 2, wednesday))
    calls = call_lists(entries, datetime(2020, 5, 21, 14, 30, tzinfo=BANGKOK))
    assert [c.code for c in calls.overdue] == ["OLD", "A", "B"]
    assert [c.code for c in calls.not_yet_due] == ["R01"]
    assert [c.code for c in calls.in_order] == ["OLD", "A", "B", "R01"]
    # At the deadline itself the unit is overdue (on time means at or before it, and it is
    # not in).
    at_noon = call_lists(entries, thursday)
    assert [c.code for c in at_noon.not_yet_due] == ["R01"]
