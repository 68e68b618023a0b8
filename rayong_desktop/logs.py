"""The desk's log for support: one rotating file in the data folder, set up once per process.

`setup_logging()` is called first thing by the command line and the desk alike. From then on:

* the ``rayong_desktop`` loggers (start, database open, migrate, backup, restore, imports,
  refusals) write INFO and above to ``<data folder>/logs/rayong-desk.log``, rotated at
  `MAX_BYTES` and kept to `BACKUP_COUNT` older files; nothing goes to the console;
* an exception nobody caught, on any thread, is written there with its traceback;
* a hard crash (a fault in Qt or another library) is dumped by faulthandler to
  ``crash.log`` beside it, a file opened once and kept open;
* a windowed build, which has no console (``sys.stdout``/``sys.stderr`` are None), writes what
  would have been printed into the same log, so it is bounded like the rest.

The Qt side (Qt's own messages, the clerk's message box after an unexpected error) is in
``rayong_desktop.ui.crash``. The log lives in the data folder (RAYONG_HOME), whichever database
is opened: the desk decides its data folder without looking at ``--db``.
"""

from __future__ import annotations

import contextlib
import faulthandler
import io
import logging
import os
import platform
import sys
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from rayong_desktop.paths import data_dir

LOGGER_NAME = "rayong_desktop"
LOG_FILENAME = "rayong-desk.log"
CRASH_FILENAME = "crash.log"
MAX_BYTES = 2 * 1024 * 1024
BACKUP_COUNT = 4
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"

log = logging.getLogger(LOGGER_NAME)

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


class _Setup:
    """What this process has set up (tests set it up again for each temporary data folder)."""

    handler: RotatingFileHandler | None = None
    folder: Path | None = None
    crash_file: IO[str] | None = None


_setup = _Setup()


def log_dir() -> Path:
    return data_dir() / "logs"


def log_file() -> Path:
    return log_dir() / LOG_FILENAME


def setup_logging(*, max_bytes: int = MAX_BYTES, backup_count: int = BACKUP_COUNT) -> Path | None:
    """Send the desk's log to the data folder's log file; returns it (None: no log possible).

    Once per process; called again (tests, with a new RAYONG_HOME) it moves to the new folder.
    A data folder that cannot be written leaves the desk running without a log, silently.
    """
    folder = log_dir()
    if _setup.handler is not None and _setup.folder == folder:
        _install_hooks()
        return Path(_setup.handler.baseFilename)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(
            folder / LOG_FILENAME,
            maxBytes=max_bytes,
            backupCount=backup_count,
            encoding="utf-8",
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    if _setup.handler is not None:
        log.removeHandler(_setup.handler)
        _setup.handler.close()
    _setup.handler, _setup.folder = handler, folder
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False  # never the console: the command line's output stays as it was
    _redirect_missing_streams()
    _enable_faulthandler(folder)
    _install_hooks()
    from rayong_desktop import __version__

    log.info(
        "start: Rayong Fight Covid desk %s, Python %s, %s, %s, pid %d",
        __version__,
        platform.python_version(),
        f"{platform.system()} {platform.release()} {platform.machine()}",
        "frozen" if getattr(sys, "frozen", False) else "from source",
        os.getpid(),
    )
    return Path(handler.baseFilename)


def log_unexpected(exc_info: ExcInfo, where: str = "") -> None:
    """An exception nobody caught, with its traceback."""
    suffix = f" in {where}" if where else ""
    log.error("unexpected error%s: %s", suffix, exc_info[1], exc_info=exc_info)


def output_goes_to_log() -> bool:
    """True when stderr is this log (a windowed build): echoing there would write twice."""
    return isinstance(sys.stderr, LogStream)


class LogStream(io.TextIOBase):
    """A text stream whose lines go to the log: stdout and stderr of a windowed build."""

    def __init__(self, name: str, level: int) -> None:
        super().__init__()
        self._log = logging.getLogger(f"{LOGGER_NAME}.{name}")
        self._level = level
        self._pending = ""
        self._busy = threading.local()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if getattr(self._busy, "on", False):
            return len(text)  # the log itself failed and says so on stderr: drop it
        self._busy.on = True
        try:
            self._pending += text
            *lines, self._pending = self._pending.split("\n")
            for line in lines:
                if line.strip():
                    self._log.log(self._level, "%s", line.rstrip())
        finally:
            self._busy.on = False
        return len(text)

    def flush(self) -> None:
        if self._pending.strip():
            pending, self._pending = self._pending, ""
            self.write(pending + "\n")


def _redirect_missing_streams() -> None:
    # A windowed Windows build has no console: what commands print is kept in the log.
    if sys.stdout is None:
        sys.stdout = LogStream("stdout", logging.INFO)
    if sys.stderr is None:
        sys.stderr = LogStream("stderr", logging.WARNING)


def _enable_faulthandler(folder: Path) -> None:
    if faulthandler.is_enabled() and _setup.crash_file is None:
        return  # already reporting hard crashes (python -X faulthandler, pytest): left alone
    path = folder / CRASH_FILENAME
    try:
        if path.is_file() and path.stat().st_size > MAX_BYTES:
            os.replace(path, path.with_name(CRASH_FILENAME + ".1"))
        crash_file = open(path, "a", encoding="utf-8")  # noqa: SIM115 - kept open for the faults
    except OSError:
        return
    faulthandler.enable(crash_file, all_threads=True)
    if _setup.crash_file is not None:
        with contextlib.suppress(OSError):
            _setup.crash_file.close()
    _setup.crash_file = crash_file


def _install_hooks() -> None:
    if not getattr(sys.excepthook, "rayong_log", False):
        previous = sys.excepthook

        def excepthook(
            kind: type[BaseException], value: BaseException, tb: TracebackType | None
        ) -> None:
            if not issubclass(kind, KeyboardInterrupt):
                log_unexpected((kind, value, tb))
            if not output_goes_to_log():
                previous(kind, value, tb)

        excepthook.rayong_log = True  # type: ignore[attr-defined]
        sys.excepthook = excepthook
    if not getattr(threading.excepthook, "rayong_log", False):
        previous_thread = threading.excepthook

        def thread_excepthook(args: Any) -> None:
            if args.exc_value is not None:
                name = args.thread.name if args.thread is not None else "a thread"
                log_unexpected((args.exc_type, args.exc_value, args.exc_traceback), name)
            if not output_goes_to_log():
                previous_thread(args)

        thread_excepthook.rayong_log = True  # type: ignore[attr-defined]
        threading.excepthook = thread_excepthook
