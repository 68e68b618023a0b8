"""One way to run work off the GUI thread: the desk's queues (ui/tasks.py).

The source is checked for any other way (a thread, a pool, an event loop of its own, a
processEvents) and for kinds of change announced by hand. Backup, restore, undo and redo are
checked to run on a queue: the service, made slow here, waits for a tick of a timer on the GUI
thread, which can only come while the GUI thread goes on with its event loop. Closing waits for
a write in flight, and closes even when the database is gone.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

import rayong_desktop.ui
from rayong_desktop.db.engine import Database
from rayong_desktop.services import maintenance, reports
from rayong_desktop.ui.keying.page import KeyingPage
from rayong_desktop.ui.window import MainWindow
from tests.ui.conftest import close_window, focused, press, type_text
from tests.ui.test_keying import W21, stored

pytestmark = pytest.mark.gui

UI = Path(rayong_desktop.ui.__file__).parent

# Ways to run work other than the desk's queues (crash.py may ask which thread it is on).
OTHER_WAYS = re.compile(
    r"QThread\(|\(QThread\)|QThreadPool|QRunnable|QEventLoop|processEvents"
    r"|threading\.Thread|concurrent\.futures|ThreadPoolExecutor|asyncio"
)


def ui_sources() -> Iterator[tuple[str, str]]:
    for path in sorted(UI.rglob("*.py")):
        yield path.relative_to(UI).as_posix(), path.read_text(encoding="utf-8")


def test_only_the_task_queues_run_work_off_the_gui_thread_or_spin_an_event_loop() -> None:
    found = [
        f"{name}:{n}: {line.strip()}"
        for name, text in ui_sources()
        if name != "tasks.py"
        for n, line in enumerate(text.splitlines(), 1)
        if OTHER_WAYS.search(line)
    ]
    assert found == []
    assert OTHER_WAYS.search((UI / "tasks.py").read_text(encoding="utf-8"))  # the check bites


def test_no_screen_announces_a_kind_of_change_by_hand() -> None:
    """What changed is announced by the writes queue (from the write's audit entries); only
    the context emits dataChanged, and nothing calls a changed(KIND) of its own."""
    by_hand = re.compile(r"\.changed\(\s*(REPORTS|REGISTRY|OA|SETTINGS|NOTES|\"|')")
    emits = re.compile(r"ctx\.dataChanged\.emit\(")
    found = [
        f"{name}:{n}: {line.strip()}"
        for name, text in ui_sources()
        for n, line in enumerate(text.splitlines(), 1)
        if by_hand.search(line) or (emits.search(line) and name != "context.py")
    ]
    assert found == []


class GuiTicks:
    """A slow service: it waits for a tick of a timer on the GUI thread, and records whether
    the tick came (it cannot while the GUI thread is busy running the service itself)."""

    def __init__(self) -> None:
        self.ticked = threading.Event()
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self.ticked.set)
        self.came: list[bool] = []
        self.on_gui_thread: list[bool] = []

    def slow(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def service(*args: Any, **kwargs: Any) -> Any:
            app = QApplication.instance()
            assert app is not None
            self.on_gui_thread.append(threading.current_thread() is threading.main_thread())
            self.ticked.clear()
            self.came.append(self.ticked.wait(5))
            return real(*args, **kwargs)

        return service

    def __enter__(self) -> GuiTicks:
        self.timer.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.timer.stop()


@pytest.mark.sqlite_only  # a server database is backed up by its administrator
def test_a_backup_runs_on_the_writes_queue_while_the_window_goes_on(
    qtbot: QtBot,
    db: Database,
    open_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window()
    with GuiTicks() as gui:
        monkeypatch.setattr(maintenance, "make_backup", gui.slow(maintenance.make_backup))
        window.backup_action.trigger()
        assert "กำลังสำรองข้อมูล" in window.statusBar().currentMessage()
        qtbot.waitUntil(lambda: "สำรองข้อมูลแล้ว" in window.statusBar().currentMessage())
    assert gui.on_gui_thread == [False] and gui.came == [True]
    assert any(maintenance.backup_folder(db.file).glob("*.sqlite3"))


@pytest.mark.sqlite_only  # a server database is backed up by its administrator
def test_a_restore_runs_on_the_writes_queue_behind_a_progress_dialog(
    qtbot: QtBot,
    db: Database,
    open_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rayong_desktop.ui import prompts

    reports.record_report(db, unit_code="TN-RY", week=W21, count=280)
    window = open_window()
    backup = maintenance.make_backup(db.file, "manual").path
    reports.record_report(db, unit_code="R01", week=W21, count=900)
    told: list[str] = []
    monkeypatch.setattr(prompts, "choose_backup_file", lambda *_a: backup)
    monkeypatch.setattr(prompts, "ask_yes_no", lambda *_a: True)
    monkeypatch.setattr(prompts, "inform", lambda _p, _t, text: told.append(text))
    with GuiTicks() as gui:
        monkeypatch.setattr(maintenance, "restore", gui.slow(maintenance.restore))
        window.restore_action.trigger()
        assert window.restore_progress.isVisible() and not window.ctx.ready
        qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert gui.on_gui_thread == [False] and gui.came == [True]
    assert window.ctx.ready and not window.restore_progress.isVisible()
    assert "เรียบร้อยแล้ว" in told[0]
    assert set(stored(window.ctx.db)) == {"TN-RY"}  # as it was when the backup was made


def test_undo_and_redo_wait_on_the_queue_not_in_an_event_loop_of_their_own(
    qtbot: QtBot,
    db: Database,
    open_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window()
    page = window.show_screen("keying")
    assert isinstance(page, KeyingPage)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    page.view.setFocus()
    qtbot.waitUntil(lambda: focused() is page.view)
    with GuiTicks() as gui:
        monkeypatch.setattr(reports, "record_report", gui.slow(reports.record_report))
        monkeypatch.setattr(reports, "undo_report", gui.slow(reports.undo_report))
        type_text("120")
        press(qtbot, Qt.Key.Key_Return)
        window.undo()  # at once: it waits for the figure on its way, then takes it back
        qtbot.waitUntil(lambda: window.ctx.writes.pending() == 0 and len(gui.came) == 2)
        assert stored_count(db, "R01") is None
        window.redo()
        qtbot.waitUntil(lambda: window.ctx.writes.pending() == 0 and len(gui.came) == 3)
    assert gui.on_gui_thread == [False] * 3 and gui.came == [True] * 3
    assert stored_count(db, "R01") == 120


def stored_count(db: Database, code: str) -> int | None:
    found = stored(db).get(code)
    return None if found is None else found[0]


def test_closing_waits_for_a_write_in_flight_then_closes(
    qtbot: QtBot, db: Database, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window()
    go_on = threading.Event()
    stored: list[object] = []

    def slow_write() -> object:
        assert go_on.wait(10)
        return reports.record_report(db, unit_code="TN-RY", week=W21, count=280)

    window.ctx.writes.submit(slow_write, stored.append)
    window.close()
    assert window.isVisible() and not window.ctx.closed  # not with a write in flight
    QTimer.singleShot(50, go_on.set)
    qtbot.waitUntil(lambda: window.ctx.closed, timeout=10_000)
    assert stored and not window.isVisible()
    assert stored_count(db, "TN-RY") == 280


def test_closing_on_a_database_that_is_gone_still_closes(
    qtbot: QtBot, open_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rayong_desktop.services import home_snapshot

    def gone(*_a: object, **_k: object) -> None:
        raise OSError("no such file")

    monkeypatch.setattr(home_snapshot, "capture", gone)
    monkeypatch.setattr(maintenance, "make_backup", gone)
    window = open_window()
    close_window(qtbot, window)
    assert not window.isVisible()
