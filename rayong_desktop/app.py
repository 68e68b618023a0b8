"""Start the desk: one lock per database, a health check, then migrate, seed and show."""

from __future__ import annotations

import gc
import logging
import os
import sys
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rayong_desktop.db.lock import InstanceLock
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.runtime import plain_imports  # before Qt: it keeps the plain import

if TYPE_CHECKING:
    from rayong_desktop.db.backup import HealthReport
    from rayong_desktop.db.engine import Database

# Told "ready" when the home screen shows its figures, "attached" when the database is open.
Probe = Callable[[str], None]

# Qt platforms that draw without a desktop session (tests, remote frame buffers).
HEADLESS_PLATFORMS = frozenset({"offscreen", "minimal", "vnc", "eglfs", "linuxfb"})
NO_DESKTOP = (
    "The desk needs a desktop session (no display was found); the command line works without "
    "one: python main.py --help\n"
)


def no_desktop_session(environ: Mapping[str, str] | None = None, platform: str = "") -> bool:
    """Whether the desk cannot open a window here: on Linux with neither an X11 nor a Wayland
    display, unless Qt is told to use a platform that needs none."""
    env = os.environ if environ is None else environ
    if not (platform or sys.platform).startswith("linux"):
        return False
    chosen = env.get("QT_QPA_PLATFORM", "").split(":", 1)[0].strip().lower()
    if chosen in HEADLESS_PLATFORMS:
        return False
    return not (env.get("DISPLAY", "").strip() or env.get("WAYLAND_DISPLAY", "").strip())


def run_gui(target: Path | str, *, demo: bool = False, probe: Probe | None = None) -> int:
    """Open the desk on a SQLite file (locked: one desk per file) or a server database URL
    (no lock: several clerks share a server database; conflicts are caught per report).

    A SQLite file whose home figures were kept at the last close, and still match the file,
    shows them at once and opens the database behind them (health check, migrations, seed) on
    the writes thread; otherwise the database opens first, as before. `probe` (or
    RAYONG_STARTUP_PROBE) is told when the figures are on show and when the database is open.
    """
    if no_desktop_session():
        # Before Qt starts: without a display it aborts with its own message.
        sys.stderr.write(NO_DESKTOP)
        return 2
    # Starting allocates some 300,000 objects (SQLAlchemy, Qt's wrappers, the desk's modules)
    # that live as long as the desk: the cyclic collector, left on, walks them some 160 times
    # while they are made (40-50 ms of a first start). It stays off until the GUI thread's
    # collector takes over (ui.application), which leaves them out of later collections.
    gc.disable()
    from rayong_desktop.db.peek import is_server_url

    if is_server_url(target):
        load_database_layer()
        app = _application()
        from rayong_desktop.services.startup import open_database
        from rayong_desktop.ui.window import MainWindow

        try:
            db = open_database(target)
        except RefusedError as exc:
            return _refused(exc)
        return _show(app, MainWindow(db, demo=demo), probe)
    db_path = Path(target)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    lock = InstanceLock(db_path)
    try:
        lock.acquire()
    except RefusedError as exc:
        _application()
        return _refused(exc)
    try:
        return _show_file(db_path, lock, demo=demo, probe=probe)
    finally:
        if lock.held:
            lock.release()


def load_database_layer() -> None:
    """Import what opening the database and showing the home screen need, before Qt.

    Once PySide6 is loaded it replaces `__import__`, and for every module imported after it
    reads the module's whole source looking for its own name (its `__feature__` switch): for the
    database layer and SQLAlchemy (some 250 modules) a noticeable part of a first start, and
    their source text kept in memory. Imported first, they pay nothing."""
    import rayong_desktop.services.desk
    import rayong_desktop.services.startup  # noqa: F401


def _application() -> Any:
    """The QApplication, with Qt's messages and uncaught errors going to the log."""
    from rayong_desktop.ui import crash
    from rayong_desktop.ui.application import create_application

    app = create_application(sys.argv)
    crash.install()  # Qt's messages and uncaught errors to the log; the clerk told in Thai
    return app


def _show_file(db_path: Path, lock: InstanceLock, *, demo: bool, probe: Probe | None) -> int:
    from rayong_desktop.runtime import now_utc
    from rayong_desktop.services import home_snapshot

    opening = home_snapshot.load(db_path, now_utc())
    if opening is not None:
        # The kept figures on screen first; the database layer loads behind them.
        app = _application()
        from rayong_desktop.ui.window import MainWindow

        # The file's check starts once the window is drawn, beside loading the database layer.
        check = HealthCheck(db_path)
        open_db, recover = file_openers(db_path, lock, check=check)
        window = MainWindow(None, demo=demo, lock=lock, opening=opening, target=str(db_path))
        window.open_in_background(open_db, recover, prepare=check.start)
        return _show(app, window, probe)
    # Nothing kept: the file is checked while the database layer loads, then opened.
    check = HealthCheck(db_path)
    check.start()
    open_db, recover = file_openers(db_path, lock, check=check)
    load_database_layer()
    app = _application()
    from rayong_desktop.ui.window import MainWindow

    try:
        db = open_db()
    except RefusedError as exc:
        db = recover(exc)
        if db is None:
            return 2
    # A --demo start fills its own (separate) database on first open, in the background.
    return _show(app, MainWindow(db, demo=demo, lock=lock), probe)


