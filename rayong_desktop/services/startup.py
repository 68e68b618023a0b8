"""Opening a database the way every entry point does: create, migrate, seed."""

from __future__ import annotations

from pathlib import Path

from rayong_desktop.db import migrate
from rayong_desktop.db.engine import Database
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.services import registry


def open_database(path: Path, *, seed: bool = True) -> Database:
    """Open (creating if needed) the database at `path`, bring its schema up to date, seed it.

    Refuses a schema newer than this app before touching anything.
    """
    path = Path(path)
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
    db = Database(path)
    try:
        migrate.upgrade(db)
        if seed:
            registry.seed(db)
    except BaseException:
        db.dispose()
        raise
    return db
