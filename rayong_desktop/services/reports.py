"""Weekly reports: keying a figure, correcting it with history, undoing it, a unit's history.

One call is one transaction. A refused figure raises RefusedError and stores nothing; a figure
that needs the clerk's confirmation raises NeedsConfirmation and stores nothing until it is
repeated with confirm=True, then it is stored marked with what was confirmed. What is decided is
domain.reporting's; how it is stored is the ReportWriter's (services/report_writer.py), the one
path every report takes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from rayong_desktop.db.engine import Database
from rayong_desktop.db.models import ReportRevision, Unit, WeeklyReport
from rayong_desktop.domain import calendar, reporting
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.domain.reporting import (
    CHANNELS,
    RECEIVED_ON_TIME,
    ConflictError,
    Keyed,
    Reception,
    parse_channel,
    parse_reception,
)
from rayong_desktop.services.registry import find_unit
from rayong_desktop.services.report_writer import UNDO_REASON, ReportResult, ReportWriter, unit_ref

__all__ = [
    "CHANNELS",
    "RECEIVED_ON_TIME",
    "UNDO_REASON",
    "ConflictError",
    "Reception",
    "ReportResult",
    "RevisionView",
    "parse_channel",
    "parse_reception",
    "record_report",
    "undo_report",
    "unit_history",
]


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
    reception: Reception | None = None,
) -> ReportResult:
    """Store one unit's cumulative count for a week, or correct the one already there.

    `reception` says how the received time was given (domain.reporting.Reception): None takes
    AT when `received_at` is given, else NOW (the moment of keying). The desk and the command
    line pass UNSTATED when the clerk said nothing, so a first report keyed after the deadline
    is refused until the clerk says when it came.

    A correction needs `allow_correction`; the CLI asks for a reason before it allows one so a
    figure keyed twice by mistake never silently replaces the first. `expected_version` (the
    version the clerk saw; 0 for "no report yet") turns a change by someone else in between
    into a ConflictError that carries their figure.
    """
    # Checked up front; None keeps a stored report's channel, else "phone".
    given_channel = parse_channel(channel) if channel is not None and channel.strip() else None
    keyed = Keyed(
        count=count,
        received_at=received_at,
        channel=given_channel,
        reporter=reporter,
        reporter_phone=reporter_phone,
        note=note,
        reason=reason,
        reception=reception or (Reception.AT if received_at is not None else Reception.NOW),
    )
    try:
        with db.transaction() as session:
            writer = ReportWriter(session, actor=actor or "")
            written = writer.write(
                find_unit(session, unit_code),
                week,
                keyed,
                confirm=confirm,
                allow_correction=allow_correction,
                expected_version=expected_version,
            )
            writer.flush()
            return written.result()
    except (IntegrityError, StaleDataError) as exc:
        # Another clerk stored this unit-week between our read and our write (a server
        # database lets both run at once): never overwrite; say what they stored.
        raise _concurrent_change(db, unit_code, week) from exc


def _concurrent_change(db: Database, unit_code: str, week: date) -> RefusedError:
    with db.reading() as session:
        unit = find_unit(session, unit_code)
        current = session.scalar(
            select(WeeklyReport).where(WeeklyReport.unit_id == unit.id, WeeklyReport.week == week)
        )
        if current is None:
            where_th, where_en = reporting.where(unit_ref(unit), week)
            return RefusedError(
                f"{where_th}: มีการเปลี่ยนแปลงพร้อมกันจากเครื่องอื่น กรุณาบันทึกอีกครั้ง",
                f"{where_en}: changed at the same time elsewhere; please enter it again",
                code="conflict",
            )
        return reporting.conflict(unit_ref(unit), week, current.count, current.version, "same_time")


def undo_report(
    db: Database,
    *,
    unit_code: str,
    week: date,
    expected_version: int,
    actor: str | None = None,
) -> ReportResult | None:
    """Take back the latest version of a unit-week's report (the desk's Ctrl+Z).

    A correction is undone by a new version that restores the one before it; a first entry is
    removed (ReportWriter.undo). Returns None when the report was removed. `expected_version` is
    the version the clerk is undoing: anything newer by someone else is a ConflictError.
    """
    with db.transaction() as session:
        writer = ReportWriter(session, actor=actor or "")
        written = writer.undo(
            find_unit(session, unit_code), week, expected_version=expected_version
        )
        return None if written is None else written.result()


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
        unit = find_unit(session, code)
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
