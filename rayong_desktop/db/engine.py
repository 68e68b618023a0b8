"""The engine: SQLite with safe settings on every pooled connection, transactional DDL.

Python 3.11's sqlite3 module opens transactions itself and skips BEGIN before DDL, so schema
changes would not be atomic. We switch its handling off and emit BEGIN IMMEDIATE ourselves: each
transaction (migrations included) is then all-or-nothing, and a writer takes the lock up front
instead of failing half-way when another connection writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection
from sqlalchemy.orm import Session, sessionmaker

from rayong_desktop.db.faults import environment_error, environment_kind
from rayong_desktop.db.peek import is_server_url as is_server_url
from rayong_desktop.db.peek import read_only_uri

BUSY_TIMEOUT_MS = 10_000

EXPECTED_PRAGMAS = {"foreign_keys": 1, "journal_mode": "wal", "synchronous": 2}


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (see module doc)
    cur = dbapi_connection.cursor()
    try:
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = FULL")
        cur.execute("PRAGMA foreign_keys = ON")
    finally:
        cur.close()


def _on_begin(conn: Connection) -> None:
    # Readers take no write lock (WAL lets them read beside a writer); writers take it up front.
    if conn.get_execution_options().get("rayong_read_only"):
        conn.exec_driver_sql("BEGIN DEFERRED")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def sqlite_url(path: Path) -> URL:
    # A URL object, not text: "?" or "#" in a folder name would be read as the URL's own.
    return URL.create("sqlite+pysqlite", database=str(path))


def _on_connect_read_only(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    dbapi_connection.execute("PRAGMA query_only = ON")
    dbapi_connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    # A reader relies on SQLite's checks of each page it reads (no whole-file check first):
    # with this on, a cell that overruns its page is reported as damage, never read as data.
    dbapi_connection.execute("PRAGMA cell_size_check = ON")


def _refuse_environment_faults(path: Path) -> Callable[[Any], None]:
    """A full disk, a read-only file or folder, or a write lock held past the busy timeout is
    one line saying so (a RefusedError: nothing was stored), not a driver traceback."""

    def handle(context: Any) -> None:
        kind = environment_kind(context.original_exception)
        if kind is not None:
            raise environment_error(
                kind,
                path,
                str(context.original_exception),
                busy_seconds=BUSY_TIMEOUT_MS / 1000,
            ) from context.original_exception

    return handle


def make_engine(path: Path, *, read_only: bool = False) -> Engine:
    if read_only:
        # A damaged file is shown, never written: the OS-level read-only mode guarantees it.
        # Built as a URL object: its text form would undo the URI's escapes (a "#" in a
        # folder name would open another file).
        url = URL.create("sqlite+pysqlite", database=read_only_uri(path), query={"uri": "true"})
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _on_connect_read_only)
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN DEFERRED"))
        return engine
    engine = create_engine(sqlite_url(path), connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    event.listen(engine, "handle_error", _refuse_environment_faults(path))
    return engine


def server_engine(url: str) -> Engine:
    """A server database (PostgreSQL): several clerks at once, each change one transaction.

    READ COMMITTED plus the reports' version column and unique (unit, week) key: a concurrent
    change of the same unit-week fails loudly instead of overwriting (see services.reports).
    """
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return create_engine(url, pool_pre_ping=True, isolation_level="READ COMMITTED")


def redacted(url: str) -> str:
    """The URL without its password, for messages and window titles."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


class Database:
    """One database: a SQLite file (the embedded default) or a server URL. Services take one."""

    def __init__(self, target: Path | str, *, read_only: bool = False) -> None:
        self.url: str | None = None
        self.read_only = read_only
        if is_server_url(target):
            assert isinstance(target, str)
            self.url = target
            self.path: Path | None = None
            self.engine = server_engine(target)
        else:
            self.path = Path(target)
            self.engine = make_engine(self.path, read_only=read_only)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Same pool; transactions begun through it are DEFERRED (no write lock).
        self.read_engine = self.engine.execution_options(rayong_read_only=True)
        self._read_sessions = sessionmaker(self.read_engine, expire_on_commit=False)
        # Called before every write transaction (the daily backup hangs here); must not raise.
        self.before_write: Callable[[], None] | None = None
        self.backup_warning: str | None = None
        self.read_only_reason: str | None = None

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One user action: commit on success, roll back everything on any error."""
        if self.before_write is not None:
            self.before_write()
        from rayong_desktop.db import changes

        with self._sessions.begin() as session:
            yield session
            session.flush()  # the audit entries get their ids: the write's markers
            made = changes.take(session)
        changes.publish(made)  # only once committed

    @contextmanager
    def reading(self) -> Iterator[Session]:
        # Closing (not rolling back) ends the read transaction and keeps loaded objects usable.
        with self._read_sessions() as session:
            yield session

    @property
    def is_sqlite(self) -> bool:
        return self.url is None

    @property
    def file(self) -> Path:
        """The SQLite file; refused for a server database (backups, checks are per file)."""
        if self.path is None:
            from rayong_desktop.domain.errors import RefusedError

            raise RefusedError(
                "ฐานข้อมูลบนเครื่องแม่ข่ายสำรองและตรวจสอบโดยผู้ดูแลระบบ ไม่ใช่จากโปรแกรมนี้",
                "a server database is backed up and checked by its administrator, not by the desk",
                code="server_database",
            )
        return self.path

    def describe(self) -> str:
        return str(self.path) if self.path is not None else redacted(self.url or "")

    def pragmas(self) -> dict[str, Any]:
        with self.read_engine.connect() as conn:
            return {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("foreign_keys", "journal_mode", "synchronous", "busy_timeout")
            }

    def dispose(self) -> None:
        self.engine.dispose()
