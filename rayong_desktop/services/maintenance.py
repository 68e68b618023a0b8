"""Keeping the data safe: automatic and manual backups with rotation, health, restore."""

from __future__ import annotations

import json
import logging
import os
import secrets
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from filelock import FileLock, Timeout

from rayong_desktop import paths
from rayong_desktop.db import backup, migrate
from rayong_desktop.db.backup import BackupError, BackupFile, HealthReport
from rayong_desktop.db.engine import BUSY_TIMEOUT_MS, Database
from rayong_desktop.db.faults import diagnose, environment_error, environment_kind
from rayong_desktop.db.lock import InstanceLock
from rayong_desktop.db.models import Setting
from rayong_desktop.db.peek import read_only_uri
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.domain.retention import RetentionPolicy, backups_to_keep
from rayong_desktop.files import atomic_write
from rayong_desktop.paths import DEMO_DB_FILENAME
from rayong_desktop.services import home_snapshot
from rayong_desktop.services.common import now_utc
from rayong_desktop.services.settings import save_setting

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


# ---------------------------------------------------------------- identity


def new_identity() -> str:
    return secrets.token_hex(8)


def identity(db_path: Path) -> str | None:
    """This database's identity: read from the file (and remembered on this PC), or, when the
    file cannot be read (damaged), what this PC remembered of it."""
    remembered, _folder, _known = paths.database_record(db_path)
    try:
        stored = backup.read_identity(db_path) if db_path.is_file() else None
    except BackupError:
        return remembered
    if stored is not None and stored != remembered:
        paths.remember_database(db_path, identity=stored)
    return stored or remembered


def ensure_identity(db: Database) -> str:
    """Give an open SQLite database its identity if it has none yet (made at its creation, or
    at the first open by a version that knows identities); remembered on this PC."""
    path = db.file
    with db.reading() as session:
        row = session.get(Setting, backup.IDENTITY_KEY)
        stored = decode_text(row.value) if row is not None else None
    if stored is None:
        remembered, _folder, _known = paths.database_record(path)
        stored = remembered or new_identity()
        with db.transaction() as session:
            if session.get(Setting, backup.IDENTITY_KEY) is None:
                save_setting(session, backup.IDENTITY_KEY, stored)
    paths.remember_database(path, identity=stored)
    return stored


def decode_text(raw: str) -> str | None:
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, str) else None


# ---------------------------------------------------------------- where backups are kept


