from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy

from rayong_desktop.db.backup import check_health, list_backups
from rayong_desktop.db.engine import Database
from rayong_desktop.db.netcheck import network_location
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.services import maintenance
from rayong_desktop.services.reports import record_report
from rayong_desktop.services.startup import open_database
from tests.helpers import CliResult, dump

# About the SQLite file itself: deselected when the suite runs on PostgreSQL.
pytestmark = pytest.mark.sqlite_only

UNITS = ["TN-RY", "TM-MTP", "TM-BCH", "PAO-RY", "R01", "R08"]


@pytest.fixture(autouse=True)
def _campaign_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAYONG_NOW", "2020-06-30 10:00")


def _key(db: Database, weeks: int, base: int = 100) -> None:
    for w in range(weeks):
        for i, code in enumerate(UNITS):
            week = date(2020, 5, 4 + 7 * w) if w < 4 else date(2020, 6, 1 + 7 * (w - 4))
            record_report(
                db,
                unit_code=code,
                week=week,
                count=base + 50 * w + i,
                confirm=True,
                reason="re-keyed",
                allow_correction=True,
            )


def _reports(path: Path) -> list[tuple[str, str, int]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT u.code, r.week, r.count FROM weekly_report r JOIN unit u ON u.id = r.unit_id "
            "ORDER BY 1, 2"
        ).fetchall()
    finally:
        conn.close()


def test_backup_taken_while_another_connection_writes_is_consistent(db_path: Path) -> None:
    db = open_database(db_path)
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        other = Database(db_path)
        n = 0
        try:
            while not stop.is_set():
                n += 1
                record_report(
                    other,
                    unit_code=UNITS[n % len(UNITS)],
                    week=date(2020, 6, 15),
                    count=1000 + n,
                    confirm=True,
                    reason="load",
                    allow_correction=True,
                )
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            other.dispose()

    thread = threading.Thread(target=writer)
    thread.start()
    copies = []
    try:
        for i in range(5):
            copies.append(
                maintenance.make_backup(db_path, "manual", out=db_path.parent / f"c{i}.db")
            )
    finally:
        stop.set()
        thread.join()
    assert not errors
    for c in copies:
        assert check_health(c.path, full=True).ok
        conn = sqlite3.connect(c.path)
        # A snapshot: every report has exactly its versions' revisions, none half-written.
        mismatched = conn.execute(
            "SELECT count(*) FROM weekly_report r WHERE r.version != "
            "(SELECT count(*) FROM report_revision v WHERE v.report_id = r.id)"
        ).fetchone()[0]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        conn.close()
        assert mismatched == 0
    db.dispose()


def test_restore_round_trips_and_keeps_the_replaced_file(db_path: Path) -> None:
    db = open_database(db_path)
    _key(db, 3)
    before = _reports(db_path)
    saved = maintenance.make_backup(db_path, "manual")
    _key(db, 5, base=5000)  # later figures, which the restore will undo
    after = _reports(db_path)
    assert after != before
    db.dispose()
    result = maintenance.restore(db_path, saved.path)
    assert _reports(db_path) == before
    assert result.safety_copy is not None and _reports(result.safety_copy) == after


def test_restore_refused_while_the_desk_is_open(db_path: Path) -> None:
    from rayong_desktop.db.lock import InstanceLock

    db = open_database(db_path)
    saved = maintenance.make_backup(db_path, "manual")
    db.dispose()
    with InstanceLock(db_path), pytest.raises(RefusedError) as info:
        maintenance.restore(db_path, saved.path)
    assert info.value.code == "already_running"


