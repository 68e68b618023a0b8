"""Opening a database the way every entry point does: check, back up, migrate, seed; and the
lighter opening of a command that only reads (`open_for_reading`)."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError, OperationalError

from rayong_desktop.db import migrate
from rayong_desktop.db.engine import Database, is_server_url
from rayong_desktop.db.netcheck import network_location
from rayong_desktop.domain.errors import RefusedError

if TYPE_CHECKING:  # the write path's modules (backups, the lock, the seed) load when used
    from rayong_desktop.db.backup import HealthReport


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
            from rayong_desktop.services import registry

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
    from rayong_desktop.services import maintenance, registry

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


def open_for_reading(target: Path | str) -> Database:
    """Open the database for a command that only reads it (`status`, `units`, `history`, ...).

    What such a command checks, and why that is enough: it cannot write, whatever happens, so
    it pays for no migration machinery, no backup and no whole-file check.

    * The SQLite file is opened read-only (`mode=ro` and `query_only`): nothing is written to
      it, not even by a bug.
    * It must be a desk database at exactly this version's schema revision (read from
      `alembic_version`). A newer one is refused as everywhere ("schema too new"); an older
      one (or a new, empty or missing file) takes the full opening of `open_database`, which
      checks the whole file, backs it up and migrates it first, as any start does.
    * Damage is found by SQLite's own checks of every page the command reads (with
      `cell_size_check` on, see `db.engine`): a damaged page met on the way is refused in one
      line naming the newest good backup (`damage_refused`), never shown as figures. Pages the
      command does not read are not checked; nor are references between rows
      (`foreign_key_check`), which no read-only command repairs or relies on to be complete.

    A command that writes keeps `open_database`'s full check (quick_check and foreign keys
    over the whole file) before its first write. A server database opens as before.
    """
    if is_server_url(target):
        return open_database(target)
    path = Path(target)
    check_location(path)
    if not path.is_file() or path.stat().st_size == 0:
        return open_database(path)  # created and seeded: a write, on the full path
    db = Database(path, read_only=True)
    try:
        with damage_refused(path):
            revisions = migrate.stored_revisions(db)
        migrate.check_known(db, revisions)
    except BaseException:
        db.dispose()
        raise
    if set(revisions) != migrate.file_heads():
        db.dispose()
        return open_database(path)  # an older schema: checked, backed up and migrated first
    logging.getLogger(__name__).info("database open to read: %s", path)
    return db


def is_damage(exc: BaseException) -> bool:
    """True for SQLite's own report of a damaged file (a bad page, or not a database at all)."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    name = str(getattr(orig, "sqlite_errorname", "") or "")
    return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB"))


@contextmanager
def damage_refused(path: Path) -> Iterator[None]:
    """Reading `path`: damage SQLite meets on the way is a CorruptDatabaseError (one line,
    naming the newest good backup), not a driver error."""
    try:
        yield
    except (DBAPIError, sqlite3.DatabaseError) as exc:
        if not is_damage(exc):
            raise
        from rayong_desktop.db.backup import HealthReport
        from rayong_desktop.services import maintenance

        found = str(exc.orig if isinstance(exc, DBAPIError) else exc).strip().splitlines()
        logging.getLogger(__name__).warning("damage met reading %s: %s", path, found)
        report = HealthReport(path, found[:1] or ["damaged"])
        raise maintenance.CorruptDatabaseError(
            path, report, maintenance.newest_good_backup(path)
        ) from None
