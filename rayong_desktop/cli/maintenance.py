"""Command-line commands that keep the data safe: backup, check, restore, export, import."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rayong_desktop.cli.output import EXIT_OK, emit_json, on_database, on_file, print_table

if TYPE_CHECKING:  # loaded when one of these commands runs, not to build the parser
    from rayong_desktop.db.engine import Database

EXIT_UNHEALTHY = 1


def add_commands(sub: Any) -> None:
    p = sub.add_parser("backup", help="a checked copy of the database now")
    p.add_argument("--out", type=Path, help="write the copy here (default: the backup folder)")
    on_file(p, cmd_backup)

    p = sub.add_parser(
        "backups",
        help="list this database's backups in every known folder, and what killed backups "
        "or restores left (removed at the next start)",
    )
    p.add_argument("--json", action="store_true")
    on_file(p, cmd_backups)

    p = sub.add_parser("check", help="full health check; exit 1 listing problems")
    on_file(p, cmd_check)

    p = sub.add_parser("restore", help="replace the database by a backup (current file saved)")
    p.add_argument("file", type=Path)
    p.add_argument(
        "--other-database",
        action="store_true",
        help="restore a backup of another database (or one without identity) on purpose",
    )
    on_file(p, cmd_restore)

    p = sub.add_parser("export", help="everything to one archive file")
    p.add_argument("--out", type=Path, required=True)
    on_database(p, cmd_export, reads_only=True)

    p = sub.add_parser("migrate-data", help="move everything between SQLite and PostgreSQL")
    p.add_argument(
        "--from", dest="source", required=True, help="a SQLite file or postgresql:// URL"
    )
    p.add_argument("--to", dest="target", required=True, help="an empty SQLite file or URL")
    p.add_argument("--json", action="store_true")
    on_file(p, cmd_migrate_data, any_target=True)

    p = sub.add_parser("selftest", help="check this installation offline; exit 0 if all pass")
    on_file(p, cmd_selftest, any_target=True)

    p = sub.add_parser("import-archive", help="load an archive into a new, empty database")
    p.add_argument("file", type=Path)
    on_file(p, cmd_import)


def cmd_backup(db_path: Path, args: argparse.Namespace) -> int:
    from rayong_desktop.services import maintenance
    from rayong_desktop.services.startup import check_location

    check_location(db_path)
    made = maintenance.make_backup(db_path, "manual", out=args.out)
    sys.stdout.write(f"backup written: {made.path}\n")
    return EXIT_OK


def cmd_backups(db_path: Path, args: argparse.Namespace) -> int:
    from rayong_desktop.services import maintenance

    rows = [maintenance.describe_backup(b) for b in maintenance.backups_of(db_path)]
    rows += [
        {"file": str(f), "taken_at": "", "reason": "leftover", "seq": ""}
        for f in maintenance.leftovers(db_path)
    ]
    others = maintenance.other_backups(db_path)
    if args.json:
        emit_json(rows)
    else:
        print_table(
            ["taken_at", "seq", "reason", "file"],
            [[r["taken_at"], r["seq"], r["reason"], r["file"]] for r in rows],
        )
    if others:
        sys.stderr.write(
            f"note: {len(others)} file(s) named like this database's backups belong to another "
            "database or have no identity; not listed (restore --other-database to use one)\n"
        )
    return EXIT_OK


def cmd_check(db_path: Path, args: argparse.Namespace) -> int:
    from rayong_desktop.services import maintenance

    if not db_path.is_file():
        sys.stderr.write(f"problem: {db_path} does not exist\n")
        return EXIT_UNHEALTHY
    report = maintenance.health(db_path, full=True)
    if report.ok:
        sys.stdout.write(f"ok: {db_path} passed integrity_check and foreign_key_check\n")
        return EXIT_OK
    for problem in report.problems:
        sys.stderr.write(f"problem: {problem}\n")
    good = maintenance.newest_good_backup(db_path)
    if good:
        sys.stderr.write(f"newest good backup: {good.path}\n")
    return EXIT_UNHEALTHY


def cmd_restore(db_path: Path, args: argparse.Namespace) -> int:
    from rayong_desktop.services import maintenance

    result = maintenance.restore(db_path, args.file, other_database=args.other_database)
    if result.warning:
        sys.stderr.write(result.warning + "\n")
    if result.safety_copy:
        sys.stdout.write(f"the previous database was saved as {result.safety_copy}\n")
    sys.stdout.write(f"restored {db_path} from {result.restored_from}\n")
    from rayong_desktop.services.startup import open_database

    open_database(db_path).dispose()  # migrates an older backup now, not at the next start
    return EXIT_OK


def cmd_export(db: Database, args: argparse.Namespace) -> int:
    from rayong_desktop.services import archive

    manifest = archive.export_archive(db, args.out)
    total = sum(t["rows"] for t in manifest["tables"].values())
    sys.stdout.write(f"exported {total:,} rows in {len(manifest['tables'])} tables to {args.out}\n")
    return EXIT_OK


def cmd_import(db_path: Path, args: argparse.Namespace) -> int:
    from rayong_desktop.db.lock import InstanceLock
    from rayong_desktop.services import archive

    lock = InstanceLock(db_path)
    lock.acquire()
    try:
        counts = archive.import_archive(args.file, db_path)
    finally:
        lock.release()
    sys.stdout.write(f"imported {sum(counts.values()):,} rows into {db_path}\n")
    return EXIT_OK


def cmd_selftest(db_path: Path, args: argparse.Namespace) -> int:
    from rayong_desktop import selftest

    def qt_check() -> str:
        # Qt is the desk's, checked through ui; a build without it fails this check only.
        from rayong_desktop.ui.selfcheck import thai_font_check

        return thai_font_check()

    return selftest.run(lambda line: sys.stdout.write(line + "\n"), qt_check=qt_check)


def cmd_migrate_data(db_path: Path, args: argparse.Namespace) -> int:
    from rayong_desktop.db.engine import is_server_url
    from rayong_desktop.services import transfer

    def target(text: str) -> Path | str:
        return text if is_server_url(text) else Path(text)

    before, after = transfer.migrate_data(target(args.source), target(args.target))
    if args.json:
        emit_json({"source": before.as_json(), "target": after.as_json(), "verified": True})
    else:
        total = sum(after.rows.values())
        sys.stdout.write(
            f"moved {total:,} rows in {len(after.rows)} tables; counts and totals match\n"
        )
    return EXIT_OK
