"""What every service shares: who is acting, what time it is, the audit trail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from rayong_desktop.db.models import AuditLog
from rayong_desktop.runtime import current_clerk as current_clerk
from rayong_desktop.runtime import now_utc as now_utc


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
