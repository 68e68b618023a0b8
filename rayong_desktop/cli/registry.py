"""Commands for the registry: units, the plan and its rows, settings."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rayong_desktop.cli.output import EXIT_OK, ArgumentParser, emit_json, on_database, print_table

if TYPE_CHECKING:  # loaded when one of these commands runs, not to build the parser
    from rayong_desktop.db.engine import Database
    from rayong_desktop.services import registry

UNIT_FIELDS = (
    "name",
    "plan_row",
    "kind",
    "district",
    "quota",
    "contact",
    "phone",
    "fax",
    "email",
    "note",
    "active_from",
)


def add_commands(sub: Any) -> None:
    p = sub.add_parser(
        "units",
        help="list reporting units; `units import F.xlsx [--dry-run]`, `units template --out F`",
    )
    p.add_argument("--json", action="store_true")
    p.add_argument("--active", action="store_true", help="only units not retired")
    # `units import` / `units template` are the same commands as units-import / units-template.
    p.add_argument("action", nargs="?", choices=("import", "template"))
    p.add_argument("file", nargs="?", type=Path, help="with import: the unit list (.xlsx)")
    p.add_argument("--dry-run", action="store_true", help="with import: preview only")
    p.add_argument("--out", type=Path, help="with template: where to save it (.xlsx)")
    on_database(p, cmd_units, reads_only=lambda args: args.action != "import")

    p = sub.add_parser("plan", help="the plan's rows, quotas and totals")
    p.add_argument("--json", action="store_true")
    on_database(p, cmd_plan, reads_only=True)

    unit = sub.add_parser("unit", help="add, edit, retire a unit")
    usub = unit.add_subparsers(dest="unit_command", required=True, parser_class=ArgumentParser)
    add = usub.add_parser("add", help="register a new unit")
    add.add_argument("--code", required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--plan-row", type=int, required=True)
    _unit_options(add)
    add.add_argument("--json", action="store_true")
    on_database(add, cmd_unit_add)
    edit = usub.add_parser("edit", help="change a unit's details")
    edit.add_argument("code")
    edit.add_argument("--name")
    edit.add_argument("--plan-row", type=int)
    _unit_options(edit)
    edit.add_argument("--reason")
    edit.add_argument("--json", action="store_true")
    on_database(edit, cmd_unit_edit)
    retire = usub.add_parser("retire", help="retire a unit (its reports stay)")
    retire.add_argument("code")
    retire.add_argument(
        "--on", type=date.fromisoformat, help="retired from this date (default today)"
    )
    retire.add_argument("--reason")
    on_database(retire, cmd_unit_retire)
    react = usub.add_parser("reactivate", help="bring a retired unit back")
    react.add_argument("code")
    react.add_argument("--reason")
    on_database(react, cmd_unit_reactivate)

    row = sub.add_parser("plan-row", help="change a plan row's quota")
    row.add_argument("number", type=int)
    row.add_argument("--quota", required=True)
    row.add_argument("--reason")
    on_database(row, cmd_plan_row)

    st = sub.add_parser("settings", help="show or change settings")
    st.add_argument("--json", action="store_true")
    st.add_argument("--set", nargs=2, metavar=("KEY", "VALUE"))
    on_database(st, cmd_settings, reads_only=lambda args: not args.set)


def _unit_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--kind")
    p.add_argument("--district")
    p.add_argument("--quota")
    p.add_argument("--contact")
    p.add_argument("--phone")
    p.add_argument("--fax")
    p.add_argument("--email")
    p.add_argument("--note")
    p.add_argument("--active-from", type=date.fromisoformat)


def cmd_units(db: Database, args: argparse.Namespace) -> int:
    if args.action is not None:
        from rayong_desktop.cli import excel
        from rayong_desktop.domain.errors import RefusedError

        if args.action == "import" and args.file is None:
            raise RefusedError("ระบุไฟล์รายชื่อหน่วย", "units import needs a file", code="usage")
        if args.action == "template" and args.out is None:
            raise RefusedError("ระบุ --out", "units template needs --out FILE", code="usage")
        if args.action == "import":
            return excel.cmd_units_import(db, args)
        return excel.cmd_units_template(db, args)
    from rayong_desktop.services import registry

    units = registry.list_units(db, include_retired=not args.active)
    if args.json:
        emit_json([u.as_json() for u in units])
    else:
        print_table(
            ["code", "plan_row", "kind", "district", "quota", "active", "name"],
            [
                [
                    u.code,
                    u.plan_row,
                    u.kind,
                    u.district,
                    u.quota,
                    "yes" if u.active else "no",
                    u.name,
                ]
                for u in units
            ],
        )
    return EXIT_OK


def cmd_plan(db: Database, args: argparse.Namespace) -> int:
    from rayong_desktop.services import registry

    overview = registry.plan_overview(db)
    if args.json:
        emit_json(overview.as_json())
        return EXIT_OK
    print_table(
        ["number", "quota", "units_quota", "units", "name"],
        [
            [r.number, f"{r.quota:,}", f"{r.units_quota:,}", r.unit_count, r.name]
            for r in overview.rows
        ],
    )
    sys.stdout.write(f"\ncomputed total: {overview.computed_quota:,}\n")
    if overview.stated_quota is not None:
        sys.stdout.write(
            f"stated total:   {overview.stated_quota:,} (difference {overview.difference:+,})\n"
        )
    return EXIT_OK


def _print_unit(unit: registry.UnitView, as_json: bool) -> None:
    if as_json:
        emit_json(unit.as_json())
    else:
        sys.stdout.write(
            f"{unit.code}: {unit.name} (plan row {unit.plan_row}, quota {unit.quota:,})\n"
        )


def cmd_unit_add(db: Database, args: argparse.Namespace) -> int:
    from rayong_desktop.services import registry

    unit = registry.add_unit(
        db,
        code=args.code,
        name=args.name,
        plan_row=args.plan_row,
        kind=args.kind,
        district=args.district,
        quota=args.quota,
        contact=args.contact,
        phone=args.phone,
        fax=args.fax,
        email=args.email,
        note=args.note,
        active_from=args.active_from,
    )
    _print_unit(unit, args.json)
    return EXIT_OK


def cmd_unit_edit(db: Database, args: argparse.Namespace) -> int:
    from rayong_desktop.services import registry

    changes = {f: getattr(args, f) for f in UNIT_FIELDS if getattr(args, f) is not None}
    unit = registry.edit_unit(db, args.code, changes, reason=args.reason)
    _print_unit(unit, args.json)
    return EXIT_OK


def cmd_unit_retire(db: Database, args: argparse.Namespace) -> int:
    from rayong_desktop.services import registry

    unit = registry.retire_unit(db, args.code, on=args.on, reason=args.reason)
    sys.stdout.write(f"{unit.code} retired from {unit.retired_on}\n")
    return EXIT_OK


def cmd_unit_reactivate(db: Database, args: argparse.Namespace) -> int:
    from rayong_desktop.services import registry

    unit = registry.reactivate_unit(db, args.code, reason=args.reason)
    sys.stdout.write(f"{unit.code} is active again\n")
    return EXIT_OK


def cmd_plan_row(db: Database, args: argparse.Namespace) -> int:
    from rayong_desktop.services import registry

    row = registry.set_plan_row_quota(db, args.number, args.quota, reason=args.reason)
    sys.stdout.write(f"plan row {row.number}: quota {row.quota:,}\n")
    return EXIT_OK


def cmd_settings(db: Database, args: argparse.Namespace) -> int:
    from rayong_desktop.services.settings import get_settings, update_setting
    from rayong_desktop.settings import SETTING_FIELDS, encode

    if args.set:
        settings = update_setting(db, args.set[0], args.set[1])
    else:
        settings = get_settings(db)
    values = {k: getattr(settings, k) for k in SETTING_FIELDS}
    if args.json:
        emit_json({k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items()})
    else:
        print_table(["key", "value"], [[k, encode(k, v)] for k, v in values.items()])
    return EXIT_OK
