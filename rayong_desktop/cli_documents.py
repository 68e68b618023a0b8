"""Command-line commands for printed documents: summary, letter, reminder, form, poster.

Each command builds its PDF through services.printing (the same functions the print dialog
uses) and saves it through a temporary file, so a refused or failed build leaves no file.
`summary` and `form` write an Excel workbook instead when --out ends in .xlsx.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rayong_desktop.cli import EXIT_OK, command
from rayong_desktop.db.engine import Database
from rayong_desktop.domain import calendar
from rayong_desktop.domain.errors import RefusedError

WEEK_HELP = "any date in the week (2020-05-07) or ISO week (2020-W19); default: the current week"

if TYPE_CHECKING:  # loaded when one of these commands runs, not to parse the others
    from rayong_desktop.services import printing


def add_commands(sub: Any) -> None:
    """Register this module's subcommands on the main parser's subparsers."""
    p = sub.add_parser("summary", help="the weekly summary (PDF, or Excel with --out F.xlsx)")
    p.add_argument("--week", help=WEEK_HELP)
    p.add_argument("--out", required=True, type=Path, help="the file to write (.pdf or .xlsx)")
    p.set_defaults(handler="summary")

    p = sub.add_parser("letter", help="the weekly letter to the governor, enclosing the summary")
    p.add_argument("--week", help=WEEK_HELP)
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--to", help="the addressee after เรียน (default: the letter_addressee setting)")
    p.add_argument(
        "--number",
        type=int,
        help="reprint with this running number (the counter is not moved)",
    )
    p.set_defaults(handler="letter")

    p = sub.add_parser("reminder", help="a reminder to the units that missed the week's deadline")
    p.add_argument("--week", help=WEEK_HELP)
    p.add_argument("--out", required=True, type=Path)
    p.add_argument(
        "--memo",
        action="store_true",
        help="an internal memo (บันทึกข้อความ) to the head of office instead of a letter",
    )
    p.add_argument("--to", help="the addressee after เรียน")
    p.add_argument("--number", type=int, help="reprint with this running number")
    p.set_defaults(handler="reminder")

    p = sub.add_parser("form", help="the blank report form (PDF, or Excel with --out F.xlsx)")
    p.add_argument("--week", help=WEEK_HELP)
    p.add_argument("--out", required=True, type=Path)
    which = p.add_mutually_exclusive_group()
    which.add_argument("--unit", help="one unit's form")
    which.add_argument("--plan-row", type=int, help="a form for every active unit of a plan row")
    p.set_defaults(handler="form")

    p = sub.add_parser("poster", help="QR posters for the LINE Official Account")
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--size", default="A4", type=str.upper, choices=("A4", "A3"))
    whose = p.add_mutually_exclusive_group()
    whose.add_argument("--unit", help="print this unit's name on the poster")
    whose.add_argument("--all-units", action="store_true", help="one poster per active unit")
    p.add_argument("--oa-id", help="the LINE ID for these posters (overrides the setting)")
    p.set_defaults(handler="poster")


def _week(db: Database, text: str | None) -> date:
    from rayong_desktop.services import status

    if text:
        return calendar.parse_week(text)
    return status.current_week(db)[0]


def _is_xlsx(out: Path) -> bool:
    return out.suffix.lower() == ".xlsx"


def _check_number(number: int | None) -> None:
    if number is not None and number < 1:
        raise RefusedError(
            "เลขที่หนังสือต้องเริ่มที่ 1 ขึ้นไป",
            "the letter number must be 1 or more",
            code="bad_number",
        )


def _wrote(out: Path, data: bytes, extra: str = "") -> int:
    from rayong_desktop.services import printing

    pages = printing.page_count(data)
    sys.stdout.write(f"wrote {out} ({pages} page{'' if pages == 1 else 's'}){extra}\n")
    return EXIT_OK


@command("summary")
def cmd_summary(db: Database, args: argparse.Namespace) -> int:
    from rayong_desktop.services import printing

    week = _week(db, args.week)
    if _is_xlsx(args.out):
        from rayong_desktop.services import excel_io

        excel_io.export_summary(db, args.out, week=week)
        sys.stdout.write(f"wrote {args.out}\n")
        return EXIT_OK
    data = printing.summary_pdf(db, week=week)
    printing.save_pdf(data, args.out)
    return _wrote(args.out, data)


def _letter_line(result: printing.LetterPdf) -> str:
    number = f"{'ว ' if result.circular else ''}{result.number}"
    state = "issued" if result.issued else "reprinted"
    return f", letter number {number} {state}"


@command("letter")
def cmd_letter(db: Database, args: argparse.Namespace) -> int:
    from rayong_desktop.services import printing

    _check_number(args.number)
    result = printing.letter_pdf(
        db,
        week=_week(db, args.week),
        to=args.to,
        issue=True,
        number=args.number,
        out=args.out,
    )
    return _wrote(args.out, result.data, _letter_line(result))


@command("reminder")
def cmd_reminder(db: Database, args: argparse.Namespace) -> int:
    from rayong_desktop.services import printing

    _check_number(args.number)
    result = printing.reminder_pdf(
        db,
        week=_week(db, args.week),
        memo=args.memo,
        to=args.to,
        issue=True,
        number=args.number,
        out=args.out,
    )
    return _wrote(args.out, result.data, _letter_line(result))


@command("form")
def cmd_form(db: Database, args: argparse.Namespace) -> int:
    from rayong_desktop.services import printing

    week = _week(db, args.week)
    if _is_xlsx(args.out):
        from rayong_desktop.services import excel_io

        rows = excel_io.export_form(db, args.out, week=week, unit=args.unit, plan_row=args.plan_row)
        sys.stdout.write(f"wrote {args.out} ({rows} rows)\n")
        return EXIT_OK
    data = printing.form_pdf(db, week=week, unit=args.unit, plan_row=args.plan_row)
    printing.save_pdf(data, args.out)
    return _wrote(args.out, data)


@command("poster")
def cmd_poster(db: Database, args: argparse.Namespace) -> int:
    from rayong_desktop.services import printing

    data = printing.poster_pdf(
        db, size=args.size, unit=args.unit, all_units=args.all_units, oa_id=args.oa_id
    )
    printing.save_pdf(data, args.out)
    return _wrote(args.out, data)
