"""Collecting what a write transaction changed, from the audit entries it made.

The ORM's flush reports every AuditLog object added (session event below); bulk inserts of
audit rows report theirs with `record_audit`. At commit, Database.transaction hands the
transaction's Changes to whoever is collecting in this thread (services.ops.run); a write
outside a collector (a script, a test) is not affected.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from rayong_desktop.db.models import AuditLog
from rayong_desktop.domain.changes import Changes

_KEY = "rayong_audit_entries"
_collector: ContextVar[list[Changes] | None] = ContextVar("rayong_changes", default=None)


def record_audit(session: Session, entries: Iterable[tuple[int, str]]) -> None:
    """Audit rows written in bulk, as (id, entity), join the transaction's changes."""
    session.info.setdefault(_KEY, []).extend(entries)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _flush_context: Any) -> None:
    added = [(o.id, o.entity) for o in session.new if isinstance(o, AuditLog)]
    if added:
        record_audit(session, added)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_KEY, None)


def take(session: Session) -> Changes:
    """The changes the session's transaction made so far, forgetting them."""
    return Changes.of(session.info.pop(_KEY, []))


def publish(changes: Changes) -> None:
    box = _collector.get()
    if box is not None and changes:
        box.append(changes)


@contextmanager
def collecting() -> Iterator[list[Changes]]:
    """Collect the changes of every transaction committed in this thread meanwhile."""
    box: list[Changes] = []
    token = _collector.set(box)
    try:
        yield box
    finally:
        _collector.reset(token)
