from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from rayong_desktop.db.lock import AlreadyRunningError, InstanceLock
from tests.helpers import REPO, run_cli_subprocess

# About the SQLite file itself: deselected when the suite runs on PostgreSQL.
pytestmark = pytest.mark.sqlite_only


def _hold_lock_in_child(db_path: Path) -> subprocess.Popen[str]:
    code = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from rayong_desktop.db.lock import InstanceLock
        lock = InstanceLock(Path({str(db_path)!r}))
        lock.acquire()
        print("held", flush=True)
        sys.stdin.read()
        """
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "held"
    return child


def test_second_holder_is_refused_until_the_first_exits(tmp_path: Path) -> None:
    db_path = tmp_path / "locked.sqlite3"
    child = _hold_lock_in_child(db_path)
    try:
        with pytest.raises(AlreadyRunningError) as info:
            InstanceLock(db_path).acquire()
        assert "already running" in info.value.en
    finally:
        child.communicate("")
    # The OS drops the lock with the process: a new start succeeds.
    with InstanceLock(db_path) as lock:
        assert lock.held


def test_second_gui_start_says_so_and_exits_cleanly(tmp_path: Path) -> None:
    db_path = tmp_path / "gui.sqlite3"
    with InstanceLock(db_path):
        result = run_cli_subprocess(
            ["--db", str(db_path)], env={"QT_QPA_PLATFORM": "offscreen"}, timeout=120
        )
    assert result.code == 2
    assert "already running" in result.err
    assert "Traceback" not in result.err
    # It did not create or migrate the database while refusing.
    assert not db_path.exists() or os.path.getsize(db_path) == 0
