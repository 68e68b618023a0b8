"""Checked backups with SQLite's online backup API, health checks, and restore.

A backup is copied into a temporary file beside its destination, checked with integrity_check,
flushed to disk, then renamed into place: a half-written or damaged copy never carries a backup's
name. The copy is switched out of WAL mode so it is one self-contained file.
"""

from __future__ import annotations

import contextlib
import logging
import re
import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rayong_desktop.db.peek import read_only_uri
from rayong_desktop.files import atomic_write

BACKUP_RE = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}(?:-\d{6})?)-(?P<reason>[a-z]+)\.sqlite3$"
)
STAMP_FORMAT = "%Y%m%d-%H%M%S-%f"


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class HealthReport:
    path: Path
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime
    reason: str


def _connect_ro(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=10)
    return conn


def check_health(path: Path, *, full: bool = False) -> HealthReport:
    """quick_check (or the slower integrity_check) and foreign_key_check, read-only."""
    problems: list[str] = []
    try:
        conn = _connect_ro(path)
    except (BackupError, sqlite3.Error) as exc:
        return HealthReport(path, [str(exc)])
    try:
        rows = conn.execute("PRAGMA integrity_check" if full else "PRAGMA quick_check").fetchall()
        if [r[0] for r in rows] != ["ok"]:
            problems.extend(str(r[0]) for r in rows[:20])
        for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check").fetchall()[:20]:
            problems.append(f"row {rowid} of {table} refers to a missing {parent}")
    except sqlite3.Error as exc:
        problems.append(str(exc))
    finally:
        conn.close()
    return HealthReport(path, problems)


def copy_database(source: Path, dest: Path) -> Path:
    """Online backup of `source` into `dest` (replaced atomically only if the copy checks out)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        src = sqlite3.connect(read_only_uri(source), uri=True, timeout=30)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot read {source}: {exc}") from exc

    def copy(tmp: Path) -> None:
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)  # one step: a consistent snapshot even while others write
                dst.execute("PRAGMA journal_mode = DELETE")
                result = [r[0] for r in dst.execute("PRAGMA integrity_check").fetchall()]
            finally:
                dst.close()
        except sqlite3.Error as exc:
            raise BackupError(f"backup of {source} failed: {exc}") from exc
        if result != ["ok"]:
            raise BackupError(f"the copy of {source} failed its integrity check: {result[:3]}")

    try:
        written = atomic_write(dest, copy)
    finally:
        src.close()
    logging.getLogger(__name__).info("backup of %s written to %s", source, dest)
    return written


def backup_name(db_path: Path, reason: str, at: datetime) -> str:
    return f"{db_path.stem}-{at.astimezone(UTC).strftime(STAMP_FORMAT)}-{reason}.sqlite3"


def list_backups(folder: Path, db_path: Path) -> list[BackupFile]:
    """Backups of this database in `folder`, newest first (times are UTC, from the names)."""
    found: list[BackupFile] = []
    if not folder.is_dir():
        return found
    for entry in folder.iterdir():
        m = BACKUP_RE.match(entry.name)
        if not m or m.group("stem") != db_path.stem or not entry.is_file():
            continue
        stamp = m.group("stamp")
        fmt = STAMP_FORMAT if stamp.count("-") == 2 else "%Y%m%d-%H%M%S"
        taken = datetime.strptime(stamp, fmt).replace(tzinfo=UTC)
        found.append(BackupFile(entry, taken, m.group("reason")))
    found.sort(key=lambda b: b.taken_at, reverse=True)
    return found


def replace_database(db_path: Path, source: Path) -> None:
    """Put a checked copy of `source` in place of `db_path`. The caller holds the desk's lock
    and has already backed up the current file."""

    def copy(tmp: Path) -> None:
        shutil.copyfile(source, tmp)
        conn = sqlite3.connect(tmp)
        try:
            result = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        finally:
            conn.close()
        if result != ["ok"]:
            raise BackupError(f"{source} failed its integrity check: {result[:3]}")
        # A stale WAL beside the new file would be replayed into it: remove it first.
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                db_path.with_name(db_path.name + suffix).unlink()

    atomic_write(db_path, copy)
