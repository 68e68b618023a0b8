from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from rayong_desktop import app
from rayong_desktop.db.lock import InstanceLock
from rayong_desktop.services import maintenance
from rayong_desktop.services.reports import record_report
from rayong_desktop.services.startup import open_database
from rayong_desktop.ui import prompts
from rayong_desktop.ui.application import create_application
from rayong_desktop.ui.window import MainWindow
from tests.ui.conftest import close_window

# About the SQLite file itself: deselected when the suite runs on PostgreSQL.
pytestmark = [pytest.mark.sqlite_only, pytest.mark.gui]


def _damaged_with_backup(db_path: Path) -> int:
    db = open_database(db_path)
    for i, code in enumerate(["TN-RY", "R01", "R08"]):
        record_report(db, unit_code=code, week=date(2020, 5, 11), count=100 + i)
    db.dispose()
    maintenance.make_backup(db_path, "manual")
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    size = db_path.stat().st_size
    with open(db_path, "r+b") as fh:
        fh.seek(size // 2 - (size // 2) % 4096)
        fh.write(b"\x00\xff" * 2048)
    return 3


def test_damaged_database_offers_the_newest_good_backup(
    qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAYONG_NOW", "2020-05-20 09:00")
    create_application([])
    expected = _damaged_with_backup(db_path)
    asked: list[str] = []
    monkeypatch.setattr(prompts, "ask_yes_no", lambda _p, _t, text: asked.append(text) or True)
    with pytest.raises(maintenance.CorruptDatabaseError) as info:
        open_database(db_path)
    with InstanceLock(db_path) as lock:
        db = app._recover(db_path, info.value, lock)
        assert db is not None and not db.read_only
        assert asked and "สำเนาสำรอง" in asked[0]
        conn = sqlite3.connect(db_path)
        assert conn.execute("SELECT count(*) FROM weekly_report").fetchone()[0] == expected
        conn.close()
        db.dispose()


def test_declining_opens_read_only_with_a_banner(
    qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAYONG_NOW", "2020-05-20 09:00")
    create_application([])
    _damaged_with_backup(db_path)
    monkeypatch.setattr(prompts, "ask_yes_no", lambda *_a: False)
    with pytest.raises(maintenance.CorruptDatabaseError) as info:
        open_database(db_path)
    before = db_path.read_bytes()
    with InstanceLock(db_path) as lock:
        db = app._recover(db_path, info.value, lock)
        assert db is not None and db.read_only
        window = MainWindow(db)
        qtbot.addWidget(window)
        assert window.banner.isVisibleTo(window)
        assert "อ่านอย่างเดียว" in window.banner.text()
        assert not window.backup_action.isEnabled()
        close_window(qtbot, window)  # no exit backup from a damaged file
        db.dispose()
    assert db_path.read_bytes() == before
