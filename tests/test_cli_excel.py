"""The command line of Excel: `form`/`summary` to .xlsx, `import`, `units-import`, `units-template`.

Exit codes: 0 done, 2 refused (one line on stderr, nothing stored), 3 needs confirmation
(nothing stored; repeat with --confirm). Saturday 30 May 2020, 09:00 Bangkok; W21 = 18 May.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from rayong_desktop.documents import xlsx_forms, xlsx_units
from tests.documents.test_xlsx_safety import BAD_FILES
from tests.documents.test_xlsx_summary import plan_lines
from tests.helpers import CliResult, dump

Cli = Callable[..., CliResult]
FORM = xlsx_forms.FORM_SHEET


@pytest.fixture(autouse=True)
def _saturday_morning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAYONG_NOW", "2020-05-30 09:00")


def ok(result: CliResult) -> CliResult:
    assert result.code == 0, (result.code, result.out, result.err)
    return result


def one_line(result: CliResult) -> str:
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    return lines[0]


def refused(result: CliResult) -> str:
    assert result.code == 2, (result.code, result.out, result.err)
    assert result.out == ""
    line = one_line(result)
    assert line.startswith("refused: ")
    return line


def fill(form: Path, figures: dict[str, Any]) -> Path:
    wb = openpyxl.load_workbook(form)
    ws = wb[FORM]
    for r in range(xlsx_forms.FIRST_ROW, ws.max_row + 1):
        code = ws[f"A{r}"].value
        if code in figures:
            ws[f"E{r}"] = figures[code]
    wb.save(form)
    return form


def form(cli: Cli, tmp_path: Path, *args: str) -> Path:
    out = tmp_path / "form.xlsx"
    result = ok(cli("form", "--week", "2020-W21", "--out", str(out), *args))
    assert f"wrote {out}" in result.out
    return out


def status_counts(cli: Cli) -> dict[str, Any]:
    data = ok(cli("status", "--week", "2020-W21", "--json")).json()
    return {u["code"]: u["count"] for u in data["units"]}


def test_a_form_filled_and_imported_shows_in_status(cli: Cli, tmp_path: Path) -> None:
    path = fill(form(cli, tmp_path), {"R01": 1250, "LAO-KLG": "๑,๒๕๐", "TN-RY": "300"})
    result = ok(cli("import", str(path)))
    assert "3 new" in result.out and "2020-W21" in result.out
    counts = status_counts(cli)
    assert (counts["R01"], counts["LAO-KLG"], counts["TN-RY"]) == (1250, 1250, 300)
    history = ok(cli("history", "R01", "--json")).json()["reports"]
    assert [(h["count"], h["channel"]) for h in history] == [(1250, "import")]


def test_form_for_one_unit_or_a_plan_row(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "row3.xlsx"
    result = ok(cli("form", "--week", "2020-W21", "--plan-row", "3", "--out", str(out)))
    assert "(12 rows)" in result.out
    out = tmp_path / "one.xlsx"
    assert "(1 rows)" in ok(cli("form", "--unit", "R09", "--out", str(out))).out
    meta = openpyxl.load_workbook(out)[xlsx_forms.META_SHEET]
    assert meta["B3"].value == "2020-05-25"  # no --week: the current week
    line = refused(cli("form", "--unit", "NOPE", "--out", str(tmp_path / "x.xlsx")))
    assert "no unit with code 'NOPE'" in line


def test_a_refused_file_exits_2_with_one_line_and_stores_nothing(
    cli: Cli, db_path: Path, tmp_path: Path
) -> None:
    path = fill(form(cli, tmp_path), {"R01": 1250, "R02": -40})
    before = dump(db_path)
    line = refused(cli("import", str(path)))
    assert f"sheet {FORM}, row {xlsx_forms.FIRST_ROW + 1}, column E (count): R02" in line
    assert "cannot be negative" in line and "nothing was imported" in line
    assert dump(db_path) == before


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_every_bad_file_exits_2(cli: Cli, db_path: Path, tmp_path: Path, name: str) -> None:
    ok(cli("units"))  # the database exists before the dump
    build, _code, words = BAD_FILES[name]
    path = build(tmp_path / "in.xlsx")
    before = dump(db_path)
    assert words in refused(cli("import", str(path)))
    assert dump(db_path) == before


def test_thai_messages_on_request(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = fill(form(cli, tmp_path), {"R01": "-๕"})
    monkeypatch.setenv("RAYONG_LANG", "th")
    line = refused(cli("import", str(path)))
    assert f"แผ่นงาน {FORM} แถว {xlsx_forms.FIRST_ROW} คอลัมน์ E (จำนวนสมาชิก): R01" in line
    assert "จำนวนต้องไม่ติดลบ" in line and "ไม่ได้นำเข้าข้อมูลใด" in line


def test_figures_needing_confirmation_exit_3_until_confirmed(
    cli: Cli, db_path: Path, tmp_path: Path
) -> None:
    ok(cli("report", "R01", "1000", "--week", "2020-W20", "--received", "2020-05-15 09:00"))
    path = fill(form(cli, tmp_path), {"R01": 800, "R02": 100})
    before = dump(db_path)
    result = cli("import", str(path))
    assert result.code == 3 and result.out == ""
    line = one_line(result)
    assert line.startswith("needs confirmation: ") and "--confirm" in line
    assert "lower than the previous report" in line
    assert dump(db_path) == before
    result = ok(cli("import", str(path), "--confirm", "--json"))
    data = result.json()
    assert data["committed"] is True and data["counts"]["new"] == 2
    assert [r["concerns"] for r in data["rows"] if r["unit"] == "R01"] == [["below_previous"]]
    assert status_counts(cli)["R01"] == 800


def test_a_dry_run_shows_the_preview_and_stores_nothing(
    cli: Cli, db_path: Path, tmp_path: Path
) -> None:
    path = fill(form(cli, tmp_path), {"R01": 1250, "R02": "x"})
    before = dump(db_path)
    result = cli("import", str(path), "--dry-run", "--json")
    assert result.code == 2
    data = result.json()
    assert data["committed"] is False
    assert {r["unit"]: r["status"] for r in data["rows"]} == {"R01": "new", "R02": "refused"}
    bad = next(r for r in data["rows"] if r["unit"] == "R02")
    assert bad["column"] == "E" and "not a number" in bad["message"]
    assert one_line(result).startswith("refused: ")
    fill(path, {"R02": 5})
    result = ok(cli("import", str(path), "--dry-run"))
    assert "nothing written" in result.out and "2 new" in result.out
    assert dump(db_path) == before


def test_summary_workbook_agrees_with_status(cli: Cli, tmp_path: Path) -> None:
    path = fill(form(cli, tmp_path), {"R01": 1250, "R09": 30_000, "TN-RY": 280})
    ok(cli("import", str(path)))
    out = tmp_path / "summary.xlsx"
    ok(cli("summary", "--week", "2020-W21", "--out", str(out)))
    totals = ok(cli("status", "--week", "2020-W21", "--json")).json()["totals"]
    line = plan_lines(out)["total"]
    for key in ("quota", "count", "expected", "received", "on_time", "missing"):
        assert line[key] == totals[key], key


def test_units_template_and_import(cli: Cli, db_path: Path, tmp_path: Path) -> None:
    template = tmp_path / "units.xlsx"
    assert f"saved {template}" in ok(cli("units-template", "--out", str(template))).out
    wb = openpyxl.load_workbook(template)
    ws = wb[xlsx_units.UNITS_SHEET]
    ws.append(
        ["SAO-WCN-01", "องค์การบริหารส่วนตำบลชุมแสง", 3, "อบต.", "วังจันทร์", None, None, "038222222"]
    )
    ws.append(["R01", None, None, None, None, None, "ผู้ประสานงานใหม่"])
    wb.save(template)
    before = dump(db_path)
    result = ok(cli("units-import", str(template), "--dry-run"))
    assert "1 new, 1 changed" in result.out and "nothing written" in result.out
    assert dump(db_path) == before
    data = ok(cli("units-import", str(template), "--json")).json()
    assert data["committed"] and data["counts"] == {
        "refused": 0,
        "new": 1,
        "changed": 1,
        "unchanged": 0,
    }
    units = {u["code"]: u for u in ok(cli("units", "--json")).json()}
    assert units["SAO-WCN-01"]["district"] == "วังจันทร์" and units["SAO-WCN-01"]["kind"] == "sao"
    assert units["R01"]["contact"] == "ผู้ประสานงานใหม่"


def test_a_refused_unit_list_exits_2_and_stores_nothing(
    cli: Cli, db_path: Path, tmp_path: Path
) -> None:
    template = tmp_path / "units.xlsx"
    ok(cli("units-template", "--out", str(template)))
    wb = openpyxl.load_workbook(template)
    ws = wb[xlsx_units.UNITS_SHEET]
    ws.append(["SAO-A", "อบต.หนึ่ง", 3, "อบต."])
    ws.append(["SAO-B", "อบต.สอง", 3, "อบต.", "พัทยา"])
    wb.save(template)
    before = dump(db_path)
    line = refused(cli("units-import", str(template)))
    assert f"sheet {xlsx_units.UNITS_SHEET}, row 3, column E (district)" in line
    assert dump(db_path) == before
    result = cli("units-import", str(template), "--dry-run")
    assert result.code == 2 and "SAO-A" in result.out and "refused" in result.out


def test_units_import_and_template_also_answer_as_the_issue_spells_them(
    cli: Cli, db_path: Path, tmp_path: Path
) -> None:
    """`units import F.xlsx [--dry-run]` and `units template --out F` are the same commands as
    units-import / units-template; plain `units` still lists."""
    template = tmp_path / "list.xlsx"
    assert f"saved {template}" in ok(cli("units", "template", "--out", str(template))).out
    wb = openpyxl.load_workbook(template)
    wb[xlsx_units.UNITS_SHEET].append(
        ["TT-PLD-01", "เทศบาลตำบลทดสอบ", 3, "ทต.", "ปลวกแดง", 450, None, "038333333"]
    )
    wb.save(template)
    before = dump(db_path)
    assert "1 new" in ok(cli("units", "import", str(template), "--dry-run")).out
    assert dump(db_path) == before
    ok(cli("units", "import", str(template)))
    units = {u["code"]: u for u in ok(cli("units", "--json")).json()}
    assert (units["TT-PLD-01"]["kind"], units["TT-PLD-01"]["quota"]) == ("subdistrict", 450)
    assert cli("units", "import").code == 2