def _stored_backup_dir(db_path: Path) -> str | None:
    """The backup_dir setting read straight from the file ("" = the default); None when the
    file cannot be read (damaged, missing): then this PC's record says where backups are."""
    if not db_path.is_file():
        return None
    try:
        conn = sqlite3.connect(read_only_uri(db_path), uri=True, timeout=5)
        try:
            row = conn.execute("SELECT value FROM setting WHERE key = 'backup_dir'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return (decode_text(row[0]) or "") if row else ""


def default_backup_folder(db_path: Path) -> Path:
    """ "backups" beside the file; the demo database's go to a folder of their own, never
    beside the office's real ones."""
    return db_path.parent / ("backups-demo" if db_path.name == DEMO_DB_FILENAME else "backups")


def backup_folder(db_path: Path) -> Path:
    """Where this database's backups go: its backup_dir setting, kept in step in this PC's
    record, or (the file unreadable) the folder the record names."""
    stored = _stored_backup_dir(db_path)
    if stored is not None:
        paths.remember_database(db_path, backup_dir=stored)
        configured = stored
    else:
        _identity, remembered, _known = paths.database_record(db_path)
        configured = remembered or ""
    return Path(configured) if configured else default_backup_folder(db_path)


def backup_folders(db_path: Path) -> list[Path]:
    """Every folder this database's backups may be in: the configured one first, then every
    folder it has had, then the default one beside the file."""
    folders = [backup_folder(db_path)]
    _identity, remembered, known = paths.database_record(db_path)
    for text in [remembered or "", *known]:
        if text:
            folders.append(Path(text))
    folders.append(default_backup_folder(db_path))
    unique: list[Path] = []
    for f in folders:
        if f not in unique:
            unique.append(f)
    return unique


def backups_of(db_path: Path) -> list[BackupFile]:
    """This database's backups in every known folder, newest first (by sequence number). A
    backup of another database, or one taken before identities, is never among them."""
    own = identity(db_path)
    if own is None:
        return []
    found = [b for folder in backup_folders(db_path) for b in backup.list_backups(folder, db_path)]
    mine = [b for b in found if b.identity == own]
    mine.sort(key=lambda b: (b.seq, b.taken_at), reverse=True)
    return mine


def other_backups(db_path: Path) -> list[BackupFile]:
    """Backups in the known folders named like this file that are not this database's."""
    own = identity(db_path)
    found = [b for folder in backup_folders(db_path) for b in backup.list_backups(folder, db_path)]
    return [b for b in found if b.identity is None or b.identity != own]


def _next_seq(db_path: Path, own: str) -> int:
    seqs = [
        b.seq
        for folder in backup_folders(db_path)
        for b in backup.list_backups(folder, db_path)
        if b.identity == own
    ]
    return max(seqs, default=0) + 1


def _folder_lock(folder: Path, db_path: Path) -> FileLock:
    """Held while a backup of this database is written into `folder` (and by the clean-up)."""
    return FileLock(str(folder / f".{db_path.stem}.backup.lock"), thread_local=False)


def _restore_lock(db_path: Path) -> FileLock:
    """Held while a restore stages and applies its copy (and by the clean-up)."""
    return FileLock(str(db_path.with_name(db_path.name + ".restore.lock")), thread_local=False)


# ---------------------------------------------------------------- backups


def make_backup(
    db_path: Path, reason: str, *, folder: Path | None = None, out: Path | None = None
) -> BackupFile:
    """A checked copy of the database. Into `out` exactly, or into the backup folder (named by
    the database's identity and the next sequence number; then rotated)."""
    now = now_utc()
    if out is not None:
        try:
            path = backup.copy_database(db_path, out)
        except (BackupError, OSError, sqlite3.Error) as exc:
            raise _backup_refused(db_path, out, exc) from exc
        return BackupFile(path, now, reason)
    own = identity(db_path)
    if own is None:  # a file from before identities: the copy gets the one the file will get
        own = new_identity()
        paths.remember_database(db_path, identity=own)
    target = folder or backup_folder(db_path)
    try:
        target.mkdir(parents=True, exist_ok=True)
        with _folder_lock(target, db_path).acquire(timeout=60):
            seq = _next_seq(db_path, own)
            name = backup.backup_name(db_path, reason, now, identity=own, seq=seq)
            path = backup.copy_database(db_path, target / name, identity=own)
            made = BackupFile(path, now, reason, own, seq)
            rotate(target, db_path)
    except Timeout as exc:
        raise _backup_refused(db_path, target, exc) from exc
    except (BackupError, OSError, sqlite3.Error) as exc:
        raise _backup_refused(db_path, target, exc) from exc
    return made


def _backup_refused(db_path: Path, where: Path, exc: Exception) -> RefusedError:
    kind = environment_kind(exc)
    if kind is not None:
        # The database's own place (a read-only folder, a full disk) before the backup folder.
        cause, _place = diagnose(kind, db_path)
        at = db_path if cause in ("disk_full", "read_only_folder", "read_only_file") else where
        return environment_error(kind, at, str(exc))
    return RefusedError(
        f"สำรองข้อมูล {db_path.name} ไม่สำเร็จ: {exc}",
        f"backup of {db_path} failed: {exc}",
        code="backup_failed",
    )


def rotate(folder: Path, db_path: Path) -> list[Path]:
    """Delete this database's backups in `folder` that the retention policy does not keep;
    returns what was deleted.

    Ordered by sequence number, not by the clock: the newest backup (and the policy's newest
    few) by number are always kept, whatever times their names carry, and so is every safety
    copy. Backups of other databases and from before identities are left alone."""
    own = identity(db_path)
    found = [b for b in backup.list_backups(folder, db_path) if own and b.identity == own]
    if not found:
        return []
    found.sort(key=lambda b: b.seq, reverse=True)
    keep = backups_to_keep([(b.path.name, b.taken_at) for b in found], now=now_utc(), policy=POLICY)
    keep.update(b.path.name for b in found[: max(POLICY.newest, 1)])
    keep.update(b.path.name for b in found if b.safety_copy)
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
        own = identity(path)
        taken_today = any(
            b.taken_at.astimezone(BANGKOK).date() == today
            for b in backup.list_backups(folder, path)
            if b.identity == own
        )
        if taken_today or not path.is_file():
            return
        try:
            make_backup(path, "daily", folder=folder)
        except RefusedError as exc:  # keying must go on; the desk shows the warning
            db.backup_warning = exc.th
            log.warning("daily backup failed: %s", exc.en)

    db.before_write = before_write


# ---------------------------------------------------------------- leftovers of killed runs


def leftovers(db_path: Path) -> list[Path]:
    """Temporary files of backups and restores of this database killed half-way."""
    found = backup.restore_leftovers(db_path)
    for folder in backup_folders(db_path):
        found.extend(backup.partial_backups(folder, db_path))
    return found


def clean_leftovers(db_path: Path) -> list[Path]:
    """Delete what killed backups and restores left; a folder where a backup or restore of this
    database is running now is left alone (its lock is held)."""
    removed: list[Path] = []

    def remove(lock: FileLock, files: list[Path]) -> None:
        if not files:
            return
        try:
            with lock.acquire(timeout=0):
                for f in files:
                    f.unlink(missing_ok=True)
                    removed.append(f)
        except (Timeout, OSError) as exc:
            log.info("leftovers of %s not removed now: %s", db_path, exc)

    remove(_restore_lock(db_path), backup.restore_leftovers(db_path))
    for folder in backup_folders(db_path):
        remove(_folder_lock(folder, db_path), backup.partial_backups(folder, db_path))
    if removed:
        log.info("removed leftovers of killed backups or restores: %s", removed)
    return removed


# ---------------------------------------------------------------- health, restore


def health(db_path: Path, *, full: bool = False) -> HealthReport:
    return backup.check_health(db_path, full=full)


def environment_refusal(report: HealthReport) -> RefusedError:
    """A health check the surroundings stopped (full disk, read-only folder): say that."""
    return environment_error(report.fault_kind or "io_error", report.path, report.fault)


def newest_good_backup(db_path: Path) -> BackupFile | None:
    """The newest of this database's backups (in every known folder) that passes a full check
    and carries this database's identity inside."""
    own = identity(db_path)
    for b in backups_of(db_path):
        try:
            inside = backup.read_identity(b.path)
        except BackupError:
            continue
        if inside == own and backup.check_health(b.path, full=True).ok:
            return b
    return None


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    safety_copy: Path | None
    warning: str = ""  # a deliberate restore of another database's backup


def _nothing_kept_yet(db_path: Path) -> bool:
    """A new database nothing was ever stored in (only the seed audited): replacing it by
    another database's backup loses nothing (a move to a new PC)."""
    if not db_path.is_file():
        return True
    try:
        conn = sqlite3.connect(read_only_uri(db_path), uri=True, timeout=5)
        try:
            row = conn.execute("SELECT count(*) FROM audit_log WHERE action != 'seed'").fetchone()
            return bool(row[0] == 0)
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def _check_origin(db_path: Path, source: Path, *, other_database: bool) -> tuple[str, bool]:
    """Refuse another database's backup (or one with no identity) unless asked for on purpose
    or this database holds nothing yet; the warning to print, and whether this database takes
    the backup's identity (it does when it held nothing: the data moved here)."""
    own = identity(db_path)
    try:
        theirs = backup.read_identity(source)
    except BackupError as exc:
        raise RefusedError(
            f"ไฟล์สำรอง {source} ใช้ไม่ได้: {exc}",
            f"backup {source} is not usable: {exc}",
            code="bad_backup",
        ) from exc
    if own is None or theirs == own:
        return "", False
    if theirs is not None and _nothing_kept_yet(db_path):
        return "", True
    if theirs is None:
        what_en, what_th = "has no database identity (taken by an older version)", "ไม่มีรหัสฐานข้อมูล"
    else:
        what_en = f"belongs to another database (identity {theirs}, this one is {own})"
        what_th = f"เป็นของฐานข้อมูลอื่น (รหัส {theirs} ส่วนฐานข้อมูลนี้คือ {own})"
    if not other_database:
        raise RefusedError(
            f"ไฟล์สำรอง {source.name} {what_th} จึงไม่กู้คืนแทนฐานข้อมูลนี้ ไม่มีการเปลี่ยนแปลงใด ๆ",
            f"backup {source} {what_en}; not restored over this database. To do it on purpose, "
            "repeat with --other-database. Nothing was changed.",
            code="other_database",
        )
    return f"warning: {source} {what_en}; restored on purpose (--other-database)", False


def restore(
    db_path: Path, source: Path, *, lock_held: bool = False, other_database: bool = False
) -> RestoreResult:
    """Replace the database's data with a backup's, after a safety copy of the current file.

    Refused while a desk has the database open (unless the caller is that desk and has closed
    its connections: `lock_held`), when the backup itself is damaged, and when it is another
    database's (unless `other_database`: a deliberate cross-restore, which keeps this
    database's identity). A healthy database is restored in place under its write lock (see
    `backup.restore_into`): a writer racing the restore lands before the safety copy or after
    the restore. A damaged or missing file is replaced whole.
    """
    source = Path(source)
    report = backup.check_health(source, full=True)
    if not report.ok:
        if not report.damaged:
            raise environment_refusal(report)
        raise RefusedError(
            f"ไฟล์สำรอง {source} ใช้ไม่ได้: {report.problems[0]}",
            f"backup {source} is not usable: {report.problems[0]}",
            code="bad_backup",
        )
    warning, adopt = _check_origin(db_path, source, other_database=other_database)
    own = backup.read_identity(source) if adopt else identity(db_path)
    lock = InstanceLock(db_path)
    if not lock_held:
        lock.acquire()
    try:
        with _restore_lock(db_path).acquire(timeout=60):
            safety = _restore_locked(db_path, source, own)
    except Timeout as exc:
        raise RefusedError(
            "มีการกู้คืนฐานข้อมูลนี้อยู่แล้ว กรุณารอแล้วลองใหม่",
            f"another restore of {db_path} is running; try again later",
            code="restore_running",
        ) from exc
    finally:
        if not lock_held:
            lock.release()
    if own is not None:
        paths.remember_database(db_path, identity=own)
    log.info("restored %s from %s (the file before: %s)", db_path, source, safety)
    if warning:
        log.warning(warning)
    return RestoreResult(source, safety, warning)


def _restore_locked(db_path: Path, source: Path, own: str | None) -> Path | None:
    current = backup.check_health(db_path, full=True) if db_path.is_file() else None
    if current is not None and not current.ok and not current.damaged:
        raise environment_refusal(current)
    staged = _stage(db_path, source)
    try:
        if current is not None and current.ok:
            return _restore_in_place(db_path, staged, own)
        safety = _keep_damaged(db_path, own) if current is not None else None
        home_snapshot.forget(db_path)
        try:
            if own is not None:
                _set_identity(staged, own)
            backup.replace_database(db_path, staged)
        except (BackupError, OSError, sqlite3.Error) as exc:
            raise _restore_failed(db_path, exc) from exc
        return safety
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(staged) + suffix).unlink(missing_ok=True)


