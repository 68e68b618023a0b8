"""Checked backups with SQLite's online backup API, health checks, and restore.

A backup is copied into a temporary file beside its destination, checked with integrity_check,
flushed to disk, then renamed into place: a half-written or damaged copy never carries a backup's
name. The copy is switched out of WAL mode so it is one self-contained file.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rayong_desktop.db.faults import environment_kind
from rayong_desktop.db.peek import read_only_uri
from rayong_desktop.files import atomic_write

# This database's backups: its identity and a sequence number in the name, so a shared folder
# holds several databases' backups apart and their order does not depend on the clock.
BACKUP_RE = re.compile(
    r"^(?P<stem>.+)-(?P<identity>[0-9a-f]{16})-(?P<seq>\d{6,})-"
    r"(?P<stamp>\d{8}-\d{6}-\d{6})-(?P<reason>[a-z]+)\.sqlite3$"
)
# Backups taken before databases had an identity.
LEGACY_RE = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}(?:-\d{6})?)-(?P<reason>[a-z]+)\.sqlite3$"
)
STAMP_FORMAT = "%Y%m%d-%H%M%S-%f"
IDENTITY_KEY = "database_id"
# Left by a backup (atomic_write's temporary file) or a restore killed half-way.
PARTIAL_RE = re.compile(r"^\.(?P<name>.+)\.[^.]+\.part$")
RESTORING_MARK = ".restoring-"


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class HealthReport:
    path: Path
    problems: list[str] = field(default_factory=list)
    # Not damage: the surroundings kept the check from reading the file (see environment_kind).
    fault_kind: str | None = None
    fault: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems and self.fault_kind is None

    @property
    def damaged(self) -> bool:
        return bool(self.problems)


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime
    reason: str
    identity: str | None = None  # None: taken before databases had an identity
    seq: int = 0  # this database's backups in the order taken, whatever the clock said

    @property
    def safety_copy(self) -> bool:
        """A copy taken before the desk replaced or changed the file itself."""
        return self.reason in SAFETY_REASONS


SAFETY_REASONS = frozenset({"prerestore", "premigrate", "damaged"})


def _connect_ro(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=10)
    return conn


def check_health(path: Path, *, full: bool = False) -> HealthReport:
    """quick_check (or the slower integrity_check) and foreign_key_check, read-only.

    An error about the surroundings (a full disk, a read-only folder) is told apart from damage:
    it is the report's `fault`, not a problem of the file."""
    problems: list[str] = []
    try:
        conn = _connect_ro(path)
    except BackupError as exc:
        return HealthReport(path, [str(exc)])
    except (sqlite3.Error, OSError) as exc:
        return _fault_or_problem(path, exc)
    try:
        rows = conn.execute("PRAGMA integrity_check" if full else "PRAGMA quick_check").fetchall()
        if [r[0] for r in rows] != ["ok"]:
            problems.extend(str(r[0]) for r in rows[:20])
        for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check").fetchall()[:20]:
            problems.append(f"row {rowid} of {table} refers to a missing {parent}")
    except (sqlite3.Error, OSError) as exc:
        if not problems:
            return _fault_or_problem(path, exc)
        problems.append(str(exc))
    finally:
        conn.close()
    return HealthReport(path, problems)


def _fault_or_problem(path: Path, exc: BaseException) -> HealthReport:
    kind = environment_kind(exc)
    if kind is None:
        return HealthReport(path, [str(exc)])
    return HealthReport(path, [], fault_kind=kind, fault=str(exc))


def read_identity(path: Path) -> str | None:
    """The identity stored in a database file (None if it has none); BackupError if the file
    cannot be read."""
    try:
        conn = _connect_ro(path)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot read {path}: {exc}") from exc
    try:
        row = conn.execute("SELECT value FROM setting WHERE key = ?", (IDENTITY_KEY,)).fetchone()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return None
        raise BackupError(f"cannot read {path}: {exc}") from exc
    except sqlite3.Error as exc:
        raise BackupError(f"cannot read {path}: {exc}") from exc
    finally:
        conn.close()
    if row is None:
        return None
    try:
        value = json.loads(row[0])
    except ValueError:
        return None
    return value if isinstance(value, str) and re.fullmatch(r"[0-9a-f]{16}", value) else None


