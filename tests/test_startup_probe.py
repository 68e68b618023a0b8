from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import run_cli_subprocess

pytestmark = pytest.mark.sqlite_only  # starts the real desk on its own file


def test_the_desk_starts_to_a_usable_home_screen(tmp_path: Path) -> None:
    """RAYONG_STARTUP_PROBE makes the real start-up (lock, checks, migration, seed, window,
    home figures) report when it is usable: how start time is measured, frozen or not."""
    db = tmp_path / "probe.sqlite3"
    result = run_cli_subprocess(
        ["--db", str(db)],
        env={"RAYONG_STARTUP_PROBE": "1", "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
    )
    assert result.code == 0, result.err
    assert result.out.strip() == "ready"
    assert db.is_file() and "Traceback" not in result.err
