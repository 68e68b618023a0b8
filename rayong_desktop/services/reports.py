"""Weekly reports: keying a figure, correcting it with history, and a unit's whole history.

One call is one transaction. A refused figure raises RefusedError and stores nothing; a figure
that needs the clerk's confirmation raises NeedsConfirmation and stores nothing until it is
repeated with confirm=True, then it is stored marked with what was confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from rayong_desktop.db.engine import Database
from rayong_desktop.db.models import ReportRevision, Unit, WeeklyReport
from rayong_desktop.domain import calendar
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.errors import Concern, NeedsConfirmation, RefusedError
from rayong_desktop.domain.numbers import CountError, format_int, parse_count
from rayong_desktop.domain.thaidate import thai_date
from rayong_desktop.domain.validation import (
    PlausibilityRules,
    check_plausibility,
    largest_weekly_rise,
)
from rayong_desktop.services.common import audit, current_clerk, now_utc
from rayong_desktop.services.registry import _find_unit, schedule_for, schedules_by_kind
from rayong_desktop.services.settings import load_settings

CHANNELS: dict[str, str] = {
    "phone": "โทรศัพท์",
    "fax": "โทรสาร",
    "line": "LINE",
    "email": "อีเมล",
    "paper": "หนังสือ/เอกสาร",
    "import": "นำเข้าไฟล์",
}
# Received times may be keyed a little ahead of the PC clock (a wall clock that runs fast).
FUTURE_TOLERANCE = timedelta(minutes=5)


class ConflictError(RefusedError):
    """Someone else changed this unit-week since the clerk read it."""

    def __init__(self, th: str, en: str, *, current_count: int, current_version: int) -> None:
        super().__init__(th, en, code="conflict")
        self.current_count = current_count
        self.current_version = current_version


@dataclass(frozen=True)
class ReportResult:
    unit: str
    week: date
    count: int
    version: int
    outcome: str  # "stored" | "corrected" | "unchanged"
    confirmed: tuple[str, ...]
    due_at: datetime
    received_at: datetime
    late_by_minutes: int

    def as_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "week": calendar.week_label(self.week),
            "week_start": self.week.isoformat(),
            "count": self.count,
            "version": self.version,
            "outcome": self.outcome,
            "confirmed": list(self.confirmed),
            "due_at": self.due_at.isoformat(),
            "received_at": self.received_at.astimezone(BANGKOK).isoformat(),
            "on_time": self.late_by_minutes == 0,
            "late_by_minutes": self.late_by_minutes,
        }


def parse_channel(text: str | None) -> str:
    if text is None or not text.strip():
        return "phone"
    wanted = text.strip()
    for code, th in CHANNELS.items():
        if wanted.lower() in (code, "e-mail" if code == "email" else code) or wanted == th:
            return code
    raise RefusedError(
        f"ไม่รู้จักช่องทาง '{text}' (ใช้ได้: {', '.join(CHANNELS.values())})",
        f"unknown channel '{text}' (known: {', '.join(CHANNELS)})",
        code="unknown_channel",
    )


def _where(unit: Unit, week: date) -> tuple[str, str]:
    """How a message names the unit and week, in Thai and English."""
    th = f"{unit.code} {unit.name} สัปดาห์ {calendar.week_label(week)} ({thai_date(week)})"
    en = f"{unit.code}, week {calendar.week_label(week)}"
    return th, en


def _refuse(unit: Unit, week: date, th: str, en: str, code: str) -> RefusedError:
    where_th, where_en = _where(unit, week)
    return RefusedError(f"{where_th}: {th}", f"{where_en}: {en}", code=code)


def _check_received(unit: Unit, week: date, received: datetime, now: datetime) -> None:
    if received.tzinfo is None:
        raise ValueError("received_at must be timezone-aware")
    week_opens = datetime.combine(week, datetime.min.time(), BANGKOK)
    shown = received.astimezone(BANGKOK).strftime("%Y-%m-%d %H:%M")
    if received > now + FUTURE_TOLERANCE:
        raise _refuse(
            unit,
            week,
            f"เวลารับรายงาน {shown} อยู่ในอนาคต",
            f"received time {shown} is in the future",
            "received_in_future",
        )
    if received < week_opens:
        raise _refuse(
            unit,
            week,
            f"เวลารับรายงาน {shown} อยู่ก่อนสัปดาห์ที่รายงาน",
            f"received time {shown} is before the week it reports on",
            "received_before_week",
        )


def _check_week(unit: Unit, week: date, start: date, now: datetime) -> None:
    if week.weekday() != 0:
        raise ValueError("week must be a Monday")
    this_week = calendar.week_start(now.astimezone(BANGKOK).date())
    if week > this_week:
        raise _refuse(unit, week, "ยังไม่ถึงสัปดาห์นี้", "that week has not come yet", "future_week")
    if week + timedelta(days=6) < start:
        raise _refuse(
            unit,
            week,
            f"สัปดาห์นี้อยู่ก่อนวันเริ่มโครงการ ({thai_date(start)})",
            f"that week is before the campaign started ({start.isoformat()})",
            "before_campaign",
        )


def _neighbours(
    session: Session, unit_id: int, week: date
) -> tuple[int | None, int | None, int | None]:
    """Previous count, the largest earlier weekly rise, and the next later count."""
    earlier = list(
        session.scalars(
            select(WeeklyReport.count)
            .where(WeeklyReport.unit_id == unit_id, WeeklyReport.week < week)
            .order_by(WeeklyReport.week)
        )
    )
    later = session.scalar(
        select(WeeklyReport.count)
        .where(WeeklyReport.unit_id == unit_id, WeeklyReport.week > week)
        .order_by(WeeklyReport.week)
        .limit(1)
    )
    previous = earlier[-1] if earlier else None
    return previous, largest_weekly_rise(earlier), later


def record_report(
    db: Database,
    *,
    unit_code: str,
    week: date,
    count: str | int | float | None,
    received_at: datetime | None = None,
    channel: str | None = None,
    reporter: str | None = None,
    reporter_phone: str | None = None,
    note: str | None = None,
    confirm: bool = False,
    reason: str | None = None,
    expected_version: int | None = None,
    actor: str | None = None,
    allow_correction: bool = True,
) -> ReportResult:
    """Store one unit's cumulative count for a week, or correct the one already there.

    A correction needs `allow_correction`; the CLI asks for a reason before it allows one so a
    figure keyed twice by mistake never silently replaces the first. `expected_version` (the
    version the clerk saw; 0 for "no report yet") turns a change by someone else in between
    into a ConflictError that carries their figure.
    """
    actor = actor or current_clerk()
    now = now_utc()
    # Checked up front; None keeps a stored report's channel (see below), else "phone".
    given_channel = parse_channel(channel) if channel is not None and channel.strip() else None
    try:
        with db.transaction() as session:
            unit = _find_unit(session, unit_code)
            settings = load_settings(session)
            try:
                value = parse_count(count, ceiling=settings.count_ceiling)
            except CountError as exc:
                raise _refuse(unit, week, exc.th, exc.en, exc.code) from None
            _check_week(unit, week, settings.campaign_start, now)
            _check_received(unit, week, received_at or now, now)

            by_kind, default = schedules_by_kind(session)
            sched = schedule_for(unit, by_kind, default)
            due = calendar.due_at(
                calendar.Schedule(sched.weekday, sched.cutoff, sched.first_due), week
            )
            current = session.scalar(
                select(WeeklyReport).where(
                    WeeklyReport.unit_id == unit.id, WeeklyReport.week == week
                )
            )
            if (
                current is not None
                and expected_version is not None
                and current.version != expected_version
            ):
                where_th, where_en = _where(unit, week)
                raise ConflictError(
                    f"{where_th}: มีผู้อื่นบันทึกเป็น {format_int(current.count)} คน "
                    f"(ฉบับที่ {current.version}) ระหว่างที่ท่านแก้ไข กรุณาตรวจสอบแล้วเลือกอีกครั้ง",
                    f"{where_en}: someone else stored {current.count} (version "
                    f"{current.version}) while you were editing; check it and choose again",
                    current_count=current.count,
                    current_version=current.version,
                )
            received: datetime
            if current is None:
                received = received_at or now
                the_channel = given_channel or "phone"
            else:
                # What a correction leaves out stays as first reported: correcting the figure does
                # not move when the unit reported (making it late), nor how or by whom; and the same
                # figure keyed again later is recognised as unchanged.
                received = received_at or current.received_at
                the_channel = given_channel or current.channel
                reporter = current.reporter if reporter is None else reporter
                reporter_phone = (
                    current.reporter_phone if reporter_phone is None else reporter_phone
                )
                note = current.note if note is None else note
            if current is not None and _same(
                current, value, received, the_channel, reporter, reporter_phone, note
            ):
                return _result(unit, current, due, "unchanged")
            if current is not None and not allow_correction:
                raise _refuse(
                    unit,
                    week,
                    f"มีรายงานแล้ว ({format_int(current.count)} คน) หากต้องการแก้ไขให้ระบุเหตุผล",
                    f"already reported ({current.count}); give a reason to correct it",
                    "already_reported",
                )

            previous, max_rise, later = _neighbours(session, unit.id, week)
            rules = PlausibilityRules(
                rise_quota_factor=settings.rise_quota_factor,
                rise_history_factor=settings.rise_history_factor,
                rise_floor=settings.rise_floor,
            )
            concerns = check_plausibility(
                value,
                quota=unit.quota,
                previous_count=previous,
                max_previous_rise=max_rise,
                later_count=later,
                rules=rules,
            )
            if concerns and not confirm:
                raise _needs_confirmation(unit, week, concerns)
            confirmed = " ".join(c.code for c in concerns)

            if current is None:
                report = WeeklyReport(
                    unit_id=unit.id,
                    week=week,
                    count=value,
                    received_at=received,
                    entered_at=now,
                    channel=the_channel,
                    reporter=_clean(reporter),
                    reporter_phone=_clean(reporter_phone),
                    clerk=actor,
                    note=_clean(note),
                    confirmed=confirmed,
                )
                session.add(report)
                old_count: int | None = None
                outcome = "stored"
            else:
                report = current
                old_count = report.count
                report.count = value
                report.received_at = received
                report.entered_at = now
                report.channel = the_channel
                report.reporter = _clean(reporter)
                report.reporter_phone = _clean(reporter_phone)
                report.clerk = actor
                report.note = _clean(note)
                report.confirmed = confirmed
                outcome = "corrected"
            session.flush()  # assigns the id and bumps the version
            session.add(
                ReportRevision(
                    report_id=report.id,
                    version=report.version,
                    count=value,
                    received_at=received,
                    entered_at=now,
                    channel=the_channel,
                    reporter=report.reporter,
                    reporter_phone=report.reporter_phone,
                    clerk=actor,
                    note=report.note,
                    confirmed=confirmed,
                    reason=_clean(reason),
                )
            )
            unit.last_channel = the_channel
            if reporter:
                unit.last_reporter = _clean(reporter)
            if reporter_phone:
                unit.last_reporter_phone = _clean(reporter_phone)
            audit(
                session,
                actor=actor,
                action="report" if outcome == "stored" else "correct",
                entity="report",
                key=f"{unit.code}/{week.isoformat()}",
                field="count",
                old=old_count,
                new=value,
                reason=_clean(reason),
                at=now,
            )
            return _result(unit, report, due, outcome)
    except (IntegrityError, StaleDataError) as exc:
        # Another clerk stored this unit-week between our read and our write (a server
        # database lets both run at once): never overwrite; say what they stored.
        raise _concurrent_change(db, unit_code, week) from exc


def _concurrent_change(db: Database, unit_code: str, week: date) -> RefusedError:
    with db.reading() as session:
        unit = _find_unit(session, unit_code)
        current = session.scalar(
            select(WeeklyReport).where(WeeklyReport.unit_id == unit.id, WeeklyReport.week == week)
        )
        where_th, where_en = _where(unit, week)
        if current is None:
            return RefusedError(
                f"{where_th}: มีการเปลี่ยนแปลงพร้อมกันจากเครื่องอื่น กรุณาบันทึกอีกครั้ง",
                f"{where_en}: changed at the same time elsewhere; please enter it again",
                code="conflict",
            )
        return ConflictError(
            f"{where_th}: มีผู้อื่นบันทึกเป็น {format_int(current.count)} คน "
            f"(ฉบับที่ {current.version}) พร้อมกัน กรุณาตรวจสอบแล้วเลือกอีกครั้ง",
            f"{where_en}: someone else stored {current.count} (version {current.version}) "
            "at the same time; check it and choose again",
            current_count=current.count,
            current_version=current.version,
        )


def _same(
    report: WeeklyReport,
    count: int,
    received: datetime,
    channel: str,
    reporter: str | None,
    phone: str | None,
    note: str | None,
) -> bool:
    return (
        report.count == count
        and report.received_at == received
        and report.channel == channel
        and report.reporter == _clean(reporter)
        and report.reporter_phone == _clean(phone)
        and report.note == _clean(note)
    )


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    stripped = text.strip()
    return stripped or None


def _needs_confirmation(unit: Unit, week: date, concerns: list[Concern]) -> NeedsConfirmation:
    where_th, where_en = _where(unit, week)
    return NeedsConfirmation(
        [Concern(c.code, f"{where_th}: {c.th}", f"{where_en}: {c.en}") for c in concerns]
    )


def _result(unit: Unit, report: WeeklyReport, due: datetime, outcome: str) -> ReportResult:
    return ReportResult(
        unit=unit.code,
        week=report.week,
        count=report.count,
        version=report.version,
        outcome=outcome,
        confirmed=tuple(report.confirmed.split()),
        due_at=due,
        received_at=report.received_at,
        late_by_minutes=calendar.late_minutes(report.received_at, due),
    )


# ---------------------------------------------------------------- history


@dataclass(frozen=True)
class RevisionView:
    week: date
    version: int
    current: bool
    count: int
    received_at: datetime
    entered_at: datetime
    channel: str
    reporter: str | None
    reporter_phone: str | None
    clerk: str
    note: str | None
    confirmed: tuple[str, ...]
    reason: str | None
    previous_count: int | None  # this report's count before this version (None for the first)

    def as_json(self) -> dict[str, Any]:
        return {
            "week": calendar.week_label(self.week),
            "week_start": self.week.isoformat(),
            "version": self.version,
            "current": self.current,
            "count": self.count,
            "previous_count": self.previous_count,
            "received_at": self.received_at.astimezone(BANGKOK).isoformat(),
            "entered_at": self.entered_at.astimezone(BANGKOK).isoformat(),
            "channel": self.channel,
            "reporter": self.reporter,
            "reporter_phone": self.reporter_phone,
            "clerk": self.clerk,
            "note": self.note,
            "confirmed": list(self.confirmed),
            "reason": self.reason,
        }


def unit_history(db: Database, code: str) -> tuple[Unit, list[RevisionView]]:
    """Every version of every report of a unit, newest week first, versions in order."""
    with db.reading() as session:
        unit = _find_unit(session, code)
        rows = session.execute(
            select(ReportRevision, WeeklyReport.week, WeeklyReport.version)
            .join(WeeklyReport, WeeklyReport.id == ReportRevision.report_id)
            .where(WeeklyReport.unit_id == unit.id)
            .order_by(WeeklyReport.week.desc(), ReportRevision.version)
        ).all()
        views: list[RevisionView] = []
        last_count: dict[date, int] = {}
        for rev, week, current_version in rows:
            views.append(
                RevisionView(
                    week=week,
                    version=rev.version,
                    current=rev.version == current_version,
                    count=rev.count,
                    received_at=rev.received_at,
                    entered_at=rev.entered_at,
                    channel=rev.channel,
                    reporter=rev.reporter,
                    reporter_phone=rev.reporter_phone,
                    clerk=rev.clerk,
                    note=rev.note,
                    confirmed=tuple(rev.confirmed.split()),
                    reason=rev.reason,
                    previous_count=last_count.get(week),
                )
            )
            last_count[week] = rev.count
        return unit, views


# ---------------------------------------------------------------- undo

UNDO_REASON = "ยกเลิกการบันทึกล่าสุด (undo)"


def undo_report(
    db: Database,
    *,
    unit_code: str,
    week: date,
    expected_version: int,
    actor: str | None = None,
) -> ReportResult | None:
    """Take back the latest version of a unit-week's report (the desk's Ctrl+Z).

    A correction is undone by a new version that restores the one before it, so the history
    still shows both. A first entry is removed; the audit log keeps what it was, who keyed it
    and who took it back. Returns None when the report was removed. `expected_version` is the
    version the clerk is undoing: anything newer by someone else is a ConflictError.
    """
    actor = actor or current_clerk()
    now = now_utc()
    with db.transaction() as session:
        unit = _find_unit(session, unit_code)
        current = session.scalar(
            select(WeeklyReport).where(WeeklyReport.unit_id == unit.id, WeeklyReport.week == week)
        )
        if current is None:
            raise _refuse(
                unit, week, "ไม่มีรายงานให้ยกเลิก", "there is no report to undo", "nothing_to_undo"
            )
        if current.version != expected_version:
            where_th, where_en = _where(unit, week)
            raise ConflictError(
                f"{where_th}: มีผู้อื่นบันทึกเป็น {format_int(current.count)} คน "
                f"(ฉบับที่ {current.version}) หลังการบันทึกของท่าน จึงไม่ยกเลิกให้",
                f"{where_en}: someone else stored {current.count} (version {current.version}) "
                "after your entry; nothing was undone",
                current_count=current.count,
                current_version=current.version,
            )
        key = f"{unit.code}/{week.isoformat()}"
        if current.version == 1:
            audit(
                session,
                actor=actor,
                action="undo",
                entity="report",
                key=key,
                field="count",
                old=current.count,
                new=None,
                reason=UNDO_REASON,
                at=now,
            )
            for rev in session.scalars(
                select(ReportRevision).where(ReportRevision.report_id == current.id)
            ):
                session.delete(rev)
            session.flush()
            session.delete(current)
            return None
        before = session.scalar(
            select(ReportRevision).where(
                ReportRevision.report_id == current.id,
                ReportRevision.version == current.version - 1,
            )
        )
        if before is None:  # every version has its revision; guard against a damaged history
            raise _refuse(
                unit, week, "ไม่พบฉบับก่อนหน้า", "the previous version is missing", "nothing_to_undo"
            )
        old_count = current.count
        current.count = before.count
        current.received_at = before.received_at
        current.channel = before.channel
        current.reporter = before.reporter
        current.reporter_phone = before.reporter_phone
        current.note = before.note
        current.confirmed = before.confirmed
        current.entered_at = now
        current.clerk = actor
        session.flush()
        session.add(
            ReportRevision(
                report_id=current.id,
                version=current.version,
                count=current.count,
                received_at=current.received_at,
                entered_at=now,
                channel=current.channel,
                reporter=current.reporter,
                reporter_phone=current.reporter_phone,
                clerk=actor,
                note=current.note,
                confirmed=current.confirmed,
                reason=UNDO_REASON,
            )
        )
        audit(
            session,
            actor=actor,
            action="undo",
            entity="report",
            key=key,
            field="count",
            old=old_count,
            new=current.count,
            reason=UNDO_REASON,
            at=now,
        )
        by_kind, default = schedules_by_kind(session)
        sched = schedule_for(unit, by_kind, default)
        due = calendar.due_at(calendar.Schedule(sched.weekday, sched.cutoff, sched.first_due), week)
        return _result(unit, current, due, "undone")