def _give_identity(conn: sqlite3.Connection, identity: str) -> None:
    """Store `identity` in a copy that has a setting table but no identity yet."""
    has_table = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'setting'"
    ).fetchone()[0]
    if has_table:
        conn.execute(
            "INSERT OR IGNORE INTO setting (key, value) VALUES (?, ?)",
            (IDENTITY_KEY, json.dumps(identity)),
        )
        conn.commit()


def store_identity(conn: sqlite3.Connection, identity: str) -> None:
    """Set the identity in an open database (its row kept in place when it has one)."""
    value = json.dumps(identity)
    updated = conn.execute(
        "UPDATE main.setting SET value = ? WHERE key = ?", (value, IDENTITY_KEY)
    ).rowcount
    if not updated:
        conn.execute("INSERT INTO main.setting (key, value) VALUES (?, ?)", (IDENTITY_KEY, value))


def copy_database(source: Path, dest: Path, *, identity: str | None = None) -> Path:
    """Online backup of `source` into `dest` (replaced atomically only if the copy checks out).

    `identity`: given to the copy when the source has none yet (a file from before identities,
    backed up before the migration that gives it one)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        src = sqlite3.connect(read_only_uri(source), uri=True, timeout=30)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot read {source}: {exc}") from exc

    def copy(tmp: Path) -> None:
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)  # one step: a consistent snapshot even while others write
                dst.execute("PRAGMA journal_mode = DELETE")
                if identity is not None:
                    _give_identity(dst, identity)
                result = [r[0] for r in dst.execute("PRAGMA integrity_check").fetchall()]
            finally:
                dst.close()
        except sqlite3.Error as exc:
            if environment_kind(exc) is not None:
                raise
            raise BackupError(f"backup of {source} failed: {exc}") from exc
        if result != ["ok"]:
            raise BackupError(f"the copy of {source} failed its integrity check: {result[:3]}")

    try:
        written = atomic_write(dest, copy)
    finally:
        src.close()
    logging.getLogger(__name__).info("backup of %s written to %s", source, dest)
    return written


def backup_name(db_path: Path, reason: str, at: datetime, *, identity: str, seq: int) -> str:
    stamp = at.astimezone(UTC).strftime(STAMP_FORMAT)
    return f"{db_path.stem}-{identity}-{seq:06d}-{stamp}-{reason}.sqlite3"


def parse_backup_name(name: str, stem: str) -> BackupFile | None:
    """What a file name says about a backup of the database named `stem` (None: not one)."""
    m = BACKUP_RE.match(name)
    if m and m.group("stem") == stem:
        taken = datetime.strptime(m.group("stamp"), STAMP_FORMAT).replace(tzinfo=UTC)
        return BackupFile(Path(name), taken, m.group("reason"), m.group("identity"), int(m["seq"]))
    m = LEGACY_RE.match(name)
    if m and m.group("stem") == stem and not BACKUP_RE.match(name):
        stamp = m.group("stamp")
        fmt = STAMP_FORMAT if stamp.count("-") == 2 else "%Y%m%d-%H%M%S"
        taken = datetime.strptime(stamp, fmt).replace(tzinfo=UTC)
        return BackupFile(Path(name), taken, m.group("reason"))
    return None


def list_backups(folder: Path, db_path: Path) -> list[BackupFile]:
    """Backups named for this database file in `folder` (of every identity), newest first:
    by sequence number, then by the time in the name (older backups have no number)."""
    found: list[BackupFile] = []
    if not folder.is_dir():
        return found
    for entry in folder.iterdir():
        parsed = parse_backup_name(entry.name, db_path.stem)
        if parsed is None or not entry.is_file():
            continue
        found.append(BackupFile(entry, parsed.taken_at, parsed.reason, parsed.identity, parsed.seq))
    found.sort(key=lambda b: (b.seq, b.taken_at), reverse=True)
    return found


def partial_backups(folder: Path, db_path: Path) -> list[Path]:
    """Temporary files of backups of this database killed half-way."""
    if not folder.is_dir():
        return []
    found = []
    for entry in folder.iterdir():
        m = PARTIAL_RE.match(entry.name)
        if m and parse_backup_name(m.group("name"), db_path.stem) is not None:
            found.append(entry)
    return sorted(found)


def restore_leftovers(db_path: Path) -> list[Path]:
    """Files a restore killed half-way left beside the database: its staged copy (with its
    journal) and the temporary file of a replacement."""
    folder = db_path.parent
    if not folder.is_dir():
        return []
    staged = "." + db_path.name + RESTORING_MARK
    replacing = re.compile(r"^\." + re.escape(db_path.name) + r"\.[^.]+\.part$")
    return sorted(
        e for e in folder.iterdir() if e.name.startswith(staged) or replacing.match(e.name)
    )


def replace_database(db_path: Path, source: Path) -> None:
    """Put a checked copy of `source` in place of `db_path` (a file with no live data: missing or
    damaged). The caller holds the desk's lock and has already backed up the current file."""

    def copy(tmp: Path) -> None:
        shutil.copyfile(source, tmp)
        conn = sqlite3.connect(tmp)
        try:
            result = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        finally:
            conn.close()
        if result != ["ok"]:
            raise BackupError(f"{source} failed its integrity check: {result[:3]}")
        # A stale WAL beside the new file would be replayed into it: remove it first.
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                db_path.with_name(db_path.name + suffix).unlink()

    atomic_write(db_path, copy)


