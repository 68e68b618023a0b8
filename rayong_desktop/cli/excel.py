"""Command-line commands for Excel: filled forms in, the unit list in, the unit-list template out.

`import F.xlsx [--dry-run] [--confirm] [--json]`, `units-import F.xlsx [--dry-run] [--json]` and
`units-template --out F.xlsx`. (The unit-list commands are hyphenated because `units` already
lists the registry.) Forms and summaries are written by `form` and `summary` (cli/documents.py)
when their --out ends in .xlsx.

Exit codes as everywhere: 0 done (or, with --dry-run, the file would import), 2 refused (one
line on stderr, nothing written), 3 needs confirmation (nothing written; repeat with --confirm).
A dry run prints the preview on stdout in every case.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rayong_desktop.cli.output import (
    EXIT_CONFIRM,
    EXIT_OK,
    EXIT_REFUSED,
    emit_json,
    lang_th,
    on_database,
    print_table,
)
from rayong_desktop.domain import calendar
from rayong_desktop.domain.numbers import format_int

if TYPE_CHECKING:  # loaded when one of these commands runs, not to parse the others
    from rayong_desktop.db.engine import Database
    from rayong_desktop.services import excel_io


def add_commands(sub: Any) -> None:
    p = sub.add_parser("import", help="import a filled weekly report form (.xlsx)")
    p.add_argument("file", type=Path, help="the filled form")
    p.add_argument(
        "--dry-run", action="store_true", help="show what the import would do; write nothing"
    )
    p.add_argument(
        "--confirm",
        action="store_true",
        help="accept figures that need confirmation and corrections of figures already stored",
    )
    p.add_argument("--json", action="store_true")
    on_database(p, cmd_import)

    p = sub.add_parser("units-import", help="add or update reporting units from a sheet (.xlsx)")
    p.add_argument("file", type=Path, help="the unit list (see units-template)")
    p.add_argument(
        "--dry-run", action="store_true", help="show what the import would do; write nothing"
    )
    p.add_argument("--json", action="store_true")
    on_database(p, cmd_units_import)

    p = sub.add_parser("units-template", help="save an empty unit list to fill (.xlsx)")
    p.add_argument("--out", type=Path, required=True, help="where to save it (.xlsx)")
    on_database(p, cmd_units_template)


def _say(th: str, en: str) -> str:
    return (th if lang_th() else en).replace("\n", "; ")


def _stderr(prefix: str, th: str, en: str) -> None:
    sys.stderr.write(f"{prefix}{_say(th, en)}\n")


def _ask(rows: list[excel_io.RowOutcome], hint: str) -> None:
    """One line: the first row needing confirmation, how many more, and what to do."""
    more = len(rows) - 1
    _stderr(
        "needs confirmation: ",
        rows[0].th + (f" (และอีก {more} แถว)" if more else "") + " " + hint,
        rows[0].en + (f" (and {more} more rows)" if more else "") + " " + hint,
    )


def _print_forms(result: excel_io.FormImport) -> None:
    from rayong_desktop.services import excel_io

    rows = [r for r in result.rows if r.status != excel_io.BLANK]
    print_table(
        ["row", "unit", "status", "count", "stored", "message"],
        [
            [
                r.row,
                r.unit,
                r.status,
                "" if r.count is None else format_int(r.count),
                "" if r.previous is None else format_int(r.previous),
                _say(r.th, r.en),
            ]
            for r in rows
        ],
    )
    counts = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in result.counts.items() if n)
    sys.stdout.write(
        f"{result.file}: week {calendar.week_label(result.week)}, {counts or 'no rows'}"
        f"{'' if result.committed else ' (nothing written)'}\n"
    )


def cmd_import(db: Database, args: argparse.Namespace) -> int:
    from rayong_desktop.services import excel_io

    if args.dry_run:
        preview = excel_io.preview_forms(db, args.file, confirm=args.confirm)
        if args.json:
            emit_json(preview.as_json())
        else:
            _print_forms(preview)
        if preview.refused:
            bad = excel_io.ImportRefusedError(preview)
            _stderr("refused: ", bad.th, bad.en)
            return EXIT_REFUSED
        if preview.to_confirm:
            _ask(preview.to_confirm, "(import with --confirm)")
            return EXIT_CONFIRM
        return EXIT_OK
    try:
        result = excel_io.import_forms(db, args.file, confirm=args.confirm)
    except excel_io.ImportNeedsConfirmation as exc:
        _ask(exc.result.to_confirm, "(repeat with --confirm; nothing was imported)")
        return EXIT_CONFIRM
    if args.json:
        emit_json(result.as_json())
    else:
        _print_forms(result)
    return EXIT_OK


def _print_units(result: excel_io.UnitsImport) -> None:
    print_table(
        ["row", "code", "status", "changes", "message"],
        [[r.row, r.code, r.status, " ".join(r.changes), _say(r.th, r.en)] for r in result.rows],
    )
    counts = ", ".join(f"{n} {s}" for s, n in result.counts.items() if n)
    sys.stdout.write(
        f"{result.file}: {counts or 'no rows'}{'' if result.committed else ' (nothing written)'}\n"
    )


def cmd_units_import(db: Database, args: argparse.Namespace) -> int:
    from rayong_desktop.services import excel_io

    if args.dry_run:
        preview = excel_io.preview_units(db, args.file)
        if args.json:
            emit_json(preview.as_json())
        else:
            _print_units(preview)
        if preview.refused:
            bad = excel_io.ImportRefusedError(preview)
            _stderr("refused: ", bad.th, bad.en)
            return EXIT_REFUSED
        return EXIT_OK
    result = excel_io.import_units(db, args.file)
    if args.json:
        emit_json(result.as_json())
    else:
        _print_units(result)
    return EXIT_OK


def cmd_units_template(db: Database, args: argparse.Namespace) -> int:
    from rayong_desktop.services import excel_export

    excel_export.export_workbook(db, excel_export.WorkbookRequest("template"), args.out)
    sys.stdout.write(f"saved {args.out}\n")
    return EXIT_OK