def _stage(db_path: Path, source: Path) -> Path:
    """A private copy of the backup beside the database, brought to this app's schema."""
    fd, name = tempfile.mkstemp(
        prefix="." + db_path.name + backup.RESTORING_MARK, dir=db_path.parent
    )
    os.close(fd)
    staged = Path(name)
    try:
        backup.copy_database(source, staged)
        copy = Database(staged)
        try:
            migrate.upgrade(copy)
        finally:
            copy.dispose()
    except BaseException as exc:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(staged) + suffix).unlink(missing_ok=True)
        if isinstance(exc, (BackupError, OSError, sqlite3.Error)):
            raise _restore_failed(db_path, exc) from exc
        raise
    return staged


def _set_identity(path: Path, own: str) -> None:
    conn = sqlite3.connect(path)
    try:
        backup.store_identity(conn, own)
        conn.commit()
    finally:
        conn.close()


def _restore_in_place(db_path: Path, staged: Path, own: str | None) -> Path:
    current = Database(db_path)
    try:
        if not migrate.is_current(current):
            migrate.upgrade(current)  # both sides on this app's schema
    finally:
        current.dispose()
    made: list[Path] = []

    def safety_copy() -> None:
        # Under the write lock: nothing can commit between this copy and the restore.
        made.append(make_backup(db_path, "prerestore").path)
        home_snapshot.forget(db_path)  # the figures kept for this file describe the old data

    try:
        backup.restore_into(
            db_path,
            staged,
            while_locked=safety_copy,
            identity=own,
            busy_timeout=BUSY_TIMEOUT_MS / 1000,
        )
    except (BackupError, OSError, sqlite3.Error) as exc:
        raise _restore_failed(db_path, exc) from exc
    return made[0]


