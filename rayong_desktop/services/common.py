"""What every service shares: who is acting, what time it is, the audit trail."""

from __future__ import annotations

import getpass
import os
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from rayong_desktop.db.models import AuditLog
from rayong_desktop.domain.calendar import BANGKOK


def current_clerk() -> str:
    """The clerk's name for the audit trail: RAYONG_CLERK, else the computer's login name."""
    name = os.environ.get("RAYONG_CLERK", "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:  # no login name (service account, container): still record something
        return "unknown"


def now_utc() -> datetime:
    """Now, or the moment RAYONG_NOW names (training and tests; naive means Bangkok time)."""
    fixed = os.environ.get("RAYONG_NOW", "").strip()
    if fixed:
        moment = datetime.fromisoformat(fixed)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=BANGKOK)
        return moment.astimezone(UTC)
    return datetime.now(UTC)


def audit(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    key: str,
    field: str | None = None,
    old: object = None,
    new: object = None,
    reason: str | None = None,
    at: datetime | None = None,
) -> None:
    session.add(
        AuditLog(
            at=at or now_utc(),
            actor=actor,
            action=action,
            entity=entity,
            entity_key=key,
            field=field,
            old=None if old is None else str(old),
            new=None if new is None else str(new),
            reason=reason,
        )
    )
