"""Commands that only read open the database read-only, with a check in proportion to that.

README, "The command line": a read-only command opens the file read-only, checks that its schema
revision is this version's, and relies on SQLite's checks of the pages it reads; a command that
writes keeps the whole-file check (quick_check, foreign keys) before its first write.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from rayong_desktop.cli import build_parser
from rayong_desktop.db import migrate
from rayong_desktop.db.backup import list_backups
from rayong_desktop.db.engine import Database
from rayong_desktop.services import maintenance
from rayong_desktop.services.reports import record_report
from rayong_desktop.services.startup import open_database
from tests.helpers import REPO, CliResult, run_cli_subprocess

pytestmark = pytest.mark.sqlite_only  # about opening the SQLite file itself

NOW = {"RAYONG_NOW": "2020-06-30 10:00"}
UNITS = ("TN-RY", "R01", "R08")


@pytest.fixture(autouse=True)
def _campaign_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAYONG_NOW", NOW["RAYONG_NOW"])


def _keyed(path: Path) -> Path:
    """A current desk database with three weeks of reports, its WAL folded into the file."""
    db = open_database(path)
    try:
        for w in range(3):
            for i, code in enumerate(UNITS):
                record_report(
                    db, unit_code=code, week=date(2020, 5, 4 + 7 * w), count=100 + 40 * w + i
                )
    finally:
        db.dispose()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


def _damage_reports(path: Path) -> None:
    """Zero the weekly_report table's root page: the header and the schema stay readable."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = 'weekly_report'"
    ).fetchone()[0]
    conn.close()
    with open(path, "r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(bytes(page_size))


def _state(path: Path) -> tuple[str, int]:
    """The file's bytes (hashed) and what its WAL holds: both unchanged when nothing is written."""
    wal = path.with_name(path.name + "-wal")
    return hashlib.sha256(path.read_bytes()).hexdigest(), wal.stat().st_size if wal.exists() else 0


def _cli(path: Path, *argv: str) -> CliResult:
    return run_cli_subprocess(["--db", str(path), *argv], env=NOW)


def _one_line_refusal(result: CliResult) -> None:
    assert result.code == 2, (result.out, result.err)
    assert "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert result.out == ""


# Runs the command line in this interpreter, then lists the heavy libraries it had loaded.
LOADED = (
    "import io, json, sys\n"
    "from contextlib import redirect_stdout\n"
    "from rayong_desktop.cli import main\n"
    "with redirect_stdout(io.StringIO()):\n"
    "    code = main(sys.argv[1:])\n"
    "heavy = ('alembic', 'reportlab', 'openpyxl', 'pypdfium2', 'PySide6', 'shiboken6')\n"
    "print(json.dumps([code, sorted({m.split('.')[0] for m in sys.modules} & set(heavy))]))\n"
)


@pytest.mark.parametrize(
    "argv",
    [
        ["status", "--week", "2020-W20", "--json"],
        ["status"],
        ["units", "--json"],
        ["plan", "--json"],
        ["history", "R01", "--json"],
        ["weeks", "--json"],
        ["settings", "--json"],
        ["oa-stats", "list", "--json"],
        ["letters", "--json"],
    ],
)
def test_a_read_only_command_loads_no_migration_document_excel_or_qt_library(
    tmp_path: Path, argv: list[str]
) -> None:
    path = _keyed(tmp_path / "desk.sqlite3")
    before = _state(path)
    proc = subprocess.run(
        [sys.executable, "-c", LOADED, "--db", str(path), *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        timeout=120,
        env={**__import__("os").environ, **NOW},
    )
    assert proc.returncode == 0, proc.stderr
    code, heavy = json.loads(proc.stdout.strip().splitlines()[-1])
    assert code == 0
    assert heavy == []
    assert _state(path) == before


def test_the_commands_that_only_read_are_decided_per_command_line() -> None:
    parser = build_parser()

    def reads_only(*argv: str) -> bool:
        args = parser.parse_args(list(argv))
        decided = args.reads_only
        return bool(decided(args) if callable(decided) else decided)

    for argv in (
        ["status"],
        ["history", "R01"],
        ["weeks"],
        ["units"],
        ["units", "template", "--out", "t.xlsx"],
        ["plan"],
        ["settings"],
        ["oa-stats", "list"],
        ["letters"],
        ["letters", "show", "1"],
        ["letters", "reprint", "1", "--out", "l.pdf"],
        ["summary", "--week", "2020-W20", "--out", "s.pdf"],
        ["form", "--out", "f.pdf"],
        ["poster", "--out", "p.pdf"],
        ["export", "--out", "all.zip"],
    ):
        assert reads_only(*argv), argv
    for argv in (
        ["report", "R01", "5"],
        ["units", "import", "u.xlsx"],
        ["settings", "--set", "office_name", "x"],
        ["unit", "retire", "R01"],
        ["plan-row", "1", "--quota", "5"],
        ["oa-stats", "add", "--date", "2020-05-04", "--friends", "5"],
        ["letter", "--week", "2020-W20", "--out", "l.pdf"],
        ["reminder", "--week", "2020-W20", "--out", "r.pdf"],
        ["letters", "sent", "1", "--by", "fax"],
        ["letters", "spoil", "1", "--reason", "x"],
        ["week", "close", "2020-W20"],
        ["import", "f.xlsx"],
        ["backup"],
    ):
        assert not reads_only(*argv), argv


def test_a_damaged_page_met_by_a_read_only_command_is_one_line_and_no_figures(
    tmp_path: Path,
) -> None:
    path = _keyed(tmp_path / "desk.sqlite3")
    good = maintenance.make_backup(path, "manual")
    _damage_reports(path)
    before = _state(path)

    for argv in (["status", "--week", "2020-W20", "--json"], ["history", "R01"]):
        result = _cli(path, *argv)
        _one_line_refusal(result)
        assert result.err.startswith(f"refused: database {path} is damaged"), result.err
        assert str(good.path) in result.err  # the way back

    thai = run_cli_subprocess(["--db", str(path), "status"], env={**NOW, "RAYONG_LANG": "th"})
    _one_line_refusal(thai)
    assert "เสียหาย" in thai.err
    assert _state(path) == before


def test_a_write_command_on_the_same_damaged_file_is_refused_before_writing(
    tmp_path: Path,
) -> None:
    path = _keyed(tmp_path / "desk.sqlite3")
    _damage_reports(path)
    before = _state(path)
    backups = list_backups(maintenance.backup_folder(path), path)

    for argv in (
        ["report", "R08", "900", "--week", "2020-W21", "--received", "now"],
        ["plan-row", "1", "--quota", "2500"],
    ):
        result = _cli(path, *argv)
        _one_line_refusal(result)
        assert "is damaged" in result.err
    # The whole-file check refused it: not a byte written, not even the day's first backup.
    assert _state(path) == before
    assert list_backups(maintenance.backup_folder(path), path) == backups


def test_a_damaged_header_is_refused_by_a_read_only_command(tmp_path: Path) -> None:
    path = _keyed(tmp_path / "desk.sqlite3")
    with open(path, "r+b") as fh:
        fh.write(b"\xa5" * 100)  # the "SQLite format 3" header and page size
    result = _cli(path, "status", "--json")
    _one_line_refusal(result)
    assert "damaged" in result.err


def test_an_older_schema_is_backed_up_and_migrated_first(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = Database(path)
    migrate.upgrade(old, "0002_week_close")
    old.dispose()

    result = _cli(path, "status", "--week", "2020-W20", "--json")
    assert result.code == 0, result.err
    assert result.json()["week_start"] == "2020-05-11"
    now = Database(path)
    try:
        assert set(migrate.stored_revisions(now)) == migrate.file_heads()
    finally:
        now.dispose()
    found = list_backups(maintenance.backup_folder(path), path)
    assert [b.reason for b in found] == ["premigrate"]


def test_a_newer_schema_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    path = _keyed(tmp_path / "desk.sqlite3")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '0099_from_a_later_desk'")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = _state(path)

    result = _cli(path, "status", "--json")
    _one_line_refusal(result)
    assert "0099_from_a_later_desk" in result.err and "newer" in result.err
    assert _state(path) == before


def test_a_missing_file_is_created_on_the_full_path(tmp_path: Path) -> None:
    path = tmp_path / "new" / "desk.sqlite3"
    result = _cli(path, "units", "--json")
    assert result.code == 0, result.err
    assert {u["code"] for u in result.json()} >= set(UNITS)  # seeded


def test_a_read_only_command_sees_what_another_connection_committed_to_the_wal(
    tmp_path: Path,
) -> None:
    path = _keyed(tmp_path / "desk.sqlite3")
    writer = Database(path)  # the desk, say: open, its last change still in the WAL
    try:
        record_report(writer, unit_code="R08", week=date(2020, 5, 25), count=777)
        wal = path.with_name(path.name + "-wal")
        assert wal.stat().st_size > 0
        shown = _cli(path, "status", "--week", "2020-W22", "--json")
        assert shown.code == 0, shown.err
        unit = next(u for u in shown.json()["units"] if u["code"] == "R08")
        assert unit["reported_count"] == 777
    finally:
        writer.dispose()


def test_a_command_run_in_process_leaves_the_garbage_collector_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import gc

    from tests.helpers import run_cli_inprocess

    path = _keyed(tmp_path / "desk.sqlite3")
    before = (gc.get_threshold(), gc.get_freeze_count(), gc.isenabled())
    for argv in (["status", "--json"], ["plan-row", "1", "--quota", "2500"], ["history", "X"]):
        run_cli_inprocess(["--db", str(path), *argv], capsys)
        assert (gc.get_threshold(), gc.get_freeze_count(), gc.isenabled()) == before, argv
