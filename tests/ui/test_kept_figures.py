"""A second start shows the home figures kept at the last close while the database opens behind
them; what is kept always matches the file, and a file refused on opening is still handled."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from rayong_desktop import app
from rayong_desktop.db.engine import Database
from rayong_desktop.db.lock import InstanceLock
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.services import desk, home_snapshot, maintenance, reports
from rayong_desktop.services.startup import open_database
from rayong_desktop.ui import prompts
from rayong_desktop.ui.home_page import HomePage
from rayong_desktop.ui.window import SCREENS, MainWindow
from tests.ui.conftest import ScriptedClock, bkk, close_window

# About the SQLite file the figures are kept for: deselected when the suite runs on PostgreSQL.
pytestmark = [pytest.mark.sqlite_only, pytest.mark.gui]

W21 = date(2020, 5, 18)


def home_texts(home: HomePage) -> list[str]:
    return [
        home.heading.text(),
        home.tile_expected.value.text(),
        home.tile_received.value.text(),
        home.tile_on_time.value.text(),
        home.tile_late.value.text(),
        home.tile_missing.value.text(),
        home.province_figure.text(),
        home.calls_title.text(),
        *(card.when.text() + card.who.text() for card in home.cards if card.isVisibleTo(home)),
        *(r.entry.code for r in home.call_model.rows),
    ]


def some_reports(db: Database) -> None:
    for code, count in (("TN-RY", 410), ("PAO-RY", 350), ("R01", 900)):
        reports.record_report(
            db, unit_code=code, week=W21, count=count, received_at=bkk("2020-05-21 09:00")
        )


def close_and_keep(qtbot: QtBot, open_window: Callable[..., MainWindow], db: Database) -> list[str]:
    """A session that ends as a clerk ends it; returns what its home screen showed."""
    window = open_window()
    home = window.show_screen("home")
    assert isinstance(home, HomePage)
    qtbot.waitUntil(lambda: home.data is not None and not home.loading)
    shown = home_texts(home)
    close_window(qtbot, window)
    return shown


def test_closing_keeps_the_home_figures_the_database_gives(
    qtbot: QtBot, open_window: Callable[..., MainWindow], db: Database, clock: ScriptedClock
) -> None:
    some_reports(db)
    close_and_keep(qtbot, open_window, db)
    assert db.path is not None and home_snapshot.snapshot_path(db.path).is_file()
    opening = home_snapshot.load(db.path, clock())
    assert opening is not None and opening.week == W21
    assert opening.home == desk.home_figures(db, W21)


def test_a_window_on_kept_figures_shows_them_then_attaches_the_database(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    db: Database,
    db_path: Path,
    clock: ScriptedClock,
) -> None:
    some_reports(db)
    first = close_and_keep(qtbot, open_window, db)
    opening = home_snapshot.load(db_path, clock())
    assert opening is not None

    window = open_window(database=None, opening=opening, target=str(db_path))
    home = window.page("home")
    assert isinstance(home, HomePage)
    assert not window.ctx.ready
    assert home_texts(home) == first  # at once, before any database work
    assert not window.print_action.isEnabled() and not window.backup_action.isEnabled()
    assert not window.week_combo.isEnabled() and not window.next_week_action.isEnabled()
    # Another screen chosen meanwhile says the database is opening; it is built once it is.
    assert window.show_screen("keying") is None
    assert window.current_screen() == "keying" and "keying" not in window.pages
    note = window.stack.widget(SCREENS.index("keying")).findChild(object, "openingNote")
    assert note is not None and "กำลังตรวจและเปิดฐานข้อมูล" in note.text()

    opened: list[Database] = []
    order: list[str] = []

    def open_db() -> Database:
        order.append("open")
        opened.append(open_database(db_path))
        return opened[-1]

    def prepare() -> None:  # the file's health check starts here, on the GUI thread
        assert QThread.currentThread() is QApplication.instance().thread()
        order.append("prepare")

    window.open_in_background(open_db, lambda exc: pytest.fail(f"refused: {exc}"), prepare=prepare)
    qtbot.waitUntil(lambda: window.ctx.ready, timeout=10_000)
    assert window.ctx.db is opened[0]
    assert order == ["prepare", "open"]
    assert "keying" in window.pages  # the screen chosen while opening
    assert window.print_action.isEnabled() and window.backup_action.isEnabled()
    assert window.week_combo.isEnabled() and window.next_week_action.isEnabled()
    keying = window.pages["keying"]
    qtbot.waitUntil(lambda: not keying.loading and not keying.stale, timeout=10_000)
    window.show_screen("home")
    qtbot.waitUntil(lambda: not home.loading and not home.stale, timeout=10_000)
    assert home_texts(home) == first  # read again from the database: the same figures


def test_kept_figures_are_not_used_once_the_file_changed(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    db: Database,
    db_path: Path,
    clock: ScriptedClock,
) -> None:
    close_and_keep(qtbot, open_window, db)
    assert home_snapshot.load(db_path, clock()) is not None
    # The command line keys a figure after the desk closed.
    reports.record_report(
        db, unit_code="R02", week=W21, count=77, received_at=bkk("2020-05-21 09:30")
    )
    assert home_snapshot.load(db_path, clock()) is None


def test_a_refusal_while_opening_behind_kept_figures_closes_the_desk_with_status_2(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    db: Database,
    db_path: Path,
    clock: ScriptedClock,
) -> None:
    close_and_keep(qtbot, open_window, db)
    opening = home_snapshot.load(db_path, clock())
    assert opening is not None
    window = open_window(database=None, opening=opening, target=str(db_path))
    refused: list[BaseException] = []

    def open_db() -> Database:
        raise RefusedError("ฐานข้อมูลใหม่กว่าโปรแกรม", "the schema is newer", code="newer")

    window.open_in_background(open_db, lambda exc: refused.append(exc))
    qtbot.waitUntil(lambda: bool(refused), timeout=10_000)
    assert isinstance(refused[0], RefusedError)
    assert window.exit_code == 2 and not window.isVisible() and not window.ctx.ready


def test_a_damaged_file_behind_kept_figures_is_restored_from_its_backup(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    db: Database,
    db_path: Path,
    clock: ScriptedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    some_reports(db)
    first = close_and_keep(qtbot, open_window, db)
    db.dispose()
    monkeypatch.setenv("RAYONG_NOW", "2020-05-21 10:05")  # the newest backup: after the reports
    maintenance.make_backup(db_path, "manual")
    opening = home_snapshot.load(db_path, clock())
    assert opening is not None
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    size = db_path.stat().st_size
    with open(db_path, "r+b") as fh:  # damage a page in the middle of the file
        fh.seek(size // 2 - (size // 2) % 4096)
        fh.write(b"\x00\xff" * 2048)
    asked: list[str] = []
    monkeypatch.setattr(prompts, "ask_yes_no", lambda _p, _t, text: asked.append(text) or True)

    with InstanceLock(db_path) as lock:
        window = open_window(database=None, opening=opening, target=str(db_path))
        home = window.page("home")
        assert isinstance(home, HomePage)
        open_db, recover = app.file_openers(db_path, lock)
        window.open_in_background(open_db, recover)
        qtbot.waitUntil(lambda: window.ctx.ready, timeout=15_000)
        assert asked and "สำเนาสำรอง" in asked[0]
        assert not window.ctx.db.read_only
        qtbot.waitUntil(lambda: not home.loading and not home.stale, timeout=10_000)
        assert home_texts(home) == first
        close_window(qtbot, window)
        window.ctx.db.dispose()
    assert maintenance.health(db_path).ok


def damage_table(db_path: Path, table: str) -> None:
    """Overwrite the root page of one table: the file opens, that table cannot be read."""
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    conn.close()
    with open(db_path, "r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(b"\xff" * page_size)


def kept_then(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    db: Database,
    db_path: Path,
    clock: ScriptedClock,
) -> tuple[list[str], home_snapshot.DeskOpening]:
    some_reports(db)
    first = close_and_keep(qtbot, open_window, db)
    db.dispose()
    opening = home_snapshot.load(db_path, clock())
    assert opening is not None
    return first, opening


def test_a_failed_restore_behind_kept_figures_opens_the_file_read_only(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    db: Database,
    db_path: Path,
    clock: ScriptedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _first, opening = kept_then(qtbot, open_window, db, db_path, clock)
    monkeypatch.setenv("RAYONG_NOW", "2020-05-21 10:05")
    maintenance.make_backup(db_path, "manual")
    damage_table(db_path, "unit")
    warned: list[str] = []
    monkeypatch.setattr(prompts, "ask_yes_no", lambda *_a: True)
    monkeypatch.setattr(prompts, "warn", lambda _p, title, text: warned.append(f"{title}: {text}"))

    def held_by_another_program(*_a: object, **_k: object) -> object:
        raise RefusedError("ไฟล์ถูกโปรแกรมอื่นเปิดอยู่", "the file is in use", code="in_use")

    monkeypatch.setattr(maintenance, "restore", held_by_another_program)
    with InstanceLock(db_path) as lock, qtbot.capture_exceptions() as raised:
        window = open_window(database=None, opening=opening, target=str(db_path))
        open_db, recover = app.file_openers(db_path, lock)
        window.open_in_background(open_db, recover)
        qtbot.waitUntil(lambda: window.ctx.ready or not window.isVisible(), timeout=15_000)
        assert window.ctx.ready and window.ctx.db.read_only
        assert any("กู้คืนไม่สำเร็จ" in w for w in warned)
        assert "อ่านอย่างเดียว" in window.banner.text() and window.banner.isVisibleTo(window)
        # Figures kept from a file found damaged are not shown at the next start.
        assert not home_snapshot.snapshot_path(db_path).exists()
        home = window.page("home")
        assert isinstance(home, HomePage)
        qtbot.waitUntil(lambda: not home.loading and not home.stale, timeout=10_000)
        # The unit table cannot be read: the kept figures stay, marked for what they are.
        assert home.kept and "เก็บไว้เมื่อปิดโปรแกรมครั้งก่อน" in home.subheading.text()
        close_window(qtbot, window)
        window.ctx.db.dispose()
    # Reading the damaged table is reported loudly (and only that).
    assert raised and all("malformed" in str(e[1]) for e in raised)


def test_a_database_that_fails_while_attaching_closes_the_desk_with_status_2(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    db: Database,
    db_path: Path,
    clock: ScriptedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The settings table is damaged: the file opens read-only, then reading the campaign
    fails while attaching. The clerk is told and the desk closes; it never sits on kept
    figures that say the database is opening."""
    _first, opening = kept_then(qtbot, open_window, db, db_path, clock)
    damage_table(db_path, "setting")
    warned: list[str] = []
    monkeypatch.setattr(prompts, "ask_yes_no", lambda *_a: False)
    monkeypatch.setattr(prompts, "warn", lambda _p, title, text: warned.append(f"{title}: {text}"))
    with InstanceLock(db_path) as lock:
        window = open_window(database=None, opening=opening, target=str(db_path))
        open_db, recover = app.file_openers(db_path, lock)
        window.open_in_background(open_db, recover)
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=15_000)
        assert window.exit_code == 2 and not window.ctx.ready
        assert any(w.startswith("เปิดฐานข้อมูลไม่ได้") for w in warned)
