"""Closing a week (what was sent stays what was sent) and reopening a week closed by mistake.

Closing freezes the week's summary as the desk shows it now, the province's trend printed with
it and the number of the letter that went out (domain.closing), with who and when, in one
audited transaction. A closed week still takes corrections, each with a reason (the report
writer asks domain.reporting.decide with `closed`); `summary` and `letter` print the frozen
figures unless asked for today's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from rayong_desktop.db.engine import Database
from rayong_desktop.db.models import AuditLog
from rayong_desktop.db.models import WeekClose as WeekCloseRow
from rayong_desktop.domain import calendar
from rayong_desktop.domain.closing import Frozen, freeze
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.domain.reporting import clean
from rayong_desktop.domain.thaidate import thai_week_range
from rayong_desktop.services import status, trends
from rayong_desktop.services.closed_weeks import AUDIT_ENTITY, open_close
from rayong_desktop.services.common import audit, current_clerk, now_utc


@dataclass(frozen=True)
class ClosedWeek:
    week: date
    at: datetime
    by: str
    note: str | None
    letter_number: int | None
    checksum: str
    count: int  # the province's frozen count


def _where(week: date) -> tuple[str, str]:
    return (
        f"สัปดาห์ {calendar.week_label(week)} ({thai_week_range(week)})",
        f"week {calendar.week_label(week)}",
    )


def issued_letter_number(db: Database, week: date) -> int | None:
    """The running number of the newest summary letter issued for ``week`` (audit log)."""
    label = calendar.week_label(week)
    with db.reading() as session:
        for old, new in session.execute(
            select(AuditLog.old, AuditLog.new)
            .where(AuditLog.entity == "letter", AuditLog.action == "issue")
            .order_by(AuditLog.id.desc())
        ):
            try:
                detail = json.loads(new or "{}")
            except ValueError:
                continue
            if detail.get("kind") == "summary_letter" and detail.get("week") == label:
                return int(old) if old and old.isdigit() else None
    return None


def close_week(
    db: Database,
    week: date,
    *,
    note: str | None = None,
    letter_number: int | None = None,
    now: datetime | None = None,
) -> ClosedWeek:
    """Freeze ``week``'s figures. The letter number defaults to the newest summary letter
    issued for the week. Refused for a week already closed, or not yet begun."""
    week = calendar.week_start(week)
    moment = now or now_utc()
    where_th, where_en = _where(week)
    today = moment.astimezone(calendar.BANGKOK).date()
    if week > calendar.week_start(today):
        raise RefusedError(
            f"{where_th}: ยังไม่ถึงสัปดาห์นี้ ปิดไม่ได้",
            f"{where_en} has not come yet and cannot be closed",
            code="future_week",
        )
    if letter_number is not None and letter_number < 1:
        raise RefusedError(
            "เลขที่หนังสือต้องเริ่มที่ 1 ขึ้นไป", "the letter number must be 1 or more", code="bad_number"
        )
    number = letter_number if letter_number is not None else issued_letter_number(db, week)
    summary = status.week_summary(db, week)
    frozen = Frozen(
        summary,
        tuple(trends.province_counts(db, week)),
        number,
        status.province_outlook(db, summary),
    )
    text, digest = freeze(frozen)
    actor = current_clerk()
    with db.transaction() as session:
        if open_close(session, week) is not None:
            raise RefusedError(
                f"{where_th}: ปิดไปแล้ว (เปิดใหม่ได้ด้วยเหตุผล)",
                f"{where_en} is already closed (reopen it with a reason first)",
                code="already_closed",
            )
        session.add(
            WeekCloseRow(
                week=week,
                closed_at=moment,
                closed_by=actor,
                note=clean(note),
                letter_number=number,
                checksum=digest,
                snapshot=text,
            )
        )
        audit(
            session,
            actor=actor,
            action="close",
            entity=AUDIT_ENTITY,
            key=week.isoformat(),
            field="snapshot",
            new=json.dumps(
                {"checksum": digest, "count": summary.totals.count, "letter_number": number},
                ensure_ascii=False,
            ),
            reason=clean(note),
            at=moment,
        )
    return ClosedWeek(week, moment, actor, clean(note), number, digest, summary.totals.count)


def reopen_week(
    db: Database, week: date, *, reason: str | None, now: datetime | None = None
) -> ClosedWeek:
    """Undo a mistaken close (the close stays in the history, marked reopened). A reason is
    required."""
    week = calendar.week_start(week)
    moment = now or now_utc()
    where_th, where_en = _where(week)
    why = clean(reason)
    if why is None:
        raise RefusedError(
            f"{where_th}: การเปิดสัปดาห์ที่ปิดแล้วต้องระบุเหตุผล",
            f"{where_en}: give a reason to reopen a closed week",
            code="reason_required",
        )
    actor = current_clerk()
    with db.transaction() as session:
        close = open_close(session, week)
        if close is None:
            raise RefusedError(
                f"{where_th}: ยังไม่ได้ปิด", f"{where_en} is not closed", code="not_closed"
            )
        close.reopened_at = moment
        close.reopened_by = actor
        close.reopen_reason = why
        audit(
            session,
            actor=actor,
            action="reopen",
            entity=AUDIT_ENTITY,
            key=week.isoformat(),
            field="snapshot",
            old=close.checksum,
            reason=why,
            at=moment,
        )
        count = json.loads(close.snapshot)["summary"]["totals"]["count"]
        return ClosedWeek(
            week,
            close.closed_at,
            close.closed_by,
            close.note,
            close.letter_number,
            close.checksum,
            int(count),
        )
