"""The scriptable command line: `python main.py [--db PATH] <command>`; no command opens the desk.

Same services as the GUI. Exit codes: 0 done, 2 refused (one line on stderr, nothing stored),
3 needs confirmation (nothing stored; repeat with --confirm). JSON keys are a stable interface.
Anything unexpected (a fault of the disk, the database or the program) is one line on stderr and
exit 2 too, the traceback in the support log; output cut short by its reader (`units | head`)
ends quietly with exit 0.

This module parses the global options and dispatches; what the commands share is in `output`,
the commands themselves in one module per group (registry, reports, maintenance, documents,
excel), each registering a command once with the function that runs it (`output.on_database`
or, for a command on the database file itself, `output.on_file`). Building the parser must stay
cheap: a command module imports the services (and through them SQLAlchemy, the documents, the
Excel libraries) inside the functions that run its commands, so a command loads only its own.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.logs import setup_logging
from rayong_desktop.paths import default_db_path, read_local_config

if TYPE_CHECKING:  # the commands (and what they share) load only when a command is given
    from rayong_desktop.cli.output import ArgumentParser


# The modules that register the commands (each has `add_commands`), in the order of --help.
COMMAND_GROUPS = ("registry", "reports", "maintenance", "documents", "excel", "weeks", "letters")
# Which of them registers each command: to parse a command line naming a command only its
# module is loaded and its parsers built (tests/test_cli_package.py keeps this in step).
COMMAND_GROUP = {
    **dict.fromkeys(("units", "plan", "unit", "plan-row", "settings"), "registry"),
    **dict.fromkeys(("report", "status", "history", "weeks", "oa-stats"), "reports"),
    **dict.fromkeys(
        (
            "backup",
            "backups",
            "check",
            "restore",
            "export",
            "migrate-data",
            "selftest",
            "import-archive",
        ),
        "maintenance",
    ),
    **dict.fromkeys(("summary", "letter", "reminder", "form", "poster"), "documents"),
    **dict.fromkeys(("import", "units-import", "units-template"), "excel"),
    "week": "weeks",
    "letters": "letters",
}


def build_parser(command: str | None = None) -> ArgumentParser:
    """The whole command line's parser; given a known `command`, one with only the commands of
    its module (the same parsers, help and errors for it, at a fraction of the cost)."""
    import importlib

    from rayong_desktop.cli.output import ArgumentParser

    parser = ArgumentParser(
        prog="rayong-desk",
        description="Rayong Fight Covid desk: the registry, weekly reports and summaries.",
    )
    add_global_options(parser)
    sub = parser.add_subparsers(dest="command", parser_class=ArgumentParser)
    group = COMMAND_GROUP.get(command or "")
    for name in COMMAND_GROUPS if group is None else (group,):
        importlib.import_module(f"rayong_desktop.cli.{name}").add_commands(sub)
    return parser


def add_global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, help="database file (default: RAYONG_DB or data folder)")
    parser.add_argument(
        "--db-url", help="a server database, postgresql://user:pass@host/name (or RAYONG_DB_URL)"
    )
    parser.add_argument(
        "--clerk", help="name recorded as the clerk (default: RAYONG_CLERK or login)"
    )
    parser.add_argument("--demo", action="store_true", help="open the separate demo database")


class _NotJustOptionsError(Exception):
    pass


class _OptionsOnlyParser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:
        raise _NotJustOptionsError(message)


def command_word(argv: Sequence[str]) -> str | None:
    """The command `argv` names after the global options; None when something else comes
    first (--help, a mistyped option), so that the whole parser answers."""
    parser = _OptionsOnlyParser(add_help=False)
    add_global_options(parser)
    try:
        _args, rest = parser.parse_known_args(list(argv))
    except _NotJustOptionsError:
        return None
    return rest[0] if rest and not rest[0].startswith("-") else None


def desk_only_arguments(argv: Sequence[str]) -> argparse.Namespace | None:
    """The options when `argv` only opens the desk (no command, no --help), else None.

    Opening the desk is what a clerk does many times a day: it is parsed without loading the
    commands, which load the database layer and the document and Excel libraries."""
    parser = _OptionsOnlyParser(add_help=False)
    add_global_options(parser)
    try:
        args, rest = parser.parse_known_args(list(argv))
    except _NotJustOptionsError:
        return None  # the full parser says what is wrong
    if rest:
        return None
    args.command = None
    return args


def resolve_target(args: argparse.Namespace) -> Path | str:
    """--db-url, then --db, then RAYONG_DB_URL, then RAYONG_DB, then the server set in the
    desk's Settings on this PC, then the data folder's own file."""
    if args.db_url:
        return str(args.db_url)
    if args.db is not None:
        return Path(args.db)
    if getattr(args, "demo", False):
        return default_db_path(demo=True)
    env_url = os.environ.get("RAYONG_DB_URL", "").strip()
    if env_url:
        return env_url
    if not os.environ.get("RAYONG_DB"):
        # The server chosen in the desk's Settings on this PC.
        configured = read_local_config().get("db_url", "").strip()
        if configured:
            return configured
    return default_db_path()


def _file_only(target: Path | str, command_name: str, *, any_target: bool) -> Path:
    if isinstance(target, Path):
        return target
    if any_target:
        return Path()  # e.g. the selftest never touches the configured database
    raise RefusedError(
        f"คำสั่ง {command_name} ใช้ได้กับไฟล์ฐานข้อมูล SQLite เท่านั้น "
        "ฐานข้อมูลบนเครื่องแม่ข่ายสำรองและตรวจสอบโดยผู้ดูแลระบบ",
        f"'{command_name}' works on a SQLite file; a server database is backed up and checked "
        "by its administrator (use export for a copy of everything)",
        code="server_database",
    )


def main(argv: Sequence[str] | None = None, *, probe: Callable[[str], None] | None = None) -> int:
    """Run a command, or open the desk (`probe`: told its start-up stages, see app.run_gui)."""
    setup_logging()  # the support log; a windowed build's missing console goes there too
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")
    words = list(sys.argv[1:] if argv is None else argv)
    args = desk_only_arguments(words)
    if args is None:
        args = build_parser(command_word(words)).parse_args(words)
    if args.clerk:
        from rayong_desktop.cli.output import refuse
        from rayong_desktop.domain.validation import check_text

        try:  # recorded with every change: a name, on one line, that fits its column
            check_text(args.clerk.strip(), th="ชื่อเจ้าหน้าที่", en="--clerk", limit=100)
        except RefusedError as exc:
            return refuse(exc)
        os.environ["RAYONG_CLERK"] = args.clerk
    target = resolve_target(args)
    if args.command is None:
        from rayong_desktop.app import run_gui

        return run_gui(target, demo=args.demo, probe=probe)

    from rayong_desktop.cli.output import output_closed, refuse, unexpected

    try:
        with _short_lived(exiting=argv is None):
            return _run(target, args)
    except RefusedError as exc:
        return refuse(exc)
    except BrokenPipeError:
        return output_closed()
    except Exception as exc:  # the top level: one line for the user, the traceback in the log
        return unexpected(exc)


# While a command runs, the cyclic garbage collector looks for cycles every this many new
# objects (Python's default is 700): loading SQLAlchemy and the figures of a large province
# otherwise triggers dozens of collections, each walking every object made so far.
COMMAND_GC_THRESHOLD = 100_000


@contextmanager
def _short_lived(*, exiting: bool) -> Iterator[None]:
    """A command is a short-lived process: reference counting frees its objects as it goes,
    and the collector of reference cycles runs rarely (mypy does the same). `exiting`: main()
    runs as the program itself, which ends after the command, so everything it made is frozen
    out of the collector: the final collection at exit would walk it all to free nothing the
    exit does not free anyway. Run in-process (tests), the collector is as it was after."""
    before = gc.get_threshold()
    gc.set_threshold(COMMAND_GC_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
        if exiting:
            gc.freeze()


def _run(target: Path | str, args: argparse.Namespace) -> int:
    """The command on its file or its opened database; refusals and faults are main()'s.

    A command that only reads (`reads_only` in `output.on_database`) opens the database with
    `startup.open_for_reading` (read-only, its schema revision checked, damage met while reading
    refused); every other command with `startup.open_database` (the whole file checked before
    the first write, backups, migrations)."""
    from rayong_desktop.services import startup

    if args.on_file:
        path = _file_only(target, args.command, any_target=args.any_target)
        done: int = args.func(path, args)
        return done
    reads_only = args.reads_only(args) if callable(args.reads_only) else args.reads_only
    db = startup.open_for_reading(target) if reads_only else startup.open_database(target)
    try:
        if db.read_only and db.path is not None:
            with startup.damage_refused(db.path):
                result: int = args.func(db, args)
        else:
            result = args.func(db, args)
    finally:
        db.dispose()
    return result
