"""The province's picture for a week: loads plain rows, hands them to the pure summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from rayong_desktop.db.engine import Database
from rayong_desktop.db.models import OAStat, PlanRow, Schedule, Unit, WeeklyReport
from rayong_desktop.domain import calendar, districts, forecast, summaries
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.services import closed_weeks
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


# ---------------------------------------------------------------- by district, forecast, closed


def _district_json(d: districts.DistrictWeek) -> dict[str, Any]:
    return {"district": d.district, "code": d.code, "label": d.label, **_totals_json(d.totals)}


def recent_reports(db: Database, week: date) -> dict[int, list[forecast.Point]]:
    """Each unit's last reports at or before ``week`` (up to WINDOW + 1, oldest first): one
    index probe per unit and place, however long the history."""
    earlier = aliased(WeeklyReport)
    probes = [
        select(earlier.id)
        .where(earlier.unit_id == Unit.id, earlier.week <= week)
        .order_by(earlier.week.desc())
        .limit(1)
        .offset(k)
        .scalar_subquery()
        for k in range(forecast.WINDOW + 1)
    ]
    wanted = select(*probes).select_from(Unit).subquery()
    recent: dict[int, list[forecast.Point]] = {}
    with db.reading() as session:
        ids = {i for row in session.execute(select(wanted)) for i in row if i is not None}
        if ids:
            for unit_id, w, count in session.execute(
                select(WeeklyReport.unit_id, WeeklyReport.week, WeeklyReport.count)
                .where(WeeklyReport.id.in_(ids))
                .order_by(WeeklyReport.week)
            ):
                recent.setdefault(unit_id, []).append(forecast.Point(w, count))
    return recent


@dataclass(frozen=True)
class WeekForecast:
    last_week: date  # the campaign's last week (Monday)
    margin_pct: int
    units: dict[str, forecast.Forecast]  # by unit code
    plan_rows: dict[int, forecast.Forecast]
    districts: tuple[tuple[districts.DistrictWeek, forecast.Forecast], ...]
    province: forecast.Forecast


def week_forecast(
    db: Database, s: summaries.WeekSummary, groups: tuple[districts.DistrictWeek, ...]
) -> WeekForecast:
    """The forecast (domain.forecast's rule) of every unit, plan row, district and the
    province, as of the summary's week."""
    with db.reading() as session:
        settings = load_settings(session)
    start = settings.campaign_start
    last_week = calendar.week_start(calendar.campaign_end(start, settings.campaign_months))
    margin = settings.forecast_margin_pct
    recent = recent_reports(db, s.week)
    units: dict[str, forecast.Forecast] = {}
    for u in s.units:
        stop = last_week
        if u.unit.retired_on is not None:
            stop = min(stop, calendar.week_start(u.unit.retired_on - timedelta(days=1)))
        units[u.unit.code] = forecast.unit_forecast(
            u.unit.quota,
            recent.get(u.unit.id, []),
            campaign_start=start,
            last_week=stop,
            pace_needed=u.pace_needed,
            margin_pct=margin,
        )
    weeks_left = forecast.weeks_between(s.week, last_week)

    def group(quota: int, count: int, members: tuple[summaries.UnitWeek, ...]) -> forecast.Forecast:
        return forecast.group_forecast(
            quota,
            count,
            [units[m.unit.code] for m in members],
            weeks_left=weeks_left,
            margin_pct=margin,
        )

    return WeekForecast(
        last_week=last_week,
        margin_pct=margin,
        units=units,
        plan_rows={
            r.row.number: group(r.totals.quota, r.totals.count, r.units) for r in s.plan_rows
        },
        districts=tuple((d, group(d.totals.quota, d.totals.count, d.units)) for d in groups),
        province=group(s.totals.quota, s.totals.count, s.units),
    )


def province_outlook(db: Database, s: summaries.WeekSummary) -> forecast.Outlook:
    """The province's forecast as of the summary's week, as the summary prints it and a
    closed week keeps it."""
    fc = week_forecast(db, s, districts.by_district(s))
    p = fc.province
    return forecast.Outlook(p.at_end, p.pct_of_quota_at_end, p.weekly_needed, fc.last_week)


def _forecast_json(f: forecast.Forecast) -> dict[str, Any]:
    return {
        "at_end": f.at_end,
        "pct_of_quota_at_end": _pct(f.pct_of_quota_at_end),
        "weekly_needed": f.weekly_needed,
        "weekly_pace": round(float(f.weekly_pace), 1),
        "behind": f.behind,
    }


def status_report(
    db: Database, week: date, summary: summaries.WeekSummary | None = None
) -> dict[str, Any]:
    """`status --json`: status_json plus the districts, the forecast and the week's close
    (keys documented in the README)."""
    s = summary if summary is not None else week_summary(db, week)
    data = status_json(s)
    calls = summaries.call_lists(s.call_list, now_utc())
    data["call_list_counts"] = {
        "overdue": len(calls.overdue),
        "not_yet_due": len(calls.not_yet_due),
    }
    groups = districts.by_district(s)
    fc = week_forecast(db, s, groups)
    for unit in data["units"]:
        unit["forecast"] = _forecast_json(fc.units[unit["code"]])
    for row in data["plan_rows"]:
        row["forecast"] = _forecast_json(fc.plan_rows[row["number"]])
    data["districts"] = [
        {**_district_json(d), "forecast": _forecast_json(f)} for d, f in fc.districts
    ]
    data["forecast"] = {
        **_forecast_json(fc.province),
        "rule": forecast.RULE,
        "rule_text": forecast.RULE_TEXT,
        "end_week": calendar.week_label(fc.last_week),
        "margin_pct": fc.margin_pct,
        "units_behind": [code for code, f in fc.units.items() if f.behind],
    }
    with db.reading() as session:
        close = closed_weeks.open_close(session, s.week)
        data["closed"] = None if close is None else closed_weeks.close_json(close)
        data["changes_since_close"] = (
            []
            if close is None
            else [
                closed_weeks.change_json(c)
                for c in closed_weeks.changes_since_close(session, close)
            ]
        )
    return data
