"""The province's picture for a week: loads plain rows, hands them to the pure summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Date, Select, bindparam, select

from rayong_desktop.db.engine import Database
from rayong_desktop.db.models import OAStat, PlanRow, Schedule, Unit, WeeklyReport
from rayong_desktop.domain import calendar, districts, forecast, summaries
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.closing import Frozen
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


@cache
def _week_rows_statement() -> Select[Any]:
    """Every unit with its plan row, its report of the week bound as ``week`` (if any) and its
    latest report before that week (if any): one statement, one row per unit, plain columns
    (Core). Built once: constructing it costs more than running it on a small province."""
    week = bindparam("week", type_=Date())
    unit, row = Unit.__table__, PlanRow.__table__
    this_week = WeeklyReport.__table__.alias("this_week")
    previous = WeeklyReport.__table__.alias("previous")
    earlier = WeeklyReport.__table__.alias("earlier")
    # One index probe per unit for its latest earlier report: independent of how many weeks
    # of history there are (a GROUP BY max(week) scans the whole table).
    latest_before = (
        select(earlier.c.id)
        .where(earlier.c.unit_id == unit.c.id, earlier.c.week < week)
        .order_by(earlier.c.week.desc())
        .limit(1)
        .scalar_subquery()
    )
    return (
        select(
            unit.c.id,
            unit.c.code,
            unit.c.name,
            row.c.number,
            unit.c.kind,
            unit.c.district,
            unit.c.quota,
            unit.c.contact,
            unit.c.phone,
            unit.c.fax,
            unit.c.active_from,
            unit.c.retired_on,
            unit.c.active,
            unit.c.schedule_id,
            row.c.schedule_id,
            this_week.c.count,
            this_week.c.received_at,
            previous.c.week,
            previous.c.count,
            previous.c.received_at,
        )
        .join_from(unit, row, row.c.id == unit.c.plan_row_id)
        .outerjoin(this_week, (this_week.c.unit_id == unit.c.id) & (this_week.c.week == week))
        .outerjoin(previous, previous.c.id == latest_before)
    )


def week_summary(db: Database, week: date) -> summaries.WeekSummary:
    with db.reading() as session:
        settings = load_settings(session)
        by_kind, default = schedules_by_kind(session)
        schedules = {sc.id: (sc, sc.rule()) for sc in session.scalars(select(Schedule))}
        # A unit's deadline rule follows from (its own schedule, its kind, its row's schedule):
        # resolved once per combination, not once per unit.
        rules: dict[tuple[int | None, str, int | None], calendar.Schedule] = {}
        units = []
        this_week: dict[int, summaries.ReportInfo] = {}
        previous: dict[int, summaries.ReportInfo] = {}
        # Plain rows, not ORM objects: this runs on every screen refresh and status call.
        conn = session.connection()
        for (
            unit_id,
            code,
            name,
            number,
            kind,
            district,
            quota,
            contact,
            phone,
            fax,
            active_from,
            retired_on,
            active,
            own_id,
            row_schedule_id,
            count,
            received_at,
            last_week,
            last_count,
            last_received_at,
        ) in conn.execute(_week_rows_statement(), {"week": week}):
            key = (own_id, kind, row_schedule_id)
            rule = rules.get(key)
            if rule is None:
                own = schedules[own_id][0] if own_id is not None else None
                row_schedule = (
                    schedules[row_schedule_id][0] if row_schedule_id is not None else None
                )
                chosen = resolve_schedule(own, kind, row_schedule, by_kind, default)
                rule = rules[key] = schedules[chosen.id][1]
            units.append(
                summaries.UnitInfo(
                    id=unit_id,
                    code=code,
                    name=name,
                    plan_row=number,
                    kind=kind,
                    district=district,
                    quota=quota,
                    contact=contact,
                    phone=phone,
                    fax=fax,
                    active_from=active_from,
                    retired_on=retired_on if not active else None,
                    schedule=rule,
                )
            )
            if count is not None:
                this_week[unit_id] = summaries.ReportInfo(unit_id, week, count, received_at)
            if last_count is not None:
                previous[unit_id] = summaries.ReportInfo(
                    unit_id, last_week, last_count, last_received_at
                )
        plan_row = PlanRow.__table__
        rows = [
            summaries.PlanRowInfo(number, name, quota)
            for number, name, quota in conn.execute(
                select(plan_row.c.number, plan_row.c.name, plan_row.c.quota).order_by(
                    plan_row.c.number
                )
            )
        ]
        oa_stat = OAStat.__table__
        stat = conn.execute(
            select(
                oa_stat.c.date,
                oa_stat.c.friends,
                oa_stat.c.blocked,
                oa_stat.c.reach,
                oa_stat.c.sent_this_month,
            )
            .where(oa_stat.c.date <= week + timedelta(days=6))
            .order_by(oa_stat.c.date.desc())
            .limit(1)
        ).first()
        oa = None if stat is None else summaries.OAStat(*stat)
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


@dataclass(frozen=True)
class WeekPicture:
    """The figures a document of a week shows: a closed week's frozen ones (``frozen``), or
    today's, with ``notice`` the line saying that they are not the closed week's when it is
    closed (None otherwise)."""

    summary: summaries.WeekSummary
    frozen: Frozen | None
    notice: str | None


def week_picture(db: Database, week: date, *, live: bool = False) -> WeekPicture:
    """What every document of ``week`` (the summary PDF, the letter, the summary workbook)
    shows: a closed week's frozen figures unless ``live``; an open week's, or with ``live``
    today's, with the notice of a closed week printed live."""
    frozen = None if live else closed_weeks.frozen_week(db, week)
    if frozen is not None:
        return WeekPicture(frozen.summary, frozen, None)
    summary = week_summary(db, week)
    return WeekPicture(summary, None, closed_weeks.live_notice(db, week, summary.totals.count))


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


