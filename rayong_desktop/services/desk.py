"""What the clerk's desk reads and writes beside the reports themselves.

* the keying grid's rows: every unit that owes (or already sent) a figure for a week, with what
  the grid needs to key the next one: the unit's remembered channel and reporter, the week's
  stored figure and its version (the clerk's "I saw this"), and the last figure before the week;
* the week's deadlines (one per schedule: Thursday 12:00 for the letter's recipients, Friday
  12:00 for the plan's agencies) with how many units owe each and how many are still missing;
* call notes ("รับปากส่งก่อน 15.00 น."), kept in the audit log under entity "call_note" and
  key "<CODE>/<week ISO>", so they need no table of their own and travel with exports.

Everything here is one query per kind of row (no per-unit or per-week loops), so the desk opens
as fast on a province of a thousand units as on the seeded dozen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from rayong_desktop.db.engine import Database
from rayong_desktop.db.models import AuditLog, PlanRow, Schedule, Unit, WeeklyReport
from rayong_desktop.domain import calendar, districts, forecast, summaries
from rayong_desktop.domain.desk import (
    CallNote,
    Deadline,
    DistrictTotals,
    HomeFigures,
    HomeForecast,
    HomeSummary,
    Projection,
)
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.domain.reporting import RECEIVED_ON_TIME
from rayong_desktop.services import status
from rayong_desktop.services.common import audit, current_clerk, now_utc
from rayong_desktop.services.registry import find_unit, schedule_for, schedules_by_kind
from rayong_desktop.services.settings import load_settings

CALL_NOTE = "call_note"
CALL_NOTE_LIMIT = 500


@dataclass(frozen=True)
class GridRow:
    """One unit in the keying grid for one week."""

    code: str
    name: str
    plan_row: int
    kind: str
    district: str | None
    quota: int
    active: bool
    contact: str | None
    phone: str | None
    fax: str | None
    expected: bool  # owes a report this week
    due_at: datetime
    # This week's stored report (None when nothing is stored yet).
    count: int | None
    version: int | None
    received_at: datetime | None
    # What the next entry uses: this week's report's values, else what the unit last used.
    channel: str
    reporter: str | None
    reporter_phone: str | None
    previous_count: int | None  # the last figure before this week
    previous_week: date | None
    # The stored report was recorded as on time on the clerk's word (reports.RECEIVED_ON_TIME).
    received_on_time: bool = False

    @property
    def reported(self) -> bool:
        return self.count is not None

    @property
    def late_by_minutes(self) -> int | None:
        if self.received_at is None:
            return None
        return calendar.late_minutes(self.received_at, self.due_at)


def _campaign(session: Session) -> tuple[date, date]:
    settings = load_settings(session)
    start = settings.campaign_start
    return start, calendar.campaign_end(start, settings.campaign_months)


def grid_rows(db: Database, week: date, *, codes: Iterable[str] | None = None) -> list[GridRow]:
    """The keying grid for `week`: active units, plus retired ones that reported that week.

    `codes` limits the rows to those units (refreshing one row after someone else changed it).
    Ordered by plan row, then code, like every list of units on the desk.
    """
    if week.weekday() != 0:
        raise ValueError("week must be a Monday")
    wanted = None if codes is None else {c.strip().upper() for c in codes}
    with db.reading() as session:
        start, end = _campaign(session)
        by_kind, default = schedules_by_kind(session)
        query = (
            select(Unit)
            .join(Unit.plan_row)
            .options(
                selectinload(Unit.plan_row).selectinload(PlanRow.schedule),
                selectinload(Unit.schedule),
            )
            .order_by(PlanRow.number, Unit.code)
        )
        if wanted is not None:
            query = query.where(Unit.code.in_(sorted(wanted)))
        units = list(session.scalars(query))
        this_week = {
            r.unit_id: r
            for r in session.scalars(select(WeeklyReport).where(WeeklyReport.week == week))
        }
        last = (
            select(WeeklyReport.unit_id, func.max(WeeklyReport.week).label("week"))
            .where(WeeklyReport.week < week)
            .group_by(WeeklyReport.unit_id)
            .subquery()
        )
        previous = {
            unit_id: (w, count)
            for unit_id, w, count in session.execute(
                select(WeeklyReport.unit_id, WeeklyReport.week, WeeklyReport.count).join(
                    last,
                    (WeeklyReport.unit_id == last.c.unit_id) & (WeeklyReport.week == last.c.week),
                )
            )
        }
        rows: list[GridRow] = []
        for u in units:
            report = this_week.get(u.id)
            if not u.active and report is None:
                continue
            s = schedule_for(u, by_kind, default)
            sched = s.rule()
            prev = previous.get(u.id)
            rows.append(
                GridRow(
                    code=u.code,
                    name=u.name,
                    plan_row=u.plan_row.number,
                    kind=u.kind,
                    district=u.district,
                    quota=u.quota,
                    active=u.active,
                    contact=u.contact,
                    phone=u.phone,
                    fax=u.fax,
                    expected=calendar.is_expected(
                        sched,
                        week,
                        campaign_start=start,
                        campaign_end=end,
                        active_from=u.active_from,
                        retired_on=u.retired_on if not u.active else None,
                    ),
                    due_at=calendar.due_at(sched, week),
                    count=report.count if report else None,
                    version=report.version if report else None,
                    received_at=report.received_at if report else None,
                    channel=(report.channel if report else u.last_channel) or "phone",
                    reporter=report.reporter if report else u.last_reporter,
                    reporter_phone=report.reporter_phone if report else u.last_reporter_phone,
                    previous_count=prev[1] if prev else None,
                    previous_week=prev[0] if prev else None,
                    received_on_time=report is not None
                    and RECEIVED_ON_TIME in report.confirmed.split(),
                )
            )
        return rows


def grid_row(db: Database, week: date, code: str) -> GridRow | None:
    found = grid_rows(db, week, codes=[code])
    return found[0] if found else None


# ---------------------------------------------------------------- deadlines


def week_deadlines(db: Database, summary: summaries.WeekSummary) -> list[Deadline]:
    """The week's deadlines in time order, counted from an already built week summary."""
    with db.reading() as session:
        schedules = list(session.scalars(select(Schedule).order_by(Schedule.id)))
    names: dict[datetime, list[tuple[str, str]]] = {}
    for s in schedules:
        due = calendar.due_at(s.rule(), summary.week)
        names.setdefault(due, []).append((s.code, s.name))
    found: list[Deadline] = []
    for due, named in names.items():
        # Units are matched by their deadline, so two schedules sharing a moment share a count.
        members = [u for u in summary.units if u.due_at == due and u.expected]
        received = sum(1 for u in members if u.reported)
        found.append(
            Deadline(
                " ".join(code for code, _ in named),
                " / ".join(name for _, name in named),
                due,
                len(members),
                received,
                len(members) - received,
            )
        )
    return sorted(found, key=lambda d: d.due_at)


