"""kill -9 in the middle of a stream of committed writes loses nothing acknowledged."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.helpers import REPO

# About the SQLite file itself: deselected when the suite runs on PostgreSQL.
pytestmark = pytest.mark.sqlite_only

WRITER = Path(__file__).with_name("crash_writer.py")
ROUNDS = 12


def _run_round(db_path: Path, start: int, rng: random.Random) -> list[tuple[str, str, int, int]]:
    env = dict(os.environ, RAYONG_NOW="2020-07-31 20:00", PYTHONPATH=str(REPO))
    child = subprocess.Popen(
        [sys.executable, str(WRITER), str(db_path), str(start)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    assert child.stdout is not None
    acked: list[tuple[str, str, int, int]] = []
    ready = threading.Event()

    def read() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            if line.strip() == "ready":
                ready.set()
            elif line.startswith("ack ") and line.endswith("\n"):
                _, unit, week, count, version = line.split()
                acked.append((unit, week, int(count), int(version)))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    assert ready.wait(60), child.stderr.read() if child.stderr else "no output"
    # Let it write for a random while, then kill it without warning.
    deadline = time.monotonic() + rng.uniform(0.05, 0.6)
    while time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.01)
    assert child.poll() is None, child.stderr.read() if child.stderr else ""
    child.send_signal(signal.SIGKILL)
    child.wait()
    reader.join(10)
    child.stdout.close()
    if child.stderr is not None:
        child.stderr.close()
    return acked


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_no_acknowledged_report(tmp_path: Path) -> None:
    from rayong_desktop.services.startup import open_database

    db_path = tmp_path / "crash.sqlite3"
    open_database(db_path).dispose()
    rng = random.Random(2020)
    total = 0
    for round_no in range(ROUNDS):
        acked = _run_round(db_path, start=round_no * 20_000, rng=rng)
        total += len(acked)
        conn = sqlite3.connect(db_path)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            for unit, week, count, version in acked:
                row = conn.execute(
                    "SELECT r.version, rv.count FROM weekly_report r "
                    "JOIN unit u ON u.id = r.unit_id "
                    "JOIN report_revision rv ON rv.report_id = r.id AND rv.version = ? "
                    "WHERE u.code = ? AND r.week = ?",
                    (version, unit, week),
                ).fetchone()
                assert row is not None, (round_no, unit, week, version)
                current_version, stored_count = row
                assert current_version >= version
                assert stored_count == count
            # Every report's current version has its revision: no half-written correction.
            orphans = conn.execute(
                "SELECT count(*) FROM weekly_report r WHERE NOT EXISTS (SELECT 1 FROM "
                "report_revision rv WHERE rv.report_id = r.id AND rv.version = r.version)"
            ).fetchone()[0]
            assert orphans == 0
        finally:
            conn.close()
    assert total > ROUNDS  # the child really wrote between kills
