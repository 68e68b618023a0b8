"""Move everything between databases (SQLite <-> PostgreSQL), verified by counts and totals."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from rayong_desktop.db import migrate
from rayong_desktop.db.engine import Database
from rayong_desktop.db.ids import reset_sequences
from rayong_desktop.db.models import (
    Base,
    Letter,
    OAStat,
    PlanRow,
    ReportRevision,
    Unit,
    WeeklyReport,
)
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.services.startup import open_database

BATCH = 5_000
# Sums that must survive the move exactly, beside the row counts of every table.
TOTALS = {
    "weekly_report.count": WeeklyReport.count,
    "report_revision.count": ReportRevision.count,
    "unit.quota": Unit.quota,
    "plan_row.quota": PlanRow.quota,
    "oa_stat.friends": OAStat.friends,
    "letter_register.pages": Letter.pages,  # the outgoing register's PDFs, with their pages
}


@dataclass(frozen=True)
class Fingerprint:
    rows: dict[str, int]
    totals: dict[str, int]

    def as_json(self) -> dict[str, Any]:
        return {"rows": self.rows, "totals": self.totals}


def fingerprint(db: Database) -> Fingerprint:
    with db.reading() as session:
        rows = {
            t.name: int(session.scalar(select(func.count()).select_from(t)) or 0)
            for t in Base.metadata.sorted_tables
        }
        totals = {
            name: int(session.scalar(select(func.coalesce(func.sum(col), 0))) or 0)
            for name, col in TOTALS.items()
        }
    return Fingerprint(rows, totals)


def _empty_or_refuse(db: Database) -> None:
    filled = [name for name, n in fingerprint(db).rows.items() if n]
    if filled:
        raise RefusedError(
            f"ฐานข้อมูลปลายทาง {db.describe()} มีข้อมูลอยู่แล้ว ({', '.join(filled)}) "
            "ย้ายได้เฉพาะไปยังฐานข้อมูลว่าง",
            f"the target {db.describe()} is not empty ({', '.join(filled)}); "
            "move into a new, empty database",
            code="not_empty",
        )


def remove_sqlite_file(path: Path) -> None:
    """A SQLite file made by a move or an import that failed, with its journal files."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def drop_schema(db: Database) -> None:
    """Take away the schema a failed move or import made in a database that had none."""
    Base.metadata.drop_all(db.engine)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


def _has_schema(target: Path | str) -> bool:
    if isinstance(target, Path):
        return target.exists()
    probe = Database(target)
    try:
        return bool(migrate.current_revisions(probe))
    finally:
        probe.dispose()


def migrate_data(source: Path | str, target: Path | str) -> tuple[Fingerprint, Fingerprint]:
    """Copy every row of `source` into the empty `target` in one transaction, then verify.

    A target that had no schema (a new file, an empty server database) is left without one
    when the copy fails: nothing half-made stays behind."""
    src = open_database(source, seed=False)
    try:
        existed = _has_schema(target)
        dst = open_database(target, seed=False)
        try:
            _empty_or_refuse(dst)
            before = fingerprint(src)
            with src.reading() as reader, dst.engine.begin() as writer:
                for table in Base.metadata.sorted_tables:
                    result = reader.execute(select(table).order_by(*table.primary_key.columns))
                    while batch := result.fetchmany(BATCH):
                        writer.execute(insert(table), [dict(r._mapping) for r in batch])
                reset_sequences(writer)
            after = fingerprint(dst)
        except BaseException:
            if not existed and not isinstance(target, Path):
                drop_schema(dst)
            dst.dispose()
            if not existed and isinstance(target, Path):
                remove_sqlite_file(target)
            raise
        dst.dispose()
    finally:
        src.dispose()
    if before != after:
        raise RefusedError(
            "ตรวจสอบหลังย้ายข้อมูลแล้วไม่ตรงกัน",
            f"verification failed after the move: source {before.as_json()} "
            f"target {after.as_json()}",
            code="verify_failed",
        )
    return before, after