def _unit_json(u: summaries.UnitWeek, due_text: dict[datetime, str]) -> dict[str, Any]:
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
        "due_at": due_text[u.due_at],
        "received_at": u.received_at.astimezone(BANGKOK).isoformat() if u.received_at else None,
        "on_time": u.on_time,
        "late_by_minutes": u.late_by_minutes,
        "overdue": u.overdue,
    }


def status_json(s: summaries.WeekSummary) -> dict[str, Any]:
    """The stable JSON of `status --json`: keys documented in the README."""
    oa = s.oa
    # The units share a few deadlines: each is written out once.
    due_text = {d: d.isoformat() for d in {u.due_at for u in s.units}}
    return {
        "week": calendar.week_label(s.week),
        "week_start": s.week.isoformat(),
        "week_end": (s.week + timedelta(days=6)).isoformat(),
        "units": [_unit_json(u, due_text) for u in s.units],
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
                "due_at": due_text[c.due_at],
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


@cache
def _recent_statement() -> Select[Any]:
    """Each unit's last WINDOW + 1 reports at or before the week bound as ``week``, oldest
    first: one index walk per unit, however long the history. Built once (see above)."""
    week = bindparam("week", type_=Date())
    unit, report = Unit.__table__, WeeklyReport.__table__
    earlier = report.alias("earlier")
    last = (
        select(earlier.c.id)
        .where(earlier.c.unit_id == unit.c.id, earlier.c.week <= week)
        .order_by(earlier.c.week.desc())
        .limit(forecast.WINDOW + 1)
    )
    return (
        select(report.c.unit_id, report.c.week, report.c.count)
        .select_from(unit)
        .join(report, report.c.id.in_(last))
        .order_by(report.c.week)
    )


def recent_reports(db: Database, week: date) -> dict[int, list[forecast.Point]]:
    """Each unit's last reports at or before ``week`` (up to WINDOW + 1, oldest first)."""
    recent: dict[int, list[forecast.Point]] = {}
    with db.read_engine.connect() as conn:
        for unit_id, w, count in conn.execute(_recent_statement(), {"week": week}):
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
