"""app.HealthCheck: the file's check runs once, in its own thread, started by whoever is first."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from rayong_desktop import app
from rayong_desktop.db import backup


def test_the_check_runs_once_whoever_starts_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "desk.sqlite3"
    db.write_bytes(b"")
    calls: list[str] = []
    release = threading.Event()

    def fake_check(path: Path, *, full: bool = False) -> backup.HealthReport:
        calls.append(threading.current_thread().name)
        release.wait(10)
        return backup.HealthReport(path, [])

    monkeypatch.setattr(backup, "check_health", fake_check)
    check = app.HealthCheck(db)
    check.start()
    check.start()  # the opener's own start, later: no second check
    release.set()
    report = check.result()
    assert report is not None and report.ok and report.path == db
    assert len(calls) == 1 and calls[0].startswith("health")  # not on the caller's thread


def test_no_file_no_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup, "check_health", lambda *_a, **_k: pytest.fail("checked"))
    assert app.HealthCheck(tmp_path / "missing.sqlite3").result() is None
