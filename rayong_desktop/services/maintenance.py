"""Keeping the data safe: automatic and manual backups with rotation, health, restore."""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from rayong_desktop.db import backup
from rayong_desktop.db.backup import BackupError, BackupFile, HealthReport
from rayong_desktop.db.engine import Database
from rayong_desktop.db.lock import InstanceLock
from rayong_desktop.db.peek import read_only_uri
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.domain.retention import RetentionPolicy, backups_to_keep
from rayong_desktop.files import atomic_write
from rayong_desktop.paths import DEMO_DB_FILENAME
from rayong_desktop.services import home_snapshot
from rayong_desktop.services.common import now_utc

log = logging.getLogger(__name__)
POLICY = RetentionPolicy()


class CorruptDatabaseError(RefusedError):
    def __init__(self, db_path: Path, report: HealthReport, good: BackupFile | None) -> None:
        first = report.problems[0] if report.problems else "unknown problem"
        hint_th = f" มีสำเนาสำรองที่ตรวจแล้วใช้ได้: {good.path.name}" if good else " ไม่พบสำเนาสำรองที่ใช้ได้"
        hint_en = f" newest good backup: {good.path}" if good else " no good backup found"
        super().__init__(
            f"ไฟล์ฐานข้อมูล {db_path} เสียหาย ({first}) จึงเปิดได้เฉพาะอ่าน ควรกู้คืนจากสำเนาสำรอง{hint_th}",
            f"database {db_path} is damaged ({first}); restore a backup "
            f"(python main.py restore FILE).{hint_en}",
            code="corrupt_database",
        )
        self.report = report
        self.good_backup = good


def _stored_backup_dir(db_path: Path) -> str:
    """The backup_dir setting read straight from the file (it may not be migrated yet)."""
    if not db_path.is_file():
        return ""
    try:
        conn = sqlite3.connect(read_only_uri(db_path), uri=True, timeout=5)
        try:
            row = conn.execute("SELECT value FROM setting WHERE key = 'backup_dir'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return ""
    return str(json.loads(row[0]) or "") if row else ""


def backup_folder(db_path: Path) -> Path:
    """Where the database's backups go: the folder set in Settings, else "backups" beside it.
    The demo database's go to a folder of their own, never beside the office's real ones."""
    configured = _stored_backup_dir(db_path)
    if configured:
        return Path(configured)
    return db_path.parent / ("backups-demo" if db_path.name == DEMO_DB_FILENAME else "backups")


def make_backup(
    db_path: Path, reason: str, *, folder: Path | None = None, out: Path | None = None
) -> BackupFile:
    """A checked copy of the database. Into `out` exactly, or into the backup folder (rotated)."""
    now = now_utc()
    if out is not None:
        try:
            path = backup.copy_database(db_path, out)
        except (BackupError, OSError) as exc:
            raise _backup_refused(db_path, exc) from exc
        return BackupFile(path, now, reason)
    target = folder or backup_folder(db_path)
    name = backup.backup_name(db_path, reason, now)
    while (target / name).exists():  # never overwrite a backup (same microsecond, odd clock)
        now += timedelta(microseconds=1)
        name = backup.backup_name(db_path, reason, now)
    try:
        path = backup.copy_database(db_path, target / name)
    except (BackupError, OSError) as exc:
        raise _backup_refused(db_path, exc) from exc
    rotate(target, db_path)
    return BackupFile(path, now, reason)


def _backup_refused(db_path: Path, exc: Exception) -> RefusedError:
    return RefusedError(
        f"สำรองข้อมูล {db_path.name} ไม่สำเร็จ: {exc}",
        f"backup of {db_path} failed: {exc}",
        code="backup_failed",
    )


def rotate(folder: Path, db_path: Path) -> list[Path]:
    """Delete backups the retention policy does not keep; returns what was deleted."""
    found = backup.list_backups(folder, db_path)
    keep = backups_to_keep([(b.path.name, b.taken_at) for b in found], now=now_utc(), policy=POLICY)
    removed = []
    for b in found:
        if b.path.name not in keep:
            b.path.unlink(missing_ok=True)
            removed.append(b.path)
    return removed


def install_daily_backup(db: Database) -> None:
    """Before the first change of each (Bangkok) day, take a backup if none exists for today."""
    state: dict[str, date] = {}

    if db.path is None:
        return  # a server database is backed up by its administrator
    path = db.path

    def before_write() -> None:
        today = now_utc().astimezone(BANGKOK).date()
        if state.get("day") == today:
            return
        state["day"] = today
        folder = backup_folder(path)
        taken_today = any(
            b.taken_at.astimezone(BANGKOK).date() == today
            for b in backup.list_backups(folder, path)
        )
        if taken_today or not path.is_file():
            return
        try:
            make_backup(path, "daily", folder=folder)
        except RefusedError as exc:  # keying must go on; the desk shows the warning
            db.backup_warning = exc.th
            log.warning("daily backup failed: %s", exc.en)

    db.before_write = before_write


def health(db_path: Path, *, full: bool = False) -> HealthReport:
    return backup.check_health(db_path, full=full)


def newest_good_backup(db_path: Path) -> BackupFile | None:
    for b in backup.list_backups(backup_folder(db_path), db_path):
        if backup.check_health(b.path, full=True).ok:
            return b
    return None


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    safety_copy: Path | None


def restore(db_path: Path, source: Path, *, lock_held: bool = False) -> RestoreResult:
    """Replace the database with a backup, after backing up the current file if it is readable.

    Refused while a desk has the database open (unless the caller is that desk and has closed
    its connections: `lock_held`), or when the backup itself is damaged.
    """
    source = Path(source)
    report = backup.check_health(source, full=True)
    if not report.ok:
        raise RefusedError(
            f"ไฟล์สำรอง {source} ใช้ไม่ได้: {report.problems[0]}",
            f"backup {source} is not usable: {report.problems[0]}",
            code="bad_backup",
        )
    lock = InstanceLock(db_path)
    if not lock_held:
        lock.acquire()
    try:
        safety: Path | None = None
        if db_path.is_file():
            try:
                safety = make_backup(db_path, "prerestore").path
            except RefusedError:
                # A damaged file cannot be copied through SQLite: keep its raw bytes instead.
                stamp = now_utc().strftime("%Y%m%d-%H%M%S")
                safety = backup_folder(db_path) / f"{db_path.stem}-{stamp}.damaged"
                safety.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(safety, db_path.read_bytes())  # on disk before the restore
        # The home figures kept for this file describe the data being replaced.
        home_snapshot.forget(db_path)
        try:
            backup.replace_database(db_path, source)
        except (BackupError, OSError) as exc:
            raise RefusedError(
                f"กู้คืนไม่สำเร็จ: {exc}", f"restore failed: {exc}", code="restore_failed"
            ) from exc
        log.info("restored %s from %s (the file before: %s)", db_path, source, safety)
        return RestoreResult(source, safety)
    finally:
        if not lock_held:
            lock.release()


def describe_backup(b: BackupFile) -> dict[str, str]:
    return {
        "file": str(b.path),
        "taken_at": b.taken_at.astimezone(BANGKOK).isoformat(timespec="seconds"),
        "reason": b.reason,
    }
