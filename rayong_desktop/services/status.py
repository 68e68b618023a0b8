"""The province's picture for a week: loads plain rows, hands them to the pure summary."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from rayong_desktop.db.engine import Database
from rayong_desktop.db.models import OAStat, PlanRow, Schedule, Unit, WeeklyReport
from rayong_desktop.domain import calendar, summaries
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.services.common import now_utc
from rayong_desktop.services.registry import resolve_schedule, schedules_by_kind
from rayong_desktop.services.settings import load_settings


def campaign_info(db: Database) -> summaries.CampaignInfo:
    with db.reading() as session:
        s = load_settings(session)
    return summaries.CampaignInfo(
        s.campaign_start,
        calendar.campaign_end(s.campaign_start, s.campaign_months),
        s.plan_stated_total,
    )


def current_week(db: Database, *, now: datetime | None = None) -> tuple[date, bool]:
    """This week's Monday, or the nearest campaign week when today is outside the campaign.

    Returns (week, inside_campaign).
    """
    today = (now or now_utc()).astimezone(BANGKOK).date()
    campaign = campaign_info(db)
    return calendar.current_week(today, calendar.campaign_weeks(campaign.start, campaign.end))


def week_summary(db: Database, week: date) -> summaries.WeekSummary:
    with db.reading() as session:
        settings = load_settings(session)
        by_kind, default = schedules_by_kind(session)
        # Plain columns, not ORM objects: this runs on every screen refresh and status call.
        schedules = {sc.id: (sc, sc.rule()) for sc in session.scalars(select(Schedule))}
        units = []
        for row in session.execute(
            select(
                Unit.id,
                Unit.code,
                Unit.name,
                PlanRow.number,
                Unit.kind,
                Unit.district,
                Unit.quota,
                Unit.contact,
                Unit.phone,
                Unit.fax,
                Unit.active_from,
                Unit.retired_on,
                Unit.active,
                Unit.schedule_id,
                PlanRow.schedule_id,
            ).join(PlanRow, PlanRow.id == Unit.plan_row_id)
        ):
            own = schedules[row[13]][0] if row[13] is not None else None
            row_schedule = schedules[row[14]][0] if row[14] is not None else None
            chosen = resolve_schedule(own, row.kind, row_schedule, by_kind, default)
            units.append(
                summaries.UnitInfo(
                    id=row.id,
                    code=row.code,
                    name=row.name,
                    plan_row=row.number,
                    kind=row.kind,
                    district=row.district,
                    quota=row.quota,
                    contact=row.contact,
                    phone=row.phone,
                    fax=row.fax,
                    active_from=row.active_from,
                    retired_on=row.retired_on if not row.active else None,
                    schedule=schedules[chosen.id][1],
                )
            )
        rows = [
            summaries.PlanRowInfo(r.number, r.name, r.quota)
            for r in session.scalars(select(PlanRow).order_by(PlanRow.number))
        ]
        this_week = {
            unit_id: summaries.ReportInfo(unit_id, week, count, received)
            for unit_id, count, received in session.execute(
                select(WeeklyReport.unit_id, WeeklyReport.count, WeeklyReport.received_at).where(
                    WeeklyReport.week == week
                )
            )
        }
        # One index probe per unit for its latest earlier report: independent of how many
        # weeks of history there are (a GROUP BY max(week) scans the whole table).
        earlier = aliased(WeeklyReport)
        latest_before = (
            select(earlier.id)
            .where(earlier.unit_id == Unit.id, earlier.week < week)
            .order_by(earlier.week.desc())
            .limit(1)
            .scalar_subquery()
        )
        previous = {
            unit_id: summaries.ReportInfo(unit_id, w, count, received)
            for unit_id, w, count, received in session.execute(
                select(
                    WeeklyReport.unit_id,
                    WeeklyReport.week,
                    WeeklyReport.count,
                    WeeklyReport.received_at,
                ).where(WeeklyReport.id.in_(select(latest_before).select_from(Unit)))
            )
        }
        stat = session.scalar(
            select(OAStat)
            .where(OAStat.date <= week + timedelta(days=6))
            .order_by(OAStat.date.desc())
            .limit(1)
        )
        oa = (
            None
            if stat is None
            else summaries.OAStat(
                stat.date, stat.friends, stat.blocked, stat.reach, stat.sent_this_month
            )
        )
    campaign = summaries.CampaignInfo(
        settings.campaign_start,
        calendar.campaign_end(settings.campaign_start, settings.campaign_months),
        settings.plan_stated_total,
    )
    return summaries.summarize_week(
        week,
        units=units,
        plan_rows=rows,
        this_week=this_week,
        previous=previous,
        campaign=campaign,
        oa_stat=oa,
        monthly_message_quota=settings.monthly_message_quota,
        now=now_utc(),
    )


def _ratio(part: int, whole: int) -> float | None:
    # The JSON gives DHIS2's rates as plain ratios (received / expected), not percentages.
    return None if whole == 0 else round(part / whole, 4)


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _totals_json(t: summaries.GroupTotals) -> dict[str, Any]:
    return {
        "quota": t.quota,
        "units_quota": t.units_quota,
        "count": t.count,
        "previous_count": t.previous_count,
        "increase": t.increase,
        "shortfall": t.shortfall,
        "pct_of_quota": _pct(t.pct_of_quota),
        "expected": t.expected,
        "received": t.received,
        "on_time": t.on_time,
        "late": t.late,
        "missing": t.missing,
        "reporting_rate": _ratio(t.received, t.expected),
        "on_time_rate": _ratio(t.on_time, t.expected),
        "overdue": t.overdue,
    }


def _unit_json(u: summaries.UnitWeek) -> dict[str, Any]:
    return {
        "code": u.unit.code,
        "name": u.unit.name,
        "plan_row": u.unit.plan_row,
        "kind": u.unit.kind,
        "district": u.unit.district,
        "quota": u.unit.quota,
        "count": u.count,
        "reported_count": u.reported_count,
        "previous_count": u.previous_count,
        "increase": u.increase,
        "pct_of_quota": _pct(u.pct_of_quota),
        "shortfall": u.shortfall,
        "pace_needed": u.pace_needed,
        "expected": u.expected,
        "reported": u.reported,
        "missing": u.missing,
        "due_at": u.due_at.isoformat(),
        "received_at": u.received_at.astimezone(BANGKOK).isoformat() if u.received_at else None,
        "on_time": u.on_time,
        "late_by_minutes": u.late_by_minutes,
        "overdue": u.overdue,
    }


def status_json(s: summaries.WeekSummary) -> dict[str, Any]:
    """The stable JSON of `status --json`: keys documented in the README."""
    oa = s.oa
    return {
        "week": calendar.week_label(s.week),
        "week_start": s.week.isoformat(),
        "week_end": (s.week + timedelta(days=6)).isoformat(),
        "units": [_unit_json(u) for u in s.units],
        "plan_rows": [
            {"number": r.row.number, "name": r.row.name, **_totals_json(r.totals)}
            for r in s.plan_rows
        ],
        "totals": {**_totals_json(s.totals), "stated_quota": s.stated_quota},
        "call_list": [
            {
                "code": c.code,
                "name": c.name,
                "plan_row": c.plan_row,
                "contact": c.contact,
                "phone": c.phone,
                "fax": c.fax,
                "last_count": c.last_count,
                "last_week": calendar.week_label(c.last_week) if c.last_week else None,
                "due_at": c.due_at.isoformat(),
                "overdue": c.overdue,
            }
            for c in s.call_list
        ],
        "oa": {
            "date": oa.stat.date.isoformat() if oa.stat else None,
            "friends": oa.friends,
            "reported_total": oa.reported_total,
            "reported_over_friends": oa.reported_over_friends,
            "reach_per_broadcast": oa.reach_per_broadcast,
            "monthly_quota": oa.monthly_quota,
            "sent_this_month": oa.sent_this_month,
            "broadcasts_left": oa.broadcasts_left,
            "runs_out_on": oa.runs_out_on.isoformat() if oa.runs_out_on else None,
        },
    }
