"""Command-line commands for printed documents: summary, letter, reminder, form, poster.

Each command builds its PDF through services.printing's one entry, `make_document` (the print
dialog's too), and saves it through a temporary file, so a refused or failed build leaves no
file. `summary` and `form` write an Excel workbook instead when --out ends in .xlsx, through
services.excel_export (the desk's Excel export dialog's entry).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rayong_desktop.cli.output import EXIT_OK, on_database
from rayong_desktop.domain import calendar
from rayong_desktop.domain.errors import RefusedError

WEEK_HELP = "any date in the week (2020-05-07) or ISO week (2020-W19); default: the current week"

if TYPE_CHECKING:  # loaded when one of these commands runs, not to parse the others
    from rayong_desktop.db.engine import Database
    from rayong_desktop.services import printing


def add_commands(sub: Any) -> None:
    """Register this module's subcommands on the main parser's subparsers."""
    p = sub.add_parser("summary", help="the weekly summary (PDF, or Excel with --out F.xlsx)")
    p.add_argument("--week", help=WEEK_HELP)
    p.add_argument("--out", required=True, type=Path, help="the file to write (.pdf or .xlsx)")
    p.add_argument("--live", action="store_true", help="a closed week with today's figures")
    on_database(p, cmd_summary, reads_only=True)

    p = sub.add_parser("letter", help="the weekly letter to the governor, enclosing the summary")
    p.add_argument("--week", help=WEEK_HELP)
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--to", help="the addressee after เรียน (default: the letter_addressee setting)")
    p.add_argument(
        "--number",
        type=int,
        help="reprint with this running number (the counter is not moved)",
    )
    p.add_argument("--live", action="store_true", help="a closed week with today's figures")
    given_number_options(p)
    on_database(p, cmd_letter)

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
    p.add_argument(
        "--by-district",
        action="store_true",
        help="one circular per district office listing only its district's late units",
    )
    given_number_options(p)
    on_database(p, cmd_reminder)

    p = sub.add_parser("form", help="the blank report form (PDF, or Excel with --out F.xlsx)")
    p.add_argument("--week", help=WEEK_HELP)
    p.add_argument("--out", required=True, type=Path)
    which = p.add_mutually_exclusive_group()
    which.add_argument("--unit", help="one unit's form")
    which.add_argument("--plan-row", type=int, help="a form for every active unit of a plan row")
    on_database(p, cmd_form, reads_only=True)

    p = sub.add_parser("poster", help="QR posters for the LINE Official Account")
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--size", default="A4", type=str.upper, choices=("A4", "A3"))
    whose = p.add_mutually_exclusive_group()
    whose.add_argument("--unit", help="print this unit's name on the poster")
    whose.add_argument("--all-units", action="store_true", help="one poster per active unit")
    p.add_argument("--oa-id", help="the LINE ID for these posters (overrides the setting)")
    on_database(p, cmd_poster, reads_only=True)


def given_number_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--given-number",
        type=int,
        help="issue with this number from the office's central register, not the desk's next",
    )
    p.add_argument(
        "--replaces",
        metavar="REASON",
        help="the letter already holding --given-number is spoiled for REASON; this replaces it",
    )


def _request(kind: str, args: argparse.Namespace) -> printing.DocumentRequest:
    from rayong_desktop.services import printing

    week = getattr(args, "week", None)
    return printing.DocumentRequest(
        kind=kind,
        week=calendar.parse_week(week) if week is not None else None,  # blank: refused
        to=getattr(args, "to", None),
        number=getattr(args, "number", None),
        memo=getattr(args, "memo", False),
        unit=getattr(args, "unit", None),
        plan_row=getattr(args, "plan_row", None),
        all_units=getattr(args, "all_units", False),
        size=getattr(args, "size", "A4"),
        oa_id=getattr(args, "oa_id", None),
        live=getattr(args, "live", False),
        by_district=getattr(args, "by_district", False),
        given_number=getattr(args, "given_number", None),
        replaces=getattr(args, "replaces", None),
    )


def _workbook(kind: str, db: Database, args: argparse.Namespace) -> int:
    from rayong_desktop.services import excel_export

    request = excel_export.WorkbookRequest(
        kind=kind,
        week=calendar.parse_week(args.week) if args.week is not None else None,
        unit=getattr(args, "unit", None),
        plan_row=getattr(args, "plan_row", None),
        live=getattr(args, "live", False),
    )
    book = excel_export.export_workbook(db, request, args.out)
    rows = "" if book.rows is None else f" ({book.rows} rows)"
    sys.stdout.write(f"wrote {args.out}{rows}\n")
    return EXIT_OK


def _document(kind: str, db: Database, args: argparse.Namespace) -> int:
    """Build the document through services.printing's one entry and save it to --out; a
    letter's number is issued (used up) unless --number reprints it."""
    from rayong_desktop.services import printing

    made = printing.make_document(db, _request(kind, args), issue=True, out=args.out)
    pages = made.pages
    extra = ""
    if made.letter is not None:
        number = f"{'ว ' if made.letter.circular else ''}{made.letter.number}"
        state = "issued" if made.letter.issued else "reprinted"
        extra = f", letter number {number} {state}"
    sys.stdout.write(f"wrote {args.out} ({pages} page{'' if pages == 1 else 's'}){extra}\n")
    return EXIT_OK


def _is_xlsx(out: Path, *, workbook: bool = False) -> bool:
    """True for an .xlsx --out (when the command makes workbooks), False for a .pdf; any other
    ending is refused: the file would not be what its name says."""
    suffix = out.suffix.lower()
    allowed = (".pdf", ".xlsx") if workbook else (".pdf",)
    if suffix not in allowed:
        raise RefusedError(
            f"บันทึกเป็น '{out.name}' ไม่ได้: ชื่อไฟล์ต้องลงท้ายด้วย {' หรือ '.join(allowed)}",
            f"cannot write '{out.name}': the file name must end in {' or '.join(allowed)}",
            code="bad_extension",
        )
    return suffix == ".xlsx"


def cmd_summary(db: Database, args: argparse.Namespace) -> int:
    if _is_xlsx(args.out, workbook=True):
        return _workbook("summary", db, args)
    return _document("summary", db, args)


def cmd_letter(db: Database, args: argparse.Namespace) -> int:
    _is_xlsx(args.out)
    return _document("letter", db, args)


def cmd_reminder(db: Database, args: argparse.Namespace) -> int:
    _is_xlsx(args.out)
    return _document("reminder", db, args)


def cmd_form(db: Database, args: argparse.Namespace) -> int:
    if _is_xlsx(args.out, workbook=True):
        return _workbook("form", db, args)
    return _document("form", db, args)


def cmd_poster(db: Database, args: argparse.Namespace) -> int:
    _is_xlsx(args.out)
    return _document("poster", db, args)