def _damage(path: Path) -> None:
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.seek(size // 2 - (size // 2) % 4096)
        fh.write(b"\xa5" * 4096)


def test_overwritten_bytes_are_detected_and_restore_brings_the_data_back(
    db_path: Path, cli: Callable[..., CliResult]
) -> None:
    db = open_database(db_path)
    _key(db, 8)
    db.dispose()
    good = maintenance.make_backup(db_path, "manual")
    before = _reports(db_path)
    shown = cli("status", "--week", "2020-W19", "--json")
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    _damage(db_path)

    with pytest.raises(maintenance.CorruptDatabaseError) as info:
        open_database(db_path)
    assert info.value.good_backup is not None and info.value.good_backup.path == good.path
    assert "เสียหาย" in info.value.th

    # A command that writes checks the whole file first; one that only reads relies on SQLite's
    # checks of the pages it reads: it refuses, or shows exactly what it showed before.
    write = cli("plan-row", "1", "--quota", "2500")
    assert write.code == 2 and "damaged" in write.err
    status = cli("status", "--week", "2020-W19", "--json")
    if status.code == 0:
        assert status.out == shown.out
    else:
        assert status.code == 2 and "damaged" in status.err
    check = cli("check")
    assert check.code == 1 and "problem:" in check.err

    restored = cli("restore", str(good.path))
    assert restored.code == 0, restored.err
    assert _reports(db_path) == before
    assert cli("check").code == 0


def test_premigration_backup_of_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE note_from_before (x TEXT)")
    conn.execute("INSERT INTO note_from_before VALUES ('kept')")
    conn.commit()
    conn.close()
    open_database(path).dispose()
    found = list_backups(maintenance.backup_folder(path), path)
    assert [b.reason for b in found] == ["premigrate"]
    copy = sqlite3.connect(found[0].path)
    assert copy.execute("SELECT x FROM note_from_before").fetchall() == [("kept",)]
    assert copy.execute("SELECT count(*) FROM sqlite_master WHERE name = 'unit'").fetchone()[0] == 0
    copy.close()


def test_daily_backup_before_the_first_change_of_each_day(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_database(db_path)
    folder = maintenance.backup_folder(db_path)
    assert list_backups(folder, db_path) == []
    record_report(db, unit_code="R01", week=date(2020, 6, 15), count=10)
    record_report(db, unit_code="R08", week=date(2020, 6, 15), count=10)
    first = list_backups(folder, db_path)
    assert [b.reason for b in first] == ["daily"]
    # The copy is from before the day's first change: it holds neither report.
    assert _reports(first[0].path) == []
    monkeypatch.setenv("RAYONG_NOW", "2020-07-01 09:00")
    record_report(
        db, unit_code="R01", week=date(2020, 6, 15), count=20, reason="fix", allow_correction=True
    )
    assert [b.reason for b in list_backups(folder, db_path)] == ["daily", "daily"]
    db.dispose()


def test_backup_folder_setting_and_rotation(db_path: Path, tmp_path: Path) -> None:
    from rayong_desktop.services.settings import update_setting

    db = open_database(db_path)
    stick = tmp_path / "usb-stick"
    update_setting(db, "backup_dir", str(stick))
    assert maintenance.backup_folder(db_path) == stick
    for _ in range(14):
        maintenance.make_backup(db_path, "manual")
    kept = list_backups(stick, db_path)
    # All taken "today": the newest ten survive the rotation.
    assert len(kept) == maintenance.POLICY.newest
    db.dispose()


def test_network_share_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RefusedError) as info:
        open_database(Path("//fileserver/share/desk.sqlite3"))
    assert info.value.code == "network_path"
    assert "server database" in info.value.en
    mounts = "server:/export /mnt/office nfs4 rw 0 0\n/dev/sda1 / ext4 rw 0 0\n"
    assert network_location(Path("/mnt/office/desk.sqlite3"), mounts_text=mounts)
    assert network_location(Path("/home/clerk/desk.sqlite3"), mounts_text=mounts) is None


def test_bad_backup_file_is_refused_and_changes_nothing(db_path: Path, tmp_path: Path) -> None:
    db = open_database(db_path)
    _key(db, 2)
    db.dispose()
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database" * 100)
    before = dump(db_path)
    with pytest.raises(RefusedError) as info:
        maintenance.restore(db_path, junk)
    assert info.value.code == "bad_backup"
    assert dump(db_path) == before


@pytest.mark.parametrize("folder", ["C#", "50% done", "a%23b", "ข้อมูล ?x"])
def test_checks_backups_and_read_only_opening_find_the_file_in_any_folder_name(
    tmp_path: Path, folder: str
) -> None:
    """Read-only connections go through SQLite URIs: a "#", "%" or "?" in a folder name must
    neither open another file (and create it) nor hide damage."""
    from rayong_desktop.services.startup import open_read_only

    db_path = tmp_path / folder / "desk.sqlite3"
    db = open_database(db_path)
    _key(db, 3)
    db.dispose()
    before = {p.name for p in tmp_path.iterdir()}
    assert check_health(db_path).ok
    made = maintenance.make_backup(db_path, "manual")
    assert _reports(made.path) == _reports(db_path) != []
    shown = open_read_only(db_path)
    try:
        with shown.reading() as session:
            assert session.execute(sqlalchemy.text("SELECT count(*) FROM weekly_report")).scalar()
    finally:
        shown.dispose()
    # Nothing appeared beside the folder (an unescaped "#" opened "C" and created it).
    assert {p.name for p in tmp_path.iterdir()} == before
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    _damage(db_path)
    assert not check_health(db_path).ok