class HealthCheck:
    """The file's health check, run in its own thread: SQLite checks the file without holding
    Python's lock, so the check overlaps loading the database layer (the other half of
    opening). Started once, by whichever comes first: the start-up (`start`) or the opener."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._running: Future[HealthReport] | None = None
        self._starting = threading.Lock()

    def start(self) -> None:
        with self._starting:
            if self._running is not None or not self.path.is_file():
                return
            from rayong_desktop.db.backup import check_health

            pool = ThreadPoolExecutor(1, thread_name_prefix="health")
            self._running = pool.submit(check_health, self.path)
            pool.shutdown(wait=False)  # the thread ends with the check

    def result(self) -> HealthReport | None:
        """The report (None: there was no file to check)."""
        self.start()
        return self._running.result() if self._running is not None else None


def file_openers(
    db_path: Path, lock: InstanceLock, *, check: HealthCheck | None = None
) -> tuple[Callable[[], Any], Callable[[BaseException], Any]]:
    """How the desk opens its file (health check, migrations, seed) and what it does when that
    is refused: a damaged file offers the newest good backup or opens read-only; any other
    refusal is shown and gives None (the desk closes with status 2). `check`: the file's health
    check, possibly started already; else one starts when the opener is called."""
    checking = check if check is not None else HealthCheck(db_path)

    def open_db() -> Any:
        checking.start()
        with plain_imports():  # behind the window, Qt already loaded
            load_database_layer()
        from rayong_desktop.services.startup import open_database

        return open_database(db_path, checked=checking.result())

    def recover(exc: BaseException) -> Any:
        from rayong_desktop.services import maintenance
        from rayong_desktop.ui.application import show_error

        if isinstance(exc, maintenance.CorruptDatabaseError):
            from rayong_desktop.services import home_snapshot

            sys.stderr.write(f"refused: {exc.en}\n")
            logging.getLogger(__name__).info("refused (%s): %s", exc.code, exc.en)
            # Figures kept from a file now found damaged are not shown at the next start.
            home_snapshot.forget(db_path)
            return _recover(db_path, exc, lock)
        if isinstance(exc, RefusedError):
            _refused(exc)
            return None
        sys.stderr.write(f"cannot open {db_path}: {exc}\n")
        logging.getLogger(__name__).error("cannot open %s", db_path, exc_info=exc)
        show_error(f"เปิดฐานข้อมูล {db_path} ไม่ได้: {exc}")
        return None

    return open_db, recover


def _refused(exc: RefusedError) -> int:
    """Say why the desk cannot open (stderr in English, a message box in Thai): status 2."""
    from rayong_desktop.ui.application import show_error

    sys.stderr.write(f"refused: {exc.en}\n")
    logging.getLogger(__name__).info("refused (%s): %s", exc.code, exc.en)
    show_error(exc.th)
    return 2


def _show(app: Any, window: Any, probe: Probe | None = None) -> int:
    window.show()
    if probe is None and os.environ.get("RAYONG_STARTUP_PROBE"):
        probe = _print_and_leave
    if probe is not None:
        from rayong_desktop.ui.application import probe_when_ready

        probe_when_ready(window, probe)
    code = app.exec()
    window.ctx.shutdown()  # closed, the window drained its queues; else they finish here
    if window.ctx.ready:
        window.ctx.db.dispose()  # a restore may have replaced the database the window uses
    return int(window.exit_code or code)


def _print_and_leave(stage: str) -> None:
    """RAYONG_STARTUP_PROBE=1: print each stage ("ready": the home screen shows its figures;
    "attached": the database is open and checked) and leave at once after the last (no exit
    backup). How the installed or frozen app's start time is measured."""
    sys.stdout.write(stage + "\n")
    sys.stdout.flush()
    if stage == "attached":
        os._exit(0)


def _recover(db_path: Path, exc: RefusedError, lock: InstanceLock) -> Database | None:
    """A damaged file: offer the newest good backup; otherwise open it read-only."""
    from rayong_desktop.services import maintenance
    from rayong_desktop.services.startup import open_database, open_read_only
    from rayong_desktop.ui import prompts

    good = getattr(exc, "good_backup", None)
    if good is not None:
        question = (
            f"{exc.th}\n\nกู้คืนจากสำเนาสำรองล่าสุดที่ตรวจแล้วใช้ได้ "
            f"({good.path.name}) เลยหรือไม่?\nไฟล์ปัจจุบันจะถูกเก็บไว้ก่อนกู้คืน"
        )
        if prompts.ask_yes_no(None, "ฐานข้อมูลเสียหาย", question):
            try:
                maintenance.restore(db_path, good.path, lock_held=True)
                return open_database(db_path)
            except (RefusedError, OSError) as err:  # e.g. the file is held by another program
                sys.stderr.write(f"restore from {good.path} failed: {err}\n")
                prompts.warn(
                    None, "กู้คืนข้อมูล", f"กู้คืนไม่สำเร็จ: {getattr(err, 'th', err)}\nจะเปิดแบบอ่านอย่างเดียว"
                )
    else:
        prompts.warn(None, "ฐานข้อมูลเสียหาย", exc.th)
    try:
        db = open_read_only(db_path)
        db.read_only_reason = exc.th
        return db
    except Exception as err:  # even reading fails (a zeroed header): nothing to show
        sys.stderr.write(f"cannot open {db_path} read-only: {err}\n")
        prompts.warn(None, "เปิดฐานข้อมูลไม่ได้", getattr(err, "th", str(err)))
        return None
