"""What every command shares: exit codes, the parser, JSON and table output, refusals, and how
a command is registered (once, on its own parser, with the function that runs it).

Loads nothing heavy: the command modules import it to build the parser, which must stay cheap.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the commands load the database layer when they run, not to be parsed
    from rayong_desktop.db.engine import Database
    from rayong_desktop.domain.errors import RefusedError

EXIT_OK = 0
EXIT_REFUSED = 2
EXIT_CONFIRM = 3

# A command on the opened database; a command on the database file itself (which may be
# damaged, locked or not yet exist, so it is not opened for it).
Handler = Callable[["Database", argparse.Namespace], int]
PathHandler = Callable[[Path, argparse.Namespace], int]
# Whether a command, as given, only reads the database (see `on_database`).
ReadsOnly = bool | Callable[[argparse.Namespace], bool]


def on_database(
    parser: argparse.ArgumentParser, func: Handler, *, reads_only: ReadsOnly = False
) -> None:
    """Register ``func`` as what ``parser``'s command runs, given the opened database.

    ``reads_only``: the command (or, given a function, the command with these arguments)
    never writes to the database, so it gets the read-only opening of
    `services.startup.open_for_reading` (no migration, no backups, the file opened read-only);
    every other command gets the full opening with its health check before any write."""
    parser.set_defaults(func=func, on_file=False, any_target=False, reads_only=reads_only)


def on_file(
    parser: argparse.ArgumentParser, func: PathHandler, *, any_target: bool = False
) -> None:
    """Register ``func`` as what ``parser``'s command runs, given the SQLite file's path.

    ``any_target``: the command does not use the configured database at all, so it runs
    whatever the target is (a server included)."""
    parser.set_defaults(func=func, on_file=True, any_target=any_target, reads_only=False)


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but a bad command line is one line on stderr and exit 2, like any refusal."""

    def error(self, message: str) -> Any:
        sys.stderr.write(f"error: {message} (see --help)\n")
        raise SystemExit(EXIT_REFUSED)


def emit_json(data: Any) -> None:
    """Indented for a person at a terminal; compact (one line, the same keys and values) for a
    script or a pipe, which is several times faster to write for a large answer (json's C
    encoder does not indent)."""
    indent = 2 if sys.stdout.isatty() else None
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=indent) + "\n")


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    cells = [[("" if c is None else str(c)) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    sys.stdout.write(line.rstrip() + "\n")
    for r in cells:
        sys.stdout.write("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
        sys.stdout.write("\n")


def lang_th() -> bool:
    return os.environ.get("RAYONG_LANG", "").lower().startswith("th")


def refuse(exc: RefusedError) -> int:
    message = exc.th if lang_th() else exc.en
    logging.getLogger("rayong_desktop").info("refused (%s): %s", exc.code, exc.en)
    sys.stderr.write(f"refused: {message}\n")
    return EXIT_REFUSED


def _first_line(text: object) -> str:
    lines = str(text).strip().splitlines()
    return lines[0][:300] if lines else ""


def fault_message(exc: BaseException) -> tuple[str, str]:
    """What went wrong, in one line (Thai, English), for an exception no command expected."""
    import zipfile
    import zlib

    if isinstance(exc, OSError) and exc.strerror:
        where = f" {exc.filename}" if exc.filename else ""
        return (
            f"ใช้ไฟล์{where} ไม่ได้: {exc.strerror}",
            f"cannot use{where}: {exc.strerror}",
        )
    if isinstance(exc, zlib.error | zipfile.BadZipFile | EOFError):
        return (
            f"ไฟล์เสียหาย อ่านไม่ได้ ({_first_line(exc)})",
            f"the file is damaged and cannot be read ({_first_line(exc)})",
        )
    orig = getattr(exc, "orig", None)  # a database driver's own error, under SQLAlchemy's
    if orig is not None:
        return (
            f"ฐานข้อมูลทำงานไม่ได้: {_first_line(orig)}",
            f"the database failed: {_first_line(orig)}",
        )
    return (
        f"เกิดข้อผิดพลาดที่ไม่คาดคิด ({type(exc).__name__}: {_first_line(exc)})",
        f"unexpected error ({type(exc).__name__}: {_first_line(exc)})",
    )


def unexpected(exc: BaseException) -> int:
    """An exception no command expected: one line on stderr, the traceback in the log, exit 2.

    Every write is one transaction, rolled back when it fails, so nothing was stored."""
    from rayong_desktop.logs import log_file, log_unexpected

    log_unexpected((type(exc), exc, exc.__traceback__), "a command")
    th, en = fault_message(exc)
    message = (
        f"{th} ไม่มีการบันทึกใด ๆ (รายละเอียดในบันทึก {log_file()})"
        if lang_th()
        else f"{en}; nothing was stored (details in the log {log_file()})"
    )
    sys.stderr.write(f"error: {message}\n")
    return EXIT_REFUSED


def output_closed() -> int:
    """The reader of our output went away (`units | head`): stop quietly, as a pipe expects.

    Output still buffered would raise again when Python exits, so stdout goes to nowhere."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (a test's capture)
    return EXIT_OK