def _keep_damaged(db_path: Path, own: str | None) -> Path:
    """The raw bytes of a damaged file (SQLite cannot copy it), on disk before the restore."""
    folder = backup_folder(db_path)
    now = now_utc()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with _folder_lock(folder, db_path).acquire(timeout=60):
            if own is not None:
                name = backup.backup_name(
                    db_path, "damaged", now, identity=own, seq=_next_seq(db_path, own)
                )
            else:
                name = f"{db_path.stem}-{now.strftime(backup.STAMP_FORMAT)}.damaged"
            return atomic_write(folder / name, db_path.read_bytes())
    except (Timeout, OSError) as exc:
        raise _restore_failed(db_path, exc) from exc


def _restore_failed(db_path: Path, exc: BaseException) -> RefusedError:
    kind = environment_kind(exc)
    if kind is not None:
        return environment_error(kind, db_path, str(exc), busy_seconds=BUSY_TIMEOUT_MS / 1000)
    return RefusedError(f"กู้คืนไม่สำเร็จ: {exc}", f"restore failed: {exc}", code="restore_failed")


def describe_backup(b: BackupFile) -> dict[str, str]:
    return {
        "file": str(b.path),
        "taken_at": b.taken_at.astimezone(BANGKOK).isoformat(timespec="seconds"),
        "reason": b.reason,
        "seq": str(b.seq) if b.seq else "",
    }
