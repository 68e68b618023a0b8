"""Start the desk: one lock per database, then migrate, seed and show the window."""

from __future__ import annotations

import sys
from pathlib import Path

from rayong_desktop.db.lock import InstanceLock
from rayong_desktop.domain.errors import RefusedError


def run_gui(db_path: Path, *, demo: bool = False) -> int:
    from rayong_desktop.ui.application import create_application, show_error

    db_path.parent.mkdir(parents=True, exist_ok=True)
    lock = InstanceLock(db_path)
    app = create_application(sys.argv)
    try:
        lock.acquire()
    except RefusedError as exc:
        sys.stderr.write(f"refused: {exc.en}\n")
        show_error(exc.th)
        return 2
    try:
        from rayong_desktop.services.startup import open_database

        try:
            db = open_database(db_path)
        except RefusedError as exc:
            sys.stderr.write(f"refused: {exc.en}\n")
            show_error(exc.th)
            return 2
        from rayong_desktop.ui.main_window import MainWindow

        window = MainWindow(db, demo=demo)
        window.show()
        code = app.exec()
        db.dispose()
        return int(code)
    finally:
        lock.release()
