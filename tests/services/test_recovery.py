"""Fault injection for recovery: nothing acknowledged is lost, no backup is misdirected, and
faults of the surroundings are told apart from damage (issue: "Nothing lost in recovery").

Bounded: the restore race is 40 rounds against two writer processes (a few seconds).
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from filelock import FileLock

from rayong_desktop import paths
from rayong_desktop.db import backup, faults
from rayong_desktop.db.backup import list_backups
from rayong_desktop.db.engine import Database
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.services import maintenance
from rayong_desktop.services.reports import record_report
from rayong_desktop.services.startup import open_database
from tests.helpers import REPO, dump, run_cli_inprocess

pytestmark = pytest.mark.sqlite_only

WRITER = Path(__file__).with_name("restore_race_writer.py")
KILLED = Path(__file__).with_name("killed_maintenance_child.py")
ROUNDS = 40
UNITS = ["R01", "R02", "R04", "R05", "R06", "R07", "R08", "R09", "R10", "R11", "TN-RY", "TM-MTP"]


@pytest.fixture(autouse=True)
def _campaign_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAYONG_NOW", "2020-06-30 10:00")


def _report(db: Database, unit: str = "R01", count: int = 100, week: int = 15) -> None:
    record_report(db, unit_code=unit, week=date(2020, 6, week), count=count, confirm=True)


def _race_keys(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT key FROM setting WHERE key LIKE 'race-%'").fetchall()
    finally:
        conn.close()
    return {r[0] for r in rows}


def _damage_header(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with open(path, "r+b") as fh:
        fh.write(b"\0" * 100)


# ---------------------------------------------------------------- 1. restore racing writers


def test_restore_racing_writers_loses_no_acknowledged_write(db_path: Path, tmp_path: Path) -> None:
    db = open_database(db_path)
    _report(db)
    db.dispose()
    base = maintenance.make_backup(db_path, "manual", out=tmp_path / "base.sqlite3")
    stop = tmp_path / "stop"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    writers = [
        subprocess.Popen(
            [sys.executable, str(WRITER), str(db_path), name, str(stop)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for name in ("a", "b")
    ]
    safety: list[Path] = []
    started = time.monotonic()
    try:
        for w in writers:
            assert w.stdout is not None and w.stdout.readline().strip() == "ready"
        for _ in range(ROUNDS):
            result = maintenance.restore(db_path, base.path)
            assert result.safety_copy is not None
            safety.append(result.safety_copy)
            time.sleep(0.02)  # let the writers commit something before the next round
    finally:
        stop.touch()
        outputs = [w.communicate(timeout=60) for w in writers]
    assert time.monotonic() - started < 60
    acknowledged = {
        f"race-{name}-{line.split()[1]}"
        for name, (out, _err) in zip(("a", "b"), outputs, strict=True)
        for line in out.splitlines()
        if line.startswith("ok ")
    }
    assert len(acknowledged) > ROUNDS  # the writers really raced the restores
    found = _race_keys(db_path)
    for copy in safety:
        found |= _race_keys(copy)
    lost = acknowledged - found
    assert lost == set(), f"{len(lost)} of {len(acknowledged)} acknowledged writes lost"
    # Every safety copy survived the rotation, and the restore kept the database's identity.
    assert all(copy.is_file() for copy in safety)
    assert backup.read_identity(db_path) == backup.read_identity(base.path) is not None


# ---------------------------------------------------------------- 2. where backups are kept


def test_a_damaged_file_still_finds_the_configured_backup_folder(
    db_path: Path, tmp_path: Path
) -> None:
    from rayong_desktop.services.settings import update_setting

    db = open_database(db_path)
    beside = maintenance.make_backup(db_path, "manual")  # the default folder: no reports
    stick = tmp_path / "usb"
    update_setting(db, "backup_dir", str(stick))
    for unit in ("R01", "R02", "R04"):
        _report(db, unit)
    on_stick = maintenance.make_backup(db_path, "manual")
    db.dispose()
    assert beside.path.parent == db_path.parent / "backups"
    assert on_stick.path.parent == stick
    _damage_header(db_path)

    with pytest.raises(maintenance.CorruptDatabaseError) as info:
        open_database(db_path)
    assert info.value.good_backup is not None
    assert info.value.good_backup.path == on_stick.path
    # Every known folder is searched: both backups are this database's.
    assert {b.path for b in maintenance.backups_of(db_path)} == {beside.path, on_stick.path}


def test_the_backup_folder_setting_is_moved_into_this_pcs_record(
    db_path: Path, tmp_path: Path
) -> None:
    open_database(db_path).dispose()
    stick = tmp_path / "stick"
    conn = sqlite3.connect(db_path)  # a database configured before the record existed
    conn.execute("UPDATE setting SET value = ? WHERE key = 'backup_dir'", (json.dumps(str(stick)),))
    if conn.total_changes == 0:
        conn.execute("INSERT INTO setting VALUES ('backup_dir', ?)", (json.dumps(str(stick)),))
    conn.commit()
    conn.close()
    paths.databases_config_path().unlink()
    open_database(db_path).dispose()
    identity, folder, known = paths.database_record(db_path)
    assert folder == str(stick) and known == [str(stick)]
    assert identity == backup.read_identity(db_path)


# ---------------------------------------------------------------- 3. identity, shared folder


def _two_pcs(tmp_path: Path) -> tuple[Path, Path, Path]:
    from rayong_desktop.services.settings import update_setting

    shared = tmp_path / "shared-usb"
    a, b = tmp_path / "pc-a" / "rayong-desk.sqlite3", tmp_path / "pc-b" / "rayong-desk.sqlite3"
    for path, reports in ((a, 10), (b, 1)):
        db = open_database(path)
        update_setting(db, "backup_dir", str(shared))
        for i in range(reports):
            _report(db, "R01", 100 + i, week=1 + 7 * (i % 4))
            _report(db, UNITS[i])
        db.dispose()
    return a, b, shared


def test_two_databases_sharing_a_backup_folder_never_get_each_others_backups(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b, shared = _two_pcs(tmp_path)
    own = maintenance.make_backup(a, "manual")
    theirs = maintenance.make_backup(b, "manual")  # newer, same file name before identities
    assert own.identity != theirs.identity
    assert {p.path for p in list_backups(shared, a)} >= {own.path, theirs.path}
    before = dump(a)
    _damage_header(a)

    with pytest.raises(maintenance.CorruptDatabaseError) as info:
        open_database(a)
    assert info.value.good_backup is not None and info.value.good_backup.path == own.path
    assert theirs.path not in {x.path for x in maintenance.backups_of(a)}

    # Restoring B's backup over A is refused, and changes nothing.
    damaged = a.read_bytes()
    with pytest.raises(RefusedError) as refused:
        maintenance.restore(a, theirs.path)
    assert refused.value.code == "other_database"
    assert a.read_bytes() == damaged
    cli = run_cli_inprocess(["--db", str(a), "restore", str(theirs.path)], capsys)
    assert cli.code == 2 and "another database" in cli.err and "--other-database" in cli.err
    assert "Traceback" not in cli.err

    # Its own backup brings A's ten weeks of figures back.
    assert run_cli_inprocess(["--db", str(a), "restore", str(own.path)], capsys).code == 0
    assert dump(a) == before


def test_a_deliberate_cross_restore_warns_and_keeps_this_databases_identity(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b, _shared = _two_pcs(tmp_path)
    a_identity = backup.read_identity(a)
    theirs = maintenance.make_backup(b, "manual")
    done = run_cli_inprocess(
        ["--db", str(a), "restore", str(theirs.path), "--other-database"], capsys
    )
    assert done.code == 0, done.err
    assert "warning:" in done.err and "another database" in done.err
    assert backup.read_identity(a) == a_identity
    # B's figures are now A's, and A's later backups are A's, not B's.
    assert maintenance.make_backup(a, "manual").identity == a_identity


def test_a_new_database_takes_another_pcs_backup_and_its_identity(tmp_path: Path) -> None:
    """Moving to a new PC: the backup copied over replaces a database nothing was stored in."""
    old_pc = tmp_path / "old" / "rayong-desk.sqlite3"
    db = open_database(old_pc)
    _report(db)
    db.dispose()
    copied = maintenance.make_backup(old_pc, "manual")
    new_pc = tmp_path / "new" / "rayong-desk.sqlite3"
    open_database(new_pc).dispose()
    assert backup.read_identity(new_pc) != copied.identity
    done = maintenance.restore(new_pc, copied.path)
    assert not done.warning
    assert backup.read_identity(new_pc) == copied.identity == maintenance.identity(new_pc)
    # Once something is stored, another database's backup is refused again.
    other = tmp_path / "other" / "rayong-desk.sqlite3"
    db = open_database(other)
    _report(db, "R02")
    db.dispose()
    with pytest.raises(RefusedError) as info:
        maintenance.restore(other, copied.path)
    assert info.value.code == "other_database"


def test_a_backup_without_identity_is_not_offered(db_path: Path) -> None:
    db = open_database(db_path)
    _report(db)
    db.dispose()
    folder = maintenance.backup_folder(db_path)
    legacy = folder / f"{db_path.stem}-20200630-030000-000000-manual.sqlite3"
    backup.copy_database(db_path, legacy)
    conn = sqlite3.connect(legacy)
    conn.execute("DELETE FROM setting WHERE key = 'database_id'")
    conn.commit()
    conn.close()
    for b in maintenance.backups_of(db_path):  # only the legacy copy is left
        b.path.unlink()
    assert maintenance.backups_of(db_path) == []
    assert [b.path for b in maintenance.other_backups(db_path)] == [legacy]
    _damage_header(db_path)
    with pytest.raises(maintenance.CorruptDatabaseError) as info:
        open_database(db_path)
    assert info.value.good_backup is None
    with pytest.raises(RefusedError) as refused:
        maintenance.restore(db_path, legacy)
    assert refused.value.code == "other_database"
    assert maintenance.restore(db_path, legacy, other_database=True).warning


# ---------------------------------------------------------------- 4. rotation, clock moved back


def test_rotation_with_the_clock_moved_back_keeps_the_newest_backup_and_safety_copies(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_database(db_path)
    _report(db)
    db.dispose()
    for minute in range(12):  # more than the policy keeps, all later than the clock will say
        monkeypatch.setenv("RAYONG_NOW", f"2020-06-30 11:{minute:02d}")
        maintenance.make_backup(db_path, "manual")
    monkeypatch.setenv("RAYONG_NOW", "2020-06-30 10:00")  # an hour back (or a training clock)
    newest = maintenance.make_backup(db_path, "manual")
    assert newest.path.is_file()
    restored = maintenance.restore(db_path, newest.path)
    assert restored.safety_copy is not None and restored.safety_copy.is_file()
    for _ in range(12):
        maintenance.make_backup(db_path, "manual")
    assert restored.safety_copy.is_file()
    kept = maintenance.backups_of(db_path)
    assert kept[0].seq == max(b.seq for b in kept)
    assert [b.seq for b in kept if not b.safety_copy][: maintenance.POLICY.newest] == list(
        range(kept[0].seq, kept[0].seq - maintenance.POLICY.newest, -1)
    )


# ---------------------------------------------------------------- 5. full disk, read-only


def _sqlite_error(name: str, text: str) -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError(text)
    exc.sqlite_errorname = name  # type: ignore[attr-defined]
    return exc


def test_a_full_disk_is_said_and_is_never_called_damage(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(db_path)
    _report(db)
    db.dispose()
    before = dump(db_path)

    # The check at opening cannot read the file because the disk is full.
    def full(_path: Path) -> sqlite3.Connection:
        raise _sqlite_error("SQLITE_FULL", "database or disk is full")

    with monkeypatch.context() as m:
        m.setattr(backup, "_connect_ro", full)
        with pytest.raises(RefusedError) as info:
            open_database(db_path)
        assert not isinstance(info.value, maintenance.CorruptDatabaseError)
        assert info.value.code == "disk_full" and "nothing was lost" in info.value.en
        # A command that writes checks the file first (one that only reads does not need to).
        argv = ["--db", str(db_path), "plan-row", "1", "--quota", "2001"]
        out = run_cli_inprocess(argv, capsys)
        assert out.code == 2 and "the disk is full" in out.err
        assert "damaged" not in out.err and "Traceback" not in out.err
        assert len(out.err.strip().splitlines()) == 1

    # A backup that runs out of space (ENOSPC while writing) leaves no partial file.
    def no_space(*_args: object, **_kw: object) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(backup, "atomic_write", no_space)
        with pytest.raises(RefusedError) as info:
            maintenance.make_backup(db_path, "manual")
        assert info.value.code == "disk_full"
    assert maintenance.leftovers(db_path) == []
    assert dump(db_path) == before


def test_a_write_that_fills_the_disk_is_refused_in_one_line_and_stores_nothing(
    db_path: Path,
) -> None:
    from sqlalchemy import event

    db = open_database(db_path)
    with db.read_engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    db.dispose()

    def cap(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "disk full"

    event.listen(db.engine, "connect", cap)
    refusal = None
    for week in range(1, 30):
        before = dump(db_path)
        try:
            record_report(
                db,
                unit_code="R01",
                week=date(2020, 6, 1) if week == 1 else date(2020, 5, 4),
                count=100 + week,
                reason="x" * 1900,  # under the reason limit: each one needs new pages
                allow_correction=True,
                confirm=True,
            )
        except RefusedError as exc:
            refusal = exc
            break
    db.dispose()
    assert refusal is not None and refusal.code == "disk_full"
    assert "the disk is full" in refusal.en and "nothing was lost" in refusal.en
    assert dump(db_path) == before


@pytest.mark.parametrize("what", ["folder", "file"])
def test_a_read_only_folder_or_file_is_said_and_is_never_called_damage(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, what: str
) -> None:
    """chmod does not stop root (the CI runs as root), so there the refusal of the OS is
    injected: os.access says the place is not writable and SQLite's open or write fails as it
    does for an ordinary user. As an ordinary user the chmod itself bites."""
    db = open_database(db_path)
    _report(db)
    db.dispose()
    before = dump(db_path)
    target = db_path.parent if what == "folder" else db_path
    mode = target.stat().st_mode
    os.chmod(target, 0o555 if what == "folder" else 0o444)
    try:
        if os.geteuid() == 0:
            real_access = os.access
            monkeypatch.setattr(
                faults.os,
                "access",
                lambda p, m: False if Path(p) == target else real_access(p, m),
            )

            def refused(_path: Path) -> sqlite3.Connection:
                raise _sqlite_error("SQLITE_CANTOPEN", "unable to open database file")

            monkeypatch.setattr(backup, "_connect_ro", refused)
        with pytest.raises(RefusedError) as info:
            db = open_database(db_path)
            try:
                _report(db, "R02")
            finally:
                db.dispose()
        assert info.value.code == "read_only", info.value.en
        assert "read-only" in info.value.en and "nothing was lost" in info.value.en
        assert "damaged;" not in info.value.en and "restore" not in info.value.en
        assert not isinstance(info.value, maintenance.CorruptDatabaseError)
    finally:
        os.chmod(target, mode)
    assert dump(db_path) == before


# ---------------------------------------------------------------- 6. leftovers of killed runs


def test_leftovers_of_killed_backups_and_restores_are_listed_then_cleaned(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(db_path)
    made = maintenance.make_backup(db_path, "manual")
    db.dispose()
    partial = made.path.parent / f".{made.path.name}.k1ll3d.part"
    partial.write_bytes(b"\0" * 4096)
    staged = db_path.parent / f".{db_path.name}.restoring-abc123"
    staged.write_bytes(b"\0" * 4096)
    replacing = db_path.parent / f".{db_path.name}.x9y8.part"
    replacing.write_bytes(b"\0" * 4096)
    unrelated = made.path.parent / ".someone-else.sqlite3.zz.part"
    unrelated.write_bytes(b"x")

    listed = run_cli_inprocess(["--db", str(db_path), "backups", "--json"], capsys)
    assert listed.code == 0
    left = {r["file"] for r in listed.json() if r["reason"] == "leftover"}
    assert left == {str(partial), str(staged), str(replacing)}

    # A backup running now in that folder (its lock held): its file is not touched.
    with FileLock(str(made.path.parent / f".{db_path.stem}.backup.lock")):
        open_database(db_path).dispose()
        assert partial.exists() and not staged.exists() and not replacing.exists()
    open_database(db_path).dispose()
    assert not partial.exists() and unrelated.exists()
    assert maintenance.leftovers(db_path) == []


# ---------------------------------------------------------------- 8. lock held past the timeout


def test_a_writer_that_cannot_get_the_lock_says_so_in_one_line_and_stores_nothing(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from rayong_desktop.db import engine

    open_database(db_path).dispose()
    before = dump(db_path)
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 300)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # e.g. a long import holding the write lock
    try:
        out = run_cli_inprocess(
            [
                "--db",
                str(db_path),
                "report",
                "R01",
                "120",
                "--week",
                "2020-W25",
                "--received",
                "now",
            ],
            capsys,
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert out.code == 2
    assert out.err.startswith("refused: the database") and "busy" in out.err
    assert len(out.err.strip().splitlines()) == 1 and "Traceback" not in out.err
    assert dump(db_path) == before


def _start_and_kill(args: list[str]) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    child = subprocess.Popen(
        [sys.executable, str(KILLED), *args], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "waiting"
    finally:
        child.kill()  # SIGKILL: no clean-up of its own
        child.communicate(timeout=30)


def test_a_killed_backup_and_a_killed_restore_leave_nothing_after_the_next_start(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(db_path)
    _report(db)
    db.dispose()
    older = maintenance.make_backup(db_path, "manual", out=tmp_path / "older.sqlite3")
    db = open_database(db_path)
    _report(db, "R02")
    db.dispose()
    before = dump(db_path)

    _start_and_kill(["backup", str(db_path)])
    _start_and_kill(["restore", str(db_path), str(older.path)])  # killed holding the lock

    assert dump(db_path) == before  # the killed restore changed nothing
    left = maintenance.leftovers(db_path)
    partial = [f for f in left if f.name.endswith(".part")]
    staged = [f for f in left if f.name.startswith(f".{db_path.name}.restoring-")]
    assert len(partial) == 1 and partial[0].stat().st_size >= db_path.stat().st_size  # full size
    assert staged and set(partial + staged) == set(left)  # the staged copy (and its journal)
    listed = run_cli_inprocess(["--db", str(db_path), "backups", "--json"], capsys)
    assert {r["file"] for r in listed.json() if r["reason"] == "leftover"} == {str(f) for f in left}
    open_database(db_path).dispose()  # the next start
    assert maintenance.leftovers(db_path) == []
    assert dump(db_path) == before
    assert maintenance.restore(db_path, older.path).safety_copy is not None  # works again


def _without_root_privilege() -> list[str]:
    """The command prefix under which chmod bites: none for an ordinary user; for root (the CI)
    setpriv dropping the capabilities that let root write anywhere."""
    if os.geteuid() != 0:
        return []
    caps = "-dac_override,-dac_read_search"
    prefix = ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}", "--"]
    try:
        works = subprocess.run([*prefix, "true"], capture_output=True, timeout=10).returncode == 0
    except OSError:
        works = False
    if not works:
        pytest.skip("root without setpriv: covered by the injected test above")
    return prefix


@pytest.mark.parametrize("what", ["folder", "file"])
def test_a_really_read_only_folder_or_file_is_said_by_the_command_line(
    db_path: Path, what: str
) -> None:
    """The same, with the operating system refusing for real (no injection)."""
    db = open_database(db_path)
    _report(db)
    db.dispose()
    before = dump(db_path)
    prefix = _without_root_privilege()
    target = db_path.parent if what == "folder" else db_path
    mode = target.stat().st_mode
    os.chmod(target, 0o555 if what == "folder" else 0o444)
    try:
        for command in (
            ["report", "R02", "120", "--week", "2020-W25", "--received", "now"],
            ["backup"],
        ):
            done = subprocess.run(
                [*prefix, sys.executable, str(REPO / "main.py"), "--db", str(db_path), *command],
                capture_output=True,
                text=True,
                encoding="utf-8",
                env=dict(os.environ, PYTHONPATH=str(REPO)),
                timeout=60,
                cwd=REPO,
            )
            if what == "file" and command == ["backup"]:
                assert done.returncode == 0, done.stderr  # reading a read-only file is fine
                continue
            assert done.returncode == 2, (command, done.stdout, done.stderr)
            assert done.stderr.startswith("refused: the ") and "is read-only" in done.stderr
            assert "damaged;" not in done.stderr and "Traceback" not in done.stderr
            assert len(done.stderr.strip().splitlines()) == 1
    finally:
        os.chmod(target, mode)
    assert dump(db_path) == before
