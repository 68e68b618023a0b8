"""Corrections at the command line never overwrite silently: each says what it replaced, who
stored that and when; `--expected-version` turns a stale correction into a conflict.

Runs on the suite's database (SQLite, or PostgreSQL with RAYONG_TEST_DB_URL), so the
concurrent test is the several-clerks case on a server too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from rayong_desktop.db.engine import Database
from rayong_desktop.domain.reporting import ConflictError
from rayong_desktop.services.reports import record_report, undo_report, unit_history
from tests.helpers import REPO, CliResult, dump

Cli = Callable[..., CliResult]
W21 = date(2020, 5, 18)
CHILD = Path(__file__).with_name("concurrent_cli.py")


@pytest.fixture(autouse=True)
def _saturday_morning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAYONG_NOW", "2020-05-30 09:00")


def test_a_correction_says_what_it_replaced_who_stored_it_and_when(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAYONG_NOW", "2020-05-22 10:15")
    monkeypatch.setenv("RAYONG_CLERK", "clerk-a")
    first = cli("report", "R01", "350", "--week", "2020-W21", "--received", "2020-05-22 10:15")
    assert first.code == 0 and "replaced" not in first.out
    monkeypatch.setenv("RAYONG_NOW", "2020-05-30 09:00")
    monkeypatch.setenv("RAYONG_CLERK", "test-clerk")
    text = cli("report", "R01", "360", "--week", "2020-W21", "--reason", "fax re-read")
    assert text.code == 0, text.err
    assert text.out.splitlines() == [
        "corrected: R01 2020-W21 count 360 (version 2, on time)",
        "replaced: count 350 (version 1) stored by clerk-a at 2020-05-22 10:15",
    ]
    again = cli("report", "R01", "370", "--week", "2020-W21", "--reason", "again", "--json")
    assert again.code == 0, again.err
    assert again.json()["replaced"] == {
        "count": 360,
        "version": 2,
        "by": "test-clerk",
        "at": "2020-05-30T09:00:00+07:00",
    }
    first_json = cli(
        "report", "R02", "10", "--week", "2020-W21", "--received", "now", "--json"
    ).json()
    assert first_json["replaced"] is None


def test_a_stale_expected_version_is_a_conflict_naming_the_other_figure(
    cli: Cli, db_path: Path
) -> None:
    assert (
        cli("report", "R01", "350", "--week", "2020-W21", "--received", "2020-05-22 10:15").code
        == 0
    )
    assert cli("report", "R01", "360", "--week", "2020-W21", "--reason", "x").code == 0
    before = dump(db_path)
    stale = cli(
        "report", "R01", "400", "--week", "2020-W21", "--reason", "y", "--expected-version", "1"
    )
    assert stale.code == 2 and stale.out == ""
    assert "someone else stored 360 (version 2)" in stale.err
    assert len(stale.err.strip().splitlines()) == 1
    assert dump(db_path) == before
    fresh = cli(
        "report", "R01", "400", "--week", "2020-W21", "--reason", "y", "--expected-version", "2"
    )
    assert fresh.code == 0 and "version 3" in fresh.out
    for bad in ("-1", "two", ""):
        wrong = cli("report", "R01", "1", "--reason", "z", "--expected-version", bad)
        assert wrong.code == 2 and "not a version number" in wrong.err


def test_a_blank_reason_is_refused(cli: Cli, db_path: Path) -> None:
    assert (
        cli("report", "R01", "350", "--week", "2020-W21", "--received", "2020-05-22 10:15").code
        == 0
    )
    before = dump(db_path)
    for blank in ("", "   ", "\t"):
        result = cli("report", "R01", "360", "--week", "2020-W21", "--reason", blank)
        assert result.code == 2 and "reason for the correction is blank" in result.err
    assert dump(db_path) == before


def test_correcting_a_report_someone_removed_is_a_conflict_not_a_new_report(
    db: Database,
) -> None:
    record_report(db, unit_code="R01", week=W21, count=350)
    assert undo_report(db, unit_code="R01", week=W21, expected_version=1) is None
    with pytest.raises(ConflictError) as info:
        record_report(db, unit_code="R01", week=W21, count=360, reason="x", expected_version=1)
    assert info.value.current_count is None and info.value.current_version == 0
    assert "removed" in info.value.en
    _unit, revisions = unit_history(db, "R01")
    assert revisions == []
    # Seen as "none yet" it is a first report again.
    assert record_report(db, unit_code="R01", week=W21, count=360, expected_version=0).version == 1


def test_concurrent_command_line_corrections_never_overwrite_silently(
    db: Database, db_target: Path | str, tmp_path: Path
) -> None:
    record_report(db, unit_code="R01", week=W21, count=300)
    where = ["--db", str(db_target)] if isinstance(db_target, Path) else ["--db-url", db_target]
    go = tmp_path / "go"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    clerks = {f"clerk{i}": [str(1000 + 100 * i + k) for k in range(3)] for i in range(4)}
    children = [
        subprocess.Popen(
            [sys.executable, str(CHILD), str(go), clerk, *counts, "--", *where],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=REPO,
        )
        for clerk, counts in clerks.items()
    ]
    for child in children:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
    go.touch()
    answers = []
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        answers += [json.loads(line) for line in out.splitlines() if line]
    assert len(answers) == 12
    stored = [json.loads(a["out"]) for a in answers if a["code"] == 0]
    refused = [a for a in answers if a["code"] != 0]
    for a in refused:  # a clash: exit 2, one line naming the figure that stands
        assert a["code"] == 2 and a["out"] == "", a
        assert "Traceback" not in a["err"] and len(a["err"].strip().splitlines()) == 1
        assert "someone else stored" in a["err"] or "at the same time" in a["err"], a
    # Every version but the first was made by exactly one successful correction, which said
    # exactly which figure (and version) it replaced: nothing was replaced unannounced.
    _unit, revisions = unit_history(db, "R01")
    chain = {r.version: r.count for r in revisions}
    assert sorted(chain) == list(range(1, len(stored) + 2))
    assert {s["version"]: s["count"] for s in stored} == {v: c for v, c in chain.items() if v > 1}
    for s in stored:
        assert s["replaced"]["version"] == s["version"] - 1
        assert s["replaced"]["count"] == chain[s["version"] - 1]
