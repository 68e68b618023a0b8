"""A long write done on a copy, so the database's write lock is held only for the final write.

SQLite has one write lock for the whole file: a units import of 19,000 rows (each through the
registry's checks, minutes of work) would otherwise keep every other clerk and command waiting
past the busy timeout. `write_via_copy` runs the work on a private snapshot of the database
(no lock on the real one), then, in ONE short transaction on the real database, writes the rows
the work changed and the audit entries it made: all or nothing, as before. If what the work
depended on changed meanwhile (another clerk edited the registry), nothing is written and the
clerk is asked to import again.
"""

from __future__ import annotations

import hashlib
import sqlite3
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from rayong_desktop.db import backup, changes
from rayong_desktop.db.engine import Database
from rayong_desktop.db.faults import environment_error, environment_kind
from rayong_desktop.db.models import AuditLog, Base
from rayong_desktop.domain.errors import RefusedError

T = TypeVar("T")
AUDIT = cast(Table, AuditLog.__table__)


def table_of(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


def _rows(session: Session, table: Table) -> dict[tuple[Any, ...], dict[str, Any]]:
    key = list(table.primary_key.columns)
    return {
        tuple(row[c.name] for c in key): dict(row)
        for row in session.execute(select(table).order_by(*key)).mappings()
    }


def _fingerprint(session: Session, tables: Sequence[Table]) -> str:
    digest = hashlib.sha256()
    for table in tables:
        for key, row in _rows(session, table).items():
            digest.update(repr((table.name, key, sorted(row.items()))).encode("utf-8"))
    return digest.hexdigest()


@dataclass
class _Staged(Generic[T]):
    result: T
    watched: str
    before: dict[str, dict[tuple[Any, ...], dict[str, Any]]]
    after: dict[str, dict[tuple[Any, ...], dict[str, Any]]]
    audits: list[dict[str, Any]]


def _stage(
    db: Database, work: Callable[[Session], T], tables: Sequence[Table], depends_on: Sequence[Table]
) -> _Staged[T]:
    """Run `work` on a private snapshot of `db` and record what it changed (then undo it)."""
    with tempfile.TemporaryDirectory(prefix="rayong-staged-") as folder:
        staged = Path(folder) / "staged.sqlite3"
        try:
            backup.copy_database(db.file, staged)
        except (backup.BackupError, OSError, sqlite3.Error) as exc:
            kind = environment_kind(exc)
            if kind is not None:
                raise environment_error(kind, Path(folder), str(exc)) from exc
            raise RefusedError(
                f"เตรียมสำเนาสำหรับนำเข้าไม่สำเร็จ: {exc}",
                f"could not prepare the copy the import is checked on: {exc}",
                code="staging_failed",
            ) from exc
        copy = Database(staged)
        try:
            with Session(copy.engine, expire_on_commit=False) as session:
                session.begin()
                try:
                    watched = _fingerprint(session, depends_on)
                    before = {t.name: _rows(session, t) for t in tables}
                    last_audit = session.scalar(select(func.coalesce(func.max(AUDIT.c.id), 0)))
                    result = work(session)
                    session.flush()
                    after = {t.name: _rows(session, t) for t in tables}
                    audits = [
                        dict(r)
                        for r in session.execute(
                            select(AUDIT).where(AUDIT.c.id > last_audit).order_by(AUDIT.c.id)
                        ).mappings()
                    ]
                finally:
                    session.rollback()
        finally:
            copy.dispose()
    return _Staged(result, watched, before, after, audits)


def run_on_copy(db: Database, work: Callable[[Session], T]) -> T:
    """`work` on a snapshot of the SQLite database, undone: a preview that takes no lock."""
    return _stage(db, work, [], []).result


def write_via_copy(
    db: Database,
    work: Callable[[Session], T],
    *,
    tables: Sequence[Table],
    depends_on: Sequence[Table],
) -> T:
    """Run `work` (it changes only `tables` and audits through the session) on a snapshot of the
    SQLite database `db`; then write its changes to `db` in one transaction. An exception from
    `work` writes nothing. `depends_on`: tables whose change meanwhile refuses the write."""
    done = _stage(db, work, tables, depends_on)
    with db.transaction() as session:
        if _fingerprint(session, depends_on) != done.watched:
            raise RefusedError(
                "ระหว่างนำเข้า มีผู้อื่นแก้ไขทะเบียนหน่วยหรือการตั้งค่า จึงยังไม่ได้บันทึกสิ่งใด กรุณานำเข้าไฟล์อีกครั้ง",
                "the registry or the settings changed while the file was being imported; "
                "nothing was stored, import it again",
                code="changed_meanwhile",
            )
        for table in tables:
            _apply(session, table, done.before[table.name], done.after[table.name])
        if done.audits:
            start = session.scalar(select(func.coalesce(func.max(AUDIT.c.id), 0))) or 0
            for offset, row in enumerate(done.audits, start=1):
                row["id"] = start + offset
            session.execute(insert(AUDIT), done.audits)
            changes.record_audit(session, [(r["id"], r["entity"]) for r in done.audits])
    return done.result


def _apply(
    session: Session,
    table: Table,
    before: dict[tuple[Any, ...], dict[str, Any]],
    after: dict[tuple[Any, ...], dict[str, Any]],
) -> None:
    key = [c.name for c in table.primary_key.columns]
    added = [row for k, row in after.items() if k not in before]
    changed = [row for k, row in after.items() if k in before and before[k] != row]
    removed = [k for k in before if k not in after]
    if removed:
        where = [table.c[name] == bindparam(f"k_{name}") for name in key]
        session.execute(
            delete(table).where(*where),
            [{f"k_{name}": k[i] for i, name in enumerate(key)} for k in removed],
        )
    if changed:
        where = [table.c[name] == bindparam(f"k_{name}") for name in key]
        others = [c.name for c in table.columns if c.name not in key]
        session.execute(
            update(table).where(*where).values({n: bindparam(f"v_{n}") for n in others}),
            [
                {**{f"k_{n}": row[n] for n in key}, **{f"v_{n}": row[n] for n in others}}
                for row in changed
            ],
        )
    if added:
        session.execute(insert(table), added)