def home_figures(db: Database, week: date) -> HomeFigures:
    """What the home screen shows for `week`: totals, plan rows, deadlines, whom to call."""
    summary = status.week_summary(db, week)
    campaign = status.campaign_info(db)
    groups = districts.by_district(summary)
    fc = status.week_forecast(db, summary, groups)
    return HomeFigures(
        week=week,
        summary=HomeSummary.of(summary),
        deadlines=week_deadlines(db, summary),
        notes=call_notes(db, week),
        campaign_weeks=calendar.campaign_weeks(campaign.start, campaign.end),
        districts=tuple(
            DistrictTotals(d.district, d.code, d.totals, projection(f)) for d, f in fc.districts
        ),
        forecast=HomeForecast(
            end_week=fc.last_week,
            campaign_end=campaign.end,
            margin_pct=fc.margin_pct,
            province=projection(fc.province),
            plan_rows=tuple((n, projection(f)) for n, f in fc.plan_rows.items()),
            units_behind=tuple(code for code, f in fc.units.items() if f.behind),
        ),
    )


def projection(f: forecast.Forecast) -> Projection:
    """The plain figures of a forecast the desk shows (and keeps between starts)."""
    return Projection(f.at_end, f.pct_of_quota_at_end, f.weekly_needed, f.behind)


