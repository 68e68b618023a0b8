"""Opening a database the way every entry point does: check, back up, migrate, seed."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy.exc import OperationalError

from rayong_desktop.db import migrate
from rayong_desktop.db.backup import HealthReport
from rayong_desktop.db.engine import Database, is_server_url
from rayong_desktop.db.netcheck import network_location
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.services import maintenance, registry


def check_location(path: Path) -> None:
    where = network_location(path)
    if where:
        raise RefusedError(
            f"ไฟล์ฐานข้อมูล {path} อยู่บนไดรฟ์เครือข่าย ({where}) ซึ่งไม่ปลอดภัยสำหรับ SQLite "
            "ข้อมูลอาจเสียหายได้ ให้เก็บไฟล์ไว้ในเครื่อง หากมีเจ้าหน้าที่หลายคนใช้ร่วมกัน "
            "ให้ใช้ฐานข้อมูลบนเครื่องแม่ข่าย (PostgreSQL) แทน",
            f"the database {path} is on a network share ({where}); SQLite's locking is not safe "
            "there and the file can be corrupted. Keep it on a local disk; for several clerks "
            "sharing data use a server database instead.",
            code="network_path",
        )


def open_server_database(url: str, *, seed: bool = True) -> Database:
    """A PostgreSQL database shared by several clerks: the same migrations and seed."""
    db = Database(url)
    try:
        try:
            with db.engine.connect():
                pass
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise RefusedError(
                f"เชื่อมต่อฐานข้อมูล {db.describe()} ไม่ได้: {reason}",
                f"cannot connect to {db.describe()}: {reason}",
                code="cannot_connect",
            ) from None
        migrate.upgrade(db)
        if seed:
            registry.seed(db)
    except BaseException:
        db.dispose()
        raise
    logging.getLogger(__name__).info("database open: %s", db.describe())
    return db


def open_database(
    target: Path | str,
    *,
    seed: bool = True,
    check: bool = True,
    checked: HealthReport | None = None,
) -> Database:
    """Open (creating if needed) the database at `target`, ready for use.

    A SQLite file: refuses a network share, a damaged file (CorruptDatabaseError names the
    newest good backup) and a schema newer than this app, all before changing anything; takes a
    backup before any migration, and arms the daily backup before the first change of each day.
    A postgresql:// URL: connects, migrates and seeds the same way (backups are the server's).
    `checked`: the file's health check, already run by a caller that overlapped it with loading
    this module (the desk at start; see `app.file_openers`).
    """
    if is_server_url(target):
        assert isinstance(target, str)
        return open_server_database(target, seed=seed)
    path = Path(target)
    check_location(path)
    if path.exists() and path.is_dir():
        raise RefusedError(
            f"{path} เป็นโฟลเดอร์ ไม่ใช่ไฟล์ฐานข้อมูล",
            f"{path} is a folder, not a database file",
            code="bad_path",
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RefusedError(
            f"สร้างโฟลเดอร์ข้อมูล {path.parent} ไม่ได้: {exc.strerror}",
            f"cannot create the data folder {path.parent}: {exc.strerror}",
            code="bad_path",
        ) from exc
    existing = path.is_file() and path.stat().st_size > 0
    if existing and check:
        report = checked if checked is not None else maintenance.health(path)
        if not report.ok and not report.damaged:
            # A full disk or a read-only folder: said as such, never "damaged; restore".
            raise maintenance.environment_refusal(report)
        if not report.ok:
            raise maintenance.CorruptDatabaseError(
                path, report, maintenance.newest_good_backup(path)
            )
    db = Database(path)
    try:
        if existing and migrate.needs_upgrade(db):
            maintenance.make_backup(path, "premigrate")
        migrate.upgrade(db)
        if seed:
            registry.seed(db)
            # Not without the seed: a move's target stays empty and gets the source's identity.
            maintenance.ensure_identity(db)
        maintenance.backup_folder(path)  # this PC's record of where the backups go, in step
        maintenance.clean_leftovers(path)
        maintenance.install_daily_backup(db)
    except BaseException:
        db.dispose()
        raise
    logging.getLogger(__name__).info("database open: %s", db.describe())
    return db


def open_read_only(path: Path) -> Database:
    """For showing a damaged database: no writes, no migration.

    Refused (a RefusedError, so the desk closes cleanly instead of failing half-way through
    building its window) when even the settings every screen starts from cannot be read: a
    file whose header was overwritten is not a database at all."""
    from rayong_desktop.services import status

    db = Database(path, read_only=True)
    try:
        status.campaign_info(db)
    except Exception as exc:  # any driver error: nothing of the file can be shown
        db.dispose()
        logging.getLogger(__name__).info("cannot show %s even read-only: %s", path, exc)
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise RefusedError(
            f"ไฟล์ฐานข้อมูล {path} เสียหายจนเปิดอ่านไม่ได้ ({reason}) กรุณากู้คืนจากสำเนาสำรอง",
            f"database {path} is too damaged to be shown even read-only ({reason}); "
            "restore a backup",
            code="unreadable_database",
        ) from None
    logging.getLogger(__name__).info("database open read-only: %s", path)
    return db