def _tables(conn: sqlite3.Connection, schema: str) -> dict[str, list[str]]:
    names = [
        r[0]
        for r in conn.execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {n: [c[1] for c in conn.execute(f'PRAGMA {schema}.table_info("{n}")')] for n in names}


def restore_into(
    db_path: Path,
    staged: Path,
    *,
    while_locked: Callable[[], None],
    identity: str | None,
    busy_timeout: float,
) -> None:
    """Replace every row of the live database `db_path` by the rows of `staged` (a checked copy
    of a backup with the same schema), in ONE write transaction.

    The database's write lock is taken first and held to the end: `while_locked` (the safety
    copy) runs under it, so every write another process commits lands before the safety copy or
    after the restore, never in between. The file is not swapped: a writer that has it open
    keeps writing into the database everyone sees. `identity` is stored in the result."""
    conn = sqlite3.connect(db_path, timeout=busy_timeout, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")  # checked once, at the end
        conn.execute("ATTACH DATABASE ? AS staged", (str(staged),))
        live, incoming = _tables(conn, "main"), _tables(conn, "staged")
        if live != incoming:
            raise BackupError(
                f"the backup's tables do not match this database's "
                f"({sorted(set(live) ^ set(incoming)) or 'columns differ'})"
            )
        conn.execute("BEGIN IMMEDIATE")
        try:
            while_locked()
            for name in live:
                conn.execute(f'DELETE FROM main."{name}"')
                conn.execute(f'INSERT INTO main."{name}" SELECT * FROM staged."{name}"')
            if _has_sequence(conn, "main"):
                conn.execute("DELETE FROM main.sqlite_sequence")
                if _has_sequence(conn, "staged"):
                    conn.execute(
                        "INSERT INTO main.sqlite_sequence SELECT * FROM staged.sqlite_sequence"
                    )
            if identity is not None and "setting" in live:
                store_identity(conn, identity)
            broken = conn.execute("PRAGMA main.foreign_key_check").fetchall()
            if broken:
                raise BackupError(f"the backup has broken references: {broken[:3]}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("DETACH DATABASE staged")
    finally:
        conn.close()


def _has_sequence(conn: sqlite3.Connection, schema: str) -> bool:
    row = conn.execute(
        f"SELECT count(*) FROM {schema}.sqlite_master WHERE name = 'sqlite_sequence'"
    ).fetchone()
    return bool(row[0])