# ---------------------------------------------------------------- call notes


def _note_key(code: str, week: date) -> str:
    return f"{code}/{week.isoformat()}"


def add_call_note(
    db: Database, *, unit_code: str, week: date, text: str, actor: str | None = None
) -> CallNote:
    """Note what a call to a late unit gave ("รับปากส่งก่อน 15.00 น."); notes are never edited,
    a later call adds a later note."""
    actor = actor or current_clerk()
    clean = " ".join(text.split())
    if not clean:
        raise RefusedError("บันทึกการโทรว่างเปล่า", "the call note is blank", code="blank_note")
    if len(clean) > CALL_NOTE_LIMIT:
        raise RefusedError(
            f"บันทึกการโทรยาวเกิน {CALL_NOTE_LIMIT} ตัวอักษร",
            f"the call note is longer than {CALL_NOTE_LIMIT} characters",
            code="too_long",
        )
    at = now_utc()
    with db.transaction() as session:
        unit = find_unit(session, unit_code)
        audit(
            session,
            actor=actor,
            action="note",
            entity=CALL_NOTE,
            key=_note_key(unit.code, week),
            new=clean,
            at=at,
        )
        return CallNote(unit.code, week, clean, at, actor)


def call_notes(db: Database, week: date) -> dict[str, list[CallNote]]:
    """Every call note of the week by unit code, oldest first."""
    suffix = "/" + week.isoformat()
    with db.reading() as session:
        rows = session.scalars(
            select(AuditLog)
            .where(AuditLog.entity == CALL_NOTE, AuditLog.entity_key.endswith(suffix))
            .order_by(AuditLog.at, AuditLog.id)
        )
        notes: dict[str, list[CallNote]] = {}
        for r in rows:
            code = r.entity_key[: -len(suffix)]
            notes.setdefault(code, []).append(CallNote(code, week, r.new or "", r.at, r.actor))
        return notes


# ---------------------------------------------------------------- weeks


@dataclass(frozen=True)
class DeskCalendar:
    """The weeks every screen shares, read once as the database opens (and again when the
    settings change): the week on show, whether today is inside the campaign, the weeks the
    desk offers and the campaign's dates."""

    week: date
    inside: bool
    weeks: list[date]
    campaign: summaries.CampaignInfo


def desk_calendar(db: Database, *, now: datetime | None = None) -> DeskCalendar:
    """The desk's calendar as of ``now`` (off the GUI thread: it reads the database)."""
    week, inside = status.current_week(db, now=now)
    return DeskCalendar(week, inside, week_choices(db, now=now), status.campaign_info(db))


def week_choices(db: Database, *, now: datetime | None = None) -> list[date]:
    """The weeks the desk offers: the campaign's, plus any later week that holds reports and
    the current week, so a unit keyed after the campaign still has its week in the list."""
    with db.reading() as session:
        start, end = _campaign(session)
        last_reported = session.scalar(select(func.max(WeeklyReport.week)))
    weeks = calendar.campaign_weeks(start, end)
    today = calendar.week_start((now or now_utc()).astimezone(calendar.BANGKOK).date())
    last = max(weeks[-1], last_reported or weeks[-1])
    if today > weeks[-1] and today - weeks[-1] <= timedelta(weeks=8):
        last = max(last, today)
    while weeks[-1] < last:
        weeks.append(weeks[-1] + timedelta(weeks=1))
    return weeks
