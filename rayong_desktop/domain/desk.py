"""What the desk's first screen shows beside the week summary: deadlines and call notes.

Plain data, so that the home screen's figures can be kept between starts (see
`services.home_snapshot`) without loading the database layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from rayong_desktop.domain import summaries


@dataclass(frozen=True)
class Deadline:
    """One deadline of the week and the units that owe it."""

    schedule: str  # the schedule's code ("letter", "plan")
    name: str  # the schedule's Thai name, e.g. "ตามหนังสือจังหวัด: ทุกวันพฤหัสบดี ภายในเวลา 12.00 น."
    due_at: datetime
    expected: int
    received: int
    missing: int


@dataclass(frozen=True)
class CallNote:
    unit_code: str
    week: date
    text: str
    at: datetime
    clerk: str


@dataclass(frozen=True)
class PlanRowTotals:
    row: summaries.PlanRowInfo
    totals: summaries.GroupTotals


@dataclass(frozen=True)
class HomeSummary:
    """The part of a week summary the home screen shows (no per-unit rows but the calls)."""

    totals: summaries.GroupTotals
    plan_rows: tuple[PlanRowTotals, ...]
    call_list: tuple[summaries.CallListEntry, ...]
    stated_quota: int | None
    oa: summaries.OASummary

    @classmethod
    def of(cls, s: summaries.WeekSummary) -> HomeSummary:
        return cls(
            totals=s.totals,
            plan_rows=tuple(PlanRowTotals(r.row, r.totals) for r in s.plan_rows),
            call_list=s.call_list,
            stated_quota=s.stated_quota,
            oa=s.oa,
        )


@dataclass(frozen=True)
class Projection:
    """Where a unit, plan row, district or the province is heading (domain.forecast's rule)."""

    at_end: int
    pct_of_quota_at_end: float | None
    weekly_needed: int | None
    behind: bool


@dataclass(frozen=True)
class DistrictTotals:
    district: str | None  # the Thai name; None for the units without a district
    code: str | None
    totals: summaries.GroupTotals
    projection: Projection | None = None


@dataclass(frozen=True)
class HomeForecast:
    end_week: date  # the campaign's last week (Monday)
    campaign_end: date  # its last day
    margin_pct: int
    province: Projection
    plan_rows: tuple[tuple[int, Projection], ...]  # by plan row number
    units_behind: tuple[str, ...]  # unit codes projected to miss by more than the margin


@dataclass(frozen=True)
class HomeFigures:
    """What the home screen shows for one week."""

    week: date
    summary: HomeSummary
    deadlines: list[Deadline]
    notes: dict[str, list[CallNote]]
    campaign_weeks: list[date]
    districts: tuple[DistrictTotals, ...] = ()
    forecast: HomeForecast | None = None
