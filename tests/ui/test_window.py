"""The window around the screens: weeks, the demo database, remembered layout, menus."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from rayong_desktop.db.engine import Database
from rayong_desktop.services import demo, status
from rayong_desktop.ui.state import ui_state_path
from rayong_desktop.ui.window import SCREENS, MainWindow
from tests.ui.conftest import ScriptedClock, bkk, close_window

pytestmark = pytest.mark.gui


def test_outside_the_campaign_the_desk_opens_on_the_nearest_week_and_says_so(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    clock: ScriptedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RAYONG_NOW", "2026-11-26 09:00")
    clock.moment = bkk("2026-11-26 09:00")
    window = open_window()
    assert (window.ctx.week, window.ctx.inside) == (date(2020, 7, 27), False)
    assert window.week_banner.isVisibleTo(window)
    text = window.week_banner.text()
    assert "26 พฤศจิกายน 2569" in text and "นอกช่วงโครงการ" in text and "27 กรกฎาคม" in text
    home = window.show_screen("home")
    qtbot.waitUntil(lambda: home.data is not None and home.data.week == date(2020, 7, 27))
    assert "สัปดาห์ที่ 14 ของโครงการ" in home.heading.text()
    assert home.countdown_texts() == ["ครบกำหนดแล้ว", "ครบกำหนดแล้ว"]

    # Any other week is a key away: Alt+Left, or Ctrl+G and the list of weeks.
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.ctx.week == date(2020, 7, 20)
    qtbot.waitUntil(lambda: home.data is not None and home.data.week == date(2020, 7, 20))
    assert window.week_combo.currentData() == "2020-07-20"
    window._week_chosen(window.week_combo.findData("2020-05-04"))
    qtbot.waitUntil(lambda: home.data is not None and home.data.week == date(2020, 5, 4))
    assert "สัปดาห์ที่ 2 ของโครงการ" in home.heading.text()
    window.go_current_week()
    assert window.ctx.week == date(2020, 7, 27)


def test_every_screen_opens_by_keyboard_and_loads(
    qtbot: QtBot, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window()
    for i, name in enumerate(SCREENS):
        qtbot.keyClick(window, getattr(Qt.Key, f"Key_{i + 1}"), Qt.KeyboardModifier.ControlModifier)
        assert window.current_screen() == name
        page = window.pages[name]
        qtbot.waitUntil(lambda page=page: not page.loading and not page.stale)
        assert window.nav.currentRow() == i


def test_geometry_and_last_screen_are_remembered_outside_the_users_real_config(
    qtbot: QtBot, open_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    window = open_window()
    first = (window.width(), window.height())
    # Inside the offscreen screen (800 x 800); no narrower than the window can be with the
    # fonts of the machine (the menu bar's width), so the size asked for is the size it has.
    window.resize(max(761, window.minimumSizeHint().width()), 593)
    wanted = (window.width(), window.height())
    assert wanted != first
    window.show_screen("trends")
    close_window(qtbot, window)
    state = ui_state_path()
    assert state is not None and state.is_file()
    assert state.is_relative_to(tmp_path)  # RAYONG_HOME is the test's folder
    again = open_window()
    assert again.current_screen() == "trends"
    room = again.screen().availableGeometry().width()
    if wanted[0] <= room:
        assert (again.width(), again.height()) == wanted
    else:  # the window cannot be that narrow here: brought back inside the screen
        assert again.height() == wanted[1] and again.width() <= room


def test_the_demo_database_is_filled_on_first_open_and_marked_everywhere(
    qtbot: QtBot, db: Database, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window(demo=True)
    qtbot.waitUntil(lambda: demo.is_demo(db), timeout=10_000)
    qtbot.waitUntil(lambda: window.ctx.writes.pending() == 0)
    assert "ฐานข้อมูลตัวอย่าง" in window.windowTitle()
    assert window.demo_banner.isVisibleTo(window) and "ไม่ใช่ข้อมูลจริง" in window.demo_banner.text()
    home = window.show_screen("home")
    qtbot.waitUntil(lambda: home.data is not None and home.data.summary.totals.received > 0)
    # Opened again (without --demo), the file still says what it is.
    close_window(qtbot, window)
    again = open_window()
    assert "ฐานข้อมูลตัวอย่าง" in again.windowTitle()


def test_a_real_database_is_never_marked_demo(open_window: Callable[..., MainWindow]) -> None:
    window = open_window()
    assert "ตัวอย่าง" not in window.windowTitle()
    assert not window.demo_banner.isVisibleTo(window)


def test_menu_entries_for_printing_and_excel_open_their_dialogs(
    qtbot: QtBot,
    db: Database,
    open_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window()
    # The entries open the dialogs with the window and the desk's context (its queues).
    calls: list[tuple[str, object, object]] = []
    printing = types.ModuleType("rayong_desktop.ui.print_dialog")
    printing.open_print_dialog = lambda parent, database, kind: calls.append(
        (f"print {kind}", parent, database)
    )  # type: ignore[attr-defined]
    excel = types.ModuleType("rayong_desktop.ui.excel_dialogs")
    for name in ("export_workbook_dialog", "import_forms_dialog", "import_units_dialog"):
        setattr(
            excel, name, lambda parent, database, name=name: calls.append((name, parent, database))
        )
    monkeypatch.setitem(sys.modules, "rayong_desktop.ui.print_dialog", printing)
    monkeypatch.setitem(sys.modules, "rayong_desktop.ui.excel_dialogs", excel)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    window.print_actions["poster"].trigger()
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(
        window,
        Qt.Key.Key_I,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert [c[0] for c in calls] == [
        "print summary",
        "print poster",
        "export_workbook_dialog",
        "import_forms_dialog",
        "import_units_dialog",
    ]
    assert all(c[1] is window and c[2] is window.ctx for c in calls)


def test_the_current_week_comes_from_the_status_service(
    db: Database, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window()
    assert (window.ctx.week, window.ctx.inside) == status.current_week(
        db, now=bkk("2020-05-21 10:00")
    )
    assert not window.week_banner.isVisibleTo(window)


def test_database_work_runs_off_the_gui_thread_in_order_and_answers_on_it(
    qtbot: QtBot, open_window: Callable[..., MainWindow]
) -> None:
    import threading

    window = open_window()
    gui = threading.get_ident()
    ran: list[tuple[int, int]] = []
    answered: list[tuple[int, int]] = []
    for n in range(5):
        window.ctx.writes.submit(
            lambda n=n: ran.append((n, threading.get_ident())) or n,
            lambda result: answered.append((result, threading.get_ident())),
        )
    qtbot.waitUntil(lambda: len(answered) == 5)
    assert [n for n, _ in ran] == [0, 1, 2, 3, 4]  # a clerk's figures reach the disk in order
    assert all(thread != gui for _, thread in ran)
    assert answered == [(n, gui) for n in range(5)]
