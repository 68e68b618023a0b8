"""Operations: a write run so that it says what it changed.

`run(fn)` calls a service write (any function that writes through Database.transaction) and
returns its result together with the Changes its committed transactions made: the kinds of data
touched and the audit entries made (markers). The desk forwards exactly those to its screens and
remembers the markers, so that its poll for other clerks' changes (`changes_since`) skips them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import func, select

from rayong_desktop.db import changes as tracking
from rayong_desktop.db.engine import Database
from rayong_desktop.db.models import AuditLog
from rayong_desktop.domain.changes import Changes

T = TypeVar("T")


@dataclass(frozen=True)
class Op(Generic[T]):
    result: T
    changes: Changes


def run(fn: Callable[[], T]) -> Op[T]:
    """Run a write; its result and what it changed (nothing, if it refused)."""
    with tracking.collecting() as box:
        result = fn()
    made = Changes()
    for c in box:
        made = made | c
    return Op(result, made)


def newest_marker(db: Database) -> int:
    """The newest audit entry's id (0 for none): where a poll starts."""
    with db.reading() as session:
        return int(session.scalar(select(func.coalesce(func.max(AuditLog.id), 0))) or 0)


@dataclass(frozen=True)
class Feed:
    """What others changed since a marker, and the marker to ask from next time."""

    changes: Changes
    upto: int


def changes_since(db: Database, after: int, *, own: Iterable[int] = ()) -> Feed:
    """The kinds of data changed by audit entries newer than `after`, leaving out the entries
    the asking desk made itself (`own`)."""
    mine = set(own)
    with db.reading() as session:
        rows = session.execute(
            select(AuditLog.id, AuditLog.entity).where(AuditLog.id > after).order_by(AuditLog.id)
        ).all()
    upto = max((r[0] for r in rows), default=after)
    return Feed(Changes.of((i, e) for i, e in rows if i not in mine), upto)
