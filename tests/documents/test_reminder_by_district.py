"""`reminder --by-district`: one circular per district office, listing only its own late units."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from rayong_desktop.db.engine import Database
from tests.documents import pdftools
from tests.helpers import CliResult

Cli = Callable[..., CliResult]
N = pdftools.normalized
CODE = re.compile(r"\(([A-Z0-9][A-Z0-9._-]*)\)")
TO = re.compile(r"^เรียน (.+)$", re.MULTILINE)


def letters(path: Path) -> list[tuple[str, set[str]]]:
    """(addressee, unit codes listed) of each letter, a letter starting on the page that has
    its เรียน line."""
    found: list[tuple[str, set[str]]] = []
    for page in range(1, pdftools.pages(path) + 1):
        text = pdftools.text(path, first=page, last=page)
        to = TO.search(text)
        if to is not None:
            found.append((to.group(1).strip(), set()))
        assert found, "the first page opens a letter"
        found[-1][1].update(CODE.findall(text))
    return found


def test_each_district_office_gets_only_its_own_late_units(
    scenario_db: Database, cli: Cli, tmp_path: Path
) -> None:
    data = cli("status", "--week", "2020-W21", "--json").json()
    district = {u["code"]: u["district"] for u in data["units"]}
    late = [c["code"] for c in data["call_list"] if c["overdue"]]
    out = tmp_path / "by-district.pdf"
    result = cli("reminder", "--week", "2020-W21", "--by-district", "--out", str(out))
    assert result.code == 0, result.err
    assert "ว 1 issued" in result.out
    pdftools.check(out)
    got = letters(out)
    want_districts = [g["district"] for g in data["districts"]]
    expected = []
    for name in want_districts:
        mine = {c for c in late if district[c] == name}
        if mine:
            to = f"ท้องถิ่นอำเภอ{name}" if name else "หน่วยงานตามบัญชีรายชื่อแนบท้าย"
            expected.append((N(to), mine))
    assert got == expected
    assert len(got) >= 3  # several districts, and the provincial agencies
    # Every late unit is in exactly one letter; all under the one circular number.
    assert sorted(c for _, codes in got for c in codes) == sorted(late)
    text = pdftools.text(out)
    assert text.count(N("ที่ รย 0023.1/ว 1")) >= len(got)


def test_by_district_is_a_letter_not_a_memo(
    scenario_db: Database, cli: Cli, tmp_path: Path
) -> None:
    out = tmp_path / "x.pdf"
    result = cli("reminder", "--week", "2020-W21", "--by-district", "--memo", "--out", str(out))
    assert result.code == 2 and "by-district" in result.err
    assert not out.exists()
