"""Command-line commands for the outgoing register: `letters` (the list), `letters show N`,
`letters reprint N --out F.pdf`, `letters sent N --by fax --at "..."`, `letters spoil N`.

N is a letter's number as printed ("14", or "ว14" for a circular); --year (Buddhist era) and
--series pick among letters of other years or series with the same number.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rayong_desktop.cli.output import EXIT_OK, emit_json, on_database, print_table
from rayong_desktop.domain import calendar
from rayong_desktop.domain.errors import RefusedError

if TYPE_CHECKING:  # loaded when one of these commands runs
    from rayong_desktop.db.engine import Database
    from rayong_desktop.domain.letter_register import RegisterEntry

NUMBER_HELP = "the letter's number as printed: 14, or ว14 for a circular"


def _which(p: argparse.ArgumentParser) -> None:
    p.add_argument("number", help=NUMBER_HELP)
    p.add_argument("--year", type=int, help="the year in the Buddhist era (2563)")
    p.add_argument("--series", help="'ว' for circulars, '' for the office's ordinary letters")


def add_commands(sub: Any) -> None:
    p = sub.add_parser("letters", help="the outgoing register: every numbered letter issued")
    p.add_argument("--json", action="store_true")
    p.add_argument("--year", type=int, help="only this year (Buddhist era, 2563)")
    p.add_argument("--series", help="only this series: 'ว' (circulars) or '' (ordinary)")
    p.add_argument("--week", help="only the letters of this week (2020-W21 or a date in it)")
    on_database(p, cmd_letters, reads_only=True)
    lsub = p.add_subparsers(dest="letters_command")

    show = lsub.add_parser("show", help="one letter of the register")
    _which(show)
    show.add_argument("--json", action="store_true")
    on_database(show, cmd_show, reads_only=True)

    again = lsub.add_parser("reprint", help="save a letter's stored PDF, exactly as it went out")
    _which(again)
    again.add_argument("--out", required=True, type=Path)
    on_database(again, cmd_reprint, reads_only=True)

    sent = lsub.add_parser("sent", help="record how and when a letter was sent")
    _which(sent)
    sent.add_argument("--by", required=True, help="fax, post, hand, email or edoc")
    sent.add_argument("--at", help="when, YYYY-MM-DD HH:MM in Bangkok time (default: now)")
    sent.add_argument("--json", action="store_true")
    on_database(sent, cmd_sent)

    spoil = lsub.add_parser("spoil", help="mark a letter spoiled (kept in the register)")
    _which(spoil)
    spoil.add_argument("--reason", required=True)
    spoil.add_argument("--json", action="store_true")
    on_database(spoil, cmd_spoil)


def _find(db: Database, args: argparse.Namespace) -> RegisterEntry:
    from rayong_desktop.domain.letter_register import parse_number, parse_series
    from rayong_desktop.services import letter_register

    series, number = parse_number(args.number)
    given = parse_series(args.series)
    if series is not None and given is not None and given != series:
        raise RefusedError(
            f"เลขที่ {args.number} ไม่ใช่ชุด '{given}'",
            f"{args.number} is not of the series '{given}'",
            code="bad_series",
        )
    return letter_register.find_letter(
        db, number, year=args.year, series=series if series is not None else given
    )


def _line(e: RegisterEntry) -> list[object]:
    from rayong_desktop.domain.letter_register import SENT_CHANNELS

    sent = "" if e.sent_by is None else SENT_CHANNELS.get(e.sent_by, e.sent_by)
    state = e.state if e.replaced_by is None else f"{e.state} (replaced)"
    return [
        e.year,
        e.label,
        e.issued_on.isoformat(),
        calendar.week_label(e.week),
        e.kind,
        e.addressee,
        e.clerk,
        state,
        sent,
    ]


def cmd_letters(db: Database, args: argparse.Namespace) -> int:
    from rayong_desktop.domain.letter_register import parse_series
    from rayong_desktop.services import letter_register

    entries = letter_register.list_letters(
        db,
        year=args.year,
        series=parse_series(args.series),
        week=calendar.parse_week(args.week) if args.week else None,
    )
    if args.json:
        emit_json([letter_register.entry_json(e) for e in entries])
    else:
        print_table(
            ["year", "number", "date", "week", "kind", "to", "clerk", "state", "sent"],
            [_line(e) for e in entries],
        )
    return EXIT_OK


def _emit_one(e: RegisterEntry, args: argparse.Namespace) -> int:
    from rayong_desktop.services import letter_register

    data = letter_register.entry_json(e)
    if getattr(args, "json", False):
        emit_json(data)
        return EXIT_OK
    for key, value in data.items():
        sys.stdout.write(f"{key}: {'' if value is None else value}\n")
    return EXIT_OK


def cmd_show(db: Database, args: argparse.Namespace) -> int:
    return _emit_one(_find(db, args), args)


def cmd_reprint(db: Database, args: argparse.Namespace) -> int:
    from rayong_desktop.services import letter_register, printing

    e = _find(db, args)
    printing.save_pdf(letter_register.reprint(db, e.id), args.out)
    sys.stdout.write(f"wrote {args.out}: letter {e.reference} as issued, sha256 {e.pdf_sha256}\n")
    return EXIT_OK


def _at(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    except ValueError:
        raise RefusedError(
            f"เวลาส่ง '{text}' ไม่ถูกรูปแบบ (ปปปป-ดด-วว ชช:นน)",
            f"sent time '{text}' is not in the form YYYY-MM-DD HH:MM",
            code="bad_sent_time",
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=calendar.BANGKOK)


def cmd_sent(db: Database, args: argparse.Namespace) -> int:
    from rayong_desktop.services import letter_register

    at = _at(args.at)
    e = _find(db, args)
    return _emit_one(letter_register.mark_sent(db, e.id, by=args.by, at=at), args)


def cmd_spoil(db: Database, args: argparse.Namespace) -> int:
    from rayong_desktop.services import letter_register

    e = _find(db, args)
    return _emit_one(letter_register.spoil(db, e.id, reason=args.reason), args)
