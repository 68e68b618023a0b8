"""A file whose header is zeroed is not a database at all: when the clerk declines the restore
offer the desk closes cleanly (status 2), never aborts (SIGABRT) building its window."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.services import maintenance
from rayong_desktop.services.reports import record_report
from rayong_desktop.services.startup import open_database, open_read_only
from tests.helpers import REPO

pytestmark = pytest.mark.sqlite_only

CHILD = Path(__file__).with_name("zeroed_header_child.py")


def _zero_header(db_path: Path) -> None:
    db = open_database(db_path)
    record_report(db, unit_code="R01", week=date(2020, 5, 11), count=100)
    db.dispose()
    maintenance.make_backup(db_path, "manual")
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with open(db_path, "r+b") as fh:
        fh.write(b"\0" * 100)


def test_declining_the_restore_of_a_zeroed_file_closes_cleanly(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAYONG_NOW", "2020-05-20 09:00")
    _zero_header(db_path)
    before = db_path.read_bytes()
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, str(CHILD), str(db_path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
        cwd=REPO,
    )
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert "asked: restore?" in done.stdout and "warned" in done.stdout  # told, in Thai
    assert "too damaged to be shown even read-only" in done.stderr
    assert "QThread" not in done.stderr and "Traceback" not in done.stderr
    assert db_path.read_bytes() == before  # declined: nothing changed


def test_a_zeroed_file_is_refused_read_only_in_one_message(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAYONG_NOW", "2020-05-20 09:00")
    _zero_header(db_path)
    with pytest.raises(RefusedError) as info:
        open_read_only(db_path)
    assert info.value.code == "unreadable_database"
    assert "เสียหาย" in info.value.th and "file is not a database" in info.value.en
