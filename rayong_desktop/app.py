"""Start the desk: one lock per database, a health check, then migrate, seed and show."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from rayong_desktop.db.lock import InstanceLock
from rayong_desktop.domain.errors import RefusedError


def run_gui(target: Path | str, *, demo: bool = False) -> int:
    """Open the desk on a SQLite file (locked: one desk per file) or a server database URL
    (no lock: several clerks share a server database; conflicts are caught per report)."""
    from rayong_desktop.db.engine import is_server_url
    from rayong_desktop.services.startup import open_database
    from rayong_desktop.ui.application import create_application, show_error
    from rayong_desktop.ui.main_window import MainWindow

    app = create_application(sys.argv)
    if is_server_url(target):
        try:
            db = open_database(target)
        except RefusedError as exc:
            sys.stderr.write(f"refused: {exc.en}\n")
            show_error(exc.th)
            return 2
        return _show(app, MainWindow(db, demo=demo))
    db_path = Path(target)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    lock = InstanceLock(db_path)
    try:
        lock.acquire()
    except RefusedError as exc:
        sys.stderr.write(f"refused: {exc.en}\n")
        show_error(exc.th)
        return 2
    try:
        from rayong_desktop.services import maintenance

        try:
            db = open_database(db_path)
        except maintenance.CorruptDatabaseError as exc:
            sys.stderr.write(f"refused: {exc.en}\n")
            db = _recover(db_path, exc, lock)
            if db is None:
                return 2
        except RefusedError as exc:
            sys.stderr.write(f"refused: {exc.en}\n")
            show_error(exc.th)
            return 2
        # A --demo start fills its own (separate) database on first open, in the background.
        return _show(app, MainWindow(db, demo=demo, lock=lock))
    finally:
        if lock.held:
            lock.release()


def _show(app: Any, window: Any) -> int:
    window.show()
    if os.environ.get("RAYONG_STARTUP_PROBE"):
        from rayong_desktop.ui.application import probe_when_ready

        probe_when_ready(window)
    code = app.exec()
    window.ctx.db.dispose()  # a restore may have replaced the database the window uses
    return int(code)


def _recover(db_path: Path, exc: RefusedError, lock: InstanceLock):  # type: ignore[no-untyped-def]
    """A damaged file: offer the newest good backup; otherwise open it read-only."""
    from rayong_desktop.services import maintenance
    from rayong_desktop.services.startup import open_database, open_read_only
    from rayong_desktop.ui import prompts

    good = getattr(exc, "good_backup", None)
    if good is not None:
        question = (
            f"{exc.th}\n\nกู้คืนจากสำเนาสำรองล่าสุดที่ตรวจแล้วใช้ได้ "
            f"({good.path.name}) เลยหรือไม่?\nไฟล์ปัจจุบันจะถูกเก็บไว้ก่อนกู้คืน"
        )
        if prompts.ask_yes_no(None, "ฐานข้อมูลเสียหาย", question):
            maintenance.restore(db_path, good.path, lock_held=True)
            return open_database(db_path)
    else:
        prompts.warn(None, "ฐานข้อมูลเสียหาย", exc.th)
    try:
        db = open_read_only(db_path)
        db.read_only_reason = exc.th
        return db
    except Exception as err:  # even reading fails: nothing to show
        sys.stderr.write(f"cannot open {db_path} read-only: {err}\n")
        return None
