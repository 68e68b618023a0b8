"""What the closed weeks say (read-only): which weeks are closed, their frozen figures, and the
changes made to them since. Closing and reopening are services.closing's.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rayong_desktop.db.engine import Database
from rayong_desktop.db.models import AuditLog, WeekClose
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.closing import ChangeSinceClose, Frozen, SnapshotError, checksum, thaw
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.domain.numbers import format_int
from rayong_desktop.domain.thaidate import thai_date

AUDIT_ENTITY = "week"  # audit entries of closing and reopening: entity "week", key the Monday


def open_close(session: Session, week: date) -> WeekClose | None:
    """The week's close in force (not reopened), if any."""
    return session.scalar(
        select(WeekClose).where(WeekClose.week == week, WeekClose.reopened_at.is_(None))
    )


def closed_weeks(db: Database) -> dict[date, WeekClose]:
    """Every week closed now, by its Monday."""
    with db.reading() as session:
        return {
            c.week: c
            for c in session.scalars(select(WeekClose).where(WeekClose.reopened_at.is_(None)))
        }


def thaw_close(close: WeekClose) -> Frozen:
    """The frozen figures of a close; refused (not guessed) when the snapshot was altered."""
    try:
        return thaw(close.snapshot, close.checksum)
    except SnapshotError as exc:
        raise RefusedError(
            f"ข้อมูลที่ปิดไว้ของสัปดาห์ {close.week.isoformat()} ไม่ตรงกับค่าตรวจสอบ (ถูกแก้ไขหรือเสียหาย)",
            f"the closed figures of the week of {close.week.isoformat()} do not match their "
            f"checksum ({exc})",
            code="snapshot_damaged",
        ) from exc


def frozen_week(db: Database, week: date) -> Frozen | None:
    """The figures frozen when ``week`` was closed; None when it is not closed."""
    with db.reading() as session:
        close = open_close(session, week)
        return None if close is None else thaw_close(close)


def _close_entry_id(session: Session, close: WeekClose) -> int:
    """The audit entry of the close: changes after it are changes since the close."""
    found = session.scalar(
        select(AuditLog.id)
        .where(
            AuditLog.entity == AUDIT_ENTITY,
            AuditLog.entity_key == close.week.isoformat(),
            AuditLog.action == "close",
            AuditLog.at == close.closed_at,
        )
        .order_by(AuditLog.id.desc())
        .limit(1)
    )
    return int(found or 0)


def changes_since_close(session: Session, close: WeekClose) -> list[ChangeSinceClose]:
    """Every report of the closed week stored, corrected or undone after the close."""
    after = _close_entry_id(session, close)
    rows = session.scalars(
        select(AuditLog)
        .where(
            AuditLog.entity == "report",
            AuditLog.entity_key.like(f"%/{close.week.isoformat()}"),
            AuditLog.id > after,
        )
        .order_by(AuditLog.id)
    )
    return [
        ChangeSinceClose(
            unit=a.entity_key.rsplit("/", 1)[0],
            before=None if a.old is None else int(a.old),
            after=None if a.new is None else int(a.new),
            who=a.actor,
            when=a.at,
            why=a.reason,
            action=a.action,
        )
        for a in rows
    ]


def change_json(c: ChangeSinceClose) -> dict[str, Any]:
    return {
        "unit": c.unit,
        "before": c.before,
        "after": c.after,
        "who": c.who,
        "when": c.when.astimezone(BANGKOK).isoformat(),
        "why": c.why,
        "action": c.action,
    }


def close_json(close: WeekClose) -> dict[str, Any]:
    """`closed` in `status --json`: who closed the week, when, why, the checksum (`verified`:
    the stored snapshot still matches it) and the frozen province totals (the keys of
    `totals`)."""
    data = json.loads(close.snapshot)
    totals = data["summary"]["totals"]
    expected = totals["expected"]

    def ratio(part: int) -> float | None:
        return None if expected == 0 else round(part / expected, 4)

    return {
        "at": close.closed_at.astimezone(BANGKOK).isoformat(),
        "by": close.closed_by,
        "note": close.note,
        "checksum": close.checksum,
        "verified": checksum(close.snapshot) == close.checksum,
        "letter_number": close.letter_number,
        "totals": {
            **{
                k: totals[k]
                for k in (
                    "quota",
                    "units_quota",
                    "count",
                    "previous_count",
                    "increase",
                    "shortfall",
                    "expected",
                    "received",
                    "on_time",
                    "late",
                    "missing",
                    "overdue",
                )
            },
            "pct_of_quota": None
            if totals["pct_of_quota"] is None
            else round(totals["pct_of_quota"], 2),
            "reporting_rate": ratio(totals["received"]),
            "on_time_rate": ratio(totals["on_time"]),
        },
    }


def live_notice(db: Database, week: date, live_count: int) -> str | None:
    """The line a live document of a closed week carries, saying it is not the closed one."""
    with db.reading() as session:
        close = open_close(session, week)
        if close is None:
            return None
        frozen = thaw_close(close)
    closed_count = frozen.summary.totals.count
    on = thai_date(close.closed_at.astimezone(BANGKOK).date())
    same = "เท่ากับ" if closed_count == live_count else "ต่างจาก"
    return (
        f"ฉบับนี้เป็นตัวเลข ณ วันพิมพ์ (ยอดสะสม {format_int(live_count)} ราย) {same}ตัวเลขที่ปิดสัปดาห์"
        f"ไว้เมื่อ {on} (ยอดสะสม {format_int(closed_count)} ราย)"
    )
