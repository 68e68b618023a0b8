"""Command-line commands for closing a week: `week close W`, `week reopen W --reason T`."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from rayong_desktop.cli.output import EXIT_OK, ArgumentParser, emit_json, on_database
from rayong_desktop.domain import calendar
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.numbers import format_int

if TYPE_CHECKING:  # loaded when one of these commands runs, not to build the parser
    from rayong_desktop.db.engine import Database
    from rayong_desktop.services import closing


def add_commands(sub: Any) -> None:
    p = sub.add_parser("week", help="close a week (freeze the figures sent) or reopen it")
    wsub = p.add_subparsers(dest="week_command", required=True, parser_class=ArgumentParser)
    close = wsub.add_parser("close", help="freeze the week's figures as sent, with a checksum")
    close.add_argument("week", help="any date in the week (2020-05-07) or ISO week (2020-W19)")
    close.add_argument("--note", help="a note kept with the close")
    close.add_argument(
        "--number",
        type=int,
        help="the letter number sent with it (default: the newest summary letter of the week)",
    )
    close.add_argument("--json", action="store_true")
    on_database(close, cmd_week_close)
    reopen = wsub.add_parser("reopen", help="reopen a week closed by mistake")
    reopen.add_argument("week")
    reopen.add_argument("--reason", required=True, help="why the close was a mistake")
    reopen.add_argument("--json", action="store_true")
    on_database(reopen, cmd_week_reopen)


def _emit(done: closing.ClosedWeek, what: str, args: argparse.Namespace) -> int:
    if args.json:
        emit_json(
            {
                "week": calendar.week_label(done.week),
                "week_start": done.week.isoformat(),
                "outcome": what,
                "at": done.at.astimezone(BANGKOK).isoformat(),
                "by": done.by,
                "note": done.note,
                "letter_number": done.letter_number,
                "checksum": done.checksum,
                "count": done.count,
            }
        )
    else:
        number = "" if done.letter_number is None else f", letter number {done.letter_number}"
        sys.stdout.write(
            f"{what}: {calendar.week_label(done.week)} count {format_int(done.count)}"
            f"{number}, sha256 {done.checksum}\n"
        )
    return EXIT_OK


def cmd_week_close(db: Database, args: argparse.Namespace) -> int:
    from rayong_desktop.services import closing

    done = closing.close_week(
        db, calendar.parse_week(args.week), note=args.note, letter_number=args.number
    )
    return _emit(done, "closed", args)


def cmd_week_reopen(db: Database, args: argparse.Namespace) -> int:
    from rayong_desktop.services import closing

    done = closing.reopen_week(db, calendar.parse_week(args.week), reason=args.reason)
    return _emit(done, "reopened", args)
