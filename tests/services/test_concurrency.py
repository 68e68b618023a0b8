"""Several clerks at once: nothing lost, and a clash on one unit-week is told, never hidden.

Runs on whatever database the suite runs on (SQLite file, or PostgreSQL with
RAYONG_TEST_DB_URL): real processes, started together.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from rayong_desktop.db.engine import Database
from rayong_desktop.services.reports import record_report, unit_history
from rayong_desktop.services.status import week_summary
from tests.helpers import REPO

WRITER = Path(__file__).with_name("concurrent_writer.py")
UNITS = ["R01", "R02", "R04", "R05", "R06", "R07", "R08", "R09", "R10", "R11", "TN-RY", "TM-MTP"]
WEEKS = [date(2020, 5, 4), date(2020, 5, 11), date(2020, 5, 18)]


@pytest.fixture(autouse=True)
def _after_the_campaign_weeks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAYONG_NOW", "2020-05-30 10:00")


def _run_children(
    target: Path | str, tmp_path: Path, jobs_per_child: list[list[str]]
) -> list[list[str]]:
    go = tmp_path / "go"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    children = [
        subprocess.Popen(
            [sys.executable, str(WRITER), str(target), str(go), *jobs],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=REPO,
        )
        for jobs in jobs_per_child
    ]
    for child in children:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
    go.touch()
    outputs = []
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        outputs.append(out.split("\n"))
    return [[line for line in out if line] for out in outputs]


def test_clerks_keying_different_units_at_once_lose_nothing(
    db: Database, db_target: Path | str, tmp_path: Path
) -> None:
    # Four clerks, three units each, three weeks: 36 reports written at the same time.
    jobs = [
        [
            f"{unit}:{week.isoformat()}:{100 + i * 10 + w}"
            for w, week in enumerate(WEEKS)
            for unit in UNITS[i * 3 : i * 3 + 3]
        ]
        for i in range(4)
    ]
    outputs = _run_children(db_target, tmp_path, jobs)
    assert all(line.startswith("stored ") for out in outputs for line in out)
    for w, week in enumerate(WEEKS):
        summary = {u.unit.code: u for u in week_summary(db, week).units}
        for i in range(4):
            for unit in UNITS[i * 3 : i * 3 + 3]:
                assert summary[unit].reported_count == 100 + i * 10 + w, (unit, week)


def test_a_clash_on_one_unit_week_is_detected_and_nothing_is_lost(
    db: Database, db_target: Path | str, tmp_path: Path
) -> None:
    week = WEEKS[1].isoformat()
    # Five clerks store a first figure for the same unit-week, each having seen no report.
    figures = [501, 502, 503, 504, 505]
    outputs = _run_children(db_target, tmp_path, [[f"TN-RY:{week}:{f}:0"] for f in figures])
    lines = [out[0].split() for out in outputs]
    stored = [ln for ln in lines if ln[0] == "stored"]
    told = [ln for ln in lines if ln[0] == "conflict"]
    assert len(stored) == 1 and len(told) == len(figures) - 1
    winner = int(stored[0][3])
    # Every loser was shown the winner's figure: nothing silently overwritten.
    assert {int(ln[3]) for ln in told} == {winner}
    _unit, history = unit_history(db, "TN-RY")
    assert [(h.count, h.version) for h in history] == [(winner, 1)]


def test_two_corrections_of_the_same_version_one_wins_the_other_is_told(
    db: Database, db_target: Path | str, tmp_path: Path
) -> None:
    week = WEEKS[2]
    first = record_report(db, unit_code="R08", week=week, count=1000)
    outputs = _run_children(
        db_target,
        tmp_path,
        [
            [f"R08:{week.isoformat()}:1100:{first.version}"],
            [f"R08:{week.isoformat()}:1200:{first.version}"],
        ],
    )
    lines = [out[0].split() for out in outputs]
    stored = [ln for ln in lines if ln[0] == "stored"]
    told = [ln for ln in lines if ln[0] == "conflict"]
    assert len(stored) == 1 and len(told) == 1
    assert int(told[0][3]) == int(stored[0][3])  # the loser sees the winner's figure
    _unit, history = unit_history(db, "R08")
    assert [h.count for h in history] == [1000, int(stored[0][3])]
