"""The OA's own figures, as the clerk reads them from LINE OA Manager."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from rayong_desktop.db.engine import Database
from rayong_desktop.db.models import OAStat
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.domain.numbers import CountError, parse_count
from rayong_desktop.services.common import audit, current_clerk, now_utc
from rayong_desktop.services.settings import load_settings

FIELDS = ("friends", "blocked", "reach", "sent_this_month")
TH_NAMES = {
    "friends": "จำนวนเพื่อน",
    "blocked": "จำนวนที่บล็อก",
    "reach": "กลุ่มเป้าหมายที่เข้าถึงได้",
    "sent_this_month": "ข้อความที่ส่งแล้วในเดือนนี้",
}


@dataclass(frozen=True)
class OAStatView:
    date: date
    friends: int
    blocked: int | None
    reach: int | None
    sent_this_month: int | None
    clerk: str
    note: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "friends": self.friends,
            "blocked": self.blocked,
            "reach": self.reach,
            "sent_this_month": self.sent_this_month,
            "clerk": self.clerk,
            "note": self.note,
        }


def _view(s: OAStat) -> OAStatView:
    return OAStatView(s.date, s.friends, s.blocked, s.reach, s.sent_this_month, s.clerk, s.note)


def record_oa_stat(
    db: Database,
    *,
    on: date,
    friends: str | int,
    blocked: str | int | None = None,
    reach: str | int | None = None,
    sent_this_month: str | int | None = None,
    note: str | None = None,
    actor: str | None = None,
) -> OAStatView:
    """Record (or correct, keeping the old values in the audit log) the OA's figures for a day."""
    actor = actor or current_clerk()
    raw = {
        "friends": friends,
        "blocked": blocked,
        "reach": reach,
        "sent_this_month": sent_this_month,
    }
    with db.transaction() as session:
        settings = load_settings(session)
        values: dict[str, int | None] = {}
        for field, text in raw.items():
            blank = text is None or (isinstance(text, str) and not text.strip())
            if blank and field != "friends":  # an optional figure left empty is "not read"
                values[field] = None
                continue
            ceiling = settings.monthly_message_quota * 10 if field == "sent_this_month" else 10**8
            try:
                values[field] = parse_count(text, ceiling=ceiling)
            except CountError as exc:
                raise RefusedError(
                    f"ตัวเลข LINE OA วันที่ {on.isoformat()} ช่อง{TH_NAMES[field]}: {exc.th}",
                    f"OA figures of {on.isoformat()}, {field}: {exc.en}",
                    code=exc.code,
                ) from None
        if on > now_utc().astimezone(BANGKOK).date():
            raise RefusedError(
                f"วันที่ {on.isoformat()} ยังมาไม่ถึง",
                f"{on.isoformat()} is in the future",
                code="future_date",
            )
        existing = session.scalar(select(OAStat).where(OAStat.date == on))
        now = now_utc()
        if existing is None:
            stat = OAStat(date=on, entered_at=now, clerk=actor, note=note, **values)
            session.add(stat)
            audit(
                session,
                actor=actor,
                action="add",
                entity="oa_stat",
                key=on.isoformat(),
                new=values["friends"],
                at=now,
            )
        else:
            stat = existing
            changed: list[tuple[str, object, object]] = [
                (field, getattr(stat, field), values[field])
                for field in FIELDS
                if getattr(stat, field) != values[field]
            ]
            if (stat.note or None) != (note or None):  # every change is audited, the note too
                changed.append(("note", stat.note, note))
            for field, old, new in changed:
                audit(
                    session,
                    actor=actor,
                    action="edit",
                    entity="oa_stat",
                    key=on.isoformat(),
                    field=field,
                    old=old,
                    new=new,
                    at=now,
                )
            for field in FIELDS:
                setattr(stat, field, values[field])
            stat.entered_at = now
            stat.clerk = actor
            stat.note = note
        session.flush()
        return _view(stat)


def list_oa_stats(db: Database) -> list[OAStatView]:
    with db.reading() as session:
        return [_view(s) for s in session.scalars(select(OAStat).order_by(OAStat.date))]


def latest_oa_stat(db: Database, on_or_before: date) -> OAStatView | None:
    with db.reading() as session:
        s = session.scalar(
            select(OAStat).where(OAStat.date <= on_or_before).order_by(OAStat.date.desc()).limit(1)
        )
        return None if s is None else _view(s)
