"""Child process for the launch and memory jobs: start, show a usable window, report, quit.

    python tests/benchmarks/launch.py desk DB_PATH   the desk as app.run_gui starts it: ready
                                                     when the home screen shows its figures,
                                                     attached when its database is open
    python tests/benchmarks/launch.py desk-close DB_PATH   the same, then closed as a clerk
                                                     closes it (keeps its home figures)
    python tests/benchmarks/launch.py bare           the floor: a bare PySide6 window with a
                                                     100-row table
    python tests/benchmarks/launch.py stack DB_PATH  the same window after loading what any
                                                     start that reads the database needs first:
                                                     SQLAlchemy's ORM and the desk's models, with
                                                     one query of the file's units

Prints one JSON line {"ready_s": seconds since this interpreter began, "peak_mb": peak RSS};
the desk adds "attached_s" and "settled_s" (its queues idle and the word segmenter it loads
after the first figures in memory: the line is printed then, and peak_mb is taken then).
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
    """This process's peak resident memory since it started, in MB.

    Linux's VmHWM belongs to the address space, which exec replaces; ru_maxrss survives exec and
    so carries the parent's peak from before the fork (a benchmark parent that has just built a
    large PDF would lend every child its 190 MB)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
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


def stack(db_path: str) -> None:
    """The bare window, after what every start of the desk must load before it can show a
    figure read from its database: SQLAlchemy with its ORM, the desk's models (mapped and
    configured by one ORM query) and sqlite3. Not a floor the desk could reach (it also checks
    the file, reads the week and builds its screens): the part of its start its stack alone
    costs, beside the bare window."""
    import gc

    gc.disable()  # as the desk starts: no collection walks what the imports make
    from sqlalchemy import create_engine, func, select

    from rayong_desktop.db.models import Unit

    engine = create_engine(f"sqlite:///{db_path}")
    with engine.connect() as conn:
        conn.execute(select(func.count()).select_from(Unit)).scalar_one()
    engine.dispose()
    bare()


def desk(db_path: str, *, close: bool = False) -> None:
    """The desk exactly as `python main.py --db PATH` starts it. Reports when the home
    screen first shows figures (ready_s), when the database is open and checked with the
    home screen read from it (attached_s) and when it has settled (settled_s); peak memory is
    taken at the last. With `close`, the
    window is then closed the way a clerk closes it (it keeps its home figures for the next
    start and takes its exit backup): the untimed warm-up run."""
    from pathlib import Path

    # The desk's own folder (kept figures, window geometry) beside the benchmark database,
    # never the user's real one.
    os.environ.setdefault("RAYONG_HOME", str(Path(db_path).parent / "bench-home"))

    times: dict[str, float] = {}

    kept: list[bool] = []

    def probe(stage: str) -> None:
        times[f"{stage}_s"] = time.perf_counter() - STARTED
        if stage == "ready":  # the figures on show came from the kept ones: still opening
            kept.append("sqlalchemy" not in sys.modules)
        if stage == "attached":
            settle()

    def settle() -> None:
        """Wait until the desk has finished starting (nothing left on its queues, the word
        segmenter it loads after the first figures in memory), then report: the peak memory is
        the started desk's, not a snapshot taken before its last start-up work."""
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        from rayong_desktop.documents.words import segmenter_loaded

        window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "deskWindow")
        ctx = window.ctx  # type: ignore[attr-defined]
        if not (segmenter_loaded() and ctx.reads.pending() == 0 and ctx.writes.pending() == 0):
            QTimer.singleShot(2, settle)
            return
        times["settled_s"] = time.perf_counter() - STARTED
        report = {**times, "peak_mb": peak_mb(), "kept": bool(kept and kept[0])}
        print(json.dumps(report), flush=True)
        if close:
            window.close()
            QApplication.quit()
            return
        # Leave at once: closing takes the exit backup, which is not part of launching.
        os._exit(0)

    # Started as a clerk starts it: `main.py --db PATH` (the command line's own parsing), with
    # the start-up probe reporting to this process instead of printing.
    from rayong_desktop.cli import main

    sys.exit(main(["--db", db_path], probe=probe))


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    elif sys.argv[1] == "stack":
        stack(sys.argv[2])
    else:
        desk(sys.argv[2], close=sys.argv[1] == "desk-close")
