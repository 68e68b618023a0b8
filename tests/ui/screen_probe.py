"""Open the desk on a screen of a given size and report where every window and dialog went.

Run by tests/ui/test_screen_fit.py in a process of its own (the screen's size is fixed when Qt
starts): QT_QPA_PLATFORM=offscreen:configfile=<json> names the screen, RAYONG_HOME a temp
folder. `python -m tests.ui.screen_probe DB OUT.json` writes a JSON list of what it saw: for
each step, every visible top-level window with its frame and whether the frame lies inside
the available screen; and the call list's visible rows with the window maximised.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QRect, QTimer
from PySide6.QtWidgets import QTableView, QWidget

from rayong_desktop.services import demo, excel_io
from rayong_desktop.services.startup import open_database
from rayong_desktop.ui import prompts
from rayong_desktop.ui.application import create_application
from rayong_desktop.ui.state import ui_settings
from rayong_desktop.ui.window import SCREENS, MainWindow

Step = tuple[int, Callable[[], None]]


def remembered_on_a_big_monitor() -> QByteArray:
    """The window geometry a desk saved on a 1920x1080 monitor, placed towards its corner."""
    big = QWidget()
    big.setGeometry(QRect(500, 300, 1900, 1040))
    saved = big.saveGeometry()
    big.deleteLater()
    return saved


def main(db_file: str, out_file: str) -> None:
    db = open_database(Path(db_file))
    demo.fill_demo(db)
    template = Path(db_file).with_name("units.xlsx")
    excel_io.export_units_template(db, template)
    app = create_application([])
    store = ui_settings()
    store.setValue("window/geometry", remembered_on_a_big_monitor())
    store.sync()
    seen: list[dict[str, Any]] = []

    def record(step: str) -> None:
        room = app.primaryScreen().availableGeometry()
        for w in app.topLevelWidgets():
            if w.isVisible() and w.isWindow() and w.windowType().name in ("Window", "Dialog"):
                frame = w.frameGeometry()
                seen.append(
                    {
                        "step": step,
                        "window": type(w).__name__,
                        "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
                        "inside": room.contains(frame),
                    }
                )

    # Dialogs run modal (exec): a timer looks for each once it has shown, then closes it.
    def close_modal(step: str) -> None:
        modal = app.activeModalWidget()
        if modal is None or not modal.isVisible():
            QTimer.singleShot(20, lambda: close_modal(step))
            return
        QTimer.singleShot(100, lambda: (record(step), modal.close()))

    # The prompts answer themselves: the probe only looks at where their boxes went.
    from rayong_desktop.ui import excel_dialogs

    excel_dialogs.choose_open_path = lambda *_a: template  # type: ignore[assignment]
    prompts.choose_backup_file = lambda *_a: None  # type: ignore[assignment]

    window = MainWindow(db)
    window.show()
    steps: list[Step] = [(300, lambda: record("restored"))]
    for name in SCREENS:
        steps.append((50, lambda n=name: window.show_screen(n)))  # type: ignore[misc]
        steps.append((250, lambda n=name: record(f"screen {n}")))  # type: ignore[misc]
    dialogs: list[tuple[str, Callable[[], None]]] = [
        *((f"print {kind}", action.trigger) for kind, action in window.print_actions.items()),
        ("export", window.export_action.trigger),
        ("import forms", window.import_forms_action.trigger),
        ("import units", window.import_units_action.trigger),
        ("keys", window._show_keys),
        ("unit", lambda: window.show_screen("registry").add_unit()),  # type: ignore[union-attr]
    ]
    for step, opener in dialogs:
        steps.append((50, lambda s=step: QTimer.singleShot(20, lambda: close_modal(s))))  # type: ignore[misc]
        steps.append((10, opener))
    steps.append((50, lambda: window.show_screen("home")))
    steps.append((50, window.showMaximized))

    def rows() -> None:
        record("maximised")
        table = window.page("home").findChild(QTableView, "callList")
        assert table is not None
        # Rows wholly on show: the one cut by the bottom edge does not count.
        whole = sum(
            1
            for r in range(table.model().rowCount())
            if table.rowViewportPosition(r) >= 0
            and table.rowViewportPosition(r) + table.rowHeight(r) <= table.viewport().height()
        )
        seen.append({"step": "call list", "rows": whole, "units": table.model().rowCount()})

    steps.append((600, rows))

    def finish() -> None:
        Path(out_file).write_text(json.dumps(seen), encoding="utf-8")
        window._close_ready = True  # no exit backup: the probe's database is thrown away
        window.close()
        app.quit()

    steps.append((50, finish))

    def run(i: int = 0) -> None:
        if i < len(steps):
            delay, action = steps[i]

            def go() -> None:
                action()
                run(i + 1)

            QTimer.singleShot(delay, go)

    run()
    app.exec()
    window.ctx.shutdown()
    db.dispose()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
