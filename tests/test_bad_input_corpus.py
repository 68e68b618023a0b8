"""The bad-input corpus: every hostile or mistaken input at the command line, in the Excel
imports and in the archive import is refused in one line, stores nothing, and shows no traceback.

Each case runs the command line in-process against a database holding one report (R01, 2020-W21,
350 people), and compares the whole database before and after. It is 5 October 2020: the
campaign (May to July) is over, so a week in August is after it and not in the future.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest

from rayong_desktop.documents import xlsx_forms, xlsx_units
from tests.helpers import CliResult, dump, run_cli_subprocess

Cli = Callable[..., CliResult]
NOW = "2020-10-05 09:00"
BIG = str(10**30)


@pytest.fixture(autouse=True)
def _after_the_campaign(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAYONG_NOW", NOW)


# ---------------------------------------------------------------- files the cases import


def form(cli: Cli, folder: Path) -> Path:
    """A real form for 2020-W22 from the desk, filled in for its first unit."""
    path = folder / "form.xlsx"
    assert cli("form", "--out", str(path), "--week", "2020-W22").code == 0
    wb = openpyxl.load_workbook(path)
    wb[xlsx_forms.FORM_SHEET].cell(xlsx_forms.FIRST_ROW, 5, 120)
    wb.save(path)
    return path


def edited_form(edit: Callable[[openpyxl.Workbook], None]) -> Callable[[Cli, Path], Path]:
    def build(cli: Cli, folder: Path) -> Path:
        path = form(cli, folder)
        wb = openpyxl.load_workbook(path)
        edit(wb)
        wb.save(path)
        return path

    return build


def unknown_code_beside_a_known_name(wb: openpyxl.Workbook) -> None:
    ws = wb[xlsx_forms.FORM_SHEET]
    ws.cell(xlsx_forms.FIRST_ROW, 1, "ZZZ-999")  # the name beside it stays a known unit's


def marker_disagrees(wb: openpyxl.Workbook) -> None:
    meta = wb[xlsx_forms.META_SHEET]
    for row in meta.iter_rows():
        if row[0].value == "week":
            row[1].value = "2020-06-01"


def count_huge(wb: openpyxl.Workbook) -> None:
    wb[xlsx_forms.FORM_SHEET].cell(xlsx_forms.FIRST_ROW, 5, BIG)


def note_with_nul(wb: openpyxl.Workbook) -> None:
    wb[xlsx_forms.FORM_SHEET].cell(xlsx_forms.FIRST_ROW, 9, "ok\x7fnot")


def corrupt_deflate(cli: Cli, folder: Path) -> Path:
    path = form(cli, folder)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 10, start + 40):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    return path


def raw_file(name: str, data: bytes) -> Callable[[Cli, Path], Path]:
    def build(cli: Cli, folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return build


def a_folder(cli: Cli, folder: Path) -> Path:
    path = folder / "a-folder.xlsx"
    path.mkdir()
    return path


def units_sheet(row: dict[str, object]) -> Callable[[Cli, Path], Path]:
    def build(cli: Cli, folder: Path) -> Path:
        path = folder / "units.xlsx"
        assert cli("units-template", "--out", str(path)).code == 0
        wb = openpyxl.load_workbook(path)
        ws = wb.worksheets[0]
        headers = [c.value for c in ws[1]]
        by_th = {c.th: c.key for c in xlsx_units.UNIT_COLUMNS}
        for index, header in enumerate(headers, start=1):
            key = by_th.get(str(header))
            if key in row:
                ws.cell(2, index, row[key])
        wb.save(path)
        return path

    return build


def export_archive(cli: Cli, folder: Path) -> Path:
    path = folder / "everything.zip"
    assert cli("export", "--out", str(path)).code == 0
    return path


def archive_with(member: str, change: dict[str, object]) -> Callable[[Cli, Path], Path]:
    """The database's own export with `change` made to every row of one member, and its
    checksum and row count fixed up so that only the row checks can catch it."""

    def build(cli: Cli, folder: Path) -> Path:
        good = export_archive(cli, folder)
        with zipfile.ZipFile(good) as zf:
            members = {n: zf.read(n) for n in zf.namelist()}
        rows = [{**json.loads(line), **change} for line in members[member].splitlines()]
        data = b"".join(json.dumps(r).encode() + b"\n" for r in rows)
        members[member] = data
        manifest = json.loads(members["manifest.json"])
        manifest["tables"][member.removesuffix(".jsonl")] = {
            "rows": len(rows),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
        members["manifest.json"] = json.dumps(manifest).encode()
        bad = folder / "bad.zip"
        with zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as zf:
            for n, d in members.items():
                zf.writestr(n, d)
        return bad

    return build


def newline_member(cli: Cli, folder: Path) -> Path:
    good = export_archive(cli, folder)
    bad = folder / "bomb.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename == "audit_log.jsonl":
                with dst.open(item.filename, "w") as fh:
                    for _ in range(40):
                        fh.write(b"\n" * (1024 * 1024))
            else:
                dst.writestr(item, src.read(item))
    return bad


# ---------------------------------------------------------------- the corpus


@dataclass(frozen=True)
class Case:
    name: str
    argv: tuple[str, ...]
    message: str  # in the one line on stderr (English)
    code: int = 2
    file: Callable[[Cli, Path], Path] | None = None  # "{file}" in argv is this file
    into_new_database: bool = False  # import-archive: the target is a new file, never left
    extra: dict[str, str] = field(default_factory=dict)


def R(*argv: str, message: str, **kw: object) -> Case:  # noqa: N802 - a table row
    return Case(" ".join(argv)[:60], argv, message, **kw)  # type: ignore[arg-type]


CASES: list[Case] = [
    # report: counts
    R("report", "R02", "abc", "--week", "2020-W21", message="abc"),
    R("report", "R02", "12.75", "--week", "2020-W21", message="12.75"),
    R("report", "R02", "-5", "--week", "2020-W21", message="-5"),
    R("report", "R02", "", "--week", "2020-W21", message="R02"),
    R("report", "R02", BIG, "--week", "2020-W21", "--confirm", message="R02"),
    R("report", "R02", str(2**63), "--week", "2020-W21", "--confirm", message="R02"),
    R("report", "R02", "nan", "--week", "2020-W21", message="nan"),
    # report: weeks
    R("report", "R02", "10", "--week", "", message="week"),
    R("report", "R02", "10", "--week", "  ", message="week"),
    R("report", "R02", "10", "--week", "2020-W35", message="after the campaign ended"),
    R("report", "R02", "10", "--week", "2020-W54", message="2020-W54"),
    R("report", "R02", "10", "--week", "next", message="next"),
    R("report", "R02", "10", "--week", "2019-W10", message="before the campaign"),
    R("report", "R02", "10", "--week", "2021-W02", message="not come yet"),
    # report: corrections
    R("report", "R01", "360", "--week", "2020-W21", message="give a reason"),
    R("report", "R01", "360", "--week", "2020-W21", "--reason", "", message="reason"),
    R("report", "R01", "360", "--week", "2020-W21", "--reason", "   ", message="reason"),
    R(
        "report",
        "R01",
        "360",
        "--week",
        "2020-W21",
        "--reason",
        "x",
        "--expected-version",
        "0",
        message="someone else stored 350 (version 1)",
    ),
    R("report", "R01", "360", "--reason", "x", "--expected-version", "-1", message="version"),
    # report: the rest of the line
    R("report", "ZZZ-999", "10", "--week", "2020-W21", message="no unit with code"),
    R("report", "R02", "10", "--week", "2020-W21", "--channel", "pigeon", message="channel"),
    R("report", "R02", "10", "--week", "2020-W21", "--received", "soon", message="received"),
    R(
        "report",
        "R02",
        "10",
        "--week",
        "2020-W21",
        "--received",
        "2030-01-01 10:00",
        message="future",
    ),
    R("report", "R02", "10", "--week", "2020-W21", "--by", "a\x01b", message="control"),
    R("report", "R02", "10", "--week", "2020-W21", "--note", "a\x00b", message="control"),
    R("report", "R02", "10", "--week", "2020-W21", "--by", "x" * 500, message="longer than"),
    R("status", "--week", "", message="week"),
    R("--clerk", "a\x01b", "report", "R02", "10", "--week", "2020-W21", message="control"),
    R("--clerk", "x" * 101, "report", "R02", "10", "--week", "2020-W21", message="longer than"),
    R("history", "ZZZ", message="no unit"),
    # the registry
    R("unit", "add", "--code", "N1", "--name", "A\x00B", "--plan-row", "3", message="control"),
    R("unit", "add", "--code", "N1", "--name", "A\tB", "--plan-row", "3", message="control"),
    R("unit", "add", "--code", "N1", "--name", "x" * 10_000, "--plan-row", "3", message="longer"),
    R("unit", "add", "--code", "N1", "--name", "  ", "--plan-row", "3", message="blank"),
    R("unit", "add", "--code", "N 1!", "--name", "N", "--plan-row", "3", message="not valid"),
    R("unit", "add", "--code", "R01", "--name", "N", "--plan-row", "3", message="already"),
    R("unit", "add", "--code", "N1", "--name", "N", "--plan-row", BIG, message="no plan row"),
    R(
        "unit",
        "add",
        "--code",
        "N1",
        "--name",
        "N",
        "--plan-row",
        "3",
        "--quota",
        BIG,
        message="too large",
    ),
    R(
        "unit",
        "add",
        "--code",
        "N1",
        "--name",
        "N",
        "--plan-row",
        "3",
        "--quota",
        str(2**63),
        message="too large",
    ),
    R(
        "unit",
        "add",
        "--code",
        "N1",
        "--name",
        "N",
        "--plan-row",
        "3",
        "--quota",
        "-1",
        message="quota",
    ),
    R(
        "unit",
        "add",
        "--code",
        "N1",
        "--name",
        "N",
        "--plan-row",
        "3",
        "--kind",
        "x",
        message="kind",
    ),
    R("unit", "edit", "R01", "--quota", BIG, message="too large"),
    R("unit", "edit", "R01", "--name", "", message="blank"),
    R("unit", "edit", "R01", "--phone", "0\x1b[31m", message="control"),
    R("unit", "edit", "ZZZ", "--quota", "1", message="no unit"),
    R("plan-row", "1", "--quota", BIG, message="too large"),
    R("plan-row", BIG, "--quota", "5", message="no plan row"),
    R("plan-row", "99", "--quota", "5", message="no plan row"),
    # settings
    R("settings", "--set", "count_ceiling", BIG, message="too large"),
    R("settings", "--set", "rise_quota_factor", "nan", message="finite"),
    R("settings", "--set", "rise_quota_factor", "inf", message="finite"),
    R("settings", "--set", "rise_quota_factor", "-1", message="rise_quota_factor"),
    R("settings", "--set", "campaign_months", "0", message="campaign_months"),
    R("settings", "--set", "no_such_key", "1", message="unknown setting"),
    R("settings", "--set", "office_name", "a\x00b", message="control"),
    R(
        "settings",
        "--set",
        "backup_dir",
        "{file}",
        message="is a file",
        file=raw_file("not-a-folder", b"x"),
    ),
    # OA figures
    R("oa-stats", "add", "--date", "1900-01-01", "--friends", "5", message="before the campaign"),
    R("oa-stats", "add", "--date", "2030-01-01", "--friends", "5", message="future"),
    R("oa-stats", "add", "--date", "2020-06-01", "--friends", "abc", message="friends"),
    R("oa-stats", "add", "--date", "soon", "--friends", "5", message="not a date"),
    # documents
    R("summary", "--week", "", "--out", "{file}.pdf", message="week", file=raw_file("s", b"")),
    R("form", "--week", " ", "--out", "{file}.xlsx", message="week", file=raw_file("f", b"")),
    R(
        "summary",
        "--week",
        "2020-W21",
        "--out",
        "{file}.docx",
        message="must end in .pdf or .xlsx",
        file=raw_file("x", b""),
    ),
    R(
        "letter",
        "--week",
        "2020-W21",
        "--out",
        "{file}.xlsx",
        message="must end in .pdf",
        file=raw_file("x", b""),
    ),
    R("poster", "--out", "{file}", message="must end in .pdf", file=raw_file("p.png", b"")),
    R("export", "--out", "{file}/x.zip", message="cannot write", file=raw_file("plain", b"x")),
    # the form import
    R("import", "{file}", message="is a folder", file=a_folder),
    R("import", "{file}", message="cannot open", file=raw_file("gone.xlsx", b"")),
    R("import", "{file}", message="empty", file=raw_file("empty.xlsx", b"")),
    R("import", "{file}", message="not an Excel", file=raw_file("t.xlsx", b"code,count\n")),
    R("import", "{file}", message="old Excel", file=raw_file("o.xlsx", b"\xd0\xcf\x11\xe0xx")),
    R("import", "{file}", message="form.xlsx is damaged", file=corrupt_deflate),
    R(
        "import",
        "{file}",
        message="no unit with code or name 'ZZZ-999'",
        file=edited_form(unknown_code_beside_a_known_name),
    ),
    R(
        "import",
        "{file}",
        message="hidden week marker is 2020-W23",
        file=edited_form(marker_disagrees),
    ),
    R("import", "{file}", "--confirm", message="column E", file=edited_form(count_huge)),
    R("import", "{file}", message="column I (remarks)", file=edited_form(note_with_nul)),
    # the units import
    R("units-import", "{file}", message="is a folder", file=a_folder),
    R(
        "units-import",
        "{file}",
        message="too large",
        file=units_sheet({"code": "N1", "name": "N", "plan_row": 3, "quota": BIG}),
    ),
    R(
        "units-import",
        "{file}",
        message="control",
        file=units_sheet({"code": "N1", "name": "A\tB", "plan_row": 3}),
    ),
    # the archive import (into a new database, which must not be left behind)
    R(
        "import-archive",
        "{file}",
        message="is not a whole number",
        into_new_database=True,
        file=archive_with("weekly_report.jsonl", {"count": "abc"}),
    ),
    R(
        "import-archive",
        "{file}",
        message="is not a whole number",
        into_new_database=True,
        file=archive_with("weekly_report.jsonl", {"count": 12.75}),
    ),
    R(
        "import-archive",
        "{file}",
        message="not a Monday",
        into_new_database=True,
        file=archive_with("weekly_report.jsonl", {"week": "2020-05-20"}),
    ),
    R(
        "import-archive",
        "{file}",
        message="history holds",
        into_new_database=True,
        file=archive_with("weekly_report.jsonl", {"version": 3}),
    ),
    R(
        "import-archive",
        "{file}",
        message="no time zone",
        into_new_database=True,
        file=archive_with("weekly_report.jsonl", {"received_at": "2020-05-20T10:00:00"}),
    ),
    R(
        "import-archive",
        "{file}",
        message="not a plan_row",
        into_new_database=True,
        file=archive_with("unit.jsonl", {"plan_row_id": 999}),
    ),
    R(
        "import-archive",
        "{file}",
        message="NOT NULL",
        into_new_database=True,
        file=archive_with("unit.jsonl", {"name": None}),
    ),
    R(
        "import-archive",
        "{file}",
        message="duplicate number",
        into_new_database=True,
        file=archive_with("plan_row.jsonl", {"number": 1}),
    ),
    R(
        "import-archive",
        "{file}",
        message="more lines",
        into_new_database=True,
        file=newline_member,
    ),
    R(
        "import-archive",
        "{file}",
        message="not a desk archive",
        into_new_database=True,
        file=raw_file("junk.zip", b"PK\x03\x04junk"),
    ),
    R(
        "import-archive",
        "{file}",
        message="not a desk archive",
        into_new_database=True,
        file=a_folder,
    ),
]


def _argv(case: Case, cli: Cli, folder: Path) -> list[str]:
    path = case.file(cli, folder) if case.file is not None else None
    if path is not None and path.name == "gone.xlsx":
        path.unlink()
    return [a.replace("{file}", str(path)) for a in case.argv]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_refused_in_one_line_and_changes_nothing(
    case: Case, cli: Cli, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli("report", "R01", "350", "--week", "2020-W21", "--received", "now").code == 0
    folder = tmp_path / "files"
    folder.mkdir()
    argv = _argv(case, cli, folder)
    before = dump(db_path)
    if case.into_new_database:
        from tests.helpers import run_cli_inprocess

        target = tmp_path / "new.sqlite3"
        result = run_cli_inprocess(["--db", str(target), *argv], capsys)
        # Nothing of a database (the command's lock file is not one).
        left = [p.name for p in tmp_path.glob("new.sqlite3*") if p.suffix != ".lock"]
        assert left == []
    else:
        result = cli(*argv)
    assert result.code == case.code, (result.code, result.out, result.err)
    assert "Traceback" not in result.err and "Traceback" not in result.out
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    # "refused:" (a clear refusal) or "error: argument" (argparse): never the catch-all's line.
    assert lines[0].startswith(("refused:", "error: argument")), lines[0]
    assert case.message in lines[0], lines[0]
    assert dump(db_path) == before


def test_the_corpus_covers_every_group() -> None:
    commands = {c.argv[0] for c in CASES}
    assert {"report", "unit", "plan-row", "settings", "oa-stats", "summary", "import"} <= commands
    assert {"units-import", "import-archive", "export", "status", "history"} <= commands
    assert len(CASES) >= 70


# ---------------------------------------------------------------- faults, not inputs


def test_an_unexpected_database_fault_is_one_line_and_the_traceback_goes_to_the_log(
    cli: Cli, db_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from rayong_desktop.logs import log_file
    from rayong_desktop.services import reports

    def read_only(*_args: object, **_kw: object) -> None:
        raise OperationalError(
            "UPDATE unit", {}, sqlite3.OperationalError("attempt to write a readonly database")
        )

    assert cli("units").code == 0  # made and seeded
    before = dump(db_path)
    monkeypatch.setattr(reports, "record_report", read_only)
    result = cli("report", "R02", "10", "--week", "2020-W21")
    assert result.code == 2 and result.out == ""
    assert result.err.splitlines() == [
        "error: the database failed: attempt to write a readonly database; nothing was stored "
        f"(details in the log {log_file()})"
    ]
    logged = log_file().read_text(encoding="utf-8")
    assert "Traceback" in logged and "attempt to write a readonly database" in logged
    assert dump(db_path) == before


def test_units_piped_into_head_ends_quietly(db_path: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.helpers import REPO

    run_cli_subprocess(["--db", str(db_path), "units"])  # create and seed it first
    pipeline = subprocess.run(
        f'"{sys.executable}" main.py --db "{db_path}" units | head -1',
        shell=True,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert pipeline.stdout.startswith("code")
    assert pipeline.stderr == ""


# ---------------------------------------------------------------- what must still pass

NOTE = ("โทรแจ้งยอดแล้ว ตรวจสอบกับผู้ประสานงานอำเภอ " * 100)[:3300]


def test_a_big_real_form_with_a_long_repeated_note_is_not_taken_for_a_zip_bomb(
    cli: Cli, tmp_path: Path
) -> None:
    # 1,022 rows, each with the same 3,300-character note: openpyxl writes the strings inline,
    # so the sheet unpacks to ~10 MB at a ratio above 100. It is a real file, not a bomb.
    path = form(cli, tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb[xlsx_forms.FORM_SHEET]
    for offset in range(1022):
        row = xlsx_forms.FIRST_ROW + offset
        if ws.cell(row, 1).value is None:
            ws.cell(row, 1, f"X{offset}")
            ws.cell(row, 2, "หน่วยทดสอบ")
        ws.cell(row, 5, 100 + offset)
        ws.cell(row, 9, NOTE)
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        sheet = zf.getinfo("xl/worksheets/sheet1.xml")
    assert sheet.file_size > 9_000_000 and sheet.file_size / sheet.compress_size > 100
    rows = xlsx_forms.read_form(path).rows
    assert len(rows) == 1022 and all(r.note == NOTE for r in rows)


def test_a_real_form_with_long_notes_imports(cli: Cli, tmp_path: Path) -> None:
    path = form(cli, tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb[xlsx_forms.FORM_SHEET]
    row = xlsx_forms.FIRST_ROW
    while ws.cell(row, 1).value is not None:
        ws.cell(row, 5, 100)
        ws.cell(row, 9, NOTE)
        row += 1
    wb.save(path)
    result = cli("import", str(path), "--confirm", "--json")
    assert result.code == 0, result.err
    assert result.json()["counts"]["new"] == row - xlsx_forms.FIRST_ROW


@pytest.mark.sqlite_only  # PostgreSQL cannot hold a NUL in text at all: a SQLite file's case
def test_exports_never_fail_on_text_stored_before_it_was_checked(
    cli: Cli, db_path: Path, tmp_path: Path
) -> None:
    # Text from before entry refused control characters (or from a script writing the file).
    from sqlalchemy import update

    from rayong_desktop.db.models import Unit
    from rayong_desktop.services.startup import open_database

    assert (
        cli("report", "R01", "350", "--week", "2020-W21", "--note", "ok", "--received", "now").code
        == 0
    )
    db = open_database(db_path)
    try:
        with db.transaction() as session:
            session.execute(
                update(Unit).where(Unit.code == "R01").values(name="ส่วน\x00ราช\x01การ\x1b")
            )
    finally:
        db.dispose()
    for argv in (
        ["summary", "--week", "2020-W21", "--out", str(tmp_path / "s.xlsx")],
        ["summary", "--week", "2020-W21", "--out", str(tmp_path / "s.pdf")],
        ["form", "--week", "2020-W22", "--out", str(tmp_path / "f.xlsx")],
        ["form", "--week", "2020-W22", "--out", str(tmp_path / "f.pdf")],
        ["export", "--out", str(tmp_path / "all.zip")],
    ):
        result = cli(*argv)
        assert result.code == 0, (argv, result.err)
    wb = openpyxl.load_workbook(tmp_path / "f.xlsx")
    names = [c.value for c in wb[xlsx_forms.FORM_SHEET]["B"]]
    assert "ส่วนราชการ" in names
