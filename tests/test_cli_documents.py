"""The command line of printed documents: summary, letter, reminder, form, poster.

Exit 0 with one line naming the file; a refusal exits 2 with one line on stderr and leaves no
file (and an existing file untouched). The scenario is tests/documents/scenario.py; it is
Friday 22 May 2020, 15:00, so the current week is 2020-W21.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from rayong_desktop.db.engine import Database
from tests.documents import pdftools
from tests.documents.fixtures import scenario_db, scenario_file
from tests.documents.scenario import ADD_FRIEND_URL
from tests.helpers import CliResult

Cli = Callable[..., CliResult]
N = pdftools.normalized
__all__ = ["scenario_db", "scenario_file"]  # fixtures, used by name


@pytest.fixture
def run(scenario_db: Database, cli: Cli) -> Cli:
    # The scenario's database sits where the cli fixture looks; close ours so only the
    # command line has it open, as in real use.
    scenario_db.dispose()
    return cli


def ok(result: CliResult, out: Path) -> str:
    assert result.code == 0, (result.code, result.out, result.err)
    assert result.out.startswith(f"wrote {out}"), result.out
    assert len(result.out.splitlines()) == 1
    pdftools.check(out)
    return " ".join(pdftools.text(out).split())


def refused(result: CliResult) -> str:
    assert result.code == 2, (result.code, result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    return lines[0]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_every_document_from_the_command_line(run: Cli, tmp_path: Path) -> None:
    out = tmp_path / "summary.pdf"
    text = ok(run("summary", "--out", str(out)), out)  # the current week by default
    assert N("ประจำสัปดาห์ระหว่างวันที่ 18–24 พฤษภาคม 2563") in text

    out = tmp_path / "letter.pdf"
    result = run("letter", "--week", "2020-W21", "--out", str(out), "--to", "ปลัดจังหวัดระยอง")
    assert "letter number 1 issued" in result.out
    assert N("เรียน ปลัดจังหวัดระยอง") in ok(result, out)

    out = tmp_path / "reminder.pdf"
    result = run("reminder", "--week", "2020-W21", "--out", str(out))
    assert "letter number ว 1 issued" in result.out
    assert "(LAO-MRY)" in ok(result, out)

    out = tmp_path / "memo.pdf"
    result = run("reminder", "--memo", "--out", str(out))
    assert "letter number 2 issued" in result.out
    assert N("บันทึกข้อความ") in ok(result, out)

    out = tmp_path / "form.pdf"
    result = run("form", "--out", str(out), "--plan-row", "3")
    ok(result, out)
    assert "(12 pages)" in result.out

    out = tmp_path / "poster.pdf"
    result = run("poster", "--out", str(out), "--size", "a3", "--unit", "R07")
    text = ok(result, out)
    assert "(1 page)" in result.out and "@desk-test-oa" in text
    png = pdftools.render(out, tmp_path, dpi=150)[0]
    assert pdftools.decode_qr(png) == [ADD_FRIEND_URL]
    assert leftovers(tmp_path) == []


def test_letter_numbers_run_on_and_a_reprint_keeps_its_own(run: Cli, tmp_path: Path) -> None:
    for n in (1, 2):
        result = run("letter", "--out", str(tmp_path / f"{n}.pdf"))
        assert f"letter number {n} issued" in result.out
    result = run("letter", "--out", str(tmp_path / "again.pdf"), "--number", "1")
    assert "letter number 1 reprinted" in result.out
    assert "ที่ รย 0023.1/1" in pdftools.text(tmp_path / "again.pdf")
    settings = run("settings", "--json")
    assert settings.json()["letter_next_number"] == 3


def test_refusals_leave_no_file_and_keep_an_existing_one(run: Cli, tmp_path: Path) -> None:
    out = tmp_path / "poster.pdf"
    out.write_bytes(b"the poster printed yesterday")
    assert run("settings", "--set", "oa_id", "").code == 0
    line = refused(run("poster", "--out", str(out)))
    assert "no LINE OA ID is configured" in line
    assert out.read_bytes() == b"the poster printed yesterday"

    missing = tmp_path / "reminder.pdf"
    line = refused(run("reminder", "--week", "2020-W22", "--out", str(missing)))
    assert "no unit has missed the deadline of 2020-W22" in line
    assert not missing.exists()

    refused(run("form", "--out", str(missing), "--unit", "NOPE"))
    refused(run("form", "--out", str(missing), "--unit", "R01", "--plan-row", "1"))
    refused(run("poster", "--out", str(missing), "--unit", "R01", "--all-units"))
    refused(run("poster", "--out", str(missing), "--size", "A5", "--oa-id", "x"))
    refused(run("letter", "--out", str(missing), "--number", "0"))
    refused(run("summary", "--week", "2020-W99", "--out", str(missing)))
    line = refused(run("summary", "--out", str(tmp_path / "no" / "such" / "s.pdf")))
    assert "does not exist" in line
    assert not missing.exists() and leftovers(tmp_path) == []
    # Nothing was issued by any of it.
    assert run("settings", "--json").json()["letter_next_number"] == 1


def test_refusals_in_thai(run: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAYONG_LANG", "th")
    line = refused(run("reminder", "--week", "2020-W22", "--out", str(tmp_path / "r.pdf")))
    assert "ไม่มีหน่วยที่พ้นกำหนดรายงาน" in line
