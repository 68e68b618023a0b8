"""Child process for the launch and memory jobs: start, show a usable window, report, quit.

    python tests/benchmarks/launch.py desk DB_PATH   the desk as app.run_gui starts it, ready
                                                     when the home screen shows its figures
    python tests/benchmarks/launch.py bare           the floor: a bare PySide6 window with a
                                                     100-row table

Prints one JSON line {"ready_s": seconds since this interpreter began, "peak_mb": peak RSS}.
The parent also times the whole process from spawn to that line.
"""

from __future__ import annotations

import json
import os
import sys
import time

STARTED = time.perf_counter()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, REPO)


def peak_mb() -> float:
    import resource

    # ru_maxrss is in KiB on Linux (bytes on macOS, where this suite is not run).
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report_and_quit(app: object) -> None:
    print(json.dumps({"ready_s": time.perf_counter() - STARTED, "peak_mb": peak_mb()}), flush=True)
    # Leave at once: closing the desk takes its exit backup, which is not part of launching.
    os._exit(0)


def bare() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication(sys.argv)
    window = QMainWindow()
    model = QStandardItemModel(100, 5)
    for r in range(100):
        for c in range(5):
            model.setItem(r, c, QStandardItem(f"{r}:{c}"))
    view = QTableView()
    view.setModel(model)
    window.setCentralWidget(view)
    window.show()
    QTimer.singleShot(0, lambda: report_and_quit(app))
    app.exec()


def desk(db_path: str) -> None:
    from pathlib import Path

    from PySide6.QtCore import QTimer

    from rayong_desktop.db.lock import InstanceLock
    from rayong_desktop.services.startup import open_database
    from rayong_desktop.ui.application import create_application
    from rayong_desktop.ui.main_window import MainWindow

    app = create_application(sys.argv)
    lock = InstanceLock(Path(db_path))
    lock.acquire()
    db = open_database(Path(db_path))
    window = MainWindow(db, lock=lock)
    window.show()
    home = window.show_screen("home")

    def poll() -> None:
        if getattr(home, "data", None) is not None and not getattr(home, "loading", True):
            report_and_quit(app)
        else:
            QTimer.singleShot(5, poll)

    QTimer.singleShot(0, poll)
    app.exec()


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    else:
        desk(sys.argv[2])
