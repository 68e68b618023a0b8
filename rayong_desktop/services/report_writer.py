"""The one writer of weekly reports: it stores what domain.reporting decides, in a given session.

Typed entry (reports.record_report), undo (reports.undo_report), the form import
(excel_io.import_forms and its preview) and the demo fill all store reports through a
ReportWriter, so a report row, its revision, its audit entry and the unit's remembered channel
and reporter are written in exactly one way.

A writer works inside the caller's open session (the caller owns the transaction) and stages
what it writes: `flush()` sends the staged reports in one round, then their revisions and audit
entries as two bulk inserts. A 1,000-row form is thus three statements of history instead of
3,000 objects; a single typed figure is the same path with one row. What the writer needs to know
about a unit-week (the stored report, the neighbouring weeks) it reads per call, or in bulk for a
whole week (`prefetch_week`), or, for a database it fills itself (`knows_everything`), from what
it has written.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, selectinload

from rayong_desktop.db.changes import record_audit
from rayong_desktop.db.models import AuditLog, PlanRow, ReportRevision, Unit, WeeklyReport
from rayong_desktop.domain import calendar, reporting
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.reporting import Decision, Keyed, Outcome, UnitRef
from rayong_desktop.domain.validation import largest_weekly_rise
from rayong_desktop.services import closed_weeks
from rayong_desktop.services.common import current_clerk, now_utc
from rayong_desktop.services.registry import due_schedule, schedules_by_kind
from rayong_desktop.services.settings import load_settings

UNDO_REASON = "ยกเลิกการบันทึกล่าสุด (undo)"


@dataclass(frozen=True)
class Replaced:
    """The version a correction (or an undo) replaced: its figure, who stored it and when."""

    count: int
    version: int
    by: str
    at: datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "version": self.version,
            "by": self.by,
            "at": self.at.astimezone(BANGKOK).isoformat(),
        }


@dataclass(frozen=True)
class ReportResult:
    unit: str
    week: date
    count: int
    version: int
    outcome: str  # "stored" | "corrected" | "unchanged" | "undone"
    confirmed: tuple[str, ...]
    due_at: datetime
    received_at: datetime
    late_by_minutes: int
    replaced: Replaced | None = None  # what a correction replaced; None for a first report

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
            "replaced": None if self.replaced is None else self.replaced.as_json(),
        }


@dataclass
class Written:
    """A report the writer stored or left unchanged; `result()` once the writer has flushed."""

    unit: Unit
    report: WeeklyReport
    outcome: str
    due: datetime
    flushed: bool = False
    # The revision and audit entry waiting for the flush (None when nothing was written).
    old_count: int | None = None
    reason: str | None = None
    action: str = ""
    at: datetime | None = None
    replaced: Replaced | None = None

    def result(self) -> ReportResult:
        if not self.flushed:
            raise RuntimeError("ReportWriter.flush() first: the report has no version yet")
        report = self.report
        return ReportResult(
            unit=self.unit.code,
            week=report.week,
            count=report.count,
            version=report.version,
            outcome=self.outcome,
            confirmed=tuple(report.confirmed.split()),
            due_at=self.due,
            received_at=report.received_at,
            late_by_minutes=calendar.late_minutes(report.received_at, self.due),
            replaced=self.replaced,
        )


def unit_ref(unit: Unit) -> UnitRef:
    return UnitRef(unit.code, unit.name, unit.quota)


@dataclass
class _Known:
    """What the writer knows of one unit-week without asking the database."""

    report: WeeklyReport | None
    previous: int | None
    later: int | None


@dataclass
class ReportWriter:
    session: Session
    actor: str = ""
    now: datetime = field(default_factory=now_utc)

    def __post_init__(self) -> None:
        self.actor = self.actor or current_clerk()
        settings = load_settings(self.session)
        self.rules = reporting.Rules(
            count_ceiling=settings.count_ceiling,
            campaign_start=settings.campaign_start,
            plausibility=settings.plausibility_rules(),
            campaign_end=calendar.campaign_end(settings.campaign_start, settings.campaign_months),
        )
        self._schedules = schedules_by_kind(self.session)
        self._known: dict[tuple[int, date], _Known] = {}
        self._weeks_known: dict[int, set[date]] = {}  # the weeks of each unit in _known
        # knows_everything(): every report of the session, by unit, as (week, count) in order.
        self._everything: dict[int, list[tuple[date, int]]] | None = None
        self._staged: list[Written] = []
        self._staged_reports: set[int] = set()  # id() of the staged reports
        self._closed: dict[date, bool] = {}  # weeks asked about: closed or not

    # ------------------------------------------------------------ what is known

    def units(self, ids: Iterable[int]) -> dict[int, Unit]:
        """The units, with what their schedules need, in one query."""
        return {
            u.id: u
            for u in self.session.scalars(
                select(Unit)
                .where(Unit.id.in_(list(ids)))
                .options(
                    selectinload(Unit.plan_row).selectinload(PlanRow.schedule),
                    selectinload(Unit.schedule),
                )
            )
        }

    def prefetch_week(self, week: date, unit_ids: Iterable[int]) -> None:
        """Read the stored report and neighbouring counts of many units for one week at once."""
        ids = list(unit_ids)
        current = {
            r.unit_id: r
            for r in self.session.scalars(
                select(WeeklyReport).where(WeeklyReport.week == week, WeeklyReport.unit_id.in_(ids))
            )
        }
        previous = self._edge_counts(ids, WeeklyReport.week < week, func.max)
        later = self._edge_counts(ids, WeeklyReport.week > week, func.min)
        for unit_id in ids:
            self._known[(unit_id, week)] = _Known(
                current.get(unit_id), previous.get(unit_id), later.get(unit_id)
            )
            self._weeks_known.setdefault(unit_id, set()).add(week)

    def _edge_counts(self, ids: list[int], side: Any, pick: Any) -> dict[int, int]:
        edge = (
            select(WeeklyReport.unit_id, pick(WeeklyReport.week).label("week"))
            .where(side, WeeklyReport.unit_id.in_(ids))
            .group_by(WeeklyReport.unit_id)
            .subquery()
        )
        return {
            unit_id: count
            for unit_id, count in self.session.execute(
                select(WeeklyReport.unit_id, WeeklyReport.count).join(
                    edge,
                    (WeeklyReport.unit_id == edge.c.unit_id) & (WeeklyReport.week == edge.c.week),
                )
            )
        }

    def knows_everything(self) -> None:
        """The session holds no report the writer did not write (the demo fills an empty
        database): neighbours come from memory, not from a query per figure."""
        if self.session.scalar(select(WeeklyReport.id).limit(1)) is not None:
            raise ValueError("knows_everything() needs a database without reports")
        self._everything = {}

    def _facts(self, unit: Unit, week: date) -> tuple[WeeklyReport | None, reporting.Neighbours]:
        if self._everything is not None:
            return self._facts_from_memory(unit.id, week)
        known = self._known.get((unit.id, week))
        if known is None:
            known = _Known(
                self.session.scalar(
                    select(WeeklyReport).where(
                        WeeklyReport.unit_id == unit.id, WeeklyReport.week == week
                    )
                ),
                self.session.scalar(
                    select(WeeklyReport.count)
                    .where(WeeklyReport.unit_id == unit.id, WeeklyReport.week < week)
                    .order_by(WeeklyReport.week.desc())
                    .limit(1)
                ),
                self.session.scalar(
                    select(WeeklyReport.count)
                    .where(WeeklyReport.unit_id == unit.id, WeeklyReport.week > week)
                    .order_by(WeeklyReport.week)
                    .limit(1)
                ),
            )

        def largest_rise() -> int | None:
            earlier = self.session.scalars(
                select(WeeklyReport.count)
                .where(WeeklyReport.unit_id == unit.id, WeeklyReport.week < week)
                .order_by(WeeklyReport.week)
            )
            return largest_weekly_rise(list(earlier))

        return known.report, reporting.Neighbours(known.previous, known.later, largest_rise)

    def _facts_from_memory(
        self, unit_id: int, week: date
    ) -> tuple[WeeklyReport | None, reporting.Neighbours]:
        assert self._everything is not None
        history = self._everything.get(unit_id, [])
        at = bisect.bisect_left(history, (week,))
        earlier = [count for _w, count in history[:at]]
        exact = at < len(history) and history[at][0] == week
        after = at + 1 if exact else at
        known = self._known.get((unit_id, week))
        return known.report if known else None, reporting.Neighbours(
            earlier[-1] if earlier else None,
            history[after][1] if after < len(history) else None,
            lambda: largest_weekly_rise(earlier),
        )

    def _remember(self, unit_id: int, week: date, report: WeeklyReport | None) -> None:
        """Keep what the writer knows true after it changed a unit-week."""
        if self._everything is not None:
            history = self._everything.setdefault(unit_id, [])
            at = bisect.bisect_left(history, (week,))
            if at < len(history) and history[at][0] == week:
                del history[at]
            if report is not None:
                history.insert(at, (week, report.count))
            self._known[(unit_id, week)] = _Known(report, None, None)
            return
        # Another week's neighbours of this unit may have changed: read them again if asked.
        for other in self._weeks_known.pop(unit_id, set()) - {week}:
            del self._known[(unit_id, other)]
        if (unit_id, week) in self._known:
            self._weeks_known[unit_id] = {week}
        known = self._known.get((unit_id, week))
        if known is not None:
            known.report = report

    def due(self, unit: Unit, week: date) -> datetime:
        return calendar.due_at(due_schedule(unit, *self._schedules), week)

    # ------------------------------------------------------------ deciding and writing

    def decide(
        self,
        unit: Unit,
        week: date,
        keyed: Keyed,
        *,
        confirm: bool = False,
        allow_correction: bool = True,
        expected_version: int | None = None,
        at: datetime | None = None,
    ) -> tuple[Decision, WeeklyReport | None]:
        report, neighbours = self._facts(unit, week)
        current = None
        if report is not None:
            current = reporting.StoredReport(
                count=report.count,
                received_at=report.received_at,
                channel=report.channel,
                reporter=report.reporter,
                reporter_phone=report.reporter_phone,
                note=report.note,
                version=report.version,
            )
        decision = reporting.decide(
            unit_ref(unit),
            week,
            keyed,
            current=current,
            neighbours=neighbours,
            rules=self.rules,
            now=at or self.now,
            confirm=confirm,
            allow_correction=allow_correction,
            expected_version=expected_version,
            closed=self._week_closed(week),
            due=self.due(unit, week),
        )
        return decision, report

    def _week_closed(self, week: date) -> bool:
        if week not in self._closed:
            self._closed[week] = closed_weeks.open_close(self.session, week) is not None
        return self._closed[week]

    def write(
        self,
        unit: Unit,
        week: date,
        keyed: Keyed,
        *,
        confirm: bool = False,
        allow_correction: bool = True,
        expected_version: int | None = None,
        at: datetime | None = None,
    ) -> Written:
        """Store a keyed figure (staged until flush()); raises the decision's refusal or
        question, storing nothing."""
        decision, report = self.decide(
            unit,
            week,
            keyed,
            confirm=confirm,
            allow_correction=allow_correction,
            expected_version=expected_version,
            at=at,
        )
        decision.raise_problem()
        due = self.due(unit, week)
        if decision.outcome is Outcome.UNCHANGED:
            assert report is not None
            return Written(unit, report, Outcome.UNCHANGED.value, due, flushed=True)
        return self._store(unit, week, report, decision, due, at or self.now)

    def _store(
        self,
        unit: Unit,
        week: date,
        report: WeeklyReport | None,
        decision: Decision,
        due: datetime,
        at: datetime,
    ) -> Written:
        if report is not None and id(report) in self._staged_reports:
            self.flush()  # its version must move once per change: one flush per version
        assert decision.count is not None and decision.received_at is not None
        old_count: int | None = None
        replaced: Replaced | None = None
        if report is None:
            report = WeeklyReport(unit_id=unit.id, week=week)
            self.session.add(report)
        else:
            old_count = report.count
            replaced = _replaced(report)
        report.count = decision.count
        report.received_at = decision.received_at
        report.entered_at = at
        report.channel = decision.channel or "phone"
        report.reporter = decision.reporter
        report.reporter_phone = decision.reporter_phone
        report.clerk = self.actor
        report.note = decision.note
        report.confirmed = " ".join(decision.confirmed)
        unit.last_channel = report.channel
        unit.last_reporter = report.reporter or unit.last_reporter
        unit.last_reporter_phone = report.reporter_phone or unit.last_reporter_phone
        written = Written(
            unit,
            report,
            decision.outcome.value,
            due,
            old_count=old_count,
            reason=decision.reason,
            action="report" if old_count is None else "correct",
            at=at,
            replaced=replaced,
        )
        self._staged.append(written)
        self._staged_reports.add(id(report))
        self._remember(unit.id, week, report)
        return written

    def undo(self, unit: Unit, week: date, *, expected_version: int) -> Written | None:
        """Take back the latest version of a unit-week's report (the desk's Ctrl+Z).

        A correction is undone by a new version that restores the one before it, so the history
        still shows both. A first entry is removed; the audit log keeps what it was, who keyed it
        and who took it back. None when the report was removed.
        """
        self.flush()
        ref = unit_ref(unit)
        report, _neighbours = self._facts(unit, week)
        if report is None:
            raise reporting.refusal(
                ref, week, "ไม่มีรายงานให้ยกเลิก", "there is no report to undo", "nothing_to_undo"
            )
        if report.version != expected_version:
            raise reporting.conflict(ref, week, report.count, report.version, "after")
        if report.version == 1:
            self._audit(
                unit, week, "undo", old=report.count, new=None, reason=UNDO_REASON, at=self.now
            )
            for rev in self.session.scalars(
                select(ReportRevision).where(ReportRevision.report_id == report.id)
            ):
                self.session.delete(rev)
            self.session.flush()
            self.session.delete(report)
            self.session.flush()
            self._remember(unit.id, week, None)
            return None
        before = self.session.scalar(
            select(ReportRevision).where(
                ReportRevision.report_id == report.id,
                ReportRevision.version == report.version - 1,
            )
        )
        if before is None:  # every version has its revision; guard against a damaged history
            raise reporting.refusal(
                ref, week, "ไม่พบฉบับก่อนหน้า", "the previous version is missing", "nothing_to_undo"
            )
        old_count = report.count
        replaced = _replaced(report)
        report.count = before.count
        report.received_at = before.received_at
        report.channel = before.channel
        report.reporter = before.reporter
        report.reporter_phone = before.reporter_phone
        report.note = before.note
        report.confirmed = before.confirmed
        report.entered_at = self.now
        report.clerk = self.actor
        written = Written(
            unit,
            report,
            "undone",
            self.due(unit, week),
            old_count=old_count,
            reason=UNDO_REASON,
            action="undo",
            at=self.now,
            replaced=replaced,
        )
        self._staged.append(written)
        self.flush()
        self._remember(unit.id, week, report)
        return written

    def _audit(
        self,
        unit: Unit,
        week: date,
        action: str,
        *,
        old: int | None,
        new: int | None,
        reason: str | None,
        at: datetime,
    ) -> dict[str, Any]:
        entry = _audit_row(self.actor, unit, week, action, old, new, reason, at)
        self._insert_audit([entry])
        return entry

    def _insert_audit(self, rows: list[dict[str, Any]]) -> None:
        made = self.session.execute(
            insert(AuditLog).returning(AuditLog.id, AuditLog.entity), rows
        ).all()
        record_audit(self.session, [(i, e) for i, e in made])

    def flush(self) -> None:
        """Write what is staged: the reports, then their revisions and audit entries in bulk."""
        if not self._staged:
            return
        staged, self._staged = self._staged, []
        self._staged_reports.clear()
        self.session.flush()  # ids for new reports, and each version moved once
        revisions: list[dict[str, Any]] = []
        trail: list[dict[str, Any]] = []
        for w in staged:
            r = w.report
            revisions.append(
                {
                    "report_id": r.id,
                    "version": r.version,
                    "count": r.count,
                    "received_at": r.received_at,
                    "entered_at": r.entered_at,
                    "channel": r.channel,
                    "reporter": r.reporter,
                    "reporter_phone": r.reporter_phone,
                    "clerk": self.actor,
                    "note": r.note,
                    "confirmed": r.confirmed,
                    "reason": w.reason,
                }
            )
            assert w.at is not None
            trail.append(
                _audit_row(
                    self.actor, w.unit, r.week, w.action, w.old_count, r.count, w.reason, w.at
                )
            )
            w.flushed = True
        self.session.execute(insert(ReportRevision), revisions)
        self._insert_audit(trail)


def _replaced(report: WeeklyReport) -> Replaced:
    return Replaced(report.count, report.version, report.clerk, report.entered_at)


def _audit_row(
    actor: str,
    unit: Unit,
    week: date,
    action: str,
    old: int | None,
    new: int | None,
    reason: str | None,
    at: datetime,
) -> dict[str, Any]:
    return {
        "at": at,
        "actor": actor,
        "action": action,
        "entity": "report",
        "entity_key": f"{unit.code}/{week.isoformat()}",
        "field": "count",
        "old": None if old is None else str(old),
        "new": None if new is None else str(new),
        "reason": reason,
    }
